"""The history as CSV, written so that a spreadsheet never runs a cell as a formula."""

from __future__ import annotations

import contextlib
import csv
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from voicemail_coach.storage.records import Attempt

CSV_COLUMNS = (
    "id",
    "date",
    "title",
    "tags",
    "scenario",
    "duration_s",
    "score",
    "time_to_value_s",
    "wpm",
    "fillers_per_min",
    "profile",
    "model",
    "participant",
)


# A cell a spreadsheet would run as a formula (=, +, -, @, or a tab/return first) is written
# with a leading apostrophe: a take's title is the user's text, not a command.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A value as a safe CSV cell: None is empty, formula-like text is quoted as text."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(target: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Write UTF-8 CSV through a ``.partial`` file, so an existing file is replaced only when
    the new one is complete. Raises OSError (the partial file is removed)."""
    partial = target.with_name(target.name + ".partial")
    try:
        with partial.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(header)
            writer.writerows([csv_cell(v) for v in row] for row in rows)
        os.replace(partial, target)
    except OSError:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise


def csv_row(attempt: Attempt) -> list[object]:
    values: list[object] = [
        attempt.id,
        attempt.created_at,
        attempt.title,
        ", ".join(attempt.tags),
        attempt.scenario,
        attempt.duration_s,
        attempt.score,
        attempt.time_to_value_s,
        attempt.wpm,
        attempt.fillers_per_min,
        attempt.profile_name,
        attempt.model_name,
        attempt.participant,
    ]
    return values
