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
from gazette_tui.errors import GazetteError, StoreError

BUSY_TIMEOUT_MS = 15_000

RESTORE_HINT = (
    "Lancez « gazette-tui repair » : il met ce fichier de côté sans le modifier et reconstruit la base avec "
    "tout ce qui est encore lisible (abonnements, dossiers, notes, lu/favori d'abord). Ou restaurez une "
    "sauvegarde (gazette-tui backup) en la copiant à la place de ce fichier."
)


def now() -> int:
    return int(time.time())


class NameTaken(GazetteError):
    """A dossier or an alerte already has this name (the features say it in their own words)."""


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
        raise StoreError(describe_error(path, error)) from None
    except OSError as error:
        if _read_only_folder(path.parent):
            raise StoreError(_read_only_message(path)) from None
        raise StoreError(f"Impossible d'ouvrir {path} : {error.strerror or error}.") from None
    if version > SCHEMA_VERSION:
        connection.close()
        raise StoreError(
            f"{path} a été créé par une version plus récente de gazette-tui (schéma {version}) ; "
            "mettez gazette-tui à jour."
        )
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
        raise StoreError(describe_error(path, error)) from None


def _read_only_folder(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY) or not os.access(folder, os.W_OK)
    except OSError:
        return False


def _read_only_message(path: Path) -> str:
    return f"La base {path} est en lecture seule (dossier ou disque non inscriptible) ; rien n'a été modifié."


def describe_error(path: Path, error: sqlite3.DatabaseError) -> str:
    """The user's sentence for an SQLite error on ``path``: what happened and what to do."""
    text = str(error).lower()
    if "unable to open" in text and _read_only_folder(path.parent):
        return _read_only_message(path)
    damaged = ("not a database", "malformed", "corrupt", "vtable constructor failed")
    if any(sign in text for sign in damaged):
        return f"La base {path} est endommagée ({error}). {RESTORE_HINT}"
    if "locked" in text or "busy" in text:
        return f"La base {path} est verrouillée par un autre programme ; réessayez."
    if "readonly" in text or "read-only" in text:
        return _read_only_message(path)
    if "disk is full" in text or "full" in text:
        return f"Le disque est plein : {path} n'a pas pu être écrit ; rien n'a été perdu."
    if "unable to open" in text:
        return f"Impossible d'ouvrir {path} : vérifiez que le dossier existe et est accessible."
    return f"Erreur de la base {path} : {error}."


@contextmanager
def transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A write transaction: taken at once (``BEGIN IMMEDIATE``), committed whole or rolled back whole."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    else:
        connection.execute("COMMIT")
