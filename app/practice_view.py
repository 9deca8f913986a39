"""The practice page: one Record/Stop control, elapsed time against the target zone, input level."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from analysis.profile import LengthPreset
from app.widgets.level_meter import LevelMeter
from app.widgets.target_bar import TargetBar, zone_of

GREETING_TEXT = (
    "\u201cHi, you've reached Dana Cole at Northwind Logistics. I can't take your call right now, "
    "so please leave a message after the tone.\u201d"
)


def clock(seconds: float) -> str:
    return f"{int(seconds) // 60}:{int(seconds) % 60:02d}"


class PracticeView(QWidget):
    record_clicked = Signal()
    open_clicked = Signal()
    greeting_toggled = Signal(bool)

    def __init__(self, preset: LengthPreset, limit_s: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preset = preset
        title = QLabel("Practise a voicemail")
        title.setObjectName("pageTitle")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.record = QPushButton("Record")
        self.record.setObjectName("recordButton")
        self.record.setAccessibleName("Record or stop")
        self.record.setMinimumSize(180, 56)
        self.record.setToolTip("Start or stop a take (Space)")
        self.record.clicked.connect(self.record_clicked.emit)

        self.elapsed = QLabel("0:00")
        self.elapsed.setObjectName("elapsed")
        self.elapsed.setAccessibleName("Elapsed time")
        self.elapsed.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zone = QLabel()
        self.zone.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.target = TargetBar(preset, limit_s)
        self.meter = LevelMeter()
        self.device = QLabel()
        self.device.setAccessibleName("Input device")
        self.warning = QLabel()
        self.warning.setObjectName("autoStopWarning")
        self.warning.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.warning.hide()

        self.recording_available = True
        self.greeting = QCheckBox("Leave it like a real voicemail (greeting and beep first)")
        self.greeting.setAccessibleName("Play a voicemail greeting and beep before recording")
        self.greeting.toggled.connect(self.greeting_toggled.emit)
        self.open_button = QPushButton("Open a recording\u2026")
        self.open_button.setAccessibleName("Open a recording")
        self.open_button.clicked.connect(self.open_clicked.emit)

        center = QVBoxLayout()
        center.addStretch(1)
        center.addWidget(title, 0, Qt.AlignmentFlag.AlignHCenter)
        center.addWidget(self.hint)
        center.addSpacing(16)
        center.addWidget(self.record, 0, Qt.AlignmentFlag.AlignHCenter)
        center.addSpacing(8)
        center.addWidget(self.elapsed)
        center.addWidget(self.zone)
        center.addWidget(self.target)
        center.addWidget(self.warning)
        center.addSpacing(12)
        level_row = QHBoxLayout()
        level_row.addWidget(QLabel("Input"))
        level_row.addWidget(self.meter, 1)
        center.addLayout(level_row)
        center.addWidget(self.device)
        center.addSpacing(12)
        center.addWidget(self.greeting, 0, Qt.AlignmentFlag.AlignHCenter)
        center.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignHCenter)
        center.addStretch(2)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(center, 4)
        outer.addStretch(1)
        self.show_state("ready")

    def set_preset(self, preset: LengthPreset, limit_s: float) -> None:
        self.preset = preset
        self.target.set_preset(preset, limit_s)
        self.show_state("ready")

    def set_device(self, text: str, available: bool = True) -> None:
        self.device.setText(text)
        self.recording_available = available
        self.record.setEnabled(available)

    def show_state(self, state: str) -> None:
        recording = state in ("greeting", "recording", "stopping")
        self.record.setText("Stop" if recording else "Record")
        self.record.setProperty("recording", recording)
        self.record.style().unpolish(self.record)
        self.record.style().polish(self.record)
        self.record.setEnabled(state != "stopping" and self.recording_available)
        self.open_button.setEnabled(not recording)
        self.greeting.setEnabled(not recording)
        lp = self.preset
        if state == "greeting":
            self.hint.setText(
                f"Their phone is ringing\u2026 {GREETING_TEXT} Recording starts at the beep."
            )
        elif state == "recording":
            self.hint.setText("Recording. Leave your message, then press Stop (or Space).")
        elif state == "stopping":
            self.hint.setText("Saving the take\u2026")
        else:
            self.hint.setText(
                f"Press Record (or Space) and leave your voicemail. Aim for "
                f"{lp.target_min_s:.0f}-{lp.target_max_s:.0f} s with your value in the first "
                "10 s. Or open a recording to review it."
            )
            self.warning.hide()
            self.elapsed.setText("0:00")
            self.zone.setText(f"Target: {lp.target_min_s:.0f}-{lp.target_max_s:.0f} s ({lp.label})")
            self.target.set_elapsed(0.0)
            self.meter.reset()

    def show_live(self, elapsed_s: float, level_db: float, peak_db: float, clipping: bool) -> None:
        self.elapsed.setText(clock(elapsed_s))
        self.zone.setText(zone_of(elapsed_s, self.preset).capitalize())
        self.target.set_elapsed(elapsed_s)
        self.meter.set_level(level_db, peak_db, clipping)

    def show_auto_stop_warning(self, seconds_left: float) -> None:
        self.warning.setText(f"Recording stops by itself in {seconds_left:.0f} s")
        self.warning.show()
