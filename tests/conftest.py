"""Shared fixtures. Tests never touch the user's real data or cache folders."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

_SANDBOX = tempfile.mkdtemp(prefix="vmc-tests-")
os.environ["VOICEMAIL_COACH_DATA_DIR"] = str(Path(_SANDBOX) / "data")
os.environ["VOICEMAIL_COACH_CACHE_DIR"] = str(Path(_SANDBOX) / "cache")
os.environ.pop("VOICEMAIL_COACH_MODEL", None)

REPO = Path(__file__).resolve().parent.parent
AUDIO = REPO / "tests" / "data" / "audio"
REAL_AUDIO = REPO.parent / "shared" / "real-audio"


@pytest.fixture(scope="session")
def profile():  # type: ignore[no-untyped-def]
    from analysis.profile import load_profile

    return load_profile()


@pytest.fixture(scope="session")
def transcriber() -> Iterator[object]:
    from analysis.transcribe import Transcriber

    yield Transcriber()


@pytest.fixture(scope="session")
def analyzed(transcriber, profile):  # type: ignore[no-untyped-def]
    """Reports for the committed test recordings, computed once per session."""
    from analysis.pipeline import analyze_file

    cache: dict[str, object] = {}

    def get(path: Path):  # type: ignore[no-untyped-def]
        key = str(path)
        if key not in cache:
            cache[key] = analyze_file(path, transcriber, profile)
        return cache[key]

    return get
