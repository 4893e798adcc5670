"""Pilot tests of the search bar on a real SQLite store: results as you type, a slow older query never
replacing a newer one, the words found styled from the core's spans, enter opens, esc gives the list back,
the history on ↑/↓ kept in the database, and invalid queries explained inline."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.french import typo
from support.ui import filled_store, make_app, new_paths, screen_text, settle
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from gazette_tui.core.paths import Paths
from gazette_tui.core.search import search as core_search
from gazette_tui.core.storage.store import Store
from gazette_tui.ui.app import GazetteApp
from gazette_tui.ui.dialogs.search import SNIPPET_STYLE, TITLE_STYLE, SearchDialog
from gazette_tui.ui.screens.main import MainScreen
from gazette_tui.ui.search_history import META_KEY, HistoryBrowser, load_history

BUDGET = "Budget primitif : la ville de Lorient maîtrise ses dépenses"
DOTATIONS = "Dotations : ce qui change en 2019"


@pytest.fixture
def ui_paths(tmp_path: Path) -> Paths:
    return new_paths(tmp_path)


@pytest.fixture
def ui_store(ui_paths: Paths) -> Iterator[Store]:
    yield from filled_store(ui_paths)


def dialog(app: GazetteApp) -> SearchDialog:
    assert isinstance(app.screen, SearchDialog)
    return app.screen


async def open_search(pilot: Pilot[int], key: str = "slash") -> SearchDialog:
    await settle(pilot)
    await pilot.press(key)
    await pilot.pause()
    return dialog(pilot.app)  # type: ignore[arg-type]


async def wait_for(pilot: Pilot[int], condition: Any, rounds: int = 200) -> None:
    """Pause until ``condition()`` holds (for flows where a worker is held on purpose, so settle would wait
    for it)."""
    for _round in range(rounds):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("condition never became true")


def titles(search: SearchDialog) -> list[str]:
    return [hit.row.title for hit in search.results]


async def test_results_come_as_you_type_and_follow_the_query(ui_store: Store, ui_paths: Paths) -> None:
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=(120, 36)) as pilot:
        search = await open_search(pilot, "ctrl+f")
        await pilot.press(*"budget")  # no enter: the results come after a pause in typing
        await settle(pilot)
        assert titles(search) == [BUDGET]
        assert BUDGET in screen_text(app)
        assert "1 résultat" in screen_text(app)
        await pilot.press(*" OR dotations")
        await settle(pilot)
        assert sorted(titles(search)) == sorted([BUDGET, DOTATIONS])
        assert "2 résultats" in screen_text(app)
        for _key in " OR dotations":
            await pilot.press("backspace")
        await settle(pilot)
        assert titles(search) == [BUDGET]


async def test_a_slow_older_query_never_replaces_newer_results(
    ui_store: Store, ui_paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = core_search.search_hits
    started, release = threading.Event(), threading.Event()
    calls: list[str] = []

    def slow_first(store: Store, text: str, **options: Any) -> list[core_search.SearchHit]:
        calls.append(text)
        if text == "dotations":
            started.set()
            release.wait(10)
        return real(store, text, **options)

    monkeypatch.setattr(core_search, "search_hits", slow_first)
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=(120, 36)) as pilot:
        search = await open_search(pilot)
        await pilot.press(*"dotations")
        await wait_for(pilot, started.is_set)  # the slow query is running
        for _key in "dotations":
            await pilot.press("backspace")
        await pilot.press(*"budget")
        await wait_for(pilot, lambda: search.query_text == "budget")
        assert titles(search) == [BUDGET]
        release.set()  # the old query now finishes, late
        await settle(pilot)
        assert calls == ["dotations", "budget"]
        assert search.query_text == "budget"
        assert titles(search) == [BUDGET]
        assert DOTATIONS not in screen_text(app)


async def test_found_words_are_styled_from_the_spans(ui_store: Store, ui_paths: Paths) -> None:
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=(120, 36)) as pilot:
        search = await open_search(pilot)
        await pilot.press(*"budget")
        await settle(pilot)
        hit = search.results[0]
        assert hit.title_spans
        assert hit.snippet_spans
        prompt = search.query_one(OptionList).get_option_at_index(0).prompt
        assert isinstance(prompt, Content)
        plain = prompt.plain
        title_at = plain.index(hit.title)
        snippet_at = plain.index(hit.snippet)
        styled = {(span.start, span.end): span.style for span in prompt.spans}
        for start, end in hit.title_spans:
            assert styled[(title_at + start, title_at + end)] == TITLE_STYLE
            assert plain[title_at + start : title_at + end].lower() == "budget"
        for start, end in hit.snippet_spans:
            assert styled[(snippet_at + start, snippet_at + end)] == SNIPPET_STYLE
            assert plain[snippet_at + start : snippet_at + end].lower() == "budget"
        # Nothing else carries the highlight styles: the rest of the line is plain text.
        highlighted = {k for k, v in styled.items() if v in (TITLE_STYLE, SNIPPET_STYLE)}
        assert len(highlighted) == len(hit.title_spans) + len(hit.snippet_spans)


async def test_enter_opens_the_chosen_result(ui_store: Store, ui_paths: Paths) -> None:
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=(120, 36)) as pilot:
        search = await open_search(pilot)
        await pilot.press(*"dotations OR budget")
        await settle(pilot)
        assert len(search.results) == 2
        second = search.results[1].row
        await pilot.press("tab", "down", "enter")  # to the results, second line, open
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.main.reader.article is not None
        assert app.main.reader.article.id == second.id
        assert app.main.articles.current_id == second.id
        assert ui_store.article(second.id).read


async def test_enter_while_typing_opens_the_first_result(ui_store: Store, ui_paths: Paths) -> None:
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_search(pilot)
        await pilot.press(*"dotations", "enter")  # before the pause: the results are not there yet
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.main.reader.article is not None
        assert app.main.reader.article.title == DOTATIONS


async def test_escape_gives_back_the_list_its_cursor_and_the_focus(ui_store: Store, ui_paths: Paths) -> None:
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        main = app.main
        await pilot.press("enter", "j", "j", "j")  # tree → list, cursor on the fourth article
        await settle(pilot)
        ids, cursor, current = list(main.articles.ids), main.articles.cursor, main.articles.current_id
        assert cursor == 3
        assert app.focused is main.articles
        search = await open_search(pilot)
        await pilot.press(*"dotations OR budget")
        await settle(pilot)
        assert len(search.results) == 2
        await pilot.press("tab", "down", "escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert main.articles.ids == ids
        assert main.articles.cursor == cursor
        assert main.articles.current_id == current
        assert app.focused is main.articles
        assert main.reader.article is None  # nothing was opened


async def test_history_on_up_and_down_survives_a_restart(ui_store: Store, ui_paths: Paths) -> None:
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_search(pilot)
        await pilot.press(*"budget")
        await settle(pilot)
        await pilot.press("enter")  # opened: remembered
        await settle(pilot)
        await open_search(pilot)
        await pilot.press(*"dotations")
        await settle(pilot)
        await pilot.press("escape")  # closed after it ran: remembered too
        await settle(pilot)
        await open_search(pilot)
        await pilot.press(*'"oops')  # invalid: not remembered
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
    assert json.loads(ui_store.meta(META_KEY) or "[]") == ["budget", "dotations"]

    again = make_app(ui_store, ui_paths)
    async with again.run_test(size=(120, 36)) as pilot:
        search = await open_search(pilot)
        await settle(pilot)
        field = search.query_one("#search-input", Input)
        await pilot.press(*"brouillon")
        await pilot.press("up")
        assert field.value == "dotations"
        await pilot.press("up")
        assert field.value == "budget"
        await pilot.press("up")  # the oldest: stays
        assert field.value == "budget"
        await pilot.press("down")
        assert field.value == "dotations"
        await pilot.press("down")  # back to what was being typed
        assert field.value == "brouillon"
        await pilot.press("up", "up")
        await settle(pilot)
        assert titles(search) == [BUDGET]  # a recalled query runs like a typed one


def test_history_browser_and_storage(ui_store: Store) -> None:
    browser = HistoryBrowser(["a", "b"])
    assert browser.newer() is None
    assert browser.older("draft") == "b"
    assert browser.browsing
    assert browser.older("ignored") == "a"
    assert browser.older("ignored") is None
    assert browser.newer() == "b"
    assert browser.newer() == "draft"
    assert not browser.browsing
    assert HistoryBrowser().older("x") is None
    ui_store.set_meta(META_KEY, "{not json")
    assert load_history(ui_store) == []  # damaged: an empty history, never an error
    ui_store.set_meta(META_KEY, json.dumps(["ok", 3, "", None]))
    assert load_history(ui_store) == ["ok"]


async def test_an_invalid_query_is_explained_inline_with_a_caret(ui_store: Store, ui_paths: Paths) -> None:
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=(120, 36)) as pilot:
        search = await open_search(pilot)
        await pilot.press(*'budget "dotations')
        await settle(pilot)
        error = search.query_one("#search-error", Static)
        assert error.display
        assert search.results == []
        lines = screen_text(app).splitlines()
        message = next(i for i, line in enumerate(lines) if "Guillemet non fermé" in line)
        echoed, caret = lines[message + 1], lines[message + 2]
        assert 'budget "dotations' in echoed
        assert caret.count("^") == 1
        assert caret.index("^") == echoed.index('"dotations')  # under the quote that opens the phrase
        await pilot.press("enter")  # nothing to open: no crash, no dismissal
        await settle(pilot)
        assert app.screen is search
        assert app.is_running
        # Fixed: the message goes, the results come.
        await pilot.press('"')
        await settle(pilot)
        assert not error.display
        assert search.results == []
        for _key in '"dotations"':
            await pilot.press("backspace")
        await settle(pilot)
        assert titles(search) == [BUDGET]


async def test_an_unknown_feed_is_said_inline_too(ui_store: Store, ui_paths: Paths) -> None:
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=(120, 36)) as pilot:
        search = await open_search(pilot)
        await pilot.press(*"budget feed:nulle-part")
        await settle(pilot)
        text = screen_text(app)
        assert typo("Aucun flux ne correspond à « nulle-part »") in text
        lines = text.splitlines()
        # The field shows the query, and the error repeats it below with the caret.
        echoed = max(i for i, line in enumerate(lines) if "budget feed:nulle-part" in line)
        assert lines[echoed + 1].index("^") == lines[echoed].index("feed:")
        assert search.results == []
        assert app.is_running


async def test_ctrl_s_saves_the_search_as_an_alerte(ui_store: Store, ui_paths: Paths) -> None:
    from gazette_tui.core.search.alerts import list_alerts
    from gazette_tui.ui.dialogs.save_alert import SaveAlertDialog

    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=(120, 36)) as pilot:
        search = await open_search(pilot)
        await pilot.press("ctrl+s")  # nothing typed: said, no dialog
        await settle(pilot)
        assert app.screen is search
        await pilot.press(*"budget")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SaveAlertDialog)
        assert app.screen.query_one("#alert-query", Input).value == "budget"
        await pilot.press(*"Budgets", "enter")
        await settle(pilot)
        assert app.screen is search  # back to the results
        assert [(a.name, a.query) for a in list_alerts(ui_store)] == [("Budgets", "budget")]
