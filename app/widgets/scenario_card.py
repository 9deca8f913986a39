"""The scenario card on the practice page: who you are calling and why now, visible while you
record; and the picker above it (no card, or one of the built-in and your own cards)."""

from __future__ import annotations

import html
import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from voicemail_coach.analysis.scenarios import Scenario

DIFFICULTY_COLORS = {"easy": "#2e8b50", "medium": "#c27d12", "hard": "#d64541"}


class ScenarioCard(QFrame):
    """One card: the prospect, their company and industry, the trigger, what they care about."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scenarioCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Scenario card")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.text)
        self.scenario: Scenario | None = None
        self.hide()

    def set_scenario(self, scenario: Scenario | None) -> None:
        self.scenario = scenario
        if scenario is None:
            self.text.clear()
            self.hide()
            return
        e = html.escape
        color = DIFFICULTY_COLORS.get(scenario.difficulty, "")
        self.text.setText(
            f"<b>{e(scenario.prospect)}</b> \u00b7 {e(scenario.title)}, {e(scenario.company)}"
            f" <span style='color:{color}'>({e(scenario.difficulty)})</span><br>"
            f"<i>{e(scenario.industry.capitalize())}.</i> "
            f"<b>Why now:</b> {e(scenario.trigger_detail)}<br>"
            f"<b>Cares about:</b> {e('; '.join(scenario.cares_about))}<br>"
            f"<b>Angle:</b> {e(scenario.value_angle)}"
        )
        self.setToolTip(scenario.trigger_label)
        self.show()

    def plain_text(self) -> str:
        """What the card says, as plain text (for tests and screen readers)."""
        doc = self.text.text()
        return html.unescape(re.sub(r"<[^>]+>", " ", doc)).replace("  ", " ")


class ScenarioPicker(QWidget):
    """ "Practise for: [no scenario | card...]" and the chosen card under it."""

    chosen = Signal(object)  # scenario id, or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox()
        self.combo.setAccessibleName("Scenario")
        self.combo.setToolTip("Practise a voicemail for one prospect: the feedback checks it")
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.activated.connect(lambda i: self.chosen.emit(self.combo.itemData(i)))
        self.card = ScenarioCard()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addStretch(1)
        row.addWidget(QLabel("Practise for"))
        row.addWidget(self.combo)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(row)
        layout.addWidget(self.card)
        self._cards: dict[str, Scenario] = {}

    def set_choices(self, scenarios: list[Scenario], chosen: Scenario | None) -> None:
        self._cards = {s.id: s for s in scenarios}
        self.combo.clear()
        self.combo.addItem("No scenario (any prospect)", None)
        for s in scenarios:
            self.combo.addItem(f"{s.label} \u2014 {s.trigger_label.lower()}", s.id)
        index = self.combo.findData(chosen.id) if chosen else 0
        self.combo.setCurrentIndex(max(0, index))
        self.card.set_scenario(chosen if chosen and index >= 0 else None)

    def show_scenario(self, scenario: Scenario | None) -> None:
        index = self.combo.findData(scenario.id) if scenario else 0
        self.combo.setCurrentIndex(max(0, index))
        self.card.set_scenario(scenario)

    def set_recording(self, recording: bool) -> None:
        """The card stays in view while recording; only the choice is locked."""
        self.combo.setEnabled(not recording)
