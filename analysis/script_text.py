"""Text helpers for drafting a script from the rep's words: compared without case and
punctuation, cut to clauses, words after a lead phrase, a name's capitals."""

from __future__ import annotations

import re
from collections.abc import Sequence


def fold(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9' ]", " ", text.lower()).split())


def first_clauses(text: str, most: int) -> str:
    """The clauses ``text`` starts with, up to ``most`` words (the first one whatever its length)."""
    clauses = re.split(r"(?<=[,;])\s+|\s+(?=(?:and|so|but|because|which|with)\s)", text)
    out: list[str] = []
    for clause in clauses:
        if out and len(" ".join([*out, clause]).split()) > most:
            break
        out.append(clause)
    return " ".join(out)


def clause_with(sentence: str, span: str) -> str:
    """The clauses of ``sentence`` that hold ``span`` (the sentence when it is not found)."""
    clauses = re.split(r"(?<=[,;.])\s+|\s+(?=(?:and|so|but|because)\s)", sentence)
    key = fold(span)
    for n in range(len(clauses)):
        for m in range(n + 1, len(clauses) + 1):
            joined = " ".join(clauses[n:m])
            if key in fold(joined):
                return joined
    return sentence


def replace_folded(text: str, old: str, new: str) -> str:
    """``text`` with ``old`` (compared without case and punctuation) replaced by ``new``."""
    pattern = r"[\s\-.,()]*".join(re.escape(t) for t in re.findall(r"[A-Za-z0-9']+", old))
    return re.sub(rf"(?i){pattern}", new, text) if pattern else text


def shares_run(a: str, b: str, n: int) -> bool:
    """Whether ``a`` and ``b`` have ``n`` words in a row in common."""
    aw, bw = fold(a).split(), fold(b).split()
    runs = {tuple(bw[i : i + n]) for i in range(len(bw) - n + 1)}
    return any(tuple(aw[i : i + n]) in runs for i in range(len(aw) - n + 1))


def after(
    tokens: Sequence[str], leads: Sequence[str], most: int, stop: set[str]
) -> tuple[str, int]:
    """Up to ``most`` words after the earliest of ``leads`` said, stopping at a stop word or
    after a word that ends a phrase; and the index after them (0 when no lead was said)."""
    low = [t.lower().strip('.,;:!?"') for t in tokens]
    starts = []
    for lead in leads:
        parts = lead.split()
        for i in range(len(low) - len(parts) + 1):
            if low[i : i + len(parts)] == parts and not re.search(
                r"[,.;:!?]$", tokens[i + len(parts) - 1]
            ):
                starts.append((i, -len(parts)))
                break
    if not starts:
        return "", 0
    i, minus = min(starts)
    at = i - minus
    found: list[str] = []
    for token, lower in zip(tokens[at : at + most], low[at : at + most], strict=True):
        if not lower or lower in stop or not token[0].isalpha():
            break
        found.append(token.strip('.,;:!?"'))
        if re.search(r"[,.;:!?]$", token):
            break
    return " ".join(found), at + len(found)


def title(text: str) -> str:
    """Speech-to-text's "north wind payroll" as a name: "North Wind Payroll"; "PawText" stays."""
    return " ".join(t if any(c.isupper() for c in t) else t.capitalize() for t in text.split())
