"""Rebuilding a damaged database without ever putting less than the user had in its place.

1. **Alone.** Repair takes the database's lock exclusive (:mod:`lock`): while the TUI, a refresh or any
   command has the file open, it refuses with one sentence, and nothing opens the file while it runs.
2. **Only when needed.** A file that passes ``PRAGMA integrity_check`` is left alone unless ``force``.
3. **Into a new file.** The damaged file is opened read-only (with its WAL) and salvaged row by row
   (:mod:`salvage`) into a temporary file in the same folder, built by the real migrations up to the damaged
   file's own schema version, then migrated forward like any old file.
4. **Checked.** Counts against what was read, ``integrity_check``, foreign keys, the search index's own
   check; then the file is fsynced. Any failure removes it and leaves the original as it was.
5. **Swapped by a journal.** ``gazette.db.reparation-en-cours`` names the new file and the backup name; then
   the original is kept under that name (a hard link: no copy, never modified, with its WAL), its WAL taken
   away, and the new file renamed over it. A ``kill -9`` anywhere leaves the original in place, or the
   journal, which the next open of the database (any Store) or repair finishes before reading.

Backup names carry the time to the microsecond plus a counter, and a hard link never replaces a file: two
repairs in the same second keep both originals.

``GAZETTE_TUI_REPAIR_PAUSE=STEP`` (tests only) makes repair stop for an hour at ``STEP`` (see :data:`STEPS`),
so that a drill can ``kill -9`` it exactly there.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import quote as url_quote

from gazette_tui.core.files import reason, remove_temporaries_of, write_atomic
from gazette_tui.core.storage import codec, db, lock, salvage, schema
from gazette_tui.core.storage.journal import (
    DROPPED_SIDES,
    KEPT_SIDES,
    finish_interrupted_repair,
    fsync,
    journal_path,
    pause,
    side,
)
from gazette_tui.core.storage.journal import (
    PAUSE_ENV as PAUSE_ENV,  # the drills set it (tests/e2e/test_repair.py)
)
from gazette_tui.errors import GazetteError, StoreError

STEPS = ("salvage", "checked", "journal", "kept", "unlinked", "swapped")
"""Where a drill can stop a repair: mid-salvage (user data copied, the cache not yet), the new file checked
and fsynced, the journal written, the original kept under its backup name, its WAL taken away, the new file in
place (the journal not yet removed)."""
BACKUP_INFIX = ".endommagee-"
TEMP_INFIX = ".reparation-"

clock: Callable[[], datetime] = datetime.now  # tests freeze it to make two repairs in the same microsecond


class _Unsound(StoreError):
    """The rebuilt file fails a check (a count, the integrity check, the index): the repair is abandoned."""


@dataclass
class RepairReport(salvage.Salvage):
    """What a repair did: the salvage's counters (what was read, written, lost, rejected, removed, rebuilt),
    where the damaged file was set aside, and what the new file holds."""

    kept_as: Path = Path()
    """The damaged file, set aside unchanged."""
    rows: dict[str, int] = field(default_factory=dict)
    """Rows in the repaired database, per table."""


def repair(path: Path, *, force: bool = False) -> RepairReport:
    """Rebuild ``path`` from what can be read of it; see the module docstring. Raises :class:`StoreError`
    (one sentence, the database unchanged) when it is in use, healthy (without ``force``) or cannot be
    rebuilt."""
    if not path.exists() and not journal_path(path).exists():
        raise StoreError("repair.nothing", path=path)
    with lock.hold_exclusive(path):
        finish_interrupted_repair(path)
        real = Path(os.path.realpath(path))
        _remove_leftovers(real)
        remove_temporaries_of(journal_path(path))  # a kill while the journal was being staged
        temp = _new_temp(real)
        try:
            report = _rebuild(real, temp, force=force)
            fsync(temp)
            pause("checked")
        except BaseException as error:
            _discard(temp)
            if isinstance(error, sqlite3.Error | OSError | _Unsound):
                raise StoreError("repair.failed", path=path, reason=reason(error, temp)) from None
            raise
        backup = _backup_name(real)
        try:
            write_atomic(
                journal_path(path),
                json.dumps({"database": str(real), "temp": str(temp), "backup": str(backup)}),
            )
        except GazetteError:
            _discard(temp)
            raise
        pause("journal")
        report.kept_as = finish_interrupted_repair(path) or backup
    return report


# -- the salvage -----------------------------------------------------------------------------------


def _open_source(real: Path) -> sqlite3.Connection:
    source = sqlite3.connect(f"file:{url_quote(str(real))}?mode=ro", uri=True, isolation_level=None)
    codec.register(source)
    for pragma in ("query_only = 1", "cell_size_check = 1"):  # catch more damage as errors, not garbage
        with contextlib.suppress(sqlite3.DatabaseError):
            source.execute(f"PRAGMA {pragma}")
    return source


def _healthy(source: sqlite3.Connection) -> bool:
    try:
        return source.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    except sqlite3.DatabaseError:
        return False


def _version(source: sqlite3.Connection, real: Path) -> int:
    """The damaged file's schema version, or the current one when it cannot be read."""
    try:
        version = int(source.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.DatabaseError:
        return schema.SCHEMA_VERSION
    if version > schema.SCHEMA_VERSION:
        raise StoreError("repair.newer", path=real, version=str(version))
    return version if version >= 1 else schema.SCHEMA_VERSION


def _rebuild(real: Path, temp: Path, *, force: bool) -> RepairReport:
    source = _open_source(real)
    try:
        healthy = _healthy(source)
        if healthy and not force:
            raise StoreError("repair.healthy", path=real)
        version = _version(source, real)
        target = sqlite3.connect(temp, isolation_level=None)
        codec.register(target)
        report = RepairReport(kept_as=real)
        try:
            _fill(source, target, temp, version, report)
            if healthy:
                _same_as(source, report)
        finally:
            target.close()
    finally:
        source.close()
    report.rows = _counts(temp)
    return report


def _fill(
    source: sqlite3.Connection, target: sqlite3.Connection, temp: Path, version: int, found: salvage.Salvage
) -> None:
    target.execute("PRAGMA journal_mode = DELETE")  # one self-contained file to swap in
    target.execute("PRAGMA synchronous = OFF")  # the whole file is fsynced once it is checked
    target.execute("PRAGMA foreign_keys = OFF")  # orphans are settled in one pass, after the copy
    with db.transaction(target):
        for step in range(version):
            schema.MIGRATIONS[step](target)
        target.execute(f"PRAGMA user_version = {version}")
        tables = salvage.copied_tables(target)
        for table in tables:  # a migration may seed rows (a counter in meta): the copy brings the real ones
            target.execute(f"DELETE FROM {salvage.quote(table)}")
    with db.transaction(target):
        salvage.salvage_all(source, target, tables, found, before_cache=lambda: pause("salvage"))
        salvage.settle(source, target, found)
        _check_counts(target, tables, found)
    target.execute("PRAGMA foreign_keys = ON")  # as db.connect migrates
    if version < schema.SCHEMA_VERSION:
        db.migrate(target, temp, version)
    with db.transaction(target):
        salvage.keep_ids_unique(source, target)
        indexed = salvage.rebuild_index(target)
    _verify(target, indexed)


def _check_counts(target: sqlite3.Connection, tables: list[str], found: salvage.Salvage) -> None:
    """Each table holds what was written, plus the stand-ins, minus the orphans settled: nothing vanished."""
    for table in tables:
        expected = found.written.get(table, 0) + found.rebuilt.get(table, 0) - found.removed.get(table, 0)
        actual = target.execute(f"SELECT count(*) FROM {salvage.quote(table)}").fetchone()[0]
        if actual != expected:
            raise _Unsound("repair.rows_missing", table=table, actual=actual, expected=expected)


def _same_as(source: sqlite3.Connection, found: salvage.Salvage) -> None:
    """A healthy file (``force``): every row of every table must have been read and written."""
    for table, read in found.read.items():
        try:
            count = source.execute(f"SELECT count(*) FROM {salvage.quote(table)}").fetchone()[0]
        except sqlite3.OperationalError:
            continue  # added by a later version than the file's
        if count != read or found.written.get(table, 0) != read:
            raise _Unsound("repair.rows_unread", table=table, read=read, count=count)


def _verify(target: sqlite3.Connection, indexed: int) -> None:
    if target.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
        raise _Unsound("repair.integrity")
    if target.execute("PRAGMA foreign_key_check").fetchone() is not None:
        raise _Unsound("repair.broken_links")
    if target.execute(f"SELECT 1 FROM sqlite_master WHERE name = '{salvage.INDEX}'").fetchone():
        target.execute(f"INSERT INTO {salvage.INDEX} ({salvage.INDEX}) VALUES ('integrity-check')")
        articles = target.execute("SELECT count(*) FROM articles").fetchone()[0]
        if indexed != articles:
            raise _Unsound("repair.index", indexed=indexed, articles=articles)


def _counts(path: Path) -> dict[str, int]:
    with contextlib.closing(sqlite3.connect(f"file:{url_quote(str(path))}?mode=ro", uri=True)) as c:
        return {t: c.execute(f"SELECT count(*) FROM {salvage.quote(t)}").fetchone()[0]
                for t in salvage.copied_tables(c)}  # fmt: skip


# -- files -----------------------------------------------------------------------------------------


def _new_temp(real: Path) -> Path:
    stamp = clock().strftime("%Y%m%d-%H%M%S-%f")
    for n in itertools.count(1):
        temp = real.with_name(f"{real.name}{TEMP_INFIX}{stamp}-{os.getpid()}-{n}.tmp")
        try:
            os.close(
                os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
            )
        except FileExistsError:
            continue
        except OSError as error:
            raise StoreError("repair.cannot_write", path=real, reason=reason(error, temp)) from None
        return temp
    raise AssertionError("unreachable")


def _discard(temp: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            side(temp, suffix).unlink()


def _remove_leftovers(real: Path) -> None:
    """Temporary files of repairs killed before their journal (under the exclusive lock: none is live)."""
    prefix = real.name + TEMP_INFIX
    with contextlib.suppress(OSError):
        for name in os.listdir(real.parent):
            if name.startswith(prefix) and ".tmp" in name[len(prefix) :]:
                with contextlib.suppress(OSError):
                    (real.parent / name).unlink()


def _backup_name(real: Path) -> Path:
    """A name nothing uses, nor its side files: the time to the microsecond, then a counter."""
    base = f"{real.name}{BACKUP_INFIX}{clock().strftime('%Y%m%d-%H%M%S-%f')}"
    for n in itertools.count(1):
        candidate = real.with_name(base if n == 1 else f"{base}-{n}")
        if not any(os.path.lexists(side(candidate, s)) for s in ("", *KEPT_SIDES, *DROPPED_SIDES)):
            return candidate
    raise AssertionError("unreachable")
