"""``gazette-tui refresh`` and the article pages of feeds whose ``fulltext`` is on: the progress bar counts
them on a real terminal (a pseudo-terminal here), the summary says how many full texts came and which pages
failed, ``--json`` carries them, and ``show`` prints the full text from the cache once the site is gone."""

from __future__ import annotations

import json
import os
import select
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.french import typo
from support.pages import NewsSite, Page, article_words

from gazette_tui.cli import main


@pytest.fixture
def site() -> Iterator[NewsSite]:
    with NewsSite(count=4) as server:
        yield server


def subscribe(site: NewsSite, capsys: pytest.CaptureFixture[str], folder: Path) -> None:
    """The site's feed as the only subscription (``--replace``: La Gazette's seeds are never fetched)."""
    folder.mkdir(parents=True, exist_ok=True)
    listing = folder / "abonnements.opml"
    listing.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>Veille</title></head><body>'
        f'<outline type="rss" text="Le Courrier des communes" xmlUrl="{site.feed_url}"/></body></opml>',
        encoding="utf-8",
    )
    assert main(["import", str(listing), "--replace"]) == 0
    assert main(["feeds", "set", site.feed_url, "fulltext", "on"]) == 0
    capsys.readouterr()


def read_all(fd: int) -> str:
    chunks = []
    while select.select([fd], [], [], 0.2)[0]:
        data = os.read(fd, 65536)
        if not data:
            break
        chunks.append(data)
    return b"".join(chunks).decode("utf-8", errors="replace")


def test_the_progress_bar_counts_the_pages_on_a_terminal(
    site: NewsSite, xdg_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    subscribe(site, capsys, xdg_home)
    master, slave = os.openpty()
    terminal = os.fdopen(slave, "w", encoding="utf-8", buffering=1)
    try:
        monkeypatch.setattr(sys, "stderr", terminal)
        assert main(["refresh"]) == 0
        terminal.flush()
        drawn = read_all(master)
    finally:
        monkeypatch.undo()
        terminal.close()
        os.close(master)
    assert "1/1 flux" in drawn
    assert typo("4/4 pages d'articles") in drawn
    out = capsys.readouterr().out
    assert typo("4 textes intégraux tirés des pages des articles.") in out
    assert site.page_hits() == 4


def test_the_summary_names_the_pages_that_failed_and_json_carries_them(
    site: NewsSite, xdg_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site.pages[site.article_path(3)] = Page(b"<html><body>introuvable</body></html>", status=404)
    subscribe(site, capsys, xdg_home)
    assert main(["refresh"]) == 0  # a page that fails is not a feed that fails
    said = capsys.readouterr()
    assert typo("3 textes intégraux tirés des pages des articles.") in said.out
    assert typo(f"  page non lue : {site.url(site.article_path(3))} — HTTP 404") in said.err
    assert main(["refresh", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["pages"] == {"fetched": 0, "failed": 0, "copied": 0, "skipped": 0, "errors": []}
    assert site.page_hits() == 4  # the page that failed is not asked again


def test_show_prints_the_full_text_once_the_site_is_gone(
    xdg_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with NewsSite(count=2) as site:
        subscribe(site, capsys, xdg_home)
        assert main(["refresh", "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["pages"]["fetched"] == 2
    assert main(["search", article_words(1), "--json"]) == 0
    (hit,) = json.loads(capsys.readouterr().out)
    assert main(["show", str(hit["id"])]) == 0
    shown = capsys.readouterr().out
    assert article_words(1) in shown
    assert "taux de fiscalité" in shown
