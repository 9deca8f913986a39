"""The app as a user gets it: the wheel installed in a fresh venv, and the one-folder bundle.

Both are built once by the CI before the tests (`.ci/run`: `scripts/dev wheel`, a venv outside
the checkout, `scripts/dev bundle`), which names them in ``VOICEMAIL_COACH_WHEEL_VENV`` and
``VOICEMAIL_COACH_BUNDLE``; without those the tests are skipped, saying how to build them.
Each runs from an empty folder outside the checkout, with its own data and config folders:
``--version``, ``sample`` (the bundled voicemail through the bundled Whisper model, the meaning
model and the profile; the score line) and the window's start-up probe under Xvfb on the xcb
platform plugin.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from voicemail_coach.app.cli.desktop import APP_ID
from voicemail_coach.app.cli.main import installed_version

REPO = Path(__file__).resolve().parent.parent
WHEEL_VENV = "VOICEMAIL_COACH_WHEEL_VENV"
BUNDLE = "VOICEMAIL_COACH_BUNDLE"

pytestmark = [pytest.mark.model, pytest.mark.packaged]


def _given(variable: str, how: str, outside: bool = True) -> Path:
    value = os.environ.get(variable)
    if not value:
        pytest.skip(f"needs {variable} (the CI sets it; build it with {how})")
    path = Path(value).resolve()
    assert path.is_dir(), f"{variable}={value}: no such folder"
    if outside:
        assert not path.is_relative_to(REPO), f"{path}: must be outside the checkout"
    return path


def _clean_env(home: Path) -> dict[str, str]:
    """Nothing from the test's own environment that could lead back to the checkout or its
    venv: no PYTHON* variables, a PATH of system folders, a new home, data and config."""
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "VOICEMAIL_COACH_DATA_DIR": str(home / "data"),
        "VOICEMAIL_COACH_CONFIG_DIR": str(home / "config"),
        "XDG_RUNTIME_DIR": str(home / "runtime"),
    }
    if "CT2_FORCE_CPU_ISA" in os.environ:
        env["CT2_FORCE_CPU_ISA"] = os.environ["CT2_FORCE_CPU_ISA"]
    (home / "runtime").mkdir(mode=0o700, parents=True)
    return env


def _check_command(command: Path, home: Path, installed_under: Path) -> dict[str, object]:
    """Runs the checks; returns what the start-up probe reported."""
    env = _clean_env(home)
    cwd = home / "empty"
    cwd.mkdir()

    version = subprocess.run(
        [str(command), "--version"], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )
    # The same version as this checkout's metadata (pyproject.toml).
    expected = f"voicemail-coach {installed_version()}\n"
    assert (version.returncode, version.stdout) == (0, expected), version.stderr

    sample = subprocess.run(
        [str(command), "sample"], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    out = sample.stdout
    assert sample.returncode == 0, out + sample.stderr
    lines = out.splitlines()
    first = re.fullmatch(r"Voicemail Coach report: (.+example_voicemail\.flac)", lines[0])
    assert first, lines[0]
    # The sample, the model and the profile come from the installed copy, not the checkout.
    assert Path(first.group(1)).is_relative_to(installed_under), first.group(1)
    score = re.fullmatch(
        r"Length 24\.8 s   Score (\d+)/100   Profile: Standard \(20-30 s\) \(standard\)", lines[1]
    )
    assert score, lines[1]
    # 93 on this machine's AVX2 and generic kernels; the words vary a little with the CPU.
    assert 80 <= int(score.group(1)) <= 100, lines[1]
    assert lines[2] == "Model: tiny.en (int8)"
    assert "Value proposition  at" in out
    assert "Call to action" in out
    # The sentence encoder's weights were installed too (without them the report says so).
    assert "meaning model is unavailable" not in out

    probe_env = {**env, "VOICEMAIL_COACH_STARTUP_PROBE": "1", "QT_QPA_PLATFORM": "xcb"}
    xvfb = shutil.which("xvfb-run")
    if xvfb is None:
        pytest.fail("xvfb-run is missing: install xvfb and xauth (scripts/dev test and CI do)")
    window = subprocess.run(
        [xvfb, "-a", str(command)],
        cwd=cwd,
        env=probe_env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert window.returncode == 0, window.stdout + window.stderr
    painted = [line for line in window.stdout.splitlines() if line.startswith("FIRST_PAINT ")]
    assert len(painted) == 1, window.stdout + window.stderr
    times = json.loads(painted[0].removeprefix("FIRST_PAINT "))
    # The window painted, then the bundled model loaded in the background (not an error).
    assert 0 < times["painted_at"] <= times["model_ready_at"]
    assert (times["model"], times["model_error"]) == ("tiny.en (int8)", "")
    assert (home / "data" / "library").is_dir()
    return dict(times)


def test_the_wheel_installed_in_a_fresh_venv_runs_the_sample_and_the_window(
    tmp_path: Path,
) -> None:
    venv = _given(WHEEL_VENV, "scripts/dev wheel and pip install into a venv; see README")
    command = venv / "bin" / "voicemail-coach"
    site = next((venv / "lib").glob("python3*/site-packages"))
    assert (site / "voicemail_coach" / "resources" / "samples").is_dir()
    assert not list(site.glob("__editable__*")), "an editable install, not the wheel"
    probe = _check_command(command, tmp_path, site / "voicemail_coach")
    # The system's PortAudio (libportaudio2), as sounddevice finds it.
    assert str(probe["portaudio"]).startswith("libportaudio.so"), probe["portaudio"]


def test_the_bundle_copied_to_a_clean_folder_runs_the_sample_and_the_window(
    tmp_path: Path,
) -> None:
    built = _given(BUNDLE, "scripts/dev bundle", outside=False)
    # A copy in a new place outside the checkout: nothing may point back to where it was built.
    bundle = tmp_path / "moved" / "voicemail-coach"
    shutil.copytree(built, bundle, symlinks=True)
    command = bundle / "voicemail-coach"
    assert command.is_file() and os.access(command, os.X_OK)
    internal = bundle / "_internal"
    # Qt's xcb platform plugin and its GL integration, and PortAudio, travel with the bundle.
    assert (internal / "PySide6/Qt/plugins/platforms/libqxcb.so").is_file()
    assert list((internal / "PySide6/Qt/plugins/xcbglintegrations").glob("*.so"))
    assert b"Pa_Initialize" in (internal / "libportaudio.so.2").read_bytes()
    # No file names the checkout (where the bundle and its build venv were made).
    mentions = [
        p.relative_to(bundle)
        for p in bundle.rglob("*")
        if p.is_file() and not p.is_symlink() and str(REPO).encode() in p.read_bytes()
    ]
    assert mentions == []
    try:
        probe = _check_command(command, tmp_path / "home", bundle)
        # The bundle's menu entry starts the bundle's own executable, by its full path.
        data_home = tmp_path / "home" / "share"
        added = subprocess.run(
            [str(command), "install-desktop"],
            env={**_clean_env(tmp_path / "desktop"), "XDG_DATA_HOME": str(data_home)},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert added.returncode == 0, added.stdout + added.stderr
        entry = (data_home / "applications" / f"{APP_ID}.desktop").read_text(encoding="utf-8")
        assert f"\nExec={command}\n" in entry
        assert (data_home / f"icons/hicolor/512x512/apps/{APP_ID}.png").is_file()
    finally:
        shutil.rmtree(bundle.parent)  # 700 MB: not left for pytest's kept temporary folders
    # sounddevice loaded the bundled PortAudio, not the system's (the runtime hook).
    assert probe["portaudio"] == str(internal / "libportaudio.so.2")
