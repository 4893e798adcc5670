"""Items with no usable date, and what a refresh reports, through the real CLI against a loopback server:
an undated item shows no date anywhere (list, search, JSON) and no date filter matches it; a feed longer
than the per-feed cap says how many of its oldest items were let go."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from support.feeds import item_xml, rss

from gazette_tui.cli import main
from gazette_tui.core.storage.store import Store


def _no_seeds(xdg_home: Path) -> None:
    """A profile whose first run is over: the La Gazette seeds are not added (nothing leaves loopback)."""
    with Store(xdg_home / "data" / "gazette-tui" / "gazette.db") as store:
        store.set_meta("seeded", "0")


def _subscribe(
    xdg_home: Path, httpserver: HTTPServer, items: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    _no_seeds(xdg_home)
    httpserver.expect_request("/f").respond_with_data(rss(items))
    assert main(["feeds", "add", httpserver.url_for("/f")]) == 0
    main(["refresh"])
    capsys.readouterr()


def test_an_undated_item_shows_no_date_in_search_and_matches_no_date_filter(
    xdg_home: Path, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    items = [
        item_xml(1, title="Budget daté", date="Thu, 19 Nov 2026 08:30:00 +0100"),
        item_xml(2, title="Budget sans date", date="0000-00-00 00:00:00"),
        item_xml(3, title="Budget plus ancien", date="Wed, 18 Nov 2026 08:30:00 +0100"),
    ]
    _subscribe(xdg_home, httpserver, items, capsys)
    assert main(["search", "budget", "--json"]) == 0
    hits = {hit["title"]: hit for hit in json.loads(capsys.readouterr().out)}
    assert hits["Budget sans date"]["published"] is None
    assert hits["Budget daté"]["published"].startswith("2026-11-19")
    assert main(["search", "budget"]) == 0
    lines = capsys.readouterr().out.splitlines()
    undated = next(line for line in lines if "Budget sans date" in line)
    assert "/20" not in undated
    assert "19/11/2026" in next(line for line in lines if "Budget daté" in line)
    # It sorts between its neighbours (its place in the feed), but a date filter never finds it.
    assert main(["search", "budget on:2026-11-19", "--json"]) == 0
    assert [hit["title"] for hit in json.loads(capsys.readouterr().out)] == ["Budget daté"]


def test_a_refresh_says_how_many_old_items_retention_let_go(
    xdg_home: Path, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    config = xdg_home / "config" / "gazette-tui" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("[retention]\nper_feed = 5\n", encoding="utf-8")
    _no_seeds(xdg_home)
    httpserver.expect_request("/long").respond_with_data(rss(8))
    assert main(["feeds", "add", httpserver.url_for("/long")]) == 0
    capsys.readouterr()
    assert main(["refresh", "--json"]) == 0  # exit 0: every feed (only ours) was reached
    report = json.loads(capsys.readouterr().out)
    assert report["feeds"] == 1
    assert report["new"] == 8
    assert report["pruned"] == 3
    main(["refresh"])
    # French: 0 is singular. The tombstones keep the 3 from returning
    assert "0 nouvel article" in capsys.readouterr().out
