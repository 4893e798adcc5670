"""Refreshing from the TUI: key r (every feed) or R (the selected one), the timer (every minute, the feeds
that are due: their ``refresh_minutes``, else ``auto_minutes``), the first run's refresh of an empty cache,
and the demo's refresh at start.

One refresh is one :func:`gazette_tui.core.cycle.run_cycle` (feeds → full texts → alerte matches), the
cycle the CLI runs too. Its events arrive on the loop and are posted as messages: the progress bar, the
lists once the feeds are stored, what the full texts changed, the alertes' announcement.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import work
from textual.binding import Binding
from textual.message import Message

from gazette_tui.errors import GazetteError
from gazette_tui.i18n import _, plural
from gazette_tui.ui.controllers.alerts import AlertActions
from gazette_tui.ui.controllers.base import Controller, Panes
from gazette_tui.ui.controllers.loading import Loader
from gazette_tui.ui.controllers.pages import PagesShown
from gazette_tui.ui.controllers.session import AccountSession
from gazette_tui.ui.controllers.sync import SyncShown
from gazette_tui.ui.host import Host

if TYPE_CHECKING:
    from gazette_tui.core.cycle import CycleEvent
    from gazette_tui.core.feeds.refresh import RefreshReport

REFRESH_BINDINGS: list[Binding] = [
    Binding("r", "refresh_all", "Refresh", id="refresh_all", tooltip="Refresh every feed"),
    Binding(
        "R",
        "refresh_feed",
        "Refresh feed",
        id="refresh_feed",
        show=False,
        tooltip="Refresh the selected feed or rubrique",
    ),
]
"""The keys of this controller; the main screen declares them and hands each action here."""


class Refresher(Controller):
    TICK_SECONDS = 60.0
    """How often the auto refresh looks for due feeds."""

    @dataclass
    class Progress(Message):
        """One more feed of the running refresh is done."""

        done: int
        total: int

        def can_replace(self, message: Message) -> bool:
            # Only the latest count matters for the progress bar; errors are read from the store afterwards.
            return isinstance(message, Refresher.Progress)

    @dataclass
    class Step(Message):
        """Another event of the cycle: feeds stored, full texts done, alerte matches counted."""

        event: CycleEvent

    @dataclass
    class Failed(Message):
        """The cycle stopped with an error (one sentence)."""

        error: str

    def __init__(
        self, host: Host, panes: Panes, loader: Loader, alerts: AlertActions, session: AccountSession
    ) -> None:
        super().__init__(host, panes)
        self.loader = loader
        self.alerts = alerts
        self.session = session
        self.pages = PagesShown(panes, loader, session.article_actions.open_article)
        """The article pages' progress and what they change on screen (``controllers/pages.py``)."""
        self._every_feed = True
        """The running refresh is of every feed (r, a first run), not of some (R, the timer's due feeds)."""
        self._quiet = False
        """The running refresh is the timer's: its failures show in the tree and the status line only."""
        self.sync = SyncShown(host, panes)
        """When the background sync is due, and what the cycle's sync shows (``controllers/sync.py``)."""
        self._sync_only = False
        """The running cycle is of no feed: the background sync, or « sync now » from the accounts (Y)."""

    def on_mount(self) -> None:
        minutes = self.host.settings.refresh.auto_minutes
        if self.host.offline:
            return
        # Every minute, the feeds that are due: their own refresh_minutes, else auto_minutes (0: only the
        # feeds with an interval of their own). A feed given one in the dialog is honoured at once.
        self.set_interval(self.TICK_SECONDS, self._on_timer)
        if minutes > 0 or self.host.demo_url:
            self.call_after_refresh(self.start, None)
        else:
            self._refresh_if_empty()

    @work(thread=True, exclusive=True, group="first-run", exit_on_error=False)
    def _refresh_if_empty(self) -> None:
        """A first run (nothing cached yet) fetches the subscriptions at once rather than show empty lists;
        afterwards start-up never touches the network unless auto-refresh is on."""
        if not self.host.store.has_articles():
            self.app.call_from_thread(self.start, None)  # which syncs the accounts too
        elif self.sync.due():  # the first background sync, at start-up: a server down is said at once
            self.app.call_from_thread(self._refresh_due, [], True)

    @property
    def refreshing(self) -> bool:
        return any(worker.group == "refresh" and not worker.is_finished for worker in self.app.workers)

    def _on_timer(self) -> None:
        if not self.refreshing:
            self._start_due()

    @work(thread=True, exclusive=True, group="due", exit_on_error=False)
    def _start_due(self) -> None:
        """The timer's refresh: only the feeds whose interval has passed (``feed_settings.due_feeds``)."""
        from gazette_tui.core.feeds.feed_settings import due_feeds

        due = due_feeds(self.host.store, self.host.settings.refresh.auto_minutes or None)
        sync = self.sync.due()  # [sync] interval_minutes: the accounts, with the due feeds if any
        if due or sync:
            self.app.call_from_thread(self._refresh_due, due, sync)

    def _refresh_due(self, feed_ids: list[int], sync: bool = False) -> None:
        if not self.refreshing:  # r may have started one meanwhile
            self.start(feed_ids, quiet=True, sync=sync)

    def sync_now(self) -> None:
        """Sync every account now, without the feeds (the accounts' dialog, Y)."""
        self.start([], sync=True)

    def start_selected(self) -> None:
        """Refresh the feed or the rubrique selected in the tree (every feed from a line of neither)."""
        tree = self.panes.feed_tree
        target = tree.current
        if target is None or (target.filter.feed_id is None and target.filter.rubrique is None):
            self.start(None)
        elif target.feed is not None:
            self.start([target.feed.id])
        else:
            self.start(tree.feed_ids_under(target.key))

    def start(self, feed_ids: Iterable[int] | None, *, quiet: bool = False, sync: bool | None = None) -> None:
        """Refresh these feeds (None: all), unless offline or a refresh is already running; ``sync``: sync
        the accounts too (None: when every feed is refreshed). No feed and ``sync``: a sync alone."""
        if self.host.offline:
            self.host.say(_("Started offline (--offline): refreshing is off."), severity="warning")
            return
        if self.refreshing:
            self.host.say(_("A refresh is already running."))
            return
        ids = list(feed_ids) if feed_ids is not None else None
        sync = ids is None if sync is None else sync
        self._every_feed, self._quiet, self._sync_only = ids is None, quiet, ids == []
        if not self._sync_only:
            self.panes.status.progress(0, 0)
            self.panes.welcome.refreshing = True
        if sync:
            self.sync.started()
        self._cycle(ids, sync)

    @work(exclusive=True, exit_on_error=False, group="refresh")
    async def _cycle(self, feed_ids: list[int] | None, sync: bool) -> None:
        # The cycle only awaits on the event loop: fetching is async, parsing and SQLite run elsewhere.
        from gazette_tui.core.cycle import FeedDone, run_cycle

        def posted(event: CycleEvent) -> None:  # called on the loop, inside this worker
            if isinstance(event, FeedDone):
                self.post_message(self.Progress(event.outcome.done, event.outcome.total))
            else:
                self.post_message(self.Step(event))

        host = self.host
        try:
            accounts = await asyncio.to_thread(lambda: self.session.accounts)  # made off the loop
            await run_cycle(
                host.store,
                host.settings,
                feed_ids=feed_ids,
                alerts="announce",
                accounts=accounts,
                config_dir=host.paths.config_dir,
                on_event=posted,
                fulltext_lock=self.session.fulltext_lock,
                sync=sync,
            )
        except GazetteError as error:
            self.post_message(self.Failed(str(error)))
        except Exception as error:  # never a traceback in the UI; the message says what broke
            self.post_message(self.Failed(f"{type(error).__name__}: {error}"))

    def on_refresher_progress(self, message: Progress) -> None:
        self.panes.status.progress(message.done, message.total)

    def on_refresher_step(self, message: Step) -> None:
        from gazette_tui.core.cycle import AlertsCounted, FeedsStored, FulltextsDone, PageDone, PagesDone
        from gazette_tui.core.sync.step import SyncDone, SyncProgress

        event = message.event
        if isinstance(event, SyncProgress | SyncDone):
            self.sync.step(event)
        elif isinstance(event, FeedsStored):
            self._feeds_stored(event.report)
        elif isinstance(event, PageDone | PagesDone):
            self.pages.step(event)
            if isinstance(event, PagesDone) and event.error:
                self.host.say(
                    _("Article pages could not be fetched: {error}").format(error=event.error),
                    severity="warning",
                )
        elif isinstance(event, FulltextsDone) and event.report is not None:
            self.session.fulltexts_done(event.report)
        elif isinstance(event, FulltextsDone) and event.unexpected:
            self.host.say(_("Full texts could not be fetched: {error}").format(error=event.error))
        elif isinstance(event, FulltextsDone) and event.error:
            self.host.say(event.error)
        elif isinstance(event, AlertsCounted):
            self.alerts.announce(event.matches)
            if event.error:
                self.host.say(event.error, severity="warning")

    def on_refresher_failed(self, message: Failed) -> None:
        status = self.panes.status
        status.progress_done()
        self.panes.welcome.refreshing = False
        text = _("Refresh failed: {error}").format(error=message.error)
        status.say(text)
        self.host.say(text, severity="error")

    def _feeds_stored(self, report: RefreshReport) -> None:
        if self._sync_only:  # no feed was fetched: the sync's field says what happened, the lists redraw
            self.loader.reload_feeds()
            self.loader.reload_ids(self.panes.articles.current_id)
            return
        status = self.panes.status
        status.progress_done()
        self.panes.welcome.refreshing = False
        self.panes.welcome.refreshed = True
        if self._every_feed or report.ok:
            # Some feeds only (R, a followed dossier): their failures are theirs, never "offline"; one
            # that answered still proves the network is back.
            self.panes.set_offline(report.offline)
        if report.offline:
            status.say(_("Offline: no feed could be reached (r to try again)"))
        else:
            text = plural(report.new, "{count} new article", "{count} new articles")
            if report.failed:
                text += " · " + plural(
                    report.failed, "{count} feed failed (e: details)", "{count} feeds failed (e: details)"
                )
            status.say(text, until_seen=True)
            if report.failed and not self._every_feed and not self._quiet:
                # Feeds the user asked for (R, a dossier just followed): answer in a toast. In a refresh of
                # every feed, a failing one shows ⚠ in the tree and in this line, nothing more.
                self.host.say(text, severity="warning")
        self.loader.reload_feeds()
        self.loader.reload_ids(self.panes.articles.current_id)
