"""The command palette (ctrl+p): every key binding's action by name, plus "go to" for each tree line.

Context-aware: it lists what the main screen can do right now, and the feeds currently subscribed. Feed
titles are feed text, so hits are built as ``Content``, never as markup strings.

Textual's own words are said in the UI's language too: the palette's placeholder and its "No matches found"
(:class:`Palette`), the system commands (:func:`system_commands`: theme, quit, keys, maximise, screenshot)
and the theme picker's placeholder. Textual 8 has no hook for the "no matches" line, so :class:`Palette`
redefines the one method that adds it (``tests/ui/test_one_language.py`` sees it in both languages).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.widgets.option_list import Option

from gazette_tui.i18n import NO_BREAK_SPACE, _
from gazette_tui.ui.bindings import unique_bindings

if TYPE_CHECKING:
    from textual.app import App, SystemCommand
    from textual.screen import Screen


class Palette(CommandPalette):
    """Textual's command palette, its placeholder and its "no matches" line in the UI's language."""

    def __init__(self, providers: Any = None, *, placeholder: str | None = None, **kwargs: Any) -> None:
        super().__init__(providers, placeholder=placeholder or _("Search for commands…"), **kwargs)

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """As Textual's, with the line translated."""
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(_("No matches found"), style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


def system_commands(
    app: App[Any], screen: Screen[Any], screenshot: Callable[[], None]
) -> Iterable[SystemCommand]:
    """Textual's system commands (``App.get_system_commands``), said in the UI's language."""
    from textual.app import SystemCommand

    yield SystemCommand(_("Theme"), _("Change the current theme"), app.action_change_theme)
    yield SystemCommand(_("Quit"), _("Quit the application as soon as possible"), app.action_quit)
    if screen.query("HelpPanel"):
        yield SystemCommand(_("Keys"), _("Hide the keys and widget help panel"), app.action_hide_help_panel)
    else:
        yield SystemCommand(
            _("Keys"),
            _("Show help for the focused widget and a summary of available keys"),
            app.action_show_help_panel,
        )
    if screen.maximized is not None:
        yield SystemCommand(
            _("Minimize"), _("Minimize the widget and restore to normal size"), screen.action_minimize
        )
    elif screen.focused is not None and screen.focused.allow_maximize:
        yield SystemCommand(_("Maximize"), _("Maximize the focused widget"), screen.action_maximize)
    yield SystemCommand(
        _("Screenshot"),
        _("Save an SVG screenshot of the current screen"),
        lambda: app.set_timer(0.1, screenshot),
    )


class GazetteCommands(Provider):
    def _commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        main = getattr(self.app, "main", None)
        if main is None or not main.is_mounted:
            return []
        commands: list[tuple[str, str, Callable[[], Any]]] = []
        for node in (main, self.app):
            for binding in unique_bindings(node):
                if binding.action in ("back", "forward"):
                    continue
                commands.append(
                    (
                        binding.tooltip or binding.description,
                        binding.description,
                        partial(node.run_action, binding.action),
                    )
                )
        extra = getattr(self.app, "palette_commands", None)
        if extra is not None:  # commands with no key (log in to a given site, log out)
            commands += extra()
        for target in main.feed_tree.all_targets():
            commands.append(
                (
                    _("Go to: {name}").format(name=target.title),
                    _("Show this list"),
                    partial(main.goto, target.key),
                )
            )
        return commands

    async def discover(self) -> Hits:
        for name, help_text, command in self._commands():
            yield DiscoveryHit(Content(name), command, text=name, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query.replace(NO_BREAK_SPACE, " "))
        for name, help_text, command in self._commands():
            # French names hold no-break spaces (« Aller à : … »); what the user types holds plain ones.
            typed = name.replace(NO_BREAK_SPACE, " ")
            score = matcher.match(typed)
            if score > 0:
                yield Hit(score, matcher.highlight(typed), command, text=name, help=help_text)


def screenshot_folder() -> str:
    """Where the Screenshot command saves: the user's Downloads folder when there is one, else here."""
    from pathlib import Path

    from platformdirs import user_downloads_dir

    folder = Path(user_downloads_dir())
    return str(folder) if folder.is_dir() else "."
