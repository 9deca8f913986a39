"""The coach's review in exported reports (HTML, PDF, the export command) and the sessions command."""

from __future__ import annotations

import argparse
import csv
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import AUDIO
from tests.test_export import pdf_text
from voicemail_coach.analysis.paths import data_dir
from voicemail_coach.analysis.profile_loader import load_profile
from voicemail_coach.analysis.report import Report
from voicemail_coach.app.cli.library import add_library_commands, run_library_command
from voicemail_coach.app.export.report import export_report, report_html
from voicemail_coach.audio.io import load_audio
from voicemail_coach.storage.coaching import Coaching
from voicemail_coach.storage.library import LIBRARY_DIR, Library

pytestmark = pytest.mark.model

BAD = AUDIO / "bad.flac"
RUBRIC = load_profile().rubric
SCORES = (2, 4, 1, 3, 4)  # opening, relevance, value, call to action, delivery: 14/25


@pytest.fixture(scope="module")
def report(analyzed) -> Report:  # type: ignore[no-untyped-def]
    result: Report = analyzed(BAD)
    return result


@pytest.fixture()
def library(report: Report) -> Iterator[tuple[int, int]]:
    """The sandboxed user library with a session and one coached take: (session, attempt)."""
    folder = data_dir() / LIBRARY_DIR
    shutil.rmtree(folder, ignore_errors=True)
    with Library() as lib:
        coaching = Coaching(lib)
        session = coaching.start_session("Thursday drill", "Dana Cole", ["Ann Lee", "Ben"])
        attempt = lib.add_file(BAD, title="Apex cold call")
        lib.add_report(attempt.id, report)
        lib.update(attempt.id, scenario="Apex: first touch")
        coaching.label_take(attempt.id, session.id, "Ann Lee")
        coaching.add_comment(attempt.id, 3.4, "Cut the self-praise here", "Dana Cole")
        coaching.add_comment(attempt.id, 12.0, "Slow down & repeat the number")
        for criterion, score in zip(RUBRIC, SCORES, strict=True):
            coaching.set_score(attempt.id, criterion, score, report.profile.name)
        other = lib.add_file(AUDIO / "good.flac", title="Unscored")
        coaching.label_take(other.id, session.id, "Ben")
    yield session.id, attempt.id
    shutil.rmtree(folder, ignore_errors=True)


def run(argv: list[str]) -> int | None:
    parser = argparse.ArgumentParser(prog="voicemail-coach")
    add_library_commands(parser.add_subparsers(dest="command"))
    return run_library_command(parser.parse_args(argv))


def test_coach_comments_and_rubric_appear_in_the_exported_pdf(
    library: tuple[int, int], report: Report, tmp_path: Path
) -> None:
    _, attempt_id = library
    with Library() as lib:
        record = Coaching(lib).record(attempt_id, RUBRIC)
    audio = load_audio(BAD)
    pdf = export_report(
        tmp_path / "coached.pdf",
        report,
        audio.samples,
        audio.sample_rate,
        pdf=True,
        title="Apex cold call",
        coaching=record,
    )
    text = pdf_text(pdf)
    assert "Recorded by Ann Lee · session Thursday drill, coach Dana Cole" in text
    assert "Coach's review" in text
    # Each comment with its number, its time and its author.
    assert "1 0:03 Cut the self-praise here Dana Cole" in text
    assert "2 0:12 Slow down & repeat the number" in text
    # The rubric: every criterion with its score on its scale, and the total.
    for criterion, score in zip(RUBRIC, SCORES, strict=True):
        assert f"{criterion.name} {score} / 5" in text and criterion.description in text
    assert "Total 14/25" in text


def test_html_without_coaching_has_no_coach_section(report: Report) -> None:
    page = report_html(report, None, 16_000, title="Solo take")
    assert "Coach's review" not in page and "Recorded by" not in page


