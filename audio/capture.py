"""Record the microphone straight to a WAV file, with live level figures for the GUI.

Three threads take part. PortAudio's callback only copies each block into a queue (anything
slower there, even waiting for the GIL behind disk I/O, makes it drop audio). A writer thread
drains the queue into the file, flushing after every block so a crash loses at most a block,
and computes the level figures. The caller's thread starts and stops the recording and reads
the figures.
"""

from __future__ import annotations

import enum
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from time import monotonic
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt
import soundfile

from voicemail_coach.audio import oserrors
from voicemail_coach.audio.devices import (
    AudioUnavailable,
    device_errors,
    load_sounddevice,
    open_started,
    stop_and_close,
)
from voicemail_coach.audio.levels import CLIP_LEVEL, FLOOR_DB, to_dbfs

FloatArray = npt.NDArray[np.float32]

NO_MICROPHONE = (
    "No microphone found. Plug one in or choose another input in Settings. "
    "You can still open recordings."
)
DEVICE_LOST = (
    "The microphone stopped during recording (unplugged?). What was recorded so far is kept."
)
LEVEL_WINDOW_S = 0.1
CLIP_WINDOW_S = 0.5
# How long the writer waits for a block before asking whether the stream died without saying so.
POLL_S = 0.25
# No block for this long means the device is gone even if PortAudio says the stream is active
# (seen with ALSA over PulseAudio when the server goes away). PulseAudio can take 2 s to deliver
# the first block of a stream.
STALL_S = 5.0
# PortAudio can hang for good stopping such a stream; stop() leaves it behind after this long.
STREAM_STOP_TIMEOUT_S = 2.0
# Wall-clock time stop() allows beyond tail_s for the tail to arrive from a slow device.
TAIL_GRACE_S = 1.0
PCM16_SCALE = 32768.0


class RecordingError(Exception):
    """The recording could not start; the message is meant for the user as it is."""


@dataclass(frozen=True)
class LiveFigures:
    """What a level meter shows, all taken from the same moment of the recording."""

    elapsed_s: float
    level_dbfs: float
    peak_dbfs: float
    clipping: bool
    overflows: int


@dataclass(frozen=True)
class RecordingResult:
    """A finished recording: the WAV on disk, and what went wrong if anything did."""

    path: Path
    duration_s: float
    error: str | None
    overflows: int
    in_memory_only: bool = False  # the disk failed: the whole take is only in memory


class _Signal(enum.Enum):
    STOP = enum.auto()  # stop() was asked: record the tail, then ignore further blocks
    FINISHED = enum.auto()  # the stream ended (by our stop, or by itself: device lost)
    CLOSE = enum.auto()  # stop() closed the stream: nothing more will come


_Item: TypeAlias = tuple[FloatArray, bool] | _Signal
_QUIET = LiveFigures(0.0, FLOOR_DB, FLOOR_DB, False, 0)


