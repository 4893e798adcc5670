"""Articles: the lists, the reader's marks, the entries a fetched document brings, and retention.

Tables: ``articles`` (one small row per article, what the lists show), ``article_bodies`` (the HTML, apart
so that list rows stay small, compressed: :mod:`.codec`), ``article_text`` (what the search index holds:
title, author, categories and the plain text of the body, or of the full text once there is one,
compressed), ``articles_fts`` (the index, which reads its text back from ``article_text`` rather than
keeping a copy) and ``tombstones`` (what retention pruned, per feed).

An article published in several feeds (the same link) is stored once per feed; one copy is ``canonical``
and the lists across feeds show only that one. Read and starred marks go to every copy at once.
"""

from __future__ import annotations

import json
import sqlite3
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from gazette_tui.core.storage.codec import pack, unpack
from gazette_tui.core.storage.connections import Connections
from gazette_tui.core.storage.db import now
from gazette_tui.core.storage.feed_settings import HIDDEN_ARTICLES
from gazette_tui.errors import NotFoundError
from gazette_tui.models import Article, ArticleRow, Enclosure, ParsedEntry
from gazette_tui.text import html_to_text

DAY = 86400
TOMBSTONE_DAYS = 30
"""A tombstone whose item no stored document of its feed has carried for this long is dropped: the feed has
let the item go, so it cannot come back, and the table does not grow without bound."""

NEXT_ARTICLE_ID = "next_article_id"
"""The ``meta`` key of the next article id to hand out (schema v4). Ids only grow, even when the newest
articles are deleted (pruned, unsubscribed), so "id > watermark" means "arrived after" (the alertes)."""

CHUNK = 500
"""Ids per ``IN (…)`` list: well under SQLite's limit on parameters."""

HIDDEN_BY_FILTERS = "SELECT article_id FROM filter_marks WHERE action = 'hide'"
"""The articles a ``hide`` filter marked (``filters.py``): the lists and their counts leave them out with
``a.id NOT IN (…)``, a set SQLite builds once per query from the ``(action, article_id)`` index; « Favoris »,
the dossiers and the search still show them."""


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """Which articles a list shows. Fields combine with AND; all empty means every article."""

    feed_id: int | None = None
    rubrique: str | None = None
    unread: bool = False
    starred: bool = False
    dossier_id: int | None = None
    sync_account: int | None = None
    """Every article of the feeds of this sync account (its line in the tree)."""


@dataclass(frozen=True, slots=True)
class ReadChange:
    """What marking articles read or unread changed."""

    ids: list[int]
    """Every row whose flag changed: the articles and their copies in other feeds (what an undo restores,
    what the lists redraw)."""
    articles: int
    """How many articles that is, each counted once: a copy in another feed (the same link) is the same
    article, so "12 articles marked as read" is what the counts in the tree went down by."""


def _read_change(rows: Sequence[tuple[int, str]]) -> ReadChange:
    """From ``RETURNING id, url`` rows: the ids, and the articles counted once each (by link; by id when
    there is none)."""
    return ReadChange([r[0] for r in rows], len({r[1] or f"#{r[0]}" for r in rows}))


@dataclass(slots=True)
class StoreResult:
    new: int = 0
    updated: int = 0
    stale: bool = False
    """Nothing was stored: an item parsed as known (``ParsedEntry.known``) is no longer what the cache
    holds (deleted or changed since the parser was told); parse the document in full and store it again."""


class KnownItemGone(Exception):
    """Raised inside a document's savepoint when :attr:`StoreResult.stale` applies."""


_ROW_COLUMNS = (
    "a.id, a.feed_id, a.feed_title, a.rubrique, a.title, a.kicker, a.author, a.published, a.url, "
    "a.read, a.starred, a.reserved, a.undated"
)


