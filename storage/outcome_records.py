"""Outcomes of real voicemails and script variants as the rest of the app sees them: the
records :mod:`voicemail_coach.storage.outcomes` keeps, the limits on their text, and what merging
pooled results (:mod:`voicemail_coach.storage.pooled_results`) did."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from voicemail_coach.analysis.lab import FIGURES, OUTCOME_LABELS

FIGURE_IDS = tuple(f[0] for f in FIGURES)
MAX_NAME = 80
MAX_TEXT = 20_000
MAX_NOTE = 2_000


@dataclass(frozen=True)
class VariantVersion:
    uid: str
    variant_uid: str
    number: int
    text: str
    author: str
    created_at: str

    def as_plain(self) -> dict[str, Any]:
        """The version as plain data (a pack's results, the CLI's JSON)."""
        return {
            "uid": self.uid,
            "number": self.number,
            "text": self.text,
            "author": self.author,
            "created_at": self.created_at,
        }


@dataclass(frozen=True)
class Variant:
    """A named script and its versions, oldest first."""

    uid: str
    name: str
    created_at: str
    versions: tuple[VariantVersion, ...]

    @property
    def latest(self) -> VariantVersion:
        return self.versions[-1]


@dataclass(frozen=True)
class Outcome:
    """What happened to a message. ``attempt_id`` is None for one pooled from another library."""

    uid: str
    message_uid: str
    attempt_id: int | None
    kind: str
    outcome_date: str
    note: str
    recorded_at: str

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self.kind]


@dataclass(frozen=True)
class MergeSummary:
    """What merging pooled results did (labels of the items)."""

    added: tuple[str, ...] = ()
    replaced: tuple[str, ...] = ()
    renamed: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
