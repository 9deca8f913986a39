"""The score and one row per check: verdict, what was measured against the target, advice, why."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLayout,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from voicemail_coach.analysis.report import Report
from voicemail_coach.app.widgets.check_row import (
    CheckRow,
    check_title,
    format_target,
    format_time,
    format_value,
    status_word,
)
from voicemail_coach.app.widgets.colors import STATUS_COLORS, STATUS_SYMBOLS, muted_text

__all__ = [
    "CheckRow",
    "Scorecard",
    "check_title",
    "format_target",
    "format_time",
    "format_value",
    "status_word",
]


class Scorecard(QWidget):
    """The report's score with a one-line summary, then a scrollable list of check rows."""

    seek_requested = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._report: Report | None = None
        self.rows: list[CheckRow] = []
        self.setAccessibleName("Scorecard")

        self.score_label = QLabel("No score yet")
        self.score_label.setAccessibleName("Score")
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 2.0)
        font.setBold(True)
        self.score_label.setFont(font)
        self.summary_label = QLabel("Analyze a voicemail to see how it did.")
        self.summary_label.setWordWrap(True)
        self.summary_label.setAccessibleName("Summary")
        self.issues_label = QLabel()
        self.issues_label.setWordWrap(True)
        self.issues_label.setAccessibleName("What to work on")
        self.issues_label.setToolTip("Click one to show its row")
        self.issues_label.linkActivated.connect(self._show_row)
        self.issues_label.hide()
        self.notes_label = QLabel()
        self.notes_label.setWordWrap(True)
        self.notes_label.setAccessibleName("Notes about the input")
        self.notes_label.hide()

        self._list = QWidget()
        self._list.setBackgroundRole(QPalette.ColorRole.Base)
        self._list.setAutoFillBackground(True)
        self._rows_layout = QVBoxLayout(self._list)
        self._rows_layout.setContentsMargins(4, 4, 4, 4)
        self._rows_layout.setSpacing(2)
        self._rows_layout.addStretch(1)
        # The list is never shorter than its rows: each time its layout is redone it sets the
        # list's minimum to the rows' total, and the scroll area sizes the list within that.
        # Without it the list took the height the scroll area last gave it, which after a new
        # report could be its viewport's (sized while the new rows were not shown yet), and the
        # rows were squeezed to fit: titles over advice, or only their coloured bars.
        self._rows_layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(self._list)
        self.scroll_area.setAccessibleName("Checks")

        # Every row opened at once (a row also opens when clicked or reached with Tab).
        self.details_button = QToolButton()
        self.details_button.setText("Show all details")
        self.details_button.setCheckable(True)
        self.details_button.setAccessibleName("Show every check's details")
        self.details_button.setToolTip("Open every check on its evidence and why it matters")
        self.details_button.toggled.connect(self._show_details)
        self.details_button.setAutoRaise(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.score_label.setContentsMargins(8, 4, 8, 0)
        self.summary_label.setContentsMargins(8, 0, 8, 2)
        self.issues_label.setContentsMargins(8, 0, 8, 4)
        self.notes_label.setContentsMargins(8, 0, 8, 4)
        # The score, with the button that opens every row at its side.
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.setSpacing(10)
        top.addWidget(self.score_label, 0, Qt.AlignmentFlag.AlignBottom)
        top.addStretch(1)
        top.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(top)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.issues_label)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.scroll_area, 1)

    def report(self) -> Report | None:
        return self._report

    def set_report(self, report: Report | None) -> None:
        self._report = report
        self._rebuild()

    def clear(self) -> None:
        self.set_report(None)

    def _rebuild(self) -> None:
        for row in self.rows:
            row.setParent(None)
            row.deleteLater()
        self.rows = []
        report = self._report
        if report is None:
            self.score_label.setText("No score yet")
            self.summary_label.setText("Analyze a voicemail to see how it did.")
            self.issues_label.hide()
            self.notes_label.hide()
            return
        if report.score is None:  # no message: the feedback page shows why instead
            self.score_label.setText("No score")
            self.summary_label.setText(report.no_message_reason or "")
            self.issues_label.hide()
            self.notes_label.hide()
            return
        color = STATUS_COLORS[
            "pass" if report.score >= 80 else "warn" if report.score >= 60 else "fail"
        ]
        muted = muted_text(self.palette()).name()
        self.score_label.setText(
            f"<span style='color:{color.name()}'>{report.score}</span>"
            f"<span style='color:{muted}; font-weight:400'> / 100</span>"
        )
        self.score_label.setAccessibleDescription(f"Score {report.score} out of 100")
        self.summary_label.setText(self.summary(report))
        issues = self._issues_html(report)
        self.issues_label.setText(issues)
        self.issues_label.setVisible(bool(issues))
        if report.warnings:
            self.notes_label.setText("\n".join(f"⚠ {w}" for w in report.warnings))
            self.notes_label.show()
        else:
            self.notes_label.hide()
        for n, check in enumerate(report.checks):
            row = CheckRow(check, shaded=n % 2 == 1)
            if self.details_button.isChecked():
                row.set_expanded(True)
            row.activated.connect(self.seek_requested)
            self._rows_layout.insertWidget(self._rows_layout.count() - 1, row)
            self.rows.append(row)
        # Rows made now would come last in the window's Tab order: put them after the list.
        previous: QWidget = self.scroll_area
        for row in self.rows:
            if row.focusPolicy() & Qt.FocusPolicy.TabFocus:
                QWidget.setTabOrder(previous, row)
                previous = row

    def _issues_html(self, report: Report) -> str:
        """The checks to fix and to improve, by name, each a link to its row."""
        groups = []
        for status, word in (("fail", "Fix"), ("warn", "Improve")):
            link = self.palette().color(QPalette.ColorRole.Link).name()
            links = [
                f"<a href='row:{n}' style='text-decoration:none; color:{link}'>"
                f"{html.escape(check_title(c)).replace(' ', '&nbsp;')}</a>"
                for n, c in enumerate(report.checks)
                if c.status == status
            ]
            if links:
                color = STATUS_COLORS[status].name()
                groups.append(
                    f"<span style='color:{color}; font-weight:600'>{STATUS_SYMBOLS[status]}"
                    f"&nbsp;{word}:</span> " + ", ".join(links)
                )
        return "&nbsp;&nbsp;&nbsp; ".join(groups)

    def _show_row(self, href: str) -> None:
        """Scroll the row to the top of the list and focus it (Enter then plays its evidence)."""
        if href.startswith("row:") and 0 <= int(href[4:]) < len(self.rows):
            row = self.rows[int(href[4:])]
            if not row.expanded:
                row.toggle()
            self.scroll_area.verticalScrollBar().setValue(row.y() - 4)
            row.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_details(self, on: bool) -> None:
        for row in self.rows:
            row.set_expanded(on)

    def visible_rows(self) -> int:
        """How many check rows are wholly in view in the list."""
        view = self.scroll_area.viewport()
        shown = view.rect()
        return sum(
            shown.contains(row.geometry().translated(self._list.pos()))
            for row in self.rows
            if row.isVisible()
        )

    @staticmethod
    def summary(report: Report) -> str:
        counts = {s: sum(c.status == s for c in report.checks) for s in ("fail", "warn", "pass")}
        parts = [f"{counts['fail']} to fix"] if counts["fail"] else []
        parts += [f"{counts['warn']} to improve"] if counts["warn"] else []
        parts.append(f"{counts['pass']} passed")
        # The page's heading names the take; here only what the scorecard adds.
        src = report.source
        kind = "" if src.path else "Written script · "
        return f"{kind}{src.duration_s:.1f} s — " + ", ".join(parts)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._report is not None:
            self._rebuild()