def _article_row(row: Sequence[object], snippet: str = "") -> ArticleRow:
    return ArticleRow(
        id=int(row[0]),  # type: ignore[call-overload]
        feed_id=row[1],  # type: ignore[arg-type]
        feed_title=str(row[2]),
        rubrique=str(row[3]),
        title=str(row[4]),
        kicker=str(row[5]),
        author=str(row[6]),
        published=int(row[7]),  # type: ignore[call-overload]
        url=str(row[8]),
        read=bool(row[9]),
        starred=bool(row[10]),
        reserved=bool(row[11]),
        snippet=snippet,
        undated=bool(row[12]),
    )


def article_rows(c: sqlite3.Connection, ids: Sequence[int]) -> list[ArticleRow]:
    """The list lines for ``ids``, in that order (missing ones left out)."""
    if not ids:
        return []
    found = {
        r[0]: _article_row(r)
        for r in c.execute(
            f"SELECT {_ROW_COLUMNS} FROM articles a WHERE a.id IN ({','.join('?' * len(ids))})", list(ids)
        )
    }
    return [found[i] for i in ids if i in found]


def next_article_id(c: sqlite3.Connection) -> int:
    """The next unused article id: above the counter and above every stored id (a file written by hand, or
    rebuilt by ``repair``, keeps ids unique whatever its counter says). Call inside the write transaction."""
    row = c.execute(
        "SELECT MAX(COALESCE((SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?), 1), "
        "(SELECT COALESCE(MAX(id), 0) + 1 FROM articles))",
        (NEXT_ARTICLE_ID,),
    ).fetchone()
    return int(row[0])


def last_article_id(c: sqlite3.Connection) -> int:
    """The highest article id ever handed out (0 for none): the alertes' watermark."""
    return next_article_id(c) - 1


def _where(view: ArticleFilter) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if view.feed_id is not None:
        clauses.append("a.feed_id = ?")
        params.append(view.feed_id)
    if view.rubrique is not None:
        clauses.append("a.rubrique = ?")
        params.append(view.rubrique)
    if view.unread:
        clauses.append("a.read = 0")
    if view.starred:
        clauses.append("a.starred = 1")
    if view.dossier_id is not None:
        clauses.append("a.id IN (SELECT article_id FROM dossier_items WHERE dossier_id = ?)")
        params.append(view.dossier_id)
    if view.sync_account is not None:
        clauses.append("a.feed_id IN (SELECT feed_id FROM sync_feeds WHERE account_id = ?)")
        params.append(view.sync_account)
    across = view.feed_id is None and view.rubrique is None and view.dossier_id is None
    if across and view.sync_account is None:
        clauses.append("a.canonical = 1")  # across feeds, one copy of each article
        if not view.starred:  # « Toutes » and « Non lus » leave out the hidden feeds (still searchable)
            clauses.append(f"a.id NOT IN ({HIDDEN_ARTICLES})")
    if not view.starred and view.dossier_id is None:  # what the filters hide (still searchable)
        clauses.append(f"a.id NOT IN ({HIDDEN_BY_FILTERS})")
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _ids_query(view: ArticleFilter) -> tuple[str, list[object]]:
    """The ids of a list, newest first: one query for :meth:`ArticleRepository.ids` and ``id_array``."""
    where, params = _where(view)
    return f"SELECT a.id FROM articles a{where} ORDER BY a.published DESC, a.id DESC", params


EVERY_ARTICLE = ArticleFilter()
"""The default list: every article, one copy of each."""


