"""User settings: a typed, versioned JSON file in the user's config folder.

``VOICEMAIL_COACH_CONFIG_DIR`` overrides the folder, so tests never touch a real one. A file that
cannot be read is set aside (``settings.json.bad``) and defaults are used; it is never silently
overwritten.
"""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

SETTINGS_VERSION = 1
CONFIG_ENV = "VOICEMAIL_COACH_CONFIG_DIR"
INT_FIELDS = frozenset({"role_play_session"})


@dataclass(frozen=True)
class Settings:
    version: int = SETTINGS_VERSION
    input_device: str | None = None
    output_device: str | None = None
    profile_path: str | None = None
    length_preset: str | None = None
    model_dir: str | None = None
    greeting: bool = True
    # A file opened loses ringing, a greeting and the beep before its message (kept playable).
    trim_greeting: bool = True
    keep_fillers: bool = True
    scenario_id: str | None = None  # the scenario card chosen for practice
    # The role-play session labelling the takes, who is up next and whether people take turns,
    # so a restart carries on where the coach was (checked against the library on start).
    role_play_session: int | None = None
    role_play_participant: str | None = None
    take_turns: bool = False
    # The folder the last file dialog was in (open, export, save).
    last_folder: str | None = None
    # The script variant (its uid) the next takes are linked to, chosen on the practice page.
    variant_uid: str | None = None
    # Where the feedback page's dividers were left ("540,600"; with the coach panel open
    # "300,560,320"), so the page opens as the user arranged it.
    review_split: str | None = None
    review_split_coach: str | None = None


def config_dir() -> Path:
    return Path(
        os.environ.get(CONFIG_ENV)
        or platformdirs.user_config_dir("voicemail-coach", appauthor=False)
    )


def settings_path() -> Path:
    return config_dir() / "settings.json"


def load_settings(path: Path | None = None) -> tuple[Settings, str | None]:
    """The saved settings, and a message when the file had to be set aside."""
    p = path or settings_path()
    if not p.exists():
        return Settings(), None
    try:
        raw = json.loads(p.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise ValueError("not a JSON object")
        return _from_dict(raw), None
    except (OSError, ValueError, TypeError) as exc:
        backup = p.with_suffix(".json.bad")
        try:
            p.replace(backup)
        except OSError:
            return Settings(), f"Settings file {p} could not be read ({exc}); using defaults."
        return Settings(), f"Settings file could not be read ({exc}); it was kept as {backup}."


def save_settings(settings: Settings, path: Path | None = None) -> None:
    p = path or settings_path()
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(dataclasses.asdict(settings), indent=2), encoding="utf-8")
    tmp.replace(p)


def _from_dict(raw: dict[str, object]) -> Settings:
    version = raw.get("version", SETTINGS_VERSION)
    if not isinstance(version, int) or version > SETTINGS_VERSION:
        raise ValueError(f"settings version {version!r} is newer than this app")
    defaults = Settings()
    values: dict[str, object] = {}
    for f in dataclasses.fields(Settings):
        value = raw.get(f.name, getattr(defaults, f.name))
        if f.name == "version":
            value = SETTINGS_VERSION
        elif isinstance(getattr(defaults, f.name), bool):
            if not isinstance(value, bool):
                raise ValueError(f"{f.name} must be true or false")
        elif f.name in INT_FIELDS:
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise ValueError(f"{f.name} must be a whole number")
        elif value is not None and not isinstance(value, str):
            raise ValueError(f"{f.name} must be text")
        values[f.name] = value
    return Settings(**values)  # type: ignore[arg-type]
