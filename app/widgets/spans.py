"""What the report says happened when, as coloured spans: shared by the transcript and timeline.

No analysis here: it only reads the report's moments, findings, fillers and pauses.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from voicemail_coach.analysis.report import Moment, Report, ReportWord
from voicemail_coach.app.widgets.colors import category_label

STRUCTURE = ("intro", "value_proposition", "call_to_action", "opt_out")
FINDINGS = ("premature_ask", "self_praise", "pressure", "personalization")
# When spans overlap, the most specific wins the highlight (first here).
PRIORITY = (
    "filler",
    "pressure",
    "self_praise",
    "premature_ask",
    "personalization",
    "value_proposition",
    "call_to_action",
    "opt_out",
    "intro",
    "pause",
)
CHECK_FOR = {
    "intro": "intro",
    "value_proposition": "value_proposition",
    "call_to_action": "call_to_action",
    "opt_out": "opt_out",
    "filler": "fillers",
    "premature_ask": "premature_ask",
    "self_praise": "self_praise",
    "pressure": "pressure",
    "personalization": "personalization",
    "pause": "pauses",
}
PAUSE_KINDS = {
    "pause": "Pause",
    "long": "Long silence",
    "dead_air_start": "Dead air at the start",
    "dead_air_end": "Dead air at the end",
}
TOLERANCE_S = 0.015


@dataclass(frozen=True)
class Span:
    category: str
    start_s: float
    end_s: float
    text: str
    principle: str = ""
    label: str = ""

    @property
    def title(self) -> str:
        return self.label or category_label(self.category)

    def describe(self, max_chars: int = 90) -> str:
        """e.g. "Self-praise: 'clients love it' — Value, not pitch"."""
        text = self.text if len(self.text) <= max_chars else self.text[: max_chars - 1] + "…"
        out = f"{self.title}: '{text}'" if text else self.title
        return f"{out} — {self.principle}" if self.principle else out

    def contains(self, t_s: float) -> bool:
        return self.start_s - TOLERANCE_S <= t_s <= self.end_s + TOLERANCE_S


def _principle(report: Report, category: str) -> str:
    check_id = CHECK_FOR.get(category)
    found = [c for c in report.checks if c.id == check_id]
    return found[0].principle_title if found else ""


def _moment_span(report: Report, category: str, m: Moment) -> Span | None:
    if not m.found or m.start_s is None or m.end_s is None:
        return None
    text = m.text.rstrip(".!? ")
    return Span(category, m.start_s, m.end_s, text, _principle(report, category))


def structure_spans(report: Report) -> list[Span]:
    """Intro, value proposition, call to action and opt-out: each its whole sentence."""
    moments = [getattr(report, name) for name in STRUCTURE]
    spans = [_moment_span(report, name, m) for name, m in zip(STRUCTURE, moments, strict=True)]
    return [s for s in spans if s is not None]


def detail_spans(report: Report) -> list[Span]:
    """Fillers and findings (self-praise, premature asks, pressure, personalization)."""
    out = [
        Span("filler", f.start_s, f.end_s, f.text, _principle(report, "filler"))
        for f in report.delivery.fillers
    ]
    out += [
        Span(f.category, f.start_s, f.end_s, f.text, _principle(report, f.category))
        for f in report.findings
    ]
    return sorted(out, key=lambda s: (s.start_s, s.end_s))


def pause_spans(report: Report) -> list[Span]:
    return [
        Span(
            "pause",
            p.start_s,
            p.end_s,
            "",
            label=f"{PAUSE_KINDS.get(p.kind, 'Pause')} ({p.duration_s:.1f} s)",
        )
        for p in report.delivery.pauses
    ]


def priority(span: Span) -> int:
    return PRIORITY.index(span.category) if span.category in PRIORITY else len(PRIORITY)


def word_spans(words: Sequence[ReportWord], spans: Sequence[Span]) -> list[list[Span]]:
    """For each word, the spans its time falls inside (its midpoint), most specific first."""
    out: list[list[Span]] = []
    for w in words:
        mid = (w.start_s + w.end_s) / 2
        inside = [s for s in spans if s.contains(mid)]
        out.append(sorted(inside, key=priority))
    return out


def highlighted_html(
    words_html: Sequence[tuple[str, str]],
    spans: Sequence[Sequence[Span]],
    open_tag: Callable[[Span], str],
) -> str:
    """The words (``(separator before it, the word as HTML)``, see
    ``analysis.written.written_words``) in a line, each run of words under the same top span
    wrapped in ``open_tag(span)`` ... ``</span>``: the transcript's highlighting, on screen and
    in exported reports."""
    parts: list[str] = []
    open_cat: str | None = None
    for i, (sep, word) in enumerate(words_html):
        top = spans[i][0] if spans[i] else None
        cat = top.category if top else None
        if cat != open_cat:
            if open_cat is not None:
                parts.append("</span>")
            parts.append(sep)
            if top is not None:
                parts.append(open_tag(top))
            open_cat = cat
        else:
            parts.append(sep)
        parts.append(word)
    if open_cat is not None:
        parts.append("</span>")
    return "".join(parts)


def word_at(words: Sequence[ReportWord], starts: Sequence[float], t_s: float) -> int | None:
    """The index of the word being said at ``t_s`` (the last one started), or None in a gap."""
    i = bisect_right(starts, t_s) - 1
    if i < 0:
        return None
    w = words[i]
    # Keep the word lit through short gaps so the highlight doesn't flicker between words.
    next_start = starts[i + 1] if i + 1 < len(starts) else w.end_s + 0.3
    return i if t_s <= max(w.end_s + 0.3, min(next_start, w.end_s + 0.6)) else None
