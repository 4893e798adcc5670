"""The refresh cycle's sync step (``core/cycle.py``): every sync account, push then pull, beside the
feeds' fetch, and its two events.

It runs while the feeds are fetched (both only wait on the network) and the cycle waits for it before the
filters and the alertes, so that those meet the articles the servers brought as they meet the feeds'. A
failure costs the sync only: one account's server down is in that account's report
(:class:`~gazette_tui.core.sync.engine.SyncReport`), anything else (the database, a bug) in
:attr:`SyncDone.error`; the feeds are stored all the same.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from gazette_tui.core.settings import Settings
from gazette_tui.core.storage.store import Store
from gazette_tui.core.sync.engine import Progress, SyncReport
from gazette_tui.errors import GazetteError

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SyncProgress:
    """One more page of items pulled for ``account``: ``done`` items so far, of ``total`` when the server
    says how many it holds."""

    account: str
    done: int
    total: int | None


@dataclass(frozen=True, slots=True)
class SyncDone:
    """Every account synced (or tried): a report each, or ``error`` when the step could not run at all."""

    reports: list[SyncReport] = field(default_factory=list)
    error: str | None = None
    unexpected: bool = False
    """``error`` names a bug (an exception's type), not a sentence for the user: the faces wrap it."""

    @property
    def ok(self) -> bool:
        return self.error is None and all(report.ok for report in self.reports)


async def sync_step(
    store: Store,
    settings: Settings,
    emit: Callable[[SyncProgress], None],
    lock: asyncio.Lock | None = None,
) -> SyncDone:
    """Sync every account (none: nothing, at the cost of one read); never raises but for cancellation.
    ``lock``: held over the step, so a face that syncs on its own too never runs two syncs at once."""
    from gazette_tui.core.sync.accounts import sync_all

    def progress(account: str) -> Progress:
        return lambda done, total: emit(SyncProgress(account, done, total))

    try:
        async with lock or contextlib.nullcontext():
            reports = await sync_all(store, proxy=settings.refresh.proxy, progress=progress)
    except GazetteError as error:  # the database or the keyring: its own sentence
        log.warning("sync not run: %s", error)
        return SyncDone(error=str(error))
    except Exception as error:  # a bug: the trace goes to the log, the faces say which kind
        log.exception("sync: unexpected error")
        return SyncDone(error=type(error).__name__, unexpected=True)
    for report in reports:
        if report.error is not None:
            log.info("sync %s: %s", report.account, report.error.text("en"))
    return SyncDone(reports)
