"""The main screen: feed tree, article list and reader.

Wide terminals show the three panes at once; under 100 columns one pane at a time, the one with the focus,
so back and forward are simply focus moves and a resize never loses the selection (the widgets stay, only
CSS classes change). Every read from SQLite happens in a thread worker and comes back as a message.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.widget import Widget
from textual.widgets import Footer, Header, Tree
from textual.worker import get_current_worker

from gazette_tui.core.storage.store import ArticleFilter
from gazette_tui.i18n import _
from gazette_tui.ui.bindings import translate_bindings
from gazette_tui.ui.messages import ArticleLoaded, FeedsLoaded, IdsLoaded
from gazette_tui.ui.screens.article_actions import ArticleActions
from gazette_tui.ui.widgets.article_list import PAGE, ArticleList
from gazette_tui.ui.widgets.feed_tree import FeedTree, TreeTarget
from gazette_tui.ui.widgets.reader import Reader
from gazette_tui.ui.widgets.status import OfflineBanner, StatusBar

NARROW = 100
"""Below this many columns, one pane at a time."""
PANES = ("tree", "list", "reader")


class MainScreen(ArticleActions):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", id="help", tooltip="Every key, and how to change them"),
        Binding(
            "l",
            "forward",
            "Open",
            id="forward",
            show=False,
            tooltip="Open the selection: feed → list → article",
        ),
        Binding("h,escape", "back", "Back", id="back", show=False, tooltip="Back: article → list → feeds"),
        Binding("n", "next_unread", "Next unread", id="next_unread", tooltip="Open the next unread article"),
        Binding(
            "p",
            "previous_unread",
            "Prev. unread",
            id="previous_unread",
            show=False,
            tooltip="Open the previous unread article",
        ),
        Binding(
            "o",
            "open_browser",
            "Browser",
            id="open_browser",
            show=False,
            tooltip="Open the article in the browser",
        ),
        Binding("L", "links", "Links", id="links", show=False, tooltip="Open link N of the article"),
        Binding(
            "plus",
            "show_more",
            "Show more",
            id="show_more",
            show=False,
            tooltip="Show more of a very long article",
        ),
        Binding(
            "m", "toggle_read", "Read/unread", id="toggle_read", show=False, tooltip="Toggle read / unread"
        ),
        Binding(
            "s",
            "toggle_star",
            "Star",
            id="star",
            show=False,
            tooltip="Add to or remove from the starred articles",
        ),
        Binding(
            "A",
            "mark_all_read",
            "All read",
            id="mark_all_read",
            show=False,
            tooltip="Mark this whole list as read",
        ),
        Binding("u", "undo", "Undo", id="undo", show=False, tooltip="Undo (all read, dossier change)"),
        Binding("r", "refresh_all", "Refresh", id="refresh_all", tooltip="Refresh every feed"),
        Binding(
            "R",
            "refresh_feed",
            "Refresh feed",
            id="refresh_feed",
            show=False,
            tooltip="Refresh the selected feed or rubrique",
        ),
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

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self)
        self.target = None
        self.pane = "tree"
        self.narrow = False
        self._generation = 0
        self._undo = []

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="≡")
        yield OfflineBanner(id="offline-banner")
        with Horizontal(id="panes"):
            yield FeedTree(id="tree")
            with Vertical(id="right"):
                yield ArticleList(self.gazette.store.article_rows, id="list")
                yield Reader(id="reader")
        yield StatusBar(id="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(FeedTree).focus()
        self.set_offline(self.gazette.offline)
        # "Toutes" is the first list whatever the tree holds: read it now, alongside the tree.
        self.show_target(TreeTarget("all", _("All"), ArticleFilter()))
        self.reload_feeds()
        self.call_after_refresh(self._warm_up)

    @work(thread=True, exit_on_error=False, group="warm-up")
    def _warm_up(self) -> None:
        """After the first frame: import what opening an article needs (bs4, lxml, Rich's Markdown: ~90 ms),
        so the first article opens as fast as the next ones."""
        import gazette_tui.core.render  # noqa: F401
        import gazette_tui.ui.widgets.reader

        gazette_tui.ui.widgets.reader.parse_body("")

    def set_offline(self, offline: bool) -> None:
        self.query_one(OfflineBanner).display = offline

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
                return

    def action_forward(self) -> None:
        if self.pane == "tree":
            self.go("list")
        elif self.pane == "list":
            self.articles.action_select()

    def goto(self, key: str) -> None:
        """Show the list of a tree line by its key ("all", "unread", "feed:3", "rubrique:Finances")."""
        if self.feed_tree.select_key(key):
            self.show_target(self.feed_tree.target(key))
            self.go("list")

    def action_back(self) -> None:
        if self.pane == "reader":
            self.go("list")
        elif self.pane == "list":
            self.go("tree")

    # -- loading ---------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="feeds")
    def reload_feeds(self) -> None:
        store = self.gazette.store
        feeds, counts = store.feeds(), store.counts()
        if not get_current_worker().is_cancelled:
            self.post_message(FeedsLoaded(feeds, counts))

    def on_feeds_loaded(self, message: FeedsLoaded) -> None:
        self.feed_tree.show(message.feeds, message.counts)
        self.status.counts(message.counts)
        if self.target is None:
            self.show_target(self.feed_tree.target("all"))

    @on(Tree.NodeHighlighted)
    def _tree_highlighted(self, event: Tree.NodeHighlighted[TreeTarget]) -> None:
        self.show_target(event.node.data)

    @on(Tree.NodeSelected)
    def _tree_selected(self, event: Tree.NodeSelected[TreeTarget]) -> None:
        self.show_target(event.node.data)
        self.go("list")

    def show_target(self, target: TreeTarget | None, keep_id: int | None = None) -> None:
        if target is None or (self.target is not None and target.key == self.target.key and keep_id is None):
            return
        self.target = target
        self._undo = []
        self.reload_ids(keep_id)
        if target.kind == "alert" and target.alert is not None and target.alert.error:
            # Its list stays empty: say why rather than show nothing.
            message = _("The search of the alert “{name}” no longer runs: {error}")
            self.gazette.say(
                message.format(name=target.alert.name, error=target.alert.error),
                severity="warning",
                timeout=10,
            )

    def reload_ids(self, keep_id: int | None = None) -> None:
        if self.target is None:
            return
        self._generation += 1
        self._load_ids(self.target, keep_id, self._generation)

    @work(thread=True, exclusive=True, exit_on_error=False, group="ids")
    def _load_ids(self, target: TreeTarget, keep_id: int | None, generation: int) -> None:
        store = self.gazette.store
        ids = target.article_ids(store)  # a dossier, an alerte: their own order
        index = ArticleList.index_of(ids)
        rows = store.article_rows(ids[:PAGE]) if keep_id is None else None
        if not get_current_worker().is_cancelled:
            self.post_message(IdsLoaded(ids, keep_id, generation, index, rows))

    @on(ArticleLoaded)
    def _offer_login_for_reserved(self, message: ArticleLoaded) -> None:
        """A reserved article without its full text: the app may offer the login screen (once)."""
        self.gazette.session.article_opened(message.article)

    def on_ids_loaded(self, message: IdsLoaded) -> None:
        if message.generation == self._generation:
            self.articles.set_ids(message.ids, message.keep_id, message.index, message.rows)

    # -- feeds -----------------------------------------------------------------------------------

    def action_refresh_all(self) -> None:
        self.gazette.start_refresh(None)

    def action_refresh_feed(self) -> None:
        target = self.feed_tree.current
        if target is None or target.filter.feed_id is None and target.filter.rubrique is None:
            self.gazette.start_refresh(None)
            return
        if target.feed is not None:
            self.gazette.start_refresh([target.feed.id])
        else:
            self.gazette.start_refresh(self.feed_tree.feed_ids_under(target.key))

    def action_feed_error(self) -> None:
        from gazette_tui.ui.dialogs.feed_error import FeedErrorDialog

        target = self.feed_tree.current
        if target is None or target.feed is None:
            self.gazette.say(_("Select a feed in the tree first."))
            return
        self.app.push_screen(FeedErrorDialog(target.feed))

    def action_search(self) -> None:
        self.gazette.open_search()

    def action_help(self) -> None:
        self.gazette.action_help()
