"""Alertes on the main screen: save a search as an alerte (key S, the palette, or ctrl+s in the search bar),
and announce the new matches a refresh found, with a notification and, when ``[ui] bell_on_alert`` is on,
the terminal bell. Opening an alerte's list marks it seen (:meth:`Loader.looked_at`)."""

from __future__ import annotations

from textual import work
from textual.binding import Binding

from gazette_tui.i18n import _, plural
from gazette_tui.ui.controllers.base import Controller, Panes
from gazette_tui.ui.controllers.loading import Loader
from gazette_tui.ui.dialogs.save_alert import SaveAlertDialog
from gazette_tui.ui.host import Host

ALERT_BINDINGS: list[Binding] = [
    Binding(
        "S", "save_alert", "Save alert", id="save_alert", show=False, tooltip="Save the search as an alert…"
    ),
]
"""The keys of this controller; the main screen declares them and hands each action here."""


class AlertActions(Controller):
    def __init__(self, host: Host, panes: Panes, loader: Loader) -> None:
        super().__init__(host, panes)
        self.loader = loader

    @work(exit_on_error=False, group="dialog")
    async def save(self, query: str = "") -> None:
        """Name and save a search (``query`` pre-filled, e.g. from the search bar); the dialog saves it."""
        alert = await self.app.push_screen_wait(SaveAlertDialog(self.host.store, query))
        if alert is not None:
            self.host.say(_("Alert “{name}” saved.").format(name=alert.name))
            self.loader.reload_collections()

    def announce(self, matches: dict[str, int]) -> None:
        """After a refresh: alerte name → new matches nobody was told about yet (the refresh cycle marked
        them announced, so each article is announced once)."""
        if matches:
            details = "; ".join(
                _("“{name}”: {count}").format(
                    name=name, count=plural(count, "{count} new article", "{count} new articles")
                )
                for name, count in sorted(matches.items())
            )
            self.host.say(_("Alerts — {details}").format(details=details), timeout=10)
            if self.host.settings.ui.bell_on_alert:
                self.app.bell()
        self.loader.reload_collections()
