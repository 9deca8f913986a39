"""Live input level in dBFS, with a clipping warning that holds for a moment."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

FLOOR_DB = -60.0
GOOD_DB = -30.0  # below this the voice is probably too far from the microphone
HOT_DB = -6.0


class LevelMeter(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Input level")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.level_db = FLOOR_DB
        self.peak_db = FLOOR_DB
        self.clipping = False

    def sizeHint(self) -> QSize:
        return QSize(240, 30)

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

    @staticmethod
    def _x(db: float, width: float) -> float:
        return (db - FLOOR_DB) / -FLOOR_DB * width

    def paintEvent(self, event: object) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        bar = QRectF(0, 4, self.width() - 1, 12)
        p.setPen(pal.color(QPalette.ColorRole.Mid))
        p.setBrush(pal.color(QPalette.ColorRole.Base))
        p.drawRoundedRect(bar, 3, 3)
        w = bar.width()
        fill = QRectF(bar.left(), bar.top(), self._x(self.level_db, w), bar.height())
        if self.clipping or self.level_db > HOT_DB:
            color = QColor("#d64541")
        elif self.level_db < GOOD_DB:
            color = QColor("#e0a030")
        else:
            color = QColor("#2e9d57")
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(color)
        p.drawRoundedRect(fill, 3, 3)
        p.setPen(pal.color(QPalette.ColorRole.Text))
        px = bar.left() + self._x(self.peak_db, w)
        p.drawLine(int(px), int(bar.top()), int(px), int(bar.bottom()))
        font = p.font()
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.8))
        p.setFont(font)
        for db in (-60, -40, -20, -10, 0):
            x = bar.left() + self._x(db, w)
            p.drawText(
                QRectF(x - 20, bar.bottom() + 1, 40, 14), Qt.AlignmentFlag.AlignCenter, str(db)
            )
        if self.clipping:
            p.setPen(QColor("#d64541"))
            p.drawText(bar, Qt.AlignmentFlag.AlignCenter, "CLIPPING")
        p.end()
