"""The settings of one feed or of a rubrique's feeds (``,`` on the tree's line): a line per key, its own value
in the field, the value it inherits (its rubrique's, or the global one) written under it when the field is
empty. Enter checks every field (``core/feeds/feed_settings.py``'s rules) and says what is wrong under the
field itself, nothing typed lost; it closes only when every value is allowed. An empty field (or
« default ») gives the key back to what it inherits.

It returns key → text for every key (the caller writes those that changed), or None when cancelled."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from gazette_tui.core.feeds import feed_settings as rules
from gazette_tui.errors import GazetteError
from gazette_tui.i18n import _
from gazette_tui.ui.bindings import translate_bindings


@dataclass(frozen=True, slots=True)
class SettingLine:
    """One key as the dialog shows it."""

    key: str
    own: str
    """Its own value as typed (yes/no, a number, the user agent), "" when it inherits."""
    inherited: str
    """What applies when it has none, and where that comes from, in the current language."""


def labels() -> dict[str, str]:
    """Each key's label, in the current language (built when shown: the language is set by then)."""
    return {
        "fulltext": _("Full text (the article's page)"),
        "retention_days": _("Keep (days; 0: no age limit)"),
        "refresh_minutes": _("Refresh every (minutes)"),
        "hidden": _("Hidden from “All” and “Unread”"),
        "user_agent": _("User agent sent to the site"),
    }


def shown(key: str, value: object) -> str:
    """A value as the dialog writes it: yes/no in the current language, else as ``feeds set`` does."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return rules.shown_form(value)


class FeedSettingsDialog(ModalScreen[dict[str, str] | None]):
    DEFAULT_CSS = """
    FeedSettingsDialog { align: center middle; }
    FeedSettingsDialog > Vertical {
        width: 90; max-width: 100%; height: auto; border: thick $primary; background: $surface; padding: 0 1;
    }
    FeedSettingsDialog #settings-title { text-style: bold; padding-bottom: 1; }
    FeedSettingsDialog Horizontal { height: 1; }
    FeedSettingsDialog .label { width: 38; color: $text-muted; }
    FeedSettingsDialog Input { width: 1fr; background: $boost; }
    FeedSettingsDialog Input:focus { background: $panel; }
    FeedSettingsDialog .inherited { padding-left: 38; color: $text-muted; height: auto; }
    FeedSettingsDialog .error { padding-left: 38; color: $error; text-style: bold; height: auto; }
    FeedSettingsDialog #settings-hint { color: $text-muted; padding-top: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape", "cancel", "Cancel", id="feed_settings.cancel", tooltip="Close without changing anything"
        ),
    ]

    def __init__(self, title: str, lines: list[SettingLine]) -> None:
        super().__init__()
        translate_bindings(self)
        self.title_text = title
        self.lines = lines

    def compose(self) -> ComposeResult:
        names = labels()
        with Vertical():
            yield Static(Content(self.title_text), id="settings-title")
            for line in self.lines:
                with Horizontal():
                    yield Static(Content(names[line.key]), classes="label")
                    yield Input(line.own, compact=True, id=f"setting-{line.key}", max_length=240)
                yield Static(Content(line.inherited), id=f"inherited-{line.key}", classes="inherited")
                yield Static(id=f"error-{line.key}", classes="error")
            yield Static(
                Content(_("empty: inherited · enter: save · tab: next field · esc: cancel")),
                id="settings-hint",
            )

    def on_mount(self) -> None:
        for line in self.lines:
            self.query_one(f"#error-{line.key}", Static).display = False
            self._show_inherited(line.key)
        if self.lines:
            self.query_one(f"#setting-{self.lines[0].key}", Input).focus()

    def _show_inherited(self, key: str) -> None:
        empty = not self.query_one(f"#setting-{key}", Input).value.strip()
        self.query_one(f"#inherited-{key}", Static).display = empty

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        key = (event.input.id or "").removeprefix("setting-")
        if key in rules.KEYS:
            self._show_inherited(key)
            self.query_one(f"#error-{key}", Static).display = False

    def action_cancel(self) -> None:
        self.dismiss(None)

    def values(self) -> dict[str, str]:
        return {line.key: self.query_one(f"#setting-{line.key}", Input).value.strip() for line in self.lines}

    def problems(self) -> dict[str, str]:
        """Key → why its value is not allowed (the core's sentence), for the fields that have one."""
        found: dict[str, str] = {}
        for key, text in self.values().items():
            if not text or text.casefold() in (rules.DEFAULT_WORD, "défaut", "defaut"):
                continue
            try:
                rules.parse_value(key, text)
            except GazetteError as error:
                found[key] = str(error)
        return found

    @on(Input.Submitted)
    def _submitted(self) -> None:
        problems = self.problems()
        for line in self.lines:
            error = self.query_one(f"#error-{line.key}", Static)
            error.update(Content(problems.get(line.key, "")))
            error.display = line.key in problems
        if problems:
            first = next(line.key for line in self.lines if line.key in problems)
            self.query_one(f"#setting-{first}", Input).focus()
            return
        self.dismiss(self.values())
