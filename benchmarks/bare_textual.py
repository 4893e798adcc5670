"""The floor for a first frame: a Textual app that shows one ``Static`` with the text given as argument."""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult
from textual.widgets import Static


class Bare(App[None]):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield Static(self.text)


if __name__ == "__main__":
    Bare(sys.argv[1] if len(sys.argv) > 1 else "ready").run()
