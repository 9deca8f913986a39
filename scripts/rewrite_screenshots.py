"""Render the Rewrite page and the teleprompter take into docs/screenshots/ at 1180x800.

    xvfb-run -a env PYTHONPATH=. .venv/bin/python scripts/rewrite_screenshots.py [--out DIR]

Opens tests/data/audio/bad.flac in the real window (the bundled model transcribes it), presses
Rewrite and writes rewrite.png; fills in the draft's placeholders in its editor, presses "Record
with this script" with a fake microphone playing, in real time, the edited script as espeak-ng
says it (one sentence skipped, a few words added) and writes teleprompter.png 9 s in and
teleprompter_bullets.png with the bullet points on; stops, and writes adherence.png (the feedback
with how the take followed the script). Settings and takes go to a temporary folder. About 1 min.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SIZE = (1180, 800)
SANDBOX = Path(tempfile.mkdtemp(prefix="vmc-rewrite-shots-"))
for _name in ("CONFIG", "DATA", "CACHE"):
    os.environ[f"VOICEMAIL_COACH_{_name}_DIR"] = str(SANDBOX / _name.lower())
if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

import voicemail_coach.audio.devices  # noqa: E402
from tests import fakes  # noqa: E402
from voicemail_coach.app.controller import Controller  # noqa: E402
from voicemail_coach.app.gui import apply_style  # noqa: E402
from voicemail_coach.app.main_window import MainWindow  # noqa: E402
from voicemail_coach.app.settings import Settings  # noqa: E402
from voicemail_coach.audio.io import load_audio  # noqa: E402

AUDIO = REPO / "tests" / "data" / "audio"


FILLED = {
    "[what just changed at your company]": "your team is hiring two more bookkeepers",
    "[companies like yours]": "accounting teams like yours",
    "[get the result you got for a similar client]": "close the month two days sooner",
}
SKIPPED = "Again, that's 555-312-4477. "


def spoken(text: str) -> np.ndarray:
    """``text`` as espeak-ng says it (en-us, 160 wpm), 16 kHz mono, with a second of silence."""
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "take.wav"
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", "160", "-w", str(wav), text], check=True)
        samples = load_audio(wav).samples
    return np.concatenate([samples, np.zeros(16_000, np.float32)])


def save(widget: QWidget, out: Path, name: str) -> None:
    QApplication.processEvents()
    path = out / name
    widget.grab().save(str(path))
    print(f"{name}: {path.stat().st_size // 1000} kB")


def wait(condition, limit_s: float = 120.0) -> None:  # type: ignore[no-untyped-def]
    import time

    end = time.monotonic() + limit_s
    while not condition():
        QApplication.processEvents()
        time.sleep(0.01)
        if time.monotonic() > end:
            raise TimeoutError("the window did not get there in time")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName("Voicemail Coach")
    app.setStyle("Fusion")
    apply_style(app)
    fake_sd = fakes.fake_sounddevice_module([{"name": "USB Headset Microphone"}], [])
    voicemail_coach.audio.devices.load_sounddevice = lambda: fake_sd  # type: ignore[assignment]
    take: dict[str, np.ndarray] = {}

    def mic(**kwargs: object) -> fakes.FakeInputStream:
        return fakes.FakeInputStream(take["samples"], realtime=True)(**kwargs)

    controller = Controller(Settings(greeting=False), mic, fakes.FakeOutputStream())
    window = MainWindow(controller)
    window.resize(*SIZE)
    window.show()
    controller.load_model()
    controller.analyze(AUDIO / "bad.flac")
    wait(lambda: controller.state == "feedback")
    rewrite = window.rewrite
    rewrite.button.click()
    wait(lambda: rewrite.view.draft is not None)
    save(window, out, "rewrite.png")
    filled = rewrite.view.script.toPlainText()
    for placeholder, words in FILLED.items():
        filled = filled.replace(placeholder, words)
    rewrite.view.script.setPlainText(filled)
    said = " ".join(rewrite.view.script_parts())
    said = said.replace(SKIPPED, "").replace("We help", "So, um, we help")
    take["samples"] = spoken(said)
    rewrite.view.record_button.click()
    wait(lambda: controller.state == "recording")
    wait(lambda: rewrite.teleprompter.elapsed_s >= 9.0)
    save(window, out, "teleprompter.png")
    rewrite.teleprompter.bullet_toggle.click()
    wait(lambda: rewrite.teleprompter.elapsed_s >= 12.0)
    save(window, out, "teleprompter_bullets.png")
    rewrite.teleprompter.bullet_toggle.click()
    recorder = controller.recorder
    assert recorder is not None
    wait(lambda: recorder.elapsed_s >= len(take["samples"]) / 16_000)
    controller.toggle_recording()
    wait(lambda: controller.state == "feedback")
    save(window, out, "adherence.png")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
