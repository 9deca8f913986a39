"""The A/B lab: which message gets returned, read honestly from a team's own outcomes.

Pure functions over plain records (no database, no Qt): the library gathers
:class:`LabMessage` records (``voicemail_coach.storage.outcomes``) and :func:`run_lab` turns them
into per-variant rates with 95 % Wilson intervals (:mod:`voicemail_coach.analysis.intervals`), a plain-language reading, and which figures
and checks differ between returned and unreturned messages, each with its interval.

The rules, and why:

- A message counts as *returned* when it was called back, answered by email or got a meeting;
  *unreturned* when nothing came back. A message that reached the wrong person says nothing
  about the script, so it is counted but left out of every rate.
- A variant's rate is read only from :data:`MIN_PER_VARIANT` (20) messages with a known outcome:
  even at 20 a rate near half is known only to about 20 points either way (10 of 20 is 30-70 %),
  and two such rates can be told apart only when they are far apart.
- A variant is called ahead only when both tests agree: a two-proportion z-test (pooled,
  two-sided) gives p < 0.05 *and* the 95 % interval of the difference (Newcombe's hybrid score
  interval, built from the two Wilson intervals) excludes zero. Otherwise the reading says the
  difference could still be chance. Only the leader and the runner-up are compared.
- Returned and unreturned messages are compared on a figure only when each side has
  :data:`MIN_PER_GROUP` (10) messages with that figure: the difference of means with a Welch
  t interval, or of shares (a call-to-action kind, a check passed) with Newcombe's interval.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from itertools import chain
from typing import Any

from voicemail_coach.analysis.intervals import (
    Interval,
    newcombe,
    percent,
    two_proportion_p,
    welch,
    wilson,
)

OUTCOME_KINDS = ("called_back", "email_reply", "meeting", "none", "wrong_person")
OUTCOME_LABELS = {
    "called_back": "called back",
    "email_reply": "replied by email",
    "meeting": "meeting booked",
    "none": "no response",
    "wrong_person": "wrong person",
}
RETURNED = frozenset({"called_back", "email_reply", "meeting"})
UNRETURNED = "none"
EXCLUDED = "wrong_person"

ALPHA = 0.05
MIN_PER_VARIANT = 20
MIN_PER_GROUP = 10
NO_VARIANT = "(no variant)"

# Figures compared between returned and unreturned messages: id, label, unit.
FIGURES = (
    ("duration_s", "Length", "s"),
    ("time_to_value_s", "Time to value", "s"),
    ("wpm", "Pace", "wpm"),
    ("fillers_per_min", "Fillers", "per min"),
    ("score", "Score", "points"),
)


@dataclass(frozen=True)
class LabMessage:
    """One message with a known outcome, as the lab sees it.

    Attributes:
        kind: The outcome, one of :data:`OUTCOME_KINDS`.
        variant: The script variant's name; None when the message is linked to none.
        version: The variant's version number.
        figures: The figures of :data:`FIGURES` (None when the report has none).
        cta_kind: The call to action's kind (``callback``, ``email``...), None if none found.
        checks: Each check's status (``pass``, ``warn``, ``fail``, ``info``) by check id.
    """

    kind: str
    variant: str | None = None
    version: int | None = None
    figures: Mapping[str, float | None] = field(default_factory=dict)
    cta_kind: str | None = None
    checks: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class VariantRow:
    """A variant's counts and rates. ``known``: messages returned or unreturned (the rates'
    denominator); ``enough``: at least :data:`MIN_PER_VARIANT` of them."""

    name: str
    versions: tuple[int, ...]
    counts: Mapping[str, int]
    known: int
    returned: Interval
    rates: Mapping[str, Interval]
    enough: bool


@dataclass(frozen=True)
class Comparison:
    """The leader against the runner-up: difference of rates (leader minus runner-up) with its
    Newcombe interval, the z-test's p value, and whether the leader may be called ahead."""

    leader: str
    runner_up: str
    difference: float
    low: float
    high: float
    p_value: float
    ahead: bool


@dataclass(frozen=True)
class Difference:
    """A figure or share, returned minus unreturned, with its 95 % interval.

    ``kind`` is ``"mean"`` (a figure: Welch t interval) or ``"share"`` (a call-to-action kind or a
    check passed: Newcombe interval). ``enough`` is False below :data:`MIN_PER_GROUP` on a side;
    ``differs``: enough, and the interval excludes zero.
    """

    id: str
    label: str
    unit: str
    kind: str
    returned_n: int
    unreturned_n: int
    returned: float | None
    unreturned: float | None
    difference: float | None
    low: float | None
    high: float | None
    enough: bool
    differs: bool
    text: str


