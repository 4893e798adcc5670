"""Ask for one line of text (an article's note in a dossier): enter keeps it, esc changes nothing."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from gazette_tui.i18n import _
from gazette_tui.ui.bindings import translate_bindings


class PromptDialog(ModalScreen[str | None]):
    DEFAULT_CSS = """
    PromptDialog { align: center middle; }
    PromptDialog > Vertical {
        width: 80; max-width: 95%; height: auto; border: thick $primary; background: $surface; padding: 0 1;
    }
    PromptDialog #prompt-title { text-style: bold; padding-bottom: 1; }
    PromptDialog #prompt-hint { color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="prompt.cancel", tooltip="Close without changing anything"),
    ]

    def __init__(self, title: str, value: str = "", *, placeholder: str = "", max_length: int = 0) -> None:
        super().__init__()
        translate_bindings(self)
        self.title_text = title
        self.value = value
        self.placeholder = placeholder
        self.max_length = max_length

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.title_text), id="prompt-title")
            yield Input(
                self.value, placeholder=self.placeholder, max_length=self.max_length, id="prompt-input"
            )
            yield Static(Content(_("enter: save · esc: cancel")), id="prompt-hint")

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)
