"""The filters (kill-files): one line per filter (its name, what it does, to which feeds, how many articles
it has marked, its query below), and the keys that act on the highlighted one: enter applies it to the
whole cache, d deletes it, n makes a new one (``dialogs/filter_edit.py``). The dialog only says what was
chosen; the flow (``ui/controllers/filters.py``) does it and opens the list again.

Names, queries and feed titles are the user's or the feed's text: ``Content``, never markup."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from gazette_tui.core.search.filters import Filter, action_text, scope_text
from gazette_tui.i18n import _, plural
from gazette_tui.ui.bindings import translate_bindings


@dataclass(frozen=True, slots=True)
class FilterRequest:
    kind: Literal["new", "apply", "remove"]
    name: str = ""
    """The filter acted on ("" for a new one)."""


def filter_prompt(item: Filter) -> Content:
    """Name, action, scope and count on the first line; the query (or why it no longer runs) below."""
    marks = plural(item.marks, "{count} article", "{count} articles")
    head = Content.assemble(
        (item.name, "bold"), "  ", (f"{action_text(item.action)} · {scope_text(item)} · {marks}", "dim")
    )
    if item.error:
        below = Content.assemble(("  ⚠ ", "bold $error"), Content(item.error))
    else:
        below = Content("  ") + Content(item.query).stylize("$text-muted")
    return Content("\n").join([head, below])


class FiltersDialog(ModalScreen[FilterRequest | None]):
    DEFAULT_CSS = """
    FiltersDialog { align: center middle; }
    FiltersDialog > Vertical {
        width: 90%; max-width: 110; height: auto; max-height: 85%; border: thick $primary;
        background: $surface; padding: 0 1;
    }
    FiltersDialog #filters-title { text-style: bold; }
    FiltersDialog #filters-help { color: $text-muted; padding-bottom: 1; }
    FiltersDialog #filters-empty { color: $text-muted; padding: 1 0; }
    FiltersDialog OptionList { height: auto; max-height: 24; }
    FiltersDialog #filters-keys { color: $text-muted; padding-top: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n,plus", "new", "New", id="filters.new", tooltip="Make a new filter"),
        Binding("d,delete", "remove", "Delete", id="filters.remove", tooltip="Delete the highlighted filter"),
        Binding(
            "x",
            "apply",
            "Apply",
            id="filters.apply",
            tooltip="Apply the highlighted filter to the whole cache",
        ),
        Binding("escape,q", "close", "Close", id="filters.close", tooltip="Close the filters"),
    ]

    def __init__(self, items: list[Filter]) -> None:
        super().__init__()
        translate_bindings(self)
        self.items = items

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(_("Filters")), id="filters-title")
            yield Static(
                Content(
                    _(
                        "A search and what to do with the articles it finds when they arrive: hide them "
                        "(out of the lists, still searchable), mark them read, or star them."
                    )
                ),
                id="filters-help",
            )
            if self.items:
                yield OptionList(
                    *(Option(filter_prompt(item), id=f"filter-{n}") for n, item in enumerate(self.items))
                )
            else:
                yield Static(Content(_("No filter yet: n makes one.")), id="filters-empty")
            yield Static(
                Content(_("n: new · enter or x: apply to the whole cache · d: delete · esc: close")),
                id="filters-keys",
            )

    def on_mount(self) -> None:
        if self.items:
            self.query_one(OptionList).focus()

    def _highlighted(self) -> Filter | None:
        if not self.items:
            return None
        index = self.query_one(OptionList).highlighted
        return self.items[index] if index is not None else None

    def action_new(self) -> None:
        self.dismiss(FilterRequest("new"))

    def action_remove(self) -> None:
        item = self._highlighted()
        if item is not None:
            self.dismiss(FilterRequest("remove", item.name))

    def action_apply(self) -> None:
        item = self._highlighted()
        if item is not None:
            self.dismiss(FilterRequest("apply", item.name))

    def action_close(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(FilterRequest("apply", self.items[event.option_index].name))
