"""The subscriptions, from the TUI: add a feed by its address or a website's (``add_feed.py``), remove the
feed selected (confirmed; ``u`` brings it back with its articles and their marks), rename it, move it to a
rubrique (one of those there, none, or a new one), import an OPML list from a file or an address
(``import_opml.py``), and the settings of a feed or a rubrique (``feed_settings.py``).

The keys are the main screen's (:data:`SUBSCRIPTION_BINDINGS`, actions ``app.subscription(…)``: the app hands
each to :meth:`Subscriptions.run`, which keeps the screen's class small). The feed acted on is the tree's
line when the tree has the focus, else the list shown. Each flow is a ``@work`` coroutine that awaits its
dialogs; writes run in thread workers and come back through ``call_from_thread``. A new or imported feed is
refreshed at once (not with ``--offline``); a new one is selected in the tree, its list shown."""

from __future__ import annotations

import contextlib
from functools import partial

from textual import work
from textual.binding import Binding
from textual.worker import WorkerCancelled, WorkerFailed

from gazette_tui.core.feeds.subscriptions import Unsubscribed, resubscribe, unsubscribe
from gazette_tui.errors import GazetteError
from gazette_tui.i18n import _, plural
from gazette_tui.models import FeedRow
from gazette_tui.ui.controllers import feed_settings
from gazette_tui.ui.controllers.base import Controller, Panes, Undo
from gazette_tui.ui.controllers.loading import Loader
from gazette_tui.ui.dialogs.add_feed import AddFeedDialog
from gazette_tui.ui.dialogs.choice import ChoiceDialog
from gazette_tui.ui.dialogs.confirm import ConfirmDialog
from gazette_tui.ui.dialogs.import_opml import ImportOpmlDialog, OpmlImported
from gazette_tui.ui.dialogs.prompt import PromptDialog
from gazette_tui.ui.host import Host
from gazette_tui.ui.messages import RefreshRequested

MAX_TITLE = 200
"""Characters of a name given to a feed or a rubrique."""

SUBSCRIPTION_BINDINGS: list[Binding] = [
    Binding(
        "i",
        "app.subscription('add')",
        "Add feed",
        id="feed_add",
        show=False,
        tooltip="Subscribe to a feed, by its address or a website's…",
    ),
    Binding(
        "delete",
        "app.subscription('remove')",
        "Remove feed",
        id="feed_remove",
        show=False,
        tooltip="Unsubscribe from the selected feed (u undoes)…",
    ),
    Binding(
        "f2",
        "app.subscription('rename')",
        "Rename feed",
        id="feed_rename",
        show=False,
        tooltip="Rename the selected feed…",
    ),
    Binding(
        "M",
        "app.subscription('move')",
        "Move feed",
        id="feed_move",
        show=False,
        tooltip="Move the selected feed to a rubrique…",
    ),
    Binding(
        "I",
        "app.subscription('import')",
        "Import OPML",
        id="feed_import",
        show=False,
        tooltip="Import subscriptions from an OPML file or address…",
    ),
    Binding(
        "comma",
        "app.subscription('settings')",
        "Feed settings",
        id="feed_settings",
        show=False,
        tooltip="Settings of the selected feed or rubrique (refresh, retention, hidden…)…",
    ),
]
"""The keys of this controller; the main screen declares them, the app hands each action here."""


