"""The coaching pack file (``.vmcpack``): written (``export_pack``) and read back whole and
validated (``read_pack``) before anything is imported.

A pack is a zip with ``manifest.json``, ``profiles/*.toml``, ``scenarios/*.toml`` and,
optionally, ``results.json``: script variants and outcomes of real voicemails, pooled between
coaches (``voicemail_coach.storage.outcomes``). ``read_pack`` validates everything (manifest,
every profile, every card) and raises ``PackError`` naming the file inside the pack and the key.
It inflates each file as a stream and stops at ``MAX_MEMBER_BYTES`` per file and
``MAX_PACK_BYTES`` in all, counting what actually comes out, never the sizes the zip declares.
"""

from __future__ import annotations

import json
import tomllib
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from voicemail_coach.analysis.profile import ProfileError
from voicemail_coach.analysis.profile_loader import load_profile
from voicemail_coach.analysis.scenarios import (
    Scenario,
    ScenarioError,
    scenario_from_dict,
    scenario_to_toml,
)
from voicemail_coach.audio import oserrors
from voicemail_coach.storage.pooled_results import validate_results
from voicemail_coach.storage.profile_store import slug, validate_data

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
