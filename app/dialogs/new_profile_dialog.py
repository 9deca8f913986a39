""" "Save as new profile": a name and a description for the copy, sized for its content."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


class NewProfileDialog(QDialog):
    """Asks for the new profile's name (required) and description; ``answer()`` after exec."""

    def __init__(self, name: str, description: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Save as new profile")
        self.setMinimumWidth(480)
        intro = QLabel(
            "Your own copy, with the changes you made. It appears in the profile list and on "
            "the practice page, and you can share it with Export."
        )
        intro.setWordWrap(True)
        self.name = QLineEdit(name)
        self.name.setAccessibleName("Name of the new profile")
        self.name.setPlaceholderText("e.g. Team Q3: short and personal")
        self.name.selectAll()
        self.description = QPlainTextEdit(description)
        self.description.setAccessibleName("Description of the new profile")
        self.description.setPlaceholderText("What is different about it, and who it is for")
        self.description.setFixedHeight(80)
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Description", self.description)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name.textChanged.connect(self._enable)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._enable()
        self.name.setFocus()

    def _enable(self) -> None:
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(bool(self.name.text().strip()))

    def answer(self) -> tuple[str, str]:
        return self.name.text().strip(), " ".join(self.description.toPlainText().split())


def ask_new_profile(parent: QWidget, name: str, description: str) -> tuple[str, str] | None:
    dialog = NewProfileDialog(name, description, parent)
    return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None
