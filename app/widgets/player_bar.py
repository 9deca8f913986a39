"""Play/pause and the time: the main window owns the player and the keyboard shortcut."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFont, QIcon, QPainter, QPalette, QPixmap, QPolygonF
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QToolButton, QWidget

ICON = 28


def play_icon(playing: bool, palette: QPalette, dpr: float = 1.0) -> QIcon:
    """A round play or pause button in the palette's highlight colour: reads on any theme."""
    pixmap = QPixmap(round(ICON * dpr), round(ICON * dpr))
    pixmap.setDevicePixelRatio(dpr)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(palette.color(QPalette.ColorRole.Highlight))
    p.drawEllipse(QRectF(1, 1, ICON - 2, ICON - 2))
    p.setBrush(palette.color(QPalette.ColorRole.HighlightedText))
    c = ICON / 2
    if playing:
        p.drawRect(QRectF(c - 5, c - 6, 3.5, 12))
        p.drawRect(QRectF(c + 1.5, c - 6, 3.5, 12))
    else:
        p.drawPolygon(
            QPolygonF([QPointF(c - 3.5, c - 6.5), QPointF(c - 3.5, c + 6.5), QPointF(c + 6.5, c)])
        )
    p.end()
    return QIcon(pixmap)


def format_clock(t_s: float) -> str:
    """0:03.2 style: minutes, seconds with tenths; before a message's start (in a part trimmed
    before it) "-0:05.0"."""
    tenths = round(abs(t_s) * 10)
    m, rest = divmod(tenths, 600)
    sign = "-" if t_s < 0 and tenths else ""
    return f"{sign}{m}:{rest // 10:02d}.{rest % 10}"


LINE_WAITING = "Preparing the phone-line version of this take"
LINE_READY = (
    "Through a phone line and a voicemail system: the telephone band, 8 kHz, mu-law, "
    "the voicemail level and codec"
)


class PlayerBar(QWidget):
    play_toggled = Signal()
    line_chosen = Signal(bool)  # True: play the take as the prospect will hear it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._playing = False
        self.button = QToolButton()
        self.button.setAutoRaise(True)
        self.button.setIconSize(QSize(ICON, ICON))
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.button.clicked.connect(self.play_toggled)
        self.time_label = QLabel()
        self.time_label.setAccessibleName("Playback position")
        font = QFont(self.time_label.font())
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setFamilies(["monospace"])
        self.time_label.setFont(font)
        self.time_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.button)
        layout.addWidget(self.time_label)
        self.source = QComboBox()
        self.source.addItems(["As recorded", "As they'll hear it"])
        self.source.setAccessibleName("Play the take")
        self.source.currentIndexChanged.connect(lambda i: self.line_chosen.emit(i == 1))
        layout.addWidget(self.source)
        layout.addStretch(1)
        self.setAccessibleName("Player")
        self.set_playing(False)
        self.set_position(0.0, 0.0)
        self.set_line_available(False)

    def set_line_available(self, available: bool) -> None:
        """The phone-line version can be chosen once it is rendered; until then (and for a new
        take) the player plays the take as recorded."""
        if not available:
            self.source.blockSignals(True)
            self.source.setCurrentIndex(0)
            self.source.blockSignals(False)
        self.source.setEnabled(available)
        self.source.setToolTip(LINE_READY if available else LINE_WAITING)

    def is_playing(self) -> bool:
        return self._playing

    def set_playing(self, playing: bool) -> None:
        self._playing = playing
        self.button.setIcon(play_icon(playing, self.palette(), self.devicePixelRatioF()))
        name = "Pause" if playing else "Play"
        self.button.setAccessibleName(name)
        self.button.setToolTip(name)

    def set_position(self, t_s: float, duration_s: float) -> None:
        text = f"{format_clock(t_s)} / {format_clock(duration_s)}"
        if text != self.time_label.text():
            self.time_label.setText(text)
            self.time_label.setAccessibleDescription(f"{t_s:.1f} seconds of {duration_s:.1f}")

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.set_playing(self._playing)
