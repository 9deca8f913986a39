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
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from voicemail_coach.analysis.profile import RubricCriterion
from voicemail_coach.storage.coaching_records import (
    CoachingRecord,
    Comment,
    RubricScore,
    Session,
    SummaryRow,
    rubric_columns,
    rubric_total,
)
from voicemail_coach.storage.csv_files import write_csv
from voicemail_coach.storage.library import Library
from voicemail_coach.storage.records import Attempt, LibraryError, from_row

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
        with self.library.db.lock, self.library.db.write("start the session") as conn:
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
        rows = self.library.db.fetch(
            "SELECT id FROM sessions ORDER BY ended_at IS NOT NULL, created_at DESC, id DESC"
        )
        return [self.session(int(row["id"])) for row in rows]

    def session(self, session_id: int) -> Session:
        """One session. Raises LibraryError when there is no such session."""
        with self.library.db.lock:
            rows = self.library.db.fetch(
                "SELECT s.*, (SELECT count(*) FROM attempts a WHERE a.session_id = s.id) AS takes "
                "FROM sessions s WHERE s.id = ?",
                (session_id,),
            )
            if not rows:
                raise LibraryError(f"There is no session {session_id} (deleted?).")
            people = self.library.db.fetch(
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
        with self.library.db.lock, self.library.db.write("delete the session") as conn:
            self._require_session(conn, session_id)
            conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))

    def _change_session(self, session_id: int, changes: Mapping[str, Any]) -> None:
        with self.library.db.lock, self.library.db.write("save the session") as conn:
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
        with self.library.db.lock:
            self.set_participants(session_id, people)
            with self.library.db.write("rename the participant") as conn:
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
        with self.library.db.lock, self.library.db.write("save the participants") as conn:
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
        with self.library.db.lock, self.library.db.write("label the take") as conn:
            self.library.require(conn, attempt_id)
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
        rows = self.library.db.fetch(
            "SELECT * FROM attempts WHERE session_id = ? ORDER BY created_at, id", (session_id,)
        )
        return [self.library.attempt_from(row) for row in rows]

    def summary(self, session_id: int) -> list[SummaryRow]:
        """Every take of the session, oldest first, with its coach scores and comment count."""
        with self.library.db.lock:
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
        with self.library.db.lock:
            when = self._moment(attempt_id, at_s)
            now = _now()
            with self.library.db.write("save the comment") as conn:
                cursor = conn.execute(
                    "INSERT INTO comments (attempt_id, at_s, text, author, created_at, "
                    "updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (attempt_id, when, body, _clean(author), now, now),
                )
            comment_id = cursor.lastrowid
            assert comment_id is not None
            return self.comment(comment_id)

    def comment(self, comment_id: int) -> Comment:
        rows = self.library.db.fetch("SELECT * FROM comments WHERE id = ?", (comment_id,))
        if not rows:
            raise LibraryError(f"There is no comment {comment_id} (deleted?).")
        return from_row(Comment, rows[0])

    def comments(self, attempt_id: int) -> list[Comment]:
        """A take's comments in the order of their moments."""
        rows = self.library.db.fetch(
            "SELECT * FROM comments WHERE attempt_id = ? ORDER BY at_s, id", (attempt_id,)
        )
        return [from_row(Comment, row) for row in rows]

    def update_comment(
        self, comment_id: int, *, text: str | None = None, at_s: float | None = None
    ) -> Comment:
        """Change a comment's text or moment; None leaves it as it is."""
        with self.library.db.lock:
            old = self.comment(comment_id)
            body = _required_text(text) if text is not None else old.text
            when = self._moment(old.attempt_id, at_s) if at_s is not None else old.at_s
            with self.library.db.write("save the comment") as conn:
                conn.execute(
                    "UPDATE comments SET text = ?, at_s = ?, updated_at = ? WHERE id = ?",
                    (body, when, _now(), comment_id),
                )
            return self.comment(comment_id)

    def delete_comment(self, comment_id: int) -> None:
        with self.library.db.lock:
            self.comment(comment_id)
            with self.library.db.write("delete the comment") as conn:
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
        with self.library.db.lock:
            with self.library.db.write("save the score") as conn:
                self.library.require(conn, attempt_id)
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
        rows = self.library.db.fetch(
            "SELECT * FROM rubric_scores WHERE attempt_id = ? ORDER BY rowid", (attempt_id,)
        )
        return {row["criterion_id"]: from_row(RubricScore, row) for row in rows}

    # Reports.

    def record(self, attempt_id: int, rubric: Sequence[RubricCriterion] = ()) -> CoachingRecord:
        """What the coach added to a take, for an exported report."""
        with self.library.db.lock:
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
            raise self.library.db.problem(exc, f"export the session summary to {target}") from exc
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
