"""Scenario cards: the prospect a practice voicemail is for, and what just happened to them.

A card is a small TOML file. Built-in cards ship in ``resources/scenarios/`` and are read-only;
a user's own cards live in ``<data dir>/scenarios/<id>.toml``. Loading validates every key and
reports the first problem as ``ScenarioError`` naming the file and the key, like profiles do.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import tomli_w

from voicemail_coach.analysis.paths import data_dir
from voicemail_coach.analysis.tomlfile import read_toml

SCHEMA_VERSION = 1
# What prompted the call. The profile holds the words that refer to each kind.
TRIGGER_KINDS: dict[str, str] = {
    "download": "Downloaded something of yours",
    "out_of_office": "Was out of office",
    "referral": "Referred by a colleague",
    "news": "Their company is in the news",
    "missed_meeting": "Missed a meeting",
    "event": "Met at or attended an event",
    "new_role": "Started a new role",
    "other": "Something else",
}
DIFFICULTIES = ("easy", "medium", "hard")
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,59}")
TEXT_FIELDS = ("prospect", "title", "company", "industry", "trigger_detail", "value_angle")
LIST_FIELDS = ("cares_about", "trigger_keywords", "industry_keywords")
OPTIONAL_LISTS = ("trigger_keywords", "industry_keywords")
MAX_TEXT = 400


class ScenarioError(Exception):
    """A card that cannot be used; the message names the file (or card) and the key."""


@dataclass(frozen=True)
class Scenario:
    """One prospect to leave a voicemail for."""

    id: str
    prospect: str
    title: str
    company: str
    industry: str
    trigger: str
    trigger_detail: str
    cares_about: tuple[str, ...]
    value_angle: str
    difficulty: str
    trigger_keywords: tuple[str, ...] = ()
    industry_keywords: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """How the card is named in lists and on a take: "Dana Cole, Northwind Logistics"."""
        return f"{self.prospect}, {self.company}"

    @property
    def first_name(self) -> str:
        return self.prospect.split()[0] if self.prospect.split() else ""

    @property
    def trigger_label(self) -> str:
        return TRIGGER_KINDS.get(self.trigger, self.trigger)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            data[f.name] = list(value) if isinstance(value, tuple) else value
        return data


def scenario_from_dict(data: Mapping[str, Any], source: str) -> Scenario:
    """A validated card from its TOML table; ``source`` names it in error messages."""

    def fail(key: str, problem: str) -> ScenarioError:
        return ScenarioError(f"{source}: {key}: {problem}")

    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        raise fail("schema_version", f"is {version!r}; this app reads {SCHEMA_VERSION}")
    names = [f.name for f in dataclasses.fields(Scenario)]
    unknown = sorted(set(data) - set(names) - {"schema_version"})
    if unknown:
        raise fail(unknown[0], "unknown key")
    values: dict[str, Any] = {}
    for name in names:
        if name not in data:
            if name in OPTIONAL_LISTS:
                values[name] = ()
                continue
            raise fail(name, "missing")
        raw = data[name]
        if name in LIST_FIELDS:
            if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
                raise fail(name, "must be a list of text")
            items = tuple(x.strip() for x in raw if x.strip())
            if name == "cares_about" and not items:
                raise fail(name, "needs at least one thing this prospect cares about")
            values[name] = items
            continue
        if not isinstance(raw, str):
            raise fail(name, f"must be text, got {raw!r}")
        text = raw.strip()
        if not text:
            raise fail(name, "must not be empty")
        if len(text) > MAX_TEXT:
            raise fail(name, f"is {len(text)} characters; keep it under {MAX_TEXT}")
        values[name] = text
    if not ID_PATTERN.fullmatch(values["id"]):
        raise fail("id", "use lower-case letters, digits and - (up to 60)")
    if values["trigger"] not in TRIGGER_KINDS:
        raise fail("trigger", f"'{values['trigger']}' is not one of {', '.join(TRIGGER_KINDS)}")
    if values["difficulty"] not in DIFFICULTIES:
        raise fail("difficulty", f"must be one of {', '.join(DIFFICULTIES)}")
    return Scenario(**values)


def load_scenario(path: str | Path) -> Scenario:
    p = Path(path)
    data = read_toml(p, ScenarioError, "scenario")
    return scenario_from_dict(data, str(p))


def scenario_to_toml(scenario: Scenario) -> str:
    return tomli_w.dumps(scenario.to_dict())


def builtin_dir() -> Path:
    return Path(str(resources.files("voicemail_coach.resources.scenarios")))


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` so that a crash leaves either the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class ScenarioStore:
    """Built-in cards (read-only) and the user's own (add, edit, duplicate, delete)."""

    def __init__(self, user_folder: Path | None = None, builtin_folder: Path | None = None):
        self.user_folder = user_folder or data_dir() / "scenarios"
        self.builtin_folder = builtin_folder or builtin_dir()
        self.problems: list[str] = []  # user files that could not be read, with the reason
        self._builtin = self._read(self.builtin_folder, strict=True)
        self._user: dict[str, Scenario] = {}
        self._paths: dict[str, Path] = {}
        self.reload()

    def reload(self) -> None:
        self.problems = []
        self._paths = {}
        self._user = self._read(self.user_folder, strict=False)

    def _read(self, folder: Path, strict: bool) -> dict[str, Scenario]:
        cards: dict[str, Scenario] = {}
        for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
            try:
                card = load_scenario(path)
            except ScenarioError as exc:
                if strict:
                    raise
                self.problems.append(str(exc))
                continue
            if card.id in cards or (not strict and card.id in self._builtin):
                self.problems.append(f"{path}: id: '{card.id}' is already used by another card")
                continue
            cards[card.id] = card
            if not strict:
                self._paths[card.id] = path
        return cards

    def all(self) -> list[Scenario]:
        """Built-in cards first, then the user's, each sorted by name."""
        key = lambda s: s.label.lower()  # noqa: E731
        return sorted(self._builtin.values(), key=key) + sorted(self._user.values(), key=key)

    def get(self, scenario_id: str) -> Scenario:
        card = self._user.get(scenario_id) or self._builtin.get(scenario_id)
        if card is None:
            raise ScenarioError(f"no scenario '{scenario_id}' (see 'voicemail-coach scenarios')")
        return card

    def find(self, scenario_id: str | None) -> Scenario | None:
        if not scenario_id:
            return None
        return self._user.get(scenario_id) or self._builtin.get(scenario_id)

    def is_builtin(self, scenario_id: str) -> bool:
        return scenario_id in self._builtin

    def user_path(self, scenario_id: str) -> Path:
        return self._paths.get(scenario_id) or self.user_folder / f"{scenario_id}.toml"

    def free_id(self, base: str, taken: set[str] | None = None) -> str:
        """``base`` itself when unused, else ``base-2``, ``base-3``... (``taken``: ids other
        cards of the same import will use)."""
        stem = re.sub(r"[^a-z0-9-]+", "-", base.lower()).strip("-")[:50] or "scenario"
        candidate, n = stem, 1
        while candidate in self._builtin or candidate in self._user or candidate in (taken or ()):
            n += 1
            candidate = f"{stem}-{n}"
        return candidate

    def save(self, scenario: Scenario, replace: bool = False) -> Scenario:
        """Add a new card, or with ``replace`` overwrite the user's card with the same id.

        The card is validated again from its TOML, so what is written always loads.
        """
        card, path, text = self.prepare(scenario, replace)
        write_atomically(path, text)
        self.remember(card, path)
        return card

    def prepare(self, scenario: Scenario, replace: bool = False) -> tuple[Scenario, Path, str]:
        """The checked card, its file and its text, as ``save`` would write them."""
        card = scenario_from_dict(tomllib.loads(scenario_to_toml(scenario)), scenario.id)
        if card.id in self._builtin:
            raise ScenarioError(f"{card.id}: id: a built-in card has this id; choose another")
        if card.id in self._user and not replace:
            raise ScenarioError(f"{card.id}: id: you already have a card with this id")
        return card, self.user_path(card.id), scenario_to_toml(card)

    def remember(self, card: Scenario, path: Path) -> None:
        """Take note of a card written to ``path`` (by ``save`` or a pack's import)."""
        self._user[card.id] = card
        self._paths[card.id] = path

    def duplicate(self, scenario_id: str) -> Scenario:
        original = self.get(scenario_id)
        copy = dataclasses.replace(original, id=self.free_id(f"{original.id}-copy"))
        return self.save(copy)

    def delete(self, scenario_id: str) -> None:
        if scenario_id in self._builtin:
            raise ScenarioError(f"{scenario_id}: built-in cards cannot be deleted")
        if scenario_id not in self._user:
            raise ScenarioError(f"no scenario '{scenario_id}' of yours to delete")
        self.user_path(scenario_id).unlink(missing_ok=True)
        del self._user[scenario_id]
        self._paths.pop(scenario_id, None)
