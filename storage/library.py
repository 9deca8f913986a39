"""The attempt library: every take and every opened file kept locally, with all its reports.

A SQLite database (WAL mode, schema in :mod:`voicemail_coach.storage.migrations`) with the audio beside it as
16-bit FLAC in ``audio/``. A take is recorded straight into the library as a WAV named after its
attempt, so a crash or a kill loses at most a block: the next start finds the attempt still
marked "recording" and :meth:`Library.recover` turns it into a normal one.

Audio is removed only by :meth:`Library.delete`, or when it is a copy of audio still kept: the
WAV once its FLAC reads back with the same samples, or a FLAC left half-written by a failure.
File names are claimed exclusively, and files no attempt refers to are moved aside, never
deleted (:mod:`voicemail_coach.storage.audio_folder`).

One connection serves all threads, one call at a time.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from voicemail_coach.analysis.paths import data_dir
from voicemail_coach.analysis.report import Report
from voicemail_coach.audio.io import AudioLoadError, load_audio
from voicemail_coach.storage.audio_folder import (
    AUDIO_DIR,
    RECOVERED_DIR,
    claim,
    set_aside_unreferenced,
    write_flac,
)
from voicemail_coach.storage.csv_files import CSV_COLUMNS, csv_row, write_csv
from voicemail_coach.storage.database import Database, failure
from voicemail_coach.storage.records import (
    FILE,
    READY,
    RECORDING,
    Attempt,
    LibraryError,
    StoredReport,
    from_row,
    now_text,
    stored_report,
)
from voicemail_coach.storage.take_files import Pcm16, read_take, repair_wav, to_pcm16

LIBRARY_DIR = "library"


class Library:
    """The attempts, their audio and their reports in one folder; safe to share between threads.

    Attributes:
        folder: The library folder.
        audio_dir: Where the audio files are, ``folder / "audio"``.
        db_path: The database, ``folder / "library.db"``.

    Args:
        folder: Where the library lives; ``data_dir() / "library"`` by default. Created if
            missing.
        read_only: Only read it (the command line's history, export and sessions): nothing is
            created, migrated or moved, so it opens on a read-only or full disk too (see
            ``Database``; ``note`` then says what could not be read). Every write fails.

    Raises:
        LibraryError: the folder cannot be written, the database is locked by another
            program, it was made by a newer version of the app, or it is damaged (then it
            has been moved aside as ``library.db.corrupt-<UTC time>``, kept, and the next
            ``Library`` starts an empty one). Read-only: ``OlderLibraryError`` when it needs
            a migration first; a damaged one is left where it is.
    """

    def __init__(self, folder: Path | None = None, read_only: bool = False) -> None:
        self.folder = (Path(folder) if folder is not None else data_dir() / LIBRARY_DIR).absolute()
        self.audio_dir = self.folder / AUDIO_DIR
        self.read_only = read_only
        # Takes begun by this Library and not finished: recording now, so not to be recovered.
        self._recording_now: set[int] = set()
        if not read_only:
            try:
                self.audio_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise failure(exc, "open the library", self.folder) from exc
        self.db = Database(self.folder, read_only=read_only)
        self.db_path = self.db.db_path
        self.note = self.db.note
        self._interrupted_ids = tuple(
            int(row["id"])
            for row in self.db.fetch("SELECT id FROM attempts WHERE status = ?", (RECORDING,))
        )
        self.recovered_dir = self.folder / RECOVERED_DIR
        self._unreferenced = (
            () if read_only else set_aside_unreferenced(self.db, self.folder, self._interrupted_ids)
        )

    def __enter__(self) -> Library:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def begin_recording(
        self, title: str | None = None, scenario: str | None = None
    ) -> tuple[Attempt, Path]:
        """Start an attempt for a take and choose the WAV file to capture it into.

        The attempt is saved before this returns, so a crash from here on leaves it to be
        found by :meth:`interrupted`.

        Args:
            title: The title; the local date and time of the take by default.
            scenario: What the message is for, if known.

        Returns:
            The attempt, with status ``"recording"``, and the WAV path (in :attr:`audio_dir`)
            to hand to ``voicemail_coach.audio.capture.Recorder``.
        """
        name = title.strip() if title and title.strip() else _default_title()
        with self.db.lock:
            wav: Path | None = None
            try:
                with self.db.write("start a recording") as conn:
                    attempt_id = self._insert(conn, name, RECORDING, None, RECORDING, None)
                    wav = self._claim(f"{attempt_id}.partial", ".wav", "start a recording")
                    conn.execute(
                        "UPDATE attempts SET audio_file = ?, scenario = ? WHERE id = ?",
                        (wav.name, _clean_scenario(scenario), attempt_id),
                    )
            except LibraryError:
                if wav is not None:
                    wav.unlink(missing_ok=True)  # claimed just now, nothing in it
                raise
            assert wav is not None
            self._recording_now.add(attempt_id)
            return self.attempt(attempt_id), wav

    def finish_recording(self, attempt_id: int) -> Attempt:
        """Store a finished take as FLAC and mark its attempt ready.

        The WAV is removed only after the FLAC has been read back with the same samples and
        the attempt points at it; on any failure the WAV stays and the attempt stays
        "recording", so it can be tried again (or recovered after a restart).

        Returns:
            The attempt, with status ``"ready"`` and its duration. An attempt that is ready
            already is returned as it is.

        Raises:
            LibraryError: no such attempt; the WAV is missing, unreadable or empty; or the
                FLAC cannot be written (full or read-only disk).
        """
        with self.db.lock:
            attempt = self.attempt(attempt_id)
            if attempt.status == READY:
                return attempt
            wav = Path(attempt.audio_path)
            pcm, rate = read_take(wav)
            flac: Path | None = None
            try:
                # Written under the write lock, so another program opening the library
                # meanwhile does not take the FLAC for one no attempt refers to.
                with self.db.write("save the recording") as conn:
                    flac = self._store_flac(str(attempt_id), pcm, rate, "save the recording")
                    conn.execute(
                        "UPDATE attempts SET audio_file = ?, status = ?, duration_s = ? "
                        "WHERE id = ?",
                        (flac.name, READY, len(pcm) / rate, attempt_id),
                    )
            except LibraryError:
                if flac is not None:
                    flac.unlink(missing_ok=True)  # a copy: the WAV is kept
                raise
            self._recording_now.discard(attempt_id)
            with contextlib.suppress(OSError):  # left behind, it is only clutter
                wav.unlink()
            return self.attempt(attempt_id)

    def add_file(self, path: str | Path, title: str | None = None) -> Attempt:
        """Add an audio file as a ready attempt, stored as 16 kHz mono FLAC.

        Args:
            path: Any file ``voicemail_coach.audio.io.load_audio`` reads; it is left untouched.
            title: The title; the file's name without its extension by default.

        Raises:
            LibraryError: the file cannot be decoded (the message says why), or the library
                cannot store it (full or read-only disk); nothing is added then.
        """
        source = Path(path).absolute()
        try:
            audio = load_audio(source)
        except AudioLoadError as exc:
            raise LibraryError(str(exc)) from exc
        pcm = to_pcm16(audio.samples)
        name = title.strip() if title and title.strip() else source.stem
        doing = f"add {source.name} to the library"
        with self.db.lock:
            flac: Path | None = None
            try:
                with self.db.write(doing) as conn:
                    attempt_id = self._insert(
                        conn, name, FILE, str(source), READY, audio.duration_s
                    )
                    flac = self._store_flac(str(attempt_id), pcm, audio.sample_rate, doing)
                    conn.execute(
                        "UPDATE attempts SET audio_file = ? WHERE id = ?", (flac.name, attempt_id)
                    )
            except LibraryError:
                if flac is not None:
                    flac.unlink(missing_ok=True)  # a copy: the user's file is untouched
                raise
            return self.attempt(attempt_id)

    def add_report(self, attempt_id: int, report: Report) -> StoredReport:
        """Save a report for an attempt; its figures become the attempt's summary.

        Earlier reports are kept (see :meth:`reports`).

        Raises:
            LibraryError: no such attempt, or the report cannot be saved.
        """
        created_at = now_text()
        model_name = report.model.name if report.model else None
        value = report.value_proposition
        with self.db.lock, self.db.write("save the report") as conn:
            self.require(conn, attempt_id)
            cursor = conn.execute(
                "INSERT INTO reports (attempt_id, created_at, profile_name, profile_path, "
                "length_preset, model_name, report_json) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    attempt_id,
                    created_at,
                    report.profile.name,
                    report.profile.path,
                    report.profile.length_preset,
                    model_name,
                    json.dumps(report.to_dict(), ensure_ascii=False),
                ),
            )
            # A take that is no message keeps no figures: it must not plot, sort or compare.
            message = report.is_message
            cta = report.call_to_action
            conn.execute(
                "UPDATE attempts SET score = ?, time_to_value_s = ?, wpm = ?, "
                "fillers_per_min = ?, duration_s = ?, profile_name = ?, model_name = ?, "
                "no_message = ?, cta_kind = ?, checks_json = ? WHERE id = ?",
                (
                    report.score,
                    value.start_s if value.found and message else None,
                    report.delivery.wpm if message else None,
                    report.delivery.fillers_per_minute if message else None,
                    report.source.duration_s,
                    report.profile.name,
                    model_name,
                    report.no_message_reason,
                    cta.kind if cta.found and message else None,
                    json.dumps({c.id: c.status for c in report.checks} if message else {}),
                    attempt_id,
                ),
            )
            report_id = cursor.lastrowid
        assert report_id is not None
        return StoredReport(
            id=report_id,
            attempt_id=attempt_id,
            created_at=created_at,
            profile_name=report.profile.name,
            profile_path=report.profile.path,
            length_preset=report.profile.length_preset,
            model_name=model_name,
            report=report,
        )

    def attempts(self) -> list[Attempt]:
        """All attempts, newest first, whatever their status."""
        rows = self.db.fetch("SELECT * FROM attempts ORDER BY created_at DESC, id DESC")
        return [self.attempt_from(row) for row in rows]

    def attempt(self, attempt_id: int) -> Attempt:
        """One attempt.

        Raises:
            LibraryError: there is no such attempt (deleted?).
        """
        rows = self.db.fetch("SELECT * FROM attempts WHERE id = ?", (attempt_id,))
        if not rows:
            raise LibraryError(_missing(attempt_id))
        return self.attempt_from(rows[0])

    def reports(self, attempt_id: int) -> list[StoredReport]:
        """Every report of an attempt, newest first.

        Raises:
            LibraryError: no such attempt, or a report was saved by an incompatible version.
        """
        with self.db.lock:
            self.attempt(attempt_id)
            rows = self.db.fetch(
                "SELECT * FROM reports WHERE attempt_id = ? ORDER BY id DESC", (attempt_id,)
            )
        return [stored_report(row) for row in rows]

    def latest_report(self, attempt_id: int) -> StoredReport | None:
        """The newest report of an attempt; None before its first analysis."""
        with self.db.lock:
            self.attempt(attempt_id)
            rows = self.db.fetch(
                "SELECT * FROM reports WHERE attempt_id = ? ORDER BY id DESC LIMIT 1",
                (attempt_id,),
            )
        return stored_report(rows[0]) if rows else None

    def update(
        self,
        attempt_id: int,
        *,
        title: str | None = None,
        tags: Sequence[str] | None = None,
        notes: str | None = None,
        scenario: str | None = None,
    ) -> Attempt:
        """Change what the user wrote about an attempt; None leaves a field as it is.

        Args:
            attempt_id: The attempt.
            title: The new title; it cannot be blank.
            tags: The new tags, replacing the old; blanks and repeats are dropped.
            notes: The new notes; ``""`` clears them.
            scenario: The new scenario; ``""`` clears it.

        Raises:
            LibraryError: no such attempt, a blank title, or the change cannot be saved.
        """
        if isinstance(tags, str):
            raise TypeError("tags must be a sequence of tags, not one string")
        changes: dict[str, Any] = {}
        if title is not None:
            if not title.strip():
                raise LibraryError("A title cannot be empty.")
            changes["title"] = title.strip()
        if tags is not None:
            changes["tags_json"] = json.dumps(_clean_tags(tags), ensure_ascii=False)
        if notes is not None:
            changes["notes"] = notes
        if scenario is not None:
            changes["scenario"] = _clean_scenario(scenario)
        with self.db.lock:
            with self.db.write("save the changes") as conn:
                self.require(conn, attempt_id)
                if changes:
                    assignments = ", ".join(f"{column} = ?" for column in changes)
                    conn.execute(
                        f"UPDATE attempts SET {assignments} WHERE id = ?",
                        (*changes.values(), attempt_id),
                    )
            return self.attempt(attempt_id)

    def delete(self, attempt_id: int) -> None:
        """Remove an attempt, its reports, coach comments and rubric scores, and its audio file.

        Raises:
            LibraryError: no such attempt, the database refused, or the audio file could not
                be removed (the attempt is gone from the library then).
        """
        with self.db.lock:
            audio = Path(self.attempt(attempt_id).audio_path)
            with self.db.write("delete the attempt") as conn:
                conn.execute("DELETE FROM attempts WHERE id = ?", (attempt_id,))
            self._recording_now.discard(attempt_id)
        try:
            audio.unlink(missing_ok=True)
        except OSError as exc:
            raise LibraryError(
                f"The attempt was deleted, but its audio file {audio} could not be removed "
                f"({exc.strerror or exc})."
            ) from exc

    def interrupted(self) -> list[Attempt]:
        """Takes that were still recording when the library was opened, newest first.

        They were cut short by a crash or a kill; :meth:`recover` saves what was captured.
        """
        if not self._interrupted_ids:
            return []
        marks = ", ".join("?" * len(self._interrupted_ids))
        rows = self.db.fetch(
            f"SELECT * FROM attempts WHERE status = ? AND id IN ({marks}) "
            "ORDER BY created_at DESC, id DESC",
            (RECORDING, *self._interrupted_ids),
        )
        return [self.attempt_from(row) for row in rows]

    def recover(self, attempt_id: int) -> Attempt:
        """Save what an interrupted take captured, as :meth:`finish_recording` does.

        A writer killed mid-take leaves a WAV whose header says it holds no audio; the header
        is rebuilt from the size of the file first.

        Raises:
            LibraryError: no such attempt, the take is still being recorded by this library,
                nothing was captured, or it cannot be saved. The WAV is kept in every case.
        """
        with self.db.lock:
            attempt = self.attempt(attempt_id)
            if attempt.status == READY:
                return attempt
            if attempt_id in self._recording_now:
                raise LibraryError("This take is still being recorded.")
            try:
                repair_wav(Path(attempt.audio_path))
            except OSError as exc:
                raise self.db.problem(exc, "repair the interrupted recording") from exc
            return self.finish_recording(attempt_id)

    def unreferenced(self) -> list[Path]:
        """Audio files no attempt referred to, moved to :attr:`recovered_dir` when the library
        was opened and worth offering back: not empty, and not a copy of an interrupted take
        (``N.flac`` beside take N's WAV; :meth:`interrupted` offers that take itself)."""
        return list(self._unreferenced)

    def previous(self, attempt_id: int) -> Attempt | None:
        """The newest ready, scored attempt made before this one; None if there is none."""
        with self.db.lock:
            this = self.attempt(attempt_id)
            rows = self.db.fetch(
                "SELECT * FROM attempts WHERE status = ? AND score IS NOT NULL "
                "AND (created_at < ? OR (created_at = ? AND id < ?)) "
                "ORDER BY created_at DESC, id DESC LIMIT 1",
                (READY, this.created_at, this.created_at, attempt_id),
            )
        return self.attempt_from(rows[0]) if rows else None

    def export_csv(self, path: str | Path) -> int:
        """Write the history (every attempt, newest first) as a UTF-8 CSV file.

        Columns are :data:`CSV_COLUMNS`; tags are joined with ", "; missing figures are empty.

        Returns:
            The number of attempts written.

        Raises:
            LibraryError: the file cannot be written; an existing file is then left as it was.
        """
        target = Path(path)
        attempts = self.attempts()
        try:
            write_csv(target, CSV_COLUMNS, [csv_row(attempt) for attempt in attempts])
        except OSError as exc:
            raise self.db.problem(exc, f"export the history to {target}") from exc
        return len(attempts)

    def close(self) -> None:
        """Close the database; safe to call twice. Other calls fail afterwards."""
        self.db.close()

    def _insert(
        self,
        conn: sqlite3.Connection,
        title: str,
        source: str,
        original_path: str | None,
        status: str,
        duration_s: float | None,
    ) -> int:
        cursor = conn.execute(
            "INSERT INTO attempts (created_at, title, source, original_path, audio_file, "
            "status, duration_s) VALUES (?, ?, ?, ?, '', ?, ?)",
            (now_text(), title, source, original_path, status, duration_s),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def require(self, conn: sqlite3.Connection, attempt_id: int) -> None:
        if not conn.execute("SELECT 1 FROM attempts WHERE id = ?", (attempt_id,)).fetchone():
            raise LibraryError(_missing(attempt_id))

    def attempt_from(self, row: sqlite3.Row) -> Attempt:
        return from_row(
            Attempt,
            row,
            tags=tuple(json.loads(row["tags_json"])),
            audio_path=str(self.audio_dir / row["audio_file"]),
            left_as_voicemail=bool(row["left_as_voicemail"]),
        )

    # Audio files (voicemail_coach.storage.audio_folder), failures in the user's words.

    def _claim(self, stem: str, suffix: str, doing: str) -> Path:
        try:
            return claim(self.audio_dir, stem, suffix)
        except OSError as exc:
            raise self.db.problem(exc, doing) from exc

    def _store_flac(self, stem: str, pcm: Pcm16, rate: int, doing: str) -> Path:
        path = self._claim(stem, ".flac", doing)
        try:
            write_flac(path, pcm, rate)
        except (OSError, RuntimeError) as exc:  # soundfile's errors are RuntimeErrors
            raise self.db.problem(exc, doing) from exc
        return path


def _default_title() -> str:
    return f"Recording {datetime.now().astimezone():%Y-%m-%d %H:%M}"


def _missing(attempt_id: int) -> str:
    return f"There is no attempt {attempt_id} in the library (deleted?)."


def _clean_scenario(scenario: str | None) -> str | None:
    return scenario.strip() or None if scenario is not None else None


def _clean_tags(tags: Sequence[str]) -> list[str]:
    """Tags without blanks or repeats (ignoring case), first spelling and order kept."""
    kept: dict[str, str] = {}
    for tag in tags:
        clean = " ".join(tag.split())
        if clean and clean.casefold() not in kept:
            kept[clean.casefold()] = clean
    return list(kept.values())
