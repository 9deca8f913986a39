"""The desktop app driven like a user, with fake audio hardware: record, open, cancel, fail."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent

from tests import fakes
from tests.conftest import AUDIO, damaged_model_copy
from voicemail_coach.analysis.profile import CHECK_IDS
from voicemail_coach.app.controller import Controller, Feedback
from voicemail_coach.app.main_window import MainWindow
from voicemail_coach.app.settings import Settings
from voicemail_coach.audio.io import load_audio

pytestmark = pytest.mark.model

GOOD = load_audio(AUDIO / "good.flac").samples


class Streams:
    """A fresh fake input stream for every take, all playing the same audio."""

    def __init__(self, samples: np.ndarray, **options: object) -> None:
        self.samples = samples
        self.options = options
        self.opened: list[fakes.FakeInputStream] = []

    def __call__(self, **kwargs: object) -> fakes.FakeInputStream:
        stream = fakes.FakeInputStream(self.samples, **self.options)  # type: ignore[arg-type]
        self.opened.append(stream)
        return stream(**kwargs)


@pytest.fixture()
def paced(monkeypatch: pytest.MonkeyPatch) -> None:
    # About 10x real time: fast, yet slow enough for the test to press Stop at the right moment.
    monkeypatch.setattr(fakes, "FAST_PACE_S", 0.01)


@pytest.fixture(scope="module")
def warm_holder():  # type: ignore[no-untyped-def]
    from voicemail_coach.app.controller import ModelHolder

    holder = ModelHolder(None, keep_fillers=True)
    holder.get()
    return holder


def make_window(qtbot, warm_holder, settings: Settings, inputs=None, outputs=None):  # type: ignore[no-untyped-def]
    controller = Controller(settings, inputs, outputs or fakes.FakeOutputStream())
    controller.models = warm_holder
    window = MainWindow(controller)
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture()
def closing() -> Iterator[list[MainWindow]]:
    windows: list[MainWindow] = []
    yield windows
    for w in windows:
        w.close()
        assert not w.controller.timer.isActive()
        assert w.controller.runner.pool.activeThreadCount() == 0


def wait_state(qtbot, window: MainWindow, state: str, timeout: int = 60_000) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.controller.state == state, timeout=timeout)


def test_record_stop_shows_timed_value_and_call_to_action(
    qtbot, warm_holder, paced, closing, no_dangling_threads
) -> None:  # type: ignore[no-untyped-def]
    streams = Streams(np.concatenate([GOOD, np.zeros(8000, np.float32)]))
    window = make_window(qtbot, warm_holder, Settings(greeting=False), streams)
    closing.append(window)
    assert window.practice.record.text() == "Record"
    qtbot.mouseClick(window.practice.record, Qt.MouseButton.LeftButton)
    wait_state(qtbot, window, "recording", 5000)
    assert window.practice.record.text() == "Stop"
    recorder = window.controller.recorder
    assert recorder is not None
    qtbot.waitUntil(lambda: recorder.elapsed_s >= 25.0, timeout=20_000)
    assert window.practice.elapsed.text().startswith("0:2")
    with qtbot.waitSignal(window.controller.feedback_ready, timeout=90_000) as blocker:
        qtbot.mouseClick(window.practice.record, Qt.MouseButton.LeftButton)
    feedback: Feedback = blocker.args[0]
    report = feedback.report
    assert window.pages.currentWidget() is window.review
    assert report.value_proposition.found
    assert report.value_proposition.start_s is not None and report.value_proposition.start_s < 10
    assert report.call_to_action.kind in ("follow_up", "email")
    # The feedback view shows them, with their times.
    rows = window.review.scorecard.rows
    assert len(rows) == len(CHECK_IDS)
    titles = " | ".join(r.check.id for r in rows)
    assert "value_proposition_timing" in titles
    html = window.review.transcript.toPlainText()
    assert "help them simplify" in html
    assert "score" in window.review.title.text()
    # The take was captured into the library and kept there as FLAC with its report.
    assert feedback.path.exists() and feedback.path.suffix == ".flac"
    assert feedback.attempt is not None and feedback.attempt.status == "ready"
    assert feedback.attempt.score == report.score
    assert abs(load_audio(feedback.path).duration_s - recorder.elapsed_s) < 0.7


def test_greeting_plays_then_recording_starts_at_the_beep(
    qtbot, warm_holder, paced, closing, no_dangling_threads
) -> None:  # type: ignore[no-untyped-def]
    from voicemail_coach.audio.greeting import greeting_and_beep

    outputs = fakes.FakeOutputStream()
    streams = Streams(GOOD)
    window = make_window(qtbot, warm_holder, Settings(greeting=True), streams, outputs)
    closing.append(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    qtbot.keyClick(window.pages, Qt.Key.Key_Space)
    assert window.controller.state == "greeting"
    assert "leave a message after the tone" in window.practice.hint.text()
    assert not streams.opened  # no recording during the greeting
    wait_state(qtbot, window, "recording", 30_000)
    greeting, _ = greeting_and_beep(16_000)
    played = outputs.played
    assert len(played) >= len(greeting) * 0.9
    np.testing.assert_allclose(
        played[: len(greeting) // 2], greeting[: len(greeting) // 2], atol=1e-6
    )
    recorder = window.controller.recorder
    assert recorder is not None
    qtbot.waitUntil(lambda: recorder.elapsed_s >= 5.0, timeout=10_000)
    with qtbot.waitSignal(window.controller.feedback_ready, timeout=60_000) as blocker:
        qtbot.keyClick(window.pages, Qt.Key.Key_Space)
    # Recording started at the beep: the take holds the caller's words, none of the greeting.
    text = blocker.args[0].report.transcript.text.lower()
    assert "sam rivera" in text
    assert "tone" not in text and "reached" not in text


def test_open_through_the_menu_action(qtbot, warm_holder, closing, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QFileDialog

    window = make_window(qtbot, warm_holder, Settings(greeting=False))
    closing.append(window)
    chosen = str(AUDIO / "bad.flac")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (chosen, ""))
    with qtbot.waitSignal(window.controller.feedback_ready, timeout=90_000) as blocker:
        window.open_action.trigger()
    report = blocker.args[0].report
    praise = [f.text for f in report.findings if f.category == "self_praise"]
    assert any("clients love" in p.lower() for p in praise)
    assert window.pages.currentWidget() is window.review
    assert "bad" in window.review.title.text()


def test_open_by_dropping_a_file(qtbot, warm_holder, closing) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, warm_holder, Settings(greeting=False))
    closing.append(window)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(AUDIO / "premature_ask.flac"))])
    event = QDropEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(window.controller.feedback_ready, timeout=90_000) as blocker:
        window.dropEvent(event)
    asks = " ".join(
        f.text.lower() for f in blocker.args[0].report.findings if f.category == "premature_ask"
    )
    assert "demo" in asks


def test_dropping_a_non_audio_file_is_ignored(qtbot, warm_holder, closing, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, warm_holder, Settings(greeting=False))
    closing.append(window)
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(notes))])
    assert (
        window._dropped_file(
            QDropEvent(
                QPoint(1, 1),
                Qt.DropAction.CopyAction,
                mime,
                Qt.MouseButton.LeftButton,
                Qt.KeyboardModifier.NoModifier,
            )
        )
        is None
    )


def test_bad_file_gives_a_message_and_the_app_stays_ready(
    qtbot, warm_holder, closing, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, warm_holder, Settings(greeting=False))
    closing.append(window)
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    window.open_path(str(empty))
    wait_state(qtbot, window, "ready", 10_000)
    assert window.banner.isVisible()
    assert "the file is empty (0 bytes)" in window.banner.text


def test_cancel_a_transcription_midway_leaves_the_app_ready(qtbot, warm_holder, closing) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, warm_holder, Settings(greeting=False))
    closing.append(window)
    progress: list[float] = []
    window.controller.progress.connect(progress.append)
    window.open_path(str(AUDIO / "too_long.flac"))
    assert window.pages.currentWidget() is window.analysing
    qtbot.waitUntil(lambda: any(0 < p < 1 for p in progress), timeout=60_000)
    qtbot.mouseClick(window.analysing.cancel, Qt.MouseButton.LeftButton)
    wait_state(qtbot, window, "ready", 30_000)
    assert window.controller.feedback is None
    assert "cancelled" in window.banner.text.lower()
    assert window.practice.record.isEnabled()
    # Ready for the next one.
    with qtbot.waitSignal(window.controller.feedback_ready, timeout=90_000):
        window.open_path(str(AUDIO / "pauses.flac"))


def test_cancel_during_a_long_transcription_gives_the_window_back_within_a_second(
    qtbot, warm_holder, closing, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A 3-minute take of real speech: Whisper decodes it 30 s at a time, and one window can
    take seconds on a busy machine. Cancel gives the window back at once; the job ends its
    window in the background, nothing of it shows up later, and a new analysis runs meanwhile."""
    import time

    from bench.bench_cancel import long_take
    from tests.conftest import REAL_AUDIO, real_audio

    real_audio("jfk.wav")  # skipped, saying why, without the real recordings
    long = long_take(tmp_path / "three-minutes.flac", folder=REAL_AUDIO)
    window = make_window(qtbot, warm_holder, Settings(greeting=False))
    closing.append(window)
    controller = window.controller
    progress: list[float] = []
    shown: list[Feedback] = []
    controller.progress.connect(progress.append)
    controller.feedback_ready.connect(shown.append)
    window.open_path(str(long))
    task = controller.analysis
    assert task is not None
    qtbot.waitUntil(lambda: any(0 < p < 1 for p in progress), timeout=120_000)
    qtbot.wait(700)  # well inside the decode of a window
    pressed = time.monotonic()
    qtbot.mouseClick(window.analysing.cancel, Qt.MouseButton.LeftButton)
    wait_state(qtbot, window, "ready", 1_000)
    ready_s = time.monotonic() - pressed
    assert ready_s <= 1.0, ready_s  # the limit; it takes a few milliseconds
    assert window.pages.currentWidget() is window.practice
    assert window.practice.record.isEnabled() and window.open_action.isEnabled()
    assert "cancelled" in window.banner.text.lower()
    progress.clear()
    # A new analysis starts at once, while the cancelled one may still end its window.
    window.ask_known = lambda attempt: "add"  # other tests may have opened it before
    with qtbot.waitSignal(controller.feedback_ready, timeout=120_000):
        window.open_path(str(AUDIO / "pauses.flac"))
    qtbot.waitUntil(task.worker_done.is_set, timeout=120_000)
    qtbot.wait(300)
    # Nothing of the cancelled job came later: one feedback, the new file's; its attempt
    # (saved before the transcription) has no report.
    assert [f.attempt.title for f in shown if f.attempt is not None] == ["pauses"]
    assert len(shown) == 1
    assert controller.feedback is shown[0]
    assert controller.state == "feedback"
    library = controller.library
    assert library is not None
    cancelled = [a for a in library.attempts() if a.title == "three-minutes"]
    assert len(cancelled) == 1 and library.reports(cancelled[0].id) == []


