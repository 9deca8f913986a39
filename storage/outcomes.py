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
  (a snapshot taken at export) and its variant version travel with it.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from voicemail_coach.analysis.lab import (
    FIGURES,
    OUTCOME_KINDS,
    OUTCOME_LABELS,
    LabMessage,
    LabResult,
    run_lab,
)
from voicemail_coach.storage.library import Library
from voicemail_coach.storage.records import Attempt, LibraryError

FIGURE_IDS = tuple(f[0] for f in FIGURES)
MAX_NAME = 80
MAX_TEXT = 20_000
MAX_NOTE = 2_000


@dataclass(frozen=True)
class VariantVersion:
    uid: str
    variant_uid: str
    number: int
    text: str
    author: str
    created_at: str


@dataclass(frozen=True)
class Variant:
    """A named script and its versions, oldest first."""

    uid: str
    name: str
    created_at: str
    versions: tuple[VariantVersion, ...]

    @property
    def latest(self) -> VariantVersion:
        return self.versions[-1]


@dataclass(frozen=True)
class Outcome:
    """What happened to a message. ``attempt_id`` is None for one pooled from another library."""

    uid: str
    message_uid: str
    attempt_id: int | None
    kind: str
    outcome_date: str
    note: str
    recorded_at: str

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self.kind]


