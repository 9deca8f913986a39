"""Each acoustic delivery detector on small generated recordings whose truth is known.

The audio comes from eval.make_set (espeak-ng parts joined with known times, sox noise and
phone band), so every expected time below is read from the generated truth, not guessed.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from eval import make_set
from voicemail_coach.analysis.acoustics import Acoustics, measure_acoustics
from voicemail_coach.analysis.hesitation import find_hesitations
from voicemail_coach.analysis.intonation import end_rise, is_question
from voicemail_coach.analysis.pace import message_end_ratio, sentence_pace, syllables
from voicemail_coach.analysis.pitch import measure_pitch
from voicemail_coach.analysis.profile import Profile
from voicemail_coach.analysis.quality import is_telephone_band, pause_noise_dbfs, snr_db
from voicemail_coach.analysis.report import FillerWord
from voicemail_coach.analysis.transcript import Word
from voicemail_coach.audio.io import load_audio

TRUTH = """
[[case]]
id = "rise_fall"
parts = [
  { say = "We help building managers cut their power bills?", rising = true },
  { say = "I will send you the numbers by email today." },
]

[[case]]
id = "flat"
range = "x-low"
parts = [
  { say = "Hi Dana, this is Sam Rivera from Northwind Finance." },
  { say = "We help finance teams close their books faster every month." },
  { say = "I will call you again on Friday afternoon." },
]

[[case]]
id = "lively"
range = "x-high"
parts = [
  { say = "Hi Dana, this is Sam Rivera", pitch = "+40%" },
  { say = "from Northwind Finance.", pitch = "-20%" },
  { say = "We help finance teams", pitch = "+50%" },
  { say = "close their books faster every month.", pitch = "-10%" },
  { say = "I will call you again on Friday.", pitch = "+20%" },
]

[[case]]
id = "held"
parts = [
  { say = "Hi Taylor, this is Morgan Blake from Clearpath Logistics." },
  { hesitation = "um" },
  { say = "We help shipping teams cut their delivery delays." },
  { pause = 2.5 },
  { say = "I will try you again next week." },
]

[[case]]
id = "noisy"
snr_db = 15
noise = "whitenoise"
parts = [
  { say = "Hi Robin, this is Casey Park from Tidewater Energy." },
  { pause = 1.0 },
  { say = "We help building managers cut their power bills." },
]

[[case]]
id = "phone_line"
telephone = true
parts = [
  { say = "Hi Jordan, this is Riley Shaw from Beacon Health." },
  { pause = 0.8 },
  { say = "We help clinics cut the time patients spend waiting." },
]
"""

Case = tuple[dict[str, Any], Acoustics]


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory, profile: Profile) -> dict[str, Case]:
    folder = tmp_path_factory.mktemp("delivery")
    truth_file = folder / "truth.toml"
    truth_file.write_text(TRUTH)
    make_set.make_set(folder / "out", truth_path=truth_file)
    out: dict[str, Case] = {}
    for j in sorted((folder / "out").glob("*.json")):
        truth = json.loads(j.read_text())
        audio = load_audio(Path(j.parent, truth["file"]))
        out[truth["id"]] = (truth, measure_acoustics(audio.samples, audio.sample_rate, profile))
    return out


def part(truth: dict[str, Any], kind: str, n: int = 0) -> dict[str, Any]:
    found: dict[str, Any] = [p for p in truth["parts"] if p["kind"] == kind][n]
    return found


def test_a_rising_statement_end_is_uptalk_and_a_falling_one_is_not(
    cases: dict[str, Case], profile: Profile
) -> None:
    truth, ac = cases["rise_fall"]
    rising, falling = truth["parts"]
    cfg = profile.intonation
    up = end_rise(ac.pitch, rising["start_s"], rising["end_s"] + 0.05, cfg)
    down = end_rise(ac.pitch, falling["start_s"], falling["end_s"] + 0.05, cfg)
    assert up is not None and up >= cfg.rise_semitones, up
    assert down is not None and down < cfg.rise_semitones, down


def test_real_questions_may_rise_but_statements_with_a_question_mark_may_not() -> None:
    starts = ("would", "can", "do")
    assert is_question("Would you be open to a call?", starts)
    assert not is_question("We cut their power bills?", starts)
    assert not is_question("Would you be open to a call.", starts)
    assert is_question("Hey, just, did you find me a job yet?", (*starts, "did"), within=3)
    assert not is_question("Hey, just, did you find me a job yet?", (*starts, "did"), within=2)


def test_monotone_speech_is_flat_and_varied_speech_is_not(
    cases: dict[str, Case], profile: Profile
) -> None:
    cfg = profile.pitch
    _, flat_ac = cases["flat"]
    flat = measure_pitch(flat_ac.pitch, flat_ac.duration_s, cfg)
    _, lively_ac = cases["lively"]
    lively = measure_pitch(lively_ac.pitch, lively_ac.duration_s, cfg)
    assert flat is not None and lively is not None
    assert flat.sd_semitones < cfg.monotone_sd_semitones <= lively.sd_semitones
    # The flat windows merge into one stretch covering the whole message.
    assert len(flat.monotone_stretches) == 1
    stretch = flat.monotone_stretches[0]
    assert stretch.start_s == 0.0 and stretch.end_s == pytest.approx(flat_ac.duration_s, abs=0.05)
    assert not lively.monotone_stretches


def test_a_pause_is_found_from_the_energy_within_a_tenth_of_a_second(
    cases: dict[str, Case],
) -> None:
    truth, ac = cases["held"]
    pause = part(truth, "pause")
    spans = [s for s in ac.levels.silences if s.duration_s > 1.0]
    assert len(spans) == 1
    assert spans[0].start_s == pytest.approx(pause["start_s"], abs=0.1)
    assert spans[0].end_s == pytest.approx(pause["end_s"], abs=0.1)


def _words_for(truth: dict[str, Any]) -> list[Word]:
    """A transcript that left the hesitation out: each spoken part's words spread over its time."""
    words = []
    for p in truth["parts"]:
        if p["kind"] != "say":
            continue
        tokens = p["text"].split()
        step = (p["end_s"] - p["start_s"]) / len(tokens)
        words += [
            Word(t, round(p["start_s"] + i * step, 2), round(p["start_s"] + (i + 1) * step, 2))
            for i, t in enumerate(tokens)
        ]
    return words


