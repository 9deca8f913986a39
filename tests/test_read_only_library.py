"""The command line reads the library from a read-only or full disk, changing nothing there.

The disks are real: a small tmpfs, remounted read-only, or filled to the last byte (root
ignores permission bits, so a folder without write permission would prove nothing here; CI
runs as root too). Where mounting is not allowed the test says so and is skipped.
"""

from __future__ import annotations

import argparse
import csv
import errno
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import AUDIO, REPO
from voicemail_coach.analysis.pipeline import analyze_script
from voicemail_coach.analysis.profile_loader import load_profile
from voicemail_coach.app.cli.library import add_library_commands, run_library_command
from voicemail_coach.audio import oserrors
from voicemail_coach.storage.coaching import Coaching
from voicemail_coach.storage.database import failure
from voicemail_coach.storage.library import LIBRARY_DIR, Library
from voicemail_coach.storage.migrations import LATEST_VERSION

LIBRARY_V1 = REPO / "tests" / "data" / "library_v1.sql"
SCRIPT = (
    "Hi Sam, this is Alex from Acme. We cut onboarding time in half for teams like yours. "
    "Call me back at 555 123 4567. If it's not a fit, just let me know."
)


def run(argv: list[str]) -> int | None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    add_library_commands(sub)
    return run_library_command(parser.parse_args(argv))


def _mount(cmd: list[str]) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"needs to mount a tmpfs (root): {' '.join(cmd)}: {done.stderr.strip()}")


