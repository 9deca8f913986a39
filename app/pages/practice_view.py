"""The practice page: one Record/Stop control, elapsed time against the target zone, input level."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpacerItem,
    QVBoxLayout,
    QWidget,
)

from voicemail_coach.analysis.profile import LengthPreset
from voicemail_coach.app.widgets.level_meter import INSET as METER_INSET
from voicemail_coach.app.widgets.level_meter import LevelMeter
from voicemail_coach.app.widgets.live_cues import LiveCuesView
from voicemail_coach.app.widgets.scenario_card import ScenarioPicker
from voicemail_coach.app.widgets.target_bar import TargetBar, zone_of
from voicemail_coach.audio.greeting import generic_text

COLUMN_WIDTH = 640
# Zone colours for text: a shade darker than the bar's, to read on light and dark windows alike.
ZONE_TEXT = {"in the zone": "#2e8b50", "over target": "#c27d12", "far too long": "#d64541"}


def clock(seconds: float) -> str:
    return f"{int(seconds) // 60}:{int(seconds) % 60:02d}"


def preset_name(preset: LengthPreset) -> str:
    """The preset's label without a trailing "(20-30 s)", which the page shows anyway."""
    return re.sub(r"\s*\([^)]*\)\s*$", "", preset.label) or preset.label


def _secondary(label: QLabel) -> QLabel:
    """Secondary text: the palette's placeholder colour, so it follows light and dark themes."""
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


