"""What an analysis job runs on the worker: a take, a file or a stored attempt in, a Feedback out.

Each function returns the job for `TaskRunner.submit`; it reads nothing from the controller while
it runs (everything it needs is captured when it is made)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from voicemail_coach.analysis.incremental import (
    Finished,
    LiveTranscript,
    Measuring,
    analyze_take,
    transcribe_whole,
)
from voicemail_coach.analysis.pipeline import (
    analyze_audio,
    cut_greeting,
    lead_samples,
    reanalyze_audio,
)
from voicemail_coach.analysis.profile import Profile
from voicemail_coach.analysis.report import Report
from voicemail_coach.analysis.scenarios import Scenario, ScenarioStore
from voicemail_coach.app.model_holder import ModelHolder, retranscription_reason
from voicemail_coach.app.tasks import TaskContext
from voicemail_coach.audio.io import Audio, load_audio
from voicemail_coach.storage.library import Library
from voicemail_coach.storage.records import Attempt, LibraryError

# The controller's logger: bench/bench_live.py times the analysis by its debug lines.
log = logging.getLogger("voicemail_coach.app.controller")

Job = Callable[[TaskContext], "Feedback"]


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
    # What was trimmed before the message (ringing, a greeting, the beep: report.trimmed), kept
    # to be played before ``samples``, which are the message the report's times are on.
    lead: np.ndarray | None = None


def _split(feedback: Feedback) -> Feedback:
    """``feedback`` with its whole recording parted into the lead trimmed before the message
    and the message (nothing trimmed: as it is)."""
    if feedback.report.trimmed is None:
        return feedback
    lead, message = lead_samples(feedback.samples, feedback.sample_rate, feedback.report)
    return replace(feedback, samples=message, lead=lead)


def stored_job(library: Library, attempt_id: int) -> Job:
    """Show a stored attempt's newest report without analysing again."""

    def run(ctx: TaskContext) -> Feedback:
        attempt = library.attempt(attempt_id)
        stored = library.latest_report(attempt_id)
        if stored is None:
            raise LibraryError(f"Attempt {attempt_id} has no report yet: re-analyze it.")
        audio = load_audio(attempt.audio_path)
        return _split(Feedback(
            stored.report, audio.samples, audio.sample_rate, Path(attempt.audio_path),
            attempt, library.previous(attempt_id),
        ))  # fmt: skip

    return run


def memory_job(
    audio: Audio,
    holder: ModelHolder,
    profile: Profile,
    preset: str,
    scenario: Scenario | None,
    why: str,
) -> Job:
    """Analyze a take the disk refused, from memory; ``why`` says why it is not saved."""

    def run(ctx: TaskContext) -> Feedback:
        transcriber = holder.get()
        report = analyze_audio(
            audio, transcriber, profile, preset, ctx.progress, ctx.cancel, scenario
        )
        return Feedback(
            report, audio.samples, audio.sample_rate, Path(audio.source_path), not_saved=why
        )

    return run


def analysis_job(
    get_attempt: Callable[[], Attempt] | None,
    fallback: Path | None,
    holder: ModelHolder,
    profile: Profile,
    preset: str,
    card: Scenario | None,
    library: Library | None,
    no_library: str | None,
    live: LiveTranscript | None = None,
    samples: np.ndarray | None = None,
    reuse: Report | None = None,
    transcribed_again: str | None = None,
    trim: bool = False,
) -> Job:
    """Analyze the attempt ``get_attempt`` gives (run on the worker), or the file ``fallback``
    when there is no attempt or the library fails: the take is analyzed all the same.
    ``card``: the scenario card to check against. ``no_library``: why nothing is saved when
    there is no library.
    ``live``: the words transcribed while recording it (only the rest is transcribed).
    ``samples``: the take as recorded (16 kHz mono), so it need not be read back.
    ``reuse``: a stored report whose transcript is analyzed again (nothing is transcribed).
    ``transcribed_again``: why a stored take is transcribed again (kept on the feedback).
    ``trim``: a file transcribed whole loses ringing, a greeting and the beep before its message
    first (`cut_greeting`); the feedback keeps them as its ``lead``."""

    def run(ctx: TaskContext) -> Feedback:
        # A recorded take's levels and pitch need no words and no file: measured from now on,
        # while the take is saved and its last phrase transcribed.
        measuring = None
        if live is not None and samples is not None and len(samples):
            measuring = Measuring(Audio(samples, 16_000, "take", 16_000, 1), profile)
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
            message, trimmed = audio, None
            if trim:
                say("Looking for a greeting and a beep before the message")
                message, trimmed = cut_greeting(audio, transcriber, card, ctx.cancel)
            words = transcribe_whole(transcriber, message.samples, ctx.progress, ctx.cancel, say)
            say("Checking structure and delivery")
            ctx.progress(0.85)
            report = analyze_audio(
                message, transcriber, profile, preset, None, ctx.cancel, card, words,
                trimmed=trimmed,
            )  # fmt: skip
        else:
            log.debug("analysis: audio loaded")
            transcriber = holder.get()
            ctx.check()
            report, finished = analyze_take(
                audio, live, transcriber, profile, preset, ctx.progress, ctx.cancel, card,
                say, measuring,
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
        return _split(Feedback(
            report, audio.samples, audio.sample_rate, path, attempt, previous, tuple(notes),
            finished, transcribed_again, not_saved, saved,
        ))  # fmt: skip

    return run


def reanalysis_job(
    library: Library,
    attempt_id: int,
    profile: Profile,
    preset: str,
    holder: ModelHolder,
    scenarios: ScenarioStore,
    transcribe: bool,
    trim: bool = False,
) -> Job:
    """Analyze a stored attempt again against the scenario it was analyzed against (if its card
    still exists). Its stored transcript serves unless ``transcribe`` asks for a new one or the
    transcription would differ (`retranscription_reason`, kept on the feedback)."""
    stored = library.latest_report(attempt_id)
    kept = stored.report.scenario if stored is not None else None
    scenario = scenarios.find(kept.id) if kept is not None else None
    why = retranscription_reason(stored.report if stored is not None else None, holder, transcribe)
    return analysis_job(
        lambda: library.attempt(attempt_id), None, holder, profile, preset, scenario, library,
        None, reuse=stored.report if stored is not None and why is None else None,
        transcribed_again=why, trim=trim,
    )  # fmt: skip