@pytest.fixture()
def disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A 4 MB tmpfs as the data folder; unmounted afterwards."""
    mount = tmp_path / "disk"
    mount.mkdir()
    _mount(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)])
    monkeypatch.setenv("VOICEMAIL_COACH_DATA_DIR", str(mount))
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill_library(mount: Path) -> dict[str, int]:
    """Two analyzed takes, the second in a role-play session; returns their ids."""
    profile = load_profile()
    report = analyze_script(SCRIPT, profile)
    with Library(mount / LIBRARY_DIR) as lib:
        first = lib.add_file(AUDIO / "fillers.flac", title="Monday call")
        lib.add_report(first.id, report)
        coaching = Coaching(lib)
        session = coaching.start_session("Team drill", coach="Pat", participants=["Dana"])
        second = lib.add_file(AUDIO / "fillers.flac", title="Drill take")
        lib.add_report(second.id, report)
        coaching.label_take(second.id, session.id, "Dana")
    return {"first": first.id, "second": second.id, "session": session.id}


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
    }


def make_read_only(mount: Path) -> None:
    _mount(["mount", "-o", "remount,ro", str(mount)])


def make_full(mount: Path) -> None:
    with (mount / "ballast").open("wb") as f:
        block = b"\0" * 65536
        try:
            while True:
                f.write(block)
                f.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    # Byte by byte to the very last one.
    with (mount / "ballast2").open("wb", buffering=0) as f, pytest.raises(OSError):
        while True:
            f.write(b"\0")
    assert os.statvfs(mount).f_bavail == 0


@pytest.mark.parametrize("make", [make_read_only, make_full], ids=["read-only", "full"])
def test_history_export_and_sessions_read_a_read_only_or_full_disk(
    disk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], make: object
) -> None:
    ids = fill_library(disk)
    make(disk)  # type: ignore[operator]
    before = snapshot(disk)

    assert run(["history"]) == 0
    out, err = capsys.readouterr()
    lines = out.strip().splitlines()
    assert lines[0].split()[:3] == ["ID", "Date", "Title"]
    assert [line.split()[0] for line in lines[1:]] == [str(ids["second"]), str(ids["first"])]
    assert "Drill take" in lines[1] and "Dana" in lines[1] and "Team drill" in lines[1]
    assert "Monday call" in lines[2]
    assert err == ""

    assert run(["history", "--json"]) == 0
    rows = json.loads(capsys.readouterr()[0])
    assert [(r["id"], r["title"]) for r in rows] == [
        (ids["second"], "Drill take"),
        (ids["first"], "Monday call"),
    ]

    elsewhere = tmp_path / "out"
    elsewhere.mkdir()
    assert run(["history", "--csv", str(elsewhere / "h.csv")]) == 0
    assert capsys.readouterr()[0].strip() == f"Wrote 2 attempts to {elsewhere / 'h.csv'}"
    with (elsewhere / "h.csv").open(newline="", encoding="utf-8") as f:
        assert [row[2] for row in list(csv.reader(f))[1:]] == ["Drill take", "Monday call"]

    assert run(["export", str(ids["first"]), "--html", str(elsewhere / "r.html")]) == 0
    assert capsys.readouterr()[0].strip() == f"Wrote {elsewhere / 'r.html'}"
    assert "Monday call" in (elsewhere / "r.html").read_text(encoding="utf-8")

    assert run(["sessions"]) == 0
    listing = capsys.readouterr()[0].strip().splitlines()
    assert len(listing) == 2 and "Team drill" in listing[1] and "Dana" in listing[1]
    assert run(["sessions", str(ids["session"])]) == 0
    summary = capsys.readouterr()[0]
    assert summary.startswith("Team drill, coach Pat")
    assert str(ids["second"]) in summary and "Dana" in summary

    assert snapshot(disk) == before  # nothing created, migrated or moved


def test_a_csv_written_to_the_read_only_disk_says_it_is_read_only(
    disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fill_library(disk)
    make_read_only(disk)
    assert run(["history", "--csv", str(disk / "h.csv")]) == 2
    err = capsys.readouterr()[1].strip()
    assert err.startswith(f"voicemail-coach: Could not export the history to {disk / 'h.csv'}")
    assert "it is on a read-only disk" in err and "full" not in err


def test_a_csv_written_to_the_full_disk_says_it_is_full(
    disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fill_library(disk)
    make_full(disk)
    assert run(["history", "--csv", str(disk / "h.csv")]) == 2
    err = capsys.readouterr()[1].strip()
    assert err.startswith(f"voicemail-coach: Could not export the history to {disk / 'h.csv'}")
    assert "the disk is full" in err and "read-only" not in err and "failing" not in err


def test_a_library_needing_an_update_on_a_read_only_disk_says_so_and_stays_as_it_is(
    disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = disk / LIBRARY_DIR
    (folder / "audio").mkdir(parents=True)
    conn = sqlite3.connect(folder / "library.db")
    conn.executescript(LIBRARY_V1.read_text(encoding="utf-8"))
    conn.close()
    make_read_only(disk)
    before = snapshot(disk)
    assert run(["history"]) == 2
    err = capsys.readouterr()[1].strip()
    assert err == (
        f"voicemail-coach: The library {folder / 'library.db'} was made by an older version "
        "of Voicemail Coach and must be updated before this version can read it (schema "
        f"version 1; this version reads {LATEST_VERSION}). That update cannot be made now. "
        f"Could not open the library: the library folder {folder} cannot be written: it is on "
        "a read-only disk. Nothing already saved was lost."
    )
    assert snapshot(disk) == before


def test_a_library_needing_an_update_is_updated_where_the_folder_can_be_written(
    disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = disk / LIBRARY_DIR
    (folder / "audio").mkdir(parents=True)
    conn = sqlite3.connect(folder / "library.db")
    conn.executescript(LIBRARY_V1.read_text(encoding="utf-8"))
    conn.close()
    assert run(["history", "--json"]) == 0
    assert json.loads(capsys.readouterr()[0])  # the v1 library's attempts, migrated
    with Library(folder, read_only=True) as lib:
        assert lib.attempts()


_LEFT_OVER_WAL = """
import sys, os
from pathlib import Path
from voicemail_coach.storage.library import Library
lib = Library(Path(sys.argv[1]))
lib.db.connection().execute("PRAGMA wal_autocheckpoint = 0")
lib.update(int(sys.argv[2]), title="Renamed just before the crash")
os._exit(0)  # killed: the change is in the WAL only
"""


def test_changes_left_in_the_wal_on_a_read_only_disk_are_named_not_hidden(
    disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = fill_library(disk)
    folder = disk / LIBRARY_DIR
    subprocess.run(
        [sys.executable, "-c", _LEFT_OVER_WAL, str(folder), str(ids["first"])],
        check=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert (folder / "library.db-wal").stat().st_size > 0
    (folder / "library.db-shm").unlink()  # as a crash before the disk went read-only can leave
    make_read_only(disk)
    assert run(["history", "--json"]) == 0
    out, err = capsys.readouterr()
    assert {r["title"] for r in json.loads(out)} == {"Drill take", "Monday call"}
    assert err.strip() == (
        "voicemail-coach: note: The newest changes to the library (kept in library.db-wal) "
        "cannot be read until its folder can be written again; what is shown may miss them."
    )


@pytest.mark.parametrize(
    ("state", "why"),
    [
        ("read-only", "cannot be written: it is on a read-only disk."),
        ("full", "Could not save the report: the disk is full."),
        (None, "cannot be written: the disk reported an input/output error"),
    ],
)
def test_an_io_error_from_sqlite_is_told_apart_by_what_the_disk_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, state: str | None, why: str
) -> None:
    """SQLite reports a write that found no room, or a read-only disk, as an I/O error or
    as "unable to open"; the disk itself says which."""
    monkeypatch.setattr(oserrors, "disk_state", lambda folder: state)
    for code in (sqlite3.SQLITE_IOERR_WRITE, sqlite3.SQLITE_IOERR_SHMOPEN):
        exc = sqlite3.OperationalError("disk I/O error")
        exc.sqlite_errorcode = code  # type: ignore[attr-defined]
        assert why in str(failure(exc, "save the report", tmp_path))
    exc = sqlite3.OperationalError("unable to open database file")
    exc.sqlite_errorcode = sqlite3.SQLITE_CANTOPEN  # type: ignore[attr-defined]
    expected = {"read-only": why, "full": why}.get(state or "", "permission denied")  # type: ignore[arg-type]
    assert expected in str(failure(exc, "save the report", tmp_path))


@pytest.mark.parametrize(
    ("make", "why"),
    [(make_read_only, "the folder is on a read-only disk"), (make_full, "no space left on device")],
    ids=["read-only", "full"],
)
def test_a_failed_audio_write_names_the_disk_not_a_system_error(
    disk: Path, make: object, why: str
) -> None:
    """libsndfile says only "System error" (the save of a take kept in memory, a recorder's
    file): the disk says what it was."""
    import numpy as np

    from voicemail_coach.audio.io import save_flac

    make(disk)  # type: ignore[operator]
    with pytest.raises((OSError, RuntimeError)) as err:
        save_flac(disk / "take.flac", np.zeros(160_000, dtype=np.float32))
    assert oserrors.write_cause(err.value, disk) == why


def test_history_reads_a_library_the_user_may_not_write_to() -> None:
    """Read-only by its permissions: root ignores them, so the command runs as nobody."""
    import shutil
    import tempfile

    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or setpriv is None:
        pytest.skip("needs root and setpriv to run the command as another user")
    top = Path(tempfile.mkdtemp(prefix="vmc-perm-", dir="/tmp"))
    try:
        top.chmod(0o755)
        with Library(top / LIBRARY_DIR) as lib:
            lib.add_file(AUDIO / "fillers.flac", title="Not mine to write")
        for path in (top, *top.rglob("*")):
            path.chmod(0o555 if path.is_dir() else 0o444)
        before = snapshot(top)
        done = subprocess.run(
            [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable,
             "-m", "voicemail_coach.app.cli.main", "history", "--json"],
            capture_output=True, text=True, timeout=120,
            env={**os.environ, "VOICEMAIL_COACH_DATA_DIR": str(top),
                 "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)},
        )  # fmt: skip
        if "Permission denied" in done.stderr and "python" in done.stderr.lower():
            pytest.skip(f"nobody cannot run this Python: {done.stderr.strip()[:200]}")
        assert done.returncode == 0, done.stderr
        assert [r["title"] for r in json.loads(done.stdout)] == ["Not mine to write"]
        assert done.stderr == ""
        assert snapshot(top) == before
    finally:
        for path in (top, *top.rglob("*")):
            path.chmod(0o755 if path.is_dir() else 0o644)
        shutil.rmtree(top)
