"""The library's SQLite database: opening it (migrations, a damaged file set aside), or opening
it read-only for the commands that only read (on a read-only or full disk nothing is created,
migrated or moved), one write transaction at a time, and what a failure means for the user."""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import shutil
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from voicemail_coach.audio import oserrors
from voicemail_coach.storage.migrations import (
    LATEST_VERSION,
    NewerSchemaError,
    migrate,
    schema_version,
)
from voicemail_coach.storage.records import LibraryError

DB_NAME = "library.db"
# How long a call waits for another program's lock before saying the library is busy.
BUSY_TIMEOUT_S = 2.0
# libsndfile reports a full disk only as "System error"; this little room left means that.
LOW_SPACE_BYTES = 16 * 1024 * 1024

_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 3, 5, 6, 8
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 10, 11, 13, 14, 26
_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


class OlderLibraryError(LibraryError):
    """Opened read-only, the library needs a migration, which cannot be applied read-only."""

    def __init__(self, message: str, version: int) -> None:
        super().__init__(message)
        self.version = version


class Database:
    """The library's database in ``folder``; one connection shared by all threads, one call at
    a time (``lock``), and every failure turned into a ``LibraryError`` a user can act on.

    ``read_only``: open it with SQLite's ``mode=ro`` (and, when the folder cannot hold the
    ``-wal``/``-shm`` files SQLite needs for that, as ``immutable=1``: the file as it is on
    disk); nothing is created, migrated, checked for damage beyond reading, or moved.
    ``note`` then says what a reader should know (changes that could not be read).

    Raises:
        LibraryError: as ``Library`` says; read-only, ``OlderLibraryError`` when the library
            needs a migration first.
    """

    def __init__(self, folder: Path, read_only: bool = False) -> None:
        self.folder = folder
        self.db_path = folder / DB_NAME
        self.audio_dir = folder / "audio"
        self.lock = threading.RLock()
        self.read_only = read_only
        self.note: str | None = None
        self._conn: sqlite3.Connection | None = (
            self._open_read_only() if read_only else self._open()
        )

    def close(self) -> None:
        """Close the database; safe to call twice. Other calls fail afterwards."""
        with self.lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def _open(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(
                self.db_path,
                timeout=BUSY_TIMEOUT_S,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as exc:
            raise self.problem(exc, "open the library") from exc
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            damage = [str(row[0]) for row in conn.execute("PRAGMA quick_check")]
            if damage != ["ok"]:
                raise _Damaged("; ".join(damage[:3]))
            conn.execute("PRAGMA journal_mode = WAL")
            migrate(conn)
        except (sqlite3.Error, _Damaged, NewerSchemaError) as exc:
            conn.close()
            raise self._open_failure(exc) from exc
        conn.row_factory = sqlite3.Row
        return conn

    def _open_read_only(self) -> sqlite3.Connection:
        if not self.db_path.is_file():
            raise LibraryError(f"There is no library database at {self.db_path}.")
        failed: sqlite3.Error | None = None
        # mode=ro needs the -shm file, and makes it (and an empty -wal) when they are missing:
        # on a read-only or full disk the file is read as it is instead (immutable=1).
        unwritable = oserrors.disk_state(self.folder) is not None
        shm = Path(f"{self.db_path}-shm")
        for immutable in (False, True) if not (unwritable and not shm.exists()) else (True,):
            uri = f"{self.db_path.as_uri()}?mode=ro{'&immutable=1' if immutable else ''}"
            try:
                conn = sqlite3.connect(
                    uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                    check_same_thread=False,
                )  # fmt: skip
            except sqlite3.Error as exc:
                failed = exc
                continue
            try:
                version = schema_version(conn)
            except sqlite3.Error as exc:
                conn.close()
                failed = exc
                if _sqlite_code(exc) in (_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_CORRUPT):
                    break
                if _sqlite_code(exc) == _SQLITE_NOTADB:
                    break
                continue  # no -shm here and none can be made: read the file as it is
            if version > LATEST_VERSION:
                conn.close()
                raise self._open_failure(
                    NewerSchemaError(
                        f"schema version {version}; this version of the app reads up to "
                        f"{LATEST_VERSION}"
                    )
                )
            if version < LATEST_VERSION:
                conn.close()
                raise OlderLibraryError(
                    f"The library {self.db_path} was made by an older version of Voicemail "
                    f"Coach and must be updated before this version can read it (schema "
                    f"version {version}; this version reads {LATEST_VERSION}).",
                    version,
                )
            wal = Path(f"{self.db_path}-wal")
            if immutable and wal.is_file() and wal.stat().st_size > 0:
                self.note = (
                    f"The newest changes to the library (kept in {wal.name}) cannot be read "
                    "until its folder can be written again; what is shown may miss them."
                )
            conn.row_factory = sqlite3.Row
            return conn
        assert failed is not None
        if _sqlite_code(failed) in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
            raise LibraryError(
                f"The library database {self.db_path} is damaged ({failed}); it cannot be "
                "read, and it was left as it is."
            ) from failed
        raise self.problem(failed, "read the library") from failed

    def _open_failure(self, exc: Exception) -> LibraryError:
        if isinstance(exc, NewerSchemaError):
            return LibraryError(
                f"The library {self.db_path} was made by a newer version of Voicemail Coach "
                f"({exc}). Update the app to open it; nothing was changed."
            )
        if isinstance(exc, _Damaged) or _sqlite_code(exc) in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
            return self._set_aside(exc)
        return self.problem(exc, "open the library")

    def _set_aside(self, reason: Exception) -> LibraryError:
        """Move a damaged database (and its WAL) out of the way, never over another file."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        sidecars = ("", "-wal", "-shm")
        for n in itertools.count():
            backup = self.db_path.with_name(f"{DB_NAME}.corrupt-{stamp}{f'-{n}' if n else ''}")
            if not any(Path(f"{backup}{s}").exists() for s in sidecars):
                break
        try:
            for suffix in sidecars:
                damaged = Path(f"{self.db_path}{suffix}")
                if damaged.exists():
                    os.rename(damaged, f"{backup}{suffix}")
        except OSError as exc:
            return LibraryError(
                f"The library database {self.db_path} is damaged ({reason}) and could not be "
                f"moved aside ({exc.strerror or exc}). Move it away yourself to start a new "
                "library; nothing was deleted."
            )
        return LibraryError(
            f"The library database was damaged ({reason}). It was set aside as {backup} "
            "(nothing was deleted), and a new, empty library is started the next time the "
            f"library is opened. The recordings stay in {self.audio_dir}."
        )

    def connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise LibraryError("The library is closed.")
        return self._conn

    @contextlib.contextmanager
    def write(self, doing: str) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it is saved, or none of it."""
        conn = self.connection()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                conn.rollback()
                raise
        except sqlite3.Error as exc:
            raise self.problem(exc, doing) from exc

    def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self.lock:
            try:
                rows: list[sqlite3.Row] = self.connection().execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise self.problem(exc, "read the library") from exc
            return rows

    def problem(self, exc: BaseException, doing: str) -> LibraryError:
        """What went wrong while trying to ``doing``, for the user (see :func:`failure`)."""
        return failure(exc, doing, self.folder)


def failure(exc: BaseException, doing: str, folder: Path) -> LibraryError:
    """What went wrong, for the user: a full disk, a read-only one, a missing permission
    and a failing disk are told apart, because each asks for something else."""
    db_path = folder / DB_NAME
    kept = "Nothing already saved was lost."
    full = (
        f"Could not {doing}: the disk is full. Free some space and try again; nothing "
        "already saved was lost."
    )

    def unwritable(why: str) -> LibraryError:
        return LibraryError(
            f"Could not {doing}: the library folder {folder} cannot be written: {why}. {kept}"
        )

    read_only = "it is on a read-only disk"
    denied = "permission denied"
    failing = "the disk reported an input/output error (it may be failing or unplugged)"
    state = oserrors.disk_state(folder)

    def refined(otherwise: str) -> LibraryError:
        """An error that may mean a read-only or full disk: what the disk itself says."""
        if state == "read-only":
            return unwritable(read_only)
        if state == "full":
            return LibraryError(full)
        return unwritable(otherwise)

    if isinstance(exc, sqlite3.Error):
        code = _sqlite_code(exc)
        if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
            return LibraryError(
                "The library is busy (locked by another program). Close any other copy of "
                f"Voicemail Coach, or any program using {db_path}, and try again."
            )
        if code == _SQLITE_FULL:
            return LibraryError(full)
        if code == _SQLITE_READONLY:
            if state == "read-only":
                return unwritable(read_only)
            return unwritable(f"the database {db_path.name} is read-only")
        if code in (_SQLITE_PERM, _SQLITE_CANTOPEN):
            return refined(denied)
        if code == _SQLITE_IOERR:
            return refined(failing)
        if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
            return LibraryError(
                f"The library database {db_path} is damaged ({exc}). Restart "
                "Voicemail Coach: it will set the damaged file aside and start a new one."
            )
    elif isinstance(exc, OSError):
        if exc.errno in _DISK_FULL:
            return LibraryError(full)
        if exc.errno == errno.EROFS:
            return unwritable(read_only)
        if exc.errno in (errno.EACCES, errno.EPERM):
            return unwritable(denied)
        if exc.errno == errno.EIO:
            return refined(failing)
        return LibraryError(f"Could not {doing}: {oserrors.cause(exc)}")
    elif isinstance(exc, RuntimeError) and state == "read-only":
        return unwritable(read_only)
    elif isinstance(exc, RuntimeError) and _low_on_space(folder):
        return LibraryError(full)
    return LibraryError(f"Could not {doing}: {exc}")


class _Damaged(Exception):
    """The database opens but fails its integrity check."""


def _sqlite_code(exc: BaseException) -> int:
    """The primary SQLite result code of an error (0 when it has none)."""
    return int(getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF


def _low_on_space(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < LOW_SPACE_BYTES
    except OSError:
        return False
