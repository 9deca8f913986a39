"""The attempt library's audio folder, ``audio/`` beside the database.

File names are claimed exclusively, so a file is never overwritten, not even by a new library
started after a damaged database was set aside next to the old recordings. A FLAC is checked by
reading it back before anything relies on it. A file in ``audio/`` that no attempt refers to (a
FLAC half-written when the app was killed) is moved to ``recovered/`` when the library is
opened, so it is kept and offered, and frees its name.

Failures are ``OSError`` (and soundfile's ``RuntimeError``); :class:`Library` words them.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Collection
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import soundfile

from voicemail_coach.storage.database import DB_NAME, Database
from voicemail_coach.storage.records import LibraryError
from voicemail_coach.storage.take_files import Pcm16

AUDIO_DIR = "audio"
# Where audio no attempt refers to is moved at open (a file half-written when the app was killed).
RECOVERED_DIR = "recovered"


def claim(audio_dir: Path, stem: str, suffix: str) -> Path:
    """Create a new, empty file in ``audio_dir`` named after ``stem``; never an old one."""
    audio_dir.mkdir(parents=True, exist_ok=True)
    for n in itertools.count():
        path = audio_dir / (f"{stem}-{n}{suffix}" if n else f"{stem}{suffix}")
        with contextlib.suppress(FileExistsError), path.open("xb"):
            return path
    raise AssertionError("itertools.count() ended")


def write_flac(path: Path, pcm: Pcm16, rate: int) -> None:
    """Write audio as FLAC into ``path`` (claimed), checked by reading it back, and sync it to
    disk; on a failure the file is removed."""
    try:
        soundfile.write(str(path), pcm, rate, subtype="PCM_16", format="FLAC")
        back, back_rate = soundfile.read(str(path), dtype="int16")
        if back_rate != rate or not np.array_equal(back, pcm):
            raise RuntimeError("the saved FLAC does not read back the same audio")
        with path.open("rb+") as saved:
            os.fsync(saved.fileno())
    except (OSError, RuntimeError):  # soundfile's errors are RuntimeErrors
        with contextlib.suppress(OSError):
            path.unlink()
        raise


def set_aside_unreferenced(
    db: Database, folder: Path, interrupted: Collection[int]
) -> tuple[Path, ...]:
    """Move each file of the audio folder that no attempt refers to into ``recovered/``.

    A kill while a FLAC was being written leaves one (its attempt was never committed, or
    still points at its WAV); left there it would push the next take's file to ``N-1.flac``.
    It could be someone's only copy of a take, so it is moved, never deleted, and never
    over another file. The write lock is held, so another program's take being saved (in a
    transaction) is not mistaken for one. A file that cannot be moved stays where it is, and
    so does the audio of a database set aside as damaged (files older than the newest
    ``library.db.corrupt-<time>``): its rows are in that database, not lost.

    Args:
        db: The library's database.
        folder: The library folder (``audio/`` and ``recovered/`` are in it).
        interrupted: The ids of takes still recording when the library was opened.

    Returns:
        Where the files worth offering back are now: not empty, and not a copy of an
        interrupted take (``N.flac`` beside take N's WAV; that take itself is offered).
    """
    audio_dir = folder / AUDIO_DIR
    interrupted_stems = {str(i) for i in interrupted}
    offered: list[Path] = []
    try:
        with db.lock, db.write("look for unsaved recordings") as conn:
            known = {str(r[0]) for r in conn.execute("SELECT audio_file FROM attempts")}
            since = _last_set_aside(folder)
            strays = sorted(
                p
                for p in audio_dir.iterdir()
                if p.is_file() and p.name not in known and p.stat().st_mtime >= since
            )
            for stray in strays:
                with contextlib.suppress(OSError):
                    empty = stray.stat().st_size == 0
                    moved = _move_to_recovered(folder / RECOVERED_DIR, stray)
                    if not empty and stray.stem.split("-")[0] not in interrupted_stems:
                        offered.append(moved)
    except (LibraryError, OSError):
        pass  # opening the library matters more; they are looked for again next time
    return tuple(offered)


def _last_set_aside(folder: Path) -> float:
    """When the newest damaged database was set aside (POSIX time, rounded up); 0 if never."""
    prefix = f"{DB_NAME}.corrupt-"
    times = [0.0]
    for backup in folder.glob(f"{prefix}*"):
        stamp = backup.name.removeprefix(prefix)[:16]
        try:
            when = datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        except ValueError:
            continue  # a sidecar or a name of the user's: not one of ours
        times.append(when.timestamp() + 1.0)
    return max(times)


def _move_to_recovered(recovered_dir: Path, path: Path) -> Path:
    recovered_dir.mkdir(exist_ok=True)
    for n in itertools.count():
        target = recovered_dir / (f"{path.stem}-{n}{path.suffix}" if n else path.name)
        try:
            os.link(path, target)  # fails rather than replace a file recovered before
        except FileExistsError:
            continue
        except OSError:  # no hard links here (FAT, some network shares)
            if target.exists():
                continue
            path.rename(target)
            return target
        path.unlink()
        return target
    raise AssertionError("itertools.count() ended")
