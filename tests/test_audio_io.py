"""Audio loading (voicemail_coach.audio.io) and signal levels (voicemail_coach.audio.levels) on synthetic files."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt
import pytest
import soundfile

from voicemail_coach.audio.io import SAMPLE_RATE, AudioLoadError, load_audio, save_flac
from voicemail_coach.audio.levels import (
    CLIP_LEVEL,
    analyze_levels,
    clipped_fraction,
    frame_dbfs,
    to_dbfs,
)

SOURCE_RATE = 44_100
TONE_HZ = 440.0


def _tone(
    seconds: float,
    rate: int,
    amplitude: float = 0.5,
    modulate: bool = True,
    hz: float = TONE_HZ,
) -> npt.NDArray[np.float32]:
    """A sine tone, optionally with a slow speech-like amplitude modulation (4 Hz)."""
    t = np.arange(round(seconds * rate)) / rate
    envelope = (0.6 + 0.3 * np.sin(2 * np.pi * 4.0 * t)) if modulate else np.ones_like(t)
    return (amplitude * envelope * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def _stereo_tone() -> npt.NDArray[np.float32]:
    """Shape (2, n): left at full tone level, right a little quieter."""
    mono = _tone(1.0, SOURCE_RATE)
    return np.ascontiguousarray(np.stack([mono, 0.8 * mono]))


def _write_soundfile(path: Path, planar: npt.NDArray[np.float32]) -> None:
    soundfile.write(str(path), planar.T, SOURCE_RATE)


def _write_pyav(path: Path, planar: npt.NDArray[np.float32], codec: str) -> None:
    options = {"strict": "experimental"} if codec == "vorbis" else {}
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream(codec, rate=SOURCE_RATE, options=options)
        stream.layout = "stereo"
        frame = av.AudioFrame.from_ndarray(planar, format="fltp", layout="stereo")
        frame.sample_rate = SOURCE_RATE
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)


def _dominant_hz(samples: npt.NDArray[np.float32], rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    freqs = np.fft.rfftfreq(len(samples), 1.0 / rate)
    return float(freqs[int(np.argmax(spectrum))])


# --------------------------------------------------------------------------------------------
# Bad input: every case is an AudioLoadError with a message meant for the user.


def test_empty_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "empty.wav"
    path.write_bytes(b"")
    with pytest.raises(AudioLoadError) as err:
        load_audio(path)
    assert str(err.value) == f"{path}: the file is empty (0 bytes)"


def test_text_file_renamed_wav_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "notes.wav"
    path.write_text("Hi, this is Sam from Acme. Call me back.\n" * 20, encoding="utf-8")
    with pytest.raises(AudioLoadError) as err:
        load_audio(path)
    assert str(err.value) == (
        f"{path}: not a readable audio file (supported: wav, flac, ogg, mp3, m4a)"
    )


def test_wav_with_header_only_is_rejected(tmp_path: Path) -> None:
    full = tmp_path / "full.wav"
    _write_soundfile(full, _stereo_tone())
    path = tmp_path / "header_only.wav"
    path.write_bytes(full.read_bytes()[:40])
    assert path.read_bytes()[:4] == b"RIFF"
    with pytest.raises(AudioLoadError) as err:
        load_audio(path)
    assert str(err.value).startswith(f"{path}: ")
    assert "not a readable audio file" in str(err.value)


def test_wav_with_complete_header_but_no_samples_is_rejected(tmp_path: Path) -> None:
    full = tmp_path / "full.wav"
    soundfile.write(str(full), _tone(1.0, SOURCE_RATE), SOURCE_RATE, subtype="PCM_16")
    path = tmp_path / "no_data.wav"
    path.write_bytes(full.read_bytes()[:44])  # canonical 44-byte PCM header, zero data bytes
    with pytest.raises(AudioLoadError) as err:
        load_audio(path)
    assert str(err.value) == f"{path}: contains no audio samples"


def test_missing_path_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "voicemail.wav"
    with pytest.raises(AudioLoadError) as err:
        load_audio(path)
    assert str(err.value) == f"{path}: no such file"


def test_folder_is_rejected(tmp_path: Path) -> None:
    folder = tmp_path / "recordings.wav"
    folder.mkdir()
    with pytest.raises(AudioLoadError) as err:
        load_audio(folder)
    assert str(err.value) == f"{folder}: is a folder, not an audio file"


def test_silent_wav_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "silent.wav"
    soundfile.write(str(path), np.zeros(SOURCE_RATE * 2, dtype=np.float32), SOURCE_RATE)
    with pytest.raises(AudioLoadError) as err:
        load_audio(path)
    assert str(err.value) == f"{path}: the recording is silent (no sound above -66 dBFS)"


def test_barely_audible_wav_is_not_silent(tmp_path: Path) -> None:
    path = tmp_path / "quiet.wav"
    # Peak 0.002 (-54 dBFS) is quiet but above the -66 dBFS silence line.
    quiet = _tone(1.0, SOURCE_RATE, amplitude=0.002, modulate=False)
    soundfile.write(str(path), quiet, SOURCE_RATE)
    audio = load_audio(path)
    assert 0.0015 < float(np.max(np.abs(audio.samples))) < 0.0025


def test_over_long_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "long.wav"
    soundfile.write(str(path), _tone(3.0, SOURCE_RATE), SOURCE_RATE)
    with pytest.raises(AudioLoadError) as err:
        load_audio(path, max_duration_s=2)
    message = str(err.value)
    assert message.startswith(f"{path}: is ")
    assert "long; a voicemail to analyze must be under" in message
    # The same file is fine under a limit it fits.
    assert load_audio(path, max_duration_s=4).duration_s == pytest.approx(3.0, abs=0.01)


# --------------------------------------------------------------------------------------------
# Good input: the same stereo 44.1 kHz tone in every supported container.


@pytest.mark.parametrize(
    ("suffix", "codec"),
    [
        ("wav", None),
        ("flac", None),
        ("ogg", "vorbis"),
        ("mp3", "libmp3lame"),
        ("m4a", "aac"),
    ],
)
def test_formats_load_as_16k_mono_float32(tmp_path: Path, suffix: str, codec: str | None) -> None:
    path = tmp_path / f"tone.{suffix}"
    planar = _stereo_tone()
    if codec is None:
        _write_soundfile(path, planar)
    else:
        _write_pyav(path, planar, codec)

    audio = load_audio(path)

    assert audio.sample_rate == SAMPLE_RATE == 16_000
    assert audio.samples.dtype == np.float32
    assert audio.samples.ndim == 1
    assert audio.duration_s == pytest.approx(1.0, abs=0.1)
    assert audio.source_rate == SOURCE_RATE
    assert audio.source_channels == 2
    assert audio.source_path == str(path)
    assert audio.truncated is False
    assert _dominant_hz(audio.samples, audio.sample_rate) == pytest.approx(TONE_HZ, abs=5.0)
    # The tone is there at a real level (peak 0.45 per channel before the downmix).
    assert float(np.max(np.abs(audio.samples))) > 0.3


def test_save_flac_round_trip(tmp_path: Path) -> None:
    samples = _tone(1.5, SAMPLE_RATE)
    path = tmp_path / "saved.flac"
    save_flac(path, samples)

    info = soundfile.info(str(path))
    assert info.format == "FLAC"
    assert info.subtype == "PCM_16"
    assert info.samplerate == SAMPLE_RATE
    assert info.channels == 1

    audio = load_audio(path)
    assert audio.source_rate == SAMPLE_RATE
    assert audio.source_channels == 1
    assert len(audio.samples) == len(samples)
    # 16-bit quantization: every sample within one step (plus rounding) of the original.
    assert float(np.max(np.abs(audio.samples - samples))) < 2.0 / 32768


# --------------------------------------------------------------------------------------------
# voicemail_coach.audio.levels


def test_to_dbfs_of_full_scale_sine_is_minus_3() -> None:
    sine = np.sin(2 * np.pi * 440.0 * np.arange(SAMPLE_RATE) / SAMPLE_RATE)
    rms = float(np.sqrt(np.mean(np.square(sine))))
    assert to_dbfs(rms) == pytest.approx(-3.01, abs=0.02)
    assert to_dbfs(1.0) == 0.0
    assert to_dbfs(0.1) == pytest.approx(-20.0)
    assert to_dbfs(0.0) == -100.0
    assert to_dbfs(1e-7) == -100.0  # -140 dB is floored


def test_clipped_fraction_counts_exactly_one_percent() -> None:
    samples = np.full(10_000, 0.25, dtype=np.float32)
    samples[:50] = 1.0
    samples[50:100] = -1.0
    samples[100:200] = 0.99  # loud but not clipped
    assert CLIP_LEVEL == 0.999
    assert clipped_fraction(samples) == 0.01
    assert clipped_fraction(np.zeros(0, dtype=np.float32)) == 0.0


def test_frame_dbfs_uses_20ms_frames() -> None:
    # 500 Hz puts exactly 10 cycles in each 20 ms frame, so every frame reads -3.01 dBFS.
    samples = _tone(1.0, SAMPLE_RATE, amplitude=1.0, modulate=False, hz=500.0)
    db = frame_dbfs(samples, SAMPLE_RATE)
    assert db.shape == (50,)
    assert np.allclose(db, -3.01, atol=0.01)


def test_analyze_levels_finds_the_gap_between_two_tones() -> None:
    tone = _tone(1.0, SAMPLE_RATE, amplitude=0.5, modulate=False)
    gap = np.zeros(int(2.5 * SAMPLE_RATE), dtype=np.float32)
    samples = np.concatenate([tone, gap, tone])

    levels = analyze_levels(samples, SAMPLE_RATE)

    assert len(levels.silences) == 1
    span = levels.silences[0]
    assert span.start_s == pytest.approx(1.0, abs=0.05)
    assert span.end_s == pytest.approx(3.5, abs=0.05)
    assert span.duration_s == pytest.approx(2.5, abs=0.1)
    assert levels.speech_start_s == pytest.approx(0.0, abs=0.05)
    assert levels.speech_end_s == pytest.approx(4.5, abs=0.05)
    # A 0.5-amplitude sine has RMS 0.354, i.e. -9.0 dBFS.
    assert levels.speech_rms_dbfs == pytest.approx(-9.0, abs=0.5)
    assert levels.noise_floor_dbfs == -100.0
    assert levels.noise_floor_dbfs < levels.threshold_dbfs < levels.speech_rms_dbfs


def test_analyze_levels_ignores_short_gaps_and_finds_leading_silence() -> None:
    tone = _tone(1.0, SAMPLE_RATE, amplitude=0.5, modulate=False)
    lead = np.zeros(SAMPLE_RATE, dtype=np.float32)  # 1 s before speech starts
    short_gap = np.zeros(int(0.2 * SAMPLE_RATE), dtype=np.float32)  # under min_silence_s
    samples = np.concatenate([lead, tone, short_gap, tone])

    levels = analyze_levels(samples, SAMPLE_RATE, min_silence_s=0.3)

    assert [(s.start_s, s.end_s) for s in levels.silences] == [(0.0, 1.0)]
    assert levels.speech_start_s == pytest.approx(1.0, abs=0.05)
    assert levels.speech_end_s == pytest.approx(3.2, abs=0.05)


def test_stereo_downmix_averages_channels_without_fake_clipping(tmp_path: Path) -> None:
    t = np.arange(SOURCE_RATE) / SOURCE_RATE
    tone = 0.9 * np.sin(2 * np.pi * TONE_HZ * t)
    path = tmp_path / "loud_stereo.wav"
    soundfile.write(path, np.stack([tone, tone], axis=1), SOURCE_RATE, subtype="FLOAT")
    audio = load_audio(path)
    assert float(np.max(np.abs(audio.samples))) == pytest.approx(0.9, abs=0.02)
    assert clipped_fraction(audio.samples) == 0.0


def test_a_pipe_is_not_a_regular_file_and_is_never_opened(tmp_path: Path) -> None:
    """Opening a FIFO would wait for a writer for ever; it is refused from its type."""
    fifo = tmp_path / "take.wav"
    os.mkfifo(fifo)
    with pytest.raises(AudioLoadError) as err:
        load_audio(fifo)
    assert str(err.value) == (
        f"{fifo}: not a regular file (a device, pipe or socket); choose a saved recording"
    )


def test_a_device_is_not_a_regular_file() -> None:
    with pytest.raises(AudioLoadError) as err:
        load_audio("/dev/zero")
    assert str(err.value) == (
        "/dev/zero: not a regular file (a device, pipe or socket); choose a saved recording"
    )


def test_a_file_without_read_permission_says_permission_denied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "locked.wav"
    _write_soundfile(path, _stereo_tone())
    path.chmod(0)
    if os.access(path, os.R_OK):  # root reads anything: refuse the open as the OS would
        import voicemail_coach.audio.io

        def denied(*args: object, **kwargs: object) -> None:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))

        monkeypatch.setattr(voicemail_coach.audio.io, "open", denied, raising=False)
    with pytest.raises(AudioLoadError) as err:
        load_audio(path)
    assert str(err.value) == f"{path}: cannot be read (permission denied)"


def test_a_disk_error_while_decoding_is_not_called_a_bad_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import voicemail_coach.audio.io

    path = tmp_path / "take.wav"
    _write_soundfile(path, _stereo_tone())

    def failing_disk(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(voicemail_coach.audio.io.av, "open", failing_disk)
    with pytest.raises(AudioLoadError) as err:
        load_audio(path)
    assert str(err.value) == (
        f"{path}: cannot be read (input/output error: the disk may be failing)"
    )
