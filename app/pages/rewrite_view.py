"""The Rewrite page: the take's words beside a tighter draft, every change tied to the check
that asked for it, and the way to record the next take with the draft on a teleprompter."""

from __future__ import annotations

import html
from collections.abc import Collection

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from voicemail_coach.analysis.draft import PLACEHOLDER, Draft
from voicemail_coach.analysis.report import Report
from voicemail_coach.app.widgets.check_row import TITLES
from voicemail_coach.app.widgets.colors import CATEGORY_COLORS

SOURCES = {
    "yours": "your words",
    "card": "scenario card",
    "template": "added",
    "placeholder": "fill in",
}
ACTIONS = {"kept": "Kept", "edited": "Edited", "added": "Added", "dropped": "Dropped",
           "placeholder": "To fill in"}  # fmt: skip
BAD = ("self_praise", "pressure", "premature_ask")


def _box(title: str, *widgets: QWidget) -> QWidget:
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(4)
    column.addWidget(QLabel(f"<b>{title}</b>"))
    for widget in widgets:
        column.addWidget(widget, 1 if widget is widgets[0] else 0)
    return box


class Placeholders(QSyntaxHighlighter):
    """The parts in [brackets] the rep should fill in, marked as they type."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.mark = QTextCharFormat()
        self.mark.setBackground(QColor("#fff0b3"))

    def highlightBlock(self, text: str) -> None:
        for m in PLACEHOLDER.finditer(text):
            self.setFormat(m.start(), m.end() - m.start(), self.mark)


class RewriteView(QWidget):
    back = Signal()
    record = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.draft: Draft | None = None
        self.title = QLabel("Rewrite")
        self.title.setObjectName("pageTitle")
        self.summary = QLabel("Drafting\u2026")
        self.summary.setObjectName("rewriteSummary")
        self.summary.setWordWrap(True)
        self.back_button = QPushButton("Back to feedback")
        self.back_button.clicked.connect(self.back.emit)
        self.copy_button = QPushButton("Copy script")
        self.copy_button.setToolTip("Copy the draft to the clipboard")
        self.copy_button.clicked.connect(self.copy)
        self.record_button = QPushButton("Record with this script")
        self.record_button.setObjectName("recordWithScript")
        self.record_button.setDefault(True)
        self.record_button.setToolTip(
            "Record the next take with the draft on a teleprompter, scrolling at the target pace"
        )
        self.record_button.clicked.connect(self.record.emit)
        self.original = QTextBrowser()
        self.original.setAccessibleName("Your take")
        # The draft, one part a paragraph, editable: the rep fills in the placeholders here.
        self.script = QPlainTextEdit()
        self.script.setAccessibleName("Draft script")
        self.script.setToolTip("Edit the draft here; the teleprompter shows it as you leave it")
        self.highlighter = Placeholders(self.script.document())
        self.parts_note = QLabel()
        self.parts_note.setObjectName("draftParts")
        self.parts_note.setWordWrap(True)
        self.changes = QTextBrowser()
        self.changes.setAccessibleName("Changes and the checks that asked for them")
        for view in (self.original, self.script):
            font = view.font()
            font.setPointSizeF(font.pointSizeF() * 1.1)
            view.setFont(font)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.back_button)
        header.addWidget(self.copy_button)
        header.addWidget(self.record_button)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(_box("Your take", self.original))
        split.addWidget(_box("Draft (edit it here)", self.script, self.parts_note))
        split.addWidget(_box("Changes, and the check behind each", self.changes))
        split.setSizes([300, 420, 420])
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setSpacing(6)
        layout.addLayout(header)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)

    def show_waiting(self, report: Report) -> None:
        self.draft = None
        self.record_button.setEnabled(False)
        self.summary.setText("Drafting a tighter script\u2026")
        self.original.setHtml(_original_html(report))
        self.script.clear()
        self.parts_note.clear()
        self.changes.clear()

    def show_draft(self, draft: Draft, report: Report) -> None:
        self.draft = draft
        self.record_button.setEnabled(True)
        fit = "fits" if draft.fits else "is outside"
        score = ""
        if draft.score is not None:
            score = f" \u00b7 as a written script it scores <b>{draft.score}</b>"
            if report.score is not None:
                score += f" (this take: {report.score})"
        self.summary.setText(
            f"About <b>{draft.estimated_s:.0f} s</b>: it {fit} the {draft.target_min_s:g}-"
            f"{draft.target_max_s:g} s target, {html.escape(draft.pace_note())}{score}."
            + (" Fill in the parts in [brackets] before you record." if draft.placeholders else "")
        )
        dropped = {c.before for c in draft.changes if c.action == "dropped"}
        self.original.setHtml(_original_html(report, dropped))
        self.script.setPlainText("\n\n".join(p.text for p in draft.parts))
        self.parts_note.setText(_parts_html(draft))
        self.changes.setHtml(_changes_html(draft))

    def script_parts(self) -> list[str]:
        """The script as the rep left it: one part a paragraph."""
        text = self.script.toPlainText()
        return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]

    def bullets(self) -> list[str]:
        """The draft's cues, or (once the rep changed the text) each paragraph's first words."""
        parts = self.script_parts()
        if self.draft is not None and parts == [p.text for p in self.draft.parts]:
            return self.draft.bullets()
        return [" ".join(p.split()[:8]) + (" \u2026" if len(p.split()) > 8 else "") for p in parts]

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(" ".join(self.script_parts()))


def _original_html(report: Report, dropped: Collection[str] = ()) -> str:
    """The take's sentences; the bad findings struck through in their colour, the sentences
    the draft leaves out greyed."""
    out = []
    for s in report.sentences:
        text = html.escape(s.text)
        if s.text in dropped and not set(s.labels) & set(BAD):
            out.append(f'<p style="color:#8a8f98; text-decoration:line-through">{text}</p>')
            continue
        for f in report.findings:
            if f.category in BAD and f.text and html.escape(f.text) in text:
                color = CATEGORY_COLORS[f.category].name()
                text = text.replace(
                    html.escape(f.text),
                    f'<span style="color:{color}; text-decoration:line-through">'
                    f"{html.escape(f.text)}</span>",
                    1,
                )
        out.append(f"<p>{text}</p>")
    return "".join(out)


def _parts_html(draft: Draft) -> str:
    """The parts in order and where their words come from."""
    return " \u2192 ".join(
        f"{html.escape(draft.part_titles.get(p.part, p.part))} "
        f'<span style="color:#6b7280">({SOURCES.get(p.source, p.source)})</span>'
        for p in draft.parts
    )


def _changes_html(draft: Draft) -> str:
    rows = []
    for c in draft.changes:
        check = html.escape(TITLES.get(c.check_id, c.check_id.replace("_", " ").capitalize()))
        quote = " ".join((c.before if c.action == "dropped" else c.after or c.before).split())
        if len(quote) > 90:
            quote = quote[:89] + "\u2026"
        color = (
            "#a8242f"
            if c.action == "dropped"
            else "#2e7d32"
            if c.action != "placeholder"
            else "#8a6d00"
        )
        rows.append(
            f'<p><b style="color:{color}">{ACTIONS.get(c.action, c.action)}</b> \u00b7 '
            f'<span style="background:#eef2f7">&nbsp;{check}&nbsp;</span> '
            f"{html.escape(c.reason)}"
            + (
                f'<br><span style="color:#555">\u201c{html.escape(quote)}\u201d</span>'
                if quote
                else ""
            )
            + "</p>"
        )
    return "".join(rows)
