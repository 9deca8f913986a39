"""A check's measured value in words ("at 12.3 s", "3 found", "said twice"...): the words are
data (``resources/check_values.toml``), one entry per check; this module reads them and picks
the one that fits the value. Qt-free."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from voicemail_coach.analysis.report import Check


@dataclass(frozen=True)
class ValueWords:
    """One check's forms; each a format string with {v} (the value) and, for ``counted``, {n}."""

    format: str = "{v}"
    decimal: str | None = None  # the value is a fraction (float), not a count
    zero: str | None = None
    one: str | None = None
    counted: str | None = None  # the first band holds a count


@cache
def value_words() -> dict[str, ValueWords]:
    """Every check's forms, by check id."""
    text = resources.files("voicemail_coach.resources").joinpath("check_values.toml")
    data = tomllib.loads(text.read_text(encoding="utf-8"))
    return {check_id: ValueWords(**forms) for check_id, forms in data.items()}


def value_text(check: Check) -> str:
    """The value of a check that has a number, in its words (``format_value`` handles the
    others)."""
    v = check.value
    assert v is not None and not isinstance(v, str)
    words = value_words().get(check.id)
    if words is None:
        return f"{v:g}" if isinstance(v, float) else str(v)
    if words.decimal is not None and isinstance(v, float):
        return words.decimal.format(v=v)
    if words.zero is not None and v == 0:
        return words.zero
    if words.one is not None and v == 1:
        return words.one
    if words.counted is not None and check.bands and check.bands[0].value is not None:
        return words.counted.format(n=int(check.bands[0].value), v=v)
    return words.format.format(v=v)
