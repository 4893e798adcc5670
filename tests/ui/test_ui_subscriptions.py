"""Subscriptions from the TUI, through the pilot: add a feed by a website's address (a choice, with previews)
or by its own, a site with no feed (said in the dialog), remove and undo (the articles and their marks come
back), rename, move to a rubrique (one there, a new one), import OPML from a file and from an address.
Real SQLite files, the loopback town site of ``support/sites.py``, the refresh through the real cycle."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from support.feeds import item_xml, rss
from support.sites import (
    AGENDA_TITLE,
    ATOM_TYPE,
    JSON_FEED_TYPE,
    MINUTES_TITLE,
    NEWS_TITLE,
    RSS_TYPE,
    Mairie,
    alternate,
    html,
    page,
    serve_feeds,
    serve_mairie,
)
from support.ui import filled_store, make_app, new_paths, notices, screen_text, settle
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from gazette_tui.core.paths import Paths
from gazette_tui.core.search.search import search
from gazette_tui.core.settings import Settings
from gazette_tui.core.storage.store import ArticleFilter, Store
from gazette_tui.ui.app import GazetteApp
from gazette_tui.ui.dialogs.add_feed import AddFeedDialog
from gazette_tui.ui.dialogs.choice import ChoiceDialog
from gazette_tui.ui.dialogs.import_opml import ImportOpmlDialog
from gazette_tui.ui.dialogs.prompt import PromptDialog

WIDE = (120, 36)
SMALL = (80, 24)


@pytest.fixture
def ui_paths(tmp_path: Path) -> Paths:
    return new_paths(tmp_path)


@pytest.fixture
def ui_store(ui_paths: Paths) -> Iterator[Store]:
    yield from filled_store(ui_paths)


@pytest.fixture
def mairie(httpserver: HTTPServer) -> Mairie:
    return serve_mairie(httpserver)


async def press(pilot: Pilot[int], *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def shown_text(app: GazetteApp) -> str:
    """What the screen shows, every run of spaces (no-break ones too) as one space."""
    return " ".join(screen_text(app).split())


def said(app: GazetteApp) -> list[str]:
    """The notifications, no-break spaces as spaces."""
    return [notice.replace("\u00a0", " ") for notice in notices(app)]


async def type_in(pilot: Pilot[int], text: str) -> None:
    await pilot.press(*text)
    await settle(pilot)


def feed_id(store: Store, title: str) -> int:
    return next(feed.id for feed in store.feeds() if feed.title == title)


async def select_feed(app: GazetteApp, pilot: Pilot[int], key: str) -> None:
    """The tree's cursor on a feed line, the focus in the tree (where a user selects a feed)."""
    app.main.goto(key)
    await settle(pilot)
    app.main.go("tree")
    await settle(pilot)


async def open_add_dialog(pilot: Pilot[int], address: str) -> AddFeedDialog:
    await press(pilot, "i")
    dialog = pilot.app.screen
    assert isinstance(dialog, AddFeedDialog)
    await type_in(pilot, address)
    await press(pilot, "enter")
    return dialog


def choices(dialog: AddFeedDialog) -> list[str]:
    options = dialog.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


# -- adding ------------------------------------------------------------------------------------------


async def test_a_site_with_several_feeds_offers_a_choice_then_subscribes_to_the_one_picked(
    ui_store: Store, ui_paths: Paths, mairie: Mairie
) -> None:
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        dialog = await open_add_dialog(pilot, mairie.url("/"))
        news, minutes, agenda = (
            mairie.url(path) for path in ("/actualites/feed/", "/deliberations/atom.xml", "/agenda/feed.json")
        )
        assert choices(dialog) == [
            f"{NEWS_TITLE}\n{news}\nRSS · 4 articles · dernier le 20/11/2026",
            f"{MINUTES_TITLE}\n{minutes}\nAtom · 2 articles · dernier le 18/11/2026",
            f"{AGENDA_TITLE}\n{agenda}\nJSON Feed · 3 articles · dernier le 22/11/2026",
        ]
        assert "3 flux trouvés : choisissez-en un." in shown_text(app)
        assert isinstance(app.screen.focused, OptionList)  # the choice has the keys
        await press(pilot, "down", "enter")
        assert app.screen is app.main
        feed = ui_store.feed(mairie.url("/deliberations/atom.xml"))
        assert feed is not None
        assert (feed.title, feed.rubrique) == (MINUTES_TITLE, "")
        # Refreshed at once, then shown: its line selected in the tree, its list beside it.
        assert feed.articles == 2
        assert app.main.feed_tree.current is not None
        assert app.main.feed_tree.current.key == f"feed:{feed.id}"
        assert app.main.target is not None
        assert app.main.target.key == f"feed:{feed.id}"
        assert app.main.focused is app.main.feed_tree
        assert len(app.main.articles.ids) == 2
        assert f"Abonné à « {MINUTES_TITLE} »." in said(app)
        assert mairie.url("/") not in {f.url for f in ui_store.feeds()}


