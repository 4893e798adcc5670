"""An article's attachments, from the TUI: P lists them (``dialogs/attachments.py``); enter downloads one
into the download folder (``core/feeds/downloads.py``: resumable, within ``downloads.max_bytes``) with its
progress over the status bar (``widgets/downloads.py``), o opens it in the browser (the app's rules: http(s)
only, an argument list). Several downloads may run at once; each says where its file went, or why not and
that what came is kept for the next try.

The key is the main screen's (:data:`ATTACHMENT_BINDINGS`, action ``app.attachments``): the app mounts this
controller on the main screen the first time and hands it the key, so the screen's class stays small."""

from __future__ import annotations

from textual import work
from textual.binding import Binding

from gazette_tui.core.feeds.downloads import Downloader, DownloadError, Progress, download_folder
from gazette_tui.core.render import listed_enclosures
from gazette_tui.errors import GazetteError
from gazette_tui.i18n import _
from gazette_tui.models import Article, Enclosure
from gazette_tui.ui.controllers.base import Controller
from gazette_tui.ui.dialogs.attachments import AttachmentsDialog
from gazette_tui.ui.widgets.downloads import DownloadLine, DownloadsPanel

ATTACHMENT_BINDINGS: list[Binding] = [
    Binding(
        "P",
        "app.attachments",
        "Attachments",
        id="attachments",
        show=False,
        tooltip="The article's attachments (podcasts, PDFs): download, open…",
    ),
]
"""The key of this controller; the main screen declares it, the app hands its action here."""


class Attachments(Controller):
    def run(self) -> None:
        """The key: the attachments of the article the keys act on (the reader's, else the cursor's)."""
        article_id = self.panes.current_id()
        if article_id is None:
            self.host.say(_("Select an article first."))
            return
        shown = self.panes.reader.article
        if shown is not None and shown.id == article_id:
            self.choose(shown)
        else:
            self._load(article_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="attachments-load")
    def _load(self, article_id: int) -> None:
        article = self.host.store.article(article_id)
        self.app.call_from_thread(self.choose, article)

    @work(exit_on_error=False, group="dialog")
    async def choose(self, article: Article) -> None:
        """The picker, then what was chosen: a download, or the browser."""
        enclosures = listed_enclosures(article)  # numbered as the reader lists them
        if not enclosures:
            self.host.say(_("This article has no attachments."))
            return
        folder = str(download_folder(self.host.settings.downloads))
        choice = await self.app.push_screen_wait(AttachmentsDialog(enclosures, folder))
        if choice is None:
            return
        if choice.action == "open":
            self.host.open_link(choice.enclosure.url)
        else:
            self.download(choice.enclosure)

    async def _panel(self) -> DownloadsPanel:
        """The downloads' lines, over the status bar (made with the first download)."""
        found = self.screen.query(DownloadsPanel)
        if found:
            return found.first()
        panel = DownloadsPanel()
        await self.screen.mount(panel, before=self.panes.status)
        return panel

    @work(exit_on_error=False, group="downloads")
    async def download(self, enclosure: Enclosure) -> None:
        """One attachment into the download folder, its progress on a line of its own while it runs."""
        if self.host.offline:
            self.host.say(_("Started offline (--offline): nothing can be downloaded."), severity="warning")
            return
        settings = self.host.settings
        line: DownloadLine | None = None

        def progress(where: Progress) -> None:
            if line is not None:
                line.progress(where.done, where.total)

        downloader = Downloader(
            enclosure.url,
            folder=download_folder(settings.downloads),
            max_bytes=settings.downloads.max_bytes,
            timeout=settings.refresh.timeout,
            proxy=settings.refresh.proxy,
            on_progress=progress,
        )
        panel = await self._panel()
        line = await panel.add(downloader.name)
        try:
            done = await downloader.run()
        except DownloadError as error:
            text = str(error)
            if error.kept:
                text += " " + _("What came is kept: P downloads the rest later.")
            self.host.say(text, severity="error", timeout=20)
        except GazetteError as error:  # the folder's state file could not be written
            self.host.say(str(error), severity="error", timeout=20)
        else:
            self.host.say(_("Downloaded: {path}").format(path=done.path), timeout=15)
        finally:
            panel.done(line)
