"""The command line: exit codes, one-line errors, JSON and text output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import AUDIO, REPO, damaged_model_copy
from voicemail_coach.app.cli.main import main

GOOD_SCRIPT = (
    "Hi Dana, this is Sam Rivera from Northwind Finance. "
    "We help logistics companies like yours cut the time they spend chasing invoices in half. "
    "I sent you an email this morning with a two-line summary. "
    "If I haven't heard back by Friday, I'll try you again next week. "
    "And if the timing is wrong, just tell me and I won't follow up."
)


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )


@pytest.fixture()
def bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    text = tmp_path / "notes.mp3"
    text.write_text("this is not audio, just words in a file\n" * 20)
    truncated = tmp_path / "header_only.wav"
    truncated.write_bytes((AUDIO / "good.flac").read_bytes()[:40])
    silent = tmp_path / "silence.flac"
    silent.write_bytes((AUDIO / "silence.flac").read_bytes())
    return {
        "empty": (empty, "the file is empty (0 bytes)"),
        "text": (text, "not a readable audio file"),
        "truncated": (truncated, "not a readable audio file"),
        "silent": (silent, "the recording is silent"),
        "missing": (tmp_path / "nope.wav", "no such file"),
    }


@pytest.mark.parametrize("case", ["empty", "text", "truncated", "silent", "missing"])
def test_bad_audio_gives_one_line_reason_and_exit_2(
    case: str, bad_files: dict[str, tuple[Path, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    path, expected = bad_files[case]
    code = main(["analyze", str(path)])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"voicemail-coach: {path}")
    assert expected in lines[0]
    assert "Traceback" not in err


@pytest.mark.model
def test_noise_only_recording_is_no_message_no_score(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["analyze", "--json", str(AUDIO / "noise.flac")])
    out, _ = capsys.readouterr()
    assert code == 0
    report = json.loads(out)
    assert report["score"] is None
    assert report["no_message_kind"] == "noise"
    assert "noise" in report["no_message_reason"]
    assert report["checks"] == []
    assert report["screening"]["heard_words"] == 0
    # Whisper's lone "." tokens over the noise are not words.
    assert all(any(ch.isalnum() for ch in w["text"]) for w in report["transcript"]["words"])
    assert report["delivery"]["word_count"] == len(report["transcript"]["words"])

    code = main(["analyze", str(AUDIO / "noise.flac")])
    text, _ = capsys.readouterr()
    assert code == 0
    assert "no score" in text and "No voicemail message: " in text
    assert "Checks" not in text


@pytest.mark.model
def test_good_file_and_bad_file_together_report_the_good_one_and_exit_2(
    bad_files: dict[str, tuple[Path, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    empty, _ = bad_files["empty"]
    code = main(["analyze", "--json", str(AUDIO / "good.flac"), str(empty)])
    out, err = capsys.readouterr()
    assert code == 2
    assert "empty (0 bytes)" in err
    report = json.loads(out)
    assert report["call_to_action"]["kind"] in ("follow_up", "email")


def test_check_script_from_stdin_in_a_subprocess() -> None:
    result = run_cli("check-script", "-", "--json", stdin=GOOD_SCRIPT)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["model"] is None
    assert report["source"]["script"].startswith("Hi Dana")
    assert report["value_proposition"]["found"]
    assert 3.0 < report["value_proposition"]["start_s"] < 8.0
    assert report["call_to_action"]["kind"] in ("email", "follow_up")
    checks = {c["id"]: c for c in report["checks"]}
    assert checks["opt_out"]["status"] == "pass"
    assert checks["monotone"]["status"] == "info"
    assert checks["pace"]["status"] == "info"


def test_check_script_text_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = tmp_path / "script.txt"
    script.write_text(
        "Hi, I'm calling from XYZ to see if you want to hear about our superior accounting system. "
        "Our clients love our solution. Call me at 555 201 4477."
    )
    assert main(["check-script", str(script)]) == 0
    out, _ = capsys.readouterr()
    assert "Times are estimated" in out
    assert "[FAIL] self_praise" in out
    assert '"our superior"' in out or "our superior" in out


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "the script is empty"),
        ("  \n\t ", "the script is empty"),
        ("1234 ...", "the script is empty"),
    ],
)
def test_empty_scripts_are_refused(
    content: str, expected: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(content))
    assert main(["check-script", "-"]) == 2
    assert expected in capsys.readouterr().err


def test_bad_profile_is_refused_with_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from voicemail_coach.analysis.profile_loader import default_profile_path

    bad = tmp_path / "team.toml"
    bad.write_text(
        default_profile_path()
        .read_text()
        .replace("warn_over_wpm = 175.0", "warn_over_wpm = 'fast'")
    )
    code = main(["check-script", "-", "--profile", str(bad)])
    err = capsys.readouterr().err
    assert code == 2
    assert str(bad) in err and "pace.warn_over_wpm" in err


def test_unknown_length_preset_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-script", "-", "--length", "epic"]) == 2
    assert "no length preset 'epic'" in capsys.readouterr().err


def test_short_preset_changes_the_length_verdict(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(GOOD_SCRIPT))
    assert main(["check-script", "-", "--json", "--length", "short"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["profile"]["length_preset"] == "short"
    length = next(c for c in report["checks"] if c["id"] == "length")
    assert length["status"] in ("warn", "fail")
    assert "8-15 s" in length["target"]


def test_bad_model_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["analyze", str(AUDIO / "good.flac"), "--model", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2
    assert "not a CTranslate2 Whisper model folder" in err


def test_tampered_bundled_model_is_refused(tmp_path: Path) -> None:
    from voicemail_coach.analysis.transcribe import BUNDLED_SHA256, ModelError, verify_bundled

    for name in BUNDLED_SHA256:
        (tmp_path / name).write_text("not the real file")
    with pytest.raises(ModelError, match=r"does not match the official tiny\.en model"):
        verify_bundled(tmp_path)


@pytest.fixture(scope="module")
def model_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An intact copy of the bundled model's folder, to be used as a custom model."""
    import shutil

    from voicemail_coach.analysis.transcribe import bundled_model_dir

    folder = tmp_path_factory.mktemp("models") / "tiny-copy"
    shutil.copytree(bundled_model_dir(), folder)
    return folder


