"""Role-play sessions in the attempt library: a session's name, coach, notes and whether it is
running; its participants in order; which session a take belongs to and who recorded it.
Ending or deleting a session never deletes a take (the tables come from migration 3 in
:mod:`voicemail_coach.storage.migrations`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from voicemail_coach.storage.coaching_records import Session
from voicemail_coach.storage.library import Library
from voicemail_coach.storage.records import Attempt, LibraryError, from_row, now_text, one_line


class Sessions:
    """Sessions, their participants and their takes, kept in ``library``; thread-safe."""

    def __init__(self, library: Library) -> None:
        self.library = library

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
                (title, one_line(coach), now_text()),
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
            changes["coach"] = one_line(coach)
        if notes is not None:
            changes["notes"] = notes
        self._change_session(session_id, changes)
        return self.session(session_id)

    def end_session(self, session_id: int) -> Session:
        """Mark a session ended (its takes stay); ending it twice keeps the first time."""
        if self.session(session_id).active:
            self._change_session(session_id, {"ended_at": now_text()})
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
        who = one_line(participant) or None if participant is not None else None
        what = one_line(scenario) or None if scenario is not None else None
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

    def _require_session(self, conn: sqlite3.Connection, session_id: int) -> None:
        if not conn.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone():
            raise LibraryError(f"There is no session {session_id} (deleted?).")


def _required(text: str, problem: str) -> str:
    clean = one_line(text)
    if not clean:
        raise LibraryError(problem)
    return clean


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
