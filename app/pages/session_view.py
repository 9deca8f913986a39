"""The Role play page: a coach starts a session, lists who takes part, picks who is up next (the
next takes are labelled with them), ends the session, and reads its summary."""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from voicemail_coach.analysis.profile import RubricCriterion
from voicemail_coach.app.controller import Controller, RolePlay
from voicemail_coach.app.dates import format_date
from voicemail_coach.app.dialogs.file_dialogs import save_file
from voicemail_coach.app.export.session import SUMMARY_FILTER, export_summary
from voicemail_coach.app.pages.session_summary import SessionSummary
from voicemail_coach.app.widgets.participants import ParticipantsEditor
from voicemail_coach.storage.coaching import Coaching
from voicemail_coach.storage.coaching_records import Session
from voicemail_coach.storage.records import LibraryError

SESSION_ROLE = Qt.ItemDataRole.UserRole


SESSIONS_W = 220  # the sessions list's width at first (the takes table gets the rest)


class SessionView(QWidget):
    open_requested = Signal(int)  # attempt id
    practise_requested = Signal()
    message = Signal(str, str)  # level, text
    saved = Signal(str, str)  # message, path of the file written

    def __init__(
        self,
        controller: Controller,
        coaching: Coaching,
        rubric: Callable[[], tuple[RubricCriterion, ...]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.coaching = coaching
        self.rubric = rubric
        self.ask_save_path: Callable[[str], str | None] = self._ask_save_path
        self.setAccessibleName("Role play")
        self.session: Session | None = None

        left = self._build_sessions_column()
        holder = self._build_detail()
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(holder)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        split.setSizes([SESSIONS_W, 4 * SESSIONS_W])  # the sessions list as wide as it needs
        title = QLabel("Role play")
        title.setObjectName("pageTitle")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(split, 1)
        controller.role_play_changed.connect(lambda _r: self._show_turn())
        self._new_takes: set[int] = set()
        controller.take_labelled.connect(self._new_takes.add)
        controller.feedback_ready.connect(self._after_take)
        self.refresh()

    # -- building the page ----------------------------------------------------------------------

    def _build_sessions_column(self) -> QWidget:
        """The left column: a new session's name, coach and Start, then the sessions."""
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Thursday drill: renewals")
        self.name.setAccessibleName("Session name")
        self.coach = QLineEdit()
        self.coach.setPlaceholderText("Your name")
        self.coach.setAccessibleName("Coach")
        self.start = QPushButton("Start session")
        self.start.clicked.connect(self.start_session)
        self.name.returnPressed.connect(self.start_session)
        form = QFormLayout()
        form.addRow("Session", self.name)
        form.addRow("Coach", self.coach)
        form.addRow("", self.start)
        new_box = QGroupBox("New session")
        new_box.setLayout(form)
        self.list = QListWidget()
        self.list.setAccessibleName("Sessions")
        self.list.currentItemChanged.connect(lambda item, _old: self._choose(item))
        left = QWidget()
        left.setMaximumWidth(260)
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(new_box)
        column.addWidget(QLabel("<b>Sessions</b>"))
        column.addWidget(self.list, 1)
        return left

    def _build_turn_row(self) -> QHBoxLayout:
        """Who is up next, the scenario of the next takes, Practise now, Take turns, End."""
        controller = self.controller
        self.up_next = QComboBox()
        self.up_next.setAccessibleName("Up next")
        self.up_next.setMinimumContentsLength(14)
        self.up_next.activated.connect(lambda _i: self._apply_up_next())
        self.scenario = QComboBox()
        self.scenario.setAccessibleName("Scenario of the next takes")
        self.scenario.setToolTip(
            "The scenario card the next takes practise (the same choice as on the Practice "
            "page); the summary shows it and filters by it"
        )
        self.scenario.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.scenario.activated.connect(
            lambda i: self.controller.set_scenario(self.scenario.itemData(i))
        )
        controller.scenario_changed.connect(self._scenario_changed)
        self._fill_scenarios()
        self.practise = QPushButton("Practise now")
        self.practise.setToolTip("Go to the practice page; the next take is labelled as shown")
        self.practise.clicked.connect(self._practise)
        self.take_turns = QCheckBox("Take turns")
        self.take_turns.setToolTip(
            "After each take, the next person in the list is up (back to the first after the last)"
        )
        self.take_turns.setChecked(controller.settings.take_turns)
        self.take_turns.toggled.connect(controller.set_take_turns)
        self.end = QPushButton("End session")
        self.end.clicked.connect(self.toggle_ended)
        turn = QHBoxLayout()
        turn.addWidget(QLabel("Up next:"))
        turn.addWidget(self.up_next)
        turn.addWidget(self.scenario, 1)
        turn.addWidget(self.practise)
        turn.addWidget(self.take_turns)
        turn.addStretch(1)
        turn.addWidget(self.end)
        return turn

    def _build_summary_head(self) -> QHBoxLayout:
        """The takes table's heading and Export summary; makes the table."""
        self.export = QPushButton("Export summary\u2026")
        self.export.clicked.connect(self.export_summary)
        self.summary = SessionSummary()
        self.summary.open_requested.connect(self.open_requested.emit)
        self.summary.relabel_requested.connect(self._relabel)
        self.summary.remove_requested.connect(lambda attempt_id: self._relabel(attempt_id, None))
        summary_head = QHBoxLayout()
        summary_head.addWidget(QLabel("<b>Takes</b> (double-click one to review it)"), 1)
        summary_head.addWidget(self.export)
        return summary_head

    def _build_detail(self) -> QWidget:
        """The right side: the chosen session (heading, notes, participants, who is up next,
        its takes), or the placeholder while there is none."""
        self.heading = QLabel()
        self.heading.setObjectName("sessionHeading")
        self.heading.setWordWrap(True)
        self.status = QLabel()
        self.status.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.notes = QLineEdit()
        self.notes.setAccessibleName("Session notes")
        self.notes.setPlaceholderText("Notes on the session, e.g. today's focus (in the summary)")
        self.notes.editingFinished.connect(self._save_notes)
        self.participants = ParticipantsEditor()
        self.participants.changed.connect(self._save_participants)
        self.participants.renamed.connect(self._rename)
        self.participants.message.connect(self.message.emit)
        turn = self._build_turn_row()
        summary_head = self._build_summary_head()
        self.detail = QWidget()
        right = QVBoxLayout(self.detail)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.heading)
        right.addWidget(self.status)
        right.addWidget(self.notes)
        right.addWidget(self.participants)
        right.addLayout(turn)
        right.addSpacing(6)
        right.addLayout(summary_head)
        right.addWidget(self.summary, 1)
        self.placeholder = QLabel(
            "Start a session to run role play with your team: add who takes part, choose who "
            "is up next, and every take they record is labelled with their name. Listen back, "
            "comment on moments and score the rubric from the feedback page."
        )
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        holder = QWidget()
        stack = QVBoxLayout(holder)
        stack.setContentsMargins(8, 0, 0, 0)
        stack.addWidget(self.placeholder, 1)
        stack.addWidget(self.detail, 1)
        return holder

    # -- sessions -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the sessions again, keeping the chosen one (at first, the one labelling takes)."""
        role = self.controller.role_play
        chosen = self.session.id if self.session is not None else None
        if chosen is None and role is not None:
            chosen = role.session_id
        try:
            sessions = self.coaching.sessions()
        except LibraryError as exc:
            self.message.emit("error", str(exc))
            return
        self.list.blockSignals(True)
        self.list.clear()
        for s in sessions:
            state = "\u25cf " if s.active else ""
            takes = f"{s.take_count} take{'s' if s.take_count != 1 else ''}"
            item = QListWidgetItem(f"{state}{s.name}\n{format_date(s.created_at)} \u00b7 {takes}")
            item.setData(SESSION_ROLE, s.id)
            item.setToolTip("Running" if s.active else "Ended")
            self.list.addItem(item)
            if s.id == chosen:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        if chosen is None and sessions:
            self.list.setCurrentRow(0)
        self._choose(self.list.currentItem())

    def start_session(self) -> None:
        try:
            session = self.coaching.start_session(self.name.text(), self.coach.text())
        except LibraryError as exc:
            self.message.emit("error", str(exc))
            return
        self.name.clear()
        self.session = session
        self.refresh()
        self.participants.focus_new()

    def select(self, session_id: int) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item is not None and item.data(SESSION_ROLE) == session_id:
                self.list.setCurrentItem(item)

    def _choose(self, item: QListWidgetItem | None) -> None:
        self.session = None
        if item is not None:
            try:
                self.session = self.coaching.session(int(item.data(SESSION_ROLE)))
            except LibraryError as exc:
                self.message.emit("error", str(exc))
        self._show_session()

    def _show_session(self) -> None:
        s = self.session
        self.detail.setVisible(s is not None)
        self.placeholder.setVisible(s is None)
        if s is None:
            return
        coach = f" \u00b7 coach {s.coach}" if s.coach else ""
        self.heading.setText(
            f"<span style='font-size:15pt; font-weight:600'>{html.escape(s.name)}</span>"
        )
        state = "running" if s.active else f"ended {format_date(s.ended_at or '')}"
        self.status.setText(f"Started {format_date(s.created_at)}{coach} \u00b7 {state}")
        self.notes.setText(s.notes)
        self.participants.set_names(s.participants)
        self.participants.setEnabled(s.active)
        self.end.setText("End session" if s.active else "Reopen session")
        self._show_turn()
        try:
            rows = self.coaching.summary(s.id)
        except LibraryError as exc:
            self.message.emit("error", str(exc))
            rows = []
        self.summary.people = s.participants
        self.summary.set_rows(rows, self.rubric())
        self.export.setEnabled(bool(rows))

    def _save_notes(self) -> None:
        s = self.session
        if s is None or self.notes.text() == s.notes:
            return
        try:
            self.session = self.coaching.update_session(s.id, notes=self.notes.text())
        except LibraryError as exc:
            self.message.emit("error", str(exc))

    def toggle_ended(self) -> None:
        s = self.session
        if s is None:
            return
        try:
            if s.active:
                self.coaching.end_session(s.id)
                role = self.controller.role_play
                if role is not None and role.session_id == s.id:
                    self.controller.set_role_play(None)
            else:
                self.coaching.reopen_session(s.id)
        except LibraryError as exc:
            self.message.emit("error", str(exc))
        self.refresh()

    # -- participants and turns ---------------------------------------------------------------

    def _save_participants(self, names: list[str]) -> None:
        s = self.session
        if s is None:
            return
        try:
            self.session = self.coaching.set_participants(s.id, names)
        except LibraryError as exc:
            self.message.emit("error", str(exc))
        self._show_session()

    def _rename(self, old: str, new: str) -> None:
        s = self.session
        if s is None:
            return
        try:
            self.session = self.coaching.rename_participant(s.id, old, new)
        except LibraryError as exc:
            self.message.emit("error", str(exc))
            self._show_session()
            return
        role = self.controller.role_play
        if role is not None and role.session_id == s.id and role.participant == old:
            self.controller.set_role_play(
                dataclasses.replace(role, participant=" ".join(new.split()))
            )
        self._show_session()

    def _show_turn(self) -> None:
        s = self.session
        role = self.controller.role_play
        current = role.participant if role is not None and s and role.session_id == s.id else None
        self.up_next.clear()
        self.up_next.addItem("Nobody (don't label takes)", None)
        for name in s.participants if s is not None else ():
            self.up_next.addItem(name, name)
        self.up_next.setCurrentIndex(max(0, self.up_next.findData(current)) if current else 0)
        self.participants.mark(current)
        running = s is not None and s.active
        self.up_next.setEnabled(running and bool(s and s.participants))
        self.scenario.setEnabled(running)
        self.practise.setEnabled(running)

    def _apply_up_next(self) -> None:
        s = self.session
        who = self.up_next.currentData()
        if s is None or not s.active:
            return
        card = self.controller.scenario
        scenario = card.label if card is not None else None
        role = RolePlay(s.id, s.name, who, scenario) if who else None
        if role != self.controller.role_play:
            self.controller.set_role_play(role)

    def _relabel(self, attempt_id: int, participant: str | None) -> None:
        """Correct who recorded a take (None: the take leaves the session; it stays in History)."""
        s = self.session
        if s is None:
            return
        try:
            self.coaching.label_take(attempt_id, s.id if participant else None, participant)
        except LibraryError as exc:
            self.message.emit("error", str(exc))
        self.refresh()

    def _fill_scenarios(self) -> None:
        """The cards to choose from, with the controller's current choice selected."""
        chosen = self.controller.scenario
        self.scenario.clear()
        self.scenario.addItem("No scenario card", None)
        for card in self.controller.scenarios.all():
            self.scenario.addItem(card.label, card.id)
        self.scenario.setCurrentIndex(max(0, self.scenario.findData(chosen.id) if chosen else 0))

    def _scenario_changed(self, _scenario: object) -> None:
        """A card chosen here or on the Practice page applies at once to a labelling session."""
        self._fill_scenarios()
        role, s = self.controller.role_play, self.session
        if role is not None and s is not None and role.session_id == s.id:
            self._apply_up_next()

    def _after_take(self, feedback: object) -> None:
        """With "Take turns" on, the next person is up once a take of theirs is analyzed."""
        attempt = getattr(feedback, "attempt", None)
        if attempt is None or attempt.id not in self._new_takes:
            return
        self._new_takes.discard(attempt.id)
        role = self.controller.role_play
        if not self.take_turns.isChecked() or role is None or role.session_id != attempt.session_id:
            return
        try:
            people = self.coaching.session(role.session_id).participants
        except LibraryError:
            return
        if role.participant in people and len(people) > 1:
            following = people[(people.index(role.participant) + 1) % len(people)]
            self.controller.set_role_play(dataclasses.replace(role, participant=following))

    def _practise(self) -> None:
        self._apply_up_next()
        self.practise_requested.emit()

    # -- export -------------------------------------------------------------------------------

    def export_summary(self) -> None:
        s = self.session
        if s is None:
            return
        target = self.ask_save_path(f"{s.name}.pdf")
        if not target:
            return
        try:
            path = export_summary(target, self.coaching, s.id, self.rubric())
        except (LibraryError, OSError) as exc:
            self.message.emit("error", f"Could not write {target}: {exc}")
            return
        self.saved.emit(f"Session summary saved to {path}", str(path))

    def _ask_save_path(self, suggested: str) -> str | None:
        return save_file(self, "Export the summary", suggested, SUMMARY_FILTER)
