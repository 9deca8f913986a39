"""The attempt library (voicemail_coach.storage.library): storage, migrations, bad states and crash recovery."""

from __future__ import annotations

import csv
import dataclasses
import errno
import os
import signal
import sqlite3
import struct
import subprocess
import sys
import threading
import time
import wave
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
import soundfile

import voicemail_coach.storage.database
import voicemail_coach.storage.take_files
from tests.fakes import FakeInputStream
from voicemail_coach.analysis.paths import data_dir
from voicemail_coach.analysis.pipeline import analyze_script
from voicemail_coach.analysis.profile_loader import load_profile
from voicemail_coach.analysis.report import ModelInfo, Report
from voicemail_coach.audio.capture import Recorder
from voicemail_coach.storage.csv_files import CSV_COLUMNS
from voicemail_coach.storage.library import Library
from voicemail_coach.storage.migrations import LATEST_VERSION, migrate, schema_version
from voicemail_coach.storage.records import Attempt, LibraryError

REPO = Path(__file__).resolve().parent.parent
AUDIO = REPO / "tests" / "data" / "audio"
LIBRARY_V1 = REPO / "tests" / "data" / "library_v1.sql"
RATE = 16_000
TRIM_S = 0.3  # Recorder's default trim_start_s
QUANTUM = 1.0 / 32768
KILL_AFTER_S = 4.0

FloatArray = npt.NDArray[np.float32]


@pytest.fixture(scope="module")
def good() -> FloatArray:
    samples, rate = soundfile.read(str(AUDIO / "good.flac"), dtype="float32")
    assert rate == RATE
    return np.asarray(samples, dtype=np.float32)


@pytest.fixture(scope="module")
def reports() -> tuple[Report, Report]:
    """Two different reports: a script read by a model, then a weaker one with another model."""
    profile = load_profile()
    first = analyze_script(
        "Hi Sam, this is Alex from Acme. We cut onboarding time in half for teams like yours. "
        "Call me back at 555 123 4567. If it's not a fit, just let me know.",
        profile,
    )
    second = analyze_script(
        "Um, hi, so, this is Alex. Uh, I was just calling to, like, touch base and see if you "
        "have some time to chat about stuff, um, call me back when you can.",
        profile,
        "short",
    )
    return (
        dataclasses.replace(first, model=ModelInfo("tiny.en", "int8", "/models/tiny.en", None)),
        dataclasses.replace(second, model=ModelInfo("small.en", "int8", "/models/small", "Hi")),
    )


def audio_files(lib: Library) -> list[str]:
    return sorted(p.name for p in lib.audio_dir.iterdir())


def write_wav(path: Path, samples: FloatArray) -> None:
    soundfile.write(str(path), samples, RATE, subtype="PCM_16", format="WAV")


def record(wav: Path, samples: FloatArray) -> None:
    """A take through the real Recorder, as the app makes one."""
    recorder = Recorder(wav, stream_factory=FakeInputStream(samples))
    recorder.start()
    deadline = time.monotonic() + 10
    while recorder.elapsed_s < len(samples) / RATE:
        assert time.monotonic() < deadline, "the fake microphone stalled"
        time.sleep(0.005)
    result = recorder.stop()
    assert result.error is None


def v1_library(folder: Path) -> Path:
    """A library folder holding tests/data/library_v1.sql as the first release left it."""
    (folder / "audio").mkdir(parents=True)
    db = folder / "library.db"
    conn = sqlite3.connect(db)
    conn.executescript(LIBRARY_V1.read_text(encoding="utf-8"))
    conn.close()
    return db


def corrupt_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("library.db.corrupt-*"))


# Round trips.


def test_round_trip_of_attempts_with_reports(
    library: Library, good: FloatArray, reports: tuple[Report, Report]
) -> None:
    first, second = reports
    added = library.add_file(AUDIO / "good.flac")
    assert (added.title, added.source, added.status) == ("good", "file", "ready")
    assert added.original_path == str(AUDIO / "good.flac")
    assert added.duration_s == pytest.approx(len(good) / RATE)
    assert added.score is None and added.tags == () and added.notes == ""
    stored_audio = Path(added.audio_path)
    assert stored_audio.parent == library.audio_dir and stored_audio.suffix == ".flac"
    info = soundfile.info(str(stored_audio))
    assert (info.format, info.subtype, info.samplerate, info.channels) == (
        "FLAC",
        "PCM_16",
        RATE,
        1,
    )
    np.testing.assert_allclose(
        soundfile.read(str(stored_audio), dtype="float32")[0], good, atol=QUANTUM
    )

    stored_first = library.add_report(added.id, first)
    stored_second = library.add_report(added.id, second)
    assert stored_second.id > stored_first.id
    assert (stored_second.profile_name, stored_second.length_preset) == (
        second.profile.name,
        "short",
    )
    assert (stored_first.model_name, stored_second.model_name) == ("tiny.en", "small.en")

    library.close()
    reopened = Library(library.folder)
    try:
        kept = reopened.reports(added.id)
        assert [s.id for s in kept] == [stored_second.id, stored_first.id]
        assert [s.report for s in kept] == [second, first]
        assert kept == [stored_second, stored_first]
        assert reopened.latest_report(added.id) == stored_second
        attempt = reopened.attempt(added.id)
        assert attempt == dataclasses.replace(
            added,
            score=second.score,
            time_to_value_s=second.value_proposition.start_s,
            wpm=second.delivery.wpm,
            fillers_per_min=second.delivery.fillers_per_minute,
            duration_s=second.source.duration_s,
            profile_name=second.profile.name,
            model_name="small.en",
        )
        assert first.score != second.score and first.delivery.wpm != second.delivery.wpm
        assert reopened.attempts() == [attempt]
    finally:
        reopened.close()


