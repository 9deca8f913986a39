"""Shown while a take is transcribed and analyzed: what is being done, progress, and Cancel."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

DEFAULT_DETAIL = "Transcribing and checking it on this computer; nothing leaves it."
# Nothing new for this long: say so, rather than leave a bar that looks frozen.
STALL_S = 3.0
BUSY_TEXT = "The computer is busy, so this may take longer than usual."


class AnalysingView(QWidget):
    cancel_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel("Listening to your message\u2026")
        self.label.setObjectName("pageTitle")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail = QLabel(DEFAULT_DETAIL)
        self.detail.setObjectName("analysisStep")
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.busy = QLabel("")  # BUSY_TEXT while nothing new comes; empty keeps its place
        self.busy.setObjectName("analysisBusy")
        self.busy.setAlignment(Qt.AlignmentFlag.AlignCenter)
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
        layout.addWidget(self.busy, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(14)
        layout.addWidget(self.cancel, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)
        self._last_news = time.monotonic()
        self._watch = QTimer(self)
        self._watch.setInterval(500)
        self._watch.timeout.connect(self._check_stall)

    def start(self) -> None:
        """A new analysis: no step yet, a moving bar until there is a share done to show, and
        a watch for long silences."""
        self.detail.setText(DEFAULT_DETAIL)
        self.bar.setRange(0, 0)  # busy: Qt animates it
        self.bar.setValue(0)
        self._news()
        self._watch.start()

    def stop(self) -> None:
        self._watch.stop()

    def set_progress(self, fraction: float) -> None:
        value = round(100 * max(0.0, min(1.0, fraction)))
        if value > 0 and self.bar.maximum() == 0:
            self.bar.setRange(0, 100)
        if value != self.bar.value() and self.bar.maximum() > 0:
            self.bar.setValue(value)
            self._news()

    def set_status(self, text: str) -> None:
        """What is being done now ("Transcribing the last 6 s")."""
        text = f"{text}\u2026"
        if text != self.detail.text():
            self.detail.setText(text)
            self._news()

    def _news(self) -> None:
        self._last_news = time.monotonic()
        self.busy.setText("")

    @property
    def says_busy(self) -> bool:
        return bool(self.busy.text())

    def _check_stall(self) -> None:
        if time.monotonic() - self._last_news >= STALL_S:
            self.busy.setText(BUSY_TEXT)
