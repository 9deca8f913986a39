"""Team pooling without a server: script variants and outcomes in coaching packs
(voicemail_coach.storage.packs + voicemail_coach.storage.outcomes): merged by stable id without
duplicates, never overwritten without a decision, all or nothing."""

from __future__ import annotations

import errno
import json
import zipfile
from pathlib import Path

import pytest

from tests.conftest import AUDIO
from voicemail_coach.analysis.pipeline import analyze_script
from voicemail_coach.analysis.profile_loader import load_profile
from voicemail_coach.analysis.scenarios import ScenarioStore
from voicemail_coach.app.cli.main import main
from voicemail_coach.storage import packs
from voicemail_coach.storage.library import Library
from voicemail_coach.storage.outcomes import Outcomes
from voicemail_coach.storage.pack_file import PackError, export_pack, read_pack
from voicemail_coach.storage.packs import apply_pack, conflicts
from voicemail_coach.storage.profile_store import ProfileStore

SCRIPT = "Hi Sam, this is Alex from Acme. We cut onboarding time in half. Call me back."


def stores(folder: Path) -> tuple[ProfileStore, ScenarioStore]:
    return ProfileStore(folder / "profiles"), ScenarioStore(folder / "scenarios")


def left_with(library: Library, outcomes: Outcomes, variant: str, kinds: list[str]) -> list[int]:
    """Real voicemails linked to ``variant``, one per outcome in ``kinds``."""
    report = analyze_script(SCRIPT, load_profile())
    ids = []
    for kind in kinds:
        attempt = library.add_file(AUDIO / "good.flac").id
        library.add_report(attempt, report)
        outcomes.link(attempt, variant)
        outcomes.record(attempt, kind, "2026-01-05", mark_left=True)
        ids.append(attempt)
    return ids


def test_two_overlapping_packs_merge_without_duplicates(tmp_path: Path) -> None:
    with Library(tmp_path / "dana" / "library") as dana_lib:
        dana = Outcomes(dana_lib)
        dana.add_variant("A", SCRIPT, "Dana")
        left_with(dana_lib, dana, "A", ["none", "called_back", "meeting"])
        first = export_pack(tmp_path / "dana-1", [], [], "Dana", dana.export_results())
        # Later Dana has two more outcomes: the second pack repeats the first three.
        left_with(dana_lib, dana, "A", ["email_reply", "wrong_person"])
        second = export_pack(tmp_path / "dana-2", [], [], "Dana", dana.export_results())
    with Library(tmp_path / "lee" / "library") as lee_lib:
        lee = Outcomes(lee_lib)
        lee.add_variant("B", SCRIPT + " Thanks.", "Lee")
        left_with(lee_lib, lee, "B", ["none", "none"])
        third = export_pack(tmp_path / "lee", [], [], "Lee", lee.export_results())
    kim = tmp_path / "kim"
    with Library(kim / "library") as kim_lib:
        outcomes = Outcomes(kim_lib)
        summaries = []
        for pack in (first, second, third, second):
            contents = read_pack(pack)
            assert conflicts(contents, *stores(kim), outcomes) == []
            summaries.append(apply_pack(contents, *stores(kim), outcomes=outcomes))
        assert [len(s.added) for s in summaries] == [4, 2, 3, 0]
        assert [len(s.unchanged) for s in summaries] == [0, 4, 0, 6]
        assert summaries[3].text() == "6 already there"
        assert len(outcomes.outcomes()) == 7
        assert len({o.message_uid for o in outcomes.outcomes()}) == 7
        assert [(v.name, len(v.versions)) for v in outcomes.variants()] == [("A", 1), ("B", 1)]
        lab = outcomes.lab()
        rows = {v.name: v for v in lab.variants}
        assert (rows["A"].returned.k, rows["A"].known, rows["A"].counts["wrong_person"]) == (
            3,
            4,
            1,
        )
        assert (rows["B"].returned.k, rows["B"].known) == (0, 2)
        # Wilson 0 of 2: centre = (z²/4) / (1 + z²/2) = 0.960365 / 2.920730, high = twice it.
        assert rows["B"].returned.high == pytest.approx(0.657620, abs=1e-6)
        assert lab.reading.startswith("Not enough data yet: A has 4 and B has 2 messages")


def test_a_differing_outcome_is_never_overwritten_without_a_decision(tmp_path: Path) -> None:
    with Library(tmp_path / "dana" / "library") as dana_lib:
        dana = Outcomes(dana_lib)
        dana.add_variant("A", SCRIPT)
        (take,) = left_with(dana_lib, dana, "A", ["none"])
        before = export_pack(tmp_path / "before", [], [], "Team", dana.export_results())
        dana.record(take, "meeting", "2026-01-09", "Booked after all")
        after = export_pack(tmp_path / "after", [], [], "Team", dana.export_results())
    rep = tmp_path / "rep"
    with Library(rep / "library") as lib:
        outcomes = Outcomes(lib)
        apply_pack(read_pack(before), *stores(rep), outcomes=outcomes)
        contents = read_pack(after)
        (conflict,) = conflicts(contents, *stores(rep), outcomes)
        assert conflict.key.startswith("outcome:") and not conflict.can_keep_both
        assert "(meeting booked on 2026-01-09)" in conflict.label
        assert "(yours: no response on 2026-01-05)" in conflict.label
        with pytest.raises(PackError, match="already exists and differs: choose what to do"):
            apply_pack(contents, *stores(rep), outcomes=outcomes)
        with pytest.raises(PackError, match="a message has one outcome: replace or skip"):
            apply_pack(contents, *stores(rep), {conflict.key: "keep_both"}, outcomes)
        assert [o.kind for o in outcomes.outcomes()] == ["none"]
        skipped = apply_pack(contents, *stores(rep), {conflict.key: "skip"}, outcomes)
        assert len(skipped.skipped) == 1 and [o.kind for o in outcomes.outcomes()] == ["none"]
        replaced = apply_pack(contents, *stores(rep), {conflict.key: "replace"}, outcomes)
        assert len(replaced.replaced) == 1
        (got,) = outcomes.outcomes()
        assert (got.kind, got.outcome_date, got.note) == (
            "meeting",
            "2026-01-09",
            "Booked after all",
        )


