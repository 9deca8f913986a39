"""Stand-ins for sounddevice: streams that play arrays into callbacks, and a device list.

They behave like PortAudio where the audio code depends on it: callbacks come from a thread of
their own, the input buffer is reused between callbacks, ``finished_callback`` fires when a
stream stops (asked or not), and opening with no device raises ``PortAudioError``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

try:
    import sounddevice

    PortAudioError: type[Exception] = sounddevice.PortAudioError
    CallbackStop: type[Exception] = sounddevice.CallbackStop
except OSError:  # no PortAudio: the audio code then ends streams with its own exception

    class PortAudioError(ValueError):  # type: ignore[no-redef]
        """Stands for sounddevice.PortAudioError. Without PortAudio the audio code counts only
        ValueError as a device error (voicemail_coach.audio.devices.device_errors)."""

    CallbackStop = Exception

FloatArray = npt.NDArray[np.float32]
FAKE_INPUT_THREAD = "fake-input-stream"
FAKE_OUTPUT_THREAD = "fake-output-stream"
# Pause between blocks when not real time: short, but lets the other threads run.
FAST_PACE_S = 0.0005


@dataclass(frozen=True)
class FakeStatus:
    """Like sounddevice.CallbackFlags, for the flags the audio code reads."""

    input_overflow: bool = False
    output_underflow: bool = False


class FakeInputStream:
    """A stream factory (pass it as ``stream_factory``) whose stream plays ``samples``.

    Calling the factory returns the factory itself, configured as the stream, so a test keeps
    one object to inspect. After the samples it feeds silence until stopped.

    Args:
        samples: float32 mono audio at the stream's sample rate.
        realtime: Pace blocks in real time; otherwise feed them as fast as threads allow.
        fail_after_s: Simulate the device going away after this much audio: feeding stops
            without ``stop()`` having been asked.
        failure: How the stream then behaves. ``"finished"``: it ends and calls
            ``finished_callback``, as PortAudio does. ``"inactive"``: it ends silently.
            ``"stall"``: it stays active, and ``stop()`` hangs until :meth:`release` (PortAudio
            over PulseAudio when the server goes away).
        overflow_blocks: Indices of blocks delivered with ``input_overflow`` set.
        silence_pace_s: Once the samples are fed, wait at least this long between the blocks
            of silence (not ``realtime``): a take that outgrows the time it was fed in would
            reach the app's auto-stop while a test waits on something else.
    """

    def __init__(
        self,
        samples: FloatArray,
        realtime: bool = False,
        fail_after_s: float | None = None,
        failure: Literal["finished", "inactive", "stall"] = "finished",
        overflow_blocks: tuple[int, ...] = (),
        silence_pace_s: float | None = None,
    ) -> None:
        self.silence_pace_s = silence_pace_s
        self.samples = np.asarray(samples, dtype=np.float32)
        self.realtime = realtime
        self.fail_after_s = fail_after_s
        self.failure = failure
        self.overflow_blocks = frozenset(overflow_blocks)
        self.kwargs: dict[str, Any] = {}
        self.active = False
        self.closed = False
        self.fed_frames = 0
        self.callback_threads: set[str] = set()
        self._halt = threading.Event()
        self._released = threading.Event()
        self._thread: threading.Thread | None = None
        self._finished_called = False

    def __call__(self, **kwargs: Any) -> FakeInputStream:
        if self.kwargs:
            raise RuntimeError("this FakeInputStream was opened already")
        self.kwargs = kwargs
        return self

    def start(self) -> None:
        self._halt.clear()
        self.active = True
        self._thread = threading.Thread(target=self._run, name=FAKE_INPUT_THREAD)
        self._thread.start()

    def stop(self) -> None:
        self._halt.set()
        if self._thread is not None:
            self._thread.join()
        if self.failure == "stall" and self.fed_frames >= self._fail_at_frame():
            self._released.wait()
        self.active = False
        self._finish()

    def abort(self) -> None:
        """Like PortAudio's: stop without draining (the fake has nothing buffered)."""
        self.stop()

    def close(self) -> None:
        if self.active:
            self.stop()
        self.closed = True

    def release(self) -> None:
        """Let a stalled stream's ``stop()`` return."""
        self._released.set()

    def _fail_at_frame(self) -> float:
        if self.fail_after_s is None:
            return np.inf
        return round(self.fail_after_s * int(self.kwargs["samplerate"]))

    def _run(self) -> None:
        rate = int(self.kwargs["samplerate"])
        channels = int(self.kwargs.get("channels") or 1)
        blocksize = int(self.kwargs.get("blocksize") or 1600)
        buffer = np.zeros((blocksize, channels), dtype=np.float32)  # reused, like PortAudio's
        began = time.monotonic()
        block = 0
        while not self._halt.is_set():
            if self.fed_frames >= self._fail_at_frame():
                self.active = self.failure == "stall"
                if self.failure == "finished":
                    self._finish()
                return
            chunk = self.samples[self.fed_frames : self.fed_frames + blocksize]
            buffer[:] = 0.0
            buffer[: len(chunk)] = chunk[:, np.newaxis]
            self.callback_threads.add(threading.current_thread().name)
            status = FakeStatus(input_overflow=block in self.overflow_blocks)
            self.kwargs["callback"](buffer, blocksize, None, status)
            self.fed_frames += blocksize
            block += 1
            pause = began + self.fed_frames / rate - time.monotonic() if self.realtime else 0
            fed = self.fed_frames >= len(self.samples)
            least = self.silence_pace_s if fed and self.silence_pace_s is not None else FAST_PACE_S
            self._halt.wait(max(pause, least))

    def _finish(self) -> None:
        finished = self.kwargs.get("finished_callback")
        if finished is not None and not self._finished_called:
            self._finished_called = True
            finished()


