"""``voicemail-coach sessions``: the role-play sessions, and one session's summary.

Without an id it lists the sessions; with one it prints every take of that session with its
automatic score beside the coach's rubric scores (``--csv FILE`` writes the same as CSV).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from voicemail_coach.app.cli.text import EXIT_OK, clip, fail, text_table
from voicemail_coach.app.dates import format_date

if TYPE_CHECKING:
    from voicemail_coach.analysis.profile import RubricCriterion
    from voicemail_coach.storage.coaching import Coaching
    from voicemail_coach.storage.coaching_records import SummaryRow
    from voicemail_coach.storage.library import Library

NAME_WIDTH = 28


def add_sessions_command(subparsers: Any) -> None:
    sessions = subparsers.add_parser(
        "sessions", help="list role-play sessions, or show one session's summary"
    )
    sessions.add_argument(
        "id", type=int, nargs="?", metavar="ID", help="a session's number: print its summary"
    )
    sessions.add_argument("--csv", metavar="FILE", help="write the session's summary as CSV")


def run_sessions(library: Library, args: argparse.Namespace) -> int:
    from voicemail_coach.storage.coaching import Coaching
    from voicemail_coach.storage.records import LibraryError

    coaching = Coaching(library)
    if args.id is None:
        if args.csv:
            return fail("--csv needs a session: voicemail-coach sessions ID --csv FILE")
        sessions = coaching.sessions()
        if not sessions:
            print("No role-play sessions yet.")
            return EXIT_OK
        rows = [
            (
                str(s.id),
                format_date(s.created_at),
                clip(s.name, NAME_WIDTH),
                clip(s.coach or "--", NAME_WIDTH),
                clip(", ".join(s.participants) or "--", NAME_WIDTH * 2),
                str(s.take_count),
                "running" if s.active else f"ended {format_date(s.ended_at or '')}",
            )
            for s in sessions
        ]
        header = ("ID", "Started", "Session", "Coach", "Participants", "Takes", "Status")
        print(text_table(header, rows, {1, 2, 3, 4, 6}))
        return EXIT_OK
    try:
        session = coaching.session(args.id)
    except LibraryError:
        return fail(f"no session {args.id} (see 'voicemail-coach sessions')")
    rubric = _rubric(coaching, args.id)
    if args.csv:
        count = coaching.export_summary_csv(args.id, args.csv, rubric)
        print(f"Wrote {count} take{'s' if count != 1 else ''} of {session.name} to {args.csv}")
        return EXIT_OK
    coach = f", coach {session.coach}" if session.coach else ""
    print(f"{session.name}{coach} · {format_date(session.created_at)}")
    print(summary_table(coaching.summary(args.id), rubric))
    from voicemail_coach.storage.blind_tests import BlindTests

    preferences = BlindTests(coaching.library).results(args.id)
    if preferences:
        print("\nBlind listening tests (which take people would return):")
        for p in preferences:
            print(f"  {p.label}: chosen {p.chosen.text()}")
            for reason in p.reasons:
                print(f"    \u201c{reason}\u201d")
    return EXIT_OK


def _rubric(coaching: Coaching, session_id: int) -> tuple[RubricCriterion, ...]:
    """The rubric of the profile the session's newest analyzed take was scored with."""
    from voicemail_coach.storage.coaching_records import rubric_of

    for attempt in reversed(coaching.takes(session_id)):
        stored = coaching.library.latest_report(attempt.id)
        if stored is not None:
            return rubric_of(stored.profile_path)
    return rubric_of(None)


def summary_table(rows: list[SummaryRow], rubric: tuple[RubricCriterion, ...]) -> str:
    """The takes with the automatic score and each rubric criterion side by side."""
    from voicemail_coach.app.summary_cells import headers, row_cells
    from voicemail_coach.storage.coaching_records import rubric_columns

    if not rows:
        return "No takes in this session yet."
    columns = rubric_columns(rubric, [r.scores for r in rows])
    header = ("ID", *headers(columns))
    names = {header.index("Who"), header.index("Scenario")}  # clipped to NAME_WIDTH
    lines = []
    for r in rows:
        when = format_date(r.attempt.created_at)[11:]
        cells = row_cells(r, columns, when, "--", short_total=False)
        texts = [str(r.attempt.id), *(c.text for c in cells)]
        lines.append(tuple(clip(t, NAME_WIDTH) if i in names else t for i, t in enumerate(texts)))
    return text_table(header, lines, {1, 2, 3, len(header) - 2})
