"""Coaching packs: one file holding a team's guidance profiles and scenario cards.

A pack is a zip (``.vmcpack``) with ``manifest.json``, ``profiles/*.toml``,
``scenarios/*.toml`` and, optionally, ``results.json``: script variants and outcomes of real
voicemails, pooled between coaches (``voicemail_coach.storage.outcomes``). A coach exports one
and hands it to every rep; no server involved.

Importing is two steps. ``read_pack`` validates everything (manifest, every profile, every
card) and raises ``PackError`` naming the file inside the pack and the key, before anything is
written. It inflates each file as a stream and stops at ``MAX_MEMBER_BYTES`` per file and
``MAX_PACK_BYTES`` in all, counting what actually comes out, never the sizes the zip declares.
``conflicts`` lists the items that differ from ones the user already has; the caller decides for
each (replace, keep both, skip) and ``apply_pack`` writes, never overwriting an item it was not
told to. It writes every file into a staging folder in the data folder first and moves them into
place only when all are written, so a full disk or any other write error changes nothing.
Pooled results are merged by stable id (no duplicates) in one database transaction that
commits only after the files are in place, and is rolled back if they cannot be written.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import tomllib
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from voicemail_coach.analysis.profile import ProfileError
from voicemail_coach.analysis.profile_loader import load_profile
from voicemail_coach.analysis.scenarios import (
    Scenario,
    ScenarioError,
    ScenarioStore,
    scenario_from_dict,
    scenario_to_toml,
)
from voicemail_coach.audio import oserrors
from voicemail_coach.storage.outcomes import Outcomes
from voicemail_coach.storage.pooled_results import validate_results
from voicemail_coach.storage.profile_store import ProfileStore, slug, validate_data
from voicemail_coach.storage.records import LibraryError

SUFFIX = ".vmcpack"
FORMAT = "voicemail-coach-pack"
VERSION = 1
MAX_MEMBERS = 500
MAX_MEMBER_BYTES = 1_000_000
MAX_PACK_BYTES = 8_000_000  # everything inflated from one pack
CHUNK_BYTES = 64 * 1024
RESULTS = "results.json"


class PackError(Exception):
    """A pack that cannot be used; the message names the pack, the file inside and the key."""


@dataclass(frozen=True)
class PackProfile:
    filename: str  # e.g. "team-short.toml"
    name: str
    text: str


@dataclass(frozen=True)
class PackContents:
    name: str
    profiles: tuple[PackProfile, ...]
    scenarios: tuple[Scenario, ...]
    source: str = ""  # the pack's file name, for messages
    # Pooled script variants and outcomes (validated), None when the pack has none.
    results: dict[str, Any] | None = None


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


def export_pack(
    destination: str | Path,
    profiles: Sequence[str | Path],
    scenarios: Sequence[Scenario],
    name: str = "Coaching pack",
    results: Mapping[str, Any] | None = None,
) -> Path:
    """Write a pack with these profile files and cards; every profile must load.
    ``results``: pooled variants and outcomes (``Outcomes.export_results()``)."""
    dest = Path(destination)
    if dest.suffix != SUFFIX:
        dest = dest.with_name(dest.name + SUFFIX)
    members: dict[str, str] = {}
    for path in profiles:
        p = Path(path)
        load_profile(p)
        member = f"profiles/{slug(p.stem)}.toml"
        if member in members:
            raise PackError(f"two profiles would both be stored as {member}: rename one")
        members[member] = p.read_text(encoding="utf-8")
    for card in scenarios:
        members[f"scenarios/{card.id}.toml"] = scenario_to_toml(card)
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "name": name,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "profiles": sorted(m for m in members if m.startswith("profiles/")),
        "scenarios": sorted(m for m in members if m.startswith("scenarios/")),
    }
    if results is not None:
        members[RESULTS] = json.dumps(results, indent=1, ensure_ascii=False)
        manifest["results"] = RESULTS
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest, indent=2))
        for member, text in members.items():
            zf.writestr(member, text)
    tmp.replace(dest)
    return dest


def read_pack(path: str | Path) -> PackContents:
    """Open and validate a whole pack; the first problem raises PackError and nothing is kept."""
    p = Path(path)
    where = p.name
    try:
        zf = zipfile.ZipFile(p)
    except FileNotFoundError:
        raise PackError(f"{where}: no such file") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise PackError(f"{where}: not a coaching pack (not a readable zip: {exc})") from None
    inflated = _Inflated(where)
    with zf:
        manifest = _manifest(zf, where, inflated)
        profiles = []
        for member in manifest["profiles"]:
            text = inflated.member(zf, member)
            source = f"{where}: {member}"
            try:
                data = tomllib.loads(text)
                profile = validate_data(data, source)
            except tomllib.TOMLDecodeError as exc:
                raise PackError(f"{source}: not valid TOML ({exc})") from None
            except ProfileError as exc:
                raise PackError(str(exc)) from None
            profiles.append(PackProfile(member.split("/", 1)[1], profile.name, text))
        cards: list[Scenario] = []
        for member in manifest["scenarios"]:
            source = f"{where}: {member}"
            try:
                card = scenario_from_dict(tomllib.loads(inflated.member(zf, member)), source)
            except tomllib.TOMLDecodeError as exc:
                raise PackError(f"{source}: not valid TOML ({exc})") from None
            except ScenarioError as exc:
                raise PackError(str(exc)) from None
            if any(c.id == card.id for c in cards):
                raise PackError(f"{source}: id: '{card.id}' is used by two cards in the pack")
            cards.append(card)
        results = None
        if manifest.get("results") is not None:
            source = f"{where}: {RESULTS}"
            try:
                results = validate_results(json.loads(inflated.member(zf, RESULTS)), source)
            except json.JSONDecodeError as exc:
                raise PackError(f"{source}: not valid JSON ({exc})") from None
            except ValueError as exc:
                raise PackError(str(exc)) from None
    return PackContents(str(manifest["name"]), tuple(profiles), tuple(cards), where, results)


def _manifest(zf: zipfile.ZipFile, where: str, inflated: _Inflated) -> dict[str, Any]:
    if len(zf.infolist()) > MAX_MEMBERS:
        raise PackError(f"{where}: holds more than {MAX_MEMBERS} files")
    try:
        raw = json.loads(inflated.member(zf, "manifest.json"))
    except json.JSONDecodeError as exc:
        raise PackError(f"{where}: manifest.json: not valid JSON ({exc})") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise PackError(f"{where}: manifest.json: format: not a Voicemail Coach coaching pack")
    version = raw.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise PackError(
            f"{where}: manifest.json: version: is {version!r}; this app reads up to {VERSION}"
        )
    if not isinstance(raw.get("name", ""), str):
        raise PackError(f"{where}: manifest.json: name: must be text")
    raw.setdefault("name", Path(where).stem)
    for key in ("profiles", "scenarios"):
        items = raw.get(key, [])
        if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
            raise PackError(f"{where}: manifest.json: {key}: must be a list of file names")
        for item in items:
            folder, _, name = item.partition("/")
            if folder != key or not name.endswith(".toml") or "/" in name or ".." in name:
                raise PackError(f"{where}: manifest.json: {key}: '{item}' is not {key}/NAME.toml")
        raw[key] = items
    if raw.get("results") not in (None, RESULTS):
        raise PackError(f"{where}: manifest.json: results: must be '{RESULTS}'")
    return raw


class _Inflated:
    """Reads members of one pack as streams, counting the bytes that really come out."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.total = 0

    def member(self, zf: zipfile.ZipFile, member: str) -> str:
        where = self.where
        try:
            info = zf.getinfo(member)
        except KeyError:
            raise PackError(f"{where}: {member}: missing from the pack") from None
        if info.file_size > MAX_MEMBER_BYTES:
            raise PackError(f"{where}: {member}: too large ({info.file_size} bytes)")
        chunks: list[bytes] = []
        size = 0
        try:
            with zf.open(info) as stream:
                while chunk := stream.read(CHUNK_BYTES):
                    size += len(chunk)
                    self.total += len(chunk)
                    if size > MAX_MEMBER_BYTES:
                        raise PackError(
                            f"{where}: {member}: too large (over {MAX_MEMBER_BYTES} bytes unpacked)"
                        )
                    if self.total > MAX_PACK_BYTES:
                        raise PackError(
                            f"{where}: too large (over {MAX_PACK_BYTES} bytes unpacked in all)"
                        )
                    chunks.append(chunk)
            return b"".join(chunks).decode("utf-8")
        except (
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            NotImplementedError,
            RuntimeError,
            UnicodeDecodeError,
        ) as exc:
            raise PackError(f"{where}: {member}: cannot be read ({exc})") from None
        except OSError as exc:
            raise PackError(f"{where}: {member}: cannot be read ({oserrors.cause(exc)})") from None


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
