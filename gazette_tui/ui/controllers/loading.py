"""What the main screen shows: the tree (subscriptions, counts, the user's dossiers and alertes) and the list
of the line chosen in it, with or without its read articles (key H, saved in ``[ui] hide_read``). Every read
runs in a thread worker and comes back as a message; a generation number drops the ids of a list that is no
longer the one shown."""

from __future__ import annotations

from array import array
from dataclasses import dataclass

from textual import work
from textual.binding import Binding
from textual.message import Message
from textual.worker import get_current_worker

from gazette_tui.core.library import dossiers
from gazette_tui.core.library.dossiers import Dossier
from gazette_tui.core.search import alerts
from gazette_tui.core.search.alerts import Alert
from gazette_tui.core.seeds import GAZETTE
from gazette_tui.core.settings import save_setting
from gazette_tui.core.storage.store import ArticleFilter
from gazette_tui.errors import GazetteError
from gazette_tui.i18n import _
from gazette_tui.models import ArticleRow, FeedRow
from gazette_tui.ui.controllers.base import Controller, Panes, Undo
from gazette_tui.ui.host import Host
from gazette_tui.ui.lists import (
    Sections,
    TreeTarget,
    account_lines,
    by_index,
    feed_sections,
    first_ids,
    hides_read,
    list_filter,
    list_id_array,
)
from gazette_tui.ui.widgets.article_list import PAGE

LOADER_BINDINGS: list[Binding] = [
    Binding(
        "H",
        "toggle_hide_read",
        "Hide read",
        id="hide_read",
        show=False,
        tooltip="Hide or show the read articles of the feeds (saved)",
    ),
]
"""The keys of this controller; the main screen declares them and hands each action here."""


