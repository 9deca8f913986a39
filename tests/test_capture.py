"""Recording (voicemail_coach.audio.capture) through fake input streams, and device listing (voicemail_coach.audio.devices)."""

from __future__ import annotations

import importlib.abc
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pytest
import soundfile

from tests.fakes import (
    FAKE_INPUT_THREAD,
    FakeInputStream,
    NoDeviceStream,
    fake_sounddevice_module,
)
from voicemail_coach.audio.capture import DEVICE_LOST, NO_MICROPHONE, Recorder, RecordingError
from voicemail_coach.audio.devices import (
    NO_PORTAUDIO,
    AudioUnavailable,
    Device,
    default_input,
    default_output,
    find_device,
    input_devices,
    load_sounddevice,
    output_devices,
)
from voicemail_coach.audio.levels import frame_dbfs, to_dbfs

AUDIO = Path(__file__).resolve().parent / "data" / "audio"
RATE = 16_000
TRIM = 4800  # 0.3 s
TAIL_S = 0.5
BLOCK = 1600
# Written samples equal the source within float -> int16 rounding.
QUANTUM = 1.0 / 32768


@pytest.fixture(autouse=True)
def no_thread_left() -> Iterator[None]:
    before = set(threading.enumerate())
    yield
    left = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    assert left == [], f"threads still running: {[t.name for t in left]}"


@pytest.fixture(scope="module")
def good() -> npt.NDArray[np.float32]:
    samples, rate = soundfile.read(str(AUDIO / "good.flac"), dtype="float32")
    assert rate == RATE
    return np.asarray(samples, dtype=np.float32)


def wait_for(condition: Callable[[], bool], timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.002)


def span_dbfs(samples: npt.NDArray[np.float32]) -> float:
    """RMS level of a span from voicemail_coach.audio.levels' 20 ms frame levels, energy-averaged."""
    db = frame_dbfs(samples, RATE)
    return to_dbfs(float(np.sqrt(np.mean(10 ** (db / 10)))))


def test_records_the_source_minus_the_start_plus_the_tail(
    tmp_path: Path, good: npt.NDArray[np.float32]
) -> None:
    fake = FakeInputStream(good)
    recorder = Recorder(tmp_path / "take.wav", fake)
    recorder.start()
    wait_for(lambda: recorder.elapsed_s >= len(good) / RATE)
    elapsed_before_stop = recorder.elapsed_s
    result = recorder.stop()

    assert result.error is None and result.overflows == 0
    assert result.path == tmp_path / "take.wav"
    written, rate = soundfile.read(str(result.path), dtype="float32")
    assert rate == RATE and result.duration_s == len(written) / RATE
    body = len(good) - TRIM
    np.testing.assert_allclose(written[:body], good[TRIM:], rtol=0, atol=QUANTUM)
    assert not written[body:].any(), "after the source the fake feeds silence"
    # Exactly the trimmed start is missing; the tail runs on at least tail_s past what the
    # writer had seen when stop() was asked (more audio may have been queued by then).
    # test_real_time_pacing_records_the_same bounds the tail from above.
    assert result.duration_s == pytest.approx(recorder.elapsed_s - TRIM / RATE, abs=1e-9)
    assert recorder.elapsed_s - elapsed_before_stop >= TAIL_S
    np.testing.assert_array_equal(recorder.samples(), written)
    assert fake.closed and not fake.active
    assert fake.kwargs["dtype"] == "float32" and fake.kwargs["blocksize"] == BLOCK
    assert fake.kwargs["samplerate"] == RATE and fake.kwargs["channels"] == 1


