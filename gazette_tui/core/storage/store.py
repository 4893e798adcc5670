"""The cache and the user's data, behind one small API: the entry point of ``core/storage``.

A :class:`Store` is one open database. It holds the advisory lock (:mod:`.lock`), owns the connections
(:mod:`.connections`: one writer serialised by a lock, a read connection per reading thread) and exposes one
repository per aggregate: :attr:`~Store.subscriptions` (feeds), :attr:`~Store.articles`,
:attr:`~Store.bodies` (full texts), :attr:`~Store.dossiers`, :attr:`~Store.alerts`,
:attr:`~Store.accounts`, :attr:`~Store.filters` (kill-files) and :attr:`~Store.index` (the search engine's
SQL). Its own methods below are the everyday ones (the CLI and the TUI call them) and delegate to those
repositories.

Nothing outside ``core/storage`` imports ``sqlite3`` or writes SQL (``tests/unit/test_storage_boundary.py``).
Any thread may call a store; other processes (a cron ``refresh``) share the file through WAL and
``BEGIN IMMEDIATE``.
"""

from __future__ import annotations

import sqlite3
from array import array
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path

from gazette_tui.core.storage import sync_marks
from gazette_tui.core.storage.accounts import AccountRepository
from gazette_tui.core.storage.alerts import AlertRepository
from gazette_tui.core.storage.articles import (
    DAY,
    EVERY_ARTICLE,
    NEXT_ARTICLE_ID,
    TOMBSTONE_DAYS,
    ArticleFilter,
    ArticleRepository,
    ReadChange,
    StoreResult,
    last_article_id,
    next_article_id,
    sort_dates,
)
from gazette_tui.core.storage.bodies import BodyRepository
from gazette_tui.core.storage.connections import Connections
from gazette_tui.core.storage.db import now
from gazette_tui.core.storage.dossiers import DossierRepository
from gazette_tui.core.storage.feed_settings import FeedSettingsRepository
from gazette_tui.core.storage.feeds import FeedRepository, FeedState, FeedUpdate
from gazette_tui.core.storage.filters import FilterRepository
from gazette_tui.core.storage.lock import hold_shared
from gazette_tui.core.storage.meta import MetaRepository
from gazette_tui.core.storage.pages import PageFetchRepository
from gazette_tui.core.storage.search_sql import SearchIndex
from gazette_tui.core.storage.sync import SyncRepository
from gazette_tui.core.storage.themes import ThemeRepository
from gazette_tui.errors import Message
from gazette_tui.models import Article, ArticleRow, FeedRow, ParsedFeed

__all__ = [
    "DAY",
    "NEXT_ARTICLE_ID",
    "TOMBSTONE_DAYS",
    "ArticleFilter",
    "FeedState",
    "FeedUpdate",
    "ReadChange",
    "Store",
    "StoreResult",
    "last_article_id",
    "next_article_id",
    "now",
    "sort_dates",
]


