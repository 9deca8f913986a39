"""Reading the app's TOML data files (profiles, scenario cards) with one set of messages."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any


def read_toml(path: Path, error: type[Exception], what: str) -> dict[str, Any]:
    """The file's top-level table; every way it can fail is ``error`` naming the file."""
    return parse_toml(read_text(path, error, what), path, error, what)


def read_text(path: Path, error: type[Exception], what: str) -> str:
    """The file's text; a file that cannot be read is ``error`` naming the file."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{path}: {what} file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot read the {what} ({exc})") from None


def parse_toml(text: str, path: Path, error: type[Exception], what: str) -> dict[str, Any]:
    """The top-level table of ``text``, read from ``path``; invalid TOML is ``error``."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path}: not valid TOML ({exc})") from None
