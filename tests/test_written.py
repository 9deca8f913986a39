"""A phone number is written one way, live and in the report, whatever pieces tiny.en wrote it
in; the words keep their texts and times (the transcript's links still seek to the word said)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QUrl

from voicemail_coach.analysis import report as r
from voicemail_coach.analysis.live_cues import tidy_live_text
from voicemail_coach.analysis.pipeline import build_report
from voicemail_coach.analysis.profile import Profile
from voicemail_coach.analysis.report_text import render_text
from voicemail_coach.analysis.transcript import Word
from voicemail_coach.analysis.written import written_line, written_words

# tiny.en's words (text, start, end) around the number, as it wrote them.
BAD_FLAC = [
    ("You", 14.9, 15.1), ("can", 15.8, 16.1), ("call", 16.1, 16.34), ("me", 16.34, 16.54),
    ("at", 16.54, 16.96), ("555", 16.96, 18.04), ("-312", 18.04, 19.08),
    ("-4477.", 19.08, 21.5), ("Thanks.", 22.32, 22.7),
]  # fmt: skip  # tests/data/audio/bad.flac, whole file
TOO_LONG_FLAC = [
    ("please", 52.64, 53.04), ("call", 53.04, 53.28), ("me", 53.28, 53.54), ("at", 53.54, 54.18),
    ("555", 54.18, 54.96), ("-312", 54.96, 56.04), ("-4477", 56.04, 58.46),
    ("again.", 58.46, 59.7), ("That's", 59.7, 60.52), ("555", 60.52, 61.58),
    ("-312", 61.58, 62.68), ("-4477.", 62.68, 65.12), ("Thanks", 65.94, 66.4),
]  # fmt: skip  # tests/data/audio/too_long.flac, whole file


def words(timed: list[tuple[str, float, float]]) -> list[Word]:
    return [Word(t, a, b) for t, a, b in timed]


@pytest.mark.parametrize(
    ("said", "written"),
    [
        # As tiny.en wrote numbers in whole files and in live pieces (issue 15 and the bench).
        ("call me at 555 201 4478 today", "call me at 555-201-4478 today"),
        ("call me at 555-2014478.", "call me at 555-201-4478."),
        ("My number is 859 -473 -4272.", "My number is 859-473-4272."),
        ("Call me at 859 -4734272.", "Call me at 859-473-4272."),
        ("is 859 - 473 4272", "is 859-473-4272"),
        ("call 555.201.4478, thanks", "call 555-201-4478, thanks"),
        # Not phone numbers: left as said, but a hyphen at a figure's edge is closed up.
        ("Give me 30 minutes.", "Give me 30 minutes."),
        ("call 555 1234 now", "call 555 1234 now"),
        ("a 12 - 15 range", "a 12-15 range"),
    ],
)
def test_a_number_is_written_one_way(said: str, written: str) -> None:
    assert written_line(said.split()) == written


def test_each_word_keeps_its_place() -> None:
    texts = [t for t, _, _ in TOO_LONG_FLAC]
    pairs = written_words(texts)
    assert len(pairs) == len(texts)
    assert pairs[4:8] == [(" ", "555"), ("", "-312"), ("", "-4477"), (" ", "again.")]
    assert pairs[9:12] == [(" ", "555"), ("", "-312"), ("", "-4477.")]
    # A hyphen said as a word of its own keeps the hyphen; the digits after it go without.
    assert written_words(["is", "859", "-", "473", "4272"]) == [
        ("", "is"), (" ", "859"), ("", "-"), ("", "473"), ("", "-4272"),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def said(profile: Profile) -> r.Report:
    timed = words(BAD_FLAC)
    source = r.Source(duration_s=23.17)
    model = r.ModelInfo("tiny.en", "int8", "x", None)
    return build_report(timed, profile, "standard", source, model, None, 16_000, ())


def test_the_live_line_and_the_report_write_it_alike(said: r.Report, qtbot) -> None:  # type: ignore[no-untyped-def]
    from voicemail_coach.app.export.report_html import build_report_html
    from voicemail_coach.app.widgets.transcript_view import TranscriptView

    line = "You can call me at 555-312-4477. Thanks."
    assert tidy_live_text(words(BAD_FLAC)) == line
    # The CLI's transcript.
    assert render_text(said).rstrip().endswith(f"Transcript\n  {line}")
    # The exported report's.
    page = build_report_html(said, None, title="t")
    body = page.split("<h2>Transcript</h2>", 1)[1].split("<p class='footer'>")[0]
    assert line in re.sub(r"<[^>]+>", "", body)
    # The feedback page's: the same line, and each number word is still a link to its time.
    view = TranscriptView()
    qtbot.addWidget(view)
    view.set_report(said)
    assert line in view.toPlainText()
    plain = view.document().toPlainText()
    for index, text in ((5, "555"), (6, "-312"), (7, "-4477.")):
        start, length = view.word_range(index)
        assert plain[start : start + length] == text
    with qtbot.waitSignal(view.seek_requested) as seek:
        view.anchorClicked.emit(QUrl("w:6"))  # a click on "-312"
    assert seek.args == [18.04]
    # The report's words are the words tiny.en wrote, untouched.
    assert [w.text for w in said.transcript.words[5:8]] == ["555", "-312", "-4477."]
