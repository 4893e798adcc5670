"""The downloads in progress: one line each (the file's name, a progress bar), over the status bar while
they run, gone when they end (the notification says where the file went, or why it did not)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import ProgressBar, Static

from gazette_tui.i18n import _


class DownloadLine(Horizontal):
    """One download: its name (feed text: plain Content, never markup) and its bar."""

    DEFAULT_CSS = """
    DownloadLine { height: 1; }
    DownloadLine > .download-name { width: 1fr; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    DownloadLine > ProgressBar { width: auto; padding-right: 1; }
    """

    def __init__(self, name: str) -> None:
        super().__init__()
        self.file_name = name

    def compose(self) -> ComposeResult:
        yield Static(Content(_("Downloading {name}").format(name=self.file_name)), classes="download-name")
        yield ProgressBar(total=None, show_eta=True)

    def progress(self, done: int, total: int | None) -> None:
        """``done`` bytes of ``total`` (None: the server did not say: the bar pulses)."""
        if total:
            self.query_one(ProgressBar).update(total=total, progress=min(done, total))


class DownloadsPanel(Vertical):
    """Every download running, one line each; hidden when there is none."""

    DEFAULT_CSS = """
    DownloadsPanel { height: auto; max-height: 5; background: $panel; display: none; }
    DownloadsPanel.-busy { display: block; }
    """

    async def add(self, name: str) -> DownloadLine:
        """A line for a new download, once it is on screen (its bar can take progress)."""
        line = DownloadLine(name)
        self.add_class("-busy")
        await self.mount(line)
        return line

    def done(self, line: DownloadLine) -> None:
        line.remove()
        if len(self.children) <= 1:
            self.remove_class("-busy")
