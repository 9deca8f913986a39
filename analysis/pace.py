"""Pace inside the message: syllables per second per sentence, and speeding up at the end."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from analysis.profile import Rushing
from analysis.transcript import Word

VOWEL_GROUPS = re.compile(r"[aeiouy]+")
DIGIT_SYLLABLES = {"7": 2, "0": 2}  # "seven", "zero"; the other digits are one syllable


def syllables(text: str) -> int:
    """A vowel-group estimate, good to about one syllable in ten for English."""
    count = sum(DIGIT_SYLLABLES.get(c, 1) for c in text if c.isdigit())
    for token in re.findall(r"[a-z']+", text.lower()):
        groups = len(VOWEL_GROUPS.findall(token))
        if token.endswith("e") and not token.endswith(("le", "ee", "ye")) and groups > 1:
            groups -= 1
        count += max(1, groups)
    return count


def speaking_time(words: Sequence[Word], gap_s: float) -> float:
    """Time from first word to last, less the gaps between words longer than ``gap_s``."""
    if not words:
        return 0.0
    total = words[-1].end_s - words[0].start_s
    for a, b in itertools.pairwise(words):
        if b.start_s - a.end_s > gap_s:
            total -= b.start_s - a.end_s
    return max(total, 0.0)


def rate(words: Sequence[Word], gap_s: float) -> float | None:
    """Syllables per second over ``words``; None when they take no time."""
    t = speaking_time(words, gap_s)
    if t <= 0.2:
        return None
    return sum(syllables(w.text) for w in words) / t


def tail_ratio(words: Sequence[Word], tail_s: float, gap_s: float) -> float | None:
    """How much faster the last ``tail_s`` seconds go than everything before them."""
    if len(words) < 4:
        return None
    cut = words[-1].end_s - tail_s
    split = next((i for i, w in enumerate(words) if w.start_s >= cut), len(words))
    head, tail = words[:split], words[split:]
    if len(head) < 2 or len(tail) < 2:
        return None
    head_rate, tail_rate = rate(head, gap_s), rate(tail, gap_s)
    if head_rate is None or tail_rate is None:
        return None
    return round(tail_rate / head_rate, 2)


def sentence_pace(words: Sequence[Word], cfg: Rushing) -> tuple[float, float | None, bool]:
    """(syllables per second, tail ratio, rushing?) for one sentence's words."""
    r = rate(words, cfg.gap_s) or 0.0
    long_enough = bool(words) and words[-1].end_s - words[0].start_s >= cfg.min_sentence_s
    ratio = tail_ratio(words, cfg.sentence_tail_s, cfg.gap_s) if long_enough else None
    return round(r, 2), ratio, ratio is not None and ratio >= cfg.sentence_ratio


def message_end_ratio(words: Sequence[Word], cfg: Rushing) -> float | None:
    if not words or words[-1].end_s - words[0].start_s < cfg.min_message_s:
        return None
    return tail_ratio(words, cfg.message_tail_s, cfg.gap_s)
