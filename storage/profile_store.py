"""Where guidance profiles live: built-ins in ``resources/profiles/`` (read-only) and the user's
own in ``<data dir>/profiles/``. Save as new, save, import, export, delete.

Everything written is validated first by loading it exactly as the analyzer would, so a saved
profile always loads; nothing existing is overwritten unless the caller says so.
"""

from __future__ import annotations

import re
import shutil
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import tomli_w

from voicemail_coach.analysis.paths import data_dir
from voicemail_coach.analysis.profile import Profile, ProfileError
from voicemail_coach.analysis.profile_loader import load_profile, parse_profile, resolve_extends
from voicemail_coach.analysis.scenarios import write_atomically
from voicemail_coach.analysis.tomlfile import read_toml

# Built-ins in this order first; any other built-in file after them.
BUILTIN_ORDER = ("default", "short", "extended")
HEADER = (
    "# Voicemail Coach guidance profile, saved by the app's profile editor.\n"
    "# See the built-in default profile for what every key means.\n\n"
)
CONFLICT_CHOICES = ("replace", "keep_both", "skip")


class ProfileConflict(ProfileError):
    """An import would replace a different profile of the user's with the same file name."""

    def __init__(self, existing: Path, incoming: str) -> None:
        super().__init__(f"{existing.name}: you already have a different profile with this name")
        self.existing = existing
        self.incoming = incoming


@dataclass(frozen=True)
class ProfileEntry:
    path: Path
    name: str
    builtin: bool
    problem: str | None = None  # why it does not load, for a broken user file


def builtin_folder() -> Path:
    return Path(str(resources.files("voicemail_coach.resources.profiles")))


def profile_to_toml(data: dict[str, Any]) -> str:
    return HEADER + tomli_w.dumps(data, multiline_strings=False)


def read_profile_data(path: str | Path) -> dict[str, Any]:
    """A profile file's table with any ``extends`` merged in: everything the editor shows."""
    p = Path(path)
    data = read_toml(p, ProfileError, "profile")
    return resolve_extends(data, str(p))


def validate_data(data: dict[str, Any], source: str) -> Profile:
    """The profile ``data`` would load as, after a TOML round trip; ProfileError names the key."""
    try:
        again = tomllib.loads(tomli_w.dumps(data))
    except (TypeError, ValueError) as exc:
        raise ProfileError(f"{source}: cannot be written as TOML ({exc})") from None
    return parse_profile(again, source)


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:50] or "profile"


