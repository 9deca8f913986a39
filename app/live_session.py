"""One take's live side: transcribe finished phrases while recording, and work out the cues.

The controller's poll timer calls :meth:`LiveSession.tick`. Jobs go through the app's
``TaskRunner`` one at a time, never queued behind each other: when one is still running at the
next look, the look is skipped and the next job takes all the phrases finished by then. Jobs use
the model once it is loaded and skip while it loads. After Stop the controller hands
:attr:`transcript` to the analysis, which transcribes only what is left.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, Signal

from voicemail_coach.analysis.incremental import LiveTranscript
from voicemail_coach.analysis.live_cues import WordCues, cues_at, tidy_live_text, word_cues
from voicemail_coach.analysis.phrase_cuts import ends_in_pause
from voicemail_coach.analysis.profile import LengthPreset, Profile
from voicemail_coach.analysis.transcribe import Cancelled
from voicemail_coach.analysis.transcript import Word
from voicemail_coach.app.tasks import Task, TaskContext, TaskRunner
from voicemail_coach.audio.capture import Recorder

log = logging.getLogger(__name__)

# How often to look for a finished phrase while no job runs (the look itself takes ~5 ms): the
# phrase before Stop is started on this much after its pause is long enough.
CHECK_S = 0.1


class LiveSession(QObject):
    cues = Signal(object)  # voicemail_coach.analysis.live_cues.LiveCues

    def __init__(
        self,
        runner: TaskRunner,
        recorder: Recorder,
        live_transcriber: Callable[[], Any | None],
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
        self.jobs = 0  # live jobs that found a phrase and transcribed it (one at a time)
        self._read_ahead: tuple[Word, ...] | None = None  # the early words last read
        self._job: Task | None = None
        self._next_check = 0.0
        self._stopped = False

    def tick(self) -> None:
        """Show the cues for now, and start a job when none runs and it is time to look."""
        rec = self.recorder
        self.cues.emit(cues_at(rec.elapsed_s, self.words, self.preset, self.profile, rec.overflows))
        now = time.monotonic()
        busy = self._job is not None and self._job.running
        if self._stopped or busy or now < self._next_check:
            return
        self._next_check = now + CHECK_S
        transcript, profile, get = self.transcript, self.profile, self.live_transcriber

        # The job hands its result over itself: a job that ends before submit() returns emits
        # its signals before anyone could connect to them (the runner's own bookkeeping, which
        # ``running`` reflects, is connected before the job starts).
        def run(ctx: TaskContext) -> None:
            try:
                transcriber = get()
                if transcriber is None:
                    return
                if transcript.step(rec.samples(), transcriber, ctx.cancel):
                    self.jobs += 1
                    if self._stopped:
                        # After Stop no one sees the cues, and the analysis reads these
                        # sentences itself: reading them here too would only slow it down.
                        return
                    words = transcript.words
                    cues = word_cues(words, transcript.done_s, profile)
                    # What the page shows is tidied; the analysis keeps the words as they are.
                    self.words = replace(cues, text=tidy_live_text(words, transcript.cuts))
                elif (
                    not self._stopped
                    and (ahead := transcript.tentative_words)
                    and ahead != self._read_ahead
                ):
                    # What may be the last phrase was decoded early: its sentences are read
                    # now (the meaning model keeps what it read), so that the report after
                    # Stop does not wait for them. The cues stay with the words kept.
                    self._read_ahead = ahead
                    word_cues(ahead, transcript.done_s, profile)
            except Cancelled:
                raise
            except Exception as exc:
                # The analysis after Stop transcribes what is missing and reports real problems.
                log.warning("transcription while recording stopped: %s", exc)
                self._stopped = True
                raise

        self._job = self.runner.submit("transcribing while you speak", run)

    def stop(self) -> None:
        """No new jobs; one that is running finishes (the analysis waits for it)."""
        self._stopped = True

    def ends_in_pause(self) -> bool:
        """Whether the take so far ends in a pause (safe on any thread)."""
        return ends_in_pause(self.recorder.samples())
