"""A real (non-editable) install works: package data ships and the CLI runs from it.

The project is built with pip into a temporary ``--target`` folder and exercised in a separate
interpreter whose only route to the project is that folder, so anything that works only from
the source checkout (missing package data, paths relative to the repo) fails here.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from voicemail_coach.analysis.profile import CHECK_IDS, LINE_CHECK_IDS, SCENARIO_CHECK_IDS

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("app", "audio", "analysis", "storage", "resources")

SCRIPT = (
    "Hi Dana, this is Sam from Acme. "
    "We help clinics like yours cut no-show rates by a third. "
    "I'll send you a short email with the details. "
    "If the timing is wrong, just tell me and I won't follow up. Thanks."
)

CHILD = """
import sys
from pathlib import Path

site = Path(sys.argv[1]).resolve()

import voicemail_coach.analysis.profile
import voicemail_coach.app.cli.main
import voicemail_coach.audio.io
import voicemail_coach.storage.library

for module in (
    voicemail_coach.analysis.profile,
    voicemail_coach.app.cli.main,
    voicemail_coach.audio.io,
    voicemail_coach.storage.library,
):
    where = Path(module.__file__).resolve()
    assert where.is_relative_to(site), f"{module.__name__} imported from {where}"
print("IMPORTED-FROM-SITE")

profile = voicemail_coach.analysis.profile_loader.load_profile()
assert Path(profile.path).resolve().is_relative_to(site), profile.path
print("PROFILE", profile.name, "|", len(profile.checks), "checks")
from voicemail_coach.analysis.scenarios import ScenarioStore
print("SCENARIOS", len(ScenarioStore().all()))

sample = voicemail_coach.app.cli.main.sample_path()
assert Path(sample).resolve().is_relative_to(site), sample
print("SAMPLE", sample.name, sample.is_file(), sample.stat().st_size > 10_000)

sys.stdout.flush()
rc = voicemail_coach.app.cli.main.main(["check-script", "-"])
sys.stdout.flush()
print("EXIT", rc)
"""


def _setuptools_can_build_here() -> bool:
    """Whether this interpreter's own setuptools can build a wheel without build isolation.

    ``pyproject.toml`` asks for setuptools>=77 (the SPDX ``license`` and ``license-files``); it
    has ``bdist_wheel`` itself. When the environment falls short, let pip build in isolation.
    """
    try:
        version = importlib.metadata.version("setuptools")
    except importlib.metadata.PackageNotFoundError:
        return False
    return int(version.split(".")[0]) >= 77


def _copy_project(dest: Path) -> Path:
    """Copy what the build needs, so the build's own output never lands in the checkout."""
    dest.mkdir()
    shutil.copy2(REPO / "pyproject.toml", dest / "pyproject.toml")
    for extra in ("README.md", "LICENSE"):
        if (REPO / extra).exists():
            shutil.copy2(REPO / extra, dest / extra)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for package in PACKAGES:
        shutil.copytree(REPO / package, dest / package, ignore=ignore)
    return dest


