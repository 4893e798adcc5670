"""Choose one of an article's attachments (podcast episodes, PDFs): enter downloads it, o opens it in the
browser. Digits move to an attachment by its number, as in the reader's list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from gazette_tui.core.render import enclosure_details, enclosure_name
from gazette_tui.i18n import _
from gazette_tui.models import Enclosure
from gazette_tui.ui.bindings import translate_bindings
from gazette_tui.ui.dialogs.numbers import TypedNumber


@dataclass(frozen=True, slots=True)
class AttachmentChoice:
    action: Literal["download", "open"]
    enclosure: Enclosure


class AttachmentsDialog(ModalScreen[AttachmentChoice | None]):
    DEFAULT_CSS = """
    AttachmentsDialog { align: center middle; }
    AttachmentsDialog > Vertical {
        width: 90%; max-width: 110; height: auto; max-height: 80%; border: thick $primary;
        background: $surface; padding: 0 1;
    }
    AttachmentsDialog #attachments-title { text-style: bold; }
    AttachmentsDialog #attachments-folder { color: $text-muted; padding-bottom: 1; }
    AttachmentsDialog OptionList { height: auto; max-height: 20; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "open", "Open", id="attachments.open", tooltip="Open the attachment in the browser"),
        Binding("d", "download", "Download", id="attachments.download", tooltip="Download the attachment"),
        Binding(
            "escape,q", "dismiss_none", "Close", id="attachments.close", tooltip="Close without a choice"
        ),
    ]

    def __init__(self, enclosures: list[Enclosure], folder: str) -> None:
        super().__init__()
        translate_bindings(self)
        self.enclosures = enclosures
        self.folder = folder
        self.number = TypedNumber(len(enclosures))

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                Content(_("Attachments: enter or d downloads, o opens in the browser, esc closes.")),
                id="attachments-title",
            )
            yield Static(Content(_("Saved in {folder}").format(folder=self.folder)), id="attachments-folder")
            # Names, types and addresses are feed text: Content, never markup.
            yield OptionList(*(self._option(n, e) for n, e in enumerate(self.enclosures, 1)))

    @staticmethod
    def _option(number: int, enclosure: Enclosure) -> Option:
        details = enclosure_details(enclosure)
        label = Content.assemble(f"[{number}] ", enclosure_name(enclosure.url))
        if details:
            label = Content.assemble(label, (f"  {details}", "dim"))
        return Option(label, id=str(number))

    def _highlighted(self) -> Enclosure | None:
        index = self.query_one(OptionList).highlighted
        return self.enclosures[index] if index is not None else None

    def action_open(self) -> None:
        enclosure = self._highlighted()
        if enclosure is not None:
            self.dismiss(AttachmentChoice("open", enclosure))

    def action_download(self) -> None:
        enclosure = self._highlighted()
        if enclosure is not None:
            self.dismiss(AttachmentChoice("download", enclosure))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(AttachmentChoice("download", self.enclosures[event.option_index]))

    def on_key(self, event: events.Key) -> None:
        number = self.number.press(event.character)
        if number is None:
            return
        event.stop()
        if number:
            self.query_one(OptionList).highlighted = number - 1
