"""The status line under the panes (refresh progress, last result, who is logged in, counts) and the offline
banner."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import ProgressBar, Static

from gazette_tui.i18n import _, format_number, plural

SHORT_COUNTS = 100
"""Under this many columns the status bar says only the unread count (the tree has the total)."""


class OfflineBanner(Static):
    """Shown while nothing can be fetched: everything in the cache still opens."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Content(_("Offline — cached articles")), id=id)


class StatusBar(Horizontal):
    """What the last refresh found, who is logged in, the counts. A refresh's report ("46 new articles")
    stays until the user has seen it, that is until they move in the list, show another list (the tree, J/K)
    or open an article (:meth:`seen`): a report that arrived while nobody looked is still there for them."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.until_seen = False
        """The text shown is a report that goes away once seen."""
        self._counts: dict[str, int] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="status-text")
        yield ProgressBar(id="status-progress", show_eta=False, show_percentage=False)
        yield Static(id="status-sync")
        yield Static(id="status-account")
        yield Static(id="status-counts")

    def on_mount(self) -> None:
        self.query_one("#status-progress").display = False
        self.query_one("#status-account").display = False
        self.query_one("#status-sync").display = False

    def say(self, text: str, *, until_seen: bool = False) -> None:
        """Show ``text`` (plain, never markup); ``until_seen``: until :meth:`seen` is called."""
        self.until_seen = until_seen
        self.query_one("#status-text", Static).update(Content(text))

    @property
    def text(self) -> str:
        return str(self.query_one("#status-text", Static).content)

    def seen(self) -> None:
        """The user moved or opened something: a report waiting to be seen has been."""
        if self.until_seen:
            self.say("")

    def progress(self, done: int, total: int, text: str | None = None) -> None:
        """The bar at ``done`` of ``total``, and ``text`` beside it (« Actualisation 3/12… » by default)."""
        bar = self.query_one("#status-progress", ProgressBar)
        bar.display = True
        bar.update(total=max(total, 1), progress=done)
        self.say(text if text is not None else _("Refreshing {done}/{total}…").format(done=done, total=total))

    def progress_done(self) -> None:
        self.query_one("#status-progress", ProgressBar).display = False

    def counts(self, counts: dict[str, int]) -> None:
        self._counts = counts
        unread, total = counts.get("unread", 0), counts.get("all", 0)
        if self.size.width and self.size.width < SHORT_COUNTS:
            text = plural(unread, "{count} unread", "{count} unread")
        else:
            text = _("{unread} unread · {all} articles").format(
                unread=format_number(unread), all=format_number(total)
            )
        self.query_one("#status-counts", Static).update(Content(text))

    def on_resize(self) -> None:
        if self._counts is not None:
            self.counts(self._counts)

    def sync(self, text: str) -> None:
        """The sync accounts: a sync's progress, when the last one ran, or which account did not sync
        (account names: plain ``Content``); empty hides the field."""
        field = self.query_one("#status-sync", Static)
        field.update(Content(text))
        field.display = bool(text)

    @property
    def sync_text(self) -> str:
        return str(self.query_one("#status-sync", Static).content)

    def account(self, text: str) -> None:
        """Who is logged in (an email typed by the user: plain ``Content``); empty hides the field."""
        field = self.query_one("#status-account", Static)
        field.update(Content(text))
        field.display = bool(text)
