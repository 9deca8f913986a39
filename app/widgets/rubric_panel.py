"""The coach's rubric for one take: a row per criterion with a score on its scale, and the total."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from voicemail_coach.analysis.profile import RubricCriterion
from voicemail_coach.storage.coaching import Coaching
from voicemail_coach.storage.coaching_records import RubricScore, rubric_columns, rubric_total
from voicemail_coach.storage.records import LibraryError

NOT_SCORED_TEXT = "\u2013"


class ScoreRow(QWidget):
    """One button per point of the scale, plus "not scored"; ``chosen`` carries the score."""

    chosen = Signal(object)  # int, or None for "not scored"

    def __init__(self, criterion: RubricCriterion, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.criterion = criterion
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        # Button ids are positions: QButtonGroup treats a negative id as "pick one for me".
        self.values: list[int | None] = [None, *range(criterion.scale_min, criterion.scale_max + 1)]
        for position, value in enumerate(self.values):
            button = QToolButton()
            button.setText(NOT_SCORED_TEXT if value is None else str(value))
            if value is None:
                button.setObjectName("notScored")
            button.setCheckable(True)
            button.setAutoRaise(False)
            button.setMinimumWidth(28)
            button.setAccessibleName(
                f"{criterion.name}: "
                + ("not scored" if value is None else f"{value} of {criterion.scale_max}")
            )
            self.group.addButton(button, position)
            row.addWidget(button)
        row.addStretch(1)
        # The chosen score must stand out at a glance, in light and dark themes alike.
        self.setStyleSheet(
            "QToolButton:checked { background: palette(highlight);"
            " color: palette(highlighted-text); border: 1px solid palette(highlight);"
            " border-radius: 3px; font-weight: 600; }"
            "QToolButton#notScored:checked { background: palette(mid);"
            " color: palette(window-text); border: 1px solid palette(mid); font-weight: 400; }"
        )
        self.group.idClicked.connect(lambda position: self.chosen.emit(self.values[position]))
        self.set_score(None)

    def set_score(self, score: int | None) -> None:
        self.button(score).setChecked(True)

    def score(self) -> int | None:
        position = self.group.checkedId()
        return self.values[position] if position >= 0 else None

    def button(self, score: int | None) -> QAbstractButton:
        return self.group.button(self.values.index(score))


class RubricPanel(QWidget):
    """Scores are saved as soon as they are clicked; the total follows."""

    message = Signal(str, str)  # level, text
    total_changed = Signal(str)  # "18/25", or "" when nothing is scored

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store: Coaching | None = None
        self.attempt_id: int | None = None
        self.profile_name = ""
        self.rows: dict[str, ScoreRow] = {}
        self.criteria: tuple[RubricCriterion, ...] = ()
        self._scores: dict[str, RubricScore] = {}
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setVerticalSpacing(2)
        self.total = QLabel()
        self.total.setObjectName("rubricTotal")
        self.total.setAccessibleName("Rubric total")
        self.empty = QLabel(
            "The guidance profile of this report has no rubric. Add [[rubric]] entries to "
            "the profile to score takes by hand."
        )
        self.empty.setWordWrap(True)
        self.empty.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        scroll = QScrollArea()
        scroll.setAccessibleName("Rubric scores")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.grid_host)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.empty)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.total)

    def set_attempt(
        self,
        store: Coaching | None,
        attempt_id: int | None,
        rubric: Sequence[RubricCriterion],
        profile_name: str,
    ) -> None:
        self.store, self.attempt_id, self.profile_name = store, attempt_id, profile_name
        scores: Mapping[str, RubricScore] = {}
        if store is not None and attempt_id is not None:
            try:
                scores = store.scores(attempt_id)
            except LibraryError as exc:
                self.message.emit("error", str(exc))
        self._scores = dict(scores)
        # Scores given under another profile's rubric stay visible as rows of their own.
        self.criteria = rubric_columns(rubric, [scores])
        self._build()

    def _build(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.rows = {}
        usable = self.store is not None and self.attempt_id is not None
        for n, c in enumerate(self.criteria):
            name = QLabel(f"<b>{html.escape(c.name)}</b>")
            name.setToolTip(c.description)
            about = QLabel(c.description)
            about.setWordWrap(True)
            about.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            row = ScoreRow(c)
            stored = self._scores.get(c.id)
            row.set_score(stored.score if stored else None)
            row.setEnabled(usable)
            row.chosen.connect(lambda score, c=c: self._save(c, score))
            self.grid.addWidget(name, 2 * n, 0, Qt.AlignmentFlag.AlignVCenter)
            self.grid.addWidget(row, 2 * n, 1)
            self.grid.addWidget(about, 2 * n + 1, 0, 1, 2)
            self.rows[c.id] = row
        self.grid.setRowStretch(2 * len(self.criteria), 1)
        self.empty.setVisible(not self.criteria)
        self._show_total()

    def _save(self, criterion: RubricCriterion, score: int | None) -> None:
        if self.store is None or self.attempt_id is None:
            return
        try:
            saved = self.store.set_score(self.attempt_id, criterion, score, self.profile_name)
        except LibraryError as exc:
            self.message.emit("error", str(exc))
            old = self._scores.get(criterion.id)
            self.rows[criterion.id].set_score(old.score if old else None)
            return
        if saved is None:
            self._scores.pop(criterion.id, None)
        else:
            self._scores[criterion.id] = saved
        self._show_total()

    def total_text(self) -> str:
        return rubric_total(self.criteria, self._scores).text()

    def _show_total(self) -> None:
        text = self.total_text()
        self.total.setText(f"<b>Total</b>&nbsp;&nbsp;{text}" if text else "Not scored yet")
        self.total.setVisible(bool(self.criteria))
        self.total_changed.emit(text)
