"""Filters (kill-files) from the TUI, through the pilot: key f lists them, n makes one (a bad query said
with its caret while it is typed, the feed of the tree offered as its only feed), enter saves it and can
apply it to the cache at once, d deletes one after asking; what a filter hides leaves « Toutes » and its
count, and the reader says why an article is marked. Real SQLite files, both languages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support.ui import filled_store, make_app, new_paths, notices, screen_text, settle
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, RadioButton, Static

from gazette_tui.core.paths import Paths
from gazette_tui.core.search import filters
from gazette_tui.core.storage.store import ArticleFilter, Store
from gazette_tui.ui.app import GazetteApp
from gazette_tui.ui.dialogs.confirm import ConfirmDialog
from gazette_tui.ui.dialogs.filter_edit import FilterEditDialog
from gazette_tui.ui.dialogs.filters import FiltersDialog

WIDE = (120, 36)
RESERVED = "Article réservé aux abonnés : la réforme de la taxe"
WORDS = {
    "fr": {
        "empty": "Aucun filtre pour l’instant : n en crée un.",
        "caret": "Parenthèse « ( » non fermée.",
        "saved": (
            "Filtre « Réforme » enregistré : il s’applique aux articles des prochains rafraîchissements."
        ),
        "applied": "Filtre « Réforme » : 1 article trouvé, 1 nouvellement masqué.",
        "line": "masqués des listes · tous les flux · 1 article",
        "deleted": "Filtre « Réforme » supprimé.",
        "starred": "Mis en favori par le filtre « Dotations »",
        "scope": "Seulement le flux « Club Finances »",
    },
    "en": {
        "empty": "No filter yet: n makes one.",
        "caret": "Parenthesis “(” is not closed.",
        "saved": "Filter “Réforme” saved: it applies to the articles of the next refreshes.",
        "applied": "Filter “Réforme”: 1 article matched, 1 newly hidden.",
        "line": "hidden from the lists · every feed · 1 article",
        "deleted": "Filter “Réforme” deleted.",
        "starred": "Starred by the filter “Dotations”",
        "scope": "Only the feed “Club Finances”",
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


def reserved_id(store: Store) -> int:
    [found] = [row.id for row in store.article_rows(store.article_ids()) if row.title == RESERVED]
    return found


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_make_apply_and_delete_a_filter_from_the_dialog(
    ui_store: Store, ui_paths: Paths, language: str
) -> None:
    words = WORDS[language]
    hidden = reserved_id(ui_store)
    before = ui_store.counts()["all"]
    app = make_app(ui_store, ui_paths, language=language)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        finances = ui_store.feed("https://example.org/finances/feed/")
        assert finances is not None
        app.main.goto(f"feed:{finances.id}")
        await settle(pilot)
        await press(pilot, "f")
        assert isinstance(app.screen, FiltersDialog)
        assert plain(words["empty"]) in plain(screen_text(app))
        await press(pilot, "n")
        dialog = app.screen
        assert isinstance(dialog, FilterEditDialog)
        assert plain(words["scope"]) in plain(screen_text(app))  # the tree's feed, offered
        await pilot.press(*"Réforme")
        dialog.query_one("#filter-query", Input).focus()
        await pilot.press(*"réforme (taxe")
        await settle(pilot)
        error = dialog.query_one("#filter-error", Static)
        assert error.display
        shown = screen_text(app)
        assert plain(words["caret"]) in plain(shown)
        # The caret sits under the parenthesis: two columns of indent, then the query up to it.
        lines = shown.splitlines()
        row = next(n for n, line in enumerate(lines[:-1]) if "réforme (taxe" in line and "^" in lines[n + 1])
        assert lines[row + 1].index("^") == lines[row].index("réforme (taxe") + len("réforme ")
        await press(pilot, "end")
        await press(pilot, *["backspace"] * len("(taxe"), *"taxe")
        assert not error.display
        await pilot.click("#filter-now")
        await settle(pilot)
        assert dialog.query_one("#filter-now", Checkbox).value
        assert dialog.query_one("#filter-action-hide", RadioButton).value
        dialog.query_one("#filter-query", Input).focus()
        await press(pilot, "enter")
        # Saved, applied to the cache, and the list of filters opens again with it.
        said = [plain(n) for n in notices(app)]
        assert plain(words["saved"]) in said
        assert plain(words["applied"]) in said
        assert isinstance(app.screen, FiltersDialog)
        assert plain(words["line"]) in plain(screen_text(app))
        assert ui_store.counts()["all"] == before - 1
        [made] = filters.list_filters(ui_store)
        assert (made.query, made.action, made.feed_url) == ("réforme taxe", "hide", None)
        await press(pilot, "escape")
        app.main.goto("all")
        await settle(pilot)
        assert hidden not in app.main.articles.ids
        assert len(app.main.articles.ids) == before - 1
        # Deleted after asking: the article is listed again.
        await press(pilot, "f", "d")
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "y")
        assert plain(words["deleted"]) in [plain(n) for n in notices(app)]
        assert isinstance(app.screen, FiltersDialog)
        assert plain(words["empty"]) in plain(screen_text(app))
        await press(pilot, "escape")
        assert not isinstance(app.screen, FiltersDialog)
        assert hidden in app.main.articles.ids
        assert filters.list_filters(ui_store) == []


async def test_a_query_naming_no_feed_is_refused_inline(ui_store: Store, ui_paths: Paths) -> None:
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await press(pilot, "f", "n")
        dialog = app.screen
        assert isinstance(dialog, FilterEditDialog)
        await pilot.press(*"Ailleurs")
        dialog.query_one("#filter-query", Input).focus()
        await pilot.press(*"feed:inconnu budget")
        await press(pilot, "enter")
        assert app.screen is dialog  # nothing typed is lost
        assert "Aucun flux ne correspond à « inconnu »" in plain(screen_text(app))
        assert dialog.query_one("#filter-name", Input).value == "Ailleurs"
        await press(pilot, "escape")
        assert isinstance(app.screen, FiltersDialog)
        await press(pilot, "escape")
    assert filters.list_filters(ui_store) == []


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_the_reader_says_which_filter_marked_the_article(
    ui_store: Store, ui_paths: Paths, language: str
) -> None:
    filters.add_filter(ui_store, "Dotations", "dotations", "star")
    assert filters.apply_filter(ui_store, "Dotations").changed == 1
    [starred] = ui_store.article_ids(ArticleFilter(starred=True))
    app: GazetteApp = make_app(ui_store, ui_paths, language=language)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        app.main.show_found(starred)
        await settle(pilot)
        line = app.main.reader.query_one("#reader-filters", Static)
        assert line.display
        assert plain(WORDS[language]["starred"]) in plain(screen_text(app))
