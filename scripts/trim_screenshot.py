"""The feedback page for a recording of a real call (ringing, the prospect's greeting, the beep,
then the message): what was trimmed, whom the greeting named, the lead greyed on the timeline.

    xvfb-run -a .venv/bin/python scripts/trim_screenshot.py --size 1180x800

Writes docs/screenshots/feedback_trimmed.png (``--out`` elsewhere). The recording is built in a
temporary folder: two bursts of ringback, the bundled greeting ("Hi, you've reached Dana Cole at
Northwind Logistics ...") and its beep, then tests/data/audio/good.flac; analyzed against the
Dana Cole scenario card with the bundled speech model. The helpers are scripts/screenshots.py's.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
import screenshots as shots
import soundfile
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from voicemail_coach.app.controller import Controller
from voicemail_coach.app.gui import apply_style
from voicemail_coach.app.main_window import MainWindow
from voicemail_coach.app.settings import Settings
from voicemail_coach.audio.greeting import greeting_and_beep

SR = 16_000


def call_recording() -> Path:
    t = np.arange(2 * SR) / SR
    ring = 0.1 * (np.sin(2 * np.pi * 440 * t) + np.sin(2 * np.pi * 480 * t))
    gap = np.zeros(4 * SR)
    greeting, _ = greeting_and_beep(SR)
    message = shots.load_audio(shots.AUDIO / "good.flac").samples
    samples = np.concatenate([ring, gap, ring, gap[: 2 * SR], greeting, message])
    path = shots.SANDBOX / "call_to_dana_cole.wav"
    soundfile.write(path, samples.astype(np.float32), SR, subtype="PCM_16")
    return path


def main() -> int:
    shots.OUT.mkdir(parents=True, exist_ok=True)
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName("Voicemail Coach")
    app.setStyle("Fusion")
    apply_style(app)
    settings = Settings(greeting=False, scenario_id="logistics-guide-download")
    controller = Controller(settings, None, shots.fakes.FakeOutputStream(), settings_file=None)
    window = MainWindow(controller)
    window.resize(*shots.SIZE)
    window.show()
    models: list[str] = []
    controller.model_ready.connect(models.append)
    controller.load_model()
    try:
        shots.wait_until(lambda: bool(models), 120, "the speech model")
        shots.open_and_wait(window, call_recording())
        ok = shots.save(window, "feedback_trimmed.png")
        shots.settle(1.0)
    finally:
        window.close()
        shots.shutil.rmtree(shots.SANDBOX, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
