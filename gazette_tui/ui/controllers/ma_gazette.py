"""« Ma Gazette » in the TUI: W chooses the themes (``dialogs/themes.py``), w (or enter on the tree's
« Ma Gazette » line, shown once a theme is chosen) opens the page (``screens/ma_gazette.py``); an article
chosen there opens in the reader, under the list's cursor (the line's list holds the same articles, in the
page's order: ``lists.list_ids``). Closing the page is a visit: the next window starts from there if it
opens another day (``core/library/ma_gazette.py``).

The keys are the main screen's (:data:`MA_GAZETTE_BINDINGS`, actions ``app.ma_gazette(…)``): the app hands
each to :meth:`MaGazette.run` and mounts this controller, which keeps the screen's class small."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual import work
from textual.binding import Binding

from gazette_tui.core.library import ma_gazette
from gazette_tui.core.library.ma_gazette import Edition
from gazette_tui.core.search.recent import finder
from gazette_tui.errors import GazetteError
from gazette_tui.i18n import plural
from gazette_tui.ui.controllers.base import Controller, Panes
from gazette_tui.ui.controllers.loading import Loader
from gazette_tui.ui.dialogs.themes import ThemesDialog
from gazette_tui.ui.host import Host
from gazette_tui.ui.screens.ma_gazette import MaGazettePage

MA_GAZETTE_BINDINGS: list[Binding] = [
    Binding(
        "w",
        "app.ma_gazette('page')",
        "My Gazette",
        id="ma_gazette",
        show=False,
        tooltip="My Gazette: what is new in the themes you follow",
    ),
    Binding(
        "W",
        "app.ma_gazette('themes')",
        "Themes",
        id="ma_gazette_themes",
        show=False,
        tooltip="Choose the themes of My Gazette…",
    ),
]
"""The keys of this controller; the main screen declares them, the app hands each action here."""


def edition_now(host: Host) -> Edition:
    """Today's edition (or since the last visit), read from the cache: blocking, for a thread."""
    store = host.store
    return ma_gazette.build(store, since=ma_gazette.window_start(store), alerts=finder(store))


class MaGazette(Controller):
    def __init__(self, host: Host, panes: Panes, loader: Loader, show_found: Callable[[int], None]) -> None:
        super().__init__(host, panes)
        self.loader = loader
        self.show_found = show_found
        """Put an article under the list's cursor and open it (the main screen's)."""

    def run(self, what: str) -> None:
        """One of the keys: "page" or "themes"."""
        if what == "page":
            self.open_page()
        elif what == "themes":
            self.choose_themes()

    @work(exit_on_error=False, group="dialog")
    async def choose_themes(self) -> None:
        store = self.host.store
        candidates = await asyncio.to_thread(ma_gazette.candidates, store)
        themes = await self.app.push_screen_wait(ThemesDialog(candidates))
        if themes is None:
            return
        try:
            await asyncio.to_thread(ma_gazette.choose, store, themes)
        except GazetteError as error:
            self.host.say(str(error), severity="warning")
            return
        self.host.say(
            plural(len(themes), "My Gazette: {count} theme followed.", "My Gazette: {count} themes followed.")
        )
        self.loader.reload_feeds()  # the tree shows « Ma Gazette » once a theme is followed

    @work(thread=True, exclusive=True, exit_on_error=False, group="ma-gazette")
    def open_page(self) -> None:
        """The page is pushed without a flow awaiting it: it may stay open for long, and what waits for
        the workers to finish (the screenshots, the benchmarks) must not wait for it."""
        edition = edition_now(self.host)
        self.app.call_from_thread(self.app.push_screen, MaGazettePage(edition, self.page_closed))

    def page_closed(self, article_id: int | None) -> None:
        self._visited()
        if article_id is not None:
            self.show_found(article_id)

    @work(thread=True, exit_on_error=False, group="ma-gazette")
    def _visited(self) -> None:
        ma_gazette.record_visit(self.host.store)