@dataclass(frozen=True)
class LabResult:
    variants: tuple[VariantRow, ...]
    comparison: Comparison | None
    reading: str
    differences: tuple[Difference, ...]
    differences_note: str
    messages: int
    excluded: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def run_lab(messages: Iterable[LabMessage]) -> LabResult:
    """Per-variant rates, the reading, and returned-vs-unreturned differences."""
    items = [m for m in messages if m.kind in OUTCOME_KINDS]
    rows = _variant_rows(items)
    named = [r for r in rows if r.name != NO_VARIANT]
    comparison = _compare(named)
    reading = _reading(items, rows, named, comparison)
    known = [m for m in items if m.kind != EXCLUDED]
    differences = _differences(known)
    compared = sum(d.enough for d in differences)
    note = (
        f"{compared} figures and shares compared: at the 95 % level about one in twenty "
        "comparisons looks different by chance alone, so read a single difference as a lead "
        "to test, not a proof."
        if compared
        else f"Not enough data yet: each side needs at least {MIN_PER_GROUP} messages "
        "(returned and unreturned) before a figure is compared."
    )
    return LabResult(
        variants=tuple(rows),
        comparison=comparison,
        reading=reading,
        differences=tuple(differences),
        differences_note=note,
        messages=len(items),
        excluded=len(items) - len(known),
    )


def _variant_rows(items: Sequence[LabMessage]) -> list[VariantRow]:
    groups: dict[str, list[LabMessage]] = {}
    for m in items:
        groups.setdefault(m.variant or NO_VARIANT, []).append(m)
    rows = []
    for name, group in groups.items():
        counted = Counter(m.kind for m in group)
        counts = {kind: counted[kind] for kind in OUTCOME_KINDS}
        known = len(group) - counts[EXCLUDED]
        returned = sum(counts[k] for k in RETURNED)
        rows.append(
            VariantRow(
                name=name,
                versions=tuple(sorted({m.version for m in group if m.version is not None})),
                counts=counts,
                known=known,
                returned=wilson(returned, known),
                rates={k: wilson(counts[k], known) for k in OUTCOME_KINDS if k != EXCLUDED},
                enough=known >= MIN_PER_VARIANT,
            )
        )
    rows.sort(key=lambda r: (r.name == NO_VARIANT, r.name.casefold()))
    return rows


def _compare(named: Sequence[VariantRow]) -> Comparison | None:
    ranked = sorted(
        (r for r in named if r.known), key=lambda r: (-(r.returned.rate or 0.0), -r.known)
    )
    if len(ranked) < 2:
        return None
    first, second = ranked[0], ranked[1]
    d, low, high = newcombe(first.returned, second.returned)
    p = two_proportion_p(first.returned.k, first.known, second.returned.k, second.known)
    ahead = first.enough and second.enough and d > 0 and p < ALPHA and low > 0
    return Comparison(first.name, second.name, d, low, high, p, ahead)


def _reading(
    items: Sequence[LabMessage],
    rows: Sequence[VariantRow],
    named: Sequence[VariantRow],
    comparison: Comparison | None,
) -> str:
    if not items:
        return (
            "No outcomes yet: record what happened to the real voicemails you left "
            "(called back, email reply, meeting, no response, wrong person)."
        )
    with_outcomes = [r for r in named if r.known]
    if not with_outcomes:
        return (
            "No script variant has outcomes yet: link your messages to a variant to compare "
            "scripts. " + "; ".join(f"{r.name}: {r.returned.text()} returned" for r in rows) + "."
        )
    if len(with_outcomes) == 1:
        only = with_outcomes[0]
        return (
            f"Only {only.name} has outcomes ({only.returned.text()} returned): there is "
            "nothing to compare it with yet."
        )
    assert comparison is not None
    first = next(r for r in named if r.name == comparison.leader)
    second = next(r for r in named if r.name == comparison.runner_up)
    short = [r for r in (first, second) if not r.enough]
    figures = f"{first.returned.text()} returned against {second.returned.text()}"
    if short:
        have = " and ".join(f"{r.name} has {r.known}" for r in short)
        return (
            f"Not enough data yet: {have} message{'s' if short[-1].known != 1 else ''} with a "
            f"known outcome; each variant needs at least {MIN_PER_VARIANT} before their rates "
            f"are compared (even then 10 of 20 is 30-70 % at 95 %). So far "
            f"{first.name}: {first.returned.text()}; {second.name}: {second.returned.text()}."
        )
    if comparison.difference == 0:
        return (
            f"{first.name} and {second.name} are level so far: {figures}. No difference to "
            "read yet."
        )
    test = (
        f"two-proportion z-test p = {comparison.p_value:.3f}; difference "
        f"{_points(comparison.difference)}, 95 % interval {_span(comparison.low, comparison.high)}"
    )
    if comparison.ahead:
        return (
            f"{first.name} is ahead of {second.name}: {figures}. The difference is unlikely to "
            f"be chance ({test})."
        )
    return (
        f"{first.name} is ahead of {second.name}, but the difference could still be chance: "
        f"{figures} ({test}). Keep collecting outcomes."
    )


