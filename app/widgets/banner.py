"""A dismissible message strip at the top of the window (non-modal, so nothing blocks)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

STYLES = {
    "info": "background:#2f6db5; color:white;",
    "warning": "background:#b7791f; color:white;",
    "error": "background:#b83232; color:white;",
}


class Banner(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Message")
        self.setAutoFillBackground(True)
        self.label = QLabel()
        self.label.setWordWrap(True)
        close = QToolButton()
        close.setText("\u2715")
        close.setAccessibleName("Dismiss message")
        close.setAutoRaise(True)
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(close)
        self.level = ""
        self.hide()

    def show_message(self, level: str, text: str) -> None:
        self.level = level
        self.setStyleSheet(f"Banner, Banner QLabel, Banner QToolButton {{{STYLES.get(level, '')}}}")
        self.label.setText(text)
        self.setAccessibleDescription(text)
        self.show()

    @property
    def text(self) -> str:
        return self.label.text()
