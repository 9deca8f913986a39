"""The feedback page: timeline with playback, scorecard, highlighted transcript."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.controller import Feedback
from app.widgets.player_bar import PlayerBar
from app.widgets.scorecard import Scorecard
from app.widgets.timeline import Timeline
from app.widgets.transcript_view import TranscriptView


class ReviewView(QWidget):
    seek_requested = Signal(float)
    play_toggled = Signal()
    record_again = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.again = QPushButton("Record again")
        self.again.setAccessibleName("Record again with the same settings")
        self.again.setToolTip("Record another take with the same settings (Ctrl+R)")
        self.again.clicked.connect(self.record_again.emit)
        self.timeline = Timeline()
        self.player = PlayerBar()
        self.scorecard = Scorecard()
        self.transcript = TranscriptView()
        for widget in (self.timeline, self.scorecard, self.transcript):
            widget.seek_requested.connect(self.seek_requested.emit)
        self.player.play_toggled.connect(self.play_toggled.emit)

        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.again)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.scorecard)
        split.addWidget(self.transcript)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.timeline)
        layout.addWidget(self.player)
        layout.addWidget(split, 1)

    def show_feedback(self, feedback: Feedback, attention_window_s: float) -> None:
        report = feedback.report
        name = feedback.path.name
        self.title.setText(
            f"{name}  \u00b7  {report.source.duration_s:.1f} s  \u00b7  score {report.score}"
        )
        self.timeline.set_data(feedback.samples, feedback.sample_rate, report, attention_window_s)
        self.scorecard.set_report(report)
        self.transcript.set_report(report)
        self.player.set_playing(False)
        self.player.set_position(0.0, report.source.duration_s)
        self.timeline.set_position(0.0)

    def show_playback(self, position_s: float, playing: bool, duration_s: float) -> None:
        self.player.set_playing(playing)
        self.player.set_position(position_s, duration_s)
        self.timeline.set_position(position_s)
        self.transcript.set_current_time(position_s if playing or position_s > 0 else -1.0)
