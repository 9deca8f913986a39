"""What the library stores, as the rest of the app sees it: attempts and their reports."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from voicemail_coach.analysis.report import Report

RECORDING = "recording"  # status: being recorded, or interrupted; also a source
READY = "ready"  # status
FILE = "file"  # source


class LibraryError(Exception):
    """Something the library could not do; the message is meant for the user as it is."""


@dataclass(frozen=True)
class Attempt:
    """One take or opened file, with the figures of its newest report.

    Attributes:
        id: Number of the attempt, never reused.
        created_at: When it was recorded or added, ISO 8601 in UTC.
        title: Shown in the history; a recording's date or a file's name unless renamed.
        tags: The user's tags, in the order given.
        scenario: What the message was for (a prospect, a campaign), if given.
        notes: The user's notes.
        source: ``"recording"`` or ``"file"``.
        original_path: The file the user opened, for a file.
        audio_path: Absolute path of the audio in the library: the WAV being captured while
            ``status`` is ``"recording"``, the FLAC once ready.
        status: ``"recording"`` (in progress, or interrupted by a crash) or ``"ready"``.
        duration_s: Length of the audio, from the newest report when there is one.
        score: Score out of 100 of the newest report.
        time_to_value_s: When the value proposition starts, in the newest report.
        wpm: Words per minute in the newest report.
        fillers_per_min: Filler words per minute in the newest report.
        profile_name: Guidance profile of the newest report.
        model_name: Speech model of the newest report (None for a written script).
        session_id: The role-play session the take belongs to (see ``voicemail_coach.storage.coaching``).
        participant: Who recorded the take, in a role-play session.
        no_message: Why the newest report found no voicemail message in the take (silence,
            noise, a phone system's prompt, ...); None for a message. Such a take has no score
            and no figures: it is no baseline.
        left_as_voicemail: The message was left as a real voicemail (not practice): only such
            an attempt may have an outcome (``voicemail_coach.storage.outcomes``).
        variant_version_uid: The script variant version the message used, if linked.
        uid: The attempt's stable id (a UUID), the same in every library an outcome of it is
            pooled into; not compared, so two reads of one attempt are equal.
    """

    id: int
    created_at: str
    title: str
    tags: tuple[str, ...]
    scenario: str | None
    notes: str
    source: str
    original_path: str | None
    audio_path: str
    status: str
    duration_s: float | None
    score: int | None
    time_to_value_s: float | None
    wpm: float | None
    fillers_per_min: float | None
    profile_name: str | None
    model_name: str | None
    session_id: int | None = None
    participant: str | None = None
    no_message: str | None = None
    left_as_voicemail: bool = False
    variant_version_uid: str | None = None
    uid: str | None = field(default=None, compare=False)


if TYPE_CHECKING:
    from _typeshed import DataclassInstance

    R = TypeVar("R", bound=DataclassInstance)


def from_row(cls: type[R], row: sqlite3.Row, **computed: Any) -> R:
    """The record ``cls`` from a row: each field is the column of the same name, except the
    ``computed`` ones (decoded or counted by the caller)."""
    fields = (f.name for f in dataclasses.fields(cls) if f.name not in computed)
    return cls(**{name: row[name] for name in fields}, **computed)


def now_text() -> str:
    """This moment as the library stores it: ISO 8601 in UTC, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def one_line(text: str) -> str:
    """``text`` with its white space folded to single spaces, trimmed (a name, a title)."""
    return " ".join(text.split())


@dataclass(frozen=True)
class StoredReport:
    """A report as saved for an attempt; every analysis of an attempt is kept."""

    id: int
    attempt_id: int
    created_at: str
    profile_name: str
    profile_path: str
    length_preset: str
    model_name: str | None
    report: Report


def stored_report(row: sqlite3.Row) -> StoredReport:
    try:
        report = Report.from_dict(json.loads(row["report_json"]))
    except (ValueError, TypeError, KeyError) as exc:
        raise LibraryError(
            f"Report {row['id']} cannot be read by this version of Voicemail Coach ({exc})."
        ) from exc
    return from_row(StoredReport, row, report=report)