def test_export_command_includes_the_coach_review(
    library: tuple[int, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, attempt_id = library
    target = tmp_path / "take.html"
    assert run(["export", str(attempt_id), "--html", str(target)]) == 0
    page = target.read_text(encoding="utf-8")
    assert "Slow down &amp; repeat the number" in page and "<b>0:12</b>" in page
    assert "Recorded by Ann Lee" in page and "Total" in page


def test_history_and_sessions_commands(
    library: tuple[int, int], report: Report, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session_id, attempt_id = library
    assert run(["history"]) == 0
    header, *rows = capsys.readouterr().out.strip().splitlines()
    assert header.split()[-2:] == ["Who", "Session"]
    assert rows[-1].split()[0] == str(attempt_id) and "Ann Lee  Thursday drill" in rows[-1]

    assert run(["sessions"]) == 0
    header, row = capsys.readouterr().out.strip().splitlines()
    assert "Participants" in header
    assert "Thursday drill" in row and "Ann Lee, Ben" in row and "running" in row

    assert run(["sessions", str(session_id)]) == 0
    title, header, first, second = capsys.readouterr().out.strip().splitlines()
    assert title.startswith("Thursday drill, coach Dana Cole")
    assert header.split()[:6] == ["ID", "Time", "Who", "Scenario", "Length", "Auto"]
    assert "Opening" in header and "Rubric" in header
    assert "Ann Lee" in first and "Apex: first touch" in first
    assert first.split()[-8:] == [str(report.score), "2", "4", "1", "3", "4", "14/25", "2"]
    assert "Ben" in second and second.split()[-2:] == ["--", "0"]

    out = tmp_path / "summary.csv"
    assert run(["sessions", str(session_id), "--csv", str(out)]) == 0
    assert "Wrote 2 takes of Thursday drill" in capsys.readouterr().out
    with out.open(encoding="utf-8") as f:
        ann = next(csv.DictReader(f))
    assert ann["auto_score"] == str(report.score) and ann["rubric_total"] == "14/25"

    assert run(["sessions", "99"]) == 2
    assert "no session 99" in capsys.readouterr().err


def test_session_summary_exports_as_pdf_and_html(
    library: tuple[int, int], report: Report, tmp_path: Path
) -> None:
    from voicemail_coach.app.export.session import export_summary

    session_id, _ = library
    with Library() as lib:
        coaching = Coaching(lib)
        pdf = export_summary(tmp_path / "drill.pdf", coaching, session_id, RUBRIC)
        page = export_summary(tmp_path / "drill.html", coaching, session_id, RUBRIC)
    text = pdf_text(pdf)
    assert text.startswith("Thursday drill")
    assert "coach Dana Cole · running · 2 takes" in text
    assert "Time Who Scenario Length Auto Opening Relevance Value Call to Delivery Rubric" in text
    assert f"23.2 s {report.score} 2 4 1 3 4 14/25 2" in text
    # Averages per participant: Ann's one take scored 14 of 25 by the coach (56 %).
    assert f"Ann Lee 1 {report.score} 56 %" in text and "Ben 1 — —" in text
    # The coached take's row: auto score, the five criteria, the total, its comments.
    cells = re.findall(r"<td[^>]*>(.*?)</td>", page.read_text(encoding="utf-8"))
    start = cells.index("Ann Lee")
    assert cells[start : start + 10] == [
        "Ann Lee",
        "Apex: first touch",
        "23.2 s",
        f"<b>{report.score}</b>",
        *("2", "4", "1", "3", "4"),
        "14/25",
    ]
    assert cells[start + 10] == "2"  # comments


def test_sessions_command_without_sessions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = data_dir() / LIBRARY_DIR
    shutil.rmtree(folder, ignore_errors=True)
    Library().close()
    try:
        assert run(["sessions"]) == 0
        assert capsys.readouterr().out.strip() == "No role-play sessions yet."
        assert run(["sessions", "--csv", str(tmp_path / "x.csv")]) == 2
        err = capsys.readouterr().err
        assert "--csv needs a session" in err and not (tmp_path / "x.csv").exists()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
