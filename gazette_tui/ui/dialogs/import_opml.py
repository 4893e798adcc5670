"""Import subscriptions from an OPML list: a file's path (``~`` is the home folder) or an http(s) address,
read as ``gazette-tui import`` reads them (:func:`~gazette_tui.core.feeds.opml.read_opml`,
:func:`~gazette_tui.core.feeds.opml.download_opml`, then
:func:`~gazette_tui.core.accounts.feed_credentials.import_feeds`): folders become rubriques, feeds already
there stay as they are. Why a list cannot be read is said under the field; the download runs in an async
worker, the file and the cache in a thread."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, LoadingIndicator, Static

from gazette_tui.core.accounts.feed_credentials import Imported, import_feeds, without_userinfo
from gazette_tui.core.feeds.fetch import FetchFailure
from gazette_tui.core.feeds.opml import download_opml, read_opml
from gazette_tui.core.settings import RefreshSettings
from gazette_tui.core.storage.store import Store
from gazette_tui.errors import GazetteError
from gazette_tui.i18n import _
from gazette_tui.text import safe_url
from gazette_tui.ui.bindings import translate_bindings


@dataclass(frozen=True, slots=True)
class OpmlImported:
    """What an import did: the counts, and the feeds it added (to refresh them)."""

    imported: Imported
    listed: int
    """Feeds in the list."""
    new_ids: list[int] = field(default_factory=list)


def _import(store: Store, feeds: list[tuple[str, str, str]]) -> OpmlImported:
    before = {feed.id for feed in store.feeds()}
    done = import_feeds(store, feeds)
    new_ids = [feed.id for feed in store.feeds() if feed.id not in before]
    return OpmlImported(done, len(feeds), new_ids)


class ImportOpmlDialog(ModalScreen[OpmlImported | None]):
    DEFAULT_CSS = """
    ImportOpmlDialog { align: center middle; }
    ImportOpmlDialog > Vertical {
        width: 80; max-width: 100%; height: auto; border: thick $primary; background: $surface; padding: 0 1;
    }
    ImportOpmlDialog #import-title { text-style: bold; padding-bottom: 1; }
    ImportOpmlDialog Label { color: $text-muted; }
    ImportOpmlDialog Input { width: 100%; background: $boost; }
    ImportOpmlDialog #import-progress { height: auto; margin-top: 1; }
    ImportOpmlDialog LoadingIndicator { width: 6; height: 1; min-height: 1; display: none; }
    ImportOpmlDialog.-busy LoadingIndicator { display: block; }
    ImportOpmlDialog #import-status { width: 1fr; height: auto; }
    ImportOpmlDialog #import-status.-error { color: $error; text-style: bold; }
    ImportOpmlDialog #import-hint { color: $text-muted; margin-top: 1; }
    """

    AUTO_FOCUS = "#import-source"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="import.cancel", tooltip="Close without importing"),
    ]

    def __init__(self, store: Store, settings: RefreshSettings, *, offline: bool = False) -> None:
        super().__init__()
        translate_bindings(self)
        self.store = store
        self.settings = settings
        self.offline = offline
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(_("Import subscriptions (OPML)")), id="import-title")
            yield Label(Content(_("An OPML file (its path) or its http(s) address")))
            yield Input(placeholder="~/abonnements.opml", id="import-source", compact=True)
            with Horizontal(id="import-progress"):
                yield LoadingIndicator()
                yield Static(id="import-status")
            yield Static(
                Content(_("Folders become rubriques; feeds already there stay as they are.")),
                id="import-hint",
            )
            yield Static(Content(_("enter: import · esc: cancel")))

    def say(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#import-status", Static)
        status.update(Content(text))
        status.set_class(error, "-error")

    def set_busy(self, busy: bool, text: str = "") -> None:
        self.busy = busy
        self.set_class(busy, "-busy")
        if text or not busy:
            self.say(text)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        source = event.value.strip()
        if self.busy:
            return
        if not source:
            self.say(_("Type the path of an OPML file or its address."), error=True)
            return
        if source.lower().startswith(("http://", "https://")):
            url = safe_url(source)
            if url is None:
                shown = repr(without_userinfo(source))
                self.say(_("Invalid address: {url} (http or https expected).").format(url=shown), error=True)
            elif self.offline:
                self.say(
                    _("Started offline (--offline): give a file, an address cannot be read."), error=True
                )
            else:
                self.run_import(url, None)
            return
        self.run_import("", Path(source).expanduser())

    @work(exclusive=True, exit_on_error=False, group="import-opml")
    async def run_import(self, url: str, path: Path | None) -> None:
        """From ``url``, or from the file ``path``: read the list, then import it."""
        shown = without_userinfo(url) if url else str(path)
        self.set_busy(True, _("Reading {source}…").format(source=shown))
        try:
            if path is not None:
                feeds = await asyncio.to_thread(read_opml, path)
            else:
                feeds = await download_opml(url, self.settings)
            done = await asyncio.to_thread(_import, self.store, feeds)
        except FetchFailure as failure:
            self.set_busy(False)
            self.say(_("Could not download {url}: {reason}").format(url=shown, reason=failure), error=True)
            return
        except GazetteError as error:  # not OPML, unreadable, the database, an unusable proxy
            self.set_busy(False)
            self.say(str(error), error=True)
            return
        self.set_busy(False)
        self.dismiss(done)
