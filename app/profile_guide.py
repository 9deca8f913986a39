"""A guidance profile's settings in a coach's words: sections, labels, help texts and units.

Qt-free. The words are data (``resources/profile_fields.toml``); this module reads them, lays
them over one profile (each length preset gets its own fields, a key the profile lacks is left
out) and turns a validation message that names a dotted key into one that names the field
("pace.warn_over_wpm: must be at least target_max_wpm (165)" becomes "Pace · Too fast above:
must be at least “Ideal pace up to” (165)").
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

PRESETS = "length_presets[*]"
# "<source>: <dotted.key>: problem"; the key as the profile loader writes it.
KEY_IN_MESSAGE = re.compile(r"(?:^|:\s)([a-z_]+(?:\[\d+\])?(?:\.[a-z_0-9]+(?:\[\d+\])?)*):\s")


@dataclass(frozen=True)
class Unit:
    suffix: str
    minimum: float
    maximum: float
    step: float
    decimals: int


@dataclass(frozen=True)
class Field:
    key: str  # the profile's dotted key
    label: str
    help: str
    unit: Unit | None = None  # numbers only

    @property
    def is_weight(self) -> bool:
        return self.key.startswith("checks.") and self.key.endswith(".weight")


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    help: str
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class NoMessageField:
    key: str  # in [no_message]
    label: str
    help: str
    suffix: str


@dataclass(frozen=True)
class NoMessageGuide:
    """The "No message" page: its intro, its limits by group, the heading of the reasons and
    each kind of non-message's name."""

    intro: str
    groups: tuple[tuple[str, tuple[NoMessageField, ...]], ...]
    reasons_title: str
    reasons: tuple[tuple[str, str], ...]  # (kind, its name)


@dataclass(frozen=True)
class Guide:
    sections: tuple[Section, ...]  # as written, before they meet a profile
    advice_kinds: Mapping[str, str]  # a check's message key -> when it is shown
    no_message: NoMessageGuide

    def for_profile(self, data: Mapping[str, Any]) -> tuple[Section, ...]:
        """The sections with the fields ``data`` has: one set per length preset, each named."""
        out = []
        for section in self.sections:
            fields: list[Field] = []
            for f in section.fields:
                fields += _expand(f, data)
            out.append(Section(section.id, section.title, section.help, tuple(fields)))
        return tuple(out)


def _expand(field: Field, data: Mapping[str, Any]) -> list[Field]:
    if field.key.startswith(PRESETS):
        rest = field.key[len(PRESETS) + 1 :]
        out = []
        for i, preset in enumerate(data.get("length_presets", [])):
            if isinstance(preset, dict) and rest in preset:
                name = preset_name(preset)
                key = f"length_presets[{i}].{rest}"
                out.append(Field(key, field.label.format(preset=name), field.help, field.unit))
        return out
    return [field] if has_key(data, field.key) else []


def preset_name(preset: Mapping[str, Any]) -> str:
    """ "Standard" for the preset ``standard``; its label's first words for a made-up id."""
    ident = str(preset.get("id", "")).replace("_", " ").strip()
    return ident[:1].upper() + ident[1:] if ident else str(preset.get("label", "?"))


def has_key(data: Any, key: str) -> bool:
    for part in key.split("."):
        if not isinstance(data, Mapping) or part not in data:
            return False
        data = data[part]
    return True


@cache
def load_guide() -> Guide:
    text = resources.files("voicemail_coach.resources").joinpath("profile_fields.toml")
    raw = tomllib.loads(text.read_text(encoding="utf-8"))
    units = {
        name: Unit(u["suffix"], u["min"], u["max"], u["step"], int(u.get("decimals", 0)))
        for name, u in raw["units"].items()
    }
    sections = []
    for s in raw["section"]:
        fields = []
        for f in s.get("field", []):
            unit = units[f["unit"]] if "unit" in f else None
            if unit is not None and ("min" in f or "max" in f or "step" in f):
                unit = Unit(
                    unit.suffix,
                    f.get("min", unit.minimum),
                    f.get("max", unit.maximum),
                    f.get("step", unit.step),
                    int(f.get("decimals", unit.decimals)),
                )
            fields.append(Field(f["key"], f["label"], f["help"], unit))
        sections.append(Section(s["id"], s["title"], s["help"], tuple(fields)))
    nm = raw["no_message"]
    groups = tuple(
        (
            g["title"],
            tuple(
                NoMessageField(f["key"], f["label"], f["help"], f.get("suffix", ""))
                for f in g["field"]
            ),
        )
        for g in nm["group"]
    )
    reasons = dict(nm["reasons"])
    title = reasons.pop("title")
    no_message = NoMessageGuide(nm["intro"], groups, title, tuple(reasons.items()))
    return Guide(tuple(sections), dict(raw["advice_kinds"]), no_message)


def key_in(message: str) -> str | None:
    """The dotted key a validation message names, if any."""
    m = KEY_IN_MESSAGE.search(message)
    return m.group(1) if m else None


def in_words(
    message: str, labels: Mapping[str, str], places: Mapping[str, str] | None = None
) -> str:
    """``message`` with its file and dotted key replaced by the field's label (after the page it
    is on, from ``places``), and a sibling setting it names ("must be at least target_min_s
    (20)") by that one's label."""
    key = key_in(message)
    if key is None or key not in labels:
        return message
    problem = message[message.index(key + ": ") + len(key) + 2 :]
    parent = key.rpartition(".")[0]

    def sibling(m: re.Match[str]) -> str:
        other = f"{parent}.{m.group(0)}" if parent else m.group(0)
        return f"\u201c{labels[other]}\u201d" if other in labels else m.group(0)

    problem = re.sub(r"\b[a-z]+(?:_[a-z0-9]+)+\b", sibling, problem)
    place = (places or {}).get(key)
    return f"{place} \u203a {labels[key]}: {problem}" if place else f"{labels[key]}: {problem}"
