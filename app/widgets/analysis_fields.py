"""The profile / length preset / model fields shared by Settings and "Analyze again"."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from voicemail_coach.analysis.profile import ProfileError
from voicemail_coach.analysis.profile_loader import load_profile
from voicemail_coach.analysis.transcribe import ModelError, resolve_model
from voicemail_coach.app.dialogs.file_dialogs import choose_folder, open_file
from voicemail_coach.storage.profile_store import ProfileStore


class AnalysisFields:
    """Guidance profile file, its length presets, and a model folder, with an error line.

    Not a widget itself: it adds its rows to the dialog's form so the labels line up.
    """

    def __init__(
        self,
        parent: QWidget,
        profile_path: str | None,
        length_preset: str | None,
        model_dir: str | None,
    ) -> None:
        self.parent = parent
        self.wanted_preset = length_preset
        self.profile = QLineEdit(profile_path or "")
        self.profile.setPlaceholderText("Built-in default profile")
        self.profile.setAccessibleName("Guidance profile file")
        self.profile.editingFinished.connect(self.fill_presets)
        # The built-in schools and the user's own profiles, one click away.
        self.known = QComboBox()
        self.known.setAccessibleName("Guidance profile")
        self.known.setToolTip(
            "The school of thought your takes are checked against: its checks, phrases, weights "
            "and the lengths it offers"
        )
        for entry in ProfileStore().entries():
            if entry.problem is None:
                default = entry.builtin and entry.path.stem == "default"
                self.known.addItem(entry.name, "" if default else str(entry.path))
        self.known.addItem("Another profile file\u2026", None)
        self.known.activated.connect(self._pick_known)
        self.preset = QComboBox()
        self.preset.setAccessibleName("Target length")
        self.preset.setToolTip("How long a take should be, among the lengths the profile offers")
        self.model = QLineEdit(model_dir or "")
        self.model.setPlaceholderText("Bundled tiny.en model")
        self.model.setAccessibleName("Model folder")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color:#c0392b;")
        self.error.hide()

    def add_rows(self, form: QFormLayout) -> None:
        # The built-in profiles are named after their length ("Standard (20-30 s)"), like the
        # presets: the labels say which drop-down is the school and which the take's length.
        form.addRow("Guidance profile (what is checked)", self.known)
        form.addRow("Profile file", with_browse(self.profile, self._browse_profile))
        form.addRow("Target length (in that profile)", self.preset)
        form.addRow("Model folder", with_browse(self.model, self._browse_model))
        self.fill_presets()

    def choice(self) -> tuple[str | None, str | None, str | None]:
        """(profile path, length preset id, model folder); None means the built-in default."""
        return (
            self.profile.text().strip() or None,
            self.preset.currentData(),
            self.model.text().strip() or None,
        )

    def _pick_known(self, index: int) -> None:
        path = self.known.itemData(index)
        if path is None:
            self._browse_profile()
            return
        self.profile.setText(path)
        self.wanted_preset = None  # another school: its own default length
        self.fill_presets()

    def _sync_known(self) -> None:
        index = self.known.findData(self.profile.text().strip())
        self.known.setCurrentIndex(index if index >= 0 else self.known.count() - 1)

    def fill_presets(self) -> None:
        self._sync_known()
        self.preset.clear()
        try:
            profile = load_profile(self.profile.text().strip() or None)
        except ProfileError as exc:
            self.show_error(str(exc))
            return
        self.error.hide()
        for lp in profile.length_presets:
            self.preset.addItem(lp.label, lp.id)
        wanted = self.wanted_preset or profile.default_length_preset
        self.preset.setCurrentIndex(max(0, self.preset.findData(wanted)))

    def valid(self) -> bool:
        """Whether the profile loads and the model folder (if any) is a model; says why not."""
        profile_path, _, model_dir = self.choice()
        try:
            load_profile(profile_path)
            if model_dir:
                resolve_model(model_dir)
        except (ProfileError, ModelError) as exc:
            self.show_error(str(exc))
            return False
        return True

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _browse_profile(self) -> None:
        path = open_file(self.parent, "Guidance profile", "Profiles (*.toml)")
        if path:
            self.profile.setText(path)
            self.fill_presets()

    def _browse_model(self) -> None:
        path = choose_folder(self.parent, "Whisper model folder (CTranslate2)")
        if path:
            self.model.setText(path)


def with_browse(field: QLineEdit, browse: object) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    button = QPushButton("Browse\u2026")
    button.clicked.connect(browse)
    row.addWidget(field, 1)
    row.addWidget(button)
    return box
