"""Sync accounts in the TUI, key Y: the list (``dialogs/sync_accounts.py``), a new account
(``dialogs/sync_add.py``, which tests the connection before anything is kept), removing one (asked first:
its feeds and articles stay, as local subscriptions; its key leaves the keyring) and « sync now ». After
adding or removing, the list opens again and the tree is read again; a new account is synced at once,
through the refresh controller (``controllers/refresh.py``: a cycle of no feed that syncs).

The key is the main screen's (``controllers/sync.py``'s :data:`SYNC_BINDINGS`, action
``app.sync_accounts``): the app mounts this controller the first time and hands it the key."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual import work

from gazette_tui.errors import GazetteError
from gazette_tui.i18n import _, plural
from gazette_tui.ui.controllers.base import Controller, Panes
from gazette_tui.ui.controllers.loading import Loader
from gazette_tui.ui.dialogs.confirm import ConfirmDialog
from gazette_tui.ui.dialogs.sync_accounts import SyncAccountsDialog
from gazette_tui.ui.dialogs.sync_add import SyncAddDialog
from gazette_tui.ui.host import Host


class SyncAccounts(Controller):
    def __init__(self, host: Host, panes: Panes, loader: Loader, sync_now: Callable[[], None]) -> None:
        super().__init__(host, panes)
        self.loader = loader
        self.sync_now = sync_now
        """Starts a sync of every account (the refresh controller's)."""

    def run(self) -> None:
        if self.host.offline:  # adding an account asks its server: no network in this run
            self.host.say(_("Started offline (--offline): sync is off."), severity="warning")
            return
        self.manage()

    @work(exit_on_error=False, group="dialog")
    async def manage(self) -> None:
        """The list, then what was chosen in it, until it is closed (or a sync is asked for)."""
        store = self.host.store
        while True:
            try:
                accounts = await asyncio.to_thread(store.sync.accounts)
            except GazetteError as error:
                self.host.say(str(error), severity="error")
                return
            request = await self.app.push_screen_wait(SyncAccountsDialog(accounts))
            if request is None:
                return
            if request.kind == "sync":
                self.sync_now()
                return
            if request.kind == "remove":
                await self._remove(request.name)
                continue
            added = await self.app.push_screen_wait(
                SyncAddDialog(store, proxy=self.host.settings.refresh.proxy)
            )
            if added is None:
                continue
            self.host.say(
                _("Account “{name}” added: {url} as {username}. Its first sync starts now.").format(
                    name=added.name, url=added.url, username=added.username
                )
            )
            self.sync_now()

    async def _remove(self, name: str) -> None:
        from gazette_tui.core.sync.accounts import remove_account

        question = _(
            "Remove the sync account “{name}”? Its feeds and articles stay, as local subscriptions; changes "
            "not sent yet are dropped, and its key leaves the keyring."
        ).format(name=name)
        if not await self.app.push_screen_wait(ConfirmDialog(question, _("Remove"))):
            return
        try:
            account, dropped = await asyncio.to_thread(remove_account, self.host.store, name)
        except GazetteError as error:
            self.host.say(str(error), severity="warning")
            return
        text = _("Account “{name}” removed; its feeds stay as local subscriptions.").format(name=account.name)
        if dropped:
            text += " " + plural(
                dropped, "{count} change not sent was dropped.", "{count} changes not sent were dropped."
            )
        self.host.say(text)
        self.loader.reload_feeds()
