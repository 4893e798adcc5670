"""One refresh cycle, the same for the CLI, cron and the TUI.

fetch and store every feed (retention prunes on the way, so no full text is fetched for an article about
to go) → full texts of the logged-in accounts → alerte matches. :func:`run_cycle` returns one
:class:`CycleReport`; the faces only present it. Progress comes as typed events through ``on_event``,
called on the event loop's thread: the TUI posts them as messages, the CLI draws its bar.
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
from gazette_tui.core.feeds.refresh import FeedOutcome, RefreshReport, refresh_feeds
from gazette_tui.core.settings import Settings
from gazette_tui.core.storage.store import Store
from gazette_tui.errors import GazetteError

if TYPE_CHECKING:
    from gazette_tui.core.accounts.accounts import Accounts
    from gazette_tui.core.feeds.parse_pool import ParsePool


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
class AlertsCounted:
    """Alerte name → new matches, for the alertes that have some."""

    matches: dict[str, int]
    error: str | None = None
    """Why the alertes could not be counted (a store error), when they could not."""


CycleEvent = FeedDone | FeedsStored | FulltextStored | FulltextsDone | AlertsCounted
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
    alerts: dict[str, int] = field(default_factory=dict)
    alerts_error: str | None = None

    def as_json(self) -> dict[str, object]:
        return {
            **self.refresh.as_json(),
            "alerts": self.alerts,
            "fulltext": self.fulltext.as_json() if self.fulltext else None,
            **({"fulltext_error": self.fulltext_error} if self.fulltext_error else {}),
            **({"alerts_error": self.alerts_error} if self.alerts_error else {}),
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
) -> CycleReport:
    """Run one cycle over every feed (or exactly ``feed_ids``). One failed feed, full text or alerte never
    stops the rest: failures are in the report. ``accounts`` is the TUI's (a session-only login counts);
    without it the remembered logins are read from the keyring (``config_dir`` holds ``profiles.toml``).
    ``fulltext_lock``: held over the full-text pass, so a face that runs passes of its own (the TUI, after a
    login) never runs two at once."""

    def emit(event: CycleEvent) -> None:
        if on_event is not None:
            on_event(event)

    refresh = await refresh_feeds(
        store, settings, feed_ids=feed_ids, on_progress=lambda outcome: emit(FeedDone(outcome)), pool=pool
    )
    report = CycleReport(refresh)
    emit(FeedsStored(refresh))
    if not refresh.offline and settings.refresh.fulltext:
        async with fulltext_lock or contextlib.nullcontext():
            done = await _fulltexts(store, settings, report, accounts, config_dir, emit)
        emit(done)
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


def _alert_matches(store: Store, mode: AlertMode) -> dict[str, int]:
    if not store.has_alerts():
        return {}  # the search engine is loaded only when there is an alerte to count
    from gazette_tui.core.search import alerts

    found = alerts.announce_new(store) if mode == "announce" else alerts.new_matches(store)
    return {name: count for name, count in found.items() if count}
