"""The TUI's side of subscriber accounts: the one :class:`Accounts` of the app, the login flow, the status
bar's "who is logged in", logout from the palette, and what full texts change once they arrive.

One ``Accounts`` for the app's lifetime: a login the keyring could not keep lives in that object's memory,
so refreshes must use the same one. Everything that touches SQLite or the keyring runs in a thread worker,
everything that touches the network in an async worker; results come back with ``call_from_thread`` or on
the loop, never by a worker poking widgets from a thread.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import work

from gazette_tui.core.accounts.profiles import DEFAULT_ACCOUNT
from gazette_tui.errors import ConfigError, GazetteError
from gazette_tui.i18n import _
from gazette_tui.models import Article
from gazette_tui.ui.controllers.articles import ArticleActions
from gazette_tui.ui.controllers.base import Controller, Panes
from gazette_tui.ui.controllers.loading import Loader
from gazette_tui.ui.host import Host

if TYPE_CHECKING:
    from gazette_tui.core.accounts.accounts import Accounts, AccountStatus
    from gazette_tui.core.accounts.fulltext import FulltextReport

Command = tuple[str, str, Callable[[], Any]]


class AccountSession(Controller):
    def __init__(self, host: Host, panes: Panes, loader: Loader, articles: ArticleActions) -> None:
        super().__init__(host, panes)
        self.loader = loader
        self.article_actions = articles
        self.problem: str | None = None
        """Why ``profiles.toml`` was ignored, said once at start-up."""
        self._accounts: Accounts | None = None
        self._lock = threading.Lock()
        self.states: list[AccountStatus] = []
        """Last known state of every account (read in a thread), for the status bar and the palette."""
        self._asked: set[str] = set()
        """Accounts whose login screen a reserved article already opened this run (asked once only)."""
        self.fulltext_lock = asyncio.Lock()
        """One full-text pass at a time, the refresh's or a login's: two would fetch the same pages, each
        renew the same session, and both rewrite the failure counts."""

    # -- start-up and status -----------------------------------------------------------------------

    @property
    def accounts(self) -> Accounts:
        """Made on first use, usually by the start-up worker: ``core.accounts`` imports httpx and keyring
        (~40 ms), which the first frame does not need."""
        with self._lock:
            if self._accounts is None:
                from gazette_tui.core.accounts.accounts import Accounts

                proxy = self.host.settings.refresh.proxy
                try:
                    self._accounts = Accounts(self.host.store, self.host.paths.config_dir, proxy=proxy)
                except ConfigError as error:  # a broken profiles.toml costs the corrections, never the app
                    self.problem = str(error)
                    self._accounts = Accounts(self.host.store, None, proxy=proxy)
            return self._accounts

    def on_mount(self) -> None:
        self._start()

    @work(thread=True, exit_on_error=False, group="accounts")
    def _start(self) -> None:
        self.accounts  # noqa: B018 -- made here, off the UI thread
        if self.problem:
            self.app.call_from_thread(self.host.say, self.problem, severity="warning", timeout=15)
        if self.host.demo_url:
            try:  # the demo site's port changes from run to run: the profile follows it
                self.accounts.set_site_url("demo", self.host.demo_url)
            except GazetteError as error:
                self.app.call_from_thread(self.host.say, str(error), severity="warning")
        self._read_status()

    @work(thread=True, exit_on_error=False, group="accounts")
    def refresh_status(self) -> None:
        self._read_status()

    def _read_status(self) -> None:
        """In a thread: every account's state, then the status bar."""
        try:
            states = self.accounts.status()
        except GazetteError:
            return
        self.app.call_from_thread(self._show_status, states)

    def _show_status(self, states: list[AccountStatus]) -> None:
        self.states = states
        names = []
        for state in states:
            if state.logged_in:
                name = state.username or state.title
                names.append(name if state.remembered else _("{name} (this session)").format(name=name))
        self.panes.status.account(_("Logged in: {names}").format(names=", ".join(names)) if names else "")

    def default_account(self) -> str:
        if self.host.demo_url and "demo" in self.accounts.profiles:
            return "demo"
        profiles = self.accounts.profiles
        return DEFAULT_ACCOUNT if DEFAULT_ACCOUNT in profiles else next(iter(profiles))

    # -- login and logout --------------------------------------------------------------------------

    @work(exit_on_error=False, group="dialog")
    async def login(
        self, account: str | None = None, article_id: int | None = None, reason: str = ""
    ) -> None:
        """The login screen; once logged in, the full texts (of ``article_id`` only, when a reserved article
        asked)."""
        # Imported here: the dialog imports core.accounts, hence httpx (~90 ms the first frame never needs).
        from gazette_tui.ui.dialogs.login import LoginDialog

        if isinstance(self.app.screen, LoginDialog):
            return
        account = account or self.default_account()
        demo_url = self.host.demo_url
        site_url = demo_url if account == "demo" and demo_url else None
        dialog = LoginDialog(
            self.accounts, account, site_url=site_url, reason=reason, open_link=self.host.open_link
        )
        result = await self.app.push_screen_wait(dialog)
        if result is None:
            return
        title = self.accounts.profiles[account].title
        self.host.say(_("Logged in to {site} as {email}.").format(site=title, email=result.username))
        if result.warning:
            self.host.say(
                _("Logged in for this session only; the password is saved nowhere. {reason}").format(
                    reason=result.warning
                ),
                severity="warning",
                timeout=20,
            )
        self.refresh_status()
        if not self.host.offline:
            self.fetch_fulltexts([article_id] if article_id is not None else None)

    @work(thread=True, exit_on_error=False, group="accounts")
    def logout(self, account: str) -> None:
        from gazette_tui.core.accounts.secrets import KeyringUnavailable

        title = self.accounts.profiles[account].title
        try:
            self.accounts.logout(account)
        except KeyringUnavailable as error:
            self.app.call_from_thread(self.host.say, str(error), severity="error", timeout=20)
        except GazetteError as error:
            self.app.call_from_thread(self.host.say, str(error), severity="error")
        else:
            self.app.call_from_thread(self.host.say, _("Logged out of {site}.").format(site=title))
        self._read_status()

    def palette_commands(self) -> list[Command]:
        """Log in to each known site; log out of each logged-in account."""
        commands: list[Command] = []
        for name, profile in self.accounts.profiles.items():
            commands.append(
                (
                    _("Log in: {site}").format(site=profile.title),
                    _("Subscriber account: full texts of reserved articles"),
                    partial(self.login, name),
                )
            )
        for state in self.states:
            if state.logged_in:
                commands.append(
                    (
                        _("Log out: {site} ({name})").format(site=state.title, name=state.username),
                        _("Forget the password and the session"),
                        partial(self.logout, state.name),
                    )
                )
        return commands

    # -- reserved articles -------------------------------------------------------------------------

    def article_opened(self, article: Article) -> None:
        """First opening of a reserved article without its full text, no account of its site logged in:
        offer the login screen (once per account and run)."""
        if article.reserved and not article.fulltext_html and article.url and not self.host.offline:
            self._check_reserved(article.id, article.url)

    @work(thread=True, exclusive=True, exit_on_error=False, group="accounts-check")
    def _check_reserved(self, article_id: int, url: str) -> None:
        try:
            if self.accounts.account_for_url(url) is not None:
                return  # logged in: the full text comes with the next pass
            names = self.accounts.profiles
            owner = next((name for name in names if self.accounts.profile(name).owns(url)), None)
        except GazetteError:
            return
        if owner is not None:
            self.app.call_from_thread(self._offer_login, owner, article_id)

    def _offer_login(self, account: str, article_id: int) -> None:
        if account in self._asked or self.app.screen is not self.screen:
            return
        self._asked.add(account)
        self.login(
            account, article_id, reason=_("This article is for subscribers: log in to read it in full.")
        )

    # -- full texts --------------------------------------------------------------------------------

    def fetch_fulltexts(self, article_ids: list[int] | None) -> None:
        """Full texts now, outside a refresh: after a login (of the article that asked, or the whole pass)."""
        # One article and the whole pass are separate groups: neither cancels the other.
        group = "fulltext-one" if article_ids else "fulltext"
        self.run_worker(self._fetch_fulltexts(article_ids), group=group, exclusive=True, exit_on_error=False)

    async def _fetch_fulltexts(self, article_ids: list[int] | None) -> None:
        from gazette_tui.core.accounts.fulltext import fetch_fulltexts

        host = self.host
        try:
            async with self.fulltext_lock:
                report = await fetch_fulltexts(
                    host.store,
                    host.settings,
                    accounts=self.accounts,
                    config_dir=host.paths.config_dir,
                    article_ids=article_ids,
                )
        except GazetteError as error:  # e.g. an unusable refresh.proxy: its own sentence
            host.say(str(error))
            return
        except Exception as error:  # the pass never raises for one article; anything else is said, briefly
            host.say(_("Full texts could not be fetched: {error}").format(error=type(error).__name__))
            return
        self.fulltexts_done(report, article_ids)

    def fulltexts_done(self, report: FulltextReport, asked: list[int] | None = None) -> None:
        """Show what a full-text pass brought (``asked``: the articles it was run for, if not all)."""
        if report.article_ids:
            self.loader.reload_ids(self.panes.articles.current_id)
            shown = self.panes.reader.article
            if shown is not None and shown.id in report.article_ids:
                self.article_actions.open_article(shown.id, focus=False)
        if asked and not report.article_ids:
            reason = report.errors[0][1] if report.errors else _("the site did not send it")
            self.host.say(
                _("The full text could not be fetched: {error}").format(error=reason), severity="warning"
            )
        if report.login_needed:
            titles = ", ".join(self.accounts.profiles[name].title for name in report.login_needed)
            self.host.say(
                _("Log in again to get the full texts: {sites}").format(sites=titles), severity="warning"
            )
        if report.login_needed or report.relogins:
            self.refresh_status()
