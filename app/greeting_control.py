"""The practice greeting before a take: made off the GUI thread (espeak-ng speaks the scenario
card's prospect, else the bundled greeting), played, and over at the beep."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from voicemail_coach.analysis.scenarios import Scenario
from voicemail_coach.app.tasks import Task, TaskRunner
from voicemail_coach.audio.devices import AudioUnavailable
from voicemail_coach.audio.greeting import Greeting, planned_text, practice_greeting
from voicemail_coach.audio.playback import PlaybackError, Player


def greeting_plan(card: Scenario | None) -> tuple[str, bool]:
    """The words the greeting says for this card, and whether espeak-ng speaks them (True) or
    the bundled generic greeting plays (False)."""
    return planned_text(card.prospect if card else None, card.company if card else None)


class GreetingControl:
    """One greeting at a time. ``wanted`` says whether the greeting is still awaited (the take
    was not cancelled meanwhile); ``playing`` hears that it plays, ``give_up`` why it cannot
    (the take then starts without it); ``message`` hears (level, text)."""

    def __init__(
        self,
        runner: TaskRunner,
        output: Callable[[], tuple[Callable[..., Any] | None, str | None]],
        wanted: Callable[[], bool],
        playing: Callable[[], None],
        give_up: Callable[[str], None],
        message: Callable[[str, str], None],
    ) -> None:
        self.runner = runner
        self._output = output  # the output stream factory and device, read when used
        self._wanted = wanted
        self._playing = playing
        self._give_up = give_up
        self._message = message
        self.player: Player | None = None
        self.task: Task | None = None
        self._started = 0.0
        self._beep_end_s = 0.0

    def prepare(self, card: Scenario | None) -> None:
        """Make the greeting for this card off the GUI thread, then play it."""
        prospect, company = (card.prospect, card.company) if card else (None, None)
        task = self.runner.submit(
            "preparing the greeting", lambda ctx: practice_greeting(16_000, prospect, company)
        )
        self.task = task
        task.succeeded.connect(lambda greeting: self._play(task, greeting, card))
        task.failed.connect(lambda text: self._failed(task, text))

    def _play(self, task: Task, greeting: Greeting, card: Scenario | None) -> None:
        if task is not self.task or not self._wanted():
            return  # cancelled while it was being made
        self.task = None
        if not greeting.synthesized and greeting_plan(card)[1]:
            self._message(
                "warning", "espeak-ng could not speak the card's greeting: the generic one plays."
            )
        try:
            player = Player(*self._output())
            player.load(greeting.audio, 16_000)
            player.play()
        except (PlaybackError, AudioUnavailable) as exc:
            self._give_up(f"{exc} Recording without the greeting.")
            return
        self.player = player
        self._beep_end_s = greeting.beep_end_s
        self._started = time.monotonic()
        self._playing()

    def _failed(self, task: Task, text: str) -> None:
        if task is not self.task or not self._wanted():
            return
        self.task = None
        self._give_up(f"{text} Recording without the greeting.")

    def over(self) -> bool:
        """Whether the greeting has played to its beep (or stopped); False while it is made."""
        player = self.player
        if player is None and self.task is not None:
            return False  # still being made
        done = player is None or not player.playing
        return done or time.monotonic() - self._started >= self._beep_end_s

    def cancel(self) -> None:
        """Stop the greeting, or its making."""
        if self.task is not None:
            self.task.cancel()
            self.task = None
        self.close()

    def close(self) -> None:
        if self.player is not None:
            self.player.close()
            self.player = None
