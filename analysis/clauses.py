"""A sentence's clauses and parts: where a new idea starts (after a comma or before a clause
word, fillers set off by commas kept inside), short clauses joined into parts, and the joining
words a part's timing skips."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from voicemail_coach.analysis.profile import Matcher, Profile
from voicemail_coach.analysis.transcript import Span, TimedText, Word, match_text, plain_word


def clauses(words: Sequence[Word], profile: Profile) -> list[tuple[int, int]]:
    """A sentence's clauses as (first, last) word indexes: split after a comma or before one of
    the profile's clause words, when both sides keep at least ``min_clause_words`` words.

    A filler phrase set off by commas ("I'll, you know, try you again") stays inside its clause:
    no clause starts with it, and its words do not count towards a clause's length (fillers that
    are clause words, "um" and "uh", still mark where a new idea starts)."""
    cut_words = set(profile.content.clause_words)
    least = profile.content.min_clause_words
    filler = [False] * len(words)
    opens = set()
    for span in filler_spans(words, profile.filler_matcher):
        inside = range(span.first, span.last + 1)
        if all(plain_word(words[k].text) in cut_words for k in inside):
            continue
        opens.add(span.first)
        for k in inside:
            filler[k] = True
    counted = np.cumsum([0] + [not f for f in filler])  # counted[k]: words before k that count
    cuts = [0]
    for k in range(1, len(words)):
        token = plain_word(words[k].text)
        after_comma = words[k - 1].text.strip().endswith((",", ";", ":", "-"))
        if (
            (after_comma or token in cut_words)
            and k not in opens
            and not filler[k]
            and counted[k] - counted[cuts[-1]] >= least
            and counted[-1] - counted[k] >= least
        ):
            cuts.append(k)
    return [(a, b - 1) for a, b in zip(cuts, [*cuts[1:], len(words)], strict=True)]


def filler_spans(words: Sequence[Word], matcher: Matcher, first: int = 0) -> list[Span]:
    """The fillers among one sentence's ``words`` (indices from ``first``), as word spans."""
    timed = TimedText(words, first)
    spans = (timed.span(start, end) for start, end in matcher.find(match_text(timed.text)))
    return [span for span in spans if span is not None]


def sentence_parts(words: Sequence[Word], profile: Profile) -> list[tuple[int, int]]:
    """A sentence's clauses (see :func:`clauses`), each short one joined to the next until it
    holds the profile's ``min_part_words``; a short last one, or one before a condition
    (profile ``condition_words``), joins the part before it."""
    least = profile.content.min_part_words
    conditions = set(profile.content.condition_words)
    parts: list[tuple[int, int]] = []
    start = None
    for a, b in clauses(words, profile):
        if start is not None and parts and lead_token(a, words, profile) in conditions:
            # A condition leads its own part, to go with what follows it ("if I haven't heard
            # back, I'll call you again"): a short clause before it joins the part before.
            parts[-1] = (parts[-1][0], a - 1)
            start = None
        start = a if start is None else start
        if b - start + 1 >= least:
            parts.append((start, b))
            start = None
    if start is not None:
        if parts:
            parts[-1] = (parts[-1][0], len(words) - 1)
        else:
            parts.append((start, len(words) - 1))
    return parts


def lead_token(first: int, words: Sequence[Word], profile: Profile) -> str:
    """A part's first word past its joining words ("so if ..." gives "if")."""
    return plain_word(words[past_lead_words(first, len(words) - 1, words, profile)].text)


def past_lead_words(first: int, last: int, words: Sequence[Word], profile: Profile) -> int:
    """A clause's first word after the joining words that only link it to the one before
    ("and just give me a call" starts at "just")."""
    lead = set(profile.content.clause_lead_words)
    while first < last and plain_word(words[first].text) in lead:
        first += 1
    return first
