"""Command line for the attempt library: ``voicemail-coach history``, ``export``, ``sessions``.

``voicemail_coach.app.cli.main`` registers these with :func:`add_library_commands` and hands parsed arguments to
:func:`run_library_command`. Heavy imports (the library, Qt for exports) happen only when one
of these commands runs.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from voicemail_coach.app.cli.sessions import add_sessions_command, run_sessions
from voicemail_coach.app.cli.text import EXIT_OK, clip, fail, text_table
from voicemail_coach.app.dates import format_date

if TYPE_CHECKING:
    from voicemail_coach.audio.io import FloatArray
    from voicemail_coach.storage.library import Library
    from voicemail_coach.storage.records import Attempt

COMMANDS = ("history", "export", "sessions")
TITLE_WIDTH = 30


def add_library_commands(subparsers: Any) -> None:
    """Add ``history`` and ``export`` to ``subparsers`` (from ``add_subparsers()``)."""
    history = subparsers.add_parser("history", help="list the attempts kept in the library")
    out = history.add_mutually_exclusive_group()
    out.add_argument("--csv", metavar="FILE", help="write the history to FILE as CSV")
    out.add_argument("--json", action="store_true", help="print the attempts as JSON")

    export = subparsers.add_parser(
        "export", help="export an attempt's latest report as a PDF or a web page"
    )
    export.add_argument("id", type=int, metavar="ID", help="the attempt's number (see history)")
    target = export.add_mutually_exclusive_group(required=True)
    target.add_argument("--pdf", metavar="FILE", help="write an A4 PDF report")
    target.add_argument("--html", metavar="FILE", help="write a self-contained HTML report")
    add_sessions_command(subparsers)


def run_library_command(args: argparse.Namespace) -> int | None:
    """Run ``history`` or ``export``; None when ``args`` is another command."""
    command = getattr(args, "command", None)
    if command not in COMMANDS:
        return None
    from voicemail_coach.storage.records import LibraryError

    try:
        with _open_library() as library:
            if command == "history":
                return _history(library, args)
            if command == "sessions":
                return run_sessions(library, args)
            return _export(library, args)
    except LibraryError as exc:
        return fail(_one_line(str(exc)))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _open_library(read_only: bool = True) -> Library:
    """The user's library, opened read-only for a command that only reads, so it works on a
    read-only or full disk too, and never creates, migrates or moves anything. A library that
    needs a migration first is opened for writing (migrated) when its folder allows it.
    A command that writes (an outcome, a variant link) opens it for writing.

    Raises:
        LibraryError: there is no library yet, or it cannot be opened (the message says why,
            and when it needs an update it cannot have now, why not).
    """
    from voicemail_coach.analysis.paths import data_dir
    from voicemail_coach.storage.database import DB_NAME, OlderLibraryError
    from voicemail_coach.storage.library import LIBRARY_DIR, Library
    from voicemail_coach.storage.records import LibraryError

    folder = data_dir() / LIBRARY_DIR
    if not (folder / DB_NAME).is_file():
        raise LibraryError(f"no library at {folder}: record or open a voicemail in the app first")
    if not read_only:
        return Library(folder)
    try:
        library = Library(folder, read_only=True)
    except OlderLibraryError as older:
        try:
            return Library(folder)
        except LibraryError as exc:
            raise LibraryError(f"{older} That update cannot be made now. {exc}") from exc
    if library.note:
        print(f"voicemail-coach: note: {library.note}", file=sys.stderr)
    return library


# history ------------------------------------------------------------------------------------


def _history(library: Library, args: argparse.Namespace) -> int:
    if args.csv:
        count = library.export_csv(args.csv)
        print(f"Wrote {count} attempt{'s' if count != 1 else ''} to {args.csv}")
        return EXIT_OK
    attempts = library.attempts()
    if args.json:
        rows = [dataclasses.asdict(a) for a in attempts]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return EXIT_OK
    if not attempts:
        print("No attempts yet.")
        return EXIT_OK
    from voicemail_coach.storage.coaching import Coaching

    sessions = {s.id: s.name for s in Coaching(library).sessions()}
    print(history_table(attempts, sessions))
    return EXIT_OK


def _figure(value: float | None, spec: str, unit: str = "") -> str:
    return "--" if value is None else f"{value:{spec}}{unit}"


def history_table(attempts: list[Attempt], sessions: dict[int, str] | None = None) -> str:
    """One line per attempt: id, date, title, duration, score, time to value, wpm, fillers;
    who recorded it and in which session (``sessions``: names by id) when any take has one."""
    header: tuple[str, ...] = (
        "ID",
        "Date",
        "Title",
        "Length",
        "Score",
        "Value at",
        "WPM",
        "Fillers/min",
    )
    rows: list[tuple[str, ...]] = [
        (
            str(a.id),
            format_date(a.created_at),
            clip(a.title, TITLE_WIDTH) + (" (interrupted)" if a.status == "recording" else ""),
            _figure(a.duration_s, ".1f", " s"),
            "no message" if a.no_message else _figure(a.score, "d"),
            _figure(a.time_to_value_s, ".1f", " s"),
            _figure(a.wpm, ".0f"),
            _figure(a.fillers_per_min, ".1f"),
        )
        for a in attempts
    ]
    left = {1, 2}  # date and title read from the left; figures line up on the right
    if any(a.participant or a.session_id for a in attempts):
        names = sessions or {}
        header += ("Who", "Session")
        rows = [
            (
                *row,
                clip(a.participant or "--", TITLE_WIDTH // 2),
                clip(names.get(a.session_id, "--") if a.session_id else "--", TITLE_WIDTH),
            )
            for row, a in zip(rows, attempts, strict=True)
        ]
        left |= {len(header) - 2, len(header) - 1}
    return text_table(header, rows, left)


# export -------------------------------------------------------------------------------------


def _export(library: Library, args: argparse.Namespace) -> int:
    if all(a.id != args.id for a in library.attempts()):
        return fail(f"no attempt {args.id} in the library (see 'voicemail-coach history')")
    attempt = library.attempt(args.id)
    stored = library.latest_report(args.id)
    if stored is None:
        return fail(f"attempt {args.id} has no report yet: open it in the app to analyze it first")
    target = Path(args.pdf or args.html)
    if target.is_dir():
        return fail(f"{target}: is a folder; give a file name for the report")
    if not target.parent.is_dir():
        return fail(f"{target}: no such folder {target.parent}")
    samples, rate = _load_samples(attempt.audio_path)
    if samples is not None:  # the message alone: the report's times are on its clock
        from voicemail_coach.analysis.pipeline import lead_samples

        samples = lead_samples(samples, rate, stored.report)[1]

    from voicemail_coach.app.export.report import export_report
    from voicemail_coach.audio import oserrors
    from voicemail_coach.storage.coaching import Coaching
    from voicemail_coach.storage.coaching_records import rubric_of

    coaching = Coaching(library).record(args.id, rubric_of(stored.profile_path))
    try:
        export_report(
            target,
            stored.report,
            samples,
            rate,
            pdf=bool(args.pdf),
            title=attempt.title,
            created_at=attempt.created_at,
            coach_notes=attempt.notes or None,
            coaching=coaching,
        )
    except OSError as exc:
        return fail(f"{target}: cannot write the report ({oserrors.cause(exc)})")
    print(f"Wrote {target}")
    return EXIT_OK


def _load_samples(audio_path: str) -> tuple[FloatArray | None, int]:
    """The attempt's audio for the timeline picture; (None, rate) when it cannot be read."""
    from voicemail_coach.audio.io import SAMPLE_RATE, AudioLoadError, load_audio

    if not Path(audio_path).is_file():
        return None, SAMPLE_RATE
    try:
        audio = load_audio(audio_path)
    except AudioLoadError as exc:
        print(f"voicemail-coach: note: no timeline picture ({exc})", file=sys.stderr)
        return None, SAMPLE_RATE
    return audio.samples, audio.sample_rate
