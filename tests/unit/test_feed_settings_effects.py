"""Where each per-feed setting takes effect, with real SQLite files and a real HTTP server on 127.0.0.1: the
user agent a server sees, the retention window of one feed, hidden feeds out of « Toutes » and « Non lus »
but found by search, and the refresh of due feeds only."""

from __future__ import annotations

import asyncio

from pytest_httpserver import HTTPServer
from support.feeds import item_xml, rss
from werkzeug import Request, Response

from gazette_tui.core.feeds import feed_settings as fs
from gazette_tui.core.feeds.refresh import refresh_feeds
from gazette_tui.core.search.search import search
from gazette_tui.core.settings import Settings
from gazette_tui.core.storage.store import DAY, ArticleFilter, Store


def refresh(store: Store, settings: Settings, **kwargs: object):  # type: ignore[no-untyped-def]
    return asyncio.run(refresh_feeds(store, settings, **kwargs))  # type: ignore[arg-type]


SERVED: list[str] = []


def serve(httpserver: HTTPServer, path: str, title: str, count: int, seen: list[tuple[str, str]]) -> str:
    """A feed of ``count`` items whose links no other served feed shares."""
    SERVED.append(path)
    start = 100 * len(SERVED)

    def handler(request: Request) -> Response:
        seen.append((request.path, request.headers.get("User-Agent", "")))
        items = [item_xml(start + i, title=f"{title} : délibération n° {i}") for i in range(count)]
        return Response(rss(items, title=title), content_type="application/rss+xml")

    httpserver.expect_request(path).respond_with_handler(handler)
    return httpserver.url_for(path)


def test_the_server_sees_the_feed_s_own_user_agent(
    httpserver: HTTPServer, store: Store, settings: Settings
) -> None:
    seen: list[tuple[str, str]] = []
    own = serve(httpserver, "/mairie/feed/", "Mairie", 2, seen)
    plain = serve(httpserver, "/prefecture/feed/", "Préfecture", 2, seen)
    inherited = serve(httpserver, "/region/feed/", "Région", 2, seen)
    store.add_feed(own, "Mairie")
    store.add_feed(plain, "Préfecture")
    store.add_feed(inherited, "Région", "Collectivités")
    fs.set_feed(store, own, "user_agent", "Mozilla/5.0 (compatible; veille-mairie/2.1)")
    fs.set_rubrique(store, "Collectivités", "user_agent", "Veille-Collectivites/1.0")
    report = refresh(store, settings)
    assert report.ok == 3
    agents = dict(seen)
    assert agents["/mairie/feed/"] == "Mozilla/5.0 (compatible; veille-mairie/2.1)"
    assert agents["/region/feed/"] == "Veille-Collectivites/1.0"
    assert agents["/prefecture/feed/"].startswith("gazette-tui/")


def test_the_user_agent_follows_redirects(httpserver: HTTPServer, store: Store, settings: Settings) -> None:
    seen: list[tuple[str, str]] = []
    target = serve(httpserver, "/nouveau/feed/", "Nouveau", 1, seen)
    httpserver.expect_request("/ancien/feed/").respond_with_response(
        Response(status=302, headers={"Location": target})
    )
    old = httpserver.url_for("/ancien/feed/")
    store.add_feed(old)
    fs.set_feed(store, old, "user_agent", "Veille/3.0")
    assert refresh(store, settings).ok == 1
    assert seen == [("/nouveau/feed/", "Veille/3.0")]


def test_a_feed_s_retention_window_prunes_only_that_feed(store: Store) -> None:
    from gazette_tui.core.feeds.parse import build_entry
    from gazette_tui.models import ParsedFeed

    now = 1_763_600_000

    def entries(prefix: str) -> list:  # type: ignore[type-arg]
        return [
            build_entry(
                guid=f"{prefix}{age}",
                link=f"https://example.org/{prefix}/{age}",
                title=f"{prefix} il y a {age} jours",
                author="",
                published=now - age * DAY,
                updated=None,
                categories=[],
                summary="<p>Résumé.</p>",
                content="",
            )
            for age in (1, 10, 40, 400)
        ]

    short = store.add_feed("https://example.org/court/", "Court", "Veille").id
    kept = store.add_feed("https://example.org/long/", "Long").id
    forever = store.add_feed("https://example.org/toujours/", "Toujours", "Archives").id
    for feed_id, prefix in ((short, "court"), (kept, "long"), (forever, "toujours")):
        store.record_success(feed_id, ParsedFeed("rss", prefix, "https://example.org", entries(prefix)),
                             when=now - 500 * DAY)  # fmt: skip
    fs.set_rubrique(store, "Veille", "retention_days", "30")
    fs.set_feed(store, "https://example.org/court/", "retention_days", "7")  # the feed's own wins
    fs.set_rubrique(store, "Archives", "retention_days", "0")  # no age limit for it
    unread_short = store.article_ids(ArticleFilter(feed_id=short))
    store.set_starred(unread_short[-1], True)  # the 400-day-old one: starred, never pruned
    windows = {i: s.retention_days for i, s in fs.effective(store).items() if s.retention_days is not None}
    # Global: read after 365 days, unread after 730 (all unread here): only the feed windows prune.
    pruned = store.prune(365, 0, now, unread_days=730, feed_days=windows)
    titles = {feed: [r.title for r in store.article_rows(store.article_ids(ArticleFilter(feed_id=feed)))]
              for feed in (short, kept, forever)}  # fmt: skip
    assert titles[short] == ["court il y a 1 jours", "court il y a 400 jours"]
    assert titles[kept] == [f"long il y a {d} jours" for d in (1, 10, 40, 400)]
    assert titles[forever] == [f"toujours il y a {d} jours" for d in (1, 10, 40, 400)]
    assert pruned == 2


