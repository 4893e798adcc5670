"""Pilot tests of the full text from the article's page: F on an open article fetches its page from a real
site on 127.0.0.1 and the reader shows the full text, or says inline why not; a refresh of a feed whose
``fulltext`` is on shows its pages' count in the status line; offline, F says it cannot; on a reserved
article of a site one is logged in to, F goes through the subscriber's session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support.accounts import TEST_EMAIL, TEST_PASSWORD, MemoryKeyring
from support.french import typo
from support.pages import NewsSite, Page, article_words
from support.ui import make_app, new_paths, notices, screen_text, settle
from textual.pilot import Pilot

from gazette_tui.core.cycle import run_cycle
from gazette_tui.core.feeds import feed_settings
from gazette_tui.core.paths import Paths
from gazette_tui.core.settings import Settings
from gazette_tui.core.storage.store import Store
from gazette_tui.demo import DemoServer
from gazette_tui.demo.pages import RESERVED_NOTICE
from gazette_tui.text import html_to_text
from gazette_tui.ui.app import GazetteApp

SIZE = (120, 36)


@pytest.fixture
def ui_paths(tmp_path: Path) -> Paths:
    return new_paths(tmp_path)


@pytest.fixture
def site() -> Iterator[NewsSite]:
    with NewsSite(count=3) as server:
        yield server


@pytest.fixture
def ui_store(ui_paths: Paths) -> Iterator[Store]:
    with Store(ui_paths.database) as store:
        yield store


@pytest.fixture
def quick() -> Settings:
    settings = Settings()
    settings.refresh.timeout = 3.0
    return settings


async def cached(store: Store, site: NewsSite, settings: Settings) -> dict[int, int]:
    """The site's feed subscribed (full text off) and refreshed; article number → id."""
    store.add_feed(site.feed_url, "Le Courrier des communes")
    await run_cycle(store, settings)
    found = {}
    for article_id in store.article_ids():
        found[int(store.article(article_id).url.rstrip("/").rsplit("/", 1)[1])] = article_id
    return found


async def open_article(app: GazetteApp, pilot: Pilot[int], article_id: int) -> None:
    app.main.open_article(article_id)
    await settle(pilot)
    assert app.main.reader.article is not None
    assert app.main.reader.article.id == article_id


async def test_F_fetches_the_full_text_and_the_reader_shows_it(
    ui_store: Store, ui_paths: Paths, site: NewsSite, quick: Settings
) -> None:
    ids = await cached(ui_store, site, quick)
    assert site.page_hits() == 0  # the feed's setting is off: no page until asked
    app = make_app(ui_store, ui_paths, settings=quick)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(app, pilot, ids[1])
        assert typo("Extrait seulement :") in screen_text(app)
        await pilot.press("F")
        await settle(pilot)
        assert site.page_hits() == 1
        assert article_words(1) in ui_store.article(ids[1]).fulltext_html
        text = screen_text(app)
        assert article_words(1) in text  # the reader shows the body from the page
        assert "texte intégral" in text  # and marks it
        assert typo("Texte intégral récupéré depuis la page de l'article.") in notices(app)


async def test_F_says_inline_why_there_is_no_full_text(
    ui_store: Store, ui_paths: Paths, site: NewsSite, quick: Settings
) -> None:
    site.pages[site.article_path(2)] = Page(b"<html><body>introuvable</body></html>", status=404)
    ids = await cached(ui_store, site, quick)
    app = make_app(ui_store, ui_paths, settings=quick, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(app, pilot, ids[2])
        await pilot.press("F")
        await settle(pilot)
        said = "The full text could not be fetched: HTTP 404"
        assert said in screen_text(app)  # inline, over the article
        assert any(said in notice for notice in notices(app))
        assert ui_store.article(ids[2]).fulltext_html == ""
        # Opened again later, the article still says why (the reason is kept), and that F tries again.
        app.main.open_article(ids[1])
        await settle(pilot)
        await open_article(app, pilot, ids[2])
        notice = app.main.reader.rendered.notice
        assert notice.endswith("Full text not fetched from the article's page: HTTP 404 (F tries again)")
        assert "(F tries again)" in screen_text(app)


async def test_a_refresh_says_how_many_full_texts_its_pages_gave(
    ui_store: Store, ui_paths: Paths, site: NewsSite, quick: Settings
) -> None:
    ui_store.add_feed(site.feed_url, "Le Courrier des communes")
    feed_settings.set_feed(ui_store, site.feed_url, "fulltext", "on")
    app = make_app(ui_store, ui_paths, settings=quick)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)  # an empty cache: the first run refreshes at once
        status = app.main.status.text
        assert "3 nouveaux articles" in status
        assert "3 textes intégraux tirés de leur page" in status
        assert site.page_hits() == 3
        assert all(ui_store.article(i).fulltext_html for i in ui_store.article_ids())
        await pilot.press("r")
        await settle(pilot)
        assert site.page_hits() == 3  # a page is never fetched twice
        assert "textes intégraux" not in app.main.status.text


async def test_F_offline_or_without_an_article(
    ui_store: Store, ui_paths: Paths, site: NewsSite, quick: Settings
) -> None:
    ids = await cached(ui_store, site, quick)
    app = make_app(ui_store, ui_paths, settings=quick, offline=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(app, pilot, ids[0])
        await pilot.press("F")
        await settle(pilot)
        assert typo("Démarré hors ligne (--offline) : aucune page ne peut être récupérée.") in notices(app)
        assert site.page_hits() == 0


async def test_F_on_a_reserved_article_goes_through_the_subscribers_session(
    demo: DemoServer, ui_store: Store, ui_paths: Paths, quick: Settings, memory_keyring: MemoryKeyring
) -> None:
    ui_store.add_feeds(demo.feed_list()[:1])
    assert (await run_cycle(ui_store, quick)).refresh.ok == 1
    reserved = [i for i in ui_store.article_ids() if ui_store.article(i).reserved]
    app = make_app(ui_store, ui_paths, settings=quick, demo_url=demo.url)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.session.accounts.login("demo", TEST_EMAIL, TEST_PASSWORD, site_url=demo.url)
        await open_article(app, pilot, reserved[0])
        await pilot.press("F")
        await settle(pilot)
        shown = app.main.reader.article
        assert shown is not None
        assert shown.id == reserved[0]
        assert shown.fulltext_html  # the page as the subscriber sees it, not the paywall
        assert RESERVED_NOTICE not in html_to_text(shown.fulltext_html)
        assert ui_store.pages.error(reserved[0]) is None  # the session's own pass, not a public page's