@dataclass(frozen=True)
class MergeSummary:
    """What merging pooled results did (labels of the items)."""

    added: tuple[str, ...] = ()
    replaced: tuple[str, ...] = ()
    renamed: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()


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
                    (_uid(), row["uid"], attempt_id, kind, when, note, _now()),
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
                now = _now()
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
                        _now(),
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

    # Pooling (coaching packs: voicemail_coach.storage.packs).

    def export_results(self) -> dict[str, Any]:
        """Every variant and outcome as plain data for a pack (``results.json``)."""
        variants = [
            {
                "uid": v.uid,
                "name": v.name,
                "created_at": v.created_at,
                "versions": [
                    {
                        "uid": ver.uid,
                        "number": ver.number,
                        "text": ver.text,
                        "author": ver.author,
                        "created_at": ver.created_at,
                    }
                    for ver in v.versions
                ],
            }
            for v in self.variants()
        ]
        rows = self.db.fetch(
            "SELECT o.*, a.title, a.duration_s, a.time_to_value_s, a.wpm, a.fillers_per_min, "
            "a.score, a.cta_kind, a.checks_json, a.variant_version_uid AS attempt_version "
            "FROM outcomes o LEFT JOIN attempts a ON a.id = o.attempt_id "
            "ORDER BY o.outcome_date, o.uid"
        )
        outcomes = []
        for r in rows:
            if r["attempt_id"] is not None:
                snapshot = {
                    "title": r["title"],
                    "figures": {f: r[f] for f in FIGURE_IDS},
                    "cta_kind": r["cta_kind"],
                    "checks": json.loads(r["checks_json"] or "{}"),
                }
                version_uid = r["attempt_version"]
            else:
                snapshot = json.loads(r["figures_json"] or "{}")
                version_uid = r["variant_version_uid"]
            outcomes.append(
                {
                    "uid": r["uid"],
                    "message_uid": r["message_uid"],
                    "kind": r["kind"],
                    "outcome_date": r["outcome_date"],
                    "note": r["note"],
                    "recorded_at": r["recorded_at"],
                    "variant_version_uid": version_uid,
                    "snapshot": snapshot,
                }
            )
        return {"variants": variants, "outcomes": outcomes}

    def conflicts(self, results: Mapping[str, Any]) -> list[tuple[str, str]]:
        """Pooled items that differ from ones here with the same stable id, as (key, label):
        ``variant:<uid>`` (renamed, or a version's script differs) and
        ``outcome:<message uid>`` (another outcome, date or note). Identical items are not
        conflicts."""
        with self.db.lock:
            conn = self.db.connection()
            return _conflicts(conn, results)

    def merge(
        self, results: Mapping[str, Any], decisions: Mapping[str, str] | None = None
    ) -> MergeSummary:
        """Merge pooled variants and outcomes in one transaction (all or nothing).

        Each conflict needs a decision, ``"replace"`` (take the pack's) or ``"skip"`` (keep
        yours; ``"keep_both"`` keeps yours too, as a message has one outcome); a missing one
        raises LibraryError before anything is written. Items are matched by stable id, so
        merging the same results twice adds nothing; a pooled variant whose name is taken by
        another variant here is added as "NAME (2)".
        """
        with self.db.lock, self.db.write("merge the pooled results") as conn:
            return self.merge_in(conn, results, decisions)

    def merge_in(
        self,
        conn: sqlite3.Connection,
        results: Mapping[str, Any],
        decisions: Mapping[str, str] | None = None,
    ) -> MergeSummary:
        """:meth:`merge` inside a write transaction the caller holds (the pack import)."""
        decisions = dict(decisions or {})
        for key, label in _conflicts(conn, results):
            if decisions.get(key) not in ("replace", "skip", "keep_both"):
                raise LibraryError(f"{label} already exists and differs: choose what to do")
        added: list[str] = []
        replaced: list[str] = []
        renamed: list[str] = []
        skipped: list[str] = []
        unchanged: list[str] = []
        for v in results.get("variants", []):
            label = f"variant \u201c{v['name']}\u201d"
            mine = conn.execute("SELECT * FROM variants WHERE uid = ?", (v["uid"],)).fetchone()
            choice = decisions.get(f"variant:{v['uid']}")
            if mine is None:
                name = _free_name(conn, v["name"])
                conn.execute(
                    "INSERT INTO variants (uid, name, created_at) VALUES (?, ?, ?)",
                    (v["uid"], name, v["created_at"]),
                )
                (renamed if name != v["name"] else added).append(
                    f"{label} as \u201c{name}\u201d" if name != v["name"] else label
                )
            elif _variant_differs(conn, v):
                if choice == "replace":
                    if mine["name"] != v["name"]:
                        conn.execute(
                            "UPDATE variants SET name = ? WHERE uid = ?",
                            (_free_name(conn, v["name"], v["uid"]), v["uid"]),
                        )
                    for ver in v["versions"]:
                        conn.execute(
                            "UPDATE variant_versions SET text = ?, author = ? WHERE uid = ?",
                            (ver["text"], ver["author"], ver["uid"]),
                        )
                    replaced.append(label)
                else:
                    skipped.append(label)
            else:
                unchanged.append(label)
            for ver in v["versions"]:
                if conn.execute(
                    "SELECT 1 FROM variant_versions WHERE uid = ?", (ver["uid"],)
                ).fetchone():
                    continue
                number = ver["number"]
                if conn.execute(
                    "SELECT 1 FROM variant_versions WHERE variant_uid = ? AND number = ?",
                    (v["uid"], number),
                ).fetchone():
                    number = conn.execute(
                        "SELECT max(number) + 1 FROM variant_versions WHERE variant_uid = ?",
                        (v["uid"],),
                    ).fetchone()[0]
                conn.execute(
                    "INSERT INTO variant_versions (uid, variant_uid, number, text, author, "
                    "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (ver["uid"], v["uid"], number, ver["text"], ver["author"], ver["created_at"]),
                )
        for o in results.get("outcomes", []):
            label = _outcome_label(o)
            mine = conn.execute(
                "SELECT * FROM outcomes WHERE message_uid = ?", (o["message_uid"],)
            ).fetchone()
            if mine is None:
                local = conn.execute(
                    "SELECT id FROM attempts WHERE uid = ?", (o["message_uid"],)
                ).fetchone()
                attempt_id = int(local["id"]) if local is not None else None
                if attempt_id is not None:
                    conn.execute(
                        "UPDATE attempts SET left_as_voicemail = 1 WHERE id = ?", (attempt_id,)
                    )
                conn.execute(
                    "INSERT INTO outcomes (uid, message_uid, attempt_id, kind, outcome_date, "
                    "note, recorded_at, variant_version_uid, figures_json) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        o["uid"],
                        o["message_uid"],
                        attempt_id,
                        o["kind"],
                        o["outcome_date"],
                        o["note"],
                        o["recorded_at"],
                        None if attempt_id is not None else o["variant_version_uid"],
                        "{}" if attempt_id is not None else json.dumps(o["snapshot"]),
                    ),
                )
                added.append(label)
            elif _outcome_differs(mine, o):
                if decisions.get(f"outcome:{o['message_uid']}") == "replace":
                    conn.execute(
                        "UPDATE outcomes SET kind = ?, outcome_date = ?, note = ?, "
                        "recorded_at = ? WHERE message_uid = ?",
                        (o["kind"], o["outcome_date"], o["note"], o["recorded_at"],
                         o["message_uid"]),
                    )  # fmt: skip
                    replaced.append(label)
                else:
                    skipped.append(label)
            else:
                unchanged.append(label)
        return MergeSummary(
            tuple(added), tuple(replaced), tuple(renamed), tuple(skipped), tuple(unchanged)
        )


