"""Pick a link of the article by its number (the body shows "text [N]")."""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from gazette_tui.i18n import _
from gazette_tui.ui.bindings import translate_bindings
from gazette_tui.ui.dialogs.numbers import TypedNumber


class LinksDialog(ModalScreen[str | None]):
    DEFAULT_CSS = """
    LinksDialog { align: center middle; }
    LinksDialog > Vertical {
        width: 90%; max-width: 110; height: auto; max-height: 80%; border: thick $primary;
        background: $surface; padding: 0 1;
    }
    LinksDialog #links-title { text-style: bold; padding-bottom: 1; }
    LinksDialog OptionList { height: auto; max-height: 20; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss_none", "Close", id="links.close", tooltip="Close without opening"),
    ]

    def __init__(self, links: list[str]) -> None:
        super().__init__()
        translate_bindings(self)
        self.links = links
        self.number = TypedNumber(len(links))

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(_("Type a link's number, or choose it and press enter.")), id="links-title")
            # URLs are feed text: Content, never markup.
            yield OptionList(
                *(Option(Content.assemble(f"[{n}] ", url), id=str(n)) for n, url in enumerate(self.links, 1))
            )

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.links[event.option_index])

    def on_key(self, event: events.Key) -> None:
        number = self.number.press(event.character)
        if number is None:
            return
        event.stop()
        if number:
            self.query_one(OptionList).highlighted = number - 1
            if self.number.complete:
                self.dismiss(self.links[number - 1])
