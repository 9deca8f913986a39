"""What was trimmed before the message of a real call's recording: the feedback page's line
("Greeting 0.4-19.1 s and beep trimmed ... The greeting named Dana Cole: right person") and the
greyed lead the timeline draws before the message's start."""

from __future__ import annotations

import html

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPalette, QPen
from PySide6.QtWidgets import QLabel, QWidget

from voicemail_coach.analysis.report import Report
from voicemail_coach.app.widgets.colors import STATUS_COLORS, STATUS_SYMBOLS, blend, muted_text

# Whom the greeting named, as a check's mark: right person passes, someone else fails.
PERSON_STATUS = {"right": "pass", "other": "fail", "none": "warn"}


def person_html(report: Report) -> str:
    """The right-person verdict with its coloured mark, or "" when there is none."""
    t = report.trimmed
    line = t.person_line if t is not None else None
    if t is None or line is None or t.person is None:
        return ""
    status = PERSON_STATUS[t.person]
    color = STATUS_COLORS[status].name()
    return (
        f'<span style="color:{color}; font-weight:600;">{STATUS_SYMBOLS[status]} '
        f"{html.escape(line)}</span>"
    )


class TrimmedNote(QLabel):
    """One line above the timeline: what was trimmed, that times count from the message's
    start, and whom the greeting named. Hidden when nothing was trimmed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trimmedNote")
        self.setAccessibleName("Trimmed before the message")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def set_report(self, report: Report) -> None:
        t = report.trimmed
        if t is None:
            self.clear()
            self.hide()
            return
        what = html.escape(t.kinds[0].upper() + t.kinds[1:])
        parts = [
            f"<b>{what} trimmed:</b> the message starts {t.end_s:.1f} s into the file; times on "
            "this page count from there (0 s) \u00b7 click the grey part to hear it"
        ]
        person = person_html(report)
        if person:
            parts.append(person)
        heard = t.greeting_text.strip()
        self.setToolTip(
            f"In the file: {t.parts}.\n" + (f"Greeting heard: \u201c{heard}\u201d" if heard else "")
        )
        self.setText("<br>".join(parts))
        self.show()


def paint_lead(p: QPainter, rect: QRectF, text: str, palette: QPalette) -> None:
    """Grey out the lead (already drawn in ``rect``), mark where the message starts, say what
    the lead is."""
    window = QColor(palette.color(QPalette.ColorRole.Window))
    window.setAlphaF(0.6)
    p.fillRect(rect, window)
    hatch = blend(muted_text(palette), palette.color(QPalette.ColorRole.Base), 0.7)
    p.fillRect(rect, QBrush(hatch, Qt.BrushStyle.FDiagPattern))
    edge = rect.right()
    p.setPen(QPen(muted_text(palette), 1, Qt.PenStyle.DashLine))
    p.drawLine(QPointF(edge, rect.top()), QPointF(edge, rect.bottom()))
    fm = QFontMetricsF(p.font())
    label = fm.elidedText(text, Qt.TextElideMode.ElideRight, max(0.0, rect.width() - 8))
    if label:
        p.setPen(muted_text(palette))
        p.drawText(QPointF(rect.left() + 4, rect.top() + fm.ascent() + 1), label)
