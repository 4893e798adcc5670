"""Save a search as an alerte: a name and the query. The dialog saves it itself (in a thread) so that a
refused name or an invalid query is explained inline and nothing typed is lost.

The search bar calls :func:`save_search_as_alert` with what the user typed there."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from gazette_tui.core.search import alerts
from gazette_tui.core.search.alerts import Alert
from gazette_tui.core.storage.store import Store
from gazette_tui.errors import GazetteError
from gazette_tui.i18n import _
from gazette_tui.ui.bindings import translate_bindings
from gazette_tui.ui.messages import SaveAlertRequested


def save_search_as_alert(app: App[object], query: str) -> None:
    """Open the "save as alerte" dialog with ``query`` filled in (for the search bar): a message to the app,
    which hands it to the main screen's alertes (they open this dialog and add the alerte to the tree)."""
    app.post_message(SaveAlertRequested(query))


class SaveAlertDialog(ModalScreen[Alert | None]):
    DEFAULT_CSS = """
    SaveAlertDialog { align: center middle; }
    SaveAlertDialog > Vertical {
        width: 80; max-width: 95%; height: auto; border: thick $primary; background: $surface; padding: 0 1;
    }
    SaveAlertDialog #alert-title { text-style: bold; padding-bottom: 1; }
    SaveAlertDialog .label { color: $text-muted; }
    SaveAlertDialog #alert-error { color: $error; text-style: bold; }
    SaveAlertDialog #alert-hint { color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="save_alert.cancel", tooltip="Close without saving"),
    ]

    @dataclass
    class Saved(Message):
        alert: Alert | None
        error: str | None = None

    def __init__(self, store: Store, query: str = "") -> None:
        super().__init__()
        translate_bindings(self)
        self.store = store
        self.query_text = query

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(_("Save the search as an alert")), id="alert-title")
            yield Static(Content(_("Name")), classes="label")
            yield Input(max_length=alerts.MAX_NAME_LENGTH, id="alert-name")
            yield Static(Content(_("Search")), classes="label")
            yield Input(self.query_text, placeholder=_('Words, "a phrase", feed:name…'), id="alert-query")
            yield Static(id="alert-error")
            yield Static(
                Content(_("New articles that match are counted in the tree after each refresh.")),
                id="alert-hint",
            )

    def on_mount(self) -> None:
        self.query_one("#alert-error", Static).display = False
        self.query_one("#alert-name" if self.query_text else "#alert-query", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self._save(self.query_one("#alert-name", Input).value, self.query_one("#alert-query", Input).value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="save-alert")
    def _save(self, name: str, query: str) -> None:
        try:
            alert = alerts.save_alert(self.store, name, query)
        except GazetteError as error:
            self.post_message(self.Saved(None, str(error)))
        else:
            self.post_message(self.Saved(alert))

    def on_save_alert_dialog_saved(self, message: Saved) -> None:
        if message.alert is not None:
            self.dismiss(message.alert)
            return
        error = self.query_one("#alert-error", Static)
        error.update(Content(message.error or ""))
        error.display = True