def validate_results(data: Any, where: str) -> dict[str, Any]:
    """Check pooled results (a pack's ``results.json``) before anything is written.

    Raises:
        ValueError: naming the item and the key, e.g. ``outcomes[3].kind``.
    """

    def need(ok: bool, path: str, what: str) -> None:
        if not ok:
            raise ValueError(f"{where}: {path}: {what}")

    def text(item: Mapping[str, Any], key: str, path: str, limit: int, blank: bool) -> None:
        value = item.get(key)
        if not isinstance(value, str):
            raise ValueError(f"{where}: {path}.{key}: must be text")
        need(len(value) <= limit, f"{path}.{key}", f"longer than {limit} characters")
        need(blank or bool(value.strip()), f"{path}.{key}", "cannot be blank")

    need(isinstance(data, dict), "results", "must be an object")
    variants = data.get("variants", [])
    outcomes = data.get("outcomes", [])
    need(isinstance(variants, list), "variants", "must be a list")
    need(isinstance(outcomes, list), "outcomes", "must be a list")
    seen: set[str] = set()
    for i, v in enumerate(variants):
        path = f"variants[{i}]"
        need(isinstance(v, dict), path, "must be an object")
        text(v, "uid", path, 64, False)
        text(v, "name", path, MAX_NAME, False)
        text(v, "created_at", path, 40, False)
        need(v["uid"] not in seen, f"{path}.uid", "used twice in the pack")
        seen.add(v["uid"])
        versions = v.get("versions")
        need(isinstance(versions, list) and bool(versions), f"{path}.versions", "must list one")
        numbers: set[int] = set()
        for j, ver in enumerate(versions):
            vpath = f"{path}.versions[{j}]"
            need(isinstance(ver, dict), vpath, "must be an object")
            text(ver, "uid", vpath, 64, False)
            text(ver, "text", vpath, MAX_TEXT, False)
            text(ver, "author", vpath, MAX_NAME, True)
            text(ver, "created_at", vpath, 40, False)
            number = ver.get("number")
            need(
                isinstance(number, int) and not isinstance(number, bool) and number >= 1,
                f"{vpath}.number",
                "must be a whole number from 1",
            )
            need(number not in numbers and ver["uid"] not in seen, vpath, "used twice")
            numbers.add(number)
            seen.add(ver["uid"])
    messages: set[str] = set()
    for i, o in enumerate(outcomes):
        path = f"outcomes[{i}]"
        need(isinstance(o, dict), path, "must be an object")
        for key, limit in (("uid", 64), ("message_uid", 64), ("recorded_at", 40)):
            text(o, key, path, limit, False)
        text(o, "note", path, MAX_NOTE, True)
        need(o.get("kind") in OUTCOME_KINDS, f"{path}.kind", f"must be one of {OUTCOME_KINDS}")
        try:
            date.fromisoformat(str(o.get("outcome_date")))
        except ValueError:
            need(False, f"{path}.outcome_date", "must be a date YYYY-MM-DD")
        need(o["message_uid"] not in messages, f"{path}.message_uid", "has two outcomes")
        messages.add(o["message_uid"])
        version = o.get("variant_version_uid")
        need(version is None or isinstance(version, str), f"{path}.variant_version_uid", "text")
        snap = o.get("snapshot", {})
        need(isinstance(snap, dict), f"{path}.snapshot", "must be an object")
        figures = snap.get("figures", {})
        need(isinstance(figures, dict), f"{path}.snapshot.figures", "must be an object")
        for key, value in figures.items():
            need(
                key in FIGURE_IDS
                and (
                    value is None
                    or (isinstance(value, int | float) and not isinstance(value, bool))
                ),
                f"{path}.snapshot.figures.{key}",
                "must be a known figure with a number",
            )
        checks = snap.get("checks", {})
        need(
            isinstance(checks, dict)
            and all(isinstance(k, str) and isinstance(s, str) for k, s in checks.items()),
            f"{path}.snapshot.checks",
            "must map check ids to statuses",
        )
        need(
            snap.get("cta_kind") is None or isinstance(snap.get("cta_kind"), str),
            f"{path}.snapshot.cta_kind",
            "must be text",
        )
        need(
            snap.get("title") is None or isinstance(snap.get("title"), str),
            f"{path}.snapshot.title",
            "must be text",
        )
    return {"variants": variants, "outcomes": outcomes}


