"""Alertes (table ``saved_searches``): saved queries and their two watermarks, ``last_seen`` and
``announced``, both article ids (``core/search/alerts.py`` says what they mean).

Names are found ignoring case for every letter (``casefold``): SQLite's ``NOCASE`` only folds ASCII.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import NamedTuple

from gazette_tui.core.storage.articles import last_article_id
from gazette_tui.core.storage.connections import Connections
from gazette_tui.core.storage.db import NameTaken
from gazette_tui.errors import NotFoundError
from gazette_tui.text import clean_line


class AlertRecord(NamedTuple):
    id: int
    name: str
    query: str
    created: int
    last_seen: int


def _rows(c: sqlite3.Connection, order: str = "") -> list[AlertRecord]:
    return [
        AlertRecord(int(r[0]), str(r[1]), str(r[2]), int(r[3]), int(r[4]))
        for r in c.execute(f"SELECT id, name, query, created, last_seen FROM saved_searches{order}")
    ]


def _find(c: sqlite3.Connection, name: str) -> AlertRecord:
    wanted = clean_line(name).casefold()
    for row in _rows(c):
        if row.name.casefold() == wanted:
            return row
    raise NotFoundError("alert.not_found", name=clean_line(name))


def _check_free(c: sqlite3.Connection, name: str, alert_id: int | None = None) -> None:
    if any(row.name.casefold() == name.casefold() and row.id != alert_id for row in _rows(c)):
        raise NameTaken(name)


class AlertRepository:
    def __init__(self, connections: Connections) -> None:
        self._db = connections

    def any(self) -> bool:
        with self._db.read() as c:
            return c.execute("SELECT 1 FROM saved_searches LIMIT 1").fetchone() is not None

    def all(self) -> list[AlertRecord]:
        """Every alerte, by name."""
        with self._db.read() as c:
            return _rows(c, " ORDER BY name COLLATE NOCASE")

    def find(self, name: str) -> AlertRecord:
        """The alerte called ``name``; raises :class:`NotFoundError`."""
        with self._db.read() as c:
            return _find(c, name)

    def add(self, name: str, query: str, created: int) -> tuple[int, int]:
        """Save an alerte, seen up to the newest article; returns (id, last_seen). Raises
        :class:`NameTaken`."""
        with self._db.write() as c:
            _check_free(c, name)
            seen = last_article_id(c)
            try:
                cursor = c.execute(
                    "INSERT INTO saved_searches (name, query, created, last_seen, announced) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (name, query, created, seen, seen),
                )
            except sqlite3.IntegrityError:
                raise NameTaken(name) from None
            return int(cursor.lastrowid or 0), seen

    def rename(self, name: str, new_name: str) -> None:
        """Raises :class:`NotFoundError` or :class:`NameTaken`."""
        with self._db.write() as c:
            alert_id = _find(c, name).id
            _check_free(c, new_name, alert_id)
            try:
                c.execute("UPDATE saved_searches SET name = ? WHERE id = ?", (new_name, alert_id))
            except sqlite3.IntegrityError:
                raise NameTaken(new_name) from None

    def delete(self, name: str) -> None:
        with self._db.write() as c:
            c.execute("DELETE FROM saved_searches WHERE id = ?", (_find(c, name).id,))

    def mark_seen(self, name: str | None = None) -> None:
        """Seen up to the newest article: the alerte ``name``, or every alerte for None."""
        with self._db.write() as c:
            seen = last_article_id(c)
            if name is None:
                c.execute("UPDATE saved_searches SET last_seen = ?", (seen,))
            else:
                c.execute("UPDATE saved_searches SET last_seen = ? WHERE id = ?", (seen, _find(c, name).id))

    def announce(self, count: Callable[[str, int], int | None]) -> dict[str, int]:
        """Move every alerte's ``announced`` watermark to the newest article, in one write transaction, and
        return the alertes with matches above their baseline (the later of ``last_seen`` and ``announced``).

        ``count(query, baseline)`` counts them (it reads inside this transaction, so it sees the same
        articles); None means the query no longer runs: that alerte is left as it is."""
        found: dict[str, int] = {}
        with self._db.write() as c:
            high = last_article_id(c)
            rows = c.execute(
                "SELECT id, name, query, MAX(last_seen, announced) FROM saved_searches WHERE announced < ?",
                (high,),
            ).fetchall()
            moved: list[tuple[int, int]] = []
            for alert_id, name, query, baseline in rows:
                new = count(query, baseline)
                if new is None:
                    continue
                if new:
                    found[name] = new
                moved.append((high, alert_id))
            c.executemany("UPDATE saved_searches SET announced = ? WHERE id = ?", moved)
        return found
