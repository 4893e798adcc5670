"""Alertes on the main screen: save a search as an alerte (key S, the palette, or ctrl+s in the search bar),
open one (its results become the list, and it counts as seen), and after each refresh announce the new
matches with a notification, plus the terminal bell when ``[ui] bell_on_alert`` is on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import work
from textual.binding import Binding, BindingType
from textual.message import Message

from gazette_tui.core.search import alerts
from gazette_tui.core.search.alerts import Alert
from gazette_tui.i18n import _
from gazette_tui.ui.bindings import plural
from gazette_tui.ui.screens.panes import PaneScreen

ALERT_BINDINGS: list[Binding] = [
    Binding(
        "S",
        "save_alert",
        "Save alert",
        id="save_alert",
        show=False,
        tooltip="Save the search as an alert…",
    ),
]


class AlertActions(PaneScreen):
    BINDINGS: ClassVar[list[BindingType]] = list(ALERT_BINDINGS)

    @dataclass
    class AlertsChecked(Message):
        """After a refresh: alerte name → new matches, for those that have some."""

        matches: dict[str, int]

    def action_save_alert(self) -> None:
        self.ask_save_alert("")

    def ask_save_alert(self, query: str) -> None:
        """Name and save a search (``query`` pre-filled, e.g. from the search bar)."""
        from gazette_tui.ui.dialogs.save_alert import SaveAlertDialog

        self.app.push_screen(SaveAlertDialog(self.gazette.store, query), self._alert_saved)

    def _alert_saved(self, alert: Alert | None) -> None:
        if alert is not None:
            self.gazette.say(_("Alert “{name}” saved.").format(name=alert.name))
            self.reload_collections()

    def on_descendant_focus(self) -> None:
        """Opening an alerte's list (the list or the reader gets the focus) is looking at it: seen."""
        target = self.target
        if self.pane == "tree" or target is None or target.kind not in ("alert", "alerts"):
            return
        fresh = self.feed_tree.target(target.key)
        if fresh is not None and fresh.unread:
            self._mark_seen(fresh.alert.name if fresh.alert is not None else None)

    @work(thread=True, exit_on_error=False, group="alerts-seen")
    def _mark_seen(self, name: str | None) -> None:
        alerts.mark_seen(self.gazette.store, name)
        self.app.call_from_thread(self.reload_collections)

    @work(thread=True, exclusive=True, exit_on_error=False, group="alerts-check")
    def check_alerts(self) -> None:
        """After a refresh: the matches no one has announced yet, marked announced in the same transaction
        (the baseline lives in the database: nothing read at mount can race the first refresh)."""
        self.post_message(self.AlertsChecked(alerts.announce_new(self.gazette.store)))

    def on_alert_actions_alerts_checked(self, message: AlertsChecked) -> None:
        grown = message.matches
        if grown:
            details = "; ".join(
                _("“{name}”: {count}").format(
                    name=name, count=plural(count, "{count} new article", "{count} new articles")
                )
                for name, count in sorted(grown.items())
            )
            self.gazette.say(_("Alerts — {details}").format(details=details), timeout=10)
            if self.gazette.settings.ui.bell_on_alert:
                self.app.bell()
        self.reload_collections()
