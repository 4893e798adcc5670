"""One sync of one account: push the outbox, then pull (docs/SYNC.md, « The model »).

:func:`sync_account` is the whole of it, for ``gazette-tui sync now`` and, later, the TUI's timer and
``refresh``. It returns a :class:`SyncReport` that the faces present; a failure is in the report (its
message and whether to retry later), never raised, so that one account's server being down costs only
that account.

Push: the outbox's rows, oldest first, each sent once and deleted once the server has it (a row changed
again meanwhile has a new id and stays). A push that fails stops the sync: nothing is pulled, so nothing
pulled can meet a change the server has not heard of yet.

Pull: the server's groups and feeds (on the first sync, when an item names a feed we do not know, and at
most once an hour otherwise), the items after the cursor, page by page, each page stored with the cursor
after it; then the two state sets, the items they name that the cache has not got (by id), and the set
difference, which leaves out every article with a pending change.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from gazette_tui.core.feeds.entries import build_entry
from gazette_tui.core.storage.store import Store
from gazette_tui.core.storage.sync import SyncAccountRow
from gazette_tui.core.storage.sync_pull import PulledItem
from gazette_tui.core.sync.adapter import Change, RemoteItem, SyncAdapter, SyncError
from gazette_tui.errors import Message

SUBSCRIPTIONS_EVERY = 3600
"""Seconds between two asks for the server's groups and feeds when nothing says they changed."""
PUSH_BATCH = 50
MAX_PAGES = 100_000
"""A bound on one pull (5 million items at 50 a page), against a server whose cursor never ends."""
MISSING_CHUNK = 500
"""Items asked for by id, then stored, at a time, when the state sets name items the pages did not bring:
a server may name thousands, and memory stays bounded."""


@dataclass(slots=True)
class SyncReport:
    """What one sync of one account did; ``error`` says why it stopped, when it did."""

    account: str
    pushed: int = 0
    """Changes the server has now."""
    dropped: int = 0
    """Changes for items the server no longer knows: they can never apply."""
    feeds_added: int = 0
    new: int = 0
    """Articles added to the cache."""
    read: int = 0
    unread: int = 0
    starred: int = 0
    unstarred: int = 0
    kept: int = 0
    """States the server had otherwise, kept because a local change is pending."""
    pending: int = 0
    """Changes still in the outbox after the sync (all of them when the push failed)."""
    requests: int = 0
    error: Message | None = None
    retry_later: bool = False
    """The error is the server's or the network's: the next sync may work as it is."""

    @property
    def ok(self) -> bool:
        return self.error is None

    def as_json(self) -> dict[str, Any]:
        """``sync now --json``, one account (README, « Sync »)."""
        return {
            "account": self.account,
            "ok": self.ok,
            "pushed": self.pushed,
            "dropped": self.dropped,
            "feeds_added": self.feeds_added,
            "new": self.new,
            "read": self.read,
            "unread": self.unread,
            "starred": self.starred,
            "unstarred": self.unstarred,
            "kept": self.kept,
            "pending": self.pending,
            "requests": self.requests,
            "error": self.error.text() if self.error is not None else None,
            "retry_later": self.retry_later,
        }


Progress = Callable[[int, int | None], None]
"""Called with the items pulled so far and the server's total (when it says), after each page."""


def _change(row: Any) -> Change:
    return Change(row.action, row.remote_id, target=row.target, before=row.before)


async def _push(store: Store, account: SyncAccountRow, adapter: SyncAdapter, report: SyncReport) -> None:
    while True:
        batch = await asyncio.to_thread(store.sync.pending, account.id, PUSH_BATCH)
        if not batch:
            return
        sent: list[int] = []
        try:
            for row in batch:
                if await adapter.apply(_change(row)):
                    report.pushed += 1
                else:
                    report.dropped += 1
                sent.append(row.id)
        finally:
            # Deleted even when a later row of the batch failed: those sent are on the server (sending
            # them again after a crash between the two steps is harmless: the changes are idempotent).
            if sent:
                await asyncio.to_thread(store.sync.done, sent)


