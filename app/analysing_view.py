"""Shown while a take is transcribed and analyzed: progress and Cancel."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget


class AnalysingView(QWidget):
    cancel_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel("Listening to your message\u2026")
        self.label.setObjectName("pageTitle")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail = QLabel("Transcribing and checking it on this computer; nothing leaves it.")
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.bar = QProgressBar()
        self.bar.setObjectName("analysisProgress")
        self.bar.setAccessibleName("Analysis progress")
        self.bar.setRange(0, 100)
        self.bar.setFixedWidth(440)
        self.bar.setFormat("%p%")
        self.cancel = QPushButton("Cancel")
        self.cancel.setAccessibleName("Cancel the analysis")
        self.cancel.setToolTip("Stop analysing (Esc)")
        self.cancel.setMinimumWidth(110)
        self.cancel.clicked.connect(self.cancel_clicked.emit)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addStretch(2)
        layout.addWidget(self.label, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.detail, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(18)
        layout.addWidget(self.bar, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(14)
        layout.addWidget(self.cancel, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)

    def set_progress(self, fraction: float) -> None:
        self.bar.setValue(round(100 * max(0.0, min(1.0, fraction))))
