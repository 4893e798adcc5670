"""Dossiers (tables ``dossiers`` and ``dossier_items``): the reader's collections and their notes.

Names are unique ignoring ASCII case (``COLLATE NOCASE``); ``core/library/dossiers.py`` checks and cleans
them, and says the errors in its own words (:class:`NameTaken`). An article in a dossier is never pruned
nor deleted with its feed (:mod:`.articles`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from gazette_tui.core.storage.connections import Connections
from gazette_tui.core.storage.db import NameTaken
from gazette_tui.errors import NotFoundError


class DossierRecord(NamedTuple):
    id: int
    name: str
    description: str
    created: int
    updated: int
    size: int
    """Articles in it."""


class ItemRecord(NamedTuple):
    article_id: int
    added: int
    note: str
    feed_removed: bool
    """The article's feed was unsubscribed (the article stays, detached)."""


_SELECT = (
    "SELECT d.id, d.name, d.description, d.created, d.updated, "
    "(SELECT COUNT(*) FROM dossier_items i WHERE i.dossier_id = d.id) FROM dossiers d"
)


class DossierRepository:
    def __init__(self, connections: Connections) -> None:
        self._db = connections

    def all(self) -> list[DossierRecord]:
        """Every dossier, most recently changed first."""
        with self._db.read() as c:
            return [DossierRecord(*r) for r in c.execute(f"{_SELECT} ORDER BY d.updated DESC, d.name")]

    def get(self, dossier_id: int) -> DossierRecord | None:
        with self._db.read() as c:
            row = c.execute(f"{_SELECT} WHERE d.id = ?", (dossier_id,)).fetchone()
        return DossierRecord(*row) if row else None

    def find(self, name: str) -> DossierRecord | None:
        """The dossier called ``name`` (ASCII case ignored)."""
        with self._db.read() as c:
            row = c.execute(f"{_SELECT} WHERE d.name = ?", (name,)).fetchone()
        return DossierRecord(*row) if row else None

    def create(self, name: str, description: str, when: int) -> int:
        """A new dossier; its id. Raises :class:`NameTaken`."""
        with self._db.write() as c:
            if c.execute("SELECT 1 FROM dossiers WHERE name = ?", (name,)).fetchone():
                raise NameTaken(name)
            cursor = c.execute(
                "INSERT INTO dossiers (name, description, created, updated) VALUES (?, ?, ?, ?)",
                (name, description, when, when),
            )
            return int(cursor.lastrowid or 0)

    def rename(self, dossier_id: int, name: str, when: int) -> None:
        """Raises :class:`NameTaken`, or :class:`NotFoundError` when the dossier is gone."""
        with self._db.write() as c:
            clash = c.execute("SELECT id FROM dossiers WHERE name = ?", (name,)).fetchone()
            if clash and clash[0] != dossier_id:
                raise NameTaken(name)
            if not c.execute(
                "UPDATE dossiers SET name = ?, updated = ? WHERE id = ?", (name, when, dossier_id)
            ).rowcount:
                raise NotFoundError("dossier.gone")

    def describe(self, dossier_id: int, description: str, when: int) -> None:
        with self._db.write() as c:
            c.execute(
                "UPDATE dossiers SET description = ?, updated = ? WHERE id = ?",
                (description, when, dossier_id),
            )

    def delete(self, dossier_id: int) -> list[tuple[int, int, str]]:
        """Delete a dossier (its articles stay in the cache); returns its items: (article id, added, note)."""
        with self._db.write() as c:
            items = [
                (r[0], r[1], r[2])
                for r in c.execute(
                    "SELECT article_id, added, note FROM dossier_items WHERE dossier_id = ?", (dossier_id,)
                )
            ]
            c.execute("DELETE FROM dossier_items WHERE dossier_id = ?", (dossier_id,))
            c.execute("DELETE FROM dossiers WHERE id = ?", (dossier_id,))
        return items

    def restore(self, dossier: DossierRecord, items: Sequence[tuple[int, int, str]]) -> None:
        """Put back a deleted dossier with its id and items (those whose article is still cached).
        Raises :class:`NameTaken`."""
        with self._db.write() as c:
            if c.execute("SELECT 1 FROM dossiers WHERE name = ?", (dossier.name,)).fetchone():
                raise NameTaken(dossier.name)
            c.execute(
                "INSERT INTO dossiers (id, name, description, created, updated) VALUES (?, ?, ?, ?, ?)",
                (dossier.id, dossier.name, dossier.description, dossier.created, dossier.updated),
            )
            c.executemany(
                "INSERT INTO dossier_items (dossier_id, article_id, added, note) "
                "SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM articles WHERE id = ?)",
                [(dossier.id, a, added, note, a) for a, added, note in items],
            )

    def add_item(self, dossier_id: int, article_id: int, note: str, when: int) -> bool:
        """Put an article in a dossier; False when it was already there (its note is then left alone)."""
        with self._db.write() as c:
            if not c.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone():
                raise NotFoundError("article.not_found", id=article_id)
            if not c.execute("SELECT 1 FROM dossiers WHERE id = ?", (dossier_id,)).fetchone():
                raise NotFoundError("dossier.gone")
            added = c.execute(
                "INSERT OR IGNORE INTO dossier_items (dossier_id, article_id, added, note) "
                "VALUES (?, ?, ?, ?)",
                (dossier_id, article_id, when, note),
            ).rowcount
            c.execute("UPDATE dossiers SET updated = ? WHERE id = ?", (when, dossier_id))
        return bool(added)

    def remove_item(self, dossier_id: int, article_id: int, when: int) -> None:
        with self._db.write() as c:
            c.execute(
                "DELETE FROM dossier_items WHERE dossier_id = ? AND article_id = ?", (dossier_id, article_id)
            )
            c.execute("UPDATE dossiers SET updated = ? WHERE id = ?", (when, dossier_id))

    def set_note(self, dossier_id: int, article_id: int, note: str) -> None:
        with self._db.write() as c:
            c.execute(
                "UPDATE dossier_items SET note = ? WHERE dossier_id = ? AND article_id = ?",
                (note, dossier_id, article_id),
            )

    def of_article(self, article_id: int) -> list[tuple[DossierRecord, str]]:
        """The dossiers an article is in, by name, with its note in each."""
        with self._db.read() as c:
            rows = c.execute(
                f"{_SELECT} JOIN dossier_items x ON x.dossier_id = d.id WHERE x.article_id = ? "
                "ORDER BY d.name",
                (article_id,),
            ).fetchall()
            notes = dict(
                c.execute("SELECT dossier_id, note FROM dossier_items WHERE article_id = ?", (article_id,))
            )
        return [(DossierRecord(*r), notes.get(r[0], "")) for r in rows]

    def items(self, dossier_id: int, *, by_added: bool = True) -> list[ItemRecord]:
        """The dossier's articles, newest added first (or newest published first)."""
        sort = "i.added DESC, a.id DESC" if by_added else "a.published DESC, a.id DESC"
        with self._db.read() as c:
            rows = c.execute(
                "SELECT a.id, i.added, i.note, a.feed_id FROM dossier_items i JOIN articles a "
                f"ON a.id = i.article_id WHERE i.dossier_id = ? ORDER BY {sort}",
                (dossier_id,),
            ).fetchall()
        return [ItemRecord(r[0], r[1], r[2], r[3] is None) for r in rows]
