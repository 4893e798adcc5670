"""Sync accounts on screen: when the refresh controller syncs in the background, and what a sync shows.

The syncing itself is the refresh cycle's (``core/cycle.py``: push then pull, beside the feeds' fetch):
``r`` syncs every account with the feeds, and :class:`SyncShown` tells the refresh controller when the
background sync is due (``[sync] interval_minutes``, counted from the last sync this run; the first one
right after start-up), which it runs as a cycle of no feed. It then draws the cycle's sync events: the
progress and the time of the last sync in the status bar, the account's line in the tree (its ⚠ is read
from the database with the tree), and, **once**, a notification that a server cannot be reached: not at
every try while it stays down, and again only after it has worked in between. The app works on from its
cache meanwhile; the outbox keeps every change for the next sync.
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

from textual.binding import Binding

from gazette_tui.i18n import _, format_number, plural
from gazette_tui.ui.controllers.base import Panes
from gazette_tui.ui.host import Host

if TYPE_CHECKING:
    from gazette_tui.core.sync.engine import SyncReport
    from gazette_tui.core.sync.step import SyncDone, SyncProgress

SYNC_BINDINGS: list[Binding] = [
    Binding(
        "Y",
        "app.sync_accounts",
        "Sync accounts",
        id="sync_accounts",
        show=False,
        tooltip="Sync accounts on your own feed server (Fever): add, remove, sync now…",
    ),
]
"""The key of the accounts' dialog; the main screen declares it, the app hands it to
``controllers/sync_accounts.py``."""


class SyncShown:
    """When the background sync is due, and what the cycle's sync events change on screen (a plain object
    the refresh controller holds, as it holds ``PagesShown``)."""

    MINUTE = 60.0
    """Seconds in a minute of ``interval_minutes``."""

    def __init__(self, host: Host, panes: Panes) -> None:
        self.host = host
        self.panes = panes
        self.last_started = -math.inf
        """``time.monotonic()`` when the last sync of this run began (none yet: the first is due at once)."""
        self.said: set[str] = set()
        """Accounts whose failure was notified; one is taken out once it syncs again."""

    def due(self) -> bool:
        """Whether the background sync should run now. Blocking (it reads the accounts): call it in a
        thread."""
        minutes = self.host.settings.sync.interval_minutes
        if minutes <= 0 or self.host.offline:
            return False
        if time.monotonic() - self.last_started < minutes * self.MINUTE:
            return False
        return bool(self.host.store.sync.accounts())

    def started(self) -> None:
        """A cycle that syncs has started (the timer's, ``r``, the accounts' dialog)."""
        self.last_started = time.monotonic()

    def step(self, event: SyncProgress | SyncDone) -> None:
        from gazette_tui.core.sync.step import SyncProgress

        status = self.panes.status
        if isinstance(event, SyncProgress):
            done = format_number(event.done)
            if event.total:
                text = _("⇅ {account}: {done}/{total} items…").format(
                    account=event.account, done=done, total=format_number(event.total)
                )
            else:
                text = _("⇅ {account}: {done} items…").format(account=event.account, done=done)
            status.sync(text)
            return
        if event.error is not None:
            error = (
                _("Something went wrong: {error}").format(error=event.error)
                if event.unexpected
                else event.error
            )
            status.sync(_("⇅ Not synced"))
            self.host.say(_("Sync failed: {error}").format(error=error), severity="error")
            return
        if not event.reports:
            status.sync("")
            return
        for report in event.reports:
            if report.ok:
                self.said.discard(report.account)
            elif report.account not in self.said:
                self.said.add(report.account)
                self.host.say(self._failure(report), severity="warning", timeout=15)
        status.sync(self._summary(event.reports))

    def _failure(self, report: SyncReport) -> str:
        """Said once per account and outage."""
        assert report.error is not None
        error = report.error.text()
        if not report.retry_later:  # the password, the address: the user must change something
            return _("Sync “{name}”: {error} Change it in the sync accounts (Y).").format(
                name=report.account, error=error
            )
        waiting = ""
        if report.pending:
            waiting = " " + plural(
                report.pending,
                "{count} change waits to be sent.",
                "{count} changes wait to be sent.",
            )
        minutes = self.host.settings.sync.interval_minutes
        again = (
            _("Sync tries again every {minutes} min.").format(minutes=minutes)
            if minutes > 0
            else _("r tries again.")
        )
        text = _("Sync “{name}”: {error} The cached articles stay readable.{waiting} {again}")
        return text.format(name=report.account, error=error, waiting=waiting, again=again)

    @staticmethod
    def _summary(reports: list[SyncReport]) -> str:
        """The status bar's field: when every account last synced, or which did not."""
        failed = [report.account for report in reports if not report.ok]
        if not failed:
            return _("⇅ Synced at {time}").format(time=time.strftime("%H:%M"))
        if len(failed) == 1:
            return _("⇅ {name}: not synced").format(name=failed[0])
        return plural(len(failed), "⇅ {count} account not synced", "⇅ {count} accounts not synced")
