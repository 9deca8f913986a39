"""The evaluation harness: its scoring helpers, and a real run over three labelled cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval import run
from eval.metrics import align, match_events, normalise


def test_alignment_counts_lost_invented_and_changed_words() -> None:
    ref = normalise("Hi Dana, um, this is Sam from Northwind.")
    hyp = normalise("Hi Dana this is Sam from North wind. Thanks for watching")
    subs, dels, ins = align(ref, hyp)
    # "um" lost; "northwind" heard as "north" + "wind"; "thanks for watching" invented.
    assert (subs, dels, ins) == (1, 1, 4)


def test_events_pair_nearest_first_and_report_misses_and_extras() -> None:
    truth = [(1.0, 1.4), (5.0, 5.5)]
    found = [(1.2, 1.3), (1.35, 1.6), (9.0, 9.2)]
    matched, missed, extra = match_events(truth, found, 0.3)
    assert matched == [(0, 0)]  # start 1.2 is nearer 1.0 than 1.35 is
    assert missed == [1]
    assert extra == [1, 2]


@pytest.mark.model
def test_harness_prints_a_table_per_detector(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "set"
    doc = tmp_path / "EVALUATION.md"
    code = run.main(
        ["--out", str(out), "--make", "--cases", "pauses_dead_air,monotone_a,uptalk_a",
         "--write", str(doc)]
    )  # fmt: skip
    assert code == 0
    printed = capsys.readouterr().out
    assert "3 cases; a detection matches a label within 0.3 s" in printed
    rows = {line.split("  ")[0]: line for line in printed.splitlines() if "  " in line}
    # One labelled 2.5 s pause, found with both edges inside 0.3 s.
    assert rows["pauses"].split()[1] == "1/0/0"
    # Dead air at start and end in pauses_dead_air, none elsewhere: 6 verdicts, all right.
    assert "6/6 (100%)" in rows["dead air"]
    assert "1/1 (100%)" in rows["monotone verdict"]
    assert "(100%)" in rows["value proposition time"]
    text = doc.read_text()
    assert text.startswith("# How far to trust each delivery check")
    assert "| pauses | 1/0/0 |" in text
    assert "| pauses: within 0.3 s | 1 of 1 (worst" in text
    assert "| monotone verdict: >= 90 % right | 1 of 1 | met |" in text
