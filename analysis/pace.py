"""Pace inside the message: syllables per second per sentence, and speeding up at the end.

Speaking time is counted from the audio where there is one (20 ms frames above the speech
threshold between the first word's start and the last word's end), so pauses never count as
slow speech and Whisper's word edges matter little. For a written script the word times are
all there is, and gaps longer than ``gap_s`` are left out instead.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

import numpy as np

from voicemail_coach.analysis.profile import Rushing
from voicemail_coach.analysis.transcript import Word
from voicemail_coach.audio.levels import FRAME_S, LevelAnalysis

VOWEL_GROUPS = re.compile(r"[aeiouy]+")
DIGIT_SYLLABLES = {"7": 2, "0": 2}  # "seven", "zero"; the other digits are one syllable
MIN_TIME_S = 0.2
MIN_TAIL_SYLLABLES = 5


def syllables(text: str) -> int:
    """A vowel-group estimate, good to about one syllable in ten for English."""
    count = sum(DIGIT_SYLLABLES.get(c, 1) for c in text if c.isdigit())
    for token in re.findall(r"[a-z']+", text.lower()):
        groups = len(VOWEL_GROUPS.findall(token))
        if token.endswith("e") and not token.endswith(("le", "ee", "ye")) and groups > 1:
            groups -= 1
        count += max(1, groups)
    return count


def speaking_time(words: Sequence[Word], gap_s: float, levels: LevelAnalysis | None) -> float:
    """Seconds of speech from the first word's start to the last word's end."""
    if not words:
        return 0.0
    start, end = words[0].start_s, words[-1].end_s
    if levels is not None and len(levels.frame_db):
        frames = levels.speech_frames[int(start / FRAME_S) : int(np.ceil(end / FRAME_S))]
        return float(np.count_nonzero(frames)) * FRAME_S
    total = end - start
    for a, b in itertools.pairwise(words):
        if b.start_s - a.end_s > gap_s:
            total -= b.start_s - a.end_s
    return max(total, 0.0)


def rate(words: Sequence[Word], gap_s: float, levels: LevelAnalysis | None = None) -> float | None:
    """Syllables per second over ``words``; None when they take (almost) no time."""
    t = speaking_time(words, gap_s, levels)
    if t <= MIN_TIME_S:
        return None
    return sum(syllables(w.text) for w in words) / t


def tail_ratio(
    words: Sequence[Word], tail_s: float, gap_s: float, levels: LevelAnalysis | None = None
) -> float | None:
    """How much faster the last ``tail_s`` seconds go than everything before them."""
    if len(words) < 4:
        return None
    cut = words[-1].end_s - tail_s
    split = next((i for i, w in enumerate(words) if w.start_s >= cut), len(words))
    head, tail = words[:split], words[split:]
    if len(head) < 2 or sum(syllables(w.text) for w in tail) < MIN_TAIL_SYLLABLES:
        return None
    head_rate, tail_rate = rate(head, gap_s, levels), rate(tail, gap_s, levels)
    if head_rate is None or tail_rate is None:
        return None
    return float(round(tail_rate / head_rate, 2))


def sentence_pace(
    words: Sequence[Word], cfg: Rushing, levels: LevelAnalysis | None = None
) -> tuple[float, float | None, bool]:
    """(syllables per second, tail ratio, rushing?) for one sentence's words."""
    r = rate(words, cfg.gap_s, levels) or 0.0
    long_enough = bool(words) and words[-1].end_s - words[0].start_s >= cfg.min_sentence_s
    ratio = tail_ratio(words, cfg.sentence_tail_s, cfg.gap_s, levels) if long_enough else None
    return float(round(r, 2)), ratio, ratio is not None and ratio >= cfg.sentence_ratio


def message_end_ratio(
    words: Sequence[Word], cfg: Rushing, levels: LevelAnalysis | None = None
) -> float | None:
    if not words or words[-1].end_s - words[0].start_s < cfg.min_message_s:
        return None
    return tail_ratio(words, cfg.message_tail_s, cfg.gap_s, levels)
