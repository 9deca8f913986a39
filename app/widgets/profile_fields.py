"""The editable parts of a guidance profile, as widgets keyed by the profile's dotted keys.

``ProfileFields`` builds tabs (thresholds with units, when a take is no message, phrase lists,
check weights, example sentences per category, the rubric)
from a profile's TOML table, writes the edits back into a copy of it, and can point at the
field a validation message names.
"""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from voicemail_coach.analysis.profile import CONTENT_CATEGORIES
from voicemail_coach.analysis.profile_loader import default_profile_path
from voicemail_coach.app.widgets.check_row import TITLES
from voicemail_coach.app.widgets.no_message_fields import no_message_page
from voicemail_coach.storage.profile_store import read_profile_data

UNITS = (
    ("_wpm", " wpm"), ("_dbfs", " dBFS"), ("_hz", " Hz"), ("_semitones", " st"),
    ("_per_minute", " /min"), ("_s", " s"), ("_share", " of words"), ("_fraction", " of samples"),
)  # fmt: skip
THRESHOLD_TABLES = ("timing", "pace", "fillers", "pauses", "pitch", "loudness", "phone", "scenario")
RUBRIC_COLUMNS = ("id", "name", "description", "scale_min", "scale_max")
INVALID = "border: 2px solid #d64541;"


def unit_for(key: str) -> str:
    return next((unit for suffix, unit in UNITS if key.endswith(suffix)), "")


def _number(value: float | int, key: str) -> QAbstractSpinBox:
    box: QSpinBox | QDoubleSpinBox
    if isinstance(value, int):
        box = QSpinBox()
        box.setRange(-1000, 100_000)
        box.setValue(value)
    else:
        box = QDoubleSpinBox()
        box.setDecimals(3 if abs(value) < 1 and value != 0 else 2)
        box.setRange(-1000.0, 100_000.0)
        box.setValue(value)
    box.setSuffix(unit_for(key))
    box.setAccessibleName(key)
    box.setObjectName(key)
    return box


def _walk_numbers(data: Any, prefix: str) -> list[tuple[str, float | int]]:
    out: list[tuple[str, float | int]] = []
    if isinstance(data, dict):
        for k, v in data.items():
            out += _walk_numbers(v, f"{prefix}.{k}" if prefix else k)
    elif isinstance(data, list) and all(isinstance(x, dict) for x in data):
        for i, item in enumerate(data):
            out += _walk_numbers(item, f"{prefix}[{i}]")
    elif isinstance(data, int | float) and not isinstance(data, bool):
        out.append((prefix, data))
    return out


def _walk_lists(data: Any, prefix: str) -> list[str]:
    out: list[str] = []
    if isinstance(data, dict):
        for k, v in data.items():
            out += _walk_lists(v, f"{prefix}.{k}" if prefix else k)
    elif isinstance(data, list) and all(isinstance(x, str) for x in data):
        out.append(prefix)
    return out


def _path(key: str) -> list[str | int]:
    parts: list[str | int] = []
    for part in key.split("."):
        name, _, index = part.partition("[")
        parts.append(name)
        if index:
            parts.append(int(index.rstrip("]")))
    return parts


def get_key(data: Any, key: str) -> Any:
    for p in _path(key):
        data = data[p]
    return data


def set_key(data: Any, key: str, value: Any) -> None:
    *head, last = _path(key)
    for p in head:
        data = data[p]
    data[last] = value