async def test_a_feed_address_is_previewed_then_subscribed_in_the_rubrique_typed(
    ui_store: Store, ui_paths: Paths, mairie: Mairie
) -> None:
    app = make_app(ui_store, ui_paths)
    address = mairie.url("/agenda/feed.json")
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await press(pilot, "i")
        await type_in(pilot, address)
        await press(pilot, "tab")
        await type_in(pilot, "Commune")
        await press(pilot, "enter")
        dialog = app.screen
        assert isinstance(dialog, AddFeedDialog)
        assert choices(dialog) == [
            f"{AGENDA_TITLE}\n{address}\nJSON Feed · 3 articles · dernier le 22/11/2026"
        ]
        await press(pilot, "enter")
        feed = ui_store.feed(address)
        assert feed is not None
        assert (feed.title, feed.rubrique, feed.articles) == (AGENDA_TITLE, "Commune", 3)
        assert app.main.feed_tree.target("rubrique:Commune") is not None


async def test_a_site_with_no_feed_says_why_in_the_dialog(
    ui_store: Store, ui_paths: Paths, mairie: Mairie
) -> None:
    before = {feed.url for feed in ui_store.feeds()}
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        dialog = await open_add_dialog(pilot, mairie.url("/demarches/"))
        assert app.screen is dialog
        text = shown_text(app)
        assert f"Aucun flux trouvé à {mairie.url('/demarches/')}" in text, text
        assert choices(dialog) == []
        assert isinstance(app.screen.focused, Input)
        assert app.screen.focused.value == mairie.url("/demarches/")  # nothing typed is lost
        # Enter again searches again (the site may have changed); esc closes, nothing subscribed.
        await press(pilot, "escape")
        assert app.screen is app.main
    assert {feed.url for feed in ui_store.feeds()} == before


async def test_the_reason_is_said_in_english_too(ui_store: Store, ui_paths: Paths, mairie: Mairie) -> None:
    app = make_app(ui_store, ui_paths, language="en")
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await open_add_dialog(pilot, mairie.url("/demarches/"))
        text = shown_text(app)
        assert f"No feed found at {mairie.url('/demarches/')}" in text, text
        assert "Aucun flux" not in text


async def test_an_address_already_subscribed_is_said_in_the_dialog(ui_store: Store, ui_paths: Paths) -> None:
    app = make_app(ui_store, ui_paths, offline=True)  # offline: subscribed as given, no search
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        dialog = await open_add_dialog(pilot, "https://example.org/rh/feed/")
        assert app.screen is dialog
        text = shown_text(app)
        assert "Déjà abonné à https://example.org/rh/feed/" in text, text


async def test_offline_an_address_is_subscribed_as_given(ui_store: Store, ui_paths: Paths) -> None:
    app = make_app(ui_store, ui_paths, offline=True)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await open_add_dialog(pilot, "www.mairie-exemple.fr/flux")  # no scheme: https is meant
        assert app.screen is app.main
        feed = ui_store.feed("https://www.mairie-exemple.fr/flux")
        assert feed is not None
        assert app.main.feed_tree.current is not None
        assert app.main.feed_tree.current.key == f"feed:{feed.id}"


async def test_the_add_dialog_with_its_choice_fits_80x24(
    ui_store: Store, ui_paths: Paths, mairie: Mairie
) -> None:
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        dialog = await open_add_dialog(pilot, mairie.url("/"))
        assert len(choices(dialog)) == 3
        whole = Region(0, 0, *SMALL)
        for _stop in range(4):
            box = dialog.children[0]
            assert whole.contains_region(box.region), box.region
            focused = dialog.focused
            assert focused is not None
            assert box.region.contains_region(focused.region)
            await press(pilot, "tab")


# -- removing, and undoing it -----------------------------------------------------------------------


