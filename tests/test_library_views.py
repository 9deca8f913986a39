"""History, progress and compare views over a real library of analyzed takes (offscreen Qt)."""

from __future__ import annotations

import dataclasses
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLineEdit

from tests.conftest import AUDIO
from voicemail_coach.analysis.report import Report
from voicemail_coach.app.deltas import MINUS, deltas
from voicemail_coach.app.pages.compare_view import CompareView
from voicemail_coach.app.pages.history_model import SCORE, TITLE, HistoryFilter, HistoryModel
from voicemail_coach.app.pages.history_view import HistoryView
from voicemail_coach.app.pages.progress_view import ProgressView
from voicemail_coach.storage.library import Library
from voicemail_coach.storage.records import Attempt

pytestmark = pytest.mark.model
NAMES = ("good", "bad", "fillers")


@pytest.fixture(scope="module")
def reports(analyzed) -> dict[str, Report]:  # type: ignore[no-untyped-def]
    """One analysis per recording (shared with other modules through ``analyzed``)."""
    return {name: analyzed(AUDIO / f"{name}.flac") for name in NAMES}


@pytest.fixture()
def library(tmp_path: Path, reports: dict[str, Report]) -> Iterator[Library]:
    lib = Library(tmp_path / "library")
    for name in NAMES:
        attempt = lib.add_file(AUDIO / f"{name}.flac")
        lib.add_report(attempt.id, reports[name])
    yield lib
    lib.close()


def by_title(library: Library) -> dict[str, Attempt]:
    return {a.title: a for a in library.attempts()}


def shown_titles(view: HistoryView) -> list[str]:
    proxy = view.proxy
    return [proxy.index(r, TITLE).data() for r in range(proxy.rowCount())]


@pytest.fixture()
def history(qtbot, library: Library) -> HistoryView:  # type: ignore[no-untyped-def]
    view = HistoryView(library)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    qtbot.waitExposed(view)
    return view


# history --------------------------------------------------------------------------------------


def test_history_shows_every_take_with_formatted_figures(history: HistoryView) -> None:
    assert sorted(shown_titles(history)) == sorted(NAMES)
    good = history.model.row_of(by_title(history.library)["good"].id)
    assert good is not None
    row = [history.model.index(good, c).data() for c in range(history.model.columnCount())]
    assert row[4] == "24.8 s"  # duration
    assert row[6] == "3.6 s"  # time to value (the "We" starts with its sound, 3.6 s)
    assert history.count.text() == "3 takes"


def test_clicking_the_score_header_sorts_numerically(qtbot, history: HistoryView) -> None:  # type: ignore[no-untyped-def]
    header = history.table.horizontalHeader()
    x = header.sectionViewportPosition(SCORE) + header.sectionSize(SCORE) // 2
    for _ in range(2):
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
        if header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder:
            break
    assert header.sortIndicatorSection() == SCORE
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert shown_titles(history)[0] == "bad"
    scores = [history.proxy.index(r, SCORE).data() for r in range(3)]
    assert [int(s) for s in scores] == sorted(int(s) for s in scores)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert shown_titles(history)[-1] == "bad"


@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_missing_values_sort_last_either_way(library: Library, order: Qt.SortOrder) -> None:
    attempts = library.attempts()
    unscored = dataclasses.replace(attempts[0], id=99, title="unscored", score=None)
    model = HistoryModel([*attempts, unscored])
    proxy = HistoryFilter()
    proxy.setSourceModel(model)
    proxy.sort(SCORE, order)
    assert proxy.index(proxy.rowCount() - 1, TITLE).data() == "unscored"
    assert proxy.index(proxy.rowCount() - 1, SCORE).data() == "\u2014"


def test_filters_by_text_scenario_and_tag(qtbot, history: HistoryView) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(history.search, "fillers")
    assert shown_titles(history) == ["fillers"]
    assert history.count.text() == "1 of 3 takes"
    history.search.clear()
    assert history.proxy.rowCount() == 3

    attempts = by_title(history.library)
    history.library.update(attempts["good"].id, scenario="Referral", tags=["warm"])
    history.library.update(attempts["bad"].id, tags=["Warm", "cold"])
    history.refresh()
    qtbot.keyClicks(history.search, "WARM")  # free text is case-insensitive, tags included
    assert sorted(shown_titles(history)) == ["bad", "good"]
    history.search.clear()
    history.scenario.setCurrentIndex(history.scenario.findData("Referral"))
    assert shown_titles(history) == ["good"]
    history.scenario.setCurrentIndex(0)
    history.tag.setCurrentIndex(history.tag.findData("cold"))
    assert shown_titles(history) == ["bad"]


