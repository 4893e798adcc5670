"""A pull's writes (``core/storage/sync.py`` is the repository that runs them, each in one transaction): a
page of the server's items into the cache, and the server's state sets applied as a set difference.

Both run with a row in ``sync_quiet``: the outbox's triggers stay quiet while what the server said is
written, since it is not a local change. Neither overwrites a pending change: an article tied before it
had been read or starred here sends that state to the server (the reader did it here), and the state pass
leaves out every article with an outbox row for the state it would change.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from gazette_tui.core.storage.articles import store_entries
from gazette_tui.models import ParsedEntry

CHUNK = 500


def chunks(values: Sequence[object]) -> Iterable[Sequence[object]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


_chunks, _marks = chunks, marks


@contextmanager
def _quiet(c: sqlite3.Connection) -> Iterator[None]:
    """The triggers stay quiet for the block (a row in ``sync_quiet``, inside the caller's transaction:
    no other writer ever sees it)."""
    c.execute("INSERT INTO sync_quiet (pulling) VALUES (1)")
    yield
    c.execute("DELETE FROM sync_quiet")


@dataclass(frozen=True, slots=True)
class PulledItem:
    """An item of the server, made into an entry by the feed rules, for the local feed ``feed_id``."""

    remote_id: str
    feed_id: int
    entry: ParsedEntry
    read: bool
    saved: bool


@dataclass(slots=True)
class PageResult:
    new: int = 0
    """Articles added to the cache."""
    linked: int = 0
    """Items found already in the cache (the same link in the same feed) and tied to their article."""
    unresolved: list[str] = field(default_factory=list)
    """Items the cache would not take (retention pruned them): not tied to anything."""


@dataclass(slots=True)
class StateResult:
    read: int = 0
    unread: int = 0
    starred: int = 0
    unstarred: int = 0
    kept: int = 0
    """States left as they are because a local change to them is pending."""
    missing: list[str] = field(default_factory=list)
    """Ids the server lists (unread or saved) that the cache has not got: ask for them by id."""

    @property
    def changed(self) -> int:
        return self.read + self.unread + self.starred + self.unstarred


def store_page(
    c: sqlite3.Connection, account_id: int, items: Sequence[PulledItem], *, cursor: str | None, when: int
) -> PageResult:
    """One page of the server's items, and the cursor after it (None: leave it), in the caller's write
    transaction:
    an item already tied is left alone; one whose link the feed already has is tied to that article
    (and a read or starred state set here goes to the outbox: the reader did it here); the others are
    stored as a feed's items are, with the server's read and saved states."""
    result = PageResult()
    with _quiet(c):
        known = {
            str(r[0])
            for chunk in _chunks([i.remote_id for i in items])
            for r in c.execute(
                f"SELECT remote_id FROM sync_items WHERE account_id = ? AND remote_id IN ({_marks(chunk)})",
                (account_id, *chunk),
            )
        }
        by_feed: dict[int, list[PulledItem]] = {}
        for item in items:
            if item.remote_id not in known:
                known.add(item.remote_id)  # an id twice in a page: the first wins
                by_feed.setdefault(item.feed_id, []).append(item)
        for feed_id, pulled in by_feed.items():
            _store_feed_items(c, account_id, feed_id, pulled, when, result)
        if cursor is not None:
            c.execute(
                "UPDATE sync_accounts SET cursor = ?, last_pull = ? WHERE id = ?",
                (cursor, when, account_id),
            )
    return result


def _store_feed_items(
    c: sqlite3.Connection,
    account_id: int,
    feed_id: int,
    pulled: list[PulledItem],
    when: int,
    result: PageResult,
) -> None:
    feed = c.execute("SELECT title, rubrique FROM feeds WHERE id = ?", (feed_id,)).fetchone()
    if feed is None:
        result.unresolved += [item.remote_id for item in pulled]
        return
    urls = [item.entry.url for item in pulled if item.entry.url]
    cached: dict[str, tuple[int, int, int]] = {}
    for chunk in _chunks(urls):
        for article_id, url, read, starred in c.execute(
            f"SELECT a.id, a.url, a.read, a.starred FROM articles a WHERE a.feed_id = ? AND a.url IN "
            f"({_marks(chunk)}) AND a.id NOT IN (SELECT article_id FROM sync_items)",
            (feed_id, *chunk),
        ):
            cached.setdefault(str(url), (int(article_id), int(read), int(starred)))
    fresh: list[PulledItem] = []
    ties: list[tuple[PulledItem, int]] = []
    for item in pulled:
        found = cached.pop(item.entry.url, None) if item.entry.url else None
        if found is None:
            fresh.append(item)
            continue
        article_id, read, starred = found
        ties.append((item, article_id))
        result.linked += 1
        # What the reader did here before the account existed wins: it goes to the server.
        for local, remote, state, column in (
            (read, item.read, "read", "read"),
            (starred, item.saved, "saved", "starred"),
        ):
            if local and not remote:
                c.execute(
                    "INSERT OR REPLACE INTO sync_outbox (account_id, target, remote_id, field, action, "
                    "created) VALUES (?, 'item', ?, ?, ?, ?)",
                    (account_id, item.remote_id, state, state, when),
                )
            elif remote and not local:
                c.execute(f"UPDATE articles SET {column} = 1 WHERE id = ?", (article_id,))
    if fresh:
        outcome = store_entries(
            c, feed_id, [i.entry for i in fresh], when, feed_title=str(feed[0]), rubrique=str(feed[1])
        )
        result.new += outcome.new
        keys = [i.entry.key for i in fresh]
        ids: dict[str, int] = {}
        for chunk in _chunks(keys):
            ids.update(
                (str(r[0]), int(r[1]))
                for r in c.execute(
                    f"SELECT key, id FROM articles WHERE feed_id = ? AND key IN ({_marks(chunk)})",
                    (feed_id, *chunk),
                )
            )
        for item in fresh:
            article_id = ids.get(item.entry.key)
            if article_id is None:
                result.unresolved.append(item.remote_id)
                continue
            ties.append((item, article_id))
            if item.read:
                c.execute("UPDATE articles SET read = 1 WHERE id = ?", (article_id,))
            if item.saved:
                c.execute("UPDATE articles SET starred = 1 WHERE id = ?", (article_id,))
    c.executemany(
        "INSERT OR IGNORE INTO sync_items (account_id, remote_id, article_id) VALUES (?, ?, ?)",
        [(account_id, item.remote_id, article_id) for item, article_id in ties],
    )


# -- state ---------------------------------------------------------------------------------------------


def apply_state(
    c: sqlite3.Connection, account_id: int, unread: frozenset[str], saved: frozenset[str]
) -> StateResult:
    """Make the cache say what the server says (its full sets), except where a local change is
    pending: the article keeps its state, and the push will send it. In the caller's write transaction,
    so that a local change is either committed before (kept) or after (it comes after) this one."""
    result = StateResult()
    with _quiet(c):
        pending = {
            (str(r[0]), str(r[1]))
            for r in c.execute(
                "SELECT remote_id, field FROM sync_outbox WHERE account_id = ? AND target = 'item'",
                (account_id,),
            )
        }
        lists = c.execute(
            "SELECT o.target, o.remote_id, o.before, f.feed_id FROM sync_outbox o "
            "LEFT JOIN sync_feeds f ON f.account_id = o.account_id AND f.remote_id = o.remote_id "
            "AND o.target = 'feed' WHERE o.account_id = ? AND o.target != 'item'",
            (account_id,),
        ).fetchall()
        every_list = any(target == "group" for target, *_ in lists)
        feeds_read = {int(r[3]): int(r[2]) for r in lists if r[0] == "feed" and r[3] is not None}
        known: set[str] = set()
        changes: dict[tuple[str, int], list[int]] = {}
        for remote_id, article_id, read, starred, feed_id, published in c.execute(
            "SELECT s.remote_id, s.article_id, a.read, a.starred, a.feed_id, a.published "
            "FROM sync_items s JOIN articles a ON a.id = s.article_id WHERE s.account_id = ?",
            (account_id,),
        ):
            known.add(remote_id)
            want_read = remote_id not in unread
            if bool(read) != want_read:
                list_pending = not want_read and (
                    every_list or (feed_id in feeds_read and published < feeds_read[feed_id])
                )
                if (remote_id, "read") in pending or list_pending:
                    result.kept += 1
                else:
                    changes.setdefault(("read", int(want_read)), []).append(article_id)
            want_saved = remote_id in saved
            if bool(starred) != want_saved:
                if (remote_id, "saved") in pending:
                    result.kept += 1
                else:
                    changes.setdefault(("starred", int(want_saved)), []).append(article_id)
        for (column, value), article_ids in changes.items():
            for chunk in _chunks(article_ids):
                c.execute(f"UPDATE articles SET {column} = ? WHERE id IN ({_marks(chunk)})", (value, *chunk))
            count = len(article_ids)
            if column == "read":
                result.read, result.unread = (
                    (result.read + count, result.unread) if value else (result.read, result.unread + count)
                )
            elif value:
                result.starred += count
            else:
                result.unstarred += count
    result.missing = sorted((unread | saved) - known, key=lambda i: (len(i), i))
    return result
