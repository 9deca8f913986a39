"""End to end through the real audio stack: a PulseAudio virtual mic, PortAudio, the app, Whisper.

A private PulseAudio daemon (its own socket, runtime and config folders) provides a null sink
``vsink`` and a source ``vmic`` remapped from its monitor, as in VIRTUAL_MIC.md section A.
tests/vmic_take.py records a take with the real app in a subprocess while ``paplay`` plays
pauses.flac into ``vsink``; this test checks the words, timings and file that come out.

Needs (Debian): pulseaudio pulseaudio-utils libasound2-plugins libportaudio2. Missing ones make
the test fail, never skip.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import soundfile

from tests.conftest import AUDIO, REPO

pytestmark = pytest.mark.model

SPEECH = AUDIO / "pauses.flac"
# From tests/data/audio/SCRIPTS.md and the bundled model's words on the file itself.
SPEECH_S = 16.06
GAP_START_S, GAP_END_S = 5.52, 8.87  # audible gap, speech end to speech restart
VALUE_PROP_S = 8.9  # "We help shipping teams ..." starts
TAYLOR_TO_SHIPPING_S = 9.52 - 2.36
PACKAGES = "pulseaudio pulseaudio-utils libasound2-plugins libportaudio2"
INSTALL = f"apt-get install -y --no-install-recommends {PACKAGES}"
TAKE_TIMEOUT_S = 120.0
SANDBOX_ENV = (
    "VOICEMAIL_COACH_DATA_DIR",
    "VOICEMAIL_COACH_CACHE_DIR",
    "VOICEMAIL_COACH_CONFIG_DIR",
)


def _require_tools() -> None:
    missing = [tool for tool in ("pulseaudio", "pactl", "paplay") if shutil.which(tool) is None]
    if missing:
        pytest.fail(
            f"{', '.join(missing)} not installed: this end-to-end test needs a PulseAudio "
            f"virtual microphone. Install pulseaudio with: {INSTALL}",
            pytrace=False,
        )
    plugin = "alsa-lib/libasound_module_pcm_pulse.so"
    if not any(glob.glob(f"{d}/{plugin}") for d in ("/usr/lib/*", "/usr/lib", "/usr/lib64")):
        pytest.fail(
            "The ALSA PulseAudio plugin is not installed, so PortAudio cannot reach the virtual "
            f"microphone. Install it with: {INSTALL}",
            pytrace=False,
        )


def _our_daemons(sock: Path) -> list[str]:
    """Command lines of running pulseaudio processes on our socket (like pgrep, without procps)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        with contextlib.suppress(OSError):
            args = cmdline.read_bytes().decode(errors="replace").split("\0")
            if "pulseaudio" in args[0] and any(str(sock) in arg for arg in args):
                found.append(f"{cmdline.parent.name}: {' '.join(args)}")
    return found


@pytest.fixture()
def virtual_mic() -> Iterator[dict[str, str]]:
    """A private PulseAudio with a virtual mic; yields the environment a client needs."""
    _require_tools()
    # Short path under /tmp: a unix socket path may not exceed 107 bytes.
    root = Path(tempfile.mkdtemp(prefix="vmic-"))
    sock = root / "vmic.sock"
    runtime = root / "run"
    runtime.mkdir(mode=0o700)
    client_conf = root / "client.conf"
    client_conf.write_text("autospawn = no\n")  # a client must never start a daemon of its own
    env = dict(os.environ)
    env.update(
        PULSE_SERVER=f"unix:{sock}",
        PULSE_CLIENTCONFIG=str(client_conf),
        # Pid file, cookie and state stay in here, clear of any other daemon on the machine.
        HOME=str(root),
        XDG_RUNTIME_DIR=str(runtime),
        XDG_CONFIG_HOME=str(root / "config"),
    )
    log_path = root / "pulseaudio.log"
    log = log_path.open("w")
    # Not --daemonize: as our child the daemon has a pid we own and can always kill.
    daemon = subprocess.Popen(
        [
            "pulseaudio",
            "--daemonize=no",
            "--exit-idle-time=-1",
            "-n",
            "--log-target=stderr",
            "--log-level=error",
            f"--load=module-native-protocol-unix socket={sock} auth-anonymous=1",
            "--load=module-null-sink sink_name=vsink rate=16000 channels=1 format=s16le "
            "sink_properties=device.description=VirtualSpeaker",
            "--load=module-remap-source source_name=vmic master=vsink.monitor "
            "source_properties=device.description=VirtualMic",
        ],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=log,
        env=env,
    )
    try:
        deadline = time.monotonic() + 15.0
        while True:
            if daemon.poll() is not None:
                pytest.fail(
                    f"pulseaudio exited with {daemon.returncode} at start-up:\n"
                    f"{log_path.read_text()}",
                    pytrace=False,
                )
            info = subprocess.run(["pactl", "info"], env=env, capture_output=True, timeout=10)
            if info.returncode == 0:
                break
            if time.monotonic() > deadline:
                pytest.fail(
                    f"pulseaudio did not answer on {sock} within 15 s:\n{log_path.read_text()}",
                    pytrace=False,
                )
            time.sleep(0.1)
        for args in (["set-default-sink", "vsink"], ["set-default-source", "vmic"]):
            subprocess.run(["pactl", *args], env=env, check=True, timeout=10)
        yield env
    finally:
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            subprocess.run(["pactl", "exit"], env=env, capture_output=True, timeout=10)
        try:
            daemon.wait(timeout=5)
        except subprocess.TimeoutExpired:
            daemon.send_signal(signal.SIGKILL)
            daemon.wait(timeout=5)
        log.close()
        left = _our_daemons(sock)
        shutil.rmtree(root, ignore_errors=True)
        assert not left, f"pulseaudio still running after the test: {left}"


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

    # The words came through the virtual mic.
    text = "".join(c if c.isalnum() else " " for c in report["transcript"]["text"].lower())
    text = " ".join(text.split())
    for phrase in ("taylor", "morgan blake", "shipping teams"):
        assert phrase in text, f"{phrase!r} missing; {context}"
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
