"""The take being recorded: where it is captured (into the library, else a loose file), the
recorder and its live jobs, what each poll finds (level, failure, full disk, the longest a take
may run) and the job that stops it."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QObject

from voicemail_coach.analysis.incremental import LiveTranscript
from voicemail_coach.analysis.live_cues import LiveCues
from voicemail_coach.analysis.profile import LengthPreset, Profile
from voicemail_coach.analysis.transcribe import Transcriber
from voicemail_coach.app.live_session import LiveSession
from voicemail_coach.app.take_library import loose_take_path
from voicemail_coach.app.tasks import TaskContext, TaskRunner
from voicemail_coach.audio.capture import Recorder, RecordingError
from voicemail_coach.audio.devices import AudioUnavailable
from voicemail_coach.storage.library import Library
from voicemail_coach.storage.records import Attempt, LibraryError

# The controller's logger: bench/bench_live.py times the stop by its debug lines.
log = logging.getLogger("voicemail_coach.app.controller")

# The warning's lead before recording stops by itself.
AUTO_STOP_WARNING_S = 10.0


class TakeControl:
    """One take at a time. ``message`` hears (level, text), ``live`` (elapsed_s, level_dbfs,
    peak_dbfs, clipping) at every poll, ``stop_warning`` the seconds left near the limit."""

    def __init__(
        self,
        runner: TaskRunner,
        message: Callable[[str, str], None],
        live: Callable[[float, float, float, bool], None],
        stop_warning: Callable[[float], None],
    ) -> None:
        self.runner = runner
        self._message = message
        self._live = live
        self._stop_warning = stop_warning
        self.recorder: Recorder | None = None
        self.live_session: LiveSession | None = None
        self.attempt: Attempt | None = None  # the library's attempt the take goes into
        self._disk_warned = False

    def _path(self, library: Library | None, label: Callable[[Attempt], Attempt]) -> Path:
        """Where the take is captured: into the library, so a crash leaves it recoverable."""
        self.attempt = None
        if library is not None:
            try:
                self.attempt, path = library.begin_recording()
                self.attempt = label(self.attempt)
                return path
            except LibraryError as exc:
                self._message("warning", f"{exc} Recording outside the history instead.")
        return loose_take_path()

    def discard(self, library: Library | None) -> None:
        """Forget a take that never got going, so it is not offered for recovery later."""
        attempt, self.attempt = self.attempt, None
        if attempt is not None and library is not None:
            try:
                library.delete(attempt.id)
            except LibraryError as exc:
                self._message("warning", str(exc))

    def start(
        self,
        library: Library | None,
        label: Callable[[Attempt], Attempt],
        input_stream_factory: Callable[..., Any] | None,
        input_device: str | None,
        model: Callable[[], Transcriber | None],
        profile: Profile,
        preset: LengthPreset,
        parent: QObject,
        cues: Callable[[LiveCues], None],
    ) -> bool:
        """Start recording (and the live jobs); False, told and forgotten, when it cannot."""
        path = self._path(library, label)
        recorder = Recorder(path, input_stream_factory, input_device)
        try:
            recorder.start()
        except (RecordingError, AudioUnavailable) as exc:
            self.discard(library)
            self._message("error", str(exc))
            return False
        self.recorder = recorder
        self.live_session = LiveSession(self.runner, recorder, model, profile, preset, parent)
        self.live_session.cues.connect(cues)
        self._disk_warned = False
        return True

    def poll(self, recorder: Recorder, auto_stop_s: float) -> bool:
        """Tell the take's level and feed the live jobs; True when the take must stop (the
        recorder failed, or it ran as long as a take may)."""
        self._live(recorder.elapsed_s, recorder.level_dbfs, recorder.peak_dbfs, recorder.clipping)
        if self.live_session is not None:
            self.live_session.tick()
        if recorder.failed:
            return True
        if not recorder.disk_ok and not self._disk_warned:
            self._disk_warned = True
            self._message("warning", recorder.error or "The disk refused the recording.")
        left = auto_stop_s - recorder.elapsed_s
        if left <= 0:
            self._message(
                "warning", f"Recording stopped at {auto_stop_s:.0f} s, the longest a take may run."
            )
            return True
        if left <= AUTO_STOP_WARNING_S:
            self._stop_warning(left)
        return False

    def stop_job(
        self, recorder: Recorder
    ) -> Callable[[TaskContext], tuple[Any, np.ndarray | None]]:
        """Stop the live jobs; the job that stops the recorder and gives its result and the
        take's samples."""
        session = self.live_session
        if session is not None:
            session.stop()

        def stop(ctx: TaskContext) -> tuple[Any, np.ndarray | None]:
            # A take that ends in a pause needs no tail: the last word is finished.
            ended = session is not None and session.ends_in_pause()
            result = recorder.stop(tail_s=0.0 if ended else None)
            log.debug("recorder stopped")
            return result, recorder.samples()

        return stop

    def stopped(self) -> LiveTranscript | None:
        """The recorder has stopped: the words found while recording (the attempt stays)."""
        self.recorder = None
        session, self.live_session = self.live_session, None
        return session.transcript if session is not None else None

    def forget(self) -> None:
        """A failed stop: nothing is recording any more."""
        self.recorder = None
        self.live_session = None

    def shutdown(self, library: Library | None) -> None:
        """Stop everything; a take in progress is kept in the history, never lost."""
        if self.live_session is not None:
            self.live_session.stop()
        if self.recorder is not None:
            self.recorder.stop()
            self.recorder = None
            attempt, self.attempt = self.attempt, None
            if attempt is not None and library is not None:
                # Keep the take in the history (it can be analyzed from there); if that fails
                # it stays an interrupted take and is offered for recovery next time.
                with contextlib.suppress(LibraryError):
                    library.finish_recording(attempt.id)
