"""Live cues: what the words so far and the clock say, and how the cues widget shows it."""

from __future__ import annotations

import pytest

from voicemail_coach.analysis.live_cues import LiveCues, WordCues, cues_at, word_cues
from voicemail_coach.analysis.transcript import words_from_text

SCRIPT = (
    "Hi Dana, this is Sam from Northwind. Um, we work with companies in your industry to help "
    "them cut their shipping costs. I sent you an email this morning."
)


def test_word_cues_count_fillers_and_mark_the_value_and_the_next_step(profile) -> None:  # type: ignore[no-untyped-def]
    words = words_from_text(SCRIPT, 150.0)
    cues = word_cues(words, words[-1].end_s, profile)
    assert cues.fillers == 1
    assert cues.words == len(words)
    start_of = {w.text.strip(",."): w.start_s for w in reversed(words)}
    # Heard when the evidence starts: "companies in your industry", "sent you an email".
    assert cues.value_at_s == start_of["companies"]
    assert cues.cta_at_s == start_of["sent"]
    # Pace over the last 10 s of words: they were timed at 150 wpm (syllable-weighted).
    assert cues.pace_wpm is not None and 120 <= cues.pace_wpm <= 180


def test_no_pace_from_too_few_words_and_nothing_heard_yet(profile) -> None:  # type: ignore[no-untyped-def]
    assert word_cues(words_from_text("Hi there.", 150.0), 1.0, profile).pace_wpm is None
    assert word_cues([], 0.0, profile) == WordCues(heard_s=0.0)


def test_the_nudge_comes_near_the_end_of_the_target_until_a_call_to_action(profile) -> None:  # type: ignore[no-untyped-def]
    preset = profile.length_preset("standard")
    due = preset.target_max_s - profile.live.nudge_before_s
    quiet = WordCues(heard_s=10.0, words=20, value_at_s=3.0)
    assert cues_at(due - 0.1, quiet, preset, profile).nudge is None
    assert cues_at(due, quiet, preset, profile).nudge == "Time for your call to action"
    asked = WordCues(heard_s=20.0, words=40, value_at_s=3.0, cta_at_s=18.0)
    assert cues_at(due + 3, asked, preset, profile).nudge is None
    assert cues_at(due, quiet, preset, profile, overflows=2).overflows == 2


def test_live_settings_come_from_the_profile(tmp_path, profile) -> None:  # type: ignore[no-untyped-def]
    from voicemail_coach.analysis.profile import ProfileError
    from voicemail_coach.analysis.profile_loader import default_profile_path, load_profile

    text = default_profile_path().read_text(encoding="utf-8")
    custom = tmp_path / "custom.toml"
    custom.write_text(
        text.replace('nudge_text = "Time for your call to action"', 'nudge_text = "Ask now"')
    )
    assert load_profile(custom).live.nudge_text == "Ask now"
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace("nudge_before_s = 5.0", "nudge_before_s = -1.0"))
    with pytest.raises(ProfileError, match=r"live\.nudge_before_s: must not be negative"):
        load_profile(bad)
    old = tmp_path / "old.toml"  # profiles written before [live] existed still load
    start = text.index("[live]")
    old.write_text(text[:start] + text[text.index("\n# ---", start) :])
    assert load_profile(old).live == profile.live


def test_the_widget_shows_the_cues(qtbot) -> None:  # type: ignore[no-untyped-def]
    from voicemail_coach.app.widgets.live_cues import LiveCuesView

    view = LiveCuesView()
    qtbot.addWidget(view)
    view.show()
    heard = WordCues(heard_s=12.0, words=30, pace_wpm=152.0, fillers=2, value_at_s=4.2)
    view.show_cues(LiveCues(26.0, heard, "Time for your call to action", 0))
    assert view.pace.text() == "Pace 152 wpm"
    assert view.fillers.text() == "Fillers 2"
    assert view.value.text() == "\u2713 Value at 0:04"
    assert view.cta.text() == "Next step \u2013 not yet"
    assert view.nudge.isVisible() and view.nudge.text() == "Time for your call to action"
    assert not view.overflow.isVisible()
    view.show_cues(LiveCues(27.0, WordCues(), None, 3))
    assert view.pace.text() == "Pace \u2013"
    assert not view.nudge.isVisible()
    assert view.overflow.isVisible()
    assert view.overflow.text().startswith("\u26a0 3 audio block(s) dropped")
    view.reset()
    assert view.value.text() == "" and not view.overflow.isVisible()


