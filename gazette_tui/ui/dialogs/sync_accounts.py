"""The sync accounts (key Y): one line per account (its name, server and username, when it last synced or
why it did not, the changes waiting to be sent), and the keys that act on them: n adds one
(``dialogs/sync_add.py`` tests the connection first), d removes the highlighted one, s syncs every account
now. The dialog only says what was chosen; the flow (``ui/controllers/sync_accounts.py``) does it.

Names, addresses, usernames and errors come from the user or a server: ``Content``, never markup."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from gazette_tui.i18n import _, format_datetime, plural
from gazette_tui.ui.bindings import translate_bindings

if TYPE_CHECKING:
    from gazette_tui.core.storage.sync import SyncAccountRow


@dataclass(frozen=True, slots=True)
class SyncRequest:
    kind: Literal["add", "remove", "sync"]
    name: str = ""
    """The account acted on ("" for a new one, or to sync them all)."""


def account_prompt(account: SyncAccountRow) -> Content:
    """Name and server on the first line; the last sync (or its error) and what waits, below."""
    head = Content.assemble(
        (account.name, "bold"), "  ", (f"Fever · {account.url} · {account.username}", "dim")
    )
    if account.last_error:
        state = Content.assemble(("  ⚠ ", "bold $error"), Content(account.last_error))
    elif account.last_ok:
        state = Content("  " + _("Synced on {date}").format(date=format_datetime(account.last_ok)))
    else:
        state = Content("  " + _("Never synced"))
    if account.pending:
        waiting = plural(account.pending, "{count} change waiting", "{count} changes waiting")
        state = Content.assemble(state, (f" · {waiting}", "$text-muted"))
    return Content("\n").join([head, state])


class SyncAccountsDialog(ModalScreen[SyncRequest | None]):
    DEFAULT_CSS = """
    SyncAccountsDialog { align: center middle; }
    SyncAccountsDialog > Vertical {
        width: 90%; max-width: 110; height: auto; max-height: 85%; border: thick $primary;
        background: $surface; padding: 0 1;
    }
    SyncAccountsDialog #sync-accounts-title { text-style: bold; }
    SyncAccountsDialog #sync-accounts-help { color: $text-muted; padding-bottom: 1; }
    SyncAccountsDialog #sync-accounts-empty { color: $text-muted; padding: 1 0; }
    SyncAccountsDialog OptionList { height: auto; max-height: 24; }
    SyncAccountsDialog #sync-accounts-keys { color: $text-muted; padding-top: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n,plus", "add", "Add", id="sync_accounts.add", tooltip="Add a sync account"),
        Binding(
            "d,delete",
            "remove",
            "Remove",
            id="sync_accounts.remove",
            tooltip="Remove the highlighted account (its feeds stay, as local subscriptions)",
        ),
        Binding("s", "sync", "Sync now", id="sync_accounts.sync", tooltip="Sync every account now"),
        Binding("escape,q", "close", "Close", id="sync_accounts.close", tooltip="Close the sync accounts"),
    ]

    def __init__(self, accounts: list[SyncAccountRow]) -> None:
        super().__init__()
        translate_bindings(self)
        self.accounts = accounts

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(_("Sync accounts")), id="sync-accounts-title")
            yield Static(
                Content(
                    _(
                        "Your subscriptions and what you read or star, kept in step with your own feed "
                        "server (Miniflux, FreshRSS, Tiny Tiny RSS, yarr…) through its Fever API."
                    )
                ),
                id="sync-accounts-help",
            )
            if self.accounts:
                yield OptionList(
                    *(Option(account_prompt(a), id=f"sync-account-{a.id}") for a in self.accounts)
                )
            else:
                yield Static(Content(_("No sync account yet: n adds one.")), id="sync-accounts-empty")
            yield Static(
                Content(_("n: add · d: remove · s or enter: sync now · esc: close")),
                id="sync-accounts-keys",
            )

    def on_mount(self) -> None:
        if self.accounts:
            self.query_one(OptionList).focus()

    def _highlighted(self) -> SyncAccountRow | None:
        if not self.accounts:
            return None
        index = self.query_one(OptionList).highlighted
        return self.accounts[index] if index is not None else None

    def action_add(self) -> None:
        self.dismiss(SyncRequest("add"))

    def action_remove(self) -> None:
        account = self._highlighted()
        if account is not None:
            self.dismiss(SyncRequest("remove", account.name))

    def action_sync(self) -> None:
        if self.accounts:
            self.dismiss(SyncRequest("sync"))

    def action_close(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(SyncRequest("sync"))
