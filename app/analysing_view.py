"""Shown while a take is transcribed and analyzed: progress and Cancel."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget


class AnalysingView(QWidget):
    cancel_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel("Listening to your message\u2026")
        self.label.setObjectName("pageTitle")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail = QLabel("Transcribing on this computer; nothing leaves it.")
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.bar = QProgressBar()
        self.bar.setAccessibleName("Analysis progress")
        self.bar.setRange(0, 100)
        self.bar.setMinimumWidth(360)
        self.cancel = QPushButton("Cancel")
        self.cancel.setAccessibleName("Cancel the analysis")
        self.cancel.setToolTip("Stop analysing (Esc)")
        self.cancel.clicked.connect(self.cancel_clicked.emit)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for w in (self.label, self.detail, self.bar, self.cancel):
            layout.addWidget(w, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def set_progress(self, fraction: float) -> None:
        self.bar.setValue(round(100 * max(0.0, min(1.0, fraction))))