def test_live_level_matches_the_level_analysis(
    tmp_path: Path, good: npt.NDArray[np.float32]
) -> None:
    recorder = Recorder(tmp_path / "take.wav", FakeInputStream(good))
    recorder.start()
    snapshots = []
    for target_s in (2.0, 5.0, 9.0, 14.0):
        wait_for(lambda t=target_s: recorder.elapsed_s >= t)
        snapshots.append(recorder.live)
    recorder.stop()

    for live in snapshots:
        end = round(live.elapsed_s * RATE)
        span = good[end - BLOCK : end]
        assert live.level_dbfs == pytest.approx(span_dbfs(span), abs=3.0), live
        assert live.peak_dbfs == pytest.approx(to_dbfs(float(np.max(np.abs(span)))), abs=0.01)
        assert live.peak_dbfs >= live.level_dbfs
        assert not live.clipping
    assert any(live.level_dbfs > -40 for live in snapshots), "some snapshot caught speech"


@pytest.mark.parametrize("amplitude, clipping", [(1.0, True), (0.5, False)])
def test_clipping_and_overflows_are_reported(
    tmp_path: Path, amplitude: float, clipping: bool
) -> None:
    square = np.where(np.arange(60 * RATE) % 40 < 20, amplitude, -amplitude).astype(np.float32)
    fake = FakeInputStream(square, overflow_blocks=(3, 7))
    recorder = Recorder(tmp_path / "take.wav", fake, tail_s=0.0)
    recorder.start()
    wait_for(lambda: recorder.elapsed_s >= 1.5)
    result = recorder.stop()

    assert recorder.clipping is clipping
    assert result.overflows == 2 == recorder.overflows
    assert recorder.peak_dbfs == pytest.approx(to_dbfs(amplitude), abs=0.01)


def test_callback_only_queues_and_the_writer_does_the_io(
    tmp_path: Path, good: npt.NDArray[np.float32], monkeypatch: pytest.MonkeyPatch
) -> None:
    io_threads: set[str] = set()
    real_write, real_flush = soundfile.SoundFile.write, soundfile.SoundFile.flush

    def write(self: soundfile.SoundFile, data: Any) -> Any:
        io_threads.add(threading.current_thread().name)
        return real_write(self, data)

    def flush(self: soundfile.SoundFile) -> Any:
        io_threads.add(threading.current_thread().name)
        return real_flush(self)

    monkeypatch.setattr(soundfile.SoundFile, "write", write)
    monkeypatch.setattr(soundfile.SoundFile, "flush", flush)
    python_calls: set[tuple[str, str]] = set()
    c_calls: set[str] = set()

    def profile(frame: Any, event: str, arg: Any) -> None:
        if event == "call":
            python_calls.add((frame.f_globals.get("__name__"), frame.f_code.co_name))
        elif event == "c_call":
            c_calls.add(getattr(arg, "__qualname__", repr(arg)))

    fake = FakeInputStream(good[: 2 * RATE])

    def factory(**kwargs: Any) -> FakeInputStream:
        callback = kwargs["callback"]

        def profiled_callback(*args: Any) -> None:
            sys.setprofile(profile)
            try:
                callback(*args)
            finally:
                sys.setprofile(None)

        return fake(**{**kwargs, "callback": profiled_callback})

    recorder = Recorder(tmp_path / "take.wav", factory)
    recorder.start()
    wait_for(lambda: recorder.elapsed_s >= 1.0)
    recorder.stop()

    assert fake.callback_threads == {FAKE_INPUT_THREAD}
    assert io_threads == {"recorder-writer"}
    assert {module for module, _ in python_calls} <= {
        "voicemail_coach.audio.capture",
        "queue",
        "threading",
    }
    assert c_calls <= {"ndarray.copy", "setprofile"} | _LOCKING


# What queue.Queue.put does inside: its deque, and the lock and waiters of its condition.
_LOCKING = {
    "deque.append",
    "deque.remove",
    "lock.__enter__",
    "lock.__exit__",
    "lock.acquire",
    "lock.release",
}


