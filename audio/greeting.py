"""The practice call: a voicemail greeting, then the beep after which the user speaks.

The greeting (``resources/greeting/greeting.flac``, text in ``greeting.txt``) is made by
``scripts/make_test_audio.sh`` with espeak-ng and sox.
"""

from __future__ import annotations

import importlib.resources

import numpy as np
import numpy.typing as npt
import soundfile

FloatArray = npt.NDArray[np.float32]

GAP_BEFORE_BEEP_S = 0.3
FADE_S = 0.01
BEEP_PEAK = 0.5


def make_beep(
    samplerate: int = 16000, freq_hz: float = 1000.0, duration_s: float = 0.45
) -> FloatArray:
    """A voicemail beep: a sine at half full scale with 10 ms fades (no clicks).

    Args:
        samplerate: Frames per second.
        freq_hz: Pitch of the beep.
        duration_s: Length of the beep.
    """
    n = round(duration_s * samplerate)
    t = np.arange(n) / samplerate
    envelope = np.ones(n)
    fade = min(round(FADE_S * samplerate), n // 2)
    if fade:
        ramp = np.linspace(0.0, 1.0, fade)
        envelope[:fade] = ramp
        envelope[n - fade :] = ramp[::-1]
    beep: FloatArray = (BEEP_PEAK * envelope * np.sin(2 * np.pi * freq_hz * t)).astype(np.float32)
    return beep


def greeting_and_beep(samplerate: int = 16000) -> tuple[FloatArray, float]:
    """The greeting, a short pause and the beep, ready to play.

    Args:
        samplerate: Rate of the output stream; the greeting is resampled to it.

    Returns:
        The mono audio and the time in seconds at which the beep ends (recording starts).
    """
    resource = importlib.resources.files("resources.greeting").joinpath("greeting.flac")
    with resource.open("rb") as fh:
        data, source_rate = soundfile.read(fh, dtype="float32", always_2d=True)
    voice = _resample(data.mean(axis=1), int(source_rate), samplerate)
    gap = np.zeros(round(GAP_BEFORE_BEEP_S * samplerate), dtype=np.float32)
    audio = np.concatenate((voice, gap, make_beep(samplerate)))
    return audio, len(audio) / samplerate


def _resample(samples: FloatArray, from_rate: int, to_rate: int) -> FloatArray:
    if from_rate == to_rate:
        return samples.astype(np.float32)
    # Linear interpolation is plenty for a spoken greeting heard on a laptop speaker.
    n = round(len(samples) * to_rate / from_rate)
    positions = np.arange(n) * (from_rate / to_rate)
    resampled: FloatArray = np.interp(positions, np.arange(len(samples)), samples).astype(
        np.float32
    )
    return resampled
