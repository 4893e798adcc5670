"""Choose a dossier for the current article: type to filter, enter to choose; the last line creates a new
dossier named after what was typed. Dossiers that already hold the article carry a ✓ (choosing one takes
the article out of it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from gazette_tui.core.library.dossiers import Dossier
from gazette_tui.core.search.query import fold
from gazette_tui.i18n import _
from gazette_tui.ui.bindings import translate_bindings

NEW = "new"


@dataclass(frozen=True)
class PickerChoice:
    """A dossier, or (``dossier`` None) a new one to create with the name typed so far."""

    dossier: Dossier | None
    typed: str = ""


class DossierPicker(ModalScreen[PickerChoice | None]):
    DEFAULT_CSS = """
    DossierPicker { align: center middle; }
    DossierPicker > Vertical {
        width: 80; max-width: 95%; height: auto; max-height: 85%; border: thick $primary;
        background: $surface; padding: 0 1;
    }
    DossierPicker #picker-title { text-style: bold; padding-bottom: 1; }
    DossierPicker OptionList { height: auto; max-height: 16; }
    DossierPicker #picker-hint { color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel", tooltip="Close without choosing"),
        Binding("down", "move(1)", "Next", id="picker.down", show=False, tooltip="Next dossier"),
        Binding("up", "move(-1)", "Previous", id="picker.up", show=False, tooltip="Previous dossier"),
    ]

    def __init__(
        self, title: str, dossiers: Sequence[Dossier], members: set[int], *, allow_new: bool = True
    ) -> None:
        super().__init__()
        translate_bindings(self)
        self.title_text = title
        self.dossiers = sorted(dossiers, key=lambda d: d.name.casefold())
        self.members = members
        self.allow_new = allow_new
        self.shown: list[Dossier | None] = []
        """What each line of the list stands for (None: "new dossier")."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.title_text), id="picker-title")
            yield Input(placeholder=_("Type to filter…"), id="picker-filter")
            yield OptionList(id="picker-options")
            hint = _("enter: choose · ✓: already in it (choosing it takes the article out) · esc: cancel")
            yield Static(Content(hint), id="picker-hint")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _fill(self, typed: str) -> None:
        wanted = fold(typed)
        options = self.query_one(OptionList)
        options.clear_options()
        matching = [d for d in self.dossiers if not wanted or wanted in fold(d.name)]
        self.shown = list(matching)
        lines = [
            Option(
                Content.assemble(
                    "✓ " if d.id in self.members else "  ",
                    Content(d.name),
                    (f"  {d.count}", "dim"),
                )
            )
            for d in matching
        ]
        if self.allow_new:
            name = typed.strip()
            label = _("New dossier “{name}”…").format(name=name) if name else _("New dossier…")
            lines.append(Option(Content.assemble("+ ", (label, "italic"))))
            self.shown.append(None)
        options.add_options(lines)
        if lines:
            options.highlighted = 0

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -step
            options.highlighted = max(0, min(current + step, options.option_count - 1))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _choose(self, index: int | None) -> None:
        if index is None or not 0 <= index < len(self.shown):
            return
        self.dismiss(PickerChoice(self.shown[index], self.query_one(Input).value.strip()))

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self._choose(self.query_one(OptionList).highlighted)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option_index)