async def test_removing_a_feed_is_undone_with_its_articles_and_marks(
    ui_store: Store, ui_paths: Paths
) -> None:
    finances = feed_id(ui_store, "Club Finances")
    ids = ui_store.article_ids(ArticleFilter(feed_id=finances))
    assert len(ids) == 3
    ui_store.set_read([ids[0]], True)
    ui_store.set_starred(ids[1], True)  # starred: it stays when the feed goes
    before = {i: (r.read, r.starred, r.title) for i in ids for r in ui_store.article_rows([i])}
    found_before = [row.id for row in search(ui_store, "Lorient")]
    assert found_before
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await select_feed(app, pilot, f"feed:{finances}")
        await press(pilot, "delete")
        assert "Se désabonner de ce flux (3 articles)" in shown_text(app)
        await press(pilot, "y")
        assert ui_store.feed("https://example.org/finances/feed/") is None
        assert app.main.feed_tree.target(f"feed:{finances}") is None
        assert ui_store.article_ids(ArticleFilter(feed_id=finances)) == []
        everything = set(ui_store.article_ids())
        assert ids[1] in everything
        assert ids[0] not in everything
        assert ids[2] not in everything
        assert search(ui_store, "Lorient") == []
        assert any(n.startswith("Désabonné de") and "u pour annuler" in n for n in said(app))

        await press(pilot, "u")
        feed = ui_store.feed("https://example.org/finances/feed/")
        assert feed is not None
        assert (feed.id, feed.title, feed.rubrique) == (finances, "Club Finances", "Finances")
        assert sorted(ui_store.article_ids(ArticleFilter(feed_id=finances))) == sorted(ids)
        after = {i: (r.read, r.starred, r.title) for i in ids for r in ui_store.article_rows([i])}
        assert after == before
        assert [row.id for row in search(ui_store, "Lorient")] == found_before
        assert app.main.feed_tree.current is not None
        assert app.main.feed_tree.current.key == f"feed:{finances}"
        assert any("est de retour, avec ses articles" in n for n in said(app))


async def test_removing_needs_a_feed_and_a_yes(ui_store: Store, ui_paths: Paths) -> None:
    count = len(ui_store.feeds())
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await press(pilot, "delete")  # « Toutes » is no feed
        assert "Sélectionnez d’abord un flux dans l’arbre." in said(app)
        await select_feed(app, pilot, f"feed:{feed_id(ui_store, 'Club RH')}")
        await press(pilot, "delete", "n")
        assert app.screen is app.main
    assert len(ui_store.feeds()) == count


# -- renaming, moving --------------------------------------------------------------------------------


async def test_renaming_a_feed_renames_its_line_and_its_articles(ui_store: Store, ui_paths: Paths) -> None:
    rh = feed_id(ui_store, "Club RH")
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await select_feed(app, pilot, f"feed:{rh}")
        await press(pilot, "f2")
        dialog = app.screen
        assert isinstance(dialog, PromptDialog)
        field = dialog.query_one(Input)
        assert field.value == "Club RH"
        await press(pilot, "end", *["backspace"] * len("Club RH"))
        await type_in(pilot, "Fiches RH")
        await press(pilot, "enter")
        feed = ui_store.feed("https://example.org/rh/feed/")
        assert feed is not None
        assert feed.title == "Fiches RH"
        rows = ui_store.article_rows(ui_store.article_ids(ArticleFilter(feed_id=rh)))
        assert rows
        assert {row.feed_title for row in rows} == {"Fiches RH"}
        target = app.main.feed_tree.target(f"feed:{rh}")
        assert target is not None
        assert target.title == "Fiches RH"
        assert "Flux renommé « Fiches RH »." in said(app)


async def test_moving_a_feed_to_a_rubrique_there_then_to_a_new_one(ui_store: Store, ui_paths: Paths) -> None:
    blog = feed_id(ui_store, "Blog des territoires")
    count = len(ui_store.article_ids(ArticleFilter(feed_id=blog)))
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await select_feed(app, pilot, f"feed:{blog}")
        await press(pilot, "M")
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        assert dialog.options == [
            "Finances",
            "Ressources humaines",
            "(sans rubrique)",
            "Nouvelle rubrique…",
        ]
        await press(pilot, "down", "enter")
        feed = ui_store.feed("https://example.org/blog/feed/")
        assert feed is not None
        assert feed.rubrique == "Ressources humaines"
        assert len(ui_store.article_ids(ArticleFilter(rubrique="Ressources humaines"))) == 4 + count
        assert blog in app.main.feed_tree.feed_ids_under("rubrique:Ressources humaines")

        await press(pilot, "M")
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        assert dialog.options[1] == "✓ Ressources humaines"
        await press(pilot, "end", "enter")
        assert isinstance(app.screen, PromptDialog)
        await type_in(pilot, "Veille")
        await press(pilot, "enter")
        feed = ui_store.feed("https://example.org/blog/feed/")
        assert feed is not None
        assert feed.rubrique == "Veille"
        assert len(ui_store.article_ids(ArticleFilter(rubrique="Veille"))) == count
        assert app.main.feed_tree.feed_ids_under("rubrique:Veille") == [blog]
        assert "« Blog des territoires » déplacé dans la rubrique « Veille »." in said(app)


# -- importing OPML ----------------------------------------------------------------------------------


def opml(*feeds: tuple[str, str], folder: str = "Commune") -> bytes:
    outlines = "".join(f'<outline type="rss" text="{title}" xmlUrl="{url}"/>' for url, title in feeds)
    return (
        '<?xml version="1.0" encoding="UTF-8"?><opml version="2.0"><head><title>Abonnements</title></head>'
        f'<body><outline text="{folder}">{outlines}</outline></body></opml>'
    ).encode()


