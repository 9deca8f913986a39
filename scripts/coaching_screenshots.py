"""Render the coaching screenshots into docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/coaching_screenshots.py

Writes scenario_practice.png (a take being recorded for a scenario card, from a fake microphone
playing tests/data/audio/good.flac in real time), profile_editor.png (a bad value refused at
its field, in the editor's words), profile_editor_wording.png (the call to action's phrases and
weights), profile_editor_advanced.png (its raw patterns and fine-tuning) and
scenario_cards.png. Settings and data go to a temporary folder. About 15 s. Options as in
scripts/shot_common.py.
"""

from __future__ import annotations

import sys

import shot_common as shots
from shot_common import AUDIO, settle, wait_until

SHOTS = shots.Shots(__doc__.splitlines()[0], "1280x860")

from tests import fakes  # noqa: E402
from voicemail_coach.analysis.scenarios import ScenarioStore  # noqa: E402
from voicemail_coach.app.controller import Controller  # noqa: E402
from voicemail_coach.app.dialogs.profile_editor import ProfileEditor  # noqa: E402
from voicemail_coach.app.dialogs.scenario_dialog import ScenarioDialog  # noqa: E402
from voicemail_coach.app.settings import Settings  # noqa: E402
from voicemail_coach.storage.profile_store import ProfileStore  # noqa: E402


def main() -> int:
    shots.start_app()
    microphone = shots.microphone(AUDIO / "good.flac")
    controller = Controller(Settings(greeting=False), microphone, fakes.FakeOutputStream())
    window = shots.window(controller, SHOTS.size)
    try:
        controller.set_scenario("logistics-guide-download")
        controller.toggle_recording()
        wait_until(
            lambda: controller.recorder is not None and controller.recorder.elapsed_s >= 9.0,
            20,
            "9 s of recording",
        )
        SHOTS.save(window, "scenario_practice.png")
        controller.timer.stop()

        editor = ProfileEditor(ProfileStore(), None, window)
        if not SHOTS.sizes_mode:  # at each size: as it opens
            editor.resize(1020, 720)
        editor.show()
        settle()
        editor.fields.numbers["pace.warn_over_wpm"].setValue(150)  # below the ideal's top
        editor.save_as_new()
        SHOTS.save(editor, "profile_editor.png", over=window)
        editor.fields.numbers["pace.warn_over_wpm"].setValue(175)
        editor.error.hide()
        editor.fields.setCurrentIndex(editor.fields._tab("Wording: call to action"))
        SHOTS.save(editor, "profile_editor_wording.png")
        editor.fields.setCurrentIndex(editor.fields._tab("Advanced: patterns"))
        SHOTS.save(editor, "profile_editor_advanced.png", over=window)
        editor.close()

        dialog = ScenarioDialog(ScenarioStore())
        dialog.resize(960, 600)
        dialog.show()
        dialog.refresh("school-district-new-it-director")
        SHOTS.save(dialog, "scenario_cards.png")
        dialog.close()
    finally:
        window.close()
    return SHOTS.finish()


if __name__ == "__main__":
    sys.exit(main())
