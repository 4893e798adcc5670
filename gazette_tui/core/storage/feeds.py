"""Subscriptions (table ``feeds``): the list with its counts, and each feed's fetch state.

Names are printed (the tree, ``gazette-tui feeds``): they are stored cleaned of every control character, and
HTTP validators, which come from response headers, are never stored with one (:func:`clean_validator`).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from gazette_tui.core.storage import feed_edits
from gazette_tui.core.storage.articles import (
    HIDDEN_BY_FILTERS,
    KnownItemGone,
    StoreResult,
    detach_feed,
    store_entries,
)
from gazette_tui.core.storage.codec import pack, unpack
from gazette_tui.core.storage.connections import Connections
from gazette_tui.core.storage.db import now
from gazette_tui.core.storage.feed_edits import RemovedFeed
from gazette_tui.core.storage.feed_settings import HIDDEN_FEEDS
from gazette_tui.errors import Message, NotFoundError, StoreError, stored_text
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
                raise StoreError("store.already_subscribed", url=url)
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
                raise NotFoundError("store.not_subscribed", url=url)
            _remove(c, row[0])

    def remove_for_undo(self, url: str) -> RemovedFeed:
        """:meth:`remove`, returning all it deleted, for :meth:`put_back` (``feed_edits.py``)."""
        return feed_edits.take(self._db, url, _remove)

    def put_back(self, removed: RemovedFeed) -> FeedRow:
        """Undo :meth:`remove_for_undo`: the feed, its articles and their marks, as they were."""
        feed_edits.put_back(self._db, removed)
        feed = self.get(removed.url)
        assert feed is not None
        return feed

    def rename(self, url: str, title: str) -> FeedRow:
        """The user's name for a feed ("": its own title again, at the next refresh)."""
        feed_edits.rename(self._db, url, title)
        feed = self.get(url)
        assert feed is not None
        return feed

    def move(self, url: str, rubrique: str) -> FeedRow:
        """Put a feed (and its articles) in a rubrique, "" for none."""
        feed_edits.move(self._db, url, rubrique)
        feed = self.get(url)
        assert feed is not None
        return feed

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
                    "SELECT feed_id, COUNT(*), SUM(read = 0) FROM articles "  # as the feed's list shows
                    f"WHERE feed_id IS NOT NULL{counted} AND id NOT IN ({HIDDEN_BY_FILTERS}) "
                    "GROUP BY feed_id",
                    params,
                )
            }
            rows = c.execute(
                "SELECT id, url, title, site_url, rubrique, last_ok, last_error, failures, disabled, "
                f"account, dropped, id IN ({HIDDEN_FEEDS}) FROM feeds{where} "
                "ORDER BY rubrique = '', rubrique, position, id",
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
                last_error=stored_text(r[6]),
                failures=r[7],
                disabled=bool(r[8]),
                account=r[9],
                dropped=r[10],
                hidden=bool(r[11]),
            )
            for r in rows
        ]

    def states(self, feed_ids: Iterable[int] | None = None) -> list[FeedState]:
        """Feeds to refresh: enabled ones, or exactly ``feed_ids``; never one a sync account's server
        fetches for us (``sync_feeds``: its items come from the server, docs/SYNC.md)."""
        with self._db.read() as c:
            rows = c.execute(
                "SELECT id, url, etag, last_modified, retry_after, account, disabled FROM feeds "
                "WHERE id NOT IN (SELECT feed_id FROM sync_feeds) ORDER BY position, id"
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
        error: Message | str,
        *,
        disable: bool = False,
        retry_after: int | None = None,
        when: int | None = None,
    ) -> None:
        """Note the failure on the feed; its articles are not touched. A :class:`Message` is kept as its code
        and parameters, so the feed's status is said in the language of whoever reads it."""
        stored = error.dumps() if isinstance(error, Message) else error
        with self._db.write() as c:
            c.execute(
                "UPDATE feeds SET last_fetched = ?, last_error = ?, failures = failures + 1, "
                "disabled = MAX(disabled, ?), retry_after = ? WHERE id = ?",
                (when or now(), stored, int(disable), retry_after, feed_id),
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

    def rebase_local(self, base_url: str) -> int:
        """Move what the profile holds from a site on this machine (the demo) to ``base_url``, whatever
        port it had before: feed and article URLs, and the links inside stored bodies (summaries, contents,
        full texts, enclosures), so that links, followed dossiers and exports lead to the site as it runs
        today. Two feeds that become one address (a dossier followed again after the port changed) are
        merged into the one that has been reached; the other goes as :meth:`remove` does. Returns how many
        rows changed. One pass over the site's articles when the origin changed; a lookup otherwise."""
        new = urlsplit(base_url)
        host = (new.hostname or "").lower()
        if new.scheme not in ("http", "https") or not host:
            return 0
        origin = f"{new.scheme}://{new.netloc}"
        bracketed = f"[{host}]" if ":" in host else host
        # http(s)://host or host:port, then the end of the origin: 127.0.0.1.example is another host.
        local = re.compile(rf"https?://{re.escape(bracketed)}(?::\d+)?(?![\w.:-])", re.IGNORECASE)

        def move(text: str) -> str:
            return local.sub(origin, text) if text else text

        with self._db.write() as c:
            done = c.execute("SELECT value FROM meta WHERE key = ?", (_REBASED,)).fetchone()
            if done is not None and done[0] == origin:
                return 0  # everything was moved here by an earlier run, and only this site wrote since
            changed = _rebase_feeds(c, move)
            changed += _rebase_articles(c, move, f"%//{bracketed}%")
            c.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (_REBASED, origin))
        return changed


