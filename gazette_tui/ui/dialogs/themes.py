"""Choose the themes of « Ma Gazette »: the rubriques and the tags of the cached articles with their counts
(tags most frequent first, at most :data:`TAGS_SHOWN` of them: type to find others), the alertes and the
dossiers. Enter (or a click) ticks or unticks the highlighted line, ctrl+s saves, esc cancels. Names are
feed or user text: plain ``Content``."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from gazette_tui.core.library.ma_gazette import Candidates, Theme
from gazette_tui.core.search.query import fold
from gazette_tui.i18n import _, format_number
from gazette_tui.ui.bindings import translate_bindings

TAGS_SHOWN = 40
"""Tags listed at once (the most frequent matching what is typed)."""


class ThemesDialog(ModalScreen[list[Theme] | None]):
    """Returns the themes chosen, in the order they were ticked (those kept first), or None."""

    DEFAULT_CSS = """
    ThemesDialog { align: center middle; }
    ThemesDialog > Vertical {
        width: 84; max-width: 95%; height: auto; max-height: 90%; border: thick $primary;
        background: $surface; padding: 0 1;
    }
    ThemesDialog #themes-title { text-style: bold; padding-bottom: 1; }
    ThemesDialog OptionList { height: auto; max-height: 20; }
    ThemesDialog #themes-hint { color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="themes.cancel", tooltip="Close without saving"),
        Binding("ctrl+s", "save", "Save", id="themes.save", tooltip="Follow the themes ticked"),
        Binding("down", "move(1)", "Next", id="themes.down", show=False, tooltip="Next line"),
        Binding("up", "move(-1)", "Previous", id="themes.up", show=False, tooltip="Previous line"),
    ]

    def __init__(self, candidates: Candidates) -> None:
        super().__init__()
        translate_bindings(self)
        self.candidates = candidates
        self.chosen: list[Theme] = list(candidates.chosen)
        self.shown: list[Theme | None] = []
        """What each line stands for (None: a heading)."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(_("My Gazette: the themes you follow")), id="themes-title")
            yield Input(placeholder=_("Type to filter…"), id="themes-filter")
            yield OptionList(id="themes-options")
            hint = _("enter: tick or untick · ctrl+s: save · esc: cancel")
            yield Static(Content(hint), id="themes-hint")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """The list takes what the screen leaves (at 80×24 the hint and the highlighted line stay in view):
        90 % of its height less the border, title, filter box and hint."""
        room = int(self.size.height * 0.9) - 2 - 2 - 3 - 1
        self.query_one(OptionList).styles.max_height = max(3, min(20, room))

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _groups(self, wanted: str) -> list[tuple[str, list[tuple[Theme, int | None]]]]:
        c = self.candidates

        def keep(name: str) -> bool:
            return not wanted or wanted in fold(name)

        tags: list[tuple[Theme, int | None]] = [(Theme("tag", n), k) for n, k in c.tags if keep(n)]
        # The most frequent, and those chosen however rare (typing finds any other).
        shown_tags = [t for i, t in enumerate(tags) if i < TAGS_SHOWN or t[0] in self.chosen]
        groups: list[tuple[str, list[tuple[Theme, int | None]]]] = [
            (_("Rubriques"), [(Theme("rubrique", n), count) for n, count in c.rubriques if keep(n)]),
            (_("Tags (most frequent first)"), shown_tags),
            (_("Alerts"), [(Theme("alert", n), None) for n in c.alerts if keep(n)]),
            (_("My dossiers"), [(Theme("dossier", n), count) for n, count in c.dossiers if keep(n)]),
        ]
        listed = {theme for _title, members in groups for theme, _count in members}
        # A theme chosen earlier whose rubrique, tag, alerte or dossier is gone: listed, so it can go.
        gone: list[tuple[Theme, int | None]] = [
            (t, None) for t in self.chosen if t not in listed and keep(t.value) and not self._known(t)
        ]
        if gone:
            groups.append((_("No longer found"), gone))
        return groups

    def _known(self, theme: Theme) -> bool:
        c = self.candidates
        names = {
            "rubrique": [n for n, _count in c.rubriques],
            "tag": [n for n, _count in c.tags],
            "alert": c.alerts,
            "dossier": [n for n, _count in c.dossiers],
        }[theme.kind]
        return theme.value in names

    def _fill(self, typed: str, *, keep: bool = False) -> None:
        """List the themes matching ``typed``. ``keep``: the same list again (a theme ticked), the cursor
        where it was; otherwise no line is highlighted until ↓ (enter ticks the first match)."""
        options = self.query_one(OptionList)
        highlighted = options.highlighted if keep else None
        options.clear_options()
        self.shown = []
        lines: list[Option] = []
        for title, members in self._groups(fold(typed)):
            if not members:
                continue
            lines.append(Option(Content.styled(title, "bold"), disabled=True))
            self.shown.append(None)
            for theme, count in members:
                mark = "✓ " if theme in self.chosen else "  "
                number = f"  {format_number(count)}" if count is not None else ""
                lines.append(Option(Content.assemble(mark, Content(theme.value), (number, "dim"))))
                self.shown.append(theme)
        if not lines:
            lines.append(Option(Content(_("Nothing to choose from yet: refresh first.")), disabled=True))
            self.shown.append(None)
        options.add_options(lines)
        if highlighted is not None and highlighted < len(self.shown) and self.shown[highlighted] is not None:
            options.highlighted = highlighted
        else:
            options.highlighted = None

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        position = options.highlighted if options.highlighted is not None else -step
        position += step
        while 0 <= position < len(self.shown):
            if self.shown[position] is not None:
                options.highlighted = position
                return
            position += step

    def _toggle(self, index: int | None) -> None:
        if index is None or not 0 <= index < len(self.shown):
            return
        theme = self.shown[index]
        if theme is None:
            return
        if theme in self.chosen:
            self.chosen.remove(theme)
        else:
            self.chosen.append(theme)
        self._fill(self.query_one(Input).value, keep=True)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        highlighted = self.query_one(OptionList).highlighted
        first = next((i for i, theme in enumerate(self.shown) if theme is not None), None)
        self._toggle(first if highlighted is None else highlighted)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._toggle(event.option_index)

    def action_save(self) -> None:
        self.dismiss(list(self.chosen))

    def action_cancel(self) -> None:
        self.dismiss(None)
