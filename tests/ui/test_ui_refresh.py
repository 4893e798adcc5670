"""Refreshing from the TUI against real HTTP servers on 127.0.0.1: progress, new articles in the list, a
failing feed marked in the tree with its error on demand, and the offline banner when nothing answers."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from support.feeds import rss
from support.french import typo
from support.ui import make_app, new_paths, notices, screen_text, settle
from werkzeug import Response

from gazette_tui.core.paths import Paths
from gazette_tui.core.settings import Settings
from gazette_tui.core.storage.store import Store
from gazette_tui.ui.dialogs.feed_error import FeedErrorDialog


@pytest.fixture
def ui_paths(tmp_path: Path) -> Paths:
    return new_paths(tmp_path)


@pytest.fixture
def empty_store(ui_paths: Paths) -> Iterator[Store]:
    with Store(ui_paths.database) as store:
        yield store


@pytest.fixture
def quick() -> Settings:
    settings = Settings()
    settings.refresh.timeout = 3.0
    return settings


def closed_port() -> int:
    """A port on 127.0.0.1 with nothing listening: connections are refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_refresh_shows_new_articles_and_a_failing_feed(
    httpserver: HTTPServer, empty_store: Store, ui_paths: Paths, quick: Settings
) -> None:
    httpserver.expect_request("/ok/").respond_with_data(
        rss(3, "Flux qui marche"), content_type="application/rss+xml"
    )
    httpserver.expect_request("/broken/").respond_with_response(Response("panne", status=500))
    empty_store.add_feed(httpserver.url_for("/ok/"), "Flux qui marche", "Finances")
    broken = empty_store.add_feed(httpserver.url_for("/broken/"), "Flux en panne", "Finances")
    app = make_app(empty_store, ui_paths, settings=quick)
    async with app.run_test(size=(120, 36)) as pilot:
        # Nothing cached yet: a first run refreshes by itself, no key needed.
        await settle(pilot)
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert len(app.main.articles.ids) == 3
        text = screen_text(app)
        assert "⚠ Flux en panne" in text
        assert typo("3 nouveaux articles · 1 flux en erreur (e : détails)") in text
        assert "Hors ligne" not in text
        app.main.goto(f"feed:{broken.id}")
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, FeedErrorDialog)
        details = screen_text(app)
        assert "500" in details
        assert httpserver.url_for("/broken/") in details
        await pilot.press("escape")
        # R refreshes just the selected feed.
        before = len(httpserver.log)
        await pilot.press("R")
        await settle(pilot)
        assert [request.path for request, _ in httpserver.log[before:]] == ["/broken/"]


async def test_refresh_progress_is_shown_while_feeds_load(
    httpserver: HTTPServer, empty_store: Store, ui_paths: Paths, quick: Settings
) -> None:
    seen: list[str] = []
    for n in range(3):
        httpserver.expect_request(f"/f{n}/").respond_with_data(rss(1, f"Flux {n}"))
        empty_store.add_feed(httpserver.url_for(f"/f{n}/"), f"Flux {n}")
    app = make_app(empty_store, ui_paths, settings=quick)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        original = app.main.status.progress

        def spy(done: int, total: int) -> None:
            seen.append(f"{done}/{total}")
            original(done, total)

        app.main.status.progress = spy  # type: ignore[method-assign]
        await pilot.press("r")
        await settle(pilot)
    assert seen[0] == "0/0"
    assert seen[-1] == "3/3"
    assert all(re.fullmatch(r"\d/\d", step) for step in seen)