@pytest.mark.model
def test_a_custom_model_with_bytes_flipped_is_refused_naming_what_it_heard(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    damaged = damaged_model_copy(tmp_path / "damaged-model")
    code = main(["analyze", str(AUDIO / "good.flac"), "--model", str(damaged)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{damaged}: the model heard '" in err
    assert (
        "in a test sentence that says 'Hi Dana, this is Sam Rivera from Northwind Finance.' ("
        in err
    )
    assert "the model files may be damaged or not an English Whisper model" in err


@pytest.mark.model
def test_an_intact_copy_of_the_bundled_model_is_accepted_as_a_custom_model(
    model_copy: Path,
) -> None:
    import time

    from voicemail_coach.analysis.transcribe import Transcriber

    started = time.perf_counter()
    transcriber = Transcriber(model_copy)
    print(f"custom model load with its check: {time.perf_counter() - started:.2f} s")
    assert (transcriber.name, transcriber.spec.bundled) == ("tiny-copy", False)


@pytest.mark.model
def test_a_custom_model_too_slow_on_the_test_sentence_is_refused(
    model_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import voicemail_coach.analysis.transcribe
    from voicemail_coach.analysis.transcribe import ModelError, Transcriber

    monkeypatch.setattr(voicemail_coach.analysis.transcribe, "SAMPLE_TIME_LIMIT_S", 0.0)
    with pytest.raises(ModelError) as refused:
        Transcriber(model_copy)
    assert str(refused.value).startswith(f"{model_copy}: the model took ")
    assert "to transcribe a 3.5 s test sentence (the limit is 0 s)" in str(refused.value)


@pytest.mark.model
def test_sample_subcommand_analyzes_the_bundled_sample() -> None:
    result = run_cli("sample")
    assert result.returncode == 0, result.stderr
    assert "Value proposition  at" in result.stdout
    assert "Model: tiny.en" in result.stdout


def test_no_subcommand_without_a_display_explains_instead_of_crashing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for var in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    assert main([]) == 2
    assert "no display to open the window on" in capsys.readouterr().err


@pytest.mark.parametrize("command", [("history",), ("profiles",)])
def test_a_closed_pipe_ends_quietly(tmp_path: Path, command: tuple[str, ...]) -> None:
    """`voicemail-coach history | head -1`: the reader goes away; no BrokenPipeError traceback,
    no "Broken pipe" message, exit 0."""
    import os

    from voicemail_coach.storage.library import Library

    with Library(tmp_path / "library") as library:
        for _ in range(3):
            library.add_file(AUDIO / "good.flac")
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has already gone
    try:
        done = subprocess.run(
            [sys.executable, "-m", "app", *command],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env={**os.environ, "VOICEMAIL_COACH_DATA_DIR": str(tmp_path)},
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert done.stderr == ""
    assert done.returncode == 0
