"""The coach's side of the app: a scenario card while recording, the profile editor (a threshold
edit changes the verdict on re-analysis; a bad value is refused at its field), scenario cards
and coaching packs from the Coaching menu."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from tests import fakes
from tests.conftest import AUDIO
from voicemail_coach.analysis.profile_loader import default_profile_path, load_profile
from voicemail_coach.analysis.scenarios import Scenario, ScenarioStore
from voicemail_coach.app.controller import Controller
from voicemail_coach.app.dialogs.profile_editor import ProfileEditor, key_in
from voicemail_coach.app.dialogs.scenario_dialog import ScenarioDialog
from voicemail_coach.app.main_window import MainWindow
from voicemail_coach.app.profile_keys import get_key
from voicemail_coach.app.settings import Settings
from voicemail_coach.audio.io import load_audio
from voicemail_coach.storage.pack_file import export_pack, read_pack
from voicemail_coach.storage.profile_store import ProfileStore, read_profile_data

# good.flac says "Hi Dana ... keep a closer eye on their cash flow ... I sent you an email".
DANA = Scenario(
    id="dana-cash-flow", prospect="Dana Whitfield", title="CFO", company="Lakeshore Foods",
    industry="food distribution", trigger="download",
    trigger_detail="Downloaded your cash-flow forecasting guide last week.",
    cares_about=("cash flow", "late payments"), value_angle="Finance teams see cash gaps early.",
    difficulty="easy",
)  # fmt: skip


@pytest.fixture()
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("VOICEMAIL_COACH_DATA_DIR", str(folder))
    return folder


def window_for(qtbot, holder=None, inputs=None) -> MainWindow:  # type: ignore[no-untyped-def]
    controller = Controller(Settings(greeting=False), inputs, fakes.FakeOutputStream())
    if holder is not None:
        controller.models = holder
    window = MainWindow(controller)
    qtbot.addWidget(window)
    return window


@pytest.mark.model
def test_the_card_is_shown_while_recording_and_the_take_is_checked_against_it(
    qtbot, holder, data_dir, monkeypatch, no_dangling_threads
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(fakes, "FAST_PACE_S", 0.01)
    ScenarioStore(data_dir / "scenarios").save(DANA)
    good = load_audio(AUDIO / "good.flac").samples
    # Silence first: the recorder trims the start of a take, which would clip "Hi Dana".
    take = np.concatenate([np.zeros(16_000, np.float32), good, np.zeros(8000, np.float32)])
    # One whole-file pass, as in the library: a live first piece can hear "Hi there" for "Hi
    # Dana" (tests/test_incremental.py measures live pieces against the whole file).
    monkeypatch.setattr(type(holder), "live_if_ready", lambda _self: None)
    window = window_for(qtbot, holder, lambda **kw: fakes.FakeInputStream(take)(**kw))
    window.show()
    picker = window.practice.scenario
    index = picker.combo.findData("dana-cash-flow")
    assert index > 0 and picker.combo.itemText(index).startswith("Dana Whitfield, Lakeshore Foods")
    assert not picker.card.isVisible()
    picker.combo.setCurrentIndex(index)
    picker.combo.activated.emit(index)
    assert window.controller.scenario == DANA
    qtbot.mouseClick(window.practice.record, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.controller.state == "recording", timeout=5000)
    assert picker.card.isVisible() and not picker.combo.isEnabled()
    text = picker.card.plain_text()
    assert "Dana Whitfield" in text and "Downloaded your cash-flow forecasting guide" in text
    assert "cash flow; late payments" in text
    recorder = window.controller.recorder
    assert recorder is not None
    qtbot.waitUntil(lambda: recorder.elapsed_s >= 26.0, timeout=20_000)
    with qtbot.waitSignal(window.controller.feedback_ready, timeout=90_000) as blocker:
        qtbot.mouseClick(window.practice.record, Qt.MouseButton.LeftButton)
    report = blocker.args[0].report
    assert report.scenario is not None and report.scenario.id == "dana-cash-flow"
    status = {c.id: c.status for c in report.checks}
    # The take says "Hi Dana"; through the fake microphone, CTranslate2's generic kernels have
    # twice heard "Hi there" (seen in CI's second pass). The name check must follow the words.
    heard_name = "dana" in report.transcript.text.lower()
    expected = "pass" if heard_name else "warn"
    assert status["scenario_name"] == expected, report.transcript.text
    assert status["scenario_trigger"] == "fail"  # the guide is never mentioned
    relevance = report.check("scenario_relevance")
    assert relevance.status == "pass" and {e.text for e in relevance.evidence} >= {"cash", "flow"}
    attempt = blocker.args[0].attempt
    assert attempt is not None and attempt.scenario == "Dana Whitfield, Lakeshore Foods"
    line = window.review.scenario_line
    assert line.isVisible() and line.text().startswith("Practised for Dana Whitfield, Lakeshore")
    assert "why now: Downloaded your cash-flow forecasting guide" in line.text()
    titles = [r.check.id for r in window.review.scorecard.rows]
    assert titles[-4:] == [
        "scenario_name", "scenario_company_or_industry", "scenario_trigger", "scenario_relevance"
    ]  # fmt: skip
    # Analyzing the take again keeps the card it was made for, whatever is chosen now.
    window.controller.set_scenario(None)
    pages = window.library_pages
    assert pages is not None
    pages.ask_reanalysis = lambda title: (None, None, None)
    with qtbot.waitSignal(window.controller.feedback_ready, timeout=90_000) as again:
        pages.reanalyze(attempt.id)
    assert again.args[0].report.scenario == report.scenario
    qtbot.waitUntil(lambda: "the verdict is the same" in window.banner.text, timeout=5000)
    window.close()


@pytest.mark.model
def test_editing_a_threshold_changes_the_verdict_on_reanalysis(qtbot, holder, data_dir) -> None:  # type: ignore[no-untyped-def]
    window = window_for(qtbot, holder)
    with qtbot.waitSignal(window.controller.feedback_ready, timeout=90_000) as first:
        window.open_path(str(AUDIO / "good.flac"))
    before = first.args[0].report
    assert before.check("value_proposition_timing").status == "pass"  # value at about 3.8 s

    editor = ProfileEditor(ProfileStore(), None, window)
    qtbot.addWidget(editor)
    editor.fields.numbers["timing.value_proposition_within_s"].setValue(2.5)
    editor.ask_new = lambda name, description: ("Quick value", description)
    qtbot.mouseClick(editor.save_new_button, Qt.MouseButton.LeftButton)
    saved = data_dir / "profiles" / "quick-value.toml"
    assert load_profile(saved).timing.value_proposition_within_s == 2.5
    assert editor.chooser.currentText() == "Quick value"

    pages = window.library_pages
    assert pages is not None
    pages.ask_reanalysis = lambda title: (str(saved), None, None)
    attempt_id = first.args[0].attempt.id
    with qtbot.waitSignal(window.controller.feedback_ready, timeout=90_000) as again:
        pages.reanalyze(attempt_id)
    after = again.args[0].report
    assert after.profile.name == "Quick value"
    assert after.check("value_proposition_timing").status == "warn"
    assert after.score < before.score
    qtbot.waitUntil(lambda: "Analyzed again" in window.banner.text, timeout=5000)
    banner = window.banner.text
    assert "Standard (20-30 s) \u2192 Quick value" in banner
    assert "value proposition timing: pass \u2192 warn" in banner
    assert f"score {before.score} \u2192 {after.score}" in banner
    window.close()


def test_a_bad_value_is_refused_at_its_field_and_nothing_is_written(qtbot, data_dir) -> None:  # type: ignore[no-untyped-def]
    store = ProfileStore()
    editor = ProfileEditor(store, None)
    qtbot.addWidget(editor)
    editor.show()
    assert not editor.save_button.isEnabled()  # the built-in default is read-only
    editor.fields.setCurrentIndex(0)
    box = editor.fields.numbers["pace.warn_over_wpm"]
    assert box.minimum() == 0  # a pace cannot be typed negative
    box.setValue(150)  # below the ideal pace's top, 165 wpm
    editor.ask_new = lambda name, description: pytest.fail("asked for a name for a bad profile")
    assert editor.save_as_new() is None
    # The message speaks the editor's words, not the file's keys.
    assert editor.error.text() == (
        "Pace \u203a Too fast above: must be at least \u201cIdeal pace up to\u201d (165)"
    )
    assert "pace." not in editor.error.text() and "_wpm" not in editor.error.text()
    assert box.property("invalid") is True and editor.focusWidget() is box
    assert editor.fields.tabText(editor.fields.currentIndex()) == "Pace"
    assert not (data_dir / "profiles").exists()
    # A length preset's limit, named by its preset.
    box.setValue(175)
    editor.fields.numbers["length_presets[0].target_max_s"].setValue(15.0)
    assert editor.save_as_new() is None
    assert editor.error.text() == (
        "Length \u203a Standard length: longest ideal: must be at least "
        "\u201cStandard length: shortest ideal\u201d (20)"
    )
    assert editor.fields.tabText(editor.fields.currentIndex()) == "Length"
    editor.fields.numbers["length_presets[0].target_max_s"].setValue(30.0)
    # A rubric problem selects the rubric cell it names.
    editor.fields.add_rubric_row({"id": "opening", "name": "Again", "scale_min": 1, "scale_max": 5})
    assert editor.save_as_new() is None
    assert editor.error.text() == "Rubric, criterion 6: id: 'opening' is used twice"
    assert editor.fields.tabText(editor.fields.currentIndex()) == "Rubric"
    assert editor.fields.rubric.currentRow() == 5
    assert (
        key_in("/x/p.toml: length_presets[0].fail_over_s: bad") == "length_presets[0].fail_over_s"
    )


def test_the_editor_speaks_a_coachs_words(qtbot, data_dir) -> None:  # type: ignore[no-untyped-def]
    """Sections follow the report; every field a section shows has a label and a help text in
    plain words (from resources/profile_fields.toml), a unit, and each weight its share."""
    from PySide6.QtWidgets import QLabel

    editor = ProfileEditor(ProfileStore(), None)
    qtbot.addWidget(editor)
    fields = editor.fields
    tabs = [fields.tabText(i) for i in range(fields.count())]
    assert tabs[:6] == ["Length", "Opening", "Pace", "Fillers", "Pauses", "Voice"]
    assert {"Wording: value", "Wording: call to action", "Wording: opt-out"} <= set(tabs)
    assert tabs[-5:] == [
        "No message", "Coach's examples", "Advice texts", "Rubric", "Advanced: patterns",
    ]  # fmt: skip

    def label_of(widget):  # type: ignore[no-untyped-def]
        page = next(
            fields.widget(i) for i in range(fields.count()) if fields.widget(i).isAncestorOf(widget)
        )
        return next(lb for lb in page.findChildren(QLabel) if lb.buddy() is widget)

    assert label_of(fields.numbers["length_presets[0].target_min_s"]).text() == (
        "Standard length: shortest ideal"
    )
    assert fields.numbers["length_presets[0].target_min_s"].suffix() == " s"
    assert label_of(fields.numbers["length_presets[1].fail_over_s"]).text() == (
        "Short length: fails above"
    )
    callback = fields.phrases["structure.call_to_action.callback.phrases"]
    assert label_of(callback).text() == "Phrases that count as a call back"
    assert "give me a call" in callback.toPlainText().splitlines()
    weight = fields.numbers["checks.self_praise.weight"]
    assert label_of(weight).text() == "How much self-praise weighs in the score"
    assert weight.suffix() == " points"
    total = sum(
        float(w["weight"])
        for c, w in read_profile_data(default_profile_path())["checks"].items()
        if not c.startswith("scenario_")
    )
    assert fields.share_of("checks.self_praise.weight").startswith(f"{100 * 10 / total:.0f} % ")
    weight.setValue(40)  # the share follows the weight as it is typed
    assert fields.share_of("checks.self_praise.weight").startswith(
        f"{100 * 40 / (total + 30):.0f} % "
    )
    # Every section field: a plain label (no dotted key) and a help text.
    for label in fields.labels.values():
        assert not re.search(r"[a-z]\.[a-z]|_", label), label
    for key in fields.places:
        widget = {**fields.numbers, **fields.phrases, **fields.texts}[key]
        assert widget.toolTip(), key
    # Raw keys only under Advanced: the patterns.
    keys = [fields.list_keys.item(i).text() for i in range(fields.list_keys.count())]
    assert "structure.self_praise.patterns" in keys
    assert "structure.self_praise.phrases" not in keys
    advanced = fields.widget(tabs.index("Advanced: patterns"))
    assert advanced.isAncestorOf(fields.list_keys)
    # The advice texts and principles can be edited and are saved.
    fields.texts["checks.self_praise.warn"].setText('Praise them, not you: "{text}".')
    fields.long_texts["principles.concise.text"].setPlainText("Short.\nAnd kind.")
    fields.choices["checks.pace.principle"].setCurrentIndex(
        fields.choices["checks.pace.principle"].findData("professional")
    )
    editor.ask_new = lambda name, description: ("Coach words", "For the Q3 team")
    path = editor.save_as_new()
    assert path is not None
    profile = load_profile(path)
    assert profile.checks["self_praise"].messages["warn"] == 'Praise them, not you: "{text}".'
    assert profile.principles["concise"].text == "Short. And kind."
    assert profile.checks["pace"].principle == "professional"
    assert profile.checks["self_praise"].weight == 40
    assert profile.description == "For the Q3 team"


def test_save_as_new_asks_for_a_name_and_a_description(qtbot) -> None:  # type: ignore[no-untyped-def]
    from voicemail_coach.app.dialogs.new_profile_dialog import NewProfileDialog

    dialog = NewProfileDialog("Standard (20-30 s) (copy)", "Defaults.")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.width() >= 480 and dialog.height() > 150
    save = dialog.buttons.buttons()[0]
    assert save.isEnabled()
    dialog.name.setText("   ")
    assert not save.isEnabled()  # a profile needs a name
    dialog.name.setText("Team Q3")
    dialog.description.setPlainText("Short and\npersonal.")
    assert dialog.answer() == ("Team Q3", "Short and personal.")


def test_phrase_lists_and_weights_are_saved(qtbot, data_dir) -> None:  # type: ignore[no-untyped-def]
    store = ProfileStore()
    editor = ProfileEditor(store, None)
    qtbot.addWidget(editor)
    fields = editor.fields
    fields.phrases["structure.self_praise.phrases"].setPlainText(
        "second to none\nhands down the best\n"
    )
    fields.numbers["checks.opt_out.weight"].setValue(20)
    editor.ask_new = lambda name, description: ("Strict", description)
    path = editor.save_as_new()
    assert path is not None
    profile = load_profile(path)
    assert profile.checks["opt_out"].weight == 20.0
    assert profile.structure["self_praise"].find("we are hands down the best") == [(7, 26)]
    assert editor.save_button.isEnabled()  # now it is the user's own
    # A broken pattern is refused and its list is brought up, marked, under Advanced.
    keys = [fields.list_keys.item(i).text() for i in range(fields.list_keys.count())]
    fields.list_keys.setCurrentRow(keys.index("structure.pressure.patterns"))
    fields.list_text.setPlainText("(unclosed")
    fields.list_keys.setCurrentRow(0)
    assert not editor.save()
    assert "structure.pressure.patterns: bad regular expression '(unclosed'" in editor.error.text()
    assert fields.tabText(fields.currentIndex()) == "Advanced: patterns"
    assert fields.list_keys.currentItem().text() == "structure.pressure.patterns"
    assert "border" in fields.list_text.styleSheet()
    assert load_profile(path).structure["pressure"].find("you must act now")  # unchanged
    fields.list_text.setPlainText("\\bact now\\b")
    assert editor.save()
    assert load_profile(path).structure["pressure"].find("please act now") == [(7, 14)]
    editor.name.setText("")
    assert not editor.save()
    assert "Name: give the profile a name" in editor.error.text()
    assert "border" in editor.name.styleSheet()
    assert load_profile(path).name == "Strict"
    editor.ask_delete = lambda name: name == ""
    assert editor.delete() and not path.exists()
    assert editor.chooser.currentText() == "Standard (20-30 s) (built-in)"
    assert not editor.delete_button.isEnabled()


def test_scenario_cards_add_duplicate_delete_with_field_messages(qtbot, data_dir) -> None:  # type: ignore[no-untyped-def]
    store = ScenarioStore()
    dialog = ScenarioDialog(store)
    qtbot.addWidget(dialog)
    assert dialog.cards.count() >= 10 and not dialog.save_button.isEnabled()
    dialog.new_card()
    dialog.fields["prospect"].setText("Ida Moss")  # type: ignore[attr-defined]
    assert dialog.save() is None
    assert dialog.error.text() == f"{dialog.fields['id'].text()}: title: must not be empty"  # type: ignore[attr-defined]
    assert "border" in dialog.fields["title"].styleSheet()
    for key, value in (("title", "Owner"), ("company", "Moss Bakery"), ("industry", "bakery")):
        dialog.fields[key].setText(value)  # type: ignore[attr-defined]
    dialog.fields["value_angle"].setPlainText("Bakeries waste less\nflour by ordering to demand.")  # type: ignore[attr-defined]
    dialog.fields["trigger_detail"].setPlainText("Opened a second shop.")  # type: ignore[attr-defined]
    dialog.fields["cares_about"].setPlainText("waste\nflour prices")  # type: ignore[attr-defined]
    card = dialog.save()
    assert card is not None and card.cares_about == ("waste", "flour prices")
    assert ScenarioStore().get(card.id).company == "Moss Bakery"
    assert card.value_angle == "Bakeries waste less flour by ordering to demand."
    dialog.duplicate()
    assert dialog.current_id == f"{card.id}-copy"
    dialog.ask_delete = lambda label: True
    dialog.delete()
    assert ScenarioStore().find(f"{card.id}-copy") is None
    assert dialog.changed


def import_pack_and_wait(qtbot, coaching) -> None:  # type: ignore[no-untyped-def]
    """Start an import from the menu and wait for the pack to be read off the GUI thread."""
    coaching.import_pack()
    assert coaching.pack_task is not None and coaching.pack_task.running
    with qtbot.waitSignal(coaching.pack_task.done, timeout=10_000):
        pass


def test_pack_import_from_the_menu_asks_before_replacing(qtbot, data_dir, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pack = export_pack(tmp_path / "team", [], [DANA], name="Team")
    mine = dataclasses.replace(DANA, difficulty="hard")
    ScenarioStore(data_dir / "scenarios").save(mine)
    window = window_for(qtbot)
    coaching = window.coaching
    assert [a.text() for a in coaching.menu.actions() if a.text()][:2] == [
        "&Scenario cards\u2026", "Guidance &profiles\u2026"
    ]  # fmt: skip
    asked: list[str] = []
    coaching.ask_pack_path = lambda saving: str(pack)
    coaching.ask_conflict = lambda c: asked.append(c.label) or None
    import_pack_and_wait(qtbot, coaching)
    assert asked == ["scenario \u201cDana Whitfield, Lakeshore Foods\u201d"]
    assert "nothing was changed" in window.banner.text
    assert ScenarioStore().get(DANA.id).difficulty == "hard"
    coaching.ask_conflict = lambda c: "replace"
    import_pack_and_wait(qtbot, coaching)
    assert "1 replaced" in window.banner.text
    assert ScenarioStore().get(DANA.id).difficulty == "easy"
    assert window.practice.scenario.combo.findData(DANA.id) > 0
    # Export: the dialog offers your own items; only the ticked ones go in.
    ProfileStore().save_new({"profile": {"schema_version": 1, "extends": "short"}}, "Team")
    offered: list[object] = []

    def tick_card_only(profiles, cards):  # type: ignore[no-untyped-def]
        offered.extend([p.name for p in profiles] + [c.id for c in cards])
        return "Acme", [], cards

    coaching.ask_pack_contents = tick_card_only
    coaching.ask_pack_path = lambda saving: str(tmp_path / "out")
    coaching.export_pack()
    assert offered == ["Team", DANA.id]
    assert "Wrote out.vmcpack: 0 profile(s), 1 scenario card(s)" in window.banner.text
    contents = read_pack(tmp_path / "out.vmcpack")
    assert contents.name == "Acme" and contents.scenarios == (DANA,) and not contents.profiles
    bad = tmp_path / "bad.vmcpack"
    bad.write_text("not a zip", encoding="utf-8")
    coaching.ask_pack_path = lambda saving: str(bad)
    import_pack_and_wait(qtbot, coaching)
    assert "bad.vmcpack: not a coaching pack" in window.banner.text
    window.close()


def test_a_pack_is_read_off_the_gui_thread(qtbot, data_dir, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import threading

    import voicemail_coach.app.dialogs.coaching_menu as coaching_menu

    pack = export_pack(tmp_path / "team", [], [DANA], name="Team")
    threads: list[threading.Thread] = []

    def read_pack_noting_the_thread(path):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        return read_pack(path)

    monkeypatch.setattr(coaching_menu, "read_pack", read_pack_noting_the_thread)
    window = window_for(qtbot)
    window.coaching.ask_pack_path = lambda saving: str(pack)
    window.coaching.import_pack()
    assert threads == []  # nothing read before the GUI thread returned to its event loop
    assert window.banner.text == "Reading team.vmcpack\u2026"
    window.coaching.import_pack()  # a second import while the first is read is refused
    assert window.banner.text == "A coaching pack is being read already."
    with qtbot.waitSignal(window.coaching.pack_task.done, timeout=10_000):
        pass
    assert len(threads) == 1 and threads[0] is not threading.main_thread()
    assert window.banner.text == "Imported \u201cTeam\u201d: 1 added."
    assert ScenarioStore().get(DANA.id) == DANA
    window.close()


def test_analyze_again_offers_the_length_schools_and_your_profiles(qtbot, data_dir) -> None:  # type: ignore[no-untyped-def]
    from voicemail_coach.app.dialogs.reanalyze_dialog import ReanalyzeDialog

    mine = ProfileStore().save_new(
        {"profile": {"schema_version": 1, "extends": "extended", "name": "Team long"}}, "Team long"
    )
    dialog = ReanalyzeDialog(Settings(length_preset="standard"), "Take 1")
    qtbot.addWidget(dialog)
    known = dialog.fields.known
    names = [known.itemText(i) for i in range(known.count())]
    assert names == ["Standard (20-30 s)", "Short (8-15 s)", "Extended (25-40 s)", "Team long",
                     "Another profile file\u2026"]  # fmt: skip
    assert known.currentIndex() == 0 and dialog.choice() == (None, "standard", None)
    known.activated.emit(1)
    profile_path, preset, _ = dialog.choice()
    assert profile_path is not None and Path(profile_path).name == "short.toml"
    assert preset == "short"  # the school's own length
    known.activated.emit(3)
    assert dialog.choice()[:2] == (str(mine), "extended")


def test_the_chosen_card_is_remembered(qtbot, data_dir, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from voicemail_coach.app.settings import load_settings

    settings_file = tmp_path / "settings.json"
    controller = Controller(Settings(greeting=False), None, fakes.FakeOutputStream(), settings_file)
    window = MainWindow(controller)
    qtbot.addWidget(window)
    picker = window.practice.scenario
    index = picker.combo.findData("hotel-award-news")
    picker.combo.activated.emit(index)
    assert load_settings(settings_file)[0].scenario_id == "hotel-award-news"
    window.close()
    again = MainWindow(Controller(load_settings(settings_file)[0], None, fakes.FakeOutputStream()))
    qtbot.addWidget(again)
    assert again.practice.scenario.combo.currentData() == "hotel-award-news"
    assert "Rafael Ortiz" in again.practice.scenario.card.plain_text()
    again.practice.scenario.combo.activated.emit(0)
    assert again.controller.scenario is None and again.practice.scenario.card.isHidden()
    again.close()


def test_pack_dialog_exports_only_what_is_ticked(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from voicemail_coach.app.dialogs.pack_dialog import PackDialog
    from voicemail_coach.storage.profile_store import ProfileEntry

    entry = ProfileEntry(tmp_path / "team.toml", "Team", builtin=False)
    dialog = PackDialog([entry], [DANA])
    qtbot.addWidget(dialog)
    assert [dialog.items.item(i).text() for i in range(2)] == [
        "Profile: Team", "Scenario: Dana Whitfield, Lakeshore Foods"
    ]  # fmt: skip
    assert dialog.choice() == ("Coaching pack", [entry.path], [DANA])
    dialog.items.item(0).setCheckState(Qt.CheckState.Unchecked)
    dialog.name.setText("Acme reps")
    assert dialog.choice() == ("Acme reps", [], [DANA])
    dialog.items.item(1).setCheckState(Qt.CheckState.Unchecked)
    assert not dialog.ok.isEnabled()


def test_an_unreadable_card_of_yours_is_reported_at_start(qtbot, data_dir) -> None:  # type: ignore[no-untyped-def]
    folder = data_dir / "scenarios"
    folder.mkdir(parents=True)
    (folder / "half.toml").write_text('schema_version = 1\nid = "half"\n', encoding="utf-8")
    window = window_for(qtbot)
    assert "half.toml: prospect: missing" in window.banner.text
    assert window.practice.scenario.combo.findData("half") == -1
    assert (folder / "half.toml").exists()
    window.close()


def test_use_a_profile_for_practice_from_the_editor(qtbot, data_dir) -> None:  # type: ignore[no-untyped-def]
    window = window_for(qtbot)
    editor = ProfileEditor(window.coaching.profiles, None)
    qtbot.addWidget(editor)
    editor.chooser.setCurrentIndex(editor.chooser.findText("Short (8-15 s) (built-in)"))
    qtbot.mouseClick(editor.use_button, Qt.MouseButton.LeftButton)
    window.coaching.profiles_closed(editor)
    controller = window.controller
    assert controller.profile.name == "Short (8-15 s)" and controller.preset.id == "short"
    assert controller.settings.profile_path is not None
    assert window.practice.preset.id == "short"
    assert "now analyzed with \u201cShort (8-15 s)\u201d" in window.banner.text
    editor.chooser.setCurrentIndex(0)
    editor.use()
    window.coaching.profiles_closed(editor)
    assert controller.settings.profile_path is None and controller.preset.id == "standard"
    window.close()


def test_example_sentences_added_in_the_editor_change_the_verdict(qtbot, data_dir) -> None:  # type: ignore[no-untyped-def]
    from voicemail_coach.analysis.pipeline import analyze_script

    script = "Hi, this is Ana from Brightline. Stick a card on the Bluebird huddle board."
    assert not analyze_script(script, load_profile()).call_to_action.found
    editor = ProfileEditor(ProfileStore(), None)
    qtbot.addWidget(editor)
    tabs = [editor.fields.tabText(i) for i in range(editor.fields.count())]
    assert "Coach's examples" in tabs
    editor.fields.set_examples("call_to_action", ["Put a card on the Bluebird huddle board."], [])
    editor.ask_new = lambda name, description: ("Bluebird", description)
    path = editor.save_as_new()
    assert path is not None
    profile = load_profile(path)
    assert profile.content.counts["call_to_action"] == ("Put a card on the Bluebird huddle board.",)
    report = analyze_script(script, profile)
    assert report.call_to_action.found
    assert "Put a card on the Bluebird huddle board." in report.call_to_action.why
    # Taking the example out again restores the first verdict.
    editor.fields.set_examples("call_to_action", [], [])
    assert editor.save()
    assert not analyze_script(script, load_profile(path)).call_to_action.found


def test_no_message_limits_are_edited_in_a_coachs_words_and_decide_on_reanalysis(
    qtbot, data_dir
) -> None:  # type: ignore[no-untyped-def]
    from tests.test_no_message import speechlike
    from voicemail_coach.analysis import report as r
    from voicemail_coach.analysis.pipeline import build_report, reanalyze_audio
    from voicemail_coach.analysis.transcript import Word
    from voicemail_coach.audio.io import Audio

    samples = speechlike(4.0).astype(np.float32)
    said = "We help finance teams close their books faster.".split()
    words = [Word(t, 0.5 + 0.3 * i, 0.75 + 0.3 * i, 0.9) for i, t in enumerate(said)]
    model = r.ModelInfo("tiny.en", "int8", "/model", None)
    source = r.Source(duration_s=4.0, path="take.flac")
    stored = build_report(words, load_profile(), "standard", source, model, samples, 16_000, ())
    assert stored.is_message and stored.score is not None  # 8 heard words
    audio = Audio(samples, 16_000, "take.flac", 16_000, 1)

    editor = ProfileEditor(ProfileStore(), None)
    qtbot.addWidget(editor)
    tabs = [editor.fields.tabText(i) for i in range(editor.fields.count())]
    assert "No message" in tabs
    box = editor.fields.numbers["no_message.min_words"]
    form = box.parentWidget().layout()
    assert form.labelForField(box).text() == "Words needed for a message"
    assert box.value() == 5 and box.suffix() == " words"
    reason = editor.fields.texts["no_message.reasons.few_words"]
    assert reason.text() == load_profile().no_message.reasons["few_words"]
    box.setValue(10)
    reason.setText("Say a whole message: ten words at least.")
    editor.ask_new = lambda name, description: ("Ten words", description)
    path = editor.save_as_new()
    assert path is not None
    strict = load_profile(path)
    assert strict.no_message.min_words == 10
    again = reanalyze_audio(r.Report.from_json(stored.to_json()), audio, strict)
    assert (again.no_message_kind, again.score) == ("few_words", None)
    assert again.no_message_reason == "Say a whole message: ten words at least."
    # Back to five words: a message again, scored.
    editor.fields.numbers["no_message.min_words"].setValue(5)
    assert editor.save()
    assert reanalyze_audio(stored, audio, load_profile(path)).score == stored.score
    # An empty reason is refused at its field: the page would have nothing to say.
    editor.fields.texts["no_message.reasons.few_words"].setText("  ")
    assert not editor.save()
    assert "What the feedback says for too few words: must not be empty" in editor.error.text()
    assert editor.fields.tabText(editor.fields.currentIndex()) == "No message"


def test_the_editors_words_name_real_settings_of_the_default_profile() -> None:
    """resources/profile_fields.toml: every field it names is in the default profile (a typo
    there would hide the setting under Advanced), each number has a unit, each text a help."""
    from voicemail_coach.app.profile_guide import has_key, load_guide

    data = read_profile_data(default_profile_path())
    guide = load_guide()
    seen = set()
    for section in guide.for_profile(data):
        for field in section.fields:
            assert field.key not in seen, field.key
            seen.add(field.key)
            assert field.label and field.help, field.key
            value = get_key(data, field.key)
            if isinstance(value, int | float):
                assert field.unit is not None, field.key
    written = [f.key for s in guide.sections for f in s.fields]
    presets = [k for k in written if k.startswith("length_presets[*]")]
    assert len(seen) == len(written) - len(presets) + len(presets) * len(data["length_presets"])
    for _, rows in guide.no_message.groups:
        for f in rows:
            assert has_key(data["no_message"], f.key), f.key
    assert {k for k, _ in guide.no_message.reasons} == set(data["no_message"]["reasons"])
    assert set(guide.advice_kinds) >= {k for c in data["checks"].values() for k in c} - {
        "weight", "principle",
    }  # fmt: skip
