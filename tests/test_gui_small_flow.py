"""Small things of the daily flow, without the speech model: where file dialogs start, a file
opened twice, readable microphone names, Settings' two length-named drop-downs, and the banner
of a saved file."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QFormLayout, QLabel

import voicemail_coach.audio.devices as devices
from tests import fakes
from tests.conftest import AUDIO
from voicemail_coach.analysis.pipeline import analyze_script
from voicemail_coach.analysis.profile_loader import load_profile
from voicemail_coach.app.controller import Controller
from voicemail_coach.app.dialogs import file_dialogs
from voicemail_coach.app.dialogs.settings_dialog import SettingsDialog
from voicemail_coach.app.main_window import MainWindow
from voicemail_coach.app.settings import Settings, load_settings
from voicemail_coach.audio.devices import Device, device_choices

SCRIPT = (
    "Hi Dana, this is Sam Rivera from Northwind Finance. We help companies like yours cut the "
    "time spent on month-end close by half. Give me a call back at 555 312 4477."
)


@pytest.fixture()
def start(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator:  # type: ignore[no-untyped-def]
    """Start the app (again) on one data folder and settings file."""
    monkeypatch.setenv("VOICEMAIL_COACH_DATA_DIR", str(tmp_path / "data"))
    windows: list[MainWindow] = []

    def make(settings: Settings | None = None) -> MainWindow:
        if settings is None:
            settings, _ = load_settings(tmp_path / "settings.json")
        controller = Controller(
            settings, None, fakes.FakeOutputStream(), tmp_path / "settings.json"
        )
        window = MainWindow(controller)
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()


def test_file_dialogs_start_in_documents_then_in_the_last_folder_used(
    start, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    opened_in: list[str] = []

    def cancel_open(parent, title, folder, filters):  # type: ignore[no-untyped-def]
        opened_in.append(folder)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", cancel_open)
    window = start(Settings(greeting=False))
    window.open_action.trigger()
    documents = file_dialogs.documents_folder()
    assert opened_in == [str(documents)]
    assert Path(opened_in[0]) != Path.cwd()

    # Export the history as CSV into another folder: the next dialogs start there.
    exports = tmp_path / "exports"
    exports.mkdir()
    suggested: list[str] = []

    def save(parent, title, target, filters):  # type: ignore[no-untyped-def]
        suggested.append(target)
        return str(exports / "history.csv"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save)
    pages = window.library_pages
    assert pages is not None
    pages.history.export_csv()
    assert suggested == [str(documents / "voicemail-history.csv")]
    assert (exports / "history.csv").exists()
    window.open_action.trigger()
    assert opened_in[-1] == str(exports)
    # Remembered for the next start.
    window.close()
    again = start()
    assert again.controller.settings.last_folder == str(exports)
    again.open_action.trigger()
    assert opened_in[-1] == str(exports)
    # A folder that has gone: back to the documents folder.
    shutil.rmtree(exports)
    again.open_action.trigger()
    assert opened_in[-1] == str(documents)


def test_opening_a_file_already_in_the_history_offers_the_attempt(
    start, qtbot, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window = start(Settings(greeting=False))
    controller = window.controller
    library = controller.library
    assert library is not None
    recording = tmp_path / "monday.flac"
    shutil.copy(AUDIO / "good.flac", recording)
    os.utime(recording, (time.time() - 60, time.time() - 60))
    known = library.add_file(recording)
    library.add_report(known.id, analyze_script(SCRIPT, load_profile()))
    asked: list[str] = []
    analyzed: list[str] = []
    controller.analyze = lambda path: analyzed.append(str(path))  # type: ignore[method-assign,assignment,return-value]

    def answer(reply: str):  # type: ignore[no-untyped-def]
        def ask(attempt):  # type: ignore[no-untyped-def]
            asked.append(attempt.title)
            return reply

        return ask

    window.ask_known = answer("cancel")
    window.open_path(str(recording))
    assert asked == ["monday"] and analyzed == [] and controller.state == "ready"

    window.ask_known = answer("show")
    with qtbot.waitSignal(controller.feedback_ready, timeout=10_000) as blocker:
        window.open_path(str(recording))
    assert blocker.args[0].attempt.id == known.id
    assert window.pages.currentWidget() is window.review
    assert [a.id for a in library.attempts()] == [known.id]  # no duplicate

    window.ask_known = answer("add")
    window.open_path(str(recording))
    assert analyzed == [str(recording)]

    # The same name, but changed since it was added: another recording, not asked about.
    asked.clear()
    os.utime(recording, (time.time() + 60, time.time() + 60))
    window.open_path(str(recording))
    assert asked == [] and analyzed == [str(recording)] * 2
    assert controller.known_attempt(AUDIO / "good.flac") is None


def test_microphones_are_listed_by_readable_names(start, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    fake_sd = fakes.fake_sounddevice_module(
        [
            {"name": "default"},
            {"name": "pulse"},
            {"name": "sysdefault"},
            {"name": "HDA Intel PCH: ALC3246 Analog (hw:0,0)"},
            {"name": "USB Headset"},
        ],
        [{"name": "default"}, {"name": "pulse"}],
    )
    monkeypatch.setattr(devices, "load_sounddevice", lambda: fake_sd)
    window = start(Settings(greeting=False))
    picker = window.practice.device_picker
    shown = [(picker.itemText(i), picker.itemData(i)) for i in range(picker.count())]
    assert shown == [
        ("System default microphone", None),
        ("PulseAudio (the system's sound settings)", "pulse"),
        ("HDA Intel PCH: ALC3246 Analog", "HDA Intel PCH: ALC3246 Analog (hw:0,0)"),
        ("USB Headset", "USB Headset"),
    ]
    picker.activated.emit(2)
    assert window.controller.settings.input_device == "HDA Intel PCH: ALC3246 Analog (hw:0,0)"
    dialog = SettingsDialog(window.controller.settings, window)
    outputs = [dialog.output.itemText(i) for i in range(dialog.output.count())]
    assert outputs == ["System default", "PulseAudio (the system's sound settings)"]
    assert dialog.input.currentText() == "HDA Intel PCH: ALC3246 Analog"
    dialog.close()


def test_device_choices_keep_a_chosen_alias_and_full_names_that_would_read_alike() -> None:
    def dev(name: str) -> Device:
        return Device(0, name, "ALSA", 2, 0, 48000.0)

    twins = [dev("USB Mic (hw:1,0)"), dev("USB Mic (hw:2,0)"), dev("default")]
    assert device_choices(twins) == [
        ("USB Mic (hw:1,0)", "USB Mic (hw:1,0)"),
        ("USB Mic (hw:2,0)", "USB Mic (hw:2,0)"),
    ]
    assert device_choices(twins, chosen="default")[-1] == ("default", "default")


def test_settings_tells_the_profile_and_the_length_apart(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    # Both read "Standard (20-30 s)" by default: the built-in profile is named after its length.
    assert dialog.fields.known.currentText() == dialog.preset.currentText() == "Standard (20-30 s)"
    form = dialog.findChild(QFormLayout)
    assert form is not None

    def label_of(widget) -> str:  # type: ignore[no-untyped-def]
        label = form.labelForField(widget)
        assert isinstance(label, QLabel)
        return label.text()

    assert label_of(dialog.fields.known) == "Guidance profile (what is checked)"
    assert label_of(dialog.preset) == "Target length (in that profile)"
    assert dialog.fields.known.accessibleName() != dialog.preset.accessibleName()


def test_report_saved_banner_stays_on_its_page_and_opens_the_file(
    start, qtbot, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window = start(Settings(greeting=False))
    library = window.controller.library
    pages = window.library_pages
    assert library is not None and pages is not None
    attempt = library.add_file(AUDIO / "good.flac")
    library.add_report(attempt.id, analyze_script(SCRIPT, load_profile()))
    with qtbot.waitSignal(window.controller.feedback_ready, timeout=10_000):
        window.controller.show_attempt(attempt.id)
    target = tmp_path / "good-report.html"
    pages.ask_save_path = lambda suggested: str(target)
    opened: list[Path] = []
    window.banner.open_file = opened.append
    window.export_action.trigger()
    assert target.exists()
    banner = window.banner
    assert banner.isVisible() and banner.text == f"Report saved to {target}"
    assert banner.open_button.isVisible()
    qtbot.mouseClick(banner.open_button, Qt.MouseButton.LeftButton)
    assert opened == [target]
    window.nav["History"].trigger()
    assert not banner.isVisible()
    # A message that is not about a saved file has no Open button and stays across pages.
    banner.show_message("warning", "Something to know")
    assert not banner.open_button.isVisibleTo(banner)
    window.nav["Progress"].trigger()
    assert banner.isVisible()
