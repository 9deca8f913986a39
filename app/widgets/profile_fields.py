"""The editable parts of a guidance profile, in a coach's words, keyed by the profile's dotted keys.

``ProfileFields`` shows one page per section, chosen from a list on the left: the sections of
``resources/profile_fields.toml`` (Length, Opening, Pace, Fillers, Pauses, Voice, the wording
checks; each field with its label, a one-line help text, its unit and a sensible range, each
weight with its share of the score), then when a take is no message, the coach's example
sentences, the advice texts and principles, the rubric, and "Advanced": every setting no section
names (patterns, word lists for patterns, fine-tuning), by its key in the file. It writes the
edits back into a copy of the profile's table and can point at the field a validation message
names. The pages answer to ``count``/``tabText``/``setCurrentIndex`` like tabs.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from voicemail_coach.analysis.profile_loader import default_profile_path
from voicemail_coach.app.profile_guide import Section, load_guide
from voicemail_coach.app.profile_keys import get_key, set_key, walk_lists, walk_numbers
from voicemail_coach.app.widgets.check_row import TITLES
from voicemail_coach.app.widgets.example_sentences import ExamplesEditor
from voicemail_coach.app.widgets.no_message_fields import no_message_page
from voicemail_coach.app.widgets.profile_page import (
    INVALID,
    FieldPage,
    help_label,
    lines_of,
    number_box,
)
from voicemail_coach.storage.profile_store import read_profile_data

RUBRIC_COLUMNS = ("id", "name", "description", "scale_min", "scale_max")
RUBRIC_HEADERS = ("Id", "Name", "What a top score sounds like", "Lowest", "Highest")
# Tables whose numbers and lists "Advanced" offers when no section names them.
NOT_ADVANCED = ("profile", "principles", "checks", "rubric", "no_message")
NO_LISTS = ("structure.call_to_action.kinds", "content.examples")


class ProfileFields(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: dict[str, Any] = {}
        self.numbers: dict[str, QAbstractSpinBox] = {}
        self.texts: dict[str, QLineEdit] = {}  # single lines of text
        self.long_texts: dict[str, QPlainTextEdit] = {}  # the principles' texts
        self.choices: dict[str, QComboBox] = {}  # each check's principle
        self.phrases: dict[str, QPlainTextEdit] = {}  # lists a section names, one per line
        self.labels: dict[str, str] = {}  # dotted key -> what the editor calls it
        self.places: dict[str, str] = {}  # dotted key -> the page it is on
        self.shares: dict[str, QLabel] = {}  # a weight's key -> its share of the score
        self.lists: dict[str, list[str]] = {}  # "Advanced" lists, edited one at a time
        self.nav = QListWidget()
        self.nav.setAccessibleName("Sections")
        self.nav.setMaximumWidth(230)
        self.nav.setSpacing(2)
        self.stack = QStackedWidget()
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)

        self.list_keys = QListWidget()
        self.list_keys.setAccessibleName("Patterns and word lists")
        self.list_text = QPlainTextEdit()
        self.list_text.setAccessibleName("Patterns or words, one per line")
        self.list_keys.currentTextChanged.connect(self._show_list)
        self._shown_list: str | None = None
        self.example_editor = ExamplesEditor({})
        self.rubric = QTableWidget(0, len(RUBRIC_COLUMNS))
        self.rubric.setHorizontalHeaderLabels(list(RUBRIC_HEADERS))
        self.rubric.setAccessibleName("Rubric criteria")
        self.rubric.horizontalHeader().setStretchLastSection(False)
        self.rubric.setColumnWidth(2, 360)

    # -- the pages as tabs ------------------------------------------------------------------------

    def count(self) -> int:
        return self.stack.count()

    def tabText(self, index: int) -> str:
        item = self.nav.item(index)
        return item.text() if item else ""

    def currentIndex(self) -> int:
        return self.stack.currentIndex()

    def setCurrentIndex(self, index: int) -> None:
        self.nav.setCurrentRow(index)

    def widget(self, index: int) -> QWidget:
        page = self.stack.widget(index)
        assert page is not None, f"no page {index}"
        return page

    def _add_page(self, page: QWidget, title: str) -> None:
        page.setAccessibleName(title)  # a screen reader names each page as the list does
        self.stack.addWidget(page)
        self.nav.addItem(title)

    # -- loading ----------------------------------------------------------------------------------

    def load(self, data: dict[str, Any]) -> None:
        self.data = copy.deepcopy(data)
        current = self.currentIndex()
        self.nav.blockSignals(True)
        self.nav.clear()
        while self.stack.count():
            page = self.stack.widget(0)
            assert page is not None
            self.stack.removeWidget(page)
            page.deleteLater()
        self.nav.blockSignals(False)
        for keep in (self.list_keys, self.list_text, self.rubric):
            keep.setParent(None)  # shared widgets outlive the pages they sit on
        self.numbers, self.texts, self.long_texts, self.choices = {}, {}, {}, {}
        self.phrases, self.labels, self.shares, self.places = {}, {}, {}, {}
        guide = load_guide()
        sections = guide.for_profile(self.data)
        for section in sections:
            self._section_page(section)
        # A profile written before the table borrows the default's: shown (and saved) as its own.
        table = self.data.get("no_message")
        if not isinstance(table, dict):
            table = read_profile_data(default_profile_path())["no_message"]
            self.data["no_message"] = copy.deepcopy(table)
        page, boxes, texts = no_message_page(table)
        self.numbers.update(boxes)
        self.texts.update(texts)
        for _, rows in guide.no_message.groups:
            self.labels.update({f"no_message.{f.key}": f.label for f in rows})
        for name, label in guide.no_message.reasons:
            self.labels[f"no_message.reasons.{name}"] = (
                f"What the feedback says for {label.lower()}"
            )
        self._add_page(page, "No message")
        self.example_editor = ExamplesEditor(self.data.get("content", {}).get("examples", {}))
        self._add_page(self.example_editor, "Coach's examples")
        self._advice_page(guide.advice_kinds)
        self._set_rubric(self.data.get("rubric", []))
        covered = {f.key for s in sections for f in s.fields}
        self._advanced_page(covered)
        self._update_shares()
        self.setCurrentIndex(max(0, min(current, self.count() - 1)))

    def _section_page(self, section: Section) -> None:
        page = FieldPage(section.title, section.help)
        for field in section.fields:
            value = get_key(self.data, field.key)
            self.labels[field.key] = field.label
            self.places[field.key] = section.title
            if isinstance(value, list):
                box = QPlainTextEdit("\n".join(str(x) for x in value))
                box.setMinimumHeight(90)
                box.setMaximumHeight(130)
                box.setObjectName(field.key)
                self.phrases[field.key] = box
                page.row(field.label, box, field.help, tall=True)
            elif isinstance(value, str):
                edit = QLineEdit(value)
                edit.setObjectName(field.key)
                edit.setCursorPosition(0)
                self.texts[field.key] = edit
                page.row(field.label, edit, field.help)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                number = number_box(field.key, value, field)
                self.numbers[field.key] = number
                helper = page.row(field.label, number, field.help)
                if field.is_weight:
                    self.shares[field.key] = helper
                    helper.setProperty("plainHelp", field.help)
                    number.valueChanged.connect(self._update_shares)  # type: ignore[attr-defined]
        self._add_page(page, section.title)

    def _update_shares(self) -> None:
        """Each weight's share of the score, beside it (the scenario checks count only with a
        scenario card, so the others are shared out among the checks always made)."""
        weights = {k: float(self.value_of(k)) for k in self.shares}
        always = sum(w for k, w in weights.items() if not k.startswith("checks.scenario_"))
        every = sum(weights.values())
        for key, label in self.shares.items():
            total = every if key.startswith("checks.scenario_") else always
            share = 100 * weights[key] / total if total else 0.0
            label.setText(f"{share:.0f} % of the score. {label.property('plainHelp')}")

    def value_of(self, key: str) -> float | int:
        box = self.numbers[key]
        return box.value() if isinstance(box, QSpinBox | QDoubleSpinBox) else 0

    def share_of(self, key: str) -> str:
        """What the page says beside a weight ("9 % of the score. ...")."""
        return self.shares[key].text()

    def _advice_page(self, kinds: Mapping[str, str]) -> None:
        page = FieldPage(
            "Advice texts",
            "What the scorecard says for each outcome, and the principle each check names. "
            "{value}, {target} and the other names in braces are filled in by the check.",
        )
        principles = self.data.get("principles", {})
        page.heading("Principles")
        for pid, p in principles.items():
            title_key, text_key = f"principles.{pid}.title", f"principles.{pid}.text"
            title = QLineEdit(str(p.get("title", "")))
            self.texts[title_key] = title
            self.labels[title_key] = f"Principle \u201c{p.get('title', pid)}\u201d: its title"
            page.row(f"Principle: {p.get('title', pid)}", title, "Its title, as checks name it.")
            text = QPlainTextEdit(str(p.get("text", "")))
            text.setMaximumHeight(70)
            self.long_texts[text_key] = text
            self.labels[text_key] = f"Principle \u201c{p.get('title', pid)}\u201d: what it says"
            page.row("\u2026what it says", text, "", tall=True)
        for cid, spec in self.data.get("checks", {}).items():
            title = TITLES.get(cid, cid.replace("_", " ").capitalize())
            page.heading(title)
            choice = QComboBox()
            for pid, p in principles.items():
                choice.addItem(str(p.get("title", pid)), pid)
            choice.setCurrentIndex(max(0, choice.findData(spec.get("principle"))))
            key = f"checks.{cid}.principle"
            self.choices[key] = choice
            self.labels[key] = f"{title}: the principle it names"
            page.row("Principle", choice, "Shown with the check's advice.")
            for kind, text in spec.items():
                if kind in ("weight", "principle") or not isinstance(text, str):
                    continue
                key = f"checks.{cid}.{kind}"
                edit = QLineEdit(text)
                edit.setCursorPosition(0)
                self.texts[key] = edit
                when = kinds.get(kind, kind.replace("_", " "))
                self.labels[key] = f"{title}: advice {when[:1].lower()}{when[1:]}"
                page.row(when, edit, "", tall=True)
        self._add_page(page, "Advice texts")

    def _advanced_page(self, covered: set[str]) -> None:
        page = FieldPage(
            "Advanced: patterns and fine-tuning",
            "Regular expressions, the word lists patterns use ({name} in a pattern), and the "
            "detectors' fine-tuning, by their names in the profile file (its comments say what "
            "each does).",
        )
        tables = {k: v for k, v in self.data.items() if k not in NOT_ADVANCED}
        checks = walk_numbers(self.data.get("checks", {}), "checks")
        for key, value in walk_numbers(tables, "") + checks:
            if key not in covered and not key.startswith("length_presets"):
                box = number_box(key, value, None)
                self.numbers[key] = box
                page.row(key, box, "")
        keys = [
            k for k in walk_lists(tables, "") if not k.startswith(NO_LISTS) and k not in covered
        ]
        keys += [k for k in walk_lists(self.data.get("no_message", {}), "no_message")]
        self.lists = {k: list(get_key(self.data, k)) for k in keys}
        self._shown_list = None
        self.list_keys.clear()
        self.list_keys.addItems(keys)
        lists = QWidget()
        side = QHBoxLayout(lists)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.list_keys, 2)
        side.addWidget(self.list_text, 3)
        lists.setMinimumHeight(320)
        page.heading("Patterns and word lists")
        page.grid.addWidget(lists, page.grid.rowCount(), 0, 1, 3)
        self._add_page(page, "Advanced: patterns")
        if keys:
            self.list_keys.setCurrentRow(0)

    def _show_list(self, key: str) -> None:
        self._keep_list_edit()
        self._shown_list = key or None
        self.list_text.setPlainText("\n".join(self.lists.get(key, [])))

    def _keep_list_edit(self) -> None:
        if self._shown_list is not None:
            self.lists[self._shown_list] = lines_of(self.list_text)

    def set_examples(self, category: str, counts: list[str], not_counts: list[str]) -> None:
        """Show ``category``'s examples and replace them (as a coach typing them would)."""
        self.example_editor.set_examples(category, counts, not_counts)

    def _set_rubric(self, rubric: list[dict[str, Any]]) -> None:
        self.rubric.setRowCount(0)
        for entry in rubric:
            self.add_rubric_row(entry)
        for r in range(len(rubric)):
            for c, header in enumerate(RUBRIC_HEADERS):
                self.labels[f"rubric[{r}].{RUBRIC_COLUMNS[c]}"] = (
                    f"Rubric, criterion {r + 1}: {header[:1].lower()}{header[1:]}"
                )
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(
            help_label(
                "What a coach scores by hand in role play. Each criterion has a whole-number "
                "scale; the description says what a top score sounds like."
            )
        )
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
        self._add_page(page, "Rubric")

    def add_rubric_row(self, entry: dict[str, Any]) -> None:
        r = self.rubric.rowCount()
        self.rubric.insertRow(r)
        for c, key in enumerate(RUBRIC_COLUMNS):
            self.rubric.setItem(r, c, QTableWidgetItem(str(entry.get(key, ""))))
            header = RUBRIC_HEADERS[c]
            self.labels[f"rubric[{r}].{key}"] = (
                f"Rubric, criterion {r + 1}: {header[:1].lower()}{header[1:]}"
            )

    # -- saving -----------------------------------------------------------------------------------

    def result(self) -> dict[str, Any]:
        """The profile table with every edit applied (validation happens on save)."""
        self._keep_list_edit()
        data = copy.deepcopy(self.data)
        for key in self.numbers:
            value = self.value_of(key)
            set_key(data, key, round(value, 6) if isinstance(value, float) else value)
        for key, items in self.lists.items():
            set_key(data, key, items)
        for key, box in self.phrases.items():
            set_key(data, key, lines_of(box))
        for key, edit in self.texts.items():
            set_key(data, key, edit.text().strip())
        for key, long in self.long_texts.items():
            set_key(data, key, " ".join(long.toPlainText().split()))
        for key, choice in self.choices.items():
            set_key(data, key, choice.currentData())
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
        chosen = self.example_editor.chosen()
        content = data.setdefault("content", {})
        if chosen:
            content["examples"] = chosen
        else:
            content.pop("examples", None)
            if not content:
                del data["content"]
        return data

    # -- pointing at a problem --------------------------------------------------------------------

    def point_at(self, key: str) -> bool:
        """Bring the field ``key`` (as a validation message names it) into view and mark it."""
        self.clear_marks()
        widgets: dict[str, QWidget] = {
            **self.numbers, **self.texts, **self.long_texts, **self.choices, **self.phrases,
        }  # fmt: skip
        widget = widgets.get(key) or next(
            (w for k, w in widgets.items() if k.startswith(key + ".")), None
        )
        if widget is None:
            widget = next((w for k, w in self.phrases.items() if key.startswith(k)), None)
        if widget is not None:
            self._show_tab_of(widget)
            widget.setStyleSheet(INVALID)
            widget.setProperty("invalid", True)
            widget.setFocus()
            return True
        list_key = next((k for k in self.lists if key == k or key.startswith(k)), None)
        if list_key is not None:
            self._show_tab_of(self.list_keys)
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
        widgets: list[QWidget] = [
            *self.numbers.values(), *self.texts.values(), *self.long_texts.values(),
            *self.choices.values(), *self.phrases.values(), self.list_text,
        ]  # fmt: skip
        for widget in widgets:
            widget.setStyleSheet("")
            widget.setProperty("invalid", False)

    def _tab(self, title: str) -> int:
        return next(i for i in range(self.count()) if self.tabText(i) == title)

    def _show_tab_of(self, widget: QWidget) -> None:
        for i in range(self.count()):
            page = self.widget(i)
            if page.isAncestorOf(widget):
                self.setCurrentIndex(i)
                if isinstance(page, QScrollArea):
                    page.ensureWidgetVisible(widget)
                return
