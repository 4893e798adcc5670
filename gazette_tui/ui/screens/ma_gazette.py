"""« Ma Gazette »: one page of the new articles of the themes followed, grouped by theme, laid out as the
site's newsletter (kicker, title, « Publié le … • Par … • dans : … », lede). Each article is a card that
takes the focus: j/k (or ↓/↑) go from one to the next, enter (or a click) opens it in the reader, esc or q
goes back. Every field is feed text: plain ``Content``, never markup."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from gazette_tui.core.library.ma_gazette import Card, Edition, summary, title_of
from gazette_tui.i18n import _
from gazette_tui.ui.bindings import translate_bindings


class CardView(Static, can_focus=True):
    """One article of the page."""

    def __init__(self, card: Card) -> None:
        parts: list[Content | tuple[str, str] | str] = []
        if card.kicker:
            parts += [(card.kicker.upper(), "bold $accent"), "\n"]
        parts.append((card.title, "bold" if not card.read else "bold $text-muted"))
        if card.meta:
            parts += ["\n", (card.meta, "$text-muted")]
        if card.lede:
            parts += ["\n", Content(card.lede)]
        super().__init__(Content.assemble(*parts), classes="card")
        self.card = card

    def on_click(self, event: events.Click) -> None:
        event.stop()
        screen = self.screen
        if isinstance(screen, MaGazettePage):
            screen.close(self.card.id)


class MaGazettePage(Screen[int | None]):
    """Returns the id of the article to open, or None (and tells ``closed``)."""

    DEFAULT_CSS = """
    MaGazettePage { background: $surface; }
    MaGazettePage #gazette-page { padding: 0 2; }
    MaGazettePage #gazette-title { text-style: bold; color: $accent; padding-top: 1; }
    MaGazettePage #gazette-summary { color: $text-muted; padding-bottom: 1; }
    MaGazettePage .theme {
        text-style: bold; margin-top: 1; border-bottom: solid $accent; width: 100%;
    }
    MaGazettePage .card { padding: 0 1; margin-top: 1; }
    MaGazettePage .card:focus { background: $boost; border-left: thick $accent; padding-left: 0; }
    MaGazettePage .aside { color: $text-muted; margin-top: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Back", id="gazette.close", tooltip="Back to the feeds"),
        Binding("j,down", "move(1)", "Next", id="gazette.down", tooltip="Next article"),
        Binding("k,up", "move(-1)", "Previous", id="gazette.up", tooltip="Previous article"),
        Binding("enter", "open", "Open", id="gazette.open", tooltip="Open the article in the reader"),
    ]

    def __init__(self, edition: Edition, closed: Callable[[int | None], None] = lambda _id: None) -> None:
        super().__init__()
        translate_bindings(self)
        self.edition = edition
        self._when_closed = closed
        """Told the article chosen (or None) once the page is gone."""

    def close(self, article_id: int | None) -> None:
        self.dismiss(article_id)
        self._when_closed(article_id)

    def compose(self) -> ComposeResult:
        edition = self.edition
        with VerticalScroll(id="gazette-page"):
            yield Static(Content(title_of(edition)), id="gazette-title")
            yield Static(Content(summary(edition)), id="gazette-summary")
            if not edition.themes:
                yield Static(Content(_("No theme chosen yet: press W to choose them.")), classes="aside")
            for section in edition.sections:
                yield Static(Content(section.theme.label()), classes="theme")
                yield from (CardView(card) for card in section.cards)
            if edition.quiet:
                labels = ", ".join(theme.label() for theme in edition.quiet)
                yield Static(Content(_("Nothing new: {themes}").format(themes=labels)), classes="aside")
            if edition.missing:
                labels = ", ".join(theme.label() for theme in edition.missing)
                yield Static(Content(_("No longer found: {themes}").format(themes=labels)), classes="aside")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        cards = list(self.query(CardView))
        if cards:
            cards[0].focus(scroll_visible=False)

    def action_move(self, step: int) -> None:
        cards = list(self.query(CardView))
        if not cards:
            self.query_one("#gazette-page", VerticalScroll).scroll_relative(y=step * 3, animate=False)
            return
        focused = self.focused
        position = cards.index(focused) if isinstance(focused, CardView) else -1
        target = cards[max(0, min(position + step, len(cards) - 1))]
        target.focus()
        target.scroll_visible(animate=False)

    def action_open(self) -> None:
        if isinstance(self.focused, CardView):
            self.close(self.focused.card.id)

    def action_close(self) -> None:
        self.close(None)