def test_delete_asks_first_and_removes_the_audio(qtbot, history: HistoryView) -> None:  # type: ignore[no-untyped-def]
    bad = by_title(history.library)["bad"]
    audio = Path(bad.audio_path)
    assert audio.exists()
    asked: list[str] = []
    history.select_ids([bad.id])

    history.confirm = lambda text: asked.append(text) is not None  # says no
    assert history.delete_action.isEnabled()
    history.delete_action.trigger()
    assert len(asked) == 1 and "bad" in asked[0]
    assert history.proxy.rowCount() == 3
    assert audio.exists()

    history.confirm = lambda text: asked.append(text) is None  # says yes
    history.delete_action.trigger()
    assert len(asked) == 2
    assert sorted(shown_titles(history)) == ["fillers", "good"]
    assert not audio.exists()
    assert [a.id for a in history.library.attempts() if a.id == bad.id] == []


def test_rename_inline_and_tags_update_the_library(qtbot, history: HistoryView) -> None:  # type: ignore[no-untyped-def]
    good = by_title(history.library)["good"]
    history.select_ids([good.id])
    history.rename_action.trigger()
    editor = history.table.findChild(QLineEdit)
    assert editor is not None and editor.text() == "good"
    editor.selectAll()
    qtbot.keyClicks(editor, "Dana, second try")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits in a queued call
    qtbot.waitUntil(lambda: history.library.attempt(good.id).title == "Dana, second try")
    assert "Dana, second try" in shown_titles(history)
    assert history.selected_ids() == [good.id]

    history.ask_text = lambda title, label, initial: "warm,  referral, warm"
    history.tags_action.trigger()
    assert history.library.attempt(good.id).tags == ("warm", "referral")


