"""Refresh orchestration: fetch every feed concurrently, parse off the event loop on every core, store.

One failed feed never stops the others; a failure only updates that feed's status columns (last error,
consecutive failures), never its articles. The event loop only waits: parsing runs in a process pool and
SQLite writes in a thread, so the TUI stays responsive while this runs inside it.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from dataclasses import dataclass, field

from gazette_tui.core.accounts.feed_credentials import load_auth, without_userinfo
from gazette_tui.core.feeds import feed_settings
from gazette_tui.core.feeds.fetch import Fetcher, FetchFailure, FetchResult
from gazette_tui.core.feeds.parse_pool import ParsePool, parse_job
from gazette_tui.core.settings import Settings
from gazette_tui.core.storage.store import FeedState, FeedUpdate, Store, StoreResult
from gazette_tui.errors import Message, StoreError, message
from gazette_tui.models import ParsedFeed

log = logging.getLogger(__name__)

# Feeds smaller than this are parsed in-process: shipping them to a worker costs more than parsing.
INLINE_PARSE_BYTES = 32 * 1024


@dataclass(slots=True)
class FeedOutcome:
    feed_id: int
    url: str
    ok: bool
    error: str | None = None
    """Why the feed failed, in the current language (:attr:`problem` is the message itself)."""
    problem: Message | None = None
    new: int = 0
    updated: int = 0
    not_modified: bool = False
    skipped: bool = False
    connection_error: bool = False
    done: int = 0
    total: int = 0


@dataclass(slots=True)
class RefreshReport:
    feeds: int = 0
    ok: int = 0
    failed: int = 0
    skipped: int = 0
    new: int = 0
    updated: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    offline: bool = False
    """No feed could be reached, each for want of a connection, in a refresh of every feed: the network is
    down (a refresh of chosen feeds is never "offline": its failures are those feeds' own)."""
    seconds: float = 0.0
    pruned: int = 0
    """Articles retention removed at the end of this refresh (a feed longer than ``per_feed`` loses its
    oldest at once, tombstoned): ``new`` counts what arrived, this what was let go."""

    def as_json(self) -> dict[str, object]:
        return {
            "feeds": self.feeds,
            "ok": self.ok,
            "failed": self.failed,
            "skipped": self.skipped,
            "new": self.new,
            "updated": self.updated,
            "pruned": self.pruned,
            "errors": [{"url": url, "error": error} for url, error in self.errors],
        }


ProgressCallback = Callable[[FeedOutcome], None]


def make_parse_pool(*, deadline: float = 10.0) -> ParsePool:
    """Worker processes for parsing, one per core (at most 8), each feed within ``deadline`` seconds.
    Workers always start from a fork server, never as a plain fork of the (threaded) caller: see
    :mod:`gazette_tui.core.feeds.parse_pool`."""
    return ParsePool(deadline=deadline)


class _BatchWriter:
    """One writer for the whole refresh: parsed feeds queue up while SQLite is busy, and each transaction
    takes everything that is waiting (see ``Store.record_batch``)."""

    MAX_BATCH = 16

    def __init__(self, store: Store) -> None:
        self.store = store
        self.queue: asyncio.Queue[tuple[FeedUpdate, asyncio.Future[StoreResult]]] = asyncio.Queue()
        self.task = asyncio.get_running_loop().create_task(self._run())

    async def write(self, update: FeedUpdate) -> StoreResult:
        future: asyncio.Future[StoreResult] = asyncio.get_running_loop().create_future()
        await self.queue.put((update, future))
        return await future

    async def _run(self) -> None:
        while True:
            batch = [await self.queue.get()]
            while not self.queue.empty() and len(batch) < self.MAX_BATCH:
                batch.append(self.queue.get_nowait())
            try:
                results = await asyncio.to_thread(self.store.record_batch, [u for u, _ in batch])
            except StoreError as error:
                for _, future in batch:
                    if not future.done():
                        future.set_exception(error)
            else:
                for (_, future), result in zip(batch, results, strict=True):
                    if not future.done():
                        future.set_result(result)

    async def close(self) -> None:
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task


async def refresh_feeds(
    store: Store,
    settings: Settings,
    *,
    feed_ids: Iterable[int] | None = None,
    on_progress: ProgressCallback | None = None,
    executor: Executor | None = None,
    pool: ParsePool | None = None,
    fetcher: Fetcher | None = None,
) -> RefreshReport:
    """Refresh the subscribed feeds (or exactly ``feed_ids``) and return what happened."""
    started = time.perf_counter()
    feeds = await asyncio.to_thread(store.feed_states, feed_ids)
    report = RefreshReport(feeds=len(feeds))
    if not feeds:
        return report
    # Credentials of the feeds added with user:password@ (keyring, only for those that have some).
    credentials = await asyncio.to_thread(load_auth, store, [(f.id, f.url) for f in feeds])
    own_settings = await asyncio.to_thread(feed_settings.effective, store)
    loop = asyncio.get_running_loop()
    own_pool = pool is None and executor is None
    done = 0
    # Feeds between "fetch started" and "stored": bounds the bodies and parsed entries held in memory when
    # the network is faster than parsing (a cold refresh on a fast link).
    in_flight = asyncio.Semaphore(max(2, settings.refresh.concurrency))
    writer = _BatchWriter(store)

    async def parse(result: FetchResult, known: frozenset[int]) -> ParsedFeed | Message:
        """Inline when small; in the pool's workers, with the per-feed deadline; in ``executor`` when a test
        gives one."""
        nonlocal pool
        body, url, content_type = result.body, result.url, result.content_type
        if len(body) <= INLINE_PARSE_BYTES:
            return parse_job(body, url, content_type, known)
        if executor is not None:
            return await loop.run_in_executor(executor, parse_job, body, url, content_type, known)
        if pool is None:
            pool = make_parse_pool(deadline=settings.refresh.parse_timeout)
        return await pool.parse(body, url, content_type, known)

    async def one(feed: FeedState, client: Fetcher) -> FeedOutcome:
        if feed.retry_after and feed.retry_after > time.time():
            return FeedOutcome(feed.id, feed.url, ok=True, skipped=True)
        try:
            auth = credentials.get(feed.id)
            agent = own_settings.get(feed.id, feed_settings.DEFAULTS).user_agent
            if auth is None and agent is None:
                result = await client.fetch(feed.url, feed.etag, feed.last_modified)
            else:
                result = await client.fetch(
                    feed.url, feed.etag, feed.last_modified, auth=auth, user_agent=agent
                )
        except FetchFailure as failure:
            log.info("%s: %s", without_userinfo(feed.url), failure)
            await asyncio.to_thread(
                store.record_failure,
                feed.id,
                failure.message,
                disable=failure.disable,
                retry_after=failure.retry_after,
            )
            return FeedOutcome(
                feed.id,
                feed.url,
                ok=False,
                error=str(failure),
                problem=failure.message,
                connection_error=failure.connection,
            )
        if result.not_modified:
            return FeedOutcome(feed.id, feed.url, ok=True, not_modified=True)
        # Items the cache holds from the same raw values are not sanitised, indexed and compressed again
        # (most of a feed that changed by a few items). Should one have gone meanwhile, parse in full.
        known = await asyncio.to_thread(store.known_items, feed.id)
        new_url = result.url if result.moved else None
        while True:
            parsed = await parse(result, known)
            if isinstance(parsed, Message):
                log.info("%s: %s", without_userinfo(feed.url), parsed)
                await asyncio.to_thread(store.record_failure, feed.id, parsed)
                return FeedOutcome(feed.id, feed.url, ok=False, error=str(parsed), problem=parsed)
            update = FeedUpdate(feed.id, parsed, result.etag, result.last_modified, new_url)
            stored = await writer.write(update)
            if not stored.stale or not known:
                break
            known = frozenset()
        return FeedOutcome(feed.id, feed.url, ok=True, new=stored.new, updated=stored.updated)

    async def guarded(feed: FeedState, client: Fetcher) -> FeedOutcome:
        nonlocal done
        try:
            async with in_flight:
                outcome = await one(feed, client)
        except StoreError as error:
            outcome = FeedOutcome(feed.id, feed.url, ok=False, error=str(error), problem=error.message)
        except Exception as error:  # a bug must cost one feed, never the whole refresh
            log.exception("%s: unexpected error", without_userinfo(feed.url))  # the trace, for the log only
            problem = message("feed.unexpected", kind=type(error).__name__)
            outcome = FeedOutcome(feed.id, feed.url, ok=False, error=str(problem), problem=problem)
            with contextlib.suppress(StoreError):
                await asyncio.to_thread(store.record_failure, feed.id, problem)
        done += 1
        outcome.done, outcome.total = done, len(feeds)
        if on_progress is not None:
            on_progress(outcome)
        return outcome

    client = fetcher or Fetcher(settings.refresh)
    try:
        outcomes = await asyncio.gather(*(guarded(feed, client) for feed in feeds))
    finally:
        await writer.close()
        if fetcher is None:
            await client.__aexit__(None, None, None)
        if own_pool and pool is not None:
            pool.close()
    unchanged = [o.feed_id for o in outcomes if o.not_modified]
    if unchanged:
        await asyncio.to_thread(store.record_not_modified, unchanged)
    _summarise(report, outcomes, every_feed=feed_ids is None)
    if report.new or report.updated:
        # Everything the feeds carry was stored, whatever its age; retention prunes here, leaving tombstones.
        retention = settings.retention
        windows = {i: s.retention_days for i, s in own_settings.items() if s.retention_days is not None}
        report.pruned = await asyncio.to_thread(
            functools.partial(
                store.prune,
                retention.days,
                retention.per_feed,
                unread_days=retention.unread_days,
                feed_days=windows,
            )
        )
    report.seconds = time.perf_counter() - started
    log.info(
        "refresh: %d feeds, %d ok, %d failed, %d skipped; %d new, %d updated, %d pruned; %.1f s%s",
        report.feeds,
        report.ok,
        report.failed,
        report.skipped,
        report.new,
        report.updated,
        report.pruned,
        report.seconds,
        " (offline)" if report.offline else "",
    )
    return report


def _summarise(report: RefreshReport, outcomes: list[FeedOutcome], *, every_feed: bool = True) -> None:
    for outcome in outcomes:
        if outcome.skipped:
            report.skipped += 1
        elif outcome.ok:
            report.ok += 1
        else:
            report.failed += 1
            report.errors.append((outcome.url, outcome.error or ""))
        report.new += outcome.new
        report.updated += outcome.updated
    # Offline means no feed at all could be reached: a refresh of some feeds (R, a followed dossier) that
    # fails says nothing about the others, so it only marks its own feeds.
    failures = [o for o in outcomes if not o.ok]
    report.offline = (
        every_feed and bool(failures) and report.ok == 0 and all(o.connection_error for o in failures)
    )
