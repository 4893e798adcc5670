"""Subscriptions (table ``feeds``): the list with its counts, and each feed's fetch state.

Names are printed (the tree, ``gazette-tui feeds``): they are stored cleaned of every control character, and
HTTP validators, which come from response headers, are never stored with one (:func:`clean_validator`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from gazette_tui.core.storage.articles import KnownItemGone, StoreResult, detach_feed, store_entries
from gazette_tui.core.storage.connections import Connections
from gazette_tui.core.storage.db import now
from gazette_tui.errors import NotFoundError, StoreError
from gazette_tui.models import FeedRow, ParsedFeed
from gazette_tui.text import clean_line, clean_validator


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


def credentials_key(feed_id: int) -> str:
    """The ``meta`` key that says a feed has credentials in the keyring (``core/accounts/feed_credentials``);
    it goes with the feed, so that a reused id does not inherit the mark."""
    return f"feed.{feed_id}.credentials"


class FeedRepository:
    def __init__(self, connections: Connections) -> None:
        self._db = connections

    def add(self, url: str, title: str = "", rubrique: str = "", account: str | None = None) -> FeedRow:
        title, rubrique = clean_line(title), clean_line(rubrique)
        with self._db.write() as c:
            if c.execute("SELECT 1 FROM feeds WHERE url = ?", (url,)).fetchone():
                raise StoreError(f"Déjà abonné à {url}.")
            position = c.execute("SELECT COALESCE(MAX(position), 0) + 1 FROM feeds").fetchone()[0]
            c.execute(
                "INSERT INTO feeds (url, title, rubrique, account, position, added) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (url, title, rubrique, account, position, now()),
            )
        feed = self.get(url)
        assert feed is not None
        return feed

    def add_many(self, feeds: Iterable[tuple[str, str, str]]) -> int:
        """Subscribe to many (url, title, rubrique) at once; existing URLs are skipped. Returns the count."""
        with self._db.write() as c:
            return _add_many(c, feeds)

    def replace(self, feeds: Sequence[tuple[str, str, str]]) -> tuple[int, int]:
        """Make the subscriptions exactly ``feeds``, in one transaction (see :meth:`Store.replace_feeds`)."""
        wanted = {url for url, _, _ in feeds}
        with self._db.write() as c:
            doomed = [r[0] for r in c.execute("SELECT id, url FROM feeds") if r[1] not in wanted]
            for feed_id in doomed:
                _remove(c, feed_id)
            return _add_many(c, feeds), len(doomed)

    def remove(self, url: str) -> None:
        """Unsubscribe. Articles that are starred or in a dossier stay, detached from the feed."""
        with self._db.write() as c:
            row = c.execute("SELECT id FROM feeds WHERE url = ?", (url,)).fetchone()
            if row is None:
                raise NotFoundError(f"Aucun abonnement à {url}.")
            _remove(c, row[0])

    def all(self) -> list[FeedRow]:
        return self._rows("", [])

    def get(self, url: str) -> FeedRow | None:
        """One subscription with its counts; counts only that feed's articles, not the whole cache."""
        rows = self._rows(" WHERE url = ?", [url])
        return rows[0] if rows else None

    def _rows(self, where: str, params: list[object]) -> list[FeedRow]:
        counted = " AND feed_id IN (SELECT id FROM feeds" + where + ")" if where else ""
        with self._db.read() as c:
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

    def states(self, feed_ids: Iterable[int] | None = None) -> list[FeedState]:
        """Feeds to refresh: enabled ones, or exactly ``feed_ids``."""
        with self._db.read() as c:
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
        with self._db.write() as c:
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
        with self._db.write() as c:
            c.execute(
                "UPDATE feeds SET last_fetched = ?, last_error = ?, failures = failures + 1, "
                "disabled = MAX(disabled, ?), retry_after = ? WHERE id = ?",
                (when or now(), error, int(disable), retry_after, feed_id),
            )

    def record_batch(self, updates: Sequence[FeedUpdate], *, when: int | None = None) -> list[StoreResult]:
        """Several parsed feeds in one transaction (see :meth:`Store.record_batch`)."""
        when = when or now()
        results = []
        with self._db.write() as c:
            for update in updates:
                # Each document alone can be undone (a stale known item) without losing the others.
                c.execute("SAVEPOINT document")
                try:
                    results.append(_store_document(c, update, when))
                except KnownItemGone:
                    c.execute("ROLLBACK TO document")
                    results.append(StoreResult(stale=True))
                c.execute("RELEASE document")
        return results

    def rebase_local(self, base_url: str) -> None:
        """Point loopback feeds (the demo site) at ``base_url``: its port may change between runs."""
        new = urlsplit(base_url)
        with self._db.write() as c:
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


def _add_many(c: sqlite3.Connection, feeds: Iterable[tuple[str, str, str]]) -> int:
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


def _remove(c: sqlite3.Connection, feed_id: int) -> None:
    detach_feed(c, feed_id)
    c.execute("DELETE FROM meta WHERE key = ?", (credentials_key(feed_id),))
    c.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))


def _store_document(c: sqlite3.Connection, update: FeedUpdate, when: int) -> StoreResult:
    feed_id, parsed = update.feed_id, update.parsed
    etag, last_modified = clean_validator(update.etag), clean_validator(update.last_modified)
    feed = c.execute("SELECT title, rubrique FROM feeds WHERE id = ?", (feed_id,)).fetchone()
    if feed is None:
        return StoreResult()
    feed_title = feed[0] or parsed.title
    c.execute(
        "UPDATE feeds SET title = ?, site_url = COALESCE(NULLIF(?, ''), site_url), etag = ?, "
        "last_modified = ?, last_fetched = ?, last_ok = ?, last_error = NULL, failures = 0, "
        "retry_after = NULL, dropped = ? WHERE id = ?",
        (feed_title, parsed.site_url, etag, last_modified, when, when, max(parsed.dropped, 0), feed_id),
    )
    new_url = update.new_url
    if new_url and not c.execute("SELECT 1 FROM feeds WHERE url = ?", (new_url,)).fetchone():
        c.execute("UPDATE feeds SET url = ? WHERE id = ?", (new_url, feed_id))
    return store_entries(c, feed_id, parsed.entries, when, feed_title=feed_title, rubrique=feed[1])