@pytest.mark.parametrize("failure", ["finished", "inactive", "stall"])
def test_device_lost_keeps_what_was_recorded(
    tmp_path: Path,
    good: npt.NDArray[np.float32],
    failure: Literal["finished", "inactive", "stall"],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("voicemail_coach.audio.capture.STALL_S", 0.3)
    monkeypatch.setattr("voicemail_coach.audio.capture.STREAM_STOP_TIMEOUT_S", 0.2)
    fake = FakeInputStream(good, fail_after_s=5.0, failure=failure)
    recorder = Recorder(tmp_path / "take.wav", fake)
    recorder.start()
    wait_for(lambda: recorder.failed)
    assert recorder.error == DEVICE_LOST
    # Everything that arrived is on disk and the file is complete before stop() is called.
    on_disk = soundfile.info(str(tmp_path / "take.wav")).frames
    assert on_disk / RATE == pytest.approx(5.0 - 0.3, abs=0.15)

    asked = time.monotonic()
    result = recorder.stop()
    assert time.monotonic() - asked < 1.0, "a stream that hangs on stop() is left behind"
    assert result.error == DEVICE_LOST
    assert result.duration_s == pytest.approx(5.0 - 0.3, abs=0.15)
    written, _ = soundfile.read(str(result.path), dtype="float32")
    assert len(written) == on_disk
    np.testing.assert_allclose(written, good[TRIM : TRIM + len(written)], rtol=0, atol=QUANTUM)
    assert recorder.stop() is result
    fake.release()
    wait_for(lambda: fake.closed)


def test_no_device_gives_a_clear_message_and_leaves_nothing(tmp_path: Path) -> None:
    recorder = Recorder(tmp_path / "take.wav", NoDeviceStream())
    with pytest.raises(RecordingError) as caught:
        recorder.start()
    assert str(caught.value) == NO_MICROPHONE
    assert not (tmp_path / "take.wav").exists()
    assert recorder.failed
    first = recorder.stop()
    assert first.error == NO_MICROPHONE and first.duration_s == 0.0
    assert recorder.stop() == first


def test_a_bug_opening_the_stream_is_a_bug_not_no_microphone(tmp_path: Path) -> None:
    """Only PortAudio's error (or a device name matching nothing) means "no microphone"; a
    mistake in the code surfaces as itself, and still leaves no file behind."""

    def buggy_factory(**kwargs: Any) -> Any:
        raise TypeError("InputStream() got an unexpected keyword argument 'finished'")

    recorder = Recorder(tmp_path / "take.wav", buggy_factory)
    with pytest.raises(TypeError, match="unexpected keyword"):
        recorder.start()
    assert not (tmp_path / "take.wav").exists()


def test_a_missing_chosen_microphone_is_named(tmp_path: Path) -> None:
    recorder = Recorder(tmp_path / "take.wav", NoDeviceStream(), device="USB Headset")
    with pytest.raises(RecordingError, match="'USB Headset' is not available"):
        recorder.start()


def test_no_audio_system_is_reported_as_a_recording_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing() -> Any:
        raise AudioUnavailable(NO_PORTAUDIO)

    monkeypatch.setattr("voicemail_coach.audio.capture.load_sounddevice", missing)
    with pytest.raises(RecordingError) as caught:
        Recorder(tmp_path / "take.wav").start()
    assert str(caught.value) == NO_PORTAUDIO


def test_unwritable_path_is_a_recording_error(tmp_path: Path) -> None:
    recorder = Recorder(tmp_path / "no such folder" / "take.wav", FakeInputStream(np.zeros(10)))
    with pytest.raises(RecordingError, match="Cannot write the recording"):
        recorder.start()
    assert recorder.stop().error is not None


def test_stop_twice_returns_the_same_result_and_stops_every_thread(
    tmp_path: Path, good: npt.NDArray[np.float32]
) -> None:
    fake = FakeInputStream(good)
    recorder = Recorder(tmp_path / "take.wav", fake)
    recorder.start()
    wait_for(lambda: recorder.elapsed_s >= 1.0)
    first = recorder.stop()
    assert recorder.stop() is first
    assert not any(t.name in ("recorder-writer", FAKE_INPUT_THREAD) for t in threading.enumerate())
    with pytest.raises(RuntimeError):
        recorder.start()


def test_stop_before_start_is_harmless(tmp_path: Path) -> None:
    result = Recorder(tmp_path / "take.wav", FakeInputStream(np.zeros(10))).stop()
    assert result.duration_s == 0.0 and result.error is None


def test_real_time_pacing_records_the_same(tmp_path: Path, good: npt.NDArray[np.float32]) -> None:
    recorder = Recorder(tmp_path / "take.wav", FakeInputStream(good, realtime=True))
    started = time.monotonic()
    recorder.start()
    wait_for(lambda: recorder.elapsed_s >= 0.8)
    result = recorder.stop()
    assert time.monotonic() - started >= 0.8 + TAIL_S - 0.1
    written = recorder.samples()
    assert result.duration_s == pytest.approx(0.8 - 0.3 + TAIL_S, abs=0.25)
    np.testing.assert_allclose(written, good[TRIM : TRIM + len(written)], rtol=0, atol=QUANTUM)


# --- devices -----------------------------------------------------------------------------


@pytest.fixture
def fake_sd() -> Any:
    return fake_sounddevice_module(
        inputs=[{"name": "Built-in Mic"}, {"name": "USB Headset", "max_output_channels": 2}],
        outputs=[{"name": "Speakers", "hostapi": 1, "default_samplerate": 44100.0}],
    )


def test_devices_are_split_into_inputs_and_outputs(fake_sd: Any) -> None:
    assert [d.name for d in input_devices(fake_sd)] == ["Built-in Mic", "USB Headset"]
    assert [d.name for d in output_devices(fake_sd)] == ["USB Headset", "Speakers"]
    assert output_devices(fake_sd)[1] == Device(
        index=2,
        name="Speakers",
        hostapi="JACK Audio Connection Kit",
        max_input_channels=0,
        max_output_channels=2,
        default_samplerate=44100.0,
    )


def test_defaults_and_find_by_exact_name(fake_sd: Any) -> None:
    default_in, default_out = default_input(fake_sd), default_output(fake_sd)
    assert default_in is not None and default_in.name == "Built-in Mic"
    assert default_out is not None and default_out.name == "Speakers"
    headset = find_device("USB Headset", "input", fake_sd)
    assert headset is not None and headset.index == 1
    assert find_device("USB Headset", "output", fake_sd) == headset
    assert find_device("Speakers", "input", fake_sd) is None
    assert find_device("USB", "input", fake_sd) is None, "names must match exactly"
    fake_sd.default.device = ["USB Headset", -1]
    assert default_input(fake_sd) == headset
    assert default_output(fake_sd) is None


def test_no_devices_at_all() -> None:
    empty = fake_sounddevice_module(inputs=[], outputs=[])
    assert input_devices(empty) == [] and output_devices(empty) == []
    assert default_input(empty) is None and default_output(empty) is None


class _NoPortAudio(importlib.abc.MetaPathFinder):
    def find_spec(self, name: str, path: Any, target: Any = None) -> None:
        if name == "sounddevice":
            raise OSError("PortAudio library not found")


@pytest.fixture
def fresh_sounddevice_cache() -> Iterator[None]:
    load_sounddevice.cache_clear()
    yield
    load_sounddevice.cache_clear()


@pytest.mark.usefixtures("fresh_sounddevice_cache")
def test_missing_portaudio_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "sounddevice", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_NoPortAudio(), *sys.meta_path])
    with pytest.raises(AudioUnavailable) as caught:
        load_sounddevice()
    assert str(caught.value) == NO_PORTAUDIO
    assert "sudo apt install libportaudio2" in str(caught.value)
    with pytest.raises(AudioUnavailable):
        input_devices()


def test_real_portaudio_without_a_microphone(tmp_path: Path) -> None:
    """On this machine's real PortAudio with no sound card, recording explains itself."""
    try:
        inputs = input_devices()
    except AudioUnavailable:
        pytest.skip("PortAudio is not installed")
    if inputs:
        pytest.skip("this machine has a microphone")
    assert default_input() is None
    with pytest.raises(RecordingError) as caught:
        Recorder(tmp_path / "take.wav").start()
    assert str(caught.value) == NO_MICROPHONE
    assert not (tmp_path / "take.wav").exists()