async def test_unreachable_network_on_a_first_run_shows_the_welcome_not_a_banner(
    empty_store: Store, ui_paths: Paths, quick: Settings
) -> None:
    port = closed_port()
    for n in range(2):
        empty_store.add_feed(f"http://127.0.0.1:{port}/feed{n}/", f"Injoignable {n}")
    app = make_app(empty_store, ui_paths, settings=quick, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        # The first run's own refresh finds no network and nothing is cached: no banner over empty panes,
        # the welcome pane says what happened and how to go on.
        await settle(pilot)
        await app.workers.wait_for_complete()
        await settle(pilot)
        text = screen_text(app)
        assert "Offline — cached articles" not in text
        assert "No feed could be reached" in text
        assert "gazette-tui --demo" in text
        assert app.main.has_class("-welcome")
        assert not app.main.query_one("#offline-banner").display


async def test_the_offline_banner_when_no_feed_answers_over_a_cache(
    httpserver: HTTPServer, empty_store: Store, ui_paths: Paths, quick: Settings
) -> None:
    httpserver.expect_request("/a/").respond_with_data(rss(2, "Flux A"))
    httpserver.expect_request("/b/").respond_with_data(rss(3, "Flux B"))
    empty_store.add_feed(httpserver.url_for("/a/"), "Flux A")
    empty_store.add_feed(httpserver.url_for("/b/"), "Flux B")
    app = make_app(empty_store, ui_paths, settings=quick, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await app.workers.wait_for_complete()
        await settle(pilot)
        cached = list(app.main.articles.ids)
        assert cached
        assert not app.main.has_class("-welcome")
        httpserver.stop()  # the network goes: every feed's connection is refused
        await pilot.press("r")
        await settle(pilot)
        text = screen_text(app)
        assert "Offline — cached articles" in text
        assert "Offline: no feed could be reached" in text
        assert app.main.articles.ids == cached  # the cache is all there


async def test_one_failing_feed_marks_itself_and_says_nothing_of_offline(
    httpserver: HTTPServer, empty_store: Store, ui_paths: Paths, quick: Settings
) -> None:
    httpserver.expect_request("/ok/").respond_with_data(rss(2, "Flux qui marche"))
    empty_store.add_feed(httpserver.url_for("/ok/"), "Flux qui marche")
    dead = empty_store.add_feed(f"http://127.0.0.1:{closed_port()}/feed/", "Flux arrêté")
    app = make_app(empty_store, ui_paths, settings=quick, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await app.workers.wait_for_complete()
        await settle(pilot)
        # The first run refreshes every feed: the one that fails shows ⚠, said in the status line, no more.
        text = screen_text(app)
        assert "⚠ Flux arrêté" in text
        assert "2 new articles · 1 feed failed (e: details)" in text
        assert "Offline" not in text
        assert not any("failed" in said for said in notices(app))
        # R on the one feed that fails (a refresh of that feed only): ⚠ on it, the answer, no « Offline ».
        assert app.main.feed_tree.select_key(f"feed:{dead.id}")
        await pilot.press("R")
        await settle(pilot)
        text = screen_text(app)
        assert "⚠ Flux arrêté" in text
        assert "Offline" not in text
        assert not app.main.query_one("#offline-banner").display
        assert any("1 feed failed" in said for said in notices(app))


async def test_auto_refresh_at_start_when_configured(
    httpserver: HTTPServer, empty_store: Store, ui_paths: Paths, quick: Settings
) -> None:
    httpserver.expect_request("/auto/").respond_with_data(rss(2, "Auto"))
    empty_store.add_feed(httpserver.url_for("/auto/"), "Auto")
    quick.refresh.auto_minutes = 30
    app = make_app(empty_store, ui_paths, settings=quick)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert len(app.main.articles.ids) == 2


async def test_demo_mode_says_so_and_refreshes_at_start(
    httpserver: HTTPServer, empty_store: Store, ui_paths: Paths, quick: Settings
) -> None:
    httpserver.expect_request("/demo/").respond_with_data(rss(4, "Démo"))
    empty_store.add_feed(httpserver.url_for("/demo/"), "Démo")
    app = make_app(empty_store, ui_paths, settings=quick, demo_url=httpserver.url_for("/"))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert "Démo" in screen_text(app).splitlines()[0]
        assert len(app.main.articles.ids) == 4


async def test_a_feed_with_unreadable_items_shows_the_rest_and_says_how_many(
    httpserver: HTTPServer, empty_store: Store, ui_paths: Paths, quick: Settings
) -> None:
    """A JSON Feed with one item that is not an object: the good items are listed, the feed is marked,
    ``e`` says how many were skipped; an undated item shows no date and an external_url is a link."""
    document = {
        "version": "http://jsonfeed.org/version/1",
        "title": "Carnet",
        "items": [
            {
                "id": "1",
                "title": "Billet daté",
                "date_published": "2026-11-20T09:00:00Z",
                "content_text": "a",
            },
            ["pas", "un", "objet"],
            {
                "id": "3",
                "title": "Billet sans date",
                "content_text": "Un commentaire de la délibération.",
                "external_url": "https://deliberations.test/2026/42",
            },
        ],
    }
    httpserver.expect_request("/carnet.json").respond_with_json(document)
    feed = empty_store.add_feed(httpserver.url_for("/carnet.json"), "Carnet")
    app = make_app(empty_store, ui_paths, settings=quick)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert "⚠ Carnet" in screen_text(app)
        app.main.goto(f"feed:{feed.id}")
        await settle(pilot)
        text = screen_text(app)
        assert "Billet daté" in text
        assert "Billet sans date" in text
        assert "20/11/2026" in text
        undated = next(line for line in text.splitlines() if "Billet sans date" in line)
        assert not re.search(r"\d\d/\d\d/\d{4}", undated)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, FeedErrorDialog)
        assert typo("1 article illisible ignoré ; les autres ont été enregistrés") in screen_text(app)
        await pilot.press("escape")
    stored = empty_store.article(max(empty_store.article_ids()))
    assert stored.undated
    assert stored.external_url == "https://deliberations.test/2026/42"
