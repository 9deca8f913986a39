"""The analysis page never looks frozen: it says what is being done and the bar moves."""

from __future__ import annotations

import numpy as np
import pytest

from tests import fakes
from tests.conftest import AUDIO
from voicemail_coach.app.controller import Controller
from voicemail_coach.app.main_window import MainWindow
from voicemail_coach.app.pages import analysing_view
from voicemail_coach.app.settings import Settings

WORDS = [
    ("Hi", 0.5, 0.8), ("Dana,", 0.8, 1.3), ("this", 1.5, 1.7), ("is", 1.7, 1.8),
    ("Sam.", 1.8, 2.3), ("We", 3.0, 3.2), ("help", 3.2, 3.5), ("clinics", 3.5, 4.0),
    ("fill", 4.0, 4.3), ("empty", 4.3, 4.7), ("slots.", 4.7, 5.2), ("Call", 6.0, 6.3),
    ("me", 6.3, 6.4), ("back.", 6.4, 6.9),
]  # fmt: skip


def window_with(qtbot, transcriber) -> MainWindow:  # type: ignore[no-untyped-def]
    controller = Controller(Settings(greeting=False), None, fakes.FakeOutputStream())
    controller.models = fakes.FixedModels(transcriber)  # type: ignore[assignment]
    window = MainWindow(controller)
    qtbot.addWidget(window)
    window.show()
    return window


