"""Settings: devices, guidance profile and length preset, model folder, greeting, fillers."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QCheckBox,
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
from app.settings import Settings
from audio.devices import AudioUnavailable, input_devices, output_devices

DEFAULT = "System default"


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setMinimumWidth(560)
        self.settings = settings
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color:#c0392b;")
        self.error.hide()

        self.input = QComboBox()
        self.input.setAccessibleName("Input device")
        self.output = QComboBox()
        self.output.setAccessibleName("Output device")
        self._fill_devices()

        self.profile = QLineEdit(settings.profile_path or "")
        self.profile.setPlaceholderText("Built-in default profile")
        self.profile.setAccessibleName("Guidance profile file")
        self.profile.editingFinished.connect(self._fill_presets)
        browse_profile = QPushButton("Browse\u2026")
        browse_profile.clicked.connect(self._browse_profile)
        self.preset = QComboBox()
        self.preset.setAccessibleName("Length preset")
        self.model = QLineEdit(settings.model_dir or "")
        self.model.setPlaceholderText("Bundled tiny.en model")
        self.model.setAccessibleName("Model folder")
        browse_model = QPushButton("Browse\u2026")
        browse_model.clicked.connect(self._browse_model)
        self.greeting = QCheckBox("Play a voicemail greeting and beep before recording")
        self.greeting.setChecked(settings.greeting)
        self.fillers = QCheckBox("Keep fillers (um, uh) in the transcript")
        self.fillers.setChecked(settings.keep_fillers)

        form = QFormLayout()
        form.addRow("Microphone", self.input)
        form.addRow("Speaker", self.output)
        form.addRow("Guidance profile", _row(self.profile, browse_profile))
        form.addRow("Length", self.preset)
        form.addRow("Model folder", _row(self.model, browse_model))
        form.addRow("", self.greeting)
        form.addRow("", self.fillers)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._fill_presets()

    def _fill_devices(self) -> None:
        for combo, wanted, lister in (
            (self.input, self.settings.input_device, input_devices),
            (self.output, self.settings.output_device, output_devices),
        ):
            combo.addItem(DEFAULT, None)
            try:
                for device in lister():
                    combo.addItem(device.name, device.name)
            except AudioUnavailable as exc:
                combo.setEnabled(False)
                combo.setToolTip(str(exc))
            index = combo.findData(wanted) if wanted else 0
            combo.setCurrentIndex(max(0, index))

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
        wanted = self.settings.length_preset or profile.default_length_preset
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
        from analysis.transcribe import ModelError, resolve_model

        try:
            load_profile(self.profile.text().strip() or None)
            if self.model.text().strip():
                resolve_model(self.model.text().strip())
        except (ProfileError, ModelError) as exc:
            self._show_error(str(exc))
            return
        self.accept()

    def result_settings(self) -> Settings:
        return replace(
            self.settings,
            input_device=self.input.currentData(),
            output_device=self.output.currentData(),
            profile_path=self.profile.text().strip() or None,
            length_preset=self.preset.currentData(),
            model_dir=self.model.text().strip() or None,
            greeting=self.greeting.isChecked(),
            keep_fillers=self.fillers.isChecked(),
        )


def _row(*widgets: QWidget) -> QWidget:
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for w in widgets:
        layout.addWidget(w, 1 if isinstance(w, QLineEdit) else 0)
    return box