def test_a_held_um_the_transcript_dropped_is_a_possible_hesitation_at_its_time(
    cases: dict[str, Case], profile: Profile
) -> None:
    truth, ac = cases["held"]
    held = part(truth, "hesitation")
    found = find_hesitations(_words_for(truth), [], ac, profile.hesitations)
    assert len(found) == 1
    assert found[0].start_s == pytest.approx(held["start_s"], abs=0.3)
    assert found[0].kind == "gap"
    # When the transcript has the filler, it is not reported a second time.
    heard = [FillerWord("um", held["start_s"], held["end_s"])]
    assert find_hesitations(_words_for(truth), heard, ac, profile.hesitations) == []


def test_ordinary_speech_has_no_hesitations(cases: dict[str, Case], profile: Profile) -> None:
    truth, ac = cases["rise_fall"]
    assert find_hesitations(_words_for(truth), [], ac, profile.hesitations) == []


def test_snr_is_estimated_within_three_db_of_the_mixed_level(
    cases: dict[str, Case], profile: Profile
) -> None:
    truth, ac = cases["noisy"]
    noise = pause_noise_dbfs(ac, profile.quality)
    estimate = snr_db(ac.levels.speech_rms_dbfs, noise, profile.quality)
    assert estimate == pytest.approx(truth["snr_db"], abs=3.0)
    _, clean = cases["held"]
    clean_snr = snr_db(
        clean.levels.speech_rms_dbfs, pause_noise_dbfs(clean, profile.quality), profile.quality
    )
    assert clean_snr == profile.quality.max_snr_db


def test_telephone_band_is_flagged_only_for_phone_line_audio(
    cases: dict[str, Case], profile: Profile
) -> None:
    assert is_telephone_band(cases["phone_line"][1], profile.quality) is True
    assert is_telephone_band(cases["held"][1], profile.quality) is False


def _timed(text: str, start: float, seconds_per_syllable: float) -> list[Word]:
    words, t = [], start
    for token in text.split():
        d = syllables(token) * seconds_per_syllable
        words.append(Word(token, round(t, 3), round(t + d, 3)))
        t += d + 0.03
    return words


def test_a_sentence_that_speeds_up_at_the_end_is_rushing(profile: Profile) -> None:
    cfg = profile.rushing
    calm = _timed("We help accounting teams close the month two days sooner", 0.0, 0.2)
    fast = _timed("and the setup takes an afternoon for your team", calm[-1].end_s + 0.05, 0.1)
    rate, ratio, rushing = sentence_pace(calm + fast, cfg)
    assert rushing and ratio is not None and ratio >= cfg.sentence_ratio
    # About 5 syllables a second at first (0.2 s each), then 10: the sentence's rate lies between.
    assert 5.0 < rate < 10.0
    steady = _timed("We help accounting teams close the month two days sooner than before", 0, 0.2)
    assert sentence_pace(steady, cfg)[2] is False
    # The whole message: the last seconds against the rest.
    long_calm = _timed(" ".join(["we help finance teams close their books"] * 7), 0.0, 0.2)
    closing = " ".join(["call me back any time this week or next week thanks a lot"] * 3)
    tail = _timed(closing, long_calm[-1].end_s, 0.08)
    ratio_end = message_end_ratio(long_calm + tail, cfg)
    assert ratio_end is not None and ratio_end >= cfg.message_ratio
    assert message_end_ratio(long_calm, cfg) == pytest.approx(1.0, abs=0.15)


def test_syllables_are_counted_from_the_spelling() -> None:
    assert syllables("hello") == 2
    assert syllables("close") == 1
    assert syllables("automate") == 3
    assert syllables("555") == 3
    assert syllables("7") == 2


