"""Playing the take on the feedback page: play, pause, seek, the playhead, and the switch
between the take as recorded and as the prospect will hear it (the phone-line rendering).

Times here are on the message's clock, as the report's: a lead trimmed before the message
(ringing, a greeting, the beep) plays before it, at negative times."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import QTimer

from voicemail_coach.audio.devices import AudioUnavailable
from voicemail_coach.audio.playback import PlaybackError, Player


class PlaybackControl:
    """Owns the feedback's Player. ``position`` hears (position_s, playing) while it plays;
    ``message`` hears (level, text) when playback fails."""

    def __init__(
        self,
        output: Callable[[], tuple[Callable[..., Any] | None, str | None]],
        position: Callable[[float, bool], None],
        message: Callable[[str, str], None],
    ) -> None:
        self._output = output  # the output stream factory and device, read when used
        self._position = position
        self._message = message
        self.player: Player | None = None
        self.line_samples: np.ndarray | None = None  # the rendering at 16 kHz, for the player
        self.hear_line = False  # the player plays the rendering
        self._samples: np.ndarray | None = None  # the take as recorded
        self._rate = 16_000
        self._lead: np.ndarray | None = None  # trimmed before the message, played before it
        self.lead_s = 0.0

    def prepare(
        self, samples: np.ndarray, sample_rate: int, lead: np.ndarray | None = None
    ) -> None:
        """A new feedback: a new player loaded with its take (none when the output fails),
        ready at the message's start. ``lead``: what was trimmed before it, playable too."""
        self.stop()
        if self.player is not None:
            self.player.close()
            self.player = None
        self._lead = lead if lead is not None and len(lead) else None
        self.lead_s = len(self._lead) / sample_rate if self._lead is not None else 0.0
        self._samples, self._rate = self._with_lead(samples), sample_rate
        try:
            player = Player(*self._output())
            player.load(self._samples, sample_rate)
            if self.lead_s:
                player.seek(self.lead_s)
        except (PlaybackError, AudioUnavailable) as exc:
            self._message("warning", f"{exc} Playback is off; the feedback is all there.")
            return
        self.player = player

    def _with_lead(self, samples: np.ndarray) -> np.ndarray:
        if self._lead is None:
            return samples
        return np.concatenate((self._lead.astype(samples.dtype, copy=False), samples))

    def forget_line(self) -> None:
        """The rendering is gone (a new take or analysis)."""
        self.line_samples = None
        self.hear_line = False

    def set_hear_line(self, on: bool) -> None:
        """Play the take as recorded, or as the prospect will hear it (from the same moment)."""
        player = self.player
        line = self.line_samples
        samples = (self._with_lead(line) if line is not None else None) if on else self._samples
        if player is None or samples is None or on == self.hear_line:
            return
        position, playing = player.position_s, player.playing
        try:
            player.load(samples, self._rate)
            player.seek(position)
            if playing:
                player.play()
        except (PlaybackError, AudioUnavailable) as exc:
            self._message("warning", f"{exc} Playback is off; the feedback is all there.")
            return
        self.hear_line = on
        self._update()

    def toggle(self) -> None:
        player = self.player
        if player is None:
            return
        try:
            player.toggle()
        except (PlaybackError, AudioUnavailable) as exc:
            self._message("error", str(exc))
            return
        self._update()

    def seek(self, t_s: float) -> None:
        if self.player is not None:
            self.player.seek(max(0.0, t_s + self.lead_s))
            self._update()

    def stop(self) -> None:
        if self.player is not None and self.player.playing:
            self.player.pause()
            self._update()

    def close(self) -> None:
        if self.player is not None:
            self.player.close()
            self.player = None

    def _update(self) -> None:
        player = self.player
        if player is None:
            return
        self._position(player.position_s - self.lead_s, player.playing)
        if player.playing:
            QTimer.singleShot(30, self._update)
