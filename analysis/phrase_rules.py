"""What the profile's phrase rules find in a sentence: its labels, the call-to-action kind and
each match located in the words; the same as the vectors the meaning model reads."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from voicemail_coach.analysis.findings import Finding, SentenceLabels
from voicemail_coach.analysis.phone_numbers import find_phone_numbers
from voicemail_coach.analysis.profile import Profile
from voicemail_coach.analysis.transcript import TimedText, Word, match_text, words_from_text

RULE_WHY = "matched the profile's phrase rule for {name}"
NAMES = {
    "intro": "an introduction",
    "value_proposition": "a value proposition",
    "call_to_action": "a call to action",
    "opt_out": "an opt-out",
    "premature_ask": "a premature ask",
    "self_praise": "self-praise",
    "pressure": "pressure",
    "personalization": "personalization",
    "phone_number": "a phone number",
}


def classify_sentence(
    text: str,
    profile: Profile,
    words: Sequence[Word] | None = None,
    index: int = 0,
    first_word: int = 0,
) -> SentenceLabels:
    """Labels for one sentence, with each match located in the words when they are given."""
    if words is None:
        words = words_from_text(text, profile.pace.script_wpm)
    timed = TimedText(words, first_word)
    norm = match_text(timed.text)
    findings: list[Finding] = []

    def add(category: str, spans: list[tuple[int, int]], kind: str | None = None) -> None:
        for s, e in spans:
            span = timed.span(s, e)
            if span is not None:
                findings.append(Finding(category, span.text, span.start_s, span.end_s, index, kind))

    for category, matcher in profile.structure.items():
        add(category, matcher.find(norm))
    cta_kind = None
    for kind, matcher in profile.cta.items():
        spans = matcher.find(norm)
        if spans:
            cta_kind = kind
            add("call_to_action", spans[:1], kind)
            break
    for number in find_phone_numbers(
        timed.words, profile.phone.min_digits, profile.phone.not_after
    ):
        findings.append(Finding("phone_number", number.text, number.start_s, number.end_s, index))
        if cta_kind is None:
            # Leaving your number is itself an invitation to call back.
            cta_kind = "callback"
            findings.append(
                Finding(
                    "call_to_action", number.text, number.start_s, number.end_s, index, cta_kind
                )
            )
    labels = tuple(dict.fromkeys(f.category for f in findings))
    return SentenceLabels(labels, cta_kind, tuple(findings))


def explained_by_rules(sl: SentenceLabels) -> SentenceLabels:
    return SentenceLabels(
        sl.labels,
        sl.cta_kind,
        tuple(
            dataclasses.replace(f, why=RULE_WHY.format(name=NAMES.get(f.category, f.category)))
            for f in sl.findings
        ),
    )


def rule_vectors(
    texts: Sequence[str], profile: Profile
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """What the profile's phrase rules say of each text, as the meaning model reads it: a 0/1
    column per content category, and a one-hot call-to-action kind (all 0 when none)."""
    return vectors([classify_sentence(text, profile) for text in texts])


def vectors(
    labelled: Sequence[SentenceLabels],
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    from voicemail_coach.analysis.meaning import CATEGORIES, KINDS

    hits = np.zeros((len(labelled), len(CATEGORIES)), dtype=np.float32)
    kinds = np.zeros((len(labelled), len(KINDS)), dtype=np.float32)
    for i, sl in enumerate(labelled):
        for j, c in enumerate(CATEGORIES):
            hits[i, j] = c in sl.labels
        if sl.cta_kind in KINDS:
            kinds[i, KINDS.index(sl.cta_kind)] = 1.0
    return hits, kinds
