"""The search bar: type, results appear (debounced, in a thread), enter opens the chosen article."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from gazette_tui.core.errors import GazetteError
from gazette_tui.core.search import search_hits
from gazette_tui.core.store import Store
from gazette_tui.i18n import _, format_date
from gazette_tui.ui.bindings import translate_bindings

SearchFunction = Callable[..., Sequence[Any]]
DEBOUNCE = 0.15


class SearchDialog(ModalScreen[int | None]):
    DEFAULT_CSS = """
    SearchDialog { align: center top; }
    SearchDialog > Vertical {
        width: 90%; max-width: 120; height: 80%; margin-top: 2; border: thick $primary; background: $surface;
    }
    SearchDialog #search-status { color: $text-muted; padding: 0 1; }
    SearchDialog OptionList { height: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "Close", id="search.close", tooltip="Close the search"),
        Binding("down", "results", "Results", id="search.results", show=False, tooltip="Go to the results"),
    ]

    @dataclass
    class Found(Message):
        query: str
        results: list[Any]
        error: str | None = None

    def __init__(self, store: Store, search: SearchFunction = search_hits) -> None:
        super().__init__()
        translate_bindings(self)
        self.store = store
        self.search = search
        self.results: list[Any] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Input(placeholder=_('Search: words, "a phrase", author:name…'), id="search-input")
            yield Static(id="search-status")
            yield OptionList(id="search-results")

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    def action_results(self) -> None:
        self.query_one(OptionList).focus()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._run(event.value)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        if self.results:
            self.dismiss(self.results[0].row.id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def _run(self, text: str) -> None:
        worker = get_current_worker()
        time.sleep(DEBOUNCE)  # typing cancels this worker; only the last pause runs a query
        if worker.is_cancelled:
            return
        if not text.strip():
            self.post_message(self.Found(text, []))
            return
        try:
            results = list(self.search(self.store, text, limit=50))
        except GazetteError as error:
            self.post_message(self.Found(text, [], str(error)))
            return
        if not worker.is_cancelled:
            self.post_message(self.Found(text, results))

    def on_search_dialog_found(self, message: Found) -> None:
        self.results = message.results
        options = self.query_one(OptionList)
        options.clear_options()
        status = self.query_one("#search-status", Static)
        if message.error:
            status.update(Content(message.error))
            return
        status.update(
            Content(_("{count} results").format(count=len(message.results)) if message.query else "")
        )
        options.add_options(Option(self._prompt(hit), id=str(hit.row.id)) for hit in message.results)

    @staticmethod
    def _prompt(hit: Any) -> Content:
        """Date, title with the found words marked, feed; the snippet below. All feed text, so Content built
        from plain strings and styled by offsets (the hit carries spans, never markup)."""
        title = Content(hit.title)
        for start, end in hit.title_spans:
            title = title.stylize("bold $text-accent", start, end)
        snippet = Content(hit.snippet)
        for start, end in hit.snippet_spans:
            snippet = snippet.stylize("bold", start, end)
        row = hit.row
        head = Content.assemble(
            (format_date(row.published), "dim"), "  ", title, ("  " + row.feed_title, "dim")
        )
        return Content("\n").join([head, snippet.stylize_before("dim")]) if hit.snippet else head

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.results[event.option_index].row.id)
