"""Snapshots (pytest-textual-snapshot) of the main screens at 120×36 and 80×24, from the fixed data in
``support/ui.py`` (fixed dates, zone Europe/Paris from conftest, French UI, default theme). After a change,
review the SVG report before ``--snapshot-update``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from support.ui import filled_store, make_app, settle
from textual.pilot import Pilot

from gazette_tui.core.paths import Paths
from gazette_tui.core.storage.store import Store

SnapCompare = Callable[..., bool]
WIDE = (120, 36)
NARROW = (80, 24)


@pytest.fixture
def ui_paths(tmp_path: Path) -> Paths:
    # The config path is shown in the help screen: keep it the same on every machine.
    return Paths(
        Path("/home/agent/.config/gazette-tui"), tmp_path / "data", tmp_path / "cache", tmp_path / "log"
    )


@pytest.fixture
def ui_store(ui_paths: Paths) -> Iterator[Store]:
    ui_paths.data_dir.mkdir(parents=True)
    store_iter = filled_store(ui_paths)
    store = next(store_iter)
    ids = store.article_ids()
    store.set_read(ids[3:6], True)
    store.set_starred(ids[1], True)
    yield store
    store_iter.close()


def keys(*presses: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """Settle, press each key and settle again (workers chain: key → SQLite thread → message → redraw)."""

    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in presses:
            await pilot.press(key)
            await settle(pilot)

    return run


def snap(
    snap_compare: SnapCompare, store: Store, paths: Paths, size: tuple[int, int], presses: Sequence[str]
) -> bool:
    app = make_app(store, paths)
    return snap_compare(app, terminal_size=size, run_before=keys(*presses))


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["120x36", "80x24"])
def test_main_view(
    snap_compare: SnapCompare, ui_store: Store, ui_paths: Paths, size: tuple[int, int]
) -> None:
    """Tree with counts and the error marker, list with unread marks, star and the "réservé" badge."""
    assert snap(snap_compare, ui_store, ui_paths, size, ["l"])


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["120x36", "80x24"])
def test_reader(snap_compare: SnapCompare, ui_store: Store, ui_paths: Paths, size: tuple[int, int]) -> None:
    """The first article opened: kicker, title, meta line, tags, lede, sub-heading, list, quote."""
    assert snap(snap_compare, ui_store, ui_paths, size, ["l", "enter"])


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["120x36", "80x24"])
def test_reserved_article(
    snap_compare: SnapCompare, ui_store: Store, ui_paths: Paths, size: tuple[int, int]
) -> None:
    """An excerpt-only article says so and points to the original (key o)."""
    assert snap(snap_compare, ui_store, ui_paths, size, ["l", "j", "j", "j", "enter"])


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["120x36", "80x24"])
def test_help(snap_compare: SnapCompare, ui_store: Store, ui_paths: Paths, size: tuple[int, int]) -> None:
    """Every key with its binding id."""
    assert snap(snap_compare, ui_store, ui_paths, size, ["question_mark"])


def test_login_dialog(snap_compare: SnapCompare, ui_store: Store, ui_paths: Paths) -> None:
    """The login dialog at 80×24: both fields, both check boxes, the buttons and both links on screen."""
    assert snap(snap_compare, ui_store, ui_paths, NARROW, ["C"])


def test_search(snap_compare: SnapCompare, ui_store: Store, ui_paths: Paths) -> None:
    """The search bar at 80×24 with a query's results: date, title, feed, the snippet, the hint."""
    assert snap(snap_compare, ui_store, ui_paths, NARROW, ["slash", *"budget"])
