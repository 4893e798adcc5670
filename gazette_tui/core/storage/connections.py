"""The connections of one open database: one writer for the whole process, and readers lent to threads.

- **Writes** go through one connection, serialised by a lock, each block one ``BEGIN IMMEDIATE``
  transaction (:func:`.db.transaction`). Other processes (a cron ``refresh``) wait on SQLite's busy timeout.
- **Reads** run on a read connection of their own: WAL lets readers and the writer work at once, so a long
  search in one thread never holds up a mark-as-read in another. A thread borrows a reader for the outermost
  read block (blocks nested in it use the same one), reads one snapshot (``BEGIN`` … ``COMMIT``) and gives it
  back; idle readers are kept for the next block, so their page caches stay warm. They are opened lazily by
  :func:`.db.connect`, like the writer (same pragmas, same file modes), with ``query_only`` set.
- A read inside this thread's write transaction uses the writer: it sees what the transaction wrote.
- Without WAL (a file system that cannot share memory), reads go through the writer, one at a time.
- :meth:`Connections.close` waits for the readers lent out, then closes every connection.

SQLite errors leave as :class:`StoreError` with the user's sentence (:func:`.db.describe_error`).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gazette_tui.core.storage import db
from gazette_tui.errors import StoreError

MAX_IDLE_READERS = 2
CLOSE_WAIT = 30.0
"""Seconds :meth:`Connections.close` waits for reads running in other threads before closing anyway."""

log = logging.getLogger(__name__)
"""Readers kept open between reads; more are opened when more threads read at once, and closed after."""


class _Local(threading.local):
    reader: sqlite3.Connection | None = None
    writing: bool = False


class Connections:
    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        self.readonly = readonly
        self.writer = db.connect(path, readonly=readonly)
        """Opened first: it sets WAL mode and migrates the file before any reader opens it."""
        self._write_lock = threading.RLock()
        mode = str(self.writer.execute("PRAGMA journal_mode").fetchone()[0]).lower()
        self._shared = not readonly and mode != "wal"
        """Without WAL (a file system that cannot share memory), a reader would hold the writer up and be held
        up by it: reads then go through the writer, under its lock, one at a time."""
        self._pool_lock = threading.Lock()
        self._returned = threading.Condition(self._pool_lock)
        """Notified when a reader comes back after :meth:`close` began (it waits for them)."""
        self._idle: list[sqlite3.Connection] = []
        self._lent = 0
        self._closed = False
        self._local = _Local()

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A connection to read with, for the block: this thread's own reader, one snapshot."""
        local = self._local
        if local.writing:  # inside this thread's write transaction (errors are mapped by it)
            yield self.writer
            return
        if local.reader is not None:  # nested in this thread's read block: same reader, same snapshot
            yield local.reader
            return
        if self._shared:
            with self._write_lock:
                if self._closed:
                    raise self._closed_error()
                local.reader = self.writer  # reads nested in this one use it too
                try:
                    yield self.writer
                except sqlite3.DatabaseError as error:
                    raise db.describe_error(self.path, error) from None
                finally:
                    local.reader = None
            return
        connection = self._borrow()
        local.reader = connection
        reusable = False
        try:
            try:
                connection.execute("BEGIN")
                yield connection
            finally:
                reusable = _end_read(connection)
        except sqlite3.DatabaseError as error:
            raise db.describe_error(self.path, error) from None
        finally:
            local.reader = None
            self._give_back(connection, reusable)

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """The writer inside one write transaction, for the block; a nested block joins it."""
        local = self._local
        if local.writing:
            yield self.writer
            return
        with self._write_lock:
            if self._closed:
                raise self._closed_error()
            local.writing = True
            try:
                with db.transaction(self.writer) as connection:
                    yield connection
            except sqlite3.DatabaseError as error:
                raise db.describe_error(self.path, error) from None
            finally:
                local.writing = False

    @contextmanager
    def exclusive(self) -> Iterator[sqlite3.Connection]:
        """The writer, outside any transaction, with no other write of this process meanwhile (backup)."""
        with self._write_lock:
            if self._closed:
                raise self._closed_error()
            yield self.writer

    def close(self) -> None:
        """Close every connection, once the readers lent to other threads are back and the write under way
        (if any) is done. Reads and writes that start meanwhile fail as on a closed connection."""
        lent = self._local.reader is not None and self._local.reader is not self.writer
        own = 1 if lent else 0  # this thread's own reader, closed when given back
        with self._pool_lock:
            self._closed = True
            if not self._returned.wait_for(lambda: self._lent <= own, timeout=CLOSE_WAIT):
                log.warning("closing %s with %d read(s) still running", self.path, self._lent - own)
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()
        with self._write_lock:
            self.writer.close()

    def _closed_error(self) -> StoreError:
        """What a read or write after :meth:`close` raises: the store's own error, which every caller
        (the refresh's writer task, the cycle, the faces) already handles."""
        return StoreError("store.closed", path=self.path)

    def _borrow(self) -> sqlite3.Connection:
        with self._pool_lock:
            if self._closed:
                raise self._closed_error()
            self._lent += 1
            if self._idle:
                return self._idle.pop()
        try:
            return db.connect(self.path, readonly=self.readonly, reader=True)
        except BaseException:
            self._give_back(None, False)
            raise

    def _give_back(self, connection: sqlite3.Connection | None, reusable: bool) -> None:
        with self._pool_lock:
            self._lent -= 1
            if self._closed:
                self._returned.notify_all()
            elif connection is not None and reusable and len(self._idle) < MAX_IDLE_READERS:
                self._idle.append(connection)
                connection = None
        if connection is not None:
            connection.close()


def _end_read(connection: sqlite3.Connection) -> bool:
    """End the block's read transaction; False when the connection is in a state not worth keeping."""
    try:
        connection.execute("COMMIT")
    except sqlite3.Error:
        if not connection.in_transaction:
            return True  # an error in the block ended it already
        try:
            connection.execute("ROLLBACK")
        except sqlite3.Error:
            return False
    return True
