"""Role play in the library (voicemail_coach.storage.coaching): migration 3, sessions, comments, rubric scores."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import AUDIO
from voicemail_coach.analysis.pipeline import analyze_script
from voicemail_coach.analysis.profile import RubricCriterion
from voicemail_coach.analysis.profile_loader import load_profile
from voicemail_coach.storage.coaching import Coaching
from voicemail_coach.storage.coaching_records import rubric_columns, rubric_total
from voicemail_coach.storage.library import Library
from voicemail_coach.storage.migrations import LATEST_VERSION, migrate, schema_version
from voicemail_coach.storage.records import LibraryError

REPO = Path(__file__).resolve().parent.parent
LIBRARY_V2 = REPO / "tests" / "data" / "library_v2.sql"
RUBRIC = load_profile().rubric


@pytest.fixture()
def coaching(library: Library) -> Coaching:
    return Coaching(library)


def criterion(criterion_id: str) -> RubricCriterion:
    return next(c for c in RUBRIC if c.id == criterion_id)


def take(library: Library) -> int:
    """A ready 24.8 s attempt (tests/data/audio/good.flac)."""
    return library.add_file(AUDIO / "good.flac").id


# Migration 3.


def dump(conn: sqlite3.Connection, table: str) -> list[tuple[object, ...]]:
    return conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()


def test_a_version_2_library_is_migrated_and_nothing_is_lost(tmp_path: Path) -> None:
    folder = tmp_path / "library"
    (folder / "audio").mkdir(parents=True)
    db = folder / "library.db"
    with sqlite3.connect(db) as conn:
        conn.executescript(LIBRARY_V2.read_text(encoding="utf-8"))
        before = {t: dump(conn, t) for t in ("attempts", "reports")}
    conn.close()
    with Library(folder) as lib:
        with sqlite3.connect(db) as conn:
            assert schema_version(conn) == LATEST_VERSION == 6
            after = {t: dump(conn, t) for t in ("attempts", "reports")}
        conn.close()
        # Every old row and value is still there; attempts gained three empty columns (session
        # and participant in version 3, no_message in version 4), then version 5's (a stable id,
        # left as a real voicemail, variant version, call-to-action kind, check statuses).
        assert after["reports"] == before["reports"]
        assert [row[: len(before["attempts"][0])] for row in after["attempts"]] == before[
            "attempts"
        ]
        width = len(before["attempts"][0])
        assert all(row[width : width + 3] == (None, None, None) for row in after["attempts"])
        acme = lib.attempt(1)
        assert (acme.tags, acme.scenario, acme.notes, acme.score) == (
            ("acme", "follow-up"),
            "Acme renewal",
            "Slow down on the number.",
            98,
        )
        assert (acme.session_id, acme.participant) == (None, None)
        assert lib.reports(1)[0].report.transcript.text.startswith("Hi Sam")
        assert [a.id for a in lib.interrupted()] == [2]
        # The new tables work on the old attempts.
        coaching = Coaching(lib)
        session = coaching.start_session("Monday drill", "Dana", ["Ann"])
        labelled = coaching.label_take(3, session.id, "Ann")
        assert (labelled.session_id, labelled.participant, labelled.scenario) == (
            session.id,
            "Ann",
            "Cold call: logistics",
        )
        assert coaching.add_comment(1, 2.8, "Good, value early.").at_s == 2.8
        assert lib.add_file(AUDIO / "good.flac").id == 4


def test_migration_3_leaves_versions_1_and_2_as_released(tmp_path: Path) -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    assert migrate(conn, target=2) == 2
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "comments" not in tables and "sessions" not in tables
    assert migrate(conn, target=3) == 3
    columns = [r[1] for r in conn.execute("PRAGMA table_info(attempts)")]
    assert columns[-2:] == ["session_id", "participant"]
    assert migrate(conn, target=4) == 4  # then why a take holds no message
    columns = [r[1] for r in conn.execute("PRAGMA table_info(attempts)")]
    assert columns[-3:] == ["session_id", "participant", "no_message"]


# Sessions and participants.


def test_sessions_and_their_participants(coaching: Coaching, library: Library) -> None:
    s = coaching.start_session("  Tuesday   role play ", "Dana Cole", ["Ann", " Ben  Ode "])
    assert (s.name, s.coach, s.participants, s.active, s.take_count) == (
        "Tuesday role play",
        "Dana Cole",
        ("Ann", "Ben Ode"),
        True,
        0,
    )
    assert coaching.add_participant(s.id, "Cy").participants == ("Ann", "Ben Ode", "Cy")
    with pytest.raises(LibraryError, match="ann is in the session already"):
        coaching.add_participant(s.id, "ann")
    with pytest.raises(LibraryError, match="needs a name"):
        coaching.add_participant(s.id, "   ")
    reordered = coaching.set_participants(s.id, ["Cy", "Ann", "Ben Ode"])
    assert reordered.participants == ("Cy", "Ann", "Ben Ode")

    first, second = take(library), take(library)
    library.update(second, scenario="Cold call")
    assert coaching.label_take(first, s.id, "Ann", "Renewal").scenario == "Renewal"
    # A take's own scenario is kept; the session's is for takes without one.
    assert coaching.label_take(second, s.id, "Cy", "Renewal").scenario == "Cold call"
    renamed = coaching.rename_participant(s.id, "Ann", "Anna")
    assert renamed.participants == ("Cy", "Anna", "Ben Ode") and renamed.take_count == 2
    assert library.attempt(first).participant == "Anna"
    removed = coaching.remove_participant(s.id, "Cy")
    assert removed.participants == ("Anna", "Ben Ode")
    assert library.attempt(second).participant == "Cy"  # a take keeps who recorded it

    other = coaching.start_session("Earlier", "Sam")
    ended = coaching.end_session(s.id)
    assert not ended.active and ended.ended_at is not None
    assert coaching.end_session(s.id).ended_at == ended.ended_at
    assert [x.name for x in coaching.sessions()] == ["Earlier", "Tuesday role play"]
    assert coaching.reopen_session(s.id).active
    assert coaching.update_session(other.id, notes="Focus: openings").notes == "Focus: openings"
    with pytest.raises(LibraryError, match="needs a name"):
        coaching.start_session(" ")

    coaching.delete_session(s.id)
    with pytest.raises(LibraryError, match="no session"):
        coaching.session(s.id)
    kept = library.attempt(first)
    assert (kept.session_id, kept.participant) == (None, "Anna")
    assert [x.name for x in coaching.sessions()] == ["Earlier"]


# Comments.


def test_comments_at_moments(coaching: Coaching, library: Library) -> None:
    attempt = take(library)
    late = coaching.add_comment(attempt, 15.25, "Number too fast", "Dana")
    early = coaching.add_comment(attempt, 2.0, "  Strong opening  ")
    assert [(c.at_s, c.text, c.author) for c in coaching.comments(attempt)] == [
        (2.0, "Strong opening", ""),
        (15.25, "Number too fast", "Dana"),
    ]
    edited = coaching.update_comment(late.id, text="Say the number twice", at_s=16.0)
    assert (edited.text, edited.at_s, edited.created_at) == (
        "Say the number twice",
        16.0,
        late.created_at,
    )
    with pytest.raises(LibraryError, match="cannot be empty"):
        coaching.update_comment(early.id, text=" ")
    with pytest.raises(LibraryError, match="past the end of the take"):
        coaching.add_comment(attempt, 40.0, "Too late")
    with pytest.raises(LibraryError, match="moment in the take"):
        coaching.add_comment(attempt, -1.0, "Before it started")
    with pytest.raises(LibraryError, match="no attempt 999"):
        coaching.add_comment(999, 1.0, "Nowhere")
    coaching.delete_comment(early.id)
    assert [c.text for c in coaching.comments(attempt)] == ["Say the number twice"]
    with pytest.raises(LibraryError, match="no comment"):
        coaching.delete_comment(early.id)


# Rubric.


def test_rubric_scores_are_validated_against_the_scale(
    coaching: Coaching, library: Library
) -> None:
    attempt = take(library)
    opening, value = criterion("opening"), criterion("value")
    saved = coaching.set_score(attempt, opening, 4, "Standard")
    assert saved is not None and (saved.score, saved.scale_min, saved.scale_max) == (4, 1, 5)
    assert coaching.set_score(attempt, opening, 5, "Standard").score == 5  # type: ignore[union-attr]
    for bad in (0, 6, 2.5, True):
        with pytest.raises(LibraryError, match="scored from 1 to 5"):
            coaching.set_score(attempt, value, bad, "Standard")  # type: ignore[arg-type]
    coaching.set_score(attempt, value, 3, "Standard")
    scores = coaching.scores(attempt)
    assert {k: s.score for k, s in scores.items()} == {"opening": 5, "value": 3}
    total = rubric_total(RUBRIC, scores)
    assert total.text() == "8/10 (2 of 5 scored)"
    assert coaching.set_score(attempt, value, None, "Standard") is None
    assert list(coaching.scores(attempt)) == ["opening"]
    # A criterion from another profile's rubric shows as its own column.
    extra = RubricCriterion("tone", "Tone", "", 0, 10)
    coaching.set_score(attempt, extra, 7, "Team profile")
    columns = rubric_columns(RUBRIC, [coaching.scores(attempt)])
    assert [c.id for c in columns][-1] == "tone" and columns[-1].scale_max == 10
    with sqlite3.connect(library.db_path) as conn, pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "INSERT INTO rubric_scores VALUES (?, 'x', 'X', 9, 1, 5, 'p', 'now')", (attempt,)
        )


def test_deleting_an_attempt_deletes_its_comments_and_scores(
    coaching: Coaching, library: Library
) -> None:
    gone, kept = take(library), take(library)
    for attempt in (gone, kept):
        coaching.add_comment(attempt, 1.0, "Pace")
        coaching.set_score(attempt, criterion("delivery"), 2, "Standard")
    library.delete(gone)
    with sqlite3.connect(library.db_path) as conn:
        assert conn.execute("SELECT attempt_id FROM comments").fetchall() == [(kept,)]
        assert conn.execute("SELECT attempt_id FROM rubric_scores").fetchall() == [(kept,)]


def test_session_summary_and_its_csv(coaching: Coaching, library: Library, tmp_path: Path) -> None:
    s = coaching.start_session("Drill", "Dana", ["Ann", "Ben"])
    ann, ben = take(library), take(library)
    report = analyze_script(
        "Hi Sam, this is Alex from Acme. We cut onboarding time in half for teams like yours. "
        "I'll send you an email today.",
        load_profile(),
    )
    library.add_report(ann, report)
    coaching.label_take(ann, s.id, "Ann")
    coaching.label_take(ben, s.id, "Ben")
    library.update(ben, scenario="Renewal")
    for c, score in zip(RUBRIC, (4, 3, 5, 4, 2), strict=True):
        coaching.set_score(ann, c, score, "Standard")
    coaching.add_comment(ann, 1.0, "Nice")
    rows = coaching.summary(s.id)
    assert [(r.attempt.participant, r.attempt.score, r.comment_count) for r in rows] == [
        ("Ann", report.score, 1),
        ("Ben", None, 0),
    ]
    assert rubric_total(RUBRIC, rows[0].scores).text() == "18/25"
    assert coaching.export_summary_csv(s.id, tmp_path / "drill.csv", RUBRIC) == 2
    with (tmp_path / "drill.csv").open(encoding="utf-8") as f:
        table = list(csv.DictReader(f))
    assert table[0]["participant"] == "Ann" and table[0]["auto_score"] == str(report.score)
    assert [table[0][c.id] for c in RUBRIC] == ["4", "3", "5", "4", "2"]
    assert table[0]["rubric_total"] == "18/25" and table[0]["comments"] == "1"
    assert (table[1]["participant"], table[1]["scenario"], table[1]["rubric_total"]) == (
        "Ben",
        "Renewal",
        "",
    )
    record = coaching.record(ann, RUBRIC)
    assert record.session is not None and record.session.name == "Drill"
    assert record.total().text() == "18/25" and [c.text for c in record.comments] == ["Nice"]


# Free text from the coach.


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=120), at_s=st.floats(allow_nan=True, allow_infinity=True))
def test_any_comment_is_saved_as_typed_or_refused_with_a_reason(
    coaching: Coaching, library: Library, text: str, at_s: float
) -> None:
    attempt = library.attempts()[0].id if library.attempts() else take(library)
    before = coaching.comments(attempt)
    try:
        saved = coaching.add_comment(attempt, at_s, text, author=text)
    except LibraryError as exc:
        reasons = ("cannot be empty", "needs a moment in the take", "past the end of the take")
        assert any(reason in str(exc) for reason in reasons), str(exc)
        assert not text.strip() or not 0 <= at_s <= 24.8 + 0.5
        assert coaching.comments(attempt) == before  # nothing half-saved
        return
    assert saved.text == text.strip() and 0 <= saved.at_s <= 25.3
    assert coaching.comment(saved.id) == saved


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(names=st.lists(st.text(max_size=20), max_size=6))
def test_any_participant_list_is_kept_in_order_or_refused(
    coaching: Coaching, names: list[str]
) -> None:
    session = coaching.start_session("Drill")
    try:
        saved = coaching.set_participants(session.id, names)
    except LibraryError as exc:
        clean = [" ".join(n.split()) for n in names]
        assert "needs a name" in str(exc) or "in the session already" in str(exc)
        assert "" in clean or len({c.casefold() for c in clean}) < len(clean)
        assert coaching.session(session.id).participants == ()
        return
    assert saved.participants == tuple(" ".join(n.split()) for n in names)
