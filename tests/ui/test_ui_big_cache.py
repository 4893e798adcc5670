"""A big cache stays quick to open: a tree of many feeds starts with its rubriques folded and makes a
rubrique's feed lines only when it opens, and a long list shows its first page before it has read every id
(then keeps the cursor where the user put it). Real SQLite, Pilot."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.ui import make_app, new_paths, screen_text, settle

from gazette_tui.core.feeds.parse import build_entry
from gazette_tui.core.storage.store import ArticleFilter, Store
from gazette_tui.models import ParsedFeed
from gazette_tui.ui.widgets.article_list import ArticleList
from gazette_tui.ui.widgets.feed_tree import FOLD_ABOVE

RUBRIQUES = ("Finances", "Urbanisme", "Culture")
FEEDS = FOLD_ABOVE + 10
PER_FEED = 2


def big_store(path: Path) -> Store:
    store = Store(path)
    store.add_feeds(
        (f"https://exemple.test/{n}.xml", f"Flux {n:03d}", RUBRIQUES[n % len(RUBRIQUES)])
        for n in range(FEEDS)
    )
    for state in store.feed_states():
        n = int(state.url.rsplit("/", 1)[1].split(".")[0])
        entries = [
            build_entry(
                guid=f"{n}-{k}",
                link=f"https://exemple.test/{n}/{k}",
                title=f"Article {n}-{k}",
                author="",
                published=1_700_000_000 + n * 10 + k,
                updated=None,
                categories=[],
                summary="<p>Court.</p>",
                content="",
            )
            for k in range(PER_FEED)
        ]
        store.record_success(state.id, ParsedFeed("rss", f"Flux {n:03d}", "", entries), when=1_700_000_000)
    return store


async def test_a_tree_of_many_feeds_starts_folded_and_makes_feed_lines_on_opening(tmp_path: Path) -> None:
    paths = new_paths(tmp_path)
    store = big_store(paths.database)
    app = make_app(store, paths)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        tree = app.main.feed_tree
        made = [key for key in tree._by_key if key.startswith("feed:")]  # noqa: SLF001
        assert made == []  # no feed line made while every rubrique is folded
        # Every target is known all the same: counts, J/K and the palette see every feed.
        assert sum(1 for t in tree.all_targets() if t.kind == "feed") == FEEDS
        feed_keys = [t.key for t in tree.all_targets() if t.kind == "feed"]
        assert tree.feed_after(None, 1) == feed_keys[0]
        # Selecting a feed opens its rubrique, which makes that rubrique's lines only.
        assert tree.select_key(feed_keys[0])
        await settle(pilot)
        made = {key for key in tree._by_key if key.startswith("feed:")}  # noqa: SLF001
        first_rubrique = tree.target(feed_keys[0]).feed.rubrique  # type: ignore[union-attr]
        members = {
            t.key for t in tree.all_targets() if t.feed is not None and t.feed.rubrique == first_rubrique
        }
        assert made == members
        assert tree.current is not None
        assert tree.current.key == feed_keys[0]
        assert len(tree.feed_ids_under(f"rubrique:{first_rubrique}")) == len(members)
    store.close()


async def test_a_long_list_shows_its_first_page_then_every_id_keeping_the_cursor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = new_paths(tmp_path)
    store = big_store(paths.database)
    every = store.article_ids(ArticleFilter())
    assert len(every) == FEEDS * PER_FEED > 64
    shown: list[int] = []
    original = ArticleList.set_ids

    def recording(self, ids, keep_id=None, rows=None):  # type: ignore[no-untyped-def]
        shown.append(len(ids))
        original(self, ids, keep_id, rows)

    monkeypatch.setattr(ArticleList, "set_ids", recording)
    app = make_app(store, paths)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        articles = app.main.articles
        assert shown[:2] == [64, len(every)]  # the first page, then the whole list
        assert articles.ids == every
        assert articles.count == len(every)
        assert f"Article {FEEDS - 1}-{PER_FEED - 1}" in screen_text(app)
        # The cursor moved in the first page stays on its article when the list is read again.
        app.main.go("list")
        await pilot.press("j", "j", "j")
        chosen = articles.current_id
        app.main.loader.reload_ids(chosen)
        await settle(pilot)
        assert articles.current_id == chosen
        assert articles.cursor == 3
        assert articles.position_of(every[-1]) == len(every) - 1
        assert articles.position_of(-5) is None
    store.close()
