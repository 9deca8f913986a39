"""Render screenshots of the real app window into docs/screenshots/.

    xvfb-run -a python scripts/screenshots.py
    QT_QPA_PLATFORM=offscreen python scripts/screenshots.py     # no X server needed

(From the repository root, with the project's venv: ``.venv/bin/python``.) It drives the real
``MainWindow`` and ``Controller`` like a user would: a take is recorded from a fake microphone
that plays tests/data/audio/good.flac in real time, then recordings are opened and analyzed
with the bundled speech model. Settings, recordings and caches go to a temporary folder, so no
real user files are touched. Takes under a minute. Exits non-zero if a PNG is too big.

Writes ready.png, recording.png, analysing.png, feedback_bad.png, feedback.png (good.flac
right after bad.flac, so it shows the "+X vs your last take" line), history.png, progress.png,
compare.png (bad.flac against good.flac), phone_line.png (number_rushed.flac once its phone-line
check is in, played "As they'll hear it"; ``--phone-line-only`` writes just that one),
coach_review.png (a role-play take with the coach
panel), role_play.png (the session summary) and feedback_dark.png (1280x860 each), and
coach_rubric.png (the coach panel's rubric alone); with --out elsewhere also settings.png and
profile_editor_pace.png (the dialogs at their opening size). The library
pages show the takes this run makes: the recorded one, too_long (cancelled, so not analyzed),
bad, good, fillers, premature_ask and good again.

To look at the layout at other sizes, without touching docs/:

    xvfb-run -a -s "-screen 0 1920x1080x24" python scripts/screenshots.py --size 1180x800 --out /tmp/s
    ... --size 1920x1080 --out /tmp/l
    ... --size 1280x720 --scale 1.5 --out /tmp/x   # 150 % scaling on a 1920x1080 screen

``--size`` is the window's size in logical pixels (the app's default is 1180x800), ``--scale``
sets QT_SCALE_FACTOR (the PNGs are then that many times larger).
"""

from __future__ import annotations

import sys
from pathlib import Path

import shot_common as shots
from shot_common import AUDIO, settle, wait_until

SHOTS = shots.Shots(__doc__.splitlines()[0], "1280x860")
SIZE = SHOTS.size

from PySide6.QtGui import QColor, QPalette  # noqa: E402

from tests import fakes  # noqa: E402
from voicemail_coach.app.controller import Controller  # noqa: E402
from voicemail_coach.app.main_window import MainWindow  # noqa: E402
from voicemail_coach.app.settings import Settings  # noqa: E402


def save(widget: object, name: str, over: object = None) -> bool:
    return SHOTS.save(widget, name, over)


def dark_palette() -> QPalette:
    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#2b2d31",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1f2023",
        QPalette.ColorRole.AlternateBase: "#292b2f",
        QPalette.ColorRole.ToolTipBase: "#3a3c41",
        QPalette.ColorRole.ToolTipText: "#f0f0f0",
        QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.Button: "#35373c",
        QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.BrightText: "#ff6b6b",
        QPalette.ColorRole.Link: "#6cb4ff",
        QPalette.ColorRole.Highlight: "#3d8ee6",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.PlaceholderText: "#8a8d93",
        QPalette.ColorRole.Light: "#45484e",
        QPalette.ColorRole.Midlight: "#3a3c41",
        QPalette.ColorRole.Mid: "#4a4d53",
        QPalette.ColorRole.Dark: "#18191b",
        QPalette.ColorRole.Shadow: "#000000",
    }
    for role, color in roles.items():
        pal.setColor(role, QColor(color))
    disabled = QPalette.ColorGroup.Disabled
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        pal.setColor(disabled, role, QColor("#7d8086"))
    return pal


def open_and_wait(window: MainWindow, path: Path) -> int:
    """Open and analyze ``path``; the id of the attempt it became in the library."""
    controller = window.controller
    before = controller.feedback
    window.open_path(str(path))
    wait_until(
        lambda: controller.state == "feedback" and controller.feedback is not before,
        120,
        f"the analysis of {path.name}",
    )
    feedback = controller.feedback
    assert feedback is not None and feedback.attempt is not None, f"{path.name} not in the library"
    return feedback.attempt.id