def test_the_refresh_prunes_with_the_feed_s_window(
    httpserver: HTTPServer, store: Store, settings: Settings
) -> None:
    seen: list[tuple[str, str]] = []
    items = {"count": 2}

    def handler(request: Request) -> Response:
        seen.append((request.path, ""))
        return Response(rss(items["count"], title="Court"), content_type="application/rss+xml")

    httpserver.expect_request("/court/feed/").respond_with_handler(handler)
    url = httpserver.url_for("/court/feed/")
    other = serve(httpserver, "/autre/feed/", "Autre", 2, seen)
    feed = store.add_feed(url, "Court").id
    store.add_feed(other, "Autre")
    refresh(store, settings)
    fs.set_feed(store, url, "retention_days", "3")
    with store.writing() as c:  # what was fetched ten days ago and is dated so
        c.execute("UPDATE articles SET fetched = fetched - 10 * 86400, published = published - 10 * 86400")
    items["count"] = 3  # one new item, so the refresh stores something and prunes
    report = refresh(store, settings)
    assert report.new == 1
    assert report.pruned == 2
    assert len(store.article_ids(ArticleFilter(feed_id=feed))) == 1
    assert store.counts()["all"] == 3  # the other feed kept its two


def test_hidden_feeds_stay_out_of_all_and_unread_but_are_searched(
    httpserver: HTTPServer, store: Store, settings: Settings
) -> None:
    seen: list[tuple[str, str]] = []
    shown = serve(httpserver, "/visible/feed/", "Visible", 3, seen)
    hidden = serve(httpserver, "/bruit/feed/", "Bruyant", 4, seen)
    rubrique = serve(httpserver, "/annonces/feed/", "Annonces", 2, seen)
    store.add_feed(shown, "Visible")
    noisy = store.add_feed(hidden, "Bruyant").id
    store.add_feed(rubrique, "Annonces", "Marchés")
    refresh(store, settings)
    assert store.counts()["all"] == 9
    fs.set_feed(store, hidden, "hidden", "on")
    fs.set_rubrique(store, "Marchés", "hidden", "oui")
    counts = store.counts()
    assert (counts["all"], counts["unread"]) == (3, 3)
    assert len(store.article_ids()) == 3
    assert len(store.article_ids(ArticleFilter(unread=True))) == 3
    # Its own line, its rubrique's and the starred list still show them; search finds them.
    assert len(store.article_ids(ArticleFilter(feed_id=noisy))) == 4
    assert len(store.article_ids(ArticleFilter(rubrique="Marchés"))) == 2
    starred = store.article_ids(ArticleFilter(feed_id=noisy))[0]
    store.set_starred(starred, True)
    assert store.article_ids(ArticleFilter(starred=True)) == [starred]
    assert {row.title for row in search(store, "Bruyant")} == {
        f"Bruyant : délibération n° {i}" for i in range(4)
    }
    # Marking « Toutes » read leaves the hidden feeds' articles as they are.
    store.mark_all_read(ArticleFilter())
    assert store.feed(hidden) is not None
    assert store.feed(hidden).unread == 4  # type: ignore[union-attr]
    # A feed's own « off » wins over its rubrique's « on ».
    fs.set_feed(store, rubrique, "hidden", "off")
    assert store.counts()["all"] == 5
    fs.clear_feed(store, hidden)
    assert store.counts()["all"] == 9


def test_only_due_feeds_are_fetched(httpserver: HTTPServer, store: Store, settings: Settings) -> None:
    seen: list[tuple[str, str]] = []
    urls = [serve(httpserver, f"/flux{n}/feed/", f"Flux {n}", 1, seen) for n in range(3)]
    for url in urls:
        store.add_feed(url)
    refresh(store, settings)
    assert len(seen) == 3
    fs.set_feed(store, urls[0], "refresh_minutes", "5")
    fs.set_feed(store, urls[1], "refresh_minutes", "60")
    with store.writing() as c:
        c.execute("UPDATE feeds SET last_fetched = last_fetched - 600")  # ten minutes ago
    due = fs.due_feeds(store, 120)
    seen.clear()
    refresh(store, settings, feed_ids=due)
    assert [path for path, _agent in seen] == ["/flux0/feed/"]
