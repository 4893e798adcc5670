"""The search bar: results as you type, the words found highlighted, enter opens, esc gives the list back.

- Typing is checked at once (the query parser is pure and fast): a mistake shows its message and a caret
  under the spot, and no search runs. A valid query runs after a short pause (a timer restarted by every
  key) in a thread worker; exclusive workers plus a generation number mean a slow older query can never
  replace the results of a newer one.
- The dialog is a modal screen over the main one, which it never touches: esc leaves the list, its cursor
  and the focus exactly as they were.
- ↑/↓ in the field browse the history (kept in the database, :mod:`gazette_tui.ui.search_history`).
- Titles and snippets are feed text: ``Content`` built from the plain strings, styled by the spans the core
  returns, never markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar

from rich.cells import cell_len
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from gazette_tui.core.search import search as core_search
from gazette_tui.core.storage.store import Store
from gazette_tui.errors import GazetteError, QueryError
from gazette_tui.i18n import _, format_date, plural
from gazette_tui.ui.bindings import translate_bindings
from gazette_tui.ui.search_history import HistoryBrowser, load_history, remember_query

SearchFunction = Callable[..., Sequence[Any]]
DEBOUNCE = 0.15
"""Seconds of pause in typing before a query runs."""
LIMIT = 50
TITLE_STYLE = "bold $text-accent"
SNIPPET_STYLE = "bold $text-warning"
CONTEXT = 60
"""Characters of the query shown around an error's caret."""


