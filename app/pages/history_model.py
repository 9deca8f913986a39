"""The history table: one row per attempt, numbers that sort as numbers, missing values last."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QGuiApplication, QPalette

from voicemail_coach.app.dates import format_date
from voicemail_coach.app.summary_cells import score_status as score_status  # Qt-free, shared
from voicemail_coach.app.widgets.colors import STATUS_COLORS

if TYPE_CHECKING:
    from voicemail_coach.storage.records import Attempt

Index = QModelIndex | QPersistentModelIndex
MISSING = "\u2014"  # an em dash for "not measured"
NO_MESSAGE = "no message"  # the score column of a take that held no voicemail message
SORT_ROLE = Qt.ItemDataRole.UserRole
ID_ROLE = Qt.ItemDataRole.UserRole + 1
ATTEMPT_ROLE = Qt.ItemDataRole.UserRole + 2

DATE, TITLE, TAGS, SCENARIO, DURATION, SCORE, TTV, WPM, FILLERS = range(9)
PARTICIPANT = 9  # who recorded the take, in a role-play session
OUTCOME = 10  # what happened to a real voicemail left
HEADERS = (
    "Date",
    "Title",
    "Tags",
    "Scenario",
    "Duration",
    "Score",
    "Time to value",
    "WPM",
    "Fillers/min",
    "Participant",
    "Outcome",
)
TOOLTIPS = {
    DURATION: "Length of the take",
    SCORE: "Overall score out of 100",
    TTV: "When the value proposition was first heard",
    WPM: "Words per minute",
    FILLERS: "Filler words (um, uh, like\u2026) per minute",
    PARTICIPANT: "Who recorded the take, in a role-play session",
    OUTCOME: "What happened to a real voicemail you left (Outcome\u2026 to record it)",
}
NUMERIC = (DURATION, SCORE, TTV, WPM, FILLERS)


def format_seconds(value: float | None) -> str:
    return MISSING if value is None else f"{value:.1f} s"


def format_number(value: float | None, decimals: int = 0) -> str:
    return MISSING if value is None else f"{value:.{decimals}f}"


def parse_tags(text: str) -> tuple[str, ...]:
    """Comma-separated tags: trimmed, empty ones dropped, duplicates removed (order kept)."""
    tags = (t.strip() for t in text.split(","))
    return tuple(dict.fromkeys(t for t in tags if t))


def _numeric(attempt: Attempt, column: int) -> float | None:
    value = {
        DURATION: attempt.duration_s,
        SCORE: attempt.score,
        TTV: attempt.time_to_value_s,
        WPM: attempt.wpm,
        FILLERS: attempt.fillers_per_min,
    }[column]
    return None if value is None else float(value)


class HistoryModel(QAbstractTableModel):
    """Attempts as rows. Title and Tags are editable; an edit updates the row and emits
    ``edited(attempt_id, field, value)`` with field "title" (str) or "tags" (tuple of str)."""

    edited = Signal(int, str, object)

    def __init__(self, attempts: Sequence[Attempt] = (), parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._attempts: list[Attempt] = list(attempts)
        self._outcomes: dict[int, str] = {}

    def set_attempts(
        self, attempts: Sequence[Attempt], outcomes: dict[int, str] | None = None
    ) -> None:
        """``outcomes``: the outcome's words ("called back, 2026-01-05") by attempt id."""
        self.beginResetModel()
        self._attempts = list(attempts)
        self._outcomes = dict(outcomes or {})
        self.endResetModel()

    def attempts(self) -> list[Attempt]:
        return list(self._attempts)

    def attempt_at(self, row: int) -> Attempt:
        return self._attempts[row]

    def row_of(self, attempt_id: int) -> int | None:
        return next((r for r, a in enumerate(self._attempts) if a.id == attempt_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._attempts)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return TOOLTIPS.get(section)
        if role == Qt.ItemDataRole.TextAlignmentRole and section in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() in (TITLE, TAGS):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._attempts):
            return None
        a, col = self._attempts[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._outcome(a) if col == OUTCOME else self._display(a, col)
        if role == Qt.ItemDataRole.EditRole:
            return a.title if col == TITLE else ", ".join(a.tags) if col == TAGS else None
        if role == SORT_ROLE:
            if col in NUMERIC:
                return _numeric(a, col)
            if col == DATE:
                return a.created_at
            text = self._outcome(a) if col == OUTCOME else self._display(a, col)
            return None if text in ("", MISSING) else text.casefold()
        if role == ID_ROLE:
            return a.id
        if role == ATTEMPT_ROLE:
            return a
        if role == Qt.ItemDataRole.TextAlignmentRole and col in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if a.score is None:  # no message, or not analyzed (cancelled, interrupted): grey
                return QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)
            return STATUS_COLORS[score_status(a.score)] if col == SCORE else None
        bold = col == SCORE and a.score is not None
        if role == Qt.ItemDataRole.FontRole and (bold or a.status == "recording"):
            font = QFont()
            font.setBold(bold)
            font.setItalic(a.status == "recording")
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(a)
        return None

    def _outcome(self, a: Attempt) -> str:
        said = self._outcomes.get(a.id)
        if said is not None:
            return said
        return "left, no outcome yet" if a.left_as_voicemail else ""

    @staticmethod
    def _display(a: Attempt, col: int) -> str:
        if col == DATE:
            return format_date(a.created_at)
        if col == TITLE:
            return a.title + (" (interrupted)" if a.status == "recording" else "")
        if col == TAGS:
            return ", ".join(a.tags)
        if col == SCENARIO:
            return a.scenario or ""
        if col == PARTICIPANT:
            return a.participant or ""
        if col in (DURATION, TTV):
            return format_seconds(_numeric(a, col))
        if col == SCORE:
            return NO_MESSAGE if a.no_message else format_number(a.score)
        if col == WPM:
            return format_number(a.wpm)
        return format_number(a.fillers_per_min, 1)

    @staticmethod
    def _tooltip(a: Attempt) -> str:
        lines = [a.title]
        if a.status == "recording":
            lines.append("Interrupted while recording: re-analyze it to recover the take.")
        elif a.no_message:
            lines.append(f"No voicemail message: {a.no_message}")
        elif a.score is None:
            lines.append("Not analyzed yet")
        if a.profile_name or a.model_name:
            lines.append(" \u00b7 ".join(x for x in (a.profile_name, a.model_name) if x))
        if a.notes:
            lines.append(a.notes)
        return "\n".join(lines)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        a, col = self._attempts[index.row()], index.column()
        text = str(value)
        new: str | tuple[str, ...]
        if col == TITLE:
            title = text.strip()
            if not title or title == a.title:
                return False
            self._attempts[index.row()] = dataclasses.replace(a, title=title)
            field, new = "title", title
        elif col == TAGS:
            tags = parse_tags(text)
            if tags == a.tags:
                return False
            self._attempts[index.row()] = dataclasses.replace(a, tags=tags)
            field, new = "tags", tags
        else:
            return False
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(HEADERS) - 1))
        self.edited.emit(a.id, field, new)
        return True


