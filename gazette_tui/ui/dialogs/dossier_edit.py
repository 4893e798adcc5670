"""Create a dossier, or rename and describe one. The dialog writes to the cache itself (in a thread) so that
a refused name (empty, taken, with a slash or a control character) is explained right under the field and
nothing typed is lost."""

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
from textual.widgets import Input, Static

from gazette_tui.core.library import dossiers
from gazette_tui.core.library.dossiers import Dossier
from gazette_tui.core.storage.store import Store
from gazette_tui.errors import GazetteError
from gazette_tui.i18n import _
from gazette_tui.ui.bindings import translate_bindings


class DossierEditDialog(ModalScreen[Dossier | None]):
    DEFAULT_CSS = """
    DossierEditDialog { align: center middle; }
    DossierEditDialog > Vertical {
        width: 80; max-width: 95%; height: auto; border: thick $primary; background: $surface; padding: 0 1;
    }
    DossierEditDialog #dossier-edit-title { text-style: bold; padding-bottom: 1; }
    DossierEditDialog .label { color: $text-muted; }
    DossierEditDialog #dossier-edit-error { color: $error; text-style: bold; }
    DossierEditDialog #dossier-edit-hint { color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dossier_edit.cancel", tooltip="Close without saving"),
    ]

    @dataclass
    class Saved(Message):
        dossier: Dossier | None
        error: str | None = None

    def __init__(self, store: Store, dossier: Dossier | None = None, name: str = "") -> None:
        """``dossier`` None creates a new one (``name`` pre-fills its name)."""
        super().__init__()
        translate_bindings(self)
        self.store = store
        self.dossier = dossier
        self.initial_name = dossier.name if dossier is not None else name

    def compose(self) -> ComposeResult:
        title = (
            _("New dossier") if self.dossier is None else _("Dossier “{name}”").format(name=self.dossier.name)
        )
        with Vertical():
            yield Static(Content(title), id="dossier-edit-title")
            yield Static(Content(_("Name")), classes="label")
            yield Input(self.initial_name, max_length=dossiers.MAX_NAME, id="dossier-edit-name")
            yield Static(id="dossier-edit-error")
            yield Static(Content(_("Description (optional)")), classes="label")
            yield Input(
                self.dossier.description if self.dossier is not None else "",
                placeholder=_("What this dossier gathers, for whom…"),
                id="dossier-edit-description",
            )
            yield Static(Content(_("enter: save · esc: cancel")), id="dossier-edit-hint")

    def on_mount(self) -> None:
        self.query_one("#dossier-edit-error", Static).display = False
        self.query_one("#dossier-edit-name", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        name = self.query_one("#dossier-edit-name", Input).value
        description = self.query_one("#dossier-edit-description", Input).value
        self._save(name, description)

    @work(thread=True, exclusive=True, exit_on_error=False, group="dossier-edit")
    def _save(self, name: str, description: str) -> None:
        try:
            if self.dossier is None:
                saved = dossiers.create(self.store, name, description)
            else:
                dossiers.rename(self.store, self.dossier.id, name)
                dossiers.describe(self.store, self.dossier.id, description)
                saved = dossiers.get(self.store, self.dossier.id)
        except GazetteError as error:
            self.post_message(self.Saved(None, str(error)))
        else:
            self.post_message(self.Saved(saved))

    def on_dossier_edit_dialog_saved(self, message: Saved) -> None:
        if message.dossier is not None:
            self.dismiss(message.dossier)
            return
        error = self.query_one("#dossier-edit-error", Static)
        error.update(Content(message.error or ""))
        error.display = True
        self.query_one("#dossier-edit-name", Input).focus()