class ArticleRepository:
    def __init__(self, connections: Connections) -> None:
        self._db = connections

    def known_raw(self, feed_id: int) -> frozenset[int]:
        """The raw digests of the feed's cached articles (``ParsedEntry.raw_hash``), for its parser."""
        with self._db.read() as c:
            return frozenset(
                r[0] for r in c.execute("SELECT raw_hash FROM articles WHERE feed_id = ? AND raw_hash != 0",
                                        (feed_id,))
            )  # fmt: skip

    def ids(self, view: ArticleFilter = EVERY_ARTICLE, limit: int | None = None) -> list[int]:
        """Ids of the articles a list shows, newest first (the first ``limit`` only, when given). Cheap even
        for 100k (an index scan)."""
        query, params = _ids_query(view)
        tail = "" if limit is None else f" LIMIT {int(limit)}"
        with self._db.read() as c:
            return [r[0] for r in c.execute(query + tail, params)]

    def id_array(self, view: ArticleFilter = EVERY_ARTICLE) -> array[int]:
        """:meth:`ids` packed 8 bytes an id, filled as the rows come (no list of a million ints on the way):
        what the TUI's list keeps."""
        query, params = _ids_query(view)
        with self._db.read() as c:
            return array("q", (row[0] for row in c.execute(query, params)))

    def rows(self, ids: Sequence[int]) -> list[ArticleRow]:
        """The list lines for ``ids``, in that order (the UI asks only for what is on screen)."""
        if not ids:
            return []
        with self._db.read() as c:
            return article_rows(c, ids)

    def get(self, article_id: int) -> Article:
        with self._db.read() as c:
            r = c.execute(
                "SELECT a.id, a.feed_id, a.feed_title, COALESCE(f.url, ''), a.rubrique, a.title, "
                "a.kicker, a.author, a.published, a.updated, a.url, a.categories, b.summary_html, "
                "b.content_html, b.fulltext_html, a.reserved, a.read, a.starred, b.enclosures, "
                "COALESCE(b.external_url, ''), a.undated, COALESCE(p.error, '') "
                "FROM articles a LEFT JOIN feeds f ON f.id = a.feed_id "
                "LEFT JOIN article_bodies b ON b.id = a.id "
                "LEFT JOIN page_fetches p ON p.article_id = a.id WHERE a.id = ?",
                (article_id,),
            ).fetchone()
        if r is None:
            raise NotFoundError("article.not_found", id=article_id)
        enclosures = [Enclosure(*e) for e in json.loads(r[18])] if r[18] else []
        return Article(
            id=r[0],
            feed_id=r[1],
            feed_title=r[2],
            feed_url=r[3],
            rubrique=r[4],
            title=r[5],
            kicker=r[6],
            author=r[7],
            published=r[8],
            updated=r[9],
            url=r[10],
            categories=[c for c in r[11].split("\n") if c],
            summary_html=unpack(r[12]),
            content_html=unpack(r[13]),
            fulltext_html=unpack(r[14]),
            reserved=bool(r[15]),
            read=bool(r[16]),
            starred=bool(r[17]),
            enclosures=enclosures,
            external_url=r[19],
            undated=bool(r[20]),
            page_error=r[21],
        )

    def set_read(self, ids: Sequence[int], read: bool = True) -> ReadChange:
        """Mark articles read or unread; returns what changed (the ids, for undo, and how many articles)."""
        if not ids:
            return ReadChange([], 0)
        changed: list[tuple[int, str]] = []
        with self._db.write() as c:
            for start in range(0, len(ids), CHUNK):
                chunk = list(ids[start : start + CHUNK])
                marks = ",".join("?" * len(chunk))
                # The article and its copies in other feeds (same link) change together; a row already in
                # the wanted state is not touched, so RETURNING names each changed row once.
                changed += c.execute(
                    f"UPDATE articles SET read = ? WHERE read != ? AND (id IN ({marks}) OR url IN "
                    f"(SELECT url FROM articles WHERE id IN ({marks}) AND url != '')) RETURNING id, url",
                    [int(read), int(read), *chunk, *chunk],
                ).fetchall()
        return _read_change(changed)

    def mark_all_read(self, view: ArticleFilter = EVERY_ARTICLE) -> ReadChange:
        """Mark a whole list read in one transaction; returns what changed (the ids, for undo, and how many
        articles, each counted once however many feeds carry it)."""
        where, params = _where(view)
        joiner = " AND " if where else " WHERE "
        with self._db.write() as c:
            changed: list[tuple[int, str]] = c.execute(
                f"UPDATE articles AS a SET read = 1{where}{joiner}a.read = 0 RETURNING id, url", params
            ).fetchall()
            listed = [r[0] for r in changed]
            for start in range(0, len(listed), CHUNK):
                chunk = listed[start : start + CHUNK]
                marks = ",".join("?" * len(chunk))
                changed += c.execute(
                    "UPDATE articles SET read = 1 WHERE read = 0 AND url IN "
                    f"(SELECT url FROM articles WHERE id IN ({marks}) AND url != '') RETURNING id, url",
                    chunk,
                ).fetchall()
            return _read_change(changed)

    def set_starred(self, article_id: int, starred: bool) -> None:
        with self._db.write() as c:
            c.execute(
                "UPDATE articles SET starred = ? WHERE id = ? OR url IN "
                "(SELECT url FROM articles WHERE id = ? AND url != '')",
                (int(starred), article_id, article_id),
            )

    def any(self) -> bool:
        """Whether the cache holds any article at all."""
        with self._db.read() as c:
            return c.execute("SELECT 1 FROM articles LIMIT 1").fetchone() is not None

    def counts(self) -> dict[str, int]:
        """Totals for the tree's "Toutes", "Non lus" and "Favoris"."""
        with self._db.read() as c:
            shown = (  # as the lists (_where)
                f"canonical = 1 AND id NOT IN ({HIDDEN_ARTICLES}) AND id NOT IN ({HIDDEN_BY_FILTERS})"
            )
            total = c.execute(f"SELECT COUNT(*) FROM articles WHERE {shown}").fetchone()[0]
            unread = c.execute(f"SELECT COUNT(*) FROM articles WHERE read = 0 AND {shown}").fetchone()[0]
            starred = c.execute(
                "SELECT COUNT(*) FROM articles WHERE starred = 1 AND canonical = 1"
            ).fetchone()[0]
        return {"all": total, "unread": unread, "starred": starred}

    def prune(
        self,
        days: int,
        per_feed: int,
        when: int | None = None,
        *,
        unread_days: int | None = None,
        feed_days: Mapping[int, int] | None = None,
    ) -> int:
        """Delete what retention no longer keeps (see :meth:`Store.prune`); returns how many went."""
        when = when or now()
        keep = "starred = 0 AND id NOT IN (SELECT article_id FROM dossier_items)"
        age = "MAX(published, fetched)"
        unread_days = days if unread_days is None else unread_days
        own = json.dumps({str(feed): int(n) for feed, n in (feed_days or {}).items()})
        with self._db.write() as c:
            doomed: set[int] = set()
            if days > 0 or any(n > 0 for n in (feed_days or {}).values()):
                # One scan: past the read window, and for an unread article past the (longer) unread one
                # too; with no unread window (None cutoff) the comparison is NULL and unread ones stay. A
                # feed with its own window (``retention_days``) keeps read and unread alike that long (0: no
                # age limit for it).
                unread_cutoff = when - max(days, unread_days) * DAY if unread_days > 0 else None
                doomed.update(
                    r[0]
                    for r in c.execute(
                        "SELECT a.id FROM articles a LEFT JOIN (SELECT CAST(key AS INTEGER) AS fid, "
                        "CAST(value AS INTEGER) AS days FROM json_each(?)) w ON w.fid = a.feed_id "
                        f"WHERE {keep} AND CASE WHEN w.days IS NULL "
                        f"THEN ? > 0 AND {age} < ? AND (read != 0 OR {age} < ?) "
                        f"ELSE w.days > 0 AND {age} < ? - w.days * {DAY} END",
                        (own, days, when - days * DAY, unread_cutoff, when),
                    )
                )
            if per_feed > 0:
                doomed.update(
                    r[0]
                    for r in c.execute(
                        "SELECT id FROM (SELECT id, starred, ROW_NUMBER() OVER (PARTITION BY feed_id "
                        "ORDER BY published DESC, id DESC) AS rank FROM articles "
                        "WHERE feed_id IS NOT NULL) "
                        f"WHERE rank > ? AND {keep}",
                        (per_feed,),
                    )
                )
            ids = sorted(doomed)
            _bury(c, ids, when)
            delete_articles(c, ids)
        return len(doomed)