def test_broken_results_are_refused_and_nothing_is_written(tmp_path: Path) -> None:
    with Library(tmp_path / "dana" / "library") as dana_lib:
        dana = Outcomes(dana_lib)
        dana.add_variant("A", SCRIPT)
        left_with(dana_lib, dana, "A", ["none"])
        results = dana.export_results()
    results["outcomes"][0]["kind"] = "ghosted"
    pack = export_pack(tmp_path / "bad", [], [], "Team", results)
    with pytest.raises(PackError, match=r"bad.vmcpack: results.json: outcomes\[0\].kind: must be"):
        read_pack(pack)
    # Not JSON at all, and a manifest pointing elsewhere.
    with zipfile.ZipFile(pack, "a") as zf:
        zf.writestr("other.json", "{")
    manifest = json.loads(zipfile.ZipFile(pack).read("manifest.json"))
    manifest["results"] = "other.json"
    odd = tmp_path / "odd.vmcpack"
    with zipfile.ZipFile(odd, "w") as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        zf.writestr("other.json", "{")
    with pytest.raises(PackError, match=r"results: must be 'results\.json'"):
        read_pack(odd)


def test_a_full_disk_while_writing_files_rolls_the_merge_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    card = ScenarioStore(tmp_path / "x").get("retail-missed-call")
    import dataclasses

    card = dataclasses.replace(card, id="new-card")
    with Library(tmp_path / "dana" / "library") as dana_lib:
        dana = Outcomes(dana_lib)
        dana.add_variant("A", SCRIPT)
        left_with(dana_lib, dana, "A", ["none", "meeting"])
        pack = export_pack(tmp_path / "team", [], [card], "Team", dana.export_results())

    def full(path: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(packs, "_stage", full)
    rep = tmp_path / "rep"
    with Library(rep / "library") as lib:
        outcomes = Outcomes(lib)
        with pytest.raises(PackError, match="no space left on device"):
            apply_pack(read_pack(pack), *stores(rep), outcomes=outcomes)
        assert outcomes.outcomes() == [] and outcomes.variants() == []
        assert ScenarioStore(rep / "scenarios").find("new-card") is None


def test_cli_pack_export_with_results_and_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("VOICEMAIL_COACH_DATA_DIR", str(tmp_path / "dana"))
    with Library() as lib:
        dana = Outcomes(lib)
        dana.add_variant("A", SCRIPT)
        (take,) = left_with(lib, dana, "A", ["called_back"])
    pack = tmp_path / "team.vmcpack"
    assert main(["pack", "export", str(pack), "--results", "--name", "Team"]) == 0
    out = capsys.readouterr().out
    assert out.endswith("0 scenario card(s), 1 script variant(s), 1 outcome(s).\n")
    monkeypatch.setenv("VOICEMAIL_COACH_DATA_DIR", str(tmp_path / "lee"))
    assert main(["pack", "import", str(pack)]) == 0
    assert capsys.readouterr().out == "Imported \u201cTeam\u201d: 2 added.\n"
    assert main(["pack", "import", str(pack)]) == 0
    assert capsys.readouterr().out == "Imported \u201cTeam\u201d: 2 already there.\n"
    # Dana changes her outcome: Lee's import stops and lists it, then keeps Lee's on "skip".
    monkeypatch.setenv("VOICEMAIL_COACH_DATA_DIR", str(tmp_path / "dana"))
    with Library() as lib:
        Outcomes(lib).record(take, "meeting", "2026-01-06")
    assert main(["pack", "export", str(pack), "--results", "--name", "Team"]) == 0
    monkeypatch.setenv("VOICEMAIL_COACH_DATA_DIR", str(tmp_path / "lee"))
    capsys.readouterr()
    assert main(["pack", "import", str(pack)]) == 2
    assert "1 item(s) differ from yours (outcome of" in capsys.readouterr().err
    assert main(["pack", "import", str(pack), "--on-conflict", "keep-both"]) == 0
    assert "1 skipped" in capsys.readouterr().out
    assert main(["pack", "import", str(pack), "--on-conflict", "replace"]) == 0
    assert "1 replaced" in capsys.readouterr().out
    with Library() as lib:
        (got,) = Outcomes(lib).outcomes()
        assert (got.kind, got.attempt_id) == ("meeting", None)
