"""``voicemail-coach import``, ``outcome``, ``variants`` and ``lab``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import AUDIO
from voicemail_coach.analysis.pipeline import analyze_script
from voicemail_coach.analysis.profile_loader import load_profile
from voicemail_coach.app.cli.main import main
from voicemail_coach.storage.library import Library
from voicemail_coach.storage.outcomes import Outcomes

SCRIPT = "Hi Sam, this is Alex from Acme. We cut onboarding time in half. Call me back."


@pytest.fixture()
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("VOICEMAIL_COACH_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data" / "library"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_variants_add_version_show_list_link(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "variants", "add", "Short opener", "--text", SCRIPT, "--author", "Dana"
    )
    assert code == 0 and out.startswith("Added variant \u201cShort opener\u201d (version 1, id ")
    script = data.parent / "b.txt"
    script.write_text("Hi Sam, Alex at Acme. Half the onboarding time. I'll email you.\n")
    code, out, _ = run(capsys, "variants", "version", "short opener", "--file", str(script))
    assert (code, out) == (0, "Added version 2 of \u201cShort opener\u201d.\n")
    code, out, _ = run(capsys, "variants", "show", "Short opener", "--version", "1")
    assert code == 0 and out.endswith(f"\n\n{SCRIPT}\n") and "version 1 by Dana" in out
    code, out, _ = run(capsys, "variants")
    header, row = out.splitlines()
    assert header.split()[:3] == ["Variant", "Versions", "Latest"]
    assert row.startswith("Short opener         2") and "Hi Sam, Alex at Acme." in row
    code, _, err = run(capsys, "variants", "add", "SHORT OPENER", "--text", "x")
    assert code == 2 and "already a variant named" in err
    with Library(data) as lib:
        attempt = lib.add_file(AUDIO / "good.flac").id
    code, out, _ = run(capsys, "variants", "link", str(attempt), "Short opener", "--version", "1")
    assert out == f"Attempt {attempt} linked to \u201cShort opener\u201d version 1.\n"
    code, out, _ = run(capsys, "variants", "--json")
    (listed,) = json.loads(out)
    assert listed["attempts"] == 1 and [v["number"] for v in listed["versions"]] == [1, 2]
    code, out, _ = run(capsys, "variants", "unlink", str(attempt))
    assert code == 0 and "linked to no variant" in out


def test_outcome_needs_a_real_voicemail_and_a_known_kind(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "outcome", "1", "meeting")
    assert code == 2 and "no library at" in err
    with Library(data) as lib:
        attempt = lib.add_file(AUDIO / "good.flac").id
    code, _, err = run(capsys, "outcome", str(attempt), "meeting")
    assert code == 2 and "not marked as a real voicemail left" in err
    code, out, _ = run(
        capsys,
        "outcome",
        str(attempt),
        "meeting",
        "--date",
        "2026-01-05",
        "--note",
        "Tue",
        "--left",
    )
    assert (code, out) == (0, f"Attempt {attempt}: meeting booked on 2026-01-05 (Tue).\n")
    code, _, err = run(capsys, "outcome", str(attempt), "none", "--date", "5 Jan")
    assert code == 2 and "Not a date: '5 Jan'" in err
    with pytest.raises(SystemExit):
        main(["outcome", str(attempt), "ghosted"])
    capsys.readouterr()
    code, out, _ = run(capsys, "outcome", str(attempt), "clear")
    assert (code, out) == (0, f"Attempt {attempt}: outcome cleared.\n")


def test_lab_text_and_json(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Library(data) as lib:
        outcomes = Outcomes(lib)
        outcomes.add_variant("A", SCRIPT)
        outcomes.add_variant("B", SCRIPT + " Thanks.")
        report = analyze_script(SCRIPT, load_profile())
        for variant, returned, total in (("A", 2, 20), ("B", 8, 20)):
            for i in range(total):
                attempt = lib.add_file(AUDIO / "good.flac").id
                lib.add_report(attempt, report)
                outcomes.link(attempt, variant)
                kind = "called_back" if i < returned else "none"
                outcomes.record(attempt, kind, "2026-01-05", mark_left=True)
    code, out, _ = run(capsys, "lab")
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("B is ahead of A: 8 of 20 (40 %")
    assert "unlikely to be chance (two-proportion z-test p = 0.028" in lines[0]
    a_row = next(line for line in lines if line.startswith("A "))
    assert "2 of 20" in a_row and "10 % (3-30)" in a_row and a_row.endswith("yes")
    assert "Returned against unreturned messages:" in lines
    code, out, _ = run(capsys, "lab", "--json")
    data_json = json.loads(out)
    assert data_json["comparison"]["leader"] == "B" and data_json["comparison"]["ahead"] is True
    b = next(v for v in data_json["variants"] if v["name"] == "B")
    assert (b["returned"]["k"], b["returned"]["n"]) == (8, 20)
    assert b["returned"]["low"] == pytest.approx(0.218807, abs=1e-6)


@pytest.mark.model
def test_import_adds_analyzes_links_and_marks(
    data: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "import", str(AUDIO / "good.flac"), "--variant", "Nope")
    assert code == 2 and "There is no variant \u201cNope\u201d" in err
    with Library(data) as lib:
        assert lib.attempts() == []
    run(capsys, "variants", "add", "Short opener", "--text", SCRIPT)
    missing = tmp_path / "missing.wav"
    code, out, err = run(
        capsys,
        "import",
        str(AUDIO / "good.flac"),
        str(missing),
        "--variant",
        "short opener",
        "--left",
    )
    assert code == 2 and "no such file" in err
    assert out.startswith("Added good.flac as attempt 1: score ")
    assert out.rstrip().endswith("(variant \u201cShort opener\u201d, left as a real voicemail)")
    with Library(data) as lib:
        (attempt,) = lib.attempts()
        assert attempt.left_as_voicemail and attempt.score is not None
        assert lib.latest_report(attempt.id) is not None
        outcomes = Outcomes(lib)
        assert attempt.variant_version_uid == outcomes.variant("Short opener").latest.uid
    code, out, _ = run(capsys, "outcome", "1", "email_reply", "--date", "2026-01-02")
    assert code == 0
    code, out, _ = run(capsys, "lab")
    assert out.startswith("Only Short opener has outcomes (1 of 1 (100 %")
