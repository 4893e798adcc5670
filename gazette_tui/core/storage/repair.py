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
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import quote as url_quote

from gazette_tui.core.files import reason, write_atomic
from gazette_tui.core.storage import db, lock, salvage
from gazette_tui.errors import GazetteError, StoreError

PAUSE_ENV = "GAZETTE_TUI_REPAIR_PAUSE"
STEPS = ("salvage", "checked", "journal", "kept", "unlinked", "swapped")
"""Where a drill can stop a repair: mid-salvage (user data copied, the cache not yet), the new file checked
and fsynced, the journal written, the original kept under its backup name, its WAL taken away, the new file in
place (the journal not yet removed)."""
BACKUP_INFIX = ".endommagee-"
TEMP_INFIX = ".reparation-"
# Beside a database, what belongs to it: kept with the backup, and never left beside the new file.
KEPT_SIDES = ("-wal", "-journal")
DROPPED_SIDES = ("-shm",)

clock: Callable[[], datetime] = datetime.now  # tests freeze it to make two repairs in the same microsecond


@dataclass
class RepairReport:
    kept_as: Path
    """The damaged file, set aside unchanged."""
    rows: dict[str, int] = field(default_factory=dict)
    """Rows in the repaired database, per table."""
    lost_ranges: dict[str, int] = field(default_factory=dict)
    """Unreadable places per table (a page and its rows, or one row)."""
    rejected: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)
    rebuilt: dict[str, int] = field(default_factory=dict)
    lost_feeds: list[str] = field(default_factory=list)
    readable: bool = True


def pause(step: str) -> None:
    if os.environ.get(PAUSE_ENV) == step:
        sys.stderr.write(f"repair: pause {step}\n")
        sys.stderr.flush()
        time.sleep(3600)


