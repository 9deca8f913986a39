"""Analysing and reviewing a take: the analysis of a take, a file or a stored attempt (started,
cancelled, failed), the feedback it gives, the phone-line rendering after it, and playback.

The second layer of the controller (see `voicemail_coach.app.controller`); no widgets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QTimer, Signal

from voicemail_coach.analysis.incremental import LiveTranscript
from voicemail_coach.analysis.profile import Profile
from voicemail_coach.analysis.profile_loader import load_profile
from voicemail_coach.analysis.report import Report
from voicemail_coach.analysis.scenarios import Scenario
from voicemail_coach.app.analysis_tasks import (
    Feedback,
    Job,
    analysis_job,
    memory_job,
    reanalysis_job,
    stored_job,
)
from voicemail_coach.app.choices import Choices
from voicemail_coach.app.model_holder import ModelHolder
from voicemail_coach.app.phone_line_control import PhoneLineControl
from voicemail_coach.app.playback_control import PlaybackControl
from voicemail_coach.app.settings import Settings
from voicemail_coach.app.tasks import Task, TaskContext
from voicemail_coach.audio.io import Audio
from voicemail_coach.audio.playback import Player
from voicemail_coach.storage.records import Attempt


class ReviewFlow(Choices):
    state_changed = Signal(
        str
    )  # "ready" | "greeting" | "recording" | "stopping" | "analysing" | "feedback"
    progress = Signal(float)
    status = Signal(str)  # what the analysis is doing now ("Transcribing 12 of 31 s")
    feedback_ready = Signal(object)  # Feedback
    # The phone line (after the feedback): the rendering can be heard (True) or not yet / no
    # more (False); the feedback again with the phone_line check added.
    line_audio = Signal(bool)
    phone_line_ready = Signal(object)  # Feedback
    playback = Signal(float, bool)  # position_s, playing

    def __init__(
        self,
        settings: Settings,
        output_stream_factory: Callable[..., Any] | None = None,
        settings_file: Path | None = None,
    ) -> None:
        super().__init__(settings, settings_file)
        self.output_stream_factory = output_stream_factory
        self.state = "ready"
        # Where a take that does not happen, or an analysis that fails, returns to.
        self._resting = "ready"
        self.playing = PlaybackControl(self._output, self.playback.emit, self.message.emit)
        self.line = PhoneLineControl(
            self.runner, self._line_rendered, self._line_checked, self._line_failed
        )
        self.analysis: Task | None = None
        # Runs what follows the feedback once it is on screen: the window gives its review
        # page's `after_paint`; without a window, the next turn of the event loop.
        self.when_shown: Callable[[Callable[[], None]], None] = lambda work: QTimer.singleShot(
            0, work
        )

    @property
    def busy(self) -> bool:
        return self.state in ("greeting", "recording", "stopping", "analysing")

    def _set_state(self, state: str) -> None:
        if state in ("ready", "feedback"):
            self._resting = state
        self.state = state
        self.state_changed.emit(state)

    # -- analysis -----------------------------------------------------------------------------

    def analyze(self, path: str | Path) -> Task | None:
        """Analyze a file; it is added to the library first (a copy as FLAC)."""
        if self.busy:
            return None
        library = self.library
        if library is None:
            return self._analyze_task(None, Path(path))
        return self._analyze_task(lambda: self._label(library.add_file(path)), Path(path))

    def recover(self, attempt_id: int) -> Task | None:
        """Repair an interrupted take and analyze it like any other."""
        library = self.library
        if library is None or self.busy:
            return None
        return self._analyze_task(lambda: library.recover(attempt_id), None)

    def reanalyze(
        self,
        attempt_id: int,
        profile_path: str | None = None,
        length_preset: str | None = None,
        model_dir: str | None = None,
        transcribe: bool = False,
    ) -> Task | None:
        """Analyze a stored attempt again, with another profile, preset or model if given (the
        current settings otherwise); earlier reports stay in the library.

        The take keeps its stored transcript, so a new profile or preset changes only what the
        profile decides. It is transcribed again when ``transcribe`` asks for it or the
        transcription would differ (another model, another prompt); the feedback's
        ``transcribed_again`` then says why."""
        library = self.library
        if library is None or self.busy:
            return None
        profile = load_profile(profile_path) if profile_path else self.profile
        preset = profile.length_preset(length_preset).id
        models = self.models
        if model_dir and model_dir != self.settings.model_dir:
            models = ModelHolder(model_dir, self.settings.keep_fillers)
        job = reanalysis_job(
            library, attempt_id, profile, preset, models, self.scenarios, transcribe,
            self.settings.trim_greeting,
        )  # fmt: skip
        return self._start_analysis("analysing the message", job)

    def show_attempt(self, attempt_id: int) -> Task | None:
        """Show a stored attempt's newest report without analysing again."""
        library = self.library
        if library is None or self.busy:
            return None

        return self._start_analysis("opening the attempt", stored_job(library, attempt_id))

    def _memory_analysis(self, audio: Audio) -> Job:
        why = self.save_problem or "The take could not be written to disk."
        return memory_job(audio, self.models, self.profile, self.preset.id, self.scenario, why)

    def _analyze_task(
        self,
        get_attempt: Callable[[], Attempt] | None,
        fallback: Path | None,
        profile: Profile | None = None,
        preset: str | None = None,
        models: ModelHolder | None = None,
        scenario: Scenario | str | None = "current",
        live: LiveTranscript | None = None,
        samples: np.ndarray | None = None,
        reuse: Report | None = None,
        transcribed_again: str | None = None,
    ) -> Task | None:
        """Analyze a take or file (see `analysis_job`) with the current settings for what is not
        given; ``scenario``: the card to check against, "current" is the one chosen for practice."""
        card = self.scenario if isinstance(scenario, str) else scenario
        library = self.library
        no_library = (self.save_problem or self.library_problem) if library is None else None
        job = analysis_job(
            get_attempt, fallback, models or self.models, profile or self.profile,
            preset or self.preset.id, card, library, no_library, live, samples, reuse,
            transcribed_again, self.settings.trim_greeting,
        )  # fmt: skip
        return self._start_analysis("analysing the message", job)

    def _start_analysis(self, name: str, run: Callable[[TaskContext], Feedback]) -> Task:
        self.stop_playback()
        self._cancel_line()
        self._set_state("analysing")
        self.progress.emit(0.0)
        # Cancel gives the window back at once; the job ends its decode window on its own.
        task = self.runner.submit(name, run, let_go=True)
        task.progress.connect(self.progress.emit)
        task.status.connect(self.status.emit)
        task.succeeded.connect(self._analysed)
        task.failed.connect(self._fail)
        task.cancelled.connect(self._cancelled)
        self.analysis = task
        return task

    def cancel_analysis(self) -> None:
        if self.analysis is not None and self.state == "analysing":
            self.analysis.cancel()

    def _analysed(self, feedback: Feedback) -> None:
        self.analysis = None
        self.feedback = feedback
        if feedback.not_saved:
            self._set_save_problem(feedback.not_saved)
        elif feedback.saved and self.unsaved is None:
            self._set_save_problem("")  # the library took this one: saving works again
        for note in feedback.notes:
            self.message.emit("warning", note)
        self._prepare_player(feedback)
        self._set_state("feedback")
        # The history's refresh and the phone line wait until the feedback is on screen: the
        # refresh holds the GUI thread (longer the longer the history), the phone line shares
        # the cores, while the review page is being laid out and painted.
        self.when_shown(lambda: self._after_shown(feedback))
        self.feedback_ready.emit(feedback)

    def _after_shown(self, feedback: Feedback) -> None:
        if self.feedback is not feedback:  # another feedback came since, or the app closed
            return
        if feedback.attempt is not None:
            self.library_changed.emit()
        if not self.busy:  # not during a take or an analysis started since
            self._start_phone_line(feedback)

    def _cancelled(self) -> None:
        self.analysis = None
        self.message.emit("info", "Analysis cancelled.")
        self._set_state(self._resting)

    def _fail(self, text: str) -> None:
        self.analysis = None
        self.message.emit("error", text)
        self._set_state(self._resting)

    # -- the phone line -----------------------------------------------------------------------

    def _cancel_line(self) -> None:
        self.line.cancel()
        self.playing.forget_line()
        self.line_audio.emit(False)

    def _start_phone_line(self, feedback: Feedback) -> None:
        """After the feedback is shown: render the take as the prospect will hear it (for the
        player), then, when the profile checks it, add the phone_line check to the report."""
        self._cancel_line()
        self.line.start(feedback, self.profile, self.library, self.models)

    def _line_rendered(self, samples: np.ndarray) -> None:
        self.playing.line_samples = samples
        self.line_audio.emit(True)

    def _line_checked(self, result: Feedback) -> None:
        if self.feedback is not None:
            self.feedback = replace(self.feedback, report=result.report, attempt=result.attempt)
            if result.attempt is not None:
                self.library_changed.emit()  # the history shows the new score
            self.phone_line_ready.emit(self.feedback)

    def _line_failed(self, text: str) -> None:
        self.message.emit("warning", f"The phone-line check did not run: {text}")

    def set_hear_line(self, on: bool) -> None:
        """Play the take as recorded, or as the prospect will hear it (from the same moment)."""
        self.playing.set_hear_line(on)

    @property
    def line_samples(self) -> np.ndarray | None:
        """The phone-line rendering at 16 kHz, once it exists."""
        return self.playing.line_samples

    @property
    def hear_line(self) -> bool:
        return self.playing.hear_line

    # -- playback -----------------------------------------------------------------------------

    @property
    def player(self) -> Player | None:
        return self.playing.player

    def _output(self) -> tuple[Callable[..., Any] | None, str | None]:
        """The output stream factory and device, as they are now."""
        return self.output_stream_factory, self.settings.output_device

    def _prepare_player(self, feedback: Feedback) -> None:
        self.playing.prepare(feedback.samples, feedback.sample_rate, feedback.lead)

    def toggle_playback(self) -> None:
        self.playing.toggle()

    def seek(self, t_s: float) -> None:
        self.playing.seek(t_s)

    def stop_playback(self) -> None:
        self.playing.stop()
