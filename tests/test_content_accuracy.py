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
MEASURED = {
    "blind": {
        "intro": (1.00, 0.89),
        "value_proposition": (1.00, 0.84),
        "call_to_action": (0.95, 0.93),
        "opt_out": (0.94, 0.89),
        "premature_ask": (0.97, 0.86),
        "self_praise": (0.97, 0.88),
        "pressure": (0.88, 0.64),
        "personalization": (0.88, 0.81),
        "phone_number": (1.00, 1.00),
    },
    "old_blind": {
        "intro": (0.94, 1.00),
        "value_proposition": (0.84, 1.00),
        "call_to_action": (0.97, 0.94),
        "opt_out": (0.82, 1.00),
        "premature_ask": (0.80, 0.92),
        "self_praise": (1.00, 1.00),
        "pressure": (0.91, 0.91),
        "personalization": (0.83, 0.95),
        "phone_number": (1.00, 1.00),
    },
    # Authors I and J (1,294 sentences), written without seeing the rules or the model and not
    # learnt from by the shipped head (its thresholds are chosen on them with dev).
    "extra": {
        "intro": (0.98, 0.96),
        "value_proposition": (0.94, 0.94),
        "call_to_action": (0.95, 0.91),
        "opt_out": (0.93, 1.00),
        "premature_ask": (0.93, 0.90),
        "self_praise": (0.98, 0.90),
        "pressure": (0.89, 0.85),
        "personalization": (0.82, 0.87),
        "phone_number": (0.97, 1.00),
    },
}
MEASURED_KIND = {"blind": 0.92, "old_blind": 0.97, "extra": 0.89}
MEASURED_PRESENCE = {
    "intro": 0.99,
    "value_proposition": 0.90,
    "call_to_action": 0.94,
    "opt_out": 0.96,
    "premature_ask": 0.89,
    "self_praise": 0.93,
    "pressure": 0.93,
    "personalization": 0.93,
}
MEASURED_AUC = 0.988


@pytest.fixture(scope="module", autouse=True)
def model() -> None:
    if get_model() is None:
        pytest.fail(f"the meaning model must load in the test environment: {load_error()}")


@pytest.mark.parametrize("split", ["blind", "old_blind", "extra"])
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


def test_blind_messages_keep_their_presence_and_score_separation() -> None:
    m = score_messages(messages("blind"), load_profile(), keep_misses=False)
    assert m.n >= 60
    low = [
        (c, round(m.agree[c] / m.n, 2))
        for c, agreed in MEASURED_PRESENCE.items()
        if m.agree[c] / m.n < agreed - MARGIN
    ]
    assert not low, f"presence agreement below the measured figures: {low}"
    assert auc(m.good, m.bad) >= MEASURED_AUC - 0.02