def test_a_report_without_a_value_proposition_or_model(
    library: Library, reports: tuple[Report, Report]
) -> None:
    script_only = dataclasses.replace(
        reports[0],
        model=None,
        value_proposition=dataclasses.replace(reports[0].value_proposition, found=False),
    )
    attempt = library.add_file(AUDIO / "good.flac")
    library.add_report(attempt.id, script_only)
    summary = library.attempt(attempt.id)
    assert (summary.time_to_value_s, summary.model_name) == (None, None)
    assert library.reports(attempt.id)[0].report == script_only


def test_a_take_is_recorded_into_the_library_and_finished_as_flac(
    library: Library, good: FloatArray
) -> None:
    attempt, wav = library.begin_recording(title="  Acme, take 1 ", scenario="Acme renewal")
    assert (attempt.status, attempt.source, attempt.title) == (
        "recording",
        "recording",
        "Acme, take 1",
    )
    assert attempt.scenario == "Acme renewal" and attempt.audio_path == str(wav)
    assert wav.parent == library.audio_dir and wav.suffix == ".wav"
    # Committed before returning: another connection (another process) sees it already.
    with sqlite3.connect(library.db_path) as other:
        assert other.execute("SELECT status FROM attempts").fetchall() == [("recording",)]

    record(wav, good[: 3 * RATE])
    finished = library.finish_recording(attempt.id)
    assert finished.status == "ready" and finished.audio_path.endswith(".flac")
    assert not wav.exists()
    saved, rate = soundfile.read(finished.audio_path, dtype="float32")
    assert rate == RATE and finished.duration_s == pytest.approx(len(saved) / RATE)
    # The Recorder trims the start and records a tail of silence after the source ends.
    trim = round(TRIM_S * RATE)
    np.testing.assert_allclose(saved[: 3 * RATE - trim], good[trim : 3 * RATE], atol=QUANTUM)
    assert library.finish_recording(attempt.id) == finished
    assert audio_files(library) == [Path(finished.audio_path).name]


def test_the_default_library_is_in_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VOICEMAIL_COACH_DATA_DIR", str(tmp_path / "data"))
    with Library() as lib:
        assert lib.folder == data_dir() / "library"
        assert lib.db_path == lib.folder / "library.db" and lib.db_path.exists()
        assert lib.audio_dir == lib.folder / "audio" and lib.audio_dir.is_dir()
        mode = sqlite3.connect(lib.db_path).execute("PRAGMA journal_mode").fetchone()
        assert mode == ("wal",)


def test_update_title_tags_notes_and_scenario(library: Library) -> None:
    attempt = library.add_file(AUDIO / "good.flac", title="Cold call")
    assert attempt.title == "Cold call"
    updated = library.update(
        attempt.id, tags=[" renewal ", "Acme", "", "acme", "big   deal"], scenario="Q3 push"
    )
    assert updated.tags == ("renewal", "Acme", "big deal")
    assert (updated.title, updated.scenario, updated.notes) == ("Cold call", "Q3 push", "")
    updated = library.update(attempt.id, title=" Warm call ", notes="Slower next time.\nSmile.")
    assert (updated.title, updated.notes, updated.tags) == (
        "Warm call",
        "Slower next time.\nSmile.",
        ("renewal", "Acme", "big deal"),
    )
    cleared = library.update(attempt.id, tags=[], scenario="", notes="")
    assert (cleared.tags, cleared.scenario, cleared.notes) == ((), None, "")
    assert library.update(attempt.id) == cleared
    with pytest.raises(LibraryError, match="title cannot be empty"):
        library.update(attempt.id, title="   ")
    with pytest.raises(TypeError):
        library.update(attempt.id, tags="renewal")
    with pytest.raises(LibraryError, match="no attempt 999"):
        library.update(999, title="x")
    assert library.attempt(attempt.id) == cleared


