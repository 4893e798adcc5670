"""« Mark all as read » on a list that holds synced feeds: one outbox row per feed (or one for a whole
account) rather than one per cached article, so the server marks what it has and the cache has not pulled
yet too (Fever's ``mark=feed|group&as=read&before=T``; docs/SYNC.md, « Idempotent operations »).

The local mark is :meth:`ArticleRepository.mark_all_read`, run in the same write transaction as the
outbox rows (a nested write joins it): either the articles are read and the server will hear of it, or
neither. The triggers write an ``item`` row for each synced article the mark changed; the rows that a
list row covers are deleted again in the same transaction, by the rule the pull uses to keep a pending
list mark (``sync_pull.apply_state``): an article of a covered feed published before ``T``. Those it does
not cover stay, and are sent one by one: an article dated after the last pull (the server compares the
item's date with ``T``), an undated one, a copy of the article in another feed.

``T`` is the time of the account's last pull: an item that reached the server after it stays unread
there, since the reader never saw it.

Which rows a list gets:

- the account's line in the tree: one ``group`` row, id ``0`` (every feed of the account);
- « Toutes » / « Non lus »: the same, for each account none of whose feeds is hidden (a hidden feed is
  out of those lists, so it must not be marked); otherwise one ``feed`` row per synced feed shown;
- a rubrique, a feed: one ``feed`` row per synced feed in it. Never a ``group`` row for a rubrique: a feed
  moved here from another of the server's groups would be missed, one moved out would be marked.
- « Favoris », a dossier: no list row (only some articles of each feed are in them): the item rows.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from gazette_tui.core.storage.articles import ArticleFilter, ArticleRepository, ReadChange
from gazette_tui.core.storage.connections import Connections
from gazette_tui.core.storage.db import now
from gazette_tui.core.storage.feed_settings import HIDDEN_FEEDS
from gazette_tui.core.storage.sync_pull import chunks, marks


@dataclass(frozen=True, slots=True)
class ListMark:
    """One outbox row for a whole list: ``target`` (``feed`` or ``group``) ``remote_id`` of an account,
    covering the local feeds ``feed_ids``."""

    account_id: int
    target: str
    remote_id: str
    before: int
    feed_ids: tuple[int, ...]


def _covers_lists(view: ArticleFilter) -> bool:
    """Whether the list is every article of its feeds (so a feed's row is exactly right)."""
    return not view.starred and view.dossier_id is None


def list_marks(c: sqlite3.Connection, view: ArticleFilter) -> list[ListMark]:
    """The list rows that « all read » on ``view`` sends, by account."""
    if not _covers_lists(view):
        return []
    account = view.sync_account
    clauses: list[str] = []
    params: list[object] = []
    if view.feed_id is not None:
        clauses.append("f.id = ?")
        params.append(view.feed_id)
    if view.rubrique is not None:
        clauses.append("f.rubrique = ?")
        params.append(view.rubrique)
    if account is not None:
        clauses.append("s.account_id = ?")
        params.append(account)
    every = view.feed_id is None and view.rubrique is None and account is None
    where = (" AND " + " AND ".join(clauses)) if clauses else ""
    rows = c.execute(
        f"SELECT s.account_id, s.remote_id, f.id, f.id IN ({HIDDEN_FEEDS}), a.last_pull FROM sync_feeds s "
        f"JOIN feeds f ON f.id = s.feed_id JOIN sync_accounts a ON a.id = s.account_id "
        f"WHERE a.last_pull IS NOT NULL{where} ORDER BY s.account_id, f.id",
        params,
    ).fetchall()
    by_account: dict[int, list[tuple[str, int, bool, int]]] = {}
    for account_id, remote_id, feed_id, hidden, last_pull in rows:
        by_account.setdefault(int(account_id), []).append(
            (str(remote_id), int(feed_id), bool(hidden), last_pull)
        )
    found: list[ListMark] = []
    for account_id, feeds in by_account.items():
        before = int(feeds[0][3])
        whole = account is not None and view.feed_id is None and view.rubrique is None
        if whole or (every and not any(hidden for _r, _f, hidden, _p in feeds)):
            found.append(ListMark(account_id, "group", "0", before, tuple(f for _r, f, _h, _p in feeds)))
            continue
        for remote_id, feed_id, hidden, _pull in feeds:
            if every and hidden:
                continue  # out of « Toutes »: not marked here, so not on the server either
            found.append(ListMark(account_id, "feed", remote_id, before, (feed_id,)))
    return found


def _drop_covered(c: sqlite3.Connection, mark: ListMark, newer_than: int) -> None:
    """Delete the ``item`` read rows this mark wrote through the triggers (ids above ``newer_than``) that
    the list row covers: articles of its feeds, dated, published before its ``before``."""
    for chunk in chunks(mark.feed_ids):
        c.execute(
            "DELETE FROM sync_outbox WHERE id > ? AND account_id = ? AND target = 'item' AND field = 'read' "
            "AND action = 'read' AND remote_id IN (SELECT s.remote_id FROM sync_items s "
            "JOIN articles a ON a.id = s.article_id WHERE s.account_id = ? AND a.undated = 0 "
            f"AND a.published < ? AND a.feed_id IN ({marks(chunk)}))",
            (newer_than, mark.account_id, mark.account_id, mark.before, *chunk),
        )


def mark_list_read(db: Connections, articles: ArticleRepository, view: ArticleFilter) -> ReadChange:
    """Mark a whole list read and tell the synced feeds' servers in as few rows as the list allows, in one
    transaction. Returns what changed locally (the ids for undo: an undo marks them unread one by one,
    which the triggers send as item rows after the list row)."""
    with db.write() as c:
        found = list_marks(c, view)
        if not found:
            return articles.mark_all_read(view)
        newer_than = int(c.execute("SELECT COALESCE(MAX(id), 0) FROM sync_outbox").fetchone()[0])
        changed = articles.mark_all_read(view)  # joins this transaction; the triggers write item rows
        when = now()
        for mark in found:
            _drop_covered(c, mark, newer_than)
            c.execute(
                "INSERT OR REPLACE INTO sync_outbox (account_id, target, remote_id, field, action, before, "
                "created) VALUES (?, ?, ?, 'read', 'read', ?, ?)",
                (mark.account_id, mark.target, mark.remote_id, mark.before, when),
            )
        return changed
