"""The exported report as one self-contained HTML document (inline CSS, no scripts, no links).

Written for two readers: web browsers, and Qt's rich-text engine (``QTextDocument``), which
renders the same markup into the PDF. So the layout sticks to what both understand: tables,
``bgcolor``, class selectors, margins and colours; no flexbox, no rounded corners.
Colours come from ``voicemail_coach.app.widgets.colors`` so highlights look the way they do in the app.
"""

from __future__ import annotations

import base64
import html
import re
from datetime import datetime

from PySide6.QtGui import QColor, QPalette

from voicemail_coach.analysis.report import Check, Moment, Report
from voicemail_coach.analysis.written import written_words
from voicemail_coach.app.dates import format_date
from voicemail_coach.app.export.coaching_html import coach_meta, coaching_html
from voicemail_coach.app.widgets.check_row import CTA_KINDS, MAX_EVIDENCE, format_time
from voicemail_coach.app.widgets.colors import (
    STATUS_COLORS,
    STATUS_SYMBOLS,
    category_color,
    category_label,
    text_highlight,
)
from voicemail_coach.app.widgets.scorecard import (
    check_title,
    format_target,
    format_value,
    status_word,
)
from voicemail_coach.app.widgets.spans import (
    Span,
    detail_spans,
    highlighted_html,
    priority,
    structure_spans,
    word_spans,
)
from voicemail_coach.storage.coaching_records import CoachingRecord

PAGE_WIDTH_PX = 660  # the text width of an A4 page with the PDF's margins, in CSS pixels
TEXT = "#1f1f1f"
MUTED = "#666666"
RULE = "#d8d8d8"
SHADE = "#f5f5f5"

CSS = f"""
body {{ font-family: 'Helvetica Neue', Helvetica, Arial, 'DejaVu Sans', sans-serif;
  font-size: 10pt; color: {TEXT}; background-color: white; line-height: 140%; }}
h1 {{ font-size: 18pt; font-weight: 600; margin: 0 0 2px 0; }}
h2 {{ font-size: 13pt; font-weight: 600; margin: 18px 0 6px 0; }}
h3 {{ font-size: 11pt; font-weight: 600; margin: 10px 0 4px 0; }}
p {{ margin: 0 0 6px 0; }}
table {{ border-collapse: collapse; }}
td {{ vertical-align: top; }}
.muted {{ color: {MUTED}; }}
.small {{ font-size: 8.5pt; }}
.score {{ font-size: 28pt; font-weight: 700; }}
.outof {{ font-size: 12pt; color: {MUTED}; }}
.mark {{ font-weight: 700; text-align: center; }}
.symbol {{ font-size: 14pt; }}
.check-title {{ font-weight: 600; }}
.transcript {{ line-height: 170%; }}
.picture {{ line-height: 100%; margin: 0; }}
.note {{ color: #8a5a00; }}
.footer {{ color: {MUTED}; font-size: 8.5pt; margin-top: 20px; }}
/* Browsers only: Qt's rich text applies just "@media screen" rules, and the PDF has its own
   page margins. */
@media all {{
  body {{ max-width: {PAGE_WIDTH_PX}px; margin: 24px auto; padding: 0 16px; }}
  .check {{ page-break-inside: avoid; }}
}}
"""


def export_palette() -> QPalette:
    """A light palette: exported reports are printed, so they always use dark text on white."""
    pal = QPalette()
    for role, color in (
        (QPalette.ColorRole.Base, "white"),
        (QPalette.ColorRole.Window, "white"),
        (QPalette.ColorRole.Text, TEXT),
        (QPalette.ColorRole.WindowText, TEXT),
        (QPalette.ColorRole.AlternateBase, SHADE),
    ):
        pal.setColor(role, QColor(color))
    return pal


def highlight_color(category: str) -> str:
    """The text background for ``category`` in exports (the app's light-theme highlight)."""
    return str(text_highlight(category, export_palette()).name())


def report_date(created_at: str | None) -> str:
    """When the take was made, as "3 March 2025, 14:05"; a report of no stored take says when
    it was exported."""
    if created_at is None:
        return f"exported {format_date(datetime.now().isoformat(), 'long')}"
    return format_date(created_at, "long")


