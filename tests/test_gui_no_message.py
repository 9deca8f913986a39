"""A take with no voicemail message in the app: a plain note instead of a scorecard, kept in the
history as "no message", and never a baseline (Progress, "vs your last take")."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests import fakes
from tests.conftest import AUDIO
from voicemail_coach.app.controller import Controller, Feedback
from voicemail_coach.app.deltas import deltas
from voicemail_coach.app.main_window import MainWindow
from voicemail_coach.app.pages.history_model import NO_MESSAGE, SCORE, HistoryModel
from voicemail_coach.app.pages.progress_view import ProgressView
from voicemail_coach.app.settings import Settings
from voicemail_coach.storage.library import Library

pytestmark = pytest.mark.model


def _open(qtbot, window: MainWindow, path: Path) -> Feedback:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.controller.feedback_ready, timeout=120_000) as blocker:
        window.controller.analyze(path)
    feedback: Feedback = blocker.args[0]
    return feedback


def test_noise_gets_a_note_not_a_score_and_is_no_baseline(  # type: ignore[no-untyped-def]
    qtbot, holder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VOICEMAIL_COACH_DATA_DIR", str(tmp_path / "data"))
    controller = Controller(Settings(greeting=False), None, fakes.FakeOutputStream())
    controller.models = holder
    window = MainWindow(controller)
    qtbot.addWidget(window)
    window.show()
    try:
        first = _open(qtbot, window, AUDIO / "good.flac")
        noise = _open(qtbot, window, AUDIO / "noise.flac")
        review = window.review
        assert noise.report.no_message_kind == "noise" and noise.report.score is None
        assert review.no_message.isVisible()
        assert not review.scorecard.isVisible() and not review.moments.isVisible()
        assert not review.progress_line.isVisible()  # no "vs your last take" for noise
        assert "no message" in review.title.text()
        assert review.no_message.reason.text() == noise.report.no_message_reason

        again = _open(qtbot, window, AUDIO / "bad.flac")
        assert not review.no_message.isVisible() and review.scorecard.isVisible()
        assert "score" in review.title.text()
        # Compared with the last scored take (good), not with the noise in between.
        assert first.attempt is not None and noise.attempt is not None
        assert again.previous is not None and again.previous.id == first.attempt.id
        assert review.progress_line.isVisible()

        library = controller.library
        assert isinstance(library, Library)
        stored = library.attempt(noise.attempt.id)
        assert stored.score is None and stored.wpm is None and stored.fillers_per_min is None
        assert stored.no_message == noise.report.no_message_reason
        assert stored.duration_s == pytest.approx(5.0, abs=0.05)  # still kept, audio and all
        assert Path(stored.audio_path).is_file()
        assert library.latest_report(stored.id) is not None
        assert deltas(stored, first.attempt) == [] and deltas(again.attempt, stored) == []

        model = HistoryModel(library.attempts())
        row = [a.id for a in model.attempts()].index(stored.id)
        assert model.index(row, SCORE).data() == NO_MESSAGE
        assert "No voicemail message" in model.index(row, SCORE).data(3)  # tooltip role

        progress = ProgressView(library)
        qtbot.addWidget(progress)
        progress.show()
        plotted = {i for _x, _y, i in progress.points("score")}
        assert plotted == {first.attempt.id, again.attempt.id}
        assert stored.id not in {i for _x, _y, i in progress.points("wpm")}
    finally:
        window.close()


def test_a_silent_take_is_kept_as_no_message(  # type: ignore[no-untyped-def]
    qtbot, holder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The take from the issue: 5 s of a quiet room recorded through the (fake) microphone."""
    import numpy as np

    monkeypatch.setattr(fakes, "FAST_PACE_S", 0.01)
    monkeypatch.setenv("VOICEMAIL_COACH_DATA_DIR", str(tmp_path / "data"))
    room = np.random.default_rng(5).normal(0, 10 ** (-62 / 20), 8 * 16_000).astype(np.float32)
    controller = Controller(
        Settings(greeting=False),
        lambda **kw: fakes.FakeInputStream(room)(**kw),
        fakes.FakeOutputStream(),
    )
    controller.models = holder
    window = MainWindow(controller)
    qtbot.addWidget(window)
    window.show()
    try:
        qtbot.mouseClick(window.practice.record, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: controller.state == "recording", timeout=5000)
        recorder = controller.recorder
        assert recorder is not None
        qtbot.waitUntil(lambda: recorder.elapsed_s >= 5.0, timeout=20_000)
        with qtbot.waitSignal(controller.feedback_ready, timeout=120_000) as blocker:
            qtbot.mouseClick(window.practice.record, Qt.MouseButton.LeftButton)
        feedback: Feedback = blocker.args[0]
        assert feedback.report.no_message_kind == "silence" and feedback.report.score is None
        assert window.review.no_message.isVisible() and not window.review.scorecard.isVisible()
        assert feedback.attempt is not None and feedback.attempt.status == "ready"
        assert feedback.attempt.no_message == feedback.report.no_message_reason
        assert feedback.path.exists()  # nothing recorded is ever lost
    finally:
        window.close()
