"""What the profile editor's pages are built of: a page of label, widget and help rows
(:class:`FieldPage`), a spin box for a number with its unit and range, help texts, and the mark
of a field a validation message names (:data:`INVALID`)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from voicemail_coach.app.profile_guide import Field

INVALID = "border: 2px solid #d64541;"
HELP_STYLE = "color: palette(placeholder-text);"


def number_box(key: str, value: float | int, field: Field | None) -> QAbstractSpinBox:
    """A spin box for ``value`` with the field's unit and range (widened to hold the value)."""
    unit = field.unit if field else None
    low, high = (unit.minimum, unit.maximum) if unit else (-1000.0, 100_000.0)
    box: QSpinBox | QDoubleSpinBox
    if isinstance(value, int):
        box = QSpinBox()
        box.setRange(int(min(low, value)), int(max(high, value)))
        box.setSingleStep(max(1, int(unit.step)) if unit else 1)
        box.setValue(int(value))
    else:
        box = QDoubleSpinBox()
        decimals = unit.decimals if unit else (3 if abs(value) < 1 and value != 0 else 2)
        # Never fewer decimals than the profile's own value needs.
        written = len(repr(value).partition(".")[2].rstrip("0"))
        box.setDecimals(max(decimals, min(written, 4)))
        box.setRange(min(low, value), max(high, value))
        if unit:
            box.setSingleStep(unit.step)
    if isinstance(box, QDoubleSpinBox):
        box.setValue(float(value))
    box.setSuffix(unit.suffix if unit else "")
    box.setAccessibleName(field.label if field else key)
    if field:
        box.setToolTip(field.help)
        box.setAccessibleDescription(field.help)
    box.setObjectName(key)
    box.setMinimumWidth(130)
    return box


def lines_of(box: QPlainTextEdit) -> list[str]:
    """The box's non-blank lines, stripped."""
    return [x.strip() for x in box.toPlainText().splitlines() if x.strip()]


def help_label(text: str) -> QLabel:
    """A help text in the muted colour, wrapped."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(HELP_STYLE)
    return label


class FieldPage(QScrollArea):
    """A section's page: its title, what it is about, and a grid of label, widget and help."""

    def __init__(self, title: str, about: str) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        inner = QWidget()
        self.outer = QVBoxLayout(inner)
        heading = QLabel(title)
        heading.setStyleSheet("font-size: 13pt; font-weight: 600;")
        self.outer.addWidget(heading)
        if about:
            self.outer.addWidget(help_label(about))
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(14)
        self.grid.setVerticalSpacing(8)
        self.grid.setColumnStretch(2, 1)
        self.outer.addLayout(self.grid)
        self.outer.addStretch(1)
        self.setWidget(inner)
        self.setAccessibleName(title)

    def heading(self, text: str) -> None:
        label = QLabel(f"<b>{text}</b>")
        label.setContentsMargins(0, 8, 0, 0)
        self.grid.addWidget(label, self.grid.rowCount(), 0, 1, 3)

    def row(self, label: str, widget: QWidget, help_text: str, tall: bool = False) -> QLabel:
        """Label | widget | help; a tall widget spans the widget and help columns, its help
        under the label."""
        r = self.grid.rowCount()
        name = QLabel(label)
        name.setWordWrap(True)
        name.setBuddy(widget)
        name.setMinimumWidth(200)
        name.setMaximumWidth(300)
        widget.setAccessibleName(label)
        if help_text:
            widget.setToolTip(help_text)
            widget.setAccessibleDescription(help_text)
        helper = help_label(help_text)
        if tall:
            left = QWidget()
            column = QVBoxLayout(left)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(name)
            column.addWidget(helper)
            column.addStretch(1)
            self.grid.addWidget(left, r, 0)
            self.grid.addWidget(widget, r, 1, 1, 2)
        else:
            align = Qt.AlignmentFlag.AlignVCenter
            self.grid.addWidget(name, r, 0, align)
            self.grid.addWidget(widget, r, 1, align)
            self.grid.addWidget(helper, r, 2, align)
        name.setProperty("helpLabel", helper)
        return helper
