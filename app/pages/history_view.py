"""The history page: every take, searchable and sortable; open, rename, tag, delete, compare."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from voicemail_coach.app.dialogs.file_dialogs import save_file
from voicemail_coach.app.pages.history_model import (
    DATE,
    ID_ROLE,
    OUTCOME,
    SCENARIO,
    TAGS,
    TITLE,
    HistoryFilter,
    HistoryModel,
    parse_tags,
)
from voicemail_coach.storage.outcomes import Outcomes
from voicemail_coach.storage.records import LibraryError

if TYPE_CHECKING:
    from voicemail_coach.storage.library import Library
    from voicemail_coach.storage.records import Attempt

ALL = "__all__"
TEXT_COLUMN_W = 170  # the Tags and Scenario columns' width (the user may drag them wider)


def _make_table(proxy: HistoryFilter, row_height: int) -> QTableView:
    table = QTableView()
    table.setAccessibleName("Takes")
    table.setModel(proxy)
    table.setSortingEnabled(True)
    table.sortByColumn(DATE, Qt.SortOrder.DescendingOrder)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(row_height)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    # Figures and dates as wide as they need, the words (tags, scenario) at most TEXT_COLUMN_W
    # (elided, the whole text in the tooltip), and the title all the rest: a Scenario column
    # appearing no longer cuts the titles to "Recording 2026-...".
    header.setMinimumSectionSize(48)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
    for column in (TAGS, SCENARIO):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(column, TEXT_COLUMN_W)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    return table


class HistoryView(QWidget):
    open_requested = Signal(int)
    reanalyze_requested = Signal(int)
    compare_requested = Signal(int, int)
    export_requested = Signal(int)
    outcome_requested = Signal(int)
    message = Signal(str, str)  # level ("info", "warning", "error"), text: for the banner
    saved = Signal(str, str)  # message, path of the file written

    def __init__(self, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        # Dialogs, replaceable in tests: confirm(text) -> yes?; ask_text(title, label, initial)
        # -> text or None; ask_save_path() -> path or None.
        self.confirm: Callable[[str], bool] = self._confirm
        self.ask_text: Callable[[str, str, str], str | None] = self._ask_text
        self.ask_save_path: Callable[[], str | None] = self._ask_save_path
        self.setAccessibleName("History")

        self.model = HistoryModel(parent=self)
        self.model.edited.connect(self._on_edited)
        self.proxy = HistoryFilter(self)
        self.proxy.setSourceModel(self.model)

        self.title = QLabel("History")
        self.title.setObjectName("pageTitle")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search titles, tags, scenarios and people")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search takes")
        self.search.textChanged.connect(self._filter_changed)
        self.scenario = QComboBox()
        self.scenario.setAccessibleName("Scenario filter")
        self.tag = QComboBox()
        self.tag.setAccessibleName("Tag filter")
        for combo in (self.scenario, self.tag):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(self._filter_changed)
        self.count = QLabel()
        self.count.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.count.setAccessibleName("Number of takes shown")

        self.table = _make_table(self.proxy, self.fontMetrics().height() + 14)
        self.table.activated.connect(lambda _i: self._open())  # double-click, Enter
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.empty = QLabel("No takes yet. Record one or open a recording and it appears here.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        def action(text: str, name: str, slot: Callable[[], object], key: str = "") -> QAction:
            act = QAction(text, self)
            act.setToolTip(name)
            act.triggered.connect(slot)
            if key:
                act.setShortcut(QKeySequence(key))
                act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                self.table.addAction(act)
            return act

        self.open_action = action("Open", "Open the take's feedback", self._open)
        self.rename_action = action("Rename\u2026", "Rename the take", self._rename, "F2")
        self.tags_action = action("Tags\u2026", "Edit the take's tags", self._edit_tags)
        self.reanalyze_action = action(
            "Re-analyze\u2026", "Analyze again with another profile or model", self._reanalyze
        )
        self.compare_action = action("Compare", "Compare the two selected takes", self._compare)
        self.export_action = action("Export\u2026", "Export the take as PDF or HTML", self._export)
        self.outcome_action = action(
            "Outcome\u2026",
            "A real voicemail: what happened, and the script variant it used",
            self._outcome,
        )
        self.delete_action = action("Delete\u2026", "Delete the take and its recording", self.delete_selected, "Delete")  # fmt: skip
        self.csv_action = action("Export history as CSV\u2026", "Save the whole history as a CSV file", self.export_csv)  # fmt: skip

        order = (self.open_action, self.rename_action, self.tags_action, self.reanalyze_action,
                 self.compare_action, self.export_action, self.outcome_action, self.delete_action,
                 None, self.csv_action)  # fmt: skip
        self._menu_order = order
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for act in order:
            if act is None:
                buttons.addStretch(1)
                continue
            button = QPushButton(act.text())
            button.setAccessibleName(act.toolTip())
            button.setToolTip(act.toolTip())
            button.clicked.connect(act.trigger)
            act.enabledChanged.connect(button.setEnabled)
            buttons.addWidget(button)
            self.buttons[act.text().rstrip("\u2026")] = button

        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.scenario)
        filters.addWidget(self.tag)
        filters.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(self.title)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        layout.addLayout(buttons)
        self.refresh()

    # public API -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the takes from the library, keeping the selection and the filters."""
        keep = self.selected_ids()
        attempts = self.library.attempts()
        outcomes = {
            attempt_id: f"{o.label}, {o.outcome_date}"
            for attempt_id, o in Outcomes(self.library).outcomes_by_attempt().items()
        }
        self.model.set_attempts(attempts, outcomes)
        self._fill_filters(attempts)
        self.select_ids(keep)
        self._fit_columns()
        self._update_actions()

    def selected_ids(self) -> list[int]:
        rows = self.table.selectionModel().selectedRows()
        return [int(i.data(ID_ROLE)) for i in sorted(rows, key=lambda i: i.row())]

    def select_ids(self, ids: list[int]) -> None:
        selection = self.table.selectionModel()
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for attempt_id in ids:
            index = self._proxy_index(attempt_id)
            if index.isValid():
                selection.select(index, flags)
                selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)

    def rename(self, attempt_id: int, title: str) -> None:
        if title.strip():
            self._update(attempt_id, title=title.strip())

    def set_tags(self, attempt_id: int, tags: tuple[str, ...]) -> None:
        self._update(attempt_id, tags=tags)

    def delete_selected(self) -> bool:
        """Delete the selected takes and their audio, after asking. True when deleted."""
        chosen = [a for a in self.model.attempts() if a.id in self.selected_ids()]
        if not chosen:
            return False
        if len(chosen) == 1:
            question = f"Delete \u201c{chosen[0].title}\u201d and its recording?"
        else:
            question = f"Delete these {len(chosen)} takes and their recordings?"
        if not self.confirm(question + " This cannot be undone."):
            return False
        for a in chosen:
            try:
                self.library.delete(a.id)
            except LibraryError as exc:
                self.message.emit("error", str(exc))
                break
        self.refresh()
        return True

    def export_csv(self) -> None:
        path = self.ask_save_path()
        if not path:
            return
        try:
            self.library.export_csv(path)
        except (LibraryError, OSError) as exc:
            self.message.emit("error", f"Could not save the history: {exc}")
        else:
            self.saved.emit(f"History saved to {path}.", path)

    # actions ----------------------------------------------------------------------------------

    def _one(self) -> Attempt | None:
        ids = self.selected_ids()
        if len(ids) != 1:
            return None
        row = self.model.row_of(ids[0])
        return None if row is None else self.model.attempt_at(row)

    def _open(self) -> None:
        if (a := self._one()) is not None:
            self.open_requested.emit(a.id)

    def _rename(self) -> None:
        if (a := self._one()) is not None:
            self.table.edit(self._proxy_index(a.id, TITLE))

    def _edit_tags(self) -> None:
        if (a := self._one()) is None:
            return
        text = self.ask_text("Tags", "Tags, separated by commas:", ", ".join(a.tags))
        if text is not None:
            self.set_tags(a.id, parse_tags(text))

    def _reanalyze(self) -> None:
        if (a := self._one()) is not None:
            self.reanalyze_requested.emit(a.id)

    def _export(self) -> None:
        if (a := self._one()) is not None:
            self.export_requested.emit(a.id)

    def _outcome(self) -> None:
        if (a := self._one()) is not None:
            self.outcome_requested.emit(a.id)

    def _compare(self) -> None:
        ids = self.selected_ids()
        if len(ids) == 2:
            self.compare_requested.emit(ids[0], ids[1])

    def _on_edited(self, attempt_id: int, field: str, value: object) -> None:
        """An inline edit, already shown by the model: save it (reloading now would pull the
        model from under the editor committing it)."""
        try:
            self.library.update(attempt_id, **{field: value})  # type: ignore[arg-type]
        except LibraryError as exc:
            self.message.emit("error", str(exc))
            QTimer.singleShot(0, self.refresh)  # show what is really saved
        else:
            self._fill_filters(self.model.attempts())

    def _update(self, attempt_id: int, **changes: object) -> None:
        try:
            self.library.update(attempt_id, **changes)  # type: ignore[arg-type]
        except LibraryError as exc:
            self.message.emit("error", str(exc))
        self.refresh()

    # helpers ----------------------------------------------------------------------------------

    def _proxy_index(self, attempt_id: int, column: int = 0) -> QModelIndex:
        row = self.model.row_of(attempt_id)
        if row is None:
            return QModelIndex()
        return self.proxy.mapFromSource(self.model.index(row, column))

    def _fit_columns(self) -> None:
        """Columns as wide as their contents plus room to breathe; the title takes the rest."""
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        for column in range(self.model.columnCount()):
            if column != TITLE:
                header.resizeSection(column, header.sectionSize(column) + 22)

    def _update_actions(self) -> None:
        n = len(self.selected_ids())
        for act in (
            self.open_action,
            self.rename_action,
            self.tags_action,
            self.export_action,
            self.outcome_action,
        ):
            act.setEnabled(n == 1)
        one = self._one()
        self.reanalyze_action.setEnabled(one is not None)
        self.compare_action.setEnabled(n == 2)
        self.delete_action.setEnabled(n >= 1)
        self.csv_action.setEnabled(self.model.rowCount() > 0)
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        self.table.setVisible(total > 0)
        self.empty.setVisible(total == 0)
        self.count.setText(
            f"{total} take{'s' if total != 1 else ''}"
            if shown == total
            else f"{shown} of {total} takes"
        )

    def _fill_filters(self, attempts: list[Attempt]) -> None:
        scenarios = {a.scenario for a in attempts if a.scenario}
        tags = {t for a in attempts for t in a.tags}
        self._fill_combo(self.scenario, "All scenarios", scenarios)
        self._fill_combo(self.tag, "All tags", tags)
        # Empty columns only take room from the title: they appear with the first value.
        self.table.setColumnHidden(SCENARIO, not scenarios)
        self.table.setColumnHidden(TAGS, not tags)
        self.table.setColumnHidden(OUTCOME, not any(a.left_as_voicemail for a in attempts))

    @staticmethod
    def _fill_combo(combo: QComboBox, everything: str, values: set[str]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, ALL)
        for value in sorted(values, key=str.casefold):
            combo.addItem(value, value)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.setVisible(bool(values))
        combo.blockSignals(False)

    def _filter_changed(self) -> None:
        self.proxy.set_text(self.search.text())
        scenario, tag = self.scenario.currentData(), self.tag.currentData()
        self.proxy.set_scenario(None if scenario in (None, ALL) else scenario)
        self.proxy.set_tag(None if tag in (None, ALL) else tag)
        self._update_actions()

    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if index.isValid() and index.row() not in {
            i.row() for i in self.table.selectionModel().selectedRows()
        }:
            self.table.selectRow(index.row())
        menu = QMenu(self)
        for act in self._menu_order:
            if act is None or act is self.delete_action:
                menu.addSeparator()
            if act is not None:
                menu.addAction(act)
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def _confirm(self, text: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Warning, "Delete", text, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText("Delete")
        return box.exec() == QMessageBox.StandardButton.Yes

    def _ask_text(self, title: str, label: str, initial: str) -> str | None:
        text, ok = QInputDialog.getText(self, title, label, QLineEdit.EchoMode.Normal, initial)
        return text if ok else None

    def _ask_save_path(self) -> str | None:
        return save_file(
            self, "Export history as CSV", "voicemail-history.csv", "CSV files (*.csv)"
        )
