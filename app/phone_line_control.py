"""The phone line after the feedback is shown: the take rendered as the prospect will hear it
(for the player's switch) and, when the profile checks it, the rendering transcribed and the
phone_line check added to the report, all on the one task runner."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from voicemail_coach.analysis.phone_line import applies, check_line, render_take
from voicemail_coach.analysis.profile import Profile
from voicemail_coach.app.analysis_tasks import Feedback
from voicemail_coach.app.model_holder import ModelHolder
from voicemail_coach.app.tasks import Task, TaskContext, TaskRunner
from voicemail_coach.storage.library import Library
from voicemail_coach.storage.records import LibraryError

log = logging.getLogger("voicemail_coach.app.controller")


class PhoneLineControl:
    """One phone-line task at a time. ``rendered`` hears the rendering (16 kHz, once it can be
    played), ``checked`` the feedback with the check added, ``failed`` why it did not run."""

    def __init__(
        self,
        runner: TaskRunner,
        rendered: Callable[[np.ndarray], None],
        checked: Callable[[Feedback], None],
        failed: Callable[[str], None],
    ) -> None:
        self.runner = runner
        self._rendered = rendered
        self._checked = checked
        self._failed = failed
        self.task: Task | None = None
        self._sent = False  # the rendering was handed on

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.task = None
        self._sent = False

    def start(
        self, feedback: Feedback, profile: Profile, library: Library | None, holder: ModelHolder
    ) -> None:
        """Render the take, then check it when the profile asks (saved as the take's newest
        report)."""
        self.cancel()
        check = applies(feedback.report, profile) and feedback.report.phone_line is None
        holds: list[np.ndarray] = []

        def run(ctx: TaskContext) -> Feedback | None:
            line = render_take(feedback.samples, feedback.sample_rate, profile)
            holds.append(line.at_rate(feedback.sample_rate))
            ctx.progress(0.0)  # tells the GUI thread the rendering can be played
            ctx.check()
            if not check:
                return None
            report = check_line(
                feedback.report, feedback.samples, feedback.sample_rate, holder.get(), profile,
                None, ctx.cancel, line,
            )  # fmt: skip
            ctx.check()
            attempt = feedback.attempt
            if attempt is not None and library is not None:
                try:
                    library.add_report(attempt.id, report)
                    attempt = library.attempt(attempt.id)  # its score with the check
                except LibraryError as exc:
                    log.warning("the phone-line check was not saved: %s", exc)
            return replace(feedback, report=report, attempt=attempt)

        task = self.runner.submit("checking the phone line", run)
        self.task = task
        task.progress.connect(lambda _f: self._on_rendered(task, holds))
        task.succeeded.connect(lambda result: self._on_checked(task, holds, result))
        task.failed.connect(lambda text: self._on_failed(task, text))

    def _on_rendered(self, task: Task, holds: list[np.ndarray]) -> None:
        if task is self.task and holds and not self._sent:
            self._sent = True
            self._rendered(holds[0])

    def _on_checked(self, task: Task, holds: list[np.ndarray], result: Feedback | None) -> None:
        if task is not self.task:
            return
        self.task = None
        self._on_rendered(task, holds)
        if result is not None:
            self._checked(result)

    def _on_failed(self, task: Task, text: str) -> None:
        if task is self.task:
            self.task = None
            self._failed(text)
