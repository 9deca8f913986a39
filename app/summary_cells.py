"""The cells of a role-play session's summary, one row per take: each cell's text, the value its
column sorts by and the status that colours a score. The window's table
(`app/pages/session_summary.py`), the exported page (`app/export/session.py`) and
`voicemail-coach sessions` (`app/cli/sessions.py`) all show these, each in its own dress (how
a time reads, the mark for a missing value, escaping). Qt-free."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from voicemail_coach.analysis.profile import RubricCriterion
from voicemail_coach.app.dates import format_date
from voicemail_coach.storage.coaching_records import SummaryRow, rubric_total

FIXED_HEADERS = ("Time", "Who", "Scenario", "Length", "Auto")


def score_status(score: int) -> str:
    """A score out of 100 as a status: pass from 80, warn from 60, fail below."""
    return "pass" if score >= 80 else "warn" if score >= 60 else "fail"


@dataclass(frozen=True)
class Cell:
    text: str
    value: float | None = None  # what a number column sorts by (None: missing)
    number: bool = False  # a number: sorted by ``value``, aligned right
    status: str | None = None  # "pass" | "warn" | "fail": the colour of a score


def headers(columns: Sequence[RubricCriterion]) -> list[str]:
    """The column names: the fixed ones, each rubric criterion, the rubric total, comments."""
    return [*FIXED_HEADERS, *(c.name for c in columns), "Rubric", "Comments"]


def one_day(rows: Sequence[SummaryRow]) -> bool:
    """Whether every take is of one day (a time alone then says when)."""
    return len({format_date(r.attempt.created_at, "day") for r in rows}) <= 1


def row_cells(
    row: SummaryRow,
    columns: Sequence[RubricCriterion],
    when: str,
    missing: str,
    short_total: bool = True,
) -> list[Cell]:
    """A take's cells under `headers` (``when`` is the Time cell's text, ``missing`` the mark
    for a value there is not); ``short_total`` leaves the word "scored" out of the rubric total
    ("14/15 (3 of 5)"), for a table that is wide enough without it."""
    a = row.attempt
    total = rubric_total(columns, row.scores)
    ratio = total.points / total.max_points if total.max_points else None
    cells = [
        Cell(when),
        Cell(a.participant or missing),
        Cell(a.scenario or missing),
        Cell(missing if a.duration_s is None else f"{a.duration_s:.1f} s", a.duration_s, True),
        Cell(
            missing if a.score is None else str(a.score), a.score, True,
            None if a.score is None else score_status(a.score),
        ),
    ]  # fmt: skip
    for c in columns:
        s = row.scores.get(c.id)
        cells.append(
            Cell(missing if s is None else str(s.score), None if s is None else s.score, True)
        )
    text = total.text()
    if short_total:
        text = text.replace(" scored", "")
    status = None if ratio is None else score_status(round(ratio * 100))
    cells.append(Cell(text or missing, ratio, True, status))
    cells.append(Cell(str(row.comment_count), row.comment_count, True))
    return cells
