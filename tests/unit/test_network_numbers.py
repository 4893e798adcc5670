"""Numbers and validators from the network, against real servers on 127.0.0.1 through real refreshes: a bad
``Retry-After``, ``Content-Length``, enclosure length or date is ignored with a plain message (never
« Erreur inattendue »), and no ETag or Last-Modified is stored with a control character."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer
from support.feeds import item_xml, rss
from support.french import typo
from werkzeug import Request, Response

from gazette_tui.core.feeds.fetch import MAX_RETRY_AFTER, parse_retry_after
from gazette_tui.core.feeds.refresh import RefreshReport, refresh_feeds
from gazette_tui.core.settings import Settings
from gazette_tui.core.storage.store import Store


def run(store: Store, settings: Settings) -> RefreshReport:
    return asyncio.run(refresh_feeds(store, settings))


def wire(text: str) -> str:
    """``text`` as its UTF-8 bytes on the wire (WSGI header values are sent as Latin-1)."""
    return text.encode("utf-8").decode("latin-1")


def retry_after_column(store: Store) -> int | None:
    with store.reading() as c:
        value = c.execute("SELECT retry_after FROM feeds").fetchone()[0]
    return None if value is None else int(value)


IGNORED = " (délai Retry-After illisible, ignoré)"


@pytest.mark.parametrize("status", [429, 503])
@pytest.mark.parametrize(
    "header",
    [
        pytest.param("²", id="superscript-two"),  # str.isdigit() is True, int() raises: « Erreur inattendue »
        pytest.param(wire("٣"), id="arabic-indic-three"),  # int() takes it; HTTP does not
        pytest.param("-5", id="negative"),
        pytest.param("1.5", id="fraction"),
        pytest.param("Mon, 01 Jan 99999 00:00:00 GMT", id="year-99999"),
        pytest.param("demain matin", id="words"),
    ],
)
def test_a_malformed_retry_after_is_ignored_with_a_plain_message(
    httpserver: HTTPServer, store: Store, settings: Settings, status: int, header: str
) -> None:
    httpserver.expect_request("/f").respond_with_response(
        Response("", status=status, headers={"Retry-After": header})
    )
    store.add_feed(httpserver.url_for("/f"))
    report = run(store, settings)
    assert report.failed == 1
    assert report.errors == [
        (httpserver.url_for("/f"), typo(f"HTTP {status} : le serveur demande d'attendre{IGNORED}"))
    ]
    assert retry_after_column(store) is None
    assert run(store, settings).skipped == 0  # nothing to wait for: the next refresh asks again


@pytest.mark.parametrize(
    ("header", "wait"),
    [
        pytest.param("120", 120, id="120"),
        pytest.param("0", 0, id="0"),
        # int() refuses 5,000 digits (« Erreur inattendue »); well formed, so capped
        pytest.param("9" * 5000, MAX_RETRY_AFTER, id="5000-digits"),
        pytest.param("99999999999", MAX_RETRY_AFTER, id="11-digits"),
        pytest.param("Fri, 31 Dec 9999 23:59:59 GMT", MAX_RETRY_AFTER, id="year-9999"),  # capped
        pytest.param("Thu, 01 Jan 1970 00:00:00 GMT", 0, id="1970"),  # in the past: no wait
    ],
)
def test_a_retry_after_is_held_within_a_day(
    httpserver: HTTPServer, store: Store, settings: Settings, header: str, wait: int
) -> None:
    httpserver.expect_request("/f").respond_with_response(
        Response("", status=429, headers={"Retry-After": header})
    )
    store.add_feed(httpserver.url_for("/f"))
    before = time.time()
    report = run(store, settings)
    assert report.errors == [(httpserver.url_for("/f"), typo("HTTP 429 : le serveur demande d'attendre"))]
    retry = retry_after_column(store)
    assert retry is not None
    assert int(before) + wait - 1 <= retry <= time.time() + wait + 1
    assert run(store, settings).skipped == (1 if wait > 5 else 0)


def test_parse_retry_after_never_raises() -> None:
    now = 1_800_000_000.0
    hostile = ["²", "٣", "-0", "+5", " ", "\x00", "1e9", "0x10", "9" * 5000, "Mon, 01 Jan 2024 25:61:61 GMT",
               "Tue, 15 Nov 1994 08:12:31 -9999", "x" * 10_000, "Sun, 06 Nov 1994 08:49:37"]  # fmt: skip
    for value in hostile:
        result = parse_retry_after(value, now)
        assert result is None or now <= result <= now + MAX_RETRY_AFTER, value
    assert parse_retry_after(" 60 ", now) == now + 60


# --- ETag and Last-Modified --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("etag", "last_modified"),
    [
        pytest.param('"\x9b2J"', "Fri, 20 Nov 2026 08:00:00 GMT", id="C1-CSI-in-etag"),  # byte 0x9b
        pytest.param('"v1"', "Fri, 20 Nov 2026 08:00:00 GMT\x9b31m", id="C1-CSI-in-last-modified"),
        pytest.param(wire('"é-v1"'), "Fri, 20 Nov 2026 08:00:00 GMT", id="non-ascii-etag"),
        pytest.param('"' + "v" * 5000 + '"', "Fri, 20 Nov 2026 08:00:00 GMT", id="5-KB-etag"),
    ],
)
def test_validators_with_controls_or_non_ascii_are_not_stored(
    httpserver: HTTPServer, store: Store, settings: Settings, etag: str, last_modified: str
) -> None:
    """0.1.0 stored them raw. A non-ASCII one then failed the feed on every later refresh: httpx refuses to
    send it back (UnicodeEncodeError → « Erreur inattendue »), and a failure never cleared it."""
    seen: list[dict[str, str]] = []

    def handler(request: Request) -> Response:
        seen.append(dict(request.headers))
        return Response(rss(2), headers={"ETag": etag, "Last-Modified": last_modified})

    httpserver.expect_request("/f").respond_with_handler(handler)
    store.add_feed(httpserver.url_for("/f"))
    assert run(store, settings).ok == 1
    with store.reading() as c:
        stored = c.execute("SELECT etag, last_modified FROM feeds").fetchone()
    for value in stored:
        assert value is None or all(" " <= ch <= "~" for ch in value), stored
    assert stored == tuple(v if all(" " <= ch <= "~" for ch in v) and len(v) < 1024 else None
                           for v in (etag, last_modified))  # fmt: skip
    report = run(store, settings)
    assert (report.ok, report.failed) == (1, 0), report.errors
    assert ("If-None-Match" in seen[1]) == (stored[0] is not None)


# --- Content-Length ----------------------------------------------------------------------------------------


@pytest.fixture
def raw_server() -> Iterator[tuple[str, list[bytes]]]:
    """A loopback HTTP/1.1 server that answers each connection with the next canned bytes, verbatim (headers
    pytest-httpserver would rewrite, such as Content-Length)."""
    answers: list[bytes] = []
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(5)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            with connection:
                connection.recv(65536)
                if answers:
                    connection.sendall(answers.pop(0))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/f", answers
    finally:
        stop.set()
        listener.close()
        thread.join(6)


@pytest.mark.parametrize("declared", ["\xb2".encode("latin-1"), "٣".encode(), b"-1", b"9" * 5000, b"1e9"])
def test_a_malformed_content_length_is_a_plain_failure(
    raw_server: tuple[str, list[bytes]], store: Store, settings: Settings, declared: bytes
) -> None:
    url, answers = raw_server
    body = rss(1)
    answers.append(
        b"HTTP/1.1 200 OK\r\nContent-Length: " + declared + b"\r\nConnection: close\r\n\r\n" + body
    )
    store.add_feed(url)
    report = run(store, settings)
    assert report.failed == 1, report.errors
    assert report.errors[0][1] == "Réponse HTTP invalide", report.errors


# --- numbers inside feed documents -------------------------------------------------------------------------


def test_hostile_lengths_and_dates_in_a_feed_cost_nothing(
    httpserver: HTTPServer, store: Store, settings: Settings
) -> None:
    lengths = ["²", "٣", "-1", "9" * 5000, "1e9", "NaN", "12345"]
    enclosures = "".join(
        f'<enclosure url="https://exemple.test/{n}.mp3" type="audio/mpeg" length="{value}"/>'
        for n, value in enumerate(lengths)
    )
    items = [
        item_xml(0).replace("</item>", enclosures + "</item>"),
        item_xml(1, date="Mon, 01 Jan 99999 00:00:00 GMT"),
        item_xml(2, date="Sun, 31 Dec 2999 23:59:59 GMT"),
        item_xml(3, date="²"),
        item_xml(4, date="9" * 5000),
    ]
    httpserver.expect_request("/f").respond_with_data(rss(items), content_type="application/rss+xml")
    json_items = [
        {"id": "1" * 200, "url": "https://exemple.test/j1", "title": "Grand", "content_html": "<p>x</p>",
         "attachments": [{"url": "https://exemple.test/j.mp3", "size_in_bytes": 424242}]},
        {"id": 2, "url": "https://exemple.test/j2", "title": "Infini", "content_html": "<p>y</p>",
         "date_published": "99999-01-01T00:00:00Z",
         "attachments": [{"url": "https://exemple.test/k.mp3", "size_in_bytes": 1e308 * 10}]},
    ]  # fmt: skip
    document = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": json_items})
    document = document.replace("424242", "9" * 5000)  # Python's json would refuse to write (or read) it
    httpserver.expect_request("/j").respond_with_data(document, content_type="application/feed+json")
    store.add_feed(httpserver.url_for("/f"))
    store.add_feed(httpserver.url_for("/j"))
    report = run(store, settings)
    assert (report.ok, report.failed, report.new) == (2, 0, 7), report.errors
    articles = {store.article(i).url: store.article(i) for i in store.article_ids()}
    first = articles["https://exemple.test/actualite/0/article/"]
    assert [e.length for e in first.enclosures] == [0, 0, 0, 0, 0, 0, 12345]
    assert {url for url, a in articles.items() if a.undated} == {
        *(f"https://exemple.test/actualite/{n}/article/" for n in (1, 2, 3, 4)),  # beyond 2100 is no date
        "https://exemple.test/j1",  # none given
        "https://exemple.test/j2",
    }
    assert [e.length for url in ("https://exemple.test/j1", "https://exemple.test/j2")
            for e in articles[url].enclosures] == [0, 0]  # fmt: skip
