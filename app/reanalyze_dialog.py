"""Choose the profile, length preset and model to analyze a stored take with again."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from analysis.profile import ProfileError, load_profile
from analysis.transcribe import ModelError, resolve_model
from app.settings import Settings


class ReanalyzeDialog(QDialog):
    def __init__(self, settings: Settings, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Analyze again")
        self.setMinimumWidth(520)
        intro = QLabel(
            f"Analyze \u201c{title}\u201d again. The earlier report is kept, so you can see how "
            "the verdict changes with another profile or model."
        )
        intro.setWordWrap(True)
        self.profile = QLineEdit(settings.profile_path or "")
        self.profile.setPlaceholderText("Built-in default profile")
        self.profile.setAccessibleName("Guidance profile file")
        self.profile.editingFinished.connect(self._fill_presets)
        self.preset = QComboBox()
        self.preset.setAccessibleName("Length preset")
        self.model = QLineEdit(settings.model_dir or "")
        self.model.setPlaceholderText("Bundled tiny.en model")
        self.model.setAccessibleName("Model folder")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color:#c0392b;")
        self.error.hide()
        self.wanted_preset = settings.length_preset
        form = QFormLayout()
        form.addRow("Guidance profile", _with_browse(self.profile, self._browse_profile))
        form.addRow("Length", self.preset)
        form.addRow("Model folder", _with_browse(self.model, self._browse_model))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Analyze")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._fill_presets()

    def choice(self) -> tuple[str | None, str | None, str | None]:
        """(profile path, length preset id, model folder); None means the built-in default."""
        return (
            self.profile.text().strip() or None,
            self.preset.currentData(),
            self.model.text().strip() or None,
        )

    def _fill_presets(self) -> None:
        self.preset.clear()
        try:
            profile = load_profile(self.profile.text().strip() or None)
        except ProfileError as exc:
            self._show_error(str(exc))
            return
        self.error.hide()
        for lp in profile.length_presets:
            self.preset.addItem(lp.label, lp.id)
        wanted = self.wanted_preset or profile.default_length_preset
        self.preset.setCurrentIndex(max(0, self.preset.findData(wanted)))

    def _browse_profile(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Guidance profile", "", "Profiles (*.toml)")
        if path:
            self.profile.setText(path)
            self._fill_presets()

    def _browse_model(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Whisper model folder (CTranslate2)")
        if path:
            self.model.setText(path)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _accept(self) -> None:
        profile_path, _, model_dir = self.choice()
        try:
            load_profile(profile_path)
            if model_dir:
                resolve_model(model_dir)
        except (ProfileError, ModelError) as exc:
            self._show_error(str(exc))
            return
        self.accept()


def _with_browse(field: QLineEdit, browse: object) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    button = QPushButton("Browse\u2026")
    button.clicked.connect(browse)
    row.addWidget(field, 1)
    row.addWidget(button)
    return box
