"""A take's audio file: its samples as 16-bit PCM, and a WAV a killed writer left behind."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import numpy as np
import numpy.typing as npt
import soundfile

from voicemail_coach.audio.capture import PCM16_SCALE
from voicemail_coach.storage.records import LibraryError

Pcm16 = npt.NDArray[np.int16]


def to_pcm16(samples: npt.NDArray[np.float32]) -> Pcm16:
    # Rounded as voicemail_coach.audio.capture writes takes, so stored files read back as the samples given.
    scaled = np.clip(np.round(samples * PCM16_SCALE), -PCM16_SCALE, PCM16_SCALE - 1)
    pcm: Pcm16 = scaled.astype(np.int16)
    return pcm


def read_take(wav: Path) -> tuple[Pcm16, int]:
    """The samples of a recorded take, as written."""
    if not wav.exists():
        raise LibraryError(f"The recording {wav} is missing; there is nothing to save.")
    try:
        pcm, rate = soundfile.read(str(wav), dtype="int16")
    except (RuntimeError, OSError, ValueError) as exc:
        raise LibraryError(
            f"The recording {wav} cannot be read ({exc}). It is kept as it is."
        ) from exc
    if len(pcm) == 0:
        raise LibraryError("Nothing was recorded in this take: the recording is empty.")
    return pcm, int(rate)


def repair_wav(path: Path) -> None:
    """Make a WAV's header describe the audio a killed writer left in it.

    libsndfile writes the sizes into the header when it closes the file. Killed before that,
    the header says the data is empty while the samples are all there, and a reader may take
    the header at its word. The data chunk runs to the end of such a file; a last frame that
    was only partly written is cut off.

    Raises:
        LibraryError: the file is missing, or is not a WAV with audio in it.
        OSError: the file cannot be rewritten.
    """
    if not path.exists():
        raise LibraryError(f"The recording {path} is missing; there is nothing to recover.")
    with path.open("r+b") as wav:
        size = os.fstat(wav.fileno()).st_size
        riff = wav.read(12)
        if len(riff) < 12 or riff[:4] != b"RIFF" or riff[8:] != b"WAVE":
            raise LibraryError(
                f"Nothing can be recovered from {path}: the recording had not started "
                "(no audio was written)."
            )
        frame_bytes = 0
        position = 12
        while position + 8 <= size:
            wav.seek(position)
            chunk, declared = struct.unpack("<4sI", wav.read(8))
            if chunk == b"fmt ":
                (frame_bytes,) = struct.unpack("<H", wav.read(14)[12:14])
            elif chunk == b"data" and frame_bytes:
                start = position + 8
                if 0 < declared <= size - start:
                    return  # closed properly: the header is right
                data_bytes = (size - start) // frame_bytes * frame_bytes
                wav.truncate(start + data_bytes)
                wav.seek(position + 4)
                wav.write(struct.pack("<I", data_bytes))
                wav.seek(4)
                wav.write(struct.pack("<I", start + data_bytes - 8))
                wav.flush()
                os.fsync(wav.fileno())
                return
            position += 8 + declared + (declared & 1)
    raise LibraryError(f"Nothing can be recovered from {path}: it holds no audio.")
