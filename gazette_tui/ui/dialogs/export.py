"""Where to export a dossier, and in which format: a path in the home folder is proposed; switching the
format switches the file's extension."""

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

from gazette_tui.i18n import _
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
    ]

    def __init__(self, name: str, count: int) -> None:
        super().__init__()
        translate_bindings(self)
        self.dossier_name = name
        self.count = count
        self.format = "markdown"

    def compose(self) -> ComposeResult:
        title = _("Export the dossier “{name}” ({count} articles)").format(
            name=self.dossier_name, count=self.count
        )
        with Vertical():
            yield Static(Content(title), id="export-title")
            with RadioSet(id="export-format"):
                yield RadioButton(Content("Markdown"), value=True, id="export-markdown")
                yield RadioButton(Content("HTML"), id="export-html")
            yield Input(str(default_export_path(self.dossier_name)), id="export-path")
            yield Static(Content(_("enter: export · esc: cancel")), id="export-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

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
