"""The acoustic measurements every delivery detector shares, computed once per analysis."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from voicemail_coach.analysis.pitch import PitchTrack, track_pitch
from voicemail_coach.analysis.profile import Profile
from voicemail_coach.analysis.transcript import Word
from voicemail_coach.audio.levels import FRAME_S, LevelAnalysis, analyze_levels, clipped_fraction

# Placing words Whisper gave (almost) no duration: the gaps that separate bursts of speech, how
# far from Whisper's time to look, and how long the burst may be.
SHORT_GAP_S = 0.04
SHORT_WORD_BEFORE_S = 0.8
SHORT_WORD_AFTER_S = 0.1
MIN_BURST_S = 0.1
MAX_BURST_S = 1.2
# A word starting this soon after a break in the sound (at least BREAK_S long) is moved back to
# where the sound starts.
LATE_START_S = 0.3
BREAK_S = 0.12


@dataclass(frozen=True, eq=False)
class Acoustics:
    """Frame levels (20 ms), the pitch track (10 ms) and the samples they came from."""

    samples: npt.NDArray[np.float32] = field(repr=False)
    sample_rate: int
    levels: LevelAnalysis
    pitch: PitchTrack
    clipped_fraction: float

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.sample_rate

    def bursts(self) -> list[tuple[float, float]]:
        """Stretches of sound separated by even the shortest silences (about a word or less)."""
        spans = self.levels.quiet_spans(SHORT_GAP_S)
        edges = [0.0, *(x for s in spans for x in (s.start_s, s.end_s)), self.duration_s]
        return [(a, b) for a, b in zip(edges[::2], edges[1::2], strict=False) if b > a]

    def speech_at(self, times_s: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
        """Whether the energy frame under each time is above the speech threshold."""
        frames = self.levels.speech_frames
        if len(frames) == 0:
            return np.zeros(len(times_s), dtype=bool)
        idx = np.clip((times_s / FRAME_S).astype(int), 0, len(frames) - 1)
        out: npt.NDArray[np.bool_] = frames[idx]
        return out


def measure_acoustics(
    samples: npt.NDArray[np.float32], sample_rate: int, profile: Profile
) -> Acoustics:
    return Acoustics(
        samples=samples,
        sample_rate=sample_rate,
        levels=analyze_levels(samples, sample_rate, profile.pauses.min_pause_s),
        pitch=track_pitch(samples, sample_rate, profile.pitch),
        clipped_fraction=clipped_fraction(samples),
    )


def snap_to_speech(words: Sequence[Word], levels: LevelAnalysis) -> list[Word]:
    """Move word edges to where the sound starts or stops.

    Whisper tends to start the first word after a pause too early (and end the last word before
    one too late) by a few tenths; the energy knows where the speech really is. It also starts a
    word that follows a short break a little late (about 0.2 s on the labelled recordings): when
    the sound starts less than ``LATE_START_S`` before such a word, and no word came in between,
    the word starts with the sound.
    """
    silences = levels.silences
    breaks = levels.quiet_spans(BREAK_S)
    out: list[Word] = []
    for w in words:
        start, end = w.start_s, w.end_s
        for s in silences:
            if s.start_s <= start < s.end_s < end:
                start = s.end_s
            if start < s.start_s < end <= s.end_s:
                end = s.start_s
        prev_end = out[-1].end_s if out else 0.0
        for s in breaks:
            if prev_end <= s.end_s < start <= s.end_s + LATE_START_S:
                start = s.end_s
        if (start, end) != (w.start_s, w.end_s):
            w = Word(w.text, round(start, 2), round(end, 2), w.probability)
        out.append(w)
    return out


def place_short_word(
    word_start_s: float, word_end_s: float, not_before_s: float, acoustics: Acoustics
) -> tuple[float, float] | None:
    """Where a word Whisper squeezed to almost no time (typically "um", "uh") was really said.

    Whisper puts such words at the end of the sound or just after it; the burst of speech
    energy that ends nearest before the given time, after ``not_before_s``, is the word.
    """
    best = None
    for a, b in acoustics.bursts():
        if a < not_before_s - 0.02 or b > word_end_s + SHORT_WORD_AFTER_S:
            continue
        if b < word_start_s - SHORT_WORD_BEFORE_S or not MIN_BURST_S <= b - a <= MAX_BURST_S:
            continue
        if best is None or b > best[1]:
            best = (float(a), float(b))
    return best