def test_frame_levels_are_computed_once_and_shared(cases: dict[str, Case]) -> None:
    _, ac = cases["held"]
    assert len(ac.levels.frame_db) == int(ac.duration_s / 0.02)
    assert ac.levels.speech_frames.dtype == np.bool_
    # The pitch track covers the same recording.
    assert ac.pitch.times_s[-1] == pytest.approx(ac.duration_s, abs=0.05)
    assert dataclasses.is_dataclass(ac)


@pytest.mark.parametrize(
    ("text", "fillers"),
    [
        ("Most of them like, see results in a month.", ["like"]),
        ("I would like, if I may, to share an idea.", []),
        ("It looks like, at first, a big change.", []),
        ("So, um, we help payroll teams, you know, get it right.", ["so", "um", "you know"]),
        ("We help teams so that they can spend time with people.", []),
    ],
)
def test_fillers_in_context(text: str, fillers: list[str], profile: Profile) -> None:
    from voicemail_coach.analysis.delivery import find_fillers
    from voicemail_coach.analysis.transcript import split_sentences

    words = [Word(t, i * 0.3, i * 0.3 + 0.25) for i, t in enumerate(text.split())]
    found = find_fillers(words, split_sentences(words), profile)
    assert [f.text for f in found] == fillers


def test_words_squeezed_into_no_time_are_dropped_but_a_lone_short_filler_stays() -> None:
    from voicemail_coach.analysis.word_filter import drop_squeezed_runs

    real = [Word("on", 15.2, 15.58), Word("Wednesday.", 15.58, 16.0)]
    um = [Word("Bye.", 16.2, 16.5), Word("um", 16.6, 16.6)]
    invented = [Word(t, 16.0, 16.0) for t in "I'll see you next week.".split()]
    assert drop_squeezed_runs(real + invented + um) == real + um


def test_a_bad_value_in_a_new_delivery_table_is_refused_by_name(tmp_path: Path) -> None:
    """(A profile WITHOUT the tables borrows the default's: see tests/test_profile.py.)"""
    from voicemail_coach.analysis.profile import ProfileError
    from voicemail_coach.analysis.profile_loader import default_profile_path, load_profile

    text = default_profile_path().read_text()
    path = tmp_path / "old.toml"
    path.write_text(text.replace("[quality]", "[quality]\nsnr_floor = 3", 1))
    with pytest.raises(ProfileError, match=r"old\.toml: quality\.snr_floor: unknown key"):
        load_profile(path)
    path.write_text(text.replace("rise_semitones = 2.0", "rise_semitones = -2.0"))
    with pytest.raises(ProfileError, match=r"intonation\.rise_semitones: must not be negative"):
        load_profile(path)


def test_the_report_carries_the_new_figures_and_round_trips_through_json(
    cases: dict[str, Case], profile: Profile
) -> None:
    from voicemail_coach.analysis import report as r
    from voicemail_coach.analysis.pipeline import build_report

    truth, ac = cases["held"]
    report = build_report(
        _words_for(truth), profile, "standard", r.Source(round(ac.duration_s, 2)), None,
        ac.samples, ac.sample_rate, (),
    )  # fmt: skip
    d = report.delivery
    held = part(truth, "hesitation")
    assert [h.kind for h in d.hesitations] == ["gap"]
    assert d.hesitations[0].start_s == pytest.approx(held["start_s"], abs=0.3)
    assert len(d.sentences) == len(report.sentences)
    assert d.snr_db == profile.quality.max_snr_db and d.telephone_band is False
    hes = report.check("hesitations")
    assert hes.status == "pass" and hes.value == 1  # one possible hesitation: under warn_count
    assert hes.evidence[0].start_s == d.hesitations[0].start_s
    assert r.Report.from_json(report.to_json()) == report
    # A report saved before these fields existed still loads, with their defaults.
    data = report.to_dict()
    for key in ("hesitations", "sentences", "snr_db", "telephone_band", "monotone_stretches"):
        del data["delivery"][key]
    old = r.Report.from_dict(data)
    assert old.delivery.hesitations == () and old.delivery.snr_db is None


def test_a_hesitation_hidden_inside_a_stretched_word_is_still_found(
    cases: dict[str, Case], profile: Profile
) -> None:
    truth, ac = cases["held"]
    held = part(truth, "hesitation")
    words = _words_for(truth)
    # Whisper gives the held "um" to the word after it ("We" starts where the "um" starts) ...
    after = next(i for i, w in enumerate(words) if w.start_s >= held["end_s"])
    stretched = [
        *words[:after],
        Word("We", held["start_s"], words[after].end_s),
        *words[after + 1 :],
    ]
    found = find_hesitations(stretched, [], ac, profile.hesitations)
    assert [(h.kind, h.start_s) for h in found] == [
        ("word_start", pytest.approx(held["start_s"], abs=0.1))
    ]
    # ... or stretches the word before it over the "um": far longer than one syllable needs.
    before = after - 1
    w = words[before]
    long_word = [*words[:before], Word(w.text, w.start_s, held["end_s"]), *words[before + 1 :]]
    found = find_hesitations(long_word, [], ac, profile.hesitations)
    assert [h.kind for h in found] == ["in_word"]
