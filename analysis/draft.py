"""A drafted script: its parts in order (each with where its words came from), every change
tied to the check that asked for it, its length at a pace against the target; the words drafts
are written from (``resources/rewrite.toml``)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from voicemail_coach.analysis.transcript import words_from_text

PLACEHOLDER = re.compile(r"\[[^\]]*\]")


@dataclass(frozen=True)
class Change:
    """One thing the draft does differently, and the check that asked for it."""

    check_id: str
    action: str  # kept | edited | added | dropped | placeholder
    reason: str
    before: str = ""
    after: str = ""
    part: str = ""

    def to_dict(self) -> dict[str, str]:
        return {
            "check": self.check_id,
            "action": self.action,
            "reason": self.reason,
            "before": self.before,
            "after": self.after,
            "part": self.part,
        }


@dataclass(frozen=True)
class DraftPart:
    """One part of the draft: ``source`` is ``yours`` (the rep's words), ``card`` (the scenario
    card), ``template`` or ``placeholder`` (holds text in [brackets] to fill in)."""

    part: str
    text: str
    source: str


@dataclass(frozen=True)
class Draft:
    parts: tuple[DraftPart, ...]
    changes: tuple[Change, ...]
    wpm: float  # the pace the draft is timed (and the teleprompter scrolls) at
    measured_wpm: float | None  # the take's pace; None for a typed script
    estimated_s: float
    target_min_s: float
    target_max_s: float
    part_titles: Mapping[str, str] = field(default_factory=dict)
    score: int | None = None  # the draft's score checked as a written script

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.parts)

    @property
    def fits(self) -> bool:
        return self.target_min_s <= self.estimated_s <= self.target_max_s

    @property
    def placeholders(self) -> tuple[str, ...]:
        return tuple(PLACEHOLDER.findall(self.text))

    def pace_note(self) -> str:
        if self.measured_wpm is None:
            return f"timed at the profile's script pace, {self.wpm:.0f} wpm"
        if round(self.measured_wpm) == round(self.wpm):
            return f"timed at your pace in the take, {self.wpm:.0f} wpm"
        return (
            f"timed at {self.wpm:.0f} wpm: your {self.measured_wpm:.0f} wpm, "
            "brought into the profile's ideal pace"
        )

    def bullets(self) -> list[str]:
        """One short cue per part, for a rep who should not read aloud."""
        return [f"{self.part_titles.get(p.part, p.part)}: {_cue(p.text)}" for p in self.parts]

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "parts": [{"part": p.part, "text": p.text, "source": p.source} for p in self.parts],
            "changes": [c.to_dict() for c in self.changes],
            "wpm": round(self.wpm, 1),
            "measured_wpm": None if self.measured_wpm is None else round(self.measured_wpm, 1),
            "estimated_s": round(self.estimated_s, 1),
            "target_s": [self.target_min_s, self.target_max_s],
            "fits": self.fits,
            "placeholders": list(self.placeholders),
            "score": self.score,
        }


@cache
def rewrite_words() -> dict[str, Any]:
    """``resources/rewrite.toml``: templates, placeholders, reasons."""
    text = resources.files("voicemail_coach.resources").joinpath("rewrite.toml")
    return tomllib.loads(text.read_text(encoding="utf-8"))


def estimate_s(text: str, wpm: float) -> float:
    """Seconds to say ``text`` at ``wpm`` (the same timing a typed script gets)."""
    words = words_from_text(text, wpm)
    return words[-1].end_s if words else 0.0


def _cue(text: str) -> str:
    number = re.search(r"\d[\d\-]{6,}\d", text)
    if number:
        return number.group(0)
    words = text.split()
    return " ".join(words[:8]) + (" \u2026" if len(words) > 8 else "")
