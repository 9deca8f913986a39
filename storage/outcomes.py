"""Outcomes of real voicemails, script variants, and the lab's records, in the attempt library.

Qt-free, like :mod:`voicemail_coach.storage.coaching`: it shares the library's database through
its public API (``library.db.lock``, ``library.db.write``, ``library.db.fetch``,
``library.require``); the tables come from migration 5 in
:mod:`voicemail_coach.storage.migrations`.

- An attempt *left as a real voicemail* (a flag: practice takes are not) may have one outcome:
  called back, email reply, meeting, no response or wrong person, with its date and a note.
- A script variant is a named script with numbered versions (text, author, date); an attempt is
  linked to the version it used. Variants, versions and attempts have stable ids (UUIDs), so
  outcomes pooled from several coaches' libraries (coaching packs) merge without duplicates: an
  outcome is named by its message's id, one outcome per message.
- An outcome pooled from another library has no attempt here: the figures the lab compares
  (a snapshot taken at export) and its variant version travel with it
  (:mod:`voicemail_coach.storage.pooled_results`).
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from voicemail_coach.analysis.lab import OUTCOME_KINDS, LabMessage, LabResult, run_lab
from voicemail_coach.storage import pooled_results
from voicemail_coach.storage.library import Library
from voicemail_coach.storage.outcome_records import (
    FIGURE_IDS,
    MAX_NAME,
    MAX_NOTE,
    MAX_TEXT,
    MergeSummary,
    Outcome,
    Variant,
    VariantVersion,
)
from voicemail_coach.storage.records import Attempt, LibraryError, now_text

# The records live in outcome_records; the controller still imports Variant from here.
__all__ = ["Outcomes", "Variant"]


class Outcomes:
    """Outcomes, variants and the lab's records kept in ``library``; thread-safe."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.db = library.db

    # Real voicemails and their outcomes.

    def mark_left(self, attempt_id: int, left: bool = True) -> Attempt:
        """Say whether an attempt was left as a real voicemail. Unmarking one that has an
        outcome is refused (the outcome would be orphaned): clear the outcome first."""
        with self.db.lock:
            with self.db.write("mark the voicemail") as conn:
                self.library.require(conn, attempt_id)
                if not left and _has_outcome(conn, attempt_id):
                    raise LibraryError(
                        f"Attempt {attempt_id} has an outcome: clear it before marking the "
                        "attempt as practice."
                    )
                conn.execute(
                    "UPDATE attempts SET left_as_voicemail = ? WHERE id = ?",
                    (int(left), attempt_id),
                )
            return self.library.attempt(attempt_id)

    def record(
        self,
        attempt_id: int,
        kind: str,
        on: str | date | None = None,
        note: str = "",
        *,
        mark_left: bool = False,
    ) -> Outcome:
        """Record (or change) what happened to a real voicemail.

        Args:
            attempt_id: The attempt; it must be marked left as a real voicemail, or
                ``mark_left`` be True.
            kind: One of ``called_back``, ``email_reply``, ``meeting``, ``none``,
                ``wrong_person``.
            on: The date it happened (``YYYY-MM-DD``); today by default; never in the future.
            note: Free text.

        Raises:
            LibraryError: no such attempt, a practice take, an unknown kind, a bad date.
        """
        if kind not in OUTCOME_KINDS:
            raise LibraryError(
                f"Unknown outcome {kind!r}: choose one of {', '.join(OUTCOME_KINDS)}."
            )
        when = _outcome_date(on)
        note = note.strip()
        if len(note) > MAX_NOTE:
            raise LibraryError(f"The note is too long (over {MAX_NOTE} characters).")
        with self.db.lock:
            with self.db.write("save the outcome") as conn:
                self.library.require(conn, attempt_id)
                row = conn.execute(
                    "SELECT uid, left_as_voicemail FROM attempts WHERE id = ?", (attempt_id,)
                ).fetchone()
                if not row["left_as_voicemail"]:
                    if not mark_left:
                        raise LibraryError(
                            f"Attempt {attempt_id} is not marked as a real voicemail left: "
                            "outcomes are kept only for messages you really left. Mark it "
                            "first."
                        )
                    conn.execute(
                        "UPDATE attempts SET left_as_voicemail = 1 WHERE id = ?", (attempt_id,)
                    )
                conn.execute(
                    "INSERT INTO outcomes (uid, message_uid, attempt_id, kind, outcome_date, "
                    "note, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (message_uid) DO UPDATE SET kind = excluded.kind, "
                    "outcome_date = excluded.outcome_date, note = excluded.note, "
                    "recorded_at = excluded.recorded_at, attempt_id = excluded.attempt_id",
                    (_uid(), row["uid"], attempt_id, kind, when, note, now_text()),
                )
            found = self.outcome(attempt_id)
        assert found is not None
        return found

    def clear(self, attempt_id: int) -> None:
        """Forget an attempt's outcome (nothing else changes)."""
        with self.db.lock, self.db.write("clear the outcome") as conn:
            self.library.require(conn, attempt_id)
            conn.execute("DELETE FROM outcomes WHERE attempt_id = ?", (attempt_id,))

    def outcome(self, attempt_id: int) -> Outcome | None:
        rows = self.db.fetch("SELECT * FROM outcomes WHERE attempt_id = ?", (attempt_id,))
        return _outcome(rows[0]) if rows else None

    def outcomes(self) -> list[Outcome]:
        """Every outcome, pooled ones included, newest date first."""
        rows = self.db.fetch("SELECT * FROM outcomes ORDER BY outcome_date DESC, recorded_at DESC")
        return [_outcome(r) for r in rows]

    def outcomes_by_attempt(self) -> dict[int, Outcome]:
        """The outcome of each attempt that has one (for the history list)."""
        rows = self.db.fetch("SELECT * FROM outcomes WHERE attempt_id IS NOT NULL")
        return {int(r["attempt_id"]): _outcome(r) for r in rows}

    # Script variants.

    def add_variant(self, name: str, text: str, author: str = "") -> Variant:
        """A new variant with its first version.

        Raises:
            LibraryError: a blank or taken name (ignoring case), or a blank script.
        """
        clean = _name(name)
        script = _script(text)
        with self.db.lock:
            with self.db.write("save the variant") as conn:
                if conn.execute(
                    "SELECT 1 FROM variants WHERE name = ? COLLATE NOCASE", (clean,)
                ).fetchone():
                    raise LibraryError(f"There is already a variant named \u201c{clean}\u201d.")
                variant_uid = _uid()
                now = now_text()
                conn.execute(
                    "INSERT INTO variants (uid, name, created_at) VALUES (?, ?, ?)",
                    (variant_uid, clean, now),
                )
                conn.execute(
                    "INSERT INTO variant_versions (uid, variant_uid, number, text, author, "
                    "created_at) VALUES (?, ?, 1, ?, ?, ?)",
                    (_uid(), variant_uid, script, author.strip(), now),
                )
            return self.variant(clean)

    def add_version(self, name: str, text: str, author: str = "") -> VariantVersion:
        """A new version of the variant ``name``; an unchanged script is refused."""
        script = _script(text)
        with self.db.lock:
            variant = self.variant(name)
            if variant.latest.text == script:
                raise LibraryError(
                    f"The script is the same as version {variant.latest.number} of "
                    f"\u201c{variant.name}\u201d."
                )
            with self.db.write("save the version") as conn:
                conn.execute(
                    "INSERT INTO variant_versions (uid, variant_uid, number, text, author, "
                    "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        _uid(),
                        variant.uid,
                        variant.latest.number + 1,
                        script,
                        author.strip(),
                        now_text(),
                    ),
                )
            return self.variant(name).latest

    def variants(self) -> list[Variant]:
        """Every variant by name, each with its versions."""
        versions: dict[str, list[VariantVersion]] = {}
        for row in self.db.fetch("SELECT * FROM variant_versions ORDER BY number"):
            versions.setdefault(row["variant_uid"], []).append(_version(row))
        rows = self.db.fetch("SELECT * FROM variants ORDER BY name COLLATE NOCASE")
        return [
            Variant(r["uid"], r["name"], r["created_at"], tuple(versions.get(r["uid"], ())))
            for r in rows
        ]

    def variant(self, name: str) -> Variant:
        """The variant named ``name`` (ignoring case), or with that uid.

        Raises:
            LibraryError: there is none (the message lists the names there are).
        """
        wanted = name.strip()
        known = self.variants()
        for v in known:
            if v.name.casefold() == wanted.casefold() or v.uid == wanted:
                return v
        names = ", ".join(f"\u201c{v.name}\u201d" for v in known) or "none yet"
        raise LibraryError(f"There is no variant \u201c{wanted}\u201d (variants: {names}).")

    def version(self, version_uid: str) -> tuple[Variant, VariantVersion] | None:
        for v in self.variants():
            for ver in v.versions:
                if ver.uid == version_uid:
                    return v, ver
        return None

    def link(self, attempt_id: int, name: str | None, number: int | None = None) -> Attempt:
        """Link an attempt to a variant's version (the newest by default); None unlinks it."""
        version_uid = None
        if name is not None:
            variant = self.variant(name)
            chosen = [v for v in variant.versions if number is None or v.number == number]
            if not chosen:
                raise LibraryError(f"\u201c{variant.name}\u201d has no version {number}.")
            version_uid = chosen[-1].uid
        with self.db.lock:
            with self.db.write("link the variant") as conn:
                self.library.require(conn, attempt_id)
                conn.execute(
                    "UPDATE attempts SET variant_version_uid = ? WHERE id = ?",
                    (version_uid, attempt_id),
                )
            return self.library.attempt(attempt_id)

    # The lab.

    def lab_messages(self) -> list[LabMessage]:
        """Every message with an outcome, as the lab reads it: a local attempt's current
        figures and variant, a pooled outcome's snapshot."""
        rows = self.db.fetch(
            # The figures in FIGURE_IDS' order: rows are unpacked by position (10,000 of them).
            "SELECT o.kind, o.attempt_id, o.figures_json, a.duration_s, a.time_to_value_s, "
            "a.wpm, a.fillers_per_min, a.score, a.cta_kind, a.checks_json, "
            "v.name AS variant, vv.number AS version "
            "FROM outcomes o LEFT JOIN attempts a ON a.id = o.attempt_id "
            "LEFT JOIN variant_versions vv ON vv.uid = CASE WHEN o.attempt_id IS NULL "
            "THEN o.variant_version_uid ELSE a.variant_version_uid END "
            "LEFT JOIN variants v ON v.uid = vv.variant_uid"
        )
        # Every local attempt's check statuses parsed in one call (10,000 small JSON objects
        # cost a third less that way).
        parsed = iter(
            json.loads("[" + ",".join(r[9] or "{}" for r in rows if r[1] is not None) + "]")
        )
        out = []
        for r in rows:
            (kind, attempt_id, snapshot, *figures_row, cta, _checks, variant, version) = r
            if attempt_id is not None:
                figures = dict(zip(FIGURE_IDS, figures_row, strict=True))
                checks = next(parsed)
            else:
                snap = json.loads(snapshot or "{}")
                figures = dict(snap.get("figures", {}))
                cta, checks = snap.get("cta_kind"), dict(snap.get("checks", {}))
            out.append(LabMessage(kind, variant, version, figures, cta, checks))
        return out

    def lab(self) -> LabResult:
        return run_lab(self.lab_messages())

    # Pooling (coaching packs: voicemail_coach.storage.packs; the steps are in
    # voicemail_coach.storage.pooled_results).

    def export_results(self) -> dict[str, Any]:
        """Every variant and outcome as plain data for a pack (``results.json``)."""
        return pooled_results.export_results(self.db, self.variants())

    def conflicts(self, results: Mapping[str, Any]) -> list[tuple[str, str]]:
        """Pooled items that differ from ones here with the same stable id, as (key, label):
        ``variant:<uid>`` (renamed, or a version's script differs) and
        ``outcome:<message uid>`` (another outcome, date or note). Identical items are not
        conflicts."""
        with self.db.lock:
            return pooled_results.conflicts(self.db.connection(), results)

    def merge(
        self, results: Mapping[str, Any], decisions: Mapping[str, str] | None = None
    ) -> MergeSummary:
        """Merge pooled variants and outcomes in one transaction (all or nothing), by the
        rules of :func:`voicemail_coach.storage.pooled_results.merge_in`."""
        with self.db.lock, self.db.write("merge the pooled results") as conn:
            return pooled_results.merge_in(conn, results, decisions)

    def merge_in(
        self,
        conn: sqlite3.Connection,
        results: Mapping[str, Any],
        decisions: Mapping[str, str] | None = None,
    ) -> MergeSummary:
        """:meth:`merge` inside a write transaction the caller holds (the pack import)."""
        return pooled_results.merge_in(conn, results, decisions)


