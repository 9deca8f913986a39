"""How long Cancel takes to give the window back while a long file is being transcribed.

Usage (from the repo root)::

    PYTHONPATH=. .venv/bin/python bench/bench_cancel.py [--runs N] [--load N] [--after S]

Builds a 3-minute take from the real recordings in ``../shared/real-audio`` (beside the
checkout, never copied into it: the file is written to a temporary folder), opens it in the
real window (offscreen) with the bundled model, waits until the transcription has begun plus
``--after`` seconds, presses Cancel and reports: Cancel to the ready state, and Cancel to the
abandoned job's worker being free again. ``--load N``: N busy processes (one CPU-bound Python
loop each) compete for the cores meanwhile.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np

REAL_AUDIO = Path(
    os.environ.get("REAL_AUDIO")
    or Path(__file__).resolve().parent.parent.parent / "shared" / "real-audio"
)
SPEECH = (
    "sales_voicemail_busyline.mp3",
    "personal_voicemail_8k.wav",
    "jfk.wav",
    "hotwords.mp3",
)


def long_take(target: Path, seconds: float = 180.0, folder: Path = REAL_AUDIO) -> Path:
    """Real speech from ``folder`` strung together (0.6 s of quiet between files) to
    ``seconds``, written as FLAC to ``target``."""
    from voicemail_coach.audio.io import SAMPLE_RATE, load_audio, save_flac

    clips = [load_audio(folder / name).samples for name in SPEECH]
    gap = np.zeros(int(0.6 * SAMPLE_RATE), dtype=np.float32)
    parts: list[np.ndarray] = []
    total = 0
    while total < seconds * SAMPLE_RATE:
        for clip in clips:
            parts += [clip, gap]
            total += len(clip) + len(gap)
    samples = np.concatenate(parts)[: int(seconds * SAMPLE_RATE)]
    save_flac(target, samples)
    return target


def measure(path: Path, after_s: float, runs: int) -> list[tuple[float, float]]:
    from PySide6.QtWidgets import QApplication

    from voicemail_coach.app.controller import Controller, ModelHolder
    from voicemail_coach.app.main_window import MainWindow
    from voicemail_coach.app.settings import Settings

    app = QApplication.instance() or QApplication([])
    holder = ModelHolder(None, keep_fillers=True)
    holder.get()
    results = []
    for _ in range(runs):
        controller = Controller(Settings(greeting=False))
        controller.models = holder
        window = MainWindow(controller)
        window.show()
        started: list[float] = []

        def note(p: float, started: list[float] = started) -> None:
            if 0 < p < 1 and not started:
                started.append(time.monotonic())

        controller.progress.connect(note)
        window.open_path(str(path))
        while not started:
            app.processEvents()
            time.sleep(0.01)
        until = time.monotonic() + after_s
        while time.monotonic() < until:
            app.processEvents()
            time.sleep(0.01)
        pressed = time.monotonic()
        window.analysing.cancel.click()
        while controller.state != "ready":
            app.processEvents()
            time.sleep(0.005)
        ready = time.monotonic() - pressed
        while controller.runner.pool.activeThreadCount():
            app.processEvents()
            time.sleep(0.01)
        freed = time.monotonic() - pressed
        results.append((ready, freed))
        print(f"cancel -> ready {ready:.2f} s, worker free {freed:.2f} s", flush=True)
        window.close()
        app.processEvents()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--load", type=int, default=0)
    parser.add_argument("--after", type=float, default=2.0)
    args = parser.parse_args()
    busy = [subprocess.Popen([sys.executable, "-c", "while 1: pass"]) for _ in range(args.load)]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ.setdefault("VOICEMAIL_COACH_DATA_DIR", tmp)
            path = long_take(Path(tmp) / "long.flac")
            results = measure(path, args.after, args.runs)
    finally:
        for proc in busy:
            proc.kill()
            proc.wait()
    ready = [r for r, _ in results]
    freed = [f for _, f in results]
    print(
        f"load {args.load}: cancel -> ready median {statistics.median(ready):.2f} s "
        f"(max {max(ready):.2f}); worker free median {statistics.median(freed):.2f} s "
        f"(max {max(freed):.2f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
