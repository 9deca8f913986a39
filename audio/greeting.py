"""The practice call: a voicemail greeting, then the beep after which the user speaks.

With a scenario card chosen, the greeting names its prospect and company: the text of
``resources/greeting/template.txt`` is spoken by espeak-ng (a system package) when it is
installed. Without a card, or without espeak-ng, the bundled generic greeting plays
(``resources/greeting/greeting.flac``, text in ``greeting.txt``, made by
``scripts/make_test_audio.sh`` with the same voice).
"""

from __future__ import annotations

import importlib.resources
import io
import logging
import shutil
import subprocess
import threading
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import soundfile

FloatArray = npt.NDArray[np.float32]
log = logging.getLogger(__name__)

SYNTHESIZER = "espeak-ng"
# The voice and speed of the bundled greeting (scripts/make_test_audio.sh), so both sound alike.
VOICE = ("-v", "en-us", "-s", "160")
SYNTH_TIMEOUT_S = 10.0
CACHE_SIZE = 8
_cache: dict[tuple[str, int], FloatArray] = {}
_cache_lock = threading.Lock()

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


@dataclass(frozen=True)
class Greeting:
    """What plays before the beep, and how it was made.

    Attributes:
        audio: The greeting, a short pause and the beep (mono).
        beep_end_s: When the beep ends: recording starts there.
        text: The words of the greeting.
        synthesized: True when espeak-ng spoke ``text`` now; False for the bundled recording.
    """

    audio: FloatArray
    beep_end_s: float
    text: str
    synthesized: bool


def _resource_text(name: str) -> str:
    resource = importlib.resources.files("voicemail_coach.resources.greeting").joinpath(name)
    return " ".join(resource.read_text(encoding="utf-8").split())


def generic_text() -> str:
    """The words of the bundled greeting."""
    return _resource_text("greeting.txt")


def card_text(prospect: str, company: str) -> str:
    """The greeting of a scenario card's prospect, from ``template.txt``."""
    return _resource_text("template.txt").format(prospect=prospect, company=company)


def synthesizer_available() -> bool:
    return shutil.which(SYNTHESIZER) is not None


def planned_text(prospect: str | None, company: str | None) -> tuple[str, bool]:
    """The words the greeting will say, and whether they are spoken now (True) or the bundled
    recording plays (False: no card, or espeak-ng is not installed)."""
    if prospect and company and synthesizer_available():
        return card_text(prospect, company), True
    return generic_text(), False


def synthesize(text: str, samplerate: int = 16000) -> FloatArray | None:
    """``text`` spoken by espeak-ng at ``samplerate``; None when it is missing or fails.

    Takes about 50 ms; kept, so the next take of the same card starts at once (a failure is
    not kept: the next take tries again).
    """
    key = (text, samplerate)
    with _cache_lock:
        kept = _cache.get(key)
    if kept is not None:
        return kept
    voice = _speak(text, samplerate)
    if voice is not None:
        with _cache_lock:
            if len(_cache) >= CACHE_SIZE:
                _cache.pop(next(iter(_cache)))
            _cache[key] = voice
    return voice


def _speak(text: str, samplerate: int) -> FloatArray | None:
    program = shutil.which(SYNTHESIZER)
    if program is None:
        return None
    try:
        done = subprocess.run(
            [program, *VOICE, "--stdout", text],
            capture_output=True,
            timeout=SYNTH_TIMEOUT_S,
            check=True,
        )
        data, rate = soundfile.read(io.BytesIO(done.stdout), dtype="float32", always_2d=True)
    except (OSError, subprocess.SubprocessError, soundfile.LibsndfileError) as exc:
        log.warning("%s could not speak the greeting: %s", SYNTHESIZER, exc)
        return None
    if not len(data):
        return None
    voice = _resample(data.mean(axis=1), int(rate), samplerate)
    voice.flags.writeable = False  # shared by the cache
    return voice


def practice_greeting(
    samplerate: int = 16000, prospect: str | None = None, company: str | None = None
) -> Greeting:
    """The greeting for a card's prospect (spoken by espeak-ng), else the bundled one.

    Args:
        samplerate: Rate of the output stream.
        prospect: Who is being called (a scenario card's prospect), or None.
        company: Their company, or None.
    """
    text, speak = planned_text(prospect, company)
    voice = synthesize(text, samplerate) if speak else None
    if voice is None:
        audio, end_s = greeting_and_beep(samplerate)
        return Greeting(audio, end_s, generic_text(), synthesized=False)
    audio = _with_beep(voice, samplerate)
    return Greeting(audio, len(audio) / samplerate, text, synthesized=True)


def _with_beep(voice: FloatArray, samplerate: int) -> FloatArray:
    gap = np.zeros(round(GAP_BEFORE_BEEP_S * samplerate), dtype=np.float32)
    return np.concatenate((voice, gap, make_beep(samplerate)))


def greeting_and_beep(samplerate: int = 16000) -> tuple[FloatArray, float]:
    """The bundled generic greeting, a short pause and the beep, ready to play.

    Args:
        samplerate: Rate of the output stream; the greeting is resampled to it.

    Returns:
        The mono audio and the time in seconds at which the beep ends (recording starts).
    """
    resource = importlib.resources.files("voicemail_coach.resources.greeting").joinpath(
        "greeting.flac"
    )
    with resource.open("rb") as fh:
        data, source_rate = soundfile.read(fh, dtype="float32", always_2d=True)
    voice = _resample(data.mean(axis=1), int(source_rate), samplerate)
    audio = _with_beep(voice, samplerate)
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
