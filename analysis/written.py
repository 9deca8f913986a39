"""How the words heard are written for people to read: one way for a phone number, whatever
pieces Whisper wrote it in. Display only: the words (their texts and times) are not changed.

tiny.en writes the same spoken "555 201 4478" as ``555 201 4478``, ``555 -201 -4478.``,
``555-2014478`` or, at a cut between two live pieces, ``859 - 473 4272``; the live line, the
feedback page's transcript, the exported report and the CLI all write it ``555-201-4478``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Three, three and four digits with at most spaces, one dot or hyphen and a stray hyphen
# between the groups: "859 -473 -4272", "859 - 473 - 4272", "859 473 4272", "555-2014478".
PHONE_GROUPS = re.compile(r"\b(\d{3})\s*[-.]?\s*-?\s*(\d{3})\s*[-.]?\s*-?\s*(\d{4})\b")
# The digit positions a hyphen goes before in "555-201-4478".
GROUP_STARTS = (3, 6)


def written_words(texts: Sequence[str]) -> list[tuple[str, str]]:
    """Each word as written: ``(separator before it, its text)``, one pair per word, so the
    pairs joined read as the line and word ``i`` is still the word said at its time (the
    transcript's links and highlights keep their words). Inside a phone number the words join
    with no space and the digits take their hyphens: ``["555", "201", "4478."]`` ->
    ``[("", "555"), ("", "-201"), ("", "-4478.")]``; a stray ``"-"`` word keeps a hyphen or
    becomes empty."""
    tokens = [t.strip() for t in texts]
    line, starts = _joined(tokens)
    out = [(" " if i else "", token) for i, token in enumerate(tokens)]
    for match in PHONE_GROUPS.finditer(line):
        _write_number(match, tokens, starts, out)
    # Other figures joined by a hyphen at a word's edge: "12 -15" and "12 - 15" read "12-15".
    for i in range(1, len(tokens)):
        sep, text = out[i]
        if sep and text.startswith("-") and out[i - 1][1][-1:].isdigit():
            following = out[i + 1][1] if i + 1 < len(out) else ""
            if text[1:2].isdigit() or (text == "-" and following[:1].isdigit()):
                out[i] = ("", text)
                if text == "-":
                    out[i + 1] = ("", following)
    return out


def written_line(texts: Sequence[str]) -> str:
    """The words as one line of text, phone numbers written one way (see ``written_words``)."""
    return "".join(sep + text for sep, text in written_words(texts) if text or not sep).strip()


def _joined(tokens: Sequence[str]) -> tuple[str, list[int]]:
    starts, pos = [], 0
    for token in tokens:
        starts.append(pos)
        pos += len(token) + 1
    return " ".join(tokens), starts


def _write_number(
    match: re.Match[str], tokens: Sequence[str], starts: Sequence[int], out: list[tuple[str, str]]
) -> None:
    a, b = match.span()
    inside = [i for i, s in enumerate(starts) if s < b and s + len(tokens[i]) > a]
    digits = "".join(match.groups())
    # Which word each digit of the number is in, in order.
    owner = [i for i in inside for ch in _clip(tokens[i], starts[i], a, b) if ch.isdigit()]
    pieces: dict[int, str] = {i: "" for i in inside}
    for k, ch in enumerate(digits):
        if k in GROUP_STARTS:
            # The hyphen goes to a word of its own between the groups ("859", "-", "473")
            # when there is one, else before the group's first digit.
            between = [i for i in inside if owner[k - 1] < i < owner[k]]
            pieces[between[0] if between else owner[k]] += "-"
        pieces[owner[k]] += ch
    for n, i in enumerate(inside):
        token, start = tokens[i], starts[i]
        before = token[: max(0, a - start)]
        after = token[max(0, b - start) :]
        sep = out[i][0] if n == 0 else ""
        out[i] = (sep, before + pieces[i] + after)


def _clip(token: str, start: int, a: int, b: int) -> str:
    """The part of ``token`` (at ``start`` in the line) inside characters ``[a, b)``."""
    return token[max(0, a - start) : max(0, b - start)]