def repair(path: Path, *, force: bool = False) -> RepairReport:
    """Rebuild ``path`` from what can be read of it; see the module docstring. Raises :class:`StoreError`
    (one sentence, the database unchanged) when it is in use, healthy (without ``force``) or cannot be
    rebuilt."""
    if not path.exists() and not lock.journal_path(path).exists():
        raise StoreError(f"Aucune base à réparer : {path} n'existe pas.")
    with lock.hold_exclusive(path):
        finish_interrupted_repair(path)
        real = Path(os.path.realpath(path))
        _remove_leftovers(real)
        temp = _new_temp(real)
        try:
            report = _rebuild(real, temp, force=force)
            _fsync(temp)
            pause("checked")
        except BaseException as error:
            _discard(temp)
            if isinstance(error, sqlite3.Error | OSError):
                raise StoreError(
                    f"La réparation de {path} a échoué ({reason(error, temp)}) ; "
                    "la base n'a pas été modifiée."
                ) from None
            raise
        backup = _backup_name(real)
        try:
            write_atomic(
                lock.journal_path(path),
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
        return db.SCHEMA_VERSION
    if version > db.SCHEMA_VERSION:
        raise StoreError(
            f"{real} a été créé par une version plus récente de gazette-tui (schéma {version}) ; "
            "mettez gazette-tui à jour avant de le réparer."
        )
    return version if version >= 1 else db.SCHEMA_VERSION


def _rebuild(real: Path, temp: Path, *, force: bool) -> RepairReport:
    source = _open_source(real)
    try:
        healthy = _healthy(source)
        if healthy and not force:
            raise StoreError(
                f"La base {real} est saine (contrôle d'intégrité sans erreur) : rien à réparer ; "
                "« gazette-tui repair --force » la reconstruit quand même."
            )
        version = _version(source, real)
        target = sqlite3.connect(temp, isolation_level=None)
        try:
            found = _fill(source, target, temp, version)
            if healthy:
                _same_as(source, found)
        finally:
            target.close()
    finally:
        source.close()
    return RepairReport(
        kept_as=real, rows=_counts(temp), lost_ranges=found.lost_ranges, rejected=found.rejected,
        removed=found.removed, rebuilt=found.rebuilt, lost_feeds=found.lost_feeds, readable=found.readable,
    )  # fmt: skip


def _fill(
    source: sqlite3.Connection, target: sqlite3.Connection, temp: Path, version: int
) -> salvage.Salvage:
    target.execute("PRAGMA journal_mode = DELETE")  # one self-contained file to swap in
    target.execute("PRAGMA synchronous = OFF")  # the whole file is fsynced once it is checked
    target.execute("PRAGMA foreign_keys = OFF")  # orphans are settled in one pass, after the copy
    with db.transaction(target):
        for step in range(version):
            db.MIGRATIONS[step](target)
        target.execute(f"PRAGMA user_version = {version}")
        tables = salvage.copied_tables(target)
        for table in tables:  # a migration may seed rows (a counter in meta): the copy brings the real ones
            target.execute(f"DELETE FROM {salvage.quote(table)}")
    found = salvage.Salvage()
    with db.transaction(target):
        salvage.salvage_all(source, target, tables, found, before_cache=lambda: pause("salvage"))
        salvage.settle(source, target, found)
        _check_counts(target, tables, found)
    target.execute("PRAGMA foreign_keys = ON")  # as db.connect migrates
    if version < db.SCHEMA_VERSION:
        db.migrate(target, temp, version)
    with db.transaction(target):
        salvage.keep_ids_unique(source, target)
        indexed = salvage.rebuild_index(target)
    _verify(target, indexed)
    return found


def _check_counts(target: sqlite3.Connection, tables: list[str], found: salvage.Salvage) -> None:
    """Each table holds what was written, plus the stand-ins, minus the orphans settled: nothing vanished."""
    for table in tables:
        expected = found.written.get(table, 0) + found.rebuilt.get(table, 0) - found.removed.get(table, 0)
        actual = target.execute(f"SELECT count(*) FROM {salvage.quote(table)}").fetchone()[0]
        if actual != expected:
            raise sqlite3.DatabaseError(f"{table} : {actual} lignes au lieu de {expected}")


def _same_as(source: sqlite3.Connection, found: salvage.Salvage) -> None:
    """A healthy file (``force``): every row of every table must have been read and written."""
    for table, read in found.read.items():
        try:
            count = source.execute(f"SELECT count(*) FROM {salvage.quote(table)}").fetchone()[0]
        except sqlite3.OperationalError:
            continue  # added by a later version than the file's
        if count != read or found.written.get(table, 0) != read:
            raise sqlite3.DatabaseError(f"{table} : {read} lignes lues sur {count}")


def _verify(target: sqlite3.Connection, indexed: int) -> None:
    if target.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
        raise sqlite3.DatabaseError("la nouvelle base ne passe pas le contrôle d'intégrité")
    if target.execute("PRAGMA foreign_key_check").fetchone() is not None:
        raise sqlite3.DatabaseError("des liens entre tables restent rompus")
    if target.execute(f"SELECT 1 FROM sqlite_master WHERE name = '{salvage.INDEX}'").fetchone():
        target.execute(f"INSERT INTO {salvage.INDEX} ({salvage.INDEX}) VALUES ('integrity-check')")
        articles = target.execute("SELECT count(*) FROM articles").fetchone()[0]
        if indexed != articles:
            raise sqlite3.DatabaseError(f"index de recherche : {indexed} articles sur {articles}")


def _counts(path: Path) -> dict[str, int]:
    with contextlib.closing(sqlite3.connect(f"file:{url_quote(str(path))}?mode=ro", uri=True)) as c:
        return {t: c.execute(f"SELECT count(*) FROM {salvage.quote(t)}").fetchone()[0]
                for t in salvage.copied_tables(c)}  # fmt: skip


# -- files -----------------------------------------------------------------------------------------


def _side(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


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
            raise StoreError(
                f"La réparation ne peut pas écrire à côté de {real} ({reason(error, temp)}) ; "
                "la base n'a pas été modifiée."
            ) from None
        return temp
    raise AssertionError("unreachable")


def _discard(temp: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            _side(temp, suffix).unlink()


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
        if not any(os.path.lexists(_side(candidate, s)) for s in ("", *KEPT_SIDES, *DROPPED_SIDES)):
            return candidate
    raise AssertionError("unreachable")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not possible everywhere (Windows, some network file systems)
        _fsync(folder)


def _keep(source: Path, kept: Path) -> None:
    """``kept`` becomes the file ``source`` is now: a hard link (never replaces anything), or a copy where
    links are not possible. Already there: an interrupted swap did it (the name was free when chosen)."""
    if os.path.lexists(kept):
        return
    try:
        os.link(source, kept, follow_symlinks=False)
        return
    except FileExistsError:
        return
    except OSError:
        pass  # no hard links on this file system (FAT, some network shares): copy
    partial = _side(kept, ".part")
    with contextlib.suppress(FileNotFoundError):
        partial.unlink()
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    with os.fdopen(fd, "wb") as out, source.open("rb") as original:
        shutil.copyfileobj(original, out)
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, kept)


@contextlib.contextmanager
def _swap_errors(path: Path) -> Iterator[None]:
    try:
        yield
    except OSError as error:
        raise StoreError(
            f"La réparation de {path} n'a pas pu remplacer le fichier ({reason(error, path)}) ; elle sera "
            "terminée à la prochaine ouverture de la base."
        ) from None


def finish_interrupted_repair(path: Path) -> Path | None:
    """Finish the swap a repair's journal describes, if there is one; returns the backup's path.

    Call with the exclusive lock held (or where there is no lock). Each step can be done again: the
    original is kept (link) before its WAL goes, and the new file replaces it last."""
    journal = lock.journal_path(path)
    try:
        entry = json.loads(journal.read_text("utf-8"))
        real, temp, backup = (Path(entry[k]) for k in ("database", "temp", "backup"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        raise StoreError(
            f"Le journal de réparation {journal} est illisible : déplacez-le, puis relancez "
            "« gazette-tui repair »."
        ) from None
    for other in (temp, backup):
        if other.parent != real.parent or not other.name.startswith(real.name + "."):
            raise StoreError(f"Le journal de réparation {journal} ne décrit pas {path} : déplacez-le.")
    with _swap_errors(path):
        if temp.exists():
            if real.exists():
                _keep(real, backup)
                for suffix in KEPT_SIDES:
                    if _side(real, suffix).exists():
                        _keep(_side(real, suffix), _side(backup, suffix))
                _fsync_folder(real.parent)
            pause("kept")
            for suffix in KEPT_SIDES + DROPPED_SIDES:
                with contextlib.suppress(FileNotFoundError):
                    _side(real, suffix).unlink()
            pause("unlinked")
            os.replace(temp, real)
            _fsync_folder(real.parent)
            pause("swapped")
        journal.unlink()
        _fsync_folder(journal.parent)
    return backup
