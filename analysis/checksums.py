"""Model files checked against their official SHA-256 before use, the result remembered.

The record is keyed on each file's path, size, mtime, ctime and inode: a file changed in place
gets a new ctime (which a user cannot set back), so it is hashed again.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable, Mapping
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from voicemail_coach.analysis.paths import cache_dir


def checked_arrays(
    data: Traversable, digest: str, differs: Callable[[], Exception]
) -> tuple[dict[str, npt.NDArray[Any]], str]:
    """The arrays of an .npz file of our own (a trained artifact in resources/) and its SHA-256;
    ``differs()`` is raised when that is not the ``digest`` recorded beside it."""
    raw = data.read_bytes()
    actual = hashlib.sha256(raw).hexdigest()
    if actual != digest:
        raise differs()
    with np.load(io.BytesIO(raw)) as z:
        return {k: z[k] for k in z.files}, actual


def verify_files(
    folder: Path,
    digests: Mapping[str, str],
    record_name: str,
    missing: Callable[[Path], Exception],
    differs: Callable[[Path], Exception],
) -> None:
    """Raise ``missing(file)`` or ``differs(file)`` unless every file has its digest."""
    record_path = cache_dir() / record_name
    try:
        record = json.loads(record_path.read_text())
    except (OSError, ValueError):
        record = {}
    changed = False
    for name, digest in digests.items():
        f = folder / name
        if not f.is_file():
            raise missing(f)
        st = f.stat()
        key = f"{f}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"
        if record.get(key) == digest:
            continue
        h = hashlib.sha256()
        with f.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        if h.hexdigest() != digest:
            raise differs(f)
        record[key] = digest
        changed = True
    if changed:
        try:
            record_path.parent.mkdir(parents=True, exist_ok=True)
            record_path.write_text(json.dumps(record, indent=1))
        except OSError:
            pass  # verification still holds for this run; it is only redone next time
