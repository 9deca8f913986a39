"""The coach's command line: scenarios, profiles, --scenario, pack export and import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from voicemail_coach.app.cli.main import main

SCRIPT = (
    "Hi Tom, this is Sam from Shiftwise. Sorry we didn't connect for our call on Thursday. "
    "We help stores like yours cut overtime costs on busy weekends. I'll email you a summary "
    "today. If the timing is wrong, just tell me and I won't follow up."
)


@pytest.fixture()
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("VOICEMAIL_COACH_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def test_scenarios_list_and_show(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenarios"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) >= 10
    assert any(line.startswith("retail-missed-call") and "Tom Becker" in line for line in lines)
    assert main(["scenarios", "retail-missed-call", "--json"]) == 0
    card = json.loads(capsys.readouterr().out)
    assert card["trigger"] == "missed_meeting" and card["company"] == "Fairway Outdoor Supply"
    assert main(["scenarios", "no-such-card"]) == 2
    assert "no scenario 'no-such-card'" in capsys.readouterr().err


def test_check_script_against_a_scenario(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "script.txt"
    script.write_text(SCRIPT, encoding="utf-8")
    assert main(["check-script", str(script), "--scenario", "retail-missed-call", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["scenario"]["id"] == "retail-missed-call"
    status = {c["id"]: (c["status"], c["value"]) for c in report["checks"]}
    assert status["scenario_name"] == ("pass", "Tom")
    assert status["scenario_trigger"] == ("pass", "didn't connect")
    assert status["scenario_relevance"][0] == "pass"
    assert main(["check-script", str(script), "--scenario", "nope"]) == 2
    assert "no scenario 'nope'" in capsys.readouterr().err


def test_pack_export_import_and_conflicts(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = data / "profiles" / "team.toml"
    mine.parent.mkdir(parents=True)
    mine.write_text('[profile]\nschema_version = 1\nextends = "short"\nname = "Team"\n', "utf-8")
    assert main(["profiles"]) == 0
    assert "Team" in capsys.readouterr().out
    pack = tmp_path / "team.vmcpack"
    assert main(["pack", "export", str(pack), "--scenario", "hotel-award-news"]) == 0
    assert "1 profile(s), 1 scenario card(s)" in capsys.readouterr().out

    monkeypatch.setenv("VOICEMAIL_COACH_DATA_DIR", str(tmp_path / "rep"))
    assert main(["pack", "import", str(pack)]) == 0
    assert "1 added, 1 already there" in capsys.readouterr().out
    theirs = tmp_path / "rep" / "profiles" / "team.toml"
    assert theirs.read_text("utf-8") == mine.read_text("utf-8")
    theirs.write_text(mine.read_text("utf-8").replace('"Team"', '"Team B"'), "utf-8")
    assert main(["pack", "import", str(pack)]) == 2
    err = capsys.readouterr().err
    assert "1 item(s) differ from yours (profile \u201cTeam\u201d); nothing was imported" in err
    assert '"Team B"' in theirs.read_text("utf-8")
    assert main(["pack", "import", str(pack), "--on-conflict", "keep-both"]) == 0
    assert "1 kept alongside yours" in capsys.readouterr().out
    assert (tmp_path / "rep" / "profiles" / "team-2.toml").exists()

    broken = tmp_path / "broken.vmcpack"
    broken.write_bytes(b"PK\x03\x04 not really")
    assert main(["pack", "import", str(broken)]) == 2
    assert "broken.vmcpack: not a coaching pack" in capsys.readouterr().err
