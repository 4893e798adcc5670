"""« Ma Gazette » in the TUI, in both languages: the themes dialog (W), the tree's line it adds, the page
(w, or enter on that line) and an article opened from it; a snapshot of the page. The clock is fixed at the
fixed data's time (``support/ui.py``), so « today » holds its articles."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support.french import typo
from support.ui import NOW, filled_store, make_app, screen_text, settle

from gazette_tui.core.library import ma_gazette
from gazette_tui.core.library.ma_gazette import Theme
from gazette_tui.core.paths import Paths
from gazette_tui.core.storage.store import Store
from gazette_tui.ui.screens.ma_gazette import CardView, MaGazettePage

TODAY_LATE = NOW + 2 * 3600  # 20/02/2019 14:00 Paris: the Lorient budget (11:00) is today's


@pytest.fixture
def ui_paths(tmp_path: Path) -> Paths:
    return Paths(
        Path("/home/agent/.config/gazette-tui"), tmp_path / "data", tmp_path / "cache", tmp_path / "log"
    )


@pytest.fixture
def ui_store(ui_paths: Paths, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    monkeypatch.setattr(ma_gazette, "now", lambda: TODAY_LATE)
    ui_paths.data_dir.mkdir(parents=True)
    yield from filled_store(ui_paths)


WORDS = {
    "fr": ("Ma Gazette", typo("Rubrique « Finances »"), "thème suivi", "Rien de neuf"),
    "en": ("My Gazette", "Rubrique “Finances”", "theme followed", "Nothing new"),
}


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_the_themes_dialog_follows_a_tag_and_the_tree_shows_the_page(
    ui_store: Store, ui_paths: Paths, language: str
) -> None:
    app = make_app(ui_store, ui_paths, language=language)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.main.feed_tree.target("gazette") is None  # no theme yet: no line
        await pilot.press("W")
        await settle(pilot)
        assert type(app.screen).__name__ == "ThemesDialog"
        text = screen_text(app)
        assert "Finances" in text
        assert "Fiscalité locale" in text
        await pilot.press(*"fiscalit")  # accents folded: « Fiscalité », « Fiscalité locale »
        await settle(pilot)
        shown = [theme for theme in app.screen.shown if theme is not None]  # type: ignore[attr-defined]
        assert shown == [Theme("tag", "Fiscalité"), Theme("tag", "Fiscalité locale")]
        await pilot.press("enter", "ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen"
        assert ma_gazette.chosen(ui_store) == [Theme("tag", "Fiscalité")]
        line = app.main.feed_tree.target("gazette")
        assert line is not None
        assert line.title == WORDS[language][0]
        assert any(WORDS[language][2] in notice for notice in app.notices)
        await pilot.press("escape")  # cancelling changes nothing
        await pilot.press("W")
        await settle(pilot)
        await pilot.press("enter", "escape")
        await settle(pilot)
        assert ma_gazette.chosen(ui_store) == [Theme("tag", "Fiscalité")]


async def test_down_from_the_filter_box_goes_to_the_first_match_then_the_next(
    ui_store: Store, ui_paths: Paths
) -> None:
    """↓ after typing lands on the first match (it used to skip it), and ↓ again on the second."""
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("W")
        await settle(pilot)
        await pilot.press(*"fiscalit", "down", "enter")
        await settle(pilot)
        await pilot.press("down", "down", "enter", "ctrl+s")
        await settle(pilot)
        assert ma_gazette.chosen(ui_store) == [Theme("tag", "Fiscalité"), Theme("tag", "Fiscalité locale")]


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_the_page_groups_by_theme_and_opens_an_article(
    ui_store: Store, ui_paths: Paths, language: str
) -> None:
    ma_gazette.choose(ui_store, [Theme("rubrique", "Finances"), Theme("tag", "Dotations")])
    app = make_app(ui_store, ui_paths, language=language)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.main.feed_tree.select_key("gazette")
        await settle(pilot)
        await pilot.press("enter")  # enter on the tree's line: its list, then its page
        await settle(pilot)
        page = app.screen
        assert isinstance(page, MaGazettePage)
        text = screen_text(app)
        title, rubrique, _followed, quiet = WORDS[language]
        assert title in text
        assert rubrique in text
        assert quiet in text
        cards = [card.card for card in page.query(CardView)]
        assert [c.title for c in cards] == ["Budget primitif : la ville de Lorient maîtrise ses dépenses"]
        assert cards[0].kicker
        assert "Jeanne Martin" in cards[0].meta
        assert app.main.articles.current_id == cards[0].id  # the list shows the page's articles
        await pilot.press("j", "enter")  # one card: j stays on it
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen"
        assert app.main.reader.article is not None
        assert app.main.reader.article.id == cards[0].id
    assert ui_store.meta(ma_gazette.LAST_VISIT) == str(TODAY_LATE)


async def test_the_page_without_themes_says_how_to_choose_them(ui_store: Store, ui_paths: Paths) -> None:
    app = make_app(ui_store, ui_paths, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert "No theme chosen yet: press W" in screen_text(app)
        await pilot.press("q")
        await settle(pilot)
        assert type(app.screen).__name__ == "MainScreen"


def test_snapshot_of_the_page(snap_compare: object, ui_store: Store, ui_paths: Paths) -> None:
    """Two themes with news, one quiet: the section rules, the kicker, the title, the meta line, the lede."""
    ma_gazette.choose(
        ui_store, [Theme("tag", "Budget"), Theme("rubrique", "Finances"), Theme("tag", "Dotations")]
    )
    ui_store.set_meta(ma_gazette.LAST_VISIT, str(NOW - 2 * 86_400))  # two days away: since then

    async def run_before(pilot: object) -> None:
        await settle(pilot)  # type: ignore[arg-type]
        await pilot.press("w")  # type: ignore[attr-defined]
        await settle(pilot)  # type: ignore[arg-type]

    assert snap_compare(make_app(ui_store, ui_paths), terminal_size=(120, 36), run_before=run_before)  # type: ignore[operator]
