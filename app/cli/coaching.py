"""Command line for a coach's setup: ``scenarios``, ``profiles`` and ``pack export/import``.

``voicemail_coach.app.cli.main`` registers these with :func:`add_coaching_commands` and hands parsed arguments to
:func:`run_coaching_command`; ``--scenario ID`` on ``analyze`` is resolved by :func:`scenario_for`.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from voicemail_coach.app.cli.text import EXIT_BAD_INPUT, EXIT_OK

if TYPE_CHECKING:
    from voicemail_coach.analysis.scenarios import Scenario
    from voicemail_coach.storage.outcomes import Outcomes
    from voicemail_coach.storage.pack_file import PackContents
    from voicemail_coach.storage.packs import Conflict

COMMANDS = ("scenarios", "profiles", "pack")
ON_CONFLICT = {"replace": "replace", "keep-both": "keep_both", "skip": "skip"}


def add_coaching_commands(subparsers: Any) -> None:
    scenarios = subparsers.add_parser("scenarios", help="list scenario cards, or show one")
    scenarios.add_argument("id", nargs="?", metavar="ID", help="show this card in full")
    scenarios.add_argument("--json", action="store_true", help="print as JSON")

    subparsers.add_parser("profiles", help="list the guidance profiles (built-in and yours)")

    pack = subparsers.add_parser("pack", help="export or import a coaching pack (.vmcpack)")
    actions = pack.add_subparsers(dest="pack_action", required=True)
    export = actions.add_parser("export", help="write your profiles and scenario cards to FILE")
    export.add_argument("file", metavar="FILE")
    export.add_argument(
        "--profile", action="append", default=[], metavar="P",
        help="a profile file to include (repeatable; default: all of yours)",
    )  # fmt: skip
    export.add_argument(
        "--scenario", action="append", default=[], metavar="ID",
        help="a scenario card to include (repeatable; default: all of yours)",
    )  # fmt: skip
    export.add_argument("--name", default="Coaching pack", help="the pack's name")
    export.add_argument(
        "--results", action="store_true",
        help="include your script variants and the outcomes of your real voicemails",
    )  # fmt: skip
    imp = actions.add_parser("import", help="add a pack's profiles and scenario cards")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument(
        "--on-conflict", choices=sorted(ON_CONFLICT), metavar="WHAT",
        help="when an item differs from one you have: replace, keep-both or skip "
        "(default: change nothing and list the conflicts)",
    )  # fmt: skip


def _fail(message: str) -> int:
    print(f"voicemail-coach: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def scenario_for(scenario_id: str | None) -> Scenario | None:
    """The card ``--scenario ID`` names (ScenarioError when there is none)."""
    if not scenario_id:
        return None
    from voicemail_coach.analysis.scenarios import ScenarioStore

    return ScenarioStore().get(scenario_id)


def run_coaching_command(args: argparse.Namespace) -> int | None:
    command = getattr(args, "command", None)
    if command not in COMMANDS:
        return None
    from voicemail_coach.analysis.profile import ProfileError
    from voicemail_coach.analysis.scenarios import ScenarioError
    from voicemail_coach.audio import oserrors
    from voicemail_coach.storage.pack_file import PackError
    from voicemail_coach.storage.records import LibraryError

    try:
        if command == "scenarios":
            return _scenarios(args)
        if command == "profiles":
            return _profiles()
        return _pack_export(args) if args.pack_action == "export" else _pack_import(args)
    except (PackError, ProfileError, ScenarioError) as exc:
        return _fail(str(exc))
    except LibraryError as exc:
        return _fail(" ".join(str(exc).split()))
    except BrokenPipeError:
        raise  # the reader went away: main ends quietly
    except OSError as exc:
        return _fail(f"{getattr(exc, 'filename', '') or ''}: {oserrors.cause(exc)}")


def _scenarios(args: argparse.Namespace) -> int:
    from voicemail_coach.analysis.scenarios import ScenarioStore

    store = ScenarioStore()
    for problem in store.problems:
        print(f"voicemail-coach: skipped {problem}", file=sys.stderr)
    if args.id:
        card = store.get(args.id)
        if args.json:
            print(json.dumps(card.to_dict(), indent=2, ensure_ascii=False))
            return EXIT_OK
        lines = [
            f"{card.prospect}, {card.title} at {card.company} ({card.industry})",
            f"Trigger ({card.trigger_label.lower()}): {card.trigger_detail}",
            f"Cares about: {'; '.join(card.cares_about)}",
            f"Value angle: {card.value_angle}",
            f"Difficulty: {card.difficulty}" + ("" if store.is_builtin(card.id) else " (yours)"),
        ]
        print("\n".join(lines))
        return EXIT_OK
    cards = store.all()
    if args.json:
        print(json.dumps([c.to_dict() for c in cards], indent=2, ensure_ascii=False))
        return EXIT_OK
    for c in cards:
        mine = "" if store.is_builtin(c.id) else "  (yours)"
        print(f"{c.id:34} {c.label:42} {c.trigger:15} {c.difficulty}{mine}")
    return EXIT_OK


def _profiles() -> int:
    from voicemail_coach.storage.profile_store import ProfileStore

    for e in ProfileStore().entries():
        where = "built-in" if e.builtin else "yours"
        print(f"{e.name:28} {where:9} {e.path}" + (f"\n  broken: {e.problem}" if e.problem else ""))
    return EXIT_OK


def _pack_export(args: argparse.Namespace) -> int:
    from voicemail_coach.analysis.scenarios import ScenarioStore
    from voicemail_coach.storage.pack_file import export_pack
    from voicemail_coach.storage.profile_store import ProfileStore

    store = ScenarioStore()
    profiles = args.profile or [e.path for e in ProfileStore().entries() if not e.builtin]
    if args.scenario:
        cards = [store.get(i) for i in args.scenario]
    else:
        cards = [c for c in store.all() if not store.is_builtin(c.id)]
    results = None
    if args.results:
        from voicemail_coach.app.cli.library import _open_library
        from voicemail_coach.storage.outcomes import Outcomes

        with _open_library() as library:
            results = Outcomes(library).export_results()
    path = export_pack(args.file, profiles, cards, args.name, results)
    pooled = (
        f", {len(results['variants'])} script variant(s), {len(results['outcomes'])} outcome(s)"
        if results is not None
        else ""
    )
    print(f"Wrote {path}: {len(profiles)} profile(s), {len(cards)} scenario card(s){pooled}.")
    return EXIT_OK


def _decision(conflict: Conflict, choice: str | None) -> str:
    """A built-in card cannot be replaced (kept both); an outcome or variant cannot be kept
    twice (yours is kept)."""
    if choice == "replace" and conflict.builtin:
        return "keep_both"
    if choice == "keep_both" and not conflict.can_keep_both:
        return "skip"
    return choice or "skip"


def _pack_import(args: argparse.Namespace) -> int:
    from voicemail_coach.storage.pack_file import read_pack

    contents = read_pack(args.file)
    if contents.results:
        from voicemail_coach.storage.library import Library
        from voicemail_coach.storage.outcomes import Outcomes

        with Library() as library:
            return _pack_import_into(args, contents, Outcomes(library))
    return _pack_import_into(args, contents, None)


def _pack_import_into(
    args: argparse.Namespace, contents: PackContents, outcomes: Outcomes | None
) -> int:
    from voicemail_coach.analysis.scenarios import ScenarioStore
    from voicemail_coach.storage.packs import apply_pack, conflicts
    from voicemail_coach.storage.profile_store import ProfileStore

    profiles, scenarios = ProfileStore(), ScenarioStore()
    found = conflicts(contents, profiles, scenarios, outcomes)
    choice = ON_CONFLICT.get(args.on_conflict or "")
    if found and choice is None:
        listed = "; ".join(c.label for c in found)
        return _fail(
            f"{args.file}: {len(found)} item(s) differ from yours ({listed}); nothing was "
            "imported. Choose --on-conflict replace, keep-both or skip."
        )
    decisions = {c.key: _decision(c, choice) for c in found}
    summary = apply_pack(contents, profiles, scenarios, decisions, outcomes)
    print(f"Imported \u201c{contents.name}\u201d: {summary.text()}.")
    return EXIT_OK
