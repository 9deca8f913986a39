"""Render the coaching screenshots into docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/coaching_screenshots.py

Writes scenario_practice.png (a take being recorded for a scenario card, from a fake microphone
playing tests/data/audio/good.flac in real time), profile_editor.png (a bad value refused at
its field, in the editor's words), profile_editor_wording.png (the call to action's phrases and
weights) and scenario_cards.png. Settings and data go to a temporary folder. About 15 s.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "screenshots"
SIZE = (1280, 860)
MAX_BYTES = 250_000

SANDBOX = Path(tempfile.mkdtemp(prefix="vmc-coaching-shots-"))
for _name in ("CONFIG", "DATA", "CACHE"):
    os.environ[f"VOICEMAIL_COACH_{_name}_DIR"] = str(SANDBOX / _name.lower())
if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(REPO))

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

import voicemail_coach.audio.devices  # noqa: E402
from tests import fakes  # noqa: E402
from voicemail_coach.analysis.scenarios import ScenarioStore  # noqa: E402
from voicemail_coach.app.controller import Controller  # noqa: E402
from voicemail_coach.app.dialogs.profile_editor import ProfileEditor  # noqa: E402
from voicemail_coach.app.dialogs.scenario_dialog import ScenarioDialog  # noqa: E402
from voicemail_coach.app.gui import apply_style  # noqa: E402
from voicemail_coach.app.main_window import MainWindow  # noqa: E402
from voicemail_coach.app.settings import Settings  # noqa: E402
from voicemail_coach.audio.io import load_audio  # noqa: E402
from voicemail_coach.storage.profile_store import ProfileStore  # noqa: E402


def save(widget: QWidget, name: str) -> bool:
    QApplication.processEvents()
    path = OUT / name
    widget.grab().save(str(path))
    size = path.stat().st_size
    print(f"{name}: {size // 1000} kB")
    return size <= MAX_BYTES


def main() -> int:
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName("Voicemail Coach")
    app.setStyle("Fusion")
    apply_style(app)
    fake_sd = fakes.fake_sounddevice_module([{"name": "USB Headset Microphone"}], [])
    voicemail_coach.audio.devices.load_sounddevice = lambda: fake_sd  # type: ignore[assignment]
    good = load_audio(REPO / "tests" / "data" / "audio" / "good.flac").samples

    def microphone(**kwargs: object) -> fakes.FakeInputStream:
        return fakes.FakeInputStream(good, realtime=True)(**kwargs)  # type: ignore[no-any-return]

    controller = Controller(Settings(greeting=False), microphone, fakes.FakeOutputStream())
    window = MainWindow(controller)
    window.resize(*SIZE)
    window.show()
    ok = []
    try:
        controller.set_scenario("logistics-guide-download")
        controller.toggle_recording()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            QApplication.processEvents()
            recorder = controller.recorder
            if recorder is not None and recorder.elapsed_s >= 9.0:
                break
            time.sleep(0.02)
        ok.append(save(window, "scenario_practice.png"))
        controller.timer.stop()

        editor = ProfileEditor(ProfileStore(), None)
        editor.resize(1020, 720)
        editor.show()
        editor.fields.numbers["pace.warn_over_wpm"].setValue(150)  # below the ideal's top
        editor.save_as_new()
        ok.append(save(editor, "profile_editor.png"))
        editor.fields.numbers["pace.warn_over_wpm"].setValue(175)
        editor.error.hide()
        editor.fields.setCurrentIndex(editor.fields._tab("Wording: call to action"))
        ok.append(save(editor, "profile_editor_wording.png"))
        editor.close()

        dialog = ScenarioDialog(ScenarioStore())
        dialog.resize(960, 600)
        dialog.show()
        dialog.refresh("school-district-new-it-director")
        ok.append(save(dialog, "scenario_cards.png"))
        dialog.close()
    finally:
        window.close()
        shutil.rmtree(SANDBOX, ignore_errors=True)
    return 0 if all(ok) else 1


if __name__ == "__main__":
    sys.exit(main())
