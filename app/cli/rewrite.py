"""Command line: ``rewrite`` (a tighter script from a take or a typed script) and ``adherence``
(what of a script a take said, skipped or added).

``voicemail_coach.app.cli.main`` registers these with :func:`add_rewrite_commands` and, once the
profile and scenario card are loaded, hands the parsed arguments to :func:`run_rewrite_command`::

    rewrite FILE                    analyze a recording, then draft
    rewrite --script PATH|-         draft from a typed script
    adherence FILE --script PATH|-  a take recorded with a script: said, skipped, added
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from voicemail_coach.app.cli.text import EXIT_BAD_INPUT, EXIT_OK, fail

if TYPE_CHECKING:
    from voicemail_coach.analysis.adherence import Adherence
    from voicemail_coach.analysis.draft import Draft
    from voicemail_coach.analysis.profile import Profile
    from voicemail_coach.analysis.report import Report

COMMANDS = ("rewrite", "adherence")


def add_rewrite_commands(subparsers: Any, common: Any) -> None:
    rewrite = subparsers.add_parser(
        "rewrite", help="draft a tighter script from a recording or a typed script"
    )
    rewrite.add_argument("file", nargs="?", metavar="FILE", help="wav, flac, ogg, mp3 or m4a")
    rewrite.add_argument("--script", metavar="PATH|-", help="a typed script (- for stdin)")
    rewrite.add_argument("--model", metavar="DIR", help="CTranslate2 Whisper model folder")
    common(rewrite)
    adherence = subparsers.add_parser(
        "adherence", help="a take recorded with a script: what was said, skipped and added"
    )
    adherence.add_argument("file", metavar="FILE", help="wav, flac, ogg, mp3 or m4a")
    adherence.add_argument("--script", metavar="PATH|-", required=True, help="the script read")
    adherence.add_argument("--model", metavar="DIR", help="CTranslate2 Whisper model folder")
    common(adherence)


def read_script(source: str) -> str:
    """The text of ``source`` (a path, or - for standard input); OSError-free: ValueError."""
    try:
        return sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError(f"{source}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{source}: cannot read it as text ({exc.__class__.__name__})") from None


def run_rewrite_command(args: argparse.Namespace, profile: Profile) -> int | None:
    if getattr(args, "command", None) not in COMMANDS:
        return None
    if args.command == "rewrite" and (args.file is None) == (args.script is None):
        return fail("rewrite: give a recording FILE or --script PATH (not both)")
    from voicemail_coach.analysis.pipeline import ScriptError, analyze_script

    report: Report | None
    try:
        script = read_script(args.script) if args.script is not None else None
        if args.command == "rewrite" and script is not None:
            report = analyze_script(script, profile, args.length, args.scenario_card)
        else:
            report = _analyze(args, profile)
    except (ValueError, ScriptError) as exc:
        return fail(f"{args.script}: {exc}" if isinstance(exc, ScriptError) else str(exc))
    if report is None:
        return EXIT_BAD_INPUT
    if args.command == "adherence":
        from voicemail_coach.analysis.adherence import align

        assert script is not None
        result = align(script, [w.text for w in report.transcript.words])
        print(json.dumps(result.to_dict(), indent=2) if args.json else render_adherence(result))
        return EXIT_OK
    from voicemail_coach.analysis.rewrite import draft_script

    draft = draft_script(report, profile, args.scenario_card, args.length)
    if args.json:
        payload = {"original_score": report.score, **draft.to_dict()}
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        print(render_draft(draft, report))
    return EXIT_OK


def _analyze(args: argparse.Namespace, profile: Profile) -> Report | None:
    from voicemail_coach.analysis.pipeline import analyze_audio
    from voicemail_coach.analysis.transcribe import FILLER_PROMPT, ModelError, Transcriber
    from voicemail_coach.audio.io import AudioLoadError, load_audio

    try:
        transcriber = Transcriber(args.model, initial_prompt=FILLER_PROMPT)
        audio = load_audio(args.file)
    except (ModelError, AudioLoadError) as exc:
        fail(str(exc))
        return None
    return analyze_audio(
        audio, transcriber, profile, getattr(args, "length", None),
        scenario=getattr(args, "scenario_card", None),
    )  # fmt: skip


def render_draft(draft: Draft, report: Report) -> str:
    fit = "fits" if draft.fits else "outside"
    lines = [
        "Draft script",
        f"About {draft.estimated_s:.0f} s ({fit} the {draft.target_min_s:g}-"
        f"{draft.target_max_s:g} s target; {draft.pace_note()})",
    ]
    if draft.score is not None:
        was = "" if report.score is None else f" (the original: {report.score})"
        lines.append(f"Score as a written script: {draft.score}/100{was}")
    lines.append("")
    for p in draft.parts:
        title = draft.part_titles.get(p.part, p.part)
        lines.append(f"  {title:<18} {p.text}")
    lines += ["", "Changes"]
    for c in draft.changes:
        what = c.after or c.before
        lines.append(f"  [{c.check_id}] {c.action}: {c.reason}")
        if what:
            lines.append(f"      \u201c{' '.join(what.split())[:110]}\u201d")
    if draft.placeholders:
        lines += ["", "Fill in: " + "; ".join(draft.placeholders)]
    return "\n".join(lines)


def render_adherence(result: Adherence) -> str:
    lines = [
        f"Said {result.said_share:.0%} of the script's words; {result.added_count} words added.",
        "",
    ]
    for s in result.sentences:
        lines.append(f"  [{s.status}] {s.text}")
        skipped = [w.text for w in s.words if not w.said]
        if skipped and s.status != "skipped":
            lines.append(f"      skipped: {' '.join(skipped)}")
        if s.added:
            lines.append(f"      added: {' '.join(s.added)}")
    return "\n".join(lines)
