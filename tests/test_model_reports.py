"""End-to-end analysis of the committed test recordings with the real bundled tiny.en model."""

from __future__ import annotations

import itertools

import pytest

from tests.conftest import AUDIO, real_audio
from voicemail_coach.analysis.report import Report

pytestmark = pytest.mark.model


def statuses(report: Report) -> dict[str, str]:
    return {c.id: c.status for c in report.checks}


def test_good_message_has_early_value_and_a_follow_up(analyzed) -> None:  # type: ignore[no-untyped-def]
    report = analyzed(AUDIO / "good.flac")
    vp = report.value_proposition
    assert vp.found
    assert vp.start_s is not None and 2.0 <= vp.start_s <= 10.0
    assert "help them" in vp.text
    assert vp.evidence is not None and vp.evidence.start_s >= vp.start_s
    cta = report.call_to_action
    assert cta.found and cta.kind in ("follow_up", "email")
    assert cta.start_s is not None and cta.start_s > vp.start_s
    assert "call you again" in cta.text
    assert report.opt_out.found and "timing" in report.opt_out.text
    assert report.intro.found and report.intro.start_s is not None and report.intro.start_s < 5.0
    checks = statuses(report)
    for check_id in ("value_proposition", "value_proposition_timing", "call_to_action", "opt_out"):
        assert checks[check_id] == "pass", check_id
    assert checks["self_praise"] == "pass"
    assert checks["pressure"] == "pass"


def test_bad_message_names_the_self_praise_and_scores_far_lower(analyzed) -> None:  # type: ignore[no-untyped-def]
    good = analyzed(AUDIO / "good.flac")
    bad = analyzed(AUDIO / "bad.flac")
    praise = [f for f in bad.findings if f.category == "self_praise"]
    quoted = " | ".join(f.text.lower() for f in praise)
    assert "clients love" in quoted
    assert "best customer service in the industry" in quoted
    assert all(f.start_s < f.end_s <= bad.source.duration_s for f in praise)
    check = bad.check("self_praise")
    assert check.status == "fail"
    assert {e.text for e in check.evidence} == {f.text for f in praise}
    assert not bad.opt_out.found
    assert bad.check("opt_out").status == "warn"
    assert not bad.value_proposition.found
    assert good.score - bad.score >= 25, (good.score, bad.score)


def test_fillers_are_found_with_times_and_proper_uses_are_not(analyzed) -> None:  # type: ignore[no-untyped-def]
    report = analyzed(AUDIO / "fillers.flac")
    fillers = [f.text for f in report.delivery.fillers]
    assert {"um", "uh", "you know", "kind of"} <= set(fillers)
    assert fillers.count("um") + fillers.count("uh") >= 3
    # "I would like to share" and "so that your team can" are not fillers.
    like_times = [f.start_s for f in report.delivery.fillers if f.text == "like"]
    would_like = next(
        w for w in report.transcript.words if w.text.lower().startswith("like") and w.start_s < 8
    )
    assert would_like.start_s not in like_times
    # "so that" opens a sentence of its own or runs on from the one before, by CPU kernels.
    words = report.transcript.words
    so_that = next(
        a
        for a, b in itertools.pairwise(words)
        if a.text.lower().strip(",.") == "so" and b.text.lower().startswith("that")
    )
    assert not any(f.text == "so" and f.start_s == so_that.start_s for f in report.delivery.fillers)
    assert report.check("fillers").status == "fail"
    assert report.delivery.filler_bursts


def test_too_long_message_fails_length(analyzed) -> None:  # type: ignore[no-untyped-def]
    report = analyzed(AUDIO / "too_long.flac")
    length = report.check("length")
    assert length.status == "fail"
    assert isinstance(length.value, float) and length.value > 45
    assert report.call_to_action.kind == "callback"
    assert len(report.phone_numbers) == 2


