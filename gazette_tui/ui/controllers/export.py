"""Export a dossier to Markdown or HTML (key x): where and in which format, asked in a dialog; a file that is
already there is replaced only once confirmed. The writing runs in a thread worker."""

from __future__ import annotations

from textual import work

from gazette_tui.core.library import dossiers
from gazette_tui.core.library.dossiers import Dossier
from gazette_tui.errors import GazetteError
from gazette_tui.i18n import _, language
from gazette_tui.ui.controllers.base import Controller, Panes
from gazette_tui.ui.controllers.dossiers import DossierActions
from gazette_tui.ui.dialogs.confirm import ConfirmDialog
from gazette_tui.ui.dialogs.export import ExportChoice, ExportDialog
from gazette_tui.ui.host import Host


class DossierExport(Controller):
    def __init__(self, host: Host, panes: Panes, dossier_actions: DossierActions) -> None:
        super().__init__(host, panes)
        self.dossier_actions = dossier_actions

    @work(exit_on_error=False, group="dialog")
    async def export(self) -> None:
        """Ask where and in which format, and before replacing a file that is already there."""
        dossier = self.dossier_actions.selected_dossier()
        if dossier is None:
            return
        if dossier.count == 0:
            self._say_empty(dossier)
            return
        choice = await self.app.push_screen_wait(ExportDialog(dossier.name, dossier.count))
        if choice is None:
            return
        if choice.path.is_file():  # an earlier export, or any file of the user's: ask before replacing it
            question = _("{path} already exists. Replace it?").format(path=choice.path)
            if not await self.app.push_screen_wait(ConfirmDialog(question, _("Replace"))):
                return
        self._export(dossier, choice)

    def _say_empty(self, dossier: Dossier) -> None:
        message = _("The dossier “{name}” is empty: there is nothing to export.")
        self.host.say(message.format(name=dossier.name), severity="warning")

    @work(thread=True, exit_on_error=False, group="export")
    def _export(self, dossier: Dossier, choice: ExportChoice) -> None:
        store = self.host.store
        try:
            if dossiers.get(store, dossier.id).count == 0:
                self.app.call_from_thread(self._say_empty, dossier)
                return
            if choice.format == "html":
                text = dossiers.export_html(store, dossier.id)
            else:
                text = dossiers.export_markdown(store, dossier.id, language())
            dossiers.write_export(text, choice.path)
        except GazetteError as error:
            self.app.call_from_thread(self.host.say, str(error), severity="error")
            return
        self.app.call_from_thread(self.host.say, _("Dossier exported to {path}").format(path=choice.path))
