"""Guidance profiles in the GUI: view and edit thresholds, phrase lists, weights and the rubric;
validate on save (the message names the field, which is brought into view); save as a new
profile; import and export profile files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from voicemail_coach.analysis.profile import ProfileError
from voicemail_coach.app.dialogs.file_dialogs import open_file, save_file
from voicemail_coach.app.dialogs.new_profile_dialog import ask_new_profile
from voicemail_coach.app.profile_guide import in_words, key_in
from voicemail_coach.app.widgets.profile_fields import ProfileFields
from voicemail_coach.app.widgets.profile_page import INVALID
from voicemail_coach.storage.profile_store import (
    ProfileConflict,
    ProfileStore,
    read_profile_data,
    validate_data,
)

__all__ = ["ProfileEditor", "ask_conflict", "key_in"]


class ProfileEditor(QDialog):
    def __init__(self, store: ProfileStore, current: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Guidance profiles")
        self.resize(fitted(QSize(1020, 720), parent))
        self.store = store
        self.changed = False  # a profile was saved or imported
        self.use_path: Path | None = None  # "Use for practice" was pressed on this profile
        # Dialogs are attributes so tests can answer them.
        # (suggested name, description) -> (name, description), None when cancelled
        self.ask_new: Callable[[str, str], tuple[str, str] | None] = self._ask_new
        self.ask_open_path: Callable[[], str | None] = self._ask_open_path
        self.ask_save_path: Callable[[str], str | None] = self._ask_save_path
        self.ask_conflict: Callable[[str], str | None] = self._ask_conflict
        self.ask_delete: Callable[[str], bool] = self._ask_delete

        self.chooser = QComboBox()
        self.chooser.setAccessibleName("Profile")
        self.chooser.currentIndexChanged.connect(self._load_current)
        self.name = QLineEdit()
        self.name.setAccessibleName("Profile name")
        self.description = QLineEdit()
        self.description.setAccessibleName("Profile description")
        self.where = QLabel()
        self.where.setWordWrap(True)
        self.fields = ProfileFields()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color:#c0392b;")
        self.error.setAccessibleName("Problem")
        self.error.hide()
        self.save_button = QPushButton("Save")
        self.save_button.clicked.connect(self.save)
        self.save_new_button = QPushButton("Save as new profile\u2026")
        self.save_new_button.clicked.connect(self.save_as_new)
        self.delete_button = QPushButton("Delete")
        self.delete_button.clicked.connect(self.delete)
        import_button = QPushButton("Import\u2026")
        import_button.clicked.connect(self.import_profile)
        export_button = QPushButton("Export\u2026")
        export_button.clicked.connect(self.export_profile)
        self.use_button = QPushButton("Use for practice")
        self.use_button.setToolTip("Analyze your next takes with this profile")
        self.use_button.clicked.connect(self.use)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)

        head = QFormLayout()
        head.addRow("Profile", self.chooser)
        head.addRow("Name", self.name)
        head.addRow("Description", self.description)
        head.addRow("", self.where)
        buttons = QHBoxLayout()
        for b in (import_button, export_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        for b in (self.use_button, self.save_button, self.save_new_button, close):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.fields, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.refresh(current)

    # -- loading ------------------------------------------------------------------------------

    def refresh(self, select: str | Path | None = None) -> None:
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for e in self.store.entries():
            label = f"{e.name} (built-in)" if e.builtin else e.name
            self.chooser.addItem(label + (" \u2014 broken" if e.problem else ""), str(e.path))
        wanted = str(Path(select).resolve()) if select else None
        index = next(
            (i for i in range(self.chooser.count())
             if wanted and str(Path(self.chooser.itemData(i)).resolve()) == wanted), 0,
        )  # fmt: skip
        self.chooser.setCurrentIndex(index)
        self.chooser.blockSignals(False)
        self._load_current()

    @property
    def path(self) -> Path:
        return Path(self.chooser.currentData())

    def _load_current(self) -> None:
        self.error.hide()
        try:
            data = read_profile_data(self.path)
        except ProfileError as exc:
            self.show_problem(str(exc))
            return
        meta = data.get("profile", {})
        self.name.setText(str(meta.get("name", "")))
        self.description.setText(str(meta.get("description", "")))
        builtin = self.store.is_builtin(self.path)
        self.where.setText(
            "Built in and read-only: change it, then save it as a new profile of yours."
            if builtin
            else f"Yours: {self.path}"
        )
        self.save_button.setEnabled(not builtin)
        self.delete_button.setEnabled(not builtin)
        self.fields.load(data)

    # -- saving -------------------------------------------------------------------------------

    def edited(self) -> dict[str, Any]:
        data = self.fields.result()
        meta = dict(data.get("profile", {}))
        meta["name"] = self.name.text().strip()
        meta["description"] = self.description.text().strip()
        data["profile"] = meta
        return data

    def save(self) -> bool:
        try:
            path = self.store.save(self.path, self.edited())
        except ProfileError as exc:
            self.show_problem(str(exc))
            return False
        self._saved(path, f"Saved {path.name}.")
        return True

    def save_as_new(self) -> Path | None:
        data = self.edited()
        try:
            validate_data(data, self.name.text().strip() or "This profile")
        except ProfileError as exc:
            self.show_problem(str(exc))
            return None
        answer = self.ask_new(f"{self.name.text().strip()} (copy)", self.description.text())
        if not answer or not answer[0].strip():
            return None
        name, description = answer[0].strip(), answer[1].strip()
        data["profile"] = {**data["profile"], "description": description}
        try:
            path = self.store.save_new(data, name)
        except ProfileError as exc:
            self.show_problem(str(exc))
            return None
        self._saved(path, f"Saved as a new profile: {name}.")
        return path

    def _saved(self, path: Path, text: str) -> None:
        self.changed = True
        self.refresh(path)
        self.error.setStyleSheet("color:#2e8b50;")
        self.error.setText(text)
        self.error.show()

    def show_problem(self, message: str) -> None:
        """Say what is wrong in the field's own words, and bring the field into view, marked."""
        self.error.setStyleSheet("color:#c0392b;")
        self.name.setStyleSheet("")
        labels = {
            **self.fields.labels,
            "profile.name": "Name",
            "profile.description": "Description",
        }
        self.error.setText(in_words(message, labels, self.fields.places))
        self.error.show()
        key = key_in(message)
        if key in ("profile.name", "profile.description"):
            field = self.name if key == "profile.name" else self.description
            field.setStyleSheet(INVALID)
            field.setFocus()
        elif key:
            self.fields.point_at(key)

    def use(self) -> None:
        self.use_path = self.path
        self.error.setStyleSheet("color:#2e8b50;")
        self.error.setText(f"Your next takes will be analyzed with \u201c{self.name.text()}\u201d.")
        self.error.show()

    def delete(self) -> bool:
        if self.store.is_builtin(self.path) or not self.ask_delete(self.name.text()):
            return False
        try:
            self.store.delete(self.path)
        except (ProfileError, OSError) as exc:
            self.show_problem(f"Not deleted: {exc}")
            return False
        self.changed = True
        self.refresh()
        return True

    # -- import / export ----------------------------------------------------------------------

    def import_profile(self) -> Path | None:
        source = self.ask_open_path()
        if not source:
            return None
        try:
            path = self.store.import_file(source)
        except ProfileConflict as conflict:
            choice = self.ask_conflict(conflict.existing.stem)
            if choice is None:
                return None
            path = self.store.import_file(source, choice)
        except (ProfileError, OSError) as exc:
            self.show_problem(f"Not imported: {exc}")
            return None
        if path is not None:
            self._saved(path, f"Imported {Path(source).name}.")
        return path

    def export_profile(self) -> Path | None:
        target = self.ask_save_path(self.path.name)
        if not target:
            return None
        try:
            return self.store.export(self.path, target)
        except (ProfileError, OSError) as exc:
            self.show_problem(f"Not exported: {exc}")
            return None

    # -- default dialogs ----------------------------------------------------------------------

    def _ask_new(self, name: str, description: str) -> tuple[str, str] | None:
        return ask_new_profile(self, name, description)

    def _ask_open_path(self) -> str | None:
        return open_file(self, "Import a profile", "Profiles (*.toml)")

    def _ask_save_path(self, suggested: str) -> str | None:
        return save_file(self, "Export the profile", suggested, "Profiles (*.toml)")

    def _ask_delete(self, name: str) -> bool:
        answer = QMessageBox.question(
            self, "Delete the profile", f"Delete your profile \u201c{name}\u201d?"
        )
        return answer == QMessageBox.StandardButton.Yes

    def _ask_conflict(self, name: str) -> str | None:
        return ask_conflict(
            self, f"You already have a different profile called \u201c{name}\u201d."
        )


def fitted(wanted: QSize, parent: QWidget | None) -> QSize:
    """``wanted``, made smaller to fit nine tenths of the screen (150 % scaling on a laptop)."""
    screen = parent.screen() if parent is not None else QGuiApplication.primaryScreen()
    if screen is None:
        return wanted
    room = screen.availableGeometry().size() * 0.9
    return wanted.boundedTo(room)


def ask_conflict(
    parent: QWidget, text: str, can_replace: bool = True, can_keep_both: bool = True
) -> str | None:
    """Replace / keep both / skip (None: cancel)."""
    box = QMessageBox(parent)
    box.setWindowTitle("Already there")
    box.setText(text)
    replace = box.addButton("Replace mine", QMessageBox.ButtonRole.DestructiveRole)
    replace.setEnabled(can_replace)
    both = box.addButton("Keep both", QMessageBox.ButtonRole.AcceptRole)
    both.setVisible(can_keep_both)
    skip = box.addButton("Skip", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    answers: dict[object, str] = {replace: "replace", both: "keep_both", skip: "skip"}
    return answers.get(clicked)
