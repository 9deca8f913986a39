"""The teleprompter shown while a take is recorded with a script: the script in large type,
scrolling at the target pace (the words due now highlighted, those past greyed), or, for a rep
who should not read aloud, the parts as bullet points with the one due now highlighted."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from voicemail_coach.app.teleprompter_timing import TeleprompterTiming

PAST = "#8a8f98"
NOW = "#0b5cad"
# The line being read is held this far down the view.
READING_LINE = 0.3


class Teleprompter(QFrame):
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("teleprompter")
        self.setAccessibleName("Teleprompter")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#teleprompter { background: #fbfbf7; }")
        self.timing: TeleprompterTiming | None = None
        self.bullets: list[str] = []
        self.elapsed_s = 0.0
        self.heading = QLabel()
        self.heading.setObjectName("teleprompterHeading")
        self.bullet_toggle = QPushButton("Bullet points")
        self.bullet_toggle.setCheckable(True)
        self.bullet_toggle.setAccessibleName("Show bullet points instead of the full text")
        self.bullet_toggle.setToolTip(
            "Key points only, for those who sound better not reading word for word"
        )
        self.bullet_toggle.toggled.connect(lambda _: self._render())
        self.hide_button = QPushButton("Hide")
        self.hide_button.setToolTip("Hide the teleprompter (the take goes on)")
        self.hide_button.setAccessibleName("Hide the teleprompter")
        self.hide_button.clicked.connect(self.hide)
        self.hide_button.clicked.connect(self.closed.emit)
        self.view = QTextBrowser()
        self.view.setObjectName("teleprompterText")
        self.view.setAccessibleName("The script, the word due now highlighted")
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        font = self.view.font()
        font.setPointSizeF(font.pointSizeF() * 1.9)
        self.view.setFont(font)
        self.view.setMinimumHeight(150)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.bullet_toggle)
        top.addWidget(self.hide_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)

    def set_script(self, parts: Sequence[str], bullets: Sequence[str], wpm: float) -> None:
        self.timing = TeleprompterTiming(parts, wpm)
        self.bullets = list(bullets)
        self.elapsed_s = 0.0
        self.heading.setText(
            f"<b>Teleprompter</b> \u00b7 follow the highlight: {wpm:.0f} wpm, about "
            f"{self.timing.duration_s:.0f} s"
        )
        self._render()

    def set_elapsed(self, elapsed_s: float) -> None:
        """Move to where the take should be ``elapsed_s`` seconds in."""
        self.elapsed_s = elapsed_s
        self._render()

    def _render(self) -> None:
        t = self.timing
        if t is None:
            return
        if self.bullet_toggle.isChecked():
            now = t.part_at(self.elapsed_s)
            items = "".join(
                f'<li style="color:{NOW if i == now else PAST if i < now else "#222"};'
                f'{"font-weight:600;" if i == now else ""}">{html.escape(b)}</li>'
                for i, b in enumerate(self.bullets)
            )
            self.view.setHtml(f"<ul>{items}</ul>")
            self._scroll_to(now, bullets=True)
            return
        at = t.char_at(self.elapsed_s)
        index = t.index_at(self.elapsed_s)
        cue = t.cues[index] if index >= 0 else None
        now_end = cue.last_char if cue is not None else 0
        now_start = cue.first_char if cue is not None else 0
        past = html.escape(t.text[:now_start])
        due = html.escape(t.text[now_start:now_end])
        rest = html.escape(t.text[now_end:])
        self.view.setHtml(
            f'<p style="line-height:140%"><span style="color:{PAST}">{past}</span>'
            f'<span style="color:{NOW}; font-weight:700; text-decoration:underline">{due}</span>'
            f"<span>{rest}</span></p>"
        )
        self._scroll_to(at)

    def _scroll_to(self, position: int, bullets: bool = False) -> None:
        """Hold the reading line at READING_LINE of the view's height."""
        cursor = QTextCursor(self.view.document())
        if bullets:
            block = self.view.document().findBlockByNumber(position)
            cursor.setPosition(block.position() if block.isValid() else 0)
        else:
            cursor.setPosition(min(position, self.view.document().characterCount() - 1))
        rect = self.view.cursorRect(cursor)
        bar = self.view.verticalScrollBar()
        bar.setValue(bar.value() + rect.top() - int(self.view.viewport().height() * READING_LINE))
