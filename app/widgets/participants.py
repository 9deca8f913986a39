"""Who takes part in a role-play session, in turn order: add, remove, rename, reorder."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class ParticipantsEditor(QWidget):
    """Edits a list of names; every change is announced with the whole new list (``changed``)
    or, for a rename (double-click a name), with ``renamed(old, new)``."""

    changed = Signal(list)
    renamed = Signal(str, str)
    message = Signal(str, str)  # level, text

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._names: list[str] = []
        self.list = QListWidget()
        self.list.setAccessibleName("Participants")
        self.list.setFlow(QListWidget.Flow.LeftToRight)
        self.list.setWrapping(True)
        self.list.setSpacing(3)
        self.list.setFixedHeight(self.fontMetrics().height() * 2 + 22)
        self.list.setStyleSheet(
            "QListWidget::item { border: 1px solid palette(mid); border-radius: 9px;"
            " padding: 2px 10px; }"
        )
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked)
        self.list.model().rowsMoved.connect(lambda *_: self._moved())
        self.list.itemChanged.connect(self._edited)
        self.list.currentRowChanged.connect(lambda _r: self._update_buttons())
        self.new = QLineEdit()
        self.new.setPlaceholderText("Add a participant: type a name, then Enter")
        self.new.setAccessibleName("New participant")
        self.new.returnPressed.connect(self.add)
        self.add_button = QPushButton("Add")
        self.add_button.clicked.connect(self.add)
        self.earlier = QPushButton("\u25c0")
        self.earlier.setToolTip("Earlier in the order")
        self.earlier.setAccessibleName("Move earlier")
        self.earlier.clicked.connect(lambda: self.move_selected(-1))
        self.later = QPushButton("\u25b6")
        self.later.setToolTip("Later in the order")
        self.later.setAccessibleName("Move later")
        self.later.clicked.connect(lambda: self.move_selected(1))
        self.remove_button = QPushButton("Remove")
        self.remove_button.setToolTip("Take them off the list; their takes keep their name")
        self.remove_button.clicked.connect(self.remove)
        for button in (self.earlier, self.later):
            button.setFixedWidth(34)
        row = QHBoxLayout()
        row.addWidget(self.new, 1)
        row.addWidget(self.add_button)
        row.addSpacing(12)
        row.addWidget(self.earlier)
        row.addWidget(self.later)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(row)
        self._update_buttons()

    def set_names(self, names: tuple[str, ...] | list[str]) -> None:
        chosen = self.list.currentItem().text() if self.list.currentItem() else None
        self._names = list(names)
        self.list.blockSignals(True)
        self.list.clear()
        for name in names:
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            self.list.addItem(item)
            if name == chosen:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        self._update_buttons()

    def mark(self, up_next: str | None) -> None:
        """Show who is up next in bold."""
        self.list.blockSignals(True)
        for row in range(self.list.count()):
            item = self.list.item(row)
            font = item.font()
            font.setBold(item.text() == up_next)
            item.setFont(font)
            item.setToolTip("Up next" if item.text() == up_next else "Double-click to rename")
        self.list.blockSignals(False)

    def names(self) -> list[str]:
        return list(self._names)

    def focus_new(self) -> None:
        self.new.setFocus(Qt.FocusReason.OtherFocusReason)

    def add(self) -> None:
        name = " ".join(self.new.text().split())
        if not name:
            return
        if name.casefold() in (n.casefold() for n in self._names):
            self.message.emit("warning", f"{name} is in the session already.")
            return
        self.new.clear()
        self.changed.emit([*self._names, name])

    def remove(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self._names):
            self.changed.emit([n for i, n in enumerate(self._names) if i != row])

    def move_selected(self, step: int) -> None:
        row = self.list.currentRow()
        to = row + step
        if 0 <= row < len(self._names) and 0 <= to < len(self._names):
            names = list(self._names)
            names[row], names[to] = names[to], names[row]
            self.changed.emit(names)
            self.list.setCurrentRow(to)

    def _moved(self) -> None:
        names = [self.list.item(i).text() for i in range(self.list.count())]
        if names != self._names:
            self.changed.emit(names)

    def _edited(self, item: QListWidgetItem) -> None:
        row = self.list.row(item)
        if 0 <= row < len(self._names) and item.text() != self._names[row]:
            self.renamed.emit(self._names[row], item.text())

    def _update_buttons(self) -> None:
        row = self.list.currentRow()
        chosen = 0 <= row < len(self._names)
        self.remove_button.setEnabled(chosen)
        self.earlier.setEnabled(chosen and row > 0)
        self.later.setEnabled(chosen and row < len(self._names) - 1)
