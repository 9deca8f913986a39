"""Times as the library stores them (ISO 8601, UTC) turned into the user's local time."""

from __future__ import annotations

from datetime import datetime


def to_local(iso: str) -> datetime | None:
    """``iso`` as a local datetime; None when it is not an ISO 8601 time."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return None
    return moment.astimezone() if moment.tzinfo is not None else moment
