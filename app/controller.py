"""The app's state and actions, with no widgets: record, open, analyze, cancel, play.

Views call the public methods and listen to the signals. Hardware is injected (stream factories
and the sounddevice module), so tests drive the real flow with fake streams.

The controller is built in three layers, each in its own module:
- `voicemail_coach.app.choices.Choices`: what the next take is checked against (settings,
  profile, card, variant, role play) and where it is kept (the library);
- `voicemail_coach.app.review_flow.ReviewFlow`: analysing a take, file or stored attempt, the
  feedback, the phone line and playback;
- `Controller` (here): recording a take, with the practice greeting before it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QTimer, Signal

from voicemail_coach.analysis.profile import ProfileError
from voicemail_coach.analysis.scenarios import ScenarioError
from voicemail_coach.analysis.transcribe import ModelError
from voicemail_coach.app.analysis_tasks import Feedback
from voicemail_coach.app.greeting_control import GreetingControl, greeting_plan
from voicemail_coach.app.live_session import LiveSession
from voicemail_coach.app.model_holder import ModelHolder, retranscription_reason
from voicemail_coach.app.review_flow import ReviewFlow
from voicemail_coach.app.settings import Settings
from voicemail_coach.app.take_control import TakeControl
from voicemail_coach.app.take_library import RolePlay
from voicemail_coach.app.tasks import register_user_errors
from voicemail_coach.audio.capture import Recorder, RecordingError
from voicemail_coach.audio.devices import AudioUnavailable
from voicemail_coach.audio.io import Audio, AudioLoadError
from voicemail_coach.audio.playback import Player
from voicemail_coach.storage.records import LibraryError

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


class Controller(ReviewFlow):
    live = Signal(float, float, float, bool)  # elapsed_s, level_dbfs, peak_dbfs, clipping
    auto_stop_warning = Signal(float)  # seconds left
    live_cues = Signal(object)  # voicemail_coach.analysis.live_cues.LiveCues, while recording

    def __init__(
        self,
        settings: Settings,
        input_stream_factory: Callable[..., Any] | None = None,
        output_stream_factory: Callable[..., Any] | None = None,
        settings_file: Path | None = None,
    ) -> None:
        super().__init__(settings, output_stream_factory, settings_file)
        self.input_stream_factory = input_stream_factory
        self.take = TakeControl(
            self.runner, self.message.emit, self.live.emit, self.auto_stop_warning.emit
        )
        self.greeting = GreetingControl(
            self.runner, self._output, lambda: self.state == "greeting",
            lambda: self.timer.start(), self._greeting_gave_up, self.message.emit,
        )  # fmt: skip
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._poll)

    # -- recording ----------------------------------------------------------------------------

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

    def _fail(self, text: str) -> None:
        self.take.forget()
        super()._fail(text)

    # -- shutdown -----------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Stop everything and wait for it: a take in progress is saved, never lost."""
        self.timer.stop()
        self.feedback = None  # what waits for the feedback to be shown no longer runs
        self.greeting.close()
        self.take.shutdown(self.library)
        self.playing.close()
        self.runner.shutdown()
        if self.library is not None:
            self.library.close()
