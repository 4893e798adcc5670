"""80×24 works: every dialog fits on the screen (or scrolls to what has the focus), list titles keep their
room before the feed column and the « réservé » badge, the status bar stays on one line, and a toast takes
the lines its text needs. Pilot tests on the fixed data of ``support/ui.py``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support.ui import filled_store, make_app, new_paths, screen_text, settle
from textual.geometry import Region
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets._toast import Toast

from gazette_tui.core.library import dossiers
from gazette_tui.core.paths import Paths
from gazette_tui.core.storage.store import Store
from gazette_tui.ui.app import GazetteApp
from gazette_tui.ui.widgets.article_list import TITLE_ROOM, ArticleList

SMALL = (80, 24)


@pytest.fixture
def ui_paths(tmp_path: Path) -> Paths:
    return new_paths(tmp_path)


@pytest.fixture
def ui_store(ui_paths: Paths) -> Iterator[Store]:
    store_iter = filled_store(ui_paths)
    store = next(store_iter)
    dossier = dossiers.create(store, "Veille budgétaire", "Les budgets primitifs de l’année")
    dossiers.add_article(store, dossier.id, store.article_ids()[0], note="À citer")
    yield store
    store_iter.close()


async def press(pilot: Pilot[int], *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def assert_fits(app: GazetteApp, name: str) -> None:
    """The dialog's box is inside the screen, and so is the widget that has the focus."""
    screen = app.screen
    assert isinstance(screen, ModalScreen), (name, screen)
    whole = Region(0, 0, *SMALL)
    box = screen.children[0]
    assert isinstance(box, Widget)
    assert whole.contains_region(box.region), (name, box.region)
    focused = screen.focused
    if focused is not None:
        assert focused.region.height > 0, (name, focused)
        assert box.region.contains_region(focused.region), (name, focused, focused.region, box.region)


# (what opens it, from the start: keys, or a tree line to show first)
DIALOGS = {
    "login": ([], ["C"]),
    "search": ([], ["slash"]),
    "help": ([], ["question_mark"]),
    "feed error": (["feed:4"], ["e"]),
    "new dossier": ([], ["c"]),
    "dossier picker": ([], ["l", "d"]),
    "save alert": ([], ["S"]),
    "links": ([], ["l", "enter", "L"]),
    "export": (["dossier:1"], ["x"]),
    "edit dossier": (["dossier:1"], ["E"]),
    "delete dossier": (["dossier:1"], ["X"]),
    "add feed": ([], ["i"]),
    "import opml": ([], ["I"]),
    "remove feed": (["feed:1"], ["delete"]),
    "rename feed": (["feed:1"], ["f2"]),
    "move feed": (["feed:1"], ["M"]),
    "filters": ([], ["f"]),
    "new filter": (["feed:1"], ["f", "n"]),
    "themes": ([], ["W"]),
    "feed settings": (["feed:1"], ["comma"]),
}


@pytest.mark.parametrize("name", list(DIALOGS))
async def test_every_dialog_fits_80x24(ui_store: Store, ui_paths: Paths, name: str) -> None:
    goto, keys = DIALOGS[name]
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        for key in goto:
            app.main.goto(key)
            await settle(pilot)
            if key.startswith("feed:") or key.startswith("dossier:"):
                app.main.go("tree")
                await settle(pilot)
        await press(pilot, *keys)
        assert_fits(app, name)
        # Every stop of the focus is on screen too (a long dialog scrolls to it).
        for _stop in range(8):
            await press(pilot, "tab")
            assert_fits(app, name)


async def test_the_login_dialog_shows_its_buttons_and_links_at_80x24(
    ui_store: Store, ui_paths: Paths
) -> None:
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "C")
        text = screen_text(app)
        for label in (
            "Se connecter",
            "Annuler",
            "Mot de passe oublié",
            "M’inscrire gratuitement",
            "Se souvenir",
        ):
            assert label in text, (label, text)
        screen = app.screen
        for selector in ("#login-submit", "#login-cancel", "#login-reset", "#login-signup"):
            region = screen.query_one(selector).region
            assert Region(0, 0, *SMALL).contains_region(region), (selector, region)


