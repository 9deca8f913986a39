"""Coaching packs: one file holding a team's guidance profiles and scenario cards.

A pack is a zip (``.vmcpack``) with ``manifest.json``, ``profiles/*.toml`` and
``scenarios/*.toml``. A coach exports one and hands it to every rep; no server involved.

Importing is two steps. ``read_pack`` validates everything (manifest, every profile, every
card) and raises ``PackError`` naming the file inside the pack and the key, before anything is
written. ``conflicts`` lists the items that differ from ones the user already has; the caller
decides for each (replace, keep both, skip) and ``apply_pack`` writes, never overwriting an
item it was not told to.
"""

from __future__ import annotations

import json
import tomllib
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from analysis.profile import ProfileError, load_profile
from analysis.profile_store import ProfileStore, slug, validate_data
from analysis.scenarios import (
    Scenario,
    ScenarioError,
    ScenarioStore,
    scenario_from_dict,
    scenario_to_toml,
)

SUFFIX = ".vmcpack"
FORMAT = "voicemail-coach-pack"
VERSION = 1
MAX_MEMBERS = 500
MAX_MEMBER_BYTES = 1_000_000


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


@dataclass(frozen=True)
class Conflict:
    """An item in the pack that differs from one the user has. ``key`` identifies the decision."""

    key: str  # "profile:<file name>" or "scenario:<id>"
    label: str
    builtin: bool = False  # a built-in card cannot be replaced: keep both or skip


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
) -> Path:
    """Write a pack with these profile files and cards; every profile must load."""
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
    with zf:
        manifest = _manifest(zf, where)
        profiles = []
        for member in manifest["profiles"]:
            text = _member(zf, where, member)
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
                card = scenario_from_dict(tomllib.loads(_member(zf, where, member)), source)
            except tomllib.TOMLDecodeError as exc:
                raise PackError(f"{source}: not valid TOML ({exc})") from None
            except ScenarioError as exc:
                raise PackError(str(exc)) from None
            if any(c.id == card.id for c in cards):
                raise PackError(f"{source}: id: '{card.id}' is used by two cards in the pack")
            cards.append(card)
    return PackContents(str(manifest["name"]), tuple(profiles), tuple(cards))


def _manifest(zf: zipfile.ZipFile, where: str) -> dict[str, Any]:
    if len(zf.infolist()) > MAX_MEMBERS:
        raise PackError(f"{where}: holds more than {MAX_MEMBERS} files")
    try:
        raw = json.loads(_member(zf, where, "manifest.json"))
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
    return raw


def _member(zf: zipfile.ZipFile, where: str, member: str) -> str:
    try:
        info = zf.getinfo(member)
    except KeyError:
        raise PackError(f"{where}: {member}: missing from the pack") from None
    if info.file_size > MAX_MEMBER_BYTES:
        raise PackError(f"{where}: {member}: too large ({info.file_size} bytes)")
    try:
        return zf.read(member).decode("utf-8")
    except (zipfile.BadZipFile, OSError, UnicodeDecodeError) as exc:
        raise PackError(f"{where}: {member}: cannot be read ({exc})") from None


def conflicts(
    contents: PackContents, profiles: ProfileStore, scenarios: ScenarioStore
) -> list[Conflict]:
    """Items that differ from what the user already has (identical ones are not conflicts)."""
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
    return out


def apply_pack(
    contents: PackContents,
    profiles: ProfileStore,
    scenarios: ScenarioStore,
    decisions: Mapping[str, str] | None = None,
) -> ImportSummary:
    """Write the pack's items. Every conflict needs a decision ("replace", "keep_both",
    "skip"); a missing one raises PackError before anything is written."""
    decisions = dict(decisions or {})
    for conflict in conflicts(contents, profiles, scenarios):
        choice = decisions.get(conflict.key)
        if choice not in ("replace", "keep_both", "skip"):
            raise PackError(f"{conflict.label} already exists and differs: choose what to do")
        if choice == "replace" and conflict.builtin:
            raise PackError(f"{conflict.label} is built in and cannot be replaced")
    summary = ImportSummary()
    for pp in contents.profiles:
        choice = decisions.get(f"profile:{pp.filename}")
        state = profiles.state(pp.filename, pp.text)
        profiles.add_text(pp.filename, pp.text, pp.filename, choice)
        _count(summary, pp.name, state != "new", state == "same", choice)
    for card in contents.scenarios:
        choice = decisions.get(f"scenario:{card.id}")
        mine = scenarios.find(card.id)
        if mine is None:
            scenarios.save(card)
        elif mine != card and choice == "replace":
            scenarios.save(card, replace=True)
        elif mine != card and choice == "keep_both":
            scenarios.save(_renamed(card, scenarios))
        _count(summary, card.label, mine is not None, mine == card, choice)
    return summary


def _renamed(card: Scenario, store: ScenarioStore) -> Scenario:
    from dataclasses import replace

    return replace(card, id=store.free_id(card.id))


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
