"""Refresh against a real HTTP server on 127.0.0.1: conditional GET, redirects, status codes, and the rule
that a failure never touches what is cached."""

from __future__ import annotations

import asyncio
import gzip
import threading
import time

import pytest
from pytest_httpserver import HTTPServer
from support.feeds import item_xml, rss
from werkzeug import Request, Response

from gazette_tui.core.feeds.refresh import refresh_feeds
from gazette_tui.core.settings import Settings
from gazette_tui.core.storage.store import Store


def run(store: Store, settings: Settings, **kwargs: object):  # type: ignore[no-untyped-def]
    return asyncio.run(refresh_feeds(store, settings, **kwargs))  # type: ignore[arg-type]


def test_cold_then_conditional_refresh(httpserver: HTTPServer, store: Store, settings: Settings) -> None:
    seen: list[dict[str, str]] = []

    def handler(request: Request) -> Response:
        seen.append(dict(request.headers))
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(
            rss(5),
            headers={"ETag": '"v1"', "Last-Modified": "Fri, 20 Nov 2026 08:00:00 GMT"},
            content_type="application/rss+xml",
        )

    httpserver.expect_request("/feed/").respond_with_handler(handler)
    store.add_feed(httpserver.url_for("/feed/"))
    report = run(store, settings)
    assert (report.feeds, report.ok, report.failed, report.new) == (1, 1, 0, 5)
    assert seen[0]["User-Agent"].startswith("gazette-tui/")
    report = run(store, settings)
    assert (report.ok, report.new, report.updated) == (1, 0, 0)
    assert seen[1]["If-None-Match"] == '"v1"'
    assert seen[1]["If-Modified-Since"] == "Fri, 20 Nov 2026 08:00:00 GMT"
    assert store.counts()["all"] == 5


def test_read_and_starred_survive_updates(httpserver: HTTPServer, store: Store, settings: Settings) -> None:
    version = {"body": "<p>Première version.</p>"}
    httpserver.expect_request("/feed/").respond_with_handler(
        lambda r: Response(rss([item_xml(1, body=version["body"]), item_xml(2)]))
    )
    store.add_feed(httpserver.url_for("/feed/"))
    run(store, settings)
    first = store.article_ids()
    store.set_read(first, True)
    store.set_starred(first[0], True)
    version["body"] = "<p>Version corrigée par la rédaction.</p>"
    report = run(store, settings)
    assert (report.new, report.updated) == (0, 1)
    assert store.article_ids() == first  # updated in place: same ids
    article = store.article(first[0]) if "corrigée" in store.article(first[0]).content_html else None
    changed = article or store.article(first[1])
    assert "corrigée" in changed.content_html
    assert all(store.article(i).read for i in first)
    assert store.article(first[0]).starred


def test_permanent_redirect_updates_url(httpserver: HTTPServer, store: Store, settings: Settings) -> None:
    httpserver.expect_request("/old").respond_with_response(
        Response(status=301, headers={"Location": httpserver.url_for("/new")})
    )
    httpserver.expect_request("/new").respond_with_data(rss(2))
    store.add_feed(httpserver.url_for("/old"))
    report = run(store, settings)
    assert report.ok == 1
    assert [f.url for f in store.feeds()] == [httpserver.url_for("/new")]


def test_temporary_redirect_keeps_url(httpserver: HTTPServer, store: Store, settings: Settings) -> None:
    httpserver.expect_request("/tmp").respond_with_response(
        Response(status=302, headers={"Location": httpserver.url_for("/elsewhere")})
    )
    httpserver.expect_request("/elsewhere").respond_with_data(rss(2))
    store.add_feed(httpserver.url_for("/tmp"))
    assert run(store, settings).ok == 1
    assert [f.url for f in store.feeds()] == [httpserver.url_for("/tmp")]


def test_gone_disables_feed(httpserver: HTTPServer, store: Store, settings: Settings) -> None:
    httpserver.expect_request("/gone").respond_with_data("", status=410)
    store.add_feed(httpserver.url_for("/gone"))
    report = run(store, settings)
    assert report.failed == 1
    assert "410" in report.errors[0][1]
    assert store.feeds()[0].disabled
    assert run(store, settings).feeds == 0  # a disabled feed is no longer fetched


def test_retry_after_is_honoured(httpserver: HTTPServer, store: Store, settings: Settings) -> None:
    calls = []
    httpserver.expect_request("/busy").respond_with_handler(
        lambda r: calls.append(1) or Response("", status=429, headers={"Retry-After": "3600"})
    )
    store.add_feed(httpserver.url_for("/busy"))
    first = run(store, settings)
    assert first.failed == 1
    assert "429" in first.errors[0][1]
    second = run(store, settings)
    assert (second.skipped, second.failed, len(calls)) == (1, 0, 1)


