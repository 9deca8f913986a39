"""Role play as the rest of the app sees it: sessions, comments at moments, rubric scores and
their totals, one row of a session's summary."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from voicemail_coach.analysis.profile import ProfileError, RubricCriterion
from voicemail_coach.analysis.profile_loader import load_profile
from voicemail_coach.storage.records import Attempt


@dataclass(frozen=True)
class Session:
    """A role-play session a coach runs with a team.

    Attributes:
        participants: Names in the coach's order (the order they take turns).
        take_count: How many takes in the library belong to the session.
    """

    id: int
    name: str
    coach: str
    created_at: str
    notes: str
    ended_at: str | None
    participants: tuple[str, ...]
    take_count: int = 0

    @property
    def active(self) -> bool:
        return self.ended_at is None


@dataclass(frozen=True)
class Comment:
    """A coach's remark pinned to a moment of a take (``at_s`` seconds from its start)."""

    id: int
    attempt_id: int
    at_s: float
    text: str
    author: str
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class RubricScore:
    """One criterion scored by hand; name and scale are copied from the profile when scored."""

    attempt_id: int
    criterion_id: str
    criterion_name: str
    score: int
    scale_min: int
    scale_max: int
    profile_name: str
    scored_at: str


@dataclass(frozen=True)
class RubricTotal:
    """The sum of the scored criteria out of the sum of their maxima."""

    points: int
    max_points: int
    scored: int
    criteria: int

    def text(self) -> str:
        """ "18/25"; "12/15 (3 of 5 scored)" when some are not scored; "" when none is."""
        if not self.scored:
            return ""
        total = f"{self.points}/{self.max_points}"
        if self.scored < self.criteria:
            total += f" ({self.scored} of {self.criteria} scored)"
        return total


@dataclass(frozen=True)
class CoachingRecord:
    """Everything a coach added to one attempt, as reports show it."""

    session: Session | None
    participant: str | None
    comments: tuple[Comment, ...]
    scores: Mapping[str, RubricScore]
    rubric: tuple[RubricCriterion, ...]

    @property
    def empty(self) -> bool:
        return not (self.session or self.participant or self.comments or self.scores)

    def total(self) -> RubricTotal:
        return rubric_total(self.rubric, self.scores)


@dataclass(frozen=True)
class SummaryRow:
    """One take of a session, with its automatic score and the coach's scores."""

    attempt: Attempt
    scores: Mapping[str, RubricScore]
    comment_count: int


def rubric_columns(
    rubric: Sequence[RubricCriterion], scores: Iterable[Mapping[str, RubricScore]]
) -> tuple[RubricCriterion, ...]:
    """The criteria of ``rubric``, then any other criterion found among ``scores`` (scored
    under another profile), built from what was stored with the score."""
    columns = {c.id: c for c in rubric}
    for by_id in scores:
        for s in by_id.values():
            if s.criterion_id not in columns:
                columns[s.criterion_id] = RubricCriterion(
                    s.criterion_id, s.criterion_name, "", s.scale_min, s.scale_max
                )
    return tuple(columns.values())


def rubric_total(
    rubric: Sequence[RubricCriterion], scores: Mapping[str, RubricScore]
) -> RubricTotal:
    """Total of ``scores`` over the criteria of ``rubric`` (see :func:`rubric_columns`)."""
    columns = rubric_columns(rubric, [scores])
    scored = [scores[c.id] for c in columns if c.id in scores]
    return RubricTotal(
        points=sum(s.score for s in scored),
        max_points=sum(s.scale_max for s in scored),
        scored=len(scored),
        criteria=len(columns),
    )


def rubric_of(
    profile_path: str | None, fallback: Sequence[RubricCriterion] | None = None
) -> tuple[RubricCriterion, ...]:
    """The rubric of the profile at ``profile_path`` (the one a report was made with).

    When that profile cannot be loaded any more (moved, broken), ``fallback``; by default the
    bundled profile's rubric.
    """
    if profile_path:
        try:
            return load_profile(profile_path).rubric
        except ProfileError:
            pass
    return tuple(fallback) if fallback is not None else load_profile().rubric


def format_clock(at_s: float) -> str:
    """Seconds as "0:12" or "1:05"."""
    whole = max(0, int(at_s))
    return f"{whole // 60}:{whole % 60:02d}"