_REBASED = "local_site.origin"
"""``meta`` key: the origin everything of the local site was last moved to (:meth:`rebase_local`)."""
_BODY_COLUMNS = ("summary_html", "content_html", "fulltext_html", "enclosures", "external_url")
_PACKED = frozenset({"summary_html", "content_html", "fulltext_html"})


def _rebase_feeds(c: sqlite3.Connection, move: Callable[[str], str]) -> int:
    rows = c.execute("SELECT id, url, site_url, last_ok FROM feeds ORDER BY id").fetchall()
    counts = dict(
        c.execute("SELECT feed_id, COUNT(*) FROM articles WHERE feed_id IS NOT NULL GROUP BY feed_id")
    )
    by_url: dict[str, list[tuple[int, str, str, int]]] = {}
    for feed_id, url, site_url, last_ok in rows:
        by_url.setdefault(move(url), []).append((feed_id, url, site_url, last_ok or 0))
    changed = 0
    for moved, group in by_url.items():
        # The feed that was reached and holds the articles stays; a duplicate that never was goes.
        group.sort(key=lambda row: (row[3], counts.get(row[0], 0), -row[0]), reverse=True)
        for duplicate in group[1:]:
            _remove(c, duplicate[0])
            changed += 1
        feed_id, url, site_url, _last_ok = group[0]
        if moved != url or move(site_url) != site_url:
            c.execute("UPDATE feeds SET url = ?, site_url = ? WHERE id = ?", (moved, move(site_url), feed_id))
            changed += 1
    return changed


def _rebase_articles(c: sqlite3.Connection, move: Callable[[str], str], like: str) -> int:
    changed = 0
    for article_id, url in c.execute("SELECT id, url FROM articles WHERE url LIKE ?", (like,)).fetchall():
        if move(url) != url:
            c.execute("UPDATE articles SET url = ? WHERE id = ?", (move(url), article_id))
            changed += 1
    columns = ", ".join(_BODY_COLUMNS)
    rows = c.execute(
        f"SELECT b.id, {columns} FROM article_bodies b JOIN articles a ON a.id = b.id WHERE a.url LIKE ?",
        (like,),
    ).fetchall()
    for article_id, *values in rows:
        updates: dict[str, str | bytes] = {}
        for column, value in zip(_BODY_COLUMNS, values, strict=True):
            text = unpack(value)
            moved = move(text)
            if moved != text:
                updates[column] = pack(moved) if column in _PACKED else moved
        if updates:
            assignments = ", ".join(f"{column} = ?" for column in updates)
            values = (*updates.values(), article_id)
            c.execute(f"UPDATE article_bodies SET {assignments} WHERE id = ?", values)
            changed += 1
    return changed


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
    c.execute("DELETE FROM feed_settings WHERE feed_id = ?", (feed_id,))  # as the CASCADE, without the pragma
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