def error_content(query: str, error: QueryError) -> Content:
    """The error's sentence, then the query (or the part of it around the problem) with a caret below.

    Our own literal for the layout; the query and the message go in as plain ``Content``."""
    position = max(0, min(error.position, len(query)))
    start = max(0, position - CONTEXT // 2)
    end = min(len(query), start + CONTEXT)
    shown = ("…" if start else "") + query[start:end] + ("…" if end < len(query) else "")
    before = ("…" if start else "") + query[start:position]
    caret = Content(" " * cell_len(before) + "^").stylize("bold $error")
    head = Content.assemble(("⚠ ", "bold $error"), Content(str(error)))
    return Content("\n").join([head, Content("  ") + Content(shown), Content("  ") + caret])


def hit_prompt(hit: Any) -> Content:
    """Date, title with the words found marked, feed; the snippet below, its words marked too."""
    title = Content(hit.title)
    for start, end in hit.title_spans:
        title = title.stylize(TITLE_STYLE, start, end)
    row = hit.row
    head = Content.assemble((format_date(row.published), "dim"), "  ", title)
    if row.feed_title:
        head = head + Content("  " + row.feed_title).stylize("dim")
    if not hit.snippet:
        return head
    snippet = Content(hit.snippet)
    for start, end in hit.snippet_spans:
        snippet = snippet.stylize(SNIPPET_STYLE, start, end)
    return Content("\n").join([head, Content("   ") + snippet.stylize_before("$text-muted")])


class SearchDialog(ModalScreen[int | None]):
    DEFAULT_CSS = """
    SearchDialog { align: center top; }
    SearchDialog > Vertical {
        width: 90%; max-width: 120; height: 80%; margin-top: 2; border: thick $primary; background: $surface;
    }
    SearchDialog #search-status { color: $text-muted; padding: 0 1; }
    SearchDialog #search-error { padding: 0 1; display: none; }
    SearchDialog #search-help { color: $text-muted; padding: 0 1; }
    SearchDialog OptionList { height: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "Close", id="search.close", tooltip="Close the search"),
        Binding("up", "history_older", "History", id="search.older", show=False, tooltip="Previous search"),
        Binding("down", "history_newer", "History", id="search.newer", show=False, tooltip="Next search"),
        Binding(
            "ctrl+s",
            "save_alert",
            "Save as alert",
            id="search.save_alert",
            tooltip="Save this search as an alert",
        ),
    ]

    @dataclass
    class Found(Message):
        """Results (or the error) of the query of generation ``generation``."""

        query: str
        results: list[Any]
        generation: int
        error: GazetteError | None = None

    @dataclass
    class HistoryLoaded(Message):
        entries: list[str]

    def __init__(self, store: Store, search: SearchFunction | None = None, *, query: str = "") -> None:
        super().__init__()
        translate_bindings(self)
        self.store = store
        self.search = search
        """The search function (tests pass a slow one); None: :func:`core.search.search_hits`."""
        self.initial_query = query
        self.results: list[Any] = []
        self.query_text = ""
        """The query the results (or the error) belong to."""
        self.error: GazetteError | None = None
        self.history = HistoryBrowser()
        self._generation = 0
        self._timer: Timer | None = None
        self._recalled: str | None = None
        self._open_pending = False
        """Enter was pressed before the results came: open the first one when they do."""

    def compose(self) -> ComposeResult:
        with Vertical():
            placeholder = _('Search: words, "a phrase", author:name…')
            yield Input(self.initial_query, placeholder=placeholder, id="search-input")
            yield Static(id="search-error")
            yield Static(id="search-status")
            yield OptionList(id="search-results")
            yield Static(
                Content(_("enter opens · tab: results · ↑↓ history · ctrl+s save as alert · esc closes")),
                id="search-help",
            )

    def on_mount(self) -> None:
        self._load_history()

    @property
    def field(self) -> Input:
        return self.query_one("#search-input", Input)

    @property
    def options(self) -> OptionList:
        return self.query_one("#search-results", OptionList)

    # -- closing ---------------------------------------------------------------------------------

    def _close(self, article_id: int | None) -> None:
        """Dismiss; a query that ran without error goes into the history (saved by the app: this screen's
        own workers end with it)."""
        self._cancel_timer()
        query = self.query_text.strip()
        if query and self.error is None:
            self.app.run_worker(
                partial(remember_query, self.store, query),
                thread=True,
                group="search-history",
                exit_on_error=False,
            )
        self.dismiss(article_id)

    def action_dismiss_none(self) -> None:
        self._close(None)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.query_text == event.value and self._timer is None:
            highlighted = self.options.highlighted
            if self.results:
                self._close(self.results[highlighted if highlighted is not None else 0].row.id)
            return
        if event.value.strip():
            self._open_pending = True  # the results are on their way: open the first one
            if self._timer is not None:
                self._cancel_timer()
                self._start(event.value)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._close(self.results[event.option_index].row.id)

    # -- history ---------------------------------------------------------------------------------

    @work(thread=True, exit_on_error=False, group="search-history")
    def _load_history(self) -> None:
        entries = load_history(self.store)
        if not get_current_worker().is_cancelled:
            self.post_message(self.HistoryLoaded(entries))

    def on_search_dialog_history_loaded(self, message: HistoryLoaded) -> None:
        self.history.reset(message.entries)

    def _recall(self, text: str | None) -> None:
        if text is None:
            return
        self._recalled = text
        self.field.value = text
        self.field.cursor_position = len(text)

    def action_history_older(self) -> None:
        if self.focused is self.field:
            self._recall(self.history.older(self.field.value))

    def action_history_newer(self) -> None:
        if self.focused is self.field:
            self._recall(self.history.newer())

    # -- searching -------------------------------------------------------------------------------

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value != self._recalled:
            self.history.reset()
        self._recalled = None
        self._open_pending = False
        text = event.value
        self._cancel_timer()
        self._generation += 1  # whatever is running now is stale
        try:
            core_search.validate(text)
        except QueryError as error:
            self._show(self.Found(text, [], self._generation, error))
            return
        if not text.strip():
            self._show(self.Found(text, [], self._generation))
            return
        self._timer = self.set_timer(DEBOUNCE, partial(self._start, text))

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _start(self, text: str) -> None:
        self._timer = None
        self._generation += 1
        self.query_one("#search-status", Static).update(Content(_("Searching…")))
        self._run(text, self._generation)

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def _run(self, text: str, generation: int) -> None:
        worker = get_current_worker()
        search = self.search or core_search.search_hits
        failure: GazetteError | None = None
        results: list[Any] = []
        try:
            results = list(search(self.store, text, limit=LIMIT))
        except GazetteError as error:  # QueryError (an unknown feed…) or StoreError: said inline
            failure = error
        if not worker.is_cancelled:
            self.post_message(self.Found(text, results, generation, failure))

    def on_search_dialog_found(self, message: Found) -> None:
        message.stop()
        if message.generation != self._generation:
            return  # an older query finished after a newer one started
        self._show(message)
        if self._open_pending and self.results:
            self._close(self.results[0].row.id)
        self._open_pending = False

    def _show(self, message: Found) -> None:
        self.results = message.results
        self.query_text = message.query
        self.error = message.error
        options = self.options
        options.clear_options()
        error_widget = self.query_one("#search-error", Static)
        status = self.query_one("#search-status", Static)
        if message.error is not None:
            error = message.error
            error_widget.update(
                error_content(message.query, error)
                if isinstance(error, QueryError)
                else Content.assemble(("⚠ ", "bold $error"), Content(str(error)))
            )
            error_widget.display = True
            status.update("")
            return
        error_widget.display = False
        if not message.query.strip():
            status.update("")
            return
        count = len(message.results)
        status.update(Content(plural(count, "{count} result", "{count} results")))
        options.add_options(Option(hit_prompt(hit), id=str(hit.row.id)) for hit in message.results)
        if message.results:
            options.highlighted = 0

    # -- alertes ---------------------------------------------------------------------------------

    def action_save_alert(self) -> None:
        """Hand the current query to the "save as alerte" dialog (``dialogs/save_alert.py``)."""
        query = self.field.value.strip()
        if not query or self.error is not None:
            self.app.notify(_("Type a valid search first."), severity="warning", markup=False)
            return
        if self.query_text.strip() == query:  # it ran: into the history
            self.app.run_worker(
                partial(remember_query, self.store, query),
                thread=True,
                group="search-history",
                exit_on_error=False,
            )
        self.save_alert_hook(query)

    def save_alert_hook(self, query: str) -> None:
        """Open the dialog that names and saves an alerte for ``query``, over this one (esc there comes
        back to these results)."""
        from gazette_tui.ui.dialogs.save_alert import save_search_as_alert

        save_search_as_alert(self.app, query)
