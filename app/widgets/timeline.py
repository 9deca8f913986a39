"""Waveform with the report's spans as coloured bands, pauses, the attention window and a playhead.

Times are the report's (the message's clock); a lead trimmed before the message (ringing, a
greeting, the beep) is drawn greyed at negative times, and can be clicked to play."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QContextMenuEvent,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QMenu, QSizePolicy, QToolTip, QWidget

from voicemail_coach.analysis.report import Report
from voicemail_coach.app.widgets.colors import blend, category_color, muted_text
from voicemail_coach.app.widgets.spans import Span, detail_spans, pause_spans, structure_spans
from voicemail_coach.app.widgets.trimmed import paint_lead

ENVELOPE_BINS = 8192
MARGIN_X = 10.0
LANE_H = 15.0
LANE_GAP = 3.0
COMMENT_COLOR = QColor("#6a4c93")  # coach comments: a colour no span category uses


def label_color(background: QColor) -> QColor:
    """Black or white, whichever reads better on ``background``."""
    r, g, b = background.redF(), background.greenF(), background.blueF()
    return QColor("#1a1a1a") if 0.299 * r + 0.587 * g + 0.114 * b > 0.6 else QColor("white")


class Timeline(QWidget):
    """Click or drag to seek; hover a band for what it is; arrow keys step one second.
    Double-click (or right-click) asks for a coach comment at that moment; C at the playhead."""

    seek_requested = Signal(float)
    comment_requested = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._env_min: npt.NDArray[np.float32] = np.zeros(0, np.float32)
        self._env_max: npt.NDArray[np.float32] = np.zeros(0, np.float32)
        self._duration_s = 0.0
        self._lead_s = 0.0  # trimmed before the message: drawn from -lead_s to 0
        self._lead_text = ""
        self._attention_s: float | None = None
        self._position_s = 0.0
        self._top: list[Span] = []
        self._bottom: list[Span] = []
        self._pauses: list[Span] = []
        self._wave_cache: tuple[tuple[float, float, float, float], QPolygonF] | None = None
        self._comments: list[tuple[float, str]] = []
        self.comments_enabled = False  # whether double-click / right-click offer a comment
        self.setMinimumHeight(110)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAccessibleName("Timeline")
        self.setAccessibleDescription(
            "Waveform with the message parts, fillers, findings and pauses; click to play from a time."
        )

    # public API -------------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(800, 170)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, 110)

    def set_data(
        self,
        samples: npt.NDArray[np.floating] | None,
        sample_rate: int,
        report: Report | None,
        attention_window_s: float | None = 10.0,
        lead: npt.NDArray[np.floating] | None = None,
    ) -> None:
        """Show ``samples`` (mono, or frames x channels) with ``report``'s spans over them;
        ``lead``: what was trimmed before them (``report.trimmed``), greyed before 0."""
        n = 0
        self._lead_s = 0.0
        self._lead_text = ""
        if samples is not None and len(samples):
            mono = np.asarray(samples, dtype=np.float32)
            if mono.ndim > 1:
                mono = mono.mean(axis=1)
            n = len(mono)
            if lead is not None and len(lead) and report is not None and report.trimmed:
                self._lead_s = len(lead) / sample_rate
                self._lead_text = f"{report.trimmed.kinds} (trimmed)".capitalize()
                mono = np.concatenate((np.asarray(lead, dtype=np.float32).reshape(-1), mono))
            edges = np.linspace(0, len(mono), min(ENVELOPE_BINS, len(mono)) + 1).astype(np.int64)
            self._env_min = np.minimum.reduceat(mono, edges[:-1])
            self._env_max = np.maximum.reduceat(mono, edges[:-1])
        else:
            self._env_min = self._env_max = np.zeros(0, np.float32)
        audio_s = n / sample_rate if sample_rate > 0 else 0.0
        report_s = report.source.duration_s if report is not None else 0.0
        self._duration_s = max(audio_s, report_s)
        self._attention_s = attention_window_s
        if report is None:
            self._top, self._bottom, self._pauses = [], [], []
        else:
            self._top = structure_spans(report)
            self._bottom = detail_spans(report)
            self._pauses = pause_spans(report)
        self._position_s = 0.0
        self._wave_cache = None
        self.update()

    def clear(self) -> None:
        self.set_data(None, 16_000, None)

    def set_comments(self, comments: list[tuple[float, str]]) -> None:
        """Coach comments as (time, text), drawn as numbered markers in this order."""
        self._comments = list(comments)
        self.update()

    def comment_at(self, x: float, y: float) -> int | None:
        """The index of the comment marker whose number is under a point (atop the waveform)."""
        wave = self._lanes()[1]
        if not wave.top() <= y <= wave.top() + QFontMetricsF(self._small_font()).height() + 2:
            return None
        near = [(abs(self.time_to_x(t) - x), n) for n, (t, _) in enumerate(self._comments)]
        hit = min(near, default=None)
        return hit[1] if hit is not None and hit[0] <= 8 else None

    def duration(self) -> float:
        return self._duration_s

    def set_position(self, t_s: float) -> None:
        old = self._position_s
        self._position_s = t_s
        if self._duration_s > 0:
            for t in (old, t_s):
                x = self.time_to_x(t)
                self.update(int(x) - 8, 0, 17, self.height())

    def position(self) -> float:
        return self._position_s

    def time_to_x(self, t_s: float) -> float:
        if self._duration_s <= 0:
            return MARGIN_X
        span = self._duration_s + self._lead_s
        return MARGIN_X + (t_s + self._lead_s) / span * self._plot_width()

    def x_to_time(self, x: float) -> float:
        if self._duration_s <= 0:
            return 0.0
        t = (x - MARGIN_X) / self._plot_width() * (self._duration_s + self._lead_s) - self._lead_s
        return min(self._duration_s, max(-self._lead_s, t))

    def lead_s(self) -> float:
        """How long the part trimmed before the message is (0: nothing was trimmed)."""
        return self._lead_s

    def seconds_per_pixel(self) -> float:
        span = self._duration_s + self._lead_s
        return span / self._plot_width() if self._duration_s > 0 else 0.0

    def marker_color(self) -> QColor:
        """The attention-window line: the palette's text colour, so it reads on any theme."""
        return self.palette().color(QPalette.ColorRole.WindowText)

    def spans_at(self, x: float, y: float) -> list[Span]:
        """The bands under a point: the lane at ``y``, or pauses over the waveform."""
        t = self.x_to_time(x)
        slack = 3 * self.seconds_per_pixel()
        top, wave, bottom = self._lanes()
        if top.top() - 2 <= y <= top.bottom() + 2:
            pool = self._top
        elif bottom.top() - 2 <= y <= bottom.bottom() + 2:
            pool = self._bottom
        elif wave.top() <= y <= wave.bottom():
            pool = self._pauses
        else:
            return []
        return [s for s in pool if s.start_s - slack <= t <= s.end_s + slack]

    # geometry ---------------------------------------------------------------------------------

    def _plot_width(self) -> float:
        return max(1.0, self.width() - 2 * MARGIN_X)

    def _axis_height(self) -> float:
        return QFontMetricsF(self._small_font()).height() + 8

    def _small_font(self) -> QFont:
        f = self.font()
        f.setPointSizeF(max(7.0, f.pointSizeF() * 0.85))
        return f

    def _lanes(self) -> tuple[QRectF, QRectF, QRectF]:
        """Top band lane, waveform, bottom band lane (the axis sits below)."""
        w = self._plot_width()
        top_y = QFontMetricsF(self._small_font()).height() + 4
        top = QRectF(MARGIN_X, top_y, w, LANE_H)
        bottom_y = self.height() - self._axis_height() - LANE_H
        bottom = QRectF(MARGIN_X, bottom_y, w, LANE_H)
        wave_top = top.bottom() + LANE_GAP
        wave = QRectF(MARGIN_X, wave_top, w, max(10.0, bottom.top() - LANE_GAP - wave_top))
        return top, wave, bottom

    def _wave_polygon(self, rect: QRectF) -> QPolygonF:
        key = (rect.x(), rect.y(), rect.width(), rect.height())
        if self._wave_cache is not None and self._wave_cache[0] == key:
            return self._wave_cache[1]
        dpr = self.devicePixelRatioF()
        audio_w = rect.width()
        if self._duration_s > 0 and len(self._env_min):
            cols = max(1, int(audio_w * dpr))
            edges = np.linspace(0, len(self._env_min), cols + 1).astype(np.int64)
            edges[:-1] = np.minimum(edges[:-1], len(self._env_min) - 1)
            lo = np.minimum.reduceat(self._env_min, edges[:-1])
            hi = np.maximum.reduceat(self._env_max, edges[:-1])
            peak = max(1e-6, float(np.max(np.abs(np.concatenate([lo, hi])))))
            scale = 0.48 * rect.height() / max(peak, 0.05)
            mid = rect.center().y()
            xs = rect.left() + np.arange(cols) / dpr
            # at least a hairline where it is silent, so the waveform reads as continuous
            top = mid - np.maximum(hi * scale, 0.5)
            bottom = mid - np.minimum(lo * scale, -0.5)
            pts = [QPointF(x, y) for x, y in zip(xs, top, strict=True)]
            pts += [QPointF(x, y) for x, y in zip(xs[::-1], bottom[::-1], strict=True)]
            poly = QPolygonF(pts)
        else:
            poly = QPolygonF()
        self._wave_cache = (key, poly)
        return poly

    # painting ---------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        base = pal.color(QPalette.ColorRole.Base)
        text = pal.color(QPalette.ColorRole.WindowText)
        muted = muted_text(pal)
        p.fillRect(self.rect(), pal.color(QPalette.ColorRole.Window))
        top, wave, bottom = self._lanes()
        plot = QRectF(wave.left(), top.top() - 1, wave.width(), bottom.bottom() - top.top() + 2)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(base)
        p.drawRoundedRect(plot.adjusted(-4, -2, 4, 2), 4, 4)
        p.setFont(self._small_font())
        if self._duration_s <= 0:
            p.setPen(muted)
            p.drawText(plot, Qt.AlignmentFlag.AlignCenter, "No recording yet")
            p.end()
            return

        grey = category_color("pause")
        for s in self._pauses:
            r = self._span_rect(s, wave)
            p.fillRect(r, blend(grey, base, 0.18))
            p.fillRect(r, QBrush(blend(grey, base, 0.55), Qt.BrushStyle.BDiagPattern))

        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(blend(text, base, 0.55))
        p.drawPolygon(self._wave_polygon(wave))

        fm = QFontMetricsF(p.font())
        for lane, spans in ((top, self._top), (bottom, self._bottom)):
            for s in spans:
                color = category_color(s.category)
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(color)
                band = self._span_rect(s, lane, min_w=3.0)
                p.drawRoundedRect(band, 3, 3)
                tint = QColor(color)
                tint.setAlphaF(0.10)
                p.fillRect(self._span_rect(s, wave, min_w=3.0), tint)
                if fm.horizontalAdvance(s.title) + 8 <= band.width():
                    p.setPen(label_color(color))
                    p.drawText(band, Qt.AlignmentFlag.AlignCenter, s.title)

        if self._lead_s > 0:
            lead = QRectF(plot.left(), plot.top(), self.time_to_x(0.0) - plot.left(), plot.height())
            paint_lead(p, lead, self._lead_text, pal)
        self._paint_axis(p, bottom, muted)

        if self._attention_s is not None and 0 < self._attention_s < self._duration_s:
            mx = round(self.time_to_x(self._attention_s))
            marker = self.marker_color()
            p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            p.fillRect(QRectF(mx - 1, top.top() - 1, 2, bottom.bottom() - top.top() + 2), marker)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.setPen(marker)
            label = f"first {self._attention_s:g} s"
            w = fm.horizontalAdvance(label)
            lx = mx - 5 - w if mx - 5 - w >= 0 else mx + 5
            p.drawText(QPointF(lx, fm.ascent()), label)

        self._paint_comments(p, top, bottom, fm)
        x = self.time_to_x(self._position_s)
        play = pal.color(QPalette.ColorRole.Highlight)
        p.setPen(QPen(play, 2))
        p.drawLine(QPointF(x, top.top() - 1), QPointF(x, bottom.bottom() + 1))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(play)
        tri = QPolygonF(
            [QPointF(x - 5, top.top() - 6), QPointF(x + 5, top.top() - 6), QPointF(x, top.top())]
        )
        p.drawPolygon(tri)
        if self.hasFocus():
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.setPen(QPen(play, 1, Qt.PenStyle.DotLine))
            p.drawRoundedRect(plot.adjusted(-4, -2, 4, 2), 4, 4)
        p.end()

    def _span_rect(self, s: Span, lane: QRectF, min_w: float = 1.0) -> QRectF:
        x0, x1 = self.time_to_x(s.start_s), self.time_to_x(s.end_s)
        if x1 - x0 < min_w:
            mid = (x0 + x1) / 2
            x0, x1 = mid - min_w / 2, mid + min_w / 2
        return QRectF(x0, lane.top(), x1 - x0, lane.height())

    def _paint_comments(self, p: QPainter, top: QRectF, bottom: QRectF, fm: QFontMetricsF) -> None:
        for n, (t, _) in enumerate(self._comments, start=1):
            x = self.time_to_x(t)
            p.setPen(QPen(COMMENT_COLOR, 1, Qt.PenStyle.DashLine))
            p.drawLine(QPointF(x, top.top()), QPointF(x, bottom.bottom()))
            label = str(n)
            w = max(fm.horizontalAdvance(label) + 6, fm.height())
            badge = QRectF(x - w / 2, top.bottom() + LANE_GAP + 1, w, fm.height())
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(COMMENT_COLOR)
            p.drawRoundedRect(badge, 4, 4)
            p.setPen(QColor("white"))
            p.drawText(badge, Qt.AlignmentFlag.AlignCenter, label)

    def _paint_axis(self, p: QPainter, bottom: QRectF, color: QColor) -> None:
        fm = QFontMetricsF(p.font())
        px_per_s = self._plot_width() / (self._duration_s + self._lead_s)
        label_every = next(
            (
                n
                for n in (1, 2, 5, 10, 15, 30, 60)
                if n * px_per_s >= fm.horizontalAdvance("00 s") + 24
            ),
            120,
        )
        tick_every = 1 if px_per_s >= 4 else label_every
        y = bottom.bottom() + 2
        p.setPen(QPen(color, 1))
        second = -int(self._lead_s // label_every) * label_every
        while second <= self._duration_s + 1e-9:
            x = self.time_to_x(second)
            labelled = second % label_every == 0
            p.drawLine(QPointF(x, y), QPointF(x, y + (4 if labelled else 2)))
            if labelled:
                m, s = divmod(abs(second), 60)
                sign = "-" if second < 0 else ""
                label = f"{sign}{m}:{s:02d}" if self._duration_s >= 60 else f"{second} s"
                w = fm.horizontalAdvance(label)
                lx = min(max(x - w / 2, 0.0), self.width() - w)
                p.drawText(QPointF(lx, y + 6 + fm.ascent()), label)
            second += tick_every

    # interaction ------------------------------------------------------------------------------

    def _seek_to(self, x: float) -> None:
        if self._duration_s > 0:
            self.seek_requested.emit(self.x_to_time(x))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._seek_to(event.position().x())
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._seek_to(event.position().x())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.comments_enabled:
            self.comment_requested.emit(self.x_to_time(event.position().x()))
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if self._duration_s <= 0 or not self.comments_enabled:
            return
        t = self.x_to_time(event.pos().x())
        menu = QMenu(self)
        whole = int(t)
        menu.addAction(
            f"Comment at {whole // 60}:{whole % 60:02d}\u2026",
            lambda: self.comment_requested.emit(t),
        )
        menu.exec(event.globalPos())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        step = {Qt.Key.Key_Left: -1.0, Qt.Key.Key_Right: 1.0}.get(Qt.Key(event.key()))
        if self._duration_s > 0 and step is not None:
            t = min(self._duration_s, max(-self._lead_s, self._position_s + step))
            self.seek_requested.emit(t)
            return
        if self.comments_enabled and event.key() == Qt.Key.Key_C:
            self.comment_requested.emit(self._position_s)  # a comment where playback stands
            return
        if self._duration_s > 0 and event.key() == Qt.Key.Key_Home:
            self.seek_requested.emit(0.0)
            return
        super().keyPressEvent(event)

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip and isinstance(e, QHelpEvent):
            marker = self.comment_at(e.pos().x(), e.pos().y())
            if marker is not None:
                t, text = self._comments[marker]
                QToolTip.showText(e.globalPos(), f"Comment {marker + 1} at {t:.1f} s: {text}", self)
                return True
            spans = self.spans_at(e.pos().x(), e.pos().y())
            if spans:
                lines = [s.describe() for s in spans]
                lines.append(f"from {spans[0].start_s:.1f} to {spans[0].end_s:.1f} s")
                QToolTip.showText(e.globalPos(), "\n".join(lines), self)
            else:
                QToolTip.hideText()
                e.ignore()
            return True
        if e.type() == QEvent.Type.Resize:
            self._wave_cache = None
        return super().event(e)
