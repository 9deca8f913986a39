"""Exported reports (self-contained HTML, PDF with extractable text) and the library CLI."""

from __future__ import annotations

import argparse
import base64
import csv
import errno
import html
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import AUDIO
from voicemail_coach.analysis.report import Report
from voicemail_coach.analysis.written import written_line
from voicemail_coach.app.cli.library import add_library_commands, run_library_command
from voicemail_coach.app.export.report import (
    export_report,
    first_split,
    paged_document,
    report_html,
    timeline_png,
)
from voicemail_coach.app.export.report_html import highlight_color
from voicemail_coach.app.widgets.check_row import check_title
from voicemail_coach.app.widgets.colors import CATEGORY_COLORS
from voicemail_coach.audio.io import Audio, load_audio

pytestmark = pytest.mark.model

BAD = AUDIO / "bad.flac"
NOTES = "Lead with what they get.\n\nCut the <self-praise> & slow the number down."


@pytest.fixture(scope="module")
def report(analyzed) -> Report:  # type: ignore[no-untyped-def]
    """bad.flac analyzed with the bundled model (shared with the other model tests)."""
    result: Report = analyzed(BAD)
    return result


@pytest.fixture(scope="module")
def audio() -> Audio:
    return load_audio(BAD)


@pytest.fixture(scope="module")
def page(report: Report, audio: Audio) -> str:
    return report_html(
        report,
        audio.samples,
        audio.sample_rate,
        title="Apex <cold> call & co",
        created_at="2025-03-04T14:05:00+00:00",
        coach_notes=NOTES,
    )


def written(report: Report) -> str:
    """The transcript as the report writes it (phone numbers one way)."""
    return written_line([w.text for w in report.transcript.words])


def flat(text: str) -> str:
    """Whitespace collapsed, so text wrapped across lines (PDF) still matches."""
    return " ".join(text.split())


def pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: install poppler-utils (the CI installs it)")
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return flat(out.stdout)


# HTML ---------------------------------------------------------------------------------------


def test_html_is_one_self_contained_document(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<html") == 1
    assert "<style>" in page
    # The chart's base64 can hold any four letters ("hTtP" by chance): checked without it.
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "data:", page).lower()
    for outside in ("http", 'src="file', "src='file", "<script", "<link", "url("):
        assert outside not in text, outside
    (uri,) = re.findall(r"src='data:image/png;base64,([A-Za-z0-9+/=]+)'", page)
    assert base64.b64decode(uri).startswith(b"\x89PNG\r\n\x1a\n")


