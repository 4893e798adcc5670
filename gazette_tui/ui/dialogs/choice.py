"""Choose one of a few named things (which La Gazette dossier to follow, when an article is in several)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from gazette_tui.ui.bindings import translate_bindings


class ChoiceDialog(ModalScreen[int | None]):
    """Returns the index of the chosen option, or None."""

    DEFAULT_CSS = """
    ChoiceDialog { align: center middle; }
    ChoiceDialog > Vertical {
        width: 80; max-width: 95%; height: auto; max-height: 80%; border: thick $primary;
        background: $surface; padding: 0 1;
    }
    ChoiceDialog #choice-title { text-style: bold; padding-bottom: 1; }
    ChoiceDialog OptionList { height: auto; max-height: 16; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="choice.cancel", tooltip="Close without choosing"),
    ]

    def __init__(self, title: str, options: list[str]) -> None:
        super().__init__()
        translate_bindings(self)
        self.title_text = title
        self.options = options

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.title_text), id="choice-title")
            yield OptionList(*(Option(Content(text)) for text in self.options))

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_index)
