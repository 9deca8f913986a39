"""Pooling outcomes and script variants between coaches' libraries (coaching packs:
:mod:`voicemail_coach.storage.packs`).

Variants, versions and attempts have stable ids (UUIDs), so results pooled from several
libraries merge without duplicates: an outcome is named by its message's id, one outcome per
message. An outcome pooled from another library has no attempt here: the figures the lab
compares (a snapshot taken at export) and its variant version travel with it.
:class:`voicemail_coach.storage.outcomes.Outcomes` offers these steps on its library.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from voicemail_coach.analysis.lab import OUTCOME_KINDS, OUTCOME_LABELS
from voicemail_coach.storage.database import Database
from voicemail_coach.storage.outcome_records import (
    FIGURE_IDS,
    MAX_NAME,
    MAX_NOTE,
    MAX_TEXT,
    MergeSummary,
    Variant,
)
from voicemail_coach.storage.records import LibraryError


def export_results(db: Database, variants: Sequence[Variant]) -> dict[str, Any]:
    """Every variant and outcome in ``db`` as plain data for a pack (``results.json``)."""
    plain = [
        {
            "uid": v.uid,
            "name": v.name,
            "created_at": v.created_at,
            "versions": [ver.as_plain() for ver in v.versions],
        }
        for v in variants
    ]
    rows = db.fetch(
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
    return {"variants": plain, "outcomes": outcomes}


def merge_in(
    conn: sqlite3.Connection,
    results: Mapping[str, Any],
    decisions: Mapping[str, str] | None = None,
) -> MergeSummary:
    """Merge pooled variants and outcomes inside a write transaction the caller holds.

    Each conflict needs a decision, ``"replace"`` (take the pack's) or ``"skip"`` (keep
    yours; ``"keep_both"`` keeps yours too, as a message has one outcome); a missing one
    raises LibraryError before anything is written. Items are matched by stable id, so
    merging the same results twice adds nothing; a pooled variant whose name is taken by
    another variant here is added as "NAME (2)".
    """
    decisions = dict(decisions or {})
    for key, label in conflicts(conn, results):
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


def conflicts(conn: sqlite3.Connection, results: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Pooled items that differ from ones here with the same stable id, as (key, label):
    ``variant:<uid>`` (renamed, or a version's script differs) and
    ``outcome:<message uid>`` (another outcome, date or note). Identical items are not
    conflicts."""
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