def test_no_microphone_message_and_opening_files_still_works(qtbot, warm_holder, closing) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, warm_holder, Settings(greeting=False), fakes.NoDeviceStream())
    closing.append(window)
    library = window.controller.library
    assert library is not None
    before = library.attempts()
    qtbot.mouseClick(window.practice.record, Qt.MouseButton.LeftButton)
    assert window.controller.state == "ready"
    assert "No microphone" in window.banner.text
    assert library.attempts() == before  # no half-made take left to "recover" later
    assert window.open_action.isEnabled()


def test_no_portaudio_disables_recording_with_a_clear_message(
    qtbot, warm_holder, closing, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import voicemail_coach.audio.devices as devices

    def missing() -> object:
        raise devices.AudioUnavailable(
            "No audio system: the PortAudio library is missing. On Debian/Ubuntu: sudo apt "
            "install libportaudio2. You can still open recordings."
        )

    monkeypatch.setattr(devices, "load_sounddevice", missing)
    window = make_window(qtbot, warm_holder, Settings(greeting=False))
    closing.append(window)
    assert not window.practice.record.isEnabled()
    assert not window.record_action.isEnabled()
    assert "PortAudio library is missing" in window.banner.text
    assert window.open_action.isEnabled()


def test_device_failing_mid_recording_keeps_the_audio_and_analyzes_it(
    qtbot, warm_holder, paced, closing
) -> None:  # type: ignore[no-untyped-def]
    streams = Streams(GOOD, fail_after_s=12.0)
    window = make_window(qtbot, warm_holder, Settings(greeting=False), streams)
    closing.append(window)
    with qtbot.waitSignal(window.controller.feedback_ready, timeout=90_000) as blocker:
        qtbot.mouseClick(window.practice.record, Qt.MouseButton.LeftButton)
    feedback = blocker.args[0]
    assert "microphone stopped" in window.banner.text
    assert feedback.path.exists()
    assert load_audio(feedback.path).duration_s == pytest.approx(11.7, abs=0.5)
    # What was said before the failure is in the transcript.
    assert "northwind" in feedback.report.transcript.text.lower().replace(" ", "")


def test_settings_are_remembered(qtbot, warm_holder, closing, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from voicemail_coach.app.settings import load_settings

    path = tmp_path / "settings.json"
    controller = Controller(
        Settings(greeting=True), None, fakes.FakeOutputStream(), settings_file=path
    )
    controller.models = warm_holder
    window = MainWindow(controller)
    qtbot.addWidget(window)
    closing.append(window)
    window.practice.greeting.setChecked(False)
    saved, problem = load_settings(path)
    assert problem is None and saved.greeting is False
    controller.apply_settings(replace(saved, input_device="VirtualMic", length_preset="short"))
    saved, _ = load_settings(path)
    assert saved.input_device == "VirtualMic" and saved.length_preset == "short"
    assert controller.preset.id == "short"


def test_microphone_picker_lists_inputs_and_remembers_the_choice(
    qtbot, warm_holder, closing, monkeypatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    import voicemail_coach.audio.devices as devices
    from voicemail_coach.app.settings import load_settings

    fake_sd = fakes.fake_sounddevice_module(
        [{"name": "Laptop Mic"}, {"name": "USB Headset"}], [{"name": "Speakers"}]
    )
    monkeypatch.setattr(devices, "load_sounddevice", lambda: fake_sd)
    path = tmp_path / "settings.json"
    controller = Controller(
        Settings(greeting=False), None, fakes.FakeOutputStream(), settings_file=path
    )
    controller.models = warm_holder
    window = MainWindow(controller)
    qtbot.addWidget(window)
    closing.append(window)
    picker = window.practice.device_picker
    names = [picker.itemText(i) for i in range(picker.count())]
    assert names == ["System default microphone", "Laptop Mic", "USB Headset"]
    picker.setCurrentIndex(2)
    picker.activated.emit(2)
    saved, _ = load_settings(path)
    assert saved.input_device == "USB Headset"
    # A new window (next start) shows the remembered microphone.
    again = MainWindow(Controller(saved, None, fakes.FakeOutputStream()))
    qtbot.addWidget(again)
    closing.append(again)
    assert again.practice.device_picker.currentText() == "USB Headset"


def test_closing_during_a_take_saves_it_and_stops_every_worker(
    qtbot, warm_holder, paced, no_dangling_threads
) -> None:  # type: ignore[no-untyped-def]
    streams = Streams(GOOD)
    window = make_window(qtbot, warm_holder, Settings(greeting=False), streams)
    qtbot.mouseClick(window.practice.record, Qt.MouseButton.LeftButton)
    recorder = window.controller.recorder
    assert recorder is not None
    qtbot.waitUntil(lambda: recorder.elapsed_s >= 6.0, timeout=20_000)
    window.close()
    assert window.controller.recorder is None
    assert window.controller.runner.pool.activeThreadCount() == 0
    assert not streams.opened[0].active
    from voicemail_coach.storage.library import Library

    with Library() as library:  # the app closed its own; reopen as the next start would
        kept = library.attempts()[0]
        assert library.interrupted() == []
    assert kept.status == "ready" and kept.audio_path.endswith(".flac")
    assert load_audio(kept.audio_path).duration_s >= 5.5


def test_closing_during_transcription_cancels_and_joins(qtbot, warm_holder) -> None:  # type: ignore[no-untyped-def]
    import time

    window = make_window(qtbot, warm_holder, Settings(greeting=False))
    progress: list[float] = []
    window.controller.progress.connect(progress.append)
    window.open_path(str(AUDIO / "too_long.flac"))
    qtbot.waitUntil(lambda: any(0 < p < 1 for p in progress), timeout=60_000)
    started = time.monotonic()
    window.close()
    assert time.monotonic() - started < 10
    assert window.controller.runner.pool.activeThreadCount() == 0
    assert window.controller.feedback is None


def test_a_damaged_custom_model_is_refused_with_what_it_heard(
    qtbot, closing, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    damaged = damaged_model_copy(tmp_path / "damaged-model")
    controller = Controller(
        Settings(greeting=False, model_dir=str(damaged)), None, fakes.FakeOutputStream()
    )
    window = MainWindow(controller)
    qtbot.addWidget(window)
    closing.append(window)
    with qtbot.waitSignal(controller.model_failed, timeout=60_000):
        controller.load_model()
    assert window.model_label.text() == "No speech model"
    assert window.banner.text.startswith(f"{damaged}: the model heard '")
    assert window.banner.text.endswith("so it was not used. Choose a model folder in Settings.")
