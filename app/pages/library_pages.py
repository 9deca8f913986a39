"""The library side of the window: History, Progress and Compare pages, export, recovery.

Kept apart from ``main_window`` so each stays small; the window gives it its page stack and
banner, and this object wires the views to the controller and the library.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QStackedWidget, QWidget

from voicemail_coach.analysis.profile import ProfileError
from voicemail_coach.analysis.transcribe import ModelError
from voicemail_coach.app.controller import Controller
from voicemail_coach.app.dialogs.file_dialogs import save_file
from voicemail_coach.app.pages.compare_view import CompareView
from voicemail_coach.app.pages.history_view import HistoryView
from voicemail_coach.app.pages.progress_view import ProgressView
from voicemail_coach.app.pages.session_view import SessionView
from voicemail_coach.app.widgets.banner import Banner
from voicemail_coach.audio.io import AudioLoadError, load_audio
from voicemail_coach.storage.library import Library
from voicemail_coach.storage.records import LibraryError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from voicemail_coach.analysis.report import Report
    from voicemail_coach.app.controller import Feedback
    from voicemail_coach.storage.coaching_records import CoachingRecord

EXPORT_FILTER = "PDF report (*.pdf);;Web page (*.html)"


class LibraryPages(QObject):
    show_page = Signal(object)  # the page widget to bring forward

    def __init__(self, controller: Controller, library: Library, banner: Banner) -> None:
        super().__init__()
        self.controller = controller
        self.library = library
        self.banner = banner
        profile = controller.profile
        preset = controller.preset
        zone = (preset.target_min_s, preset.target_max_s)
        wpm = (profile.pace.target_min_wpm, profile.pace.target_max_wpm)
        self.history = HistoryView(library)
        self.progress = ProgressView(
            library,
            length_zone=zone,
            wpm_zone=wpm,
            value_within_s=profile.timing.value_proposition_within_s,
            fillers_max=profile.fillers.warn_per_minute,
        )
        self.compare = CompareView(length_zone=zone, wpm_zone=wpm)
        self._verdict_before: Report | None = None  # the report before "Analyze again"
        self.sessions = _session_view(controller)
        # Dialogs are attributes so tests can answer them.
        self.ask_yes_no: Callable[[str], bool] = self._ask_yes_no
        self.ask_save_path: Callable[[str], str | None] = self._ask_save_path
        # (profile path, length preset, model folder[, transcribe again]) or None.
        self.ask_reanalysis: Callable[
            [str],
            tuple[str | None, str | None, str | None]
            | tuple[str | None, str | None, str | None, bool]
            | None,
        ] = self._ask_reanalysis

        self.history.open_requested.connect(self.open_attempt)
        self.history.reanalyze_requested.connect(self.reanalyze)
        self.history.compare_requested.connect(self.compare_attempts)
        self.history.export_requested.connect(self.export_attempt)
        self.history.message.connect(banner.show_message)
        self.history.saved.connect(banner.show_saved)
        self.progress.open_requested.connect(self.open_attempt)
        self.compare.open_requested.connect(self.open_attempt)
        if self.sessions is not None:
            self.sessions.open_requested.connect(self.open_attempt)
            self.sessions.message.connect(banner.show_message)
            self.sessions.saved.connect(banner.show_saved)
        controller.library_changed.connect(self.refresh)

    def add_to(self, stack: QStackedWidget) -> None:
        for page in (self.history, self.progress, self.compare):
            stack.addWidget(page)
        if self.sessions is not None:
            stack.addWidget(self.sessions)

    def refresh(self) -> None:
        self.history.refresh()
        self.progress.refresh()
        if self.sessions is not None:
            self.sessions.refresh()

    # -- actions ------------------------------------------------------------------------------

    def open_attempt(self, attempt_id: int) -> None:
        if self.controller.show_attempt(attempt_id) is None:
            self.banner.show_message("warning", "Finish the current take first.")

    def reanalyze(self, attempt_id: int) -> None:
        """Analyze again with a profile, preset and model the user picks; earlier reports stay."""
        try:
            title = self.library.attempt(attempt_id).title
        except LibraryError as exc:
            self.banner.show_message("error", str(exc))
            return
        choice = self.ask_reanalysis(title)
        if choice is None:
            return
        try:
            before = self.library.latest_report(attempt_id)
            task = self.controller.reanalyze(attempt_id, *choice)
        except (ProfileError, LibraryError, ModelError) as exc:
            self.banner.show_message("error", str(exc))
            return
        if task is None:
            self.banner.show_message("warning", "Finish the current take first.")
        elif before is not None:
            self._verdict_before = before.report
            # A bound method of this QObject, so the banner is updated on the GUI thread.
            task.succeeded.connect(self._show_verdict_change)

    def _show_verdict_change(self, feedback: Feedback) -> None:
        from voicemail_coach.app.verdict_changes import summary

        before, self._verdict_before = self._verdict_before, None
        if before is not None:
            self.banner.show_message(
                "info",
                summary(before, feedback.report, feedback.transcribed_again),
            )

    def compare_attempts(self, first: int, second: int) -> None:
        try:
            sides = []
            for attempt_id in (first, second):
                stored = self.library.latest_report(attempt_id)
                if stored is None:
                    raise LibraryError(f"Attempt {attempt_id} has no report yet: re-analyze it.")
                sides.append((self.library.attempt(attempt_id), stored))
        except LibraryError as exc:
            self.banner.show_message("error", str(exc))
            return
        self.compare.set_attempts(sides[0], sides[1])
        self.show_page.emit(self.compare)

    def export_attempt(self, attempt_id: int) -> None:
        try:
            attempt = self.library.attempt(attempt_id)
            stored = self.library.latest_report(attempt_id)
        except LibraryError as exc:
            self.banner.show_message("error", str(exc))
            return
        if stored is None:
            self.banner.show_message("warning", "This take has no report yet: re-analyze it first.")
            return
        target = self.ask_save_path(f"{attempt.title}.pdf")
        if not target:
            return
        try:
            audio = load_audio(attempt.audio_path)
            samples, rate = audio.samples, audio.sample_rate
        except AudioLoadError:
            samples, rate = None, 16_000  # the report is still worth having without the picture
        self.write_report(
            Path(target),
            stored.report,
            samples,
            rate,
            attempt.title,
            attempt.created_at,
            attempt.notes,
            self.coaching_record(attempt_id, stored.profile_path),
        )

    def coaching_record(self, attempt_id: int, profile_path: str) -> CoachingRecord | None:
        """What the coach added to the take, for its report (None if it cannot be read)."""
        from voicemail_coach.storage.coaching import Coaching
        from voicemail_coach.storage.coaching_records import rubric_of

        try:
            rubric = rubric_of(profile_path, self.controller.profile.rubric)
            return Coaching(self.library).record(attempt_id, rubric)
        except LibraryError as exc:
            self.banner.show_message("warning", f"{exc} The report leaves out the coach's review.")
            return None

    def write_report(
        self,
        target: Path,
        report: Report,
        samples: npt.NDArray[np.float32] | None,
        rate: int,
        title: str,
        created_at: str | None,
        notes: str,
        coaching: CoachingRecord | None = None,
    ) -> None:
        from voicemail_coach.app.export.report import export_report
        from voicemail_coach.audio import oserrors

        pdf = target.suffix.lower() not in (".html", ".htm")
        try:
            export_report(
                target, report, samples, rate,
                pdf=pdf, title=title, created_at=created_at, coach_notes=notes or None,
                coaching=coaching,
            )  # fmt: skip
        except OSError as exc:
            self.banner.show_message("error", f"Could not write {target}: {oserrors.cause(exc)}")
            return
        self.banner.show_saved(f"Report saved to {target}", target)

    def offer_recovery(self) -> None:
        """A take cut short by a crash or kill is offered back, to be analyzed like any other;
        so is a recording no take refers to (moved to ``recovered/`` when the library opened)."""
        try:
            interrupted = self.library.interrupted()
            unreferenced = self.library.unreferenced()
        except LibraryError as exc:
            self.banner.show_message("error", str(exc))
            return
        if not interrupted:
            if unreferenced:
                self._offer_unreferenced(unreferenced)
            return
        take = interrupted[0]
        more = f" ({len(interrupted) - 1} more after it)" if len(interrupted) > 1 else ""
        question = (
            f"A take from {take.created_at[:16].replace('T', ' ')} UTC was interrupted before it "
            f"was saved{more}. Recover what was recorded and analyze it?"
        )
        if self.ask_yes_no(question):
            self.controller.recover(take.id)
        else:
            self.banner.show_message(
                "info", "The interrupted take is kept; you will be asked again."
            )
        if unreferenced:  # one question at a start; the files stay where the banner says
            self.banner.show_message("info", _kept_in(unreferenced, self.library.recovered_dir))

    def _offer_unreferenced(self, found: list[Path]) -> None:
        more = f" ({len(found) - 1} more beside it)" if len(found) > 1 else ""
        question = (
            f"A recording no take refers to was found ({found[0].name}, probably left half "
            f"saved when the app was stopped){more}. It was moved to "
            f"{self.library.recovered_dir}. Analyze it and add it to the library?"
        )
        if self.ask_yes_no(question):
            self.controller.analyze(found[0])
        else:
            self.banner.show_message("info", _kept_in(found, self.library.recovered_dir))

    # -- default dialogs ----------------------------------------------------------------------

    def _parent(self) -> QWidget | None:
        return self.history.window()

    def _ask_yes_no(self, question: str) -> bool:
        answer = QMessageBox.question(self._parent(), "Recover a take", question)
        return answer == QMessageBox.StandardButton.Yes

    def _ask_reanalysis(self, title: str) -> tuple[str | None, str | None, str | None, bool] | None:
        from voicemail_coach.app.dialogs.reanalyze_dialog import ReanalyzeDialog

        dialog = ReanalyzeDialog(self.controller.settings, title, self._parent())
        return (*dialog.choice(), dialog.transcribe_again()) if dialog.exec() else None

    def _ask_save_path(self, suggested: str) -> str | None:
        return save_file(self._parent(), "Export report", suggested, EXPORT_FILTER)


def _kept_in(found: list[Path], folder: Path) -> str:
    what = "A recording" if len(found) == 1 else f"{len(found)} recordings"
    return (
        f"{what} no take referred to {'is' if len(found) == 1 else 'are'} kept in {folder}; "
        "open one to analyze it."
    )


def _session_view(controller: Controller) -> SessionView | None:
    """The Role play page, when the library (and so the coaching tables) could be opened."""
    if controller.coaching is None:
        return None
    return SessionView(controller, controller.coaching, lambda: controller.profile.rubric)