def _bury(c: sqlite3.Connection, ids: Sequence[int], when: int) -> None:
    """Tombstones for articles about to be pruned: their feed's next documents will not re-add them."""
    for start in range(0, len(ids), CHUNK):
        chunk = list(ids[start : start + CHUNK])
        marks = ",".join("?" * len(chunk))
        c.execute(
            "INSERT OR REPLACE INTO tombstones (feed_id, key, seen) SELECT feed_id, key, ? FROM articles "
            f"WHERE id IN ({marks}) AND feed_id IS NOT NULL",
            [when, *chunk],
        )


def delete_articles(c: sqlite3.Connection, ids: Sequence[int]) -> None:
    """Delete articles with their bodies and index rows (inside the caller's write transaction)."""
    for start in range(0, len(ids), CHUNK):
        chunk = list(ids[start : start + CHUNK])
        marks = ",".join("?" * len(chunk))
        # The index row first: FTS5 reads the text it indexed back from the article to remove its tokens.
        c.execute(f"DELETE FROM articles_fts WHERE rowid IN ({marks})", chunk)
        c.execute(f"DELETE FROM article_text WHERE id IN ({marks})", chunk)
        c.execute(f"DELETE FROM article_bodies WHERE id IN ({marks})", chunk)
        c.execute(f"DELETE FROM articles WHERE id IN ({marks})", chunk)
    if ids:
        # A link whose shown copy just went: the oldest remaining copy takes its place.
        c.execute(
            "UPDATE articles SET canonical = 1 WHERE id IN (SELECT MIN(id) FROM articles "
            "WHERE url != '' GROUP BY url HAVING MAX(canonical) = 0)"
        )


