"""No message, no score: silence, noise, tones or music, a phone system's prompt, another
language and a word or two are refused with their reason; real messages are not."""

from __future__ import annotations

import dataclasses
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from eval import nonmessages as nm
from tests.conftest import AUDIO, REAL_AUDIO
from voicemail_coach.analysis import report as r
from voicemail_coach.analysis.acoustics import Acoustics, measure_acoustics
from voicemail_coach.analysis.no_message import screen
from voicemail_coach.analysis.pipeline import build_report
from voicemail_coach.analysis.profile import Profile, ProfileError
from voicemail_coach.analysis.profile_loader import load_profile, parse_profile
from voicemail_coach.analysis.report_text import render_text
from voicemail_coach.analysis.transcribe import SegmentStats
from voicemail_coach.analysis.transcript import Word, append_word, is_word, words_from_text
from voicemail_coach.app.cli.main import main

RATE = 16_000


def acoustics(x: np.ndarray, profile: Profile) -> Acoustics:
    return measure_acoustics(x.astype(np.float32), RATE, profile)


def words(text: str, p: float = 0.95, start_s: float = 0.5, step_s: float = 0.3) -> list[Word]:
    return [
        Word(t, round(start_s + i * step_s, 2), round(start_s + i * step_s + 0.25, 2), p)
        for i, t in enumerate(text.split())
    ]


def speechlike(seconds: float) -> np.ndarray:
    """Voiced syllables with a moving pitch: what the pitch tracker takes for speech."""
    t = np.arange(round(seconds * RATE)) / RATE
    f0 = 140 + 30 * np.sin(2 * np.pi * 0.7 * t)
    voice = sum(np.sin(2 * np.pi * k * np.cumsum(f0) / RATE) / k for k in range(1, 6))
    syllables = (np.sin(2 * np.pi * 4 * t) > -0.2).astype(float)
    return 0.1 * voice * syllables


GREETING = "The person you are calling is not available. Please leave your message after the tone."
MESSAGE = (
    "Hi Dana, this is Sam Rivera from Northwind Finance. We help finance teams close their "
    "books two days faster. I sent you an email this morning with a short overview. I will "
    "call you again on Friday, and if the timing is wrong just let me know."
)


# the detector on its own (no model) ---------------------------------------------------------


def test_each_kind_of_non_message_from_words_and_audio(profile: Profile) -> None:
    rng = np.random.default_rng(1)
    quiet = rng.normal(0, 10 ** (-65 / 20), 3 * RATE)
    cough = quiet.copy()
    cough[RATE : RATE + 4000] += rng.normal(0, 0.1, 4000) * np.exp(-np.arange(4000) / 1300)
    noise = rng.normal(0, 0.03, 3 * RATE)
    t = np.arange(3 * RATE) / RATE
    beep = 0.2 * np.sin(2 * np.pi * 440 * t)
    speech = speechlike(3.0)
    cases = {
        "silence": (quiet, []),
        "silence with a cough": (cough, []),
        "noise": (noise, [Word("Yeah.", 1.0, 1.4, 0.01)]),
        "tone": (beep, words("Uh, uh, uh,", p=0.3)),
        "two words": (speech, words("Call me.", p=0.8)),
        "a voice, no word made out": (speech, words("Uh, um,", p=0.1)),
        "chords": (nm.chords(3.0), []),
        "another language, hardly a sure word": (speech, words("Goat and tag he switched to", 0.2)),
        "another language": (
            speech,
            words("Goat and tag he switched to Masuila from the " * 2, 0.45),
        ),
        "greeting": (speech, words(GREETING, p=0.93, step_s=0.1)),
    }
    expected = {
        "silence": "silence",
        "silence with a cough": "silence",
        "noise": "noise",
        "tone": "tones_or_music",
        "two words": "few_words",
        "a voice, no word made out": "other_language",
        "chords": "tones_or_music",
        "another language": "other_language",
        "another language, hardly a sure word": "other_language",
        "greeting": "greeting",
    }
    got = {
        name: screen(w, (), acoustics(x, profile), profile).kind for name, (x, w) in cases.items()
    }
    assert got == expected


