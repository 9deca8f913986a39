"""Per-category precision and recall of the sentence classifier on a hand-labelled table.

Run ``python tests/test_sentence_table.py`` to print the table with every miss.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from eval.content_data import CATEGORIES
from voicemail_coach.analysis.phrase_rules import classify_sentence
from voicemail_coach.analysis.profile import Profile
from voicemail_coach.analysis.profile_loader import load_profile

DATA = Path(__file__).parent / "data"
# "tuning" and "dev" were used to shape the profile's patterns ("dev" was first written as a
# held-out table, measured once blind, then tuned on). "blind" was written separately by someone
# who never saw the patterns or the other tables, and its misses are never looked at.
TABLES = {
    "tuning": DATA / "sentence_table.toml",
    "dev": DATA / "sentence_table_dev.toml",
    "blind": DATA / "sentence_table_blind.toml",
}
# The floor each category must keep; measured figures are printed by the script and noted in docs.
MIN_PRECISION = 0.85
MIN_RECALL = 0.8


def cases(table: str = "tuning") -> list[dict[str, object]]:
    return list(tomllib.loads(TABLES[table].read_text(encoding="utf-8"))["case"])


def predict(text: str, profile: Profile) -> tuple[set[str], str | None]:
    result = classify_sentence(text, profile)
    return set(result.labels), result.cta_kind


def score(
    profile: Profile, table: str = "tuning"
) -> tuple[dict[str, tuple[float, float, int]], float, list[str]]:
    tp = dict.fromkeys(CATEGORIES, 0)
    fp = dict.fromkeys(CATEGORIES, 0)
    fn = dict.fromkeys(CATEGORIES, 0)
    kind_right = kind_total = 0
    misses = []
    for case in cases(table):
        text = str(case["text"])
        truth = set(case["labels"])  # type: ignore[call-overload]
        got, kind = predict(text, profile)
        for c in CATEGORIES:
            if c in got and c in truth:
                tp[c] += 1
            elif c in got:
                fp[c] += 1
                misses.append(f"FP {c:18} {text}")
            elif c in truth:
                fn[c] += 1
                misses.append(f"FN {c:18} {text}")
        if "call_to_action" in truth and "call_to_action" in got:
            kind_total += 1
            kind_right += kind == case.get("cta_kind")
            if kind != case.get("cta_kind"):
                misses.append(f"KIND {kind} != {case.get('cta_kind')}: {text}")
    table = {
        c: (
            tp[c] / (tp[c] + fp[c]) if tp[c] + fp[c] else 1.0,
            tp[c] / (tp[c] + fn[c]) if tp[c] + fn[c] else 1.0,
            tp[c] + fn[c],
        )
        for c in CATEGORIES
    }
    return table, kind_right / max(1, kind_total), misses


@pytest.fixture(scope="module", params=["tuning", "dev"])
def measured(
    request: pytest.FixtureRequest,
) -> tuple[dict[str, tuple[float, float, int]], float, list[str]]:
    return score(load_profile(), request.param)


def test_table_is_big_and_varied() -> None:
    all_cases = cases()
    assert len(all_cases) >= 60
    for c in CATEGORIES:
        positives = [x for x in all_cases if c in x["labels"]]  # type: ignore[operator]
        assert len(positives) >= 5, c
    assert sum(1 for x in all_cases if not x["labels"]) >= 10


@pytest.mark.parametrize("category", CATEGORIES)
def test_category_precision_and_recall(
    category: str, measured: tuple[dict[str, tuple[float, float, int]], float, list[str]]
) -> None:
    precision, recall, _ = measured[0][category]
    misses = [m for m in measured[2] if f" {category} " in m]
    assert precision >= MIN_PRECISION, misses
    assert recall >= MIN_RECALL, misses


# Floors for the blind table, a little under its measured figures (docs/ACCURACY.md): it is
# never tuned on, so these only catch regressions.
BLIND_MIN_PRECISION = 0.65
BLIND_MIN_RECALL = 0.15


def test_blind_table_keeps_its_measured_floor() -> None:
    table, kind_accuracy, _ = score(load_profile(), "blind")
    assert len(cases("blind")) >= 100
    for category, (precision, recall, _) in table.items():
        assert precision >= BLIND_MIN_PRECISION, (category, precision)
        assert recall >= BLIND_MIN_RECALL, (category, recall)
    assert kind_accuracy >= 0.85


def test_call_to_action_kind(
    measured: tuple[dict[str, tuple[float, float, int]], float, list[str]],
) -> None:
    assert measured[1] >= 0.85, [m for m in measured[2] if m.startswith("KIND")]


if __name__ == "__main__":
    import sys

    which = sys.argv[1] if len(sys.argv) > 1 else "tuning"
    table, kind_accuracy, misses = score(load_profile(), which)
    if which == "blind":
        misses = []  # the blind table's misses stay unseen, so it stays a fair test
    print(f"{which} table ({len(cases(which))} sentences)")
    print(f"{'category':20} {'precision':>9} {'recall':>7} {'n':>4}")
    for c, (p, r, n) in table.items():
        print(f"{c:20} {p:9.2f} {r:7.2f} {n:4d}")
    print(f"call-to-action kind accuracy: {kind_accuracy:.2f}")
    print("\n".join(misses))
