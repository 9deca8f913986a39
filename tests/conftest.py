"""Shared fixtures. Tests never touch the user's real data or cache folders."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from voicemail_coach.storage.library import Library

_SANDBOX = tempfile.mkdtemp(prefix="vmc-tests-")
os.environ["VOICEMAIL_COACH_DATA_DIR"] = str(Path(_SANDBOX) / "data")
os.environ["VOICEMAIL_COACH_CACHE_DIR"] = str(Path(_SANDBOX) / "cache")
os.environ["VOICEMAIL_COACH_CONFIG_DIR"] = str(Path(_SANDBOX) / "config")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("VOICEMAIL_COACH_MODEL", None)

REPO = Path(__file__).resolve().parent.parent
AUDIO = REPO / "tests" / "data" / "audio"
REAL_AUDIO = REPO.parent / "shared" / "real-audio"


def damaged_model_copy(folder: Path) -> Path:
    """A copy of the bundled model with 20,000 bytes flipped in 4 MB of model.bin's weights: it
    still loads, then hears gibberish (and, used for a whole file, runs many times slower)."""
    import shutil

    import numpy as np

    from voicemail_coach.analysis.transcribe import bundled_model_dir

    shutil.copytree(bundled_model_dir(), folder)
    data = np.fromfile(folder / "model.bin", dtype=np.uint8)
    start = int(len(data) * 0.3)
    data[np.random.default_rng(0).integers(start, start + 4_000_000, 20_000)] ^= 0xFF
    data.tofile(folder / "model.bin")
    return folder


def real_audio(name: str) -> Path:
    """A real human recording from ``../shared/real-audio`` beside the checkout (never copied
    into the project). Without that folder the test is skipped, saying why; CI checks the
    folder is there first, so it never skips there."""
    path = REAL_AUDIO / name
    if not path.is_file():
        pytest.skip(f"needs {path} (the real recordings beside the checkout; see README)")
    return path


def pytest_report_header() -> str:
    """Which CTranslate2 kernels tiny.en runs on: its words differ a little between them."""
    forced = os.environ.get("CT2_FORCE_CPU_ISA")
    try:
        flags = Path("/proc/cpuinfo").read_text().split()
    except OSError:
        flags = []
    best = "AVX512" if "avx512f" in flags else "AVX2" if "avx2" in flags else "unknown"
    return f"CTranslate2 CPU kernels: {forced or 'automatic'} (this CPU's best: {best})"


@pytest.fixture(scope="session")
def profile():  # type: ignore[no-untyped-def]
    from voicemail_coach.analysis.profile_loader import load_profile

    return load_profile()


@pytest.fixture(scope="session")
def transcriber() -> Iterator[object]:
    from voicemail_coach.analysis.transcribe import Transcriber

    yield Transcriber()


@pytest.fixture(scope="session")
def holder():  # type: ignore[no-untyped-def]
    """The app's model holder with the bundled model loaded, shared by the GUI tests."""
    from voicemail_coach.app.controller import ModelHolder

    h = ModelHolder(None, keep_fillers=True)
    h.get()
    return h


@pytest.fixture(scope="session")
def analyzed(transcriber, profile):  # type: ignore[no-untyped-def]
    """Reports for the committed test recordings, computed once per session."""
    from voicemail_coach.analysis.pipeline import analyze_file

    cache: dict[str, object] = {}

    def get(path: Path):  # type: ignore[no-untyped-def]
        key = str(path)
        if key not in cache:
            cache[key] = analyze_file(path, transcriber, profile)
        return cache[key]

    return get


@pytest.fixture()
def no_dangling_threads() -> Iterator[None]:
    """Fail a test that leaves a worker thread or a running Qt timer behind."""
    import threading

    before = set(threading.enumerate())
    yield
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is not None:
        app.processEvents()
    import time

    deadline = time.monotonic() + 5.0
    while time.monotonic() < deadline:
        extra = [t for t in set(threading.enumerate()) - before if t.is_alive() and not t.daemon]
        if not extra:
            break
        time.sleep(0.05)
    assert not extra, f"threads left running: {[t.name for t in extra]}"
    if app is not None:
        timers = [t for t in app.findChildren(QTimer) if t.isActive()]
        assert not timers, f"timers left running: {timers}"


@pytest.fixture()
def library(tmp_path: Path) -> Iterator[Library]:
    """An empty attempt library in the test's own folder, closed afterwards (a module that
    needs another kind of library defines its own ``library``)."""
    lib = Library(tmp_path / "library")
    yield lib
    lib.close()