def test_html_tags_are_balanced(page: str) -> None:
    from html.parser import HTMLParser

    void = {"br", "img", "meta"}

    class Balance(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.open: list[str] = []
            self.wrong: list[str] = []

        def handle_starttag(self, tag: str, attrs: object) -> None:
            if tag not in void:
                self.open.append(tag)

        def handle_endtag(self, tag: str) -> None:
            if self.open and self.open[-1] == tag:
                self.open.pop()
            else:
                self.wrong.append(tag)

    checker = Balance()
    checker.feed(page)
    assert checker.open == [] and checker.wrong == []


def test_html_has_title_date_length_score_and_summary(page: str, report: Report) -> None:
    assert "<title>Apex &lt;cold&gt; call &amp; co</title>" in page
    assert "<h1>Apex &lt;cold&gt; call &amp; co</h1>" in page
    assert "<cold>" not in page
    assert "March 2025" in page
    assert f"{report.source.duration_s:.1f} s long" in page
    assert f">{report.score}</span>" in page
    # bad.flac: no value proposition or opt-out; a callback with the phone number
    assert not report.value_proposition.found and not report.opt_out.found
    assert report.call_to_action.found and report.call_to_action.start_s is not None
    assert "Value proposition</td><td><span" in page and "not found" in page
    assert "Call to action (callback)" in page
    assert f"at <b>{report.call_to_action.start_s:.1f} s</b>" in page


def test_html_scorecard_has_every_check(page: str, report: Report) -> None:
    for check in report.checks:
        assert html.escape(check.message) in page, check.id
        assert html.escape(check_title(check)) in page, check.id
        assert html.escape(check.principle_title) in page, check.id
    self_praise = report.check("self_praise")
    assert self_praise.status == "fail"
    assert "✖</span><br><span class='small'>Fix</span>" in page
    assert "✔</span><br><span class='small'>Pass</span>" in page


def test_html_transcript_has_every_word_and_the_app_highlights(page: str, report: Report) -> None:
    words = report.transcript.words
    assert words
    plain = re.sub(r"<[^>]+>", "", page.split("<h2>Transcript</h2>", 1)[1])
    assert written(report) in flat(html.unescape(plain))  # "555-312-4477." however it was split
    for w in words:
        assert html.escape(w.text) in page
    # self-praise is highlighted in the app's colour (light theme), around "clients love it"
    color = highlight_color("self_praise")
    assert color != "#ffffff"
    runs = re.findall(r"<span style='background-color:(#[0-9a-f]{6})'[^>]*>([^<]*)</span>", page)
    praised = [text for c, text in runs if "clients love it" in text]
    assert praised, runs
    assert all(c == color for c, text in runs if "clients love it" in text)
    assert "Self-praise" in page  # legend
    assert CATEGORY_COLORS["self_praise"].name() in page  # legend chip border


def test_html_coach_notes_and_footer(page: str, report: Report) -> None:
    assert "<h2>Coach notes</h2>" in page
    assert "Cut the &lt;self-praise&gt; &amp; slow the number down." in page
    assert report.model is not None
    assert (
        f"Analyzed locally with {html.escape(report.model.name)} · profile "
        f"{html.escape(report.profile.name)}" in page
    )


def test_html_without_audio_or_notes_says_so(report: Report) -> None:
    page = report_html(report, None, 16_000, title="No audio")
    assert "data:image/png" not in page
    assert "No timeline picture: the recording is not available." in page
    assert "Coach notes" not in page


def test_timeline_picture_is_the_apps_timeline(report: Report, audio: Audio) -> None:
    from PySide6.QtGui import QColor, QImage

    png = timeline_png(report, audio.samples, audio.sample_rate)
    image = QImage.fromData(png)
    assert (image.width(), image.height()) == (2000, 320)
    colors = {
        QColor(image.pixel(x, y)).name()
        for x in range(0, image.width(), 4)
        for y in range(30, 80, 4)  # the top lane (the widget is drawn at twice its size)
    }
    # the call-to-action band in the top lane, in the app's colour
    assert CATEGORY_COLORS["call_to_action"].name() in colors


def test_export_html_writes_utf8_file(tmp_path: Path, report: Report, audio: Audio) -> None:
    out = export_report(
        tmp_path / "report.html",
        report,
        audio.samples,
        audio.sample_rate,
        pdf=False,
        title="Take ✓",
    )
    text = out.read_text(encoding="utf-8")
    assert "Take ✓" in text and "data:image/png;base64," in text
    assert list(tmp_path.iterdir()) == [out]


def test_export_to_a_missing_folder_raises_and_leaves_nothing(
    tmp_path: Path, report: Report
) -> None:
    with pytest.raises(OSError):
        export_report(tmp_path / "nope" / "r.html", report, None, 16_000, pdf=False, title="x")
    with pytest.raises(OSError):
        export_report(tmp_path / "nope" / "r.pdf", report, None, 16_000, pdf=True, title="x")
    assert list(tmp_path.iterdir()) == []


# PDF ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory, report: Report, audio: Audio) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    return export_report(
        path,
        report,
        audio.samples,
        audio.sample_rate,
        pdf=True,
        title="Apex cold call",
        created_at="2025-03-04T14:05:00+00:00",
        coach_notes=NOTES,
    )


def test_pdf_text_has_transcript_scorecard_and_notes(pdf: Path, report: Report) -> None:
    assert pdf.read_bytes().startswith(b"%PDF")
    text = pdf_text(pdf)
    assert flat(written(report)) in text
    assert "Self-praise" in text
    assert flat(report.check("self_praise").message) in text
    for check in report.checks:
        assert flat(check.message) in text, check.id
    assert "Coach notes" in text
    assert flat(NOTES) in text
    assert "Analyzed locally with" in text
    assert "page 1 of" in text
    assert not re.search("[\ufb00-\ufb06]", text), "ligatures make the text unsearchable"


def test_pdf_keeps_each_check_on_one_page(page: str) -> None:
    doc = paged_document(page)
    assert doc.pageCount() >= 2
    assert first_split(doc) is None


def test_pdf_of_a_script_report(tmp_path: Path, profile) -> None:  # type: ignore[no-untyped-def]
    from voicemail_coach.analysis.pipeline import analyze_script

    script = analyze_script(
        "Hi Dana, this is Sam from Northwind. We help teams like yours close the books faster. "
        "I sent you an email this morning.",
        profile,
    )
    out = export_report(tmp_path / "script.pdf", script, None, 16_000, pdf=True, title="Draft")
    text = pdf_text(out)
    assert "a written script has no recording" in text
    assert "Checked locally from the written script" in text


# CLI ----------------------------------------------------------------------------------------


def run(argv: list[str]) -> int | None:
    parser = argparse.ArgumentParser(prog="voicemail-coach")
    sub = parser.add_subparsers(dest="command")
    add_library_commands(sub)
    return run_library_command(parser.parse_args(argv))


