"""Possible hesitations the transcript dropped: held, flat, low voiced stretches ("uhhh", "mmm").

Whisper often leaves "um" and "uh" out, either as a gap between words or by stretching the next
word back over the filler. A filled pause sounds like one held vowel or hum: voiced, loud enough
to be speech, and with nearly constant pitch at or below the speaker's usual level. Ordinary
syllables change pitch or stop within about a quarter of a second.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from voicemail_coach.analysis.acoustics import Acoustics
from voicemail_coach.analysis.pace import syllables
from voicemail_coach.analysis.pitch import FRAME_STEP_S
from voicemail_coach.analysis.profile import Hesitations
from voicemail_coach.analysis.report import FillerWord, Hesitation
from voicemail_coach.analysis.transcript import Word

# Sound this close to a word's edge belongs to the word (Whisper's edges are a little tight).
GAP_MARGIN_S = 0.06
# A word shorter than this has no time of its own: Whisper moved it off its sound.
SQUEEZED_WORD_S = 0.12
# An unworded sound must be mostly voiced (a hum or a vowel, not a breath or a click).
VOICED_SHARE = 0.6


def flat_stretches(acoustics: Acoustics, cfg: Hesitations) -> list[tuple[float, float, float]]:
    """(start_s, end_s, median semitones) of voiced stretches whose pitch stays in a narrow band."""
    track = acoustics.pitch
    if len(track.f0_hz) == 0:
        return []
    semis = track.semitones()
    usable = track.voiced & acoustics.speech_at(track.times_s)
    out = []
    min_frames = max(2, round(min(cfg.min_s, cfg.min_gap_s) / FRAME_STEP_S))
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


def unworded_sounds(
    words: Sequence[Word], acoustics: Acoustics, cfg: Hesitations
) -> list[tuple[float, float, float]]:
    """Voiced sounds in the gaps between words that no word covers: Whisper heard nothing there.

    A word Whisper squeezed to almost no time next to the gap was itself said in the gap (its
    times drift), so the burst of sound nearest to it is taken to be that word.
    """
    track = acoustics.pitch
    if len(track.f0_hz) == 0:
        return []
    voiced = track.voiced
    semis = track.semitones()
    bursts = acoustics.bursts()
    out = []
    for a, b in itertools.pairwise(words):
        lo, hi = a.end_s + GAP_MARGIN_S, b.start_s - GAP_MARGIN_S
        if hi - lo < cfg.min_gap_s:
            continue
        inside = [(max(s, lo), min(e, hi)) for s, e in bursts if s < hi and e > lo]
        if inside and b.end_s - b.start_s < SQUEEZED_WORD_S:
            inside = inside[:-1]
        if inside and a.end_s - a.start_s < SQUEEZED_WORD_S:
            inside = inside[1:]
        for s, e in inside:
            frames = (track.times_s >= s) & (track.times_s < e)
            sound = frames & voiced
            if e - s >= cfg.min_gap_s and np.count_nonzero(
                sound
            ) >= VOICED_SHARE * np.count_nonzero(frames):
                out.append((s, e, float(np.median(semis[sound]))))
    return out


def find_hesitations(
    words: Sequence[Word],
    fillers: Sequence[FillerWord],
    acoustics: Acoustics,
    cfg: Hesitations,
) -> list[Hesitation]:
    found: list[Hesitation] = []
    candidates = [(*c, True) for c in flat_stretches(acoustics, cfg)]
    candidates += [(*c, False) for c in unworded_sounds(words, acoustics, cfg)]
    for start, end, level, flat in sorted(candidates):
        if level > cfg.max_above_median_semitones:
            continue
        if any(
            f.start_s - cfg.filler_margin_s < end and start < f.end_s + cfg.filler_margin_s
            for f in fillers
        ):
            continue  # the transcript already has this filler
        if any(h.start_s < end and start < h.end_s for h in found):
            continue
        kind = _place(words, start, end, cfg)
        shortest = cfg.min_gap_s if kind == "gap" else cfg.min_s
        if kind is not None and (flat or kind == "gap") and end - start >= shortest:
            found.append(Hesitation(round(start, 2), round(end, 2), kind, round(level, 1)))
    return found


def _place(words: Sequence[Word], start: float, end: float, cfg: Hesitations) -> str | None:
    """Where a stretch sits: between words, at a word's start, inside a word Whisper stretched
    over it, or (None) inside a word of normal length: a drawled vowel, not a hesitation."""
    overlapping = [w for w in words if w.start_s < end and start < w.end_s]
    if not overlapping:
        return "gap"
    first = overlapping[0]
    if start <= first.start_s + cfg.word_start_slack_s:
        return "word_start"
    spare = (first.end_s - first.start_s) - (end - start)
    if spare >= syllables(first.text) * cfg.syllable_s:
        return "in_word"
    return None
