"""Between takes, driven like a rep with fake audio hardware: the ready state after feedback,
Esc on a greeting, and a greeting that names the scenario card's prospect."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

import voicemail_coach.audio.greeting
from tests import fakes
from tests.conftest import AUDIO
from voicemail_coach.app.controller import Controller, Feedback
from voicemail_coach.app.main_window import MainWindow
from voicemail_coach.app.settings import Settings
from voicemail_coach.audio.greeting import greeting_and_beep, practice_greeting
from voicemail_coach.audio.io import load_audio

GOOD = load_audio(AUDIO / "good.flac").samples
JESS = "construction-checklist-download"  # Jess Nolan, Ironbridge Construction


class Streams:
    """A fresh fake input stream for every take, all playing good.flac."""

    def __init__(self) -> None:
        self.opened: list[fakes.FakeInputStream] = []

    def __call__(self, **kwargs: object) -> fakes.FakeInputStream:
        stream = fakes.FakeInputStream(np.concatenate([GOOD, np.zeros(8000, np.float32)]))
        self.opened.append(stream)
        return stream(**kwargs)


class Rig:
    def __init__(self, qtbot, holder, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        self.qtbot, self.holder, self.tmp_path = qtbot, holder, tmp_path
        self.windows: list[MainWindow] = []
        self.streams = Streams()
        self.outputs = fakes.FakeOutputStream()

    def window(self, settings: Settings) -> MainWindow:
        controller = Controller(
            settings, self.streams, self.outputs, settings_file=self.tmp_path / "settings.json"
        )
        if self.holder is not None:
            controller.models = self.holder
        window = MainWindow(controller)
        self.qtbot.addWidget(window)
        window.show()
        window.activateWindow()
        self.qtbot.waitUntil(window.isActiveWindow, timeout=5000)
        self.windows.append(window)
        return window


@pytest.fixture()
def rig(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Rig]:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("VOICEMAIL_COACH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(fakes, "FAST_PACE_S", 0.01)  # about 10x real time
    made = Rig(qtbot, None, tmp_path)
    yield made
    for window in made.windows:
        window.close()
        assert not window.controller.timer.isActive()
        assert window.controller.runner.pool.activeThreadCount() == 0


def record_take(qtbot, window: MainWindow, seconds: float) -> Feedback:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window.pages, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.controller.state == "recording", timeout=30_000)
    recorder = window.controller.recorder
    assert recorder is not None
    qtbot.waitUntil(lambda: recorder.elapsed_s >= seconds, timeout=20_000)
    with qtbot.waitSignal(window.controller.feedback_ready, timeout=90_000) as blocker:
        qtbot.keyClick(window.pages, Qt.Key.Key_Space)
    feedback: Feedback = blocker.args[0]
    return feedback


def counters(window: MainWindow) -> tuple[str, float, float, list[str]]:
    p = window.practice
    cues = [c.text() for c in (p.cues.pace, p.cues.fillers, p.cues.value, p.cues.cta)]
    return p.elapsed.text(), p.target.elapsed_s, p.meter.level_db, cues


@pytest.mark.model
def test_new_take_from_feedback_shows_the_ready_screen_with_counters_at_zero(
    rig: Rig, qtbot, holder
) -> None:  # type: ignore[no-untyped-def]
    rig.holder = holder
    window = rig.window(Settings(greeting=False))
    practice, controller = window.practice, window.controller
    record_take(qtbot, window, 6.0)
    assert window.pages.currentWidget() is window.review
    # The take left its marks on the counters.
    elapsed, bar_s, level, cues = counters(window)
    assert elapsed in ("0:05", "0:06") and bar_s >= 5.0 and level > -60
    assert cues[1].startswith("Fillers")

    # Ctrl+R (was "Record again") does not start a take blind: the ready screen comes first.
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert controller.state == "ready"
    assert window.pages.currentWidget() is practice
    assert len(rig.streams.opened) == 1 and controller.recorder is None
    assert practice.record.hasFocus() and practice.record.text() == "Record"
    assert counters(window) == ("0:00", 0.0, -60.0, ["", "", "", ""])
    assert practice.zone.text() == "Target 20-30 s \u00b7 Standard"

    # The card, microphone, greeting and length are at hand: change the card.
    combo = practice.scenario.combo
    assert combo.isEnabled() and practice.device_picker.isVisible()
    assert practice.greeting.isEnabled() and practice.greeting.isVisible()
    combo.setCurrentIndex(combo.findData(JESS))
    combo.activated.emit(combo.currentIndex())
    assert controller.scenario is not None and controller.scenario.prospect == "Jess Nolan"
    assert "Jess Nolan" in practice.scenario.card.plain_text()
    # ... and the length.
    length = practice.length
    assert length.isEnabled() and length.currentText() == "Standard (20-30 s)"
    assert [length.itemText(i) for i in range(length.count())] == [
        "Standard (20-30 s)",
        "Short (8-15 s)",
        "Extended (25-40 s)",
    ]
    length.setCurrentIndex(length.findData("short"))
    length.activated.emit(length.currentIndex())
    assert controller.preset.id == "short" and controller.settings.length_preset == "short"
    assert practice.zone.text() == "Target 8-15 s \u00b7 Short"

    # The next take is practised for that card, at that length.
    feedback = record_take(qtbot, window, 4.0)
    assert feedback.report.scenario is not None and feedback.report.scenario.id == JESS
    assert feedback.report.profile.length_preset == "short"
    assert len(rig.streams.opened) == 2
    # The button and Esc lead back too; Esc on the ready screen does nothing more.
    qtbot.mouseClick(window.review.again, Qt.MouseButton.LeftButton)
    assert controller.state == "ready"
    record_take(qtbot, window, 3.0)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert controller.state == "ready" and window.pages.currentWidget() is practice
    assert counters(window)[0] == "0:00"
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert controller.state == "ready"


@pytest.mark.model
def test_a_greeting_after_a_take_shows_no_figures_of_that_take(rig: Rig, qtbot, holder) -> None:  # type: ignore[no-untyped-def]
    rig.holder = holder
    window = rig.window(Settings(greeting=False))
    record_take(qtbot, window, 5.0)
    assert counters(window)[0] in ("0:04", "0:05")
    window.controller.apply_settings(Settings(greeting=True))
    # Straight from the feedback to a take, as scripts/screenshots.py does.
    window.controller.toggle_recording()
    assert window.controller.state == "greeting"
    assert window.pages.currentWidget() is window.practice
    assert counters(window) == ("0:00", 0.0, -60.0, ["", "", "", ""])
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.controller.state == "ready"


def test_esc_cancels_a_greeting_and_the_take_it_leads_to(
    rig: Rig, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    window = rig.window(Settings(greeting=True))
    controller = window.controller
    library = controller.library
    assert library is not None
    # Esc while the greeting is still being made.
    qtbot.keyClick(window.pages, Qt.Key.Key_Space)
    assert controller.state == "greeting"
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert controller.state == "ready"
    qtbot.wait(300)
    assert controller.state == "ready" and controller.greeting_player is None
    assert not rig.outputs.streams

    # Esc while it plays (played at about 1.6x real time here).
    monkeypatch.setattr(fakes, "FAST_PACE_S", 0.02)
    qtbot.keyClick(window.pages, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: len(rig.outputs.played) > 16_000, timeout=10_000)
    assert "Recording starts at the beep" in window.practice.hint.text()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert controller.state == "ready" and controller.greeting_player is None
    assert rig.outputs.streams[0].closed
    assert window.practice.record.text() == "Record"
    qtbot.wait(500)
    assert controller.state == "ready"
    assert not rig.streams.opened, "no take was recorded"
    assert library.attempts() == [] and library.interrupted() == []


def test_the_greeting_names_the_cards_prospect(rig: Rig, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = rig.window(Settings(greeting=True, scenario_id=JESS))
    practice = window.practice
    assert "Jess Nolan at Ironbridge Construction" in practice.greeting_note.text()
    assert practice.greeting_note.isVisible()
    assert "espeak-ng" in practice.greeting_note.text()
    qtbot.keyClick(window.pages, Qt.Key.Key_Space)
    hint = practice.hint.text()
    assert "Hi, you've reached Jess Nolan at Ironbridge Construction." in hint
    assert "Dana Cole" not in hint
    qtbot.waitUntil(lambda: window.controller.state == "recording", timeout=30_000)
    expected = practice_greeting(16_000, "Jess Nolan", "Ironbridge Construction")
    assert expected.synthesized
    generic, _ = greeting_and_beep(16_000)
    played = rig.outputs.played
    half = len(expected.audio) // 2
    np.testing.assert_allclose(played[:half], expected.audio[:half], atol=1e-6)
    assert not np.allclose(played[: len(generic) // 2], generic[: len(generic) // 2], atol=1e-3)
    # (Closing the window keeps the take; it is not analyzed here.)


def test_without_espeak_ng_the_generic_greeting_plays_and_the_page_says_so(
    rig: Rig, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(voicemail_coach.audio.greeting.shutil, "which", lambda name: None)
    window = rig.window(Settings(greeting=True, scenario_id=JESS))
    practice = window.practice
    assert "generic greeting" in practice.greeting_note.text()
    practice.greeting.setChecked(False)  # no greeting: nothing said about it
    assert not practice.greeting_note.isVisible()
    practice.greeting.setChecked(True)
    assert "install espeak-ng" in practice.greeting_note.text()
    qtbot.keyClick(window.pages, Qt.Key.Key_Space)
    assert "Hi, you've reached Dana Cole at Northwind Logistics." in practice.hint.text()
    qtbot.waitUntil(lambda: window.controller.state == "recording", timeout=30_000)
    generic, _ = greeting_and_beep(16_000)
    half = len(generic) // 2
    np.testing.assert_allclose(rig.outputs.played[:half], generic[:half], atol=1e-6)


@pytest.mark.model
def test_the_synthesized_greeting_is_heard_as_the_cards_words(transcriber) -> None:  # type: ignore[no-untyped-def]
    greeting = practice_greeting(16_000, "Jess Nolan", "Ironbridge Construction")
    heard = transcriber.transcribe(greeting.audio).text.lower().replace(" ", "")
    # ("Nolan" comes out as "outland" on some kernels.)
    assert "jess" in heard and "ironbridgeconstruction" in heard and "dana" not in heard


@pytest.mark.model
def test_record_review_and_export_with_the_keyboard_alone(
    rig: Rig, qtbot, holder, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from voicemail_coach.app.widgets.check_row import CheckRow

    rig.holder = holder
    window = rig.window(Settings(greeting=False))
    controller = window.controller
    pages = window.library_pages
    assert pages is not None
    target = tmp_path / "take.html"
    pages.ask_save_path = lambda suggested: str(target)  # the system's file dialog
    window.practice.record.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.practice.record, timeout=5000)

    def press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier):  # type: ignore[no-untyped-def]
        focus = QApplication.focusWidget()
        assert focus is not None and focus.window() is window
        qtbot.keyClick(focus, key, modifier)

    # Record: Space starts and stops the take.
    press(Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: controller.state == "recording", timeout=10_000)
    recorder = controller.recorder
    assert recorder is not None
    qtbot.waitUntil(lambda: recorder.elapsed_s >= 12.0, timeout=20_000)
    with qtbot.waitSignal(controller.feedback_ready, timeout=90_000):
        press(Qt.Key.Key_Space)
    assert window.pages.currentWidget() is window.review

    # Review: Tab reaches a scorecard row; Space on it plays from its evidence (it does not
    # start a new take); Ctrl+P pauses.
    row = None
    qtbot.wait(50)  # the new rows are shown by the event loop
    for _ in range(80):
        press(Qt.Key.Key_Tab)
        focus = QApplication.focusWidget()
        if isinstance(focus, CheckRow) and focus.seek_time and focus.seek_time > 1.0:
            row = focus
            break
    assert row is not None, "Tab never reached a scorecard row with evidence"
    # Tab gets past the transcript at once (not word by word).
    window.review.transcript.setFocus()
    press(Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not window.review.transcript
    row.setFocus()
    positions: list[float] = []
    controller.playback.connect(lambda position, _playing: positions.append(position))
    press(Qt.Key.Key_Space)
    assert controller.state == "feedback"
    assert positions and positions[-1] == pytest.approx(row.seek_time, abs=0.05)
    press(Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert controller.player is not None
    qtbot.waitUntil(
        lambda: controller.player is not None and controller.player.playing, timeout=3000
    )
    press(Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert not controller.player.playing

    # Export: Ctrl+E writes the report; the banner's Open button is reachable.
    press(Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert target.exists() and "Sam Rivera" in target.read_text(encoding="utf-8")
    assert window.banner.text == f"Report saved to {target}"
    assert window.banner.open_button.focusPolicy() & Qt.FocusPolicy.TabFocus

    # And Esc: ready for the next take, Record in focus.
    press(Qt.Key.Key_Escape)
    assert controller.state == "ready"
    assert QApplication.focusWidget() is window.practice.record
