"""Render the A/B lab screenshots into docs/screenshots/ at 1180x800.

    QT_QPA_PLATFORM=offscreen PYTHONPATH=. .venv/bin/python scripts/lab_screenshots.py

Builds a library in a temporary folder (no audio analysed: written scripts' reports on a copy of
tests/data/audio/good.flac) with two script variants, A 4 of 24 returned and B 11 of 25, and
writes lab.png (the lab dialog), outcome.png (the outcome dialog over History) and
practice_variant.png (the ready screen with the script variant picked). About 20 s.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "screenshots"
SIZE = (1180, 800)

SANDBOX = Path(tempfile.mkdtemp(prefix="vmc-lab-shots-"))
for _name in ("CONFIG", "DATA", "CACHE"):
    os.environ[f"VOICEMAIL_COACH_{_name}_DIR"] = str(SANDBOX / _name.lower())
if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

import voicemail_coach.audio.devices  # noqa: E402
from tests import fakes  # noqa: E402
from voicemail_coach.analysis.pipeline import analyze_script  # noqa: E402
from voicemail_coach.analysis.profile_loader import load_profile  # noqa: E402
from voicemail_coach.app.controller import Controller  # noqa: E402
from voicemail_coach.app.dialogs.outcome_dialog import OutcomeDialog  # noqa: E402
from voicemail_coach.app.gui import apply_style  # noqa: E402
from voicemail_coach.app.main_window import MainWindow  # noqa: E402
from voicemail_coach.app.settings import Settings  # noqa: E402
from voicemail_coach.storage.library import Library  # noqa: E402
from voicemail_coach.storage.outcomes import Outcomes  # noqa: E402

SCRIPT_A = (
    "Hi Dana, this is Sam Rivera from Northwind Finance. We help logistics companies cut the "
    "time they spend chasing invoices in half. Call me back on 555 010 2030."
)
SCRIPT_B = (
    "Hi Dana, Sam from Northwind. Logistics teams like yours get paid eleven days sooner with "
    "us. I'll email you a two-line summary today; if the timing is wrong, just say so."
)


def build_library() -> None:
    profile = load_profile()
    with Library() as library:
        outcomes = Outcomes(library)
        outcomes.add_variant("A: callback ask", SCRIPT_A, "Dana")
        outcomes.add_variant("B: email follow-up", SCRIPT_B, "Lee")
        plan = (
            ("A: callback ask", SCRIPT_A, ["called_back"] * 3 + ["meeting"] + ["none"] * 20),
            ("B: email follow-up", SCRIPT_B, ["email_reply"] * 7 + ["meeting"] * 2
             + ["called_back"] * 2 + ["none"] * 14 + ["wrong_person"] * 2),
        )  # fmt: skip
        for name, script, kinds in plan:
            report = analyze_script(script, profile)
            for n, kind in enumerate(kinds):
                attempt = library.add_file(REPO / "tests" / "data" / "audio" / "good.flac")
                library.update(attempt.id, title=f"{name.split(':')[0]} to prospect {n + 1}")
                library.add_report(attempt.id, report)
                outcomes.link(attempt.id, name)
                outcomes.record(attempt.id, kind, f"2026-11-{1 + n % 28:02d}", mark_left=True)


def save(widget: QWidget, name: str) -> None:
    QApplication.processEvents()
    path = OUT / name
    widget.grab().save(str(path))
    print(f"{name}: {path.stat().st_size // 1000} kB")


def wait_for(task: object) -> None:
    while getattr(task, "running", False):
        QApplication.processEvents()


def main() -> int:
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName("Voicemail Coach")
    app.setStyle("Fusion")
    apply_style(app)
    fake_sd = fakes.fake_sounddevice_module([{"name": "USB Headset Microphone"}], [])
    voicemail_coach.audio.devices.load_sounddevice = lambda: fake_sd  # type: ignore[assignment]
    build_library()
    silence = fakes.FakeInputStream(np.zeros(16_000, dtype=np.float32))
    controller = Controller(Settings(greeting=False), silence, fakes.FakeOutputStream())
    window = MainWindow(controller)
    window.resize(*SIZE)
    window.show()
    variant = controller.outcomes.variant("B: email follow-up")  # type: ignore[union-attr]
    controller.set_variant(variant.uid)
    window._show_variants()
    save(window, "practice_variant.png")

    dialog = window.lab.open_lab()
    assert dialog is not None
    wait_for(window.lab.task)
    dialog.resize(*SIZE)
    save(dialog, "lab.png")
    dialog.close()

    pages = window.library_pages
    assert pages is not None
    window._show_library(pages.history)
    attempt = controller.library.attempts()[0]  # type: ignore[union-attr]
    outcome = controller.outcomes.outcome(attempt.id)  # type: ignore[union-attr]
    box = OutcomeDialog(attempt, outcome, controller.outcomes.variants(), window)  # type: ignore[union-attr]
    box.show()
    QApplication.processEvents()
    save(window, "history_outcomes.png")
    save(box, "outcome.png")
    box.close()
    QTimer.singleShot(0, window.close)
    return 0


if __name__ == "__main__":
    sys.exit(main())
