"""Small values kept in the database (table ``meta``): the article id counter, ``seeded``, a demo site's
address, the full-text fetch failures, the feeds' credential marks…"""

from __future__ import annotations

from gazette_tui.core.storage.connections import Connections


class MetaRepository:
    def __init__(self, connections: Connections) -> None:
        self._db = connections

    def get(self, key: str) -> str | None:
        with self._db.read() as c:
            row = c.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set(self, key: str, value: str) -> None:
        with self._db.write() as c:
            c.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))
