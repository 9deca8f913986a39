"""Command line for outcomes and the A/B lab: ``import``, ``outcome``, ``variants``, ``lab``.

``voicemail_coach.app.cli.main`` registers these with :func:`add_lab_commands` and hands parsed
arguments to :func:`run_lab_command`. ``import`` and ``variants add`` create the library if there is
none (``import`` adds recordings, as the app's Open does); the others open an existing one.

``variants`` has sub-commands::

    variants [--json]                                   list the variants
    variants add NAME (--text T | --file F|-) [--author A]      a new variant, version 1
    variants version NAME (--text T | --file F|-) [--author A]  a new version of it
    variants show NAME [--version N]                    print a version's script
    variants link ID NAME [--version N]                 link an attempt (newest version)
    variants unlink ID                                  unlink an attempt
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from voicemail_coach.analysis.lab import OUTCOME_KINDS, OUTCOME_LABELS, RETURNED
from voicemail_coach.app.cli.text import EXIT_BAD_INPUT, EXIT_OK, clip, fail, text_table
from voicemail_coach.app.dates import format_date

if TYPE_CHECKING:
    from voicemail_coach.analysis.lab import LabResult
    from voicemail_coach.storage.library import Library
    from voicemail_coach.storage.outcomes import Outcomes

COMMANDS = ("import", "outcome", "variants", "lab")


def add_lab_commands(subparsers: Any) -> None:
    imp = subparsers.add_parser(
        "import", help="add recordings to the library and analyze them, as the app's Open does"
    )
    imp.add_argument("files", nargs="+", metavar="FILE", help="wav, flac, ogg, mp3 or m4a")
    imp.add_argument("--variant", metavar="NAME", help="link them to this script variant")
    imp.add_argument(
        "--left",
        action="store_true",
        help="they are real voicemails you left (so their outcomes can be recorded)",
    )
    imp.add_argument("--profile", metavar="P", help="guidance profile TOML (default: bundled)")
    imp.add_argument("--length", metavar="PRESET", help="length preset id")
    imp.add_argument("--scenario", metavar="ID", help="check against a scenario card")
    imp.add_argument("--model", metavar="DIR", help="CTranslate2 Whisper model folder")

    out = subparsers.add_parser("outcome", help="record what happened to a real voicemail")
    out.add_argument("id", type=int, metavar="ID", help="the attempt's number (see history)")
    out.add_argument(
        "kind", choices=(*OUTCOME_KINDS, "clear"), metavar="KIND",
        help=f"{', '.join(OUTCOME_KINDS)}, or clear to forget it",
    )  # fmt: skip
    out.add_argument("--date", metavar="D", help="when it happened, YYYY-MM-DD (default: today)")
    out.add_argument("--note", default="", metavar="TEXT", help="a note")
    out.add_argument(
        "--left", action="store_true", help="also mark the attempt as a real voicemail left"
    )

    variants = subparsers.add_parser("variants", help="list or add script variants")
    variants.add_argument("--json", action="store_true", help="print the variants as JSON")
    actions = variants.add_subparsers(dest="variants_action")
    for action, what in (("add", "a new variant (version 1)"), ("version", "a new version")):
        p = actions.add_parser(action, help=what)
        p.add_argument("name", metavar="NAME")
        source = p.add_mutually_exclusive_group(required=True)
        source.add_argument("--text", metavar="T", help="the script")
        source.add_argument("--file", metavar="F", help="read the script from F (- for stdin)")
        p.add_argument("--author", default="", metavar="A")
    show = actions.add_parser("show", help="print a variant's script")
    show.add_argument("name", metavar="NAME")
    show.add_argument("--version", type=int, metavar="N", help="default: the newest")
    link = actions.add_parser("link", help="link an attempt to a variant's version")
    link.add_argument("id", type=int, metavar="ID")
    link.add_argument("name", metavar="NAME")
    link.add_argument("--version", type=int, metavar="N", help="default: the newest")
    unlink = actions.add_parser("unlink", help="unlink an attempt from its variant")
    unlink.add_argument("id", type=int, metavar="ID")

    lab = subparsers.add_parser("lab", help="which variant gets returned: rates and reading")
    lab.add_argument("--json", action="store_true", help="print the lab as JSON")


def run_lab_command(args: argparse.Namespace) -> int | None:
    command = getattr(args, "command", None)
    if command not in COMMANDS:
        return None
    from voicemail_coach.storage.records import LibraryError

    try:
        if command == "import":
            return _import(args)
        from voicemail_coach.app.cli.library import _open_library
        from voicemail_coach.storage.library import Library
        from voicemail_coach.storage.outcomes import Outcomes

        # Adding a script may come first, so it starts a library; the rest need one already.
        creates = command == "variants" and args.variants_action in ("add", "version")
        writes = command == "outcome" or (
            command == "variants" and args.variants_action in ("link", "unlink")
        )
        with Library() if creates else _open_library(read_only=not writes) as library:
            outcomes = Outcomes(library)
            if command == "outcome":
                return _outcome(outcomes, args)
            if command == "variants":
                return _variants(library, outcomes, args)
            return _lab(outcomes, args)
    except LibraryError as exc:
        return fail(" ".join(str(exc).split()))


# import -------------------------------------------------------------------------------------


def _import(args: argparse.Namespace) -> int:
    from voicemail_coach.analysis.pipeline import analyze_audio
    from voicemail_coach.analysis.profile import ProfileError
    from voicemail_coach.analysis.profile_loader import load_profile
    from voicemail_coach.analysis.scenarios import ScenarioError
    from voicemail_coach.analysis.transcribe import FILLER_PROMPT, ModelError, Transcriber
    from voicemail_coach.app.cli.coaching import scenario_for
    from voicemail_coach.audio.io import AudioLoadError, load_audio
    from voicemail_coach.storage.library import Library
    from voicemail_coach.storage.outcomes import Outcomes
    from voicemail_coach.storage.records import LibraryError

    try:
        profile = load_profile(args.profile)
        profile.length_preset(args.length)
        card = scenario_for(args.scenario)
    except (ProfileError, ScenarioError) as exc:
        return fail(str(exc))
    with Library() as library:
        outcomes = Outcomes(library)
        variant = outcomes.variant(args.variant).name if args.variant else None
        try:
            transcriber = Transcriber(args.model, initial_prompt=FILLER_PROMPT)
        except ModelError as exc:
            return fail(str(exc))
        failed = False
        for name in args.files:
            try:
                attempt = library.add_file(name)
            except LibraryError as exc:
                failed = True
                fail(" ".join(str(exc).split()))
                continue
            if variant:
                outcomes.link(attempt.id, variant)
            if args.left:
                outcomes.mark_left(attempt.id)
            try:
                report = analyze_audio(
                    load_audio(attempt.audio_path), transcriber, profile, args.length,
                    scenario=card,
                )  # fmt: skip
            except AudioLoadError as exc:
                failed = True
                fail(f"{name}: added as attempt {attempt.id} but not analyzed: {exc}")
                continue
            library.add_report(attempt.id, report)
            verdict = (
                f"score {report.score}"
                if report.score is not None
                else f"no message: {report.no_message_reason}"
            )
            extra = [f"variant \u201c{variant}\u201d"] if variant else []
            extra += ["left as a real voicemail"] if args.left else []
            print(
                f"Added {Path(name).name} as attempt {attempt.id}: {verdict}"
                + (f" ({', '.join(extra)})" if extra else "")
            )
    return EXIT_BAD_INPUT if failed else EXIT_OK


# outcome ------------------------------------------------------------------------------------


def _outcome(outcomes: Outcomes, args: argparse.Namespace) -> int:
    if args.kind == "clear":
        outcomes.clear(args.id)
        print(f"Attempt {args.id}: outcome cleared.")
        return EXIT_OK
    got = outcomes.record(args.id, args.kind, args.date, args.note, mark_left=args.left)
    note = f" ({got.note})" if got.note else ""
    print(f"Attempt {args.id}: {got.label} on {got.outcome_date}{note}.")
    return EXIT_OK


# variants -----------------------------------------------------------------------------------


def _script(args: argparse.Namespace) -> str:
    if args.text is not None:
        return str(args.text)
    from voicemail_coach.storage.records import LibraryError

    try:
        if args.file == "-":
            return sys.stdin.read()
        return Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LibraryError(f"{args.file}: cannot read the script ({exc})") from None


def _variants(library: Library, outcomes: Outcomes, args: argparse.Namespace) -> int:
    action = args.variants_action
    if action == "add":
        v = outcomes.add_variant(args.name, _script(args), args.author)
        print(f"Added variant \u201c{v.name}\u201d (version 1, id {v.uid}).")
        return EXIT_OK
    if action == "version":
        ver = outcomes.add_version(args.name, _script(args), args.author)
        print(f"Added version {ver.number} of \u201c{outcomes.variant(args.name).name}\u201d.")
        return EXIT_OK
    if action == "show":
        v = outcomes.variant(args.name)
        chosen = [x for x in v.versions if args.version in (None, x.number)]
        if not chosen:
            return fail(f"\u201c{v.name}\u201d has no version {args.version}")
        ver = chosen[-1]
        by = f" by {ver.author}" if ver.author else ""
        print(f"{v.name}, version {ver.number}{by}, {format_date(ver.created_at)}\n\n{ver.text}")
        return EXIT_OK
    if action == "link":
        attempt = outcomes.link(args.id, args.name, args.version)
        found = outcomes.version(attempt.variant_version_uid or "")
        assert found is not None
        print(f"Attempt {args.id} linked to \u201c{found[0].name}\u201d version {found[1].number}.")
        return EXIT_OK
    if action == "unlink":
        outcomes.link(args.id, None)
        print(f"Attempt {args.id} is linked to no variant.")
        return EXIT_OK
    variants = outcomes.variants()
    linked: dict[str, int] = {}
    for row in library.db.fetch(
        "SELECT vv.variant_uid AS v, count(*) AS n FROM attempts a "
        "JOIN variant_versions vv ON vv.uid = a.variant_version_uid GROUP BY vv.variant_uid"
    ):
        linked[row["v"]] = int(row["n"])
    if args.json:
        payload = [
            {
                "uid": v.uid,
                "name": v.name,
                "created_at": v.created_at,
                "attempts": linked.get(v.uid, 0),
                "versions": [x.as_plain() for x in v.versions],
            }
            for v in variants
        ]
        print(json.dumps(payload, indent=2, ensure_ascii=False))
        return EXIT_OK
    if not variants:
        print("No script variants yet: add one with 'voicemail-coach variants add NAME --text T'.")
        return EXIT_OK
    rows = [
        (
            clip(v.name, 30),
            str(v.latest.number),
            clip(v.latest.author or "--", 16),
            format_date(v.latest.created_at),
            str(linked.get(v.uid, 0)),
            clip(v.latest.text, 40),
        )
        for v in variants
    ]
    header = ("Variant", "Versions", "Latest by", "Date", "Attempts", "Script (newest)")
    print(text_table(header, rows, {0, 2, 3, 5}))
    return EXIT_OK


# lab ----------------------------------------------------------------------------------------


def _lab(outcomes: Outcomes, args: argparse.Namespace) -> int:
    result = outcomes.lab()
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return EXIT_OK
    print(lab_text(result))
    return EXIT_OK


def _rate(rate: float | None, low: float | None, high: float | None) -> str:
    if rate is None or low is None or high is None:
        return "--"
    return f"{rate * 100:.0f} % ({low * 100:.0f}-{high * 100:.0f})"


def lab_text(result: LabResult) -> str:
    """The lab as plain text: the table per variant, the reading, the figures."""
    lines = [result.reading]
    if result.variants:
        kinds = [k for k in OUTCOME_KINDS]
        header = (
            "Variant",
            "Versions",
            "Messages",
            "Returned",
            "Rate (95 % interval)",
            *(OUTCOME_LABELS[k].capitalize() for k in kinds),
            "Enough?",
        )
        rows = [
            (
                clip(v.name, 30),
                ", ".join(str(n) for n in v.versions) or "--",
                str(v.known + v.counts["wrong_person"]),
                f"{v.returned.k} of {v.known}",
                _rate(v.returned.rate, v.returned.low, v.returned.high),
                *(str(v.counts[k]) for k in kinds),
                "yes" if v.enough else "not yet",
            )
            for v in result.variants
        ]
        lines += ["", text_table(header, rows, {0, 1})]
        returned = ", ".join(OUTCOME_LABELS[k] for k in OUTCOME_KINDS if k in RETURNED)
        lines.append(f"Returned: {returned}. A wrong person is counted but left out of the rates.")
    if result.messages:
        compared = [d for d in result.differences if d.enough]
        lines += ["", "Returned against unreturned messages:"]
        lines += [f"  {d.text}" for d in compared]
        if compared and len(compared) < len(result.differences):
            lines.append(
                f"  {len(result.differences) - len(compared)} more not compared yet (too few "
                "messages on a side)."
            )
        lines.append(result.differences_note)
    return "\n".join(lines)