def _differences(known: Sequence[LabMessage]) -> list[Difference]:
    """Counted with ``Counter`` over each side (the lab opens on 10,000 messages)."""
    returned = [m for m in known if m.kind in RETURNED]
    unreturned = [m for m in known if m.kind == UNRETURNED]
    out = []
    for figure_id, label, unit in FIGURES:
        a = [float(v) for m in returned if (v := m.figures.get(figure_id)) is not None]
        b = [float(v) for m in unreturned if (v := m.figures.get(figure_id)) is not None]
        out.append(_mean_difference(figure_id, label, unit, a, b))
    cta = [Counter(m.cta_kind for m in side) for side in (returned, unreturned)]
    for kind in sorted(k for k in cta[0].keys() | cta[1].keys() if k):
        out.append(
            _share_difference(
                f"cta:{kind}",
                f"Call to action: {kind}",
                cta[0][kind],
                len(returned),
                cta[1][kind],
                len(unreturned),
            )
        )
    # (check id, status) pairs counted per side; "info" checks do not count.
    statuses = [
        Counter(chain.from_iterable(m.checks.items() for m in side))
        for side in (returned, unreturned)
    ]
    n: list[Counter[str]] = [Counter(), Counter()]
    for side, counted in enumerate(statuses):
        for (check_id, status), count in counted.items():
            if status != "info":
                n[side][check_id] += count
    for check_id in sorted(n[0].keys() | n[1].keys()):
        out.append(
            _share_difference(
                f"check:{check_id}",
                f"Check passed: {check_id}",
                statuses[0][(check_id, "pass")],
                n[0][check_id],
                statuses[1][(check_id, "pass")],
                n[1][check_id],
            )
        )
    return out


def _mean_difference(
    figure_id: str, label: str, unit: str, a: Sequence[float], b: Sequence[float]
) -> Difference:
    enough = len(a) >= MIN_PER_GROUP and len(b) >= MIN_PER_GROUP
    ma = sum(a) / len(a) if a else None
    mb = sum(b) / len(b) if b else None
    if not enough:
        text = _too_few(label, len(a), len(b))
        return Difference(
            figure_id, label, unit, "mean", len(a), len(b), ma, mb, None, None, None, False, False,
            text,
        )  # fmt: skip
    d, low, high = welch(a, b)
    differs = low > 0 or high < 0
    text = (
        f"{label}: returned {ma:.1f} {unit}, unreturned {mb:.1f} {unit}; difference "
        f"{signed(d)} {unit} (95 % interval {signed(low)} to {signed(high)})"
        + (": differs." if differs else ": could be chance.")
    )
    return Difference(
        figure_id, label, unit, "mean", len(a), len(b), ma, mb, d, low, high, True, differs, text
    )


def _share_difference(share_id: str, label: str, ka: int, na: int, kb: int, nb: int) -> Difference:
    enough = na >= MIN_PER_GROUP and nb >= MIN_PER_GROUP
    ra = ka / na if na else None
    rb = kb / nb if nb else None
    if not enough:
        return Difference(
            share_id, label, "share", "share", na, nb, ra, rb, None, None, None, False, False,
            _too_few(label, na, nb),
        )  # fmt: skip
    d, low, high = newcombe(wilson(ka, na), wilson(kb, nb))
    differs = low > 0 or high < 0
    text = (
        f"{label}: returned {ka} of {na} ({percent(ka / na)}), unreturned {kb} of {nb} "
        f"({percent(kb / nb)}); difference {_points(d)} (95 % interval {_span(low, high)})"
        + (": differs." if differs else ": could be chance.")
    )
    return Difference(
        share_id, label, "share", "share", na, nb, ra, rb, d, low, high, True, differs, text
    )


def _too_few(label: str, na: int, nb: int) -> str:
    return (
        f"{label}: not enough data yet ({na} returned, {nb} unreturned; at least "
        f"{MIN_PER_GROUP} each)."
    )


def signed(value: float) -> str:
    """A difference with its sign: one decimal, two below 1 (so -0.04 does not read -0.0)."""
    return f"{value:+.2f}" if abs(value) < 1 else f"{value:+.1f}"


def _points(value: float) -> str:
    return f"{value * 100:+.0f} points"


def _span(low: float, high: float) -> str:
    return f"{low * 100:+.0f} to {high * 100:+.0f} points"
