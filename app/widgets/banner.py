"""A dismissible message strip at the top of the window (non-modal, so nothing blocks).

A message about a file just written belongs to the page it was written from: it has an "Open"
button and goes away when another page is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStackedWidget, QToolButton, QWidget

STYLES = {
    "info": "background:#2f6db5; color:white;",
    "warning": "background:#b7791f; color:white;",
    "error": "background:#b83232; color:white;",
}


def open_in_system(path: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class Banner(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Message")
        self.setAutoFillBackground(True)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.open_button = QPushButton("Open")
        self.open_button.setAccessibleName("Open the saved file")
        self.open_button.clicked.connect(self._open)
        self.open_button.hide()
        close = QToolButton()
        close.setText("\u2715")
        close.setAccessibleName("Dismiss message")
        close.setAutoRaise(True)
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.open_button)
        layout.addWidget(close)
        self.level = ""
        self.saved: Path | None = None
        self.page: QWidget | None = None  # the page the message belongs to; None: any page
        self._pages: QStackedWidget | None = None
        self.open_file: Callable[[Path], None] = open_in_system  # tests replace it
        self.hide()

    def follow(self, pages: QStackedWidget) -> None:
        """Hide a page's message when another page is shown."""
        self._pages = pages
        pages.currentChanged.connect(lambda _i: self._page_changed(pages.currentWidget()))

    def show_message(self, level: str, text: str) -> None:
        self.level = level
        self.saved = None
        self.page = None
        self.open_button.hide()
        self.setStyleSheet(
            f"Banner, Banner QLabel, Banner QToolButton {{{STYLES.get(level, '')}}}"
            "Banner QPushButton { background: white; color: #1f3f66; padding: 2px 12px; }"
        )
        self.label.setText(text)
        self.setAccessibleDescription(text)
        self.show()

    def show_saved(self, text: str, path: str | Path) -> None:
        """A file was written: say so on this page only, with a button that opens it."""
        self.show_message("info", text)
        self.saved = Path(path)
        self.page = self._pages.currentWidget() if self._pages is not None else None
        self.open_button.setToolTip(f"Open {self.saved.name} in its usual program")
        self.open_button.show()

    def _page_changed(self, page: QWidget | None) -> None:
        if self.page is not None and page is not self.page:
            self.hide()

    def _open(self) -> None:
        if self.saved is not None:
            self.open_file(self.saved)

    @property
    def text(self) -> str:
        return self.label.text()


class SaveNotice(QWidget):
    """While takes cannot be saved: a strip that stays on every page (recording, analysing
    and the feedback included) until saving works again, with "Save as..." while a take is
    kept only in memory. Not dismissible: it is the state of the app, not a message."""

    save_as = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("saveNotice")
        self.setAccessibleName("Takes are not being saved")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(
            "SaveNotice, SaveNotice QLabel {background:#7a2e0e; color:white;}"
            "SaveNotice QPushButton { background: white; color: #7a2e0e; padding: 2px 12px; }"
        )
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.save_button = QPushButton("Save as\u2026")
        self.save_button.setAccessibleName("Save the take somewhere else")
        self.save_button.setToolTip("Keep the take's audio in a folder you choose (Ctrl+Shift+S)")
        self.save_button.clicked.connect(self.save_as.emit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.save_button)
        self.hide()

    def show_problem(self, why: str, can_save: bool) -> None:
        """``why``: what stops takes being saved ("" hides the strip); ``can_save``: a take is
        kept only in memory."""
        text = f"Takes are not being saved to your history: {_plain(why)}" if why else ""
        self.label.setText(text)
        self.setAccessibleDescription(text)
        self.save_button.setVisible(bool(why) and can_save)
        self.setVisible(bool(why))

    @property
    def text(self) -> str:
        return self.label.text()


def _plain(why: str) -> str:
    """The cause without a trailing promise already made by the notice's first words."""
    return why.removesuffix(" Takes are not being saved to your history.")
