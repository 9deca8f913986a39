"""Command line: ``voicemail-coach analyze``, ``check-script``, ``sample``, ``phone-line``,
``rewrite``, ``adherence``, ``install-desktop``...; no sub-command starts the app."""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import sys
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path

from voicemail_coach.analysis.profile import Profile, ProfileError
from voicemail_coach.analysis.profile_loader import load_profile
from voicemail_coach.analysis.report import Report
from voicemail_coach.analysis.report_text import render_text
from voicemail_coach.analysis.scenarios import ScenarioError
from voicemail_coach.app.cli.coaching import (
    add_coaching_commands,
    run_coaching_command,
    scenario_for,
)
from voicemail_coach.app.cli.desktop import add_desktop_commands, run_desktop_command
from voicemail_coach.app.cli.lab import add_lab_commands, run_lab_command
from voicemail_coach.app.cli.library import add_library_commands, run_library_command
from voicemail_coach.app.cli.rewrite import add_rewrite_commands, run_rewrite_command
from voicemail_coach.app.cli.text import EXIT_BAD_INPUT, EXIT_OK
from voicemail_coach.audio.io import AudioLoadError


def sample_path() -> Path:
    return Path(
        str(resources.files("voicemail_coach.resources.samples").joinpath("example_voicemail.flac"))
    )


def installed_version() -> str:
    """The version in the installed package's metadata (one place: pyproject.toml)."""
    try:
        return importlib.metadata.version("voicemail-coach")
    except importlib.metadata.PackageNotFoundError:
        return "unknown (not installed)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="voicemail-coach",
        description="Practise sales voicemails: local transcription and timed feedback.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {installed_version()}")
    sub = parser.add_subparsers(dest="command")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--json", action="store_true", help="print the JSON report")
        p.add_argument("--profile", metavar="P", help="guidance profile TOML (default: bundled)")
        p.add_argument(
            "--length", metavar="PRESET", help="length preset id, e.g. standard, short, extended"
        )
        p.add_argument(
            "--scenario", metavar="ID", help="check against a scenario card (see 'scenarios')"
        )

    analyze = sub.add_parser("analyze", help="analyze recorded voicemails")
    analyze.add_argument("files", nargs="+", metavar="FILE", help="wav, flac, ogg, mp3 or m4a")
    analyze.add_argument("--model", metavar="DIR", help="CTranslate2 Whisper model folder")
    analyze.add_argument(
        "--no-filler-prompt",
        action="store_true",
        help="transcribe without the prompt that keeps 'um'/'uh'",
    )
    analyze.add_argument(
        "--no-trim",
        action="store_true",
        help="analyze the whole file: do not cut ringing, a greeting and the beep before the message",
    )
    common(analyze)

    script = sub.add_parser("check-script", help="check a written script before recording it")
    script.add_argument("file", metavar="FILE|-", help="a text file, or - for standard input")
    common(script)

    line = sub.add_parser(
        "phone-line", help="write a recording as the prospect will hear it on a phone line"
    )
    line.add_argument("file", metavar="FILE", help="wav, flac, ogg, mp3 or m4a")
    line.add_argument("-o", "--output", metavar="OUT.wav", required=True, help="the WAV to write")
    line.add_argument("--profile", metavar="P", help="guidance profile TOML (default: bundled)")

    sample = sub.add_parser("sample", help="analyze the bundled example voicemail")
    sample.add_argument("--model", metavar="DIR", help="CTranslate2 Whisper model folder")
    common(sample)
    add_library_commands(sub)
    add_coaching_commands(sub)
    add_desktop_commands(sub)
    add_lab_commands(sub)
    add_rewrite_commands(sub, common)
    return parser


