"""Rewrite and record again in the window: feedback -> Rewrite -> Record with this script ->
the teleprompter follows the take -> the feedback shows how the take followed the script. Also
the teleprompter's timing model (no wall clock)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from tests.conftest import AUDIO
from tests.test_gui_flow import Streams, make_window
from voicemail_coach.analysis.draft import estimate_s
from voicemail_coach.app.settings import Settings
from voicemail_coach.app.teleprompter_timing import TeleprompterTiming
from voicemail_coach.app.widgets.teleprompter import Teleprompter
from voicemail_coach.audio.io import load_audio

PARTS = [
    "Hi Dana, this is Sam Rivera from Northwind Finance.",
    "We help logistics teams cut the time they spend chasing invoices in half.",
    "Give me a call back at 555-312-4477.",
    "And if the timing's wrong, just tell me and I won't follow up.",
]


@pytest.mark.parametrize("wpm", [120.0, 150.0, 165.0])
def test_the_teleprompter_scrolls_at_the_pace_asked(wpm: float) -> None:
    timing = TeleprompterTiming(PARTS, wpm)
    text = " ".join(PARTS)
    # It takes exactly as long as the draft's estimated length at that pace...
    assert timing.duration_s == pytest.approx(estimate_s(text, wpm))
    # ...every word is due when the script timing says, and is highlighted then.
    for i, cue in enumerate(timing.cues):
        assert text[cue.first_char : cue.last_char] == cue.text
        assert timing.index_at(cue.start_s) == i
    # A word's time scales with 1/wpm: at twice the pace, half as long.
    double = TeleprompterTiming(PARTS, wpm * 2)
    for slow, fast in zip(timing.cues, double.cues, strict=True):
        assert fast.end_s - fast.start_s == pytest.approx((slow.end_s - slow.start_s) / 2, abs=2e-3)
    # The position moves forward steadily, and the parts follow each other.
    positions = [timing.char_at(t / 10) for t in range(int(timing.duration_s * 10) + 2)]
    assert positions == sorted(positions) and positions[-1] == len(text)
    assert [timing.part_at(c.start_s) for c in timing.cues][-1] == 3
    assert timing.part_at(timing.cues[0].start_s) == 0


def test_the_teleprompter_highlights_the_word_due_and_switches_to_bullets(qtbot) -> None:  # type: ignore[no-untyped-def]
    prompter = Teleprompter()
    qtbot.addWidget(prompter)
    prompter.resize(900, 220)
    prompter.show()
    prompter.set_script(PARTS, [f"Point {i}" for i in range(4)], 150.0)
    assert "150 wpm" in prompter.heading.text()
    cue = prompter.timing.cues[12]  # type: ignore[union-attr]
    prompter.set_elapsed(cue.start_s + 0.01)
    html = prompter.view.toHtml()
    assert "underline" in html and cue.text.strip(".,") in html
    start = prompter.view.verticalScrollBar().value()
    prompter.set_elapsed(prompter.timing.duration_s)  # type: ignore[union-attr]
    assert prompter.view.verticalScrollBar().value() >= start
    prompter.bullet_toggle.click()
    assert prompter.view.toPlainText().splitlines()[-1].strip() == "Point 3"
    assert "font-weight:600" in prompter.view.toHtml()


@pytest.mark.model
def test_feedback_rewrite_record_with_script_shows_the_teleprompter_then_adherence(
    qtbot, holder, no_dangling_threads
) -> None:  # type: ignore[no-untyped-def]
    good = load_audio(AUDIO / "good.flac").samples
    streams = Streams(np.concatenate([good, np.zeros(8000, np.float32)]), realtime=False)
    window = make_window(qtbot, holder, Settings(greeting=False), streams)
    c = window.controller
    try:
        with qtbot.waitSignal(c.feedback_ready, timeout=90_000):
            c.analyze(AUDIO / "bad.flac")
        rewrite = window.rewrite
        assert rewrite.button.isVisible() and rewrite.button.text() == "Rewrite"
        qtbot.mouseClick(rewrite.button, Qt.MouseButton.LeftButton)
        assert window.pages.currentWidget() is rewrite.view
        qtbot.waitUntil(lambda: rewrite.view.draft is not None, timeout=30_000)
        draft = rewrite.view.draft
        assert draft is not None
        script = rewrite.view.script.toPlainText()
        assert "555-312-4477" in script and "superior" not in script
        assert "truly superior" in rewrite.view.original.toPlainText()
        changes = rewrite.view.changes.toPlainText()
        assert "Self-praise" in changes or "self praise" in changes.lower()
        assert "Dropped" in changes and "Added" in changes
        assert f"{draft.estimated_s:.0f} s" in rewrite.view.summary.text()

        qtbot.mouseClick(rewrite.view.record_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: c.state == "recording", timeout=5000)
        assert rewrite.teleprompter.isVisible()
        assert window.pages.currentWidget() is window.practice
        assert rewrite.teleprompter.timing is not None
        assert rewrite.teleprompter.timing.text == draft.text
        qtbot.waitUntil(lambda: rewrite.teleprompter.elapsed_s >= 5.0, timeout=30_000)
        timing = rewrite.teleprompter.timing
        assert timing.index_at(rewrite.teleprompter.elapsed_s) > 5

        recorder = c.recorder
        assert recorder is not None
        qtbot.waitUntil(lambda: recorder.elapsed_s >= 25.0, timeout=30_000)
        with qtbot.waitSignal(c.feedback_ready, timeout=90_000):
            c.toggle_recording()
        assert not rewrite.teleprompter.isVisible()
        panel = rewrite.adherence
        assert panel.isVisible() and panel.result is not None
        # good.flac is not the draft: its intro matches, the rest is skipped or added.
        statuses = [s.status for s in panel.result.sentences]
        assert panel.result.sentences[0].text == draft.parts[0].text
        assert "skipped" in statuses
        assert panel.result.added_count > 10
        assert "skipped" in panel.heading.text()
    finally:
        window.close()