def detach_feed(c: sqlite3.Connection, feed_id: int) -> None:
    """A feed goes: its articles go too, but those starred or in a dossier, which stay detached."""
    doomed = [
        r[0]
        for r in c.execute(
            "SELECT id FROM articles WHERE feed_id = ? AND starred = 0 AND id NOT IN "
            "(SELECT article_id FROM dossier_items)",
            (feed_id,),
        )
    ]
    delete_articles(c, doomed)
    c.execute("UPDATE articles SET feed_id = NULL WHERE feed_id = ?", (feed_id,))
    # ON DELETE CASCADE does this too; explicit so that it holds without PRAGMA foreign_keys.
    c.execute("DELETE FROM tombstones WHERE feed_id = ?", (feed_id,))


# -- the entries of a fetched document --------------------------------------------------------------------


def sort_dates(entries: Sequence[ParsedEntry], when: int) -> list[int]:
    """The date each entry of a document sorts by: its own, or for an undated one its place in the feed's
    order: one second per step below the nearest dated entry before it, else above the nearest one after
    it; in a document with no date at all, ``when`` minus its rank (first-seen time, in document order)."""
    dates = [entry.published for entry in entries]
    first = next((i for i, date in enumerate(dates) if date is not None), None)
    if first is None:
        return [when - offset for offset in range(len(dates))]
    anchor, anchor_date = first, dates[first]
    assert anchor_date is not None
    result: list[int] = []
    for offset, date in enumerate(dates):
        if date is not None:
            anchor, anchor_date = offset, date
            result.append(date)
        else:
            result.append(anchor_date - (offset - anchor))  # before ``first``: above it, as offset < anchor
    return result