def _has_outcome(conn: sqlite3.Connection, attempt_id: int) -> bool:
    return bool(
        conn.execute("SELECT 1 FROM outcomes WHERE attempt_id = ?", (attempt_id,)).fetchone()
    )


def _outcome(row: sqlite3.Row) -> Outcome:
    return Outcome(
        row["uid"],
        row["message_uid"],
        row["attempt_id"],
        row["kind"],
        row["outcome_date"],
        row["note"],
        row["recorded_at"],
    )


def _version(row: sqlite3.Row) -> VariantVersion:
    return VariantVersion(
        row["uid"], row["variant_uid"], row["number"], row["text"], row["author"], row["created_at"]
    )


def _outcome_date(on: str | date | None) -> str:
    today = datetime.now().astimezone().date()
    if on is None:
        return today.isoformat()
    try:
        when = on if isinstance(on, date) else date.fromisoformat(on.strip())
    except ValueError:
        raise LibraryError(f"Not a date: {on!r} (write it as YYYY-MM-DD).") from None
    if when > today:
        raise LibraryError(
            f"{when.isoformat()} is in the future: record an outcome once it happened."
        )
    return when.isoformat()


def _name(name: str) -> str:
    clean = " ".join(name.split())
    if not clean:
        raise LibraryError("A variant needs a name.")
    if len(clean) > MAX_NAME:
        raise LibraryError(f"A variant's name is at most {MAX_NAME} characters.")
    return clean


def _script(text: str) -> str:
    script = text.strip()
    if not script:
        raise LibraryError("A variant needs its script's text.")
    if len(script) > MAX_TEXT:
        raise LibraryError(f"A script is at most {MAX_TEXT} characters.")
    return script


def _uid() -> str:
    return str(uuid.uuid4())