def test_figures_say_why(profile: Profile) -> None:
    verdict = screen(
        words(GREETING, 0.9, step_s=0.1), (), acoustics(speechlike(3.0), profile), profile
    )
    s = verdict.screening
    assert s.heard_words == 15 and s.median_word_probability == 0.9
    assert s.greeting_phrases >= 2 and s.greeting_word_share == 1.0
    assert s.voiced_share is not None and s.voiced_share > 0.5
    assert s.sound_s is not None and 1.4 < s.sound_s < 2.4  # the syllables, not the gaps


def test_a_prompt_then_a_real_message_is_a_message(profile: Profile) -> None:
    said = words(f"{GREETING} {MESSAGE}", p=0.93, step_s=0.08)
    assert screen(said, (), acoustics(speechlike(8.0), profile), profile).kind is None


def test_a_message_is_a_message_even_when_it_says_voicemail(profile: Profile) -> None:
    said = words(f"Sorry to leave you a voice mail. {MESSAGE}", p=0.9, step_s=0.1)
    assert screen(said, (), acoustics(speechlike(8.0), profile), profile).kind is None


def test_fillers_unsure_words_and_silent_segments_are_not_heard(profile: Profile) -> None:
    x = acoustics(speechlike(4.0), profile)
    # Six sure words, but in a segment the decoder called silent (Whisper's no-speech rule).
    six = words("Thank you so much for watching.", p=0.9)
    silent = SegmentStats(0.0, 4.0, no_speech_prob=0.8, avg_logprob=-0.9, compression_ratio=0.5)
    heard = SegmentStats(0.0, 4.0, no_speech_prob=0.2, avg_logprob=-0.3, compression_ratio=1.2)
    dropped = screen(six, (silent,), x, profile)
    assert dropped.screening.heard_words == 0 and dropped.kind == "other_language"
    assert screen(six, (heard,), x, profile).kind is None
    assert screen(words("Um, uh, um, uh, um, uh,"), (), x, profile).screening.heard_words == 0
    unsure = words("Thank you so much for watching.", p=0.1)
    assert screen(unsure, (), x, profile).screening.heard_words == 0


def test_the_thresholds_decide(profile: Profile) -> None:
    x = acoustics(speechlike(4.0), profile)
    said = words("We help finance teams close their books faster every month.", p=0.8)
    assert screen(said, (), x, profile).kind is None
    stricter = dataclasses.replace(profile.no_message, min_median_word_probability=0.85)
    assert screen(said, (), x, dataclasses.replace(profile, no_message=stricter)).kind == (
        "other_language"
    )


def test_a_report_without_a_message_has_no_checks_and_no_score(profile: Profile) -> None:
    quiet = np.random.default_rng(2).normal(0, 10 ** (-65 / 20), 3 * RATE).astype(np.float32)
    source = r.Source(duration_s=3.0, path="quiet.flac")
    model = r.ModelInfo("tiny.en", "int8", "/model", None)
    report = build_report([], profile, "standard", source, model, quiet, RATE, ())
    assert report.score is None and report.checks == () and not report.is_message
    assert report.no_message_kind == "silence"
    assert report.no_message_reason == profile.no_message.reasons["silence"]
    data = json.loads(report.to_json())
    assert data["score"] is None and data["no_message_reason"]
    assert r.Report.from_json(report.to_json()) == report
    text = render_text(report)
    assert "no score" in text and profile.no_message.reasons["silence"] in text


def test_a_written_script_is_never_screened(profile: Profile) -> None:
    from voicemail_coach.analysis.pipeline import analyze_script

    report = analyze_script("Call me.", profile)
    assert report.is_message and report.score is not None


def test_profile_names_a_missing_or_unknown_reason() -> None:
    import tomllib

    from voicemail_coach.analysis.profile_loader import default_profile_path

    data = tomllib.loads(default_profile_path().read_text(encoding="utf-8"))
    del data["no_message"]["reasons"]["noise"]
    with pytest.raises(ProfileError, match=r"no_message\.reasons\.noise: missing"):
        parse_profile(data, "mine.toml")
    data["no_message"]["reasons"]["noise"] = "Noise."
    data["no_message"]["min_wrods"] = 3
    with pytest.raises(ProfileError, match=r"no_message\.min_wrods: unknown key"):
        parse_profile(data, "mine.toml")


