"""The A/B lab in the window: the Lab menu, the lab dialog (per-variant table with 95 % intervals,
the reading, returned against unreturned figures), new script variants and versions, and the
outcome of a message (from History and the feedback page).

The lab is computed on the task runner (``app/tasks.py``), so the window never waits for it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from voicemail_coach.analysis.lab import (
    MIN_PER_GROUP,
    MIN_PER_VARIANT,
    OUTCOME_KINDS,
    OUTCOME_LABELS,
    Difference,
    LabResult,
    signed,
)
from voicemail_coach.app.controller import Controller
from voicemail_coach.app.dialogs.blind_dialog import BlindTestDialog
from voicemail_coach.app.dialogs.outcome_dialog import OutcomeChoice, OutcomeDialog, apply_choice
from voicemail_coach.app.tasks import Task
from voicemail_coach.app.widgets.banner import Banner
from voicemail_coach.app.widgets.check_row import title_of
from voicemail_coach.audio.playback import Player
from voicemail_coach.storage.blind_tests import BlindTests
from voicemail_coach.storage.outcome_records import Outcome, Variant
from voicemail_coach.storage.outcomes import Outcomes
from voicemail_coach.storage.records import Attempt, LibraryError

VARIANT_COLUMNS = (
    "Variant",
    "Versions",
    "Messages",
    "Returned",
    "Rate (95 % interval)",
    *(OUTCOME_LABELS[k].capitalize() for k in OUTCOME_KINDS),
    "Enough data",
)
FIGURE_COLUMNS = (
    "Figure or check", "Returned", "Unreturned", "Difference (95 % interval)", "Reading",
)  # fmt: skip


def _pct(value: float | None) -> str:
    return "--" if value is None else f"{value * 100:.0f} %"


def _rate_text(rate: float | None, low: float | None, high: float | None) -> str:
    if rate is None or low is None or high is None:
        return "--"
    return f"{rate * 100:.0f} %  ({low * 100:.0f}-{high * 100:.0f} %)"


def _figure_cells(d: Difference) -> tuple[str, str, str, str, str]:
    if d.kind == "share":
        returned, unreturned = _pct(d.returned), _pct(d.unreturned)
        diff = (
            "--"
            if d.difference is None or d.low is None or d.high is None
            else f"{d.difference * 100:+.0f} points ({d.low * 100:+.0f} to {d.high * 100:+.0f})"
        )
    else:

        def fig(v: float | None) -> str:
            return "--" if v is None else f"{v:.1f} {d.unit}"

        returned, unreturned = fig(d.returned), fig(d.unreturned)
        diff = (
            "--"
            if d.difference is None or d.low is None or d.high is None
            else f"{signed(d.difference)} {d.unit} ({signed(d.low)} to {signed(d.high)})"
        )
    verdict = (
        "not enough data yet" if not d.enough else "differs" if d.differs else "could be chance"
    )
    check = d.id.removeprefix("check:")
    label = f"Check passed: {title_of(check)}" if d.id.startswith("check:") else d.label
    return (
        label,
        f"{returned} (n={d.returned_n})",
        f"{unreturned} (n={d.unreturned_n})",
        diff,
        verdict,
    )


def _table(columns: tuple[str, ...], name: str) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(list(columns))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.verticalHeader().hide()
    table.horizontalHeader().setHighlightSections(False)
    table.horizontalHeader().setDefaultAlignment(
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    )
    return table


class LabDialog(QDialog):
    """The lab: shows "Reading your outcomes..." until :meth:`show_result`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("A/B lab: which message gets returned")
        self.setAccessibleName("A/B lab")
        self.resize(1100, 720)
        self.reading = QLabel("Reading your outcomes\u2026")
        self.reading.setObjectName("labReading")
        self.reading.setWordWrap(True)
        self.reading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reading.setStyleSheet("font-size: 12pt; font-weight: 600; margin: 4px 0 8px 0;")
        self.rules = QLabel(
            f"Returned = called back, email reply or meeting; a wrong person is counted but left "
            f"out of the rates. Rates are read from {MIN_PER_VARIANT} messages with a known "
            "outcome per variant (95 % Wilson intervals); a variant is called ahead only when a "
            "two-proportion z-test (p < 0.05) and the interval of the difference agree. Figures "
            f"are compared once each side has {MIN_PER_GROUP} messages."
        )
        self.rules.setWordWrap(True)
        self.rules.setObjectName("hint")
        self.variants = _table(VARIANT_COLUMNS, "Variants")
        self.figures = _table(FIGURE_COLUMNS, "Returned against unreturned")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.new_variant = QPushButton("New script variant\u2026")
        self.new_version = QPushButton("New version\u2026")
        self.refresh_button = QPushButton("Refresh")
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for b in (self.new_variant, self.new_version, self.refresh_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.reading)
        layout.addWidget(self.rules)
        layout.addWidget(QLabel("Per script variant"))
        layout.addWidget(self.variants, 2)
        layout.addWidget(QLabel("Returned against unreturned messages"))
        layout.addWidget(self.figures, 3)
        layout.addWidget(self.note)
        layout.addLayout(buttons)

    def show_failure(self, text: str) -> None:
        self.reading.setText(f"The lab could not be read: {text}")

    def show_result(self, result: LabResult) -> None:
        self.reading.setText(result.reading)
        self.variants.setRowCount(len(result.variants))
        for row, v in enumerate(result.variants):
            cells = (
                v.name,
                ", ".join(str(n) for n in v.versions) or "--",
                str(v.known + v.counts["wrong_person"]),
                f"{v.returned.k} of {v.known}",
                _rate_text(v.returned.rate, v.returned.low, v.returned.high),
                *(str(v.counts[k]) for k in OUTCOME_KINDS),
                "yes" if v.enough else f"not yet ({v.known} of {MIN_PER_VARIANT})",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 4 and v.returned.rate is not None:
                    item.setToolTip(v.returned.text())
                self.variants.setItem(row, column, item)
        self.variants.resizeColumnsToContents()
        self.variants.horizontalHeader().setStretchLastSection(True)  # the figures stay by the name
        # As tall as its rows (up to six variants), so the figures below get the room.
        row = self.variants.verticalHeader().defaultSectionSize()
        rows = min(max(len(result.variants), 1), 6) * row
        frame = (
            2 * self.variants.frameWidth() + self.variants.horizontalHeader().sizeHint().height()
        )
        self.variants.setMaximumHeight(frame + rows + 2)
        # Compared figures first, then the ones still waiting for data.
        shown = sorted(result.differences, key=lambda d: (not d.enough, not d.differs))
        self.figures.setRowCount(len(shown))
        for row, d in enumerate(shown):
            for column, text in enumerate(_figure_cells(d)):
                item = QTableWidgetItem(text)
                item.setToolTip(d.text)
                self.figures.setItem(row, column, item)
        self.figures.resizeColumnsToContents()
        self.figures.horizontalHeader().setStretchLastSection(True)
        self.note.setText(result.differences_note)


class VariantDialog(QDialog):
    """A new variant (name, author, script) or a new version of one (variant chosen)."""

    def __init__(
        self, variants: list[Variant] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        versioning = variants is not None
        self.setWindowTitle("New version" if versioning else "New script variant")
        self.name = QLineEdit()
        self.name.setAccessibleName("Variant name")
        self.name.setPlaceholderText("e.g. Short opener")
        self.pick = QComboBox()
        self.pick.setAccessibleName("Variant")
        for v in variants or []:
            self.pick.addItem(f"{v.name} (now version {v.latest.number})", v.name)
        self.pick.currentIndexChanged.connect(self._load_latest)
        self.author = QLineEdit()
        self.author.setAccessibleName("Author")
        self.text = QPlainTextEdit()
        self.text.setAccessibleName("Script")
        self.text.setPlaceholderText("The script, as the rep would say it")
        self._variants = {v.name: v for v in variants or []}
        form = QFormLayout()
        form.addRow("Variant", self.pick if versioning else self.name)
        form.addRow("Author", self.author)
        form.addRow("Script", self.text)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(560, 360)
        self._load_latest()

    def _load_latest(self) -> None:
        v = self._variants.get(self.pick.currentData())
        if v is not None:
            self.text.setPlainText(v.latest.text)

    def values(self) -> tuple[str, str, str]:
        name = self.pick.currentData() if self._variants else self.name.text()
        return str(name or ""), self.author.text(), self.text.toPlainText()


class LabMenu:
    """The Lab menu (A/B lab, new script variant), and the outcome dialog for a message."""

    def __init__(self, window: QMainWindow, controller: Controller, banner: Banner) -> None:
        self.window = window
        self.controller = controller
        self.banner = banner
        self.dialog: LabDialog | None = None
        self.task: Task | None = None
        # Dialogs, replaceable in tests.
        self.ask_outcome: Callable[
            [Attempt, Outcome | None, list[Variant]], OutcomeChoice | None
        ] = self._ask_outcome
        self.ask_variant: Callable[[list[Variant] | None], tuple[str, str, str] | None] = (
            self._ask_variant
        )
        self.variants_changed: list[Callable[[], None]] = []
        self.menu = QMenu("&Lab", window)
        self.lab_action = QAction("&A/B lab\u2026", window)
        self.lab_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lab_action.triggered.connect(self.open_lab)
        self.variant_action = QAction("New &script variant\u2026", window)
        self.variant_action.triggered.connect(lambda: self.add_variant(False))
        self.version_action = QAction("New &version of a variant\u2026", window)
        self.version_action.triggered.connect(lambda: self.add_variant(True))
        self.blind_action = QAction("&Blind listening test\u2026", window)
        self.blind_action.setToolTip("Two takes of a role-play session, labels hidden")
        self.blind_action.triggered.connect(self.open_blind_test)
        self.blind_dialog: BlindTestDialog | None = None
        actions = (self.lab_action, self.variant_action, self.version_action, self.blind_action)
        for action in actions:
            self.menu.addAction(action)
            window.addAction(action)
            action.setEnabled(controller.outcomes is not None)

    @property
    def outcomes(self) -> Outcomes | None:
        return self.controller.outcomes

    def open_lab(self) -> LabDialog | None:
        if self.outcomes is None:
            self.banner.show_message("warning", "The lab needs the library, which is not open.")
            return None
        if self.dialog is None:
            self.dialog = LabDialog(self.window)
            self.dialog.new_variant.clicked.connect(lambda: self.add_variant(False))
            self.dialog.new_version.clicked.connect(lambda: self.add_variant(True))
            self.dialog.refresh_button.clicked.connect(self.refresh_lab)
        self.refresh_lab()
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog

    def refresh_lab(self) -> Task | None:
        outcomes, dialog = self.outcomes, self.dialog
        if outcomes is None or dialog is None:
            return None
        dialog.new_version.setEnabled(bool(outcomes.variants()))
        task = self.controller.runner.submit("reading the lab", lambda ctx: outcomes.lab())
        task.succeeded.connect(dialog.show_result)
        task.failed.connect(dialog.show_failure)
        self.task = task
        return task

    def add_variant(self, new_version: bool) -> None:
        outcomes = self.outcomes
        if outcomes is None:
            return
        variants = outcomes.variants()
        if new_version and not variants:
            self.banner.show_message("info", "Add a script variant first.")
            return
        answer = self.ask_variant(variants if new_version else None)
        if answer is None:
            return
        name, author, text = answer
        try:
            if new_version:
                version = outcomes.add_version(name, text, author)
                said = f"Version {version.number} of \u201c{name}\u201d saved."
            else:
                variant = outcomes.add_variant(name, text, author)
                said = f"Script variant \u201c{variant.name}\u201d saved."
        except LibraryError as exc:
            self.banner.show_message("error", str(exc))
            return
        self.banner.show_message("info", said)
        for listener in self.variants_changed:
            listener()
        if self.dialog is not None and self.dialog.isVisible():
            self.refresh_lab()

    def open_blind_test(self) -> BlindTestDialog | None:
        """The blind test for the running role-play session (else the newest with two takes)."""
        library, coaching = self.controller.library, self.controller.coaching
        if library is None or coaching is None:
            return None
        role = self.controller.role_play
        sessions = coaching.sessions()
        chosen = [s for s in sessions if role is not None and s.id == role.session_id]
        chosen += [s for s in sessions if s.take_count >= 2]
        for session in chosen:
            takes = [a for a in coaching.takes(session.id) if a.status == "ready"]
            if len(takes) >= 2:
                break
        else:
            self.banner.show_message(
                "info", "A blind test needs a role-play session with two takes: record them first."
            )
            return None
        c = self.controller
        player = Player(c.output_stream_factory, c.settings.output_device)
        self.blind_dialog = BlindTestDialog(
            BlindTests(library), session, takes, player, self.window
        )
        self.blind_dialog.show()
        return self.blind_dialog

    def edit_outcome(self, attempt_id: int) -> Outcome | None:
        """Ask what happened to the message and save it; the history and the lab follow."""
        outcomes, library = self.outcomes, self.controller.library
        if outcomes is None or library is None:
            self.banner.show_message("warning", "Outcomes need the library, which is not open.")
            return None
        try:
            attempt = library.attempt(attempt_id)
            choice = self.ask_outcome(attempt, outcomes.outcome(attempt_id), outcomes.variants())
            if choice is None:
                return None
            saved = apply_choice(outcomes, attempt, choice)
        except LibraryError as exc:
            self.banner.show_message("error", str(exc))
            return None
        what = (
            f"{saved.label} on {saved.outcome_date}"
            if saved is not None
            else "a real voicemail, no outcome yet"
            if choice.left
            else "practice"
        )
        self.banner.show_message("info", f"\u201c{attempt.title}\u201d: {what}.")
        self.controller.library_changed.emit()
        if self.dialog is not None and self.dialog.isVisible():
            self.refresh_lab()
        return saved

    def _ask_outcome(
        self, attempt: Attempt, outcome: Outcome | None, variants: list[Variant]
    ) -> OutcomeChoice | None:
        dialog = OutcomeDialog(attempt, outcome, variants, self.window)
        return dialog.choice() if dialog.exec() else None

    def _ask_variant(self, variants: list[Variant] | None) -> tuple[str, str, str] | None:
        dialog = VariantDialog(variants, self.window)
        return dialog.values() if dialog.exec() else None
