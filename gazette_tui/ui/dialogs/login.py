"""The login screen of a subscriber account: email, password (hidden unless asked), "remember me",
"forgotten password" and "sign up".

Network calls run in async workers on the app's loop (the UI stays live, esc cancels them). The password is
read from its field only to be handed to :meth:`Accounts.login`; it never appears in a message, a
notification or a log, and the field is emptied when the dialog closes. The site's answers are mapped to
the sentences users know from the site itself (bad email, bad credentials), in the UI's language.

Focus moves at once, never later. Textual hands a key to the widget focused when the key is *read*, and a
password manager or a paste types ``email⇥password`` in one burst: with Tab as an ordinary binding (run by
the email field's queue after it has received the whole burst) or ``widget.focus()`` (a callback on the next
loop turn), the password landed in the email field, in clear. So Tab, shift+Tab and Enter are priority
bindings of this screen that move the focus with :meth:`Screen.set_focus` before the next key is read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static
from textual.worker import get_current_worker

from gazette_tui.core.accounts.accounts import Accounts, LoginError, LoginResult
from gazette_tui.errors import GazetteError
from gazette_tui.i18n import _
from gazette_tui.ui.bindings import translate_bindings


class LoginDialog(ModalScreen[LoginResult | None]):
    # It fits 80×24, a reason above the fields included (both check boxes on one line, no blank lines
    # between the parts); on a smaller screen it scrolls, and what gets the focus is scrolled into view.
    DEFAULT_CSS = """
    LoginDialog { align: center middle; }
    LoginDialog > VerticalScroll {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1; scrollbar-size-vertical: 1;
    }
    LoginDialog #login-title { text-style: bold; padding-bottom: 1; }
    LoginDialog #login-reason { color: $warning; padding-bottom: 1; }
    LoginDialog Input { width: 100%; }
    LoginDialog .login-row { height: auto; width: 100%; }
    LoginDialog Checkbox { border: none; padding: 0; margin-right: 3; }
    LoginDialog #login-message { height: auto; }
    LoginDialog #login-message.-error { color: $error; text-style: bold; }
    LoginDialog #login-message.-info { color: $success; }
    LoginDialog #login-buttons Button { margin-right: 2; }
    LoginDialog .login-link { background: transparent; color: $text-primary; }
    LoginDialog .login-link:focus { text-style: bold reverse underline; }
    """

    AUTO_FOCUS = "#login-email"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="login.cancel", tooltip="Close without logging in"),
        # Priority: run when the key is read, so the keys after it go to the new field (see the docstring).
        Binding(
            "tab",
            "next_field",
            "Next field",
            id="login.next",
            tooltip="Move to the next field",
            show=False,
            priority=True,
        ),
        Binding(
            "shift+tab",
            "previous_field",
            "Previous field",
            id="login.previous",
            tooltip="Move to the previous field",
            show=False,
            priority=True,
        ),
        Binding(
            "enter",
            "enter",
            "Confirm",
            id="login.enter",
            tooltip="From the email, go to the password; elsewhere, as usual",
            show=False,
            priority=True,
        ),
    ]

    def __init__(
        self,
        accounts: Accounts,
        account: str,
        *,
        site_url: str | None = None,
        reason: str = "",
        open_link: Callable[[str], None] | None = None,
    ) -> None:
        """``open_link`` opens the sign-up page (the app's, which lets only http(s) through)."""
        super().__init__()
        translate_bindings(self)
        self.accounts = accounts
        self.account = account
        self.site_url = site_url
        """Where the site is today (the demo's port), passed on to :meth:`Accounts.login`."""
        self.reason = reason
        self.open_link = open_link
        profile = accounts.profiles.get(account)
        self.site_title = profile.title if profile is not None else account
        self.busy = False

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Content(_("Log in — {site}").format(site=self.site_title)), id="login-title")
            if self.reason:
                yield Static(Content(self.reason), id="login-reason")
            yield Label(Content(_("Username (email)")))
            yield Input(placeholder=_("name@town-hall.fr"), id="login-email")
            yield Label(Content(_("Password")))
            yield Input(password=True, id="login-password")
            with Horizontal(classes="login-row"):
                yield Checkbox(_("Show the password"), id="login-show")
                yield Checkbox(_("Remember me"), True, id="login-remember")
            yield Static(id="login-message")
            with Horizontal(id="login-buttons", classes="login-row"):
                yield Button(_("Log in"), variant="primary", id="login-submit")
                yield Button(_("Cancel"), id="login-cancel")
            yield Button(_("Forgot your password?"), id="login-reset", classes="login-link", compact=True)
            yield Button(
                _("Not registered yet? Sign up for free"),
                id="login-signup",
                classes="login-link",
                compact=True,
            )

    def on_mount(self) -> None:
        self._focus("#login-email")
        self._prefill()

    def _focus(self, selector: str) -> None:
        """Focus now, not on the next loop turn as ``widget.focus()`` does: the next key read goes there."""
        self.set_focus(self.query_one(selector, Input))

    def action_next_field(self) -> None:
        self.focus_next()

    def action_previous_field(self) -> None:
        self.focus_previous()

    def action_enter(self) -> None:
        if self.focused is self.query_one("#login-email", Input):
            self._focus("#login-password")
            return
        raise SkipAction()  # the password field submits, a button presses, a checkbox toggles

    @work(thread=True, exit_on_error=False, group="login-prefill")
    def _prefill(self) -> None:
        """The login last used for this account (the database), so only the password is left to type."""
        try:
            known = next((s.username for s in self.accounts.status() if s.name == self.account), "")
        except GazetteError:
            return
        if known and not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.prefill, known)

    def prefill(self, username: str) -> None:
        """Fill in a known login, only while the email field is empty and focused: a typing user wins."""
        field = self.query_one("#login-email", Input)
        if not field.value and self.focused is field:  # the user has not started typing nor moved on
            field.value = username
            self._focus("#login-password")

    # -- fields ------------------------------------------------------------------------------------

    @property
    def email(self) -> str:
        return self.query_one("#login-email", Input).value.strip()

    def say(self, text: str, *, error: bool) -> None:
        widget = self.query_one("#login-message", Static)
        widget.update(Content(text))
        widget.set_class(error, "-error")
        widget.set_class(not error and bool(text), "-info")

    @on(Checkbox.Changed, "#login-show")
    def _toggle_password(self, event: Checkbox.Changed) -> None:
        self.query_one("#login-password", Input).password = not event.value

    @on(Input.Submitted, "#login-password")
    @on(Button.Pressed, "#login-submit")
    def _submit(self) -> None:
        if self.busy:
            return
        password_field = self.query_one("#login-password", Input)
        if not self.email:
            self.say(_("Enter your email."), error=True)
            self._focus("#login-email")
            return
        if not password_field.value:
            self.say(_("Enter your password."), error=True)
            self._focus("#login-password")
            return
        remember = self.query_one("#login-remember", Checkbox).value
        self._set_busy(True, _("Logging in…"))
        self._login(self.email, password_field.value, remember)

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.busy = busy
        for name in ("#login-submit", "#login-reset"):
            self.query_one(name, Button).disabled = busy
        if text:
            self.say(text, error=False)

    # -- network -----------------------------------------------------------------------------------

    @work(exclusive=True, exit_on_error=False, group="login")
    async def _login(self, email: str, password: str, remember: bool) -> None:
        try:
            result = await self.accounts.login(
                self.account, email, password, remember=remember, site_url=self.site_url
            )
        except LoginError as error:
            self._failed(str(error), error.problem)  # ``problem``: which field
            return
        except GazetteError as error:
            self._failed(str(error), "site")
            return
        except Exception as error:  # a bug must not show a traceback (nor anything the request held)
            self._failed(_("Something went wrong: {error}").format(error=type(error).__name__), "site")
            return
        self._close(result)

    def _failed(self, text: str, problem: str) -> None:
        self._set_busy(False)
        self.say(text, error=True)
        focus = {"email": "#login-email", "credentials": "#login-password"}.get(problem)
        if focus is not None:
            self._focus(focus)

    @on(Button.Pressed, "#login-reset")
    def _reset_pressed(self) -> None:
        if self.busy:
            return
        if not self.email:
            self.say(_("Enter your email first: the site mails your access codes to it."), error=True)
            self._focus("#login-email")
            return
        self._set_busy(True, _("Sending…"))
        self._reset(self.email)

    @work(exclusive=True, exit_on_error=False, group="login")
    async def _reset(self, email: str) -> None:
        try:
            await self.accounts.reset(self.account, email)
        except LoginError as error:
            self._failed(str(error), error.problem)  # ``problem``: which field
            return
        except GazetteError as error:
            self._failed(str(error), "site")
            return
        self._set_busy(False)
        self.say(_("A message with your access codes has been sent to you by email"), error=False)

    @on(Button.Pressed, "#login-signup")
    def _signup_pressed(self) -> None:
        self._signup()

    @work(thread=True, exit_on_error=False, group="login-signup")
    def _signup(self) -> None:
        try:
            url = self.accounts.signup_url(self.account)
        except GazetteError as error:
            self.app.call_from_thread(self.say, str(error), error=True)
            return
        if not url:
            self.app.call_from_thread(self.say, _("This site has no sign-up page we know of."), error=True)
            return
        if self.open_link is not None:
            self.app.call_from_thread(self.open_link, url)

    # -- closing -----------------------------------------------------------------------------------

    def _close(self, result: LoginResult | None) -> None:
        self.query_one("#login-password", Input).value = ""
        self.dismiss(result)

    @on(Button.Pressed, "#login-cancel")
    def _cancel_pressed(self) -> None:
        self._close(None)

    def action_cancel(self) -> None:
        self._close(None)
