"""Outcomes, script variants and the lab's records in the library (voicemail_coach.storage.outcomes):
migration 5 on old libraries, outcomes only for real voicemails, versions, links, pooling merge."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import AUDIO
from voicemail_coach.analysis.pipeline import analyze_script
from voicemail_coach.analysis.profile_loader import load_profile
from voicemail_coach.storage.library import Library
from voicemail_coach.storage.migrations import LATEST_VERSION, migrate, schema_version
from voicemail_coach.storage.outcomes import Outcomes
from voicemail_coach.storage.pooled_results import validate_results
from voicemail_coach.storage.records import LibraryError

REPO = Path(__file__).resolve().parent.parent
FIXTURES = {
    1: REPO / "tests" / "data" / "library_v1.sql",
    2: REPO / "tests" / "data" / "library_v2.sql",
}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
SCRIPT_A = "Hi Sam, this is Alex from Acme. We cut onboarding time in half. Call me back."
SCRIPT_B = "Hi Sam, Alex at Acme. Teams like yours onboard in half the time. I'll email you."


@pytest.fixture()
def outcomes(library: Library) -> Outcomes:
    return Outcomes(library)


def old_library(folder: Path, version: int) -> Path:
    (folder / "audio").mkdir(parents=True)
    db = folder / "library.db"
    conn = sqlite3.connect(db)
    conn.executescript(FIXTURES[version].read_text(encoding="utf-8"))
    conn.close()
    return db


def dump(conn: sqlite3.Connection, table: str) -> list[tuple[object, ...]]:
    return conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()


@pytest.mark.parametrize("version", [1, 2])
def test_old_libraries_migrate_to_version_5_without_loss(tmp_path: Path, version: int) -> None:
    folder = tmp_path / "library"
    db = old_library(folder, version)
    with sqlite3.connect(db) as conn:
        before = {t: dump(conn, t) for t in ("attempts", "reports")}
    conn.close()
    with Library(folder) as lib:
        with sqlite3.connect(db) as conn:
            assert schema_version(conn) == LATEST_VERSION == 6
            after = {t: dump(conn, t) for t in ("attempts", "reports")}
            # The figures the lab compares are filled in from the newest stored report.
            cta, checks = conn.execute(
                "SELECT cta_kind, checks_json FROM attempts WHERE id = 1"
            ).fetchone()
        conn.close()
        assert after["reports"] == before["reports"]
        # (Migration 2 fills a version 1 attempt's duration from its report: compare the rest.)
        width = len(before["attempts"][0]) - (1 if version == 1 else 0)
        before["attempts"] = [row[:width] for row in before["attempts"]]
        assert [row[:width] for row in after["attempts"]] == before["attempts"]
        assert cta == "callback"
        assert json.loads(checks)["length"] == "pass"
        attempts = {a.id: a for a in lib.attempts()}
        # Every old attempt got its own stable id, and is practice until said otherwise.
        uids = [a.uid for a in attempts.values()]
        assert all(uid and UUID.match(uid) for uid in uids) and len(set(uids)) == len(uids)
        assert not any(a.left_as_voicemail or a.variant_version_uid for a in attempts.values())
        # The new tables work on the old attempts; new attempts get a uid too.
        outcomes = Outcomes(lib)
        outcomes.add_variant("Short opener", SCRIPT_A, "Dana")
        outcomes.link(1, "Short opener")
        got = outcomes.record(1, "meeting", "2025-01-20", "Booked for Tuesday", mark_left=True)
        assert (got.attempt_id, got.kind, got.outcome_date, got.message_uid) == (
            1,
            "meeting",
            "2025-01-20",
            attempts[1].uid,
        )
        assert lib.attempt(1).score == attempts[1].score
        new = lib.add_file(AUDIO / "good.flac")
        assert new.uid and UUID.match(new.uid) and new.uid not in uids
        (message,) = outcomes.lab_messages()
        assert (message.kind, message.variant, message.version, message.cta_kind) == (
            "meeting",
            "Short opener",
            1,
            "callback",
        )
        assert message.figures["score"] == 98


def test_migration_5_leaves_earlier_versions_as_released() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    assert migrate(conn, target=4) == 4
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert not {"outcomes", "variants", "variant_versions"} & tables
    assert migrate(conn, target=5) == 5
    columns = [r[1] for r in conn.execute("PRAGMA table_info(attempts)")]
    assert columns[-5:] == [
        "uid",
        "left_as_voicemail",
        "variant_version_uid",
        "cta_kind",
        "checks_json",
    ]


def test_outcomes_only_for_real_voicemails_left(library: Library, outcomes: Outcomes) -> None:
    take = library.add_file(AUDIO / "good.flac").id
    with pytest.raises(LibraryError, match="not marked as a real voicemail left"):
        outcomes.record(take, "called_back")
    assert outcomes.outcome(take) is None
    assert outcomes.mark_left(take).left_as_voicemail
    got = outcomes.record(take, "called_back", "2026-01-05", "  Called Tuesday ")
    assert (got.kind, got.outcome_date, got.note, got.label) == (
        "called_back",
        "2026-01-05",
        "Called Tuesday",
        "called back",
    )
    # Changing it keeps one outcome per message.
    again = outcomes.record(take, "meeting", "2026-01-07")
    assert again.kind == "meeting" and again.message_uid == got.message_uid
    assert len(outcomes.outcomes()) == 1
    with pytest.raises(LibraryError, match="has an outcome"):
        outcomes.mark_left(take, False)
    for bad, message in (
        (("maybe",), "Unknown outcome 'maybe'"),
        (("none", "05/01/2026"), "Not a date"),
        (("none", "2999-01-01"), "in the future"),
    ):
        with pytest.raises(LibraryError, match=message):
            outcomes.record(take, *bad)
    assert outcomes.outcome(take) == again
    outcomes.clear(take)
    assert outcomes.outcome(take) is None and not outcomes.mark_left(take, False).left_as_voicemail
    with pytest.raises(LibraryError, match="no attempt 99"):
        outcomes.record(99, "none", mark_left=True)
    # Deleting the attempt deletes its outcome.
    outcomes.record(take, "none", mark_left=True)
    library.delete(take)
    assert outcomes.outcomes() == []


def test_variants_have_versions_with_stable_ids(library: Library, outcomes: Outcomes) -> None:
    a = outcomes.add_variant("  Short   opener ", SCRIPT_A, "Dana")
    assert (a.name, a.latest.number, a.latest.author, a.latest.text) == (
        "Short opener",
        1,
        "Dana",
        SCRIPT_A,
    )
    assert UUID.match(a.uid) and UUID.match(a.latest.uid)
    with pytest.raises(LibraryError, match="already a variant named"):
        outcomes.add_variant("short OPENER", SCRIPT_B)
    with pytest.raises(LibraryError, match="same as version 1"):
        outcomes.add_version("Short opener", SCRIPT_A)
    v2 = outcomes.add_version("short opener", SCRIPT_B, "Lee")
    assert (v2.number, v2.author, v2.variant_uid) == (2, "Lee", a.uid)
    assert [v.number for v in outcomes.variant("Short opener").versions] == [1, 2]
    with pytest.raises(LibraryError, match=r"no variant .Long. \(variants: .Short opener.\)"):
        outcomes.variant("Long")
    take = library.add_file(AUDIO / "good.flac").id
    assert outcomes.link(take, "Short opener").variant_version_uid == v2.uid
    assert outcomes.link(take, "Short opener", 1).variant_version_uid == a.latest.uid
    with pytest.raises(LibraryError, match="has no version 7"):
        outcomes.link(take, "Short opener", 7)
    assert outcomes.link(take, None).variant_version_uid is None


def scored_take(library: Library, script: str) -> int:
    attempt = library.add_file(AUDIO / "good.flac")
    library.add_report(attempt.id, analyze_script(script, load_profile()))
    return attempt.id


def test_the_lab_reads_the_library(library: Library, outcomes: Outcomes) -> None:
    outcomes.add_variant("A", SCRIPT_A)
    outcomes.add_variant("B", SCRIPT_B)
    first = scored_take(library, SCRIPT_A)
    second = scored_take(library, SCRIPT_B)
    outcomes.link(first, "A")
    outcomes.link(second, "B")
    outcomes.record(first, "none", mark_left=True)
    outcomes.record(second, "email_reply", mark_left=True)
    practice = scored_take(library, SCRIPT_B)
    outcomes.link(practice, "B")  # no outcome: not in the lab
    lab = outcomes.lab()
    assert [(v.name, v.returned.k, v.returned.n) for v in lab.variants] == [
        ("A", 0, 1),
        ("B", 1, 1),
    ]
    assert lab.reading.startswith("Not enough data yet: B has 1 and A has 1 message with")
    b = next(m for m in outcomes.lab_messages() if m.variant == "B")
    assert b.cta_kind == "email" and b.checks["length"] in ("pass", "warn", "fail")


def test_merging_pooled_results_adds_no_duplicates_and_asks_before_replacing(
    tmp_path: Path,
) -> None:
    with Library(tmp_path / "dana") as dana_lib, Library(tmp_path / "lee") as lee_lib:
        dana, lee = Outcomes(dana_lib), Outcomes(lee_lib)
        dana.add_variant("A", SCRIPT_A, "Dana")
        takes = [scored_take(dana_lib, SCRIPT_A) for _ in range(3)]
        for take, kind in zip(takes, ("none", "called_back", "meeting"), strict=True):
            dana.link(take, "A")
            dana.record(take, kind, "2026-01-05", mark_left=True)
        pooled = validate_results(json.loads(json.dumps(dana.export_results())), "pack")
        assert lee.conflicts(pooled) == []
        first = lee.merge(pooled)
        assert len(first.added) == 4 and first.replaced == ()
        again = lee.merge(pooled)
        assert again.added == () and len(again.unchanged) == 4
        assert len(lee.outcomes()) == 3 and [v.name for v in lee.variants()] == ["A"]
        lab = lee.lab()
        assert [(v.name, v.returned.k, v.returned.n) for v in lab.variants] == [("A", 2, 3)]
        # Lee's own variant called "A" is another script: both are kept.
        with Library(tmp_path / "kim") as kim_lib:
            kim = Outcomes(kim_lib)
            kim.add_variant("a", SCRIPT_B)
            merged = kim.merge(pooled)
            assert merged.renamed == ("variant \u201cA\u201d as \u201cA (2)\u201d",)
            assert sorted(v.name for v in kim.variants()) == ["A (2)", "a"]
        # Dana changes one outcome: merging it again into Lee's is a conflict, never silent.
        dana.record(takes[0], "email_reply", "2026-01-09")
        changed = dana.export_results()
        (conflict,) = lee.conflicts(changed)
        assert conflict[0] == f"outcome:{dana_lib.attempt(takes[0]).uid}"
        assert "(replied by email on 2026-01-09)" in conflict[1]
        assert "(yours: no response on 2026-01-05)" in conflict[1]
        with pytest.raises(LibraryError, match="already exists and differs"):
            lee.merge(changed)
        assert lee.merge(changed, {conflict[0]: "skip"}).skipped == (
            conflict[1].split(" (yours")[0],
        )
        assert sorted(o.kind for o in lee.outcomes()) == ["called_back", "meeting", "none"]
        assert len(lee.merge(changed, {conflict[0]: "replace"}).replaced) == 1
        assert sorted(o.kind for o in lee.outcomes()) == ["called_back", "email_reply", "meeting"]
        # And back into Dana's library: her own attempts, no duplicates.
        back = dana.merge(lee.export_results())
        assert back.added == () and len(dana.outcomes()) == 3
        assert all(o.attempt_id in takes for o in dana.outcomes())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["outcomes"][0].update(kind="ghosted"), r"outcomes\[0\].kind: must be one of"),
        (lambda d: d["outcomes"][0].update(outcome_date="soon"), r"outcomes\[0\].outcome_date"),
        (lambda d: d["outcomes"].append(dict(d["outcomes"][0])), r"outcomes\[1\].message_uid"),
        (lambda d: d["variants"][0].update(name=" "), r"variants\[0\].name: cannot be blank"),
        (lambda d: d["variants"][0]["versions"][0].update(number=0), r"versions\[0\].number"),
        (
            lambda d: d["outcomes"][0]["snapshot"]["figures"].update(wpm="fast"),
            r"snapshot.figures.wpm",
        ),
    ],
)
def test_pooled_results_are_validated_naming_the_key(
    library: Library, outcomes: Outcomes, change: object, message: str
) -> None:
    outcomes.add_variant("A", SCRIPT_A)
    take = scored_take(library, SCRIPT_A)
    outcomes.link(take, "A")
    outcomes.record(take, "none", mark_left=True)
    data = json.loads(json.dumps(outcomes.export_results()))
    change(data)  # type: ignore[operator]
    with pytest.raises(ValueError, match=message):
        validate_results(data, "team.vmcpack: results.json")
