"""The feedback is painted first: what follows it (the history's refresh, the phone line) waits.

Both used to run between the report's arrival and the review page's first paint: the refresh on
the GUI thread (longer the longer the history), the phone line's rendering on the other core.
No model: a stored attempt is shown with a report made from a written script.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject

from tests import fakes
from tests.conftest import AUDIO
from voicemail_coach.analysis.pipeline import analyze_script
from voicemail_coach.app.controller import Controller
from voicemail_coach.app.main_window import MainWindow
from voicemail_coach.app.settings import Settings

SCRIPT = (
    "Hi Dana, this is Sam from Northwind. We help clinics cut no-shows by a third. "
    "Call me back at 555 312 4477."
)


class Paints(QObject):
    """Notes each paint of the watched widget in ``order``."""

    def __init__(self, order: list[str]) -> None:
        super().__init__()
        self.order = order

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.order.append("paint")
        return False


def window_with_attempt(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, order: list[str]
) -> tuple[MainWindow, int]:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("VOICEMAIL_COACH_DATA_DIR", str(tmp_path / "data"))
    controller = Controller(Settings(greeting=False), None, fakes.FakeOutputStream())
    library = controller.library
    assert library is not None
    attempt = library.add_file(AUDIO / "good.flac")
    library.add_report(attempt.id, analyze_script(SCRIPT, controller.profile))
    window = MainWindow(controller)
    qtbot.addWidget(window)
    # Stand-ins that only say when they run (the real phone line renders and transcribes).
    monkeypatch.setattr(controller.line, "start", lambda *_args: order.append("phone line"))
    controller.library_changed.connect(lambda: order.append("history"))
    return window, attempt.id


def test_the_phone_line_and_the_history_wait_for_the_review_page_to_paint(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    order: list[str] = []
    window, attempt_id = window_with_attempt(qtbot, tmp_path, monkeypatch, order)
    window.show()
    qtbot.waitExposed(window)
    controller = window.controller
    watch = Paints(order)  # the timeline is painted whenever the review page is
    window.review.timeline.installEventFilter(watch)
    with qtbot.waitSignal(controller.feedback_ready, timeout=20_000):
        controller.show_attempt(attempt_id)
    # The page is filled in; nothing that follows it has run yet.
    assert window.pages.currentWidget() is window.review
    assert "score" in window.review.title.text() and window.review.scorecard.rows
    assert "history" not in order and "phone line" not in order
    qtbot.waitUntil(lambda: "phone line" in order, timeout=20_000)
    assert order[0] == "paint"
    assert order.count("history") == 1 and order.count("phone line") == 1


def test_a_window_not_on_screen_runs_them_without_a_paint(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    order: list[str] = []
    window, attempt_id = window_with_attempt(qtbot, tmp_path, monkeypatch, order)
    watch = Paints(order)
    window.review.timeline.installEventFilter(watch)
    with qtbot.waitSignal(window.controller.feedback_ready, timeout=20_000):
        window.controller.show_attempt(attempt_id)
    qtbot.waitUntil(lambda: "phone line" in order, timeout=20_000)
    assert order == ["history", "phone line"]
