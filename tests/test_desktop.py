"""The launcher entry: `voicemail-coach install-desktop` / `uninstall-desktop` into a temporary
XDG_DATA_HOME, the files' contents, the Exec line, and the freedesktop validators on them."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from voicemail_coach.app.cli.desktop import (
    APP_ID,
    DESKTOP_PACKAGE,
    PNG_SIZES,
    desktop_entry,
    desktop_files,
    exec_value,
)

REPO = Path(__file__).resolve().parent.parent
COMMAND = Path(sys.executable).parent / "voicemail-coach"


def packaged(name: str) -> bytes:
    return resources.files(DESKTOP_PACKAGE).joinpath(name).read_bytes()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def entry_values(text: str) -> dict[str, str]:
    lines = text.splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if line)


def run(command: str, data_home: Path) -> subprocess.CompletedProcess[str]:
    assert COMMAND.is_file(), f"{COMMAND}: the test runs the installed command"
    env = {**os.environ, "XDG_DATA_HOME": str(data_home)}
    return subprocess.run(
        [str(COMMAND), command], capture_output=True, text=True, env=env, timeout=60
    )


def tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: install {package} (scripts/dev test and the CI do)")
    return path


def test_the_icon_sizes_are_what_their_names_say() -> None:
    svg = packaged("voicemail-coach.svg").decode("utf-8")
    assert svg.startswith("<svg ") and 'viewBox="0 0 128 128"' in svg
    for size in PNG_SIZES:
        assert png_size(packaged(f"icons/{size}.png")) == (size, size)
    assert {16, 32, 48, 128, 256, 512} <= set(PNG_SIZES)


def test_exec_is_quoted_as_the_desktop_entry_spec_says() -> None:
    assert exec_value(Path("/opt/vc/bin/voicemail-coach")) == "/opt/vc/bin/voicemail-coach"
    assert exec_value(Path("/home/a b/bin/voicemail-coach")) == '"/home/a b/bin/voicemail-coach"'
    # Inside quotes, $ is escaped with a backslash, and every backslash is doubled once more
    # because Exec is a string value.
    assert exec_value(Path("/x/$y z/voicemail-coach")) == '"/x/\\\\$y z/voicemail-coach"'
    entry = desktop_entry(
        "[Desktop Entry]\nExec=voicemail-coach\nTryExec=voicemail-coach\n", Path("/p q/vc")
    )
    assert entry == '[Desktop Entry]\nExec="/p q/vc"\nTryExec=/p q/vc\n'


def test_install_writes_the_entry_icons_and_metainfo_then_uninstall_removes_exactly_them(
    tmp_path: Path,
) -> None:
    data_home = tmp_path / "xdg data"
    (data_home / "applications").mkdir(parents=True)
    other = data_home / "applications" / "someone-else.desktop"
    other.write_text("[Desktop Entry]\nType=Application\nName=Other\nExec=other\n")

    done = run("install-desktop", data_home)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    out = done.stdout.splitlines()
    assert out[0] == f"Added Voicemail Coach to the application menu; it starts {COMMAND}"
    assert out[1] == f"Installed {len(desktop_files())} files in {data_home}:"
    assert out[-1] == "'voicemail-coach uninstall-desktop' removes them."

    desktop = data_home / "applications" / f"{APP_ID}.desktop"
    assert f"  applications/{APP_ID}.desktop" in out
    values = entry_values(desktop.read_text(encoding="utf-8"))
    assert values["Exec"] == str(COMMAND)
    assert values["TryExec"] == str(COMMAND)
    assert values["Icon"] == APP_ID
    assert values["Name"] == "Voicemail Coach"
    assert values["Type"] == "Application"
    assert values["Terminal"] == "false"
    shipped = entry_values(packaged(f"{APP_ID}.desktop").decode("utf-8"))
    assert {k: v for k, v in values.items() if k not in ("Exec", "TryExec")} == {
        k: v for k, v in shipped.items() if k not in ("Exec", "TryExec")
    }

    metainfo = data_home / "metainfo" / f"{APP_ID}.metainfo.xml"
    assert metainfo.read_bytes() == packaged(f"{APP_ID}.metainfo.xml")
    svg = data_home / "icons/hicolor/scalable/apps" / f"{APP_ID}.svg"
    assert svg.read_bytes() == packaged("voicemail-coach.svg")
    for size in PNG_SIZES:
        png = data_home / f"icons/hicolor/{size}x{size}/apps/{APP_ID}.png"
        assert png_size(png.read_bytes()) == (size, size)
        assert png.read_bytes() == packaged(f"icons/{size}.png")
        assert f"  icons/hicolor/{size}x{size}/apps/{APP_ID}.png" in out

    installed = sorted(p for p in data_home.rglob("*") if p.is_file() and p != other)
    assert installed == sorted(data_home / f.target for f in desktop_files())
    assert len(installed) == 3 + len(PNG_SIZES)

    gone = run("uninstall-desktop", data_home)
    assert gone.returncode == 0, gone.stderr
    lines = gone.stdout.splitlines()
    assert lines[0] == (
        f"Removed Voicemail Coach from the application menu ({len(installed)} files in {data_home}):"
    )
    assert sorted(data_home / line.strip() for line in lines[1:]) == installed
    # Exactly those files went: someone else's entry and the folders stay.
    assert [p for p in data_home.rglob("*") if p.is_file()] == [other]
    assert (data_home / "icons/hicolor/512x512/apps").is_dir()

    again = run("uninstall-desktop", data_home)
    assert again.returncode == 0
    assert again.stdout.strip() == (
        f"Nothing to remove: no Voicemail Coach launcher files in {data_home}"
    )


def test_installed_files_pass_the_freedesktop_validators(tmp_path: Path) -> None:
    validate_desktop = tool("desktop-file-validate", "desktop-file-utils")
    appstreamcli = tool("appstreamcli", "appstream")
    data_home = tmp_path / "share"
    assert run("install-desktop", data_home).returncode == 0

    desktop = data_home / "applications" / f"{APP_ID}.desktop"
    checked = subprocess.run(
        [validate_desktop, str(desktop)], capture_output=True, text=True, timeout=60
    )
    # Not even a hint: desktop-file-validate prints nothing for a clean file.
    assert (checked.returncode, checked.stdout + checked.stderr) == (0, "")

    metainfo = data_home / "metainfo" / f"{APP_ID}.metainfo.xml"
    checked = subprocess.run(
        [appstreamcli, "validate", "--no-net", str(metainfo)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    report = checked.stdout + checked.stderr
    assert checked.returncode == 0, report
    assert "Validation was successful" in report
    # No error, warning or info; appstreamcli counts only pedantic notes (the upper-case
    # letters of a reverse-DNS ID) on top.
    problems = [line for line in report.splitlines() if line[:2] in ("E:", "W:", "I:")]
    assert problems == []


def test_the_metainfo_describes_the_app_and_its_release() -> None:
    text = packaged(f"{APP_ID}.metainfo.xml").decode("utf-8")
    import xml.etree.ElementTree as ET

    root = ET.fromstring(text)
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("project_license") == "MIT"
    assert root.find("launchable").text == f"{APP_ID}.desktop"  # type: ignore[union-attr]
    assert root.find("content_rating").get("type") == "oars-1.1"  # type: ignore[union-attr]
    assert root.findtext("provides/binary") == "voicemail-coach"
    assert len(root.findall("description/p")) >= 1
    releases = root.findall("releases/release")
    from voicemail_coach.app.cli.main import installed_version

    assert releases[0].get("version") == installed_version()
