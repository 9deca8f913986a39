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
# Measured figures, (precision, recall), rules + meaning model.
# Measured figures, (precision, recall), rules + meaning model, with the head of 2026-12-07
# (authors K and L learnt from; chosen on dev and extra before either blind set was measured).
MEASURED = {
    # Author M (513 sentences, 2026-12-07): measured once, with this head only.
    "blind_m": {
        "intro": (0.96, 0.98),
        "value_proposition": (0.92, 0.92),
        "call_to_action": (0.95, 0.96),
        "opt_out": (0.93, 0.93),
        "premature_ask": (0.93, 0.95),
        "self_praise": (0.97, 0.88),
        "pressure": (0.91, 0.93),
        "personalization": (0.89, 0.77),
        "phone_number": (0.97, 0.94),
    },
    # Author D: measured after every head since 2026-12-05 (never tuned on). Against the head
    # before this one: intro precision 1.00 -> 0.92 and pressure 0.88 / 0.64 -> 0.82 / 0.73.
    "blind": {
        "intro": (0.92, 0.95),
        "value_proposition": (0.98, 0.87),
        "call_to_action": (0.95, 0.95),
        "opt_out": (0.97, 0.84),
        "premature_ask": (0.95, 0.90),
        "self_praise": (0.97, 0.88),
        "pressure": (0.82, 0.73),
        "personalization": (0.87, 0.87),
        "phone_number": (1.00, 1.00),
    },
    # 139 sentences (16 value propositions): value precision 0.84 -> 0.76 is two sentences.
    "old_blind": {
        "intro": (0.94, 1.00),
        "value_proposition": (0.76, 1.00),
        "call_to_action": (0.93, 0.90),
        "opt_out": (1.00, 0.89),
        "premature_ask": (0.80, 0.92),
        "self_praise": (1.00, 1.00),
        "pressure": (0.85, 1.00),
        "personalization": (0.78, 0.90),
        "phone_number": (1.00, 1.00),
    },
    # Authors I and J (1,294 sentences), written without seeing the rules or the model and not
    # learnt from by the shipped head (its thresholds are chosen on them with dev).
    "extra": {
        "intro": (0.98, 0.98),
        "value_proposition": (0.93, 0.96),
        "call_to_action": (0.95, 0.92),
        "opt_out": (0.98, 0.95),
        "premature_ask": (0.93, 0.92),
        "self_praise": (0.98, 0.92),
        "pressure": (0.91, 0.85),
        "personalization": (0.81, 0.91),
        "phone_number": (0.97, 1.00),
    },
}
MEASURED_KIND = {"blind_m": 0.93, "blind": 0.92, "old_blind": 0.96, "extra": 0.89}
# Whole messages: presence agreement per category and the score's AUC, good against bad.
MEASURED_PRESENCE = {
    "blind_m": {
        "intro": 0.99,
        "value_proposition": 0.91,
        "call_to_action": 0.95,
        "opt_out": 0.93,
        "premature_ask": 0.93,
        "self_praise": 0.96,
        "pressure": 0.92,
        "personalization": 0.92,
    },
    "blind": {
        "intro": 1.00,
        "value_proposition": 0.89,
        "call_to_action": 0.93,
        "opt_out": 0.94,
        "premature_ask": 0.90,
        "self_praise": 0.93,
        "pressure": 0.92,
        "personalization": 0.90,
    },
}
MEASURED_AUC = {"blind_m": 0.993, "blind": 0.989}


@pytest.fixture(scope="module", autouse=True)
def model() -> None:
    if get_model() is None:
        pytest.fail(f"the meaning model must load in the test environment: {load_error()}")


@pytest.mark.parametrize("split", ["blind_m", "blind", "old_blind", "extra"])
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


@pytest.mark.parametrize("split", ["blind_m", "blind"])
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
