"""Feedback widgets: they render a Report (and the audio), emit signals, hold no analysis."""

from voicemail_coach.app.widgets.player_bar import PlayerBar
from voicemail_coach.app.widgets.scorecard import Scorecard
from voicemail_coach.app.widgets.timeline import Timeline
from voicemail_coach.app.widgets.transcript_view import TranscriptView

__all__ = ["PlayerBar", "Scorecard", "Timeline", "TranscriptView"]
