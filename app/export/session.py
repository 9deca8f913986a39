"""A role-play session's summary as a file: CSV (from ``voicemail_coach.storage.coaching``), HTML or PDF.

The HTML keeps to what Qt's rich text renders (tables, colours), so the PDF is the same page.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from voicemail_coach.analysis.profile import RubricCriterion
from voicemail_coach.app.dates import format_date
from voicemail_coach.app.export.report_html import CSS, MUTED, SHADE
from voicemail_coach.app.summary_cells import headers, one_day, row_cells
from voicemail_coach.storage.coaching import Coaching
from voicemail_coach.storage.coaching_records import (
    Session,
    SummaryRow,
    rubric_columns,
    rubric_total,
)

SUMMARY_FILTER = "PDF (*.pdf);;Web page (*.html);;Spreadsheet (*.csv)"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _by_participant(rows: Sequence[SummaryRow], columns: Sequence[RubricCriterion]) -> str:
    """One line per participant: takes, average automatic score, average rubric share."""
    people: dict[str, list[SummaryRow]] = {}
    for r in rows:
        people.setdefault(r.attempt.participant or "(nobody)", []).append(r)
    lines = []
    for n, (who, takes) in enumerate(people.items()):
        autos = [t.attempt.score for t in takes if t.attempt.score is not None]
        totals = [rubric_total(columns, t.scores) for t in takes]
        shares = [t.points / t.max_points for t in totals if t.max_points]
        auto = f"{sum(autos) / len(autos):.0f}" if autos else "—"
        coach = f"{100 * sum(shares) / len(shares):.0f} %" if shares else "—"
        bg = f" bgcolor='{SHADE}'" if n % 2 else ""
        lines.append(
            f"<tr><td{bg}>{_e(who)}</td><td{bg} align='right'>{len(takes)}</td>"
            f"<td{bg} align='right'>{auto}</td><td{bg} align='right'>{coach}</td></tr>"
        )
    return (
        "<h2>By participant</h2><table cellspacing='0' cellpadding='4'>"
        "<tr><th align='left'>Participant</th><th align='right'>Takes</th>"
        "<th align='right'>Average auto score</th><th align='right'>Average rubric</th></tr>"
        + "".join(lines)
        + "</table>"
    )


def summary_html(
    session: Session, rows: Sequence[SummaryRow], rubric: Sequence[RubricCriterion]
) -> str:
    """The summary as one self-contained HTML document."""
    columns = rubric_columns(rubric, [r.scores for r in rows])
    head = headers(columns)
    same_day = one_day(rows)
    auto = head.index("Auto")
    body = []
    for n, r in enumerate(rows):
        bg = f" bgcolor='{SHADE}'" if n % 2 else ""
        when = format_date(r.attempt.created_at, "long")
        shown_when = when.rsplit(", ", 1)[-1] if same_day else when
        cells = [
            f"<b>{_e(cell.text)}</b>" if i == auto and cell.value is not None else _e(cell.text)
            for i, cell in enumerate(row_cells(r, columns, shown_when, "—"))
        ]
        body.append("<tr>" + "".join(f"<td{bg}>{c}</td>" for c in cells) + "</tr>")
    coach = f" &nbsp;·&nbsp; coach {_e(session.coach)}" if session.coach else ""
    status = (
        "running" if session.active else f"ended {_e(format_date(session.ended_at or '', 'long'))}"
    )
    notes = f"<p>{_e(session.notes)}</p>" if session.notes.strip() else ""
    scale = " &nbsp; ".join(
        f"<b>{_e(c.name)}</b> {c.scale_min}-{c.scale_max}: {_e(c.description)}" for c in columns
    )
    table = (
        "<h2>Takes</h2><table class='small' width='100%' cellspacing='0' cellpadding='3'><tr>"
        + "".join(f"<th align='left'>{_e(h)}</th>" for h in head)
        + "</tr>"
        + "".join(body)
        + "</table>"
        if rows
        else "<p class='muted'>No takes in this session yet.</p>"
    )
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>{_e(session.name)}</title><style>{CSS}</style></head><body>"
        f"<h1>{_e(session.name)}</h1>"
        f"<p class='muted'>{_e(format_date(session.created_at, 'long'))}{coach} &nbsp;·&nbsp; {status}"
        f" &nbsp;·&nbsp; {len(rows)} take{'s' if len(rows) != 1 else ''}</p>"
        f"{notes}{table}"
        + (_by_participant(rows, columns) if rows else "")
        + (f"<p class='small' style='color:{MUTED}'>{scale}</p>" if columns else "")
        + "</body></html>\n"
    )


def export_summary(
    path: str | Path, coaching: Coaching, session_id: int, rubric: Sequence[RubricCriterion]
) -> Path:
    """Write the summary as CSV, HTML or PDF, chosen by the file's extension (PDF otherwise).

    Raises:
        LibraryError: the session is gone, or a CSV cannot be written.
        OSError: an HTML or PDF file cannot be written.
    """
    from voicemail_coach.app.export.report import _write, pdf_bytes

    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".csv":
        coaching.export_summary_csv(session_id, target, rubric)
        return target
    page = summary_html(coaching.session(session_id), coaching.summary(session_id), rubric)
    if suffix in (".html", ".htm"):
        return _write(target, page.encode("utf-8"))
    return _write(target, pdf_bytes(page, "Voicemail Coach · role-play session summary"))
