"""One window per data folder.

A second app on the same library would take the first one's take in progress for an interrupted
recording and offer to "recover" it. The lock is a QLockFile beside the library: it is released
when the app quits, and a crashed app's lock is detected as stale from its process id.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLockFile

LOCK_NAME = "voicemail-coach.lock"


class AlreadyRunning(Exception):
    """Another Voicemail Coach holds this data folder; the message says which process."""


def claim(data_dir: Path) -> QLockFile:
    """Hold the data folder for this process (keep the returned lock alive until quitting).

    Raises:
        AlreadyRunning: another running app holds it.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    lock = QLockFile(str(data_dir / LOCK_NAME))
    lock.setStaleLockTime(0)  # held for the app's whole life; staleness comes from the pid
    if lock.tryLock(200):
        return lock
    if lock.error() == QLockFile.LockError.LockFailedError:
        info = lock.getLockInfo()
        pid = info[0] if isinstance(info, tuple) and info and isinstance(info[0], int) else None
        who = f" (process {pid})" if pid else ""
        raise AlreadyRunning(
            f"Voicemail Coach is already running{who} with the library in {data_dir}. "
            "Switch to that window; a second one could mistake its take in progress for an "
            "interrupted one."
        )
    # Permission or other trouble: run without the guard rather than refuse to start.
    return lock
