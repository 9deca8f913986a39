"""The session summary: every take of a role-play session, automatic and coach scores side by side.

Rows can be narrowed to one participant or one scenario; double-click (or Enter) opens a take.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QPalette, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from voicemail_coach.analysis.profile import RubricCriterion
from voicemail_coach.app.dates import format_date
from voicemail_coach.app.pages.history_model import MISSING
from voicemail_coach.app.summary_cells import FIXED_HEADERS, headers, one_day, row_cells
from voicemail_coach.app.widgets.colors import STATUS_COLORS
from voicemail_coach.storage.coaching_records import SummaryRow, rubric_columns

ID_ROLE = Qt.ItemDataRole.UserRole
ALL = ""
SCENARIO_W = 150  # the Scenario column's widest (the user may drag it wider)
SCENARIO_MIN_W = 90  # ... and how far it gives way when the table is short of room
RUBRIC_MIN_W = 52  # no column narrower (a header cut short keeps its name in its tooltip)


def two_lines(name: str, longest: int = 9) -> str:
    """A long header broken at the space nearest its middle ("Call to\naction"), so a column of
    one-digit scores stays narrow."""
    if len(name) <= longest or " " not in name:
        return name
    spaces = [i for i, ch in enumerate(name) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - len(name) / 2))
    return f"{name[:cut]}\n{name[cut + 1 :]}"


class NumberItem(QTableWidgetItem):
    """Sorts by its number (missing values first), shows its text."""

    def __init__(self, text: str, value: float | None) -> None:
        super().__init__(text)
        self.value = value
        self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine = self.value if self.value is not None else float("-inf")
        theirs = getattr(other, "value", None)
        return mine < (theirs if theirs is not None else float("-inf"))


def fit_widths(
    widths: list[int], room: int, scenario: int, keep: frozenset[int] = frozenset()
) -> list[int]:
    """Column widths that fit ``room``: room to spare widens the scenario column; short of
    room, the scenario column gives way first (to SCENARIO_MIN_W), then every column wider than RUBRIC_MIN_W but those in ``keep`` (who, the
    total) shares what is still over."""
    widths = list(widths)
    widths[scenario] = min(widths[scenario], SCENARIO_W)
    over = sum(widths) - room
    if over < 0:  # room to spare (a wide window): the scenario's, not the last column's
        widths[scenario] -= over
        return widths
    if over > 0:
        cut = min(over, max(0, widths[scenario] - SCENARIO_MIN_W))
        widths[scenario] -= cut
        over -= cut
    wide = [i for i, w in enumerate(widths) if w > RUBRIC_MIN_W and i != scenario and i not in keep]
    while over > 0 and wide:
        share = max(1, over // len(wide))
        for i in list(wide):
            cut = min(share, widths[i] - RUBRIC_MIN_W, over)
            widths[i] -= cut
            over -= cut
            if widths[i] <= RUBRIC_MIN_W:
                wide.remove(i)
    return widths


class SessionSummary(QWidget):
    """Right-click a take to say who recorded it (when the wrong person was up next) or to take
    it out of the session."""

    open_requested = Signal(int)  # attempt id
    relabel_requested = Signal(int, str)  # attempt id, participant
    remove_requested = Signal(int)  # attempt id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[SummaryRow] = []
        self.people: tuple[str, ...] = ()
        self.columns: tuple[RubricCriterion, ...] = ()
        self.participant = QComboBox()
        self.participant.setAccessibleName("Participant filter")
        self.scenario = QComboBox()
        self.scenario.setAccessibleName("Scenario filter")
        for combo in (self.participant, self.scenario):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(lambda _i: self._fill())
        self.count = QLabel()
        self.count.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.table = QTableWidget()
        self.table.setAccessibleName("Session summary")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setHighlightSections(False)
        self.table.activated.connect(self._open)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Show"))
        filters.addWidget(self.participant)
        filters.addWidget(self.scenario)
        filters.addStretch(1)
        filters.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)

    def set_rows(self, rows: Sequence[SummaryRow], rubric: Sequence[RubricCriterion]) -> None:
        self.rows = list(rows)
        self.columns = rubric_columns(rubric, [r.scores for r in rows])
        people = sorted({r.attempt.participant or "" for r in rows} - {""}, key=str.casefold)
        scenarios = sorted({r.attempt.scenario or "" for r in rows} - {""}, key=str.casefold)
        for combo, values, everyone in (
            (self.participant, people, "Everyone"),
            (self.scenario, scenarios, "Every scenario"),
        ):
            kept = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everyone, ALL)
            for value in values:
                combo.addItem(value, value)
            combo.setCurrentIndex(max(0, combo.findData(kept)))
            combo.blockSignals(False)
        self._fill()

    def shown(self) -> list[SummaryRow]:
        """The rows the filters let through, oldest first."""
        who, scenario = self.participant.currentData(), self.scenario.currentData()
        return [
            r
            for r in self.rows
            if (not who or r.attempt.participant == who)
            and (not scenario or r.attempt.scenario == scenario)
        ]

    def cell(self, row: int, header: str) -> str:
        """The text shown in a row (as sorted on screen) under the column named ``header``."""
        for col in range(self.table.columnCount()):
            head = self.table.horizontalHeaderItem(col)
            if head is not None and head.text().replace("\n", " ") == header:
                item = self.table.item(row, col)
                return item.text() if item is not None else ""
        raise KeyError(header)

    def _fit_columns(self) -> None:
        """Every column in view without scrolling sideways, Rubric and Comments included: each
        as wide as its contents, then the scenario and the widest give way (elided)."""
        table, header = self.table, self.table.horizontalHeader()
        count = table.columnCount()
        if not count:
            return
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        natural = [header.sectionSize(c) for c in range(count)]
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Not laid out yet (a page not shown): as wide as they need; fitted once shown.
        room = table.viewport().width() if table.isVisible() else sum(natural)
        scenario = FIXED_HEADERS.index("Scenario")
        keep = frozenset({0, FIXED_HEADERS.index("Who"), count - 2})  # time, who, the total
        for column, width in enumerate(fit_widths(natural, room, scenario, keep)):
            header.resizeSection(column, width)
            head = table.horizontalHeaderItem(column)
            if head is not None and width < natural[column] and not head.toolTip():
                head.setToolTip(head.text().replace("\n", " "))
        header.setStretchLastSection(True)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_columns()

    def _fill(self) -> None:
        rows = self.shown()
        names = [two_lines(name) for name in headers(self.columns)]
        table = self.table
        table.setSortingEnabled(False)
        table.clear()
        table.setColumnCount(len(names))
        table.setHorizontalHeaderLabels(names)
        auto = table.horizontalHeaderItem(FIXED_HEADERS.index("Auto"))
        if auto is not None:
            auto.setToolTip("The automatic score out of 100, from the analysis")
        total_head = table.horizontalHeaderItem(len(names) - 2)
        if total_head is not None:
            total_head.setToolTip("The coach's rubric scores added up, out of their maxima")
        for col, c in enumerate(self.columns, start=len(FIXED_HEADERS)):
            head = table.horizontalHeaderItem(col)
            if head is not None:
                head.setToolTip(f"{c.description} ({c.scale_min}-{c.scale_max})".strip())
        table.setRowCount(len(rows))
        same_day = one_day(rows)
        for n, r in enumerate(rows):
            a = r.attempt
            when = format_date(a.created_at)
            shown_when = when[11:] if same_day else format_date(a.created_at, "short")
            for col, entry in enumerate(row_cells(r, self.columns, shown_when, MISSING)):
                item = (
                    NumberItem(entry.text, entry.value)
                    if entry.number
                    else QTableWidgetItem(entry.text)
                )
                if entry.status is not None:
                    item.setForeground(STATUS_COLORS[entry.status])
                item.setData(ID_ROLE, a.id)
                item.setToolTip(f"{a.title} \u00b7 {when}")
                table.setItem(n, col, item)
        table.setSortingEnabled(True)
        scenario = FIXED_HEADERS.index("Scenario")
        for n in range(len(rows)):
            cell = table.item(n, scenario)
            if cell is not None:
                cell.setToolTip(cell.text())
        self._fit_columns()
        shown, total_rows = len(rows), len(self.rows)
        self.count.setText(
            f"{total_rows} take{'s' if total_rows != 1 else ''}"
            if shown == total_rows
            else f"{shown} of {total_rows} takes"
        )

    def _relabel(self, attempt_id: int, name: str) -> Callable[[], None]:
        return lambda: self.relabel_requested.emit(attempt_id, name)

    def menu_for(self, row: int) -> QMenu | None:
        """The context menu of a row: open, recorded by each participant, out of the session."""
        item = self.table.item(row, 0)
        if item is None:
            return None
        attempt_id = int(item.data(ID_ROLE))
        current = next(
            (r.attempt.participant for r in self.rows if r.attempt.id == attempt_id), None
        )
        menu = QMenu(self)
        menu.addAction("Review this take", lambda: self.open_requested.emit(attempt_id))
        menu.addSeparator()
        for name in self.people:
            action = menu.addAction(f"Recorded by {name}", self._relabel(attempt_id, name))
            action.setCheckable(True)
            action.setChecked(name == current)
        menu.addSeparator()
        menu.addAction("Take out of this session", lambda: self.remove_requested.emit(attempt_id))
        return menu

    def _context_menu(self, pos: QPoint) -> None:
        menu = self.menu_for(self.table.rowAt(pos.y()))
        if menu is not None:
            menu.exec(self.table.viewport().mapToGlobal(pos))

    def _open(self, index: object) -> None:
        item = self.table.item(self.table.currentRow(), 0)
        if item is not None:
            self.open_requested.emit(int(item.data(ID_ROLE)))