class ProfileFields(QTabWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: dict[str, Any] = {}
        self.numbers: dict[str, QAbstractSpinBox] = {}
        self.texts: dict[str, QLineEdit] = {}  # single lines of text (the no-message reasons)
        self.lists: dict[str, list[str]] = {}
        self.list_keys = QListWidget()
        self.list_keys.setAccessibleName("Phrase lists")
        self.list_text = QPlainTextEdit()
        self.list_text.setAccessibleName("Phrases, one per line")
        self.list_keys.currentTextChanged.connect(self._show_list)
        self._shown_list: str | None = None
        self.examples: dict[str, dict[str, list[str]]] = {}
        self.example_category = QComboBox()
        self.example_category.setAccessibleName("Category of the examples")
        self.example_counts = QPlainTextEdit()
        self.example_counts.setAccessibleName("Sentences that count, one per line")
        self.example_not = QPlainTextEdit()
        self.example_not.setAccessibleName("Sentences that do not count, one per line")
        self.example_category.currentIndexChanged.connect(self._show_examples)
        self._shown_examples: str | None = None
        self.rubric = QTableWidget(0, len(RUBRIC_COLUMNS))
        self.rubric.setHorizontalHeaderLabels(["Id", "Name", "Description", "Min", "Max"])
        self.rubric.setAccessibleName("Rubric criteria")
        self.rubric.horizontalHeader().setStretchLastSection(False)
        self.rubric.setColumnWidth(2, 360)

    def load(self, data: dict[str, Any]) -> None:
        self.data = copy.deepcopy(data)
        while self.count():
            self.removeTab(0)
        self.numbers = {}
        self.texts = {}
        thresholds = {k: v for k, v in data.items() if k in THRESHOLD_TABLES}
        number_rows = _walk_numbers(data.get("length_presets", []), "length_presets")
        number_rows += _walk_numbers(thresholds, "")
        self.addTab(self._form(number_rows), "Thresholds")
        # A profile written before the table borrows the default's: shown (and saved) as its own.
        table = data.get("no_message")
        if not isinstance(table, dict):
            table = read_profile_data(default_profile_path())["no_message"]
            self.data["no_message"] = copy.deepcopy(table)
        page, boxes, self.texts = no_message_page(table)
        self.numbers.update(boxes)
        self.addTab(page, "No message")
        self._set_lists(data)
        weights = [(f"checks.{c}.weight", v["weight"]) for c, v in data.get("checks", {}).items()]
        self.addTab(self._form(weights), "Check weights")
        self._set_examples(data.get("content", {}).get("examples", {}))
        self._set_rubric(data.get("rubric", []))
        for index in range(self.count()):  # a screen reader names each page by its tab
            self.widget(index).setAccessibleName(self.tabText(index))

    def _form(self, rows: list[tuple[str, float | int]]) -> QScrollArea:
        page = QWidget()
        form = QFormLayout(page)
        presets = [p.get("id", "") for p in self.data.get("length_presets", [])]
        for key, value in rows:
            box = _number(value, key)
            self.numbers[key] = box
            label = key
            if key.startswith("length_presets["):
                index = int(key[len("length_presets[") : key.index("]")])
                label = f"{key}  ({presets[index] if index < len(presets) else '?'})"
            form.addRow(label, box)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        return scroll

    def _set_lists(self, data: dict[str, Any]) -> None:
        keys = [
            k
            for k in _walk_lists(data, "")
            if not k.startswith(("structure.call_to_action.kinds", "content.examples"))
        ]
        self.lists = {k: list(get_key(data, k)) for k in keys}
        self._shown_list = None
        self.list_keys.clear()
        self.list_keys.addItems(keys)
        page = QWidget()
        row = QHBoxLayout(page)
        row.addWidget(self.list_keys, 2)
        row.addWidget(self.list_text, 3)
        self.addTab(page, "Phrase lists")
        if keys:
            self.list_keys.setCurrentRow(0)

    def _show_list(self, key: str) -> None:
        self._keep_list_edit()
        self._shown_list = key or None
        self.list_text.setPlainText("\n".join(self.lists.get(key, [])))

    def _keep_list_edit(self) -> None:
        if self._shown_list is not None:
            lines = self.list_text.toPlainText().splitlines()
            self.lists[self._shown_list] = [x.strip() for x in lines if x.strip()]

    def _set_examples(self, raw: dict[str, Any]) -> None:
        """Example sentences per category, which decide close sentences at once (no retraining)."""
        self.examples = {
            c: {
                "counts": list(raw.get(c, {}).get("counts", [])),
                "not": list(raw.get(c, {}).get("not", [])),
            }
            for c in CONTENT_CATEGORIES
        }
        self._shown_examples = None
        self.example_category.blockSignals(True)
        self.example_category.clear()
        for c in CONTENT_CATEGORIES:
            self.example_category.addItem(TITLES.get(c, c), c)
        self.example_category.blockSignals(False)
        page = QWidget()
        layout = QVBoxLayout(page)
        intro = QLabel(
            "Teach the checks your team's own wording. A sentence close enough to one of these "
            "examples is decided by it on the next analysis; nothing is retrained."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        form.addRow("Category", self.example_category)
        form.addRow("Counts as this, one per line", self.example_counts)
        form.addRow("Does not count, one per line", self.example_not)
        layout.addLayout(form)
        self.addTab(page, "Examples")
        self._show_examples()

    def _show_examples(self) -> None:
        self._keep_examples_edit()
        c = self.example_category.currentData()
        self._shown_examples = c if isinstance(c, str) else None
        if self._shown_examples is not None:
            self.example_counts.setPlainText("\n".join(self.examples[c]["counts"]))
            self.example_not.setPlainText("\n".join(self.examples[c]["not"]))

    def _keep_examples_edit(self) -> None:
        if self._shown_examples is not None:
            for key, box in (("counts", self.example_counts), ("not", self.example_not)):
                lines = box.toPlainText().splitlines()
                self.examples[self._shown_examples][key] = [x.strip() for x in lines if x.strip()]

    def set_examples(self, category: str, counts: list[str], not_counts: list[str]) -> None:
        """Show ``category``'s examples and replace them (as a coach typing them would)."""
        self.example_category.setCurrentIndex(self.example_category.findData(category))
        self.example_counts.setPlainText("\n".join(counts))
        self.example_not.setPlainText("\n".join(not_counts))

    def _set_rubric(self, rubric: list[dict[str, Any]]) -> None:
        self.rubric.setRowCount(0)
        for entry in rubric:
            self.add_rubric_row(entry)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.rubric)
        buttons = QHBoxLayout()
        add = QPushButton("Add criterion")
        add.clicked.connect(lambda: self.add_rubric_row({"scale_min": 1, "scale_max": 5}))
        remove = QPushButton("Remove criterion")
        remove.clicked.connect(lambda: self.rubric.removeRow(self.rubric.currentRow()))
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.addTab(page, "Rubric")

    def add_rubric_row(self, entry: dict[str, Any]) -> None:
        r = self.rubric.rowCount()
        self.rubric.insertRow(r)
        for c, key in enumerate(RUBRIC_COLUMNS):
            self.rubric.setItem(r, c, QTableWidgetItem(str(entry.get(key, ""))))

    def result(self) -> dict[str, Any]:
        """The profile table with every edit applied (validation happens on save)."""
        self._keep_list_edit()
        data = copy.deepcopy(self.data)
        for key, box in self.numbers.items():
            value = box.value() if isinstance(box, QSpinBox | QDoubleSpinBox) else None
            set_key(data, key, round(value, 6) if isinstance(value, float) else value)
        for key, items in self.lists.items():
            set_key(data, key, items)
        for key, edit in self.texts.items():
            set_key(data, key, edit.text().strip())
        rubric = []
        for r in range(self.rubric.rowCount()):
            entry: dict[str, Any] = {}
            for c, key in enumerate(RUBRIC_COLUMNS):
                item = self.rubric.item(r, c)
                text = item.text().strip() if item else ""
                entry[key] = (
                    int(text) if key.startswith("scale_") and text.lstrip("-").isdigit() else text
                )
            rubric.append(entry)
        data["rubric"] = rubric
        self._keep_examples_edit()
        chosen = {
            c: {k: v for k, v in e.items() if v}
            for c, e in self.examples.items()
            if e["counts"] or e["not"]
        }
        content = data.setdefault("content", {})
        if chosen:
            content["examples"] = chosen
        else:
            content.pop("examples", None)
            if not content:
                del data["content"]
        return data

    def point_at(self, key: str) -> bool:
        """Bring the field ``key`` (as a validation message names it) into view and mark it."""
        self.clear_marks()
        box = self.numbers.get(key) or next(
            (b for k, b in self.numbers.items() if k.startswith(key + ".")), None
        )
        if box is not None:
            self._show_tab_of(box)
            box.setStyleSheet(INVALID)
            box.setProperty("invalid", True)
            box.setFocus()
            return True
        text = self.texts.get(key)
        if text is not None:
            self._show_tab_of(text)
            text.setStyleSheet(INVALID)
            text.setFocus()
            return True
        list_key = next((k for k in self.lists if key == k or key.startswith(k)), None)
        if list_key is not None:
            self.setCurrentIndex(self._tab("Phrase lists"))
            self.list_keys.setCurrentRow(list(self.lists).index(list_key))
            self.list_text.setStyleSheet(INVALID)
            return True
        if key.startswith("rubric["):
            row = int(key[len("rubric[") : key.index("]")])
            field = key.partition("].")[2] or "id"
            self.setCurrentIndex(self._tab("Rubric"))
            col = RUBRIC_COLUMNS.index(field) if field in RUBRIC_COLUMNS else 0
            self.rubric.setCurrentCell(row, col)
            self.rubric.setFocus()
            return True
        return False

    def clear_marks(self) -> None:
        for box in self.numbers.values():
            box.setStyleSheet("")
            box.setProperty("invalid", False)
        for text in self.texts.values():
            text.setStyleSheet("")
        self.list_text.setStyleSheet("")

    def _tab(self, title: str) -> int:
        return next(i for i in range(self.count()) if self.tabText(i) == title)

    def _show_tab_of(self, widget: QWidget) -> None:
        for i in range(self.count()):
            if self.widget(i).isAncestorOf(widget):
                self.setCurrentIndex(i)
                if isinstance(self.widget(i), QScrollArea):
                    self.widget(i).ensureWidgetVisible(widget)  # type: ignore[attr-defined]
                return