@pytest.fixture()
def library(report: Report) -> Iterator[int]:
    """A library in the sandboxed data folder with one analyzed attempt; yields its id."""
    from voicemail_coach.analysis.paths import data_dir
    from voicemail_coach.storage.library import LIBRARY_DIR, Library

    folder = data_dir() / LIBRARY_DIR
    shutil.rmtree(folder, ignore_errors=True)
    with Library() as lib:
        attempt = lib.add_file(BAD, title="Apex cold call")
        lib.add_report(attempt.id, report)
        lib.update(attempt.id, notes="Slow the number down.")
    yield attempt.id
    shutil.rmtree(folder, ignore_errors=True)


def test_other_commands_are_not_ours() -> None:
    assert run_library_command(argparse.Namespace(command="analyze")) is None


def test_history_without_a_library_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    from voicemail_coach.analysis.paths import data_dir
    from voicemail_coach.storage.library import LIBRARY_DIR

    shutil.rmtree(data_dir() / LIBRARY_DIR, ignore_errors=True)
    assert run(["history"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and "no library at" in err
    assert not (data_dir() / LIBRARY_DIR).exists()  # not created by looking


def test_history_lists_the_attempt(
    library: int, report: Report, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["history"]) == 0
    out, _ = capsys.readouterr()
    header, row = out.strip().splitlines()
    assert header.split()[:3] == ["ID", "Date", "Title"]
    assert row.split()[0] == str(library)
    assert "Apex cold call" in row
    assert f"{report.source.duration_s:.1f} s" in row
    assert f" {report.score} " in row
    assert f" {report.delivery.wpm:.0f} " in row


def test_history_json(library: int, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    assert run(["history", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["id"] == library and row["title"] == "Apex cold call"


def test_history_csv(library: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "history.csv"
    assert run(["history", "--csv", str(out)]) == 0
    assert "Wrote 1 attempt to" in capsys.readouterr().out
    with out.open(encoding="utf-8", newline="") as f:
        (row,) = list(csv.DictReader(f))
    assert row["id"] == str(library) and row["title"] == "Apex cold call"


def test_export_pdf_and_html(
    library: int, tmp_path: Path, report: Report, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf_path = tmp_path / "take.pdf"
    assert run(["export", str(library), "--pdf", str(pdf_path)]) == 0
    assert capsys.readouterr().out.strip() == f"Wrote {pdf_path}"
    text = pdf_text(pdf_path)
    assert "Apex cold call" in text
    assert flat(written(report)) in text
    assert "Slow the number down." in text  # the attempt's notes are the coach notes

    html_path = tmp_path / "take.html"
    assert run(["export", str(library), "--html", str(html_path)]) == 0
    page = html_path.read_text(encoding="utf-8")
    assert "data:image/png;base64," in page  # the library's audio was found


def test_export_without_audio_still_works(library: int, tmp_path: Path) -> None:
    from voicemail_coach.storage.library import Library

    with Library() as lib:
        Path(lib.attempt(library).audio_path).unlink()
    out = tmp_path / "take.html"
    assert run(["export", str(library), "--html", str(out)]) == 0
    assert "the recording is not available" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("argv", "reason"),
    [
        (["export", "999", "--pdf", "{tmp}/x.pdf"], "no attempt 999"),
        (["export", "{id}", "--pdf", "{tmp}/missing/x.pdf"], "no such folder"),
        (["export", "{id}", "--pdf", "{tmp}"], "is a folder"),
        (["history", "--csv", "{tmp}/missing/h.csv"], "Could not export the history"),
    ],
)
def test_cli_errors_exit_2_with_one_line(
    library: int,
    tmp_path: Path,
    argv: list[str],
    reason: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = [a.format(tmp=tmp_path, id=library) for a in argv]
    assert run(args) == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("voicemail-coach: ") and reason in lines[0]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("number", "cause"),
    [
        (errno.ENOSPC, "no space left on device"),
        (errno.EROFS, "the folder is on a read-only disk"),
        (errno.EIO, "input/output error: the disk may be failing"),
    ],
)
def test_export_says_whether_the_disk_is_full_read_only_or_failing(
    library: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    number: int,
    cause: str,
) -> None:
    import voicemail_coach.app.export.report

    def failing_write(path: Path, data: bytes) -> Path:
        raise OSError(number, os.strerror(number), str(path))

    monkeypatch.setattr(voicemail_coach.app.export.report, "_write", failing_write)
    target = tmp_path / "r.html"
    assert run(["export", str(library), "--html", str(target)]) == 2
    assert (
        capsys.readouterr().err == f"voicemail-coach: {target}: cannot write the report ({cause})\n"
    )
    assert not target.exists()
