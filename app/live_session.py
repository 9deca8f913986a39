"""One take's live side: transcribe finished phrases while recording, and work out the cues.

The controller's poll timer calls :meth:`LiveSession.tick`. Jobs go through the app's
``TaskRunner`` one at a time (never two at once, so the audio keeps a core), on the model
holder's one-thread live transcriber. After Stop the controller hands :attr:`transcript` to
the analysis, which transcribes only what is left.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from analysis.incremental import LiveTranscript, ends_in_pause
from analysis.live_cues import WordCues, cues_at, word_cues
from analysis.profile import LengthPreset, Profile
from app.tasks import Task, TaskContext, TaskRunner
from audio.capture import Recorder

# How often to look for a finished phrase while no job runs (the look itself takes ~5 ms).
CHECK_S = 0.25


class LiveSession(QObject):
    cues = Signal(object)  # analysis.live_cues.LiveCues

    def __init__(
        self,
        runner: TaskRunner,
        recorder: Recorder,
        live_transcriber: Callable[[], Any],
        profile: Profile,
        preset: LengthPreset,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.recorder = recorder
        self.live_transcriber = live_transcriber
        self.profile = profile
        self.preset = preset
        self.transcript = LiveTranscript()
        self.words = WordCues()
        self.jobs = 0  # live jobs that found a phrase and transcribed it
        self._job: Task | None = None
        self._next_check = 0.0
        self._stopped = False

    def tick(self) -> None:
        """Show the cues for now, and start a job when none runs and it is time to look."""
        rec = self.recorder
        self.cues.emit(cues_at(rec.elapsed_s, self.words, self.preset, self.profile, rec.overflows))
        now = time.monotonic()
        if self._stopped or self._job is not None or now < self._next_check:
            return
        self._next_check = now + CHECK_S
        transcript, profile, get = self.transcript, self.profile, self.live_transcriber

        def run(ctx: TaskContext) -> WordCues | None:
            if not transcript.step(rec.samples(), get(), ctx.cancel):
                return None
            return word_cues(transcript.words, transcript.done_s, profile)

        job = self.runner.submit("transcribing while you speak", run)
        job.succeeded.connect(self._heard)
        job.failed.connect(self._failed)
        job.done.connect(self._job_done)
        self._job = job

    def stop(self) -> None:
        """No new jobs; one that is running finishes (the analysis waits for it)."""
        self._stopped = True

    def ends_in_pause(self) -> bool:
        """Whether the take so far ends in a pause (safe on any thread)."""
        return ends_in_pause(self.recorder.samples())

    def _heard(self, words: WordCues | None) -> None:
        if words is not None:
            self.words = words
            self.jobs += 1

    def _failed(self, message: str) -> None:
        # The analysis after Stop transcribes what is missing and reports any real problem.
        self._stopped = True

    def _job_done(self) -> None:
        self._job = None
