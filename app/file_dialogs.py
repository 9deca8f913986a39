"""File dialogs that start where the user keeps files: the folder used last (remembered in the
settings), else the documents folder, never the program's own folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

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
    """``suggested``: a file name (put in the start folder) or a whole path."""
    target = Path(suggested) if Path(suggested).is_absolute() else start_folder() / suggested
    path, _ = QFileDialog.getSaveFileName(parent, title, str(target), filters)
    return _chosen(path)


def choose_folder(parent: QWidget | None, title: str) -> str | None:
    path = QFileDialog.getExistingDirectory(parent, title, str(start_folder()))
    return _chosen(path)
