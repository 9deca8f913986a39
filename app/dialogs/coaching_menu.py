"""The Coaching menu: scenario cards, guidance profiles, and coaching packs in and out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

from voicemail_coach.analysis.profile import ProfileError
from voicemail_coach.analysis.profile_loader import default_profile_path
from voicemail_coach.analysis.scenarios import Scenario, ScenarioError
from voicemail_coach.app.controller import Controller
from voicemail_coach.app.dialogs.file_dialogs import open_file, save_file
from voicemail_coach.app.dialogs.profile_editor import ProfileEditor
from voicemail_coach.app.tasks import Task, register_user_errors
from voicemail_coach.app.widgets.banner import Banner
from voicemail_coach.storage.outcomes import Outcomes
from voicemail_coach.storage.pack_file import (
    SUFFIX,
    PackContents,
    PackError,
    export_pack,
    read_pack,
)
from voicemail_coach.storage.packs import Conflict, apply_pack, conflicts
from voicemail_coach.storage.profile_store import ProfileEntry, ProfileStore

PACK_FILTER = f"Coaching packs (*{SUFFIX})"
register_user_errors(PackError)


class CoachingMenu:
    def __init__(self, window: QMainWindow, controller: Controller, banner: Banner) -> None:
        self.window = window
        self.controller = controller
        self.banner = banner
        self.profiles = ProfileStore()
        self.pack_task: Task | None = None  # the pack being read, if any
        # Dialogs are attributes so tests can answer them.
        self.ask_pack_path: Callable[[bool], str | None] = self._ask_pack_path
        self.ask_conflict: Callable[[Conflict], str | None] = self._ask_conflict
        self.ask_pack_contents: Callable[
            [list[ProfileEntry], list[Scenario]], tuple[str, list[Path], list[Scenario]] | None
        ] = self._ask_pack_contents
        # Whether the last pack dialog ticked the script variants and outcomes.
        self.pack_results = False
        self._pooled: dict[str, Any] | None = None
        menu = QMenu("&Coaching", window)
        self.menu = menu
        self.actions: dict[str, QAction] = {}
        for name, slot in (
            ("&Scenario cards\u2026", self.open_scenarios),
            ("Guidance &profiles\u2026", self.open_profiles),
            (None, None),
            ("&Import coaching pack\u2026", self.import_pack),
            ("&Export coaching pack\u2026", self.export_pack),
        ):
            if name is None:
                menu.addSeparator()
                continue
            action = QAction(name, window)
            action.triggered.connect(slot)
            menu.addAction(action)
            self.actions[name.replace("&", "").rstrip("\u2026")] = action
        if controller.scenarios.problems:
            self.banner.show_message(
                "warning",
                "Some of your scenario cards could not be read and are left out: "
                + "; ".join(controller.scenarios.problems),
            )

    def _idle(self) -> bool:
        if self.controller.busy:
            self.banner.show_message("warning", "Finish the current take first.")
            return False
        return True

    def open_scenarios(self) -> None:
        if not self._idle():
            return
        from voicemail_coach.app.dialogs.scenario_dialog import ScenarioDialog

        dialog = ScenarioDialog(self.controller.scenarios, self.window)
        dialog.exec()
        if dialog.changed:
            self._scenarios_changed()

    def open_profiles(self) -> None:
        if not self._idle():
            return
        dialog = ProfileEditor(self.profiles, self.controller.settings.profile_path, self.window)
        dialog.exec()
        self.profiles_closed(dialog)

    def profiles_closed(self, dialog: ProfileEditor) -> None:
        """Practise with the profile chosen in the editor, or load the one in use again (it
        may be the one just saved)."""
        c = self.controller
        if dialog.use_path is not None:
            default = dialog.use_path.resolve() == default_profile_path().resolve()
            path = None if default else str(dialog.use_path)
            c.apply_settings(replace(c.settings, profile_path=path, length_preset=None))
            message = f"Your takes are now analyzed with \u201c{c.profile.name}\u201d."
        elif dialog.changed:
            c.apply_settings(c.settings)
            message = (
                "Profiles saved. Choose one in Settings, or use History \u2192 Analyze again "
                "to see how a take's verdict changes with it."
            )
        else:
            return
        practice = getattr(self.window, "practice", None)
        if practice is not None:
            practice.set_preset(c.preset, c.auto_stop_s, c.profile.length_presets)
        self.banner.show_message("info", message)

    def _scenarios_changed(self) -> None:
        c = self.controller
        c.reload_scenarios()
        practice = getattr(self.window, "practice", None)
        if practice is not None:
            practice.scenario.set_choices(c.scenarios.all(), c.scenario)

    def export_pack(self) -> None:
        store = self.controller.scenarios
        cards = [s for s in store.all() if not store.is_builtin(s.id)]
        profiles = [e for e in self.profiles.entries() if not e.builtin and not e.problem]
        outcomes = self.controller.outcomes
        pooled = outcomes.export_results() if outcomes is not None else None
        if pooled is not None and not (pooled["variants"] or pooled["outcomes"]):
            pooled = None
        if not cards and not profiles and pooled is None:
            self.banner.show_message(
                "warning", "Nothing to export yet: save a profile or a scenario card of your own."
            )
            return
        self.pack_results = False
        self._pooled = pooled
        chosen = self.ask_pack_contents(profiles, cards)
        if chosen is None:
            return
        name, paths, cards = chosen
        results = pooled if self.pack_results else None
        target = self.ask_pack_path(True)
        if not target:
            return
        try:
            path = export_pack(target, paths, cards, name=name, results=results)
        except (PackError, ProfileError, OSError) as exc:
            self.banner.show_message("error", f"The pack was not written: {exc}")
            return
        extra = (
            f", {len(results['variants'])} script variant(s), {len(results['outcomes'])} outcome(s)"
            if results is not None
            else ""
        )
        self.banner.show_message(
            "info",
            f"Wrote {path.name}: {len(paths)} profile(s), {len(cards)} scenario card(s){extra}.",
        )

    def import_pack(self) -> None:
        """Read the pack off the GUI thread (a big or slow file never freezes the window), then
        ask about conflicts and write it."""
        if not self._idle():
            return
        if self.pack_task is not None and self.pack_task.running:
            self.banner.show_message("warning", "A coaching pack is being read already.")
            return
        source = self.ask_pack_path(False)
        if not source:
            return
        self.banner.show_message("info", f"Reading {Path(source).name}\u2026")
        task = self.controller.runner.submit(
            "reading the coaching pack", lambda ctx: read_pack(source)
        )
        task.succeeded.connect(self._apply_pack)
        task.failed.connect(
            lambda message: self.banner.show_message(
                "error", f"Not imported, nothing was changed: {message}"
            )
        )
        self.pack_task = task

    def _apply_pack(self, contents: PackContents) -> None:
        store = self.controller.scenarios
        library = self.controller.library
        outcomes = Outcomes(library) if library is not None and contents.results else None
        try:
            decisions = {}
            for conflict in conflicts(contents, self.profiles, store, outcomes):
                choice = self.ask_conflict(conflict)
                if choice is None:
                    self.banner.show_message("info", "Import cancelled: nothing was changed.")
                    return
                decisions[conflict.key] = choice
            summary = apply_pack(contents, self.profiles, store, decisions, outcomes)
        except (PackError, ProfileError, ScenarioError, OSError) as exc:
            self.banner.show_message("error", f"Not imported, nothing was changed: {exc}")
            return
        self._scenarios_changed()
        if outcomes is not None:
            self.controller.library_changed.emit()
        self.banner.show_message("info", f"Imported \u201c{contents.name}\u201d: {summary.text()}.")

    def _ask_pack_contents(
        self, profiles: list[ProfileEntry], cards: list[Scenario]
    ) -> tuple[str, list[Path], list[Scenario]] | None:
        from voicemail_coach.app.dialogs.pack_dialog import PackDialog

        pooled = self._pooled
        label = (
            f"Script variants and outcomes ({len(pooled['variants'])} variant(s), "
            f"{len(pooled['outcomes'])} outcome(s)): pooled for the team's A/B lab"
            if pooled is not None
            else None
        )
        dialog = PackDialog(profiles, cards, self.window, results_label=label)
        if not dialog.exec():
            return None
        self.pack_results = dialog.with_results()
        return dialog.choice()

    def _ask_pack_path(self, saving: bool) -> str | None:
        if saving:
            return save_file(
                self.window, "Export a coaching pack", f"coaching{SUFFIX}", PACK_FILTER
            )
        return open_file(self.window, "Import a coaching pack", PACK_FILTER)

    def _ask_conflict(self, conflict: Conflict) -> str | None:
        from voicemail_coach.app.dialogs.profile_editor import ask_conflict

        text = f"The pack's {conflict.label} differs from the one you have."
        return ask_conflict(
            self.window,
            text,
            can_replace=not conflict.builtin,
            can_keep_both=conflict.can_keep_both,
        )
