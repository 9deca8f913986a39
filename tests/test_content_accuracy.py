"""The content checks on the blind tables, each category held to its measured figure.

The floors are the figures in docs/ACCURACY.md (`python -m eval.content_accuracy`) minus a small
margin, so a change that makes any category worse fails here. The blind tables are never tuned
on and their misses are never printed (not even here: a failure names only the category).
"""

from __future__ import annotations

import pytest

from eval.content_accuracy import auc, score_messages, score_sentences
from eval.content_data import cases, messages
from voicemail_coach.analysis.meaning import get_model, load_error
from voicemail_coach.analysis.profile_loader import load_profile

MARGIN = 0.05
# Measured figures, (precision, recall), rules + meaning model, with the head of 2026-12-07,
# session 9 (authors N and O learnt from, the kind head deciding the kind; chosen on dev and extra,
# then measured once on the blind sets).
# Session 13: the encoder tuned (a low-rank change, scripts/finetune_encoder.py) and the heads
# learnt on its reading, chosen on dev and extra, then every table measured once more (blind Q's
# second reading, blind M's seventh). Before -> after, in docs/ACCURACY.md.
MEASURED = {
    # Author Q (531 sentences, session 13), written after blind M had been read six times;
    # measured once with the shipped head, never tuned on.
    "blind_q": {
        "intro": (0.98, 0.93),
        "value_proposition": (0.91, 0.93),
        "call_to_action": (0.97, 0.97),
        "opt_out": (0.96, 0.86),
        "premature_ask": (0.94, 0.88),
        "self_praise": (0.98, 1.00),
        "pressure": (0.86, 0.86),
        "personalization": (0.89, 0.90),
        "phone_number": (1.00, 0.96),
    },
    # Author M (513 sentences): measured once with the previous head, once with this one, once
    # more after the listener-greeting rule (personalization 0.95 / 0.71 -> 0.92 / 0.72; nothing
    # else moved; blind D's message personalization 0.92 -> 0.90), and once after the rule
    # grew into listener_named in session 10 (0.92 / 0.72 -> 0.94 / 0.73; blind D 0.88 / 0.84
    # -> 0.87 / 0.84; old blind 0.77 / 0.85 -> 0.75 / 0.90; nothing else moved). Against the
    # previous head: personalization 0.89 / 0.77 -> 0.92 / 0.72. Sixth reading, session 11,
    # after a listener's first name anywhere counts and a run-on sentence's value needs a part
    # (both chosen on extra, extra_p, train and dev): personalization 0.94 / 0.73 -> 0.91 /
    # 0.73, value proposition 0.92 / 0.92 -> 0.92 / 0.91 (steps back, reported as they came);
    # blind D personalization 0.87 / 0.84 -> 0.87 / 0.85, value proposition 0.95 / 0.90 -> 0.95 /
    # 0.87 (a step back).
    "blind_m": {
        "intro": (1.00, 1.00),
        "value_proposition": (0.98, 0.91),
        "call_to_action": (0.94, 0.96),
        "opt_out": (0.93, 0.95),
        "premature_ask": (0.91, 0.98),
        "self_praise": (0.98, 1.00),
        "pressure": (0.91, 0.95),
        "personalization": (0.84, 0.79),
        "phone_number": (0.97, 0.94),
    },
    # Author D: measured after every head since 2026-12-05 (never tuned on). Against the head
    # before this one: opt-out 0.97 / 0.84 -> 0.92 / 0.89, personalization 0.87 / 0.87 -> 0.88 /
    # 0.84, pressure 0.82 / 0.73 -> 0.89 / 0.73.
    "blind": {
        "intro": (1.00, 0.95),
        "value_proposition": (1.00, 0.82),
        "call_to_action": (0.97, 0.90),
        "opt_out": (0.94, 0.86),
        "premature_ask": (0.93, 0.93),
        "self_praise": (0.95, 0.95),
        "pressure": (0.89, 0.69),
        "personalization": (0.89, 0.90),
        "phone_number": (1.00, 1.00),
    },
    # 139 sentences (16 value propositions, 20 personalizations: one sentence is 0.05-0.06).
    "old_blind": {
        "intro": (1.00, 1.00),
        "value_proposition": (0.94, 1.00),
        "call_to_action": (0.97, 0.90),
        "opt_out": (1.00, 1.00),
        "premature_ask": (0.80, 0.92),
        "self_praise": (1.00, 1.00),
        "pressure": (0.83, 0.91),
        "personalization": (0.86, 0.90),
        "phone_number": (1.00, 1.00),
    },
    # Authors I and J (1,294 sentences), written without seeing the rules or the model and not
    # learnt from by the shipped head (its thresholds are chosen on them with dev).
    "extra": {
        "intro": (0.97, 0.99),
        "value_proposition": (0.96, 0.93),
        "call_to_action": (0.98, 0.90),
        "opt_out": (0.93, 0.95),
        "premature_ask": (0.93, 0.93),
        "self_praise": (0.97, 0.97),
        "pressure": (0.90, 0.88),
        "personalization": (0.86, 0.95),
        "phone_number": (0.97, 1.00),
    },
    # Author P (718 sentences, 428 of them personalization, most with no greeting), written in
    # session 10 without seeing the rules or the model; learnt from, it gave no gain on extra,
    # so it is measured only (its precision figures reflect P's strict line on "feature" talk).
    "extra_p": {
        "intro": (0.76, 1.00),
        "value_proposition": (0.86, 0.85),
        "call_to_action": (0.89, 0.98),
        "opt_out": (1.00, 1.00),
        "premature_ask": (0.82, 1.00),
        "self_praise": (0.74, 1.00),
        "pressure": (0.65, 0.95),
        "personalization": (0.98, 0.94),
        "phone_number": (1.00, 1.00),
    },
}
MEASURED_KIND = {
    "blind_q": 0.94,
    "blind_m": 0.99,
    "blind": 0.96,
    "old_blind": 0.93,
    "extra": 0.97,
    "extra_p": 0.97,
}
# Whole messages: presence agreement per category and the score's AUC, good against bad.
# Blind M's value proposition fell 0.91 -> 0.84 with this head (a step back, reported as it came),
# and rose to 0.89 (blind D's 0.88 -> 0.89) when a run-on sentence's value needed a part
# (session 11), while blind M's AUC went 0.997 -> 0.986 and blind D's 0.989 -> 1.000.
MEASURED_PRESENCE = {
    "blind_q": {
        "intro": 0.99,
        "value_proposition": 0.93,
        "call_to_action": 0.96,
        "opt_out": 0.99,
        "premature_ask": 0.99,
        "self_praise": 1.00,
        "pressure": 0.99,
        "personalization": 0.95,
    },
    "blind_m": {
        "intro": 1.00,
        "value_proposition": 0.95,
        "call_to_action": 0.97,
        "opt_out": 0.97,
        "premature_ask": 0.95,
        "self_praise": 0.97,
        "pressure": 0.93,
        "personalization": 0.96,
    },
    "blind": {
        "intro": 0.99,
        "value_proposition": 0.94,
        "call_to_action": 0.93,
        "opt_out": 0.94,
        "premature_ask": 0.93,
        "self_praise": 0.97,
        "pressure": 0.90,
        "personalization": 0.92,
    },
}
MEASURED_AUC = {"blind_q": 1.000, "blind_m": 0.988, "blind": 0.992}


