"""Property tests: any script text, and any short audio, give a valid report or a clear error."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest
import soundfile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voicemail_coach.analysis.pipeline import ScriptError, analyze_audio, analyze_script
from voicemail_coach.analysis.profile import CHECK_IDS, NO_MESSAGE_REASONS
from voicemail_coach.analysis.report import STATUSES, Report
from voicemail_coach.audio.io import AudioLoadError, load_audio

WORDS = st.sampled_from(
    "hi this is sam from acme we help clinics cut no-shows um uh like so you know call me at "
    "555 201 4477 I'll try you again Friday our superior best in the industry budget demo "
    "if the timing is wrong just tell me . , ? ! Dana's 30-minute".split()
)
TEXTS = st.one_of(st.text(max_size=400), st.lists(WORDS, max_size=80).map(" ".join))


def assert_valid(report: Report) -> None:
    if report.is_message:
        assert {c.id for c in report.checks} == set(CHECK_IDS)
        assert all(c.status in STATUSES for c in report.checks)
        assert all(c.message and c.principle_title for c in report.checks)
        assert report.score is not None and 0 <= report.score <= 100
        assert report.no_message_reason is None
    else:  # no voicemail message: no checks, no score, and why
        assert report.checks == () and report.score is None
        assert report.no_message_kind in NO_MESSAGE_REASONS and report.no_message_reason
    end = report.source.duration_s + 0.05
    for w in report.transcript.words:
        assert 0 <= w.start_s <= w.end_s <= end
    for moment in (report.intro, report.value_proposition, report.call_to_action, report.opt_out):
        if moment.found:
            assert moment.start_s is not None and moment.end_s is not None
            assert 0 <= moment.start_s <= moment.end_s <= end
    assert Report.from_json(report.to_json()) == report


@settings(max_examples=150, deadline=None)
@given(text=TEXTS)
def test_any_script_gives_a_report_or_a_clear_error(text: str, profile) -> None:  # type: ignore[no-untyped-def]
    try:
        report = analyze_script(text, profile)
    except ScriptError as exc:
        assert "script" in str(exc)
        return
    assert_valid(report)


SIGNALS = st.tuples(
    st.sampled_from(["silence", "noise", "tone", "clipped", "speechlike"]),
    st.floats(min_value=0.05, max_value=3.0),
    st.floats(min_value=1e-4, max_value=1.0),
    st.integers(min_value=0, max_value=2**16),
    st.sampled_from([8000, 16000, 44100]),
)


def make_signal(kind: str, seconds: float, level: float, seed: int, rate: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    n = max(1, int(seconds * rate))
    t = np.arange(n) / rate
    if kind == "silence":
        return np.zeros(n)
    if kind == "noise":
        return level * rng.standard_normal(n)
    if kind == "tone":
        return level * np.sin(2 * np.pi * 220 * t)
    if kind == "clipped":
        return np.clip(3 * np.sin(2 * np.pi * 150 * t), -1, 1)
    envelope = np.abs(np.sin(2 * np.pi * 3 * t))
    return level * envelope * np.sin(2 * np.pi * (120 + 40 * np.sin(2 * np.pi * 0.5 * t)) * t)


@pytest.mark.model
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(signal=SIGNALS)
def test_any_short_audio_gives_a_report_or_a_clear_error(signal, transcriber, profile) -> None:  # type: ignore[no-untyped-def]
    kind, seconds, level, seed, rate = signal
    samples = np.clip(make_signal(kind, seconds, level, seed, rate), -1, 1)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "clip.wav"
        soundfile.write(path, samples, rate, subtype="PCM_16")
        try:
            audio = load_audio(path)
        except AudioLoadError as exc:
            assert str(path) in str(exc)
            return
    assert_valid(analyze_audio(audio, transcriber, profile))
