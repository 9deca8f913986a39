"""How each sentence ends: a rise at the end of a statement (uptalk) makes it sound unsure."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from voicemail_coach.analysis.pitch import FRAME_STEP_S, PitchTrack
from voicemail_coach.analysis.profile import Intonation
from voicemail_coach.analysis.transcript import Sentence, Word

# Whisper's word ends drift by a few tenths, so a sentence's spoken end is found from the energy:
# the first silence after its last word starts, looked for up to END_SEARCH_S past the word's end.
END_SEARCH_S = 0.6
END_PAD_S = 0.25
# Pitch frames more than this far from the speaker's median are tracking errors (octave jumps).
MAX_DEVIATION_ST = 12.0


def is_question(text: str, starts: Sequence[str], within: int = 1) -> bool:
    """A real question may rise: it ends with "?" and a question word or auxiliary comes first
    (among its first ``within`` words, e.g. "Hey, just, did you ...")."""
    words = re.findall(r"[a-z']+", text.lower())
    return text.rstrip().endswith("?") and any(w in starts for w in words[:within])


def end_rise(track: PitchTrack, start_s: float, end_s: float, cfg: Intonation) -> float | None:
    """Semitones from the lowest pitch before the end to the pitch of the last voiced stretch.

    ``end_s`` is where to stop looking (the sentence's end plus a little, before the next one).
    """
    if len(track.f0_hz) == 0:
        return None
    semis = track.semitones()
    t = track.times_s
    sane = track.voiced & (np.abs(np.nan_to_num(semis)) <= MAX_DEVIATION_ST)
    inside = sane & (t >= start_s) & (t <= end_s)
    idx = np.flatnonzero(inside)
    if len(idx) * FRAME_STEP_S < cfg.min_end_voiced_s * 2:
        return None
    last = float(t[idx[-1]])
    end_part = idx[t[idx] > last - cfg.end_window_s]
    before = idx[(t[idx] <= last - cfg.end_window_s) & (t[idx] > last - cfg.lookback_s)]
    if len(end_part) * FRAME_STEP_S < cfg.min_end_voiced_s or len(before) < 3:
        return None
    final = float(np.median(semis[end_part]))
    low = float(np.percentile(semis[before], 5))
    return round(final - low, 1)


def spoken_end(
    last_word_start_s: float, end_s: float, silences: Sequence[tuple[float, float]]
) -> tuple[float, float | None]:
    """Where the sentence's sound stops, and how long the silence after it lasts (None: unknown).

    That is the first silence after its last word begins; Whisper may start the last word late,
    so a silence that begins before that start still counts if it lasts past it.
    """
    for start, end in silences:
        if end > last_word_start_s + 0.1 and start <= end_s + END_SEARCH_S:
            return max(start, last_word_start_s), end - start
    return end_s + END_PAD_S, None


def sentence_ends(
    sentences: Sequence[Sentence],
    words: Sequence[Word],
    track: PitchTrack,
    silences: Sequence[tuple[float, float]],
    cfg: Intonation,
) -> list[tuple[float | None, bool, bool]]:
    """Per sentence: (end rise in semitones, uptalk?, question?)."""
    out = []
    for i, s in enumerate(sentences):
        stop, pause = spoken_end(words[s.last].start_s, s.end_s, silences)
        if i + 1 < len(sentences):
            stop = min(stop, sentences[i + 1].start_s - 0.05)
        # A rise before a short breath is a comma's continuation, not the end of a statement.
        ends = (pause is not None and pause >= cfg.min_end_pause_s) or i + 1 == len(sentences)
        rise = end_rise(track, s.start_s, stop, cfg) if stop > s.start_s and ends else None
        question = is_question(s.text, cfg.question_starts, cfg.question_within_words)
        if rise is not None and rise > cfg.max_rise_semitones:
            rise = None  # a tracking error or a tone, not a voice
        uptalk = rise is not None and rise >= cfg.rise_semitones and not question
        out.append((rise, uptalk, question))
    return out
