"""``voicemail-coach install-desktop`` / ``uninstall-desktop``: the launcher entry for this user.

The files ship as package data (``resources/desktop/``): a freedesktop ``.desktop`` entry, the
icon (SVG and PNG sizes) and AppStream metainfo. Installing copies them into the user's XDG data
folder (``$XDG_DATA_HOME``, else ``~/.local/share``): ``applications/``,
``icons/hicolor/<size>/apps/`` and ``metainfo/``, with the entry's ``Exec`` and ``TryExec``
pointing at the absolute path of the command that ran it. Uninstalling removes exactly those
files and nothing else (no folder, no other file). No cache is rebuilt: the entry declares no
file types, and desktops watch these folders themselves (a cache written here would be a file
that uninstalling leaves behind).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from voicemail_coach.app.cli.text import EXIT_OK

APP_ID = "io.github.voicemailcoach.VoicemailCoach"
COMMAND = "voicemail-coach"
PNG_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
DESKTOP_PACKAGE = "voicemail_coach.resources.desktop"

EXIT_FAILED = 1


@dataclass(frozen=True)
class DesktopFile:
    """One file this command installs: where it comes from and where it goes (relative to the
    XDG data folder)."""

    source: str  # relative to the package resources/desktop/
    target: Path


def desktop_files() -> tuple[DesktopFile, ...]:
    """Every file install-desktop writes; uninstall-desktop removes these and only these."""
    files = [
        DesktopFile(f"{APP_ID}.desktop", Path("applications") / f"{APP_ID}.desktop"),
        DesktopFile(f"{APP_ID}.metainfo.xml", Path("metainfo") / f"{APP_ID}.metainfo.xml"),
        DesktopFile("voicemail-coach.svg", Path("icons/hicolor/scalable/apps") / f"{APP_ID}.svg"),
    ]
    files += [
        DesktopFile(f"icons/{n}.png", Path(f"icons/hicolor/{n}x{n}/apps") / f"{APP_ID}.png")
        for n in PNG_SIZES
    ]
    return tuple(files)


def xdg_data_home() -> Path:
    """``$XDG_DATA_HOME`` when it is an absolute path (the spec says to ignore anything else),
    else ``~/.local/share``."""
    value = os.environ.get("XDG_DATA_HOME", "")
    if value and Path(value).is_absolute():
        return Path(value)
    return Path.home() / ".local" / "share"


def command_path() -> Path | None:
    """The absolute path of the ``voicemail-coach`` that is running, for the entry's Exec.

    The bundle's executable is the command itself; an installed command is the script pip wrote
    (``sys.argv[0]``), else the one beside this interpreter (a venv's ``bin/``), else the one on
    ``PATH``."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).absolute()
    argv0 = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if argv0 is not None and argv0.name == COMMAND and argv0.is_file():
        return argv0.absolute()
    beside = Path(sys.executable).parent / COMMAND
    if beside.is_file():
        return beside.absolute()
    found = shutil.which(COMMAND)
    return Path(found).absolute() if found else None


def exec_value(command: Path) -> str:
    """The path as a desktop-entry Exec value: quoted when it holds a reserved character, with
    the characters the spec escapes inside quotes escaped (then every backslash doubled, as in
    any string value of the file)."""
    text = str(command)
    reserved = set(" \t\n\"'\\><~|&;$*?#()`")
    if any(c in reserved for c in text):
        for c in ("\\", '"', "`", "$"):
            text = text.replace(c, "\\" + c)
        text = f'"{text}"'
    return text.replace("\\", "\\\\")


def desktop_entry(template: str, command: Path) -> str:
    """The shipped entry with Exec and TryExec pointing at ``command``."""
    lines = []
    for line in template.splitlines():
        if line.startswith("Exec="):
            line = "Exec=" + exec_value(command)
        elif line.startswith("TryExec="):
            line = "TryExec=" + str(command).replace("\\", "\\\\")
        lines.append(line)
    return "\n".join(lines) + "\n"


def _packaged(name: str) -> bytes:
    return resources.files(DESKTOP_PACKAGE).joinpath(name).read_bytes()


def install(data_home: Path, command: Path) -> list[Path]:
    """Write every file of the launcher entry under ``data_home``; returns what was written."""
    written = []
    for item in desktop_files():
        target = data_home / item.target
        target.parent.mkdir(parents=True, exist_ok=True)
        content = _packaged(item.source)
        if item.source.endswith(".desktop"):
            content = desktop_entry(content.decode("utf-8"), command).encode("utf-8")
        partial = target.with_name(target.name + ".partial")
        partial.write_bytes(content)
        partial.replace(target)
        written.append(target)
    return written


def uninstall(data_home: Path) -> list[Path]:
    """Remove the files install() writes (those present); returns what was removed."""
    removed = []
    for item in desktop_files():
        target = data_home / item.target
        if target.is_file() or target.is_symlink():
            target.unlink()
            removed.append(target)
    return removed


def add_desktop_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub.add_parser(
        "install-desktop",
        help="add Voicemail Coach to your application menu (this user only)",
    )
    sub.add_parser(
        "uninstall-desktop",
        help="remove what install-desktop added to your application menu",
    )


def run_desktop_command(args: argparse.Namespace) -> int | None:
    if args.command == "install-desktop":
        return _run_install()
    if args.command == "uninstall-desktop":
        return _run_uninstall()
    return None


def _fail(message: str) -> int:
    print(f"voicemail-coach: {message}", file=sys.stderr)
    return EXIT_FAILED


def _run_install() -> int:
    command = command_path()
    if command is None:
        return _fail(
            f"cannot tell where the {COMMAND} command is installed; run it by its full path"
        )
    data_home = xdg_data_home()
    try:
        written = install(data_home, command)
    except OSError as exc:
        return _fail(f"cannot write the launcher files in {data_home} ({exc.strerror or exc})")
    print(f"Added Voicemail Coach to the application menu; it starts {command}")
    print(f"Installed {len(written)} files in {data_home}:")
    for path in written:
        print(f"  {path.relative_to(data_home)}")
    print(f"'{COMMAND} uninstall-desktop' removes them.")
    return EXIT_OK


def _run_uninstall() -> int:
    data_home = xdg_data_home()
    try:
        removed = uninstall(data_home)
    except OSError as exc:
        return _fail(f"cannot remove the launcher files in {data_home} ({exc.strerror or exc})")
    if not removed:
        print(f"Nothing to remove: no Voicemail Coach launcher files in {data_home}")
        return EXIT_OK
    print(
        f"Removed Voicemail Coach from the application menu ({len(removed)} files in {data_home}):"
    )
    for path in removed:
        print(f"  {path.relative_to(data_home)}")
    return EXIT_OK
