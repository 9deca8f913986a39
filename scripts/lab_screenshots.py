"""Render the A/B lab screenshots into docs/screenshots/ at 1180x800.

    QT_QPA_PLATFORM=offscreen PYTHONPATH=. .venv/bin/python scripts/lab_screenshots.py

(Options as in scripts/shot_common.py.)

Builds a library in a temporary folder (no audio analysed: written scripts' reports on a copy of
tests/data/audio/good.flac) with two script variants, A 4 of 24 returned and B 11 of 25, and
writes lab.png (the lab dialog), outcome.png (the outcome dialog over History) and
practice_variant.png (the ready screen with the script variant picked). About 20 s.
"""

from __future__ import annotations

import sys

import shot_common as shots
from shot_common import settle

SHOTS = shots.Shots(__doc__.splitlines()[0], "1180x800")

import numpy as np  # noqa: E402
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from tests import fakes  # noqa: E402
from voicemail_coach.app.controller import Controller  # noqa: E402
from voicemail_coach.app.dialogs.outcome_dialog import OutcomeDialog  # noqa: E402
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
    """24 takes on variant A (4 returned) and 25 on B (11), each with its outcome."""
    plan = (
        ("A: callback ask", SCRIPT_A, ["called_back"] * 3 + ["meeting"] + ["none"] * 20),
        ("B: email follow-up", SCRIPT_B, ["email_reply"] * 7 + ["meeting"] * 2
         + ["called_back"] * 2 + ["none"] * 14 + ["wrong_person"] * 2),
    )  # fmt: skip
    with Library() as library:
        outcomes = Outcomes(library)
        outcomes.add_variant("A: callback ask", SCRIPT_A, "Dana")
        outcomes.add_variant("B: email follow-up", SCRIPT_B, "Lee")
    for name, script, kinds in plan:
        short = name.split(":")[0]
        titles = [(f"{short} to prospect {n + 1}", script, name) for n in range(len(kinds))]
        ids = shots.seed_library(titles)
        with Library() as library:
            outcomes = Outcomes(library)
            for n, (attempt_id, kind) in enumerate(zip(ids, kinds, strict=True)):
                outcomes.record(attempt_id, kind, f"2026-11-{1 + n % 28:02d}", mark_left=True)


def wait_for(task: object) -> None:
    while getattr(task, "running", False):
        QApplication.processEvents()


def main() -> int:
    shots.start_app()
    build_library()
    silence = fakes.FakeInputStream(np.zeros(16_000, dtype=np.float32))
    controller = Controller(Settings(greeting=False), silence, fakes.FakeOutputStream())
    window = shots.window(controller, SHOTS.size)
    variant = controller.outcomes.variant("B: email follow-up")  # type: ignore[union-attr]
    controller.set_variant(variant.uid)
    window._show_variants()
    SHOTS.save(window, "practice_variant.png")

    dialog = window.lab.open_lab()
    assert dialog is not None
    wait_for(window.lab.task)
    dialog.resize(*SHOTS.size)
    settle()
    SHOTS.save(dialog, "lab.png")
    dialog.close()

    pages = window.library_pages
    assert pages is not None
    window._show_library(pages.history)
    attempt = controller.library.attempts()[0]  # type: ignore[union-attr]
    outcome = controller.outcomes.outcome(attempt.id)  # type: ignore[union-attr]
    box = OutcomeDialog(attempt, outcome, controller.outcomes.variants(), window)  # type: ignore[union-attr]
    box.show()
    settle()
    SHOTS.save(window, "history_outcomes.png")
    SHOTS.save(box, "outcome.png")
    box.close()
    QTimer.singleShot(0, window.close)
    return SHOTS.finish()


if __name__ == "__main__":
    sys.exit(main())
