"""Load any supported audio file as 16 kHz mono float32, with clear errors for bad input."""

from __future__ import annotations

import errno
import gc
import stat
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt

from voicemail_coach.audio import oserrors

SAMPLE_RATE = 16_000
SUPPORTED_SUFFIXES = (".wav", ".flac", ".ogg", ".oga", ".opus", ".mp3", ".m4a", ".aac", ".mp4")
DEFAULT_MAX_DURATION_S = 15 * 60.0
# Peak below this (about -66 dBFS) means nothing was recorded at all.
SILENCE_PEAK = 5e-4
# Errors reading the disk, told apart from a file that is no audio.
_CANNOT_READ = {errno.EACCES, errno.EPERM, errno.EIO}

FloatArray = npt.NDArray[np.float32]


class AudioLoadError(Exception):
    """A file that cannot be analyzed; the message is meant for the user as it is."""


@dataclass(frozen=True)
class Audio:
    """Decoded audio ready for analysis."""

    samples: FloatArray
    sample_rate: int
    source_path: str
    source_rate: int
    source_channels: int
    truncated: bool = False

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.sample_rate


def load_audio(path: str | Path, max_duration_s: float = DEFAULT_MAX_DURATION_S) -> Audio:
    """Decode ``path`` to 16 kHz mono float32.

    Raises:
        AudioLoadError: the file is missing, empty, not audio, too long, or silent.
    """
    p = Path(path)
    _check_readable(p)
    try:
        audio = _decode(p, max_duration_s)
    except AudioLoadError:
        raise
    except OSError as exc:
        if exc.errno in _CANNOT_READ:
            raise AudioLoadError(f"{p}: cannot be read ({oserrors.cause(exc)})") from exc
        raise AudioLoadError(
            f"{p}: not a readable audio file (supported: wav, flac, ogg, mp3, m4a)"
        ) from exc
    except (av.error.FFmpegError, ValueError, IndexError) as exc:
        raise AudioLoadError(
            f"{p}: not a readable audio file (supported: wav, flac, ogg, mp3, m4a)"
        ) from exc
    if audio.samples.size == 0:
        raise AudioLoadError(f"{p}: contains no audio samples")
    if float(np.max(np.abs(audio.samples))) < SILENCE_PEAK:
        raise AudioLoadError(f"{p}: the recording is silent (no sound above -66 dBFS)")
    return audio


def _check_readable(p: Path) -> None:
    """Refuse what is no saved file, naming the real cause. A pipe or a device is refused
    before it is opened: opening a pipe waits for a writer, and /dev/zero never ends."""
    try:
        info = p.stat()
    except FileNotFoundError:
        raise AudioLoadError(f"{p}: no such file") from None
    except OSError as exc:
        raise AudioLoadError(f"{p}: cannot be read ({oserrors.cause(exc)})") from None
    if stat.S_ISDIR(info.st_mode):
        raise AudioLoadError(f"{p}: is a folder, not an audio file")
    if not stat.S_ISREG(info.st_mode):
        raise AudioLoadError(
            f"{p}: not a regular file (a device, pipe or socket); choose a saved recording"
        )
    try:
        with open(p, "rb") as handle:
            handle.read(1)
    except OSError as exc:
        raise AudioLoadError(f"{p}: cannot be read ({oserrors.cause(exc)})") from None
    if info.st_size == 0:
        raise AudioLoadError(f"{p}: the file is empty (0 bytes)")


def _decode(p: Path, max_duration_s: float) -> Audio:
    # Keep the channels and average them ourselves: FFmpeg's stereo-to-mono mix adds the
    # channels at -3 dB each, which makes stereo recordings louder and can fake clipping.
    resampler = av.audio.resampler.AudioResampler(format="fltp", layout=None, rate=SAMPLE_RATE)
    chunks: list[FloatArray] = []
    truncated = False
    with av.open(str(p), mode="r", metadata_errors="ignore") as container:
        if not container.streams.audio:
            raise AudioLoadError(f"{p}: has no audio track")
        stream = container.streams.audio[0]
        declared_s = _declared_duration_s(container, stream)
        if declared_s is not None and declared_s > max_duration_s:
            raise AudioLoadError(
                f"{p}: is {_span(declared_s)} long; a voicemail to analyze must be "
                f"under {_span(max_duration_s)}"
            )
        source_rate = int(stream.codec_context.sample_rate or 0)
        source_channels = int(stream.codec_context.channels or 0)
        decoded = 0
        try:
            for frame in container.decode(stream):
                frame.pts = None
                for out in resampler.resample(frame):
                    chunk = _mono(out)
                    chunks.append(chunk)
                    decoded += chunk.size
                if decoded > max_duration_s * SAMPLE_RATE:
                    raise AudioLoadError(
                        f"{p}: is over {_span(max_duration_s)} long; a voicemail to "
                        "analyze must be shorter"
                    )
        except av.error.InvalidDataError:
            # A damaged tail: keep what decoded, say the file is truncated.
            truncated = True
        for out in resampler.resample(None):
            chunks.append(_mono(out))
    # PyAV keeps native buffers alive until collected; long files otherwise pile up.
    gc.collect()
    samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
    if declared_s is not None and samples.size < 0.95 * declared_s * SAMPLE_RATE - SAMPLE_RATE:
        truncated = True
    return Audio(
        samples=np.clip(samples, -1.0, 1.0),
        sample_rate=SAMPLE_RATE,
        source_path=str(p),
        source_rate=source_rate,
        source_channels=source_channels,
        truncated=truncated,
    )


def _mono(frame: av.AudioFrame) -> FloatArray:
    planes = frame.to_ndarray().astype(np.float32, copy=False)
    mono: FloatArray = (
        planes.mean(axis=0) if planes.ndim == 2 and planes.shape[0] > 1 else planes.reshape(-1)
    )
    return mono


def _span(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.1f} min"


def _declared_duration_s(
    container: av.container.InputContainer, stream: av.AudioStream
) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return float(container.duration) / 1_000_000
    return None


def save_flac(path: str | Path, samples: FloatArray, sample_rate: int = SAMPLE_RATE) -> None:
    """Write mono float samples as 16-bit FLAC."""
    import soundfile

    soundfile.write(str(path), samples, sample_rate, subtype="PCM_16", format="FLAC")
