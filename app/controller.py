"""The app's state and actions, with no widgets: record, open, analyze, cancel, play.

Views call the public methods and listen to the signals. Hardware is injected (stream factories
and the sounddevice module), so tests drive the real flow with fake streams.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from analysis.paths import data_dir
from analysis.pipeline import analyze_audio
from analysis.profile import LengthPreset, Profile, ProfileError, load_profile
from analysis.report import Report
from analysis.transcribe import FILLER_PROMPT, ModelError, Transcriber
from app.settings import Settings, save_settings
from app.tasks import Task, TaskContext, TaskRunner, register_user_errors
from audio.capture import Recorder, RecordingError
from audio.devices import AudioUnavailable
from audio.io import AudioLoadError, load_audio
from audio.playback import PlaybackError, Player

register_user_errors(AudioLoadError, ModelError, ProfileError, RecordingError, AudioUnavailable)

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

    @property
    def loaded(self) -> bool:
        return self._transcriber is not None


@dataclass(frozen=True)
class Feedback:
    report: Report
    samples: np.ndarray
    sample_rate: int
    path: Path


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
    feedback_ready = Signal(object)  # Feedback
    playback = Signal(float, bool)  # position_s, playing

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
        self.analysis: Task | None = None
        self.feedback: Feedback | None = None
        self.last_recording: Path | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._poll)
        self._greeting_started = 0.0
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
            return f"{transcriber.name} ({transcriber.compute_type})"

        task = self.runner.submit("loading the model", load)
        task.succeeded.connect(self.model_ready.emit)
        task.failed.connect(self.model_failed.emit)
        return task

    # -- recording ----------------------------------------------------------------------------

    def _set_state(self, state: str) -> None:
        self.state = state
        self.state_changed.emit(state)

    def toggle_recording(self) -> None:
        if self.state in ("greeting", "recording"):
            self.stop_recording()
        elif self.state in ("ready", "feedback"):
            self.start_take()

    def start_take(self) -> None:
        """Start a take: with the practice greeting and beep first when that setting is on."""
        self.stop_playback()
        if self.settings.greeting:
            try:
                self._play_greeting()
                return
            except (PlaybackError, AudioUnavailable) as exc:
                self.message.emit("warning", f"{exc} Recording without the greeting.")
        self._start_recorder()

    def _play_greeting(self) -> None:
        from audio.greeting import greeting_and_beep

        audio, beep_end_s = greeting_and_beep(16_000)
        player = Player(self.output_stream_factory, self.settings.output_device)
        player.load(audio, 16_000)
        player.play()
        self.greeting_player = player
        self._beep_end_s = beep_end_s
        self._greeting_started = time.monotonic()
        self._set_state("greeting")
        self.timer.start()

    def _start_recorder(self) -> None:
        folder = data_dir() / "recordings"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / time.strftime("take-%Y%m%d-%H%M%S.wav")
        n = 1
        while path.exists():
            n += 1
            path = folder / time.strftime(f"take-%Y%m%d-%H%M%S-{n}.wav")
        recorder = Recorder(path, self.input_stream_factory, self.settings.input_device)
        try:
            recorder.start()
        except (RecordingError, AudioUnavailable) as exc:
            self.message.emit("error", str(exc))
            self._set_state("feedback" if self.feedback else "ready")
            return
        self.recorder = recorder
        self.last_recording = path
        self._set_state("recording")
        self.timer.start()

    def _poll(self) -> None:
        if self.state == "greeting":
            player = self.greeting_player
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
        if recorder.failed:
            self.stop_recording()
            return
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
            self._close_greeting()
            self.timer.stop()
            self._set_state("feedback" if self.feedback else "ready")
            return
        recorder = self.recorder
        if self.state != "recording" or recorder is None:
            return
        self.timer.stop()
        self._set_state("stopping")
        task = self.runner.submit("saving the recording", lambda ctx: recorder.stop())
        task.succeeded.connect(self._recorded)
        task.failed.connect(lambda msg: self._fail(msg))

    def _recorded(self, result: Any) -> None:
        self.recorder = None
        if result.error:
            self.message.emit("error", result.error)
        if result.overflows:
            self.message.emit(
                "warning", f"{result.overflows} audio block(s) were dropped while recording."
            )
        if result.duration_s < 0.5:
            self.message.emit("error", "The take is too short to analyze (under half a second).")
            self._set_state("feedback" if self.feedback else "ready")
            return
        self.state = "ready"  # the take is saved; analysing it is the next step
        self.analyze(result.path)

    # -- analysis -----------------------------------------------------------------------------

    def analyze(self, path: str | Path) -> Task | None:
        if self.state in ("greeting", "recording", "stopping", "analysing"):
            return None
        self.stop_playback()
        holder, profile, preset = self.models, self.profile, self.preset.id

        def run(ctx: TaskContext) -> Feedback:
            audio = load_audio(path)
            ctx.check()
            transcriber = holder.get()
            ctx.check()
            report = analyze_audio(audio, transcriber, profile, preset, ctx.progress, ctx.cancel)
            return Feedback(report, audio.samples, audio.sample_rate, Path(path))

        self._set_state("analysing")
        self.progress.emit(0.0)
        task = self.runner.submit("analysing the message", run)
        task.progress.connect(self.progress.emit)
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
        self._prepare_player(feedback)
        self._set_state("feedback")
        self.feedback_ready.emit(feedback)

    def _cancelled(self) -> None:
        self.analysis = None
        self.message.emit("info", "Analysis cancelled.")
        self._set_state("feedback" if self.feedback else "ready")

    def _fail(self, text: str) -> None:
        self.analysis = None
        self.recorder = None
        self.message.emit("error", text)
        self._set_state("feedback" if self.feedback else "ready")

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
        if self.recorder is not None:
            self.recorder.stop()
            self.recorder = None
        if self.player is not None:
            self.player.close()
            self.player = None
        self.runner.shutdown()
