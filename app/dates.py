"""Times as the library stores them (ISO 8601, UTC) turned into the user's local time, in the
few forms the app shows them: the one place dates are formatted, for the window, the command line
and exported files alike."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

# minute: "2025-03-12 14:05" (tables, lists); short: "12 Mar 14:05" (a narrow column);
# day: "2025-03-12"; long: "12 March 2025, 14:05" (exported reports).
DateStyle = Literal["minute", "short", "day", "long"]
_FORMATS = {"minute": "%Y-%m-%d %H:%M", "short": "%d %b %H:%M", "day": "%Y-%m-%d"}


def to_local(iso: str) -> datetime | None:
    """``iso`` as a local datetime; None when it is not an ISO 8601 time."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return None
    return moment.astimezone() if moment.tzinfo is not None else moment


def format_date(iso: str, style: DateStyle = "minute") -> str:
    """An ISO time in local time, in ``style``; text that is not an ISO time as it is."""
    when = to_local(iso)
    if when is None:
        return iso
    if style == "long":
        return f"{when.day} {when:%B %Y, %H:%M}"
    return when.strftime(_FORMATS[style])
