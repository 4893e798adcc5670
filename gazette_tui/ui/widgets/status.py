"""The status line under the panes (refresh progress, last result, who is logged in, counts) and the offline
banner."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import ProgressBar, Static

from gazette_tui.i18n import _


class OfflineBanner(Static):
    """Shown while nothing can be fetched: everything in the cache still opens."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Content(_("Offline — cached articles")), id=id)


class StatusBar(Horizontal):
    def compose(self) -> ComposeResult:
        yield Static(id="status-text")
        yield ProgressBar(id="status-progress", show_eta=False, show_percentage=False)
        yield Static(id="status-account")
        yield Static(id="status-counts")

    def on_mount(self) -> None:
        self.query_one("#status-progress").display = False
        self.query_one("#status-account").display = False

    def say(self, text: str) -> None:
        self.query_one("#status-text", Static).update(Content(text))

    def progress(self, done: int, total: int) -> None:
        bar = self.query_one("#status-progress", ProgressBar)
        bar.display = True
        bar.update(total=max(total, 1), progress=done)
        self.say(_("Refreshing {done}/{total}…").format(done=done, total=total))

    def progress_done(self) -> None:
        self.query_one("#status-progress", ProgressBar).display = False

    def counts(self, counts: dict[str, int]) -> None:
        text = _("{unread} unread · {all} articles").format(
            unread=counts.get("unread", 0), all=counts.get("all", 0)
        )
        self.query_one("#status-counts", Static).update(Content(text))

    def account(self, text: str) -> None:
        """Who is logged in (an email typed by the user: plain ``Content``); empty hides the field."""
        field = self.query_one("#status-account", Static)
        field.update(Content(text))
        field.display = bool(text)
