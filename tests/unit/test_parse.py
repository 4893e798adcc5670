"""Parsing: the fast path and feedparser agree, JSON Feed, La Gazette's shape, cleaning at ingest."""

from __future__ import annotations

import json

import pytest
from support.feeds import atom, item_xml, rss

from gazette_tui.core.feeds.parse import _fast_path, _feedparser, parse_feed, to_timestamp
from gazette_tui.errors import FeedError


def test_rss_fast_path_fields() -> None:
    feed = parse_feed(rss(2, title="Flux &amp; essai"))
    assert feed.kind == "rss"
    assert feed.title == "Flux & essai"
    assert feed.site_url == "https://exemple.test/"
    entry = feed.entries[0]
    assert entry.key == "exemple-0"
    assert entry.url == "https://exemple.test/actualite/0/article/"
    assert entry.author == "Camille Durand"
    assert entry.kicker == "Budget"
    assert entry.categories == ["Budget", "Finances"]
    assert entry.published == to_timestamp("2026-11-20T09:00:00+00:00")
    assert "<h2>" in entry.content_html
    assert "Résumé" in entry.summary_html
    assert "contexte budgétaire" in entry.text
    assert "<" not in entry.text
    assert not entry.reserved


def test_fast_path_matches_feedparser() -> None:
    data = rss(5)
    fast, slow = _fast_path(data, ""), _feedparser(data, "", "")
    assert fast is not None
    for a, b in zip(fast.entries, slow.entries, strict=True):
        assert (a.key, a.url, a.title, a.author, a.published, a.categories, a.text) == (
            b.key, b.url, b.title, b.author, b.published, b.categories, b.text
        )  # fmt: skip


def test_atom() -> None:
    feed = parse_feed(atom(2))
    assert feed.kind == "atom"
    assert len(feed.entries) == 2
    entry = feed.entries[1]
    assert entry.title == "Atom <b>n° 1</b>"  # escaped HTML in a type=html title is shown as text
    assert entry.author == "Léa Martin"
    assert entry.kicker == "Finances"
    assert entry.url == "https://exemple.test/atom/1"
    assert entry.key == "urn:atom:1"


def test_rdf_goes_through_feedparser() -> None:
    data = (
        b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        b'xmlns="http://purl.org/rss/1.0/"><channel rdf:about="https://exemple.test/"><title>RDF</title>'
        b"<link>https://exemple.test/</link></channel><item rdf:about='https://exemple.test/1'>"
        b"<title>Premier</title><link>https://exemple.test/1</link><description>Texte</description>"
        b"</item></rdf:RDF>"
    )
    feed = parse_feed(data)
    assert feed.kind == "rdf"
    assert [e.title for e in feed.entries] == ["Premier"]


def test_json_feed() -> None:
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Flux JSON",
        "home_page_url": "https://exemple.test/",
        "items": [
            {
                "id": "j1",
                "url": "https://exemple.test/j1?abo=1",
                "title": "Réforme de la DGF",
                "content_html": "<p>Texte intégral</p>",
                "date_published": "2026-11-18T10:00:00+01:00",
                "authors": [{"name": "Paul Girard"}],
                "tags": ["Finances locales", "DGF"],
            },
            {"id": 2, "content_text": "Ligne 1\nLigne 2", "title": "Texte brut"},
            "not an item",
        ],
    }
    feed = parse_feed(json.dumps(document).encode(), content_type="application/feed+json")
    assert feed.kind == "json"
    assert feed.title == "Flux JSON"
    first, second = feed.entries
    assert first.reserved
    assert first.author == "Paul Girard"
    assert first.kicker == "Finances locales"
    assert first.published == to_timestamp("2026-11-18T09:00:00Z")
    assert second.key == "2"
    assert "Ligne 1<br>Ligne 2" in second.content_html


def test_deeply_nested_json_feed_is_refused() -> None:
    with pytest.raises(FeedError):
        parse_feed(b"[" * 100000 + b"]" * 100000)


def test_reserved_from_abo_link_and_marker() -> None:
    item = item_xml(1).replace("/actualite/1/article/", "/actualite/1/article/?abo=1")
    assert parse_feed(rss([item])).entries[0].reserved
    marked = item_xml(2).replace("Résumé de l’article", "Article réservé aux abonnés. Résumé")
    assert parse_feed(rss([marked])).entries[0].reserved


def test_unsafe_links_and_markup_are_cleaned() -> None:
    body = (
        '<p onclick="x()">Texte <a href="javascript:alert(1)">piège</a> <a href="https://ok.test/">sûr</a></p>'
        "<script>alert(1)</script><img src=x onerror=alert(1) alt='Photo'>"
    )
    item = item_xml(1, body=body).replace(
        "https://exemple.test/actualite/1/article/", "javascript:alert(document.cookie)"
    )
    entry = parse_feed(rss([item])).entries[0]
    assert "javascript" not in entry.content_html
    assert "onclick" not in entry.content_html
    assert "<script" not in entry.content_html
    assert "onerror" not in entry.content_html
    assert 'href="https://ok.test/"' in entry.content_html
    assert entry.url == ""  # the item's own javascript: link is dropped


def test_entities_smuggling_escapes_are_removed() -> None:
    item = item_xml(1, title="Avant &#27;[2J après &#x9b;31m fin")
    entry = parse_feed(rss([item])).entries[0]
    assert "\x1b" not in entry.title
    assert "\x9b" not in entry.title
    assert entry.title.startswith("Avant [2J après")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Fri, 20 Nov 2026 09:00:00 GMT", "2026-11-20T09:00:00+00:00"),
        ("2026-11-20T10:00:00+01:00", "2026-11-20T09:00:00+00:00"),
        ("2026-11-20", "2026-11-20T00:00:00+00:00"),
        ("20 Nov 2026 09:00 +0000", "2026-11-20T09:00:00+00:00"),
    ],
)
def test_dates(value: str, expected: str) -> None:
    assert to_timestamp(value) == to_timestamp(expected)


def test_garbage_dates_are_none() -> None:
    assert to_timestamp("pas une date") is None
    assert to_timestamp("") is None
    assert to_timestamp(None) is None
