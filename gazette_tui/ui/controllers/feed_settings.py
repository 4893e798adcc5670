"""The settings dialog's flow (key ``,``, declared with the subscriptions' keys): read the settings of the
tree's feed or rubrique, show them (``dialogs/feed_settings.py``), write what changed, redraw the tree and
the list (a hidden feed leaves « Toutes » and its counts). The rules are ``core/feeds/feed_settings.py``'s.

:class:`~gazette_tui.ui.controllers.subscriptions.Subscriptions` runs :func:`edit_settings` from its own
``@work`` flow; the reads and writes run in threads."""

from __future__ import annotations

import asyncio

from gazette_tui.core.feeds import feed_settings as rules
from gazette_tui.core.settings import Settings
from gazette_tui.core.storage.store import Store
from gazette_tui.errors import GazetteError
from gazette_tui.i18n import _
from gazette_tui.ui.controllers.base import Controller
from gazette_tui.ui.controllers.loading import Loader
from gazette_tui.ui.dialogs.feed_settings import FeedSettingsDialog, SettingLine, shown
from gazette_tui.ui.lists import TreeTarget


def chosen(controller: Controller, loader: Loader) -> TreeTarget | None:
    """The tree's feed or rubrique when the tree has the focus, else the list shown's; said when neither."""
    tree = controller.panes.feed_tree
    candidates = [tree.current, loader.target]
    if controller.panes.pane != "tree":
        candidates.reverse()
    for target in candidates:
        if target is not None and target.kind in ("feed", "rubrique"):
            return tree.target(target.key) or target
    controller.host.say(_("Select a feed or a rubrique in the tree first."))
    return None


def _value(key: str, value: object, settings: Settings) -> str:
    return shown(key, value) if value is not None else rules.value_text(key, None, settings)


def _inherited(entry: rules.Explained, rubrique: str, settings: Settings) -> str:
    value = _value(entry.key, entry.value, settings)
    if entry.source == "rubrique":
        return _("from the rubrique “{name}”: {value}").format(name=rubrique, value=value)
    return _("default: {value}").format(value=value)


def setting_lines(store: Store, settings: Settings, target: TreeTarget) -> tuple[str, list[SettingLine]]:
    """The dialog's title and lines for a feed or a rubrique (blocking: SQLite)."""
    if target.feed is not None:
        feed = target.feed
        own = rules.explain_feed(store, feed.url)
        above = rules.explain_rubrique(store, feed.rubrique) if feed.rubrique else []
        inherited = {e.key: e for e in above if e.source == "rubrique"}
        title = _("Settings of the feed “{name}”").format(name=feed.title)
        own_source, rubrique = "feed", feed.rubrique
    else:
        rubrique = target.filter.rubrique or target.title
        own = rules.explain_rubrique(store, rubrique)
        inherited = {}
        title = _("Settings of the rubrique “{name}” (its feeds, unless one has its own)").format(
            name=rubrique
        )
        own_source = "rubrique"
    lines = []
    for entry in own:
        typed = shown(entry.key, entry.value) if entry.source == own_source else ""
        default = rules.Explained(entry.key, getattr(rules.DEFAULTS, entry.key), "default")
        below = inherited.get(entry.key, default)
        lines.append(SettingLine(entry.key, typed, _inherited(below, rubrique, settings)))
    return title, lines


def save(store: Store, target: TreeTarget, changed: dict[str, str]) -> None:
    """Write the changed keys ("" gives a key back to what it inherits)."""
    for key, text in changed.items():
        value = text or rules.DEFAULT_WORD
        if target.feed is not None:
            rules.set_feed(store, target.feed.url, key, value)
        else:
            rules.set_rubrique(store, target.filter.rubrique or target.title, key, value)


async def edit_settings(controller: Controller, loader: Loader) -> None:
    """The whole flow, awaited inside the caller's ``@work`` coroutine."""
    target = chosen(controller, loader)
    if target is None:
        return
    host = controller.host
    try:
        title, lines = await asyncio.to_thread(setting_lines, host.store, host.settings, target)
    except GazetteError as error:  # the feed went meanwhile
        host.say(str(error), severity="warning")
        return
    typed = await controller.app.push_screen_wait(FeedSettingsDialog(title, lines))
    if typed is None:
        return
    before = {line.key: line.own for line in lines}
    changed = {key: text for key, text in typed.items() if text != before.get(key)}
    if not changed:
        return
    try:
        await asyncio.to_thread(save, host.store, target, changed)
    except GazetteError as error:
        host.say(str(error), severity="warning")
        return
    host.say(_("Settings saved: {name}.").format(name=target.title))
    loader.reload_feeds()
    loader.reload_ids(controller.panes.articles.current_id)
