"""How a take compares with the one before: "+12 vs your last take" for each key figure.

Pure Python (no Qt), so the feedback view, the compare view and exports can all use it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from voicemail_coach.analysis.report import Report

if TYPE_CHECKING:
    from voicemail_coach.storage.records import Attempt

MINUS = "\u2212"
# Only for a report that records no zones at all (the Standard preset's and default pace).
LENGTH_ZONE = (20.0, 30.0)
WPM_ZONE = (130.0, 165.0)
SUFFIX = " vs your last take"


def ideal_zone(report: Report, check_id: str, default: tuple[float, float]) -> tuple[float, float]:
    """The ideal zone ``report`` judged ``check_id`` by: from its own profile and length preset,
    as recorded in the check's band (or, in a report from before bands, its target text)."""
    check = next((c for c in report.checks if c.id == check_id), None)
    if check is None:
        return default
    for band in check.bands[:1]:
        if band.ideal_min is not None and band.ideal_max is not None:
            return (band.ideal_min, band.ideal_max)
    m = re.search(r"(\d+(?:\.\d+)?)\s*[-\u2013]\s*(\d+(?:\.\d+)?)", check.target)
    return (float(m.group(1)), float(m.group(2))) if m else default


def report_zones(report: Report) -> tuple[tuple[float, float], tuple[float, float]]:
    """(length zone, words-per-minute zone) of the take's own profile and length preset."""
    return ideal_zone(report, "length", LENGTH_ZONE), ideal_zone(report, "pace", WPM_ZONE)


def zone_distance(value: float, zone: tuple[float, float]) -> float:
    """How far ``value`` is outside ``zone`` (0 inside it)."""
    low, high = zone
    return max(low - value, 0.0, value - high)


def better(
    metric: str,
    a: float | None,
    b: float | None,
    length_zone: tuple[float, float] = LENGTH_ZONE,
    wpm_zone: tuple[float, float] = WPM_ZONE,
) -> bool | None:
    """Is ``a`` better than ``b`` for ``metric`` (score, length, time_to_value, wpm, fillers)?

    None when they are as good as each other. A missing time to value (no value proposition
    heard) is worse than any time; other missing values can't be compared (None).
    """
    if metric == "time_to_value" and (a is None) != (b is None):
        return b is None
    if a is None or b is None:
        return None
    if metric == "score":
        key_a, key_b = -a, -b
    elif metric in ("time_to_value", "fillers"):
        key_a, key_b = a, b
    elif metric == "length":
        key_a, key_b = zone_distance(a, length_zone), zone_distance(b, length_zone)
    elif metric == "wpm":
        key_a, key_b = zone_distance(a, wpm_zone), zone_distance(b, wpm_zone)
    else:
        raise ValueError(f"unknown metric {metric!r}")
    if abs(key_a - key_b) < 1e-9:
        return None
    return key_a < key_b


def signed(diff: float, decimals: int) -> str:
    """``+12``, ``\u22121.5`` (with a real minus sign, U+2212), ``0``."""
    text = f"{abs(diff):.{decimals}f}"
    if float(text) == 0:
        return text
    return ("+" if diff > 0 else MINUS) + text


def deltas(
    current: Attempt,
    previous: Attempt | None,
    length_zone: tuple[float, float] = LENGTH_ZONE,
    wpm_zone: tuple[float, float] = WPM_ZONE,
) -> list[tuple[str, str, bool | None]]:
    """(figure, "+X vs your last take", better?) for score, length, time to value, words per
    minute and fillers per minute. ``better`` is True when this take did better, False when
    worse, None when the change is nil or can't be judged. Nothing when there is no earlier
    take; a figure is left out when either take lacks it (except a value proposition found
    or lost, which is said in words). Only scored messages are compared: a take that held no
    message (silence, noise, ...) has no score and is nobody's baseline."""
    if previous is None or current.score is None or previous.score is None:
        return []
    rows: list[tuple[str, str, bool | None]] = []
    figures = (
        ("Score", "score", current.score, previous.score, 0, ""),
        ("Length", "length", current.duration_s, previous.duration_s, 1, " s"),
        (
            "Time to value",
            "time_to_value",
            current.time_to_value_s,
            previous.time_to_value_s,
            1,
            " s",
        ),
        ("Words per minute", "wpm", current.wpm, previous.wpm, 0, " wpm"),
        (
            "Fillers per minute",
            "fillers",
            current.fillers_per_min,
            previous.fillers_per_min,
            1,
            "/min",
        ),
    )
    for label, metric, now, before, decimals, unit in figures:
        if metric == "time_to_value" and (now is None) != (before is None):
            if now is None:
                text = f"value not heard this time (was at {before:.1f} s)"
            else:
                text = "value heard this time (missed in your last take)"
            rows.append((label, text, better(metric, now, before)))
            continue
        if now is None or before is None:
            continue
        diff = float(now) - float(before)
        shown = signed(diff, decimals)
        if float(shown.lstrip("+" + MINUS)) == 0:
            rows.append((label, "same as your last take", None))
            continue
        judged = better(
            metric,
            round(float(now), decimals),
            round(float(before), decimals),
            length_zone,
            wpm_zone,
        )
        rows.append((label, f"{shown}{unit}{SUFFIX}", judged))
    return rows
