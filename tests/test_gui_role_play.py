"""Role play in the window: a session, labelled takes, comments at moments, the rubric, the
session summary and the exported PDF, driven like a coach would with fake audio hardware."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from tests import fakes
from tests.conftest import AUDIO
from voicemail_coach.app.controller import Controller, Feedback
from voicemail_coach.app.main_window import MainWindow
from voicemail_coach.app.settings import Settings
from voicemail_coach.audio.io import load_audio
from voicemail_coach.storage.coaching import Coaching

pytestmark = pytest.mark.model

GOOD = load_audio(AUDIO / "good.flac").samples


@pytest.fixture()
def window(qtbot, holder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("VOICEMAIL_COACH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(fakes, "FAST_PACE_S", 0.01)  # about 10x real time

    def streams(**kwargs: object) -> fakes.FakeInputStream:
        return fakes.FakeInputStream(np.concatenate([GOOD, np.zeros(8000, np.float32)]))(**kwargs)

    controller = Controller(Settings(greeting=False), streams, fakes.FakeOutputStream())
    controller.models = holder
    win = MainWindow(controller)
    qtbot.addWidget(win)
    win.resize(1280, 860)
    win.show()
    yield win
    win.close()
    assert controller.runner.pool.activeThreadCount() == 0


def record_take(qtbot, window: MainWindow, seconds: float) -> Feedback:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(window.practice.record, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.controller.state == "recording", timeout=5000)
    recorder = window.controller.recorder
    assert recorder is not None
    qtbot.waitUntil(lambda: recorder.elapsed_s >= seconds, timeout=20_000)
    with qtbot.waitSignal(window.controller.feedback_ready, timeout=90_000) as blocker:
        qtbot.mouseClick(window.practice.record, Qt.MouseButton.LeftButton)
    feedback: Feedback = blocker.args[0]
    return feedback


def test_a_coach_runs_a_session_comments_scores_and_exports(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    pages = window.library_pages
    assert pages is not None and pages.sessions is not None
    page = pages.sessions
    window.nav["Role play"].trigger()
    assert window.pages.currentWidget() is page

    # Start a session and add participants, as typed.
    qtbot.keyClicks(page.name, "Thursday drill")
    qtbot.keyClicks(page.coach, "Dana Cole")
    qtbot.mouseClick(page.start, Qt.MouseButton.LeftButton)
    for name in ("Ann Lee", "Ben Ode", "Cy"):
        qtbot.keyClicks(page.participants.new, name)
        qtbot.keyClick(page.participants.new, Qt.Key.Key_Return)
    page.participants.list.setCurrentRow(2)
    qtbot.mouseClick(page.participants.remove_button, Qt.MouseButton.LeftButton)
    page.participants.list.setCurrentRow(1)
    qtbot.mouseClick(page.participants.earlier, Qt.MouseButton.LeftButton)
    assert page.session is not None
    assert page.session.participants == ("Ben Ode", "Ann Lee")
    qtbot.keyClicks(page.notes, "Focus: the first ten seconds")
    qtbot.keyClick(page.notes, Qt.Key.Key_Return)
    assert Coaching(window.controller.library).session(page.session.id).notes == (  # type: ignore[arg-type]
        "Focus: the first ten seconds"
    )
    assert [page.up_next.itemText(i) for i in range(1, page.up_next.count())] == [
        "Ben Ode",
        "Ann Lee",
    ]

    # Ann is up next: the practice page says so and her take is labelled with her name.
    page.up_next.setCurrentIndex(page.up_next.findData("Ann Lee"))
    page.up_next.activated.emit(page.up_next.currentIndex())
    card = page.scenario.findData("clinic-colleague-referral")
    page.scenario.setCurrentIndex(card)
    page.scenario.activated.emit(card)
    assert window.practice.scenario.combo.currentData() == "clinic-colleague-referral"
    page.take_turns.setChecked(True)
    qtbot.mouseClick(page.practise, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.practice
    assert window.practice.role_play.isVisible()
    assert window.practice.role_play.text() == (
        "Recording as <b>Ann Lee</b> \u2014 Thursday drill \u00b7 Amara Okafor, Riverside Family Clinic"
    )
    feedback = record_take(qtbot, window, 9.0)
    attempt = feedback.attempt
    assert attempt is not None
    assert (attempt.participant, attempt.session_id) == ("Ann Lee", page.session.id)
    assert attempt.scenario == "Amara Okafor, Riverside Family Clinic"
    # Taking turns: after the last person in the list comes the first again.
    assert window.controller.role_play is not None
    assert window.controller.role_play.participant == "Ben Ode"
    assert "Recording as <b>Ben Ode</b>" in window.practice.role_play.text()

    # The feedback page opens the coach panel for a take of a session.
    review = window.review
    assert review.coach_toggle.isChecked() and review.coach.isVisible()
    assert review.coach.who.text() == "Recorded by Ann Lee \u00b7 session Thursday drill"

    # Double-click the timeline at about 4.3 s and type a comment.
    timeline = review.timeline
    x = round(timeline.time_to_x(4.3))
    qtbot.mouseDClick(timeline, Qt.MouseButton.LeftButton, pos=QPoint(x, timeline.height() // 2))
    comments = review.coach.comments
    assert comments.editor.hasFocus()
    assert comments.when.text() == "0:04"
    qtbot.keyClicks(comments.editor, "Lead with the benefit here")
    qtbot.keyClick(comments.editor, Qt.Key.Key_Return)
    assert comments.list.count() == 1
    assert comments.list.item(0).text() == "0:04   Lead with the benefit here  \u2014 Dana Cole"
    library = window.controller.library
    assert library is not None
    (stored,) = Coaching(library).comments(attempt.id)
    assert stored.text == "Lead with the benefit here" and stored.author == "Dana Cole"
    assert stored.at_s == pytest.approx(4.3, abs=2 * timeline.seconds_per_pixel() + 0.01)
    assert timeline._comments == [(stored.at_s, stored.text)]
    assert review.coach.tabs.tabText(0) == "Comments (1)"
    # Without a click on the timeline, a new comment is for where playback stands.
    window.controller.seek(7.2)
    assert comments.when.text() == "0:07"

    # The coach's notes on the take are saved as they are typed.
    review.coach.tabs.setCurrentWidget(review.coach.notes)
    qtbot.keyClicks(review.coach.notes, "Work on the close.")
    qtbot.waitUntil(lambda: library.attempt(attempt.id).notes == "Work on the close.", timeout=5000)

    # Score the rubric: every click is saved at once; the total follows.
    rubric = review.coach.rubric
    for criterion_id, score in (("opening", 4), ("value", 2), ("delivery", 5)):
        qtbot.mouseClick(rubric.rows[criterion_id].button(score), Qt.MouseButton.LeftButton)
    assert {k: s.score for k, s in Coaching(library).scores(attempt.id).items()} == {
        "opening": 4,
        "value": 2,
        "delivery": 5,
    }
    assert rubric.total_text() == "11/15 (3 of 5 scored)"
    qtbot.mouseClick(rubric.rows["value"].button(None), Qt.MouseButton.LeftButton)
    assert "value" not in Coaching(library).scores(attempt.id)
    assert rubric.total_text() == "9/10 (2 of 5 scored)"

    # The summary shows the take with the automatic and the coach's scores side by side.
    window.nav["Role play"].trigger()
    summary = page.summary
    assert summary.table.rowCount() == 1
    assert summary.cell(0, "Who") == "Ann Lee"
    assert summary.cell(0, "Scenario") == "Amara Okafor, Riverside Family Clinic"
    assert summary.cell(0, "Auto") == str(feedback.report.score)
    assert (summary.cell(0, "Opening"), summary.cell(0, "Value")) == ("4", "\u2014")
    assert summary.cell(0, "Rubric") == "9/10 (2 of 5)"
    assert summary.cell(0, "Comments") == "1"
    page.select(page.session.id)

    # The history shows who recorded each take, and finds takes by that name.
    from voicemail_coach.app.pages.history_model import PARTICIPANT

    window.nav["History"].trigger()
    history = pages.history
    assert history.proxy.index(0, PARTICIPANT).data() == "Ann Lee"
    history.search.setText("ben")
    assert history.proxy.rowCount() == 0
    history.search.setText("ann lee")
    assert history.proxy.rowCount() == 1
    history.search.clear()

    # Coach comments appear in the exported PDF, with their time.
    target = tmp_path / "ann.pdf"
    pages.ask_save_path = lambda suggested: str(target)
    # (The take is opened from the summary, as a double-click does.)
    window.nav["Role play"].trigger()
    summary.table.setCurrentCell(0, 0)
    with qtbot.waitSignal(window.controller.feedback_ready, timeout=30_000) as opened:
        summary.table.activated.emit(summary.table.currentIndex())
    assert opened.args[0].attempt.id == attempt.id
    assert window.pages.currentWidget() is window.review
    window.export_current()
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True).stdout
    text = " ".join(text.split())
    assert "1 0:04 Lead with the benefit here Dana Cole" in text
    assert "Recorded by Ann Lee · session Thursday drill, coach Dana Cole" in text
    assert "Opening 4 / 5" in text and "Total 9/10 (2 of 5 scored)" in text
    assert "Coach notes Work on the close." in text

    # The session summary exports too.
    out = tmp_path / "drill.csv"
    page.ask_save_path = lambda suggested: str(out)
    window.nav["Role play"].trigger()
    qtbot.mouseClick(page.export, Qt.MouseButton.LeftButton)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert (
        len(lines) == 2 and ",Ann Lee," in lines[1] and lines[1].endswith(",9/10 (2 of 5 scored),1")
    )

    # Ending the session stops labelling the takes.
    qtbot.mouseClick(page.end, Qt.MouseButton.LeftButton)
    assert window.controller.role_play is None
    assert not window.practice.role_play.isVisible()

    # The wrong person was up next: the coach corrects the label, or takes the take out.
    menu = page.summary.menu_for(0)
    assert menu is not None
    by_ben = next(a for a in menu.actions() if a.text() == "Recorded by Ben Ode")
    by_ben.trigger()
    assert library.attempt(attempt.id).participant == "Ben Ode"
    assert page.summary.cell(0, "Who") == "Ben Ode"
    menu = page.summary.menu_for(0)
    assert menu is not None
    next(a for a in menu.actions() if a.text() == "Take out of this session").trigger()
    assert page.summary.table.rowCount() == 0
    assert library.attempt(attempt.id).session_id is None  # still in the history


def test_role_play_carries_on_after_a_restart(
    qtbot, holder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """Close the app mid-session and start it again on the same data folder and settings: the
    session still labels the takes, with the same order and the same person up next."""
    from voicemail_coach.app.settings import load_settings

    monkeypatch.setenv("VOICEMAIL_COACH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(fakes, "FAST_PACE_S", 0.01)
    settings_file = tmp_path / "settings.json"

    def streams(**kwargs: object) -> fakes.FakeInputStream:
        return fakes.FakeInputStream(np.concatenate([GOOD, np.zeros(8000, np.float32)]))(**kwargs)

    def start() -> MainWindow:
        settings, problem = load_settings(settings_file)
        assert problem is None
        controller = Controller(settings, streams, fakes.FakeOutputStream(), settings_file)
        controller.models = holder
        win = MainWindow(controller)
        qtbot.addWidget(win)
        win.show()
        return win

    first = start()
    page = first.library_pages.sessions  # type: ignore[union-attr]
    assert page is not None
    first.nav["Role play"].trigger()
    qtbot.keyClicks(page.name, "Friday drill")
    qtbot.mouseClick(page.start, Qt.MouseButton.LeftButton)
    for name in ("Ann Lee", "Ben Ode", "Cy Park"):
        qtbot.keyClicks(page.participants.new, name)
        qtbot.keyClick(page.participants.new, Qt.Key.Key_Return)
    page.up_next.setCurrentIndex(page.up_next.findData("Ben Ode"))
    page.up_next.activated.emit(page.up_next.currentIndex())
    page.take_turns.setChecked(True)
    assert page.session is not None
    session_id = page.session.id
    first.close()

    again = start()
    try:
        role = again.controller.role_play
        assert role is not None
        assert (role.session_id, role.session_name, role.participant) == (
            session_id,
            "Friday drill",
            "Ben Ode",
        )
        assert again.practice.role_play.text() == "Recording as <b>Ben Ode</b> \u2014 Friday drill"
        page = again.library_pages.sessions  # type: ignore[union-attr]
        assert page is not None and page.session is not None and page.session.id == session_id
        assert page.status.text().endswith("running")
        assert page.up_next.currentText() == "Ben Ode"
        assert page.participants.list.item(1).text() == "Ben Ode"
        assert [page.up_next.itemText(i) for i in range(1, page.up_next.count())] == [
            "Ann Lee",
            "Ben Ode",
            "Cy Park",
        ]
        assert page.take_turns.isChecked()

        # The next take is Ben's, and then it is Cy's turn.
        feedback = record_take(qtbot, again, 4.0)
        assert feedback.attempt is not None
        assert (feedback.attempt.participant, feedback.attempt.session_id) == (
            "Ben Ode",
            session_id,
        )
        assert again.controller.role_play is not None
        assert again.controller.role_play.participant == "Cy Park"
    finally:
        again.close()

    # An ended session is not carried on.
    third = start()
    try:
        sessions = third.library_pages.sessions  # type: ignore[union-attr]
        assert sessions is not None
        third.nav["Role play"].trigger()
        qtbot.mouseClick(sessions.end, Qt.MouseButton.LeftButton)
    finally:
        third.close()
    fourth = start()
    try:
        assert fourth.controller.role_play is None
        assert not fourth.practice.role_play.isVisibleTo(fourth)
    finally:
        fourth.close()