async def test_importing_opml_from_a_file(
    ui_store: Store, ui_paths: Paths, mairie: Mairie, tmp_path: Path
) -> None:
    listing = tmp_path / "abonnements.opml"
    news, agenda = mairie.url("/actualites/feed/"), mairie.url("/agenda/feed.json")
    listing.write_bytes(
        opml((news, "Actualités"), (agenda, "Agenda"), ("https://example.org/rh/feed/", "RH"))
    )
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await press(pilot, "I")
        assert isinstance(app.screen, ImportOpmlDialog)
        await type_in(pilot, str(listing))
        await press(pilot, "enter")
        assert app.screen is app.main
        assert "2 abonnements importés, 1 déjà présent." in said(app)
        for url, articles in ((news, 4), (agenda, 3)):
            feed = ui_store.feed(url)
            assert feed is not None
            assert feed.rubrique == "Commune"
            assert feed.articles == articles  # refreshed at once
        assert app.main.feed_tree.target("rubrique:Commune") is not None
        rh = ui_store.feed("https://example.org/rh/feed/")
        assert rh is not None
        assert rh.rubrique == "Ressources humaines"


async def test_importing_opml_from_an_address(
    ui_store: Store, ui_paths: Paths, httpserver: HTTPServer
) -> None:
    feed_url = httpserver.url_for("/conseil/feed.xml")
    httpserver.expect_request("/conseil/feed.xml").respond_with_data(
        rss([item_xml(i) for i in range(2)], title="Conseil"), content_type=RSS_TYPE
    )
    httpserver.expect_request("/abonnements.opml").respond_with_data(
        opml((feed_url, "Conseil"), folder="Intercommunalité"), content_type="text/x-opml"
    )
    httpserver.expect_request("/pas-un-opml").respond_with_data(page("Accueil"), content_type="text/html")
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await press(pilot, "I")
        # A page that is no list: said in the dialog, which stays open.
        await type_in(pilot, httpserver.url_for("/pas-un-opml"))
        await press(pilot, "enter")
        assert isinstance(app.screen, ImportOpmlDialog)
        assert "n’est pas un fichier OPML" in shown_text(app)
        field = app.screen.query_one(Input)
        await press(pilot, "end", *["backspace"] * len(field.value))
        await type_in(pilot, httpserver.url_for("/abonnements.opml"))
        await press(pilot, "enter")
        assert app.screen is app.main
        feed = ui_store.feed(feed_url)
        assert feed is not None
        assert (feed.rubrique, feed.articles) == ("Intercommunalité", 2)


async def test_the_subscription_keys_are_in_the_palette_and_the_help(
    ui_store: Store, ui_paths: Paths
) -> None:
    from support.ui import palette_prompts

    app = make_app(ui_store, ui_paths, settings=Settings())
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        offered = [prompt.split("\n")[0] for prompt in await palette_prompts(pilot, "flux")]
        for tooltip in (
            "S’abonner à un flux, par son adresse ou celle d’un site…",
            "Se désabonner du flux sélectionné (u annule)…",
            "Renommer le flux sélectionné…",
            "Déplacer le flux sélectionné dans une rubrique…",
        ):
            assert tooltip in offered, offered


# -- the snapshot -------------------------------------------------------------------------------------


def test_add_feed_dialog_snapshot(
    snap_compare: object, ui_store: Store, ui_paths: Paths, httpserver: HTTPServer
) -> None:
    """The add-feed dialog at 120×36 with the choice a site's home page gives: three feeds, each with its
    title, address, kind, item count and newest item's date. The site is « saint-aubin.example », reached
    through the loopback server acting as the proxy (``refresh.proxy``): the addresses on screen do not
    depend on the test server's port."""
    serve_feeds(httpserver)
    site = "http://saint-aubin.example"
    home = "".join(
        (
            alternate(RSS_TYPE, "/actualites/feed/", "Actualités"),
            alternate(ATOM_TYPE, f"{site}/deliberations/atom.xml", "Délibérations"),
            alternate(JSON_FEED_TYPE, "agenda/feed.json", "Agenda"),
        )
    )
    html(httpserver, "/", page("Accueil", home))
    settings = Settings()
    settings.refresh.proxy = httpserver.url_for("/").rstrip("/")
    app = make_app(ui_store, ui_paths, settings=settings)

    async def run_before(pilot: Pilot[int]) -> None:
        await settle(pilot)
        await open_add_dialog(pilot, f"{site}/")
        await settle(pilot)

    assert snap_compare(app, terminal_size=WIDE, run_before=run_before)  # type: ignore[operator]
