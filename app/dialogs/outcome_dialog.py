"""What happened to a message: "left as a real voicemail", its outcome (date, note) and the
script variant version it used. Opened from History and from the feedback page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from voicemail_coach.analysis.lab import OUTCOME_KINDS, OUTCOME_LABELS
from voicemail_coach.storage.outcome_records import Outcome, Variant
from voicemail_coach.storage.outcomes import Outcomes
from voicemail_coach.storage.records import Attempt


@dataclass(frozen=True)
class OutcomeChoice:
    """The dialog's answer. ``kind`` None: no outcome (yet); ``version_uid`` None: no variant."""

    left: bool
    kind: str | None
    on: date
    note: str
    version_uid: str | None


def version_choices(variants: list[Variant]) -> list[tuple[str, str | None]]:
    """("label", version uid) for a combo box: no variant first, then every version."""
    out: list[tuple[str, str | None]] = [("No script variant", None)]
    for v in variants:
        for ver in reversed(v.versions):
            by = f", {ver.author}" if ver.author else ""
            out.append((f"{v.name} \u00b7 version {ver.number}{by}", ver.uid))
    return out


def apply_choice(outcomes: Outcomes, attempt: Attempt, choice: OutcomeChoice) -> Outcome | None:
    """Save the dialog's answer (LibraryError when the library refuses)."""
    if choice.version_uid != attempt.variant_version_uid:
        found = outcomes.version(choice.version_uid) if choice.version_uid else None
        if found is None:
            outcomes.link(attempt.id, None)
        else:
            outcomes.link(attempt.id, found[0].uid, found[1].number)
    if not choice.left:
        outcomes.clear(attempt.id)
        outcomes.mark_left(attempt.id, False)
        return None
    outcomes.mark_left(attempt.id, True)
    if choice.kind is None:
        outcomes.clear(attempt.id)
        return None
    return outcomes.record(attempt.id, choice.kind, choice.on, choice.note)


class OutcomeDialog(QDialog):
    def __init__(
        self,
        attempt: Attempt,
        outcome: Outcome | None,
        variants: list[Variant],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Outcome")
        self.setAccessibleName("Outcome of the message")
        heading = QLabel(f"What happened to \u201c{attempt.title}\u201d?")
        heading.setWordWrap(True)
        self.left = QCheckBox("Left as a real voicemail (not practice)")
        self.left.setChecked(attempt.left_as_voicemail or outcome is not None)
        self.left.setToolTip("Only real voicemails you left have outcomes and count in the lab")
        self.kind = QComboBox()
        self.kind.setAccessibleName("Outcome")
        self.kind.addItem("No outcome yet", None)
        for kind in OUTCOME_KINDS:
            self.kind.addItem(OUTCOME_LABELS[kind].capitalize(), kind)
        self.kind.setCurrentIndex(max(0, self.kind.findData(outcome.kind if outcome else None)))
        self.date = QDateEdit()
        self.date.setAccessibleName("Date of the outcome")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        today = QDate.currentDate()
        self.date.setMaximumDate(today)
        self.date.setDate(
            QDate.fromString(outcome.outcome_date, "yyyy-MM-dd") if outcome else today
        )
        self.note = QLineEdit(outcome.note if outcome else "")
        self.note.setAccessibleName("Note")
        self.note.setPlaceholderText("e.g. asked for the pricing sheet")
        self.variant = QComboBox()
        self.variant.setAccessibleName("Script variant")
        for label, uid in version_choices(variants):
            self.variant.addItem(label, uid)
        self.variant.setCurrentIndex(max(0, self.variant.findData(attempt.variant_version_uid)))
        form = QFormLayout()
        form.addRow("Script variant", self.variant)
        form.addRow("", self.left)
        form.addRow("Outcome", self.kind)
        form.addRow("Date", self.date)
        form.addRow("Note", self.note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.left.toggled.connect(self._update)
        self.kind.currentIndexChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        left = self.left.isChecked()
        self.kind.setEnabled(left)
        has = left and self.kind.currentData() is not None
        self.date.setEnabled(has)
        self.note.setEnabled(has)

    def choice(self) -> OutcomeChoice:
        return OutcomeChoice(
            left=self.left.isChecked(),
            kind=self.kind.currentData() if self.left.isChecked() else None,
            on=self.date.date().toPython(),  # type: ignore[arg-type]
            note=self.note.text(),
            version_uid=self.variant.currentData(),
        )
