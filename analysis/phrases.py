"""Plain phrases and vocabulary words as regular expressions."""

from __future__ import annotations

import re


def word_alternative(word: str) -> str:
    """A vocab entry as regex: plain words escaped, but a trailing ``?`` keeps its meaning."""
    if word.endswith("?") and not word.endswith("\\?"):
        return re.escape(word[:-1]) + "?"
    return re.escape(word)


def vocab_alternation(words: tuple[str, ...]) -> str:
    """A [vocab] list as one regex group matching any of its entries.

    The plain entries (all but those ending in ``?``) are laid out as a prefix tree ("jo(?:an|
    hn)"): matched case-insensitively, a flat alternation is tried entry by entry at every
    position, which took 0.7 ms per sentence for a list of 1,200 first names. Where one entry is
    a prefix of another the longer is tried first; a pattern that needs the shorter still
    matches it, by backtracking."""
    optional_end = [w.endswith("?") and not w.endswith("\\?") for w in words]
    plain = [w.lower() for w, opt in zip(words, optional_end, strict=True) if not opt]
    rest = [word_alternative(w) for w, opt in zip(words, optional_end, strict=True) if opt]
    tree: dict[str, dict] = {}  # type: ignore[type-arg]
    for w in plain:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def layout(node: dict[str, dict]) -> str:  # type: ignore[type-arg]
        ends = "" in node
        branches = [re.escape(ch) + layout(child) for ch, child in node.items() if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    alternatives = ([layout(tree)] if plain else []) + rest
    return "(?:" + "|".join(alternatives) + ")"


def phrase_regex(phrase: str) -> re.Pattern[str]:
    """A plain phrase matched as whole words, case-insensitive, flexible about spaces/hyphens."""
    parts = [re.escape(p) for p in re.split(r"[\s-]+", phrase.strip()) if p]
    body = r"[\s-]+".join(parts)
    left = r"\b" if re.match(r"\w", phrase.strip()) else ""
    right = r"\b" if re.search(r"\w$", phrase.strip()) else ""
    return re.compile(f"{left}{body}{right}", re.IGNORECASE)