def _conflicts(conn: sqlite3.Connection, results: Mapping[str, Any]) -> list[tuple[str, str]]:
    out = []
    for v in results.get("variants", []):
        if _variant_differs(conn, v):
            out.append((f"variant:{v['uid']}", f"variant \u201c{v['name']}\u201d"))
    for o in results.get("outcomes", []):
        mine = conn.execute(
            "SELECT * FROM outcomes WHERE message_uid = ?", (o["message_uid"],)
        ).fetchone()
        if mine is not None and _outcome_differs(mine, o):
            out.append(
                (
                    f"outcome:{o['message_uid']}",
                    f"{_outcome_label(o)} (yours: {OUTCOME_LABELS[mine['kind']]} on "
                    f"{mine['outcome_date']})",
                )
            )
    return out


def _variant_differs(conn: sqlite3.Connection, v: Mapping[str, Any]) -> bool:
    mine = conn.execute("SELECT name FROM variants WHERE uid = ?", (v["uid"],)).fetchone()
    if mine is None:
        return False
    if mine["name"] != v["name"]:
        return True
    for ver in v["versions"]:
        row = conn.execute(
            "SELECT text, author FROM variant_versions WHERE uid = ?", (ver["uid"],)
        ).fetchone()
        if row is not None and (row["text"], row["author"]) != (ver["text"], ver["author"]):
            return True
    return False


def _outcome_differs(mine: sqlite3.Row, o: Mapping[str, Any]) -> bool:
    return (mine["kind"], mine["outcome_date"], mine["note"]) != (
        o["kind"],
        o["outcome_date"],
        o["note"],
    )


def _outcome_label(o: Mapping[str, Any]) -> str:
    title = (o.get("snapshot") or {}).get("title") or o["message_uid"][:8]
    return f"outcome of \u201c{title}\u201d ({OUTCOME_LABELS[o['kind']]} on {o['outcome_date']})"


def _free_name(conn: sqlite3.Connection, name: str, own_uid: str | None = None) -> str:
    for n in range(1, 1000):
        candidate = name if n == 1 else f"{name} ({n})"
        row = conn.execute(
            "SELECT uid FROM variants WHERE name = ? COLLATE NOCASE", (candidate,)
        ).fetchone()
        if row is None or row["uid"] == own_uid:
            return candidate
    raise LibraryError(f"Too many variants named \u201c{name}\u201d.")


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


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