class Subscriptions(Controller):
    def __init__(self, host: Host, panes: Panes, loader: Loader, undo: Undo) -> None:
        super().__init__(host, panes)
        self.loader = loader
        self.undo = undo

    def run(self, what: str) -> None:
        """One of the keys: "add", "remove", "rename", "move", "import" or "settings"."""
        flows = {
            "add": self.add_feed,
            "remove": self.remove_feed,
            "rename": self.rename_feed,
            "move": self.move_feed,
            "import": self.import_opml,
            "settings": self.edit_settings,
        }
        flow = flows.get(what)
        if flow is not None:
            flow()

    @work(exit_on_error=False, group="dialog")
    async def edit_settings(self) -> None:
        """The selected feed's or rubrique's settings (``controllers/feed_settings.py``)."""
        await feed_settings.edit_settings(self, self.loader)

    # -- what the keys act on --------------------------------------------------------------------

    def selected_feed(self) -> FeedRow | None:
        """The tree's line when the tree has the focus, else the list shown; said when it is no feed."""
        tree = self.panes.feed_tree
        candidates = [tree.current, self.loader.target]
        if self.panes.pane != "tree":
            candidates.reverse()
        for target in candidates:
            if target is not None and target.kind == "feed":
                fresh = tree.target(target.key) or target
                return fresh.feed
        self.host.say(_("Select a feed in the tree first."))
        return None

    def rubriques(self) -> list[str]:
        """The rubriques of the tree, in its order."""
        return [t.title for t in self.panes.feed_tree.all_targets() if t.kind == "rubrique"]

    def _failed(self, error: GazetteError) -> None:
        self.app.call_from_thread(self.host.say, str(error), severity="warning")

    # -- add, and show what was added ------------------------------------------------------------

    @work(exit_on_error=False, group="dialog")
    async def add_feed(self) -> None:
        target = self.panes.feed_tree.current
        rubrique = ""
        if target is not None and target.kind == "rubrique":
            rubrique = target.title
        elif target is not None and target.feed is not None:
            rubrique = target.feed.rubrique
        dialog = AddFeedDialog(
            self.host.store,
            self.host.settings.refresh,
            rubriques=self.rubriques(),
            rubrique=rubrique,
            offline=self.host.offline,
        )
        feed = await self.app.push_screen_wait(dialog)
        if feed is None:
            return
        self.host.say(_("Subscribed to “{name}”.").format(name=feed.title))
        self.reveal(feed.id)
        if not self.host.offline:
            self.post_message(RefreshRequested([feed.id]))

    @work(exit_on_error=False, group="subscriptions")
    async def reveal(self, feed_id: int) -> None:
        """Read the tree again, then select the feed's line and show its list."""
        # Cancelled: another reload took its place, and its message comes before the selection all the same.
        with contextlib.suppress(WorkerCancelled, WorkerFailed):
            await self.loader.reload_feeds().wait()
        self.loader.reload_ids(self.panes.articles.current_id)
        # Queued behind the loader's FeedsLoaded message, so the tree holds the new line by then.
        self.loader.call_later(self._select, f"feed:{feed_id}")

    def _select(self, key: str) -> None:
        tree = self.panes.feed_tree
        if tree.select_key(key):
            self.loader.show_target(tree.target(key))
            self.panes.go("tree")

    # -- remove, and undo ------------------------------------------------------------------------

    @work(exit_on_error=False, group="dialog")
    async def remove_feed(self) -> None:
        feed = self.selected_feed()
        if feed is None:
            return
        question = plural(
            feed.articles,
            "Unsubscribe from this feed ({count} article)? Starred articles and those in a dossier stay; "
            "u undoes it.",
            "Unsubscribe from this feed ({count} articles)? Starred articles and those in a dossier stay; "
            "u undoes it.",
        )
        name = _("“{name}”").format(name=feed.title)
        if await self.app.push_screen_wait(ConfirmDialog(f"{name}\n\n{question}", _("Unsubscribe"))):
            self._remove(feed)

    @work(thread=True, exit_on_error=False, group="write")
    def _remove(self, feed: FeedRow) -> None:
        try:
            gone = unsubscribe(self.host.store, feed.url)
        except GazetteError as error:
            self._failed(error)
            return
        self.app.call_from_thread(self._removed, feed, gone)

    def _removed(self, feed: FeedRow, gone: Unsubscribed) -> None:
        target = self.loader.target
        if target is not None and target.key == f"feed:{feed.id}":
            self.loader.show_target(self.panes.feed_tree.target("all"))
        else:
            self.loader.reload_ids(self.panes.articles.current_id)
        self.host.say(_("Unsubscribed from “{name}” — u to undo.").format(name=gone.title))
        self.undo.offer("feed", partial(self._put_back, gone))
        self.loader.reload_feeds()

    @work(thread=True, exit_on_error=False, group="write")
    def _put_back(self, gone: Unsubscribed) -> None:
        try:
            feed, credentials = resubscribe(self.host.store, gone)
        except GazetteError as error:
            self._failed(error)
            return
        self.app.call_from_thread(self._back, feed, credentials)

    def _back(self, feed: FeedRow, credentials: bool) -> None:
        self.host.say(_("“{name}” is back, with its articles.").format(name=feed.title))
        if not credentials:
            message = _("Its password could not be kept again (system keyring): remove it and add it again.")
            self.host.say(message, severity="warning")
        self.reveal(feed.id)

    # -- rename, move ----------------------------------------------------------------------------

    @work(exit_on_error=False, group="dialog")
    async def rename_feed(self) -> None:
        feed = self.selected_feed()
        if feed is None:
            return
        title = _("New name for the feed “{name}”").format(name=feed.title)
        current = "" if feed.title == feed.url else feed.title
        dialog = PromptDialog(
            title, current, placeholder=_("empty: the feed's own title"), max_length=MAX_TITLE
        )
        typed = await self.app.push_screen_wait(dialog)
        if typed is not None and typed.strip() != current:
            self._rename(feed, typed.strip())

    @work(thread=True, exit_on_error=False, group="write")
    def _rename(self, feed: FeedRow, title: str) -> None:
        try:
            renamed = self.host.store.subscriptions.rename(feed.url, title)
        except GazetteError as error:
            self._failed(error)
            return
        if title:
            message = _("Feed renamed “{name}”.").format(name=renamed.title)
        else:
            message = _("The feed takes its own title again at the next refresh.")
        self.app.call_from_thread(self._changed, message)

    @work(exit_on_error=False, group="dialog")
    async def move_feed(self) -> None:
        feed = self.selected_feed()
        if feed is None:
            return
        rubriques = self.rubriques()
        lines = [f"✓ {name}" if name == feed.rubrique else name for name in rubriques]
        lines += [_("(no rubrique)"), _("New rubrique…")]
        title = _("Move “{name}” to the rubrique:").format(name=feed.title)
        index = await self.app.push_screen_wait(ChoiceDialog(title, lines))
        if index is None:
            return
        if index < len(rubriques):
            rubrique = rubriques[index]
        elif index == len(rubriques):
            rubrique = ""
        else:
            typed = await self.app.push_screen_wait(
                PromptDialog(_("Name of the new rubrique"), max_length=MAX_TITLE)
            )
            if typed is None or not typed.strip():
                return
            rubrique = typed.strip()
        if rubrique != feed.rubrique:
            self._move(feed, rubrique)

    @work(thread=True, exit_on_error=False, group="write")
    def _move(self, feed: FeedRow, rubrique: str) -> None:
        try:
            moved = self.host.store.subscriptions.move(feed.url, rubrique)
        except GazetteError as error:
            self._failed(error)
            return
        if moved.rubrique:
            message = _("“{name}” moved to the rubrique “{rubrique}”.")
        else:
            message = _("“{name}” is now in no rubrique.")
        self.app.call_from_thread(self._changed, message.format(name=moved.title, rubrique=moved.rubrique))

    def _changed(self, message: str) -> None:
        """After a rename or a move: say so, read the tree and the list shown again (names, rubriques)."""
        self.host.say(message)
        self.loader.reload_feeds()
        self.loader.reload_ids(self.panes.articles.current_id)

    # -- import ----------------------------------------------------------------------------------

    @work(exit_on_error=False, group="dialog")
    async def import_opml(self) -> None:
        dialog = ImportOpmlDialog(self.host.store, self.host.settings.refresh, offline=self.host.offline)
        done = await self.app.push_screen_wait(dialog)
        if done is not None:
            self._imported(done)

    def _imported(self, done: OpmlImported) -> None:
        result = done.imported
        present = done.listed - result.added - result.not_added
        imported = plural(result.added, "{count} subscription imported", "{count} subscriptions imported")
        kept = plural(present, "{count} already there", "{count} already there")
        self.host.say(_("{imported}, {kept}.").format(imported=imported, kept=kept))
        for sentence in result.refused:
            self.host.say(str(sentence), severity="warning", timeout=10)
        self.loader.reload_feeds()
        if done.new_ids and not self.host.offline:
            self.post_message(RefreshRequested(done.new_ids))