def test_an_older_profile_without_the_table_borrows_the_default() -> None:
    import tomllib

    from voicemail_coach.analysis.profile_loader import default_profile_path

    data = tomllib.loads(default_profile_path().read_text(encoding="utf-8"))
    del data["no_message"]
    assert (
        parse_profile(data, "old.toml").no_message.min_words == load_profile().no_message.min_words
    )


# punctuation is not a word ------------------------------------------------------------------


def test_punctuation_only_tokens_are_not_words() -> None:
    assert is_word("a") and is_word("555") and is_word("I'll")
    assert not is_word(".") and not is_word("...") and not is_word("-")
    out: list[Word] = []
    for w in (Word(".", 0.0, 0.1), Word("Hi", 0.2, 0.4), Word(".", 0.5, 0.6), Word("?", 0.7, 0.8)):
        append_word(out, w)
    assert out == [Word("Hi.?", 0.2, 0.4)]
    script = words_from_text("Call me - today .", 150)
    assert [w.text for w in script] == ["Call", "me-", "today."]


# the real model, on short generated clips and on real recordings ----------------------------


@pytest.fixture(scope="module")
def clips() -> Iterator[dict[str, Path]]:
    """Short non-messages made at test time (numpy, sox, espeak-ng) and what each should be."""
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        made = {
            "white_noise": nm.at_dbfs(nm.sox(["whitenoise"], 4.0, tmp), -30.0),
            "brown_noise": nm.at_dbfs(nm.sox(["brownnoise"], 4.0, tmp), -25.0),
            "tone": nm.room(nm.tone((440.0,), 4.0), tmp),
            "dtmf": nm.room(nm.dtmf("5553124477"), tmp),
            "chords": nm.room(nm.chords(5.0), tmp),
            "cough": nm.room(np.concatenate([nm.gap(1.5), nm.cough(tmp), nm.gap(2.0)]), tmp),
            "greeting": nm.greeting(nm.GREETINGS[0], "en-us", tmp),
            "german": nm.foreign(nm.FOREIGN["de"], "de", tmp),
            "two_words": nm.spoken("Call me.", "en-us", 1.0, 2.0, tmp),
        }
        paths = {}
        for name, x in made.items():
            paths[name] = tmp / f"{name}.flac"
            sf.write(paths[name], np.clip(x, -1, 1).astype(np.float32), RATE)
        yield paths


CLIP_KINDS = {
    "white_noise": "noise",
    "brown_noise": "noise",
    "tone": "tones_or_music",
    "dtmf": "tones_or_music",
    "chords": "tones_or_music",
    "cough": "silence",
    "greeting": "greeting",
    "german": "other_language",
    "two_words": "few_words",
}


@pytest.mark.model
def test_cli_json_refuses_every_kind_of_non_message_with_its_reason(
    clips: dict[str, Path], capsys: pytest.CaptureFixture[str], profile: Profile
) -> None:
    names = list(clips)
    code = main(["analyze", "--json", *(str(clips[n]) for n in names)])
    out, _ = capsys.readouterr()
    assert code == 0
    got = dict(zip(names, json.loads(out), strict=True))
    assert {n: rep["no_message_kind"] for n, rep in got.items()} == CLIP_KINDS
    for name, rep in got.items():
        assert rep["score"] is None, name
        assert rep["checks"] == [], name
        assert rep["no_message_reason"] == profile.no_message.reasons[CLIP_KINDS[name]]


MESSAGES = [AUDIO / f"{n}.flac" for n in ("good", "bad", "fillers", "pauses", "premature_ask")]
REAL_MESSAGES = [
    REAL_AUDIO / n
    for n in (
        "sales_voicemail_busyline.mp3",
        "personal_voicemail_8k.wav",
        "jfk.wav",
        "hotwords.mp3",
    )
]


