"""The journal of a repair's file swap, and finishing a swap that was interrupted.

``repair`` writes ``gazette.db.reparation-en-cours`` (the new file, the backup name) just before it swaps
files; :func:`finish_interrupted_repair` does the swap, step by step, each step safe to do again. Whoever
opens the database next (any :class:`~gazette_tui.core.storage.store.Store`, through :mod:`.lock`) finishes a
swap that a ``kill -9`` left half done, before reading anything. See :mod:`.repair`.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from gazette_tui.core.files import reason
from gazette_tui.errors import StoreError

PAUSE_ENV = "GAZETTE_TUI_REPAIR_PAUSE"
"""``GAZETTE_TUI_REPAIR_PAUSE=STEP`` (tests only) stops a repair for an hour at ``STEP``
(``repair.STEPS``)."""
# Beside a database, what belongs to it: kept with the backup, and never left beside the new file.
KEPT_SIDES = ("-wal", "-journal")
DROPPED_SIDES = ("-shm",)


def journal_path(database: Path) -> Path:
    """Written by repair just before it swaps files, removed once the swap is whole."""
    return database.with_name(database.name + ".reparation-en-cours")


def pause(step: str) -> None:
    if os.environ.get(PAUSE_ENV) == step:
        sys.stderr.write(f"repair: pause {step}\n")
        sys.stderr.flush()
        time.sleep(3600)


def side(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not possible everywhere (Windows, some network file systems)
        fsync(folder)


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
    partial = side(kept, ".part")
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
        raise StoreError("repair.swap_failed", path=path, reason=reason(error, path)) from None


def finish_interrupted_repair(path: Path) -> Path | None:
    """Finish the swap a repair's journal describes, if there is one; returns the backup's path.

    Call with the exclusive lock held (or where there is no lock). Each step can be done again: the
    original is kept (link) before its WAL goes, and the new file replaces it last."""
    journal = journal_path(path)
    try:
        entry = json.loads(journal.read_text("utf-8"))
        real, temp, backup = (Path(entry[k]) for k in ("database", "temp", "backup"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        raise StoreError("repair.journal_unreadable", journal=journal) from None
    for other in (temp, backup):
        if other.parent != real.parent or not other.name.startswith(real.name + "."):
            raise StoreError("repair.journal_mismatch", journal=journal, path=path)
    with _swap_errors(path):
        if temp.exists():
            if real.exists():
                _keep(real, backup)
                for suffix in KEPT_SIDES:
                    if side(real, suffix).exists():
                        _keep(side(real, suffix), side(backup, suffix))
                _fsync_folder(real.parent)
            pause("kept")
            for suffix in KEPT_SIDES + DROPPED_SIDES:
                with contextlib.suppress(FileNotFoundError):
                    side(real, suffix).unlink()
            pause("unlinked")
            os.replace(temp, real)
            _fsync_folder(real.parent)
            pause("swapped")
        journal.unlink()
        _fsync_folder(journal.parent)
    return backup
