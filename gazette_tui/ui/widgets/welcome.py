"""The welcome pane: what an empty cache shows instead of an empty list and an empty reader.

A first run with no network, or a profile with nothing in it, would otherwise open on blank panes under an
« Hors ligne » banner. This pane says what is happening (fetching, no feed reached, started ``--offline``)
and how to get articles: the demo paper, a feed, an OPML file. It goes once the cache holds an article.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from gazette_tui.i18n import _


class Welcome(VerticalScroll, can_focus=False):
    refreshing: reactive[bool] = reactive(False)
    """A refresh is running."""
    unreachable: reactive[bool] = reactive(False)
    """The last refresh of every feed reached none of them."""
    refreshed: reactive[bool] = reactive(False)
    """A refresh has stored what the feeds had (so an empty cache is the feeds' doing)."""
    started_offline: reactive[bool] = reactive(False)
    """Started with ``--offline``: nothing will be fetched."""
    feeds: reactive[int] = reactive(-1)
    """How many feeds are subscribed (-1: not read yet)."""
    gazette: reactive[bool] = reactive(False)
    """La Gazette des communes' feeds are among them (subscribed on first run)."""

    def compose(self) -> ComposeResult:
        yield Static(Content(_("Welcome to gazette-tui")), id="welcome-title")
        yield Static(id="welcome-state")
        yield Static(self._steps(), id="welcome-steps")

    def on_mount(self) -> None:
        self._show_state()

    def watch_refreshing(self) -> None:
        self._show_state()

    def watch_unreachable(self) -> None:
        self._show_state()

    def watch_refreshed(self) -> None:
        self._show_state()

    def watch_started_offline(self) -> None:
        self._show_state()

    def watch_feeds(self) -> None:
        self._show_state()

    def watch_gazette(self) -> None:
        self._show_state()

    def state_text(self) -> str:
        """What is going on, in one or two sentences (our own words only: no feed text)."""
        lines = [_("Nothing is in the cache yet.")]
        if self.started_offline:
            lines.append(_("Started with --offline: nothing is fetched. Start without it to get the feeds."))
        elif self.refreshing:
            lines.append(_("Fetching the feeds…"))
        elif self.unreachable:
            lines.append(
                _(
                    "No feed could be reached: check the network connection (or the refresh.proxy "
                    "setting), then press r."
                )
            )
        elif self.feeds == 0:
            lines.append(_("No feed is subscribed."))
        elif self.feeds > 0 and self.refreshed:
            lines.append(_("The feeds answered but hold no article yet; r fetches them again."))
        if self.gazette and self.feeds > 0:
            gazette = _("On the left: La Gazette des communes' public feeds, subscribed on the first run.")
            lines.append(gazette)
        return "\n".join(lines)

    def _show_state(self) -> None:
        if self.is_mounted:
            self.query_one("#welcome-state", Static).update(Content(self.state_text()))

    @staticmethod
    def _steps() -> Content:
        rows = [
            ("gazette-tui --demo", _("the demo paper, with no network")),
            ("gazette-tui feeds add URL", _("subscribe to a feed (RSS, Atom, JSON Feed)")),
            ("gazette-tui import FILE.opml", _("import your subscriptions from another reader")),
        ]
        parts: list[Content] = [Content(_("To begin:"))]
        for command, label in rows:
            parts += [Content("\n• "), Content.styled(command, "bold"), Content(" — "), Content(label)]
        keys = _("Keys: r fetches the feeds, ? lists every key, q quits.")
        parts += [Content("\n\n"), Content(keys)]
        return Content("").join(parts)
