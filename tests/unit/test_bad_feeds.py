"""Each bad input of the engine issue, against a real loopback server: a clear per-feed message, the other
feeds refresh, and nothing already cached is lost."""

from __future__ import annotations

import asyncio
import gzip
import socket
import time
from collections.abc import Callable, Iterator

import pytest
from pytest_httpserver import HTTPServer
from support.feeds import item_xml, rss
from werkzeug import Request, Response

from gazette_tui.core.feeds.refresh import RefreshReport, refresh_feeds
from gazette_tui.core.settings import Settings
from gazette_tui.core.storage.store import Store

Responder = Callable[[HTTPServer, str], None]


def refresh(store: Store, settings: Settings) -> RefreshReport:
    return asyncio.run(refresh_feeds(store, settings))


def drip(request: Request) -> Response:
    def body() -> Iterator[bytes]:
        for byte in rss(3):
            time.sleep(0.5)
            yield bytes([byte])

    return Response(body(), content_type="application/rss+xml")


def slow(request: Request) -> Response:
    time.sleep(2.5)
    return Response(rss(1))


def bomb() -> bytes:
    # 64 MiB of zeros compress to ~64 KiB: a 1000× inflation.
    return gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)


CASES: dict[str, tuple[Responder, str]] = {
    "html page": (
        lambda s, p: s.expect_request(p).respond_with_data(
            "<!DOCTYPE html><html><body><h1>Bienvenue</h1></body></html>", content_type="text/html"
        ),
        "pas un flux",
    ),
    "malformed xml": (
        lambda s, p: s.expect_request(p).respond_with_data(
            "<rss version='2.0'><channel><title>oups</titl></rss"
        ),
        "mal formé",
    ),
    "empty body": (lambda s, p: s.expect_request(p).respond_with_data(""), "Réponse vide"),
    "404": (lambda s, p: s.expect_request(p).respond_with_data("non", status=404), "HTTP 404"),
    "500": (lambda s, p: s.expect_request(p).respond_with_data("panne", status=500), "HTTP 500"),
    "timeout": (lambda s, p: s.expect_request(p).respond_with_handler(slow), "Délai dépassé"),
    "drip": (lambda s, p: s.expect_request(p).respond_with_handler(drip), "Délai dépassé"),
    "redirect loop": (
        lambda s, p: s.expect_request(p).respond_with_response(Response(status=302, headers={"Location": p})),
        "Boucle de redirections",
    ),
    "too large": (
        lambda s, p: s.expect_request(p).respond_with_data(rss([item_xml(i) for i in range(400)])),
        "trop volumineux",
    ),
    "gzip bomb": (
        lambda s, p: s.expect_request(p).respond_with_data(bomb(), headers={"Content-Encoding": "gzip"}),
        "trop volumineux",
    ),
    "entity declarations": (
        lambda s, p: s.expect_request(p).respond_with_data(
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            "<rss version='2.0'><channel><title>&b;</title></channel></rss>"
        ),
        "entités XML",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_feed_is_marked_and_nothing_is_lost(
    case: str, httpserver: HTTPServer, store: Store, settings: Settings
) -> None:
    settings.refresh.timeout = 1.5
    settings.refresh.max_feed_bytes = 64 * 1024
    good_items = [item_xml(i) for i in range(3)]
    responder, expected = CASES[case]
    httpserver.expect_request("/good").respond_with_data(rss(good_items))
    # First refresh: the feed is healthy, its articles are cached.
    httpserver.expect_oneshot_request("/bad").respond_with_data(rss([item_xml(i) for i in range(10, 14)]))
    responder(httpserver, "/bad")
    store.add_feed(httpserver.url_for("/good"))
    store.add_feed(httpserver.url_for("/bad"))
    first = refresh(store, settings)
    assert (first.ok, first.new) == (2, 7)
    before = {i: store.article(i) for i in store.article_ids()}
    store.set_starred(next(iter(before)), True)
    started = time.monotonic()
    report = refresh(store, settings)
    elapsed = time.monotonic() - started
    assert report.ok == 1, report
    assert report.failed == 1, report
    url, error = report.errors[0]
    assert url.endswith("/bad"), error
    assert expected.lower() in error.lower(), error
    bad = next(f for f in store.feeds() if f.url.endswith("/bad"))
    assert bad.last_error == error
    assert bad.failures == 1
    assert bad.articles == 4
    after = {i: store.article(i) for i in store.article_ids()}
    assert after.keys() == before.keys()
    assert all(after[i].title == before[i].title for i in after)
    assert elapsed < settings.refresh.timeout + 5  # the deadline bounds even a dripping server


def test_connection_refused_is_offline(store: Store, settings: Settings) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    store.add_feed(f"http://127.0.0.1:{port}/feed/")
    report = refresh(store, settings)
    assert report.failed == 1
    assert report.offline
    assert report.errors[0][1] == "Connexion impossible"


def test_items_without_guid_or_link_dedupe_by_content(
    httpserver: HTTPServer, store: Store, settings: Settings
) -> None:
    items = [item_xml(i, guid=False, link=False) for i in range(3)]
    httpserver.expect_request("/f").respond_with_data(rss(items))
    store.add_feed(httpserver.url_for("/f"))
    assert refresh(store, settings).new == 3
    again = refresh(store, settings)
    assert (again.new, again.updated) == (0, 0)
    assert store.counts()["all"] == 3


def test_a_guid_repeated_for_different_items_keeps_them_apart(
    httpserver: HTTPServer, store: Store, settings: Settings
) -> None:
    """A CMS that gives every item one guid must not merge them; the same item listed twice is one."""
    items = [item_xml(1, title="Premier"), item_xml(1, title="Doublon"), item_xml(2), item_xml(2)]
    httpserver.expect_request("/f").respond_with_data(rss(items))
    store.add_feed(httpserver.url_for("/f"))
    assert refresh(store, settings).new == 3
    titles = [row.title for row in store.article_rows(store.article_ids())]
    assert {"Doublon", "Premier"} <= set(titles)
    assert len(titles) == 3
    assert refresh(store, settings).new == 0  # the keys are stable from one refresh to the next


def test_odd_and_missing_dates(httpserver: HTTPServer, store: Store, settings: Settings) -> None:
    items = [
        item_xml(1, date="2026-11-19T08:30:00+01:00"),
        item_xml(2, date="Thu, 19 Nov 2026 08:30:00 +0100"),
        item_xml(3, date="19/11/2026 n'importe quoi"),
        item_xml(4, date=""),
        item_xml(5, date="Jeudi 19 novembre"),
    ]
    httpserver.expect_request("/f").respond_with_data(rss(items))
    store.add_feed(httpserver.url_for("/f"))
    assert refresh(store, settings).new == 5
    rows = {r.title.split("n° ")[1].rstrip(")"): r.published for r in store.article_rows(store.article_ids())}
    assert rows["1"] == rows["2"] == 1795073400
    assert all(isinstance(v, int) and v > 0 for v in rows.values())


def test_escape_sequences_and_markup_in_titles(
    httpserver: HTTPServer, store: Store, settings: Settings
) -> None:
    nasty = "\x1b[2J\x1b]0;pwned\x07[bold]Budget[/bold] [@click=app.quit]Lire[/] \u202egnp.exe"
    httpserver.expect_request("/f").respond_with_data(rss([item_xml(1, title=nasty)]))
    store.add_feed(httpserver.url_for("/f"))
    # Raw ESC is not even legal XML: the strict fast path refuses it and feedparser's loose parser reads it.
    assert refresh(store, settings).new == 1
    title = store.article_rows(store.article_ids())[0].title
    assert "\x1b" not in title
    assert "\x07" not in title
    assert "\u202e" not in title
    assert (
        "[bold]Budget[/bold] [@click=app.quit]Lire[/]" in title
    )  # kept literally, for the UI to show as text


def test_recoverable_malformed_feed_is_read(httpserver: HTTPServer, store: Store, settings: Settings) -> None:
    """Tolerance, as feedparser gives it: a feed with a broken tail still yields its readable items."""
    broken = rss(2).replace(b"</channel></rss>", "<item><title>coupé".encode())
    httpserver.expect_request("/f").respond_with_data(broken)
    store.add_feed(httpserver.url_for("/f"))
    report = refresh(store, settings)
    assert report.ok == 1
    assert report.new >= 2
