"""``gazette-tui feeds rename URL TITLE`` and ``feeds move URL RUBRIQUE``, in-process, on a real database
under a temporary home; the feed is subscribed from a real loopback server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from support.feeds import item_xml, rss
from support.french import typo

from gazette_tui.cli import main


@pytest.fixture
def feed_url(
    httpserver: HTTPServer, xdg_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> str:
    """One loopback feed, subscribed and refreshed (the first run's La Gazette feeds replaced, so that no
    refresh leaves this machine)."""
    httpserver.expect_request("/conseil/feed.xml").respond_with_data(
        rss([item_xml(i) for i in range(3)], title="Conseil municipal"), content_type="application/rss+xml"
    )
    url = httpserver.url_for("/conseil/feed.xml")
    listing = tmp_path / "abonnements.opml"
    listing.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>'
        f'<outline type="rss" text="" xmlUrl="{url}"/></body></opml>',
        encoding="utf-8",
    )
    assert main(["import", str(listing), "--replace"]) == 0
    assert main(["refresh"]) == 0
    capsys.readouterr()
    return url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def listed(capsys: pytest.CaptureFixture[str], url: str) -> dict[str, object]:
    code, out, _err = run(capsys, "feeds", "list", "--json")
    assert code == 0
    return next(row for row in json.loads(out) if row["url"] == url)


def test_rename_gives_the_feed_a_name_and_an_empty_one_gives_its_own_back(
    feed_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "feeds", "rename", feed_url, "Délibérations de Saint-Aubin")
    assert code == 0, err
    assert out == typo(f"Renommé : {feed_url} s'appelle désormais « Délibérations de Saint-Aubin ».\n")
    assert listed(capsys, feed_url)["title"] == "Délibérations de Saint-Aubin"
    code, out, _text = run(capsys, "search", "conseil", "--json")
    assert code == 0
    assert {hit["feed"] for hit in json.loads(out)} == {"Délibérations de Saint-Aubin"}

    code, out, err = run(capsys, "feeds", "rename", feed_url, "")
    assert code == 0, err
    assert out == typo(f"{feed_url} reprendra son propre titre à la prochaine mise à jour.\n")
    run(capsys, "refresh")
    assert listed(capsys, feed_url)["title"] == "Conseil municipal"


def test_move_puts_the_feed_in_a_rubrique_then_in_none(
    feed_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "feeds", "move", feed_url, "Commune")
    assert code == 0, err
    assert out == typo(f"{feed_url} est désormais dans la rubrique « Commune ».\n")
    assert listed(capsys, feed_url)["rubrique"] == "Commune"
    code, out, _err = run(capsys, "feeds", "list")
    lines = out.splitlines()
    assert lines[lines.index("Commune") + 1].endswith(feed_url)
    code, out, _err = run(capsys, "search", "rubrique:Commune", "--json")
    assert len(json.loads(out)) == 3  # the articles follow their feed

    code, out, err = run(capsys, "feeds", "move", feed_url, "")
    assert code == 0, err
    assert out == typo(f"{feed_url} n'est plus dans aucune rubrique.\n")
    assert listed(capsys, feed_url)["rubrique"] == ""


@pytest.mark.parametrize("action", ["rename", "move"])
def test_an_unknown_feed_is_said_and_exits_1(
    feed_url: str, capsys: pytest.CaptureFixture[str], action: str
) -> None:
    code, out, err = run(capsys, "feeds", action, "https://example.org/inconnu/", "Quelque chose")
    assert code == 1
    assert out == ""
    assert err == typo("Aucun abonnement à https://example.org/inconnu/.\n")
