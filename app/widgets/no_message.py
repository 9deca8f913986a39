"""The feedback page's state for a take that held no voicemail message: why, and what was heard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from voicemail_coach.analysis.report import Report

KEPT = (
    "It is not compared with your other takes or plotted in Progress; it is kept in your "
    "history, and you can play it below."
)


class NoMessagePanel(QFrame):
    """A calm note in place of the scorecard: no score, the reason, and the words heard."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noMessagePanel")
        self.setAccessibleName("No voicemail message")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel("<b>No voicemail message in this take</b>")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.title.setFont(font)
        self.reason = QLabel()
        self.reason.setObjectName("noMessageReason")
        self.heard = QLabel()
        self.heard.setObjectName("noMessageHeard")
        for plain in (self.reason, self.heard):  # the profile's words and Whisper's, as they are
            plain.setTextFormat(Qt.TextFormat.PlainText)
        self.kept = QLabel(KEPT)
        self.kept.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.hint = QLabel("Press <b>New take</b> (Ctrl+N) when you are ready.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(8)
        for label in (self.title, self.reason, self.heard, self.kept, self.hint):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(label)
        layout.addStretch(1)

    def set_report(self, report: Report) -> None:
        self.reason.setText(report.no_message_reason or "")
        words = report.transcript.text.strip()
        heard = report.screening.heard_words if report.screening else len(words.split())
        if not words:
            self.heard.setText("No words were heard.")
        elif not heard:  # only the model's unsure guesses (over noise: "Yeah.", "Um, uh,")
            self.heard.setText(
                f"No words were heard (the speech model guessed \u201c{words}\u201d)."
            )
        else:
            self.heard.setText(f"Heard: \u201c{words}\u201d")
