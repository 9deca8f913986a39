"""A layout that breathes at the default window size (1180x800), at full HD (1920x1080) and at
150 % scaling: what must be in view on the feedback page, in History and in the role-play takes
table, asserted as layout facts (rows in view, shares of the width, columns inside the
viewport), not pixels. The 150 % run is this module again in a process of its own with
QT_SCALE_FACTOR=1.5 (Qt reads it once, when the application starts)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication

from tests import fakes
from tests.conftest import AUDIO, REPO
from voicemail_coach.analysis.pipeline import analyze_script
from voicemail_coach.analysis.profile_loader import load_profile
from voicemail_coach.app.controller import Controller
from voicemail_coach.app.main_window import MainWindow
from voicemail_coach.app.pages.history_model import SCENARIO, TITLE
from voicemail_coach.app.pages.review_view import ReviewView
from voicemail_coach.app.settings import Settings
from voicemail_coach.storage.coaching import Coaching

SIZES = ((1180, 800), (1920, 1080))  # the window's default size, and full HD
SCRIPT = (
    "Hi Dana, this is Sam Rivera from Northwind Finance. We help companies like yours cut the "
    "time spent on month-end close by half. Give me a call back at 555 312 4477."
)
SCENARIOS = ("Cold call: accounting firms in the Midwest", "Follow-up after the pricing email")


@pytest.fixture(scope="module", params=SIZES, ids=lambda size: "x".join(map(str, size)))
def window(qapp, tmp_path_factory: pytest.TempPathFactory, request) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    """The window at 1180x800 or 1920x1080: takes with scenarios in a running role-play session,
    each scored on the rubric and commented, the last one on the feedback page. One window per
    size for the module (the tests below run in order: feedback page first, then the pages)."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        data = tmp_path_factory.mktemp("layout") / "data"
        monkeypatch.setenv("VOICEMAIL_COACH_DATA_DIR", str(data))
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
    win.resize(*request.param)
    win.show()
    shown: list[object] = []
    controller.feedback_ready.connect(shown.append)
    controller.show_attempt(ids[-1])
    deadline = time.monotonic() + 10
    while not (shown and win.review.isVisible()) and time.monotonic() < deadline:
        qapp.processEvents()
        time.sleep(0.01)
    assert shown and win.review.isVisible()
    assert (win.width(), win.height()) == request.param
    assert win.devicePixelRatio() == float(os.environ.get("QT_SCALE_FACTOR", "1"))
    yield win
    win.close()
    win.deleteLater()


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
    # Each row its two lines tall, none squeezed to a sliver to fit the list in its viewport.
    assert all(row.height() >= row.sizeHint().height() > 30 for row in card.rows)
    assert review.transcript.width() >= 0.4 * review.width()
    # With the coach panel open the checks stay in view, each with its title whole and some
    # of its figures, and the transcript keeps the most room.
    review.coach_toggle.setChecked(True)
    settle(qtbot)
    assert review.coach.isVisible()
    assert review.transcript.width() >= 0.4 * review.width()
    assert review.transcript.width() > max(card.width(), review.coach.width())
    assert card.visible_rows() >= 6
    bold = QFont(card.rows[0].head.font())
    bold.setBold(True)
    for row in card.rows:
        needed = QFontMetrics(bold).horizontalAdvance(row._title + "  ")
        assert row.head.width() >= needed + row.head.fontMetrics().horizontalAdvance("ideal 20-3")
    # Readable: lines of 40 characters or more, and at least five of them in view.
    metrics = review.transcript.fontMetrics()
    viewport = review.transcript.viewport()
    assert viewport.width() >= metrics.horizontalAdvance("n" * 40)
    assert viewport.height() >= 5 * metrics.lineSpacing()
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
    # On a wide window the room to spare is the scenario's, not the last column's.
    comments = table.columnCount() - 1
    assert table.horizontalHeaderItem(comments).text() == "Comments"
    assert header.sectionSize(comments) <= header.fontMetrics().horizontalAdvance("Comments") + 40


def test_compare_gives_a_taller_window_to_the_figures(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    pages = window.library_pages
    assert pages is not None
    window.nav["History"].trigger()
    ids = [a.id for a in pages.library.attempts()]
    pages.compare_attempts(ids[0], ids[1])
    settle(qtbot)
    compare = pages.compare
    assert compare.isVisible()
    # The transcripts keep a few lines (a voicemail is short); the rest is the figures'.
    figures, words = compare.split.sizes()
    lines = compare.transcript_a.fontMetrics().lineSpacing()
    assert 5 * lines <= words <= 260 and figures > 2 * words
    # Made taller (maximised), the window's new height goes to the figures.
    size = window.size()
    window.resize(size.width(), size.height() + 200)
    settle(qtbot)
    taller, same = compare.split.sizes()
    window.resize(size)
    settle(qtbot)
    assert same == words and taller >= figures + 190


def test_the_layout_holds_at_150_percent_scaling() -> None:
    """Every test above again, at both sizes, with the window drawn at 150 %."""
    env = dict(os.environ, QT_SCALE_FACTOR="1.5", QT_QPA_PLATFORM="offscreen")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", __file__, "-q", "-p", "no:cacheprovider",
         "-k", "not 150_percent"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert re.search(r"^10 passed", run.stdout, re.MULTILINE), run.stdout[-500:]