def store_entries(
    c: sqlite3.Connection,
    feed_id: int,
    entries: Sequence[ParsedEntry],
    when: int,
    *,
    feed_title: str,
    rubrique: str,
) -> StoreResult:
    """A feed's document, inside the caller's write transaction: new entries inserted, changed ones updated
    in place (read/starred kept), unchanged ones left alone, those retention pruned (tombstones) skipped."""
    result = StoreResult()
    existing: dict[str, tuple[int, str, int, int, int]] = {
        row[0]: (row[1], row[2], row[3], row[4], row[5])
        for row in c.execute(
            "SELECT key, id, content_hash, published, undated, raw_hash FROM articles WHERE feed_id = ?",
            (feed_id,),
        )
    }
    buried = _tend_tombstones(c, feed_id, entries, when)
    copies = _copies_elsewhere(
        c, feed_id, [e.url for e in entries if e.url and e.key not in existing and e.key not in buried]
    )
    dates = sort_dates(entries, when)
    seen: set[str] = set()
    fts_rows: list[tuple[int, str, str, str, str]] = []
    bodies: list[tuple[int, str | bytes, str | bytes, str, str]] = []
    texts: list[tuple[int, str, str, str, str | bytes]] = []
    rows: list[tuple[object, ...]] = []
    digests: list[tuple[int, int]] = []
    next_id: int | None = None
    for offset, entry in enumerate(entries):
        if entry.key in seen:
            continue  # a duplicate guid inside one document: the first one wins
        seen.add(entry.key)
        found = existing.get(entry.key)
        if found is None and entry.key in buried:
            continue  # retention pruned it: the feed still carries it, it is not news again
        if entry.known:
            if found is None or found[4] != entry.raw_hash:
                raise KnownItemGone(entry.key)
            continue  # made from the same raw values by the same rules as the row the cache holds
        published, undated = dates[offset], entry.published is None
        if found is not None and undated:
            published, undated = found[2], bool(found[3])  # a cached item keeps its date: no churn
        fields = _entry_fields(entry, published, undated, feed_title, rubrique)
        text = entry.text
        if found is None:
            # Ids are handed out here (we hold the write lock) so that the three inserts below can each be
            # one executemany: a cold refresh stores 20k articles. They come from a counter, never from
            # MAX(id) + 1: a deleted article's id is never given again.
            if next_id is None:
                next_id = next_article_id(c)
            article_id, next_id = next_id, next_id + 1
            copy_read = copies.get(entry.url) if entry.url else None
            canonical, read = (1, 0) if copy_read is None else (0, copy_read)
            rows.append((article_id, feed_id, entry.key, when, canonical, read, *fields, entry.raw_hash))
            bodies.append((article_id, *_body_fields(entry)))
            result.new += canonical  # a copy of an article another feed brought is not news
        elif found[1] != entry.content_hash:
            article_id = found[0]
            # Out of the index before its text changes (FTS5 reads the old text back to remove it).
            c.execute("DELETE FROM articles_fts WHERE rowid = ?", (article_id,))
            c.execute(
                "UPDATE articles SET url = ?, title = ?, kicker = ?, author = ?, published = ?, "
                "undated = ?, updated = ?, categories = ?, content_hash = ?, reserved = ?, "
                "feed_title = ?, rubrique = ?, raw_hash = ? WHERE id = ?",
                (*fields, entry.raw_hash, article_id),
            )
            c.execute(
                "UPDATE article_bodies SET summary_html = ?, content_html = ?, enclosures = ?, "
                "external_url = ? WHERE id = ?",
                (*_body_fields(entry), article_id),
            )
            c.execute("DELETE FROM article_text WHERE id = ?", (article_id,))
            result.updated += 1
            fulltext = c.execute(
                "SELECT fulltext_html FROM article_bodies WHERE id = ?", (article_id,)
            ).fetchone()
            if fulltext and fulltext[0]:
                # The subscriber's full text stays, and stays what search finds.
                text = html_to_text(unpack(fulltext[0]))
        else:
            if found[4] != entry.raw_hash:
                digests.append((entry.raw_hash, found[0]))  # unchanged: next time it is known
            continue
        fts_rows.append((article_id, entry.title, entry.author, " ".join(entry.categories), text))
        packed = entry.stored[2] if entry.stored is not None and text is entry.text else pack(text)
        texts.append((article_id, entry.title, entry.author, " ".join(entry.categories), packed))
    c.executemany(
        "INSERT INTO articles (id, feed_id, key, fetched, canonical, read, url, title, kicker, "
        "author, published, undated, updated, categories, content_hash, reserved, feed_title, "
        "rubrique, raw_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    c.executemany("UPDATE articles SET raw_hash = ? WHERE id = ?", digests)
    c.executemany(
        "INSERT INTO article_bodies (id, summary_html, content_html, enclosures, external_url) "
        "VALUES (?, ?, ?, ?, ?)",
        bodies,
    )
    c.executemany(
        "INSERT INTO article_text (id, title, author, categories, body) VALUES (?, ?, ?, ?, ?)", texts
    )
    # The index is given exactly the values it will read back from ``article_text``.
    c.executemany(
        "INSERT INTO articles_fts (rowid, title, author, categories, body) VALUES (?, ?, ?, ?, ?)", fts_rows
    )
    if next_id is not None:
        c.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (NEXT_ARTICLE_ID, str(next_id)))
    return result


