"""What a user changes about a subscription: its name, its rubrique, and a removal that can be undone.

A removal that can be undone (:func:`take`) reads, in the same write transaction that removes the feed, all
that the removal deletes: the feed's row, the articles that go (with their bodies, texts and marks), its
tombstones and its ``meta`` keys (``feed.<id>.…``), and the ids of the articles that stay detached (starred,
or in a dossier). :func:`put_back` writes it all back, the index rows rebuilt from the texts, the detached
articles attached again. Article ids are never handed out twice (``meta.next_article_id``), so they come
back as they were; the feed keeps its id unless another feed took it meanwhile. The snapshot is rows in
memory, columns by name (``SELECT *``), so a column added by a later migration comes back too.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from gazette_tui.core.storage.articles import CHUNK
from gazette_tui.core.storage.connections import Connections
from gazette_tui.errors import NotFoundError, StoreError
from gazette_tui.text import clean_line

Row = tuple[object, ...]


@dataclass(frozen=True, slots=True)
class Table:
    """Rows of one table, with their column names."""

    columns: tuple[str, ...]
    rows: tuple[Row, ...] = ()


@dataclass(frozen=True, slots=True)
class RemovedFeed:
    """A removed subscription as it was, for :func:`put_back`."""

    feed_id: int
    url: str
    title: str
    feed: Table
    articles: Table
    bodies: Table
    texts: Table
    tombstones: Table
    meta: tuple[tuple[str, str], ...]
    """``meta`` keys of the feed (``feed.<id>.…``), key and value."""
    kept: tuple[int, ...] = field(default=())
    """Articles that stayed in the cache, detached (starred or in a dossier)."""
    settings: Table = field(default=Table(("feed_id", "key", "value")))
    """Its own settings (``feed_settings``; its rubrique's stay where they are)."""

    @property
    def article_count(self) -> int:
        return len(self.articles.rows) + len(self.kept)


def feed_id_of(c: sqlite3.Connection, url: str) -> int:
    row = c.execute("SELECT id FROM feeds WHERE url = ?", (url,)).fetchone()
    if row is None:
        raise NotFoundError("store.not_subscribed", url=url)
    return int(row[0])


def rename(connections: Connections, url: str, title: str) -> None:
    """Give a feed the user's name (its articles' feed column too); "" gives it back its own title at the
    next refresh (the articles keep the name they have until then)."""
    title = clean_line(title)
    with connections.write() as c:
        feed_id = feed_id_of(c, url)
        c.execute("UPDATE feeds SET title = ? WHERE id = ?", (title, feed_id))
        if title:
            c.execute("UPDATE articles SET feed_title = ? WHERE feed_id = ?", (title, feed_id))


def move(connections: Connections, url: str, rubrique: str) -> None:
    """Put a feed in a rubrique ("" for none); its articles follow, so the rubrique's list shows them."""
    rubrique = clean_line(rubrique)
    with connections.write() as c:
        feed_id = feed_id_of(c, url)
        c.execute("UPDATE feeds SET rubrique = ? WHERE id = ?", (rubrique, feed_id))
        c.execute("UPDATE articles SET rubrique = ? WHERE feed_id = ?", (rubrique, feed_id))


def _chunks(values: Sequence[object]) -> Iterator[tuple[list[object], str]]:
    """``values`` in slices of at most CHUNK, each with its ``?,?,…`` placeholders for ``IN (…)``."""
    for start in range(0, len(values), CHUNK):
        chunk = list(values[start : start + CHUNK])
        yield chunk, ",".join("?" * len(chunk))


def _select(c: sqlite3.Connection, table: str, column: str, values: Sequence[object]) -> Table:
    """Every row of ``table`` whose ``column`` is one of ``values``, read in chunks."""
    cursor = c.execute(f"SELECT * FROM {table} WHERE 0")
    columns = tuple(d[0] for d in cursor.description)
    rows: list[Row] = []
    for chunk, marks in _chunks(values):
        rows += [tuple(row) for row in c.execute(f"SELECT * FROM {table} WHERE {column} IN ({marks})", chunk)]
    return Table(columns, tuple(rows))


def _insert(c: sqlite3.Connection, table: str, rows: Table, replace: dict[str, object] | None = None) -> None:
    if not rows.rows:
        return
    columns = list(rows.columns)
    values = [list(row) for row in rows.rows]
    for name, value in (replace or {}).items():
        index = columns.index(name)
        for row in values:
            row[index] = value
    marks = ",".join("?" * len(columns))
    c.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values)


