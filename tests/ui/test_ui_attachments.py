"""Pilot tests of an article's attachments: P lists them (type, size, duration), enter downloads one from a
real server on 127.0.0.1 into the download folder with its progress on screen, o opens one in the browser
(a recorder stands in for it), failures and offline said in one sentence, in both languages."""

from __future__ import annotations

import hashlib
import webbrowser
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.french import typo
from support.servers import FileServer, ServedFile
from support.ui import NOW, make_app, new_paths, notices, screen_text, settle
from textual.widgets import ProgressBar

from gazette_tui.core.feeds.parse import build_entry
from gazette_tui.core.paths import Paths
from gazette_tui.core.settings import Settings
from gazette_tui.core.storage.store import Store
from gazette_tui.models import Enclosure, ParsedFeed
from gazette_tui.ui.app import GazetteApp
from gazette_tui.ui.widgets.downloads import DownloadLine

SIZE = (120, 36)
EPISODE = bytes((n * 13 + n // 509) % 256 for n in range(1_500_000))
PDF = b"%PDF-1.4\n% ordre du jour\n" + b"1" * 3000


class FakeBrowser(webbrowser.BackgroundBrowser):
    """Stands in for a graphical browser: records what would have been opened."""

    def __init__(self) -> None:
        super().__init__(["true"])
        self.opened: list[str] = []

    def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
        self.opened.append(url)
        return True


@pytest.fixture
def fake_browser(monkeypatch: pytest.MonkeyPatch) -> FakeBrowser:
    browser = FakeBrowser()
    monkeypatch.setattr(webbrowser, "get", lambda using=None: browser)
    return browser


@pytest.fixture
def files() -> Iterator[FileServer]:
    with FileServer() as server:
        server.files["/media/episode-7.mp3"] = ServedFile(EPISODE, "audio/mpeg")
        server.files["/media/ordre-du-jour.pdf"] = ServedFile(PDF, "application/pdf")
        yield server


@pytest.fixture
def ui_paths(tmp_path: Path) -> Paths:
    return new_paths(tmp_path)


@pytest.fixture
def store(ui_paths: Paths, files: FileServer) -> Iterator[Store]:
    """A podcast episode with its MP3 and a PDF, and an article without attachments."""
    with Store(ui_paths.database) as store:
        feed = store.add_feed("https://example.org/podcast/feed/", "Le podcast des territoires", "Podcasts")
        episode = build_entry(
            guid="episode-7",
            link="https://example.org/podcast/7/",
            title="Épisode 7 : le budget participatif",
            author="Jeanne Martin",
            published=NOW,
            updated=None,
            categories=["Podcast"],
            summary="<p>Les élus racontent leur budget participatif.</p>",
            content="",
            enclosures=[
                Enclosure(files.url("/media/episode-7.mp3"), "audio/mpeg", len(EPISODE), 2525),
                Enclosure(files.url("/media/ordre-du-jour.pdf"), "application/pdf", len(PDF)),
            ],
        )
        plain = build_entry(
            guid="plain",
            link="https://example.org/plain/",
            title="Un article sans pièce jointe",
            author="Paul Durand",
            published=NOW - 3600,
            updated=None,
            categories=[],
            summary="<p>Rien à télécharger.</p>",
            content="",
        )
        store.record_success(feed.id, ParsedFeed("rss", "Podcast", "https://example.org", [episode, plain]))
        yield store


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    settings = Settings()
    settings.downloads.folder = str(tmp_path / "dl")
    settings.refresh.timeout = 5
    return settings


def app_for(store: Store, paths: Paths, settings: Settings, **options: object) -> GazetteApp:
    return make_app(store, paths, settings=settings, **options)  # type: ignore[arg-type]


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_p_lists_the_attachments_with_type_size_and_duration(
    store: Store, ui_paths: Paths, settings: Settings, language: str
) -> None:
    app = app_for(store, ui_paths, settings, language=language)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l", "enter")  # the episode, first in the list
        await settle(pilot)
        reader = screen_text(app)
        await pilot.press("P")
        await settle(pilot)
        assert type(app.screen).__name__ == "AttachmentsDialog"
        text = screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen"
    if language == "fr":
        assert typo("Pièces jointes (touche P : télécharger ou ouvrir)") in reader
        assert typo("[1] episode-7.mp3  audio/mpeg, 1,5\u00a0Mo, 42:05") in text
        assert typo("[2] ordre-du-jour.pdf  application/pdf, 3\u00a0ko") in text
        assert typo("Dossier d'enregistrement : " + settings.downloads.folder) in text
    else:
        assert "Attachments (key P: download or open)" in reader
        assert "[1] episode-7.mp3  audio/mpeg, 1.5 MB, 42:05" in text
        assert "[2] ordre-du-jour.pdf  application/pdf, 3 kB" in text
        assert "Saved in " + settings.downloads.folder in text


async def test_enter_downloads_with_progress_into_the_download_folder(
    store: Store, ui_paths: Paths, settings: Settings, files: FileServer
) -> None:
    files.files["/media/episode-7.mp3"] = ServedFile(EPISODE, "audio/mpeg", delay=0.05)
    app = app_for(store, ui_paths, settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l", "P")  # from the list: the article under the cursor, not opened
        await settle(pilot)
        await pilot.press("enter")
        for _tick in range(500):
            lines = list(app.main.query(DownloadLine))
            if lines and (lines[0].query_one(ProgressBar).progress or 0) > 0:
                break
            await pilot.pause(0.01)
        assert "Téléchargement de episode-7.mp3" in screen_text(app)
        bar = lines[0].query_one(ProgressBar)
        assert bar.total == len(EPISODE)
        assert 0 < (bar.progress or 0) <= len(EPISODE)
        await settle(pilot)
        assert not app.main.query(DownloadLine)
        saved = Path(settings.downloads.folder) / "episode-7.mp3"
        assert hashlib.sha256(saved.read_bytes()).digest() == hashlib.sha256(EPISODE).digest()
        assert typo(f"Téléchargé : {saved}") in notices(app)
        await pilot.press("P", "2")  # a digit moves to that attachment; d downloads it
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert (Path(settings.downloads.folder) / "ordre-du-jour.pdf").read_bytes() == PDF


async def test_o_opens_an_attachment_in_the_browser(
    store: Store, ui_paths: Paths, settings: Settings, files: FileServer, fake_browser: FakeBrowser
) -> None:
    app = app_for(store, ui_paths, settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l", "enter")
        await settle(pilot)
        await pilot.press("P", "down", "o")
        await settle(pilot)
        assert fake_browser.opened == [files.url("/media/ordre-du-jour.pdf")]
        await pilot.press("o")  # o outside the picker still opens the article
        await settle(pilot)
        assert fake_browser.opened[-1] == "https://example.org/podcast/7/"
    assert not Path(settings.downloads.folder).exists()  # opening downloads nothing


async def test_a_failure_is_one_sentence_and_the_rest_comes_later(
    store: Store, ui_paths: Paths, settings: Settings, files: FileServer
) -> None:
    files.files["/media/episode-7.mp3"] = ServedFile(EPISODE, "audio/mpeg", drop_after=400_000)
    app = app_for(store, ui_paths, settings, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l", "P", "enter")
        await settle(pilot)
        said = notices(app)[-1]
        assert said == (
            "Could not download episode-7.mp3: the server stopped sending before the end. "
            "What came is kept: P downloads the rest later."
        )
        await pilot.press("P", "enter")  # the server serves it whole now: the rest comes
        await settle(pilot)
        saved = Path(settings.downloads.folder) / "episode-7.mp3"
        assert saved.read_bytes() == EPISODE
        assert files.requests[-1][1]["range"].startswith("bytes=")
        files.files["/media/ordre-du-jour.pdf"] = ServedFile(b"", status=404)
        await pilot.press("P", "2", "enter")
        await settle(pilot)
        assert notices(app)[-1] == "Could not download ordre-du-jour.pdf: HTTP 404."


async def test_no_attachment_and_offline_are_said(store: Store, ui_paths: Paths, settings: Settings) -> None:
    app = app_for(store, ui_paths, settings, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l", "down", "P")  # the article without attachments
        await settle(pilot)
        assert notices(app)[-1] == typo("Cet article n'a pas de pièce jointe.")
        await pilot.press("up", "P", "enter")
        await settle(pilot)
        assert notices(app)[-1] == typo("Lancé hors ligne (--offline) : rien ne peut être téléchargé.")
    assert not Path(settings.downloads.folder).exists()
