"""Opening the SQLite file safely, write transactions, and the plain sentences for its errors.

One file in WAL mode so the TUI and a cron ``refresh`` can read and write at once; writers take
``BEGIN IMMEDIATE`` with a busy timeout, so a second writer waits instead of failing. The schema and its
migrations are in :mod:`.schema`; :func:`connect` runs the missing steps when it opens an older file.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gazette_tui.core.storage import codec
from gazette_tui.core.storage.schema import MIGRATIONS, SCHEMA_VERSION
from gazette_tui.errors import GazetteError, StoreError, detail

BUSY_TIMEOUT_MS = 15_000


def now() -> int:
    return int(time.time())


class NameTaken(GazetteError):
    """A dossier or an alerte already has this name (the features say it in their own words)."""

    def __init__(self, name: str) -> None:
        super().__init__("store.name_taken", name=name)


def connect(path: Path, *, readonly: bool = False, reader: bool = False) -> sqlite3.Connection:
    """Open (and migrate) the database; raise :class:`StoreError` with advice when it cannot be used.

    ``reader``: a connection that only reads (``PRAGMA query_only``), opened after the writer, which has set
    WAL mode and migrated the file already; it has the same pragmas otherwise."""
    try:
        if readonly:
            connection = sqlite3.connect(
                f"file:{path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False
            )
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        codec.register(connection)
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA foreign_keys = ON")
        if not readonly and not reader:
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
        if reader:
            connection.execute("PRAGMA query_only = 1")
        # 32 MB of page cache for each connection, filled only as pages are read. An 8 MB reader cache made
        # searches over 100k articles ~10-15 % slower (docs/BENCHMARKS.md); there are as many readers as
        # reads run at once (one or two in the TUI), and at most two idle ones are kept.
        connection.execute("PRAGMA cache_size = -32000")
        connection.execute("PRAGMA temp_store = MEMORY")
        version = connection.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise describe_error(path, error) from None
    except OSError as error:
        if _read_only_folder(path.parent):
            raise StoreError("store.read_only", path=path) from None
        raise StoreError("store.cannot_open", path=path, reason=detail(error.strerror or error)) from None
    if version > SCHEMA_VERSION:
        connection.close()
        raise StoreError("store.newer", path=path, version=str(version))
    if version < SCHEMA_VERSION and not readonly and not reader:
        migrate(connection, path, version)
    return connection


def migrate(connection: sqlite3.Connection, path: Path, version: int) -> None:
    try:
        with transaction(connection):
            for step in range(version, SCHEMA_VERSION):
                MIGRATIONS[step](connection)
                connection.execute(f"PRAGMA user_version = {step + 1}")
    except sqlite3.DatabaseError as error:
        raise describe_error(path, error) from None


def _read_only_folder(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY) or not os.access(folder, os.W_OK)
    except OSError:
        return False


def describe_error(path: Path, error: sqlite3.DatabaseError) -> StoreError:
    """The user's error for an SQLite error on ``path``: what happened and what to do."""
    text = str(error).lower()
    if "unable to open" in text and _read_only_folder(path.parent):
        return StoreError("store.read_only", path=path)
    damaged = ("not a database", "malformed", "corrupt", "vtable constructor failed")
    if any(sign in text for sign in damaged):
        return StoreError("store.damaged", path=path, detail=detail(error))
    if "locked" in text or "busy" in text:
        return StoreError("store.locked", path=path)
    if "readonly" in text or "read-only" in text:
        return StoreError("store.read_only", path=path)
    if "disk is full" in text or "full" in text:
        return StoreError("store.disk_full", path=path)
    if "unable to open" in text:
        return StoreError("store.unable_to_open", path=path)
    return StoreError("store.other", path=path, detail=detail(error))


@contextmanager
def transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A write transaction: taken at once (``BEGIN IMMEDIATE``), committed whole or rolled back whole."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        if connection.in_transaction:  # an interrupted statement (a time budget) rolled it back already
            connection.execute("ROLLBACK")
        raise
    else:
        connection.execute("COMMIT")
