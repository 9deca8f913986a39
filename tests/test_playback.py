"""Playback (voicemail_coach.audio.playback) through fake output streams, and the practice greeting."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
import soundfile

import voicemail_coach.audio.greeting
from tests.fakes import FakeOutputStream, NoDeviceStream
from voicemail_coach.audio.devices import NO_PORTAUDIO, AudioUnavailable, output_devices
from voicemail_coach.audio.greeting import greeting_and_beep, make_beep, practice_greeting
from voicemail_coach.audio.playback import NO_SPEAKER, PlaybackError, Player

AUDIO = Path(__file__).resolve().parent / "data" / "audio"
GREETING = Path(__file__).resolve().parent.parent / "resources" / "greeting"
RATE = 16_000


@pytest.fixture(autouse=True)
def no_thread_left() -> Iterator[None]:
    before = set(threading.enumerate())
    yield
    left = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    assert left == [], f"threads still running: {[t.name for t in left]}"


@pytest.fixture(scope="module")
def clip() -> npt.NDArray[np.float32]:
    samples, _ = soundfile.read(str(AUDIO / "good.flac"), dtype="float32", frames=5 * RATE)
    return np.asarray(samples, dtype=np.float32)


def wait_for(condition: Callable[[], bool], timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.002)


def assert_played(played: npt.NDArray[np.float32], expected: npt.NDArray[np.float32]) -> None:
    """``played`` is ``expected`` exactly, then silence to the end of the last block."""
    np.testing.assert_array_equal(played[: len(expected)], expected)
    assert not played[len(expected) :].any()


def test_plays_exactly_the_loaded_samples_from_the_seek_point(
    clip: npt.NDArray[np.float32],
) -> None:
    output = FakeOutputStream()
    player = Player(output)
    player.load(clip, RATE)
    assert player.duration_s == 5.0 and player.position_s == 0.0
    player.seek(2.0)
    player.play()
    assert player.playing
    wait_for(lambda: not player.playing)

    assert_played(output.played, clip[2 * RATE :])
    assert len(output.played) - (len(clip) - 2 * RATE) < output.blocksize
    assert player.position_s == 5.0
    assert output.streams[0].kwargs["samplerate"] == RATE
    assert output.streams[0].callback_error is None
    player.close()
    assert output.streams[0].closed


def test_pause_keeps_the_position_and_play_resumes_from_it(
    clip: npt.NDArray[np.float32],
) -> None:
    output = FakeOutputStream()
    player = Player(output)
    player.load(clip, RATE)
    player.toggle()
    wait_for(lambda: player.position_s >= 1.0)
    player.toggle()
    assert not player.playing
    paused_at = round(player.position_s * RATE)
    assert_played(output.played, clip[:paused_at])
    assert len(output.played) == paused_at

    player.play()
    wait_for(lambda: not player.playing)
    assert_played(output.played, clip)
    assert len(output.streams) == 2 and all(s.closed for s in output.streams[:1])
    player.close()


def test_play_after_the_end_starts_again_and_seek_is_clamped(
    clip: npt.NDArray[np.float32],
) -> None:
    output = FakeOutputStream()
    player = Player(output)
    player.load(clip[:RATE], RATE)
    player.seek(99.0)
    assert player.position_s == 1.0
    player.play()
    wait_for(lambda: not player.playing)
    player.seek(-1.0)
    assert player.position_s == 0.0
    player.seek(0.5)
    player.play()
    wait_for(lambda: not player.playing)
    last = np.concatenate(output.streams[-1].blocks)[:, 0]
    assert_played(last, clip[RATE // 2 : RATE])
    player.close()


def test_load_replaces_the_clip_and_stops_playback(clip: npt.NDArray[np.float32]) -> None:
    output = FakeOutputStream()
    player = Player(output)
    player.load(clip, RATE)
    player.play()
    player.load(clip[:800], 8000)
    assert not player.playing and player.position_s == 0.0 and player.duration_s == 0.1
    assert output.streams[0].closed
    with pytest.raises(ValueError, match="mono"):
        player.load(np.zeros((10, 2), dtype=np.float32), RATE)
    player.close()


def test_play_with_nothing_loaded_does_nothing() -> None:
    output = FakeOutputStream()
    player = Player(output)
    player.play()
    assert not player.playing and output.streams == []


def test_no_output_device_gives_a_clear_message(clip: npt.NDArray[np.float32]) -> None:
    player = Player(NoDeviceStream())
    player.load(clip, RATE)
    with pytest.raises(PlaybackError) as caught:
        player.play()
    assert str(caught.value) == NO_SPEAKER
    assert not player.playing
    named = Player(NoDeviceStream(), device="Speakers")
    named.load(clip, RATE)
    with pytest.raises(PlaybackError, match="'Speakers' is not available"):
        named.play()


def test_no_audio_system_is_a_playback_error(
    clip: npt.NDArray[np.float32], monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing() -> Any:
        raise AudioUnavailable(NO_PORTAUDIO)

    monkeypatch.setattr("voicemail_coach.audio.playback.load_sounddevice", missing)
    player = Player()
    player.load(clip, RATE)
    with pytest.raises(PlaybackError) as caught:
        player.play()
    assert str(caught.value) == NO_PORTAUDIO


def test_real_portaudio_without_a_speaker(clip: npt.NDArray[np.float32]) -> None:
    try:
        outputs = output_devices()
    except AudioUnavailable:
        pytest.skip("PortAudio is not installed")
    if outputs:
        pytest.skip("this machine has an output device")
    player = Player()
    player.load(clip, RATE)
    with pytest.raises(PlaybackError) as caught:
        player.play()
    assert str(caught.value) == NO_SPEAKER


# --- greeting ----------------------------------------------------------------------------


def test_beep_is_a_faded_half_scale_sine() -> None:
    beep = make_beep()
    assert beep.dtype == np.float32 and len(beep) == round(0.45 * RATE)
    assert float(np.max(np.abs(beep))) == pytest.approx(0.5, abs=1e-3)
    assert abs(beep[0]) < 1e-6 and abs(beep[-1]) < 0.01
    assert float(np.max(np.abs(beep[:80]))) < 0.5 * 0.6, "fades in over 10 ms"
    spectrum = np.abs(np.fft.rfft(beep))
    assert np.fft.rfftfreq(len(beep), 1 / RATE)[np.argmax(spectrum)] == pytest.approx(1000, abs=5)


def test_greeting_then_pause_then_beep() -> None:
    audio, beep_end_s = greeting_and_beep(RATE)
    voice, rate = soundfile.read(str(GREETING / "greeting.flac"), dtype="float32")
    assert rate == RATE
    assert audio.dtype == np.float32
    assert beep_end_s == len(audio) / RATE
    assert beep_end_s == pytest.approx(len(voice) / RATE + 0.3 + 0.45, abs=1e-3)
    np.testing.assert_array_equal(audio[: len(voice)], voice)
    gap = audio[len(voice) : len(voice) + round(0.3 * RATE)]
    assert not gap.any()
    np.testing.assert_array_equal(audio[-len(make_beep()) :], make_beep())
    assert "Northwind Logistics" in (GREETING / "greeting.txt").read_text(encoding="utf-8")


def test_greeting_is_resampled_to_the_output_rate() -> None:
    audio_16k, end_16k = greeting_and_beep(RATE)
    audio_48k, end_48k = greeting_and_beep(48_000)
    assert end_48k == pytest.approx(end_16k, abs=1e-3)
    assert len(audio_48k) == pytest.approx(3 * len(audio_16k), abs=3)
    level = float(np.sqrt(np.mean(np.square(audio_16k))))
    assert float(np.sqrt(np.mean(np.square(audio_48k)))) == pytest.approx(level, rel=0.05)


def test_pause_never_hangs_on_a_stream_that_will_not_stop(
    clip: npt.NDArray[np.float32],
) -> None:
    """A device that went away can hang PortAudio's stop for good; pause (on the GUI thread)
    returns after the timeout and the helper thread ends once the stream lets go."""
    from voicemail_coach.audio import playback

    output = FakeOutputStream(stall=True)
    player = Player(output)
    player.load(clip, RATE)
    player.play()
    wait_for(lambda: len(output.streams[0].blocks) > 2)
    pauser = threading.Thread(target=player.pause, name="test-pause")
    started = time.monotonic()
    pauser.start()
    pauser.join(playback.STREAM_STOP_TIMEOUT_S + 2.0)
    took = time.monotonic() - started
    hung = pauser.is_alive()
    output.release()
    pauser.join()
    assert not hung, "pause() waited for a stream that would not stop"
    assert took < playback.STREAM_STOP_TIMEOUT_S + 1.0
    assert not player.playing
    wait_for(lambda: "player-stream-stop" not in [t.name for t in threading.enumerate()])
    wait_for(lambda: output.streams[0].closed)


def test_a_bug_opening_the_stream_is_not_called_a_missing_speaker(
    clip: npt.NDArray[np.float32],
) -> None:
    def buggy_factory(**kwargs: Any) -> Any:
        raise TypeError("OutputStream() got an unexpected keyword argument 'finished'")

    player = Player(buggy_factory)
    player.load(clip, RATE)
    with pytest.raises(TypeError, match="unexpected keyword"):
        player.play()
    assert not player.playing


def test_a_cards_greeting_is_spoken_and_a_failing_synthesizer_falls_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spoken = practice_greeting(RATE, "Ola Berg", "Fjord Freight")
    assert spoken.synthesized
    assert spoken.text.startswith("Hi, you've reached Ola Berg at Fjord Freight.")
    assert spoken.beep_end_s == len(spoken.audio) / RATE
    np.testing.assert_array_equal(spoken.audio[-len(make_beep()) :], make_beep())
    voiced = spoken.audio[: -len(make_beep()) - round(0.3 * RATE)]
    assert float(np.sqrt(np.mean(voiced**2))) > 0.05, "speech, not silence"

    def broken(*args: object, **kwargs: object) -> object:
        raise voicemail_coach.audio.greeting.subprocess.CalledProcessError(1, "espeak-ng")

    monkeypatch.setattr(voicemail_coach.audio.greeting.subprocess, "run", broken)
    fallback = practice_greeting(RATE, "Ola Berg", "Fjord Haulage")
    generic, end_s = greeting_and_beep(RATE)
    assert not fallback.synthesized and "Dana Cole at Northwind Logistics" in fallback.text
    np.testing.assert_array_equal(fallback.audio, generic)
    assert fallback.beep_end_s == end_s
    # No card: the bundled greeting, without asking the synthesizer.
    assert not practice_greeting(RATE).synthesized
