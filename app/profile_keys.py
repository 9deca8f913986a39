"""A guidance profile's table by dotted key, as validation messages name its parts
(``checks.pace.weight``, ``rubric[0].name``): read, write, and walk it for its numbers and its
lists of text. Qt-free; the profile editor (:mod:`voicemail_coach.app.widgets.profile_fields`)
keys its fields so.
"""

from __future__ import annotations

from typing import Any


def _path(key: str) -> list[str | int]:
    parts: list[str | int] = []
    for part in key.split("."):
        name, _, index = part.partition("[")
        parts.append(name)
        if index:
            parts.append(int(index.rstrip("]")))
    return parts


def get_key(data: Any, key: str) -> Any:
    """The value at a dotted key (``checks.pace.weight``, ``rubric[0].name``)."""
    for p in _path(key):
        data = data[p]
    return data


def set_key(data: Any, key: str, value: Any) -> None:
    """Replace the value at a dotted key."""
    *head, last = _path(key)
    for p in head:
        data = data[p]
    data[last] = value


def walk_numbers(data: Any, prefix: str) -> list[tuple[str, float | int]]:
    """Every number under ``prefix``, by its dotted key (tables of tables and [[arrays]])."""
    out: list[tuple[str, float | int]] = []
    if isinstance(data, dict):
        for k, v in data.items():
            out += walk_numbers(v, f"{prefix}.{k}" if prefix else k)
    elif isinstance(data, list) and all(isinstance(x, dict) for x in data):
        for i, item in enumerate(data):
            out += walk_numbers(item, f"{prefix}[{i}]")
    elif isinstance(data, int | float) and not isinstance(data, bool):
        out.append((prefix, data))
    return out


def walk_lists(data: Any, prefix: str) -> list[str]:
    """The dotted key of every list of text under ``prefix``."""
    out: list[str] = []
    if isinstance(data, dict):
        for k, v in data.items():
            out += walk_lists(v, f"{prefix}.{k}" if prefix else k)
    elif isinstance(data, list) and all(isinstance(x, str) for x in data):
        out.append(prefix)
    return out