class FakeOutputStream:
    """A stream factory for playback: each call opens a stream that records what it plays.

    Streams pull blocks from the callback as fast as threads allow, starting from a buffer full
    of garbage (9.0) so a callback that leaves frames unwritten is caught.

    Args:
        blocksize: Frames per callback when the caller does not choose.
        stall: Streams hang in ``stop()``, ``abort()`` and ``close()`` until :meth:`release`,
            as PortAudio can when the device went away.
    """

    def __init__(self, blocksize: int = 512, stall: bool = False) -> None:
        self.blocksize = blocksize
        self.streams: list[FakeOutput] = []
        self.stalled = threading.Event()
        if not stall:
            self.stalled.set()

    def __call__(self, **kwargs: Any) -> FakeOutput:
        stream = FakeOutput(kwargs, int(kwargs.get("blocksize") or self.blocksize), self.stalled)
        self.streams.append(stream)
        return stream

    def release(self) -> None:
        """Let stalled streams stop."""
        self.stalled.set()

    @property
    def played(self) -> FloatArray:
        """Everything played by all streams so far, first channel, in order."""
        blocks = [b[:, 0] for s in self.streams for b in s.blocks]
        return np.concatenate(blocks) if blocks else np.zeros(0, dtype=np.float32)


class FakeOutput:
    """One output stream made by :class:`FakeOutputStream`."""

    def __init__(
        self, kwargs: dict[str, Any], blocksize: int, unstalled: threading.Event | None = None
    ) -> None:
        self.unstalled = unstalled or threading.Event()
        if unstalled is None:
            self.unstalled.set()
        self.kwargs = kwargs
        self.blocksize = blocksize
        self.blocks: list[FloatArray] = []
        self.active = False
        self.closed = False
        self.callback_error: BaseException | None = None
        self._halt = threading.Event()
        self._thread: threading.Thread | None = None
        self._finished_called = False

    def start(self) -> None:
        self.active = True
        self._thread = threading.Thread(target=self._run, name=FAKE_OUTPUT_THREAD)
        self._thread.start()

    def stop(self) -> None:
        self.unstalled.wait()
        self._halt.set()
        if self._thread is not None:
            self._thread.join()
        self.active = False
        self._finish()

    def abort(self) -> None:
        """Like PortAudio's: stop without playing out what is buffered (nothing is, here)."""
        self.stop()

    def close(self) -> None:
        if self.active:
            self.stop()
        self.closed = True

    def _run(self) -> None:
        channels = int(self.kwargs.get("channels") or 1)
        while not self._halt.is_set():
            outdata = np.full((self.blocksize, channels), 9.0, dtype=np.float32)
            try:
                self.kwargs["callback"](outdata, self.blocksize, None, FakeStatus())
            except CallbackStop:
                # PortAudio still plays the block the callback filled before stopping.
                self.blocks.append(outdata)
                break
            except Exception as exc:
                self.callback_error = exc
                break
            self.blocks.append(outdata)
            self._halt.wait(FAST_PACE_S)
        self.active = False
        self._finish()

    def _finish(self) -> None:
        finished = self.kwargs.get("finished_callback")
        if finished is not None and not self._finished_called:
            self._finished_called = True
            finished()


