"""The cache and the user's data, behind one small API. The CLI and the TUI never write SQL themselves.

Threading: one connection, serialised by a lock, usable from any thread (the TUI calls it from thread
workers). Other processes (a cron ``refresh``) share the file through WAL and ``BEGIN IMMEDIATE``.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from gazette_tui.core.storage import db
from gazette_tui.core.storage.lock import hold_shared
from gazette_tui.errors import NotFoundError, StoreError
from gazette_tui.models import (
    Article,
    ArticleRow,
    Enclosure,
    FeedRow,
    ParsedEntry,
    ParsedFeed,
)
from gazette_tui.text import clean_line, clean_validator, html_to_text


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """Which articles a list shows. Fields combine with AND; all empty means every article."""

    feed_id: int | None = None
    rubrique: str | None = None
    unread: bool = False
    starred: bool = False
    dossier_id: int | None = None


@dataclass(frozen=True, slots=True)
class FeedState:
    """What the fetcher needs to know about a feed."""

    id: int
    url: str
    etag: str | None
    last_modified: str | None
    retry_after: int | None
    account: str | None


@dataclass(frozen=True, slots=True)
class FeedUpdate:
    """A successful fetch to store: the parsed document and the validators for the next conditional GET."""

    feed_id: int
    parsed: ParsedFeed
    etag: str | None = None
    last_modified: str | None = None
    new_url: str | None = None


@dataclass(slots=True)
class StoreResult:
    new: int = 0
    updated: int = 0


_ROW_COLUMNS = (
    "a.id, a.feed_id, a.feed_title, a.rubrique, a.title, a.kicker, a.author, a.published, a.url, "
    "a.read, a.starred, a.reserved, a.undated"
)

DAY = 86400
TOMBSTONE_DAYS = 30
"""A tombstone whose item no stored document of its feed has carried for this long is dropped: the feed has
let the item go, so it cannot come back, and the table does not grow without bound."""


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


def now() -> int:
    return int(time.time())


NEXT_ARTICLE_ID = "next_article_id"
"""The ``meta`` key of the next article id to hand out (schema v4). Ids only grow, even when the newest
articles are deleted (pruned, unsubscribed), so "id > watermark" means "arrived after" (the alertes)."""


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


class Store:
    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        # Held while the store is open, taken before the file is: ``repair`` refuses meanwhile (core/lock.py).
        self._hold = hold_shared(path, create=not readonly)
        try:
            self._connection = db.connect(path, readonly=readonly)
        except BaseException:
            self._hold.release()
            raise
        self._lock = threading.RLock()

    def close(self) -> None:
        with self._lock:
            self._connection.close()
            self._hold.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- plumbing --------------------------------------------------------------------------------

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                yield self._connection
            except sqlite3.DatabaseError as error:
                raise StoreError(db._describe(self.path, error)) from None

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                with db.transaction(self._connection) as connection:
                    yield connection
            except sqlite3.DatabaseError as error:
                raise StoreError(db._describe(self.path, error)) from None

    # For the other core modules (dossiers, alertes, accounts): the same guarded read and write transaction.
    reading = _read
    writing = _write

    @property
    def connection(self) -> sqlite3.Connection:
        """For read-only extensions in core (search); hold :attr:`lock` while using it."""
        return self._connection

    @property
    def lock(self) -> threading.RLock:
        return self._lock

    # -- feeds -----------------------------------------------------------------------------------

    def add_feed(self, url: str, title: str = "", rubrique: str = "", account: str | None = None) -> FeedRow:
        title, rubrique = clean_line(title), clean_line(rubrique)  # names are printed: never a raw control
        with self._write() as c:
            if c.execute("SELECT 1 FROM feeds WHERE url = ?", (url,)).fetchone():
                raise StoreError(f"Déjà abonné à {url}.")
            position = c.execute("SELECT COALESCE(MAX(position), 0) + 1 FROM feeds").fetchone()[0]
            c.execute(
                "INSERT INTO feeds (url, title, rubrique, account, position, added) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (url, title, rubrique, account, position, now()),
            )
        feed = self.feed(url)
        assert feed is not None
        return feed

    def add_feeds(self, feeds: Iterable[tuple[str, str, str]]) -> int:
        """Subscribe to many (url, title, rubrique) at once; existing URLs are skipped. Returns the count."""
        with self._write() as c:
            return self._add_feeds(c, feeds)

    @staticmethod
    def _add_feeds(c: sqlite3.Connection, feeds: Iterable[tuple[str, str, str]]) -> int:
        added = 0
        position = c.execute("SELECT COALESCE(MAX(position), 0) FROM feeds").fetchone()[0]
        for url, title, rubrique in feeds:
            position += 1
            cursor = c.execute(
                "INSERT OR IGNORE INTO feeds (url, title, rubrique, position, added) VALUES (?, ?, ?, ?, ?)",
                (url, clean_line(title), clean_line(rubrique), position, now()),
            )
            added += cursor.rowcount
        return added

    def replace_feeds(self, feeds: Sequence[tuple[str, str, str]]) -> tuple[int, int]:
        """Make the subscriptions exactly ``feeds`` (an OPML import with ``--replace``), in one transaction.

        A feed already subscribed (same URL) stays as it is: its articles, read/starred marks, title,
        rubrique and state. Feeds not in the list go as :meth:`remove_feed` removes them (starred articles
        and those in a dossier stay, detached); the others are added. Returns (added, removed)."""
        wanted = {url for url, _, _ in feeds}
        with self._write() as c:
            doomed = [r[0] for r in c.execute("SELECT id, url FROM feeds") if r[1] not in wanted]
            for feed_id in doomed:
                self._remove_feed(c, feed_id)
            return self._add_feeds(c, feeds), len(doomed)

    def remove_feed(self, url: str) -> None:
        """Unsubscribe. Articles that are starred or in a dossier stay, detached from the feed."""
        with self._write() as c:
            row = c.execute("SELECT id FROM feeds WHERE url = ?", (url,)).fetchone()
            if row is None:
                raise NotFoundError(f"Aucun abonnement à {url}.")
            self._remove_feed(c, row[0])

    @classmethod
    def _remove_feed(cls, c: sqlite3.Connection, feed_id: int) -> None:
        doomed = [
            r[0]
            for r in c.execute(
                "SELECT id FROM articles WHERE feed_id = ? AND starred = 0 AND id NOT IN "
                "(SELECT article_id FROM dossier_items)",
                (feed_id,),
            )
        ]
        cls._delete_articles(c, doomed)
        c.execute("UPDATE articles SET feed_id = NULL WHERE feed_id = ?", (feed_id,))
        # ON DELETE CASCADE does this too; explicit so that it holds without PRAGMA foreign_keys.
        c.execute("DELETE FROM tombstones WHERE feed_id = ?", (feed_id,))
        # A reused id must not inherit the credentials mark (core/feed_credentials.py).
        c.execute("DELETE FROM meta WHERE key = ?", (f"feed.{feed_id}.credentials",))
        c.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))

    def remove_all_feeds(self) -> None:
        for feed in self.feeds():
            self.remove_feed(feed.url)

    def feeds(self) -> list[FeedRow]:
        return self._feed_rows("", [])

    def feed(self, url: str) -> FeedRow | None:
        """One subscription with its counts; counts only that feed's articles, not the whole cache."""
        rows = self._feed_rows(" WHERE url = ?", [url])
        return rows[0] if rows else None

    def _feed_rows(self, where: str, params: list[object]) -> list[FeedRow]:
        counted = " AND feed_id IN (SELECT id FROM feeds" + where + ")" if where else ""
        with self._read() as c:
            counts = {
                row[0]: (row[1], row[2])
                for row in c.execute(
                    "SELECT feed_id, COUNT(*), SUM(read = 0) FROM articles "
                    f"WHERE feed_id IS NOT NULL{counted} GROUP BY feed_id",
                    params,
                )
            }
            rows = c.execute(
                "SELECT id, url, title, site_url, rubrique, last_ok, last_error, failures, disabled, "
                f"account, dropped FROM feeds{where} ORDER BY rubrique = '', rubrique, position, id",
                params,
            ).fetchall()
        return [
            FeedRow(
                id=r[0],
                url=r[1],
                title=r[2] or r[1],
                site_url=r[3],
                rubrique=r[4],
                articles=counts.get(r[0], (0, 0))[0],
                unread=counts.get(r[0], (0, 0))[1] or 0,
                last_ok=r[5],
                last_error=r[6],
                failures=r[7],
                disabled=bool(r[8]),
                account=r[9],
                dropped=r[10],
            )
            for r in rows
        ]

    def feed_states(self, feed_ids: Iterable[int] | None = None) -> list[FeedState]:
        """Feeds to refresh: enabled ones, or exactly ``feed_ids``."""
        with self._read() as c:
            rows = c.execute(
                "SELECT id, url, etag, last_modified, retry_after, account, disabled FROM feeds "
                "ORDER BY position, id"
            ).fetchall()
        wanted = set(feed_ids) if feed_ids is not None else None
        return [
            FeedState(r[0], r[1], r[2], r[3], r[4], r[5])
            for r in rows
            if (r[0] in wanted if wanted is not None else not r[6])
        ]

    def record_not_modified(self, feed_ids: Iterable[int], when: int | None = None) -> None:
        """Feeds that answered 304: one transaction for all of them (a warm refresh is mostly this)."""
        when = when or now()
        with self._write() as c:
            c.executemany(
                "UPDATE feeds SET last_fetched = ?, last_ok = ?, last_error = NULL, failures = 0, "
                "retry_after = NULL WHERE id = ?",
                [(when, when, feed_id) for feed_id in feed_ids],
            )

    def record_failure(
        self,
        feed_id: int,
        error: str,
        *,
        disable: bool = False,
        retry_after: int | None = None,
        when: int | None = None,
    ) -> None:
        """Note the failure on the feed; its articles are not touched."""
        with self._write() as c:
            c.execute(
                "UPDATE feeds SET last_fetched = ?, last_error = ?, failures = failures + 1, "
                "disabled = MAX(disabled, ?), retry_after = ? WHERE id = ?",
                (when or now(), error, int(disable), retry_after, feed_id),
            )

    def record_success(
        self,
        feed_id: int,
        parsed: ParsedFeed,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        new_url: str | None = None,
        when: int | None = None,
    ) -> StoreResult:
        """Store a parsed feed in one transaction: new entries inserted, changed ones updated in place
        (read/starred kept), unchanged ones left alone."""
        update = FeedUpdate(feed_id, parsed, etag, last_modified, new_url)
        return self.record_batch([update], when=when)[0]

    def record_batch(self, updates: Sequence[FeedUpdate], *, when: int | None = None) -> list[StoreResult]:
        """Several parsed feeds in one transaction: the refresh writes whatever the parsers have ready at
        once, which makes fewer, larger full-text index segments (less merging) than one per feed.

        Every item a document carries is stored, whatever its age (retention prunes later, counting from
        when the item reached the cache); only items retention already pruned (tombstones) are skipped."""
        when = when or now()
        with self._write() as c:
            return [self._store_feed(c, update, when) for update in updates]

    def _store_feed(self, c: sqlite3.Connection, update: FeedUpdate, when: int) -> StoreResult:
        feed_id, parsed = update.feed_id, update.parsed
        # Validators come from response headers: never stored with a control character (see clean_validator).
        etag, last_modified = clean_validator(update.etag), clean_validator(update.last_modified)
        new_url = update.new_url
        result = StoreResult()
        feed = c.execute("SELECT title, rubrique FROM feeds WHERE id = ?", (feed_id,)).fetchone()
        if feed is None:
            return result
        feed_title = feed[0] or parsed.title
        rubrique = feed[1]
        c.execute(
            "UPDATE feeds SET title = ?, site_url = COALESCE(NULLIF(?, ''), site_url), etag = ?, "
            "last_modified = ?, last_fetched = ?, last_ok = ?, last_error = NULL, failures = 0, "
            "retry_after = NULL, dropped = ? WHERE id = ?",
            (feed_title, parsed.site_url, etag, last_modified, when, when, max(parsed.dropped, 0), feed_id),
        )
        if new_url and not c.execute("SELECT 1 FROM feeds WHERE url = ?", (new_url,)).fetchone():
            c.execute("UPDATE feeds SET url = ? WHERE id = ?", (new_url, feed_id))
        existing: dict[str, tuple[int, str, int, int]] = {
            row[0]: (row[1], row[2], row[3], row[4])
            for row in c.execute(
                "SELECT key, id, content_hash, published, undated FROM articles WHERE feed_id = ?", (feed_id,)
            )
        }
        buried = self._tend_tombstones(c, feed_id, parsed.entries, when)
        copies = self._copies_elsewhere(
            c,
            feed_id,
            [e.url for e in parsed.entries if e.url and e.key not in existing and e.key not in buried],
        )
        dates = sort_dates(parsed.entries, when)
        seen: set[str] = set()
        fts_rows: list[tuple[int, str, str, str, str]] = []
        bodies: list[tuple[int, str, str, str, str]] = []
        rows: list[tuple[object, ...]] = []
        next_id: int | None = None
        for offset, entry in enumerate(parsed.entries):
            if entry.key in seen:
                continue  # a duplicate guid inside one document: the first one wins
            seen.add(entry.key)
            found = existing.get(entry.key)
            if found is None and entry.key in buried:
                continue  # retention pruned it: the feed still carries it, it is not news again
            published, undated = dates[offset], entry.published is None
            if found is not None and undated:
                published, undated = found[2], bool(found[3])  # a cached item keeps its date: no churn
            fields = self._entry_fields(entry, published, undated, feed_title, rubrique)
            text = entry.text
            if found is None:
                # Ids are handed out here (we hold the write lock) so that the three inserts below
                # can each be one executemany: a cold refresh stores 20k articles. They come from a
                # counter, never from MAX(id) + 1: a deleted article's id is never given again.
                if next_id is None:
                    next_id = next_article_id(c)
                article_id, next_id = next_id, next_id + 1
                copy_read = copies.get(entry.url) if entry.url else None
                canonical, read = (1, 0) if copy_read is None else (0, copy_read)
                rows.append((article_id, feed_id, entry.key, when, canonical, read, *fields))
                bodies.append((article_id, *self._body_fields(entry)))
                result.new += canonical  # a copy of an article another feed brought is not news
            elif found[1] != entry.content_hash:
                article_id = found[0]
                c.execute(
                    "UPDATE articles SET url = ?, title = ?, kicker = ?, author = ?, published = ?, "
                    "undated = ?, updated = ?, categories = ?, content_hash = ?, reserved = ?, "
                    "feed_title = ?, rubrique = ? WHERE id = ?",
                    (*fields, article_id),
                )
                c.execute(
                    "UPDATE article_bodies SET summary_html = ?, content_html = ?, enclosures = ?, "
                    "external_url = ? WHERE id = ?",
                    (*self._body_fields(entry), article_id),
                )
                c.execute("DELETE FROM articles_fts WHERE rowid = ?", (article_id,))
                result.updated += 1
                fulltext = c.execute(
                    "SELECT fulltext_html FROM article_bodies WHERE id = ?", (article_id,)
                ).fetchone()
                if fulltext and fulltext[0]:
                    # The subscriber's full text stays, and stays what search finds.
                    text = html_to_text(fulltext[0])
            else:
                continue
            fts_rows.append((article_id, entry.title, entry.author, " ".join(entry.categories), text))
        c.executemany(
            "INSERT INTO articles (id, feed_id, key, fetched, canonical, read, url, title, kicker, "
            "author, published, undated, updated, categories, content_hash, reserved, feed_title, "
            "rubrique) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        c.executemany(
            "INSERT INTO article_bodies (id, summary_html, content_html, enclosures, external_url) "
            "VALUES (?, ?, ?, ?, ?)",
            bodies,
        )
        c.executemany(
            "INSERT INTO articles_fts (rowid, title, author, categories, body) VALUES (?, ?, ?, ?, ?)",
            fts_rows,
        )
        if next_id is not None:
            c.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (NEXT_ARTICLE_ID, str(next_id))
            )
        return result

    @staticmethod
    def _tend_tombstones(
        c: sqlite3.Connection, feed_id: int, entries: Sequence[ParsedEntry], when: int
    ) -> set[str]:
        """The feed's tombstoned keys that this document carries, marked seen now; and the feed's tombstones
        unseen for :data:`TOMBSTONE_DAYS` go (only a stored document does this: an unreachable feed keeps
        its tombstones)."""
        tombstones = {r[0] for r in c.execute("SELECT key FROM tombstones WHERE feed_id = ?", (feed_id,))}
        if not tombstones:
            return set()
        carried = tombstones.intersection(entry.key for entry in entries)
        c.executemany(
            "UPDATE tombstones SET seen = MAX(seen, ?) WHERE feed_id = ? AND key = ?",
            [(when, feed_id, key) for key in carried],
        )
        c.execute(
            "DELETE FROM tombstones WHERE feed_id = ? AND seen < ?", (feed_id, when - TOMBSTONE_DAYS * DAY)
        )
        return carried

    @staticmethod
    def _copies_elsewhere(c: sqlite3.Connection, feed_id: int, urls: list[str]) -> dict[str, int]:
        """Links already cached from another feed, with their read state (a copy is read if any is)."""
        copies: dict[str, int] = {}
        for start in range(0, len(urls), 500):
            chunk = urls[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for url, read in c.execute(
                f"SELECT url, MAX(read) FROM articles WHERE url IN ({marks}) AND feed_id IS NOT ? "
                "GROUP BY url",
                [*chunk, feed_id],
            ):
                copies[url] = read
        return copies

    @staticmethod
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

    @staticmethod
    def _body_fields(entry: ParsedEntry) -> tuple[str, str, str, str]:
        enclosures = (
            json.dumps([[e.url, e.type, e.length] for e in entry.enclosures]) if entry.enclosures else ""
        )
        return (entry.summary_html, entry.content_html, enclosures, entry.external_url)

    def set_feed(self, url: str, *, title: str | None = None, rubrique: str | None = None) -> None:
        title = clean_line(title) if title is not None else None
        rubrique = clean_line(rubrique) if rubrique is not None else None
        with self._write() as c:
            if title is not None:
                c.execute("UPDATE feeds SET title = ? WHERE url = ?", (title, url))
            if rubrique is not None:
                c.execute("UPDATE feeds SET rubrique = ? WHERE url = ?", (rubrique, url))
                c.execute(
                    "UPDATE articles SET rubrique = ? WHERE feed_id = (SELECT id FROM feeds WHERE url = ?)",
                    (rubrique, url),
                )

    # -- articles --------------------------------------------------------------------------------

    @staticmethod
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
        if view.feed_id is None and view.rubrique is None and view.dossier_id is None:
            clauses.append("a.canonical = 1")  # across feeds, one copy of each article
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def article_ids(self, view: ArticleFilter = ArticleFilter()) -> list[int]:
        """Ids of the articles a list shows, newest first. Cheap even for 100k (an index scan)."""
        where, params = self._where(view)
        with self._read() as c:
            return [
                r[0]
                for r in c.execute(
                    f"SELECT a.id FROM articles a{where} ORDER BY a.published DESC, a.id DESC",
                    params,
                )
            ]

    def article_rows(self, ids: Sequence[int]) -> list[ArticleRow]:
        """The list lines for ``ids``, in that order (the UI asks only for what is on screen)."""
        if not ids:
            return []
        with self._read() as c:
            found = {
                r[0]: _article_row(r)
                for r in c.execute(
                    f"SELECT {_ROW_COLUMNS} FROM articles a WHERE a.id IN ({','.join('?' * len(ids))})",
                    list(ids),
                )
            }
        return [found[i] for i in ids if i in found]

    def article(self, article_id: int) -> Article:
        with self._read() as c:
            r = c.execute(
                "SELECT a.id, a.feed_id, a.feed_title, COALESCE(f.url, ''), a.rubrique, a.title, "
                "a.kicker, a.author, a.published, a.updated, a.url, a.categories, b.summary_html, "
                "b.content_html, b.fulltext_html, a.reserved, a.read, a.starred, b.enclosures, "
                "COALESCE(b.external_url, ''), a.undated "
                "FROM articles a LEFT JOIN feeds f ON f.id = a.feed_id "
                "LEFT JOIN article_bodies b ON b.id = a.id WHERE a.id = ?",
                (article_id,),
            ).fetchone()
        if r is None:
            raise NotFoundError(f"Aucun article n° {article_id} dans le cache.")
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
            summary_html=r[12],
            content_html=r[13],
            fulltext_html=r[14],
            reserved=bool(r[15]),
            read=bool(r[16]),
            starred=bool(r[17]),
            enclosures=enclosures,
            external_url=r[19],
            undated=bool(r[20]),
        )

    def set_read(self, ids: Sequence[int], read: bool = True) -> list[int]:
        """Mark articles read or unread; returns the ids whose state changed (for undo)."""
        if not ids:
            return []
        changed: list[int] = []
        with self._write() as c:
            for start in range(0, len(ids), 500):
                chunk = list(ids[start : start + 500])
                marks = ",".join("?" * len(chunk))
                # The article and its copies in other feeds (same link) change together.
                changed += [
                    r[0]
                    for r in c.execute(
                        f"UPDATE articles SET read = ? WHERE read != ? AND (id IN ({marks}) OR url IN "
                        f"(SELECT url FROM articles WHERE id IN ({marks}) AND url != '')) RETURNING id",
                        [int(read), int(read), *chunk, *chunk],
                    )
                ]
        return changed

    def mark_all_read(self, view: ArticleFilter = ArticleFilter()) -> list[int]:
        """Mark a whole list read; returns the ids that changed so the caller can undo."""
        where, params = self._where(view)
        joiner = " AND " if where else " WHERE "
        with self._write() as c:
            changed = [
                r[0]
                for r in c.execute(
                    f"UPDATE articles AS a SET read = 1{where}{joiner}a.read = 0 RETURNING id",
                    params,
                )
            ]
            for start in range(0, len(changed), 500):
                chunk = changed[start : start + 500]
                marks = ",".join("?" * len(chunk))
                changed += [
                    r[0]
                    for r in c.execute(
                        "UPDATE articles SET read = 1 WHERE read = 0 AND url IN "
                        f"(SELECT url FROM articles WHERE id IN ({marks}) AND url != '') RETURNING id",
                        chunk,
                    )
                ]
            return changed

    def set_starred(self, article_id: int, starred: bool) -> None:
        with self._write() as c:
            c.execute(
                "UPDATE articles SET starred = ? WHERE id = ? OR url IN "
                "(SELECT url FROM articles WHERE id = ? AND url != '')",
                (int(starred), article_id, article_id),
            )

    def has_articles(self) -> bool:
        """Whether the cache holds any article at all (an empty cache refreshes at start)."""
        with self._read() as c:
            return c.execute("SELECT 1 FROM articles LIMIT 1").fetchone() is not None

    def has_alerts(self) -> bool:
        """Whether any alerte is saved: the search engine is loaded only when there is one to count."""
        with self._read() as c:
            return c.execute("SELECT 1 FROM saved_searches LIMIT 1").fetchone() is not None

    def counts(self) -> dict[str, int]:
        """Totals for the tree's "Toutes", "Non lus" and "Favoris"."""
        with self._read() as c:
            total = c.execute("SELECT COUNT(*) FROM articles WHERE canonical = 1").fetchone()[0]
            unread = c.execute("SELECT COUNT(*) FROM articles WHERE read = 0 AND canonical = 1").fetchone()[0]
            starred = c.execute(
                "SELECT COUNT(*) FROM articles WHERE starred = 1 AND canonical = 1"
            ).fetchone()[0]
        return {"all": total, "unread": unread, "starred": starred}

    def prune(
        self, days: int, per_feed: int, when: int | None = None, *, unread_days: int | None = None
    ) -> int:
        """Delete what retention no longer keeps; never starred articles, never those in a dossier. Returns
        how many went.

        An article's age counts from the later of its date and the time it reached the cache, so an old post
        found on subscribing stays a full window. Read articles go past ``days``; unread ones past
        ``unread_days`` (``None``: the same as ``days``; ``0``: never by age; never sooner than read ones).
        ``days`` 0 means no age limit at all. Beyond the newest ``per_feed`` of a feed, articles go too
        (0: no cap). Each pruned article leaves a tombstone, so its feed does not bring it back as new."""
        when = when or now()
        keep = "starred = 0 AND id NOT IN (SELECT article_id FROM dossier_items)"
        age = "MAX(published, fetched)"
        unread_days = days if unread_days is None else unread_days
        with self._write() as c:
            doomed: set[int] = set()
            if days > 0:
                # One scan: past the read window, and for an unread article past the (longer) unread one
                # too; with no unread window (None cutoff) the comparison is NULL and unread ones stay.
                unread_cutoff = when - max(days, unread_days) * DAY if unread_days > 0 else None
                doomed.update(
                    r[0]
                    for r in c.execute(
                        f"SELECT id FROM articles WHERE {age} < ? AND (read != 0 OR {age} < ?) AND {keep}",
                        (when - days * DAY, unread_cutoff),
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
            self._bury(c, ids, when)
            self._delete_articles(c, ids)
        return len(doomed)

    @staticmethod
    def _bury(c: sqlite3.Connection, ids: Sequence[int], when: int) -> None:
        """Tombstones for articles about to be pruned: their feed's next documents will not re-add them."""
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            c.execute(
                "INSERT OR REPLACE INTO tombstones (feed_id, key, seen) SELECT feed_id, key, ? FROM articles "
                f"WHERE id IN ({marks}) AND feed_id IS NOT NULL",
                [when, *chunk],
            )

    @staticmethod
    def _delete_articles(c: sqlite3.Connection, ids: Sequence[int]) -> None:
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            c.execute(f"DELETE FROM articles_fts WHERE rowid IN ({marks})", chunk)
            c.execute(f"DELETE FROM article_bodies WHERE id IN ({marks})", chunk)
            c.execute(f"DELETE FROM articles WHERE id IN ({marks})", chunk)
        if ids:
            # A link whose shown copy just went: the oldest remaining copy takes its place.
            c.execute(
                "UPDATE articles SET canonical = 1 WHERE id IN (SELECT MIN(id) FROM articles "
                "WHERE url != '' GROUP BY url HAVING MAX(canonical) = 0)"
            )

    def rebase_local_feeds(self, base_url: str) -> None:
        """Point loopback feeds (the demo site) at ``base_url``: its port may change between runs."""
        new = urlsplit(base_url)
        with self._write() as c:
            for feed_id, url in c.execute("SELECT id, url FROM feeds").fetchall():
                old = urlsplit(url)
                if old.hostname == new.hostname and old.netloc != new.netloc:
                    moved = urlunsplit(old._replace(scheme=new.scheme, netloc=new.netloc))
                    if not c.execute("SELECT 1 FROM feeds WHERE url = ?", (moved,)).fetchone():
                        c.execute("UPDATE feeds SET url = ? WHERE id = ?", (moved, feed_id))
                        c.execute(
                            "UPDATE articles SET url = replace(url, ?, ?) WHERE feed_id = ?",
                            (f"{old.scheme}://{old.netloc}/", f"{new.scheme}://{new.netloc}/", feed_id),
                        )

    def backup(self, target: Path) -> None:
        """A consistent copy of the whole database (SQLite's online backup API), safe while the app or a
        refresh writes. It goes into a temporary file made beside the target (``O_EXCL|O_NOFOLLOW``, 0600),
        is fsynced, then renamed over it (``core/files.py``): a full disk or a crash leaves an earlier backup
        whole, and a symlink at the target is replaced, never written through. Raises WriteError."""
        from gazette_tui.core.files import atomic_target, write_failure

        try:
            with atomic_target(target) as staged:
                destination = sqlite3.connect(staged.path)
                try:
                    with self._lock:
                        self._connection.backup(destination)
                finally:
                    destination.close()
                    Path(f"{staged.path}-journal").unlink(missing_ok=True)  # left by a failed backup
        except (sqlite3.Error, OSError) as error:
            raise write_failure(target, error, "Sauvegarde impossible vers {path}") from None

    # -- settings kept in the database -----------------------------------------------------------

    def meta(self, key: str) -> str | None:
        with self._read() as c:
            row = c.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self._write() as c:
            c.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))
