"""Cues while recording: pace lately, fillers so far, value and next step heard, a nudge to
close, and a warning when audio was dropped. It only renders ``voicemail_coach.analysis.live_cues.LiveCues``."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from voicemail_coach.analysis.live_cues import LiveCues
from voicemail_coach.app.widgets.colors import CATEGORY_COLORS

WARNING_COLOR = "#d64541"
NUDGE_COLOR = CATEGORY_COLORS["call_to_action"].name()
HEARD_COLOR = CATEGORY_COLORS["value_proposition"].name()
CHECK = "\u2713"


def _clock(seconds: float) -> str:
    return f"{int(seconds) // 60}:{int(seconds) % 60:02d}"


# The heard-so-far line keeps this many characters of the latest words (two lines at most).
HEARD_CHARS = 160


def _latest(text: str) -> str:
    """The end of ``text``, cut at a word: what was just said matters while speaking."""
    if len(text) <= HEARD_CHARS:
        return text
    tail = text[-HEARD_CHARS:]
    return "\u2026" + tail[tail.find(" ") + 1 :] if " " in tail else "\u2026" + tail


class LiveCuesView(QWidget):
    """A row of four cues, with the nudge and the dropped-audio warning below it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pace = self._cue("Pace over the last seconds, in words per minute")
        self.fillers = self._cue("Filler words heard so far")
        self.value = self._cue("Whether a value proposition has been heard")
        self.cta = self._cue("Whether a call to action has been heard")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(18)
        row.addStretch(1)
        for label in (self.pace, self.fillers, self.value, self.cta):
            row.addWidget(label)
        row.addStretch(1)
        # The words heard so far, tidied (analysis.live_cues.tidy_live_text): the latest ones.
        self.heard = QLabel()
        self.heard.setObjectName("liveHeard")
        self.heard.setAccessibleName("Heard so far")
        self.heard.setTextFormat(Qt.TextFormat.PlainText)
        self.heard.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.heard.setWordWrap(True)
        self.heard.setStyleSheet("color: palette(placeholder-text); font-style: italic;")
        self.nudge = QLabel()
        self.nudge.setObjectName("liveNudge")
        self.nudge.setAccessibleName("Reminder")
        self.nudge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.nudge.setStyleSheet(f"color: {NUDGE_COLOR}; font-weight: 600; font-size: 12pt;")
        self.overflow = QLabel()
        self.overflow.setObjectName("overflowWarning")
        self.overflow.setAccessibleName("Dropped audio warning")
        self.overflow.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.overflow.setWordWrap(True)
        self.overflow.setStyleSheet(f"color: {WARNING_COLOR}; font-weight: 600;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.heard)
        layout.addWidget(self.nudge)
        layout.addWidget(self.overflow)
        self._shown: LiveCues | None = None
        self.reset()

    @staticmethod
    def _cue(tip: str) -> QLabel:
        label = QLabel()
        label.setToolTip(tip)
        label.setAccessibleDescription(tip)
        label.setTextFormat(Qt.TextFormat.PlainText)
        return label

    def reset(self) -> None:
        """Nothing heard yet: the page is not recording."""
        for label in (self.pace, self.fillers, self.value, self.cta):
            label.clear()
            label.setStyleSheet("")
        self.heard.clear()
        self.heard.hide()
        self.nudge.hide()
        self.overflow.hide()
        self._shown = None

    def show_cues(self, cues: LiveCues) -> None:
        if cues == self._shown:
            return
        self._shown = cues
        heard = cues.words
        self.pace.setText(
            f"Pace {heard.pace_wpm:.0f} wpm" if heard.pace_wpm is not None else "Pace \u2013"
        )
        self.fillers.setText(f"Fillers {heard.fillers}")
        self._mark(self.value, "Value", heard.value_at_s)
        self._mark(self.cta, "Next step", heard.cta_at_s)
        self.heard.setText(_latest(heard.text))
        self.heard.setVisible(bool(heard.text))
        self.nudge.setText(cues.nudge or "")
        self.nudge.setVisible(cues.nudge is not None)
        if cues.overflows:
            self.overflow.setText(
                f"\u26a0 {cues.overflows} audio block(s) dropped: the computer is too busy. "
                "Close other programs and record again."
            )
        self.overflow.setVisible(cues.overflows > 0)

    @staticmethod
    def _mark(label: QLabel, name: str, at_s: float | None) -> None:
        if at_s is None:
            label.setText(f"{name} \u2013 not yet")
            label.setStyleSheet("")
        else:
            label.setText(f"{CHECK} {name} at {_clock(at_s)}")
            label.setStyleSheet(f"color: {HEARD_COLOR}; font-weight: 600;")