def test_a_slow_transcription_says_how_far_it_got_and_that_the_computer_is_busy(
    qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(analysing_view, "STALL_S", 0.6)
    # 1.5 s with no news at all (a loaded machine), then four steps of progress.
    slow = fakes.SlowTranscriber(WORDS, steps=4, step_s=0.3, stall_s=1.5)
    window = window_with(qtbot, slow)
    view = window.analysing
    seen: list[tuple[str, int, bool]] = []
    empty_bar: list[bool] = []  # a determinate bar at 0 %: what looked frozen

    def look() -> None:
        seen.append((view.detail.text(), view.bar.value(), view.says_busy))
        empty_bar.append(view.bar.maximum() > 0 and view.bar.value() == 0)

    window.controller.status.connect(lambda _text: look())
    window.controller.progress.connect(lambda _f: look())
    timer = analysing_view.QTimer()
    timer.timeout.connect(look)
    timer.start(50)
    try:
        with qtbot.waitSignal(window.controller.feedback_ready, timeout=20_000):
            window.open_path(str(AUDIO / "good.flac"))
    finally:
        timer.stop()
    texts = [t for t, _, _ in seen]
    # It says what it is doing, in seconds of the recording (good.flac is 24.8 s).
    assert "Transcribing 0 of 25 s\u2026" in texts
    assert "Transcribing 12 of 25 s\u2026" in texts
    assert "Checking structure and delivery\u2026" in texts
    # During the stall the busy line shows; once progress comes it goes again.
    stalled = [busy for t, _, busy in seen if t == "Transcribing 0 of 25 s\u2026"]
    assert any(stalled)
    assert not [busy for t, _, busy in seen if t == "Checking structure and delivery\u2026"][-1]
    # Before any share is done the bar is a busy animation, never an empty 0 % bar; then it
    # shows the real share done: it rises step by step, never back.
    assert not any(empty_bar)
    values = [v for _, v, _ in seen]
    assert values == sorted(values)
    assert {20, 40, 60, 80} <= set(values)
    assert window.controller.state == "feedback"
    assert not view._watch.isActive()  # the watch stops with the page
    window.close()


def test_the_live_tail_says_it_is_finishing_the_last_phrase(qtbot) -> None:  # type: ignore[no-untyped-def]
    import threading

    from voicemail_coach.analysis.incremental import LiveTranscript, analyze_take
    from voicemail_coach.analysis.profile_loader import load_profile
    from voicemail_coach.audio.io import Audio

    rate = 16_000
    rng = np.random.default_rng(3)
    samples = rng.normal(0, 0.001, 10 * rate).astype(np.float32)
    for a, b in ((0.5, 2.3), (3.0, 5.2), (6.0, 6.9)):
        samples[round(a * rate) : round(b * rate)] = rng.normal(0, 0.2, round((b - a) * rate))
    live = LiveTranscript()
    statuses: list[str] = []
    fractions: list[float] = []
    slow = fakes.SlowTranscriber(WORDS, steps=2, step_s=0.2)
    # A live job for the first phrases is still running when the analysis starts.
    live._lock.acquire()
    release = threading.Timer(0.5, live._lock.release)
    release.start()
    report, finished = analyze_take(
        Audio(samples, rate, "take", rate, 1), live, slow, load_profile(),
        progress=fractions.append, status=statuses.append,
    )  # fmt: skip
    release.join()
    assert statuses[0] == "Finishing the last phrase"
    assert "Checking structure and delivery" in statuses
    assert fractions[0] == 0.05 and fractions == sorted(fractions)
    # While it waits for the live job the bar moves on an estimate of that job's time.
    assert len({f for f in fractions if 0.05 < f < 0.7}) >= 3, fractions
    assert report.value_proposition.found and report.value_proposition.start_s == 3.0
    assert (finished.pieces, finished.tail_s) == (1, 10.0)  # nothing was cut: one pass


def test_a_takes_acoustics_are_measured_once_and_before_it_is_saved(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """After Stop the take's levels and pitch are measured from its samples while it is saved
    (and its last phrase transcribed), not after; and not measured a second time."""
    import threading
    from pathlib import Path

    from voicemail_coach.analysis import incremental
    from voicemail_coach.analysis.incremental import LiveTranscript
    from voicemail_coach.analysis.profile_loader import load_profile
    from voicemail_coach.app.analysis_tasks import analysis_job
    from voicemail_coach.app.tasks import TaskContext
    from voicemail_coach.storage.records import LibraryError

    rate = 16_000
    rng = np.random.default_rng(5)
    samples = rng.normal(0, 0.001, 8 * rate).astype(np.float32)
    for a, b in ((0.5, 2.3), (3.0, 5.2), (6.0, 6.9)):
        samples[round(a * rate) : round(b * rate)] = rng.normal(0, 0.2, round((b - a) * rate))
    measured = threading.Event()
    calls: list[int] = []
    real = incremental.measure_acoustics

    def measure(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(len(args[0]))
        measured.set()
        return real(*args, **kwargs)

    monkeypatch.setattr(incremental, "measure_acoustics", measure)

    def saving() -> None:
        # The take is being saved: its acoustics are under way already.
        assert measured.wait(5.0), "the acoustics waited for the take to be saved"
        raise LibraryError("the disk is full")  # analyzed all the same, from the samples

    holder = fakes.FixedModels(fakes.SlowTranscriber(WORDS, steps=1, step_s=0.0))
    job = analysis_job(
        saving, Path("take.wav"), holder, load_profile(), "standard", None, None, None,  # type: ignore[arg-type]
        live=LiveTranscript(), samples=samples,
    )  # fmt: skip
    feedback = job(TaskContext(lambda f: None, threading.Event()))
    assert calls == [len(samples)]  # once, on the take's own samples
    assert feedback.report.value_proposition.start_s == 3.0
    assert feedback.notes == ("the disk is full It was analyzed but not added to your history.",)


def test_a_live_job_that_ends_after_stop_leaves_the_reading_to_the_analysis(
    qtbot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """A live job still decoding at Stop does not read its sentences for cues when it ends: no
    one sees them, and the analysis reads them itself (both at once only slowed it down)."""
    import threading

    from voicemail_coach.analysis.profile_loader import load_profile
    from voicemail_coach.analysis.transcript import Word
    from voicemail_coach.app import live_session
    from voicemail_coach.app.tasks import TaskRunner

    class Recorder:
        elapsed_s, overflows = 5.0, 0

        def samples(self) -> np.ndarray:
            return np.zeros(5 * 16_000, dtype=np.float32)

    release = threading.Event()

    class Transcript:
        done_s, cuts, tentative_words = 5.0, (), None
        words = (Word("Call", 4.0, 4.3), Word("me.", 4.3, 4.6))

        def step(self, samples, transcriber, cancel) -> bool:  # type: ignore[no-untyped-def]
            assert release.wait(5.0)
            return True

    read: list[int] = []
    monkeypatch.setattr(live_session, "word_cues", lambda *a: read.append(1))
    profile = load_profile()
    runner = TaskRunner()
    session = live_session.LiveSession(
        runner,
        Recorder(),
        lambda: object(),
        profile,
        profile.length_preset(),  # type: ignore[arg-type]
    )
    session.transcript = Transcript()  # type: ignore[assignment]
    before = session.words
    session.tick()  # the job starts and decodes
    session.stop()  # Stop while it decodes
    release.set()
    qtbot.waitUntil(lambda: session.jobs == 1, timeout=5_000)
    runner.shutdown()
    assert read == [] and session.words == before
