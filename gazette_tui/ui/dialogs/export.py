"""Where to export a dossier, and in which format: a path in the home folder is proposed; switching the
format (the arrows, from the path field; or the buttons) switches the file's extension."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, RadioButton, RadioSet, Static

from gazette_tui.errors import Np_
from gazette_tui.i18n import _, format_number, translate_plural
from gazette_tui.ui.bindings import translate_bindings

SUFFIXES = {"markdown": ".md", "html": ".html"}


@dataclass(frozen=True)
class ExportChoice:
    path: Path
    format: str
    """"markdown" or "html"."""


def default_export_path(name: str, fmt: str = "markdown", home: Path | None = None) -> Path:
    """``~/<dossier name>.md``: the name, minus what file systems refuse."""
    stem = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "-", name).strip(" .") or "dossier"
    return (home or Path.home()) / f"{stem}{SUFFIXES[fmt]}"


class ExportDialog(ModalScreen[ExportChoice | None]):
    DEFAULT_CSS = """
    ExportDialog { align: center middle; }
    ExportDialog > Vertical {
        width: 90; max-width: 95%; height: auto; border: thick $primary; background: $surface; padding: 0 1;
    }
    ExportDialog #export-title { text-style: bold; padding-bottom: 1; }
    ExportDialog RadioSet { width: 100%; layout: horizontal; }
    ExportDialog #export-hint { color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="export.cancel", tooltip="Close without exporting"),
        # The path field has no use for up and down: there they switch the format, as the hint says.
        Binding("down", "switch_format", "Format", id="export.format", show=False, tooltip="Next format"),
        Binding(
            "up", "switch_format", "Format", id="export.format_back", show=False, tooltip="Previous format"
        ),
    ]

    def __init__(self, name: str, count: int) -> None:
        super().__init__()
        translate_bindings(self)
        self.dossier_name = name
        self.count = count
        self.format = "markdown"

    def compose(self) -> ComposeResult:
        one, many = Np_(
            "Export the dossier “{name}” ({count} article)", "Export the dossier “{name}” ({count} articles)"
        )
        title = translate_plural(one, many, self.count).format(
            name=self.dossier_name, count=format_number(self.count)
        )
        with Vertical():
            yield Static(Content(title), id="export-title")
            with RadioSet(id="export-format"):
                yield RadioButton(Content("Markdown"), value=True, id="export-markdown")
                yield RadioButton(Content("HTML"), id="export-html")
            yield Input(str(default_export_path(self.dossier_name)), id="export-path")
            yield Static(Content(_("↑↓: Markdown or HTML · enter: export · esc: cancel")), id="export-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_switch_format(self) -> None:
        """The other format (two of them: up and down both switch); the path's extension follows."""
        other = "#export-markdown" if self.format == "html" else "#export-html"
        self.query_one(other, RadioButton).value = True

    @on(RadioSet.Changed)
    def _format_changed(self, event: RadioSet.Changed) -> None:
        new = "html" if event.pressed.id == "export-html" else "markdown"
        path_input = self.query_one(Input)
        old_suffix = SUFFIXES[self.format]
        if path_input.value.endswith(old_suffix):
            path_input.value = path_input.value[: -len(old_suffix)] + SUFFIXES[new]
        self.format = new
        path_input.focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if text:
            self.dismiss(ExportChoice(Path(text).expanduser(), self.format))
