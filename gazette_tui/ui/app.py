"""The app: owns the store, the settings and the paths, says things, opens links, persists the theme. It is
the :class:`~gazette_tui.ui.host.Host` of its one screen of its own, the main screen, which it makes and
hands itself to; the features live in the screen's controllers (``ui/controllers/``).

``build_app`` is the one way to make it (the CLI and the tests call the same factory); nothing here reads a
global path at import time.
"""

from __future__ import annotations

import sys
import webbrowser
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme, ThemeProvider
from textual.widgets import Tree
from textual.worker import Worker, WorkerState

from gazette_tui.core.paths import Paths
from gazette_tui.core.settings import Settings, save_setting, where_set
from gazette_tui.core.storage.store import Store
from gazette_tui.errors import GazetteError, message
from gazette_tui.i18n import _, set_language
from gazette_tui.text import safe_url
from gazette_tui.ui import browser
from gazette_tui.ui.bindings import keymap_for, translate_bindings
from gazette_tui.ui.commands import GazetteCommands, Palette, screenshot_folder, system_commands
from gazette_tui.ui.controllers.attachments import Attachments
from gazette_tui.ui.controllers.filters import Filters
from gazette_tui.ui.controllers.ma_gazette import MaGazette
from gazette_tui.ui.controllers.pages import PageFulltext
from gazette_tui.ui.controllers.session import AccountSession
from gazette_tui.ui.controllers.subscriptions import Subscriptions
from gazette_tui.ui.controllers.sync_accounts import SyncAccounts
from gazette_tui.ui.messages import SaveAlertRequested
from gazette_tui.ui.screens.main import MainScreen
from gazette_tui.ui.typography import keep_no_break_spaces

NOTICES_KEPT = 200
"""How many of the latest notifications :attr:`GazetteApp.notices` keeps."""