async def test_titles_keep_their_room_at_80_columns(ui_store: Store, ui_paths: Paths) -> None:
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "l")
        lines = screen_text(app).splitlines()
        budget = next(line for line in lines if "Budget primitif" in line)
        reserved = next(line for line in lines if "Article réservé" in line)
        # The title runs from the end of the date to the "…" where it is cut.
        title = budget[budget.index("Budget primitif") : budget.index("…") + 1]
        assert len(title) >= TITLE_ROOM + 8, budget
        cut = reserved[reserved.index("Article réservé") : reserved.index("…") + 1]
        assert len(cut) >= TITLE_ROOM, reserved
        assert "réservé" in reserved.split("…", 1)[1]  # the whole badge still fits
        assert "Club Finances" in budget  # and the feed, after the title


def test_the_columns_give_way_to_the_title_first() -> None:
    # Wide: the feed column up to its widest, the whole badge.
    assert ArticleList.columns(100) == ("réservé", 24)
    # 80 columns: a narrower feed column, the badge whole, the title its room.
    badge, feed = ArticleList.columns(62)
    assert (badge, feed) == ("réservé", 12)
    assert 62 - feed - 1 - len(badge) - 2 >= TITLE_ROOM
    # Narrower: no feed column at all (too narrow to say anything)…
    assert ArticleList.columns(55) == ("réservé", 0)
    # …then the badge shrinks to its mark, never the title.
    badge, feed = ArticleList.columns(45)
    assert feed == 0
    assert len(badge) == 1


async def test_the_status_bar_stays_on_one_line(ui_store: Store, ui_paths: Paths) -> None:
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        status = app.main.status
        status.say("46 nouveaux articles · 2 flux en erreur (e : détails) · " * 3)
        status.account("agent.instructeur@mairie-exemple.test (Site de démonstration)")
        await settle(pilot)
        assert status.region.height == 1
        line = screen_text(app).splitlines()[status.region.y]
        assert "15 non lus" in line  # the counts are never pushed out
        assert "…" in line


async def test_toasts_take_only_the_lines_their_text_needs(ui_store: Store, ui_paths: Paths) -> None:
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await settle(pilot)
        app.say("12 articles marqués comme lus — u pour annuler.")
        app.say("Connexion au site impossible : le réseau est coupé ou le site ne répond pas. Réessayez.")
        await pilot.pause(0.2)
        toasts = list(app.screen.query(Toast))
        assert len(toasts) == 2
        assert [toast.region.height for toast in toasts] == [1, 2]
        covered = sum(toast.region.height + 1 for toast in toasts)  # a line between two toasts
        assert covered <= 5


async def test_the_themes_dialog_keeps_its_hint_and_cursor_in_view_at_80x24(
    ui_store: Store, ui_paths: Paths
) -> None:
    """A long list of themes takes what the screen leaves: the hint stays on screen, and the list scrolls
    to the highlighted line rather than running below the box."""
    from textual.widgets import OptionList, Static

    for n in range(1, 31):
        dossiers.create(ui_store, f"Suivi n° {n}", "")
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "W")
        box = app.screen.children[0]
        assert isinstance(box, Widget)
        hint = app.screen.query_one("#themes-hint", Static)
        assert hint.region.height > 0
        assert box.region.contains_region(hint.region), (hint.region, box.region)
        options = app.screen.query_one(OptionList)
        assert options.option_count > options.region.height  # the case at hand: more lines than room
        await press(pilot, "tab")
        for _line in range(options.option_count):
            await press(pilot, "down")
        assert options.highlighted is not None
        top = int(options.scroll_offset.y)
        assert top <= options.highlighted < top + options.scrollable_content_region.height
        assert box.region.contains_region(options.region)
