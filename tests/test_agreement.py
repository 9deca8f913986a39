"""The second labeller's reading of blind M lines up with it, case by case, and agrees as
docs/ACCURACY.md reports (a ceiling for the content checks' figures)."""

from __future__ import annotations

import pytest

from eval import agreement


def test_two_labellers_agree_where_the_conventions_are_clear_and_differ_on_personalization(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert agreement.main() == 0
    out = capsys.readouterr().out
    rows = {
        line.split()[0]: line.split()
        for line in out.splitlines()
        if line.startswith("  ") and "/" in line
    }
    # precision / recall of the second reading against author M, over all 513 sentences
    figures = {c: (float(r[1]), float(r[3])) for c, r in rows.items()}
    assert figures["premature_ask"] == (1.0, 1.0)
    assert figures["self_praise"] == (1.0, 1.0)
    assert all(p >= 0.95 and r >= 0.95 for c, (p, r) in figures.items() if c != "personalization")
    assert figures["personalization"] == (0.88, 0.98)
    assert "identical label sets 490 of 513" in out
