"""Scenario cards: browse the built-in and your own; add, edit, duplicate and delete your own.
Saving validates the card; a problem is shown and its field marked."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from voicemail_coach.analysis.scenarios import (
    DIFFICULTIES,
    SCHEMA_VERSION,
    TRIGGER_KINDS,
    Scenario,
    ScenarioError,
    ScenarioStore,
    scenario_from_dict,
)
from voicemail_coach.app.widgets.profile_page import INVALID

LINE_FIELDS = ("id", "prospect", "title", "company", "industry")
TEXT_FIELDS = ("trigger_detail", "value_angle")  # one text, maybe long
NEW_CARD = Scenario(
    id="",
    prospect="",
    title="",
    company="",
    industry="",
    trigger="other",
    trigger_detail="",
    cares_about=(),
    value_angle="",
    difficulty="medium",
)
PLACEHOLDERS = {
    "prospect": "First and last name", "title": "Their job title", "company": "Their company",
    "industry": "e.g. logistics", "trigger_detail": "What just happened, in a sentence",
    "cares_about": "One concern per line", "value_angle": "The outcome you help people like them get",
}  # fmt: skip


class ScenarioDialog(QDialog):
    def __init__(self, store: ScenarioStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Scenario cards")
        self.resize(900, 560)
        self.store = store
        self.changed = False
        self.ask_delete: Callable[[str], bool] = self._ask_delete
        self.cards = QListWidget()
        self.cards.setAccessibleName("Scenario cards")
        self.cards.currentRowChanged.connect(self._show)
        self.fields: dict[str, QWidget] = {}
        form = QFormLayout()
        for key in LINE_FIELDS:
            self.fields[key] = QLineEdit()
        self.fields["trigger"] = trigger = QComboBox()
        for kind, label in TRIGGER_KINDS.items():
            trigger.addItem(label, kind)
        self.fields["difficulty"] = difficulty = QComboBox()
        difficulty.addItems(list(DIFFICULTIES))
        for key in (*TEXT_FIELDS, "cares_about", "trigger_keywords", "industry_keywords"):
            box = QPlainTextEdit()
            box.setMaximumHeight(64)
            self.fields[key] = box
        labels = {
            "id": "Id", "prospect": "Prospect", "title": "Title", "company": "Company",
            "industry": "Industry", "trigger": "Trigger", "trigger_detail": "What happened",
            "cares_about": "Cares about (one per line)", "value_angle": "Value angle",
            "difficulty": "Difficulty", "trigger_keywords": "Trigger words (one per line)",
            "industry_keywords": "Industry words (one per line)",
        }  # fmt: skip
        for key, label in labels.items():
            self.fields[key].setAccessibleName(label)
            if key in PLACEHOLDERS:
                self.fields[key].setPlaceholderText(PLACEHOLDERS[key])  # type: ignore[attr-defined]
            form.addRow(label, self.fields[key])
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.hide()
        self.new_button = QPushButton("New")
        self.duplicate_button = QPushButton("Duplicate")
        self.delete_button = QPushButton("Delete")
        self.save_button = QPushButton("Save")
        self.new_button.clicked.connect(self.new_card)
        self.duplicate_button.clicked.connect(self.duplicate)
        self.delete_button.clicked.connect(self.delete)
        self.save_button.clicked.connect(self.save)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for b in (self.new_button, self.duplicate_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(self.error)
        row = QHBoxLayout()
        row.addWidget(self.cards, 2)
        row.addLayout(right, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(row, 1)
        layout.addLayout(buttons)
        self._editing_new = False
        self.refresh()

    def refresh(self, select: str | None = None) -> None:
        self.cards.blockSignals(True)
        self.cards.clear()
        for card in self.store.all():
            mark = " (built-in)" if self.store.is_builtin(card.id) else ""
            item = QListWidgetItem(f"{card.label}{mark}")
            item.setData(256, card.id)
            self.cards.addItem(item)
        ids = [self.cards.item(i).data(256) for i in range(self.cards.count())]
        self.cards.setCurrentRow(ids.index(select) if select in ids else 0)
        self.cards.blockSignals(False)
        self._show(self.cards.currentRow())

    @property
    def current_id(self) -> str | None:
        item = self.cards.currentItem()
        return item.data(256) if item else None

    def _show(self, row: int) -> None:
        card = self.store.find(self.current_id) if row >= 0 else None
        if card is not None:
            self._editing_new = False
            self._fill(card, editable=not self.store.is_builtin(card.id))

    def _fill(self, card: Scenario, editable: bool) -> None:
        self._clear_marks()
        for key, widget in self.fields.items():
            value = getattr(card, key)
            if isinstance(widget, QLineEdit):
                widget.setText(value)
                widget.setReadOnly(not editable)
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText("\n".join(value) if isinstance(value, tuple) else value)
                widget.setReadOnly(not editable)
            elif isinstance(widget, QComboBox):
                index = widget.findData(value) if key == "trigger" else widget.findText(value)
                widget.setCurrentIndex(max(0, index))
                widget.setEnabled(editable)
        self.save_button.setEnabled(editable)
        self.delete_button.setEnabled(editable and not self._editing_new)
        self.fields["id"].setReadOnly(not self._editing_new)  # type: ignore[attr-defined]
        self.error.setText(
            "" if editable else "A built-in card: duplicate it to make your own version."
        )
        self.error.setStyleSheet("")
        self.error.setVisible(not editable)

    def form_data(self) -> dict[str, object]:
        data: dict[str, object] = {"schema_version": SCHEMA_VERSION}
        for key, widget in self.fields.items():
            if isinstance(widget, QLineEdit):
                data[key] = widget.text()
            elif isinstance(widget, QPlainTextEdit):
                text = widget.toPlainText()
                data[key] = " ".join(text.split()) if key in TEXT_FIELDS else text.splitlines()
            elif isinstance(widget, QComboBox):
                data[key] = widget.currentData() if key == "trigger" else widget.currentText()
        return data

    def save(self) -> Scenario | None:
        data = self.form_data()
        try:
            card = scenario_from_dict(data, str(data["id"]))
            card = self.store.save(card, replace=not self._editing_new)
        except ScenarioError as exc:
            self.show_problem(str(exc))
            return None
        self.changed = True
        self.refresh(card.id)
        self.error.setStyleSheet("color:#2e8b50;")
        self.error.setText(f"Saved \u201c{card.label}\u201d.")
        self.error.show()
        return card

    def show_problem(self, message: str) -> None:
        self._clear_marks()
        self.error.setStyleSheet("color:#c0392b;")
        self.error.setText(message)
        self.error.show()
        parts = message.split(": ")
        key = parts[1] if len(parts) > 2 else None
        widget = self.fields.get(key or "")
        if widget is not None:
            widget.setStyleSheet(INVALID)
            widget.setFocus()

    def _clear_marks(self) -> None:
        for widget in self.fields.values():
            widget.setStyleSheet("")

    def new_card(self) -> None:
        self._editing_new = True
        self.cards.clearSelection()
        self._fill(dataclasses.replace(NEW_CARD, id=self.store.free_id("my-prospect")), True)
        self.fields["prospect"].setFocus()

    def duplicate(self) -> None:
        if self.current_id is None:
            return
        try:
            copy = self.store.duplicate(self.current_id)
        except ScenarioError as exc:
            self.show_problem(str(exc))
            return
        self.changed = True
        self.refresh(copy.id)

    def delete(self) -> None:
        card = self.store.find(self.current_id)
        if card is None or self.store.is_builtin(card.id) or not self.ask_delete(card.label):
            return
        self.store.delete(card.id)
        self.changed = True
        self.refresh()

    def _ask_delete(self, label: str) -> bool:
        answer = QMessageBox.question(self, "Delete the card", f"Delete \u201c{label}\u201d?")
        return answer == QMessageBox.StandardButton.Yes