def test_delete_removes_the_rows_and_the_audio(
    library: Library, reports: tuple[Report, Report]
) -> None:
    kept = library.add_file(AUDIO / "good.flac")
    gone = library.add_file(AUDIO / "fillers.flac")
    library.add_report(gone.id, reports[0])
    take, wav = library.begin_recording()
    wav.write_bytes(b"partial")
    library.delete(gone.id)
    library.delete(take.id)
    assert not Path(gone.audio_path).exists() and not wav.exists()
    assert audio_files(library) == [Path(kept.audio_path).name]
    assert [a.id for a in library.attempts()] == [kept.id]
    with pytest.raises(LibraryError, match=f"no attempt {gone.id}"):
        library.attempt(gone.id)
    with pytest.raises(LibraryError):
        library.reports(gone.id)
    with sqlite3.connect(library.db_path) as other:
        assert other.execute("SELECT count(*) FROM reports").fetchone() == (0,)
    with pytest.raises(LibraryError):
        library.delete(gone.id)


def test_previous_is_the_newest_earlier_scored_take(
    library: Library, reports: tuple[Report, Report]
) -> None:
    first = library.add_file(AUDIO / "good.flac")
    unscored = library.add_file(AUDIO / "good.flac")
    second = library.add_file(AUDIO / "good.flac")
    library.begin_recording()  # never finished: not a take to compare with
    third = library.add_file(AUDIO / "good.flac")
    for attempt in (first, second, third):
        library.add_report(attempt.id, reports[0])
    assert library.previous(first.id) is None
    assert library.previous(unscored.id) == library.attempt(first.id)
    assert library.previous(second.id) == library.attempt(first.id)
    assert library.previous(third.id) == library.attempt(second.id)
    newest_first = [a.id for a in library.attempts()]
    assert newest_first[0] == third.id and newest_first[-1] == first.id


def test_export_csv(library: Library, reports: tuple[Report, Report], tmp_path: Path) -> None:
    report = reports[0]
    scored = library.add_file(AUDIO / "good.flac", title='Acme, "final" take')
    library.add_report(scored.id, report)
    library.update(scored.id, tags=["acme", "renewal"], scenario="Renewal")
    library.add_file(AUDIO / "fillers.flac")
    target = tmp_path / "out" / "history.csv"
    target.parent.mkdir()
    assert library.export_csv(target) == 2
    with target.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert tuple(rows[0]) == CSV_COLUMNS
    latest, older = (dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:])
    assert latest["title"] == "fillers" and latest["score"] == "" and latest["model"] == ""
    assert older == {
        "id": str(scored.id),
        "date": scored.created_at,
        "title": 'Acme, "final" take',
        "tags": "acme, renewal",
        "scenario": "Renewal",
        "duration_s": str(report.source.duration_s),
        "score": str(report.score),
        "time_to_value_s": str(report.value_proposition.start_s),
        "wpm": str(report.delivery.wpm),
        "fillers_per_min": str(report.delivery.fillers_per_minute),
        "profile": report.profile.name,
        "model": "tiny.en",
        "participant": "",
    }
    assert sorted(p.name for p in target.parent.iterdir()) == ["history.csv"]
    with pytest.raises(LibraryError, match="Could not export"):
        library.export_csv(tmp_path / "no such folder" / "history.csv")


def test_add_file_refuses_what_it_cannot_decode(library: Library, tmp_path: Path) -> None:
    text = tmp_path / "notes.wav"
    text.write_text("not audio")
    with pytest.raises(LibraryError, match="not a readable audio file"):
        library.add_file(text)
    with pytest.raises(LibraryError, match="silent"):
        library.add_file(AUDIO / "silence.flac")
    assert library.attempts() == [] and audio_files(library) == []


def test_calls_from_many_threads(library: Library, reports: tuple[Report, Report]) -> None:
    attempt = library.add_file(AUDIO / "good.flac")
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(5):
                library.add_report(attempt.id, reports[(n + i) % 2])
                library.update(attempt.id, tags=[f"t{n}"])
                library.attempts()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(library.reports(attempt.id)) == 20


def test_a_closed_library_says_so(tmp_path: Path) -> None:
    lib = Library(tmp_path / "library")
    lib.close()
    lib.close()
    with pytest.raises(LibraryError, match="closed"):
        lib.attempts()


# Migrations.