def attention_window_s(report: Report) -> float | None:
    """The profile's value-proposition deadline, as stated in the timing check's target."""
    for c in report.checks:
        if c.id == "value_proposition_timing":
            m = re.search(r"(\d+(?:\.\d+)?)\s*s\b", c.target)
            return float(m.group(1)) if m else None
    return None


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _chip(color: str) -> str:
    return f"<span style='background-color:{color}'>&nbsp;&nbsp;&nbsp;</span>"


def _header(report: Report, title: str, created_at: str | None, who: str = "") -> str:
    score = report.score
    status = (
        "info" if score is None else "pass" if score >= 80 else "warn" if score >= 60 else "fail"
    )
    color = STATUS_COLORS[status].name()
    counts = {s: sum(c.status == s for c in report.checks) for s in ("fail", "warn", "pass")}
    parts = [f"{counts['fail']} to fix"] if counts["fail"] else []
    parts += [f"{counts['warn']} to improve"] if counts["warn"] else []
    parts.append(f"{counts['pass']} passed")
    if score is None:
        parts = [f"No voicemail message: {report.no_message_reason}"]
    meta = (
        f"{_e(report_date(created_at))} &nbsp;·&nbsp; {report.source.duration_s:.1f} s long"
        f" &nbsp;·&nbsp; profile {_e(report.profile.name)}"
    )
    return (
        "<table width='100%' cellspacing='0' cellpadding='0'><tr>"
        f"<td><h1>{_e(title)}</h1><p class='muted'>{meta}</p>"
        + (f"<p class='muted'>{who}</p>" if who else "")
        + f"<p>{_e(', '.join(parts))}</p></td>"
        "<td align='right' width='150'>"
        + (
            f"<span class='score' style='color:{color}'>{score}</span>"
            "<span class='outof'>&nbsp;/&nbsp;100</span><br>"
            if score is not None
            else f"<span class='score' style='color:{color}'>&mdash;</span><br>"
        )
        + "<span class='muted small'>score</span></td>"
        "</tr></table>"
    )


def _moment_row(category: str, moment: Moment, label: str) -> str:
    chip = _chip(category_color(category).name())
    if not moment.found or moment.start_s is None:
        said = "<span style='color:{}'><b>not found</b></span>".format(STATUS_COLORS["fail"].name())
    else:
        said = (
            f"at <b>{moment.start_s:.1f} s</b> &nbsp;<span class='muted'>“{_e(moment.text)}”</span>"
        )
    return f"<tr><td width='230'>{chip}&nbsp;&nbsp;{_e(label)}</td><td>{said}</td></tr>"


def _summary(report: Report) -> str:
    cta = report.call_to_action
    cta_label = "Call to action"
    if cta.found and cta.kind:
        cta_label += f" ({CTA_KINDS.get(cta.kind, cta.kind)})"
    rows = [
        _moment_row("value_proposition", report.value_proposition, "Value proposition"),
        _moment_row("call_to_action", cta, cta_label),
        _moment_row("opt_out", report.opt_out, "Opt-out"),
    ]
    notes = "".join(f"<p class='note'>⚠ {_e(w)}</p>" for w in report.warnings)
    if report.trimmed is not None:
        t = report.trimmed
        person = f"<br>{_e(t.person_line)}" if t.person_line else ""
        notes = (
            f"<p class='note'>Trimmed: {_e(t.summary)}; times count from the message's start."
            f"{person}</p>" + notes
        )
    return (
        "<h2>Summary</h2><table cellspacing='0' cellpadding='3'>"
        + "".join(rows)
        + "</table>"
        + notes
    )