class ProfileStore:
    def __init__(self, folder: Path | None = None, builtin: Path | None = None) -> None:
        self.folder = folder or data_dir() / "profiles"
        self.builtin = builtin or builtin_folder()

    def entries(self) -> list[ProfileEntry]:
        """Built-in profiles first (the default at the top), then the user's by name."""
        found = sorted(self.builtin.glob("*.toml"))
        rank = {n: i for i, n in enumerate(BUILTIN_ORDER)}
        found.sort(key=lambda p: (rank.get(p.stem, len(rank)), p.stem))
        out = [self._entry(p, True) for p in found]
        mine = [self._entry(p, False) for p in self._user_files()]
        return out + sorted(mine, key=lambda e: e.name.lower())

    def _user_files(self) -> list[Path]:
        return sorted(self.folder.glob("*.toml")) if self.folder.is_dir() else []

    def _entry(self, path: Path, builtin: bool) -> ProfileEntry:
        try:
            return ProfileEntry(path, load_profile(path).name, builtin)
        except ProfileError as exc:
            if builtin:
                raise
            return ProfileEntry(path, path.stem, builtin, str(exc))

    def is_builtin(self, path: str | Path) -> bool:
        return Path(path).resolve().parent == self.builtin.resolve()

    def names_in_use(self, except_path: Path | None = None) -> set[str]:
        return {
            e.name.lower()
            for e in self.entries()
            if except_path is None or e.path.resolve() != except_path.resolve()
        }

    def save_new(self, data: dict[str, Any], name: str) -> Path:
        """Save ``data`` as a new profile of the user's called ``name``; returns its file."""
        name = name.strip()
        if not name:
            raise ProfileError("profile.name: give the new profile a name")
        if name.lower() in self.names_in_use():
            raise ProfileError(f"profile.name: a profile called '{name}' already exists")
        new = {**data, "profile": {**data.get("profile", {}), "name": name}}
        target = self._free_path(slug(name))
        validate_data(new, str(target))
        write_atomically(target, profile_to_toml(new))
        return target

    def save(self, path: str | Path, data: dict[str, Any]) -> Path:
        """Overwrite one of the user's profiles with ``data`` (built-ins are read-only)."""
        target = Path(path)
        if self.is_builtin(target):
            raise ProfileError(f"{target.name}: built-in profiles are read-only; save as new")
        name = str(data.get("profile", {}).get("name", "")).strip()
        if not name:
            raise ProfileError(f"{target}: profile.name: give the profile a name")
        if name.lower() in self.names_in_use(except_path=target):
            raise ProfileError(f"profile.name: a profile called '{name}' already exists")
        validate_data(data, str(target))
        write_atomically(target, profile_to_toml(data))
        return target

    def delete(self, path: str | Path) -> None:
        target = Path(path)
        if self.is_builtin(target):
            raise ProfileError(f"{target.name}: built-in profiles cannot be deleted")
        target.unlink(missing_ok=True)

    def import_file(self, source: str | Path, on_conflict: str | None = None) -> Path | None:
        """Copy a profile file in after validating it. A different profile with the same file
        name raises ProfileConflict unless ``on_conflict`` says what to do; returns the file
        written (or the identical one already there), None when skipped."""
        src = Path(source)
        load_profile(src)  # refuse a broken file before anything is written
        text = src.read_text(encoding="utf-8")
        return self.add_text(src.name, text, str(src), on_conflict)

    def target_for(self, filename: str) -> Path:
        return self.folder / (slug(Path(filename).stem) + ".toml")

    def state(self, filename: str, text: str) -> str:
        """ "same" (a built-in or one of yours has exactly this text), "new" or "differs"."""
        builtin = self.builtin / Path(filename).name
        if builtin.is_file() and builtin.read_text(encoding="utf-8") == text:
            return "same"
        target = self.target_for(filename)
        if not target.exists():
            return "new"
        return "same" if target.read_text(encoding="utf-8") == text else "differs"

    def add_text(
        self, filename: str, text: str, source: str, on_conflict: str | None = None
    ) -> Path | None:
        """Add a profile given as TOML text under ``filename`` (import and packs)."""
        planned = self.plan_text(filename, text, source, on_conflict)
        if planned is None:
            return None
        target, out = planned
        if out is not None:
            write_atomically(target, out)
        return target

    def plan_text(
        self,
        filename: str,
        text: str,
        source: str,
        on_conflict: str | None = None,
        taken: set[Path] | None = None,
    ) -> tuple[Path, str | None] | None:
        """Where a profile given as TOML text would go and what to write there (None when that
        exact profile is already there), without writing; None when skipped. ``taken``: files
        other items of the same import will write."""
        data = tomllib.loads(text)
        validate_data(data, source)
        target = self.target_for(filename)
        state = self.state(filename, text)
        if state == "same":
            return (target if target.exists() else self.builtin / Path(filename).name), None
        if state == "differs":
            if on_conflict is None:
                raise ProfileConflict(target, filename)
            if on_conflict == "skip":
                return None
            if on_conflict == "keep_both":
                meta = data.get("profile", {})
                name = self._free_name(str(meta.get("name", target.stem)))
                data["profile"] = {**meta, "name": name}
                target = self._free_path(target.stem, taken or set())
                text = profile_to_toml(data)
            elif on_conflict != "replace":
                raise ValueError(f"on_conflict must be one of {CONFLICT_CHOICES}")
        return target, text

    def export(self, path: str | Path, destination: str | Path) -> Path:
        """Copy a profile to ``destination`` (built-in or the user's, as it is on disk)."""
        src, dest = Path(path), Path(destination)
        load_profile(src)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
        return dest

    def _free_path(self, stem: str, taken: set[Path] | None = None) -> Path:
        candidate, n = self.folder / f"{stem}.toml", 1
        while (
            candidate.exists()
            or (self.builtin / candidate.name).exists()
            or candidate in (taken or set())
        ):
            n += 1
            candidate = self.folder / f"{stem}-{n}.toml"
        return candidate

    def _free_name(self, name: str) -> str:
        used = self.names_in_use()
        candidate, n = f"{name} (imported)", 1
        while candidate.lower() in used:
            n += 1
            candidate = f"{name} (imported {n})"
        return candidate
