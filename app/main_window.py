"""The main window: menus and shortcuts, the three pages, drag and drop, clean shutdown."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeyEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from voicemail_coach.app.controller import Controller, Feedback, RolePlay
from voicemail_coach.app.dates import format_date
from voicemail_coach.app.dialogs import file_dialogs
from voicemail_coach.app.dialogs.file_dialogs import open_file, save_file
from voicemail_coach.app.pages.analysing_view import AnalysingView
from voicemail_coach.app.pages.library_pages import LibraryPages
from voicemail_coach.app.pages.practice_setup import PracticeSetup
from voicemail_coach.app.pages.practice_view import PracticeView
from voicemail_coach.app.pages.review_view import ReviewView
from voicemail_coach.app.widgets.banner import Banner, SaveNotice
from voicemail_coach.app.widgets.check_row import CheckRow
from voicemail_coach.audio.io import SUPPORTED_SUFFIXES
from voicemail_coach.storage.records import Attempt

OPEN_FILTER = "Recordings (*.wav *.flac *.ogg *.oga *.opus *.mp3 *.m4a *.aac *.mp4);;All files (*)"


class MainWindow(QMainWindow):
    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        file_dialogs.use_memory(lambda: controller.settings.last_folder, controller.remember_folder)
        self.setWindowTitle("Voicemail Coach")
        self.setAcceptDrops(True)
        self.ask_unsaved: Callable[[], str] = self._ask_unsaved  # "save" | "discard" | "cancel"
        self.ask_known: Callable[[Attempt], str] = self._ask_known  # "show" | "add" | "cancel"
        self.resize(1180, 800)
        self.setMinimumSize(760, 560)

        self.banner = Banner()
        self.save_notice = SaveNotice()
        self.practice = PracticeView(controller.preset, controller.auto_stop_s)
        self.analysing = AnalysingView()
        self.review = ReviewView()
        self.pages = QStackedWidget()
        for page in (self.practice, self.analysing, self.review):
            self.pages.addWidget(page)
        self.library_pages: LibraryPages | None = None
        if controller.library is not None:
            self.library_pages = LibraryPages(controller, controller.library, self.banner)
            self.library_pages.add_to(self.pages)
            self.library_pages.show_page.connect(self.pages.setCurrentWidget)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.banner)
        layout.addWidget(self.save_notice)
        layout.addWidget(self.pages, 1)
        self.banner.follow(self.pages)
        self.setCentralWidget(central)
        self.model_label = QLabel("Loading the speech model\u2026")
        self.model_label.setAccessibleName("Model status")
        self.statusBar().addPermanentWidget(self.model_label)
        self._actions()
        self._navigation()
        from voicemail_coach.app.dialogs.coaching_menu import CoachingMenu

        self.coaching = CoachingMenu(self, controller, self.banner)
        self.menuBar().insertMenu(self.help_menu.menuAction(), self.coaching.menu)
        from voicemail_coach.app.dialogs.lab_dialog import LabMenu

        self.lab = LabMenu(self, controller, self.banner)
        self.menuBar().insertMenu(self.help_menu.menuAction(), self.lab.menu)
        self.lab.variants_changed.append(self._show_variants)
        self.setup = PracticeSetup(controller, self.practice)
        self.setup.audio_unavailable.connect(self._recording_off)
        self._connect()
        from voicemail_coach.app.rewrite_control import install_rewrite

        self.rewrite = install_rewrite(self)
        self.practice.scenario.set_choices(controller.scenarios.all(), controller.scenario)
        self._show_variants()
        self.setup.show_all()
        self.on_state("ready")
        if controller.library_problem:
            self.banner.show_message("error", controller.library_problem)

    # -- wiring -------------------------------------------------------------------------------

    def _action(self, text: str, shortcut: str | QKeySequence.StandardKey, slot: object) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _actions(self) -> None:
        c = self.controller
        self.open_action = self._action(
            "&Open recording\u2026", QKeySequence.StandardKey.Open, self.open_dialog
        )
        self.record_action = self._action("&Record / Stop", "Space", self.record_or_stop)
        # Ctrl+R was "Record again": from the feedback it now leads to the ready screen too, so
        # no take starts before the rep has seen the card, microphone and greeting.
        self.again_action = self._action("&New take", "Ctrl+N", self.new_take)
        self.again_action.setShortcuts([QKeySequence("Ctrl+N"), QKeySequence("Ctrl+R")])
        self.cancel_action = self._action("&Cancel / back", "Esc", self.escape)
        self.cancel_action.setToolTip(
            "Esc: stop the greeting, cancel the analysis, or leave the feedback for a new take"
        )
        self.play_action = self._action("&Play / Pause", "Ctrl+P", c.toggle_playback)
        self.settings_action = self._action("&Settings\u2026", "Ctrl+,", self.open_settings)
        self.export_action = self._action("&Export report\u2026", "Ctrl+E", self.export_current)
        self.save_take_action = self._action(
            "Save &unsaved take\u2026", "Ctrl+Shift+S", self.save_unsaved
        )
        self.save_take_action.setEnabled(False)
        self.quit_action = self._action("&Quit", QKeySequence.StandardKey.Quit, self.close)
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(self.open_action)
        file_menu.addAction(self.export_action)
        file_menu.addAction(self.save_take_action)
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        practice = self.menuBar().addMenu("&Practice")
        for action in (self.record_action, self.again_action, self.cancel_action, self.play_action):
            practice.addAction(action)
        help_menu = self.menuBar().addMenu("&Help")
        self.help_menu = help_menu
        about = QAction("&About Voicemail Coach", self)
        about.triggered.connect(self.about)
        help_menu.addAction(about)

    def _navigation(self) -> None:
        """Practice / History / Progress, as a toolbar of exclusive buttons and a View menu."""
        bar = self.addToolBar("Navigation")
        bar.setObjectName("navigation")
        bar.setMovable(False)
        group = QActionGroup(self)
        view_menu = QMenu("&View", self)
        self.menuBar().insertMenu(self.help_menu.menuAction(), view_menu)
        self.nav: dict[str, QAction] = {}
        library = self.library_pages
        pages = [("Practice", "Ctrl+1", self.show_practice)]
        if library is not None:
            pages += [
                ("History", "Ctrl+2", lambda: self._show_library(library.history)),
                ("Progress", "Ctrl+3", lambda: self._show_library(library.progress)),
            ]
            sessions = library.sessions
            if sessions is not None:
                pages.append(("Role play", "Ctrl+4", lambda: self._show_library(sessions)))
        for name, key, slot in pages:
            action = self._action(name, key, slot)
            action.setCheckable(True)
            action.setToolTip(f"{name} ({key})")
            group.addAction(action)
            bar.addAction(action)
            view_menu.addAction(action)
            self.nav[name] = action
        self.nav["Practice"].setChecked(True)
        if library is None:
            bar.addWidget(QLabel("  History is off: the library could not be opened."))

    def event(self, event: QEvent) -> bool:
        # Space is Record / Stop, but a focused button or scorecard row between takes keeps it
        # (a keyboard user presses what has the focus); during a take Space always stops.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Space
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
            and not self.controller.busy
            and isinstance(QApplication.focusWidget(), (QAbstractButton, CheckRow))
            and QApplication.focusWidget() is not self.practice.record
        ):
            event.accept()
            return True
        return super().event(event)

    def record_or_stop(self) -> None:
        """Space: start or stop a take; from the feedback, the ready screen comes first."""
        if self.controller.state == "feedback":
            self.new_take()
        else:
            self.controller.toggle_recording()

    def new_take(self) -> None:
        """Leave the feedback for the ready screen, the Record button in focus."""
        self.review.coach.save_notes()
        if self.controller.new_take():
            self.practice.record.setFocus(Qt.FocusReason.OtherFocusReason)

    def escape(self) -> None:
        if self.controller.state == "feedback":
            self.new_take()
        else:
            self.controller.cancel()

    def show_practice(self) -> None:
        self.nav["Practice"].setChecked(True)
        self.on_state(self.controller.state)

    def practise_now(self) -> None:
        """The practice page, ready for the next take (from the Role play page)."""
        if self.controller.busy:
            self.banner.show_message("warning", "Finish the current take first.")
            return
        self.nav["Practice"].setChecked(True)
        self.pages.setCurrentWidget(self.practice)
        self.practice.show_state("ready")

    def _show_library(self, page: QWidget) -> None:
        if self.controller.busy:
            self.banner.show_message("warning", "Finish the current take first.")
            self.nav["Practice"].setChecked(True)
            return
        if self.library_pages is not None:
            self.library_pages.refresh()
        self.pages.setCurrentWidget(page)

    def export_current(self) -> None:
        feedback = self.controller.feedback
        if feedback is None or self.library_pages is None:
            return
        attempt = feedback.attempt
        title = attempt.title if attempt else feedback.path.stem
        target = self.library_pages.ask_save_path(f"{title}.pdf")
        if target:
            # With what the coach added to the take, as the coach panel shows it now.
            coaching = notes = None
            if attempt is not None:
                self.review.coach.save_notes()
                notes = self.review.coach.notes.toPlainText()
                coaching = self.library_pages.coaching_record(
                    attempt.id, feedback.report.profile.path
                )
            self.library_pages.write_report(
                Path(target), feedback.report, feedback.samples, feedback.sample_rate, title,
                attempt.created_at if attempt else None, notes or "", coaching,
            )  # fmt: skip

    def _connect(self) -> None:
        c = self.controller
        c.state_changed.connect(self.on_state)
        c.message.connect(self.banner.show_message)
        c.live.connect(self.practice.show_live)
        c.auto_stop_warning.connect(self.practice.show_auto_stop_warning)
        c.live_cues.connect(self.practice.cues.show_cues)
        c.progress.connect(self.analysing.set_progress)
        c.status.connect(self.analysing.set_status)
        c.feedback_ready.connect(self.on_feedback)
        c.when_shown = self.review.after_paint
        c.phone_line_ready.connect(self.review.show_line_check)
        c.line_audio.connect(self.review.player.set_line_available)
        c.playback.connect(self.on_playback)
        c.model_ready.connect(lambda name: self.model_label.setText(f"Model: {name} \u00b7 local"))
        c.model_failed.connect(self.on_model_failed)
        c.unsaved_changed.connect(self.save_take_action.setEnabled)
        c.unsaved_changed.connect(lambda _kept: self._show_save_problem())
        c.saving_changed.connect(lambda _why: self._show_save_problem())
        self.save_notice.save_as.connect(self.save_unsaved)
        self.review.save_as.connect(self.save_unsaved)
        self._show_save_problem()
        self.practice.record_clicked.connect(c.toggle_recording)
        self.practice.open_clicked.connect(self.open_dialog)
        self.practice.scenario.chosen.connect(c.set_scenario)
        self.practice.variant_chosen.connect(c.set_variant)
        self.review.outcome_requested.connect(self.lab.edit_outcome)
        c.scenario_changed.connect(self.practice.scenario.show_scenario)
        self.analysing.cancel_clicked.connect(c.cancel_analysis)
        self.review.seek_requested.connect(c.seek)
        self.review.play_toggled.connect(c.toggle_playback)
        self.review.line_chosen.connect(c.set_hear_line)
        self.review.new_take.connect(self.new_take)
        self.review.restore_split(c.settings.review_split, c.settings.review_split_coach)
        self.review.split_moved.connect(c.remember_split)
        self.review.coach.set_store(c.coaching, c.profile.rubric)
        self.review.coach.message.connect(self.banner.show_message)
        c.role_play_changed.connect(self._show_role_play)
        self._show_role_play(c.role_play)  # carried on from the last run
        if self.library_pages is not None and self.library_pages.sessions is not None:
            self.library_pages.sessions.practise_requested.connect(self.practise_now)
        if self.library_pages is not None:
            self.library_pages.history.outcome_requested.connect(self.lab.edit_outcome)

    # -- reactions ----------------------------------------------------------------------------

    def _show_variants(self) -> None:
        """The practice page's script variants, with the one chosen for the next takes."""
        outcomes = self.controller.outcomes
        variants = outcomes.variants() if outcomes is not None else []
        chosen = self.controller.variant()
        self.practice.set_variants(
            [(f"{v.name} (v{v.latest.number})", v.uid) for v in variants],
            chosen.uid if chosen else None,
        )

    def _show_role_play(self, role: RolePlay | None) -> None:
        self.practice.show_role_play(
            role.participant if role else None,
            role.session_name if role else None,
            role.scenario if role else None,
        )

    def on_state(self, state: str) -> None:
        self.nav["Practice"].setChecked(True)
        if state in ("ready", "greeting", "recording", "stopping"):
            self.pages.setCurrentWidget(self.practice)
            self.practice.show_state(state)
        elif state == "analysing":
            self.analysing.start()
            self.pages.setCurrentWidget(self.analysing)
        elif state == "feedback":
            self.pages.setCurrentWidget(self.review)
        if state != "analysing":
            self.analysing.stop()
        self._keep_focus(state)
        busy = state in ("greeting", "recording", "stopping", "analysing")
        self.open_action.setEnabled(not busy)
        self.settings_action.setEnabled(not busy)
        self.record_action.setEnabled(self.practice.recording_available and state != "analysing")
        self.again_action.setEnabled(state == "feedback")
        self.cancel_action.setEnabled(state in ("greeting", "analysing", "feedback"))
        self.play_action.setEnabled(state == "feedback")
        self.export_action.setEnabled(state == "feedback" and self.library_pages is not None)
        for name, action in self.nav.items():
            action.setEnabled(name == "Practice" or not busy)
        if state in ("recording", "analysing"):
            self.banner.hide()

    def _keep_focus(self, state: str) -> None:
        """A keyboard user never loses the focus when a page is swapped (the focused control
        went with the page): it goes to the new page's main control."""
        focus = QApplication.focusWidget()
        if focus is not None and focus.isVisible() and focus.window() is self:
            return
        main = {
            "analysing": self.analysing.cancel,
            "feedback": self.review.player.button,
        }.get(state, self.practice.record)
        if main.isVisible():
            main.setFocus(Qt.FocusReason.OtherFocusReason)

    def on_feedback(self, feedback: Feedback) -> None:
        self.review.show_feedback(
            feedback, self.controller.profile.timing.value_proposition_within_s
        )
        self.review.show_not_saved(feedback.not_saved, self.controller.unsaved is not None)

    def _show_save_problem(self) -> None:
        """The notice on every page while takes cannot be saved; "Save as..." while a take is
        kept only in memory (on the notice and on its report)."""
        c = self.controller
        self.save_notice.show_problem(c.save_problem, c.unsaved is not None)
        self.review.can_save(c.unsaved is not None)
        if c.unsaved is None and c.rescued:
            self.review.show_rescued(c.rescued)

    def on_playback(self, position_s: float, playing: bool) -> None:
        feedback = self.controller.feedback
        if feedback is not None:
            self.review.show_playback(position_s, playing, feedback.report.source.duration_s)

    def on_model_failed(self, text: str) -> None:
        self.model_label.setText("No speech model")
        self.banner.show_message("error", f"{text} Choose a model folder in Settings.")

    def _recording_off(self, why: str) -> None:
        self.record_action.setEnabled(False)
        self.banner.show_message("warning", why)

    # -- file opening -------------------------------------------------------------------------

    def open_dialog(self) -> None:
        path = open_file(self, "Open a recording", OPEN_FILTER)
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> None:
        """Analyze a file; one already in the history is offered instead of a duplicate."""
        c = self.controller
        known = c.known_attempt(path) if not c.busy else None
        if known is not None:
            answer = self.ask_known(known)
            if answer == "cancel":
                return
            if answer == "show":
                c.show_attempt(known.id)
                return
        if c.analyze(path) is None:
            self.banner.show_message("warning", "Finish the current take first.")

    def _ask_known(self, attempt: Attempt) -> str:
        box = QMessageBox(self)
        box.setWindowTitle("Already in your history")
        box.setIcon(QMessageBox.Icon.Question)
        when = format_date(attempt.created_at)
        box.setText(
            f"This file is already in your history as \u201c{attempt.title}\u201d ({when}). "
            "Show that attempt, or add the file again as a new attempt?"
        )
        show = box.addButton("Show it", QMessageBox.ButtonRole.AcceptRole)
        add = box.addButton("Add again", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(show)
        box.exec()
        clicked = box.clickedButton()
        return "show" if clicked is show else "add" if clicked is add else "cancel"

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_file(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._dropped_file(event)
        if path is not None:
            event.acceptProposedAction()
            self.open_path(path)

    @staticmethod
    def _dropped_file(event: QDragEnterEvent | QDropEvent) -> str | None:
        for url in event.mimeData().urls():
            if url.isLocalFile() and Path(url.toLocalFile()).suffix.lower() in SUPPORTED_SUFFIXES:
                return url.toLocalFile()
        return None

    # -- dialogs and shutdown -----------------------------------------------------------------

    def open_settings(self) -> None:
        from voicemail_coach.app.dialogs.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.controller.settings, self)
        if dialog.exec():
            self.controller.apply_settings(dialog.result_settings())
            self.setup.show_all()

    def about(self) -> None:
        QMessageBox.about(
            self,
            "About Voicemail Coach",
            "Voicemail Coach helps you leave voicemails that get returned.\n\n"
            "Everything runs on this computer: your recordings and transcripts never leave it.",
        )

    def save_unsaved(self) -> None:
        path = save_file(self, "Save the take", "voicemail-take.flac", "FLAC audio (*.flac)")
        if path:
            self.controller.save_unsaved(path)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.controller.unsaved is not None and not self._unsaved_handled():
            event.ignore()
            return
        self.review.coach.save_notes()
        self.controller.shutdown()
        event.accept()

    def _unsaved_handled(self) -> bool:
        """Ask before a take that exists only in memory is lost; False keeps the window open."""
        answer = self.ask_unsaved()
        if answer == "save":
            self.save_unsaved()
            return self.controller.unsaved is None
        return answer == "discard"

    def _ask_unsaved(self) -> str:
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self,
            "Unsaved take",
            "A take could not be written to disk and is only in memory. Save it first?",
            buttons.Save | buttons.Discard | buttons.Cancel,
        )
        return {buttons.Save: "save", buttons.Discard: "discard"}.get(answer, "cancel")
