"""Saying what went wrong with the disk in words a user can act on.

``OSError``'s own text varies by platform and often hides the cause ("[Errno 28] No space left
on device: '/home/...'"). ``cause(exc)`` names the cause alone, so every message tells a full
disk from a read-only folder, a missing permission and a failing disk.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

_CAUSES = {
    errno.ENOSPC: "no space left on device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: "the folder is on a read-only disk",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EIO: "input/output error: the disk may be failing",
    errno.ENOENT: "no such file or folder",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.EISDIR: "it is a folder",
    errno.ENAMETOOLONG: "the name is too long",
    errno.EMFILE: "too many open files",
}


def cause(exc: OSError) -> str:
    """The cause of ``exc`` in a few words, e.g. "no space left on device"."""
    if exc.errno in _CAUSES:
        return _CAUSES[exc.errno]
    return (exc.strerror or str(exc) or exc.__class__.__name__).rstrip(".").lower()


# Less room than this left on a disk, with an error the OS or a library could not name, means a
# full disk (SQLite reports some writes that found no room as an input/output error, and
# libsndfile any failed write as "System error").
FULL_BYTES = 256 * 1024


def disk_state(folder: str | Path) -> str | None:
    """``"read-only"`` when the disk holding ``folder`` (or its nearest existing parent) is
    mounted read-only, ``"full"`` when it has almost no room left, else None."""
    where = Path(folder)
    while not where.exists() and where.parent != where:
        where = where.parent
    try:
        stat = os.statvfs(where)
    except OSError:
        return None
    if stat.f_flag & os.ST_RDONLY:
        return "read-only"
    if stat.f_bavail * stat.f_frsize < FULL_BYTES:
        return "full"
    return None


def write_cause(exc: OSError | RuntimeError, folder: str | Path) -> str:
    """Why writing into ``folder`` failed, in a few words: ``cause`` for an ``OSError``; for a
    library's own error (libsndfile's "System error") what the disk says, if anything."""
    if isinstance(exc, OSError):
        return cause(exc)
    state = disk_state(folder)
    if state == "read-only":
        return _CAUSES[errno.EROFS]
    if state == "full":
        return _CAUSES[errno.ENOSPC]
    return str(exc).rstrip(".")
