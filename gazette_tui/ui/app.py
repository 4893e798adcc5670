"""The app: owns the store and settings, runs refreshes, opens links, persists the theme.

``build_app`` is the one way to make it (the CLI and the tests call the same factory); nothing here reads a
global path at import time.
"""

from __future__ import annotations

import sys
import webbrowser
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.theme import Theme
from textual.worker import Worker, WorkerState

from gazette_tui.core.paths import Paths
from gazette_tui.core.settings import Settings, save_setting
from gazette_tui.core.storage.store import Store
from gazette_tui.errors import GazetteError
from gazette_tui.i18n import _, set_language
from gazette_tui.text import safe_url
from gazette_tui.ui import browser
from gazette_tui.ui.account_session import AccountSession
from gazette_tui.ui.bindings import plural, translate_bindings
from gazette_tui.ui.commands import GazetteCommands
from gazette_tui.ui.messages import RefreshFinished, RefreshProgress
from gazette_tui.ui.screens.main import MainScreen


class GazetteApp(App[int]):
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {GazetteCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit", tooltip="Quit gazette-tui"),
        Binding("T", "change_theme", "Theme", id="theme", show=False, tooltip="Choose a colour theme"),
        Binding("C", "login", "Log in", id="login", show=False, tooltip="Log in to a subscriber account"),
    ]

    def __init__(
        self,
        settings: Settings,
        paths: Paths,
        store: Store,
        *,
        offline: bool = False,
        demo_url: str | None = None,
        owns_store: bool = False,
    ) -> None:
        super().__init__()
        translate_bindings(self)
        self.settings = settings
        self.paths = paths
        self.store = store
        self.offline = offline
        """Started with ``--offline``: the network is never touched."""
        self.demo_url = demo_url
        self.owns_store = owns_store
        self.main = MainScreen()
        self.session = AccountSession(self)
        """The one :class:`Accounts` of the app (``self.session.accounts``), the login screen, full texts."""
        self.title = "Gazette des communes"
        self.sub_title = _("Demo") if demo_url else ""
        if settings.ui.theme in self.available_themes:
            self.theme = settings.ui.theme
        self.set_keymap(settings.ui.keymap)

    def get_default_screen(self) -> Screen[None]:
        return self.main

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.session.start()
        minutes = self.settings.refresh.auto_minutes
        if not self.offline:
            if minutes > 0:
                self.set_interval(minutes * 60, self._refresh_on_timer)
            if minutes > 0 or self.demo_url:
                self.call_after_refresh(self.start_refresh, None)
            else:
                self._refresh_if_empty()

    @work(thread=True, exclusive=True, group="first-run", exit_on_error=False)
    def _refresh_if_empty(self) -> None:
        """A first run (nothing cached yet) fetches the subscriptions at once rather than show empty lists;
        afterwards start-up never touches the network unless auto-refresh is on."""
        with self.store.reading() as c:
            empty = c.execute("SELECT 1 FROM articles LIMIT 1").fetchone() is None
        if empty:
            self.call_from_thread(self.start_refresh, None)

    def say(self, message: str, *, severity: str = "information", timeout: float | None = None) -> None:
        """A notification; messages may quote feed text (titles, URLs, errors), so never markup."""
        self.notify(message, severity=severity, timeout=timeout, markup=False)  # type: ignore[arg-type]

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that failed (the database locked or gone, a bug) says so in one sentence."""
        if event.state is WorkerState.ERROR:
            error = event.worker.error
            if isinstance(error, GazetteError):
                self.say(str(error), severity="error")
            else:
                self.say(
                    _("Something went wrong: {error}").format(error=f"{type(error).__name__}: {error}"),
                    severity="error",
                )

    # -- theme -----------------------------------------------------------------------------------

    def _theme_changed(self, theme: Theme) -> None:
        if theme.name != self.settings.ui.theme:
            self.settings.ui.theme = theme.name
            self._save_theme(theme.name)

    @work(thread=True, exit_on_error=False, group="settings")
    def _save_theme(self, name: str) -> None:
        try:
            save_setting(self.paths.config_file, "ui", "theme", name)
        except GazetteError as error:  # a full disk: one sentence, and config.toml is left whole
            self.call_from_thread(self.say, str(error), severity="error")
        except (OSError, UnicodeDecodeError) as error:  # the old file could not be read
            self.call_from_thread(self.say, _("Could not save the theme: {error}").format(error=error))

    # -- refresh ---------------------------------------------------------------------------------

    @property
    def refreshing(self) -> bool:
        return any(w.group == "refresh" and not w.is_finished for w in self.workers)

    def _refresh_on_timer(self) -> None:
        if not self.refreshing:
            self.start_refresh(None)

    def start_refresh(self, feed_ids: Iterable[int] | None) -> None:
        if self.offline:
            self.say(_("Started offline (--offline): refreshing is off."), severity="warning")
            return
        if self.refreshing:
            self.say(_("A refresh is already running."))
            return
        self.main.status.progress(0, 0)
        self._refresh(list(feed_ids) if feed_ids is not None else None)

    @work(exclusive=True, exit_on_error=False, group="refresh")
    async def _refresh(self, feed_ids: list[int] | None) -> None:
        # refresh_feeds only awaits on the event loop: fetching is async, parsing and SQLite run elsewhere.
        from gazette_tui.core.feeds.refresh import FeedOutcome, refresh_feeds

        def progress(outcome: FeedOutcome) -> None:
            self.post_message(
                RefreshProgress(outcome.done, outcome.total, outcome.feed_id, outcome.ok, outcome.error)
            )

        try:
            report = await refresh_feeds(self.store, self.settings, feed_ids=feed_ids, on_progress=progress)
        except GazetteError as error:
            self.post_message(RefreshFinished(None, str(error)))
        except Exception as error:  # never a traceback in the UI; the message says what broke
            self.post_message(RefreshFinished(None, f"{type(error).__name__}: {error}"))
        else:
            self.post_message(RefreshFinished(report))

    def on_refresh_progress(self, message: RefreshProgress) -> None:
        self.main.status.progress(message.done, message.total)

    def on_refresh_finished(self, message: RefreshFinished) -> None:
        status = self.main.status
        status.progress_done()
        report = message.report
        if report is None:
            status.say(_("Refresh failed: {error}").format(error=message.error))
            self.say(_("Refresh failed: {error}").format(error=message.error), severity="error")
            return
        self.main.set_offline(report.offline)
        if report.offline:
            status.say(_("Offline — cached articles"))
        else:
            text = plural(report.new, "{count} new article", "{count} new articles")
            if report.failed:
                text += " · " + plural(
                    report.failed, "{count} feed failed (e: details)", "{count} feeds failed (e: details)"
                )
            status.say(text)
            if report.failed:
                self.say(text, severity="warning")
        self.main.reload_feeds()
        self.main.reload_ids(self.main.articles.current_id)
        if not report.offline:
            self.main.check_alerts()  # new matches for the alertes: notified, bell if asked
        self.session.after_refresh(report)

    # -- links -----------------------------------------------------------------------------------

    def open_link(self, url: str) -> None:
        """Open an article or a link in the browser: http(s) only; without a browser, show the URL."""
        checked = safe_url(url)
        if checked is None:
            self.say(_("Only http and https links can be opened."), severity="warning")
            return
        found = browser.find_browser()
        if found is None:
            self._no_browser(checked)
        elif browser.needs_terminal(found):
            with self.suspend():
                ok = browser.launch(found, checked)
            if not ok:
                self._no_browser(checked)
        else:
            self._launch(found, checked)

    @work(thread=True, exit_on_error=False, group="browser")
    def _launch(self, found: webbrowser.BaseBrowser, url: str) -> None:
        if not browser.launch(found, url):
            self.call_from_thread(self._no_browser, url)

    def _no_browser(self, url: str) -> None:
        self.copy_to_clipboard(url)
        self.say(_("No browser could be started. The link, to copy: {url}").format(url=url), timeout=30)

    # -- dialogs ---------------------------------------------------------------------------------

    def action_help(self) -> None:
        from gazette_tui.ui.dialogs.help import HelpDialog

        if not isinstance(self.screen, HelpDialog):
            self.push_screen(HelpDialog(self.main))

    def open_search(self) -> None:
        from gazette_tui.ui.dialogs.search import SearchDialog

        self.push_screen(SearchDialog(self.store), self._search_chosen)

    def _search_chosen(self, article_id: int | None) -> None:
        if article_id is not None:
            self.main.articles.move_to_id(article_id)  # when it is in the list shown
            self.main.open_article(article_id)

    def action_login(self) -> None:
        self.session.open_login()

    def palette_commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        """Commands that are not key bindings (log in to a given site, log out), for ``ui/commands.py``."""
        return self.session.palette_commands()


def build_app(
    settings: Settings,
    paths: Paths,
    *,
    store: Store | None = None,
    offline: bool = False,
    language: str = "fr",
    demo_url: str | None = None,
) -> GazetteApp:
    """Make the app. Without ``store``, opens the database at ``paths.database`` (StoreError if it cannot)."""
    set_language(language)
    owns_store = store is None
    if store is None:
        paths.ensure()
        store = Store(paths.database)
    return GazetteApp(settings, paths, store, offline=offline, demo_url=demo_url, owns_store=owns_store)


def run_tui(
    settings: Settings,
    paths: Paths,
    *,
    offline: bool = False,
    language: str = "fr",
    demo_url: str | None = None,
) -> int:
    """Run the TUI; returns the exit code. Errors the user can act on are printed, never a traceback."""
    try:
        app = build_app(settings, paths, offline=offline, language=language, demo_url=demo_url)
    except (GazetteError, OSError) as error:
        print(str(error), file=sys.stderr)
        return 1
    try:
        app.run()
    finally:
        if app.owns_store:
            app.store.close()
    return app.return_code or 0
