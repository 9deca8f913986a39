"""Settings: devices, guidance profile and length preset, model folder, greeting, trimming
opened files, fillers."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QVBoxLayout,
    QWidget,
)

from voicemail_coach.app.settings import Settings
from voicemail_coach.app.widgets.analysis_fields import AnalysisFields
from voicemail_coach.audio.devices import (
    AudioUnavailable,
    device_choices,
    input_devices,
    output_devices,
)

DEFAULT = "System default"


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setMinimumWidth(660)
        self.settings = settings
        self.input = QComboBox()
        self.input.setAccessibleName("Input device")
        self.output = QComboBox()
        self.output.setAccessibleName("Output device")
        self._fill_devices()
        self.fields = AnalysisFields(
            self, settings.profile_path, settings.length_preset, settings.model_dir
        )
        self.profile, self.preset, self.model = (
            self.fields.profile, self.fields.preset, self.fields.model,
        )  # fmt: skip
        self.error = self.fields.error
        self.greeting = QCheckBox("Play a voicemail greeting and beep before recording")
        self.greeting.setChecked(settings.greeting)
        self.trim = QCheckBox(
            "Opened files: trim ringing, a greeting and the beep before the message"
        )
        self.trim.setToolTip(
            "A recording of a real call is analyzed from the voicemail beep on; what came before "
            "stays playable, greyed on the timeline"
        )
        self.trim.setChecked(settings.trim_greeting)
        self.fillers = QCheckBox("Keep fillers (um, uh) in the transcript")
        self.fillers.setChecked(settings.keep_fillers)

        form = QFormLayout()
        form.addRow("Microphone", self.input)
        form.addRow("Speaker", self.output)
        self.fields.add_rows(form)
        form.addRow("", self.greeting)
        form.addRow("", self.trim)
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

    def _fill_devices(self) -> None:
        for combo, wanted, lister in (
            (self.input, self.settings.input_device, input_devices),
            (self.output, self.settings.output_device, output_devices),
        ):
            combo.addItem(DEFAULT, None)
            try:
                for label, name in device_choices(lister(), wanted):
                    combo.addItem(label, name)
            except AudioUnavailable as exc:
                combo.setEnabled(False)
                combo.setToolTip(str(exc))
            index = combo.findData(wanted) if wanted else 0
            combo.setCurrentIndex(max(0, index))

    def _accept(self) -> None:
        if self.fields.valid():
            self.accept()

    def result_settings(self) -> Settings:
        profile_path, length_preset, model_dir = self.fields.choice()
        return replace(
            self.settings,
            input_device=self.input.currentData(),
            output_device=self.output.currentData(),
            profile_path=profile_path,
            length_preset=length_preset,
            model_dir=model_dir,
            greeting=self.greeting.isChecked(),
            trim_greeting=self.trim.isChecked(),
            keep_fillers=self.fillers.isChecked(),
        )
