"""The coach's part of an exported report: who recorded the take, rubric scores, comments.

HTML in the same restricted style as ``voicemail_coach.app.export.report_html`` (tables and colours only), so it reads
the same in a browser and in the PDF.
"""

from __future__ import annotations

import html

from voicemail_coach.app.widgets.colors import STATUS_COLORS
from voicemail_coach.storage.coaching_records import CoachingRecord, format_clock

MUTED = "#666666"
SHADE = "#f5f5f5"
MARKER = "#6a4c93"  # the comment markers' colour on the timeline picture


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def coach_meta(record: CoachingRecord | None) -> str:
    """ "Recorded by Ann · session Drill, coach Dana" (HTML-escaped), or ""."""
    if record is None:
        return ""
    parts = []
    if record.participant:
        parts.append(f"recorded by {_e(record.participant)}")
    if record.session is not None:
        coach = f", coach {_e(record.session.coach)}" if record.session.coach else ""
        parts.append(f"session {_e(record.session.name)}{coach}")
    text = " &nbsp;·&nbsp; ".join(parts)
    return text[:1].upper() + text[1:]


def _dots(score: int, low: int, high: int) -> str:
    filled = score - low + 1
    return "●" * filled + "○" * (high - low + 1 - filled)


def _rubric(record: CoachingRecord) -> str:
    if not record.scores:
        return ""
    rows = []
    for n, c in enumerate(record.rubric):
        bg = f" bgcolor='{SHADE}'" if n % 2 else ""
        s = record.scores.get(c.id)
        if s is None:
            mark = f"<span style='color:{MUTED}'>not scored</span>"
        else:
            mark = (
                f"<b>{s.score}</b>&nbsp;/&nbsp;{s.scale_max} &nbsp;"
                f"<span style='color:{MARKER}'>{_dots(s.score, s.scale_min, s.scale_max)}</span>"
            )
        about = f"<span class='muted small'>{_e(c.description)}</span>"
        rows.append(
            f"<tr><td{bg} width='130'><b>{_e(c.name)}</b></td>"
            f"<td{bg} width='120'>{mark}</td><td{bg}>{about}</td></tr>"
        )
    total = record.total()
    if total.scored:
        ratio = total.points / total.max_points if total.max_points else 0.0
        status = "pass" if ratio >= 0.8 else "warn" if ratio >= 0.6 else "fail"
        rows.append(
            f"<tr><td><b>Total</b></td><td colspan='2'><b style='color:"
            f"{STATUS_COLORS[status].name()}'>{_e(total.text())}</b></td></tr>"
        )
    return (
        "<h3>Rubric</h3><table class='rubric' width='100%' cellspacing='0' cellpadding='5'>"
        + "".join(rows)
        + "</table>"
    )


def _comments(record: CoachingRecord) -> str:
    if not record.comments:
        return "<h3>Comments</h3><p class='muted'>No comments on this take.</p>"
    rows = []
    for n, c in enumerate(record.comments, start=1):
        bg = f" bgcolor='{SHADE}'" if n % 2 == 0 else ""
        author = f"<br><span class='muted small'>{_e(c.author)}</span>" if c.author else ""
        text = _e(c.text).replace("\n", "<br>")
        rows.append(
            f"<tr><td{bg} width='70'><b style='color:{MARKER}'>{n}</b>&nbsp;&nbsp;"
            f"<b>{format_clock(c.at_s)}</b></td><td{bg}>{text}{author}</td></tr>"
        )
    return (
        "<h3>Comments <span class='muted small' style='font-weight:400'>(numbered as on the timeline)</span></h3>"
        "<table class='comments' width='100%' cellspacing='0' cellpadding='5'>"
        + "".join(rows)
        + "</table>"
    )


def coaching_html(record: CoachingRecord | None) -> str:
    """The "Coach's review" section, or "" when the coach added nothing."""
    if record is None or not (record.comments or record.scores):
        return ""
    return "<h2>Coach's review</h2>" + _rubric(record) + _comments(record)
