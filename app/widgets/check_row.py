"""One scorecard row: verdict, what was measured against the target, advice, evidence, why."""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QEvent, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QEnterEvent,
    QFocusEvent,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QSizePolicy, QWidget

from voicemail_coach.analysis.report import Check
from voicemail_coach.app.check_values import value_text
from voicemail_coach.app.widgets.colors import (
    FINE_WORD,
    STATUS_COLORS,
    STATUS_SYMBOLS,
    STATUS_WORDS,
    blend,
    muted_text,
)

TITLES: dict[str, str] = {
    "length": "Length",
    "intro": "Introduction",
    "value_proposition": "Value proposition",
    "value_proposition_timing": "Value timing",
    "call_to_action": "Call to action",
    "opt_out": "Opt-out",
    "premature_ask": "Premature ask",
    "self_praise": "Self-praise",
    "pressure": "Pressure",
    "personalization": "Personalization",
    "phone_number": "Phone number",
    "pace": "Pace",
    "fillers": "Filler words",
    "pauses": "Pauses",
    "monotone": "Pitch variety",
    "loudness": "Loudness",
    "hesitations": "Hidden hesitations",
    "uptalk": "Rising endings",
    "rushing": "Rushing",
    "noise": "Background noise",
    "phone_line": "On the phone line",
    "scenario_name": "Prospect's name",
    "scenario_company_or_industry": "Their company or industry",
    "scenario_trigger": "Why now (trigger)",
    "scenario_relevance": "Value for this prospect",
}
CTA_KINDS = {
    "callback": "callback",
    "follow_up": "your follow-up",
    "email": "email",
    "other": "other",
}
MAX_EVIDENCE = 4


def check_title(check: Check) -> str:
    if check.id == "value_proposition_timing":
        m = re.search(r"(\d+(?:\.\d+)?)\s*s\b", check.target)
        return f"Value in first {m.group(1)} s" if m else TITLES[check.id]
    return title_of(check.id)


def title_of(check_id: str) -> str:
    """A check's title by its id alone (where no report says its target)."""
    return TITLES.get(check_id, check_id.replace("_", " ").capitalize())


def format_value(check: Check) -> str:
    """The measured value in words, with its unit."""
    v = check.value
    if v is None:
        return "not found" if check.status == "fail" else "not measured"
    if isinstance(v, str):
        return CTA_KINDS.get(v, v) if check.id == "call_to_action" else v
    return value_text(check)


def format_target(check: Check) -> str:
    """The zones that decided the mark ("ideal 20-30 s, fine 8-30 s"), else the target."""
    if check.bands:
        return check.zones_text()
    return "should be none" if check.target == "none" else f"target {check.target}"


def status_word(check: Check) -> str:
    """The mark's word: "Fine" for a pass outside the ideal zone but inside the fine one."""
    if check.status == "pass" and check.zone == "fine":
        return FINE_WORD
    return STATUS_WORDS.get(check.status, check.status)


def _keep_together(text: str) -> str:
    """Escape; short quotes don't break across lines (long ones must, to fit narrow widths)."""
    out = html.escape(text)
    return out.replace(" ", "&nbsp;") if len(text) <= 32 else out


def format_time(t_s: float) -> str:
    m, s = divmod(max(0.0, t_s), 60)
    return f"{int(m)}:{s:04.1f}"


