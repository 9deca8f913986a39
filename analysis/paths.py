"""Where the app keeps its files; environment variables override for tests and portable installs."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "voicemail-coach"


def data_dir() -> Path:
    """User data (attempts, recordings): ``VOICEMAIL_COACH_DATA_DIR`` or the platform folder."""
    return _dir("VOICEMAIL_COACH_DATA_DIR", platformdirs.user_data_dir(APP, appauthor=False))


def cache_dir() -> Path:
    """Disposable caches: ``VOICEMAIL_COACH_CACHE_DIR`` or the platform cache folder."""
    return _dir("VOICEMAIL_COACH_CACHE_DIR", platformdirs.user_cache_dir(APP, appauthor=False))


def _dir(env: str, default: str) -> Path:
    path = Path(os.environ.get(env) or default)
    return path
