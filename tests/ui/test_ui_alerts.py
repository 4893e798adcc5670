"""Alertes in the TUI, on a real SQLite store: saving a search (inline errors), the tree section with
new-match counts, an alerte's results as the list (seen once opened), and the notification (and bell)
after a refresh against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from support.feeds import item_xml, rss
from support.french import typo
from support.ui import NOW, filled_store, make_app, new_paths, notices, palette_prompts, screen_text, settle
from textual.pilot import Pilot
from textual.widgets import Input

from gazette_tui.core.feeds.parse import build_entry
from gazette_tui.core.paths import Paths
from gazette_tui.core.search import alerts
from gazette_tui.core.settings import Settings
from gazette_tui.core.storage.store import Store
from gazette_tui.models import ParsedFeed
from gazette_tui.ui.dialogs.save_alert import SaveAlertDialog, save_search_as_alert

SIZE = (120, 36)


@pytest.fixture
def ui_paths(tmp_path: Path) -> Paths:
    return new_paths(tmp_path)


@pytest.fixture
def ui_store(ui_paths: Paths) -> Iterator[Store]:
    yield from filled_store(ui_paths)


async def submit(pilot: Pilot[int], name: str, query: str) -> None:
    screen = pilot.app.screen
    screen.query_one("#alert-name", Input).value = name
    screen.query_one("#alert-query", Input).value = query
    screen.query_one("#alert-name", Input).focus()
    await pilot.press("enter")
    await settle(pilot)


def add_articles(store: Store, titles: list[str]) -> None:
    """New articles arriving in the "Club Finances" feed after the alerte was saved."""
    feed = store.feed("https://example.org/finances/feed/")
    assert feed is not None
    entries = [
        build_entry(
            guid=f"nouveau{n}",
            link=f"https://example.org/nouveau{n}",
            title=title,
            author="",
            published=NOW + n * 60,
            updated=None,
            categories=[],
            summary=f"<p>{title}</p>",
            content="",
        )
        for n, title in enumerate(titles, 1)
    ]
    store.record_success(
        feed.id, ParsedFeed("rss", "Club Finances", "https://example.org", entries), when=NOW
    )


async def test_save_a_search_as_an_alerte(ui_store: Store, ui_paths: Paths) -> None:
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        assert isinstance(app.screen, SaveAlertDialog)
        for name, query, why in [
            ("", "budget", "Donnez un nom"),
            ("Budget", "   ", "recherche de l'alerte est vide"),
            ("Budget", "feed:inexistant", "Aucun flux ne correspond"),
        ]:
            await submit(pilot, name, query)
            assert isinstance(app.screen, SaveAlertDialog)
            assert typo(why) in str(app.screen.query_one("#alert-error").render())
        await submit(pilot, "Budget", "budget")
        assert not isinstance(app.screen, SaveAlertDialog)
        [saved] = alerts.list_alerts(ui_store)
        assert (saved.name, saved.query, saved.new) == ("Budget", "budget", 0)
        assert "Alertes" in screen_text(app)
        assert "Budget" in screen_text(app)
        assert any(typo("Alerte « Budget » enregistrée") in m for m in notices(app))

        # A duplicate name (any case) is refused in the dialog.
        await pilot.press("S")
        await settle(pilot)
        await submit(pilot, "BUDGET", "dotations")
        assert typo("Une alerte s'appelle déjà") in str(app.screen.query_one("#alert-error").render())
        await pilot.press("escape")
        await settle(pilot)

        # What the search bar calls: the dialog opens with its query filled in.
        save_search_as_alert(app, "author:Durand dotations")
        await settle(pilot)
        assert isinstance(app.screen, SaveAlertDialog)
        assert app.screen.query_one("#alert-query", Input).value == "author:Durand dotations"
        await submit(pilot, "Dotations", "author:Durand dotations")
        assert sorted(a.name for a in alerts.list_alerts(ui_store)) == ["Budget", "Dotations"]


async def test_the_palette_saves_a_search_as_an_alerte(ui_store: Store, ui_paths: Paths) -> None:
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        prompts = await palette_prompts(pilot, "Enregistrer la recherche")
        assert any("Enregistrer la recherche comme alerte…" in p for p in prompts), prompts
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SaveAlertDialog)


async def test_tree_counts_new_matches_and_opening_an_alerte_marks_it_seen(
    ui_store: Store, ui_paths: Paths
) -> None:
    alert = alerts.save_alert(ui_store, "Voirie", "voirie")
    before = {hit.row.id for hit in alerts.alert_hits(ui_store, "Voirie")}
    add_articles(
        ui_store, ["Travaux de voirie : le plan pluriannuel", "Voirie communale : qui paie ?", "Sport"]
    )
    assert [a.new for a in alerts.list_alerts(ui_store)] == [2]
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Alertes  2" in text
        assert "Voirie  2" in text
        app.main.goto(f"alert:{alert.id}")
        await settle(pilot)
        expected = [hit.row.id for hit in alerts.alert_hits(ui_store, "Voirie", limit=500)]
        assert app.main.articles.ids == expected
        assert len(expected) == len(before) + 2
        # Opened: seen. The tree's counts go.
        assert [a.new for a in alerts.list_alerts(ui_store)] == [0]
        text = screen_text(app)
        assert "Voirie  2" not in text
        assert "Alertes  2" not in text
        # "All read" on an alerte's list marks exactly its results, nothing else.
        unread_before = set(ui_store.article_ids()) - set(expected)
        await pilot.press("A")
        await settle(pilot)
        assert all(ui_store.article(i).read for i in expected)
        assert all(not ui_store.article(i).read for i in unread_before if i not in expected)


async def test_a_refresh_announces_new_matches_with_a_bell(
    httpserver: HTTPServer, ui_paths: Paths, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = [item_xml(1), item_xml(2)]  # no "budget" in them
    httpserver.expect_request("/finances/").respond_with_data(rss(items, "Finances"))
    settings.ui.bell_on_alert = True
    with Store(ui_paths.database) as store:
        store.add_feed(httpserver.url_for("/finances/"), "Finances", "Finances")
        alerts.save_alert(store, "Budget", "budget")
        app = make_app(store, ui_paths, settings=settings)
        bells: list[bool] = []
        monkeypatch.setattr(app, "bell", lambda: bells.append(True))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("r")
            await settle(pilot)
            assert len(app.main.articles.ids) == 2
            assert not any("Alertes —" in m for m in notices(app))
            assert bells == []

            # The feed now has two articles about the budget (items 0 and 5 of the generator).
            httpserver.clear()
            httpserver.expect_request("/finances/").respond_with_data(
                rss([item_xml(0), *items, item_xml(5)], "Finances")
            )
            await pilot.press("r")
            await settle(pilot)
            expected = alerts.list_alerts(store)[0].new
            assert expected == 2
            assert typo("Alertes — « Budget » : 2 nouveaux articles") in notices(app)
            assert bells == [True]
            assert "Budget  2" in screen_text(app)

            # The same feed again: nothing new, nothing announced, no bell.
            await pilot.press("r")
            await settle(pilot)
            assert notices(app).count(typo("Alertes — « Budget » : 2 nouveaux articles")) == 1
            assert bells == [True]


async def test_no_bell_unless_asked(httpserver: HTTPServer, ui_paths: Paths, settings: Settings) -> None:
    httpserver.expect_request("/f/").respond_with_data(rss([item_xml(0)], "Finances"))
    with Store(ui_paths.database) as store:
        store.add_feed(httpserver.url_for("/f/"), "Finances")
        alerts.save_alert(store, "Budget", "budget")
        app = make_app(store, ui_paths, settings=settings)
        bells: list[bool] = []
        app.bell = lambda: bells.append(True)  # type: ignore[method-assign]
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("r")
            await settle(pilot)
            assert typo("Alertes — « Budget » : 1 nouvel article") in notices(app)
            assert bells == []


async def test_the_search_bar_hands_its_query_to_the_alerte_dialog(ui_store: Store, ui_paths: Paths) -> None:
    from gazette_tui.ui.dialogs.search import SearchDialog

    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(app.screen, SearchDialog)
        await pilot.press(*"voirie")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SaveAlertDialog)
        assert app.screen.query_one("#alert-query", Input).value == "voirie"
        await submit(pilot, "Voirie", "voirie")
        assert isinstance(app.screen, SearchDialog)  # back to the results
        assert [a.name for a in alerts.list_alerts(ui_store)] == ["Voirie"]
        await pilot.press("escape")
        await settle(pilot)
        assert "Voirie" in screen_text(app)
        assert "Alertes" in screen_text(app)