def _pulled(items: Sequence[RemoteItem], account: SyncAccountRow, feeds: dict[str, int]) -> list[PulledItem]:
    """The items as entries of their local feed, through the feed rules (cleaning, sanitising, links);
    items of a feed we do not know are left for the next page after the subscriptions are asked again."""
    pulled = []
    for item in items:
        feed_id = feeds.get(item.feed_id)
        if feed_id is None:
            continue
        entry = build_entry(
            guid=f"sync:{account.id}:{item.id}",
            link=item.url,
            title=item.title,
            author=item.author,
            published=item.published or None,
            updated=None,
            categories=(),
            summary="",
            content=item.html,
            base_url=item.url,
        )
        pulled.append(PulledItem(item.id, feed_id, entry, item.read, item.saved))
    return pulled


async def _subscriptions(
    store: Store, account: SyncAccountRow, adapter: SyncAdapter, report: SyncReport
) -> dict[str, int]:
    found = await adapter.subscriptions()
    groups = [(g.id, g.title) for g in found.groups]
    feeds = []
    for feed in found.feeds:
        group = found.group_of(feed)
        feeds.append((feed.id, feed.url, feed.title, feed.site_url, group.title if group else ""))
    mapped, added = await asyncio.to_thread(store.sync.link_feeds, account.id, groups, feeds)
    report.feeds_added += added
    return mapped


async def _pull(
    store: Store,
    account: SyncAccountRow,
    adapter: SyncAdapter,
    report: SyncReport,
    progress: Progress | None,
    now: Callable[[], float],
) -> None:
    checked = account.subscriptions_checked
    due = checked is None or now() - checked >= SUBSCRIPTIONS_EVERY
    if due:
        feeds = await _subscriptions(store, account, adapter, report)
    else:
        feeds = await asyncio.to_thread(store.sync.feed_map, account.id)
    asked = due
    cursor = account.cursor
    pulled_so_far = 0
    for _ in range(MAX_PAGES):
        page = await adapter.items_after(cursor)
        if not asked and any(item.feed_id not in feeds for item in page.items):
            feeds = await _subscriptions(store, account, adapter, report)
            asked = True
        result = await asyncio.to_thread(
            store.sync.store_page, account.id, _pulled(page.items, account, feeds), cursor=page.cursor
        )
        report.new += result.new
        pulled_so_far += len(page.items)
        cursor = page.cursor
        if progress is not None:
            progress(pulled_so_far, page.total)
        if page.done:
            break
    unread = await adapter.unread_ids()
    saved = await adapter.saved_ids()
    state = await asyncio.to_thread(store.sync.apply_state, account.id, unread, saved)
    if state.missing:
        # Items the sets name but the pages did not bring (older than the cursor, or pruned here): by id,
        # a chunk at a time, then the state again for them.
        for start in range(0, len(state.missing), MISSING_CHUNK):
            items = await adapter.items_with_ids(state.missing[start : start + MISSING_CHUNK])
            if not asked and any(item.feed_id not in feeds for item in items):
                feeds = await _subscriptions(store, account, adapter, report)
                asked = True
            result = await asyncio.to_thread(
                store.sync.store_page, account.id, _pulled(items, account, feeds), cursor=None
            )
            report.new += result.new
        state = await asyncio.to_thread(store.sync.apply_state, account.id, unread, saved)
    report.read, report.unread = state.read, state.unread
    report.starred, report.unstarred, report.kept = state.starred, state.unstarred, state.kept


async def sync_account(
    store: Store,
    account: SyncAccountRow,
    adapter: SyncAdapter,
    *,
    progress: Progress | None = None,
    now: Callable[[], float] = time.time,
) -> SyncReport:
    """Push the account's outbox, then pull; the report says what happened (never raises SyncError)."""
    report = SyncReport(account.name)
    try:
        await _push(store, account, adapter, report)
        await _pull(store, account, adapter, report, progress, now)
    except SyncError as error:
        report.error = error.message
        report.retry_later = error.retry_later
    report.requests = getattr(adapter, "requests", 0)
    report.pending = await asyncio.to_thread(store.sync.pending_count, account.id)
    await asyncio.to_thread(store.sync.record_result, account.id, report.error, int(now()))
    return report
