"""The profile editor's "No message" tab: when a take is no voicemail message at all (the
profile's ``[no_message]`` table, see ``voicemail_coach.analysis.no_message``), in words a coach can follow,
and what the feedback page then says for each kind of non-message.

The words (labels, help texts, suffixes, the names of the kinds) are data, in
``resources/profile_fields.toml`` under ``[no_message]`` (read by
``voicemail_coach.app.profile_guide``). The greeting phrases themselves are a pattern list
(``no_message.greeting_patterns``) under "Advanced: patterns", like every other pattern.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QWidget,
)

from voicemail_coach.app.profile_guide import load_guide


def _box(key: str, value: float | int, suffix: str, why: str) -> QAbstractSpinBox:
    box: QSpinBox | QDoubleSpinBox
    if isinstance(value, int) and not isinstance(value, bool):
        box = QSpinBox()
        box.setRange(0, 100_000)
        box.setValue(int(value))
    else:
        box = QDoubleSpinBox()
        box.setDecimals(3 if abs(value) < 1 else 1)
        box.setSingleStep(0.05 if abs(value) <= 1 else 1.0)
        box.setRange(-200.0, 100_000.0)
    if isinstance(box, QDoubleSpinBox):
        box.setValue(float(value))
    box.setSuffix(suffix)
    box.setToolTip(why)
    box.setAccessibleName(key)
    box.setObjectName(key)
    return box


def no_message_page(
    table: dict[str, Any],
) -> tuple[QScrollArea, dict[str, QAbstractSpinBox], dict[str, QLineEdit]]:
    """The tab for ``table`` (a profile's ``[no_message]``): the page, its number boxes and its
    reason texts, each keyed by the profile's dotted key (``no_message.min_words``)."""
    guide = load_guide().no_message
    page = QWidget()
    form = QFormLayout(page)
    intro = QLabel(guide.intro)
    intro.setWordWrap(True)
    form.addRow(intro)
    numbers: dict[str, QAbstractSpinBox] = {}
    for heading, rows in guide.groups:
        form.addRow(QLabel(f"<b>{heading}</b>"))
        for field in rows:
            if field.key in table:
                key = f"no_message.{field.key}"
                numbers[key] = _box(key, table[field.key], field.suffix, field.help)
                numbers[key].setAccessibleName(field.label)
                form.addRow(field.label, numbers[key])
    form.addRow(QLabel(f"<b>{guide.reasons_title}</b>"))
    texts: dict[str, QLineEdit] = {}
    reasons = table.get("reasons", {})
    for name, label in guide.reasons:
        key = f"no_message.reasons.{name}"
        texts[key] = QLineEdit(str(reasons.get(name, "")))
        texts[key].setAccessibleName(f"What the feedback says for {label.lower()}")
        texts[key].setCursorPosition(0)
        form.addRow(label, texts[key])
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(page)
    return scroll, numbers, texts