def test_buttons_emit_their_requests(qtbot, history: HistoryView, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    t = by_title(history.library)
    history.select_ids([t["good"].id])
    assert not history.compare_action.isEnabled()
    with qtbot.waitSignal(history.open_requested) as opened:
        qtbot.mouseClick(history.buttons["Open"], Qt.MouseButton.LeftButton)
    assert opened.args == [t["good"].id]
    with qtbot.waitSignal(history.open_requested) as opened:
        qtbot.keyClick(history.table, Qt.Key.Key_Return)
    assert opened.args == [t["good"].id]
    with qtbot.waitSignal(history.reanalyze_requested) as again:
        history.reanalyze_action.trigger()
    assert again.args == [t["good"].id]
    with qtbot.waitSignal(history.export_requested) as exported:
        history.export_action.trigger()
    assert exported.args == [t["good"].id]

    history.select_ids([t["good"].id, t["bad"].id])
    assert history.compare_action.isEnabled() and not history.open_action.isEnabled()
    with qtbot.waitSignal(history.compare_requested) as compared:
        qtbot.mouseClick(history.buttons["Compare"], Qt.MouseButton.LeftButton)
    assert sorted(compared.args) == sorted([t["good"].id, t["bad"].id])

    csv = tmp_path / "history.csv"
    history.ask_save_path = lambda: str(csv)
    history.csv_action.trigger()
    assert "fillers" in csv.read_text(encoding="utf-8")


# compare --------------------------------------------------------------------------------------


def test_compare_shows_both_transcripts_and_key_figures(qtbot, library: Library) -> None:  # type: ignore[no-untyped-def]
    t = by_title(library)
    good, bad = t["good"], t["bad"]
    view = CompareView()
    qtbot.addWidget(view)
    view.resize(1200, 800)
    sides = [(a, library.latest_report(a.id)) for a in (good, bad)]
    assert all(s is not None for _, s in sides)
    view.set_attempts(sides[0], sides[1])  # type: ignore[arg-type]

    for transcript, side in ((view.transcript_a, sides[0]), (view.transcript_b, sides[1])):
        text = transcript.toPlainText()
        words = [w.text.strip(".,!?") for w in side[1].report.transcript.words]  # type: ignore[union-attr]
        assert words and all(w in text for w in words)
    assert "North Wind" in view.transcript_a.toPlainText()

    figures = {label: (a, b, better) for label, a, b, better in view.figures()}
    assert set(figures) >= {"Score", "Length", "Time to value", "Call to action"}
    rg, rb = sides[0][1].report, sides[1][1].report  # type: ignore[union-attr]
    assert figures["Score"] == (str(rg.score), str(rb.score), True)
    assert figures["Length"][0] == "24.8 s"
    assert figures["Time to value"][0] == "3.6 s"
    sheet = "\n".join(cell.text() for row in view.rows for cell in (row.label, *row.cells))
    assert "good" in sheet and "bad" in sheet and "24.8 s" in sheet
    assert len(view.rows) > len(rg.checks)  # a header, the figures, one row per check

    # A different verdict is marked in words and a symbol, not by a tint alone, and only there.
    from voicemail_coach.app.pages.compare_view import DIFFERS_BADGE

    status_b = {c.id: c.status for c in rb.checks}
    differing = {c.id for c in rg.checks if status_b.get(c.id) != c.status}
    assert differing  # good.flac and bad.flac disagree on several checks
    marked = [row for row in view.rows if DIFFERS_BADGE.replace(" ", "&nbsp;") in row.label.text()]
    assert len(marked) == len(differing) and all(row.differs for row in marked)
    unmarked = [row for row in view.rows if not row.differs]
    assert all(DIFFERS_BADGE.replace(" ", "&nbsp;") not in row.label.text() for row in unmarked)
    assert all(
        row.accessibleDescription() == "The two takes got different verdicts" for row in marked
    )
    assert any(DIFFERS_BADGE in row.cells[0].text() for row in view.rows if row.kind == "section")


# progress -------------------------------------------------------------------------------------


def test_progress_plots_every_scored_take_and_opens_on_click(qtbot, library: Library) -> None:  # type: ignore[no-untyped-def]
    view = ProgressView(library)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    qtbot.waitExposed(view)
    assert len(view.plots) == 5
    points = view.points("score")
    assert len(points) == 3
    oldest_first = sorted(library.attempts(), key=lambda a: (a.created_at, a.id))
    assert [(x, int(y), i) for x, y, i in points] == [
        (n + 1, a.score, a.id) for n, a in enumerate(oldest_first)
    ]

    x, y, attempt_id = points[1]
    plot = view.plots["score"]
    scene = plot.getPlotItem().vb.mapViewToScene(QPointF(x, y))
    where = plot.mapFromScene(scene)
    with qtbot.waitSignal(view.open_requested) as opened:
        qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert opened.args == [attempt_id]


def test_progress_follows_the_palette(qtbot, library: Library) -> None:  # type: ignore[no-untyped-def]
    view = ProgressView(library)
    qtbot.addWidget(view)
    assert view.plots == {}  # nothing drawn (pyqtgraph not even needed) until it is shown
    view.show()
    assert list(view.plots) == ["score", "length", "time_to_value", "wpm", "fillers"]
    dark = QPalette(view.palette())
    dark.setColor(QPalette.ColorRole.Base, QColor("#1f2023"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#e6e6e6"))
    view.setPalette(dark)
    plot = view.plots["score"]
    assert plot.backgroundBrush().color() == QColor("#1f2023")


# deltas ---------------------------------------------------------------------------------------


def test_deltas_against_the_last_take(library: Library) -> None:
    t = by_title(library)
    good, bad = t["good"], t["bad"]
    assert deltas(good, None) == []
    rows = {label: (text, better) for label, text, better in deltas(good, bad)}
    assert good.score is not None and bad.score is not None
    assert rows["Score"] == (f"+{good.score - bad.score} vs your last take", True)
    worse = {label: (text, better) for label, text, better in deltas(bad, good)}
    assert worse["Score"] == (f"{MINUS}{good.score - bad.score} vs your last take", False)

    prev = dataclasses.replace(good, duration_s=40.0, wpm=190.0, time_to_value_s=8.0,
                               fillers_per_min=4.0)  # fmt: skip
    now = dataclasses.replace(good, duration_s=25.0, wpm=200.0, time_to_value_s=5.5,
                              fillers_per_min=1.0, score=good.score)  # fmt: skip
    rows = {label: (text, better) for label, text, better in deltas(now, prev)}
    assert rows["Score"] == ("same as your last take", None)
    assert rows["Length"] == (f"{MINUS}15.0 s vs your last take", True)  # into the zone
    assert rows["Time to value"] == (f"{MINUS}2.5 s vs your last take", True)
    assert rows["Words per minute"] == ("+10 wpm vs your last take", False)  # further over 165
    assert rows["Fillers per minute"] == (f"{MINUS}3.0/min vs your last take", True)

    slow = dataclasses.replace(now, wpm=100.0)
    faster = dataclasses.replace(now, wpm=120.0)
    assert dict((lbl, b) for lbl, _, b in deltas(faster, slow))["Words per minute"] is True
    short = dataclasses.replace(now, duration_s=12.0)
    longer = dataclasses.replace(now, duration_s=33.0)
    assert (
        dict((lbl, b) for lbl, _, b in deltas(longer, short, length_zone=(20, 30)))["Length"]
        is True
    )  # 3 s over beats 8 s under
    lost = dataclasses.replace(now, time_to_value_s=None)
    assert dict((lbl, b) for lbl, _, b in deltas(lost, now))["Time to value"] is False
