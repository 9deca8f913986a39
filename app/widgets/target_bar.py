"""Elapsed time against the profile's length zone: under target, in the zone, over, auto-stop."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from analysis.profile import LengthPreset

UNDER = QColor("#8fa3bf")
ZONE = QColor("#2e9d57")
OVER = QColor("#e0a030")
FAIL = QColor("#d64541")


def zone_of(elapsed_s: float, preset: LengthPreset) -> str:
    if elapsed_s < preset.target_min_s:
        return "under target"
    if elapsed_s <= preset.target_max_s:
        return "in the zone"
    if elapsed_s <= preset.fail_over_s:
        return "over target"
    return "far too long"


class TargetBar(QWidget):
    def __init__(self, preset: LengthPreset, limit_s: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Length against the target zone")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.preset = preset
        self.limit_s = limit_s
        self.elapsed_s = 0.0

    def sizeHint(self) -> QSize:
        return QSize(400, 40)

    def set_preset(self, preset: LengthPreset, limit_s: float) -> None:
        self.preset, self.limit_s = preset, limit_s
        self.update()

    def set_elapsed(self, elapsed_s: float) -> None:
        self.elapsed_s = elapsed_s
        self.setAccessibleDescription(f"{elapsed_s:.0f} seconds, {zone_of(elapsed_s, self.preset)}")
        self.update()

    def paintEvent(self, event: object) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        bar = QRectF(0, 2, self.width() - 1, 16)
        scale = bar.width() / self.limit_s
        lp = self.preset
        bands = (
            (0.0, lp.target_min_s, UNDER),
            (lp.target_min_s, lp.target_max_s, ZONE),
            (lp.target_max_s, lp.fail_over_s, OVER),
            (lp.fail_over_s, self.limit_s, FAIL),
        )
        p.setPen(Qt.PenStyle.NoPen)
        for start, end, color in bands:
            faded = QColor(color)
            faded.setAlpha(70)
            p.setBrush(faded)
            p.drawRect(
                QRectF(bar.left() + start * scale, bar.top(), (end - start) * scale, bar.height())
            )
        done = min(self.elapsed_s, self.limit_s) * scale
        p.setBrush(self._color())
        p.drawRoundedRect(QRectF(bar.left(), bar.top() + 4, done, bar.height() - 8), 2, 2)
        p.setPen(pal.color(QPalette.ColorRole.Text))
        font = p.font()
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.8))
        p.setFont(font)
        for t in (lp.target_min_s, lp.target_max_s, lp.fail_over_s):
            x = bar.left() + t * scale
            p.drawLine(int(x), int(bar.top()), int(x), int(bar.bottom()))
            p.drawText(
                QRectF(x - 20, bar.bottom() + 1, 40, 16), Qt.AlignmentFlag.AlignCenter, f"{t:.0f}s"
            )
        p.end()

    def _color(self) -> QColor:
        return {"under target": UNDER, "in the zone": ZONE, "over target": OVER}.get(
            zone_of(self.elapsed_s, self.preset), FAIL
        )
