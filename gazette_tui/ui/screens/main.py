"""The main screen: the regions (feed tree, article list, reader, status bar) and the controllers of the
features that span them, composed side by side.

Wide terminals show the three panes at once; under 100 columns one pane at a time, the one with the focus,
so back and forward are simply focus moves and a resize never loses the selection (the widgets stay, only
CSS classes change). The screen's own part is that layout and the keys: each key's action is one line that
hands it to the controller of its feature (``ui/controllers/``); the regions' own keys (j/k, enter…) are
theirs. Every read from SQLite happens in a thread worker and comes back as a message.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, Tree

from gazette_tui.core.storage.store import ArticleFilter
from gazette_tui.i18n import _
from gazette_tui.ui.bindings import keymap_for, order_bindings, translate_bindings
from gazette_tui.ui.controllers.alerts import ALERT_BINDINGS, AlertActions
from gazette_tui.ui.controllers.articles import ARTICLE_BINDINGS, ArticleActions
from gazette_tui.ui.controllers.attachments import ATTACHMENT_BINDINGS
from gazette_tui.ui.controllers.base import Undo
from gazette_tui.ui.controllers.dossiers import DOSSIER_BINDINGS, DossierActions
from gazette_tui.ui.controllers.export import DossierExport
from gazette_tui.ui.controllers.filters import FILTER_BINDINGS
from gazette_tui.ui.controllers.loading import LOADER_BINDINGS, Loader
from gazette_tui.ui.controllers.ma_gazette import MA_GAZETTE_BINDINGS
from gazette_tui.ui.controllers.pages import FULLTEXT_BINDINGS
from gazette_tui.ui.controllers.refresh import REFRESH_BINDINGS, Refresher
from gazette_tui.ui.controllers.session import AccountSession
from gazette_tui.ui.controllers.subscriptions import SUBSCRIPTION_BINDINGS, Subscriptions
from gazette_tui.ui.controllers.sync import SYNC_BINDINGS
from gazette_tui.ui.dialogs.feed_error import FeedErrorDialog
from gazette_tui.ui.dialogs.help import HelpDialog
from gazette_tui.ui.dialogs.search import SearchDialog
from gazette_tui.ui.host import Host
from gazette_tui.ui.lists import TreeTarget
from gazette_tui.ui.messages import ArticleLoaded, DossierInfo, RefreshRequested
from gazette_tui.ui.widgets.article_list import ArticleList
from gazette_tui.ui.widgets.feed_tree import FeedTree
from gazette_tui.ui.widgets.reader import Reader
from gazette_tui.ui.widgets.status import OfflineBanner, StatusBar
from gazette_tui.ui.widgets.welcome import Welcome

NARROW = 100
"""Below this many columns, one pane at a time."""
PANES = ("tree", "list", "reader")

SCREEN_BINDINGS: list[Binding] = [
    Binding("question_mark", "help", "Help", id="help", tooltip="Every key, and how to change them"),
    Binding(
        "l", "forward", "Open", id="forward", show=False, tooltip="Open the selection: feed → list → article"
    ),
    Binding("h,escape", "back", "Back", id="back", show=False, tooltip="Back: article → list → feeds"),
    Binding(
        "q",
        "back_or_quit",
        "Back/Quit",
        id="back_or_quit",
        tooltip="Back one level (article → list → feeds); from the feeds, quit",
    ),
    Binding(
        "J", "next_feed", "Next feed", id="next_feed", show=False, tooltip="Show the next feed's articles"
    ),
    Binding(
        "K",
        "previous_feed",
        "Prev. feed",
        id="previous_feed",
        show=False,
        tooltip="Show the previous feed's articles",
    ),
    *ARTICLE_BINDINGS,
    *ATTACHMENT_BINDINGS,
    *FULLTEXT_BINDINGS,
    *LOADER_BINDINGS,
    *REFRESH_BINDINGS,
    *SUBSCRIPTION_BINDINGS,
    *MA_GAZETTE_BINDINGS,
    *FILTER_BINDINGS,
    *SYNC_BINDINGS,
    Binding(
        "e",
        "feed_error",
        "Feed error",
        id="feed_error",
        show=False,
        tooltip="Details of the selected feed's last error",
    ),
    Binding("slash,ctrl+f", "search", "Search", id="search", tooltip="Search the cached articles"),
]
"""The screen's keys, in the order the footer, the help and the palette show them: its own (help, panes,
feeds, feed error, search) and those of the articles', the lists' and the refresh's controllers."""


class MainScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [*SCREEN_BINDINGS, *ALERT_BINDINGS, *DOSSIER_BINDINGS]
    """Every key of the screen; each action below hands its key to the controller of its feature."""

    def __init__(self, host: Host) -> None:
        super().__init__()
        # The screen's own keys first (help, footer, palette), then Textual's, then the features'.
        order_bindings(self, SCREEN_BINDINGS)
        translate_bindings(self)
        self.host = host
        self.pane = "tree"
        self.narrow = False
        self._offline = self._empty = False  # the last full refresh reached nothing; nothing is cached
        undo = Undo()
        self.loader = Loader(host, self, undo)
        self.actions = ArticleActions(host, self, self.loader, undo)
        self.dossiers = DossierActions(host, self, self.loader, undo)
        self.exporter = DossierExport(host, self, self.dossiers)
        self.alerts = AlertActions(host, self, self.loader)
        self.session = AccountSession(host, self, self.loader, self.actions)
        self.refresher = Refresher(host, self, self.loader, self.alerts, self.session)
        self.undo = undo

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="≡")
        yield OfflineBanner(id="offline-banner")
        with Horizontal(id="panes"):
            yield FeedTree(id="tree")
            with Vertical(id="right"):
                yield Welcome(id="welcome")
                yield ArticleList(self.host.store.article_rows, id="list")
                yield Reader(id="reader")
        yield StatusBar(id="status")
        yield Footer(compact=True)
        yield from (self.loader, self.actions, self.dossiers, self.exporter, self.alerts, self.session)
        yield from (self.refresher, Subscriptions(self.host, self, self.loader, self.undo))

    def on_mount(self) -> None:
        self.feed_tree.focus()
        self.welcome.started_offline = self.host.offline
        if self.host.offline:  # else refreshes say it; the first may be over already (children mount first)
            self.set_offline(True)
        # "Toutes" is the first list whatever the tree holds: read it now, alongside the tree.
        self.loader.show_target(TreeTarget("all", _("All"), ArticleFilter()))
        self.loader.reload_feeds()
        self.loader.reload_collections()
        self.call_after_refresh(self._warm_up)

    @work(thread=True, exit_on_error=False, group="warm-up")
    def _warm_up(self) -> None:
        """After the first frame: import what opening an article needs (bs4, lxml, Rich's Markdown: ~90 ms),
        so the first article opens as fast as the next ones."""
        import gazette_tui.core.render  # noqa: F401
        from gazette_tui.ui.widgets.reader import parse_body

        parse_body("")

    # -- the regions -----------------------------------------------------------------------------

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

    @property
    def target(self) -> TreeTarget | None:
        """The tree line whose list is shown."""
        return self.loader.target

    @property
    def welcome(self) -> Welcome:
        return self.query_one(Welcome)

    def set_offline(self, offline: bool) -> None:
        """The banner says « Hors ligne » over cached articles; with none cached, the welcome pane says it."""
        self._offline = offline
        self.welcome.unreachable = offline and not self.host.offline
        self.query_one(OfflineBanner).display = offline and not self._empty

    def set_empty(self, empty: bool) -> None:
        """No article cached: the welcome pane, not empty panes (but the demo's paper arrives at once)."""
        self._empty = empty and not self.host.demo_url
        self.set_class(self._empty, "-welcome")
        self.set_offline(self._offline)

    def current_id(self) -> int | None:
        """The article the keys act on: the one in the reader when it has the focus, else the cursor's."""
        if self.pane == "reader" and self.reader.article is not None:
            return self.reader.article.id
        return self.articles.current_id

    # -- layout ----------------------------------------------------------------------------------

    def _pane_widget(self, pane: str) -> Widget:
        return {"tree": self.feed_tree, "list": self.articles, "reader": self.reader}[pane]

    def go(self, pane: str) -> None:
        """Show (when narrow) and focus a pane."""
        self.pane = pane
        self._apply_layout()
        self._pane_widget(pane).focus()

    def _apply_layout(self) -> None:
        # Class changes restyle the whole screen (~10 ms): in wide mode the pane classes stay off.
        self.set_class(self.narrow, "-narrow")
        for pane in PANES:
            self.set_class(self.narrow and pane == self.pane, f"-pane-{pane}")

    def on_resize(self, event: Resize) -> None:
        self.narrow = event.size.width < NARROW
        self._apply_layout()

    def on_descendant_focus(self) -> None:
        focused = self.focused
        for pane in PANES:
            widget = self._pane_widget(pane)
            if focused is widget or (focused is not None and widget in focused.ancestors):
                if self.pane != pane:
                    self.pane = pane
                    self._apply_layout()
                break
        self.loader.looked_at()

    def goto(self, key: str) -> None:
        """Show the list of a tree line by its key ("all", "unread", "feed:3", "rubrique:Finances")."""
        if self.feed_tree.select_key(key):
            self.loader.show_target(self.feed_tree.target(key))
            self.go("list")

    def action_forward(self) -> None:
        if self.pane == "tree":
            self.go("list")
        elif self.pane == "list":
            self.articles.action_select()

    def action_back(self) -> None:
        if self.pane == "reader":
            self.go("list")
        elif self.pane == "list":
            self.go("tree")

    def action_back_or_quit(self) -> None:
        """q, as in newsboat: one level back, and from the top (the feeds) out of the app."""
        if self.pane == "tree":
            self.app.exit()
        self.action_back()  # nothing from the feeds

    def action_next_feed(self) -> None:
        self.loader.step_feed(1)

    def action_previous_feed(self) -> None:
        self.loader.step_feed(-1)

    # -- what the regions and controllers say ----------------------------------------------------

    @on(Tree.NodeHighlighted)
    def _tree_highlighted(self, event: Tree.NodeHighlighted[TreeTarget]) -> None:
        self.loader.show_target(event.node.data)

    @on(Tree.NodeSelected)
    def _tree_selected(self, event: Tree.NodeSelected[TreeTarget]) -> None:
        self.loader.show_target(event.node.data)
        self.go("list")

    @on(ArticleList.Highlighted)
    def _list_moved(self, event: ArticleList.Highlighted) -> None:
        if event.by_user:  # a key or a click: the last refresh's report has been seen (so has a new list)
            self.status.seen()

    @on(ArticleList.Selected)
    def _article_selected(self, event: ArticleList.Selected) -> None:
        self.actions.open_article(event.article_id)

    @on(ArticleLoaded)
    def _article_shown(self, message: ArticleLoaded) -> None:
        """A reserved article without its full text: the account session may offer the login screen."""
        self.session.article_opened(message.article)

    @on(DossierInfo)
    def _dossier_info(self, message: DossierInfo) -> None:
        self.reader.show_dossiers(message.article_id, message.memberships, message.editorial)

    @on(RefreshRequested)
    def _refresh_requested(self, message: RefreshRequested) -> None:
        self.refresher.start(message.feed_ids)

    # -- for the app, the palette and the tests --------------------------------------------------

    def open_article(self, article_id: int, focus: bool = True) -> None:
        self.actions.open_article(article_id, focus)

    def reload_collections(self) -> None:
        self.loader.reload_collections()

    def show_found(self, article_id: int | None) -> None:
        """A search result: under the cursor when it is in the list shown, and open."""
        if article_id is not None:
            self.articles.move_to_id(article_id)
            self.actions.open_article(article_id)

    # -- the keys --------------------------------------------------------------------------------

    def action_help(self) -> None:
        if not isinstance(self.app.screen, HelpDialog):
            keys = keymap_for(self.host.settings.ui.keymap_preset, self.host.settings.ui.keymap)
            self.app.push_screen(HelpDialog(self, keys, self.host.paths.config_file))

    def action_search(self) -> None:
        # A plain callback, not a worker awaiting the dialog: the search bar stays open for long, and
        # ``workers.wait_for_complete()`` (benchmarks, screenshots) must not wait for it.
        self.app.push_screen(SearchDialog(self.host.store), self.show_found)

    def action_next_unread(self) -> None:
        self.actions.next_unread()

    def action_previous_unread(self) -> None:
        self.actions.previous_unread()

    def action_open_browser(self) -> None:
        self.actions.open_browser()

    def action_links(self) -> None:
        self.actions.links()

    def action_show_more(self) -> None:
        self.actions.show_more()

    def action_toggle_read(self) -> None:
        self.actions.toggle_read()

    def action_toggle_star(self) -> None:
        self.actions.toggle_star()

    def action_mark_all_read(self) -> None:
        self.actions.mark_all_read()

    def action_toggle_hide_read(self) -> None:
        self.loader.toggle_hide_read()

    def action_undo(self) -> None:
        undo = self.undo.take()
        if undo is None:
            self.host.say(_("Nothing to undo."))
        else:
            undo()

    def action_refresh_all(self) -> None:
        self.refresher.start(None)

    def action_refresh_feed(self) -> None:
        self.refresher.start_selected()

    def action_feed_error(self) -> None:
        target = self.feed_tree.current
        if target is None or target.feed is None:
            self.host.say(_("Select a feed in the tree first."))
            return
        self.app.push_screen(FeedErrorDialog(target.feed))

    def action_save_alert(self) -> None:
        self.alerts.save("")

    def action_dossier_add(self) -> None:
        self.dossiers.add_article()

    def action_dossier_remove(self) -> None:
        self.dossiers.remove_article()

    def action_dossier_note(self) -> None:
        self.dossiers.edit_note()

    def action_dossier_new(self) -> None:
        self.dossiers.create()

    def action_dossier_edit(self) -> None:
        self.dossiers.edit()

    def action_dossier_delete(self) -> None:
        self.dossiers.delete()

    def action_dossier_export(self) -> None:
        self.exporter.export()

    def action_dossier_order(self) -> None:
        self.dossiers.switch_order()

    def action_follow_dossier(self) -> None:
        self.dossiers.follow()