def test_a_library_from_the_first_schema_version_is_migrated(
    tmp_path: Path, reports: tuple[Report, Report]
) -> None:
    folder = tmp_path / "library"
    v1_library(folder)
    with Library(folder) as lib:
        with sqlite3.connect(lib.db_path) as conn:
            assert schema_version(conn) == LATEST_VERSION
        stored = lib.reports(1)
        assert len(stored) == 1 and stored[0].model_name == "tiny.en"
        report = stored[0].report
        assert report.score == 98 and report.transcript.text.startswith("Hi Sam")
        assert lib.attempt(1) == Attempt(
            id=1,
            created_at="2025-01-10T09:15:02+00:00",
            title="Acme follow-up",
            tags=(),
            scenario=None,
            notes="",
            source="file",
            original_path="/home/rep/voicemails/acme.m4a",
            audio_path=str(lib.audio_dir / "1.flac"),
            status="ready",
            # The summary is filled in from the report the first release saved.
            duration_s=report.source.duration_s,
            score=98,
            time_to_value_s=report.value_proposition.start_s,
            wpm=report.delivery.wpm,
            fillers_per_min=report.delivery.fillers_per_minute,
            profile_name=report.profile.name,
            model_name="tiny.en",
        )
        take = lib.attempt(2)
        assert (take.status, take.score, take.duration_s, take.tags) == (
            "recording",
            None,
            None,
            (),
        )
        assert lib.interrupted() == [take]
        # The new columns work, and ids carry on after the old ones.
        assert lib.update(1, tags=["old"]).tags == ("old",)
        assert lib.add_file(AUDIO / "good.flac").id == 3
        lib.add_report(1, reports[1])
        assert lib.attempt(1).score == reports[1].score
    with Library(folder) as again:
        assert [a.id for a in again.attempts()] == [3, 2, 1]


def test_migration_1_still_builds_the_first_release_schema(tmp_path: Path) -> None:
    """Released migrations are never edited: version 1 must build what v1 libraries hold."""

    def schema(conn: sqlite3.Connection) -> dict[str, Any]:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {
            name: conn.execute(f"PRAGMA table_info({name})").fetchall()
            or conn.execute(f"PRAGMA index_info({name})").fetchall()
            for name in names
        }

    built = sqlite3.connect(":memory:", isolation_level=None)
    assert migrate(built, target=1) == 1
    released = sqlite3.connect(v1_library(tmp_path / "v1"))
    assert schema(built) == schema(released)


def test_a_library_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    folder = tmp_path / "library"
    Library(folder).close()
    db = folder / "library.db"
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO schema_version VALUES (99, '2030-01-01T00:00:00+00:00')")
    before = db.read_bytes()
    with pytest.raises(LibraryError, match="newer version"):
        Library(folder)
    assert db.read_bytes() == before and corrupt_files(folder) == []


# Bad states.


def _random_bytes(db: Path) -> None:
    db.write_bytes(np.random.default_rng(7).bytes(20_000))


