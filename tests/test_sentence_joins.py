"""Where the value proposition starts: Whisper's mid-phrase full stops and leading fillers.

From the evaluation set: Whisper wrote "So, um, uh, we help. Payroll teams cut ..." and the
value proposition was dated at "Payroll" (0.8 s after the rep began it with "we help").
"""

from __future__ import annotations

import pytest

from voicemail_coach.analysis.phrase_rules import classify_sentence
from voicemail_coach.analysis.pipeline import analyze_script
from voicemail_coach.analysis.profile import Profile
from voicemail_coach.analysis.profile_loader import load_profile
from voicemail_coach.analysis.transcript import Word, split_sentences
from voicemail_coach.analysis.word_filter import join_split_phrases


@pytest.fixture(scope="module")
def profile() -> Profile:
    return load_profile()


def _words(spec: str) -> list[Word]:
    """'text@start-end ...' -> words."""
    out = []
    for item in spec.split():
        text, times = item.rsplit("@", 1)
        start, end = times.split("-")
        out.append(Word(text.replace("_", " "), float(start), float(end)))
    return out


def test_a_full_stop_after_help_with_no_pause_behind_it_does_not_end_the_sentence(
    profile: Profile,
) -> None:
    words = _words("So,@3.78-4.24 we@4.98-5.10 help.@5.10-5.48 Payroll@5.60-5.90 teams@5.9-6.2")
    cfg = profile.sentences
    joined = join_split_phrases(words, cfg)
    assert [w.text for w in joined] == ["So,", "we", "help", "Payroll", "teams"]
    assert [w.start_s for w in joined] == [w.start_s for w in words]
    assert [s.text for s in split_sentences(joined)] == ["So, we help Payroll teams"]


def test_a_real_sentence_end_stays(profile: Profile) -> None:
    cfg = profile.sentences
    # A name can end a sentence; "help." followed by a real pause ends one too.
    greeting = _words("Hello,@0.3-0.74 Priya.@0.78-1.06 This@1.10-1.3 is@1.3-1.5")
    assert join_split_phrases(greeting, cfg) == greeting
    happy = _words("Happy@9.0-9.3 to@9.3-9.4 help.@9.4-9.8 Talk@10.4-10.6 soon.@10.6-11.0")
    assert join_split_phrases(happy, cfg) == happy
    assert len(split_sentences(happy)) == 2


@pytest.mark.parametrize(
    ("text", "is_value"),
    [
        ("We help restaurants waste less food every week.", True),
        ("We help Payroll teams get every paycheck right the first time.", True),
        ("We help hospitals fill their night shifts within a day.", True),
        ("Our clients spend less on freight.", True),
        ("We help companies of all sizes.", False),
        ("We help teams with their payroll.", False),
        ("We help businesses like yours.", False),
        ("I can help you with that.", False),
    ],
)
def test_helping_an_audience_do_something_is_a_value_proposition(
    profile: Profile, text: str, is_value: bool
) -> None:
    assert ("value_proposition" in classify_sentence(text, profile).labels) == is_value


def test_the_value_proposition_starts_at_its_first_word_that_is_not_a_filler(
    profile: Profile,
) -> None:
    report = analyze_script(
        "Hi Dana, this is Sam Lee from Acme Freight. So, um, uh, we help clinics cut their "
        "no-shows in half. I'll send you an email today.",
        profile,
    )
    vp = report.value_proposition
    # The moment is the clause from the first word that is not a filler.
    assert vp.found and vp.text.startswith("we help clinics cut their no-shows")
    we = next(w for w in report.transcript.words if w.text == "we")
    so = next(w for w in report.transcript.words if w.text == "So,")
    assert vp.start_s == we.start_s > so.start_s
    # A sentence without fillers starts where it starts.
    cta = report.call_to_action
    assert cta.found and cta.start_s == next(
        w.start_s for w in report.transcript.words if w.text == "I'll"
    )


def test_a_word_whisper_starts_late_after_a_break_starts_with_its_sound() -> None:
    """On every labelled recording Whisper started the first word after a break ~0.2 s after
    its sound began; the energy moves it back (at most LATE_START_S, never over another word)."""
    import numpy as np

    from voicemail_coach.analysis.acoustics import LATE_START_S, snap_to_speech
    from voicemail_coach.audio.levels import analyze_levels

    rate = 16_000
    rng = np.random.default_rng(1)
    samples = (rng.standard_normal(rate * 4) * 0.001).astype(np.float32)
    t = np.arange(rate * 4) / rate
    for a, b in ((0.5, 1.5), (2.0, 3.5)):  # two stretches of "speech", a 0.5 s break between
        on = (t >= a) & (t < b)
        samples[on] += (0.3 * np.sin(2 * np.pi * 220 * t[on])).astype(np.float32)
    levels = analyze_levels(samples, rate)
    words = [
        Word("Hi.", 0.5, 1.5),
        Word("We", 2.2, 2.5),  # 0.2 s late: moved back to 2.0
        Word("help", 2.5, 3.0),
        Word("far", 3.5 + LATE_START_S + 0.2, 3.9),  # nothing to snap to
    ]
    snapped = snap_to_speech(words, levels)
    assert [w.start_s for w in snapped] == [0.5, 2.0, 2.5, words[3].start_s]
    late = [Word("Hi.", 0.5, 1.5), Word("We", 2.0 + LATE_START_S + 0.1, 3.0)]
    assert snap_to_speech(late, levels)[1].start_s == late[1].start_s
