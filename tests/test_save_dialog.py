"""Saving and exporting: a title never picks the folder, the dialog opens where the user last
saved (or in their documents folder), and a failed save says why."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QStandardPaths

import voicemail_coach.app.dialogs.file_dialogs as file_dialogs
from tests import fakes
from voicemail_coach.app.controller import Controller
from voicemail_coach.app.dialogs.file_dialogs import plain_file_name, save_file
from voicemail_coach.app.pages.library_pages import LibraryPages
from voicemail_coach.app.settings import Settings
from voicemail_coach.app.widgets.banner import Banner
from voicemail_coach.storage.library import Library


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("/etc/cron.d/evil.pdf", "etc-cron.d-evil.pdf"),
        ("../x.pdf", "x.pdf"),
        ("../../.bashrc", "bashrc"),
        ("..pdf", "voicemail-report.pdf"),
        ("C:\\Windows\\system32.pdf", "C-Windows-system32.pdf"),
        ("Call to Dana / Acme.pdf", "Call to Dana - Acme.pdf"),
        ("Q3: plan?\n.PDF", "Q3- plan.pdf"),
        ("a" * 300 + ".pdf", "a" * 100 + ".pdf"),
    ],
)
def test_a_title_becomes_one_plain_file_name(title: str, name: str) -> None:
    assert plain_file_name(title) == name
    assert Path(plain_file_name(title)).name == plain_file_name(title)


@pytest.fixture()
def controller(qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    made = Controller(
        Settings(greeting=False), None, fakes.FakeOutputStream(), tmp_path / "settings.json"
    )
    file_dialogs.use_memory(lambda: made.settings.last_folder, made.remember_folder)
    yield made
    file_dialogs.use_memory(lambda: None, lambda folder: None)
    made.runner.shutdown()


def test_the_dialog_suggests_a_plain_name_and_remembers_the_folder(
    controller: Controller, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    reports = tmp_path / "reports"
    reports.mkdir()

    def dialog(parent: object, caption: str, start: str, filters: str) -> tuple[str, str]:
        asked.append(start)
        return str(reports / "chosen.pdf"), filters

    monkeypatch.setattr(file_dialogs.QFileDialog, "getSaveFileName", dialog)
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    first = Path(documents) if Path(documents).is_dir() else Path.home()
    assert save_file(None, "Export", "/etc/cron.d/evil.pdf", "*") == str(reports / "chosen.pdf")
    assert asked == [str(first / "etc-cron.d-evil.pdf")]
    assert controller.settings.last_folder == str(reports)
    saved = json.loads((tmp_path / "settings.json").read_text(encoding="utf-8"))
    assert saved["last_folder"] == str(reports)
    save_file(None, "Export", "../x.pdf", "*")
    assert asked[1] == str(reports / "x.pdf")
    reports.rmdir()  # a folder that is gone is not offered again
    save_file(None, "Export", "take.pdf", "*")
    assert asked[2] == str(first / "take.pdf")


def test_the_history_export_asks_through_the_plain_name(
    qtbot, controller: Controller, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    asked: list[str] = []
    monkeypatch.setattr(
        file_dialogs.QFileDialog,
        "getSaveFileName",
        lambda parent, caption, start, filters: (asked.append(start), ("", ""))[1],
    )
    controller.settings = Settings(greeting=False, last_folder=str(tmp_path))
    with Library(tmp_path / "library") as library:
        pages = LibraryPages(controller, library, Banner())
        assert pages.ask_save_path("../../etc/passwd.pdf") is None
    assert asked == [str(tmp_path / "etc-passwd.pdf")]


@pytest.mark.parametrize(
    ("number", "cause"),
    [
        (errno.ENOSPC, "no space left on device"),
        (errno.EROFS, "the folder is on a read-only disk"),
        (errno.EACCES, "permission denied"),
        (errno.EIO, "input/output error: the disk may be failing"),
    ],
)
def test_saving_a_take_kept_in_memory_says_why_it_failed(
    controller: Controller,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    number: int,
    cause: str,
) -> None:
    import voicemail_coach.app.choices

    def failing_save(path: Path, samples: object) -> None:
        raise OSError(number, os.strerror(number), str(path))

    monkeypatch.setattr(voicemail_coach.app.choices, "save_flac", failing_save)
    controller.unsaved = np.zeros(16_000, dtype=np.float32)
    messages: list[tuple[str, str]] = []
    controller.message.connect(lambda kind, text: messages.append((kind, text)))
    target = tmp_path / "take.flac"
    assert controller.save_unsaved(target) is False
    assert messages == [("error", f"Could not save the take to {target}: {cause}")]
    assert controller.unsaved is not None  # still kept, to try somewhere else