class Recorder:
    """One recording from a microphone into a 16-bit WAV file.

    Args:
        path: The WAV file to write (created or overwritten).
        stream_factory: Builds the input stream; ``sounddevice.InputStream`` by default. Called
            with keyword arguments ``samplerate, channels, dtype, blocksize, device, callback,
            finished_callback``; returns an object with ``start()``, ``stop()``, ``close()``
            and ``active``.
        device: PortAudio device index or name; None for the system default.
        samplerate: Frames per second to record.
        channels: Channels to record (all are written; :meth:`samples` mixes them to mono).
        trim_start_s: Seconds dropped from the start, where the click of starting is.
        tail_s: Seconds still recorded after :meth:`stop` so the last word is not cut.
        blocksize: Frames per callback.
    """

    def __init__(
        self,
        path: Path,
        stream_factory: Callable[..., Any] | None = None,
        device: int | str | None = None,
        samplerate: int = 16000,
        channels: int = 1,
        trim_start_s: float = 0.3,
        tail_s: float = 0.5,
        blocksize: int = 1600,
    ) -> None:
        self.path = Path(path)
        self._stream_factory = stream_factory
        self._device = device
        self._samplerate = samplerate
        self._channels = channels
        self._blocksize = blocksize
        self._trim_frames = round(trim_start_s * samplerate)
        self._tail_s = tail_s
        self._tail_frames = round(tail_s * samplerate)
        self._level_frames = max(1, round(LEVEL_WINDOW_S * samplerate))
        self._clip_frames = max(1, round(CLIP_WINDOW_S * samplerate))
        self._queue: queue.Queue[_Item] = queue.Queue()
        self._live = _QUIET
        self._error: str | None = None
        self._stream: Any = None
        self._file: Any = None
        self._writer: threading.Thread | None = None
        self._tail_recorded = threading.Event()
        self._stop_lock = threading.Lock()
        self._result: RecordingResult | None = None
        # Owned by the writer thread until it has been joined.
        self._received_frames = 0
        self._written_frames = 0
        self._memory: list[npt.NDArray[np.int16]] = []
        self._disk_ok = True
        self._stop_at_frame: int | None = None
        self._last_block_s = 0.0
        self._recent: FloatArray = np.zeros((0, channels), dtype=np.float32)

    @property
    def live(self) -> LiveFigures:
        """The latest figures as one consistent snapshot; safe to read from any thread."""
        return self._live

    @property
    def elapsed_s(self) -> float:
        """Seconds of audio received from the microphone so far, trimmed start included."""
        return self._live.elapsed_s

    @property
    def level_dbfs(self) -> float:
        """RMS level of the latest ~100 ms, in dBFS."""
        return self._live.level_dbfs

    @property
    def peak_dbfs(self) -> float:
        """Peak level of the latest ~100 ms, in dBFS."""
        return self._live.peak_dbfs

    @property
    def clipping(self) -> bool:
        """Whether a sample in the latest ~0.5 s reached full scale."""
        return self._live.clipping

    @property
    def overflows(self) -> int:
        """Blocks for which PortAudio reported that input was lost (the system was too busy)."""
        return self._live.overflows

    @property
    def failed(self) -> bool:
        """Whether the recording stopped for good (device lost); see :attr:`error`. A disk
        error is not a failure: the take goes on in memory (see :attr:`disk_ok`)."""
        return self._error is not None and self._disk_ok

    @property
    def disk_ok(self) -> bool:
        """False once the disk refused a write; the take is then only complete in memory."""
        return self._disk_ok

    @property
    def error(self) -> str | None:
        """What went wrong, in words for the user; None while all is well."""
        return self._error

    def start(self) -> None:
        """Open the WAV file and the microphone and start recording.

        Raises:
            RecordingError: no audio system, no such microphone, or the file cannot be
                written. Nothing is left running and no file is left behind.
        """
        if self._stream is not None or self._result is not None:
            raise RuntimeError("a Recorder records once; make a new one")
        try:
            factory = self._stream_factory or load_sounddevice().InputStream
        except AudioUnavailable as exc:
            raise self._fail_to_start(str(exc)) from exc
        try:
            self._file = soundfile.SoundFile(
                str(self.path),
                mode="w",
                samplerate=self._samplerate,
                channels=self._channels,
                subtype="PCM_16",
                format="WAV",
            )
        except (OSError, RuntimeError) as exc:
            why = oserrors.write_cause(exc, self.path.parent)
            raise self._fail_to_start(f"Cannot write the recording to {self.path}: {why}") from exc
        try:
            self._stream = self._open_stream(factory)
        except BaseException as exc:
            self._file.close()
            self.path.unlink(missing_ok=True)
            # PortAudioError, or ValueError for a device name that matches nothing: "no
            # microphone". Anything else is a bug and goes on as itself.
            if isinstance(exc, device_errors()):
                raise self._fail_to_start(self._no_microphone_message()) from exc
            raise
        self._writer = threading.Thread(
            target=self._write_loop, name="recorder-writer", daemon=True
        )
        self._writer.start()

    def stop(self, tail_s: float | None = None) -> RecordingResult:
        """Record the tail, stop the microphone, finish the file and say how it went.

        Blocks for about the tail: ``tail_s`` if given (0 when the caller knows the take
        already ends in a pause), the constructor's otherwise. Safe to call again (returns the
        same result) and after a failure (start refused, device lost, disk error).
        """
        with self._stop_lock:
            if self._result is None:
                if tail_s is not None:
                    self._tail_s = tail_s
                    self._tail_frames = round(tail_s * self._samplerate)
                self._result = self._finish()
            return self._result

    def samples(self) -> FloatArray:
        """The whole take as float32 mono (channels averaged), from the copy kept in memory, so
        it is complete even when the disk refused part of it. Safe to call while recording
        (it then returns the take so far)."""
        blocks = list(self._memory)  # a snapshot: the writer thread may be appending
        if not blocks:
            return np.zeros(0, dtype=np.float32)
        pcm = np.concatenate(blocks).astype(np.float32) / PCM16_SCALE
        mono: FloatArray = np.ascontiguousarray(pcm.mean(axis=1), dtype=np.float32)
        return mono

    def _callback(self, indata: FloatArray, frames: int, time: Any, status: Any) -> None:
        # PortAudio reuses indata's buffer, hence the copy. Nothing else belongs here.
        self._queue.put_nowait((indata.copy(), bool(status.input_overflow)))

    def _finished_callback(self) -> None:
        self._queue.put_nowait(_Signal.FINISHED)

    def _open_stream(self, factory: Callable[..., Any]) -> Any:
        return open_started(
            factory,
            samplerate=self._samplerate,
            channels=self._channels,
            dtype="float32",
            blocksize=self._blocksize,
            device=self._device,
            callback=self._callback,
            finished_callback=self._finished_callback,
        )

    def _no_microphone_message(self) -> str:
        if self._device is None:
            return NO_MICROPHONE
        return (
            f"The microphone {self._device!r} is not available. Plug it in or choose another "
            "input in Settings. You can still open recordings."
        )

    def _fail_to_start(self, message: str) -> RecordingError:
        self._error = message
        return RecordingError(message)

    def _finish(self) -> RecordingResult:
        if self._writer is None:
            return RecordingResult(self.path, 0.0, self._error, 0)
        self._queue.put(_Signal.STOP)
        self._tail_recorded.wait(self._tail_s + TAIL_GRACE_S)
        stop_and_close(self._stream, "recorder-stream-stop", STREAM_STOP_TIMEOUT_S)
        self._queue.put(_Signal.CLOSE)
        self._writer.join()
        return RecordingResult(
            path=self.path,
            duration_s=self._written_frames / self._samplerate,
            error=self._error,
            overflows=self._live.overflows,
            in_memory_only=not self._disk_ok,
        )

    def _write_loop(self) -> None:
        self._last_block_s = monotonic()
        try:
            while self._handle(self._next_item()):
                pass
        except (OSError, RuntimeError) as exc:
            self._error = (
                f"Could not write the recording to disk ({exc}). What was recorded so far is kept."
            )
        finally:
            self._file.close()
            self._tail_recorded.set()

    def _next_item(self) -> _Item | None:
        try:
            return self._queue.get(timeout=POLL_S)
        except queue.Empty:
            return None

    def _handle(self, item: _Item | None) -> bool:
        """Process one queue item; False when the recording is over."""
        if item is None or item is _Signal.FINISHED:
            if self._stop_at_frame is not None:
                # Asked to stop: the stream may be closed already, so wait for CLOSE.
                return item is None
            # Some hosts stop calling back without a finished callback when a device goes.
            lost = (
                item is _Signal.FINISHED
                or not self._stream.active
                or monotonic() - self._last_block_s > STALL_S
            )
            if lost:
                self._error = DEVICE_LOST
            return not lost
        if item is _Signal.CLOSE:
            return False
        if item is _Signal.STOP:
            self._stop_at_frame = self._received_frames + self._tail_frames
        else:
            self._take(*item)
        if self._stop_at_frame is not None and self._received_frames >= self._stop_at_frame:
            self._tail_recorded.set()
        return True

    def _take(self, block: FloatArray, overflow: bool) -> None:
        self._last_block_s = monotonic()
        first = self._received_frames
        self._received_frames += len(block)
        end = self._received_frames
        if self._stop_at_frame is not None:
            end = min(end, self._stop_at_frame)
        begin = max(first, self._trim_frames)
        if end > begin:
            self._write(block[begin - first : end - first])
        if end > first:
            self._update_live(block[: end - first], overflow, end)

    def _write(self, block: FloatArray) -> None:
        # Round to int16 ourselves: libsndfile scales floats by 32767 on write but reads back
        # dividing by 32768, so 16-bit input would not come back bit-exact.
        pcm = np.clip(np.round(block * PCM16_SCALE), -PCM16_SCALE, PCM16_SCALE - 1)
        pcm16 = pcm.astype(np.int16)
        # A voicemail is small (2 MB a minute): a copy in memory survives a full or failing disk.
        self._memory.append(pcm16.reshape(len(block), -1))
        self._written_frames += len(block)
        if not self._disk_ok:
            return
        try:
            self._file.write(pcm16)
            self._file.flush()
        except (OSError, RuntimeError) as exc:
            self._disk_ok = False
            why = oserrors.write_cause(exc, self.path.parent)
            self._error = (
                f"Could not write the recording to disk ({why}). The take is kept in memory: "
                "save it somewhere else before closing the app."
            )

    def _update_live(self, block: FloatArray, overflow: bool, elapsed_frames: int) -> None:
        self._recent = np.concatenate((self._recent, block))[-self._clip_frames :]
        latest = self._recent[-self._level_frames :].astype(np.float64)
        rms = float(np.sqrt(np.mean(np.square(latest))))
        peak = float(np.max(np.abs(latest)))
        self._live = LiveFigures(
            elapsed_s=elapsed_frames / self._samplerate,
            level_dbfs=to_dbfs(rms),
            peak_dbfs=to_dbfs(peak),
            clipping=bool(np.max(np.abs(self._recent)) >= CLIP_LEVEL),
            overflows=self._live.overflows + int(overflow),
        )
