"""Elapsed time against the profile's length zone: under target, in the zone, over, auto-stop."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from voicemail_coach.analysis.profile import LengthPreset
from voicemail_coach.app.widgets.colors import blend, muted_text

UNDER = QColor("#8fa3bf")
ZONE = QColor("#2e9d57")
OVER = QColor("#e0a030")
FAIL = QColor("#d64541")
BAR_H = 24.0
TRACK_H = 7.0
INSET = 14.0  # room for the first and last time labels


def zone_of(elapsed_s: float, preset: LengthPreset) -> str:
    if elapsed_s < preset.target_min_s:
        return "under target"
    if elapsed_s <= preset.target_max_s:
        return "in the zone"
    if elapsed_s <= preset.fail_over_s:
        return "over target"
    return "far too long"


def zone_color(elapsed_s: float, preset: LengthPreset) -> QColor:
    return QColor(
        {"under target": UNDER, "in the zone": ZONE, "over target": OVER}.get(
            zone_of(elapsed_s, preset), FAIL
        )
    )


class TargetBar(QWidget):
    """Four bands (too short, target, over, too long) named inside, times below, a progress
    track along the bottom and a marker at the elapsed time."""

    def __init__(self, preset: LengthPreset, limit_s: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Length against the target zone")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.preset = preset
        self.limit_s = limit_s
        self.elapsed_s = 0.0
        self.setToolTip(self._tooltip())

    def _small_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(7.5, font.pointSizeF() * 0.85))
        return font

    def sizeHint(self) -> QSize:
        return QSize(400, round(BAR_H + 6 + QFontMetricsF(self._small_font()).height() + 2))

    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.sizeHint().height())

    def set_preset(self, preset: LengthPreset, limit_s: float) -> None:
        self.preset, self.limit_s = preset, limit_s
        self.setToolTip(self._tooltip())
        self.update()

    def set_elapsed(self, elapsed_s: float) -> None:
        self.elapsed_s = elapsed_s
        self.setAccessibleDescription(f"{elapsed_s:.0f} seconds, {zone_of(elapsed_s, self.preset)}")
        self.update()

    def _tooltip(self) -> str:
        lp = self.preset
        return (
            f"Aim for {lp.target_min_s:.0f}-{lp.target_max_s:.0f} s. Over "
            f"{lp.fail_over_s:.0f} s is far too long; recording stops by itself at "
            f"{self.limit_s:.0f} s."
        )

    def paintEvent(self, event: object) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        dark = pal.color(QPalette.ColorRole.Base).lightnessF() < 0.5
        text = pal.color(QPalette.ColorRole.WindowText)
        muted = muted_text(pal)
        back = pal.color(QPalette.ColorRole.Window)
        bar = QRectF(INSET, 1, self.width() - 2 * INSET, BAR_H)
        scale = bar.width() / max(1e-6, self.limit_s)
        lp = self.preset
        bands = (
            (0.0, lp.target_min_s, UNDER, "too short"),
            (lp.target_min_s, lp.target_max_s, ZONE, "target"),
            (lp.target_max_s, lp.fail_over_s, OVER, "over"),
            (lp.fail_over_s, self.limit_s, FAIL, "too long"),
        )
        font = self._small_font()
        p.setFont(font)
        fm = QFontMetricsF(font)
        p.save()
        clip = QRectF(bar)
        p.setClipRect(clip)
        for start, end, color, name in bands:
            r = QRectF(bar.left() + start * scale, bar.top(), (end - start) * scale, bar.height())
            p.fillRect(r, blend(color, back, 0.38 if dark else 0.28))
            label_h = bar.height() - TRACK_H
            if fm.horizontalAdvance(name) + 8 <= r.width():
                p.setPen(text if name == "target" else muted)
                p.drawText(
                    QRectF(r.left(), r.top(), r.width(), label_h),
                    Qt.AlignmentFlag.AlignCenter,
                    name,
                )
        done = min(max(self.elapsed_s, 0.0), self.limit_s) * scale
        if done > 0:
            p.fillRect(
                QRectF(bar.left(), bar.bottom() - TRACK_H, done, TRACK_H),
                zone_color(self.elapsed_s, lp),
            )
        p.restore()
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(Qt.BrushStyle.NoBrush)

        # Times under the band edges: 0, the zone, the fail length and the auto-stop.
        p.setPen(muted)
        y = bar.bottom() + 4
        marks = (0.0, lp.target_min_s, lp.target_max_s, lp.fail_over_s, self.limit_s)
        for t in marks:
            x = bar.left() + t * scale
            p.drawLine(QPointF(x, bar.bottom()), QPointF(x, bar.bottom() + 3))
            label = f"{t:.0f} s"
            w = fm.horizontalAdvance(label)
            p.drawText(QPointF(x - w / 2, y + fm.ascent()), label)

        if self.elapsed_s > 0:
            x = bar.left() + done
            p.setPen(QPen(text, 2))
            p.drawLine(QPointF(x, bar.bottom() - TRACK_H - 3), QPointF(x, bar.bottom() + 1))
        p.end()