def test_the_live_value_cue_reads_sentences_as_the_report_does(profile) -> None:  # type: ignore[no-untyped-def]
    """Whisper's "We help. Payroll teams ..." (a full stop with no pause behind it) is one
    sentence in the report; the live tick must see the same value proposition."""
    from voicemail_coach.analysis.transcript import Word

    words = [
        Word("We", 3.86, 3.92), Word("help.", 3.92, 4.30), Word("Payroll", 4.40, 4.72),
        Word("teams", 4.72, 5.08), Word("get", 5.08, 5.36), Word("every", 5.36, 5.6),
        Word("paycheck", 5.6, 6.0), Word("right.", 6.0, 6.3),
    ]  # fmt: skip
    cues = word_cues(words, 6.3, profile)
    assert cues.value_at_s == 3.86  # the evidence "We help Payroll teams get every" starts here


def test_the_live_line_drops_cut_artefacts_but_the_words_stay() -> None:
    """At a cut between two live pieces Whisper writes a full stop whatever was said, and splits
    a phone number's digits; the line on the page is tidied, the words the analysis reads are
    not."""
    from voicemail_coach.analysis.live_cues import tidy_live_text
    from voicemail_coach.analysis.transcript import Word

    words = [
        Word("Call", 14.0, 14.2), Word("me", 14.2, 14.3), Word("when", 14.3, 14.5),
        Word("you.", 14.5, 14.7), Word("Get", 15.3, 15.5), Word("a", 15.5, 15.6),
        Word("second.", 15.6, 16.0), Word("My", 16.6, 16.7), Word("number", 16.7, 17.0),
        Word("is", 17.0, 17.1), Word("859", 17.2, 17.8), Word("-473", 17.9, 18.5),
        Word("-4272.", 18.6, 19.4),
    ]  # fmt: skip
    original = list(words)
    line = tidy_live_text(words, cuts=(15.0,))
    assert line == "Call me when you get a second. My number is 859-473-4272."
    assert words == original and words[3].text == "you." and words[4].text == "Get"
    # Without a cut there, a full stop is the speaker's: kept, capital and all.
    assert tidy_live_text(words[:7]) == "Call me when you. Get a second."
    # "I" keeps its capital when the stop before it goes.
    assert tidy_live_text([Word("then.", 1.0, 1.2), Word("I'll", 1.5, 1.7)], (1.3,)) == (
        "then I'll"
    )
    assert tidy_live_text([Word("859", 0, 1), Word("-", 1, 1.1), Word("473", 1.2, 2),
                           Word("4272", 2, 3)]) == "859-473-4272"  # fmt: skip


def test_the_widget_shows_the_tidy_line(qtbot) -> None:  # type: ignore[no-untyped-def]
    from voicemail_coach.app.widgets.live_cues import HEARD_CHARS, LiveCuesView

    view = LiveCuesView()
    qtbot.addWidget(view)
    view.show()
    text = "when you get a second. My number is 859-473-4272."
    view.show_cues(LiveCues(20.0, WordCues(heard_s=19.0, words=30, text=text), None, 0))
    assert view.heard.isVisible() and view.heard.text() == text
    long = " ".join(["word"] * 80) + " the end."
    view.show_cues(LiveCues(21.0, WordCues(heard_s=20.0, words=81, text=long), None, 0))
    assert view.heard.text().startswith("\u2026word") and view.heard.text().endswith("the end.")
    assert len(view.heard.text()) <= HEARD_CHARS + 1
    view.reset()
    assert not view.heard.isVisible() and view.heard.text() == ""