def _check_table(check: Check, shaded: bool) -> str:
    """One check as its own one-row table, so the PDF can keep it on one page."""
    color = STATUS_COLORS.get(check.status, STATUS_COLORS["info"]).name()
    symbol = STATUS_SYMBOLS.get(check.status, "?")
    word = status_word(check)
    bg = f" bgcolor='{SHADE}'" if shaded else ""
    lines = [
        f"<span class='check-title'>{_e(check_title(check))}</span>&nbsp;&nbsp;"
        f"<span class='muted'>{_e(format_value(check))} · {_e(format_target(check))}</span>",
        _e(check.message),
    ]
    if check.evidence:
        quotes = [
            f"{format_time(e.start_s)}&nbsp;“{_e(e.text)}”" for e in check.evidence[:MAX_EVIDENCE]
        ]
        more = len(check.evidence) - MAX_EVIDENCE
        if more > 0:
            quotes.append(f"+{more} more")
        lines.append(f"<span class='muted small'>Heard: {' &nbsp; '.join(quotes)}</span>")
    why = f"Why: {_e(check.principle_title)}"
    if check.status in ("warn", "fail") and check.principle_text:
        why += f". {_e(check.principle_text)}"
    lines.append(f"<span class='muted small'>{why}</span>")
    return (
        f"<table class='check' width='100%' cellspacing='0' cellpadding='6'><tr>"
        f"<td class='mark' width='64' align='center' style='color:{color}'{bg}>"
        f"<span class='symbol'>{symbol}</span><br><span class='small'>{_e(word)}</span></td>"
        f"<td{bg}>{'<br>'.join(lines)}</td></tr></table>"
    )


def _scorecard(report: Report) -> str:
    return "<h2>Scorecard</h2>" + "".join(
        _check_table(c, n % 2 == 1) for n, c in enumerate(report.checks)
    )


def _legend(categories: set[str]) -> str:
    ordered = sorted(categories, key=lambda c: priority(Span(c, 0, 0, "")))
    chips = [
        f"<span style='background-color:{highlight_color(c)}; border: 1px solid "
        f"{category_color(c).name()}'>&nbsp;&nbsp;&nbsp;&nbsp;</span>&nbsp;"
        f"{_e(category_label(c)).replace(' ', '&nbsp;')}"
        for c in ordered
    ]
    return "<p class='muted small'>" + " &nbsp;&nbsp; ".join(chips) + "</p>"


def _transcript(report: Report) -> str:
    words = report.transcript.words
    if not words:
        return "<h2>Transcript</h2><p class='muted'>No words were recognised.</p>"
    spans = word_spans(words, structure_spans(report) + detail_spans(report))
    present = {s.category for covering in spans for s in covering}
    body = highlighted_html(
        [(sep, _e(text)) for sep, text in written_words([w.text for w in words])],
        spans,
        lambda top: (
            f"<span style='background-color:{highlight_color(top.category)}'"
            f" title='{_e(top.describe())}'>"
        ),
    )
    legend = _legend(present) if present else ""
    return f"<h2>Transcript</h2>{legend}<p class='transcript'>{body}</p>"


def _timeline(png: bytes | None, note: str) -> str:
    if png is None:
        return f"<h2>Timeline</h2><p class='muted'>{_e(note)}</p>"
    uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return (
        "<h2>Timeline</h2>"
        f"<p class='picture'><img src='{uri}' width='{PAGE_WIDTH_PX}' alt='Timeline of the voicemail: "
        "waveform with the message parts, fillers and findings' style='max-width:100%'></p>"
    )


def footer_text(report: Report) -> str:
    """How the report was made: "Analyzed locally with <model> · profile <name>"."""
    if report.model is not None:
        how = f"Analyzed locally with {report.model.name}"
    else:
        how = "Checked locally from the written script (times estimated)"
    return f"{how} · profile {report.profile.name}"


def build_report_html(
    report: Report,
    timeline_png: bytes | None,
    *,
    title: str,
    created_at: str | None = None,
    coach_notes: str | None = None,
    timeline_note: str = "No timeline picture: the recording is not available.",
    coaching: CoachingRecord | None = None,
) -> str:
    """The whole document; ``timeline_png`` is embedded as a data URI (or ``timeline_note``)."""
    notes = ""
    if coach_notes and coach_notes.strip():
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", coach_notes.strip()) if p.strip()]
        notes = "<h2>Coach notes</h2>" + "".join(
            f"<p>{_e(p).replace(chr(10), '<br>')}</p>" for p in paragraphs
        )
    message = report.is_message  # no message: the header says why; no summary, no scorecard
    body = (
        _header(report, title, created_at, coach_meta(coaching))
        + (_summary(report) if message else "")
        + _timeline(timeline_png, timeline_note)
        + coaching_html(coaching)
        + (_scorecard(report) if message else "")
        + _transcript(report)
        + notes
        + f"<p class='footer'>{_e(footer_text(report))}</p>"
    )
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{_e(title)}</title><style>{CSS}</style></head>"
        f"<body>{body}</body></html>\n"
    )
