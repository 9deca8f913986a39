"""Analyze again: a profile-only change keeps the stored transcript, so the banner shows only
what the profile changed; a new transcription is named as such, with its reason."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from tests import fakes
from tests.conftest import AUDIO, real_audio
from voicemail_coach.analysis.pipeline import analyze_audio, analyze_script, reanalyze_audio
from voicemail_coach.analysis.profile import Profile
from voicemail_coach.analysis.profile_loader import load_profile
from voicemail_coach.analysis.report import Report, ReportSegment
from voicemail_coach.analysis.transcribe import (
    FILLER_PROMPT,
    SegmentStats,
    TranscriptionResult,
    resolve_model,
)
from voicemail_coach.analysis.transcript import Word, words_from_text
from voicemail_coach.app.controller import Controller, ModelHolder, retranscription_reason
from voicemail_coach.app.main_window import MainWindow
from voicemail_coach.app.settings import Settings
from voicemail_coach.app.verdict_changes import summary, verdict_changes
from voicemail_coach.audio.io import load_audio

GOOD_TEXT = (
    "Hi Dana, this is Sam Rivera from Northwind Finance. We work with companies in your industry "
    "to help them simplify their financial transactions, free up resources, and keep a closer "
    "eye on their cash flow. I sent you an email this morning with a short overview. If I "
    "haven't heard from you by Friday, I'll call you again on Monday. If the timing isn't right, "
    "just let me know and I won't follow up."
)
# What a second transcription of the same take "hears": the value proposition is gone (what is
# left is late), so a re-analysis that transcribed again changes more than the length verdict.
OTHER_TEXT = (
    "Hi Dana, this is Sam Rivera from Northwind Finance. I sent you an email this morning with "
    "a short overview. If I haven't heard from you by Friday, I'll call you again on Monday. If "
    "the timing isn't right, just let me know and I won't follow up."
)


class FakeTranscriber:
    """Stands in for the bundled model: scripted words, and a count of the calls."""

    name = "tiny.en"
    compute_type = "int8"

    def __init__(self) -> None:
        self.spec = resolve_model(None)
        self.calls = 0

    def transcribe(self, samples, progress=None, cancel=None, **_kw) -> TranscriptionResult:  # type: ignore[no-untyped-def]
        self.calls += 1
        text = GOOD_TEXT if self.calls == 1 else OTHER_TEXT
        words = tuple(words_from_text(text, 175.0))
        return TranscriptionResult(words, text, FILLER_PROMPT, 1.0)


class FakeHolder(ModelHolder):
    def __init__(self, transcriber: FakeTranscriber, model_dir: str | None = None) -> None:
        super().__init__(model_dir, keep_fillers=True)
        self.transcriber = transcriber

    def get(self):  # type: ignore[no-untyped-def]
        return self.transcriber

    def live_if_ready(self):  # type: ignore[no-untyped-def]
        return None


@pytest.fixture()
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("VOICEMAIL_COACH_DATA_DIR", str(folder))
    return folder


def test_the_same_profile_on_the_stored_transcript_gives_the_same_report(
    profile: Profile,
) -> None:
    audio = load_audio(AUDIO / "good.flac")
    fake = FakeTranscriber()
    first = analyze_audio(audio, fake, profile)  # type: ignore[arg-type]
    stored = Report.from_json(first.to_json())
    assert reanalyze_audio(stored, audio, profile) == first
    short = reanalyze_audio(stored, audio, profile, "short")
    assert fake.calls == 1
    assert short.transcript == first.transcript and short.model == first.model
    assert short.profile.length_preset == "short"
    assert verdict_changes(first, short)[1:] == [
        f"length: pass \u2192 {short.check('length').status}"
    ]
    assert short.check("length").status in ("warn", "fail")
    with pytest.raises(ValueError, match="written script"):
        reanalyze_audio(analyze_script(GOOD_TEXT, profile), audio, profile)


def test_what_needs_a_new_transcription(tmp_path: Path) -> None:
    fake = FakeTranscriber()
    audio = load_audio(AUDIO / "good.flac")
    from voicemail_coach.analysis.profile_loader import load_profile

    stored = analyze_audio(audio, fake, load_profile())  # type: ignore[arg-type]
    bundled = ModelHolder(None, keep_fillers=True)
    assert retranscription_reason(stored, bundled, asked=False) is None
    assert retranscription_reason(stored, bundled, asked=True) == "as asked"
    assert retranscription_reason(None, bundled, asked=False) == "no stored transcript"
    # The bundled model installed elsewhere (another checkout's venv) is the same model.
    assert stored.model is not None
    moved = dataclasses.replace(
        stored.model, path=str(Path("/elsewhere/site-packages") / Path(stored.model.path).name)
    )
    assert retranscription_reason(dataclasses.replace(stored, model=moved), bundled, False) is None
    folder = tmp_path / "base.en"
    folder.mkdir()
    (folder / "model.bin").write_bytes(b"")
    (folder / "config.json").write_text("{}")
    other = ModelHolder(str(folder), keep_fillers=True)
    assert retranscription_reason(stored, other, False) == "another model: tiny.en \u2192 base.en"
    no_prompt = ModelHolder(None, keep_fillers=False)
    assert retranscription_reason(stored, no_prompt, False) == "the filler prompt is off now"
    # Made without the prompt (turned off, or dropped because it derailed the decoder): the
    # same words would come back, so the transcript is kept.
    unprompted = dataclasses.replace(
        stored, model=dataclasses.replace(stored.model, initial_prompt=None)
    )
    assert retranscription_reason(unprompted, bundled, False) is None


def test_analyze_again_with_a_new_length_keeps_the_transcript_and_blames_only_the_profile(
    qtbot, data_dir
) -> None:  # type: ignore[no-untyped-def]
    fake = FakeTranscriber()
    controller = Controller(Settings(greeting=False), None, fakes.FakeOutputStream())
    controller.models = FakeHolder(fake)
    window = MainWindow(controller)
    qtbot.addWidget(window)
    with qtbot.waitSignal(controller.feedback_ready, timeout=30_000) as opened:
        window.open_path(str(AUDIO / "good.flac"))
    before = opened.args[0].report
    attempt_id = opened.args[0].attempt.id
    assert fake.calls == 1 and before.check("length").status == "pass"
    assert before.check("value_proposition").status == "pass"

    pages = window.library_pages
    assert pages is not None
    pages.ask_reanalysis = lambda title: (None, "short", None)
    with qtbot.waitSignal(controller.feedback_ready, timeout=30_000) as again:
        pages.reanalyze(attempt_id)
    after = again.args[0].report
    assert fake.calls == 1  # not transcribed again
    assert again.args[0].transcribed_again is None
    assert after.transcript == before.transcript
    length = after.check("length").status
    assert length in ("warn", "fail")
    qtbot.waitUntil(lambda: "Analyzed again" in window.banner.text, timeout=5000)
    assert window.banner.text == (
        "Analyzed again with the same transcript (Standard (20-30 s)): "
        f"score {before.score} \u2192 {after.score} (\u2212{before.score - after.score}); "
        f"length: pass \u2192 {length}."
    )

    # Asked for: transcribed again, and the banner says so (the words now differ).
    pages.ask_reanalysis = lambda title: (None, "short", None, True)
    with qtbot.waitSignal(controller.feedback_ready, timeout=30_000) as third:
        pages.reanalyze(attempt_id)
    fresh = third.args[0]
    assert fake.calls == 2 and fresh.transcribed_again == "as asked"
    assert fresh.report.transcript != after.transcript
    qtbot.waitUntil(lambda: "Transcribed again" in window.banner.text, timeout=5000)
    # Same profile and preset as the last analysis: every change is the new transcript's.
    lines = verdict_changes(after, fresh.report)
    # The new words have no value proposition (the phrase rules alone read one into "I sent you
    # an email ... with a short overview"; the meaning model does not).
    assert "value proposition: pass \u2192 fail" in lines
    assert window.banner.text == (
        "Transcribed again (as asked) and analyzed (Standard (20-30 s)); the new transcript can "
        "change a verdict too: " + "; ".join(lines) + "."
    )
    stored = controller.library.reports(attempt_id)
    assert [r.length_preset for r in stored] == ["short", "short", "standard"]
    window.close()


def test_the_dialog_asks_whether_to_transcribe_again(qtbot) -> None:  # type: ignore[no-untyped-def]
    from voicemail_coach.app.dialogs.reanalyze_dialog import ReanalyzeDialog

    dialog = ReanalyzeDialog(Settings(), "Take 1")
    qtbot.addWidget(dialog)
    assert not dialog.transcribe_again()
    dialog.transcribe.setChecked(True)
    assert dialog.transcribe_again()
    assert dialog.choice() == (None, "standard", None)


def test_summary_names_a_new_transcription_even_when_nothing_changed(profile: Profile) -> None:
    report = analyze_script(GOOD_TEXT, profile)
    assert summary(report, report) == (
        "Analyzed again with the same transcript (Standard (20-30 s)): the verdict is the same."
    )
    assert summary(report, report, "another model: tiny.en \u2192 base.en") == (
        "Transcribed again (another model: tiny.en \u2192 base.en) and analyzed "
        "(Standard (20-30 s)): the verdict is the same."
    )


@pytest.mark.model
@pytest.mark.parametrize("name", ["good.flac", "sales_voicemail_busyline.mp3"])
def test_a_real_transcript_analyzed_again_with_its_profile_is_the_same_report(
    name: str, analyzed, profile: Profile
) -> None:  # type: ignore[no-untyped-def]
    path = AUDIO / name if name == "good.flac" else real_audio(name)
    first = analyzed(path)
    audio = load_audio(path)
    stored = Report.from_json(first.to_json())
    assert reanalyze_audio(stored, audio, profile) == first
    # Another length school moves the length verdict and nothing measured from the words.
    short = reanalyze_audio(stored, audio, profile, "short")
    moved = {c.id for c in short.checks} ^ {c.id for c in first.checks}
    assert not moved
    changed = [c.id for c, d in zip(first.checks, short.checks, strict=True) if c != d]
    assert changed == ["length"]
    assert short.delivery == first.delivery


class SilentSegmentTranscriber(FakeTranscriber):
    """Six sure words in a stretch the decoder called silent (Whisper's no-speech rule): the
    screen hears none of them, so the take is no message. Without the segment's figures the
    same words would be heard, and the take scored."""

    WORDS = tuple(
        Word(t, round(0.5 + 0.3 * i, 2), round(0.75 + 0.3 * i, 2), 0.9)
        for i, t in enumerate("Thank you so much for watching.".split())
    )
    SEGMENT = SegmentStats(0.0, 4.0, no_speech_prob=0.8, avg_logprob=-0.9, compression_ratio=0.5)

    def transcribe(self, samples, progress=None, cancel=None, **_kw) -> TranscriptionResult:  # type: ignore[no-untyped-def]
        self.calls += 1
        text = " ".join(w.text for w in self.WORDS)
        return TranscriptionResult(self.WORDS, text, FILLER_PROMPT, 1.0, (self.SEGMENT,))


def test_a_stored_non_message_stays_one_when_analyzed_again_with_another_profile(
    qtbot, data_dir, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from tests.test_no_message import speechlike
    from voicemail_coach.storage.profile_store import ProfileStore

    take = tmp_path / "voice.flac"
    sf.write(take, speechlike(4.0).astype(np.float32), 16_000)
    fake = SilentSegmentTranscriber()
    controller = Controller(Settings(greeting=False), None, fakes.FakeOutputStream())
    controller.models = FakeHolder(fake)
    window = MainWindow(controller)
    qtbot.addWidget(window)
    with qtbot.waitSignal(controller.feedback_ready, timeout=30_000) as opened:
        window.open_path(str(take))
    before = opened.args[0].report
    assert before.no_message_kind == "other_language" and before.score is None
    assert before.screening is not None and before.screening.heard_words == 0
    assert before.transcript.segments == (ReportSegment(0.0, 4.0, 0.8, -0.9, 0.5),)
    attempt_id = opened.args[0].attempt.id

    short = str(ProfileStore().builtin / "short.toml")
    pages = window.library_pages
    assert pages is not None
    pages.ask_reanalysis = lambda title: (short, "short", None)
    with qtbot.waitSignal(controller.feedback_ready, timeout=30_000) as again:
        pages.reanalyze(attempt_id)
    after = again.args[0].report
    assert fake.calls == 1 and again.args[0].transcribed_again is None  # the stored words
    assert after.profile.name != before.profile.name
    assert (after.no_message_kind, after.no_message_reason, after.score) == (
        before.no_message_kind,
        before.no_message_reason,
        None,
    )
    assert after.screening == before.screening
    assert controller.library.attempt(attempt_id).no_message == before.no_message_reason

    # What re-analysis did before the figures were kept: the same words, all of them heard.
    stored = controller.library.latest_report(attempt_id).report
    bare = dataclasses.replace(
        stored, transcript=dataclasses.replace(stored.transcript, segments=())
    )
    audio = load_audio(controller.library.attempt(attempt_id).audio_path)
    assert reanalyze_audio(bare, audio, load_profile(short), "short").score is not None
    # So such a report is transcribed again rather than given a score.
    why = retranscription_reason(bare, FakeHolder(fake), asked=False)
    assert why == "stored without the decoder's figures that decide whether it is a message"
    assert retranscription_reason(stored, FakeHolder(fake), asked=False) is None
    window.close()
