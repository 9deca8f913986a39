"""Choose what goes into a coaching pack: your profiles and scenario cards (all ticked at first),
your script variants and outcomes (not ticked: they are shared only when asked), and the pack's
name."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from voicemail_coach.analysis.scenarios import Scenario
from voicemail_coach.storage.profile_store import ProfileEntry

RESULTS = "results"  # the list item standing for the script variants and outcomes


class PackDialog(QDialog):
    def __init__(
        self,
        profiles: list[ProfileEntry],
        scenarios: list[Scenario],
        parent: QWidget | None = None,
        results_label: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export a coaching pack")
        self.setMinimumWidth(520)
        intro = QLabel(
            "One file with your team's profiles and scenario cards. Each rep imports it from "
            "Coaching \u2192 Import coaching pack; nothing of theirs is replaced without asking."
        )
        intro.setWordWrap(True)
        self.name = QLineEdit("Coaching pack")
        self.name.setAccessibleName("Pack name")
        self.items = QListWidget()
        self.items.setAccessibleName("What to include")
        for entry in profiles:
            self._add(f"Profile: {entry.name}", entry.path)
        for card in scenarios:
            self._add(f"Scenario: {card.label}", card)
        if results_label is not None:
            self._add(results_label, RESULTS, checked=False)
        form = QFormLayout()
        form.addRow("Name", self.name)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Export\u2026")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.items.itemChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.items, 1)
        layout.addWidget(buttons)
        self._update()

    def _add(self, text: str, data: object, checked: bool = True) -> None:
        item = QListWidgetItem(text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        item.setData(Qt.ItemDataRole.UserRole, data)
        self.items.addItem(item)

    def _update(self) -> None:
        self.ok.setEnabled(any(self._chosen()))

    def _chosen(self) -> list[object]:
        return [
            self.items.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.items.count())
            if self.items.item(i).checkState() == Qt.CheckState.Checked
        ]

    def with_results(self) -> bool:
        """Whether the script variants and outcomes are ticked."""
        return RESULTS in self._chosen()

    def choice(self) -> tuple[str, list[Path], list[Scenario]]:
        """(pack name, profile files, scenario cards) ticked."""
        chosen = self._chosen()
        profiles = [c for c in chosen if isinstance(c, Path)]
        cards = [c for c in chosen if isinstance(c, Scenario)]
        return self.name.text().strip() or "Coaching pack", profiles, cards