class PracticeView(QWidget):
    record_clicked = Signal()
    open_clicked = Signal()
    greeting_toggled = Signal(bool)
    device_chosen = Signal(object)  # device name, or None for the system default
    preset_chosen = Signal(str)  # length preset id
    variant_chosen = Signal(object)  # a script variant's uid, or None

    def __init__(self, preset: LengthPreset, limit_s: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preset = preset
        self._zone = ""
        title = QLabel("Practise a voicemail")
        title.setObjectName("pageTitle")
        self.role_play = QLabel()
        self.role_play.setObjectName("rolePlay")
        self.role_play.setAccessibleName("Role play")
        self.role_play.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.role_play.setStyleSheet("font-size: 12pt; margin: 2px 0 4px 0;")
        self.role_play.hide()
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scenario = ScenarioPicker()
        self.length = QComboBox()
        self.length.setAccessibleName("Target length")
        self.length.setToolTip("How long the take should be (the profile's lengths; remembered)")
        self.length.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.length.activated.connect(lambda i: self.preset_chosen.emit(self.length.itemData(i)))
        self.variant = QComboBox()
        self.variant.setAccessibleName("Script variant")
        self.variant.setToolTip(
            "The script variant the next takes use (Lab → New script variant; remembered)"
        )
        self.variant.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.variant.activated.connect(lambda i: self.variant_chosen.emit(self.variant.itemData(i)))
        self.variant_label = QLabel("Script")
        self.variant_label.setBuddy(self.variant)
        self.set_variants([], None)

        self.record = QPushButton("Record")
        self.record.setObjectName("recordButton")
        self.record.setAccessibleName("Record or stop")
        self.record.setFixedSize(124, 124)
        self.record.setToolTip("Start or stop a take (Space)")
        self.record.clicked.connect(self.record_clicked.emit)

        self.elapsed = QLabel("0:00")
        self.elapsed.setObjectName("elapsed")
        self.elapsed.setAccessibleName("Elapsed time")
        self.elapsed.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zone = QLabel()
        self.zone.setObjectName("zone")
        self.zone.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.target = TargetBar(preset, limit_s)
        self.meter = LevelMeter()
        self.device = _secondary(QLabel())
        self.device.setAccessibleName("Input device status")
        self.device.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.device.setWordWrap(True)
        self.device_picker = QComboBox()
        self.device_picker.setAccessibleName("Microphone")
        self.device_picker.setToolTip("The microphone to record from (remembered)")
        self.device_picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.device_picker.activated.connect(
            lambda i: self.device_chosen.emit(self.device_picker.itemData(i))
        )
        self.warning = QLabel()
        self.warning.setObjectName("autoStopWarning")
        self.warning.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.warning.hide()
        self.cues = LiveCuesView()

        self.recording_available = True
        self.greeting = QCheckBox("Leave it like a real voicemail (greeting and beep first)")
        self.greeting.setAccessibleName("Play a voicemail greeting and beep before recording")
        self.greeting.toggled.connect(self.greeting_toggled.emit)
        self.greeting_note = _secondary(QLabel())
        self.greeting_note.setObjectName("greetingNote")
        self.greeting_note.setAccessibleName("Greeting")
        self.greeting_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.greeting_note.setWordWrap(True)
        self.greeting.toggled.connect(self.greeting_note.setVisible)
        self._greeting_text = generic_text()
        self.open_button = QPushButton("Open a recording\u2026")
        self.open_button.setObjectName("openButton")
        self.open_button.setAccessibleName("Open a recording")
        self.open_button.setToolTip("Review a recording you already have (Ctrl+O, or drop a file)")
        self.open_button.clicked.connect(self.open_clicked.emit)

        column = QWidget()
        column.setMaximumWidth(COLUMN_WIDTH)
        center = QVBoxLayout(column)
        center.setContentsMargins(0, 0, 0, 0)
        center.setSpacing(4)
        space = self._space
        center.addWidget(title, 0, Qt.AlignmentFlag.AlignHCenter)
        center.addWidget(self.role_play)
        center.addWidget(self.hint)
        space(center, 10)
        center.addWidget(self.scenario)
        length_row = QHBoxLayout()
        length_row.addStretch(1)
        length_label = QLabel("Length")
        length_label.setBuddy(self.length)
        length_row.addWidget(length_label)
        length_row.addWidget(self.length)
        length_row.addSpacing(16)
        length_row.addWidget(self.variant_label)
        length_row.addWidget(self.variant)
        length_row.addStretch(1)
        center.addLayout(length_row)
        space(center, 14)
        center.addWidget(self.record, 0, Qt.AlignmentFlag.AlignHCenter)
        space(center, 10)
        center.addWidget(self.elapsed)
        center.addWidget(self.zone)
        space(center, 4)
        center.addWidget(self.target)
        center.addWidget(self.warning)
        center.addWidget(self.cues)
        space(center, 22)
        level_head = QHBoxLayout()
        level_head.setContentsMargins(round(METER_INSET), 0, round(METER_INSET), 0)
        level_head.addWidget(QLabel("Input level"))
        level_head.addWidget(self.device, 1)
        level_head.addWidget(self.device_picker)
        center.addLayout(level_head)
        center.addWidget(self.meter)
        space(center, 26)
        center.addWidget(self.greeting, 0, Qt.AlignmentFlag.AlignHCenter)
        center.addWidget(self.greeting_note)
        space(center, 4)
        center.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignHCenter)

        page = QWidget()
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column, 100)
        row.addStretch(1)
        inner = QVBoxLayout(page)
        inner.setContentsMargins(24, 4, 24, 4)
        inner.addStretch(2)
        inner.addLayout(row)
        inner.addStretch(3)
        # In a window too short for the page (a card and the greeting shown) it scrolls instead
        # of drawing the Record button over the timer.
        scroll = QScrollArea()
        scroll.setWidget(page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.viewport().setAutoFillBackground(False)
        page.setAutoFillBackground(False)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.show_state("ready")

    @staticmethod
    def _space(layout: QVBoxLayout, height: int) -> None:
        """Room that gives way first when the window is short, so widgets never overlap."""
        policy = QSizePolicy.Policy
        layout.addSpacerItem(QSpacerItem(0, height, policy.Minimum, policy.Preferred))

    def show_role_play(
        self, participant: str | None, session: str | None, scenario: str | None = None
    ) -> None:
        """Say "Recording as Ann \u2014 Thursday drill" while a role-play session labels takes."""
        if session is None:
            self.role_play.hide()
            return
        who = f"Recording as <b>{html.escape(participant)}</b>" if participant else "Recording"
        what = f" \u00b7 {html.escape(scenario)}" if scenario else ""
        self.role_play.setText(f"{who} \u2014 {html.escape(session)}{what}")
        self.role_play.show()

    def set_variants(self, choices: list[tuple[str, str]], chosen: str | None) -> None:
        """The script variants (name, uid) to pick from; hidden while there are none."""
        self.variant.clear()
        self.variant.addItem("No variant", None)
        for name, uid in choices:
            self.variant.addItem(name, uid)
        self.variant.setCurrentIndex(max(0, self.variant.findData(chosen)))
        self.variant.setVisible(bool(choices))
        self.variant_label.setVisible(bool(choices))

    def set_greeting_on(self, on: bool) -> None:
        self.greeting.setChecked(on)
        self.greeting_note.setVisible(on)

    def set_greeting(self, text: str, note: str) -> None:
        """The words the greeting says (shown while it plays), and which greeting it is."""
        self._greeting_text = text
        self.greeting_note.setText(note)

    def set_preset(
        self, preset: LengthPreset, limit_s: float, choices: Sequence[LengthPreset] = ()
    ) -> None:
        """The length to aim for; ``choices``: the profile's lengths to pick from."""
        self.preset = preset
        self.target.set_preset(preset, limit_s)
        if choices:
            self.length.clear()
            for lp in choices:
                self.length.addItem(lp.label, lp.id)
        self.length.setCurrentIndex(max(0, self.length.findData(preset.id)))
        self.show_state("ready")

    def set_device(self, text: str, available: bool = True) -> None:
        self.device.setText(text)
        self.recording_available = available
        self.record.setEnabled(available)

    def set_device_choices(self, choices: list[tuple[str, str]], chosen: str | None) -> None:
        """Offer the system default and every input as (label, device name); ``chosen`` None
        means the default."""
        self.device_picker.clear()
        self.device_picker.addItem("System default microphone", None)
        for label, name in choices:
            self.device_picker.addItem(label, name)
        self.device_picker.setCurrentIndex(
            max(0, self.device_picker.findData(chosen)) if chosen else 0
        )
        self.device_picker.setEnabled(bool(choices))

    def show_state(self, state: str) -> None:
        recording = state in ("greeting", "recording", "stopping")
        self.record.setText("Stop" if recording else "Record")
        self.record.setProperty("recording", recording)
        self.record.style().unpolish(self.record)
        self.record.style().polish(self.record)
        self.record.setEnabled(state != "stopping" and self.recording_available)
        self.open_button.setEnabled(not recording)
        self.length.setEnabled(not recording)
        self.variant.setEnabled(not recording)
        self.greeting.setEnabled(not recording)
        self.scenario.set_recording(recording)
        self.hint.setProperty("recording", state == "recording")
        self.hint.style().unpolish(self.hint)
        self.hint.style().polish(self.hint)
        lp = self.preset
        if state in ("ready", "greeting"):
            self._reset_counters()
        if state == "greeting":
            self.hint.setText(
                f"Their phone is ringing\u2026 \u201c{self._greeting_text}\u201d Recording "
                "starts at the beep."
            )
        elif state == "recording":
            self.hint.setText(
                "\u25cf Recording \u2014 leave your message, then press Stop (or Space)."
            )
        elif state == "stopping":
            self.hint.setText("Saving the take\u2026")
        else:
            self.hint.setText(
                f"Press Record (or Space) and leave your voicemail. Aim for "
                f"{lp.target_min_s:.0f}-{lp.target_max_s:.0f} s, with your value in the first "
                "10 s."
            )

    def _reset_counters(self) -> None:
        """Nothing of the last take shows before the next one records."""
        lp = self.preset
        self.warning.hide()
        self.elapsed.setText("0:00")
        self.zone.setText(
            f"Target {lp.target_min_s:.0f}-{lp.target_max_s:.0f} s \u00b7 {preset_name(lp)}"
        )
        self.zone.setStyleSheet("")
        self._zone = ""
        self.target.set_elapsed(0.0)
        self.meter.reset()
        self.cues.reset()

    def show_live(self, elapsed_s: float, level_db: float, peak_db: float, clipping: bool) -> None:
        lp = self.preset
        zone = zone_of(elapsed_s, lp)
        self.elapsed.setText(clock(elapsed_s))
        if zone == "under target":
            text = f"Under target \u00b7 {lp.target_min_s - elapsed_s:.0f} s to the zone"
        elif zone == "in the zone":
            text = f"In the zone \u00b7 wrap up by {lp.target_max_s:.0f} s"
        elif zone == "over target":
            text = "Over target \u00b7 finish now"
        else:
            text = "Far too long"
        self.zone.setText(text)
        if zone != self._zone:
            self._zone = zone
            color = ZONE_TEXT.get(zone, "")
            self.zone.setStyleSheet(
                f"color: {color}; font-weight: 600;" if color else "font-weight: 600;"
            )
        self.target.set_elapsed(elapsed_s)
        self.meter.set_level(level_db, peak_db, clipping)

    def show_auto_stop_warning(self, seconds_left: float) -> None:
        self.warning.setText(f"Recording stops by itself in {seconds_left:.0f} s")
        self.warning.show()