class Loader(Controller):
    @dataclass
    class FeedsLoaded(Message):
        """The subscriptions and the totals for the tree."""

        feeds: list[FeedRow]
        counts: dict[str, int]
        sections: Sections
        """``lists.feed_sections(feeds)``: the tree's feed lines, made here rather than by the UI."""

    @dataclass
    class CollectionsLoaded(Message):
        """Dossiers and alertes (with their counts) for the tree."""

        dossiers: list[Dossier]
        alerts: list[Alert]

    @dataclass
    class IdsLoaded(Message):
        """The ids of the list being shown; ``keep_id`` is the article to keep under the cursor."""

        ids: array[int]
        keep_id: int | None
        generation: int
        rows: list[ArticleRow] | None = None
        """The rows of the first page, read in the same worker so the first screen needs no second trip."""
        rest: bool = False
        """The whole list after its first page was shown: the cursor stays where the user has put it."""

    def __init__(self, host: Host, panes: Panes, undo: Undo) -> None:
        super().__init__(host, panes)
        self.undo = undo
        self.target: TreeTarget | None = None
        """The tree line whose list is shown."""
        self.hide_read = host.settings.ui.hide_read
        """Read articles are left out of the lists that hide them (``lists.hides_read``)."""
        self._generation = 0

    # -- the tree --------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="feeds")
    def reload_feeds(self) -> None:
        store = self.host.store
        feeds, counts = store.feeds(), {**store.counts(), "themes": store.themes.count()}
        sections = account_lines(store, feeds) + feed_sections(feeds)
        if not get_current_worker().is_cancelled:
            self.post_message(self.FeedsLoaded(feeds, counts, sections))

    def on_loader_feeds_loaded(self, message: FeedsLoaded) -> None:
        self.panes.feed_tree.show(message.feeds, message.counts, message.sections)
        self.panes.status.counts(message.counts)
        welcome = self.panes.welcome
        welcome.feeds = len(message.feeds)
        welcome.gazette = any(feed.url.startswith(GAZETTE) for feed in message.feeds)
        self.panes.set_empty(message.counts.get("all", 0) == 0)
        if self.target is None:
            self.show_target(self.panes.feed_tree.target("all"))

    @work(thread=True, exclusive=True, exit_on_error=False, group="collections")
    def reload_collections(self) -> None:
        store = self.host.store
        self.post_message(self.CollectionsLoaded(dossiers.list_dossiers(store), alerts.list_alerts(store)))

    def on_loader_collections_loaded(self, message: CollectionsLoaded) -> None:
        self.panes.feed_tree.show_collections(message.dossiers, message.alerts)

    # -- the list --------------------------------------------------------------------------------

    def show_target(self, target: TreeTarget | None, keep_id: int | None = None) -> None:
        """Show a tree line's list (again, with ``keep_id`` under the cursor, when it is the one shown)."""
        if target is None or (self.target is not None and target.key == self.target.key and keep_id is None):
            return
        self.target = target
        self.undo.forget("read")
        self.panes.status.seen()  # another list: the user is looking, the last refresh's report was seen
        self.show_hiding()
        self.reload_ids(keep_id)
        if target.kind == "alert" and target.alert is not None and target.alert.error:
            # Its list stays empty: say why rather than show nothing.
            message = _("The search of the alert “{name}” no longer runs: {error}")
            self.host.say(
                message.format(name=target.alert.name, error=target.alert.error),
                severity="warning",
                timeout=10,
            )

    def reload_ids(self, keep_id: int | None = None) -> None:
        if self.target is None:
            return
        self._generation += 1
        self._load_ids(self.target, keep_id, self._generation)

    def filter_of(self, target: TreeTarget) -> ArticleFilter:
        """What a by-filter list shows now (only its unread articles while read ones are hidden there)."""
        return list_filter(target, self.hide_read)

    def hidden_changed(self) -> None:
        """Articles were marked read or unread in bulk: a list that hides read ones is read again."""
        if self.hide_read and self.target is not None and hides_read(self.target):
            self.reload_ids(self.panes.articles.current_id)

    def toggle_hide_read(self) -> None:
        """Key H: hide or show read articles, for this list and the next ones, and remember it."""
        self.hide_read = not self.hide_read
        self.host.settings.ui.hide_read = self.hide_read
        self.show_hiding()
        self.reload_ids(self.panes.articles.current_id)
        self.host.say(_("Read articles hidden.") if self.hide_read else _("Read articles shown."))
        self._save_hide_read(self.hide_read)

    def show_hiding(self) -> None:
        """The list's border says when read articles are left out of it."""
        hiding = self.hide_read and self.target is not None and hides_read(self.target)
        self.panes.articles.border_subtitle = _("unread only") if hiding else ""

    @work(thread=True, exit_on_error=False, group="settings")
    def _save_hide_read(self, value: bool) -> None:
        try:
            save_setting(self.host.paths.config_file, "ui", "hide_read", value)
        except GazetteError as error:  # a full disk: one sentence, and config.toml is left whole
            self.app.call_from_thread(self.host.say, str(error), severity="error")
        except (OSError, UnicodeDecodeError) as error:  # the old file could not be read
            message = _("Could not save the setting: {error}").format(error=error)
            self.app.call_from_thread(self.host.say, message, severity="error")

    @work(thread=True, exclusive=True, exit_on_error=False, group="ids")
    def _load_ids(self, target: TreeTarget, keep_id: int | None, generation: int) -> None:
        """A new list is shown in two steps when it is read by its index: the first page and its rows (a
        millisecond, whatever the cache holds), then every id (~0.5 s for a million)."""
        store, worker = self.host.store, get_current_worker()
        if keep_id is None and by_index(target):
            first = first_ids(store, target, self.hide_read, PAGE)
            rows = store.article_rows(first)
            if worker.is_cancelled:
                return
            self.post_message(self.IdsLoaded(array("q", first), None, generation, rows))
            if len(first) < PAGE:
                return  # that was all of it
            ids = list_id_array(store, target, self.hide_read)
            if not worker.is_cancelled:
                self.post_message(self.IdsLoaded(ids, None, generation, rest=True))
            return
        ids = list_id_array(store, target, self.hide_read)
        page = store.article_rows(ids[:PAGE].tolist()) if keep_id is None else None
        if not worker.is_cancelled:
            self.post_message(self.IdsLoaded(ids, keep_id, generation, page))

    def on_loader_ids_loaded(self, message: IdsLoaded) -> None:
        if message.generation != self._generation:
            return
        articles = self.panes.articles
        keep_id = articles.current_id if message.rest else message.keep_id
        articles.set_ids(message.ids, keep_id, message.rows)

    def step_feed(self, step: int) -> None:
        """J/K: the list of the next (``step`` 1) or previous (-1) feed of the tree after the list shown; the
        focus stays in the tree if it is there, else goes to that list."""
        tree = self.panes.feed_tree
        key = tree.feed_after(self.target.key if self.target is not None else None, step)
        if key is None:
            self.host.say(_("No feed after this one.") if step > 0 else _("No feed before this one."))
            return
        if tree.select_key(key):
            self.show_target(tree.target(key))
            if self.panes.pane != "tree":
                self.panes.go("list")

    # -- alertes: looked at is seen --------------------------------------------------------------

    def looked_at(self) -> None:
        """The focus moved: opening an alerte's list (the list or the reader has the focus) is seeing it."""
        target = self.target
        if self.panes.pane == "tree" or target is None or target.kind not in ("alert", "alerts"):
            return
        fresh = self.panes.feed_tree.target(target.key)
        if fresh is not None and fresh.unread:
            self._mark_seen(fresh.alert.name if fresh.alert is not None else None)

    @work(thread=True, exit_on_error=False, group="alerts-seen")
    def _mark_seen(self, name: str | None) -> None:
        alerts.mark_seen(self.host.store, name)
        self.app.call_from_thread(self.reload_collections)