def _tend_tombstones(
    c: sqlite3.Connection, feed_id: int, entries: Sequence[ParsedEntry], when: int
) -> set[str]:
    """The feed's tombstoned keys that this document carries, marked seen now; and the feed's tombstones
    unseen for :data:`TOMBSTONE_DAYS` go (only a stored document does this: an unreachable feed keeps its
    tombstones)."""
    tombstones = {r[0] for r in c.execute("SELECT key FROM tombstones WHERE feed_id = ?", (feed_id,))}
    if not tombstones:
        return set()
    carried = tombstones.intersection(entry.key for entry in entries)
    c.executemany(
        "UPDATE tombstones SET seen = MAX(seen, ?) WHERE feed_id = ? AND key = ?",
        [(when, feed_id, key) for key in carried],
    )
    c.execute("DELETE FROM tombstones WHERE feed_id = ? AND seen < ?", (feed_id, when - TOMBSTONE_DAYS * DAY))
    return carried


def _copies_elsewhere(c: sqlite3.Connection, feed_id: int, urls: list[str]) -> dict[str, int]:
    """Links already cached from another feed, with their read state (a copy is read if any is)."""
    copies: dict[str, int] = {}
    for start in range(0, len(urls), CHUNK):
        chunk = urls[start : start + CHUNK]
        marks = ",".join("?" * len(chunk))
        # ``url != ''`` (always true here) lets SQLite use the partial index articles_by_url: without it,
        # every feed stored scanned the whole table.
        for url, read in c.execute(
            f"SELECT url, MAX(read) FROM articles WHERE url IN ({marks}) AND url != '' AND feed_id IS NOT ? "
            "GROUP BY url",
            [*chunk, feed_id],
        ):
            copies[url] = read
    return copies


def _entry_fields(
    entry: ParsedEntry, published: int, undated: bool, feed_title: str, rubrique: str
) -> tuple[object, ...]:
    return (
        entry.url,
        entry.title,
        entry.kicker,
        entry.author,
        published,
        int(undated),
        entry.updated,
        "\n".join(entry.categories),
        entry.content_hash,
        int(entry.reserved),
        feed_title,
        rubrique,
    )


def _body_fields(entry: ParsedEntry) -> tuple[str | bytes, str | bytes, str, str]:
    # [url, type, length, duration]; rows written before durations were kept have three (Enclosure's default)
    listed = [[e.url, e.type, e.length, e.duration] for e in entry.enclosures]
    enclosures = json.dumps(listed) if listed else ""
    if entry.stored is not None:
        return (entry.stored[0], entry.stored[1], enclosures, entry.external_url)
    return (pack(entry.summary_html), pack(entry.content_html), enclosures, entry.external_url)
