"""Two takes side by side: key figures, scorecards row by row, both highlighted transcripts."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from voicemail_coach.app.dates import format_date
from voicemail_coach.app.deltas import LENGTH_ZONE, WPM_ZONE, better, ideal_zone
from voicemail_coach.app.pages.history_model import MISSING, score_status
from voicemail_coach.app.widgets.check_row import CTA_KINDS, check_title, format_value, status_word
from voicemail_coach.app.widgets.colors import STATUS_COLORS, STATUS_SYMBOLS, blend, muted_text
from voicemail_coach.app.widgets.transcript_view import TranscriptView

if TYPE_CHECKING:
    from voicemail_coach.analysis.report import Check, Report
    from voicemail_coach.storage.records import Attempt, StoredReport

Side = tuple["Attempt", "StoredReport"]
RANK = {"fail": 0, "warn": 1, "pass": 2}
LABEL_W = 180
# A row whose two takes got different verdicts: a badge in words and a symbol (readable without
# colour), a bar at its left edge and a tint, in a colour no status and no stripe uses.
DIFFERS_COLOR = QColor("#7b4fc9")
DIFFERS_BADGE = "\u2260 different verdict"


def _check(report: Report, check_id: str) -> Check | None:
    return next((c for c in report.checks if c.id == check_id), None)


def _by_status(a: Check | None, b: Check | None) -> bool | None:
    """Is check ``a`` better than ``b`` by verdict? None if equal or not comparable."""
    ra, rb = RANK.get(a.status if a else ""), RANK.get(b.status if b else "")
    if ra is None or rb is None or ra == rb:
        return None
    return ra > rb


def _either(first: bool | None, second: bool | None) -> bool | None:
    return first if first is not None else second


class _Row(QWidget):
    """A label column and two value columns; shaded, tinted when the two sides differ."""

    def __init__(self, label: str, a: str, b: str, kind: str = "row") -> None:
        super().__init__()
        self.kind = kind  # "row", "shaded", "differs", "section", "header"
        self.differs = kind == "differs"
        if self.differs:
            label += (
                f"<br><span style='color:{DIFFERS_COLOR.name()}; font-size:small; "
                f"font-weight:700'>{DIFFERS_BADGE.replace(' ', '&nbsp;')}</span>"
            )
            self.setAccessibleDescription("The two takes got different verdicts")
        self.label = QLabel(label)
        self.label.setFixedWidth(LABEL_W)
        self.cells = (QLabel(a), QLabel(b))
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 5 if kind != "section" else 12, 10, 5)
        row.setSpacing(12)
        row.addWidget(self.label, 0, Qt.AlignmentFlag.AlignTop)
        for cell in self.cells:
            cell.setWordWrap(True)
            cell.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
            row.addWidget(cell, 1)

    def paintEvent(self, event: QPaintEvent) -> None:
        pal = self.palette()
        base = pal.color(QPalette.ColorRole.Base)
        color = {
            "shaded": pal.color(QPalette.ColorRole.AlternateBase),
            "differs": blend(DIFFERS_COLOR, base, 0.16),
        }.get(self.kind)
        if color is not None:
            p = QPainter(self)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(color)
            p.drawRoundedRect(QRectF(self.rect()).adjusted(2, 1, -2, -1), 5, 5)
            if self.differs:
                p.setBrush(DIFFERS_COLOR)
                p.drawRoundedRect(QRectF(2, 1, 5, self.height() - 2), 2, 2)
            p.end()


class CompareView(QWidget):
    """``set_attempts((attempt, stored_report), (attempt, stored_report))`` shows them side by
    side. Clicking a take's title emits ``open_requested(attempt_id)``."""

    open_requested = Signal(int)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        length_zone: tuple[float, float] = LENGTH_ZONE,
        wpm_zone: tuple[float, float] = WPM_ZONE,
    ) -> None:
        super().__init__(parent)
        self.length_zone = length_zone
        self.wpm_zone = wpm_zone
        self._sides: tuple[Side, Side] | None = None
        self.rows: list[_Row] = []
        self.setAccessibleName("Compare takes")

        self.title = QLabel("Compare")
        self.title.setObjectName("pageTitle")
        self.sheet = QWidget()
        self.sheet.setBackgroundRole(QPalette.ColorRole.Base)
        self.sheet.setAutoFillBackground(True)
        self._sheet_layout = QVBoxLayout(self.sheet)
        self._sheet_layout.setContentsMargins(4, 4, 4, 4)
        self._sheet_layout.setSpacing(0)
        self._sheet_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.sheet)
        scroll.setAccessibleName("Key figures and scorecards")

        self.transcript_a = TranscriptView()
        self.transcript_b = TranscriptView()
        words = QWidget()
        row = QHBoxLayout(words)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(12)
        heading = QLabel("<b>Transcripts</b>")
        heading.setFixedWidth(LABEL_W + 12)
        heading.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        heading.setContentsMargins(0, 6, 0, 0)
        row.addWidget(heading)
        for name, view in (("first", self.transcript_a), ("second", self.transcript_b)):
            view.setAccessibleName(f"Transcript of the {name} take")
            row.addWidget(view, 1)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(scroll)
        split.addWidget(words)
        # Voicemail transcripts are a few lines; a taller window gives its height to the figures.
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 0)
        split.setChildrenCollapsible(False)
        split.setSizes([700, 190])
        self.split = split
        layout = QVBoxLayout(self)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addWidget(split, 1)

    # public API -------------------------------------------------------------------------------

    def set_attempts(self, a: Side, b: Side) -> None:
        self._sides = (a, b)
        self.transcript_a.set_report(a[1].report)
        self.transcript_b.set_report(b[1].report)
        self._rebuild()

    def clear(self) -> None:
        self._sides = None
        self.transcript_a.clear_report()
        self.transcript_b.clear_report()
        self._rebuild()

    def figures(self) -> list[tuple[str, str, str, bool | None]]:
        """(figure, first take's value, second's, is the first better?) as shown."""
        if self._sides is None:
            return []
        return self._figures(self._sides[0][1].report, self._sides[1][1].report)

    # building ---------------------------------------------------------------------------------

    def _figures(self, ra: Report, rb: Report) -> list[tuple[str, str, str, bool | None]]:
        la, lb = _check(ra, "length"), _check(rb, "length")
        pa, pb = _check(ra, "pace"), _check(rb, "pace")
        lz = ideal_zone(ra, "length", self.length_zone)
        wz = ideal_zone(ra, "pace", self.wpm_zone)

        def ttv(r: Report) -> float | None:
            m = r.value_proposition
            return m.start_s if m.found else None

        def cta(r: Report) -> str:
            m = r.call_to_action
            kind = CTA_KINDS.get(m.kind or "", m.kind or "found").removeprefix("your ")
            return kind if m.found else "none"

        ta, tb = ttv(ra), ttv(rb)
        da, db = ra.delivery, rb.delivery
        ca, cb = _check(ra, "call_to_action"), _check(rb, "call_to_action")
        return [
            (
                "Score",
                _score_text(ra),
                _score_text(rb),
                None
                if ra.score is None or rb.score is None
                else better("score", ra.score, rb.score),
            ),
            (
                "Length",
                f"{ra.source.duration_s:.1f} s",
                f"{rb.source.duration_s:.1f} s",
                _either(
                    _by_status(la, lb),
                    better("length", ra.source.duration_s, rb.source.duration_s, length_zone=lz),
                ),
            ),
            (
                "Time to value",
                f"{ta:.1f} s" if ta is not None else "not heard",
                f"{tb:.1f} s" if tb is not None else "not heard",
                better("time_to_value", ta, tb),
            ),
            ("Call to action", cta(ra), cta(rb), _by_status(ca, cb)),
            (
                "Words per minute",
                f"{da.wpm:.0f}",
                f"{db.wpm:.0f}",
                _either(
                    _by_status(pa, pb), better("wpm", round(da.wpm), round(db.wpm), wpm_zone=wz)
                ),
            ),
            (
                "Fillers per minute",
                f"{da.fillers_per_minute:.1f}",
                f"{db.fillers_per_minute:.1f}",
                better("fillers", round(da.fillers_per_minute, 1), round(db.fillers_per_minute, 1)),
            ),
        ]

    def _rebuild(self) -> None:
        for row in self.rows:
            row.setParent(None)
            row.deleteLater()
        self.rows = []
        if self._sides is None:
            return
        pal = self.palette()
        muted = muted_text(pal, QPalette.ColorRole.Text).name()
        good = STATUS_COLORS["pass"].name()
        (aa, sa), (ab, sb) = self._sides
        ra, rb = sa.report, sb.report

        def head(att: Attempt, stored: StoredReport, report: Report) -> str:
            status = "info" if report.score is None else score_status(report.score)
            color = STATUS_COLORS[status].name()
            model = stored.model_name or "script estimate"
            return (
                f"<a href='open:{att.id}' style='text-decoration:none; color:{pal.color(QPalette.ColorRole.Text).name()}'>"
                f"<span style='font-size:13pt; font-weight:600'>{html.escape(att.title)}</span></a>"
                f"&nbsp;&nbsp;<span style='font-size:13pt; font-weight:700; color:{color}'>{_score_text(report)}</span><br>"
                f"<span style='color:{muted}'>{format_date(att.created_at)} \u00b7 "
                f"{html.escape(stored.profile_name)} \u00b7 {html.escape(model)}</span>"
            )  # fmt: skip

        header = self._add("", head(aa, sa, ra), head(ab, sb, rb), "header")
        for cell in header.cells:
            cell.linkActivated.connect(self._link)
            cell.setToolTip("Open this take")
        self._add("<b>Key figures</b>", "", "", "section")
        for n, (label, va, vb, a_better) in enumerate(self._figures(ra, rb)):
            mark = f" <span style='color:{good}; font-size:small'>\u2714&nbsp;better</span>"
            ta = f"<b>{html.escape(va)}</b>{mark}" if a_better is True else html.escape(va)
            tb = f"<b>{html.escape(vb)}</b>{mark}" if a_better is False else html.escape(vb)
            self._add(html.escape(label), ta, tb, "shaded" if n % 2 else "row")
        note = (
            f"<span style='color:{muted}'>Rows marked <b style='color:{DIFFERS_COLOR.name()}'>"
            f"{DIFFERS_BADGE}</b>: the two takes got different verdicts</span>"
        )
        self._add("<b>Scorecard</b>", note, "", "section")
        ids = list(dict.fromkeys([c.id for c in ra.checks] + [c.id for c in rb.checks]))
        for n, check_id in enumerate(ids):
            ca, cb = _check(ra, check_id), _check(rb, check_id)
            title = check_title(ca or cb)  # type: ignore[arg-type]
            verdict = _by_status(ca, cb)
            differs = (ca and ca.status) != (cb and cb.status)
            row = self._add(
                html.escape(title),
                self._cell(ca, verdict is True),
                self._cell(cb, verdict is False),
                "differs" if differs else "shaded" if n % 2 else "row",
            )
            for cell, check in zip(row.cells, (ca, cb), strict=True):
                if check is not None:
                    word = status_word(check)
                    cell.setToolTip(check.message)
                    cell.setAccessibleName(f"{title}: {word}, {format_value(check)}")

    @staticmethod
    def _cell(check: Check | None, emphasise: bool) -> str:
        if check is None:
            return MISSING
        color = STATUS_COLORS.get(check.status, STATUS_COLORS["info"]).name()
        symbol = STATUS_SYMBOLS.get(check.status, "?")
        value = html.escape(format_value(check))
        value = f"<b>{value}</b>" if emphasise else value
        return f"<span style='color:{color}; font-weight:700'>{symbol}</span>&nbsp;&nbsp;{value}"

    def _add(self, label: str, a: str, b: str, kind: str) -> _Row:
        row = _Row(label, a, b, kind)
        self._sheet_layout.insertWidget(self._sheet_layout.count() - 1, row)
        self.rows.append(row)
        return row

    def _link(self, href: str) -> None:
        if href.startswith("open:"):
            self.open_requested.emit(int(href[5:]))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._rebuild()


def _score_text(report: Report) -> str:
    return "no message" if report.score is None else str(report.score)