class GazetteApp(App[int]):
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {GazetteCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: over dialogs too (a modal screen hides the app's other keys); a text field still gets Q.
        Binding(
            "Q",
            "quit",
            "Quit",
            id="quit",
            show=False,
            priority=True,
            tooltip="Quit gazette-tui, from anywhere",
        ),
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
        self.notices: deque[str] = deque(maxlen=NOTICES_KEPT)
        """The text of the latest notifications, oldest first (:meth:`say` and any ``notify``), whether or
        not they are still on screen: what the app told the user, for the tests to read."""
        self.main = MainScreen(self)
        self.title = "Gazette des communes"
        self.sub_title = _("Demo") if demo_url else ""
        self._theme_problem = ""
        """What is wrong with ``ui.theme`` (said once the app runs), or nothing."""
        if settings.ui.theme in self.available_themes:
            self.theme = settings.ui.theme
        else:
            self._theme_problem = self._unknown_theme(settings.ui.theme)
        self.keys = keymap_for(settings.ui.keymap_preset, settings.ui.keymap)
        """Binding id → keys: the preset's, then the user's ``[ui.keymap]`` (the help screen shows them)."""
        self.set_keymap(self.keys)

    @property
    def session(self) -> AccountSession:
        """The subscriber accounts: the one :class:`Accounts` of the app (``session.accounts``), logins."""
        return self.main.session

    def get_default_screen(self) -> Screen[None]:
        return self.main

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self._theme_problem:
            self.say(self._theme_problem, severity="warning", timeout=20)

    def _unknown_theme(self, name: str) -> str:
        """The theme in the settings is none of Textual's: say where it was set and what is valid (the
        default theme is used meanwhile), rather than ignore it."""
        where = where_set(self.paths.config_file, "ui", "theme")
        shown = "".join(ch if ch.isprintable() else "?" for ch in name)
        allowed = ", ".join(sorted(self.available_themes))
        problem = message("settings.bad_choice", key="ui.theme", value=shown, allowed=allowed)
        return str(message("settings.problem", where=where, problem=problem))

    # -- saying things ---------------------------------------------------------------------------

    def say(
        self, message: str, *, severity: SeverityLevel = "information", timeout: float | None = None
    ) -> None:
        """A notification; messages may quote feed text (titles, URLs, errors), so never markup."""
        self.notify(message, severity=severity, timeout=timeout, markup=False)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        self.notices.append(message)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

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

    # -- Textual's own words, in the UI's language (ui/commands.py) --------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        return system_commands(self, screen, self._take_screenshot)

    def action_command_palette(self) -> None:
        if self.use_command_palette and not Palette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(Palette(id="--command-palette"))

    def search_themes(self) -> None:
        self.push_screen(Palette(providers=[ThemeProvider], placeholder=_("Search for themes…")))

    def action_help_quit(self) -> None:
        """ctrl+c no longer quits: say which key does."""
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.say(_("Press {key} to quit.").format(key=self.get_key_display(active.binding) or key))
                return

    def _take_screenshot(self) -> None:
        try:
            path = self.save_screenshot(path=screenshot_folder())
        except OSError as error:
            self.say(_("Could not save the screenshot: {error}").format(error=error.strerror or error))
        else:
            self.say(_("Screenshot saved to {path}").format(path=path))

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
        text = _("No browser could be started. The link, copied if your terminal allows it: {url}")
        self.say(text.format(url=url), timeout=30)

    # -- what the main screen does for the app ---------------------------------------------------

    def action_login(self) -> None:
        self.main.session.login()

    def action_subscription(self, what: str) -> None:
        """The subscription keys (add, remove, rename, move, import), declared by the main screen: its
        controller (``ui/controllers/subscriptions.py``) runs them."""
        self.main.query_one(Subscriptions).run(what)

    async def action_attachments(self) -> None:
        """The attachments key (P), declared by the main screen: its controller
        (``ui/controllers/attachments.py``), mounted on the main screen the first time it is needed."""
        found = self.main.query(Attachments)
        controller = found.first() if found else Attachments(self, self.main)
        if not found:
            await self.main.mount(controller)
        controller.run()

    async def action_page_fulltext(self) -> None:
        """The full-text key (F), declared by the main screen: its controller (``ui/controllers/pages.py``),
        mounted on the main screen the first time it is needed."""
        found = self.main.query(PageFulltext)
        main = self.main
        controller = (
            found.first() if found else PageFulltext(self, main, main.session, main.actions.open_article)
        )
        if not found:
            await self.main.mount(controller)
        controller.run()

    async def action_ma_gazette(self, what: str) -> None:
        """The « Ma Gazette » keys (w: the page, W: the themes), declared by the main screen: its controller
        (``ui/controllers/ma_gazette.py``), mounted on the main screen the first time it is needed."""
        found = self.main.query(MaGazette)
        main = self.main
        controller = found.first() if found else MaGazette(self, main, main.loader, main.show_found)
        if not found:
            await self.main.mount(controller)
        controller.run(what)

    async def action_filters(self) -> None:
        """The filters key (f), declared by the main screen: its controller (``ui/controllers/filters.py``),
        mounted on the main screen the first time it is needed."""
        found = self.main.query(Filters)
        controller = found.first() if found else Filters(self, self.main, self.main.loader)
        if not found:
            await self.main.mount(controller)
        controller.run()

    async def action_sync_accounts(self) -> None:
        """The sync accounts key (Y), declared by the main screen: its controller
        (``ui/controllers/sync_accounts.py``), mounted on the main screen the first time it is needed."""
        found = self.main.query(SyncAccounts)
        main = self.main
        sync_now = main.refresher.sync_now
        controller = found.first() if found else SyncAccounts(self, main, main.loader, sync_now)
        if not found:
            await main.mount(controller)
        controller.run()

    async def on_tree_node_selected(self, event: Tree.NodeSelected[Any]) -> None:
        """Enter on the tree's « Ma Gazette » line opens its page (the main screen has shown its list)."""
        if getattr(event.node.data, "kind", None) == "gazette":
            await self.action_ma_gazette("page")

    def open_search(self) -> None:
        self.main.action_search()

    def on_save_alert_requested(self, message: SaveAlertRequested) -> None:
        """The search bar's ctrl+s: name and save its query as an alerte, over the search bar."""
        self.main.alerts.save(message.query)

    def palette_commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        """Commands that are not key bindings (log in to a given site, log out), for ``ui/commands.py``."""
        return self.main.session.palette_commands()


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
    keep_no_break_spaces()  # « … » and « 20 000 » never split at the edge of a pane
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