class HistoryFilter(QSortFilterProxyModel):
    """Sorts by ``SORT_ROLE`` with missing values last in either order; filters by free text
    (every word must appear in the title, tags or scenario), by scenario and by tag."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._words: tuple[str, ...] = ()
        self._scenario: str | None = None
        self._tag: str | None = None
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def _refilter(self, change: Callable[[], None]) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.9+
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - older Qt
            change()
            self.invalidateRowsFilter()

    def set_text(self, text: str) -> None:
        words = tuple(text.casefold().split())
        if words != self._words:
            self._refilter(lambda: setattr(self, "_words", words))

    def set_scenario(self, scenario: str | None) -> None:
        if scenario != self._scenario:
            self._refilter(lambda: setattr(self, "_scenario", scenario or None))

    def set_tag(self, tag: str | None) -> None:
        if tag != self._tag:
            self._refilter(lambda: setattr(self, "_tag", tag or None))

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        a = model.index(source_row, 0, source_parent).data(ATTEMPT_ROLE)
        if a is None:
            return True
        if self._scenario is not None and a.scenario != self._scenario:
            return False
        if self._tag is not None and self._tag not in a.tags:
            return False
        haystack = " ".join((a.title, *a.tags, a.scenario or "", a.participant or "")).casefold()
        return all(word in haystack for word in self._words)

    def lessThan(self, left: Index, right: Index) -> bool:
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if a is None or b is None:
            # Qt sorts descending by asking lessThan(right, left): answer so missing stays last.
            descending = self.sortOrder() == Qt.SortOrder.DescendingOrder
            if a is None and b is None:
                return False
            return descending if a is None else not descending
        return bool(a < b)  # the sort is stable: ties keep the library's order, newest first