def test_premature_asks_are_quoted(analyzed) -> None:  # type: ignore[no-untyped-def]
    report = analyzed(AUDIO / "premature_ask.flac")
    asks = " | ".join(f.text.lower() for f in report.findings if f.category == "premature_ask")
    assert "30 minutes" in asks
    assert "demo" in asks
    assert "budget" in asks
    assert report.check("premature_ask").status == "fail"


def test_pauses_and_dead_air_come_from_the_audio(analyzed) -> None:  # type: ignore[no-untyped-def]
    report = analyzed(AUDIO / "pauses.flac")
    kinds = {p.kind: p for p in report.delivery.pauses}
    # The script puts 2.0 s of silence first and a 3 s gap ending at 8.87 s.
    assert kinds["dead_air_start"].end_s == pytest.approx(2.0, abs=0.15)
    long_pause = kinds["long"]
    assert long_pause.end_s == pytest.approx(8.87, abs=0.3)
    assert long_pause.duration_s >= 3.0
    assert report.check("pauses").status == "warn"


def test_real_voicemail_busyline(transcriber, profile) -> None:  # type: ignore[no-untyped-def]
    from voicemail_coach.analysis.pipeline import analyze_file

    path = real_audio("sales_voicemail_busyline.mp3")
    report = analyze_file(path, transcriber, profile)
    assert report.source.duration_s == pytest.approx(31.5, abs=0.2)
    assert report.check("length").status in ("warn", "fail")
    assert report.value_proposition.found
    assert "businesses" in report.value_proposition.text
    cta = report.call_to_action
    assert cta.found and cta.kind == "callback"
    assert cta.start_s is not None and cta.start_s > 20
    assert report.phone_numbers and report.phone_numbers[0].digits >= 10


def test_json_report_has_the_documented_shape(analyzed) -> None:  # type: ignore[no-untyped-def]
    report = analyzed(AUDIO / "good.flac")
    data = report.to_dict()
    for key in (
        "schema_version", "source", "model", "transcript", "sentences", "value_proposition",
        "call_to_action", "opt_out", "delivery", "checks", "score",
    ):  # fmt: skip
        assert key in data
    assert data["model"]["name"] == "tiny.en" and data["model"]["compute_type"] == "int8"
    word = data["transcript"]["words"][0]
    assert set(word) == {"text", "start_s", "end_s", "probability"}
    for key in ("duration_s", "speaking_s", "wpm", "articulation_wpm", "fillers", "pauses",
                "pitch_sd_semitones", "speech_rms_dbfs", "clipped_fraction"):  # fmt: skip
        assert key in data["delivery"]
    ids = {c["id"] for c in data["checks"]}
    assert ids == {
        "length", "intro", "value_proposition", "value_proposition_timing", "value_specificity",
        "call_to_action",
        "opt_out", "premature_ask", "self_praise", "pressure", "personalization", "phone_number",
        "pace", "fillers", "pauses", "monotone", "loudness", "hesitations", "uptalk", "rushing",
        "noise",
    }  # fmt: skip
    assert Report.from_json(report.to_json()) == report


def test_transcription_reports_progress_and_can_be_cancelled(transcriber) -> None:  # type: ignore[no-untyped-def]
    import threading

    from voicemail_coach.analysis.transcribe import Cancelled
    from voicemail_coach.audio.io import load_audio

    samples = load_audio(AUDIO / "too_long.flac").samples
    seen: list[float] = []
    cancel = threading.Event()

    def progress(fraction: float) -> None:
        seen.append(fraction)
        cancel.set()

    with pytest.raises(Cancelled):
        transcriber.transcribe(samples, progress, cancel)
    assert len(seen) == 1 and 0 < seen[0] < 1
    # The model is still usable after a cancel.
    result = transcriber.transcribe(load_audio(AUDIO / "good.flac").samples)
    assert "Northwind" in result.text.replace(" ", "") or "North Wind" in result.text
