"""Filters (kill-files) in the TUI, key f: the list of filters (``dialogs/filters.py``), a new one
(``dialogs/filter_edit.py``, offering the feed chosen in the tree as its only feed), deleting one (asked
first) and applying one to the whole cache. After each, the list of filters opens again, and the tree and
the list are read again: what a filter hides leaves them, with their counts. The rules are
``core/search/filters.py``'s; every read and write runs in a thread.

The key is the main screen's (:data:`FILTER_BINDINGS`, action ``app.filters``): the app mounts this
controller the first time and hands it the key, which keeps the screen's class small."""

from __future__ import annotations

import asyncio

from textual import work
from textual.binding import Binding

from gazette_tui.core.search import filters
from gazette_tui.errors import GazetteError
from gazette_tui.i18n import _
from gazette_tui.ui.controllers.base import Controller, Panes
from gazette_tui.ui.controllers.loading import Loader
from gazette_tui.ui.dialogs.confirm import ConfirmDialog
from gazette_tui.ui.dialogs.filter_edit import FilterEditDialog
from gazette_tui.ui.dialogs.filters import FiltersDialog
from gazette_tui.ui.host import Host

FILTER_BINDINGS: list[Binding] = [
    Binding(
        "f",
        "app.filters",
        "Filters",
        id="filters",
        show=False,
        tooltip="Filters: hide, mark read or star the articles a search finds when they arrive…",
    ),
]
"""The key of this controller; the main screen declares it, the app hands its action here."""


class Filters(Controller):
    def __init__(self, host: Host, panes: Panes, loader: Loader) -> None:
        super().__init__(host, panes)
        self.loader = loader

    def run(self) -> None:
        self.manage()

    def _feed(self) -> tuple[str, str] | None:
        """The feed chosen in the tree (or whose list is shown), offered as a new filter's only feed."""
        for target in (self.panes.feed_tree.current, self.loader.target):
            if target is not None and target.feed is not None:
                return target.feed.url, target.feed.title
        return None

    def _redraw(self) -> None:
        self.loader.reload_feeds()
        self.loader.reload_ids(self.panes.articles.current_id)

    @work(exit_on_error=False, group="dialog")
    async def manage(self) -> None:
        """The list, then what was chosen in it, until it is closed."""
        store = self.host.store
        while True:
            try:
                items = await asyncio.to_thread(filters.list_filters, store)
            except GazetteError as error:
                self.host.say(str(error), severity="error")
                return
            request = await self.app.push_screen_wait(FiltersDialog(items))
            if request is None:
                return
            if request.kind == "new":
                saved = await self.app.push_screen_wait(FilterEditDialog(store, self._feed()))
                if saved is None:
                    continue
                self.host.say(
                    _("Filter “{name}” saved: it applies to the articles of the next refreshes.").format(
                        name=saved.item.name
                    )
                )
                if saved.apply_now:
                    await self._apply(saved.item.name, saved.item.action)
            elif request.kind == "remove":
                await self._remove(request.name)
            else:
                action = next((item.action for item in items if item.name == request.name), "hide")
                await self._apply(request.name, action)

    async def _apply(self, name: str, action: str) -> None:
        try:
            applied = await asyncio.to_thread(filters.apply_filter, self.host.store, name)
        except GazetteError as error:
            self.host.say(str(error), severity="warning")
            return
        self.host.say(filters.applied_text(name, action, applied))
        self._redraw()

    async def _remove(self, name: str) -> None:
        question = _(
            "Delete the filter “{name}”? What it hid is listed again; what it marked as read or starred "
            "stays so."
        ).format(name=name)
        if not await self.app.push_screen_wait(ConfirmDialog(question, _("Delete"))):
            return
        try:
            await asyncio.to_thread(filters.remove_filter, self.host.store, name)
        except GazetteError as error:
            self.host.say(str(error), severity="warning")
            return
        self.host.say(_("Filter “{name}” deleted.").format(name=name))
        self._redraw()
