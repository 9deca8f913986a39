"""Saying what went wrong with the disk in words a user can act on.

``OSError``'s own text varies by platform and often hides the cause ("[Errno 28] No space left
on device: '/home/...'"). ``cause(exc)`` names the cause alone, so every message tells a full
disk from a read-only folder, a missing permission and a failing disk.
"""

from __future__ import annotations

import errno

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
