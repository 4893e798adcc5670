"""Per-feed and per-rubrique settings from the TUI, through the pilot: the dialog on the tree's feed or
rubrique (``,``), inherited values shown as such, an inline error on a bad value, a hidden feed marked in
the tree and gone from « Toutes », and the timer that refreshes only the due feeds. Real SQLite files, a
real loopback server, both languages."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from support.feeds import item_xml, rss
from support.ui import filled_store, make_app, new_paths, notices, screen_text, settle
from textual.pilot import Pilot
from textual.widgets import Input, Static
from werkzeug import Request, Response

from gazette_tui.core.feeds import feed_settings as fs
from gazette_tui.core.feeds.parse import build_entry
from gazette_tui.core.paths import Paths
from gazette_tui.core.settings import Settings
from gazette_tui.core.storage.store import ArticleFilter, Store
from gazette_tui.models import ParsedFeed
from gazette_tui.ui.app import GazetteApp
from gazette_tui.ui.controllers.refresh import Refresher
from gazette_tui.ui.dialogs.feed_settings import FeedSettingsDialog
from gazette_tui.ui.dialogs.help import HelpDialog

WIDE = (120, 36)
SMALL = (80, 24)
RH = "https://example.org/rh/feed/"
FINANCES = "https://example.org/finances/feed/"

WORDS = {
    "fr": {
        "title": "Réglages du flux « Club RH »",
        "rubrique_title": "Réglages de la rubrique « Finances »",
        "inherited": "de la rubrique « Ressources humaines » : 60",
        "default": "par défaut : non",
        "bad": "« refresh_minutes » ne peut pas valoir « 3 » : de 5 à 10 080 minutes, ou default.",
        "yes": "oui",
        "saved": "Réglages enregistrés : Club RH.",
        "hidden": "masqué",
        "pick": "Sélectionnez d’abord un flux ou une rubrique dans l’arbre.",
    },
    "en": {
        "title": "Settings of the feed “Club RH”",
        "rubrique_title": "Settings of the rubrique “Finances”",
        "inherited": "from the rubrique “Ressources humaines”: 60",
        "default": "default: no",
        "bad": "“refresh_minutes” cannot be “3”: 5 to 10,080 minutes, or default.",
        "yes": "yes",
        "saved": "Settings saved: Club RH.",
        "hidden": "hidden",
        "pick": "Select a feed or a rubrique in the tree first.",
    },
}


@pytest.fixture
def ui_paths(tmp_path: Path) -> Paths:
    return new_paths(tmp_path)


@pytest.fixture
def ui_store(ui_paths: Paths) -> Iterator[Store]:
    yield from filled_store(ui_paths)


def plain(text: str) -> str:
    """Every run of spaces, no-break ones too, as one space."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


