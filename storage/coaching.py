"""Coach-led role play on top of the attempt library: sessions, who recorded each take, coach
comments at moments of a take, and rubric scores.

Qt-free, like :mod:`voicemail_coach.storage.library`, whose database, lock and error handling it shares (the
tables come from migration 3 in :mod:`voicemail_coach.storage.migrations`). Deleting an attempt deletes its
comments and scores; ending or deleting a session never deletes a take.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from voicemail_coach.analysis.profile import ProfileError, RubricCriterion
from voicemail_coach.analysis.profile_loader import load_profile
from voicemail_coach.storage.library import Attempt, Library, LibraryError, from_row, write_csv

# A comment may sit this far past the end of the audio (a click on the timeline's last pixel).
END_SLACK_S = 0.5

SUMMARY_CSV_COLUMNS = (
    "attempt_id",
    "date",
    "participant",
    "scenario",
    "title",
    "duration_s",
    "auto_score",
)


@dataclass(frozen=True)
class Session:
    """A role-play session a coach runs with a team.

    Attributes:
        participants: Names in the coach's order (the order they take turns).
        take_count: How many takes in the library belong to the session.
    """

    id: int
    name: str
    coach: str
    created_at: str
    notes: str
    ended_at: str | None
    participants: tuple[str, ...]
    take_count: int = 0

    @property
    def active(self) -> bool:
        return self.ended_at is None


@dataclass(frozen=True)
class Comment:
    """A coach's remark pinned to a moment of a take (``at_s`` seconds from its start)."""

    id: int
    attempt_id: int
    at_s: float
    text: str
    author: str
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class RubricScore:
    """One criterion scored by hand; name and scale are copied from the profile when scored."""

    attempt_id: int
    criterion_id: str
    criterion_name: str
    score: int
    scale_min: int
    scale_max: int
    profile_name: str
    scored_at: str


@dataclass(frozen=True)
class RubricTotal:
    """The sum of the scored criteria out of the sum of their maxima."""

    points: int
    max_points: int
    scored: int
    criteria: int

    def text(self) -> str:
        """ "18/25"; "12/15 (3 of 5 scored)" when some are not scored; "" when none is."""
        if not self.scored:
            return ""
        total = f"{self.points}/{self.max_points}"
        if self.scored < self.criteria:
            total += f" ({self.scored} of {self.criteria} scored)"
        return total


@dataclass(frozen=True)
class CoachingRecord:
    """Everything a coach added to one attempt, as reports show it."""

    session: Session | None
    participant: str | None
    comments: tuple[Comment, ...]
    scores: Mapping[str, RubricScore]
    rubric: tuple[RubricCriterion, ...]

    @property
    def empty(self) -> bool:
        return not (self.session or self.participant or self.comments or self.scores)

    def total(self) -> RubricTotal:
        return rubric_total(self.rubric, self.scores)


@dataclass(frozen=True)
class SummaryRow:
    """One take of a session, with its automatic score and the coach's scores."""

    attempt: Attempt
    scores: Mapping[str, RubricScore]
    comment_count: int


def rubric_columns(
    rubric: Sequence[RubricCriterion], scores: Iterable[Mapping[str, RubricScore]]
) -> tuple[RubricCriterion, ...]:
    """The criteria of ``rubric``, then any other criterion found among ``scores`` (scored
    under another profile), built from what was stored with the score."""
    columns = {c.id: c for c in rubric}
    for by_id in scores:
        for s in by_id.values():
            if s.criterion_id not in columns:
                columns[s.criterion_id] = RubricCriterion(
                    s.criterion_id, s.criterion_name, "", s.scale_min, s.scale_max
                )
    return tuple(columns.values())


def rubric_total(
    rubric: Sequence[RubricCriterion], scores: Mapping[str, RubricScore]
) -> RubricTotal:
    """Total of ``scores`` over the criteria of ``rubric`` (see :func:`rubric_columns`)."""
    columns = rubric_columns(rubric, [scores])
    scored = [scores[c.id] for c in columns if c.id in scores]
    return RubricTotal(
        points=sum(s.score for s in scored),
        max_points=sum(s.scale_max for s in scored),
        scored=len(scored),
        criteria=len(columns),
    )


def rubric_of(
    profile_path: str | None, fallback: Sequence[RubricCriterion] | None = None
) -> tuple[RubricCriterion, ...]:
    """The rubric of the profile at ``profile_path`` (the one a report was made with).

    When that profile cannot be loaded any more (moved, broken), ``fallback``; by default the
    bundled profile's rubric.
    """
    if profile_path:
        try:
            return load_profile(profile_path).rubric
        except ProfileError:
            pass
    return tuple(fallback) if fallback is not None else load_profile().rubric


