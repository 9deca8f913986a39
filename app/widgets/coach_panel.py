"""The coach's side of the feedback page: comments at moments, rubric scores and notes."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QFocusEvent, QPalette
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTabWidget, QVBoxLayout, QWidget

from voicemail_coach.analysis.profile import RubricCriterion
from voicemail_coach.analysis.report import Report
from voicemail_coach.app.widgets.comments_panel import CommentsPanel
from voicemail_coach.app.widgets.rubric_panel import RubricPanel
from voicemail_coach.storage.coaching import Coaching
from voicemail_coach.storage.coaching_records import rubric_of
from voicemail_coach.storage.library import Library
from voicemail_coach.storage.records import Attempt, LibraryError

NOTES_SAVE_MS = 800  # notes are saved this long after the last key, and when the box loses focus


class NotesEdit(QPlainTextEdit):
    left = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.left.emit()


class CoachPanel(QWidget):
    """Tabs Comments / Rubric / Notes for the attempt on the feedback page, saved as they change."""

    seek_requested = Signal(float)
    message = Signal(str, str)  # level, text

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("coachPanel")
        self.setAccessibleName("Coach's review")
        self.store: Coaching | None = None
        self.library: Library | None = None
        self.attempt: Attempt | None = None
        self.fallback_rubric: tuple[RubricCriterion, ...] = ()
        self.who = QLabel()
        self.who.setObjectName("coachWho")
        self.who.setWordWrap(True)
        self.who.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.comments = CommentsPanel()
        self.rubric = RubricPanel()
        self.notes = NotesEdit()
        self.notes.setAccessibleName("Coach notes")
        self.notes.setPlaceholderText("Notes on this take (they go into the exported report)")
        self._notes_timer = QTimer(self)
        self._notes_timer.setSingleShot(True)
        self._notes_timer.setInterval(NOTES_SAVE_MS)
        self._notes_timer.timeout.connect(self.save_notes)
        self.notes.textChanged.connect(self._notes_timer.start)
        self.notes.left.connect(self.save_notes)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.comments, "Comments")
        self.tabs.addTab(self.rubric, "Rubric")
        self.tabs.addTab(self.notes, "Notes")
        self.comments.comments_changed.connect(self._count_comments)
        self.rubric.total_changed.connect(self._show_total)
        self.comments.seek_requested.connect(self.seek_requested.emit)
        for panel in (self.comments, self.rubric):
            panel.message.connect(self.message.emit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.who)
        layout.addWidget(self.tabs, 1)
        # Never so narrow that its tabs scroll ("Comments (3)", "Rubric 14/15", "Notes").
        self.tabs.tabBar().setExpanding(False)
        self.setMinimumWidth(300)

    def set_store(
        self, store: Coaching | None, fallback_rubric: tuple[RubricCriterion, ...] = ()
    ) -> None:
        self.store = store
        self.library = store.library if store is not None else None
        self.fallback_rubric = fallback_rubric

    def set_attempt(self, attempt: Attempt | None, report: Report) -> None:
        """Show what the coach added to ``attempt`` (None: a take not kept in the library)."""
        self.save_notes()
        self.attempt = attempt
        store = self.store if attempt is not None else None
        attempt_id = attempt.id if attempt is not None else None
        session = None
        if store is not None and attempt is not None and attempt.session_id is not None:
            try:
                session = store.session(attempt.session_id)
            except LibraryError:
                session = None
        parts = []
        if attempt is not None and attempt.participant:
            parts.append(f"Recorded by {attempt.participant}")
        if session is not None:
            parts.append(f"session {session.name}")
        self.who.setText(" \u00b7 ".join(parts))
        self.who.setVisible(bool(parts))
        self.comments.set_attempt(store, attempt_id, session.coach if session else "")
        rubric = rubric_of(report.profile.path, self.fallback_rubric)
        self.rubric.set_attempt(store, attempt_id, rubric, report.profile.name)
        self.notes.blockSignals(True)
        self.notes.setPlainText(attempt.notes if attempt is not None else "")
        self.notes.blockSignals(False)
        self.notes.setEnabled(attempt is not None and self.library is not None)

    def has_content(self) -> bool:
        """Anything the coach added to this take (or it belongs to a role-play session)."""
        a = self.attempt
        labelled = a is not None and (a.session_id is not None or bool(a.participant))
        return labelled or bool(self.comments.comments() or self.rubric.total_text())

    def begin_comment(self, at_s: float) -> None:
        self.tabs.setCurrentWidget(self.comments)
        self.comments.begin_comment(at_s)

    def save_notes(self) -> None:
        self._notes_timer.stop()
        attempt, library = self.attempt, self.library
        if attempt is None or library is None or self.notes.toPlainText() == attempt.notes:
            return
        try:
            self.attempt = library.update(attempt.id, notes=self.notes.toPlainText())
        except LibraryError as exc:
            self.message.emit("error", str(exc))

    def _count_comments(self, comments: list[tuple[float, str]]) -> None:
        index = self.tabs.indexOf(self.comments)
        self.tabs.setTabText(index, f"Comments ({len(comments)})" if comments else "Comments")

    def _show_total(self, total: str) -> None:
        index = self.tabs.indexOf(self.rubric)
        self.tabs.setTabText(index, f"Rubric {total.split(' ')[0]}" if total else "Rubric")