def take(
    connections: Connections, url: str, remove: Callable[[sqlite3.Connection, int], None]
) -> RemovedFeed:
    """Remove the feed at ``url`` with ``remove(c, feed_id)`` (the repository's own removal), and return
    everything it deleted, read in the same transaction."""
    with connections.write() as c:
        feed_id = feed_id_of(c, url)
        feed = _select(c, "feeds", "id", [feed_id])
        kept_query = (
            "SELECT id FROM articles WHERE feed_id = ? AND (starred != 0 OR id IN "
            "(SELECT article_id FROM dossier_items))"
        )
        kept = tuple(int(r[0]) for r in c.execute(kept_query, (feed_id,)))
        staying = set(kept)
        every = c.execute("SELECT id FROM articles WHERE feed_id = ? ORDER BY id", (feed_id,))
        doomed = [int(r[0]) for r in every if int(r[0]) not in staying]
        articles = _select(c, "articles", "id", doomed)
        bodies = _select(c, "article_bodies", "id", doomed)
        texts = _select(c, "article_text", "id", doomed)
        tombstones = _select(c, "tombstones", "feed_id", [feed_id])
        settings = _select(c, "feed_settings", "feed_id", [feed_id])
        prefix = f"feed.{feed_id}."
        meta = tuple(
            (str(k), str(v))
            for k, v in c.execute(
                "SELECT key, value FROM meta WHERE substr(key, 1, ?) = ?", (len(prefix), prefix)
            )
        )
        title = str(feed.rows[0][feed.columns.index("title")] or url)
        remove(c, feed_id)
    return RemovedFeed(feed_id, url, title, feed, articles, bodies, texts, tombstones, meta, kept, settings)


def put_back(connections: Connections, removed: RemovedFeed) -> int:
    """Write back what :func:`take` removed; returns the feed's id (its old one unless taken since).
    Raises :class:`StoreError` ``store.already_subscribed`` when its address was subscribed to again."""
    with connections.write() as c:
        if c.execute("SELECT 1 FROM feeds WHERE url = ?", (removed.url,)).fetchone():
            raise StoreError("store.already_subscribed", url=removed.url)
        feed_id = removed.feed_id
        if c.execute("SELECT 1 FROM feeds WHERE id = ?", (feed_id,)).fetchone():
            feed_id = int(c.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM feeds").fetchone()[0])
        _insert(c, "feeds", removed.feed, {"id": feed_id})
        _insert(c, "articles", removed.articles, {"feed_id": feed_id})
        _insert(c, "article_bodies", removed.bodies)
        _insert(c, "article_text", removed.texts)
        _insert(c, "tombstones", removed.tombstones, {"feed_id": feed_id})
        _insert(c, "feed_settings", removed.settings, {"feed_id": feed_id})
        old, new = f"feed.{removed.feed_id}.", f"feed.{feed_id}."
        c.executemany(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
            [(new + key[len(old) :], value) for key, value in removed.meta],
        )
        id_at = removed.articles.columns.index("id")
        ids = [row[id_at] for row in removed.articles.rows]
        for chunk, marks in _chunks(ids):
            # The index is given exactly what it reads back from ``article_text`` (as store_entries does).
            c.execute(
                "INSERT INTO articles_fts (rowid, title, author, categories, body) "
                f"SELECT id, title, author, categories, body FROM articles_fts_source WHERE id IN ({marks})",
                chunk,
            )
        for chunk, marks in _chunks(removed.kept):
            c.execute(
                f"UPDATE articles SET feed_id = ? WHERE feed_id IS NULL AND id IN ({marks})",
                [feed_id, *chunk],
            )
        _settle_copies(c, removed.articles)
    return feed_id


def _settle_copies(c: sqlite3.Connection, articles: Table) -> None:
    """One shown copy per link again: an article that was the shown copy is so again (the copy promoted
    in its place steps back), and a link left with none shown gets its oldest copy."""
    if not articles.rows:
        return
    columns = articles.columns
    id_at, url_at, canonical_at = columns.index("id"), columns.index("url"), columns.index("canonical")
    shown = [(row[url_at], row[id_at]) for row in articles.rows if row[canonical_at] and row[url_at]]
    c.executemany("UPDATE articles SET canonical = 0 WHERE url = ? AND id != ? AND canonical = 1", shown)
    urls = sorted({str(row[url_at]) for row in articles.rows if row[url_at]})
    for chunk, marks in _chunks(urls):
        c.execute(
            "UPDATE articles SET canonical = 1 WHERE id IN (SELECT MIN(id) FROM articles "
            f"WHERE url IN ({marks}) GROUP BY url HAVING MAX(canonical) = 0)",
            chunk,
        )
