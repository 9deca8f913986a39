"""The ready screen's choices kept in step with the settings: the microphone (and whether there
is one), the length to aim for, and which greeting the next take starts with."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, Signal

from voicemail_coach.app.controller import Controller
from voicemail_coach.app.pages.practice_view import PracticeView
from voicemail_coach.audio.devices import (
    AudioUnavailable,
    default_input,
    device_choices,
    find_device,
    input_devices,
)


class PracticeSetup(QObject):
    audio_unavailable = Signal(str)  # why nothing can be recorded (no audio system)

    def __init__(self, controller: Controller, practice: PracticeView) -> None:
        super().__init__(practice)
        self.controller = controller
        self.practice = practice
        practice.greeting_toggled.connect(self.choose_greeting)
        practice.device_chosen.connect(self.choose_device)
        practice.preset_chosen.connect(self.choose_preset)
        controller.scenario_changed.connect(lambda _card: self.show_greeting())

    def show_all(self) -> None:
        """Show what the settings say now (at start, after the Settings dialog)."""
        self.practice.set_greeting_on(self.controller.settings.greeting)
        self.show_greeting()
        self.show_preset()
        self.show_device()

    def choose_greeting(self, on: bool) -> None:
        c = self.controller
        if on != c.settings.greeting:
            c.apply_settings(replace(c.settings, greeting=on))

    def show_greeting(self) -> None:
        """Say which greeting the next take starts with: the card's, spoken by espeak-ng, or the
        bundled generic one (and why)."""
        text, spoken = self.controller.greeting_plan()
        card = self.controller.scenario
        if spoken and card is not None:
            note = f"The greeting names {card.prospect} at {card.company} (spoken by espeak-ng)."
        elif card is not None:
            note = "The generic greeting plays: install espeak-ng to hear the card's prospect."
        else:
            note = "The generic greeting plays: choose a scenario card to hear its prospect."
        self.practice.set_greeting(text, note)

    def choose_preset(self, preset_id: str) -> None:
        c = self.controller
        if preset_id != c.preset.id:
            c.apply_settings(replace(c.settings, length_preset=preset_id))
        self.show_preset()

    def show_preset(self) -> None:
        c = self.controller
        self.practice.set_preset(c.preset, c.auto_stop_s, c.profile.length_presets)

    def choose_device(self, name: str | None) -> None:
        c = self.controller
        if name != c.settings.input_device:
            c.apply_settings(replace(c.settings, input_device=name))
            self.show_device()

    def show_device(self) -> None:
        name = self.controller.settings.input_device
        try:
            device = find_device(name, "input") if name else default_input()
            self.practice.set_device_choices(device_choices(input_devices(), name), name)
        except AudioUnavailable as exc:
            self.practice.set_device_choices([], None)
            self.practice.set_device("No audio system: recording is off", available=False)
            self.audio_unavailable.emit(str(exc))
            return
        if device is None and name:
            self.practice.set_device(f"{name} is not connected: pick another microphone")
        elif device is None:
            self.practice.set_device("No microphone found: plug one in")
        else:
            self.practice.set_device("")
