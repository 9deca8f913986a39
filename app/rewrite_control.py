"""Rewrite and record again: the feedback page's Rewrite button, the Rewrite page, the
teleprompter take and, after it, how the take followed the script.

``install_rewrite(window)`` adds all of it to a main window and wires it to the controller's
signals, so neither the controller nor the window holds any of it: a draft is made on the task
runner (it is checked as a written script, which reads every sentence), the teleprompter follows
the take's clock (the controller's ``live`` signal), and the adherence is computed when the
take's feedback arrives."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QBoxLayout, QPushButton, QWidget

from voicemail_coach.analysis.adherence import align
from voicemail_coach.analysis.draft import Draft
from voicemail_coach.analysis.report import Report
from voicemail_coach.analysis.rewrite import draft_script
from voicemail_coach.app.analysis_tasks import Feedback
from voicemail_coach.app.pages.rewrite_view import RewriteView
from voicemail_coach.app.widgets.adherence_panel import AdherencePanel
from voicemail_coach.app.widgets.teleprompter import Teleprompter

if TYPE_CHECKING:
    from voicemail_coach.app.main_window import MainWindow


def _layout_holding(layout: QBoxLayout, widget: QWidget) -> tuple[QBoxLayout, int] | None:
    """The box layout (``layout`` or one inside it) that holds ``widget``, and its index."""
    index = layout.indexOf(widget)
    if index >= 0:
        return layout, index
    for i in range(layout.count()):
        item = layout.itemAt(i)
        inner = item.layout() if item is not None else None
        if isinstance(inner, QBoxLayout):
            found = _layout_holding(inner, widget)
            if found is not None:
                return found
    return None


class RewriteControl(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.controller = c = window.controller
        self.view = RewriteView()
        window.pages.addWidget(self.view)
        self.teleprompter = Teleprompter()
        self.teleprompter.hide()
        self.adherence = AdherencePanel()
        self.button = QPushButton("Rewrite")
        self.button.setObjectName("rewriteButton")
        self.button.setAccessibleName("Rewrite the script")
        self.button.setToolTip(
            "A tighter script from this take, each change tied to its check; then record it "
            "with a teleprompter"
        )
        self._place(window)
        self.script: str | None = None  # the script of the teleprompter take under way
        self.button.clicked.connect(self.open_rewrite)
        self.view.back.connect(lambda: window.pages.setCurrentWidget(window.review))
        self.view.record.connect(self.record_with_script)
        c.live.connect(self._live)
        c.state_changed.connect(self._state)
        c.feedback_ready.connect(self._feedback)

    def _place(self, window: MainWindow) -> None:
        """The button before New take, the adherence above the transcript, the teleprompter
        above the pages."""
        review = window.review
        central = window.centralWidget()
        assert central is not None
        for holder, widget, new in (
            (review, review.again, self.button),
            (review.words, review.transcript, self.adherence),
            (central, window.pages, self.teleprompter),
        ):
            layout = holder.layout()
            found = _layout_holding(layout, widget) if isinstance(layout, QBoxLayout) else None
            if found is None:
                raise RuntimeError(f"no place for {new.objectName()} in the window")
            box, index = found
            box.insertWidget(index, new)
            neighbour = box.itemAt(index + 1)  # aligned as the widget it stands before
            if neighbour is not None:
                box.setAlignment(new, neighbour.alignment())

    def open_rewrite(self) -> None:
        c = self.controller
        feedback = c.feedback
        if feedback is None or not feedback.report.is_message:
            self.window.banner.show_message("warning", "There is no message to rewrite.")
            return
        report = feedback.report
        card = c.scenarios.find(report.scenario.id) if report.scenario else None
        self.view.show_waiting(report)
        self.window.pages.setCurrentWidget(self.view)
        preset = c.preset.id
        task = c.runner.submit(
            "drafting a script", lambda ctx: draft_script(report, c.profile, card, preset)
        )
        task.succeeded.connect(lambda draft: self._drafted(draft, report))
        task.failed.connect(lambda text: self.window.banner.show_message("error", text))

    def _drafted(self, draft: Draft, report: Report) -> None:
        feedback = self.controller.feedback
        if feedback is not None and feedback.report is report:
            self.view.show_draft(draft, report)

    def record_with_script(self) -> None:
        """The next take, with the draft on the teleprompter."""
        draft = self.view.draft
        parts = self.view.script_parts()
        if draft is None or not parts or self.controller.busy:
            return
        self.script = " ".join(parts)
        self.teleprompter.set_script(parts, self.view.bullets(), draft.wpm)
        self.teleprompter.show()
        self.window.new_take()
        if self.controller.state == "ready" and self.window.practice.recording_available:
            self.controller.start_take()

    def _live(self, elapsed_s: float, *_: object) -> None:
        if self.script is not None and self.controller.state == "recording":
            self.teleprompter.set_elapsed(elapsed_s)

    def _state(self, state: str) -> None:
        if state in ("analysing", "feedback"):
            self.teleprompter.hide()

    def _feedback(self, feedback: Feedback) -> None:
        self.button.setEnabled(feedback.report.is_message)
        script, self.script = self.script, None
        if script is None or not feedback.report.transcript.words:
            self.adherence.hide()
            return
        words = [w.text for w in feedback.report.transcript.words]
        self.adherence.show_result(align(script, words))


def install_rewrite(window: MainWindow) -> RewriteControl:
    return RewriteControl(window)
