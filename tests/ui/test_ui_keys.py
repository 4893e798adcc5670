"""Pilot tests of the keys a newsboat user expects (g/G in the tree, J/K between feeds, H to hide read
articles, q one level back and out from the top, Q out from anywhere, the "newsboat" preset), of the counts
the app says (A counts each article once, however many feeds carry it) and of the refresh report that goes
away once seen; on real SQLite files, a real HTTP server on 127.0.0.1 for the refresh."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from rich.console import Console
from support.feeds import item_xml, rss
from support.ui import NOW, filled_store, make_app, new_paths, notices, palette_prompts, screen_text, settle
from textual.pilot import Pilot
from textual.widgets import Input, RadioButton

from gazette_tui.core.feeds.parse import build_entry
from gazette_tui.core.library import dossiers
from gazette_tui.core.paths import Paths
from gazette_tui.core.settings import Settings, load_settings
from gazette_tui.core.storage.store import ArticleFilter, Store
from gazette_tui.models import ParsedFeed
from gazette_tui.ui.app import GazetteApp
from gazette_tui.ui.bindings import KEYMAP_PRESETS, unique_bindings
from gazette_tui.ui.dialogs.export import ExportDialog
from gazette_tui.ui.dialogs.help import HelpDialog


@pytest.fixture
def ui_paths(tmp_path: Path) -> Paths:
    return new_paths(tmp_path)


@pytest.fixture
def ui_store(ui_paths: Paths) -> Iterator[Store]:
    yield from filled_store(ui_paths)


def shown(app: GazetteApp) -> str | None:
    """The key of the tree line whose list is shown."""
    target = app.main.target
    return target.key if target is not None else None


def feed_keys(store: Store) -> list[str]:
    """The feed lines of the tree, top to bottom: by rubrique as the tree groups them, then loose feeds."""
    feeds = store.feeds()
    grouped: dict[str, list[str]] = {}
    for feed in feeds:
        if feed.rubrique:
            grouped.setdefault(feed.rubrique, []).append(f"feed:{feed.id}")
    loose = [f"feed:{feed.id}" for feed in feeds if not feed.rubrique]
    return [key for keys in grouped.values() for key in keys] + loose


async def press(pilot: Pilot[int], *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


# -- the tree: g/G, J/K --------------------------------------------------------------------------------


async def test_g_and_G_go_to_the_first_and_last_lines_of_the_tree(ui_store: Store, ui_paths: Paths) -> None:
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        tree = app.main.feed_tree
        assert app.focused is tree
        await press(pilot, "G")
        assert tree.cursor_line == tree.last_line > 0
        assert shown(app) == feed_keys(ui_store)[-1]  # the loose feed, last of the tree
        await press(pilot, "g")
        assert tree.cursor_line == 0
        assert shown(app) == "all"


async def test_J_and_K_show_the_next_and_previous_feed(ui_store: Store, ui_paths: Paths) -> None:
    order = feed_keys(ui_store)
    assert len(order) == 4
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        # From "Toutes", in the tree: the first feed, the focus stays in the tree.
        await press(pilot, "J")
        assert shown(app) == order[0]
        assert app.main.pane == "tree"
        assert app.main.feed_tree.current is not None
        assert app.main.feed_tree.current.key == order[0]
        # From the list: the next feed's list, the focus in the list; its articles are that feed's.
        await press(pilot, "l", "J")
        assert shown(app) == order[1]
        assert app.main.pane == "list"
        await press(pilot, "J", "J")
        assert shown(app) == order[3]
        feed_id = int(order[3].split(":")[1])
        assert app.main.articles.ids == ui_store.article_ids(ArticleFilter(feed_id=feed_id))
        # Past the last feed: said, and the list stays.
        await press(pilot, "J")
        assert shown(app) == order[3]
        assert notices(app)[-1] == "Pas de flux après celui-ci."
        await press(pilot, "K")
        assert shown(app) == order[2]
        # From the reader too: the list of the previous feed.
        await press(pilot, "enter")
        assert app.main.pane == "reader"
        await press(pilot, "K")
        assert shown(app) == order[1]
        assert app.main.pane == "list"


# -- q and Q -------------------------------------------------------------------------------------------


async def test_q_goes_back_one_level_and_quits_from_the_feeds(ui_store: Store, ui_paths: Paths) -> None:
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "l", "enter")
        assert app.main.pane == "reader"
        await press(pilot, "q")
        assert app.main.pane == "list"
        assert app.return_code is None
        await press(pilot, "q")
        assert app.main.pane == "tree"
        assert app.return_code is None
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0


@pytest.mark.parametrize("where", ["reader", "help"])
async def test_Q_quits_from_anywhere(ui_store: Store, ui_paths: Paths, where: str) -> None:
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await press(pilot, "l", "enter")
        assert app.main.pane == "reader"
        if where == "help":
            await press(pilot, "question_mark")
            assert isinstance(app.screen, HelpDialog)
        await pilot.press("Q")
        await pilot.pause()
        assert app.return_code == 0


async def test_q_in_a_text_field_is_a_letter(ui_store: Store, ui_paths: Paths) -> None:
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await press(pilot, "slash", "q", "Q")
        assert app.return_code is None
        assert "qQ" in screen_text(app)


# -- hiding read articles ------------------------------------------------------------------------------


async def test_H_hides_read_articles_and_remembers_it(ui_store: Store, ui_paths: Paths) -> None:
    every = ui_store.article_ids()
    ui_store.set_read(every[:5], True)
    unread = ui_store.article_ids(ArticleFilter(unread=True))
    ui_store.set_starred(every[0], True)  # read and starred
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.main.articles.ids == every
        await press(pilot, "H")
        assert app.main.articles.ids == unread
        assert notices(app)[-1] == "Articles lus masqués."
        assert "non lus seulement" in screen_text(app)
        # Favourites are a list of the user's: everything shows.
        app.main.goto("starred")
        await settle(pilot)
        assert app.main.articles.ids == [every[0]]
        assert "non lus seulement" not in screen_text(app)
        # A feed's list hides its read articles too.
        app.main.goto(feed_keys(ui_store)[0])
        await settle(pilot)
        feed_id = int(feed_keys(ui_store)[0].split(":")[1])
        assert app.main.articles.ids == ui_store.article_ids(ArticleFilter(feed_id=feed_id, unread=True))
        await app.workers.wait_for_complete()
    # Saved in config.toml: the next start hides them from the first list.
    settings = load_settings(ui_paths.config_file, {})
    assert settings.ui.hide_read is True
    app = make_app(ui_store, ui_paths, settings=settings)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.main.articles.ids == unread
        await press(pilot, "H")
        assert app.main.articles.ids == every
        assert notices(app)[-1] == "Articles lus affichés."
        await app.workers.wait_for_complete()
    assert load_settings(ui_paths.config_file, {}).ui.hide_read is False


async def test_all_read_empties_a_list_that_hides_read_articles(ui_store: Store, ui_paths: Paths) -> None:
    settings = Settings()
    settings.ui.hide_read = True
    app = make_app(ui_store, ui_paths, settings=settings)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        before = list(app.main.articles.ids)
        assert before
        await press(pilot, "l", "A")
        assert app.main.articles.ids == []
        await press(pilot, "u")
        assert app.main.articles.ids == before


# -- counts --------------------------------------------------------------------------------------------


def add_copies(store: Store) -> list[int]:
    """A second feed carrying the same links as three articles already cached (La Gazette's "À la une" and
    its rubriques do this): each of those articles is now stored twice, listed once."""
    originals = store.article_ids()[:3]
    rows = store.article_rows(originals)
    feed = store.add_feed("https://example.org/une/feed/", "À la une", "À la une")
    entries = [
        build_entry(
            guid=f"une-{row.id}",
            link=row.url,
            title=row.title,
            author="",
            published=row.published,
            updated=None,
            categories=[],
            summary="<p>Repris à la une.</p>",
            content="",
        )
        for row in rows
    ]
    store.record_success(feed.id, ParsedFeed("rss", "À la une", "https://example.org", entries), when=NOW)
    return originals


async def test_all_read_counts_each_article_once(ui_store: Store, ui_paths: Paths) -> None:
    add_copies(ui_store)
    unread = ui_store.counts()["unread"]
    rows = sum(len(ui_store.article_ids(ArticleFilter(feed_id=f.id, unread=True))) for f in ui_store.feeds())
    assert rows == unread + 3  # the copies are rows of their own, listed once in "Toutes"
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await press(pilot, "l", "A")
        assert notices(app)[-1] == f"{unread} articles marqués comme lus — u pour annuler."
        assert ui_store.counts()["unread"] == 0
        await press(pilot, "u")
        assert notices(app)[-1] == f"{unread} articles de nouveau non lus."
        assert ui_store.counts()["unread"] == unread


async def test_all_read_on_a_dossier_with_one_unread_article(ui_store: Store, ui_paths: Paths) -> None:
    originals = add_copies(ui_store)
    dossier = dossiers.create(ui_store, "Veille")
    for article_id in originals:
        dossiers.add_article(ui_store, dossier.id, article_id)
    ui_store.set_read(originals[1:], True)  # one unread article, stored in two feeds
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.main.goto(f"dossier:{dossier.id}")
        await settle(pilot)
        await press(pilot, "A")
        assert notices(app)[-1] == "1 article marqué comme lu — u pour annuler."
        assert ui_store.article(originals[0]).read


# -- the refresh's report goes once seen ---------------------------------------------------------------


async def test_the_new_articles_report_goes_away_once_seen(httpserver: HTTPServer, ui_paths: Paths) -> None:
    httpserver.expect_request("/feed/").respond_with_data(
        rss([item_xml(i) for i in range(4)], "Flux d'essai"), content_type="application/rss+xml"
    )
    settings = Settings()
    settings.refresh.timeout = 5.0
    with Store(ui_paths.database) as store:
        store.add_feed(httpserver.url_for("/feed/"), "Flux d'essai", "Finances")
        app = make_app(store, ui_paths, settings=settings)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            await app.workers.wait_for_complete()  # a first run refreshes by itself
            await settle(pilot)
            report = "4 nouveaux articles"
            assert app.main.status.text == report
            # Focus moves and refreshes of the list are not the user looking at it.
            await press(pilot, "tab")
            app.main.loader.reload_ids(app.main.articles.current_id)
            await settle(pilot)
            assert app.main.status.text == report
            # A move in the list is.
            app.main.go("list")
            await settle(pilot)
            assert app.main.status.text == report
            await press(pilot, "j")
            assert app.main.status.text == ""
            # The next report stays until the user shows another list (here by the tree).
            await press(pilot, "r")
            await app.workers.wait_for_complete()
            await settle(pilot)
            assert app.main.status.text == "0 nouvel article"
            await press(pilot, "h", "j")
            assert app.main.status.text == ""


# -- the newsboat preset -------------------------------------------------------------------------------


async def test_the_newsboat_preset(ui_store: Store, ui_paths: Paths) -> None:
    settings = Settings()
    settings.ui.keymap_preset = "newsboat"
    settings.ui.keymap = {"star": "f"}  # the user's own keys go over the preset
    app = make_app(ui_store, ui_paths, settings=settings)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await press(pilot, "l")
        first = app.main.articles.current_id
        assert first is not None
        assert not ui_store.article(first).read
        await press(pilot, "N")  # toggle-article-read
        assert ui_store.article(first).read
        await press(pilot, "N")
        assert not ui_store.article(first).read
        await press(pilot, "f")
        assert ui_store.article(first).starred
        await press(pilot, "a")  # toggle-show-read-feeds: here, read articles hidden
        assert app.main.loader.hide_read
        await press(pilot, "a")
        assert not app.main.loader.hide_read
        await press(pilot, "question_mark")
        dialog = app.screen
        assert isinstance(dialog, HelpDialog)
        console = Console(width=160, file=io.StringIO(), color_system=None)
        console.print(dialog.build_table())
        help_text = console.file.getvalue()  # type: ignore[attr-defined]
        for key, binding_id in (("N", "toggle_read"), ("u", "undo"), ("a", "hide_read"), ("f", "star")):
            row = rf"^\s*\W?\s*{key}\s+.+\s{binding_id}\b"
            assert re.search(row, help_text, re.MULTILINE), (key, help_text)
        await app.workers.wait_for_complete()


def test_the_presets_name_only_real_bindings_and_no_key_twice(ui_store: Store, ui_paths: Paths) -> None:
    app = make_app(ui_store, ui_paths)
    ids = {binding.id for node in (app, app.main) for binding in unique_bindings(node) if binding.id}
    for preset, keys in KEYMAP_PRESETS.items():
        assert set(keys) <= ids, preset
        taken: dict[str, str] = {}
        for node in (app, app.main):
            for binding in unique_bindings(node):
                chosen = keys.get(binding.id or "", binding.key)
                for key in chosen.split(","):
                    assert key not in taken, (preset, key, taken.get(key), binding.id)
                    taken[key] = binding.id or ""


# -- every key has an id, a tooltip, and a place in the palette ----------------------------------------


async def test_every_key_is_in_the_palette(ui_store: Store, ui_paths: Paths) -> None:
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        bindings = [b for node in (app.main, app) for b in unique_bindings(node) if b.id]
        assert {"back_or_quit", "quit", "next_feed", "previous_feed", "hide_read"} <= {b.id for b in bindings}
        for node in (app.main, app.main.feed_tree, app.main.articles, app.main.reader, app):
            for binding in unique_bindings(node):
                if binding.id:
                    assert binding.tooltip, binding.id
        # The palette before anything is typed: every command it knows, ours among them.
        offered = {prompt.split("\n")[0] for prompt in await palette_prompts(pilot, "")}
        missing = [
            binding.id
            for binding in bindings
            if binding.action not in ("back", "forward")  # moves between panes: the palette is not a pane
            and binding.tooltip not in offered
        ]
        assert missing == [], offered


# -- the export's format, from the keyboard ------------------------------------------------------------


async def test_the_export_format_switches_with_the_arrows(
    ui_store: Store, ui_paths: Paths, tmp_path: Path
) -> None:
    dossier = dossiers.create(ui_store, "Veille")
    dossiers.add_article(ui_store, dossier.id, ui_store.article_ids()[0])
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.main.goto(f"dossier:{dossier.id}")
        await settle(pilot)
        await press(pilot, "h", "x")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert "↑↓\u00a0: Markdown ou HTML" in screen_text(app)
        path = dialog.query_one(Input)
        assert app.focused is path
        assert path.value.endswith("Veille.md")
        await press(pilot, "down")
        assert (dialog.format, path.value[-11:]) == ("html", "Veille.html")
        assert dialog.query_one("#export-html", RadioButton).value
        await press(pilot, "up")
        assert (dialog.format, path.value[-9:]) == ("markdown", "Veille.md")
        await press(pilot, "down")
        path.value = str(tmp_path / "veille.html")
        await press(pilot, "enter")
        await app.workers.wait_for_complete()
        await settle(pilot)
    page = (tmp_path / "veille.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
