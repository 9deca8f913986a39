"""The A/B lab in the window: the Lab menu's dialog (read on the task runner), outcomes from
History and from the feedback page, and the script variant picked on the ready screen."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests import fakes
from tests.conftest import AUDIO
from voicemail_coach.analysis.pipeline import analyze_script
from voicemail_coach.analysis.profile_loader import load_profile
from voicemail_coach.app.controller import Controller
from voicemail_coach.app.dialogs.outcome_dialog import OutcomeChoice, OutcomeDialog
from voicemail_coach.app.main_window import MainWindow
from voicemail_coach.app.settings import Settings
from voicemail_coach.storage.library import Library
from voicemail_coach.storage.outcomes import Outcomes

SCRIPT = "Hi Sam, this is Alex from Acme. We cut onboarding time in half. Call me back."


@pytest.fixture()
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("VOICEMAIL_COACH_DATA_DIR", str(folder))
    monkeypatch.setenv("VOICEMAIL_COACH_CONFIG_DIR", str(tmp_path / "config"))
    return folder


def window_for(qtbot) -> MainWindow:  # type: ignore[no-untyped-def]
    controller = Controller(Settings(greeting=False), None, fakes.FakeOutputStream())
    window = MainWindow(controller)
    qtbot.addWidget(window)
    return window


def fill(variants: dict[str, tuple[int, int]]) -> None:
    """Variant name -> (returned, unreturned) real voicemails with a stored report."""
    report = analyze_script(SCRIPT, load_profile())
    with Library() as library:
        outcomes = Outcomes(library)
        for name, (returned, unreturned) in variants.items():
            outcomes.add_variant(name, f"{SCRIPT} ({name})")
            for i in range(returned + unreturned):
                attempt = library.add_file(AUDIO / "good.flac").id
                library.add_report(attempt, report)
                outcomes.link(attempt, name)
                kind = "meeting" if i < returned else "none"
                outcomes.record(attempt, kind, "2026-01-05", mark_left=True)


def test_the_lab_dialog_shows_rates_intervals_and_the_reading(qtbot, data_dir) -> None:  # type: ignore[no-untyped-def]
    fill({"A": (1, 3), "B": (3, 1)})
    window = window_for(qtbot)
    window.lab.lab_action.trigger()
    dialog = window.lab.dialog
    assert dialog is not None and dialog.reading.text() == "Reading your outcomes\u2026"
    qtbot.waitUntil(lambda: window.lab.task is not None and not window.lab.task.running)
    qtbot.waitUntil(lambda: dialog.variants.rowCount() == 2)
    assert dialog.reading.text().startswith("Not enough data yet: B has 4 and A has 4 messages")
    row = [dialog.variants.item(1, c).text() for c in range(dialog.variants.columnCount())]
    # 3 of 4: Wilson 30.06-95.44 %.
    assert row[:5] == ["B", "1", "4", "3 of 4", "75 %  (30-95 %)"]
    assert row[-1] == "not yet (4 of 20)"
    labels = [dialog.figures.item(r, 0).text() for r in range(dialog.figures.rowCount())]
    assert "Time to value" in labels
    # Checks by their titles in the scorecard, not their ids ("Check passed: opt_out").
    assert "Check passed: Call to action" in labels, labels
    assert not [t for t in labels if "_" in t]
    assert dialog.figures.horizontalHeaderItem(4).text() == "Reading"
    assert dialog.note.text().startswith("Not enough data yet: each side needs at least 10")


def test_an_outcome_from_history(qtbot, data_dir) -> None:  # type: ignore[no-untyped-def]
    with Library() as library:
        attempt = library.add_file(AUDIO / "good.flac").id
        Outcomes(library).add_variant("A", SCRIPT)
    window = window_for(qtbot)
    pages = window.library_pages
    assert pages is not None
    history = pages.history
    history.refresh()
    history.select_ids([attempt])
    assert history.outcome_action.isEnabled()
    controller = window.controller
    assert controller.outcomes is not None
    version = controller.outcomes.variant("A").latest.uid
    asked: list[tuple[str, object]] = []

    def answer(a, outcome, variants):  # type: ignore[no-untyped-def]
        asked.append((a.title, outcome))
        return OutcomeChoice(True, "called_back", date(2026, 1, 7), "Tuesday", version)

    window.lab.ask_outcome = answer
    history.outcome_action.trigger()
    assert asked == [("good", None)]
    got = controller.outcomes.outcome(attempt)
    assert got is not None and (got.kind, got.outcome_date, got.note) == (
        "called_back",
        "2026-01-07",
        "Tuesday",
    )
    saved = controller.library.attempt(attempt)  # type: ignore[union-attr]
    assert saved.left_as_voicemail and saved.variant_version_uid == version
    assert window.banner.text == "\u201cgood\u201d: called back on 2026-01-07."
    from voicemail_coach.app.pages.history_model import OUTCOME

    row = history.model.row_of(attempt)
    assert row is not None
    assert history.model.index(row, OUTCOME).data() == "called back, 2026-01-07"
    assert not history.table.isColumnHidden(OUTCOME)
    # Back to practice: the outcome goes, the flag too.
    window.lab.ask_outcome = lambda a, o, v: OutcomeChoice(False, None, date.today(), "", version)
    history.outcome_action.trigger()
    assert controller.outcomes.outcome(attempt) is None
    assert not controller.library.attempt(attempt).left_as_voicemail  # type: ignore[union-attr]


def test_an_outcome_from_the_feedback_page(qtbot, data_dir) -> None:  # type: ignore[no-untyped-def]
    with Library() as library:
        attempt = library.add_file(AUDIO / "good.flac").id
        library.add_report(attempt, analyze_script(SCRIPT, load_profile()))
    window = window_for(qtbot)
    window.controller.show_attempt(attempt)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.review, timeout=10_000)
    assert window.review.outcome.isVisibleTo(window.review)
    window.lab.ask_outcome = lambda a, o, v: OutcomeChoice(True, "meeting", date.today(), "", None)
    window.review.outcome.click()
    got = window.controller.outcomes.outcome(attempt)  # type: ignore[union-attr]
    assert got is not None and got.kind == "meeting"


def test_the_outcome_dialog_keeps_outcomes_for_real_voicemails(qtbot, data_dir) -> None:  # type: ignore[no-untyped-def]
    with Library() as library:
        attempt = library.attempt(library.add_file(AUDIO / "good.flac").id)
        variant = Outcomes(library).add_variant("A", SCRIPT, "Dana")
    dialog = OutcomeDialog(attempt, None, [variant])
    qtbot.addWidget(dialog)
    assert not dialog.left.isChecked() and not dialog.kind.isEnabled()
    assert [dialog.variant.itemText(i) for i in range(dialog.variant.count())] == [
        "No script variant",
        "A \u00b7 version 1, Dana",
    ]
    dialog.left.setChecked(True)
    dialog.kind.setCurrentIndex(dialog.kind.findData("email_reply"))
    dialog.variant.setCurrentIndex(1)
    assert dialog.date.isEnabled() and dialog.date.maximumDate().toPython() == date.today()
    choice = dialog.choice()
    assert (choice.left, choice.kind, choice.version_uid) == (
        True,
        "email_reply",
        variant.latest.uid,
    )


def test_the_variant_picked_before_recording_links_the_next_takes(qtbot, data_dir) -> None:  # type: ignore[no-untyped-def]
    window = window_for(qtbot)
    assert not window.practice.variant.isVisibleTo(window.practice)
    window.lab.ask_variant = lambda variants: ("Short opener", "Dana", SCRIPT)
    window.lab.variant_action.trigger()
    combo = window.practice.variant
    assert combo.isVisibleTo(window.practice)
    assert [combo.itemText(i) for i in range(combo.count())] == ["No variant", "Short opener (v1)"]
    combo.activated.emit(1)
    controller = window.controller
    assert controller.outcomes is not None and controller.library is not None
    uid = controller.outcomes.variant("Short opener").uid
    assert controller.settings.variant_uid == uid
    taken = controller._label(controller.library.add_file(AUDIO / "good.flac"))
    assert taken.variant_version_uid == controller.outcomes.variant("Short opener").latest.uid
    # A new version: later takes use it.
    window.lab.ask_variant = lambda variants: ("Short opener", "Lee", SCRIPT + " Thanks!")
    window.lab.version_action.trigger()
    assert combo.itemText(1) == "Short opener (v2)" and combo.currentIndex() == 1
    again = controller._label(controller.library.add_file(AUDIO / "good.flac"))
    assert again.variant_version_uid == controller.outcomes.variant("Short opener").latest.uid
    assert again.variant_version_uid != taken.variant_version_uid


def test_the_pack_dialog_offers_variants_and_outcomes_unticked(qtbot, data_dir, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    from voicemail_coach.app.dialogs.pack_dialog import PackDialog
    from voicemail_coach.storage.pack_file import read_pack

    dialog = PackDialog([], [], results_label="Script variants and outcomes (1 variant(s))")
    qtbot.addWidget(dialog)
    assert not dialog.with_results() and not dialog.ok.isEnabled()
    dialog.items.item(0).setCheckState(Qt.CheckState.Checked)
    assert dialog.with_results() and dialog.ok.isEnabled()
    assert dialog.choice() == ("Coaching pack", [], [])
    # From the Coaching menu: ticked, they go into the pack.
    fill({"A": (1, 1)})
    window = window_for(qtbot)
    coaching = window.coaching

    def tick_results(profiles, cards):  # type: ignore[no-untyped-def]
        coaching.pack_results = True
        return ("Team", [], [])

    coaching.ask_pack_contents = tick_results
    coaching.ask_pack_path = lambda saving: str(tmp_path / "team.vmcpack")
    coaching.export_pack()
    assert window.banner.text == (
        "Wrote team.vmcpack: 0 profile(s), 0 scenario card(s), 1 script variant(s), 2 outcome(s)."
    )
    contents = read_pack(tmp_path / "team.vmcpack")
    assert contents.results is not None
    assert sorted(o["kind"] for o in contents.results["outcomes"]) == ["meeting", "none"]


def _all_text(widget) -> str:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QLineEdit

    parts = []
    for child in widget.findChildren(QLabel):
        parts.append(child.text())
    for child in widget.findChildren(QAbstractButton):
        parts += [child.text(), child.toolTip()]
    for child in widget.findChildren(QComboBox):
        parts += [child.itemText(i) for i in range(child.count())]
    for child in widget.findChildren(QLineEdit):
        parts.append(child.text())
    return "\n".join([*parts, widget.windowTitle()])


def test_the_blind_test_shows_no_label_before_everyone_has_rated(qtbot, data_dir) -> None:  # type: ignore[no-untyped-def]
    from voicemail_coach.storage.coaching import Coaching

    with Library() as library:
        coaching = Coaching(library)
        session = coaching.start_session("Friday drill", "Dana", ["Ann", "Ben"])
        outcomes = Outcomes(library)
        outcomes.add_variant("Callback ask", "Hi, call me back.")
        outcomes.add_variant("Email first", "Hi, I'll email you.")
        for name, who in (("Callback ask", "Ann"), ("Email first", "Ben")):
            take = library.add_file(AUDIO / "good.flac", title=f"{name} by {who}").id
            coaching.label_take(take, session.id, who)
            outcomes.link(take, name)
    window = window_for(qtbot)
    window.controller.output_stream_factory = fakes.FakeOutputStream()
    window.lab.blind_action.trigger()
    dialog = window.lab.blind_dialog
    assert dialog is not None
    hidden = ("Callback ask", "Email first", "version")
    assert not any(h in _all_text(dialog) for h in hidden)
    assert dialog.start_test() is not None
    dialog.play(0)  # plays through the (fake) speakers
    dialog.stop()
    dialog.participant.setCurrentText("Ann")
    dialog.choice.button(1).setChecked(True)
    dialog.reason.setText("Straight to the point")
    dialog.save.click()
    assert dialog.status.text() == "Saved: Ann would return take 1."
    assert not dialog.reveal_button.isEnabled()
    assert dialog.reveal_button.toolTip() == "Waiting for Ben"
    dialog.reveal_button.click()
    assert not any(h in _all_text(dialog) for h in hidden)
    dialog.participant.setCurrentText("Ben")
    dialog.choice.button(2).setChecked(True)
    dialog.save.click()
    assert dialog.reveal_button.isEnabled()
    dialog.reveal_button.click()
    text = dialog.revealed.text()
    assert "Callback ask (version 1)" in text and "Email first (version 1)" in text
    assert "chosen 1 of 2 (50 %, 95 % interval 9-91 %)" in text
