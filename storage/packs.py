"""Coaching packs: one file holding a team's guidance profiles and scenario cards (the file
itself: :mod:`voicemail_coach.storage.pack_file`). A coach exports one and hands it to every rep;
no server involved.

Importing is two steps after ``read_pack`` has validated the whole pack.
``conflicts`` lists the items that differ from ones the user already has; the caller decides for
each (replace, keep both, skip) and ``apply_pack`` writes, never overwriting an item it was not
told to. It writes every file into a staging folder in the data folder first and moves them into
place only when all are written, so a full disk or any other write error changes nothing.
Pooled results are merged by stable id (no duplicates) in one database transaction that
commits only after the files are in place, and is rolled back if they cannot be written.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from voicemail_coach.analysis.scenarios import Scenario, ScenarioStore
from voicemail_coach.audio import oserrors
from voicemail_coach.storage.outcomes import Outcomes
from voicemail_coach.storage.pack_file import PackContents, PackError
from voicemail_coach.storage.profile_store import ProfileStore
from voicemail_coach.storage.records import LibraryError


@dataclass(frozen=True)
class Conflict:
    """An item in the pack that differs from one the user has. ``key`` identifies the decision."""

    key: str  # "profile:<file name>", "scenario:<id>", "variant:<uid>", "outcome:<message uid>"
    label: str
    builtin: bool = False  # a built-in card cannot be replaced: keep both or skip
    can_keep_both: bool = True  # a message has one outcome: replace or skip


@dataclass
class ImportSummary:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    kept_both: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def text(self) -> str:
        parts = [
            f"{len(items)} {what}"
            for what, items in (
                ("added", self.added),
                ("replaced", self.replaced),
                ("kept alongside yours", self.kept_both),
                ("skipped", self.skipped),
                ("already there", self.unchanged),
            )
            if items
        ]
        return ", ".join(parts) if parts else "nothing to import"


def conflicts(
    contents: PackContents,
    profiles: ProfileStore,
    scenarios: ScenarioStore,
    outcomes: Outcomes | None = None,
) -> list[Conflict]:
    """Items that differ from what the user already has (identical ones are not conflicts).
    ``outcomes``: the library pooled results merge into (None: the pack's results are left out).
    """
    out = []
    for pp in contents.profiles:
        if profiles.state(pp.filename, pp.text) == "differs":
            out.append(Conflict(f"profile:{pp.filename}", f"profile \u201c{pp.name}\u201d"))
    for card in contents.scenarios:
        mine = scenarios.find(card.id)
        if mine is not None and mine != card:
            out.append(
                Conflict(
                    f"scenario:{card.id}",
                    f"scenario \u201c{card.label}\u201d",
                    scenarios.is_builtin(card.id),
                )
            )
    if outcomes is not None and contents.results:
        out += [
            Conflict(key, label, can_keep_both=False)
            for key, label in outcomes.conflicts(contents.results)
        ]
    return out


def apply_pack(
    contents: PackContents,
    profiles: ProfileStore,
    scenarios: ScenarioStore,
    decisions: Mapping[str, str] | None = None,
    outcomes: Outcomes | None = None,
) -> ImportSummary:
    """Write the pack's items. Every conflict needs a decision ("replace", "keep_both",
    "skip"; an outcome or variant takes "replace" or "skip"); a missing one raises PackError
    before anything is written. ``outcomes``: the library to merge pooled results into."""
    decisions = dict(decisions or {})
    for conflict in conflicts(contents, profiles, scenarios, outcomes):
        choice = decisions.get(conflict.key)
        if choice not in ("replace", "keep_both", "skip"):
            raise PackError(f"{conflict.label} already exists and differs: choose what to do")
        if choice == "replace" and conflict.builtin:
            raise PackError(f"{conflict.label} is built in and cannot be replaced")
        if choice == "keep_both" and not conflict.can_keep_both:
            raise PackError(f"{conflict.label}: a message has one outcome: replace or skip")
    summary = ImportSummary()
    writes: list[tuple[Path, str]] = []
    for pp in contents.profiles:
        choice = decisions.get(f"profile:{pp.filename}")
        state = profiles.state(pp.filename, pp.text)
        planned = profiles.plan_text(
            pp.filename, pp.text, pp.filename, choice, taken={t for t, _ in writes}
        )
        if planned is not None and planned[1] is not None:
            writes.append((planned[0], planned[1]))
        _count(summary, pp.name, state != "new", state == "same", choice)
    cards: list[tuple[Scenario, Path]] = []
    ids = {card.id for card in contents.scenarios}
    for card in contents.scenarios:
        choice = decisions.get(f"scenario:{card.id}")
        mine = scenarios.find(card.id)
        new: Scenario | None = None
        if mine is None or (mine != card and choice == "replace"):
            new = card
        elif mine != card and choice == "keep_both":
            new = replace(card, id=scenarios.free_id(card.id, taken=ids))
            ids.add(new.id)
        if new is not None:
            checked, path, text = scenarios.prepare(new, replace=mine is not None and new is card)
            writes.append((path, text))
            cards.append((checked, path))
        _count(summary, card.label, mine is not None, mine == card, choice)
    data_folder = Path(os.path.commonpath([profiles.folder, scenarios.user_folder]))
    if outcomes is not None and contents.results:
        # The merge commits only once the files are in place; a failure writing them rolls it back.
        try:
            with outcomes.db.lock, outcomes.db.write("merge the pack's outcomes") as conn:
                merged = outcomes.merge_in(conn, contents.results, decisions)
                _write_all(writes, data_folder, contents)
        except LibraryError as exc:
            raise PackError(f"{contents.source or contents.name}: {exc}") from None
        summary.added += merged.added
        summary.replaced += merged.replaced
        summary.kept_both += merged.renamed
        summary.skipped += merged.skipped
        summary.unchanged += merged.unchanged
    else:
        _write_all(writes, data_folder, contents)
    for checked, path in cards:
        scenarios.remember(checked, path)
    return summary


def _write_all(
    writes: Sequence[tuple[Path, str]], data_folder: Path, contents: PackContents
) -> None:
    """Write every file or none: all into a staging folder beside the user's files (one
    file system, so moving needs no space), then moved into place; a file being replaced is
    moved aside first and put back if a later move fails."""
    if not writes:
        return
    where = contents.source or contents.name
    moved: list[tuple[Path, Path | None]] = []
    staging: Path | None = None
    try:
        data_folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".pack-import-", dir=data_folder))
        staged = []
        for i, (target, text) in enumerate(writes):
            _stage(staging / f"{i}.new", text.encode("utf-8"))
            staged.append((staging / f"{i}.new", staging / f"{i}.old", target))
        for new, old, target in staged:
            target.parent.mkdir(parents=True, exist_ok=True)
            kept = None
            if target.exists():
                _move(target, old)
                kept = old
            moved.append((target, kept))
            _move(new, target)
    except OSError as exc:
        message = f"{where}: cannot write the imported files: {oserrors.cause(exc)}"
        try:
            for target, kept in reversed(moved):
                target.unlink(missing_ok=True)
                if kept is not None:
                    _move(kept, target)
        except OSError as again:
            # Keep the staging folder: it holds the files that could not be put back.
            message += (
                f"; putting your files back failed too ({oserrors.cause(again)}): "
                f"the originals are in {staging}"
            )
            staging = None
        raise PackError(message) from None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def _stage(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _move(source: Path, target: Path) -> None:
    os.replace(source, target)


def _count(
    summary: ImportSummary, label: str, existed: bool, same: bool, choice: str | None
) -> None:
    if not existed:
        summary.added.append(label)
    elif same:
        summary.unchanged.append(label)
    elif choice == "replace":
        summary.replaced.append(label)
    elif choice == "keep_both":
        summary.kept_both.append(label)
    else:
        summary.skipped.append(label)