def _fail(message: str) -> int:
    print(f"voicemail-coach: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _emit(reports: Sequence[Report], as_json: bool) -> None:
    if as_json:
        payload = [r.to_dict() for r in reports]
        print(
            json.dumps(payload[0] if len(payload) == 1 else payload, indent=2, ensure_ascii=False)
        )
    else:
        print("\n\n".join(render_text(r) for r in reports))


def _progress(name: str) -> Callable[[float], None] | None:
    if not sys.stderr.isatty():
        return None

    def show(fraction: float) -> None:
        print(f"\r{name}: transcribing {fraction:4.0%}", end="", file=sys.stderr, flush=True)

    return show


def run_phone_line(args: argparse.Namespace, profile: Profile) -> int:
    """Write the rendering as 16-bit WAV at 8 kHz and say which chain made it."""
    import soundfile

    from voicemail_coach.analysis.phone_line import render_take
    from voicemail_coach.audio.io import load_audio

    try:
        audio = load_audio(args.file)
    except AudioLoadError as exc:
        return _fail(str(exc))
    line = render_take(audio.samples, audio.sample_rate, profile)
    try:
        soundfile.write(args.output, line.samples, line.sample_rate, subtype="PCM_16", format="WAV")
    except (OSError, RuntimeError) as exc:  # soundfile reports a bad path as RuntimeError
        return _fail(f"{args.output}: cannot write it ({exc})")
    print(f"Wrote {args.output}: {line.duration_s:.1f} s at {line.sample_rate} Hz")
    print("Chain: " + " -> ".join(line.chain))
    if line.codec is None:
        print(f"No voicemail codec: {line.codec_note}")
    return EXIT_OK


def run_analyze(args: argparse.Namespace, files: Sequence[str], profile: Profile) -> int:
    from voicemail_coach.analysis.phone_line import check_line
    from voicemail_coach.analysis.pipeline import analyze_audio, lead_samples
    from voicemail_coach.analysis.transcribe import FILLER_PROMPT, ModelError, Transcriber
    from voicemail_coach.audio.io import load_audio

    try:
        prompt = None if getattr(args, "no_filler_prompt", False) else FILLER_PROMPT
        transcriber = Transcriber(args.model, initial_prompt=prompt)
    except ModelError as exc:
        return _fail(str(exc))
    reports, failed = [], False
    for f in files:
        try:
            progress = _progress(Path(f).name)
            audio = load_audio(f)
            trim = not getattr(args, "no_trim", False)
            report = analyze_audio(
                audio, transcriber, profile, args.length, progress, scenario=args.scenario_card,
                trim=trim,
            )  # fmt: skip
            message = lead_samples(audio.samples, audio.sample_rate, report)[1]
            # The phone-line check transcribes the take once more (when the profile has it on).
            line_progress = _progress(f"{Path(f).name} (phone line)")
            reports.append(
                check_line(report, message, audio.sample_rate, transcriber, profile, line_progress)
            )
            if progress:
                print(file=sys.stderr)
        except AudioLoadError as exc:
            failed = True
            _fail(str(exc))
    if reports:
        _emit(reports, args.json)
    return EXIT_BAD_INPUT if failed else EXIT_OK


def run_check_script(args: argparse.Namespace, profile: Profile) -> int:
    from voicemail_coach.analysis.pipeline import ScriptError, analyze_script

    try:
        text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    except FileNotFoundError:
        return _fail(f"{args.file}: no such file")
    except (OSError, UnicodeDecodeError) as exc:
        return _fail(f"{args.file}: cannot read it as text ({exc.__class__.__name__})")
    try:
        report = analyze_script(text, profile, args.length, args.scenario_card)
    except ScriptError as exc:
        return _fail(f"{args.file}: {exc}")
    _emit([report], args.json)
    return EXIT_OK


def start_gui() -> int:
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY")
        or os.environ.get("WAYLAND_DISPLAY")
        or os.environ.get("QT_QPA_PLATFORM")
    ):
        return _fail(
            "no display to open the window on. Run it from a desktop session, or use "
            "'voicemail-coach analyze FILE' / 'voicemail-coach sample' on the command line."
        )
    try:
        from voicemail_coach.app.gui import run_gui
    except ImportError as exc:
        return _fail(f"the desktop app cannot start ({exc}); reinstall with its dependencies")
    return run_gui()


def main(argv: Sequence[str] | None = None) -> int:
    try:
        code = _main(argv)
        sys.stdout.flush()  # inside the try: a closed reader shows here, not at exit
        return code
    except BrokenPipeError:
        # The reader stopped reading (`voicemail-coach history | head -1`): end quietly, as
        # other command-line tools do. stdout points at /dev/null so Python's own flush at
        # exit cannot fail a second time.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        return start_gui()
    desktop_exit = run_desktop_command(args)
    if desktop_exit is not None:
        return desktop_exit
    library_exit = run_library_command(args)
    if library_exit is not None:
        return library_exit
    coaching_exit = run_coaching_command(args)
    if coaching_exit is not None:
        return coaching_exit
    lab_exit = run_lab_command(args)
    if lab_exit is not None:
        return lab_exit
    try:
        profile = load_profile(args.profile)
        profile.length_preset(getattr(args, "length", None))
        args.scenario_card = scenario_for(getattr(args, "scenario", None))
    except (ProfileError, ScenarioError) as exc:
        return _fail(str(exc))
    rewrite_exit = run_rewrite_command(args, profile)
    if rewrite_exit is not None:
        return rewrite_exit
    if args.command == "check-script":
        return run_check_script(args, profile)
    if args.command == "phone-line":
        return run_phone_line(args, profile)
    files = args.files if args.command == "analyze" else [str(sample_path())]
    return run_analyze(args, files, profile)


if __name__ == "__main__":
    sys.exit(main())
