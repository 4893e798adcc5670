"""The base of the main screen's actions: the panes by name, what the main screen provides, and the user's
collections (dossiers, alertes) loaded for the tree.

The chain is ``PaneScreen`` → ``AlertActions`` → ``DossierActions`` → ``ArticleActions`` → ``MainScreen``:
one file per kind of action, each class's bindings and message handlers being the main screen's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import work
from textual.binding import BindingsMap
from textual.message import Message
from textual.screen import Screen

from gazette_tui.core.library import dossiers
from gazette_tui.core.library.dossiers import Dossier
from gazette_tui.core.search import alerts
from gazette_tui.core.search.alerts import Alert
from gazette_tui.ui.widgets.article_list import ArticleList
from gazette_tui.ui.widgets.feed_tree import FeedTree, TreeTarget
from gazette_tui.ui.widgets.reader import Reader
from gazette_tui.ui.widgets.status import StatusBar

if TYPE_CHECKING:
    from gazette_tui.ui.app import GazetteApp


class PaneScreen(Screen[None]):
    @dataclass
    class CollectionsLoaded(Message):
        """Dossiers and alertes (with their counts) for the tree, read in a thread."""

        dossiers: list[Dossier]
        alerts: list[Alert]

    pane: str
    target: TreeTarget | None
    _undo: list[int]

    def __init__(self) -> None:
        super().__init__()
        # Bindings merge base classes first: list the main screen's own keys first (help, palette).
        own = BindingsMap(type(self).__dict__.get("BINDINGS", [])).key_to_bindings
        keys = self._bindings.key_to_bindings
        self._bindings = BindingsMap.from_keys(
            {key: keys[key] for key in sorted(keys, key=lambda key: key not in own)}
        )

    # Provided by the main screen and ArticleActions.
    def go(self, pane: str) -> None:
        raise NotImplementedError

    def reload_feeds(self) -> object:
        raise NotImplementedError

    def show_target(self, target: TreeTarget | None, keep_id: int | None = None) -> None:
        raise NotImplementedError

    def reload_ids(self, keep_id: int | None = None) -> None:
        raise NotImplementedError

    def current_id(self) -> int | None:
        raise NotImplementedError

    @property
    def gazette(self) -> GazetteApp:
        from gazette_tui.ui.app import GazetteApp

        assert isinstance(self.app, GazetteApp)
        return self.app

    @property
    def feed_tree(self) -> FeedTree:
        return self.query_one(FeedTree)

    @property
    def articles(self) -> ArticleList:
        return self.query_one(ArticleList)

    @property
    def reader(self) -> Reader:
        return self.query_one(Reader)

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    # -- dossiers and alertes for the tree -------------------------------------------------------

    def on_mount(self) -> None:
        self.reload_collections()

    @work(thread=True, exclusive=True, exit_on_error=False, group="collections")
    def reload_collections(self) -> None:
        store = self.gazette.store
        self.post_message(self.CollectionsLoaded(dossiers.list_dossiers(store), alerts.list_alerts(store)))

    def on_pane_screen_collections_loaded(self, message: CollectionsLoaded) -> None:
        self.feed_tree.show_collections(message.dossiers, message.alerts)
