"""A take recorded into the attempt library until this process is killed.

Run by tests/test_library.py, which kills it with SIGKILL mid-take to prove the next start
recovers what was captured. The library is the default one, so ``VOICEMAIL_COACH_DATA_DIR``
chooses where it goes.

    python tests/library_take.py SPEECH_FILE [--timeout 60]

Plays the file in real time through a fake microphone into ``voicemail_coach.audio.capture.Recorder``, writing
to the WAV that ``Library.begin_recording`` chose. Prints ``ATTEMPT <id> <wav path>``, then
``RECORDING`` once the first audio is in the file, then ``ELAPSED <seconds>`` every 0.2 s with
the recorder's elapsed time (audio received, trimmed start included; it is on disk before it
counts). Exits by itself after the timeout, so a failing test never leaves it behind.
"""

from __future__ import annotations

import argparse
import faulthandler
import inspect
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

REPORT_EVERY_S = 0.2


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("speech", type=Path)
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    faulthandler.dump_traceback_later(args.timeout, exit=True)

    import soundfile

    from tests.fakes import FakeInputStream
    from voicemail_coach.audio.capture import Recorder
    from voicemail_coach.storage.library import Library

    samples, _ = soundfile.read(str(args.speech), dtype="float32")
    library = Library()
    attempt, wav = library.begin_recording(title="Killed take")
    print(f"ATTEMPT {attempt.id} {wav}", flush=True)
    recorder = Recorder(wav, stream_factory=FakeInputStream(samples, realtime=True))
    recorder.start()
    # Nothing is written before the Recorder's trimmed start.
    trim_s = float(inspect.signature(Recorder).parameters["trim_start_s"].default)
    while recorder.elapsed_s <= trim_s:
        time.sleep(0.005)
    print("RECORDING", flush=True)
    while True:
        print(f"ELAPSED {recorder.elapsed_s:.4f}", flush=True)
        time.sleep(REPORT_EVERY_S)


if __name__ == "__main__":
    main()