@pytest.fixture(scope="module", autouse=True)
def model() -> None:
    if get_model() is None:
        pytest.fail(f"the meaning model must load in the test environment: {load_error()}")


@pytest.mark.parametrize("split", ["blind_q", "blind_m", "blind", "old_blind", "extra", "extra_p"])
def test_blind_sentences_keep_their_measured_figures(split: str) -> None:
    s = score_sentences(cases(split), load_profile(), keep_misses=False)
    assert s.n >= 130
    low = []
    for category, (precision, recall) in MEASURED[split].items():
        counts = s.per[category]
        if counts.precision < precision - MARGIN or counts.recall < recall - MARGIN:
            low.append((category, round(counts.precision, 2), round(counts.recall, 2)))
    assert not low, f"{split}: below the measured figures: {low}"
    assert s.kind_right / s.kind_total >= MEASURED_KIND[split] - MARGIN


@pytest.mark.parametrize("split", ["blind_q", "blind_m", "blind"])
def test_blind_messages_keep_their_presence_and_score_separation(split: str) -> None:
    m = score_messages(messages(split), load_profile(), keep_misses=False)
    assert m.n >= 60
    low = [
        (c, round(m.agree[c] / m.n, 2))
        for c, agreed in MEASURED_PRESENCE[split].items()
        if m.agree[c] / m.n < agreed - MARGIN
    ]
    assert not low, f"{split}: presence agreement below the measured figures: {low}"
    assert auc(m.good, m.bad) >= MEASURED_AUC[split] - 0.02
