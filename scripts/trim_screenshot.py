"""The feedback page for a recording of a real call (ringing, the prospect's greeting, the beep,
then the message): what was trimmed, whom the greeting named, the lead greyed on the timeline.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/trim_screenshot.py

Writes docs/screenshots/feedback_trimmed.png at 1180x800. The recording is built in the sandbox:
two bursts of ringback, the bundled greeting ("Hi, you've reached Dana Cole at Northwind
Logistics ...") and its beep, then tests/data/audio/good.flac; analyzed against the Dana Cole
scenario card with the bundled speech model. Options as in scripts/shot_common.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

import shot_common as shots
from shot_common import AUDIO, wait_until

SHOTS = shots.Shots(__doc__.splitlines()[0], "1180x800")

import numpy as np  # noqa: E402
import soundfile  # noqa: E402

from tests import fakes  # noqa: E402
from voicemail_coach.app.controller import Controller  # noqa: E402
from voicemail_coach.app.settings import Settings  # noqa: E402
from voicemail_coach.audio.greeting import greeting_and_beep  # noqa: E402
from voicemail_coach.audio.io import load_audio  # noqa: E402

SR = 16_000


def call_recording() -> Path:
    t = np.arange(2 * SR) / SR
    ring = 0.1 * (np.sin(2 * np.pi * 440 * t) + np.sin(2 * np.pi * 480 * t))
    gap = np.zeros(4 * SR)
    greeting, _ = greeting_and_beep(SR)
    message = load_audio(AUDIO / "good.flac").samples
    samples = np.concatenate([ring, gap, ring, gap[: 2 * SR], greeting, message])
    path = SHOTS.sandbox / "call_to_dana_cole.wav"
    soundfile.write(path, samples.astype(np.float32), SR, subtype="PCM_16")
    return path


def main() -> int:
    shots.start_app()
    settings = Settings(greeting=False, scenario_id="logistics-guide-download")
    controller = Controller(settings, None, fakes.FakeOutputStream(), settings_file=None)
    window = shots.window(controller, SHOTS.size)
    models: list[str] = []
    controller.model_ready.connect(models.append)
    controller.load_model()
    try:
        wait_until(lambda: bool(models), 300, "the speech model")
        window.open_path(str(call_recording()))
        wait_until(lambda: controller.state == "feedback", 300, "the call's analysis")
        SHOTS.save(window, "feedback_trimmed.png")
    finally:
        window.close()
    return SHOTS.finish()


if __name__ == "__main__":
    sys.exit(main())
