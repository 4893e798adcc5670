"""A first run and a second one, through the pilot against real loopback servers: the welcome pane of an
empty cache (and its snapshots), a theme the settings name that Textual does not have, and the demo paper
across a restart on another port (links, followed dossiers and feeds still right, nothing ⚠, no second feed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer
from support.feeds import rss
from support.ui import make_app, new_paths, notices, screen_text, settle
from textual.pilot import Pilot

from gazette_tui.core.library.dossiers import editorial_dossiers
from gazette_tui.core.paths import Paths
from gazette_tui.core.seeds import gazette_feeds
from gazette_tui.core.settings import Settings
from gazette_tui.core.storage.store import Store
from gazette_tui.demo import DemoServer, feed_list
from gazette_tui.demo.server import prepare_profile

SnapCompare = Callable[..., bool]


@pytest.fixture
def ui_paths(tmp_path: Path) -> Paths:
    return new_paths(tmp_path)


@pytest.fixture
def first_run_store(ui_paths: Paths) -> Iterator[Store]:
    """A new profile as the CLI leaves it: La Gazette's feeds subscribed, nothing cached."""
    with Store(ui_paths.database) as store:
        store.add_feeds(gazette_feeds())
        yield store


async def test_an_empty_cache_offline_shows_the_welcome_pane_and_no_banner(
    first_run_store: Store, ui_paths: Paths
) -> None:
    app = make_app(first_run_store, ui_paths, offline=True, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Welcome to gazette-tui" in text
        assert "Started with --offline: nothing is fetched." in text
        assert "La Gazette des communes' public feeds, subscribed on the first run" in text
        for command in ("gazette-tui --demo", "gazette-tui feeds add URL", "gazette-tui import FILE.opml"):
            assert command in text
        assert "Offline — cached articles" not in text  # no banner over empty panes
        assert not app.main.query_one("#offline-banner").display
        assert not app.main.query_one("#list").display


async def test_the_welcome_pane_in_french_at_80_columns(first_run_store: Store, ui_paths: Paths) -> None:
    app = make_app(first_run_store, ui_paths, offline=True, language="fr")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Bienvenue dans gazette-tui" in text
        assert "gazette-tui --demo" in text  # shown beside the tree at once, not a key press away
        assert "Hors ligne — articles en cache" not in text


async def test_the_welcome_pane_goes_once_articles_arrive(
    httpserver: HTTPServer, ui_paths: Paths, settings: Settings
) -> None:
    httpserver.expect_request("/feed/").respond_with_data(rss(3, "Flux de la mairie"))
    with Store(ui_paths.database) as store:
        store.add_feed(httpserver.url_for("/feed/"), "Flux de la mairie")
        app = make_app(store, ui_paths, settings=settings, language="en")
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            await app.workers.wait_for_complete()
            await settle(pilot)
            assert not app.main.has_class("-welcome")
            assert len(app.main.articles.ids) == 3
            text = screen_text(app)
            assert "Welcome to gazette-tui" not in text
            assert "3 new articles" in text


def _snapshot(store: Store, paths: Paths) -> Any:
    return make_app(store, paths, offline=True)


def test_snapshot_welcome_120x36(snap_compare: SnapCompare, first_run_store: Store, ui_paths: Paths) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)

    assert snap_compare(_snapshot(first_run_store, ui_paths), terminal_size=(120, 36), run_before=run_before)


def test_snapshot_welcome_80x24(snap_compare: SnapCompare, first_run_store: Store, ui_paths: Paths) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)

    assert snap_compare(_snapshot(first_run_store, ui_paths), terminal_size=(80, 24), run_before=run_before)


async def test_a_theme_textual_does_not_have_is_said_not_ignored(
    first_run_store: Store, ui_paths: Paths
) -> None:
    ui_paths.config_file.write_text('[refresh]\ntimeout = 5.0\n\n[ui]\ntheme = "solarized-night"\n')
    settings = Settings()
    settings.ui.theme = "solarized-night"
    app = make_app(first_run_store, ui_paths, offline=True, language="en", settings=settings)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        said = [m for m in notices(app) if "ui.theme" in m]
        assert len(said) == 1
        assert f"{ui_paths.config_file}, line 5" in said[0]
        assert "“solarized-night” is not known" in said[0]
        assert "textual-dark" in said[0]  # the valid values
        assert app.theme == "textual-dark"  # the default meanwhile


# -- the demo across restarts ------------------------------------------------------------------------


def _one_dossier_article(store: Store) -> tuple[int, str]:
    """An article of the demo that links to exactly one of its dossiers: (id, that dossier's feed URL)."""
    for article_id in store.article_ids():
        found = editorial_dossiers(store.article(article_id))
        if len(found) == 1:
            return article_id, found[0].feed_url
    raise AssertionError("no demo article belongs to exactly one dossier")


async def _open_and_follow(app: Any, pilot: Pilot[Any], article_id: int) -> None:
    app.main.open_article(article_id)
    await settle(pilot)
    await pilot.press("a")
    await settle(pilot)
    await app.workers.wait_for_complete()
    await settle(pilot)


async def test_the_demo_keeps_working_across_a_restart_on_another_port(ui_paths: Paths) -> None:
    settings = Settings()
    settings.retention.days = 0  # as --demo does: the demo paper's dates are fixed
    settings.refresh.timeout = 10.0
    with DemoServer() as first, Store(ui_paths.database) as store:
        first_url = first.url
        prepare_profile(store, first_url)
        app = make_app(store, ui_paths, settings=settings, demo_url=first_url)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            await app.workers.wait_for_complete()
            await settle(pilot)
            article_id, dossier_feed = _one_dossier_article(store)
            store.remove_feed(dossier_feed)  # unfollowed, so that `a` follows it again
            await _open_and_follow(app, pilot, article_id)
            followed = store.feed(dossier_feed)
            assert followed is not None
            assert followed.last_ok is not None  # fetched at once from the first run's port
        count = len(store.feeds())
    assert count == len(feed_list(first_url))
    # The second run: the first port is gone (a cache of 0.1.0, or a run whose port was taken).
    with DemoServer() as second, Store(ui_paths.database) as store:
        assert second.url != first_url
        prepare_profile(store, second.url)
        app = make_app(store, ui_paths, settings=settings, demo_url=second.url)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            await app.workers.wait_for_complete()
            await settle(pilot)
            text = screen_text(app)
            assert "⚠" not in text  # every feed was reached where the demo runs today
            assert "Hors ligne" not in text
            feeds = store.feeds()
            assert len(feeds) == count  # nothing was added twice
            assert all(f.url.startswith(second.url + "/") and f.last_error is None for f in feeds)
            # `a` again on the same article: the dossier is recognised as followed, no second feed.
            await _open_and_follow(app, pilot, article_id)
            assert any("Vous suivez déjà le dossier" in m for m in notices(app))
            assert len(store.feeds()) == count
            # The article, its links and the dossier it names all lead to the site as it runs now.
            article = store.article(article_id)
            assert article.url.startswith(second.url + "/")
            local = [link for link in app.main.reader.links if "127.0.0.1" in link]
            assert local
            assert all(link.startswith(second.url + "/") for link in local)
            assert editorial_dossiers(article)[0].feed_url == second.url + dossier_feed[len(first_url) :]
        assert httpx.get(article.url, timeout=10).status_code == 200
