"""Reading a guidance profile from TOML: built-in profiles a profile ``extends``, and tables
added after profiles were first shared; the table is then validated by
:mod:`voicemail_coach.analysis.profile_parser`, which names the file and the dotted key of the
first problem (``ProfileError``), with the name that was meant when a key is misspelt.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from voicemail_coach.analysis.profile import Profile, ProfileError
from voicemail_coach.analysis.profile_parser import ProfileParser
from voicemail_coach.analysis.tomlfile import parse_toml, read_text


def default_profile_path() -> Path:
    return Path(str(resources.files("voicemail_coach.resources.profiles").joinpath("default.toml")))


def load_profile(path: str | Path | None = None) -> Profile:
    """Load and validate a profile file; the bundled default when ``path`` is None."""
    p = Path(path) if path is not None else default_profile_path()
    return _parsed(str(p), read_text(p, ProfileError, "profile"))


# A profile is loaded again for every report the app shows (its rubric) and every analysis
# started from the history; parsing it (TOML, then every pattern compiled and checked) is the
# slow part, so the same text read from the same file gives the same Profile, which is frozen.
# The built-in profiles a profile extends do not change while the program runs.
@functools.lru_cache(maxsize=16)
def _parsed(source: str, text: str) -> Profile:
    data = parse_toml(text, Path(source), ProfileError, "profile")
    return ProfileParser(source).profile(_fill_added(resolve_extends(data, source)))


def parse_profile(data: dict[str, Any], source: str) -> Profile:
    """Validate a profile's TOML table as if it were loaded from ``source`` (the editor's check)."""
    return ProfileParser(source).profile(_fill_added(resolve_extends(data, source)))


# Tables and checks added after profiles were first shared: a profile written before them (a
# coach's copy of the old default) borrows the bundled default's instead of being refused.
ADDED_TABLES = (
    "hesitations",
    "intonation",
    "rushing",
    "quality",
    "sentences",
    "content",
    "no_message",
    "phone_line",
)
ADDED_CHECKS = ("hesitations", "uptalk", "rushing", "noise", "value_specificity", "phone_line")
# Advice for outcomes told apart later (a pass in the fine zone, not the ideal one): a profile
# written before them borrows the default's words.
ADDED_MESSAGES = {
    "length": ("pass_long",),
    "pace": ("pass_steady",),
    "fillers": ("pass_few",),
    "hesitations": ("pass_few",),
    "uptalk": ("pass_few",),
}
# Keys added to a table after the table itself: a profile written before them borrows the
# default's values.
ADDED_KEYS = {
    "content": (
        "run_on_words",
        "min_part_words",
        "part_categories",
        "pair_categories",
        "pair_floor",
        "condition_words",
    ),
}


def _fill_added(data: dict[str, Any]) -> dict[str, Any]:
    checks = data.get("checks")
    missing = [t for t in ADDED_TABLES if t not in data]
    missing_checks = [c for c in ADDED_CHECKS if isinstance(checks, dict) and c not in checks]
    missing_messages = [
        (c, v)
        for c, variants in ADDED_MESSAGES.items()
        for v in variants
        if isinstance(checks, dict) and isinstance(checks.get(c), dict) and v not in checks[c]
    ]
    missing_keys = [
        (t, k)
        for t, keys in ADDED_KEYS.items()
        for k in keys
        if isinstance(data.get(t), dict) and k not in data[t]
    ]
    if not missing and not missing_checks and not missing_messages and not missing_keys:
        return data
    default = tomllib.loads(default_profile_path().read_text(encoding="utf-8"))
    out = dict(data)
    for table in missing:
        out[table] = default[table]
    for t, k in missing_keys:
        out[t] = {**out[t], k: default[t][k]}
    if isinstance(checks, dict):
        filled = {**checks, **{c: default["checks"][c] for c in missing_checks}}
        for c, v in missing_messages:
            filled[c] = {**filled[c], v: default["checks"][c][v]}
        out["checks"] = filled
    return out


def resolve_extends(data: dict[str, Any], source: str, depth: int = 0) -> dict[str, Any]:
    """A profile with ``[profile] extends = "<built-in>"`` holds only what it changes: its
    tables are merged over the built-in profile's (lists and [[arrays]] are replaced whole)."""
    meta = data.get("profile")
    base_name = meta.get("extends") if isinstance(meta, dict) else None
    if base_name is None:
        return data
    builtin = Path(str(resources.files("voicemail_coach.resources.profiles")))
    names = sorted(f.stem for f in builtin.glob("*.toml"))
    if not isinstance(base_name, str) or base_name not in names:
        raise ProfileError(
            f"{source}: profile.extends: must name a built-in profile ({', '.join(names)})"
        )
    if depth >= 3:
        raise ProfileError(f"{source}: profile.extends: built-in profiles extend in a loop")
    base_path = builtin / f"{base_name}.toml"
    base = tomllib.loads(base_path.read_text(encoding="utf-8"))
    merged = _merge(resolve_extends(base, str(base_path), depth + 1), data)
    del merged["profile"]["extends"]
    return merged


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out
