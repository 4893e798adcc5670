"""Small promises of the list and tree: copies of removed feeds say so, a broken alerte says why."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support.ui import filled_store, make_app, new_paths, notices, screen_text, settle

from gazette_tui.core.paths import Paths
from gazette_tui.core.search import alerts
from gazette_tui.core.storage.store import Store

SIZE = (120, 36)


@pytest.fixture
def ui_paths(tmp_path: Path) -> Paths:
    return new_paths(tmp_path)


@pytest.fixture
def ui_store(ui_paths: Paths) -> Iterator[Store]:
    yield from filled_store(ui_paths)


async def test_a_starred_article_of_a_removed_feed_says_flux_supprime(
    ui_store: Store, ui_paths: Paths
) -> None:
    feed = ui_store.feed("https://example.org/finances/feed/")
    assert feed is not None
    from gazette_tui.core.storage.store import ArticleFilter

    kept = ui_store.article_ids(ArticleFilter(feed_id=feed.id))[0]
    ui_store.set_starred(kept, True)
    ui_store.remove_feed(feed.url)
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main.goto("starred")
        await settle(pilot)
        assert app.main.articles.ids == [kept]
        assert "flux supprimé" in screen_text(app)


async def test_a_broken_alerte_says_why_its_list_is_empty(ui_store: Store, ui_paths: Paths) -> None:
    alert = alerts.save_alert(ui_store, "Finances", 'feed:"Club Finances" budget')
    ui_store.remove_feed("https://example.org/finances/feed/")  # the alerte's feed is gone
    [listed] = alerts.list_alerts(ui_store)
    assert listed.error
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main.goto(f"alert:{alert.id}")
        await settle(pilot)
        messages = notices(app)
        assert any("Finances" in m and listed.error in m for m in messages), messages
        assert app.main.articles.ids == []
