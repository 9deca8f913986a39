"""A check's value in words comes from resources/check_values.toml: every entry names a real
check, every form formats, and the texts the scorecard shows stay as they were."""

from __future__ import annotations

from voicemail_coach.analysis.bands import Band
from voicemail_coach.analysis.profile_loader import default_profile_path
from voicemail_coach.analysis.report import Check
from voicemail_coach.app.check_values import value_text, value_words
from voicemail_coach.storage.profile_store import read_profile_data


def check(check_id: str, value: float | int, bands: tuple[Band, ...] = ()) -> Check:
    return Check(check_id, "pass", value, "", "", "", "", "", 1.0, (), "", bands)


def test_every_entry_names_a_check_and_formats() -> None:
    checks = read_profile_data(default_profile_path())["checks"]
    for check_id, words in value_words().items():
        assert check_id in checks, check_id
        for form in (words.format, words.decimal, words.zero, words.one, words.counted):
            if form is not None:
                form.format(v=2.5, n=3)


def test_the_texts_the_scorecard_shows() -> None:
    assert value_text(check("length", 24.26)) == "24.3 s"
    assert value_text(check("intro", 1.04)) == "at 1.0 s"
    assert value_text(check("pressure", 0)) == "none"
    assert value_text(check("pressure", 3)) == "3 found"
    assert value_text(check("phone_number", 0)) == "not said"
    assert value_text(check("phone_number", 1)) == "said once"
    assert value_text(check("phone_number", 2)) == "said 2 times"
    assert value_text(check("pace", 175.4)) == "175 wpm"
    assert value_text(check("fillers", 2.0)) == "2.0 per minute"
    counted = (Band("count", 4.0, ""),)
    assert value_text(check("fillers", 2.0, counted)) == "4 (2.0 per minute)"
    assert value_text(check("pauses", 0)) == "none too long"
    assert value_text(check("rushing", 1.42)) == "1.4x faster at the end"
    assert value_text(check("rushing", 0)) == "none"
    assert value_text(check("rushing", 2)) == "2 sentence(s)"
    assert value_text(check("no_such_check", 1.5)) == "1.5"