def test_non_editable_install_runs_check_script(tmp_path: Path) -> None:
    source = _copy_project(tmp_path / "src")
    site = tmp_path / "site"
    flags = ["--no-build-isolation"] if _setuptools_can_build_here() else []
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            *flags,
            "--target",
            str(site),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert build.returncode == 0, build.stdout + build.stderr

    # Package data made it into the install; tests and dev tools did not.
    # Everything lives under one namespace: nothing else at the top of site-packages.
    package = site / "voicemail_coach"
    assert (package / "resources" / "profiles" / "default.toml").is_file()
    assert (package / "resources" / "samples" / "example_voicemail.flac").is_file()
    assert (package / "analysis" / "pipeline.py").is_file()
    assert (package / "storage" / "library.py").is_file()
    assert (package / "app" / "cli" / "main.py").is_file()
    desktop = package / "resources" / "desktop"
    assert (desktop / "io.github.voicemailcoach.VoicemailCoach.desktop").is_file()
    assert (desktop / "io.github.voicemailcoach.VoicemailCoach.metainfo.xml").is_file()
    assert (desktop / "voicemail-coach.svg").is_file()
    assert sorted(p.name for p in (desktop / "icons").glob("*.png")) == sorted(
        f"{n}.png" for n in (16, 22, 24, 32, 48, 64, 128, 256, 512)
    )
    top = sorted(p.name for p in site.iterdir() if not p.name.endswith(".dist-info"))
    assert top in (["voicemail_coach"], ["bin", "voicemail_coach"]), top
    dist_info = sorted(p.name for p in site.glob("voicemail_coach-*.dist-info"))
    assert dist_info == ["voicemail_coach-0.1.0.dist-info"]
    entry_points = (site / dist_info[0] / "entry_points.txt").read_text(encoding="utf-8")
    assert "voicemail-coach = voicemail_coach.app.cli.main:main" in entry_points

    run_dir = tmp_path / "elsewhere"
    run_dir.mkdir()
    env = dict(os.environ)
    env["PYTHONPATH"] = str(site)
    env.pop("PYTHONHOME", None)
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(site)],
        cwd=run_dir,
        env=env,
        input=SCRIPT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    out = child.stdout
    assert child.returncode == 0, out + child.stderr
    assert "IMPORTED-FROM-SITE" in out
    assert (
        f"PROFILE Standard (20-30 s) | {len(CHECK_IDS) + len(SCENARIO_CHECK_IDS) + len(LINE_CHECK_IDS)} checks"
        in out
    )
    assert "SCENARIOS 12" in out
    assert "SAMPLE example_voicemail.flac True True" in out
    assert "Voicemail Coach report: written script" in out
    assert "Value proposition" in out
    assert '"We help clinics like yours cut no-show rates by a third."' in out
    assert out.rstrip().endswith("EXIT 0")
    assert child.stderr == ""


def test_wheel_metadata_says_mit_in_spdx_form_without_a_deprecation_warning(tmp_path: Path) -> None:
    """setuptools' own backend builds the wheel with every warning shown: the licence is an SPDX
    expression with its file (setuptools>=77), so nothing is deprecated; the version the
    command prints comes from that metadata."""
    import zipfile

    if not _setuptools_can_build_here():
        pytest.fail(
            "the test tools include setuptools>=77: reinstall with pip install -e '.[test]'"
        )
    source = _copy_project(tmp_path / "src")
    out = tmp_path / "wheel"
    out.mkdir()
    build = subprocess.run(
        [
            sys.executable,
            "-W",
            "always",
            "-c",
            "import sys, setuptools.build_meta as b; print('WHEEL', b.build_wheel(sys.argv[1]))",
            str(out),
        ],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    log = build.stdout + build.stderr
    # No SetuptoolsDeprecationWarning (the old `license = {text}` table printed one per build),
    # no BuildBackendWarning (a data folder missing from `packages`).
    assert re.findall(r"\w+Warning\b", log) == [], log
    assert "WHEEL voicemail_coach-0.1.0-py3-none-any.whl" in build.stdout
    with zipfile.ZipFile(out / "voicemail_coach-0.1.0-py3-none-any.whl") as wheel:
        metadata = wheel.read("voicemail_coach-0.1.0.dist-info/METADATA").decode("utf-8")
        licence = wheel.read("voicemail_coach-0.1.0.dist-info/licenses/LICENSE").decode("utf-8")
    headers = metadata.split("\n\n", 1)[0].splitlines()
    assert "License-Expression: MIT" in headers
    assert "License-File: LICENSE" in headers
    assert not any(h.startswith("License:") for h in headers)
    assert not any(h.startswith("Classifier: License") for h in headers)
    assert licence.startswith("MIT License")
    assert "Version: 0.1.0" in headers

    from voicemail_coach.app.cli.main import installed_version

    assert installed_version() == "0.1.0"
    version = subprocess.run(
        [str(Path(sys.executable).parent / "voicemail-coach"), "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (version.returncode, version.stdout) == (0, "voicemail-coach 0.1.0\n")
