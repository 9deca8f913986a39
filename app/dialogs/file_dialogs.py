"""File dialogs that start where the user keeps files: the folder used last (remembered in the
settings), else the documents folder, never the program's own folder.

A suggested name for saving is often made from a take's title, the user's free text ("Call to
Dana / Acme", "../notes"): ``plain_file_name`` keeps it one plain file name, so a slash can never
pick another folder.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

FALLBACK_STEM = "voicemail-report"
MAX_STEM = 100
# Path separators, characters Windows refuses, and control characters.
_UNSAFE = re.compile(r'[/\\:*?"<>|\x00-\x1f\x7f]+')


def plain_file_name(suggested: str) -> str:
    """``suggested`` as one plain file name: no folder parts, no leading dots, not too long."""
    stem, dot, ext = suggested.rpartition(".")
    if not dot or not re.fullmatch(r"[A-Za-z0-9]{1,5}", ext):
        stem, ext = suggested, ""
    stem = _UNSAFE.sub("-", re.sub(r"\s+", " ", stem))
    stem = re.sub(r"-{2,}", "-", stem).strip(" .-")[:MAX_STEM].rstrip(" .-")
    return f"{stem or FALLBACK_STEM}{'.' + ext.lower() if ext else ''}"


# Set by the main window: read and remember the last folder (the controller's settings).
_last: Callable[[], str | None] = lambda: None  # noqa: E731
_remember: Callable[[str], None] = lambda folder: None  # noqa: E731


def use_memory(last: Callable[[], str | None], remember: Callable[[str], None]) -> None:
    global _last, _remember
    _last, _remember = last, remember


def documents_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


def start_folder() -> Path:
    """The last folder used if it still exists, else the documents folder."""
    last = _last()
    if last and Path(last).is_dir():
        return Path(last)
    return documents_folder()


def _chosen(path: str) -> str | None:
    if not path:
        return None
    chosen = Path(path)
    _remember(str(chosen if chosen.is_dir() else chosen.parent))
    return path


def open_file(parent: QWidget | None, title: str, filters: str) -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, str(start_folder()), filters)
    return _chosen(path)


def save_file(parent: QWidget | None, title: str, suggested: str, filters: str) -> str | None:
    """``suggested``: a file name, made plain and put in the start folder."""
    target = start_folder() / plain_file_name(suggested)
    path, _ = QFileDialog.getSaveFileName(parent, title, str(target), filters)
    return _chosen(path)


def choose_folder(parent: QWidget | None, title: str) -> str | None:
    path = QFileDialog.getExistingDirectory(parent, title, str(start_folder()))
    return _chosen(path)
