"""The database's advisory lock: every open :class:`~gazette_tui.core.storage.store.Store` holds it shared,
and ``repair`` runs only when it can take it exclusive.

SQLite's own locks cannot say "someone has this file open": in WAL mode a connection holds no lock between
transactions. Repair swaps the file, so a TUI that still had the old one open would go on writing into the
copy set aside. Hence ``flock`` on ``gazette.db.lock`` next to the database: shared for a store's lifetime,
exclusive (without waiting) for repair. The lock goes with the process, ``kill -9`` included.

The lock also guards repair's journal (``gazette.db.reparation-en-cours``): a repair killed while swapping
files leaves it behind, and whoever opens the database next finishes that swap before reading anything
(:func:`.journal.finish_interrupted_repair`).

Where ``fcntl`` is missing (Windows) there is no lock: both calls succeed without holding anything.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from types import TracebackType

from gazette_tui.core.storage.journal import finish_interrupted_repair
from gazette_tui.core.storage.journal import journal_path as journal_path
from gazette_tui.errors import StoreError

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

WAIT_SECONDS = 15.0
"""How long opening the database waits for a running repair (the SQLite busy timeout, for the same reason)."""

_POLL = 0.05


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


class DatabaseLock:
    """A held lock (or none, where locks are not available); release it once, or use it with ``with``."""

    def __init__(self, fd: int | None) -> None:
        self._fd = fd

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)  # closing the descriptor releases the flock

    def __enter__(self) -> DatabaseLock:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.release()


def _open(database: Path, *, create: bool = True) -> int | None:
    """The lock file's descriptor, or None where it cannot be had (read-only folder, no fcntl). With
    ``create``, a missing folder is made (as opening the database would)."""
    if fcntl is None:
        return None
    path = lock_path(database)
    flags = os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)
    try:
        if create and not database.parent.exists():
            database.parent.mkdir(parents=True, exist_ok=True)
        return os.open(path, os.O_RDWR | os.O_CREAT | flags, 0o600)
    except OSError:
        try:
            return os.open(path, os.O_RDONLY | flags)  # flock works on a read-only descriptor too
        except OSError:
            return None  # nothing can swap files in a folder we cannot even read a lock in


def _try(fd: int, operation: int) -> bool:
    try:
        fcntl.flock(fd, operation | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def hold_shared(database: Path, *, create: bool = True, wait: float | None = None) -> DatabaseLock:
    """Take the shared lock before opening the database, finishing a repair that was killed mid-swap.

    Raises :class:`StoreError` if a repair holds the lock for longer than ``wait`` seconds (default
    :data:`WAIT_SECONDS`)."""
    fd = _open(database, create=create)
    if fd is None:
        if fcntl is None and journal_path(database).exists():
            finish_interrupted_repair(database)
        return DatabaseLock(None)
    deadline = time.monotonic() + (WAIT_SECONDS if wait is None else wait)
    try:
        while True:
            if _try(fd, fcntl.LOCK_SH):
                if not journal_path(database).exists():
                    return DatabaseLock(fd)
                # A repair died while swapping (no live repair can write the journal while we hold this):
                # finish its swap under the exclusive lock, then start again.
                fcntl.flock(fd, fcntl.LOCK_UN)
                if _try(fd, fcntl.LOCK_EX):
                    try:
                        finish_interrupted_repair(database)
                    finally:
                        fcntl.flock(fd, fcntl.LOCK_UN)
                    continue
            if time.monotonic() >= deadline:
                raise StoreError("store.repair_running", path=database)
            time.sleep(_POLL)
    except BaseException:
        os.close(fd)
        raise


def hold_exclusive(database: Path) -> DatabaseLock:
    """Take the exclusive lock at once, or raise :class:`StoreError` saying the database is in use."""
    fd = _open(database)
    if fd is None:
        if fcntl is not None:
            raise StoreError("store.lock_unwritable", path=database)
        return DatabaseLock(None)
    if not _try(fd, fcntl.LOCK_EX):
        os.close(fd)
        raise StoreError("store.in_use", path=database)
    return DatabaseLock(fd)