def test_gzip_body_is_decoded(httpserver: HTTPServer, store: Store, settings: Settings) -> None:
    httpserver.expect_request("/gz").respond_with_data(
        gzip.compress(rss(3)), headers={"Content-Encoding": "gzip"}
    )
    store.add_feed(httpserver.url_for("/gz"))
    assert run(store, settings).new == 3


def test_many_feeds_concurrently_with_progress(
    httpserver: HTTPServer, store: Store, settings: Settings
) -> None:
    for n in range(12):
        httpserver.expect_request(f"/f{n}").respond_with_data(
            rss([item_xml(n * 100 + i) for i in range(30)], title=f"Flux {n}")
        )
        store.add_feed(httpserver.url_for(f"/f{n}"), rubrique="Essais")
    progress: list[tuple[int, int]] = []
    report = run(store, settings, on_progress=lambda o: progress.append((o.done, o.total)))
    assert (report.ok, report.new) == (12, 360)
    assert sorted(progress) == [(i, 12) for i in range(1, 13)]
    assert {f.title for f in store.feeds()} == {f"Flux {n}" for n in range(12)}


@pytest.mark.parametrize("per_host", [1, 2])
def test_per_host_cap(httpserver: HTTPServer, store: Store, settings: Settings, per_host: int) -> None:
    active = {"now": 0, "max": 0}
    lock = threading.Lock()

    def slow(request: Request) -> Response:
        with lock:
            active["now"] += 1
            active["max"] = max(active["max"], active["now"])
        time.sleep(0.15)
        with lock:
            active["now"] -= 1
        return Response(rss(1))

    for n in range(5):
        httpserver.expect_request(f"/s{n}").respond_with_handler(slow)
        store.add_feed(httpserver.url_for(f"/s{n}"))
    settings.refresh.per_host = per_host
    assert run(store, settings).ok == 5
    assert active["max"] == per_host


def test_safe_start_pool_parses_large_feeds(httpserver: HTTPServer, store: Store, settings: Settings) -> None:
    """The TUI's pool (fork server, not a fork of the running app) parses feeds too big to parse inline."""
    from gazette_tui.core.feeds.refresh import INLINE_PARSE_BYTES, make_parse_pool

    body = rss(200)
    assert len(body) > INLINE_PARSE_BYTES
    httpserver.expect_request("/big").respond_with_data(body)
    store.add_feed(httpserver.url_for("/big"))
    pool = make_parse_pool()
    try:
        report = run(store, settings, pool=pool)
    finally:
        pool.close()
    assert (report.ok, report.new) == (1, 200)


def test_old_entries_are_stored_and_once_pruned_are_not_added_again(
    httpserver: HTTPServer, store: Store, settings: Settings
) -> None:
    """Default retention stores everything the feed carries, however old; an article retention pruned later
    leaves a tombstone, so the same document does not bring it back as new and unread at every refresh."""
    old = item_xml(1, date="Mon, 02 Jan 2023 08:00:00 GMT")
    httpserver.expect_request("/f").respond_with_data(rss([old, item_xml(2, date="")]))
    feed = store.add_feed(httpserver.url_for("/f"))
    assert settings.retention.days == 365
    assert run(store, settings).new == 2  # the 2023 item too, and the undated one
    assert run(store, settings).new == 0
    ids = store.article_ids()
    rows = {r.title: r for r in store.article_rows(ids)}
    undated = next(r for r in rows.values() if r.undated)
    dated = next(r for r in rows.values() if not r.undated)
    assert undated.published == dated.published - 1  # just below the dated item before it
    store.set_read([dated.id], True)
    assert store.prune(365, 2000, when=int(time.time()) + 366 * 86400, unread_days=730) == 1
    assert run(store, settings).new == 0  # the feed still carries it: not news again
    assert store.article_ids() == [undated.id]
    assert store.feed(feed.url).unread == 1  # type: ignore[union-attr]


def test_an_unexpected_error_costs_one_feed(httpserver: HTTPServer, store: Store, settings: Settings) -> None:
    from gazette_tui.core.feeds.fetch import Fetcher

    class Flaky(Fetcher):
        async def fetch(self, url: str, etag: str | None = None, last_modified: str | None = None):  # type: ignore[no-untyped-def]
            if url.endswith("/bug"):
                raise RuntimeError("bug")
            return await super().fetch(url, etag, last_modified)

    httpserver.expect_request("/ok").respond_with_data(rss(2))
    store.add_feed(httpserver.url_for("/ok"))
    store.add_feed(httpserver.url_for("/bug"))

    async def go():  # type: ignore[no-untyped-def]
        async with Flaky(settings.refresh) as fetcher:
            return await refresh_feeds(store, settings, fetcher=fetcher)

    report = asyncio.run(go())
    assert (report.ok, report.failed, report.new) == (1, 1, 2)
    assert report.errors[0][1] == "Erreur inattendue (RuntimeError)"
    assert (
        next(f for f in store.feeds() if f.url.endswith("/bug")).last_error
        == "Erreur inattendue (RuntimeError)"
    )
