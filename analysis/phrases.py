"""Plain phrases and vocabulary words as regular expressions."""

from __future__ import annotations

import re


def word_alternative(word: str) -> str:
    """A vocab entry as regex: plain words escaped, but a trailing ``?`` keeps its meaning."""
    if word.endswith("?") and not word.endswith("\\?"):
        return re.escape(word[:-1]) + "?"
    return re.escape(word)


def phrase_regex(phrase: str) -> re.Pattern[str]:
    """A plain phrase matched as whole words, case-insensitive, flexible about spaces/hyphens."""
    parts = [re.escape(p) for p in re.split(r"[\s-]+", phrase.strip()) if p]
    body = r"[\s-]+".join(parts)
    left = r"\b" if re.match(r"\w", phrase.strip()) else ""
    right = r"\b" if re.search(r"\w$", phrase.strip()) else ""
    return re.compile(f"{left}{body}{right}", re.IGNORECASE)