def show_page(window: MainWindow, name: str) -> None:
    """Go to a library page with its navigation button, as a click would."""
    window.nav[name].trigger()
    settle()


def role_play(window: MainWindow) -> list[bool]:
    """A coach's session: two participants' takes, comments and rubric scores on one of them;
    the feedback page with the coach panel open, then the Role play page with its summary."""
    from voicemail_coach.app.controller import RolePlay
    from voicemail_coach.storage.coaching import Coaching

    controller = window.controller
    coaching = controller.coaching
    assert coaching is not None
    session = coaching.start_session(
        "Thursday drill: renewals", "Dana Cole", ["Ann Lee", "Ben Ode"]
    )
    coaching.update_session(
        session.id, notes="Focus: value in the first ten seconds, and one small next step."
    )
    takes = {}
    for who, name, scenario in (
        ("Ben Ode", "bad.flac", "Cold call: accounting"),
        ("Ann Lee", "premature_ask.flac", "Cold call: accounting"),
        ("Ann Lee", "good.flac", "Follow-up after email"),
    ):
        controller.set_role_play(RolePlay(session.id, session.name, who, scenario))
        takes[name] = open_and_wait(window, AUDIO / name)
    store = Coaching(controller.library)  # type: ignore[arg-type]
    rubric = controller.profile.rubric
    for name, scores in (("bad.flac", (2, 2, 1, 3, 3)), ("premature_ask.flac", (4, 3, 3, 2, 4))):
        for criterion, score in zip(rubric, scores, strict=True):
            store.set_score(takes[name], criterion, score, controller.profile.name)
    good = takes["good.flac"]
    for criterion, score in zip(rubric[:3], (5, 4, 5), strict=True):
        store.set_score(good, criterion, score, controller.profile.name)
    store.add_comment(good, 1.2, "Good: name and company in the first breath.", "Dana Cole")
    store.add_comment(good, 6.5, "Say what they get before how you do it.", "Dana Cole")
    store.add_comment(good, 15.0, "Slow down on the number; say it twice.", "Dana Cole")
    controller.show_attempt(good)
    wait_until(lambda: controller.state == "feedback", 60, "the coached take")
    panel = window.review.coach
    panel.comments.list.setCurrentRow(1)
    controller.seek(6.5)
    shots = [save(window, "coach_review.png")]
    panel.tabs.setCurrentIndex(1)
    settle()
    shots.append(save(panel, "coach_rubric.png"))
    show_page(window, "Role play")
    shots.append(save(window, "role_play.png"))
    controller.set_role_play(None)
    return shots


def phone_line(window: MainWindow) -> bool:
    """A rushed number: the feedback once the phone-line check has joined it, the player set
    to "As they'll hear it" and the scorecard scrolled to the check."""
    controller = window.controller
    done: list[object] = []
    controller.phone_line_ready.connect(done.append)
    open_and_wait(window, AUDIO / "number_rushed.flac")
    wait_until(lambda: bool(done), 120, "the phone-line check")
    controller.phone_line_ready.disconnect(done.append)
    window.review.player.source.setCurrentIndex(1)
    card = window.review.scorecard
    settle()  # the rows are laid out before the scroll area can reach the last one
    row = next(r for r in card.rows if r.check.id == "phone_line")
    card.scroll_area.ensureWidgetVisible(row, 0, 40)
    return save(window, "phone_line.png")


def dialogs(window: MainWindow) -> list[bool]:
    """Settings and the profile editor at the size they open with, over the window."""
    from voicemail_coach.app.dialogs.profile_editor import ProfileEditor
    from voicemail_coach.app.dialogs.settings_dialog import SettingsDialog
    from voicemail_coach.storage.profile_store import ProfileStore

    shots = []
    settings = SettingsDialog(window.controller.settings, window)
    settings.show()
    shots.append(save(settings, "settings.png", over=window))
    settings.close()
    editor = ProfileEditor(ProfileStore(), None, window)
    editor.show()
    editor.fields.setCurrentIndex(2)  # Pace
    shots.append(save(editor, "profile_editor_pace.png", over=window))
    editor.close()
    return shots


