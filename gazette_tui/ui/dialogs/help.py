"""The help screen: every key of every pane, with the binding ids that ``[ui.keymap]`` uses."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from gazette_tui.i18n import _
from gazette_tui.ui.bindings import translate_bindings, unique_bindings
from gazette_tui.ui.widgets.article_list import ArticleList
from gazette_tui.ui.widgets.feed_tree import FeedTree
from gazette_tui.ui.widgets.reader import Reader


class HelpDialog(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpDialog { align: center middle; }
    HelpDialog > Vertical {
        width: 92; max-width: 100%; height: 90%; border: thick $primary; background: $surface;
        padding: 0 1;
    }
    HelpDialog #help-title { text-style: bold; color: $primary; padding-bottom: 1; }
    HelpDialog #help-keymap { color: $text-muted; padding-top: 1; }
    HelpDialog #help-body { scrollbar-gutter: stable; }
    HelpDialog #help-table { width: 100%; text-wrap: nowrap; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close", tooltip="Close the help"),
        Binding("j,down", "scroll('down')", "Down", id="help.down", show=False, tooltip="Scroll down"),
        Binding("k,up", "scroll('up')", "Up", id="help.up", show=False, tooltip="Scroll up"),
    ]

    def __init__(self, main: Screen[None], keymap: dict[str, str], config_file: Path) -> None:
        """``main``: the screen whose keys (and whose regions' keys) are listed; ``keymap``: the user's
        ``[ui.keymap]``; ``config_file``: where to change it."""
        super().__init__()
        translate_bindings(self)
        self.main = main
        self.keymap = keymap
        self.config_file = config_file

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(_("gazette-tui — keys")), id="help-title")
            with VerticalScroll(id="help-body"):
                yield Static(self.build_table(), id="help-table")
                yield Static(Content(self._keymap_hint()), id="help-keymap")

    def _keys(self, binding: Binding) -> str:
        keys = self.keymap.get(binding.id or "", binding.key)
        return ", ".join(self.app.get_key_display(binding.with_key(key.strip())) for key in keys.split(","))

    def build_table(self) -> Table:
        table = Table(box=None, expand=True, show_header=True, header_style="bold", pad_edge=False)
        sections = [
            (_("Everywhere"), [*unique_bindings(self.main), *unique_bindings(self.app)]),
            (_("Feed tree"), unique_bindings(self.main.query_one(FeedTree))),
            (_("Article list"), unique_bindings(self.main.query_one(ArticleList))),
            (_("Reader"), unique_bindings(self.main.query_one(Reader))),
        ]
        # Headers as Text: a str would be read as Rich markup ("[ui.keymap]" would vanish). The keys and ids
        # columns are as wide as their longest entry (header included); the action takes the rest and wraps
        # on narrow screens.
        keys_header, id_header = Text(_("Keys")), Text(_("Id (for [ui.keymap])"))
        ours = [binding for _title, bindings in sections for binding in bindings if binding.id]
        keys_width = max([keys_header.cell_len, len("ctrl+p"), *(cell_len(self._keys(b)) for b in ours)])
        id_width = max([id_header.cell_len, *(cell_len(b.id or "") for b in ours)])
        table.add_column(keys_header, no_wrap=True, width=min(keys_width, 16))
        table.add_column(Text(_("Action")), ratio=1, overflow="fold")  # wraps at 80 columns, never cut
        table.add_column(id_header, no_wrap=True, width=id_width, style="dim")
        for position, (title, bindings) in enumerate(sections):
            if position == 0:
                table.add_row("", "", "")  # a blank line between the header and the first group
            table.add_row(Text(title, style="bold underline"), "", "")
            for binding in bindings:
                if not binding.id:
                    continue  # Textual's own (tab, copy…): not ours to document or remap
                table.add_row(
                    Text(self._keys(binding)),
                    Text(binding.tooltip or binding.description),
                    Text(binding.id or ""),
                )
            table.add_row("", "", "")
        table.add_row(Text("ctrl+p"), Text(_("Command palette: every action by name")), Text(""))
        return table

    def _keymap_hint(self) -> str:
        path = self.config_file
        return _('To change a key, add it to {path} under [ui.keymap], e.g. star = "v".').format(path=path)
