"""A layout that breathes at the default window size (1180x800): what must be in view on the
feedback page, in History and in the role-play takes table, asserted as layout facts (rows in
view, shares of the width, columns inside the viewport), not pixels."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from tests import fakes
from tests.conftest import AUDIO
from voicemail_coach.analysis.pipeline import analyze_script
from voicemail_coach.analysis.profile_loader import load_profile
from voicemail_coach.app.controller import Controller
from voicemail_coach.app.main_window import MainWindow
from voicemail_coach.app.pages.history_model import SCENARIO, TITLE
from voicemail_coach.app.pages.review_view import ReviewView
from voicemail_coach.app.settings import Settings
from voicemail_coach.storage.coaching import Coaching

SIZE = (1180, 800)  # the window's default size
SCRIPT = (
    "Hi Dana, this is Sam Rivera from Northwind Finance. We help companies like yours cut the "
    "time spent on month-end close by half. Give me a call back at 555 312 4477."
)
SCENARIOS = ("Cold call: accounting firms in the Midwest", "Follow-up after the pricing email")


@pytest.fixture()
def window(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    """The window at 1180x800: takes with scenarios in a running role-play session, each
    scored on the rubric and commented, the last one on the feedback page."""
    monkeypatch.setenv("VOICEMAIL_COACH_DATA_DIR", str(tmp_path / "data"))
    controller = Controller(Settings(greeting=False), None, fakes.FakeOutputStream(), None)
    library, coaching = controller.library, controller.coaching
    assert library is not None and coaching is not None
    session = coaching.start_session("Thursday drill", "Dana Cole", ["Ann Lee", "Ben Ode"])
    profile = load_profile()
    report = analyze_script(SCRIPT, profile)
    store = Coaching(library)
    ids = []
    for n, who in enumerate(("Ann Lee", "Ben Ode", "Ann Lee")):
        attempt = library.add_file(AUDIO / "good.flac")
        library.add_report(attempt.id, report)
        store.label_take(attempt.id, session.id, who, SCENARIOS[n % 2])
        for criterion in profile.rubric:
            store.set_score(attempt.id, criterion, 4, profile.name)
        store.add_comment(attempt.id, 1.0, "Good opening.", "Dana Cole")
        ids.append(attempt.id)
    untitled = library.add_file(AUDIO / "good.flac")
    library.update(untitled.id, title="Recording 2026-12-07 14:05")
    library.add_report(untitled.id, report)
    win = MainWindow(controller)
    qtbot.addWidget(win)
    win.resize(*SIZE)
    win.show()
    qtbot.waitExposed(win)
    with qtbot.waitSignal(controller.feedback_ready, timeout=10_000):
        controller.show_attempt(ids[-1])
    qtbot.waitUntil(lambda: win.review.isVisible(), timeout=5000)
    yield win
    win.close()


def settle(qtbot) -> None:  # type: ignore[no-untyped-def]
    QApplication.processEvents()
    qtbot.wait(50)


def test_the_scorecard_shows_six_checks_and_the_transcript_half_the_page(
    window: MainWindow, qtbot
) -> None:  # type: ignore[no-untyped-def]
    review = window.review
    review.coach_toggle.setChecked(False)  # a role-play take opens with the coach panel
    settle(qtbot)
    card = review.scorecard
    assert len(card.rows) >= 15
    assert card.visible_rows() >= 6
    assert review.transcript.width() >= 0.4 * review.width()
    # With the coach panel open the transcript keeps half the page, and the checks stay in view.
    review.coach_toggle.setChecked(True)
    settle(qtbot)
    assert review.coach.isVisible()
    assert review.transcript.width() >= 0.5 * review.width()
    assert card.visible_rows() >= 6
    tabs = review.coach.tabs.tabBar()
    assert tabs.tabRect(tabs.count() - 1).right() <= tabs.width()  # "Notes" not scrolled away


def test_a_check_opens_on_its_details_and_the_dividers_are_remembered(
    window: MainWindow, qtbot
) -> None:  # type: ignore[no-untyped-def]
    review = window.review
    settle(qtbot)
    row = next(r for r in review.scorecard.rows if r.check.evidence)
    closed = row.height()
    assert not row.expanded and not any(label.isVisible() for label in row.details)
    qtbot.mouseClick(row, Qt.MouseButton.LeftButton, pos=QPoint(20, 10))
    settle(qtbot)
    assert row.expanded and all(label.isVisible() for label in row.details)
    assert row.height() > closed
    review.scorecard.details_button.click()  # every row at once
    assert all(r.expanded for r in review.scorecard.rows)

    review.coach_toggle.setChecked(True)
    settle(qtbot)
    review.split.moveSplitter(200, 1)  # the scorecard narrower, by hand
    settle(qtbot)
    saved = window.controller.settings.review_split_coach
    assert saved is not None and int(saved.split(",")[0]) == review.split.sizes()[0]
    again = ReviewView()
    qtbot.addWidget(again)
    again.resize(review.size())
    again.scorecard.set_report(review.scorecard.report())
    again.restore_split(window.controller.settings.review_split, saved)
    again.coach_toggle.setChecked(True)
    again.show()
    settle(qtbot)
    assert abs(again.split.sizes()[0] - review.split.sizes()[0]) <= 2


def test_history_titles_keep_their_room_beside_the_scenario(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.nav["History"].trigger()
    pages = window.library_pages
    assert pages is not None
    settle(qtbot)
    table = pages.history.table
    assert not table.isColumnHidden(SCENARIO)
    title = "Recording 2026-12-07 14:05"
    needed = table.fontMetrics().horizontalAdvance(title) + 12
    assert table.columnWidth(TITLE) >= needed
    assert table.horizontalScrollBar().maximum() == 0


def test_the_takes_table_shows_rubric_and_comments_without_scrolling(
    window: MainWindow, qtbot
) -> None:  # type: ignore[no-untyped-def]
    window.nav["Role play"].trigger()
    pages = window.library_pages
    assert pages is not None and pages.sessions is not None
    settle(qtbot)
    summary = pages.sessions.summary
    table = summary.table
    assert table.rowCount() == 3
    header = table.horizontalHeader()
    view = table.viewport().width()
    for name in ("Rubric", "Comments"):
        column = next(
            c for c in range(table.columnCount()) if table.horizontalHeaderItem(c).text() == name
        )
        left = header.sectionViewportPosition(column)
        assert left >= 0 and left + min(header.sectionSize(column), 60) <= view, name
    assert table.horizontalScrollBar().maximum() == 0
    assert summary.cell(0, "Comments") == "1"
    # A long scenario gives way (elided), its full name in the tooltip.
    scenario = next(
        c for c in range(table.columnCount()) if table.horizontalHeaderItem(c).text() == "Scenario"
    )
    assert table.item(0, scenario).toolTip() in SCENARIOS
