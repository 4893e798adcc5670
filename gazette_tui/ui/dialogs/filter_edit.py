"""A new filter: its name, its query, what to do with what it finds, and for which feeds (every feed, or
the feed chosen in the tree). The query is checked as it is typed, as the search bar checks one (the
message and a caret under the place); enter saves it in a thread (``core/search/filters.py``), so that a
refused name, a feed that a ``feed:`` names and does not exist, or any other problem is said inline and
nothing typed is lost.

It returns what was saved and whether to apply it to the cache now, or None when cancelled."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, RadioButton, RadioSet, Static

from gazette_tui.core.search import filters
from gazette_tui.core.search.filters import Filter
from gazette_tui.core.search.query import parse
from gazette_tui.core.storage.store import Store
from gazette_tui.errors import GazetteError, QueryError
from gazette_tui.i18n import _
from gazette_tui.ui.bindings import translate_bindings
from gazette_tui.ui.dialogs.search import error_content


@dataclass(frozen=True, slots=True)
class FilterSaved:
    item: Filter
    apply_now: bool
    """Apply it to the articles already cached too."""


def action_labels() -> dict[str, str]:
    """Each action as the dialog offers it, in the current language (built when shown)."""
    return {
        "hide": _("Hide them (out of the lists, still searchable)"),
        "read": _("Mark them as read"),
        "star": _("Star them"),
    }


class FilterEditDialog(ModalScreen[FilterSaved | None]):
    DEFAULT_CSS = """
    FilterEditDialog { align: center middle; }
    FilterEditDialog > Vertical {
        width: 90; max-width: 100%; height: auto; max-height: 100%; overflow-y: auto; border: thick $primary;
        background: $surface; padding: 0 1;
    }
    FilterEditDialog #filter-title { text-style: bold; }
    FilterEditDialog .label { color: $text-muted; margin-top: 1; }
    FilterEditDialog Input { background: $boost; }
    FilterEditDialog Input:focus { background: $panel; }
    FilterEditDialog RadioSet { width: 100%; border: none; padding: 0; }
    FilterEditDialog Checkbox { border: none; padding: 0; }
    FilterEditDialog #filter-error { height: auto; }
    FilterEditDialog #filter-hint { color: $text-muted; padding-top: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="filter_edit.cancel", tooltip="Close without saving"),
    ]

    @dataclass
    class Saved(Message):
        item: Filter | None
        error: GazetteError | None = None

    def __init__(self, store: Store, feed: tuple[str, str] | None = None, query: str = "") -> None:
        """``feed``: (address, title) of the feed chosen in the tree, offered as the filter's only feed."""
        super().__init__()
        translate_bindings(self)
        self.store = store
        self.feed = feed
        self.query_text = query

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(_("New filter")), id="filter-title")
            yield Static(Content(_("Name")), classes="label")
            yield Input(max_length=filters.MAX_NAME_LENGTH, compact=True, id="filter-name")
            yield Static(Content(_("Search (the articles it finds)")), classes="label")
            hint = _('Words, "a phrase", feed:name…')
            yield Input(self.query_text, placeholder=hint, compact=True, id="filter-query")
            yield Static(id="filter-error")
            yield Static(Content(_("What to do with them")), classes="label")
            labels = action_labels()
            with RadioSet(id="filter-action"):
                for n, action in enumerate(filters.ACTIONS):
                    yield RadioButton(Content(labels[action]), value=n == 0, id=f"filter-action-{action}")
            yield Static(Content(_("Which feeds")), classes="label")
            with RadioSet(id="filter-scope"):
                yield RadioButton(Content(_("Every feed")), value=True, id="filter-scope-all")
                if self.feed is not None:
                    label = _("Only the feed “{name}”").format(name=self.feed[1] or self.feed[0])
                    yield RadioButton(Content(label), id="filter-scope-feed")
            yield Checkbox(Content(_("Apply it to the articles already cached too")), id="filter-now")
            yield Static(
                Content(_("It applies to the articles of the next refreshes · enter: save · esc: cancel")),
                id="filter-hint",
            )

    def on_mount(self) -> None:
        self.query_one("#filter-error", Static).display = False
        self.query_one("#filter-name", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _show_error(self, query: str, error: GazetteError | None) -> None:
        shown = self.query_one("#filter-error", Static)
        if error is None:
            shown.display = False
            return
        if isinstance(error, QueryError):
            shown.update(error_content(query, error))
        else:
            shown.update(Content.assemble(("⚠ ", "bold $error"), Content(str(error))))
        shown.display = True

    @on(Input.Changed, "#filter-query")
    def _query_changed(self, event: Input.Changed) -> None:
        """Checked at once (the parser is pure and fast); names of feeds are checked on saving."""
        try:
            parse(event.value)
        except QueryError as error:
            self._show_error(event.value, error)
        else:
            self._show_error(event.value, None)

    def _chosen(self, prefix: str) -> str:
        for button in self.query(RadioButton):
            if button.value and (button.id or "").startswith(prefix):
                return (button.id or "").removeprefix(prefix)
        return ""

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = self.query_one("#filter-name", Input).value
        query = self.query_one("#filter-query", Input).value
        action = self._chosen("filter-action-") or filters.ACTIONS[0]
        feed_url = self.feed[0] if self.feed is not None and self._chosen("filter-scope-") == "feed" else None
        self._save(name, query, action, feed_url)

    @work(thread=True, exclusive=True, exit_on_error=False, group="filter-edit")
    def _save(self, name: str, query: str, action: str, feed_url: str | None) -> None:
        try:
            item = filters.add_filter(self.store, name, query, action, feed_url=feed_url)
        except GazetteError as error:
            self.post_message(self.Saved(None, error))
        else:
            self.post_message(self.Saved(item))

    def on_filter_edit_dialog_saved(self, message: Saved) -> None:
        if message.item is not None:
            self.dismiss(FilterSaved(message.item, self.query_one("#filter-now", Checkbox).value))
            return
        self._show_error(self.query_one("#filter-query", Input).value, message.error)
        if isinstance(message.error, QueryError):
            self.query_one("#filter-query", Input).focus()
