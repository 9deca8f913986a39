"""Choose the profile, length preset and model to analyze a stored take with again."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from voicemail_coach.app.settings import Settings
from voicemail_coach.app.widgets.analysis_fields import AnalysisFields


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
        self.fields = AnalysisFields(
            self, settings.profile_path, settings.length_preset, settings.model_dir
        )
        self.profile, self.preset, self.model = (
            self.fields.profile, self.fields.preset, self.fields.model,
        )  # fmt: skip
        self.error = self.fields.error
        form = QFormLayout()
        self.fields.add_rows(form)
        # Off: the stored transcript is kept, so a change of verdict is the profile's alone.
        self.transcribe = QCheckBox("Transcribe the recording again")
        self.transcribe.setToolTip(
            "Off: the words found last time are analyzed with the chosen profile, so only the "
            "profile can change the verdict. Another model is always transcribed again."
        )
        form.addRow("", self.transcribe)
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

    def choice(self) -> tuple[str | None, str | None, str | None]:
        """(profile path, length preset id, model folder); None means the built-in default."""
        return self.fields.choice()

    def transcribe_again(self) -> bool:
        """True when the user asked for a new transcription."""
        return self.transcribe.isChecked()

    def _accept(self) -> None:
        if self.fields.valid():
            self.accept()