def format_clock(at_s: float) -> str:
    """Seconds as "0:12" or "1:05"."""
    whole = max(0, int(at_s))
    return f"{whole // 60}:{whole % 60:02d}"


class Coaching:
    """Sessions, participants, comments and rubric scores kept in ``library``; thread-safe."""

    def __init__(self, library: Library) -> None:
        self.library = library

    # Sessions.

    def start_session(
        self, name: str, coach: str = "", participants: Sequence[str] = ()
    ) -> Session:
        """A new, running session.

        Raises:
            LibraryError: a blank name, a blank or repeated participant, or it cannot be saved.
        """
        title = _required(name, "A session needs a name.")
        people = _unique_names(participants)
        with self.library._lock, self.library._write("start the session") as conn:
            cursor = conn.execute(
                "INSERT INTO sessions (name, coach, created_at) VALUES (?, ?, ?)",
                (title, _clean(coach), _now()),
            )
            session_id = cursor.lastrowid
            assert session_id is not None
            conn.executemany(
                "INSERT INTO session_participants (session_id, name, position) VALUES (?, ?, ?)",
                [(session_id, person, n) for n, person in enumerate(people)],
            )
        return self.session(session_id)

    def sessions(self) -> list[Session]:
        """Every session, running ones first, then newest first."""
        rows = self.library._fetch(
            "SELECT id FROM sessions ORDER BY ended_at IS NOT NULL, created_at DESC, id DESC"
        )
        return [self.session(int(row["id"])) for row in rows]

    def session(self, session_id: int) -> Session:
        """One session. Raises LibraryError when there is no such session."""
        with self.library._lock:
            rows = self.library._fetch(
                "SELECT s.*, (SELECT count(*) FROM attempts a WHERE a.session_id = s.id) AS takes "
                "FROM sessions s WHERE s.id = ?",
                (session_id,),
            )
            if not rows:
                raise LibraryError(f"There is no session {session_id} (deleted?).")
            people = self.library._fetch(
                "SELECT name FROM session_participants WHERE session_id = ? ORDER BY position",
                (session_id,),
            )
        row = rows[0]
        return from_row(
            Session,
            row,
            participants=tuple(p["name"] for p in people),
            take_count=row["takes"],
        )

    def update_session(
        self,
        session_id: int,
        *,
        name: str | None = None,
        coach: str | None = None,
        notes: str | None = None,
    ) -> Session:
        """Change a session's name, coach or notes; None leaves a field as it is."""
        changes: dict[str, Any] = {}
        if name is not None:
            changes["name"] = _required(name, "A session needs a name.")
        if coach is not None:
            changes["coach"] = _clean(coach)
        if notes is not None:
            changes["notes"] = notes
        self._change_session(session_id, changes)
        return self.session(session_id)

    def end_session(self, session_id: int) -> Session:
        """Mark a session ended (its takes stay); ending it twice keeps the first time."""
        if self.session(session_id).active:
            self._change_session(session_id, {"ended_at": _now()})
        return self.session(session_id)

    def reopen_session(self, session_id: int) -> Session:
        self._change_session(session_id, {"ended_at": None})
        return self.session(session_id)

    def delete_session(self, session_id: int) -> None:
        """Forget a session and its participant list; its takes stay in the history, each still
        labelled with who recorded it."""
        with self.library._lock, self.library._write("delete the session") as conn:
            self._require_session(conn, session_id)
            conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))

    def _change_session(self, session_id: int, changes: Mapping[str, Any]) -> None:
        with self.library._lock, self.library._write("save the session") as conn:
            self._require_session(conn, session_id)
            if changes:
                assignments = ", ".join(f"{column} = ?" for column in changes)
                conn.execute(
                    f"UPDATE sessions SET {assignments} WHERE id = ?",
                    (*changes.values(), session_id),
                )

    # Participants.

    def add_participant(self, session_id: int, name: str) -> Session:
        """Add someone at the end of the order.

        Raises:
            LibraryError: a blank name, or someone of that name is in the session already.
        """
        session = self.session(session_id)
        return self.set_participants(session_id, [*session.participants, name])

    def remove_participant(self, session_id: int, name: str) -> Session:
        """Take someone off the list; their takes keep their name."""
        session = self.session(session_id)
        return self.set_participants(session_id, [p for p in session.participants if p != name])

    def rename_participant(self, session_id: int, old: str, new: str) -> Session:
        """Rename someone, in the list and on the session's takes they recorded."""
        session = self.session(session_id)
        if old not in session.participants:
            raise LibraryError(f"{old} is not in the session {session.name}.")
        clean = _required(new, "A participant needs a name.")
        people = [clean if p == old else p for p in session.participants]
        with self.library._lock:
            self.set_participants(session_id, people)
            with self.library._write("rename the participant") as conn:
                conn.execute(
                    "UPDATE attempts SET participant = ? WHERE session_id = ? AND participant = ?",
                    (clean, session_id, old),
                )
        return self.session(session_id)

    def set_participants(self, session_id: int, names: Sequence[str]) -> Session:
        """Replace the list (and so the order) of participants.

        Raises:
            LibraryError: a blank or repeated name (ignoring case), or no such session.
        """
        people = _unique_names(names)
        with self.library._lock, self.library._write("save the participants") as conn:
            self._require_session(conn, session_id)
            conn.execute("DELETE FROM session_participants WHERE session_id = ?", (session_id,))
            conn.executemany(
                "INSERT INTO session_participants (session_id, name, position) VALUES (?, ?, ?)",
                [(session_id, person, n) for n, person in enumerate(people)],
            )
        return self.session(session_id)

    # Takes.

    def label_take(
        self,
        attempt_id: int,
        session_id: int | None,
        participant: str | None,
        scenario: str | None = None,
    ) -> Attempt:
        """Say which session a take belongs to and who recorded it (None for neither).

        ``scenario`` is given to a take that has none yet (a scenario chosen for the take
        itself wins).
        """
        who = _clean(participant) or None if participant is not None else None
        what = _clean(scenario) or None if scenario is not None else None
        with self.library._lock, self.library._write("label the take") as conn:
            self.library._require(conn, attempt_id)
            if session_id is not None:
                self._require_session(conn, session_id)
            conn.execute(
                "UPDATE attempts SET session_id = ?, participant = ?, "
                "scenario = coalesce(scenario, ?) WHERE id = ?",
                (session_id, who, what, attempt_id),
            )
        return self.library.attempt(attempt_id)

    def takes(self, session_id: int) -> list[Attempt]:
        """The session's takes in the order they were made."""
        rows = self.library._fetch(
            "SELECT * FROM attempts WHERE session_id = ? ORDER BY created_at, id", (session_id,)
        )
        return [self.library._attempt_from(row) for row in rows]

    def summary(self, session_id: int) -> list[SummaryRow]:
        """Every take of the session, oldest first, with its coach scores and comment count."""
        with self.library._lock:
            self.session(session_id)
            return [
                SummaryRow(a, self.scores(a.id), len(self.comments(a.id)))
                for a in self.takes(session_id)
            ]

    # Comments.

    def add_comment(self, attempt_id: int, at_s: float, text: str, author: str = "") -> Comment:
        """Pin a comment to a moment of a take.

        Raises:
            LibraryError: blank text, a time outside the take, or no such attempt.
        """
        body = _required_text(text)
        with self.library._lock:
            when = self._moment(attempt_id, at_s)
            now = _now()
            with self.library._write("save the comment") as conn:
                cursor = conn.execute(
                    "INSERT INTO comments (attempt_id, at_s, text, author, created_at, "
                    "updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (attempt_id, when, body, _clean(author), now, now),
                )
            comment_id = cursor.lastrowid
            assert comment_id is not None
            return self.comment(comment_id)

    def comment(self, comment_id: int) -> Comment:
        rows = self.library._fetch("SELECT * FROM comments WHERE id = ?", (comment_id,))
        if not rows:
            raise LibraryError(f"There is no comment {comment_id} (deleted?).")
        return from_row(Comment, rows[0])

    def comments(self, attempt_id: int) -> list[Comment]:
        """A take's comments in the order of their moments."""
        rows = self.library._fetch(
            "SELECT * FROM comments WHERE attempt_id = ? ORDER BY at_s, id", (attempt_id,)
        )
        return [from_row(Comment, row) for row in rows]

    def update_comment(
        self, comment_id: int, *, text: str | None = None, at_s: float | None = None
    ) -> Comment:
        """Change a comment's text or moment; None leaves it as it is."""
        with self.library._lock:
            old = self.comment(comment_id)
            body = _required_text(text) if text is not None else old.text
            when = self._moment(old.attempt_id, at_s) if at_s is not None else old.at_s
            with self.library._write("save the comment") as conn:
                conn.execute(
                    "UPDATE comments SET text = ?, at_s = ?, updated_at = ? WHERE id = ?",
                    (body, when, _now(), comment_id),
                )
            return self.comment(comment_id)

    def delete_comment(self, comment_id: int) -> None:
        with self.library._lock:
            self.comment(comment_id)
            with self.library._write("delete the comment") as conn:
                conn.execute("DELETE FROM comments WHERE id = ?", (comment_id,))

    def _moment(self, attempt_id: int, at_s: float) -> float:
        duration = self.library.attempt(attempt_id).duration_s
        if not math.isfinite(at_s) or at_s < 0:
            raise LibraryError(f"A comment needs a moment in the take, not {at_s} s.")
        if duration is not None and at_s > duration + END_SLACK_S:
            raise LibraryError(f"{at_s:.1f} s is past the end of the take ({duration:.1f} s long).")
        return round(float(at_s), 2)

    # Rubric.

    def set_score(
        self,
        attempt_id: int,
        criterion: RubricCriterion,
        score: int | None,
        profile_name: str,
    ) -> RubricScore | None:
        """Score one criterion of a take on its scale; None clears the score.

        Raises:
            LibraryError: a score that is not a whole number on the criterion's scale, or no
                such attempt.
        """
        if score is not None and (
            isinstance(score, bool)
            or not isinstance(score, int)
            or not criterion.scale_min <= score <= criterion.scale_max
        ):
            raise LibraryError(
                f"{criterion.name} is scored from {criterion.scale_min} to "
                f"{criterion.scale_max}; {score!r} is not on that scale."
            )
        with self.library._lock:
            with self.library._write("save the score") as conn:
                self.library._require(conn, attempt_id)
                if score is None:
                    conn.execute(
                        "DELETE FROM rubric_scores WHERE attempt_id = ? AND criterion_id = ?",
                        (attempt_id, criterion.id),
                    )
                else:
                    conn.execute(
                        "INSERT OR REPLACE INTO rubric_scores (attempt_id, criterion_id, "
                        "criterion_name, score, scale_min, scale_max, profile_name, scored_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            attempt_id,
                            criterion.id,
                            criterion.name,
                            score,
                            criterion.scale_min,
                            criterion.scale_max,
                            profile_name,
                            _now(),
                        ),
                    )
            return self.scores(attempt_id).get(criterion.id)

    def scores(self, attempt_id: int) -> dict[str, RubricScore]:
        """A take's rubric scores by criterion id."""
        rows = self.library._fetch(
            "SELECT * FROM rubric_scores WHERE attempt_id = ? ORDER BY rowid", (attempt_id,)
        )
        return {row["criterion_id"]: from_row(RubricScore, row) for row in rows}

    # Reports.

    def record(self, attempt_id: int, rubric: Sequence[RubricCriterion] = ()) -> CoachingRecord:
        """What the coach added to a take, for an exported report."""
        with self.library._lock:
            attempt = self.library.attempt(attempt_id)
            session = self.session(attempt.session_id) if attempt.session_id else None
            scores = self.scores(attempt_id)
            return CoachingRecord(
                session=session,
                participant=attempt.participant,
                comments=tuple(self.comments(attempt_id)),
                scores=scores,
                rubric=rubric_columns(rubric, [scores]) if scores else tuple(rubric),
            )

    def export_summary_csv(
        self, session_id: int, path: str | Path, rubric: Sequence[RubricCriterion] = ()
    ) -> int:
        """Write the session summary as UTF-8 CSV: a row per take, automatic score, one column
        per rubric criterion and the rubric total. Returns the number of takes written."""
        rows = self.summary(session_id)
        columns = rubric_columns(rubric, [r.scores for r in rows])
        target = Path(path)
        header = [*SUMMARY_CSV_COLUMNS, *(c.id for c in columns), "rubric_total", "comments"]
        lines = []
        for row in rows:
            a = row.attempt
            total = rubric_total(columns, row.scores)
            scores = (row.scores[c.id].score if c.id in row.scores else None for c in columns)
            lines.append(
                [
                    a.id,
                    a.created_at,
                    a.participant,
                    a.scenario,
                    a.title,
                    a.duration_s,
                    a.score,
                    *scores,
                    total.text() or None,
                    row.comment_count,
                ]
            )
        try:
            write_csv(target, header, lines)
        except OSError as exc:
            raise self.library._problem(exc, f"export the session summary to {target}") from exc
        return len(rows)

    def _require_session(self, conn: sqlite3.Connection, session_id: int) -> None:
        if not conn.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone():
            raise LibraryError(f"There is no session {session_id} (deleted?).")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _clean(text: str) -> str:
    return " ".join(text.split())


def _required(text: str, problem: str) -> str:
    clean = _clean(text)
    if not clean:
        raise LibraryError(problem)
    return clean


def _required_text(text: str) -> str:
    if not text.strip():
        raise LibraryError("A comment cannot be empty.")
    return text.strip()


def _unique_names(names: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    people: list[str] = []
    for name in names:
        clean = _required(name, "A participant needs a name.")
        if clean.casefold() in seen:
            raise LibraryError(f"{clean} is in the session already.")
        seen.add(clean.casefold())
        people.append(clean)
    return people
