"""Render the Rewrite page and the teleprompter take into docs/screenshots/ at 1180x800.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/rewrite_screenshots.py

Opens tests/data/audio/bad.flac in the real window (the bundled model transcribes it), presses
Rewrite and writes rewrite.png; fills in the draft's placeholders in its editor, presses "Record
with this script" with a fake microphone playing, in real time, the edited script as espeak-ng
says it (one sentence skipped, a few words added) and writes teleprompter.png 9 s in and
teleprompter_bullets.png with the bullet points on; stops, and writes adherence.png (the feedback
with how the take followed the script). About 1 min. Options as in scripts/shot_common.py.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import shot_common as shots
from shot_common import AUDIO, wait_until

SHOTS = shots.Shots(__doc__.splitlines()[0], "1180x800")

import numpy as np  # noqa: E402

from tests import fakes  # noqa: E402
from voicemail_coach.app.controller import Controller  # noqa: E402
from voicemail_coach.app.settings import Settings  # noqa: E402
from voicemail_coach.audio.io import load_audio  # noqa: E402

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


def main() -> int:
    shots.start_app()
    take: dict[str, np.ndarray] = {}

    def mic(**kwargs: object) -> fakes.FakeInputStream:
        return fakes.FakeInputStream(take["samples"], realtime=True)(**kwargs)

    controller = Controller(
        Settings(greeting=False), mic, fakes.FakeOutputStream(), settings_file=None
    )
    window = shots.window(controller, SHOTS.size)
    try:
        controller.load_model()
        controller.analyze(AUDIO / "bad.flac")
        wait_until(lambda: controller.state == "feedback", 300, "the analysis of bad.flac")
        rewrite = window.rewrite
        rewrite.button.click()
        wait_until(lambda: rewrite.view.draft is not None, 120, "the draft")
        SHOTS.save(window, "rewrite.png")
        filled = rewrite.view.script.toPlainText()
        for placeholder, words in FILLED.items():
            filled = filled.replace(placeholder, words)
        rewrite.view.script.setPlainText(filled)
        said = " ".join(rewrite.view.script_parts())
        said = said.replace(SKIPPED, "").replace("We help", "So, um, we help")
        take["samples"] = spoken(said)
        rewrite.view.record_button.click()
        wait_until(lambda: controller.state == "recording", 10, "recording")
        wait_until(lambda: rewrite.teleprompter.elapsed_s >= 9.0, 20, "9 s of the take")
        SHOTS.save(window, "teleprompter.png")
        rewrite.teleprompter.bullet_toggle.click()
        wait_until(lambda: rewrite.teleprompter.elapsed_s >= 12.0, 20, "12 s of the take")
        SHOTS.save(window, "teleprompter_bullets.png")
        rewrite.teleprompter.bullet_toggle.click()
        recorder = controller.recorder
        assert recorder is not None
        wait_until(
            lambda: recorder.elapsed_s >= len(take["samples"]) / 16_000, 120, "the whole script"
        )
        controller.toggle_recording()
        wait_until(lambda: controller.state == "feedback", 300, "the take's analysis")
        SHOTS.save(window, "adherence.png")
    finally:
        window.close()
    return SHOTS.finish()


if __name__ == "__main__":
    sys.exit(main())
