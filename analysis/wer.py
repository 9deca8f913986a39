"""Word error rate, for comparing two transcripts of the same audio."""

from __future__ import annotations

DIGIT_NAMES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def _tokens(text: str) -> list[str]:
    """Lower-case words without punctuation; numbers as single digits, so "859" and "eight,
    five, nine" (Whisper writes a phone number either way) count as the same words."""
    out: list[str] = []
    for raw in text.split():
        token = "".join(c for c in raw.lower() if c.isalnum())
        if token.isdigit():
            out.extend(token)
        elif token in DIGIT_NAMES:
            out.append(str(DIGIT_NAMES.index(token)))
        elif token:
            out.append(token)
    return out


def word_error(reference: str, hypothesis: str) -> float:
    """Word error rate of ``hypothesis`` against ``reference`` (case, punctuation and how
    numbers are written ignored):
    substitutions + deletions + insertions, over the reference's word count."""
    ref, hyp = _tokens(reference), _tokens(hypothesis)
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1] / max(1, len(ref))