class NoDeviceStream:
    """A stream factory that fails as PortAudio does with no device to open."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, **kwargs: Any) -> Any:
        self.calls += 1
        raise PortAudioError("Error querying device -1")


def fake_sounddevice_module(
    inputs: list[dict[str, Any]], outputs: list[dict[str, Any]]
) -> SimpleNamespace:
    """A stand-in for the sounddevice module's device queries.

    Devices are numbered inputs first, then outputs; the first of each is the default (-1,
    PortAudio's "no device", when there is none). Each dict needs a ``name`` and may give any
    other ``query_devices`` key, e.g. ``max_output_channels`` for a device that does both.
    """
    hostapis = ({"name": "ALSA"}, {"name": "JACK Audio Connection Kit"})
    devices = []
    for kind, given in [("input", d) for d in inputs] + [("output", d) for d in outputs]:
        info = {
            "hostapi": 0,
            "max_input_channels": 2 if kind == "input" else 0,
            "max_output_channels": 2 if kind == "output" else 0,
            "default_samplerate": 48000.0,
            **given,
        }
        info["index"] = len(devices)
        devices.append(info)
    default = [0 if inputs else -1, len(inputs) if outputs else -1]
    return SimpleNamespace(
        query_devices=lambda: tuple(devices),
        query_hostapis=lambda: hostapis,
        default=SimpleNamespace(device=default),
    )


class SlowTranscriber:
    """Stands in for voicemail_coach.analysis.transcribe.Transcriber on a busy machine: each transcription
    reports progress in ``steps`` steps ``step_s`` apart, after ``stall_s`` with no news at all,
    then returns ``words`` (text, start, end), cut to the audio it was given."""

    name = "slow-fake"
    compute_type = "int8"

    def __init__(
        self,
        words: Sequence[tuple[str, float, float]],
        steps: int = 4,
        step_s: float = 0.2,
        stall_s: float = 0.0,
    ) -> None:
        from voicemail_coach.analysis.transcribe import ModelSpec

        self.words = list(words)
        self.steps = steps
        self.step_s = step_s
        self.stall_s = stall_s
        self.spec = ModelSpec(name="slow-fake", path=Path("/nonexistent/slow-fake"), bundled=False)
        self.calls = 0

    def transcribe(  # type: ignore[no-untyped-def]
        self, samples, progress=None, cancel=None, piece=False, context=None
    ):
        from voicemail_coach.analysis.transcribe import Cancelled, TranscriptionResult
        from voicemail_coach.analysis.transcript import Word

        self.calls += 1
        time.sleep(self.stall_s)
        for i in range(1, self.steps + 1):
            if cancel is not None and cancel.is_set():
                raise Cancelled()
            time.sleep(self.step_s)
            if progress is not None:
                progress(i / self.steps)
        duration = len(samples) / 16_000
        words = tuple(Word(t, s, e, 0.9) for t, s, e in self.words if e <= duration)
        return TranscriptionResult(words, " ".join(w.text for w in words), None, 1.0)


class FixedModels:
    """Stands in for voicemail_coach.app.controller.ModelHolder: always this transcriber, already loaded."""

    def __init__(self, transcriber: Any) -> None:
        self.transcriber = transcriber

    def get(self) -> Any:
        return self.transcriber

    def live_if_ready(self) -> Any:
        return self.transcriber
