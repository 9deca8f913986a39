"""Live input level in dBFS, with a clipping warning that holds for a moment."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from voicemail_coach.app.widgets.colors import blend, muted_text

FLOOR_DB = -60.0
GOOD_DB = -30.0  # below this the voice is probably too far from the microphone
HOT_DB = -6.0
AIM_MAX_DB = -10.0
SCALE_DB = (-60, -50, -40, -30, -20, -10, 0)
BAR_H = 14.0
INSET = 14.0  # room for the "-60" and "0 dB" labels at the ends


class LevelMeter(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Input level")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.level_db = FLOOR_DB
        self.peak_db = FLOOR_DB
        self.clipping = False
        self.reset()

    def _small_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(7.5, font.pointSizeF() * 0.85))
        return font

    def sizeHint(self) -> QSize:
        return QSize(240, round(BAR_H + 6 + QFontMetricsF(self._small_font()).height() + 2))

    def minimumSizeHint(self) -> QSize:
        return QSize(160, self.sizeHint().height())

    def set_level(self, level_db: float, peak_db: float, clipping: bool) -> None:
        self.level_db = max(FLOOR_DB, min(0.0, level_db))
        self.peak_db = max(FLOOR_DB, min(0.0, peak_db))
        self.clipping = clipping
        state = "clipping" if clipping else f"{self.level_db:.0f} dBFS"
        self.setAccessibleDescription(f"Input level {state}")
        self.setToolTip(
            "Too loud: the signal is clipping. Lower the input gain or move back."
            if clipping
            else f"Speech level {self.level_db:.0f} dBFS (aim for -30 to -10)"
        )
        self.update()

    def reset(self) -> None:
        self.set_level(FLOOR_DB, FLOOR_DB, False)
        self.setToolTip("Your voice should peak in the shaded band, -30 to -10 dBFS")

    @staticmethod
    def _x(db: float, width: float) -> float:
        return (db - FLOOR_DB) / -FLOOR_DB * width

    def paintEvent(self, event: object) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        muted = muted_text(pal)
        base = pal.color(QPalette.ColorRole.Base)
        bar = QRectF(INSET, 1.5, self.width() - 2 * INSET, BAR_H)
        w = bar.width()
        p.setPen(pal.color(QPalette.ColorRole.Mid))
        p.setBrush(base)
        p.drawRoundedRect(bar, 3, 3)
        # Where a voice should sit, faintly, so the meter says what "good" is before you speak.
        aim = QRectF(bar.left() + self._x(GOOD_DB, w), bar.top() + 1, 0, bar.height() - 2)
        aim.setRight(bar.left() + self._x(AIM_MAX_DB, w))
        p.fillRect(aim, blend(QColor("#2e9d57"), base, 0.16))
        fill = QRectF(bar.left(), bar.top(), self._x(self.level_db, w), bar.height())
        if self.clipping or self.level_db > HOT_DB:
            color = QColor("#d64541")
        elif self.level_db < GOOD_DB:
            color = QColor("#e0a030")
        else:
            color = QColor("#2e9d57")
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(color)
        if fill.width() > 1:
            p.drawRoundedRect(fill, 3, 3)
        if self.peak_db > FLOOR_DB:
            p.setPen(pal.color(QPalette.ColorRole.WindowText))
            px = bar.left() + self._x(self.peak_db, w)
            p.drawLine(QPointF(px, bar.top()), QPointF(px, bar.bottom()))
        font = self._small_font()
        p.setFont(font)
        fm = QFontMetricsF(font)
        p.setPen(muted)
        y = bar.bottom() + 4
        for db in SCALE_DB:
            x = bar.left() + self._x(db, w)
            p.drawLine(QPointF(x, bar.bottom() + 1), QPointF(x, bar.bottom() + 3))
            label = str(db)
            lx = x - fm.horizontalAdvance(label) / 2
            if db == 0:
                label = "0 dB"
                lx = min(lx, self.width() - fm.horizontalAdvance(label))
            p.drawText(QPointF(lx, y + fm.ascent()), label)
        if self.clipping:
            bold = QFont(font)
            bold.setBold(True)
            p.setFont(bold)
            p.setPen(QColor("white"))
            p.drawText(bar, Qt.AlignmentFlag.AlignCenter, "CLIPPING")
        p.end()