def _truncated(db: Path) -> None:
    with db.open("r+b") as f:
        f.truncate(db.stat().st_size // 2)


@pytest.mark.parametrize("damage", [_random_bytes, _truncated], ids=["random", "truncated"])
def test_a_corrupted_database_is_set_aside_and_a_new_one_started(
    tmp_path: Path, damage: Any, reports: tuple[Report, Report]
) -> None:
    folder = tmp_path / "library"
    with Library(folder) as lib:
        for _ in range(3):
            lib.add_report(lib.add_file(AUDIO / "good.flac").id, reports[0])
        audio = audio_files(lib)
    damage(folder / "library.db")
    damaged = (folder / "library.db").read_bytes()

    with pytest.raises(LibraryError) as raised:
        Library(folder)
    (backup,) = corrupt_files(folder)
    assert str(backup) in str(raised.value) and "set aside" in str(raised.value)
    assert backup.name.startswith("library.db.corrupt-") and backup.name.endswith("Z")
    assert backup.read_bytes() == damaged
    assert not (folder / "library.db").exists()

    with Library(folder) as fresh:
        assert fresh.attempts() == []
        # Old recordings are neither deleted nor overwritten by the new library's files.
        new = fresh.add_file(AUDIO / "fillers.flac")
        assert new.id == 1 and Path(new.audio_path).name not in audio
        assert set(audio) < set(audio_files(fresh))
    assert corrupt_files(folder) == [backup] and backup.read_bytes() == damaged


def test_a_second_corruption_never_overwrites_the_first_backup(tmp_path: Path) -> None:
    folder = tmp_path / "library"
    folder.mkdir()
    backups: list[bytes] = []
    for n in range(2):
        contents = f"garbage {n} ".encode() * 500
        (folder / "library.db").write_bytes(contents)
        backups.append(contents)
        with pytest.raises(LibraryError, match="set aside"):
            Library(folder)
    assert sorted(p.read_bytes() for p in corrupt_files(folder)) == sorted(backups)


def test_a_database_locked_by_another_program(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(voicemail_coach.storage.database, "BUSY_TIMEOUT_S", 0.2)
    folder = tmp_path / "library"
    with Library(folder) as lib:
        lib.add_file(AUDIO / "good.flac")
    db = folder / "library.db"
    holder = sqlite3.connect(db, isolation_level=None)
    try:
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("UPDATE attempts SET title = 'mine'")
        started = time.monotonic()
        with pytest.raises(
            LibraryError, match=r"^The library is busy \(locked by another program\)"
        ):
            Library(folder)
        assert time.monotonic() - started < 5
        assert sorted(p.name for p in folder.iterdir() if "corrupt" in p.name) == []
        assert db.exists()
        holder.execute("ROLLBACK")
    finally:
        holder.close()
    with Library(folder) as lib:
        assert [a.title for a in lib.attempts()] == ["good"]


def test_a_write_while_another_program_writes_reports_busy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(voicemail_coach.storage.database, "BUSY_TIMEOUT_S", 0.2)
    with Library(tmp_path / "library") as lib:
        attempt = lib.add_file(AUDIO / "good.flac")
        holder = sqlite3.connect(lib.db_path, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            assert lib.attempts() == [attempt]  # WAL: reading goes on
            with pytest.raises(LibraryError, match="library is busy"):
                lib.update(attempt.id, title="renamed")
            with pytest.raises(LibraryError, match="library is busy"):
                lib.add_file(AUDIO / "fillers.flac")
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert audio_files(lib) == [Path(attempt.audio_path).name]
        assert lib.update(attempt.id, title="renamed").title == "renamed"


def test_a_take_that_cannot_be_converted_keeps_its_wav(library: Library) -> None:
    attempt, wav = library.begin_recording()
    wav.write_bytes(b"RIFF garbage that is no WAV at all" * 10)
    with pytest.raises(LibraryError, match=r"cannot be read.*kept"):
        library.finish_recording(attempt.id)
    assert wav.read_bytes() == b"RIFF garbage that is no WAV at all" * 10
    assert library.attempt(attempt.id).status == "recording"
    assert audio_files(library) == [wav.name]

    empty, empty_wav = library.begin_recording()
    write_wav(empty_wav, np.zeros(0, dtype=np.float32))
    with pytest.raises(LibraryError, match="Nothing was recorded"):
        library.finish_recording(empty.id)
    assert empty_wav.exists()


def _fail_with(number: int) -> Any:
    def write(*args: Any, **kwargs: Any) -> None:
        raise OSError(number, os.strerror(number))

    return write


def test_a_full_disk_while_saving_a_take_keeps_the_wav(
    library: Library, good: FloatArray, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempt, wav = library.begin_recording()
    write_wav(wav, good[:RATE])
    before = wav.read_bytes()
    monkeypatch.setattr(soundfile, "write", _fail_with(errno.ENOSPC))
    with pytest.raises(LibraryError, match="the disk is full"):
        library.finish_recording(attempt.id)
    assert wav.read_bytes() == before and audio_files(library) == [wav.name]
    assert library.attempt(attempt.id).status == "recording"
    monkeypatch.undo()
    assert library.finish_recording(attempt.id).duration_s == 1.0


def test_a_full_or_read_only_disk_while_adding_a_file_loses_nothing(
    library: Library, reports: tuple[Report, Report], monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = library.add_file(AUDIO / "good.flac")
    library.add_report(saved.id, reports[0])
    before = (library.attempts(), library.reports(saved.id), audio_files(library))

    monkeypatch.setattr(soundfile, "write", _fail_with(errno.ENOSPC))
    with pytest.raises(LibraryError, match=r"Could not add fillers\.flac .*the disk is full"):
        library.add_file(AUDIO / "fillers.flac")
    monkeypatch.setattr(soundfile, "write", _fail_with(errno.EROFS))
    with pytest.raises(LibraryError, match=r"cannot be written.*Nothing already saved was lost"):
        library.add_file(AUDIO / "fillers.flac")
    monkeypatch.undo()
    assert (library.attempts(), library.reports(saved.id), audio_files(library)) == before
    assert library.add_file(AUDIO / "fillers.flac").id == saved.id + 1


def test_a_full_database_loses_nothing(library: Library, reports: tuple[Report, Report]) -> None:
    saved = library.add_file(AUDIO / "good.flac")
    library.add_report(saved.id, reports[0])
    before = (library.attempts(), library.reports(saved.id), audio_files(library))
    # SQLite's own full-disk error, for real: the database may not grow by a single page.
    conn = library.db.connection()
    assert conn is not None
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(LibraryError, match="the disk is full"):
        for _ in range(20):
            library.add_report(saved.id, reports[1])
    with pytest.raises(LibraryError, match="the disk is full"):
        library.add_file(AUDIO / "fillers.flac", title="A title that needs a page. " * 200)
    conn.execute(f"PRAGMA max_page_count = {2**30}")
    after = (library.attempts(), library.reports(saved.id), audio_files(library))
    # Whatever fitted was saved whole; what did not left no trace, not even an audio file.
    assert after[0][-1] == before[0][0]
    assert after[1][-1] == before[1][0]
    assert len(after[2]) == len(after[0])


def test_a_read_only_database_file(library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    saved = library.add_file(AUDIO / "good.flac")
    conn = library.db.connection()
    assert conn is not None
    conn.execute("PRAGMA query_only = ON")  # SQLite's read-only error, as on a read-only disk
    with pytest.raises(LibraryError, match="cannot be written"):
        library.update(saved.id, title="new")
    with pytest.raises(LibraryError, match="cannot be written"):
        library.begin_recording()
    assert audio_files(library) == [Path(saved.audio_path).name]
    conn.execute("PRAGMA query_only = OFF")
    assert library.attempt(saved.id).title == "good"


# Interrupted takes.


def test_interrupted_lists_the_takes_found_at_start(tmp_path: Path, good: FloatArray) -> None:
    folder = tmp_path / "library"
    with Library(folder) as lib:
        take, wav = lib.begin_recording()
        assert lib.interrupted() == []  # being recorded by this library, not interrupted
        with pytest.raises(LibraryError, match="still being recorded"):
            lib.recover(take.id)
        write_wav(wav, good[:RATE])
    with Library(folder) as lib:
        assert lib.interrupted() == [lib.attempt(take.id)]
        assert lib.begin_recording()[0] not in lib.interrupted()
        assert lib.recover(take.id).status == "ready"
        assert lib.interrupted() == []
        assert lib.recover(take.id) == lib.attempt(take.id)


def test_recover_rebuilds_the_header_a_killed_writer_leaves(
    tmp_path: Path, good: FloatArray
) -> None:
    folder = tmp_path / "library"
    with Library(folder) as lib:
        take, wav = lib.begin_recording()
    # What libsndfile leaves on disk until it closes the file: a header saying "no data".
    writer = soundfile.SoundFile(
        str(wav), mode="w", samplerate=RATE, channels=1, subtype="PCM_16", format="WAV"
    )
    pcm = np.round(good[: 2 * RATE] * 32768).astype(np.int16)
    writer.write(pcm)
    writer.flush()
    killed = wav.read_bytes() + b"\x01"  # and half a frame
    writer.close()
    wav.write_bytes(killed)
    assert struct.unpack("<I", killed[40:44]) == (0,)
    # Strict readers such as the standard library's refuse it until the header is rebuilt.
    copy = tmp_path / "copy.wav"
    copy.write_bytes(killed)
    with pytest.raises(wave.Error):
        wave.open(str(copy)).close()
    voicemail_coach.storage.take_files.repair_wav(copy)
    with wave.open(str(copy)) as repaired:
        assert repaired.getnframes() == 2 * RATE
    assert copy.stat().st_size == len(killed) - 1
    with Library(folder) as lib:
        recovered = lib.recover(take.id)
        assert recovered.duration_s == 2.0
        saved, _ = soundfile.read(recovered.audio_path, dtype="int16")
        np.testing.assert_array_equal(saved, pcm)


def test_takes_with_nothing_to_recover_are_kept(tmp_path: Path) -> None:
    folder = tmp_path / "library"
    with Library(folder) as lib:
        never_started, empty_file = lib.begin_recording()
        header_only, header_wav = lib.begin_recording()
        vanished, gone_wav = lib.begin_recording()
    write_wav(header_wav, np.zeros(0, dtype=np.float32))
    gone_wav.unlink()
    with Library(folder) as lib:
        with pytest.raises(LibraryError, match="had not started"):
            lib.recover(never_started.id)
        with pytest.raises(LibraryError, match="Nothing was recorded"):
            lib.recover(header_only.id)
        with pytest.raises(LibraryError, match="missing"):
            lib.recover(vanished.id)
        assert empty_file.exists() and header_wav.exists()
        assert len(lib.interrupted()) == 3
        for attempt in lib.interrupted():
            lib.delete(attempt.id)
        assert lib.interrupted() == [] and audio_files(lib) == []


def test_a_take_killed_mid_recording_is_recovered(tmp_path: Path, good: FloatArray) -> None:
    env = {**os.environ, "VOICEMAIL_COACH_DATA_DIR": str(tmp_path / "data")}
    child = subprocess.Popen(
        [sys.executable, str(REPO / "tests" / "library_take.py"), str(AUDIO / "good.flac")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    try:
        assert child.stdout is not None
        announced = child.stdout.readline().split()
        assert announced[:1] == ["ATTEMPT"], child.communicate()
        attempt_id = int(announced[1])
        assert child.stdout.readline() == "RECORDING\n", child.communicate()
        time.sleep(KILL_AFTER_S)
        os.kill(child.pid, signal.SIGKILL)
        out, err = child.communicate(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL, err
    elapsed = [float(line.split()[1]) for line in out.splitlines() if line.startswith("ELAPSED")]
    assert len(elapsed) >= KILL_AFTER_S / 0.2 - 3 and elapsed[-1] > KILL_AFTER_S

    with Library(tmp_path / "data" / "library") as lib:
        (take,) = lib.interrupted()
        assert (take.id, take.title, take.status) == (attempt_id, "Killed take", "recording")
        wav = Path(take.audio_path)
        # The writer never closed the file: its header still says it holds no audio.
        assert struct.unpack("<I", wav.read_bytes()[40:44]) == (0,)
        recovered = lib.recover(take.id)
        assert recovered.status == "ready" and not wav.exists()
        assert lib.interrupted() == []

    saved, rate = soundfile.read(recovered.audio_path, dtype="float32")
    assert rate == RATE and recovered.duration_s == pytest.approx(len(saved) / RATE)
    captured_s = elapsed[-1] - TRIM_S  # all of it on disk before the child printed it
    assert captured_s <= recovered.duration_s <= captured_s + 0.5
    trim = round(TRIM_S * RATE)
    np.testing.assert_allclose(saved, good[trim : trim + len(saved)], atol=QUANTUM)


def test_export_csv_quotes_formula_like_text(library: Library, tmp_path: Path) -> None:
    """A title or tag that a spreadsheet would run as a formula is written as text."""
    take = library.add_file(AUDIO / "fillers.flac", title='=HYPERLINK("http://x","y")')
    library.update(take.id, tags=["-2+3", "@me"], scenario="+1 call")
    target = tmp_path / "history.csv"
    library.export_csv(target)
    with target.open(newline="", encoding="utf-8") as f:
        row = dict(zip(CSV_COLUMNS, list(csv.reader(f))[1], strict=True))
    assert row["title"] == '\'=HYPERLINK("http://x","y")'
    assert row["tags"] == "'-2+3, @me"
    assert row["scenario"] == "'+1 call"
    assert row["id"] == str(take.id) and row["duration_s"] != ""


@pytest.mark.parametrize(
    ("number", "why"),
    [
        (errno.EROFS, "cannot be written: it is on a read-only disk. Nothing already saved"),
        (errno.EACCES, "cannot be written: permission denied. Nothing already saved"),
        (
            errno.EIO,
            "cannot be written: the disk reported an input/output error (it may be failing",
        ),
    ],
)
def test_a_read_only_disk_a_missing_permission_and_a_failing_disk_are_told_apart(
    library: Library, monkeypatch: pytest.MonkeyPatch, number: int, why: str
) -> None:
    monkeypatch.setattr(soundfile, "write", _fail_with(number))
    with pytest.raises(LibraryError) as err:
        library.add_file(AUDIO / "fillers.flac")
    assert str(err.value).startswith(
        f"Could not add fillers.flac to the library: the library folder {library.folder} "
    )
    assert why in str(err.value)
    assert audio_files(library) == []


def test_a_bug_while_saving_audio_is_a_bug_not_a_library_error(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    def buggy(*args: Any, **kwargs: Any) -> None:
        raise TypeError("write() got an unexpected keyword argument 'subtype'")

    monkeypatch.setattr(soundfile, "write", buggy)
    with pytest.raises(TypeError, match="unexpected keyword"):
        library.add_file(AUDIO / "fillers.flac")


def test_a_flac_half_written_by_a_kill_is_moved_to_recovered_and_the_next_name_is_free(
    tmp_path: Path, good: FloatArray
) -> None:
    folder = tmp_path / "library"
    with Library(folder) as lib:
        kept = lib.add_file(AUDIO / "fillers.flac")
        take, wav = lib.begin_recording("Killed while saving")
    soundfile.write(wav, good[: RATE * 3], RATE, subtype="PCM_16")
    # What a kill in the middle of finish_recording leaves: the first bytes of the take's FLAC,
    # and another half-written FLAC whose attempt was never committed (add_file killed).
    real_flac = (AUDIO / "good.flac").read_bytes()
    (folder / "audio" / f"{take.id}.flac").write_bytes(real_flac[:3000])
    (folder / "audio" / "9.flac").write_bytes(real_flac[:5000])
    kept_bytes = Path(kept.audio_path).read_bytes()
    kept_mtime = Path(kept.audio_path).stat().st_mtime_ns

    with Library(folder) as lib:
        recovered = folder / "recovered"
        assert sorted(p.name for p in recovered.iterdir()) == [f"{take.id}.flac", "9.flac"]
        assert (recovered / f"{take.id}.flac").read_bytes() == real_flac[:3000]
        assert (recovered / "9.flac").read_bytes() == real_flac[:5000]
        # The copy of the interrupted take is not offered: the take itself is.
        assert lib.unreferenced() == [recovered / "9.flac"]
        assert [a.id for a in lib.interrupted()] == [take.id]
        saved = lib.recover(take.id)
        assert Path(saved.audio_path).name == f"{take.id}.flac"
        assert soundfile.info(saved.audio_path).frames == RATE * 3
        # A referenced file is never touched.
        assert Path(kept.audio_path).read_bytes() == kept_bytes
        assert Path(kept.audio_path).stat().st_mtime_ns == kept_mtime
        assert sorted(p.name for p in lib.audio_dir.iterdir()) == sorted(
            [Path(kept.audio_path).name, f"{take.id}.flac"]
        )


def test_a_recovered_file_never_replaces_one_recovered_before(tmp_path: Path) -> None:
    folder = tmp_path / "library"
    (folder / "recovered").mkdir(parents=True)
    (folder / "recovered" / "4.flac").write_bytes(b"first")
    (folder / "audio").mkdir()
    (folder / "audio" / "4.flac").write_bytes(b"second")
    with Library(folder) as lib:
        assert lib.unreferenced() == [folder / "recovered" / "4-1.flac"]
    assert (folder / "recovered" / "4.flac").read_bytes() == b"first"
    assert (folder / "recovered" / "4-1.flac").read_bytes() == b"second"
    assert list((folder / "audio").iterdir()) == []
    # Offered once, at the open that found it.
    with Library(folder) as lib:
        assert lib.unreferenced() == []


def test_the_audio_of_a_database_set_aside_stays_where_it_is(tmp_path: Path) -> None:
    folder = tmp_path / "library"
    (folder / "audio").mkdir(parents=True)
    (folder / "library.db.corrupt-20260101T120000Z").write_bytes(b"damaged")
    old = folder / "audio" / "3.flac"
    old.write_bytes(b"a take of the damaged library")
    before = datetime(2026, 1, 1, 11, 0, tzinfo=UTC).timestamp()
    os.utime(old, (before, before))
    (folder / "audio" / "5.flac").write_bytes(b"half written since")
    with Library(folder) as lib:
        assert lib.unreferenced() == [folder / "recovered" / "5.flac"]
    assert old.read_bytes() == b"a take of the damaged library"


def test_a_take_being_saved_by_another_program_is_not_moved_to_recovered(
    tmp_path: Path, good: FloatArray, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "library"
    saving = Library(folder)
    take, wav = saving.begin_recording()
    soundfile.write(wav, good[: RATE * 2], RATE, subtype="PCM_16")
    written, go_on = threading.Event(), threading.Event()
    real_write = soundfile.write

    def write_then_pause(*args: Any, **kwargs: Any) -> None:
        real_write(*args, **kwargs)
        written.set()
        go_on.wait(10)  # the FLAC is on disk, its attempt not yet updated

    monkeypatch.setattr(soundfile, "write", write_then_pause)
    saver = threading.Thread(target=saving.finish_recording, args=(take.id,))
    saver.start()
    assert written.wait(10)
    opened: list[Library] = []
    opener = threading.Thread(target=lambda: opened.append(Library(folder)))
    opener.start()
    time.sleep(0.5)  # the other program opens the library while the take is being saved
    go_on.set()
    saver.join(10)
    opener.join(30)
    try:
        assert opened and opened[0].unreferenced() == []
        assert not (folder / "recovered").exists()
        assert Path(saving.attempt(take.id).audio_path) == folder / "audio" / f"{take.id}.flac"
        assert (folder / "audio" / f"{take.id}.flac").exists()
    finally:
        saving.close()
        for lib in opened:
            lib.close()


def test_an_empty_file_no_take_refers_to_is_moved_but_not_offered(tmp_path: Path) -> None:
    folder = tmp_path / "library"
    (folder / "audio").mkdir(parents=True)
    # What begin_recording leaves when killed between claiming its WAV and saving its attempt.
    (folder / "audio" / "1.partial.wav").touch()
    with Library(folder) as lib:
        assert lib.unreferenced() == []
        assert [p.name for p in lib.recovered_dir.iterdir()] == ["1.partial.wav"]
        take, wav = lib.begin_recording()
        assert wav.name == f"{take.id}.partial.wav"
