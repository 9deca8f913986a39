"""One take through the real app and the real PortAudio stack, from a PulseAudio virtual mic.

Run by tests/test_virtual_mic.py in a subprocess, because PortAudio reads ``PULSE_SERVER`` when
it initialises and the test process may have loaded it already. The environment must point
``PULSE_SERVER`` at a daemon with a ``vsink`` null sink whose monitor feeds the default source.

    python tests/vmic_take.py SPEECH_FILE [--device pulse] [--timeout 120]

Drives ``voicemail_coach.app.controller.Controller`` with no stream factories (so ``sounddevice.InputStream``):
start the take, wait for the first audio, ``paplay`` the file into ``vsink``, stop, wait for the
feedback. On success prints one line ``VMIC_RESULT <json>`` to stdout and exits 0; on an error
message from the app, or anything timing out, prints why to stderr and exits 1.
"""

from __future__ import annotations

import argparse
import faulthandler
import inspect
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

RESULT_PREFIX = "VMIC_RESULT "
FIRST_AUDIO_S = 0.1  # elapsed_s that counts as "the microphone delivers"
AFTER_SPEECH_S = 0.5  # wait after paplay ends, before pressing Stop


def fail(text: str) -> None:
    print(f"vmic_take: {text}", file=sys.stderr, flush=True)
    sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("speech", type=Path)
    parser.add_argument("--device", default="pulse")
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args()

    # Never hang CI: whatever is stuck (even inside PortAudio), dump the stacks and exit.
    faulthandler.dump_traceback_later(args.timeout, exit=True)
    deadline = time.monotonic() + args.timeout

    from PySide6.QtWidgets import QApplication

    from voicemail_coach.app.controller import Controller
    from voicemail_coach.app.settings import Settings
    from voicemail_coach.audio.capture import Recorder

    qt_app = QApplication([])
    controller = Controller(Settings(greeting=False, input_device=args.device))
    messages: list[tuple[str, str]] = []
    feedback: list[object] = []
    controller.message.connect(lambda level, text: messages.append((level, text)))
    controller.feedback_ready.connect(feedback.append)

    def check_messages() -> None:
        for level, text in messages:
            if level == "error":
                fail(f"the app reported an error: {text}")

    def pump_until(done: Callable[[], bool], limit_s: float, what: str) -> None:
        until = min(deadline, time.monotonic() + limit_s)
        while not done():
            check_messages()
            if time.monotonic() > until:
                fail(f"timed out after {limit_s:.0f} s waiting for {what}")
            qt_app.processEvents()
            time.sleep(0.005)
        check_messages()

    # Load the model while recording, as the app does at start-up.
    controller.load_model()
    t_press = time.monotonic()
    controller.start_take()
    check_messages()
    recorder = controller.recorder
    if controller.state != "recording" or recorder is None:
        fail(f"recording did not start (state {controller.state!r}, messages {messages})")
    assert recorder is not None

    pump_until(lambda: recorder.elapsed_s > FIRST_AUDIO_S, 15.0, "the first audio block")
    first_audio_wall_s = time.monotonic() - t_press

    # Where paplay starts in the saved file: audio received so far, minus the trimmed start.
    trim_s = float(inspect.signature(Recorder).parameters["trim_start_s"].default)
    elapsed_at_play_s = recorder.elapsed_s
    player = subprocess.Popen(
        ["paplay", "-d", "vsink", str(args.speech)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        pump_until(lambda: player.poll() is not None, 60.0, "paplay to finish")
    finally:
        if player.poll() is None:
            player.kill()
            player.wait()
    paplay_output = player.stdout.read() if player.stdout else ""
    if player.returncode != 0:
        fail(f"paplay exited with {player.returncode}: {paplay_output.strip()}")
    elapsed_at_end_s = recorder.elapsed_s

    quiet_until = time.monotonic() + AFTER_SPEECH_S
    pump_until(lambda: time.monotonic() >= quiet_until, 5.0, "the pause after the speech")
    controller.stop_recording()
    pump_until(lambda: bool(feedback), 90.0, "the feedback")
    result = recorder.stop()  # the same RecordingResult the controller got

    report = feedback[0].report  # type: ignore[attr-defined]
    out = {
        "report": json.loads(report.to_json()),
        "recording": str(feedback[0].path),  # type: ignore[attr-defined]
        "result_path": str(result.path),
        "duration_s": result.duration_s,
        "overflows": result.overflows,
        "error": result.error,
        "trim_s": trim_s,
        "first_audio_wall_s": first_audio_wall_s,
        "elapsed_at_play_s": elapsed_at_play_s,
        "elapsed_at_end_s": elapsed_at_end_s,
        "offset_s": elapsed_at_play_s - trim_s,
        "messages": messages,
    }
    print(RESULT_PREFIX + json.dumps(out), flush=True)
    controller.shutdown()
    faulthandler.cancel_dump_traceback_later()
    sys.exit(0)


if __name__ == "__main__":
    main()