async def press(pilot: Pilot[int], *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def on_line(app: GazetteApp, pilot: Pilot[int], key: str) -> None:
    app.main.goto(key)
    await settle(pilot)
    app.main.go("tree")
    await settle(pilot)


def field(dialog: FeedSettingsDialog, key: str) -> Input:
    return dialog.query_one(f"#setting-{key}", Input)


def feed_id(store: Store, url: str) -> int:
    feed = store.feed(url)
    assert feed is not None
    return feed.id


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_the_dialog_shows_inherited_values_and_saves_the_feed_s_own(
    ui_store: Store, ui_paths: Paths, language: str
) -> None:
    words = WORDS[language]
    fs.set_rubrique(ui_store, "Ressources humaines", "refresh_minutes", "60")
    rh = feed_id(ui_store, RH)
    app = make_app(ui_store, ui_paths, language=language)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await on_line(app, pilot, f"feed:{rh}")
        await press(pilot, "comma")
        dialog = app.screen
        assert isinstance(dialog, FeedSettingsDialog)
        text = plain(screen_text(app))
        assert plain(words["title"]) in text
        assert plain(words["inherited"]) in text  # refresh_minutes: the rubrique's, said as such
        assert plain(words["default"]) in text  # fulltext, hidden: the default
        assert field(dialog, "refresh_minutes").value == ""
        # A bad value: said under its field, the dialog stays, nothing typed is lost.
        field(dialog, "refresh_minutes").focus()
        await pilot.press("3", "enter")
        await settle(pilot)
        assert app.screen is dialog
        error = dialog.query_one("#error-refresh_minutes", Static)
        assert error.display
        assert plain(str(error.content)) == plain(words["bad"])
        assert not dialog.query_one("#error-hidden", Static).display
        assert field(dialog, "refresh_minutes").value == "3"
        await press(pilot, "0")  # 30
        field(dialog, "hidden").focus()
        await pilot.press(*words["yes"])
        field(dialog, "user_agent").focus()
        await pilot.press(*"Veille-RH/1.0")
        await press(pilot, "enter")
        assert app.screen is not dialog
        explained = {e.key: (e.value, e.source) for e in fs.explain_feed(ui_store, RH)}
        assert explained["refresh_minutes"] == (30, "feed")
        assert explained["hidden"] == (True, "feed")
        assert explained["user_agent"] == ("Veille-RH/1.0", "feed")
        assert explained["fulltext"] == (False, "default")
        assert plain(words["saved"]) in [plain(n) for n in notices(app)]
        # The tree marks it, « Toutes » leaves it out (its 4 articles).
        target = app.main.feed_tree.target(f"feed:{rh}")
        assert target is not None
        assert target.feed is not None
        assert target.feed.hidden
        assert words["hidden"] in screen_text(app)
        app.main.goto("all")
        await settle(pilot)
        shown = app.main.articles.ids
        assert len(shown) == ui_store.counts()["all"]
        assert not set(shown) & set(ui_store.article_ids(ArticleFilter(feed_id=rh)))
        # Emptying a field gives the key back to what it inherits.
        await on_line(app, pilot, f"feed:{rh}")
        await press(pilot, "comma")
        dialog = app.screen
        assert isinstance(dialog, FeedSettingsDialog)
        assert field(dialog, "refresh_minutes").value == "30"
        assert field(dialog, "hidden").value == words["yes"]
        field(dialog, "refresh_minutes").focus()
        await press(pilot, "end", "backspace", "backspace", "enter")
        assert fs.effective(ui_store)[rh].refresh_minutes == 60


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_a_rubrique_s_settings_apply_to_its_feeds(
    ui_store: Store, ui_paths: Paths, language: str
) -> None:
    app = make_app(ui_store, ui_paths, language=language)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await on_line(app, pilot, "rubrique:Finances")
        await press(pilot, "comma")
        dialog = app.screen
        assert isinstance(dialog, FeedSettingsDialog)
        assert plain(WORDS[language]["rubrique_title"]) in plain(screen_text(app))
        field(dialog, "retention_days").focus()
        await pilot.press(*"90")
        await press(pilot, "enter")
        assert app.screen is not dialog
        settings = fs.effective(ui_store)
        assert settings[feed_id(ui_store, FINANCES)].retention_days == 90
        assert settings[feed_id(ui_store, RH)].retention_days is None
        await press(pilot, "comma")  # the same rubrique: its own value in the field now
        dialog = app.screen
        assert isinstance(dialog, FeedSettingsDialog)
        assert field(dialog, "retention_days").value == "90"
        await press(pilot, "escape")
        assert fs.explain_rubrique(ui_store, "Finances")[1].value == 90


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_a_line_that_is_no_feed_says_so(ui_store: Store, ui_paths: Paths, language: str) -> None:
    app = make_app(ui_store, ui_paths, language=language)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await on_line(app, pilot, "all")
        await press(pilot, "comma")
        assert not isinstance(app.screen, FeedSettingsDialog)
        assert WORDS[language]["pick"] in notices(app)


async def test_the_timer_refreshes_only_the_due_feeds(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    for n in range(3):

        def handler(request: Request, n: int = n) -> Response:
            asked.append(request.path)
            return Response(rss([item_xml(10 * n + i) for i in range(2)], title=f"Flux {n}"))

        httpserver.expect_request(f"/flux{n}/").respond_with_handler(handler)
    paths = new_paths(tmp_path)
    settings = Settings()
    settings.refresh.timeout = 3.0
    with Store(paths.database) as store:
        urls = [httpserver.url_for(f"/flux{n}/") for n in range(3)]
        for n, url in enumerate(urls):
            store.add_feed(url, f"Flux {n}")
        # Something cached already: a first run (an empty cache) would refresh every feed at start.
        entry = build_entry(
            guid="x", link="https://example.org/x", title="Déjà là", author="", published=1_763_600_000,
            updated=None, categories=[], summary="<p>Résumé.</p>", content="",
        )  # fmt: skip
        store.record_success(feed_id(store, urls[2]), ParsedFeed("rss", "Flux 2", "", [entry]))
        fs.set_feed(store, urls[0], "refresh_minutes", "5")
        fs.set_feed(store, urls[1], "refresh_minutes", "120")
        with store.writing() as c:  # fetched ten minutes ago; the third has no interval (auto refresh off)
            c.execute("UPDATE feeds SET last_fetched = strftime('%s', 'now') - 600")
        store.set_meta("seeded", "1")
        monkeypatch.setattr(Refresher, "TICK_SECONDS", 0.2)
        app = make_app(store, paths, settings=settings)
        async with app.run_test(size=WIDE) as pilot:
            for _ in range(50):
                await pilot.pause(0.1)
                if asked:
                    break
            await settle(pilot)
            await pilot.pause(0.5)  # more ticks: the feed just fetched is not due again
            await settle(pilot)
        assert asked == ["/flux0/"]


async def test_the_help_lists_the_settings_key(ui_store: Store, ui_paths: Paths) -> None:
    app = make_app(ui_store, ui_paths, language="en")
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        dialog = app.screen
        assert isinstance(dialog, HelpDialog)
        table = dialog.build_table()
        rows = list(zip(*(column.cells for column in table.columns), strict=True))
        line = next(row for row in rows if str(row[2]) == "feed_settings")
        assert (str(line[0]), str(line[1])) == (
            ",",
            "Settings of the selected feed or rubrique (refresh, retention, hidden…)…",
        )


@pytest.mark.parametrize("size", [WIDE, SMALL], ids=["120x36", "80x24"])
def test_snapshot_of_the_dialog(
    snap_compare: Callable[..., bool], tmp_path: Path, size: tuple[int, int]
) -> None:
    # The config path is shown nowhere here, but the data is the fixed one of support/ui.py.
    paths = new_paths(tmp_path)
    store_iter = filled_store(paths)
    store = next(store_iter)
    fs.set_rubrique(store, "Ressources humaines", "refresh_minutes", "60")
    fs.set_feed(store, RH, "user_agent", "Veille-RH/1.0")
    fs.set_feed(store, "https://example.org/blog/feed/", "hidden", "on")
    rh = feed_id(store, RH)

    async def run_before(pilot: Pilot[int]) -> None:
        app = pilot.app
        assert isinstance(app, GazetteApp)
        await settle(pilot)
        await on_line(app, pilot, f"feed:{rh}")
        await press(pilot, "comma")
        dialog = app.screen
        assert isinstance(dialog, FeedSettingsDialog)
        field(dialog, "refresh_minutes").focus()
        await pilot.press("3", "enter")
        await settle(pilot)

    try:
        assert snap_compare(make_app(store, paths), terminal_size=size, run_before=run_before)
    finally:
        store_iter.close()
