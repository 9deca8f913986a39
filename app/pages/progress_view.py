"""Progress over takes: score, length, time to value, pace and fillers, one plot each."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QPalette, QShowEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from voicemail_coach.app.dates import format_date
from voicemail_coach.app.deltas import LENGTH_ZONE, WPM_ZONE, deltas
from voicemail_coach.app.pages.history_model import score_status
from voicemail_coach.app.widgets.colors import STATUS_COLORS, blend, muted_text

if TYPE_CHECKING:
    import pyqtgraph as pg

    from voicemail_coach.storage.library import Library
    from voicemail_coach.storage.records import Attempt

__all__ = ["METRICS", "Metric", "ProgressView", "deltas"]

ZONE = QColor("#2e9e4f")


@dataclass(frozen=True)
class Metric:
    """One plot: the figure, and what it is drawn against (the view's zones and limits, which
    come from the profile)."""

    key: str
    title: str
    unit: str
    decimals: int
    value: Callable[[Attempt], float | None]
    scored: bool = False  # a score out of 100: points coloured by status, drawn 0-100
    zone: Callable[[ProgressView], tuple[float, float]] | None = None  # the band to stay in
    limit: Callable[[ProgressView], float] | None = None  # a dashed line not to pass
    misses: bool = False  # takes without the figure get a cross along the top ("not heard")


METRICS = (
    Metric("score", "Score", "", 0, lambda a: a.score, scored=True),
    Metric("length", "Length", "s", 1, lambda a: a.duration_s, zone=lambda v: v.length_zone),
    Metric(
        "time_to_value",
        "Time to value proposition",
        "s",
        1,
        lambda a: a.time_to_value_s,
        limit=lambda v: v.value_within_s,
        misses=True,
    ),
    Metric("wpm", "Words per minute", "wpm", 0, lambda a: a.wpm, zone=lambda v: v.wpm_zone),
    Metric(
        "fillers",
        "Fillers per minute",
        "/min",
        1,
        lambda a: a.fillers_per_min,
        limit=lambda v: v.fillers_max,
    ),
)


class ProgressView(QWidget):
    """One plot per key figure over the analyzed takes in the order they were made (x: take
    number). Click a point to open that take (``open_requested(attempt_id)``)."""

    open_requested = Signal(int)

    def __init__(
        self,
        library: Library,
        parent: QWidget | None = None,
        *,
        length_zone: tuple[float, float] = LENGTH_ZONE,
        wpm_zone: tuple[float, float] = WPM_ZONE,
        value_within_s: float = 10.0,
        fillers_max: float = 3.0,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.length_zone: tuple[float, float] = length_zone
        self.wpm_zone: tuple[float, float] = wpm_zone
        self.value_within_s: float = value_within_s
        self.fillers_max: float = fillers_max
        self._attempts: list[Attempt] = []
        self.setAccessibleName("Progress")

        self.title = QLabel("Progress")
        self.title.setObjectName("pageTitle")
        self.summary = QLabel()
        self.summary.setAccessibleName("Progress summary")
        self.summary.setWordWrap(True)
        self.empty = QLabel("Analyze a few takes to see your progress here.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        # The plots (pyqtgraph, ~50 MB) are built the first time there is something to show on
        # screen: a rep who only practises never loads them.
        self.plots: dict[str, pg.PlotWidget] = {}
        self.scatters: dict[str, pg.ScatterPlotItem] = {}
        self.misses: pg.ScatterPlotItem | None = None
        self.charts = QWidget()
        self._grid = QGridLayout(self.charts)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(10)

        layout = QVBoxLayout(self)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.charts, 8)
        self.refresh()

    # public API -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the takes from the library and redraw."""
        ready = [a for a in self.library.attempts() if a.status == "ready" and a.score is not None]
        self._attempts = sorted(ready, key=lambda a: (a.created_at, a.id))
        self._render()

    def attempts(self) -> list[Attempt]:
        """The plotted takes, oldest first (take n is at x = n)."""
        return list(self._attempts)

    def points(self, key: str) -> list[tuple[int, float, int]]:
        """(take number, value, attempt id) of each point on plot ``key``."""
        if not self.plots:
            self._render(force=True)
        if key not in self.scatters:
            return []
        return [
            (int(p.pos().x()), float(p.pos().y()), int(p.data()))
            for p in self.scatters[key].points()
        ]

    # drawing ----------------------------------------------------------------------------------

    def _tip(self, metric: Metric) -> Callable[..., str]:
        def tip(x: float, y: float, data: Any) -> str:
            a = next((a for a in self._attempts if a.id == data), None)
            value = f"{y:.{metric.decimals}f}{' ' + metric.unit if metric.unit else ''}"
            if a is None:
                return value
            return f"Take {round(x)}: {a.title}\n{format_date(a.created_at)}\n{metric.title}: {value}\nClick to open"

        return tip

    def _miss_tip(self, x: float, y: float, data: Any) -> str:
        a = next((a for a in self._attempts if a.id == data), None)
        title = f": {a.title}" if a else ""
        return f"Take {round(x)}{title}\nNo value proposition heard\nClick to open"

    def _build_charts(self) -> None:
        import pyqtgraph as pg

        grid = self._grid
        for n, metric in enumerate(METRICS):
            plot = pg.PlotWidget()
            plot.setAccessibleName(f"{metric.title} over takes")
            plot.setMinimumHeight(150)
            item = plot.getPlotItem()
            item.hideButtons()
            item.setMenuEnabled(False)
            item.setMouseEnabled(x=False, y=False)
            item.showGrid(x=False, y=True, alpha=0.18)
            scatter = pg.ScatterPlotItem(hoverable=True, tip=self._tip(metric), size=10)
            scatter.sigClicked.connect(self._clicked)
            self.plots[metric.key] = plot
            self.scatters[metric.key] = scatter
            if n == 0:
                grid.addWidget(plot, 0, 0, 1, 2)
            else:
                grid.addWidget(plot, 1 + (n - 1) // 2, (n - 1) % 2)
        self.misses = pg.ScatterPlotItem(hoverable=True, tip=self._miss_tip)
        self.misses.sigClicked.connect(self._clicked)
        for row in range(3):
            grid.setRowStretch(row, 1)

    def _render(self, force: bool = False) -> None:
        pal = self.palette()
        base = pal.color(QPalette.ColorRole.Base)
        text = pal.color(QPalette.ColorRole.Text)
        muted = muted_text(pal, QPalette.ColorRole.Text)
        accent = pal.color(QPalette.ColorRole.Highlight)
        n = len(self._attempts)
        self.empty.setVisible(n == 0)
        self.charts.setVisible(n > 0)
        if n:
            latest = self._attempts[-1]
            best = max(a.score or 0 for a in self._attempts)
            takes = "1 analyzed take" if n == 1 else f"{n} analyzed takes"
            line = f"{takes} \u00b7 best score {best} \u00b7 latest {latest.score}"
            ups = [text_ for _, text_, _ in self._latest_deltas()[:1]]
            self.summary.setText(line + (f", {ups[0]}" if ups else ""))
        else:
            self.summary.setText("")
        if not self.plots:
            if not (n and (force or self.isVisible())):
                return
            self._build_charts()
        for metric in METRICS:
            self._draw(metric, base, text, muted, accent)

    def _latest_deltas(self) -> list[tuple[str, str, bool | None]]:
        if len(self._attempts) < 2:
            return []
        cur, prev = self._attempts[-1], self._attempts[-2]
        return [d for d in deltas(cur, prev, self.length_zone, self.wpm_zone) if d[0] == "Score"]

    def _draw(
        self, metric: Metric, base: QColor, text: QColor, muted: QColor, accent: QColor
    ) -> None:
        import pyqtgraph as pg

        plot = self.plots[metric.key]
        item = plot.getPlotItem()
        item.clear()
        plot.setBackground(base)
        title_size = f"{max(9.0, self.font().pointSizeF() * 1.05):.0f}pt"
        unit = f" ({metric.unit})" if metric.unit else ""
        item.setTitle(f"<b>{metric.title}</b>{unit}", color=text.name(), size=title_size)
        for side in ("left", "bottom"):
            axis = item.getAxis(side)
            axis.setPen(pg.mkPen(muted))
            axis.setTextPen(pg.mkPen(text))
        if metric.scored:
            item.getAxis("bottom").setLabel("Take (oldest first)", color=muted.name())

        points = [(i + 1, metric.value(a), a) for i, a in enumerate(self._attempts)]
        shown = [(x, float(v), a) for x, v, a in points if v is not None]
        values = [v for _, v, _ in shown]
        refs: list[float] = []
        if metric.zone is not None:
            low, high = metric.zone(self)
            zone = QColor(ZONE)
            zone.setAlphaF(0.16)
            band = pg.LinearRegionItem(
                (low, high), orientation="horizontal", brush=zone, pen=pg.mkPen(None), movable=False
            )
            band.setZValue(-10)
            item.addItem(band)
            refs = [low, high]
        elif metric.limit is not None:
            at = metric.limit(self)
            pen = pg.mkPen(
                blend(STATUS_COLORS["warn"], base, 0.85), width=1.5, style=Qt.PenStyle.DashLine
            )
            label = f"{at:g} {metric.unit}".replace(" /", "/")
            line = pg.InfiniteLine(
                pos=at, angle=0, pen=pen, label=label,
                labelOpts={"position": 0.97, "color": muted.name(), "anchors": [(1, 1), (1, 1)]},
            )  # fmt: skip
            item.addItem(line)
            refs = [at]
        if len(shown) > 1:  # the line breaks where a take has no value
            ys = [math.nan if v is None else float(v) for _, v, _ in points]
            curve = pg.PlotCurveItem(
                [x for x, _, _ in points], ys, pen=pg.mkPen(accent, width=2), connect="finite"
            )
            item.addItem(curve)
        if metric.misses:
            misses = [(x, a) for x, v, a in points if v is None]
            if misses:
                refs.append(self._draw_misses(item, misses, refs + values))
                fail = STATUS_COLORS["fail"].name()
                item.setTitle(
                    f"<b>{metric.title}</b>{unit}&nbsp;&nbsp;&nbsp;<span style='color:{fail}'>"
                    f"\u2716</span> <span style='color:{muted.name()}'>not heard</span>",
                    color=text.name(),
                    size=title_size,
                )
        scatter = self.scatters[metric.key]
        scatter.setData(
            x=[x for x, _, _ in shown],
            y=[v for _, v, _ in shown],
            data=[a.id for _, _, a in shown],
            brush=[pg.mkBrush(self._point_color(metric, a, accent)) for _, _, a in shown],
            pen=pg.mkPen(base, width=1.5),
            hoverBrush=pg.mkBrush(text),
        )
        item.addItem(scatter)
        self._ranges(metric, item, values + refs)

    def _draw_misses(
        self, item: pg.PlotItem, misses: list[tuple[int, Attempt]], values: list[float]
    ) -> float:
        """Takes where no value proposition was heard: a red cross along the top (returned)."""
        import pyqtgraph as pg

        top = max([1.0, *values]) * 1.12
        assert self.misses is not None  # made with the plot
        self.misses.setData(
            x=[x for x, _ in misses],
            y=[top] * len(misses),
            data=[a.id for _, a in misses],
            symbol="x",
            size=11,
            brush=pg.mkBrush(STATUS_COLORS["fail"]),
            pen=pg.mkPen(None),
        )
        item.addItem(self.misses)
        return top

    @staticmethod
    def _point_color(metric: Metric, a: Attempt, accent: QColor) -> QColor:
        if metric.scored and a.score is not None:
            return STATUS_COLORS[score_status(a.score)]
        return accent

    def _ranges(self, metric: Metric, item: pg.PlotItem, values: list[float]) -> None:

        n = len(self._attempts)
        item.setXRange(0.5, max(n, 1) + 0.5, padding=0)
        step = max(1, -(-n // 12))
        item.getAxis("bottom").setTicks([[(x, str(x)) for x in range(1, n + 1, step)], []])
        if metric.scored:
            item.setYRange(0, 100, padding=0.04)
            return
        low = min([0.0, *values])
        high = max([1.0, *values])
        span = high - low
        item.setYRange(low - span * 0.06, high + span * 0.12, padding=0)

    def _clicked(self, _scatter: object, points: list[Any], _event: object = None) -> None:
        if len(points):
            self.open_requested.emit(int(points[0].data()))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.plots and self._attempts:
            self._render()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._render()
