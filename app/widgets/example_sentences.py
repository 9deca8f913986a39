"""The profile editor's "Coach's examples" page: example sentences per content category, which
decide close sentences at once on the next analysis (nothing is retrained; the profile's
``[content.examples]``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from voicemail_coach.analysis.profile import CONTENT_CATEGORIES
from voicemail_coach.app.widgets.check_row import TITLES
from voicemail_coach.app.widgets.profile_page import help_label, lines_of


class ExamplesEditor(QWidget):
    """One category's sentences at a time ("counts" and "not"), chosen from a list; the other
    categories' edits are kept meanwhile."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        super().__init__()
        self.examples: dict[str, dict[str, list[str]]] = {
            c: {
                "counts": list(raw.get(c, {}).get("counts", [])),
                "not": list(raw.get(c, {}).get("not", [])),
            }
            for c in CONTENT_CATEGORIES
        }
        self._shown: str | None = None
        self.category = QComboBox()
        self.category.setAccessibleName("Category of the examples")
        for c in CONTENT_CATEGORIES:
            self.category.addItem(TITLES.get(c, c), c)
        self.counts = QPlainTextEdit()
        self.counts.setAccessibleName("Sentences that count, one per line")
        self.not_counts = QPlainTextEdit()
        self.not_counts.setAccessibleName("Sentences that do not count, one per line")
        self.category.currentIndexChanged.connect(self._show)
        layout = QVBoxLayout(self)
        heading = QLabel("Coach's examples")
        heading.setStyleSheet("font-size: 13pt; font-weight: 600;")
        layout.addWidget(heading)
        layout.addWidget(
            help_label(
                "Teach the checks your team's own wording. A sentence close enough to one of "
                "these examples is decided by it on the next analysis; nothing is retrained."
            )
        )
        form = QFormLayout()
        form.addRow("Category", self.category)
        form.addRow("Counts as this, one per line", self.counts)
        form.addRow("Does not count, one per line", self.not_counts)
        layout.addLayout(form)
        self._show()

    def _show(self) -> None:
        self._keep_edit()
        c = self.category.currentData()
        self._shown = c if isinstance(c, str) else None
        if self._shown is not None:
            self.counts.setPlainText("\n".join(self.examples[c]["counts"]))
            self.not_counts.setPlainText("\n".join(self.examples[c]["not"]))

    def _keep_edit(self) -> None:
        if self._shown is not None:
            for key, box in (("counts", self.counts), ("not", self.not_counts)):
                self.examples[self._shown][key] = lines_of(box)

    def set_examples(self, category: str, counts: list[str], not_counts: list[str]) -> None:
        """Show ``category``'s examples and replace them (as a coach typing them would)."""
        self.category.setCurrentIndex(self.category.findData(category))
        self.counts.setPlainText("\n".join(counts))
        self.not_counts.setPlainText("\n".join(not_counts))

    def chosen(self) -> dict[str, dict[str, list[str]]]:
        """The categories that have examples, each with its non-empty lists."""
        self._keep_edit()
        return {
            c: {k: v for k, v in e.items() if v}
            for c, e in self.examples.items()
            if e["counts"] or e["not"]
        }
