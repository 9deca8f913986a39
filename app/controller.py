"""The app's state and actions, with no widgets: record, open, analyze, cancel, play.

Views call the public methods and listen to the signals. Hardware is injected (stream factories
and the sounddevice module), so tests drive the real flow with fake streams.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from voicemail_coach.analysis.incremental import (
    Finished,
    LiveTranscript,
    analyze_take,
    transcribe_whole,
)
from voicemail_coach.analysis.paths import data_dir
from voicemail_coach.analysis.phone_line import applies, check_line, render_take
from voicemail_coach.analysis.pipeline import analyze_audio, reanalyze_audio
from voicemail_coach.analysis.profile import LengthPreset, Profile, ProfileError
from voicemail_coach.analysis.profile_loader import load_profile
from voicemail_coach.analysis.report import Report
from voicemail_coach.analysis.scenarios import Scenario, ScenarioError, ScenarioStore
from voicemail_coach.analysis.transcribe import (
    FILLER_PROMPT,
    ModelError,
    Transcriber,
    resolve_model,
)
from voicemail_coach.app.live_session import LiveSession
from voicemail_coach.app.settings import Settings, save_settings
from voicemail_coach.app.tasks import Task, TaskContext, TaskRunner, register_user_errors
from voicemail_coach.audio import oserrors
from voicemail_coach.audio.capture import Recorder, RecordingError
from voicemail_coach.audio.devices import AudioUnavailable
from voicemail_coach.audio.greeting import Greeting, planned_text, practice_greeting
from voicemail_coach.audio.io import Audio, AudioLoadError, load_audio, save_flac
from voicemail_coach.audio.playback import PlaybackError, Player
from voicemail_coach.storage.coaching import Coaching
from voicemail_coach.storage.library import Library
from voicemail_coach.storage.outcomes import Outcomes, Variant
from voicemail_coach.storage.records import Attempt, LibraryError

log = logging.getLogger(__name__)

register_user_errors(
    AudioLoadError, ModelError, ProfileError, RecordingError, AudioUnavailable, LibraryError
)
register_user_errors(ScenarioError)

# Seconds past the preset's fail length before recording stops by itself, and the warning lead.
AUTO_STOP_MARGIN_S = 5.0
AUTO_STOP_WARNING_S = 10.0
POLL_MS = 50


class ModelHolder:
    """Loads the Whisper model once, on first use, from whichever thread asks first."""

    def __init__(self, model_dir: str | None, keep_fillers: bool) -> None:
        self.model_dir = model_dir
        self.keep_fillers = keep_fillers
        self._lock = threading.Lock()
        self._transcriber: Transcriber | None = None

    def get(self) -> Transcriber:
        with self._lock:
            if self._transcriber is None:
                prompt = FILLER_PROMPT if self.keep_fillers else None
                self._transcriber = Transcriber(self.model_dir, initial_prompt=prompt)
            return self._transcriber

    def live_if_ready(self) -> Transcriber | None:
        """The model once it is loaded, without waiting: live jobs skip while it loads (the
        analysis after Stop transcribes whatever they missed)."""
        return self._transcriber


def retranscription_reason(stored: Report | None, models: ModelHolder, asked: bool) -> str | None:
    """Why analysing a stored take again needs a new transcription; None when its stored
    transcript serves (only the profile, preset or card changed).

    A stored transcript made without the filler prompt is reused even when the prompt is on
    now: the prompt may have been dropped because it derailed the decoder, and transcribing
    again would then give the same words ("Transcribe again" forces it)."""
    if asked:
        return "as asked"
    if stored is None or stored.model is None:
        return "no stored transcript"
    if not stored.is_message and not stored.transcript.segments:
        # Saved before the decoder's segment figures were kept: without them words in a
        # stretch the decoder called silent would count as heard, and the verdict could move.
        return "stored without the decoder's figures that decide whether it is a message"
    spec = resolve_model(models.model_dir)
    before = stored.model
    same_path = Path(before.path) == spec.path
    # The bundled model is the same pinned files wherever the package is installed.
    same_bundled = (
        spec.bundled and before.name == spec.name and Path(before.path).name == spec.path.name
    )
    if not (same_path or same_bundled):
        return f"another model: {before.name} → {spec.name}"
    prompt = FILLER_PROMPT if models.keep_fillers else None
    if before.initial_prompt is not None and before.initial_prompt != prompt:
        return "the filler prompt is off now" if prompt is None else "another transcription prompt"
    return None


@dataclass(frozen=True)
class Feedback:
    report: Report
    samples: np.ndarray
    sample_rate: int
    path: Path
    attempt: Attempt | None = None
    previous: Attempt | None = None
    notes: tuple[str, ...] = ()  # problems worth telling (e.g. the take could not be saved)
    live: Finished | None = None  # how a recorded take's words were found (while recording)
    # After "Analyze again": why the take was transcribed again; None when its stored transcript
    # was reused (or for a first analysis).
    transcribed_again: str | None = None
    # Why this take (or its report) is not in the library; None when it is.
    not_saved: str | None = None
    saved: bool = False  # this analysis wrote the take's report to the library


@dataclass(frozen=True)
class RolePlay:
    """What the next takes are labelled with: a role-play session, the participant up next and,
    optionally, the scenario they practise."""

    session_id: int
    session_name: str
    participant: str | None
    scenario: str | None = None  # for takes that get no scenario of their own


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
        self.recorder: Recorder | None = None
        self.greeting_player: Player | None = None
        self.player: Player | None = None
        self.line_task: Task | None = None
        self.line_samples: np.ndarray | None = None  # the rendering at 16 kHz, for the player
        self.hear_line = False  # the player plays the rendering
        self.analysis: Task | None = None
        self.feedback: Feedback | None = None
        self.library: Library | None = None
        self.library_problem: str | None = None
        self.coaching: Coaching | None = None
        self.outcomes: Outcomes | None = None
        self.role_play: RolePlay | None = None
        self.take_attempt: Attempt | None = None
        self.unsaved: np.ndarray | None = None
        self.save_problem = ""  # why takes are not being saved now (see saving_changed)
        self.rescued: str | None = None  # where the last take kept in memory was saved
        self.scenarios = ScenarioStore()
        self.scenario: Scenario | None = self.scenarios.find(settings.scenario_id)
        self.live_session: LiveSession | None = None
        self.open_library()
        self.role_play = self._restored_role_play()
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._poll)
        self._greeting_started = 0.0
        self._greeting_task: Task | None = None
        # Where a take that does not happen, or an analysis that fails, returns to.
        self._resting = "ready"
        self._disk_warned = False
        self._beep_end_s = 0.0

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

        def load(ctx: TaskContext) -> str:
            transcriber = holder.get()
            # One tiny transcription warms the decoder, so the first real take is not slower.
            transcriber.transcribe(np.zeros(8000, dtype=np.float32))
            # The meaning model (sentence encoder + trained head) is loaded here too, off the GUI
            # thread; without it the wording is checked by the profile's rules alone.
            from voicemail_coach.analysis.meaning import get_model

            meaning = get_model()
            if meaning is not None:
                meaning.embed(["Hi, this is a warm-up sentence."])
            return f"{transcriber.name} ({transcriber.compute_type})"

        task = self.runner.submit("loading the model", load)
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

    def _restored_role_play(self) -> RolePlay | None:
        """The role play of the last run, if its session still runs in this library and the
        person up next still takes part."""
        session_id, coaching = self.settings.role_play_session, self.coaching
        if session_id is None or coaching is None:
            return None
        try:
            session = coaching.session(session_id)
        except LibraryError:
            return None
        if not session.active:
            return None
        who = self.settings.role_play_participant
        if who not in session.participants:
            who = None
        card = self.scenario
        return RolePlay(session.id, session.name, who, card.label if card else None)

    def _label(self, attempt: Attempt) -> Attempt:
        """Link the take to the chosen script variant and put it in the running role-play
        session, if any; may run on a worker. A label that cannot be saved is reported and the
        take kept unlabelled."""
        variant, outcomes = self.settings.variant_uid, self.outcomes
        if variant is not None and outcomes is not None:
            try:
                attempt = outcomes.link(attempt.id, variant)
            except LibraryError as exc:
                self.message.emit("warning", f"{exc} The take is kept, not linked to it.")
        role, coaching = self.role_play, self.coaching
        if role is None or coaching is None:
            return attempt
        try:
            labelled = coaching.label_take(
                attempt.id, role.session_id, role.participant, role.scenario
            )
            self.take_labelled.emit(attempt.id)
            return labelled
        except LibraryError as exc:
            self.message.emit("warning", f"{exc} The take is kept, not labelled.")
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
        stored = library.latest_report(attempt_id)
        # Keep the scenario the take was analyzed against (if its card still exists).
        kept = stored.report.scenario if stored is not None else None
        scenario = self.scenarios.find(kept.id) if kept is not None else None
        why = retranscription_reason(
            stored.report if stored is not None else None, models, transcribe
        )
        return self._analyze_task(
            lambda: library.attempt(attempt_id), None, profile=profile, preset=preset,
            models=models, scenario=scenario,
            reuse=stored.report if stored is not None and why is None else None,
            transcribed_again=why,
        )  # fmt: skip

    def show_attempt(self, attempt_id: int) -> Task | None:
        """Show a stored attempt's newest report without analysing again."""
        library = self.library
        if library is None or self.busy:
            return None

        def run(ctx: TaskContext) -> Feedback:
            attempt = library.attempt(attempt_id)
            stored = library.latest_report(attempt_id)
            if stored is None:
                raise LibraryError(f"Attempt {attempt_id} has no report yet: re-analyze it.")
            audio = load_audio(attempt.audio_path)
            return Feedback(
                stored.report, audio.samples, audio.sample_rate, Path(attempt.audio_path),
                attempt, library.previous(attempt_id),
            )  # fmt: skip

        return self._start_analysis("opening the attempt", run)

    def _memory_analysis(self, audio: Audio) -> Callable[[TaskContext], Feedback]:
        holder, profile, preset, scenario = self.models, self.profile, self.preset.id, self.scenario
        why = self.save_problem or "The take could not be written to disk."

        def run(ctx: TaskContext) -> Feedback:
            transcriber = holder.get()
            report = analyze_audio(
                audio, transcriber, profile, preset, ctx.progress, ctx.cancel, scenario
            )
            return Feedback(
                report, audio.samples, audio.sample_rate, Path(audio.source_path), not_saved=why
            )

        return run

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
        card = self.scenario
        return planned_text(card.prospect if card else None, card.company if card else None)

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
        card = self.scenario
        prospect, company = (card.prospect, card.company) if card else (None, None)
        self._set_state("greeting")
        task = self.runner.submit(
            "preparing the greeting", lambda ctx: practice_greeting(16_000, prospect, company)
        )
        self._greeting_task = task
        task.succeeded.connect(lambda greeting: self._play_greeting(task, greeting))
        task.failed.connect(lambda text: self._greeting_failed(task, text))

    def _play_greeting(self, task: Task, greeting: Greeting) -> None:
        if task is not self._greeting_task or self.state != "greeting":
            return  # cancelled while it was being made
        self._greeting_task = None
        if not greeting.synthesized and self.greeting_plan()[1]:
            self.message.emit(
                "warning", "espeak-ng could not speak the card's greeting: the generic one plays."
            )
        try:
            player = Player(self.output_stream_factory, self.settings.output_device)
            player.load(greeting.audio, 16_000)
            player.play()
        except (PlaybackError, AudioUnavailable) as exc:
            self.message.emit("warning", f"{exc} Recording without the greeting.")
            self._start_recorder()
            return
        self.greeting_player = player
        self._beep_end_s = greeting.beep_end_s
        self._greeting_started = time.monotonic()
        self.timer.start()

    def _greeting_failed(self, task: Task, text: str) -> None:
        if task is not self._greeting_task or self.state != "greeting":
            return
        self._greeting_task = None
        self.message.emit("warning", f"{text} Recording without the greeting.")
        self._start_recorder()

    def _take_path(self) -> Path:
        """Where the take is captured: into the library, so a crash leaves it recoverable."""
        self.take_attempt = None
        if self.library is not None:
            try:
                self.take_attempt, path = self.library.begin_recording()
                self.take_attempt = self._label(self.take_attempt)
                return path
            except LibraryError as exc:
                self.message.emit("warning", f"{exc} Recording outside the history instead.")
        folder = data_dir() / "recordings"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / time.strftime("take-%Y%m%d-%H%M%S.wav")
        n = 1
        while path.exists():
            n += 1
            path = folder / time.strftime(f"take-%Y%m%d-%H%M%S-{n}.wav")
        return path

    def _discard_take(self) -> None:
        """Forget a take that never got going, so it is not offered for recovery later."""
        attempt, self.take_attempt = self.take_attempt, None
        if attempt is not None and self.library is not None:
            try:
                self.library.delete(attempt.id)
            except LibraryError as exc:
                self.message.emit("warning", str(exc))

    def _start_recorder(self) -> None:
        path = self._take_path()
        recorder = Recorder(path, self.input_stream_factory, self.settings.input_device)
        try:
            recorder.start()
        except (RecordingError, AudioUnavailable) as exc:
            self._discard_take()
            self.message.emit("error", str(exc))
            self._set_state(self._resting)
            return
        self.recorder = recorder
        self.live_session = LiveSession(
            self.runner, recorder, self.models.live_if_ready, self.profile, self.preset, self
        )
        self.live_session.cues.connect(self.live_cues.emit)
        self._disk_warned = False
        self._set_state("recording")
        self.timer.start()

    def _poll(self) -> None:
        if self.state == "greeting":
            player = self.greeting_player
            if player is None and self._greeting_task is not None:
                return  # still being made
            done = player is None or not player.playing
            if done or time.monotonic() - self._greeting_started >= self._beep_end_s:
                self._close_greeting()
                self._start_recorder()
            return
        recorder = self.recorder
        if self.state != "recording" or recorder is None:
            self.timer.stop()
            return
        self.live.emit(
            recorder.elapsed_s, recorder.level_dbfs, recorder.peak_dbfs, recorder.clipping
        )
        if self.live_session is not None:
            self.live_session.tick()
        if recorder.failed:
            self.stop_recording()
            return
        if not recorder.disk_ok and not self._disk_warned:
            self._disk_warned = True
            self.message.emit("warning", recorder.error or "The disk refused the recording.")
        limit = self.auto_stop_s
        left = limit - recorder.elapsed_s
        if left <= 0:
            self.message.emit(
                "warning", f"Recording stopped at {limit:.0f} s, the longest a take may run."
            )
            self.stop_recording()
        elif left <= AUTO_STOP_WARNING_S:
            self.auto_stop_warning.emit(left)

    @property
    def auto_stop_s(self) -> float:
        return self.preset.fail_over_s + AUTO_STOP_MARGIN_S

    def _close_greeting(self) -> None:
        if self.greeting_player is not None:
            self.greeting_player.close()
            self.greeting_player = None

    def stop_recording(self) -> None:
        if self.state == "greeting":
            # The take it was leading to is cancelled too: back to the ready state.
            if self._greeting_task is not None:
                self._greeting_task.cancel()
                self._greeting_task = None
            self._close_greeting()
            self.timer.stop()
            self._set_state("ready")
            return
        recorder = self.recorder
        if self.state != "recording" or recorder is None:
            return
        self.timer.stop()
        self._set_state("stopping")
        session = self.live_session
        if session is not None:
            session.stop()

        def stop(ctx: TaskContext) -> tuple[Any, np.ndarray | None]:
            # A take that ends in a pause needs no tail: the last word is finished.
            ended = session is not None and session.ends_in_pause()
            result = recorder.stop(tail_s=0.0 if ended else None)
            log.debug("recorder stopped")
            return result, recorder.samples()

        task = self.runner.submit("saving the recording", stop)
        task.succeeded.connect(lambda out: self._recorded(*out))
        task.failed.connect(lambda msg: self._fail(msg))

    def _recorded(self, result: Any, memory: np.ndarray) -> None:
        """The take is finished: analyze it from the copy in memory (the same samples as the
        file, without reading them back)."""
        self.recorder = None
        session, self.live_session = self.live_session, None
        live = session.transcript if session is not None else None
        if result.error:
            self.message.emit("error", result.error)
        if result.in_memory_only and result.duration_s >= 0.5:
            # The disk failed: keep the take in memory, analyze it from there, offer to save it.
            self.unsaved = memory
            self.rescued = None
            self.unsaved_changed.emit(True)
            self._set_save_problem(result.error or "The take could not be written to disk.")
            self.take_attempt = None
            self.state = "ready"
            audio = Audio(memory, 16_000, "(take not saved yet)", 16_000, 1)
            self._start_analysis("analysing the message", self._memory_analysis(audio))
            return
        if result.overflows:
            self.message.emit(
                "warning", f"{result.overflows} audio block(s) were dropped while recording."
            )
        if result.duration_s < 0.5:
            self._discard_take()
            self.message.emit("error", "The take is too short to analyze (under half a second).")
            self._set_state(self._resting)
            return
        self.state = "ready"  # the take is on disk; saving and analysing it are next
        library, attempt = self.library, self.take_attempt
        self.take_attempt = None
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
        library = self.library
        if library is None:
            return None
        source = Path(path).absolute()
        try:
            changed = datetime.fromtimestamp(source.stat().st_mtime, UTC)
            for attempt in library.attempts():
                if attempt.source != "file" or attempt.original_path != str(source):
                    continue
                # (created_at is whole seconds: a file written just before it was added is
                # not taken for a newer one.)
                if datetime.fromisoformat(attempt.created_at) + timedelta(seconds=1) < changed:
                    continue
                if library.latest_report(attempt.id) is not None:
                    return attempt
        except (OSError, ValueError, LibraryError):
            return None
        return None

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
        """Analyze the attempt ``get_attempt`` gives (run on the worker), or the file ``fallback``
        when there is no attempt or the library fails: the take is analyzed all the same.
        ``scenario``: the card to check against; "current" is the one chosen for practice.
        ``live``: the words transcribed while recording it (only the rest is transcribed).
        ``samples``: the take as recorded (16 kHz mono), so it need not be read back.
        ``reuse``: a stored report whose transcript is analyzed again (nothing is transcribed).
        ``transcribed_again``: why a stored take is transcribed again (kept on the feedback)."""
        holder = models or self.models
        card = self.scenario if isinstance(scenario, str) else scenario
        profile = profile or self.profile
        preset = preset or self.preset.id
        library = self.library
        no_library = (self.save_problem or self.library_problem) if library is None else None

        def run(ctx: TaskContext) -> Feedback:
            notes: list[str] = []
            not_saved = no_library
            saved = False
            attempt: Attempt | None = None
            if get_attempt is not None:
                try:
                    attempt = get_attempt()
                except LibraryError as exc:
                    if fallback is None:
                        raise
                    notes.append(f"{exc} It was analyzed but not added to your history.")
                    not_saved = str(exc)
            path = Path(attempt.audio_path) if attempt is not None else fallback
            assert path is not None
            log.debug("analysis: take saved")
            if samples is not None and len(samples):
                audio = Audio(samples, 16_000, str(path), 16_000, 1)
            else:
                audio = load_audio(path)
            ctx.check()
            finished = None
            say = ctx.status
            if reuse is not None:
                say("Checking structure and delivery")
                report = reanalyze_audio(reuse, audio, profile, preset, card)
            elif live is None:
                if holder.live_if_ready() is None:
                    say("Loading the speech model")
                transcriber = holder.get()
                ctx.check()
                words = transcribe_whole(transcriber, audio.samples, ctx.progress, ctx.cancel, say)
                say("Checking structure and delivery")
                ctx.progress(0.85)
                report = analyze_audio(
                    audio, transcriber, profile, preset, None, ctx.cancel, card, words
                )
            else:
                log.debug("analysis: audio loaded")
                transcriber = holder.get()
                ctx.check()
                report, finished = analyze_take(
                    audio, live, transcriber, profile, preset, ctx.progress, ctx.cancel, card,
                    say,
                )  # fmt: skip
                log.debug("analysis: report built")
            ctx.progress(0.95)
            ctx.check()  # a cancelled analysis leaves no report behind
            previous = None
            if attempt is not None and library is not None:
                try:
                    log.debug("analysis: saving the report")
                    say("Saving it to your history")
                    library.add_report(attempt.id, report)
                    if card is not None:
                        library.update(attempt.id, scenario=card.label)
                    attempt = library.attempt(attempt.id)
                    previous = library.previous(attempt.id)
                    saved = True
                except LibraryError as exc:
                    notes.append(f"{exc} The feedback below was not saved.")
                    not_saved = str(exc)
            log.debug("analysis: done")
            return Feedback(
                report, audio.samples, audio.sample_rate, path, attempt, previous, tuple(notes),
                finished, transcribed_again, not_saved, saved,
            )  # fmt: skip

        return self._start_analysis("analysing the message", run)

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
        if self.line_task is not None:
            self.line_task.cancel()
            self.line_task = None
        self.line_samples = None
        self.hear_line = False
        self.line_audio.emit(False)

    def _start_phone_line(self, feedback: Feedback) -> None:
        """After the feedback is shown: render the take as the prospect will hear it (for the
        player), then, when the profile checks it, transcribe the rendering and add the
        phone_line check to the report (saved as the take's newest report)."""
        self._cancel_line()
        profile, library, holder = self.profile, self.library, self.models
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
        self.line_task = task
        task.progress.connect(lambda _f: self._line_rendered(task, holds))
        task.succeeded.connect(lambda result: self._line_checked(task, holds, result))
        task.failed.connect(lambda text: self._line_failed(task, text))

    def _line_rendered(self, task: Task, holds: list[np.ndarray]) -> None:
        if task is self.line_task and holds and self.line_samples is None:
            self.line_samples = holds[0]
            self.line_audio.emit(True)

    def _line_checked(self, task: Task, holds: list[np.ndarray], result: Feedback | None) -> None:
        if task is not self.line_task:
            return
        self.line_task = None
        self._line_rendered(task, holds)
        if result is not None and self.feedback is not None:
            self.feedback = replace(self.feedback, report=result.report, attempt=result.attempt)
            if result.attempt is not None:
                self.library_changed.emit()  # the history shows the new score
            self.phone_line_ready.emit(self.feedback)

    def _line_failed(self, task: Task, text: str) -> None:
        if task is self.line_task:
            self.line_task = None
            self.message.emit("warning", f"The phone-line check did not run: {text}")

    def set_hear_line(self, on: bool) -> None:
        """Play the take as recorded, or as the prospect will hear it (from the same moment)."""
        player, feedback = self.player, self.feedback
        samples = self.line_samples if on else (feedback.samples if feedback else None)
        if player is None or feedback is None or samples is None or on == self.hear_line:
            return
        position, playing = player.position_s, player.playing
        try:
            player.load(samples, feedback.sample_rate)
            player.seek(position)
            if playing:
                player.play()
        except (PlaybackError, AudioUnavailable) as exc:
            self.message.emit("warning", f"{exc} Playback is off; the feedback is all there.")
            return
        self.hear_line = on
        self._play_timer_update()

    def _cancelled(self) -> None:
        self.analysis = None
        self.message.emit("info", "Analysis cancelled.")
        self._set_state(self._resting)

    def _fail(self, text: str) -> None:
        self.analysis = None
        self.recorder = None
        self.live_session = None
        self.message.emit("error", text)
        self._set_state(self._resting)

    # -- playback -----------------------------------------------------------------------------

    def _prepare_player(self, feedback: Feedback) -> None:
        self.stop_playback()
        if self.player is not None:
            self.player.close()
            self.player = None
        try:
            player = Player(self.output_stream_factory, self.settings.output_device)
            player.load(feedback.samples, feedback.sample_rate)
        except (PlaybackError, AudioUnavailable) as exc:
            self.message.emit("warning", f"{exc} Playback is off; the feedback is all there.")
            return
        self.player = player

    def toggle_playback(self) -> None:
        player = self.player
        if player is None:
            return
        try:
            player.toggle()
        except (PlaybackError, AudioUnavailable) as exc:
            self.message.emit("error", str(exc))
            return
        self._play_timer_update()

    def seek(self, t_s: float) -> None:
        if self.player is not None:
            self.player.seek(max(0.0, t_s))
            self._play_timer_update()

    def stop_playback(self) -> None:
        if self.player is not None and self.player.playing:
            self.player.pause()
            self._play_timer_update()

    def _play_timer_update(self) -> None:
        player = self.player
        if player is None:
            return
        self.playback.emit(player.position_s, player.playing)
        if player.playing:
            QTimer.singleShot(30, self._play_timer_update)

    # -- shutdown -----------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Stop everything and wait for it: a take in progress is saved, never lost."""
        self.timer.stop()
        self._close_greeting()
        if self.live_session is not None:
            self.live_session.stop()
        if self.recorder is not None:
            self.recorder.stop()
            self.recorder = None
            attempt, self.take_attempt = self.take_attempt, None
            if attempt is not None and self.library is not None:
                # Keep the take in the history (it can be analyzed from there); if that fails
                # it stays an interrupted take and is offered for recovery next time.
                with contextlib.suppress(LibraryError):
                    self.library.finish_recording(attempt.id)
        if self.player is not None:
            self.player.close()
            self.player = None
        self.runner.shutdown()
        if self.library is not None:
            self.library.close()
