"""The coach's widgets on their own: comments, rubric, participants, timeline markers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from tests.conftest import AUDIO
from voicemail_coach.analysis.pipeline import analyze_script
from voicemail_coach.analysis.profile import RubricCriterion
from voicemail_coach.analysis.profile_loader import load_profile
from voicemail_coach.app.widgets.comments_panel import CommentsPanel
from voicemail_coach.app.widgets.participants import ParticipantsEditor
from voicemail_coach.app.widgets.rubric_panel import RubricPanel
from voicemail_coach.app.widgets.timeline import Timeline
from voicemail_coach.storage.coaching import Coaching
from voicemail_coach.storage.library import Library

PROFILE = load_profile()


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Coaching]:
    library = Library(tmp_path / "library")
    yield Coaching(library)
    library.close()


@pytest.fixture()
def attempt_id(store: Coaching) -> int:
    """good.flac, 24.8 s long."""
    return store.library.add_file(AUDIO / "good.flac").id


def messages(widget: CommentsPanel | RubricPanel | ParticipantsEditor) -> list[tuple[str, str]]:
    said: list[tuple[str, str]] = []
    widget.message.connect(lambda level, text: said.append((level, text)))
    return said


def test_comments_are_added_edited_and_deleted(qtbot, store: Coaching, attempt_id: int) -> None:  # type: ignore[no-untyped-def]
    panel = CommentsPanel()
    qtbot.addWidget(panel)
    said = messages(panel)
    markers: list[list[tuple[float, str]]] = []
    panel.comments_changed.connect(markers.append)
    panel.set_attempt(store, attempt_id, "Dana")
    panel.begin_comment(40.0)  # past the end of a 24.8 s take
    qtbot.keyClicks(panel.editor, "Too late")
    qtbot.keyClick(panel.editor, Qt.Key.Key_Return)
    assert said and "past the end of the take" in said[-1][1]
    assert panel.editor.text() == "Too late"  # kept, to fix and try again
    qtbot.keyClick(panel.editor, Qt.Key.Key_Escape)
    assert panel.editor.text() == ""

    panel.begin_comment(12.5)
    qtbot.keyClicks(panel.editor, "Breathe before the number")
    qtbot.mouseClick(panel.add, Qt.MouseButton.LeftButton)
    assert markers[-1] == [(12.5, "Breathe before the number")]

    panel.list.setCurrentRow(0)
    qtbot.mouseClick(panel.edit, Qt.MouseButton.LeftButton)
    assert panel.add.text() == "Save" and panel.when.text() == "0:12"
    panel.editor.setText("Breathe, then say the number slowly")
    qtbot.keyClick(panel.editor, Qt.Key.Key_Return)
    (comment,) = store.comments(attempt_id)
    assert (comment.at_s, comment.text, comment.author) == (
        12.5,
        "Breathe, then say the number slowly",
        "Dana",
    )
    seeks: list[float] = []
    panel.seek_requested.connect(seeks.append)
    item = panel.list.item(0)
    rect = panel.list.visualItemRect(item)
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert seeks == [12.5]
    qtbot.mouseClick(panel.delete, Qt.MouseButton.LeftButton)
    assert store.comments(attempt_id) == [] and markers[-1] == []
    assert not panel.hint.isHidden()


def test_rubric_rows_follow_the_scale_and_a_refused_score_is_undone(
    qtbot, store: Coaching, attempt_id: int
) -> None:  # type: ignore[no-untyped-def]
    panel = RubricPanel()
    qtbot.addWidget(panel)
    said = messages(panel)
    rubric = (*PROFILE.rubric[:2], RubricCriterion("tone", "Tone", "Warm, not pushy.", 0, 3))
    panel.set_attempt(store, attempt_id, rubric, "Team")
    tone = panel.rows["tone"]
    assert [b.text() for b in tone.group.buttons()] == ["\u2013", "0", "1", "2", "3"]
    qtbot.mouseClick(tone.button(0), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.rows["opening"].button(5), Qt.MouseButton.LeftButton)
    assert panel.total_text() == "5/8 (2 of 3 scored)"
    assert store.scores(attempt_id)["tone"].score == 0
    # Shown again from the library, scores and total come back.
    again = RubricPanel()
    qtbot.addWidget(again)
    again.set_attempt(store, attempt_id, rubric, "Team")
    assert again.rows["tone"].score() == 0 and again.rows["relevance"].score() is None
    assert again.total.text().endswith("5/8 (2 of 3 scored)")
    store.library.close()  # the library goes away: the click is undone and said
    qtbot.mouseClick(panel.rows["relevance"].button(2), Qt.MouseButton.LeftButton)
    assert said and "closed" in said[-1][1]
    assert panel.rows["relevance"].score() is None


def test_a_profile_without_a_rubric_says_how_to_add_one(qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = RubricPanel()
    qtbot.addWidget(panel)
    panel.set_attempt(None, None, (), "Bare")
    assert not panel.empty.isHidden() and "[[rubric]]" in panel.empty.text()


def test_participants_editor(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = ParticipantsEditor()
    qtbot.addWidget(editor)
    said = messages(editor)
    changes: list[list[str]] = []
    renames: list[tuple[str, str]] = []
    editor.changed.connect(changes.append)
    editor.renamed.connect(lambda old, new: renames.append((old, new)))
    editor.set_names(["Ann", "Ben"])
    qtbot.keyClicks(editor.new, "  ann ")
    qtbot.keyClick(editor.new, Qt.Key.Key_Return)
    assert changes == [] and said == [("warning", "ann is in the session already.")]
    editor.new.setText("Cy")
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert changes == [["Ann", "Ben", "Cy"]]
    editor.list.setCurrentRow(0)
    assert not editor.earlier.isEnabled() and editor.later.isEnabled()
    qtbot.mouseClick(editor.later, Qt.MouseButton.LeftButton)
    assert changes[-1] == ["Ben", "Ann"]
    editor.list.item(1).setText("Benjamin")
    assert renames == [("Ben", "Benjamin")]
    editor.mark("Ann")
    assert editor.list.item(0).font().bold() and not editor.list.item(1).font().bold()


def test_timeline_comment_markers_and_double_click(qtbot) -> None:  # type: ignore[no-untyped-def]
    report = analyze_script(
        "Hi Sam, this is Alex. We cut onboarding in half. Call me back.", PROFILE
    )
    timeline = Timeline()
    qtbot.addWidget(timeline)
    timeline.resize(800, 170)
    timeline.set_data(None, 16_000, report)
    timeline.set_comments([(2.0, "Good start"), (4.0, "Slow down")])
    asked: list[float] = []
    timeline.comment_requested.connect(asked.append)
    x = timeline.time_to_x(3.0)
    qtbot.mouseDClick(timeline, Qt.MouseButton.LeftButton, pos=QPoint(round(x), 80))
    assert asked == []  # a take outside the library cannot be commented on
    timeline.comments_enabled = True
    qtbot.mouseDClick(timeline, Qt.MouseButton.LeftButton, pos=QPoint(round(x), 80))
    assert asked == [pytest.approx(3.0, abs=timeline.seconds_per_pixel())]
    timeline.set_position(5.5)
    qtbot.keyClick(timeline, Qt.Key.Key_C)
    assert asked[-1] == 5.5
    wave_top = timeline._lanes()[1].top()
    assert timeline.comment_at(timeline.time_to_x(4.0) + 3, wave_top + 4) == 1
    assert timeline.comment_at(timeline.time_to_x(3.0), wave_top + 4) is None
    assert timeline.comment_at(timeline.time_to_x(4.0), timeline.height() - 5) is None
