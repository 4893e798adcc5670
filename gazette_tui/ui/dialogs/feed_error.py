"""Details of a feed's last refresh: its address, the error in full, and when it last worked."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from gazette_tui.i18n import _, format_datetime, skipped_items
from gazette_tui.models import FeedRow
from gazette_tui.ui.bindings import translate_bindings


class FeedErrorDialog(ModalScreen[None]):
    DEFAULT_CSS = """
    FeedErrorDialog { align: center middle; }
    FeedErrorDialog > Vertical {
        width: 80%; max-width: 100; height: auto; border: thick $error; background: $surface; padding: 0 1;
    }
    FeedErrorDialog .title { text-style: bold; }
    FeedErrorDialog .error { color: $error; padding: 1 0; }
    FeedErrorDialog .hint { color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,enter,e", "dismiss", "Close", id="feed_error.close", tooltip="Close"),
    ]

    def __init__(self, feed: FeedRow) -> None:
        super().__init__()
        translate_bindings(self)
        self.feed = feed

    def compose(self) -> ComposeResult:
        feed = self.feed
        last_ok = format_datetime(feed.last_ok) if feed.last_ok else _("never")
        with Vertical():
            yield Static(Content(feed.title), classes="title")
            yield Static(Content(feed.url))
            yield Static(
                Content(feed.last_error or _("The last refresh of this feed worked.")), classes="error"
            )
            if feed.dropped and not feed.last_error:
                yield Static(Content(skipped_items(feed.dropped)), classes="error")
            yield Static(Content(_("Last success: {when}").format(when=last_ok)))
            if feed.failures:
                yield Static(Content(_("Failures in a row: {count}").format(count=feed.failures)))
            yield Static(Content(_("R refreshes this feed again; esc closes.")), classes="hint")
