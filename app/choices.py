"""What the next take is checked against and where it is kept: the settings, the profile and
its length preset, the model, the practice card, the script variant, the role-play session and
the attempt library (with a take the disk refused, until the user saves it somewhere).

The first layer of the controller (see `voicemail_coach.app.controller`); no widgets.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from voicemail_coach.analysis.profile import LengthPreset, Profile, ProfileError
from voicemail_coach.analysis.profile_loader import load_profile
from voicemail_coach.analysis.scenarios import Scenario, ScenarioStore
from voicemail_coach.app.analysis_tasks import Feedback
from voicemail_coach.app.model_holder import ModelHolder, warm_up
from voicemail_coach.app.settings import Settings, save_settings
from voicemail_coach.app.take_library import RolePlay, known_attempt, label_take, restored_role_play
from voicemail_coach.app.tasks import Task, TaskRunner
from voicemail_coach.audio import oserrors
from voicemail_coach.audio.io import save_flac
from voicemail_coach.storage.coaching import Coaching
from voicemail_coach.storage.library import Library
from voicemail_coach.storage.outcomes import Outcomes, Variant
from voicemail_coach.storage.records import Attempt, LibraryError


class Choices(QObject):
    model_ready = Signal(str)
    model_failed = Signal(str)
    message = Signal(str, str)  # level ("info" | "warning" | "error"), text
    library_changed = Signal()
    unsaved_changed = Signal(bool)  # a take is held only in memory (the disk refused it)
    saving_changed = Signal(str)  # why takes are not being saved now; "" once they are again
    scenario_changed = Signal(object)  # Scenario or None
    role_play_changed = Signal(object)  # RolePlay | None
    take_labelled = Signal(int)  # attempt id: a new take was put in the role-play session

    def __init__(self, settings: Settings, settings_file: Path | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.settings_file = settings_file
        self.runner = TaskRunner(parent=self)
        self.models = ModelHolder(settings.model_dir, settings.keep_fillers)
        self.profile: Profile = self._load_profile()
        # The feedback shown now (the review layer sets it); a rescued take's report comes
        # from it.
        self.feedback: Feedback | None = None
        self.library: Library | None = None
        self.library_problem: str | None = None
        self.coaching: Coaching | None = None
        self.outcomes: Outcomes | None = None
        self.role_play: RolePlay | None = None
        self.unsaved: np.ndarray | None = None
        self.save_problem = ""  # why takes are not being saved now (see saving_changed)
        self.rescued: str | None = None  # where the last take kept in memory was saved
        self.scenarios = ScenarioStore()
        self.scenario: Scenario | None = self.scenarios.find(settings.scenario_id)
        self.open_library()
        self.role_play = restored_role_play(settings, self.coaching, self.scenario)

    # -- settings, profile, model -------------------------------------------------------------

    def _load_profile(self) -> Profile:
        try:
            profile = load_profile(self.settings.profile_path)
            profile.length_preset(self.settings.length_preset)
            return profile
        except ProfileError as exc:
            self.message.emit("error", f"{exc}. Using the default profile.")
            return load_profile()

    @property
    def preset(self) -> LengthPreset:
        try:
            return self.profile.length_preset(self.settings.length_preset)
        except ProfileError:
            return self.profile.length_preset()

    def apply_settings(self, settings: Settings) -> None:
        model_changed = (settings.model_dir, settings.keep_fillers) != (
            self.settings.model_dir,
            self.settings.keep_fillers,
        )
        self.settings = settings
        self.profile = self._load_profile()
        if self.settings_file is not None:
            save_settings(settings, self.settings_file)
        if model_changed:
            self.models = ModelHolder(settings.model_dir, settings.keep_fillers)
            self.load_model()

    def load_model(self) -> Task:
        """Load the model in the background so the first analysis does not wait for it."""
        holder = self.models
        task = self.runner.submit("loading the model", lambda ctx: warm_up(holder))
        task.succeeded.connect(self.model_ready.emit)
        task.failed.connect(self.model_failed.emit)
        return task

    def set_scenario(self, scenario_id: str | None) -> None:
        """Practise for this card (None: any prospect); the next takes are checked against it."""
        self.scenario = self.scenarios.find(scenario_id)
        self._save(scenario_id=self.scenario.id if self.scenario else None)
        self.scenario_changed.emit(self.scenario)

    def reload_scenarios(self) -> None:
        """Read the user's cards again (after the scenarios dialog); keeps the choice if it
        still exists."""
        self.scenarios.reload()
        self.set_scenario(self.scenario.id if self.scenario else None)

    def set_variant(self, variant_uid: str | None) -> None:
        """Link the next takes (recorded or opened) to this script variant's newest version."""
        self._save(variant_uid=variant_uid)

    def variant(self) -> Variant | None:
        """The script variant chosen for the next takes (None: none, or it is gone)."""
        uid, outcomes = self.settings.variant_uid, self.outcomes
        if uid is None or outcomes is None:
            return None
        return next((v for v in outcomes.variants() if v.uid == uid), None)

    def set_role_play(self, role_play: RolePlay | None) -> None:
        """Label the next takes (recorded or opened) with this session and participant; kept in
        the settings, so a restart carries on with them."""
        self.role_play = role_play
        self._save(
            role_play_session=role_play.session_id if role_play else None,
            role_play_participant=role_play.participant if role_play else None,
        )
        self.role_play_changed.emit(role_play)

    def remember_folder(self, folder: str) -> None:
        """Where the next file dialog starts."""
        self._save(last_folder=folder)

    def remember_split(self, coach_open: bool, sizes: str) -> None:
        """Where the feedback page's dividers were left (with the coach panel open or not)."""
        self._save(**{"review_split_coach" if coach_open else "review_split": sizes})

    def set_take_turns(self, on: bool) -> None:
        """Whether the next person in the session is up after each take (remembered)."""
        self._save(take_turns=on)

    def _save(self, **changes: Any) -> None:
        changed = replace(self.settings, **changes)
        if changed != self.settings:
            self.settings = changed
            if self.settings_file is not None:
                save_settings(changed, self.settings_file)

    # -- the library --------------------------------------------------------------------------

    def open_library(self) -> None:
        """Open the attempt library; without one the app still works, but nothing is kept."""
        try:
            self.library = Library()
            self.coaching = Coaching(self.library)
            self.outcomes = Outcomes(self.library)
            self.library_problem = None
        except LibraryError as exc:
            self.library = None
            self.coaching = None
            self.outcomes = None
            self.library_problem = f"{exc} Takes are not being saved to your history."
            self.save_problem = str(exc)

    def _set_save_problem(self, text: str) -> None:
        if text != self.save_problem:
            self.save_problem = text
            self.saving_changed.emit(text)

    def _label(self, attempt: Attempt) -> Attempt:
        """Link the take to the chosen script variant and put it in the running role-play
        session, if any (see `label_take`); may run on a worker."""
        attempt, labelled = label_take(
            attempt, self.settings.variant_uid, self.outcomes, self.role_play, self.coaching,
            lambda text: self.message.emit("warning", text),
        )  # fmt: skip
        if labelled:
            self.take_labelled.emit(attempt.id)
        return attempt

    def known_attempt(self, path: str | Path) -> Attempt | None:
        """The newest analyzed attempt made from this very file, unless the file has changed
        since it was added (then it is another recording)."""
        return known_attempt(self.library, path) if self.library is not None else None

    def save_unsaved(self, path: str | Path) -> bool:
        """Write a take the disk refused to a place the user chose, and add it to the library."""
        samples = self.unsaved
        if samples is None:
            return False
        target = Path(path)
        try:
            save_flac(target, samples)
        except (OSError, RuntimeError) as exc:  # soundfile's errors are RuntimeErrors
            why = oserrors.write_cause(exc, target.parent)
            self.message.emit("error", f"Could not save the take to {target}: {why}")
            return False
        self.unsaved = None
        self.rescued = f"It was saved to {target}"
        self.unsaved_changed.emit(False)
        if self.library is not None:
            try:
                attempt = self.library.add_file(target)
                if self.feedback is not None:
                    self.library.add_report(attempt.id, self.feedback.report)
                self.library_changed.emit()
                self.rescued = f"It was saved to {target} and added to your history"
                self._set_save_problem("")  # the library took it: saving works again
            except LibraryError as exc:
                self.message.emit(
                    "warning", f"Saved to {target}, but not added to the history: {exc}"
                )
                return True
        self.message.emit("info", f"Take saved to {target}.")
        return True
