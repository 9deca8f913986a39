"""Settings file (typed, versioned, never silently lost) and the settings dialog."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests import fakes
from voicemail_coach.app.settings import SETTINGS_VERSION, Settings, load_settings, save_settings


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    wanted = Settings(
        input_device="USB Headset",
        length_preset="short",
        greeting=False,
        role_play_session=3,
        role_play_participant="Ann Lee",
        take_turns=True,
        last_folder="/home/ann/Documents",
    )
    save_settings(wanted, path)
    loaded, problem = load_settings(path)
    assert problem is None and loaded == wanted
    assert json.loads(path.read_text())["version"] == SETTINGS_VERSION


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "none.json") == (Settings(), None)


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[1, 2]",
        '{"greeting": "yes"}',
        '{"version": 99}',
        '{"input_device": 5}',
        '{"role_play_session": "3"}',
        '{"role_play_session": true}',
    ],
)
def test_unreadable_file_is_set_aside_not_overwritten(tmp_path: Path, content: str) -> None:
    path = tmp_path / "settings.json"
    path.write_text(content)
    loaded, problem = load_settings(path)
    assert loaded == Settings()
    assert problem is not None and "settings.json.bad" in problem
    assert (tmp_path / "settings.json.bad").read_text() == content
    assert not path.exists()


def test_unknown_keys_from_a_newer_minor_change_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"version": 1, "greeting": false, "theme": "dark"}')
    loaded, problem = load_settings(path)
    assert problem is None and loaded.greeting is False


def test_dialog_shows_devices_and_presets_and_returns_the_choice(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import voicemail_coach.audio.devices as devices
    from voicemail_coach.app.dialogs.settings_dialog import SettingsDialog

    fake_sd = fakes.fake_sounddevice_module([{"name": "Laptop Mic"}], [{"name": "Speakers"}])
    monkeypatch.setattr(devices, "load_sounddevice", lambda: fake_sd)
    dialog = SettingsDialog(Settings(greeting=True))
    qtbot.addWidget(dialog)
    assert [dialog.input.itemText(i) for i in range(dialog.input.count())] == [
        "System default",
        "Laptop Mic",
    ]
    presets = [dialog.preset.itemData(i) for i in range(dialog.preset.count())]
    assert presets == ["standard", "short", "extended"]
    dialog.input.setCurrentIndex(1)
    dialog.preset.setCurrentIndex(1)
    dialog.greeting.setChecked(False)
    result = dialog.result_settings()
    assert result.input_device == "Laptop Mic"
    assert result.length_preset == "short"
    assert result.greeting is False


def test_dialog_refuses_a_bad_profile_with_the_reason(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from voicemail_coach.app.dialogs.settings_dialog import SettingsDialog

    bad = tmp_path / "team.toml"
    bad.write_text("[profile]\nschema_version = 1\n")
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    dialog.profile.setText(str(bad))
    dialog._accept()
    assert dialog.result() == 0  # not accepted
    assert not dialog.error.isHidden()
    assert "team.toml" in dialog.error.text()


def test_reanalyze_dialog_offers_presets_and_refuses_a_bad_model_folder(
    qtbot, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from voicemail_coach.app.dialogs.reanalyze_dialog import ReanalyzeDialog

    dialog = ReanalyzeDialog(Settings(length_preset="extended"), "bad")
    qtbot.addWidget(dialog)
    assert dialog.choice() == (None, "extended", None)
    dialog.preset.setCurrentIndex(dialog.preset.findData("short"))
    dialog.model.setText(str(tmp_path))
    dialog._accept()
    assert dialog.result() == 0
    assert "not a CTranslate2 Whisper model folder" in dialog.error.text()
    dialog.model.setText("")
    assert dialog.choice() == (None, "short", None)
