"""Possible hesitations the transcript dropped: held, flat, low voiced stretches ("uhhh", "mmm").

Whisper often leaves "um" and "uh" out, either as a gap between words or by stretching the next
word back over the filler. A filled pause sounds like one held vowel or hum: voiced, loud enough
to be speech, and with nearly constant pitch at or below the speaker's usual level. Ordinary
syllables change pitch or stop within about a quarter of a second.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from analysis.acoustics import Acoustics
from analysis.pitch import FRAME_STEP_S
from analysis.profile import Hesitations
from analysis.report import FillerWord, Hesitation
from analysis.transcript import Word


def flat_stretches(acoustics: Acoustics, cfg: Hesitations) -> list[tuple[float, float, float]]:
    """(start_s, end_s, median semitones) of voiced stretches whose pitch stays in a narrow band."""
    track = acoustics.pitch
    if len(track.f0_hz) == 0:
        return []
    semis = track.semitones()
    usable = track.voiced & acoustics.speech_at(track.times_s)
    out = []
    min_frames = max(2, round(cfg.min_s / FRAME_STEP_S))
    start = -1
    lo = hi = 0.0

    def close(end: int) -> None:
        if start >= 0 and end - start >= min_frames:
            level = float(np.median(semis[start:end]))
            out.append(
                (float(track.times_s[start]), float(track.times_s[end - 1]) + FRAME_STEP_S, level)
            )

    for i in range(len(semis)):
        if not usable[i]:
            close(i)
            start = -1
            continue
        v = float(semis[i])
        if start < 0:
            start, lo, hi = i, v, v
            continue
        lo, hi = min(lo, v), max(hi, v)
        if hi - lo > cfg.flat_range_semitones:
            close(i)
            start, lo, hi = i, v, v
    close(len(semis))
    return out


def find_hesitations(
    words: Sequence[Word],
    fillers: Sequence[FillerWord],
    acoustics: Acoustics,
    cfg: Hesitations,
) -> list[Hesitation]:
    found = []
    for start, end, level in flat_stretches(acoustics, cfg):
        if level > cfg.max_above_median_semitones:
            continue
        if any(
            f.start_s - cfg.filler_margin_s < end and start < f.end_s + cfg.filler_margin_s
            for f in fillers
        ):
            continue  # the transcript already has this filler
        kind = _place(words, start, end, cfg.word_start_slack_s)
        if kind is not None:
            found.append(Hesitation(round(start, 2), round(end, 2), kind, round(level, 1)))
    return found


def _place(words: Sequence[Word], start: float, end: float, slack: float) -> str | None:
    """Where a stretch sits: between words, at a word's start, or inside a word (None: a drawled vowel)."""
    overlapping = [w for w in words if w.start_s < end and start < w.end_s]
    if not overlapping:
        return "gap"
    first = overlapping[0]
    if start <= first.start_s + slack:
        return "word_start"
    return None
