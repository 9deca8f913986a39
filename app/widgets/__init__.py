"""Feedback widgets: they render a Report (and the audio), emit signals, hold no analysis."""

from app.widgets.player_bar import PlayerBar
from app.widgets.scorecard import Scorecard
from app.widgets.timeline import Timeline
from app.widgets.transcript_view import TranscriptView

__all__ = ["PlayerBar", "Scorecard", "Timeline", "TranscriptView"]