@pytest.mark.model
@pytest.mark.parametrize("path", MESSAGES + REAL_MESSAGES, ids=lambda p: p.name)
def test_real_and_synthetic_messages_are_scored(path: Path, analyzed) -> None:  # type: ignore[no-untyped-def]
    report = analyzed(path)
    assert report.is_message, (report.no_message_kind, report.screening)
    assert report.score is not None and report.checks
    s = report.screening
    # Margins: at least twice the words needed, surely English.
    assert s.heard_words >= 2 * load_profile().no_message.min_words
    assert s.median_word_probability >= load_profile().no_message.min_median_word_probability + 0.05


@pytest.mark.model
def test_a_real_phone_systems_prompt_is_refused(analyzed) -> None:  # type: ignore[no-untyped-def]
    report = analyzed(REAL_AUDIO / "greeting_prompt.wav")
    assert report.no_message_kind == "greeting" and report.score is None


def test_library_keeps_a_non_message_without_figures_and_skips_it_as_baseline(
    tmp_path: Path, profile: Profile
) -> None:
    from voicemail_coach.analysis.pipeline import analyze_script
    from voicemail_coach.storage.library import Library

    scored = analyze_script(MESSAGE, profile)
    quiet = np.random.default_rng(3).normal(0, 10 ** (-65 / 20), 3 * RATE).astype(np.float32)
    model = r.ModelInfo("tiny.en", "int8", "/model", None)
    source = r.Source(duration_s=3.0, path="quiet.flac")
    silent = build_report([], profile, "standard", source, model, quiet, RATE, ())
    with Library(tmp_path / "lib") as lib:
        first, second, third = (lib.add_file(AUDIO / "good.flac") for _ in range(3))
        lib.add_report(first.id, scored)
        lib.add_report(second.id, silent)
        lib.add_report(third.id, scored)
        kept = lib.attempt(second.id)
        assert kept.no_message == silent.no_message_reason and kept.score is None
        assert (kept.wpm, kept.fillers_per_min, kept.time_to_value_s) == (None, None, None)
        assert lib.latest_report(second.id).report == silent  # type: ignore[union-attr]
        previous = lib.previous(third.id)
        assert previous is not None and previous.id == first.id
        # Analyzed again as a message, the take gets its figures and loses the note.
        lib.add_report(second.id, scored)
        assert lib.attempt(second.id).no_message is None
        assert lib.previous(third.id).id == second.id  # type: ignore[union-attr]


def test_an_exported_report_says_there_is_no_message(profile: Profile) -> None:
    from voicemail_coach.app.export.report_html import build_report_html

    quiet = np.random.default_rng(4).normal(0, 10 ** (-65 / 20), 3 * RATE).astype(np.float32)
    model = r.ModelInfo("tiny.en", "int8", "/model", None)
    source = r.Source(duration_s=3.0, path="quiet.flac")
    silent = build_report([], profile, "standard", source, model, quiet, RATE, ())
    page = build_report_html(silent, None, title="Quiet take")
    assert "No voicemail message: There is nothing to hear" in page
    assert "/&nbsp;100" not in page and "not found" not in page and "Value proposition" not in page


@pytest.mark.model
def test_a_phone_systems_prompt_then_a_message_is_scored(
    tmp_path: Path,
    transcriber,
    profile: Profile,  # type: ignore[no-untyped-def]
) -> None:
    from voicemail_coach.analysis.pipeline import analyze_file

    prompt = nm.greeting(nm.GREETINGS[0], "en-us", tmp_path)
    message, rate = sf.read(AUDIO / "good.flac", dtype="float64")
    assert rate == RATE
    both = tmp_path / "prompt_then_message.flac"
    sf.write(both, np.concatenate([prompt, message]).astype(np.float32), RATE)
    # Untrimmed, the screen hears the prompt's phrases and still finds a message.
    report = analyze_file(both, transcriber, profile, trim=False)
    assert report.is_message and report.score is not None
    assert report.screening is not None and report.screening.greeting_phrases >= 2
    assert report.value_proposition.found
    # Opened as a file is (trimmed), the prompt and its beep are cut before the message.
    from voicemail_coach.audio.tones import find_message_start

    found = find_message_start(np.concatenate([prompt, message]).astype(np.float32), RATE)
    beep_end_s = len(prompt) / RATE - 1.0  # the prompt ends with its beep and a second's gap
    assert found.trimmed and abs(found.start_s - beep_end_s) < 0.3