def main() -> int:
    app = shots.start_app()
    microphone = shots.microphone(AUDIO / "good.flac")
    controller = Controller(
        Settings(greeting=False), microphone, fakes.FakeOutputStream(), settings_file=None
    )
    window = shots.window(controller, SIZE)
    window.ask_known = lambda attempt: "add"  # good.flac is opened twice on purpose
    models: list[str] = []
    failures: list[str] = []
    controller.model_ready.connect(models.append)
    controller.model_failed.connect(failures.append)
    controller.load_model()
    ok: list[bool] = []
    try:
        wait_until(lambda: bool(models or failures), 300, "the speech model")  # a busy machine
        if failures:
            raise SystemExit(f"no speech model: {failures[0]}")
        if SHOTS.options.phone_line_only:
            return 0 if phone_line(window) else 1
        ok.append(save(window, "ready.png"))

        # A take from the fake microphone, caught about 8 s in while the speaker is talking.
        controller.toggle_recording()
        wait_until(lambda: controller.state == "recording", 10, "recording")
        recorder = controller.recorder
        assert recorder is not None
        wait_until(lambda: recorder.elapsed_s >= 8.0, 20, "8 s of recording")
        wait_until(lambda: recorder.level_dbfs > -26 or recorder.elapsed_s > 9.5, 5, "the voice")
        ok.append(save(window, "recording.png"))
        controller.stop_recording()
        wait_until(lambda: controller.state in ("feedback", "ready"), 300, "the take's analysis")

        # An analysis caught part-way: a long take, so the progress moves in visible steps.
        progress: list[float] = []
        controller.progress.connect(progress.append)
        window.open_path(str(AUDIO / "too_long.flac"))
        wait_until(
            lambda: any(0.2 <= p <= 0.8 for p in progress) or controller.state != "analysing",
            120,
            "analysis progress",
        )
        if controller.state == "analysing":
            ok.append(save(window, "analysing.png"))
        else:
            print("analysing.png: the analysis ended before it could be captured", file=sys.stderr)
            ok.append(False)
        controller.progress.disconnect(progress.append)
        controller.cancel_analysis()
        wait_until(lambda: controller.state != "analysing", 120, "the cancelled analysis")
        window.banner.hide()

        bad_id = open_and_wait(window, AUDIO / "bad.flac")
        ok.append(save(window, "feedback_bad.png"))

        # Right after the bad take, so the "+X vs your last take" line has a story to tell.
        good_id = open_and_wait(window, AUDIO / "good.flac")
        controller.seek(5.0)
        ok.append(save(window, "feedback.png"))

        # A few more takes for the library pages; the last one good again, for a trend.
        for name in ("fillers.flac", "premature_ask.flac"):
            open_and_wait(window, AUDIO / name)
        again_id = open_and_wait(window, AUDIO / "good.flac")
        pages = window.library_pages
        assert pages is not None, "no attempt library in the sandbox"
        pages.history.rename(again_id, "good, once more")  # two rows titled "good" would puzzle

        show_page(window, "Progress")
        ok.append(save(window, "progress.png"))

        show_page(window, "History")  # Compare opens from History's selection
        pages.compare_attempts(bad_id, good_id)  # the older take on the left
        ok.append(save(window, "compare.png"))

        if SHOTS.wanted("phone_line"):
            ok.append(phone_line(window))
        ok += role_play(window)

        # After the role play: its takes bring the Scenario and Participant columns.
        show_page(window, "History")
        pages.history.select_ids([good_id, bad_id])
        pages.history.table.setFocus()
        ok.append(save(window, "history.png"))
        if SHOTS.out != shots.DOCS:  # other sizes: the dialogs too (docs/ has its own)
            ok += dialogs(window)
        if SHOTS.wanted("feedback_dark"):
            dark(app, window)
    finally:
        window.close()
    return SHOTS.finish() or (0 if all(ok) else 1)


def dark(app: object, window: MainWindow) -> None:
    """As when the system turns dark while the app runs (apply_style follows the change)."""
    app.setPalette(dark_palette())  # type: ignore[attr-defined]
    open_and_wait(window, AUDIO / "good.flac")
    window.controller.seek(5.0)
    save(window, "feedback_dark.png")


if __name__ == "__main__":
    sys.exit(main())
