"""Where an exported file goes: a plain file name made from a title, in the folder last used.

A take's title is the user's free text ("Call to Dana / Acme", "../notes"). Used as it is for the
save dialog's suggestion, a slash would pick another folder; ``plain_file_name`` keeps it one
plain name. The dialog opens in the folder the user last exported to (kept in the settings), or
their documents folder.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from app.controller import Controller

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


def start_folder(remembered: str | None) -> Path:
    """The folder last exported to if it still exists, else the documents folder (or home)."""
    if remembered and Path(remembered).is_dir():
        return Path(remembered)
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents and Path(documents).is_dir() else Path.home()


def ask_export_path(
    parent: QWidget | None, controller: Controller, caption: str, suggested: str, filters: str
) -> str | None:
    """Ask where to save, suggesting ``suggested`` made plain in the folder last used; the
    chosen folder is remembered for next time."""
    start = start_folder(controller.settings.export_folder) / plain_file_name(suggested)
    path, _ = QFileDialog.getSaveFileName(parent, caption, str(start), filters)
    if not path:
        return None
    controller.remember_export_folder(Path(path).parent)
    return path
