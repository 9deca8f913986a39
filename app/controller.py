"""The app's state and actions, with no widgets: record, open, analyze, cancel, play.

Views call the public methods and listen to the signals. Hardware is injected (stream factories
and the sounddevice module), so tests drive the real flow with fake streams.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from voicemail_coach.analysis.incremental import LiveTranscript
from voicemail_coach.analysis.profile import LengthPreset, Profile, ProfileError
from voicemail_coach.analysis.profile_loader import load_profile
from voicemail_coach.analysis.report import Report
from voicemail_coach.analysis.scenarios import Scenario, ScenarioError, ScenarioStore
from voicemail_coach.analysis.transcribe import ModelError
from voicemail_coach.app.analysis_tasks import (
    Feedback,
    Job,
    analysis_job,
    memory_job,
    reanalysis_job,
    stored_job,
)
from voicemail_coach.app.greeting_control import GreetingControl, greeting_plan
from voicemail_coach.app.live_session import LiveSession
from voicemail_coach.app.model_holder import ModelHolder, retranscription_reason, warm_up
from voicemail_coach.app.phone_line_control import PhoneLineControl
from voicemail_coach.app.playback_control import PlaybackControl
from voicemail_coach.app.settings import Settings, save_settings
from voicemail_coach.app.take_control import TakeControl
from voicemail_coach.app.take_library import (
    RolePlay,
    known_attempt,
    label_take,
    restored_role_play,
)
from voicemail_coach.app.tasks import Task, TaskContext, TaskRunner, register_user_errors
from voicemail_coach.audio import oserrors
from voicemail_coach.audio.capture import Recorder, RecordingError
from voicemail_coach.audio.devices import AudioUnavailable
from voicemail_coach.audio.io import Audio, AudioLoadError, save_flac
from voicemail_coach.audio.playback import Player
from voicemail_coach.storage.coaching import Coaching
from voicemail_coach.storage.library import Library
from voicemail_coach.storage.outcomes import Outcomes, Variant
from voicemail_coach.storage.records import Attempt, LibraryError

# Feedback, ModelHolder and retranscription_reason live in their own modules; the window, the
# tests and the scripts keep importing them from here.
__all__ = ["Controller", "Feedback", "ModelHolder", "RolePlay", "retranscription_reason"]

log = logging.getLogger(__name__)

register_user_errors(
    AudioLoadError, ModelError, ProfileError, RecordingError, AudioUnavailable, LibraryError
)
register_user_errors(ScenarioError)

# Seconds past the preset's fail length before recording stops by itself.
AUTO_STOP_MARGIN_S = 5.0
POLL_MS = 50


class Controller(QObject):
    state_changed = Signal(
        str
    )  # "ready" | "greeting" | "recording" | "stopping" | "analysing" | "feedback"
    model_ready = Signal(str)
    model_failed = Signal(str)
    message = Signal(str, str)  # level ("info" | "warning" | "error"), text
    live = Signal(float, float, float, bool)  # elapsed_s, level_dbfs, peak_dbfs, clipping
    auto_stop_warning = Signal(float)  # seconds left
    progress = Signal(float)
    status = Signal(str)  # what the analysis is doing now ("Transcribing 12 of 31 s")
    feedback_ready = Signal(object)  # Feedback
    # The phone line (after the feedback): the rendering can be heard (True) or not yet / no
    # more (False); the feedback again with the phone_line check added.
    line_audio = Signal(bool)
    phone_line_ready = Signal(object)  # Feedback
    library_changed = Signal()
    unsaved_changed = Signal(bool)  # a take is held only in memory (the disk refused it)
    saving_changed = Signal(str)  # why takes are not being saved now; "" once they are again
    playback = Signal(float, bool)  # position_s, playing
    scenario_changed = Signal(object)  # Scenario or None
    role_play_changed = Signal(object)  # RolePlay | None
    take_labelled = Signal(int)  # attempt id: a new take was put in the role-play session
    live_cues = Signal(object)  # voicemail_coach.analysis.live_cues.LiveCues, while recording

    def __init__(
        self,
        settings: Settings,
        input_stream_factory: Callable[..., Any] | None = None,
        output_stream_factory: Callable[..., Any] | None = None,
        settings_file: Path | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.settings_file = settings_file
        self.input_stream_factory = input_stream_factory
        self.output_stream_factory = output_stream_factory
        self.runner = TaskRunner(parent=self)
        self.models = ModelHolder(settings.model_dir, settings.keep_fillers)
        self.profile: Profile = self._load_profile()
        self.state = "ready"
        self.take = TakeControl(
            self.runner, self.message.emit, self.live.emit, self.auto_stop_warning.emit
        )
        self.playing = PlaybackControl(self._output, self.playback.emit, self.message.emit)
        self.greeting = GreetingControl(
            self.runner, self._output, lambda: self.state == "greeting",
            lambda: self.timer.start(), self._greeting_gave_up, self.message.emit,
        )  # fmt: skip
        self.line = PhoneLineControl(
            self.runner, self._line_rendered, self._line_checked, self._line_failed
        )
        self.analysis: Task | None = None
        self.feedback: Feedback | None = None
        self.library: Library | None = None
        self.library_problem: str | None = None
        self.coaching: Coaching | None = None
        self.outcomes: Outcomes | None = None
        self.role_play: RolePlay | None = None
        self.unsaved: np.ndarray | None = None
        self.save_problem = ""  # why takes are not being saved now (see saving_changed)
        self.rescued: str | None = None  # where the last take kept in memory was saved
        self.scenarios = ScenarioStore()
        self.scenario: Scenario | None = self.scenarios.find(settings.scenario_id)
        self.open_library()
        self.role_play = restored_role_play(settings, self.coaching, self.scenario)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._poll)
        # Where a take that does not happen, or an analysis that fails, returns to.
        self._resting = "ready"

    # -- settings, profile, model -------------------------------------------------------------

    def _load_profile(self) -> Profile:
        try:
            profile = load_profile(self.settings.profile_path)
            profile.length_preset(self.settings.length_preset)
            return profile
        except ProfileError as exc:
            self.message.emit("error", f"{exc}. Using the default profile.")
            return load_profile()

    @property
    def preset(self) -> LengthPreset:
        try:
            return self.profile.length_preset(self.settings.length_preset)
        except ProfileError:
            return self.profile.length_preset()

    def apply_settings(self, settings: Settings) -> None:
        model_changed = (settings.model_dir, settings.keep_fillers) != (
            self.settings.model_dir,
            self.settings.keep_fillers,
        )
        self.settings = settings
        self.profile = self._load_profile()
        if self.settings_file is not None:
            save_settings(settings, self.settings_file)
        if model_changed:
            self.models = ModelHolder(settings.model_dir, settings.keep_fillers)
            self.load_model()

    def load_model(self) -> Task:
        """Load the model in the background so the first analysis does not wait for it."""
        holder = self.models
        task = self.runner.submit("loading the model", lambda ctx: warm_up(holder))
        task.succeeded.connect(self.model_ready.emit)
        task.failed.connect(self.model_failed.emit)
        return task

    def set_scenario(self, scenario_id: str | None) -> None:
        """Practise for this card (None: any prospect); the next takes are checked against it."""
        self.scenario = self.scenarios.find(scenario_id)
        self._save(scenario_id=self.scenario.id if self.scenario else None)
        self.scenario_changed.emit(self.scenario)

    def reload_scenarios(self) -> None:
        """Read the user's cards again (after the scenarios dialog); keeps the choice if it
        still exists."""
        self.scenarios.reload()
        self.set_scenario(self.scenario.id if self.scenario else None)

    # -- library ------------------------------------------------------------------------------

    def open_library(self) -> None:
        """Open the attempt library; without one the app still works, but nothing is kept."""
        try:
            self.library = Library()
            self.coaching = Coaching(self.library)
            self.outcomes = Outcomes(self.library)
            self.library_problem = None
        except LibraryError as exc:
            self.library = None
            self.coaching = None
            self.outcomes = None
            self.library_problem = f"{exc} Takes are not being saved to your history."
            self.save_problem = str(exc)

    def _set_save_problem(self, text: str) -> None:
        if text != self.save_problem:
            self.save_problem = text
            self.saving_changed.emit(text)

    def set_variant(self, variant_uid: str | None) -> None:
        """Link the next takes (recorded or opened) to this script variant's newest version."""
        self._save(variant_uid=variant_uid)

    def variant(self) -> Variant | None:
        """The script variant chosen for the next takes (None: none, or it is gone)."""
        uid, outcomes = self.settings.variant_uid, self.outcomes
        if uid is None or outcomes is None:
            return None
        return next((v for v in outcomes.variants() if v.uid == uid), None)

    def set_role_play(self, role_play: RolePlay | None) -> None:
        """Label the next takes (recorded or opened) with this session and participant; kept in
        the settings, so a restart carries on with them."""
        self.role_play = role_play
        self._save(
            role_play_session=role_play.session_id if role_play else None,
            role_play_participant=role_play.participant if role_play else None,
        )
        self.role_play_changed.emit(role_play)

    def remember_folder(self, folder: str) -> None:
        """Where the next file dialog starts."""
        self._save(last_folder=folder)

    def remember_split(self, coach_open: bool, sizes: str) -> None:
        """Where the feedback page's dividers were left (with the coach panel open or not)."""
        self._save(**{"review_split_coach" if coach_open else "review_split": sizes})

    def set_take_turns(self, on: bool) -> None:
        """Whether the next person in the session is up after each take (remembered)."""
        self._save(take_turns=on)

    def _save(self, **changes: Any) -> None:
        changed = replace(self.settings, **changes)
        if changed != self.settings:
            self.settings = changed
            if self.settings_file is not None:
                save_settings(changed, self.settings_file)

    def _label(self, attempt: Attempt) -> Attempt:
        """Link the take to the chosen script variant and put it in the running role-play
        session, if any (see `label_take`); may run on a worker."""
        attempt, labelled = label_take(
            attempt, self.settings.variant_uid, self.outcomes, self.role_play, self.coaching,
            lambda text: self.message.emit("warning", text),
        )  # fmt: skip
        if labelled:
            self.take_labelled.emit(attempt.id)
        return attempt

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

    def save_unsaved(self, path: str | Path) -> bool:
        """Write a take the disk refused to a place the user chose, and add it to the library."""
        samples = self.unsaved
        if samples is None:
            return False
        target = Path(path)
        try:
            save_flac(target, samples)
        except (OSError, RuntimeError) as exc:  # soundfile's errors are RuntimeErrors
            why = oserrors.write_cause(exc, target.parent)
            self.message.emit("error", f"Could not save the take to {target}: {why}")
            return False
        self.unsaved = None
        self.rescued = f"It was saved to {target}"
        self.unsaved_changed.emit(False)
        if self.library is not None:
            try:
                attempt = self.library.add_file(target)
                if self.feedback is not None:
                    self.library.add_report(attempt.id, self.feedback.report)
                self.library_changed.emit()
                self.rescued = f"It was saved to {target} and added to your history"
                self._set_save_problem("")  # the library took it: saving works again
            except LibraryError as exc:
                self.message.emit(
                    "warning", f"Saved to {target}, but not added to the history: {exc}"
                )
                return True
        self.message.emit("info", f"Take saved to {target}.")
        return True

    @property
    def busy(self) -> bool:
        return self.state in ("greeting", "recording", "stopping", "analysing")

    # -- recording ----------------------------------------------------------------------------

    def _set_state(self, state: str) -> None:
        if state in ("ready", "feedback"):
            self._resting = state
        self.state = state
        self.state_changed.emit(state)

    def new_take(self) -> bool:
        """From the feedback back to the ready state, where the card, microphone, greeting and
        length can be changed before the next take starts (with Record). The feedback stays in
        the history. False when there is no feedback to leave."""
        if self.state != "feedback":
            return False
        self.stop_playback()
        self._set_state("ready")
        return True

    def cancel(self) -> None:
        """Esc: stop a greeting (and the take it leads to), or cancel an analysis."""
        if self.state == "greeting":
            self.stop_recording()
        else:
            self.cancel_analysis()

    def greeting_plan(self) -> tuple[str, bool]:
        """The words the next greeting says, and whether espeak-ng speaks them for the chosen
        card (True) or the bundled generic greeting plays (False)."""
        return greeting_plan(self.scenario)

    def toggle_recording(self) -> None:
        if self.state in ("greeting", "recording"):
            self.stop_recording()
        elif self.state in ("ready", "feedback"):
            self.start_take()

    def start_take(self) -> None:
        """Start a take: with the practice greeting and beep first when that setting is on."""
        self.stop_playback()
        self._cancel_line()
        if self.settings.greeting:
            self._prepare_greeting()
            return
        self._start_recorder()

    def _prepare_greeting(self) -> None:
        """Make the greeting off the GUI thread (espeak-ng speaks the card's), then play it."""
        self._set_state("greeting")
        self.greeting.prepare(self.scenario)

    def _greeting_gave_up(self, text: str) -> None:
        self.message.emit("warning", text)
        self._start_recorder()

    @property
    def greeting_player(self) -> Player | None:
        return self.greeting.player

    @property
    def recorder(self) -> Recorder | None:
        """The take's recorder while it records."""
        return self.take.recorder

    @property
    def live_session(self) -> LiveSession | None:
        return self.take.live_session

    def _start_recorder(self) -> None:
        if not self.take.start(
            self.library, self._label, self.input_stream_factory, self.settings.input_device,
            self.models.live_if_ready, self.profile, self.preset, self, self.live_cues.emit,
        ):  # fmt: skip
            self._set_state(self._resting)
            return
        self._set_state("recording")
        self.timer.start()

    def _poll(self) -> None:
        if self.state == "greeting":
            if self.greeting.over():
                self.greeting.close()
                self._start_recorder()
            return
        recorder = self.recorder
        if self.state != "recording" or recorder is None:
            self.timer.stop()
            return
        if self.take.poll(recorder, self.auto_stop_s):
            self.stop_recording()

    @property
    def auto_stop_s(self) -> float:
        return self.preset.fail_over_s + AUTO_STOP_MARGIN_S

    def stop_recording(self) -> None:
        if self.state == "greeting":
            # The take it was leading to is cancelled too: back to the ready state.
            self.greeting.cancel()
            self.timer.stop()
            self._set_state("ready")
            return
        recorder = self.recorder
        if self.state != "recording" or recorder is None:
            return
        self.timer.stop()
        self._set_state("stopping")
        stop = self.take.stop_job(recorder)
        task = self.runner.submit("saving the recording", stop)
        task.succeeded.connect(lambda out: self._recorded(*out))
        task.failed.connect(lambda msg: self._fail(msg))

    def _recorded(self, result: Any, memory: np.ndarray) -> None:
        """The take is finished: analyze it from the copy in memory (the same samples as the
        file, without reading them back)."""
        live = self.take.stopped()
        if result.error:
            self.message.emit("error", result.error)
        if result.in_memory_only and result.duration_s >= 0.5:
            # The disk failed: keep the take in memory, analyze it from there, offer to save it.
            self.unsaved = memory
            self.rescued = None
            self.unsaved_changed.emit(True)
            self._set_save_problem(result.error or "The take could not be written to disk.")
            self.take.attempt = None
            self.state = "ready"
            audio = Audio(memory, 16_000, "(take not saved yet)", 16_000, 1)
            self._start_analysis("analysing the message", self._memory_analysis(audio))
            return
        if result.overflows:
            self.message.emit(
                "warning", f"{result.overflows} audio block(s) were dropped while recording."
            )
        if result.duration_s < 0.5:
            self.take.discard(self.library)
            self.message.emit("error", "The take is too short to analyze (under half a second).")
            self._set_state(self._resting)
            return
        self.state = "ready"  # the take is on disk; saving and analysing it are next
        library, attempt = self.library, self.take.attempt
        self.take.attempt = None
        if library is None or attempt is None:
            self._analyze_task(None, Path(result.path), live=live, samples=memory)
            return
        wav = result.path
        self._analyze_task(
            lambda: library.finish_recording(attempt.id), wav, live=live, samples=memory
        )

    # -- analysis -----------------------------------------------------------------------------

    def known_attempt(self, path: str | Path) -> Attempt | None:
        """The newest analyzed attempt made from this very file, unless the file has changed
        since it was added (then it is another recording)."""
        return known_attempt(self.library, path) if self.library is not None else None

    def analyze(self, path: str | Path) -> Task | None:
        """Analyze a file; it is added to the library first (a copy as FLAC)."""
        if self.busy:
            return None
        library = self.library
        if library is None:
            return self._analyze_task(None, Path(path))
        return self._analyze_task(lambda: self._label(library.add_file(path)), Path(path))

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
        if feedback.attempt is not None:
            self.library_changed.emit()
        self._prepare_player(feedback)
        self._set_state("feedback")
        self.feedback_ready.emit(feedback)
        self._start_phone_line(feedback)

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

    def _cancelled(self) -> None:
        self.analysis = None
        self.message.emit("info", "Analysis cancelled.")
        self._set_state(self._resting)

    def _fail(self, text: str) -> None:
        self.analysis = None
        self.take.forget()
        self.message.emit("error", text)
        self._set_state(self._resting)

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

    # -- shutdown -----------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Stop everything and wait for it: a take in progress is saved, never lost."""
        self.timer.stop()
        self.greeting.close()
        self.take.shutdown(self.library)
        self.playing.close()
        self.runner.shutdown()
        if self.library is not None:
            self.library.close()
