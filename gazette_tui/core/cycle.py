"""One refresh cycle, the same for the CLI, cron and the TUI.

fetch and store every feed (retention prunes on the way, so no full text is fetched for an article about
to go) → the filters on the new articles (before the faces redraw their lists) → full texts of the
logged-in accounts → article pages of the feeds whose ``fulltext`` is on → alerte matches. A cycle of every
feed also syncs the sync accounts (``core/sync/step.py``: push, then pull), beside the feeds' fetch, and
waits for it before the filters, so that they and the alertes meet the servers' articles too.
:func:`run_cycle` returns one :class:`CycleReport`; the faces only present it. Progress comes as typed
events through ``on_event``, called on the event loop's thread: the TUI posts them as messages, the CLI
draws its bar.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from gazette_tui.core.accounts.fulltext import FulltextReport, fetch_fulltexts
from gazette_tui.core.feeds.pages import PageOutcome, PagesReport, fetch_pages
from gazette_tui.core.feeds.refresh import FeedOutcome, RefreshReport, refresh_feeds
from gazette_tui.core.settings import Settings
from gazette_tui.core.storage.store import Store
from gazette_tui.core.sync.step import SyncDone, SyncProgress, sync_step
from gazette_tui.errors import GazetteError

if TYPE_CHECKING:
    from gazette_tui.core.accounts.accounts import Accounts
    from gazette_tui.core.feeds.parse_pool import ParsePool
    from gazette_tui.core.search.filters import FiltersReport
    from gazette_tui.core.sync.engine import SyncReport


log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FeedDone:
    """One feed fetched and stored (or failed): ``outcome.done`` of ``outcome.total``."""

    outcome: FeedOutcome


@dataclass(frozen=True, slots=True)
class FeedsStored:
    """Every feed is done: the lists can be redrawn before the full texts arrive."""

    report: RefreshReport


@dataclass(frozen=True, slots=True)
class FulltextStored:
    """One article now has its full text."""

    article_id: int


@dataclass(frozen=True, slots=True)
class FulltextsDone:
    """The full-text pass is over: ``report``, or ``error`` when the pass could not run at all."""

    report: FulltextReport | None
    error: str | None = None
    unexpected: bool = False
    """``error`` names a bug (an exception's type), not a sentence for the user: the faces wrap it."""


@dataclass(frozen=True, slots=True)
class PageDone:
    """One article page fetched for a feed's full texts (stored or failed): ``outcome.done`` of
    ``outcome.total``."""

    outcome: PageOutcome


@dataclass(frozen=True, slots=True)
class PagesDone:
    """The pass over the feeds' article pages is over: ``report``, or ``error`` when it could not run."""

    report: PagesReport | None
    error: str | None = None
    unexpected: bool = False
    """``error`` names a bug (an exception's type), not a sentence for the user: the faces wrap it."""


@dataclass(frozen=True, slots=True)
class AlertsCounted:
    """Alerte name → new matches, for the alertes that have some."""

    matches: dict[str, int]
    error: str | None = None
    """Why the alertes could not be counted (a store error), when they could not."""


CycleEvent = (
    FeedDone
    | FeedsStored
    | FulltextStored
    | FulltextsDone
    | PageDone
    | PagesDone
    | AlertsCounted
    | SyncProgress
    | SyncDone
)
AlertMode = Literal["count", "announce"]
"""``count``: the matches nobody has seen (the CLI says them on every run until they are looked at);
``announce``: the matches nobody has announced, marked announced in the same transaction (the TUI's
notification and bell, never twice for one article)."""


@dataclass(slots=True)
class CycleReport:
    refresh: RefreshReport
    fulltext: FulltextReport | None = None
    """``None`` when the pass did not run: offline, ``refresh.fulltext`` off, or ``fulltext_error``."""
    fulltext_error: str | None = None
    """Why the full-text pass could not run (an unusable ``refresh.proxy``, …): it costs the full texts,
    never the feeds stored before it."""
    pages: PagesReport | None = None
    """The article pages of the feeds whose ``fulltext`` is on; ``None`` when the pass did not run
    (offline) or could not (``pages_error``)."""
    pages_error: str | None = None
    alerts: dict[str, int] = field(default_factory=dict)
    alerts_error: str | None = None
    filters: FiltersReport | None = None
    """What the filters did to the new articles (None: there is no filter, or ``filters_error``)."""
    filters_error: str | None = None
    """Why the filters could not run (a store error): they cost only themselves."""
    sync: list[SyncReport] = field(default_factory=list)
    """One report per sync account; empty when the cycle did not sync (chosen feeds only) or had none
    (``refresh --json`` then has no ``sync`` key)."""
    sync_error: str | None = None
    """Why the sync could not run at all (the database, a bug): it costs the sync only."""

    def as_json(self) -> dict[str, object]:
        return {
            **self.refresh.as_json(),
            "alerts": self.alerts,
            "filters": self.filters.as_json() if self.filters else {"applied": {}, "errors": {}},
            **({"filters_error": self.filters_error} if self.filters_error else {}),
            "fulltext": self.fulltext.as_json() if self.fulltext else None,
            **({"fulltext_error": self.fulltext_error} if self.fulltext_error else {}),
            "pages": self.pages.as_json() if self.pages else None,
            **({"pages_error": self.pages_error} if self.pages_error else {}),
            **({"alerts_error": self.alerts_error} if self.alerts_error else {}),
            **({"sync": [report.as_json() for report in self.sync]} if self.sync else {}),
            **({"sync_error": self.sync_error} if self.sync_error else {}),
        }


async def run_cycle(
    store: Store,
    settings: Settings,
    *,
    feed_ids: Iterable[int] | None = None,
    alerts: AlertMode = "count",
    accounts: Accounts | None = None,
    config_dir: Path | None = None,
    on_event: Callable[[CycleEvent], None] | None = None,
    pool: ParsePool | None = None,
    fulltext_lock: asyncio.Lock | None = None,
    sync: bool | None = None,
    sync_lock: asyncio.Lock | None = None,
) -> CycleReport:
    """Run one cycle over every feed (or exactly ``feed_ids``). One failed feed, full text or alerte never
    stops the rest: failures are in the report. ``accounts`` is the TUI's (a session-only login counts);
    without it the remembered logins are read from the keyring (``config_dir`` holds ``profiles.toml``).
    ``fulltext_lock``: held over the full-text pass, so a face that runs passes of its own (the TUI, after a
    login) never runs two at once. ``sync``: sync the accounts too (None: when the cycle is of every feed);
    ``sync_lock`` is held over it, as ``fulltext_lock`` over the full texts."""

    def emit(event: CycleEvent) -> None:
        if on_event is not None:
            on_event(event)

    feed_ids = list(feed_ids) if feed_ids is not None else None  # read twice: the feeds, then their pages
    wants_sync = feed_ids is None if sync is None else sync
    # Beside the feeds (both only wait on the network), and over before the filters meet the new articles.
    syncing = asyncio.create_task(sync_step(store, settings, emit, sync_lock)) if wants_sync else None
    try:
        refresh = await refresh_feeds(
            store, settings, feed_ids=feed_ids, on_progress=lambda outcome: emit(FeedDone(outcome)), pool=pool
        )
    except BaseException:
        if syncing is not None:
            syncing.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await syncing
        raise
    report = CycleReport(refresh)
    if syncing is not None:
        synced = await syncing
        report.sync, report.sync_error = synced.reports, synced.error
        emit(synced)
    try:  # before the lists are redrawn, so that they come filtered
        report.filters = await asyncio.to_thread(_filter_new, store)
    except GazetteError as error:  # costs the filters only; the articles are stored
        log.warning("filters not applied: %s", error)
        report.filters_error = str(error)
    emit(FeedsStored(refresh))
    if not refresh.offline and settings.refresh.fulltext:
        async with fulltext_lock or contextlib.nullcontext():
            done = await _fulltexts(store, settings, report, accounts, config_dir, emit)
        emit(done)
    if not refresh.offline:
        pages = await _pages(store, settings, report, feed_ids, emit)
        if pages is not None:  # no feed wants its pages, or none had a new one: nothing to say
            emit(pages)
    try:
        report.alerts = await asyncio.to_thread(_alert_matches, store, alerts)
    except GazetteError as error:  # costs the alertes only; the feeds and full texts are stored
        log.warning("alertes not counted: %s", error)
        report.alerts_error = str(error)
    if report.alerts:
        log.info("alertes with new matches: %d", len(report.alerts))
    emit(AlertsCounted(report.alerts, report.alerts_error))
    return report


async def _fulltexts(
    store: Store,
    settings: Settings,
    report: CycleReport,
    accounts: Accounts | None,
    config_dir: Path | None,
    emit: Callable[[CycleEvent], None],
) -> FulltextsDone:
    """The full-text pass; whatever goes wrong in it costs the full texts only."""
    try:
        full = await fetch_fulltexts(
            store,
            settings,
            accounts=accounts,
            config_dir=config_dir,
            on_article=lambda article_id: emit(FulltextStored(article_id)),
        )
    except GazetteError as error:  # e.g. an unusable refresh.proxy: its own sentence
        log.warning("full texts not fetched: %s", error)
        report.fulltext_error = str(error)
        return FulltextsDone(None, str(error))
    except Exception as error:  # a bug: the trace goes to the log, the faces say which kind
        log.exception("full texts: unexpected error")
        report.fulltext_error = type(error).__name__
        return FulltextsDone(None, type(error).__name__, unexpected=True)
    report.fulltext = full
    log.info("full texts: %d fetched, %d failed, %d left for later", full.fetched, full.failed, full.skipped)
    return FulltextsDone(full)


def _filter_new(store: Store) -> FiltersReport | None:
    """The filters meet the articles this refresh (or another since the last) stored."""
    if not store.filters.any():
        return None  # the search engine is loaded only when there is a filter to apply
    from gazette_tui.core.search import filters

    return filters.apply_new(store)


async def _pages(
    store: Store,
    settings: Settings,
    report: CycleReport,
    feed_ids: Iterable[int] | None,
    emit: Callable[[CycleEvent], None],
) -> PagesDone | None:
    """The article pages of the feeds that want them; whatever goes wrong here costs those pages only.
    None when the pass had nothing to do."""
    try:
        pages = await fetch_pages(
            store,
            settings,
            feed_ids=feed_ids,
            on_page=lambda outcome: emit(PageDone(outcome)),
        )
    except GazetteError as error:  # an unusable refresh.proxy, a store that broke: its own sentence
        log.warning("article pages not fetched: %s", error)
        report.pages_error = str(error)
        return PagesDone(None, str(error))
    except Exception as error:  # a bug: the trace goes to the log, the faces say which kind
        log.exception("article pages: unexpected error")
        report.pages_error = type(error).__name__
        return PagesDone(None, type(error).__name__, unexpected=True)
    report.pages = pages
    if not (pages.fetched or pages.failed or pages.copied or pages.skipped):
        return None
    return PagesDone(pages)


def _alert_matches(store: Store, mode: AlertMode) -> dict[str, int]:
    if not store.has_alerts():
        return {}  # the search engine is loaded only when there is an alerte to count
    from gazette_tui.core.search import alerts

    found = alerts.announce_new(store) if mode == "announce" else alerts.new_matches(store)
    return {name: count for name, count in found.items() if count}
