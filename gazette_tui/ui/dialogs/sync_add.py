"""Adding a sync account: the protocol (Fever), the server's address, the username, the password and,
if wanted, a name. « Test and add » asks the server first (``core/sync/accounts.add_account``: one
request) and keeps the account only if it said yes; otherwise the dialog says plainly what is wrong and
puts the cursor where to fix it: the password (the server answered, but ``auth: 0``), the address (not a
Fever API there, nothing answering, a certificate that is not valid, a redirect).

The check runs in an async worker on the app's loop (the UI stays live; esc cancels it). The password is
read from its field only to be handed to ``add_account``, which keeps only the key derived from it, in the
keyring; it never appears in a message, and the field is emptied when the dialog closes. Tab, shift+Tab
and Enter move the focus as the login dialog's do (``dialogs/login.py`` says why: a password manager types
``user⇥password`` in one burst)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from gazette_tui.core.storage.sync import SyncAccountRow
from gazette_tui.errors import GazetteError, StoreError
from gazette_tui.i18n import _
from gazette_tui.ui.bindings import translate_bindings

if TYPE_CHECKING:
    from gazette_tui.core.storage.store import Store

FIELD_OF_PROBLEM = {
    "credentials": "#sync-password",
    "address": "#sync-url",
    "insecure": "#sync-url",
    "protocol": "#sync-url",
    "network": "#sync-url",
    "tls": "#sync-url",
    "server": "#sync-url",
    "answer": "#sync-url",
}
"""Where the cursor goes after each kind of :class:`SyncError` (``SyncError.problem``)."""


class SyncAddDialog(ModalScreen[SyncAccountRow | None]):
    DEFAULT_CSS = """
    SyncAddDialog { align: center middle; }
    SyncAddDialog > VerticalScroll {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1; scrollbar-size-vertical: 1;
    }
    SyncAddDialog #sync-add-title { text-style: bold; }
    SyncAddDialog #sync-add-kind { color: $text-muted; padding-bottom: 1; }
    SyncAddDialog Input { width: 100%; }
    SyncAddDialog #sync-add-message { height: auto; padding-top: 1; }
    SyncAddDialog #sync-add-message.-error { color: $error; text-style: bold; }
    SyncAddDialog #sync-add-message.-info { color: $success; }
    SyncAddDialog #sync-add-buttons { height: auto; padding-top: 1; }
    SyncAddDialog #sync-add-buttons Button { margin-right: 2; }
    """

    AUTO_FOCUS = "#sync-url"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape", "cancel", "Cancel", id="sync_add.cancel", tooltip="Close without adding an account"
        ),
        Binding(
            "tab",
            "next_field",
            "Next field",
            id="sync_add.next",
            tooltip="Move to the next field",
            show=False,
            priority=True,
        ),
        Binding(
            "shift+tab",
            "previous_field",
            "Previous field",
            id="sync_add.previous",
            tooltip="Move to the previous field",
            show=False,
            priority=True,
        ),
        Binding(
            "enter",
            "enter",
            "Confirm",
            id="sync_add.enter",
            tooltip="To the next field; from the password, test and add",
            show=False,
            priority=True,
        ),
    ]

    def __init__(self, store: Store, *, proxy: str = "") -> None:
        super().__init__()
        translate_bindings(self)
        self.store = store
        self.proxy = proxy
        self.busy = False

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Content(_("New sync account")), id="sync-add-title")
            yield Static(
                Content(
                    _(
                        "Protocol: Fever API, which Miniflux, FreshRSS, Tiny Tiny RSS (with its plugin), "
                        "yarr and coldsweat speak."
                    )
                ),
                id="sync-add-kind",
            )
            yield Label(Content(_("Address of the Fever API")))
            yield Input(placeholder="https://rss.example.org/fever/", id="sync-url")
            yield Label(Content(_("Username")))
            yield Input(id="sync-username")
            yield Label(Content(_("Password")))
            yield Input(password=True, id="sync-password")
            yield Label(Content(_("Name in gazette-tui (optional: the server's name)")))
            yield Input(id="sync-name")
            yield Static(id="sync-add-message")
            with Horizontal(id="sync-add-buttons"):
                yield Button(_("Test and add"), variant="primary", id="sync-add-submit")
                yield Button(_("Cancel"), id="sync-add-cancel")

    def _focus(self, selector: str) -> None:
        """Focus now, not on the next loop turn: the next key read goes there."""
        self.set_focus(self.query_one(selector, Input))

    def on_mount(self) -> None:
        self._focus("#sync-url")

    def action_next_field(self) -> None:
        self.focus_next()

    def action_previous_field(self) -> None:
        self.focus_previous()

    def action_enter(self) -> None:
        focused = self.focused
        if isinstance(focused, Input) and focused.id in ("sync-url", "sync-username"):
            self.focus_next()
            return
        raise SkipAction()  # the password and the name submit, a button presses

    def value(self, selector: str) -> str:
        return self.query_one(selector, Input).value.strip()

    def say(self, text: str, *, error: bool) -> None:
        widget = self.query_one("#sync-add-message", Static)
        widget.update(Content(text))
        widget.set_class(error, "-error")
        widget.set_class(not error and bool(text), "-info")

    @on(Input.Submitted, "#sync-password")
    @on(Input.Submitted, "#sync-name")
    @on(Button.Pressed, "#sync-add-submit")
    def _submit(self) -> None:
        if self.busy:
            return
        password = self.query_one("#sync-password", Input).value
        for selector, missing in (
            ("#sync-url", _("Enter the address of the server's Fever API.")),
            ("#sync-username", _("Enter your username on the server.")),
        ):
            if not self.value(selector):
                self.say(missing, error=True)
                self._focus(selector)
                return
        if not password:
            self.say(_("Enter your password."), error=True)
            self._focus("#sync-password")
            return
        self._set_busy(True)
        self._add(self.value("#sync-url"), self.value("#sync-username"), password, self.value("#sync-name"))

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.query_one("#sync-add-submit", Button).disabled = busy
        if busy:
            self.say(_("Asking the server…"), error=False)

    @work(exclusive=True, exit_on_error=False, group="sync-add")
    async def _add(self, url: str, username: str, password: str, name: str) -> None:
        from gazette_tui.core.sync.accounts import add_account
        from gazette_tui.core.sync.adapter import SyncError

        try:
            account = await add_account(
                self.store, "fever", url, username, password, name=name, proxy=self.proxy
            )
        except SyncError as error:
            self._failed(str(error), FIELD_OF_PROBLEM.get(error.problem, "#sync-url"))
            return
        except StoreError as error:  # that name, or that server and username, taken already
            self._failed(str(error), "#sync-name")
            return
        except GazetteError as error:  # no usable keyring: its own sentence
            self._failed(str(error), "#sync-password")
            return
        except Exception as error:  # a bug must not show a traceback (nor anything the request held)
            self._failed(_("Something went wrong: {error}").format(error=type(error).__name__), "#sync-url")
            return
        self._close(account)

    def _failed(self, text: str, field: str) -> None:
        self._set_busy(False)
        self.say(text, error=True)
        self._focus(field)

    def _close(self, account: SyncAccountRow | None) -> None:
        self.query_one("#sync-password", Input).value = ""
        self.dismiss(account)

    @on(Button.Pressed, "#sync-add-cancel")
    def _cancel_pressed(self) -> None:
        self._close(None)

    def action_cancel(self) -> None:
        self._close(None)
