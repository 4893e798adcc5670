"""Pilot tests of the app-wide actions (browser, links, search, palette, keymap, theme) and of the list's
paging, on a real SQLite store."""

from __future__ import annotations

import webbrowser
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.ui import (
    UNTRUSTED_TITLES,
    filled_store,
    make_app,
    new_paths,
    notices,
    palette_prompts,
    screen_text,
    settle,
)

from gazette_tui.core.paths import Paths
from gazette_tui.core.settings import Settings, load_settings
from gazette_tui.core.storage.store import ArticleFilter, Store
from gazette_tui.ui.app import GazetteApp, run_tui
from gazette_tui.ui.screens.main import MainScreen


def main(app: GazetteApp) -> MainScreen:
    return app.main


@pytest.fixture
def ui_paths(tmp_path: Path) -> Paths:
    return new_paths(tmp_path)


@pytest.fixture
def ui_store(ui_paths: Paths) -> Iterator[Store]:
    yield from filled_store(ui_paths)


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


async def test_keymap_from_settings(ui_store: Store, ui_paths: Paths) -> None:
    settings = Settings()
    settings.ui.keymap = {"star": "f"}
    first = ui_store.article_ids()[0]
    app = make_app(ui_store, ui_paths, settings=settings)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "f")
        await settle(pilot)
        assert ui_store.article(first).starred
        await pilot.press("s")  # the old key no longer stars
        await settle(pilot)
        assert ui_store.article(first).starred


async def test_open_in_browser_and_numbered_links(
    ui_store: Store, ui_paths: Paths, fake_browser: FakeBrowser
) -> None:
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "o")
        await settle(pilot)
        assert fake_browser.opened == ["https://example.org/budget"]
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("L", "2")
        await settle(pilot)
        assert fake_browser.opened[-1] == "https://example.org/rapport"
        app.open_link("javascript:alert(1)")
        app.open_link("file:///etc/passwd")
        await settle(pilot)
        assert len(fake_browser.opened) == 2


async def test_missing_browser_shows_the_url(
    ui_store: Store, ui_paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_browser(using: str | None = None) -> webbrowser.BaseBrowser:
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "get", no_browser)
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "o")
        await settle(pilot)
        messages = notices(app)
        assert any("https://example.org/budget" in message for message in messages), messages


async def test_theme_choice_is_saved(ui_store: Store, ui_paths: Paths) -> None:
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await settle(pilot)
    assert 'theme = "nord"' in ui_paths.config_file.read_text(encoding="utf-8")
    again = make_app(ui_store, ui_paths, settings=load_settings(ui_paths.config_file))
    assert again.theme == "nord"


def test_no_color_is_respected(ui_store: Store, ui_paths: Paths, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert make_app(ui_store, ui_paths).no_color


async def test_command_palette_offers_the_actions_and_the_feeds(ui_store: Store, ui_paths: Paths) -> None:
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        prompts = await palette_prompts(pilot, "Aller à : Favoris")
        assert any("Aller à : Favoris" in prompt for prompt in prompts), prompts  # typed spaces match
        await pilot.press("enter")
        await settle(pilot)
        assert main(app).feed_tree.current is not None
        assert main(app).feed_tree.current.key == "starred"


async def test_list_reads_only_the_visible_rows(ui_paths: Paths) -> None:
    from gazette_tui.core.feeds.parse import build_entry
    from gazette_tui.models import ParsedFeed

    with Store(ui_paths.database) as store:
        feed = store.add_feed("https://example.org/many/feed/", "Beaucoup", "").id
        entries = [
            build_entry(
                guid=f"n{n}",
                link=f"https://example.org/n{n}",
                title=f"Article {n}",
                author="",
                published=1_500_000_000 + n,
                updated=None,
                categories=[],
                summary="",
                content="",
            )
            for n in range(3000)
        ]
        store.record_success(feed, ParsedFeed("rss", "Beaucoup", "", entries), when=1_600_000_000)
        fetched: list[int] = []
        original = store.article_rows

        def counting(ids: list[int]) -> list:  # type: ignore[type-arg]
            fetched.extend(ids)
            return original(ids)

        store.article_rows = counting  # type: ignore[method-assign]
        app = make_app(store, ui_paths)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            assert len(main(app).articles.ids) == 3000
            assert "Article 2999" in screen_text(app)
            assert len(fetched) <= 2 * 64
            await pilot.press("enter", "G")
            await settle(pilot)
            assert "Article 0" in screen_text(app)
            assert len(fetched) <= 4 * 64


def test_run_tui_reports_an_unusable_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = Paths.under(tmp_path)
    paths.ensure()
    paths.database.mkdir()  # a folder where the database file should be
    assert run_tui(Settings(), paths) == 1
    err = capsys.readouterr().err
    assert str(paths.database) in err
    assert "Traceback" not in err


async def test_search_bar_finds_and_opens_an_article(ui_store: Store, ui_paths: Paths) -> None:
    from gazette_tui.ui.dialogs.search import SearchDialog

    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, SearchDialog)
        await pilot.press(*"fiscalite")  # no accent typed: the index folds them
        await settle(pilot)
        assert sorted(hit.row.id for hit in app.screen.results) == sorted(
            ui_store.article_ids(ArticleFilter(feed_id=1))[::2]
        )
        for _key in "fiscalite":
            await pilot.press("backspace")
        await pilot.press(*"lire")
        await settle(pilot)
        assert [hit.row.title for hit in app.screen.results] == [UNTRUSTED_TITLES[0]]
        assert "[@click=app.quit]Lire[/]" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.is_running
        assert main(app).reader.article is not None
        assert main(app).reader.article.title == UNTRUSTED_TITLES[0]


async def test_search_bar_explains_an_invalid_query(ui_store: Store, ui_paths: Paths) -> None:
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *'"budget')
        await settle(pilot)
        assert "Guillemet non fermé" in screen_text(app)
        assert app.screen.results == []
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
