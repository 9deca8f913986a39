"""End to end through the real audio stack: a PulseAudio virtual mic, PortAudio, the app, Whisper.

A private PulseAudio daemon (bench/vmic.py: its own socket, runtime and config folders) provides
a null sink ``vsink`` and a source ``vmic`` remapped from its monitor, as in VIRTUAL_MIC.md
section A.
tests/vmic_take.py records a take with the real app in a subprocess while ``paplay`` plays
pauses.flac into ``vsink``; this test checks the words, timings and file that come out.

Needs (Debian): pulseaudio pulseaudio-utils libasound2-plugins libportaudio2. Missing ones make
the test fail, never skip.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import soundfile

from bench import vmic
from tests.conftest import AUDIO, REPO
from voicemail_coach.analysis.wer import word_error

pytestmark = pytest.mark.model

SPEECH = AUDIO / "pauses.flac"
# From tests/data/audio/SCRIPTS.md and the bundled model's words on the file itself.
SPEECH_S = 16.06
GAP_START_S, GAP_END_S = 5.52, 8.87  # audible gap, speech end to speech restart
VALUE_PROP_S = 8.9  # "We help shipping teams ..." starts
TAYLOR_TO_SHIPPING_S = 9.52 - 2.36
TAKE_TIMEOUT_S = 120.0
SPEECH_TEXT = (  # tests/data/audio/SCRIPTS.md
    "Hi Taylor, this is Morgan Blake from Clearpath Logistics. We help shipping teams cut their "
    "delivery delays. I'll send you an email with the details today. Talk soon."
)
SANDBOX_ENV = (
    "VOICEMAIL_COACH_DATA_DIR",
    "VOICEMAIL_COACH_CACHE_DIR",
    "VOICEMAIL_COACH_CONFIG_DIR",
)


@pytest.fixture()
def virtual_mic() -> Iterator[dict[str, str]]:
    """A private PulseAudio with a virtual mic (bench/vmic.py); yields the environment a client
    needs. A missing tool or a daemon that will not start or outlives the test fails it."""
    try:
        with vmic.virtual_mic() as env:
            yield env
    except vmic.VirtualMicError as exc:
        pytest.fail(str(exc), pytrace=False)


def _words(report: dict) -> list[tuple[str, float]]:
    return [
        ("".join(c for c in w["text"].lower() if c.isalnum()), w["start_s"])
        for w in report["transcript"]["words"]
    ]


def _start_of(word: str, report: dict) -> float:
    starts = [start for text, start in _words(report) if text == word]
    assert starts, f"{word!r} not among the words: {_words(report)}"
    return starts[0]


def test_take_from_virtual_mic(virtual_mic: dict[str, str]) -> None:
    env = dict(virtual_mic)
    env["QT_QPA_PLATFORM"] = "offscreen"
    for key in SANDBOX_ENV:  # set by conftest: the child never touches the user's folders
        env[key] = os.environ[key]
    env.pop("VOICEMAIL_COACH_MODEL", None)
    try:
        take = subprocess.run(
            [
                sys.executable,
                str(REPO / "tests" / "vmic_take.py"),
                str(SPEECH),
                "--device",
                "pulse",
                "--timeout",
                str(TAKE_TIMEOUT_S),
            ],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=TAKE_TIMEOUT_S + 15,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"the take did not finish in time; output so far:\n{exc.stdout}\n{exc.stderr}")
    hint = ""
    if "bool_dealloc" in take.stderr:
        hint = (
            "\nThe app process aborted: a C extension dropped references to True. PySide6 6.12.0 "
            "on Python 3.11 does this on every Signal.emit() called from Python."
        )
    assert take.returncode == 0, (
        f"the take failed ({take.returncode}):{hint}\n{take.stdout}\n{take.stderr}"
    )
    lines = [line for line in take.stdout.splitlines() if line.startswith("VMIC_RESULT ")]
    assert len(lines) == 1, f"no result from the take:\n{take.stdout}\n{take.stderr}"
    out = json.loads(lines[0].removeprefix("VMIC_RESULT "))
    report = out["report"]
    # Where the fixture's time 0 falls in the recording (paplay started after the first audio).
    offset = out["offset_s"]
    context = (
        f"offset {offset:.2f} s, first audio after {out['first_audio_wall_s']:.2f} s, "
        f"messages {out['messages']}, transcript {report['transcript']['text']!r}"
    )

    # The recording got through intact: no dropped blocks, nothing the app complained about.
    assert out["error"] is None, context
    assert out["overflows"] == 0, context
    assert not [m for m in out["messages"] if m[0] in ("warning", "error")], context
    assert -out["trim_s"] <= offset < 10.0, context

    # The words came through the virtual mic. tiny.en spells the rare names differently on
    # different CPUs ("Morgan Lake", "Clear Path" with CTranslate2's generic kernels): the names
    # the timing below needs must be there, and the rest close to the script (those two
    # spellings and one more slip are 0.14).
    transcript = report["transcript"]["text"]
    text = "".join(c if c.isalnum() else " " for c in transcript.lower())
    text = " ".join(text.split())
    for phrase in ("taylor", "morgan", "shipping teams"):
        assert phrase in text, f"{phrase!r} missing; {context}"
    assert word_error(SPEECH_TEXT, transcript) <= 0.3, context
    gap = _start_of("shipping", report) - _start_of("taylor", report)
    assert abs(gap - TAYLOR_TO_SHIPPING_S) < 0.5, f"Taylor to shipping {gap:.2f} s; {context}"

    # The analysis found the parts of the message where the fixture has them.
    vp = report["value_proposition"]
    assert vp["found"], context
    assert 5.0 <= vp["start_s"] <= 14.0, context
    assert abs(vp["start_s"] - offset - VALUE_PROP_S) < 1.0, f"value prop {vp}; {context}"
    assert "shipping teams" in vp["text"].lower(), context
    cta = report["call_to_action"]
    assert cta["found"] and cta["kind"] == "email", f"call to action {cta}; {context}"

    # The 3 s gap in the fixture is a long pause, where the fixture has it.
    long_pauses = [p for p in report["delivery"]["pauses"] if p["duration_s"] >= 2.5]
    assert len(long_pauses) == 1, f"pauses {report['delivery']['pauses']}; {context}"
    pause = long_pauses[0]
    assert abs(pause["start_s"] - offset - GAP_START_S) < 1.0, f"pause {pause}; {context}"
    assert abs(pause["end_s"] - offset - GAP_END_S) < 1.0, f"pause {pause}; {context}"

    # The take was captured into the library as a WAV, then kept there as a 16 kHz mono FLAC
    # as long as the speech plus the lead-in and the tail.
    path = Path(out["recording"])
    assert path.is_file(), context
    captured = Path(out["result_path"])
    assert captured.name.endswith(".partial.wav") and not captured.exists(), context
    library_audio = Path(os.environ["VOICEMAIL_COACH_DATA_DIR"]) / "library" / "audio"
    assert path.parent == library_audio == captured.parent
    info = soundfile.info(str(path))
    assert (info.format, info.subtype) == ("FLAC", "PCM_16")
    assert (info.samplerate, info.channels) == (16000, 1)
    assert abs(info.duration - out["duration_s"]) < 0.01
    assert abs(report["source"]["duration_s"] - info.duration) < 0.05
    # paplay ends when the sink has played it all; then 0.5 s wait and the 0.5 s recorded tail.
    expected = offset + SPEECH_S + 1.0
    assert expected - 0.5 <= info.duration <= expected + 2.0, (
        f"recording {info.duration:.2f} s, expected about {expected:.2f} s; {context}"
    )
