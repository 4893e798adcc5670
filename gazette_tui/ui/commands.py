"""The command palette (ctrl+p): every key binding's action by name, plus "go to" for each tree line.

Context-aware: it lists what the main screen can do right now, and the feeds currently subscribed. Feed
titles are feed text, so hits are built as ``Content``, never as markup strings.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from gazette_tui.i18n import _
from gazette_tui.ui.bindings import unique_bindings


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
        matcher = self.matcher(query)
        for name, help_text, command in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), command, text=name, help=help_text)