class Store:
    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        # Held while the store is open, taken before the file is: ``repair`` refuses meanwhile (lock.py).
        self._hold = hold_shared(path, create=not readonly)
        try:
            self._connections = Connections(path, readonly=readonly)
        except BaseException:
            self._hold.release()
            raise
        self.subscriptions = FeedRepository(self._connections)
        self.feed_settings = FeedSettingsRepository(self._connections)
        self.filters = FilterRepository(self._connections)
        self.articles = ArticleRepository(self._connections)
        self.bodies = BodyRepository(self._connections)
        self.pages = PageFetchRepository(self._connections)
        self.dossiers = DossierRepository(self._connections)
        self.alerts = AlertRepository(self._connections)
        self.accounts = AccountRepository(self._connections)
        self.index = SearchIndex(self._connections)
        self.themes = ThemeRepository(self._connections)
        self.sync = SyncRepository(self._connections)
        self._meta = MetaRepository(self._connections)

    def close(self) -> None:
        """Close every connection (once the reads running in other threads are done) and the lock."""
        try:
            self._connections.close()
        finally:
            self._hold.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- raw access: for tests, benchmarks and maintenance scripts, never for the package ----------------

    def reading(self) -> AbstractContextManager[sqlite3.Connection]:
        """This thread's read connection (``query_only``), one snapshot for the block."""
        return self._connections.read()

    def writing(self) -> AbstractContextManager[sqlite3.Connection]:
        """The writer connection inside one write transaction, for the block."""
        return self._connections.write()

    @property
    def connection(self) -> sqlite3.Connection:
        """The writer connection itself, outside any lock (single-threaded tests: pragmas, checkpoints)."""
        return self._connections.writer

    # -- feeds -----------------------------------------------------------------------------------

    def add_feed(self, url: str, title: str = "", rubrique: str = "", account: str | None = None) -> FeedRow:
        return self.subscriptions.add(url, title, rubrique, account)

    def add_feeds(self, feeds: Iterable[tuple[str, str, str]]) -> int:
        """Subscribe to many (url, title, rubrique) at once; existing URLs are skipped. Returns the count."""
        return self.subscriptions.add_many(feeds)

    def replace_feeds(self, feeds: Sequence[tuple[str, str, str]]) -> tuple[int, int]:
        """Make the subscriptions exactly ``feeds`` (an OPML import with ``--replace``), in one transaction.

        A feed already subscribed (same URL) stays as it is: its articles, read/starred marks, title,
        rubrique and state. Feeds not in the list go as :meth:`remove_feed` removes them (starred articles
        and those in a dossier stay, detached); the others are added. Returns (added, removed)."""
        return self.subscriptions.replace(feeds)

    def remove_feed(self, url: str) -> None:
        """Unsubscribe. Articles that are starred or in a dossier stay, detached from the feed."""
        self.subscriptions.remove(url)

    def remove_all_feeds(self) -> None:
        for feed in self.feeds():
            self.remove_feed(feed.url)

    def feeds(self) -> list[FeedRow]:
        return self.subscriptions.all()

    def feed(self, url: str) -> FeedRow | None:
        """One subscription with its counts; counts only that feed's articles, not the whole cache."""
        return self.subscriptions.get(url)

    def feed_states(self, feed_ids: Iterable[int] | None = None) -> list[FeedState]:
        """Feeds to refresh: enabled ones, or exactly ``feed_ids``."""
        return self.subscriptions.states(feed_ids)

    def known_items(self, feed_id: int) -> frozenset[int]:
        """The raw digests of a feed's cached articles: its parser skips the costly work for those items
        (``parse_feed(known=…)``)."""
        return self.articles.known_raw(feed_id)

    def record_not_modified(self, feed_ids: Iterable[int], when: int | None = None) -> None:
        """Feeds that answered 304: one transaction for all of them (a warm refresh is mostly this)."""
        self.subscriptions.record_not_modified(feed_ids, when)

    def record_failure(
        self,
        feed_id: int,
        error: Message | str,
        *,
        disable: bool = False,
        retry_after: int | None = None,
        when: int | None = None,
    ) -> None:
        """Note the failure on the feed (a message is said later in the reader's language); its articles are
        not touched."""
        self.subscriptions.record_failure(feed_id, error, disable=disable, retry_after=retry_after, when=when)

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
        return self.subscriptions.record_batch(updates, when=when)

    def rebase_local_feeds(self, base_url: str) -> int:
        """Move everything stored from the site on this machine (the demo) to ``base_url``: feed and article
        URLs and the links in stored bodies, whatever port they had (a run whose port was taken, a cache of
        0.1.0 when the port changed at every run); duplicate feeds this makes are merged. Returns the number
        of rows changed (0 when nothing had moved)."""
        return self.subscriptions.rebase_local(base_url)

    # -- articles --------------------------------------------------------------------------------

    def article_ids(self, view: ArticleFilter = EVERY_ARTICLE, limit: int | None = None) -> list[int]:
        """Ids of the articles a list shows, newest first (the first ``limit``). Cheap even for 100k (an
        index scan)."""
        return self.articles.ids(view, limit)

    def article_id_array(self, view: ArticleFilter = EVERY_ARTICLE) -> array[int]:
        """The same ids packed in an ``array`` (8 bytes each): what the TUI's list keeps of a long list."""
        return self.articles.id_array(view)

    def article_rows(self, ids: Sequence[int]) -> list[ArticleRow]:
        """The list lines for ``ids``, in that order (the UI asks only for what is on screen)."""
        return self.articles.rows(ids)

    def article(self, article_id: int) -> Article:
        """One article with its body, and what the filters did to it (the reader says why)."""
        article = self.articles.get(article_id)
        article.filtered = self.filters.marks_of(article_id)
        return article

    def set_read(self, ids: Sequence[int], read: bool = True) -> ReadChange:
        """Mark articles read or unread (and their copies in other feeds); returns what changed: the ids (for
        undo) and how many articles, each counted once."""
        return self.articles.set_read(ids, read)

    def mark_all_read(self, view: ArticleFilter = EVERY_ARTICLE) -> ReadChange:
        """Mark a whole list read in one transaction; returns what changed (see :meth:`set_read`). Its synced
        feeds' servers hear of it as one change per feed or account (:mod:`.sync_marks`)."""
        return sync_marks.mark_list_read(self._connections, self.articles, view)

    def set_starred(self, article_id: int, starred: bool) -> None:
        self.articles.set_starred(article_id, starred)

    def has_articles(self) -> bool:
        """Whether the cache holds any article at all (an empty cache refreshes at start)."""
        return self.articles.any()

    def has_alerts(self) -> bool:
        """Whether any alerte is saved: the search engine is loaded only when there is one to count."""
        return self.alerts.any()

    def counts(self) -> dict[str, int]:
        """Totals for the tree's "Toutes", "Non lus" and "Favoris"."""
        return self.articles.counts()

    def prune(
        self,
        days: int,
        per_feed: int,
        when: int | None = None,
        *,
        unread_days: int | None = None,
        feed_days: Mapping[int, int] | None = None,
    ) -> int:
        """Delete what retention no longer keeps; never starred articles, never those in a dossier. Returns
        how many went.

        An article's age counts from the later of its date and the time it reached the cache, so an old post
        found on subscribing stays a full window. Read articles go past ``days``; unread ones past
        ``unread_days`` (``None``: the same as ``days``; ``0``: never by age; never sooner than read ones).
        ``days`` 0 means no age limit at all. Beyond the newest ``per_feed`` of a feed, articles go too
        (0: no cap). Each pruned article leaves a tombstone, so its feed does not bring it back as new.
        ``feed_days`` gives feeds their own window (their ``retention_days``), read and unread alike (0: no
        age limit for that feed); the same scan prunes them."""
        return self.articles.prune(days, per_feed, when, unread_days=unread_days, feed_days=feed_days)

    # -- the whole file --------------------------------------------------------------------------

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
                    with self._connections.exclusive() as source:
                        source.backup(destination)
                finally:
                    destination.close()
                    Path(f"{staged.path}-journal").unlink(missing_ok=True)  # left by a failed backup
        except (sqlite3.Error, OSError) as error:
            raise write_failure(target, error, "store.backup_to") from None

    # -- settings kept in the database -----------------------------------------------------------

    def meta(self, key: str) -> str | None:
        return self._meta.get(key)

    def set_meta(self, key: str, value: str) -> None:
        self._meta.set(key, value)