class CheckRow(QFrame):
    """One check. Rows with evidence are focusable and clickable (they seek to the evidence).

    Compact until opened: the verdict, what was measured and the advice on one line; a click
    (or focus from the keyboard) opens it on the full advice, the evidence, how it was found
    and why it matters, so a scorecard shows many checks at a time."""

    activated = Signal(float)

    def __init__(self, check: Check, shaded: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = check
        self._shaded = shaded
        self._hover = False
        self.expanded = False
        self._pinned = False  # opened by a click (stays open), not by focus
        self.details: list[QLabel] = []
        self.seek_time: float | None = check.evidence[0].start_s if check.evidence else None
        pal = self.palette()
        muted = muted_text(pal).name()
        color = STATUS_COLORS.get(check.status, STATUS_COLORS["info"])
        title = check_title(check)
        word = status_word(check)

        grid = QGridLayout(self)
        self._grid = grid
        grid.setContentsMargins(10, 5, 10, 5)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)

        mark = QLabel(
            f"<div align='center'><span style='color:{color.name()}; font-size:13pt;"
            f" font-weight:700'>{STATUS_SYMBOLS.get(check.status, '?')}</span><br>"
            f"<span style='color:{muted}; font-size:8pt'>{word}</span></div>"
        )
        mark.setFixedWidth(52)
        mark.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        grid.addWidget(mark, 0, 0, 4, 1)

        # The title, then what was measured against what (elided on one line while closed).
        self._title = title
        self._figures = f"{format_value(check)} · {format_target(check)}"
        head = QLabel(self._head_html(self._figures))
        head.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        head.setToolTip(f"{title}: {self._figures}")
        self.head = head
        grid.addWidget(head, 0, 1)

        message = QLabel(check.message)
        message.setTextFormat(Qt.TextFormat.PlainText)
        message.setMinimumWidth(60)
        message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.message = message
        grid.addWidget(message, 1, 1)
        row = 2
        if check.evidence:
            links = [
                f"<a href='t:{e.start_s}' style='text-decoration:none'>▶&nbsp;"
                f"{format_time(e.start_s)}</a>&nbsp;<span style='color:{muted}'>"
                f"“{_keep_together(e.text)}”</span>"
                for e in check.evidence[:MAX_EVIDENCE]
            ]
            more = len(check.evidence) - MAX_EVIDENCE
            if more > 0:
                links.append(f"<span style='color:{muted}'>+{more} more</span>")
            evidence = QLabel(" &nbsp; ".join(links))
            evidence.setWordWrap(True)
            evidence.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
            evidence.linkActivated.connect(self._link)
            evidence.setAccessibleName(f"{title}: where it was heard")
            self.details.append(evidence)
            grid.addWidget(evidence, row, 1)
            row += 1
        if check.why:
            # What the verdict rests on: the rule or the model (and its closest example), or for
            # a part not found, the sentence that came closest and what it lacked.
            how = QLabel(f"How we know: {check.why}")
            how.setObjectName("checkHow")
            how.setWordWrap(True)
            how.setTextFormat(Qt.TextFormat.PlainText)
            how.setStyleSheet(f"color:{muted}")
            how.setAccessibleName(f"{title}: how it was found")
            self.details.append(how)
            grid.addWidget(how, row, 1)
            row += 1
        why = QLabel(
            f"<span style='color:{muted}'>Why: {html.escape(check.principle_title)}</span>"
        )
        why.setToolTip(f"<p>{html.escape(check.principle_text)}</p>")
        why.setWordWrap(True)
        self.details.append(why)
        grid.addWidget(why, row, 1)
        grid.setColumnStretch(1, 1)
        self.set_expanded(False)

        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.setAccessibleName(f"{title}: {word}")
        self.setAccessibleDescription(check.message)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        if self.seek_time is not None:
            self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            self.setToolTip(
                f"Click to play from {format_time(self.seek_time)} and show the details"
            )
        else:
            self.setToolTip("Click to show or hide the details")

    def set_expanded(self, expanded: bool) -> None:
        """Open the row on its full advice and details, or close it to one line."""
        self.expanded = expanded
        self.head.setWordWrap(expanded)
        self.message.setWordWrap(expanded)
        for label in self.details:
            label.setVisible(expanded)
        self._grid.setContentsMargins(10, 8 if expanded else 5, 10, 8 if expanded else 5)
        self._elide()

    def _head_html(self, figures: str) -> str:
        muted = muted_text(self.palette()).name()
        return (
            f"<b>{html.escape(self._title)}</b>&nbsp;&nbsp;"
            f"<span style='color:{muted}'>{html.escape(figures)}</span>"
        )

    def _elide(self) -> None:
        """Closed and laid out: the advice and the figures cut to the row's width with "…"."""
        text, figures = self.check.message, self._figures
        if not self.expanded and self.isVisible():
            metrics = self.message.fontMetrics()
            text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, self.message.width())
            bold = self.head.font()
            bold.setBold(True)
            title_w = QFontMetrics(bold).horizontalAdvance(self._title + "  ")
            room = max(20, self.head.width() - title_w)
            figures = metrics.elidedText(figures, Qt.TextElideMode.ElideRight, room)
        self.message.setText(text)
        self.head.setText(self._head_html(figures))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self.expanded:
            self._elide()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._elide()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        if not self.expanded:
            self.set_expanded(True)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if self.expanded and not self._pinned:
            self.set_expanded(False)

    def toggle(self) -> None:
        self._pinned = not self.expanded
        self.set_expanded(not self.expanded)

    def _link(self, href: str) -> None:
        if href.startswith("t:"):
            self.activated.emit(float(href[2:]))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            if self.seek_time is not None:
                self.activated.emit(self.seek_time)
                self._pinned = True
                self.set_expanded(True)
            else:
                self.toggle()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        keys = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)
        if self.seek_time is not None and event.key() in keys:
            self.activated.emit(self.seek_time)
            return
        super().keyPressEvent(event)

    # Enter and leave, not event(): every other event of the rows (a scorecard has twenty and
    # more, each shown, polished, laid out and painted) then stays in Qt, out of Python.
    def enterEvent(self, event: QEnterEvent) -> None:
        super().enterEvent(event)
        self._hover = self.seek_time is not None
        self.update()

    def leaveEvent(self, event: QEvent) -> None:
        super().leaveEvent(event)
        self._hover = False
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        pal = self.palette()
        base = pal.color(QPalette.ColorRole.Base)
        back = pal.color(QPalette.ColorRole.AlternateBase) if self._shaded else base
        highlight = pal.color(QPalette.ColorRole.Highlight)
        if self._hover:
            back = blend(highlight, base, 0.14)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(back)
        r = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        p.drawRoundedRect(r, 6, 6)
        stripe = QColor(STATUS_COLORS.get(self.check.status, STATUS_COLORS["info"]))
        p.setBrush(stripe)
        p.drawRoundedRect(QRectF(r.left(), r.top() + 4, 3, r.height() - 8), 1.5, 1.5)
        if self.hasFocus():
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.setPen(highlight)
            p.drawRoundedRect(r, 6, 6)
        p.end()
