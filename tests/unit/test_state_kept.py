"""State kept (schema v4): ``import --replace`` keeps the feeds that stay, article ids are never reused, and
the alertes' "already announced" baseline lives in the database. Real refreshes against 127.0.0.1, real
SQLite files, and a real version-3 file for the migration."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from support.feeds import item_xml, rss

from gazette_tui.cli import main
from gazette_tui.core.feeds.refresh import RefreshReport, refresh_feeds
from gazette_tui.core.library import dossiers
from gazette_tui.core.search import alerts
from gazette_tui.core.settings import Settings
from gazette_tui.core.storage import schema
from gazette_tui.core.storage.store import NEXT_ARTICLE_ID, Store, last_article_id


def run(store: Store, settings: Settings) -> RefreshReport:
    report = asyncio.run(refresh_feeds(store, settings))
    assert report.failed == 0, report.errors
    return report


def opml(path: Path, feeds: list[tuple[str, str]]) -> Path:
    outlines = "".join(f'<outline type="rss" text="{title}" xmlUrl="{url}"/>' for url, title in feeds)
    path.write_text(f'<opml version="2.0"><head/><body>{outlines}</body></opml>', encoding="utf-8")
    return path


def marks(store: Store) -> dict[str, tuple[int | None, bool, bool]]:
    """Article key → (feed id, read, starred), for every cached article."""
    with store.reading() as c:
        return {
            key: (feed_id, bool(read), bool(starred))
            for key, feed_id, read, starred in c.execute("SELECT key, feed_id, read, starred FROM articles")
        }


# --- import --replace ----------------------------------------------------------------------------------


def test_import_replace_keeps_the_feeds_that_stay(
    xdg_home: Path, httpserver: HTTPServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before v4, ``--replace`` unsubscribed from everything and subscribed again: every read and starred
    mark of the feeds that stayed was lost, and their articles came back as new, unread."""
    httpserver.expect_request("/a").respond_with_data(rss([item_xml(i) for i in (0, 1, 2)], "A"))
    httpserver.expect_request("/b").respond_with_data(rss([item_xml(i) for i in (10, 11, 12)], "B"))
    httpserver.expect_request("/c").respond_with_data(rss([item_xml(i) for i in (20, 21)], "C"))
    a, b, c = (httpserver.url_for(p) for p in ("/a", "/b", "/c"))
    assert main(["import", "--replace", str(opml(tmp_path / "1.opml", [(a, "A"), (b, "B")]))]) == 0
    assert main(["refresh"]) == 0
    database = xdg_home / "data" / "gazette-tui" / "gazette.db"
    with Store(database) as store:
        feed_a, feed_b = store.feed(a), store.feed(b)
        assert feed_a is not None
        assert feed_b is not None
        with store.writing() as conn:  # the user's own settings (a file edited by hand, an older version)
            conn.execute(
                "UPDATE feeds SET title = 'Mon flux A', rubrique = 'Finances' WHERE id = ?", (feed_a.id,)
            )
            conn.execute("UPDATE articles SET rubrique = 'Finances' WHERE feed_id = ?", (feed_a.id,))
        with store.reading() as conn:
            by_key = dict(conn.execute("SELECT key, id FROM articles").fetchall())
        store.set_read([by_key["exemple-0"], by_key["exemple-1"], by_key["exemple-10"]])
        store.set_starred(by_key["exemple-2"], True)
        store.set_starred(by_key["exemple-11"], True)  # starred in a feed that goes: it stays
        kept = dossiers.get_or_create(store, "Intercommunalité")
        dossiers.add_article(store, kept.id, by_key["exemple-12"], "à relire")  # in a dossier: it stays
        before = marks(store)
        high = last_article_id(store.connection)

    capsys.readouterr()
    assert main(["import", "--replace", str(opml(tmp_path / "2.opml", [(a, "Autre titre"), (c, "C")]))]) == 0
    assert "1 abonnement importé, 1 déjà présent et conservé, 1 retiré." in capsys.readouterr().out

    with Store(database) as store:
        assert [(f.url, f.title, f.rubrique) for f in store.feeds()] == [
            (a, "Mon flux A", "Finances"),  # kept with its settings, not the file's title
            (c, "C", ""),
        ]
        after = marks(store)
        # Feed A: the same articles, same feed id, same marks.
        assert {k: v for k, v in after.items() if v[0] == feed_a.id} == {
            k: v for k, v in before.items() if v[0] == feed_a.id
        }
        # Feed B: gone, but its starred article and the one in a dossier stay, detached.
        assert {k: v for k, v in after.items() if k.startswith("exemple-1") and len(k) == 10} == {
            "exemple-11": (None, False, True),
            "exemple-12": (None, False, False),
        }
        assert [item.note for item in dossiers.items(store, kept.id)] == ["à relire"]

    capsys.readouterr()
    assert main(["refresh", "--json"]) == 0
    with Store(database) as store:
        after_refresh = marks(store)
        assert {k: v for k, v in after_refresh.items() if v[0] == feed_a.id} == {
            k: v for k, v in before.items() if v[0] == feed_a.id
        }  # A's articles are not stored again as new
        feed_c = store.feed(c)
        assert feed_c is not None
        assert feed_c.articles == 2
        assert feed_c.unread == 2
        with store.reading() as conn:
            new_ids = [r[0] for r in conn.execute("SELECT id FROM articles WHERE feed_id = ?", (feed_c.id,))]
        assert min(new_ids) > high


def test_replace_feeds_is_one_transaction(store: Store) -> None:
    """The whole replacement commits or none of it: a failure half-way (after the removals, while adding)
    leaves every subscription as it was. (0.1.0 removed feeds one transaction each, then added.)"""
    for n in range(3):
        store.add_feed(f"https://exemple.test/{n}")
    before = [f.url for f in store.feeds()]

    class Broken(list[tuple[str, str, str]]):
        """Reads fine once (the URLs to keep), then breaks while the new feeds are being added."""

        passes = 0

        def __iter__(self):  # type: ignore[no-untyped-def]
            self.passes += 1
            for n, item in enumerate(super().__iter__()):
                if self.passes > 1 and n == 1:
                    raise RuntimeError("disque débranché")
                yield item

    with pytest.raises(RuntimeError):
        store.replace_feeds(Broken([("https://exemple.test/7", "", ""), ("https://exemple.test/8", "", "")]))
    assert [f.url for f in store.feeds()] == before
    assert store.replace_feeds([("https://exemple.test/1", "", ""), ("https://exemple.test/9", "", "")]) == (
        1,
        2,
    )
    assert sorted(f.url for f in store.feeds()) == ["https://exemple.test/1", "https://exemple.test/9"]


# --- article ids ---------------------------------------------------------------------------------------


def test_article_ids_are_never_reused(httpserver: HTTPServer, store: Store, settings: Settings) -> None:
    """``MAX(id) + 1`` gave the ids of deleted articles again: unsubscribing from the feed that brought the
    newest articles, or pruning them, made the next arrivals take those ids, and an alerte saved in between
    (``last_seen`` = the highest id then) never counted them as new."""
    items = {"a": [item_xml(0), item_xml(1)], "b": [item_xml(10), item_xml(11), item_xml(12)]}
    httpserver.expect_request("/a").respond_with_handler(lambda _: _response(rss(items["a"], "A")))
    httpserver.expect_request("/b").respond_with_handler(lambda _: _response(rss(items["b"], "B")))
    store.add_feed(httpserver.url_for("/a"))
    run(store, settings)
    store.add_feed(httpserver.url_for("/b"))
    run(store, settings)  # B's articles have the highest ids
    with store.reading() as c:
        highest = c.execute("SELECT MAX(id) FROM articles").fetchone()[0]
    alerts.save_alert(store, "Budget", "budget")  # last_seen = highest
    store.remove_feed(httpserver.url_for("/b"))
    with store.reading() as c:
        assert c.execute("SELECT MAX(id) FROM articles").fetchone()[0] < highest

    items["a"] = [item_xml(5, title="Le budget primitif adopté"), *items["a"]]  # a match arrives
    assert run(store, settings).new == 1
    with store.reading() as c:
        [(new_id,)] = c.execute("SELECT id FROM articles WHERE key = 'exemple-5'").fetchall()
    assert new_id == highest + 1
    assert alerts.new_matches(store) == {"Budget": 1}  # exact: the watermark sees it

    # Pruning the newest articles (per-feed cap of 1 keeps only the newest by date) does not free ids.
    store.prune(0, 1)
    with store.reading() as c:
        top = c.execute("SELECT MAX(id) FROM articles").fetchone()[0]
    items["a"] = [item_xml(6), *items["a"]]
    run(store, settings)
    with store.reading() as c:
        [(later,)] = c.execute("SELECT id FROM articles WHERE key = 'exemple-6'").fetchall()
        counter = int(c.execute("SELECT value FROM meta WHERE key = ?", (NEXT_ARTICLE_ID,)).fetchone()[0])
    assert later == new_id + 1
    assert later > top
    assert counter == later + 1


def test_a_batch_hands_out_consecutive_ids_in_one_counter_write(store: Store) -> None:
    """The counter is read once per stored feed and written once: the inserts stay one executemany each."""
    from gazette_tui.core.feeds.parse import build_entry
    from gazette_tui.models import ParsedFeed

    feed = store.add_feed("https://exemple.test/f")
    entries = [
        build_entry(
            guid=f"g{n}",
            link=f"https://exemple.test/{n}",
            title=f"Titre {n}",
            author="",
            published=1_700_000_000 + n,
            updated=None,
            categories=[],
            summary="<p>x</p>",
            content="",
        )
        for n in range(2000)
    ]  # fmt: skip
    statements: list[str] = []
    store.connection.set_trace_callback(statements.append)
    try:
        assert store.record_success(feed.id, ParsedFeed("rss", "F", "", entries)).new == 2000
    finally:
        store.connection.set_trace_callback(None)
    assert sum("INTO meta" in s for s in statements) == 1
    assert sum(s.startswith("INSERT INTO articles ") for s in statements) == 2000  # executemany: one each
    with store.reading() as c:
        ids = [r[0] for r in c.execute("SELECT id FROM articles ORDER BY id")]
    assert ids == list(range(1, 2001))
    assert last_article_id(store.connection) == 2000


def _response(body: bytes):  # type: ignore[no-untyped-def]
    from werkzeug import Response

    return Response(body, content_type="application/rss+xml")


# --- the alertes' baseline -----------------------------------------------------------------------------


def test_announce_new_announces_each_match_once(
    httpserver: HTTPServer, store: Store, settings: Settings
) -> None:
    items = [item_xml(1), item_xml(2)]  # no "budget"
    httpserver.expect_request("/f").respond_with_handler(lambda _: _response(rss(items, "F")))
    store.add_feed(httpserver.url_for("/f"))
    run(store, settings)
    alerts.save_alert(store, "Budget", "budget")
    assert alerts.announce_new(store) == {}
    items[:0] = [item_xml(0), item_xml(5)]  # two matches
    run(store, settings)
    # A second TUI (another connection to the same file) checks at the same time: one of them announces.
    with Store(store.path) as other:
        results = [alerts.announce_new(store), alerts.announce_new(other)]
    assert sorted(map(str, results)) == ["{'Budget': 2}", "{}"]
    assert alerts.announce_new(store) == {}
    assert [a.new for a in alerts.list_alerts(store)] == [2]  # announced is not seen: the tree still counts
    items[:0] = [item_xml(10, title="Budget annexe")]
    run(store, settings)
    assert alerts.announce_new(store) == {"Budget": 1}
    # Seen (opened) then a new match: only what came after counts.
    alerts.mark_seen(store)
    items[:0] = [item_xml(15, title="Budget rectificatif")]
    run(store, settings)
    assert alerts.announce_new(store) == {"Budget": 1}
    assert [a.new for a in alerts.list_alerts(store)] == [1]


def test_matches_stored_before_the_tui_looks_are_announced(
    httpserver: HTTPServer, store: Store, settings: Settings
) -> None:
    """The race of 0.1.0: the TUI took its baseline from the counts it read at mount, so matches a first
    refresh stored before that read were "already known" and never announced. The baseline is now the
    ``announced`` column: whatever is stored before the check is announced by it, whenever the UI mounted."""
    httpserver.expect_request("/f").respond_with_data(rss([item_xml(0)], "F"))
    store.add_feed(httpserver.url_for("/f"))
    alerts.save_alert(store, "Budget", "budget")
    run(store, settings)  # lands before anything reads the alertes
    [alert] = alerts.list_alerts(store)  # what a mount reads now changes nothing
    assert alert.new == 1
    assert alerts.announce_new(store) == {"Budget": 1}
    assert alerts.announce_new(store) == {}


# --- migration v3 → v4 ---------------------------------------------------------------------------------

OSC52 = "\x1b]52;c;Y3VybCBldmlsLnRlc3Q=\x07"


def v3_database(path: Path) -> None:
    """A real version-3 file: the first three migrations, with what 0.1.0 could leave in it: articles 4 and
    5 deleted after an alerte saw them, a raw OSC 52 sequence in an alerte query, a C1 CSI in an ETag, an ESC
    in a feed title and rubrique given on the command line."""
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute("BEGIN")
    for step in schema.MIGRATIONS[:3]:
        step(raw)
    raw.execute("PRAGMA user_version = 3")
    raw.execute(
        "INSERT INTO feeds (id, url, title, rubrique, etag, last_modified, added) VALUES "
        "(1, 'https://exemple.test/f', ?, ?, ?, 'Fri, 20 Nov 2026 08:00:00 GMT', 0)",
        ("Titre\x1b[2J", "Rub\x1b]0;x\x07rique", '"\x9b31mv1"'),
    )
    for n, (read, starred) in enumerate([(1, 1), (0, 0), (1, 0)], start=1):
        raw.execute(
            "INSERT INTO articles (id, feed_id, key, title, published, fetched, read, starred, rubrique) "
            "VALUES (?, 1, ?, ?, 0, 0, ?, ?, ?)",
            (n, f"k{n}", f"Article {n}", read, starred, "Rub\x1b]0;x\x07rique"),
        )
        raw.execute("INSERT INTO article_bodies (id, content_html) VALUES (?, ?)", (n, f"<p>Corps {n}.</p>"))
    raw.execute(
        "INSERT INTO saved_searches (id, name, query, created, last_seen) VALUES (1, 'Corps', ?, 0, 5)",
        (f"corps OR {OSC52}",),
    )
    raw.execute("INSERT INTO meta VALUES ('seeded', '0')")
    raw.execute("COMMIT")
    raw.close()


def test_migration_from_v3(tmp_path: Path) -> None:
    path = tmp_path / "v3.db"
    v3_database(path)
    with Store(path) as store:
        c = store.connection
        assert c.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert "announced" in {r[1] for r in c.execute("PRAGMA table_info(saved_searches)")}
        # Above every id the file used: the articles' (3) and the alerte's watermark (5).
        assert store.meta(NEXT_ARTICLE_ID) == "6"
        assert c.execute("SELECT last_seen, announced FROM saved_searches").fetchone() == (5, 5)
        # Data kept; control characters gone; a validator holding one is dropped (the next GET is plain).
        [feed] = store.feeds()
        assert (feed.title, feed.rubrique, feed.articles, feed.unread) == ("Titre[2J", "Rub]0;xrique", 3, 1)
        assert c.execute("SELECT etag, last_modified FROM feeds").fetchone() == (
            None, "Fri, 20 Nov 2026 08:00:00 GMT"
        )  # fmt: skip
        assert {r.rubrique for r in store.article_rows([1, 2, 3])} == {"Rub]0;xrique"}
        [alert] = alerts.list_alerts(store)
        assert alert.query == "corps OR ]52;c;Y3VybCBldmlsLnRlc3Q="
        assert alert.new == 0
        first = store.article(1)
        assert (first.title, first.read, first.starred) == ("Article 1", True, True)
        # The next article gets id 6, above the alerte's watermark: it is new for the alerte, and announced.
        from gazette_tui.core.feeds.parse import build_entry
        from gazette_tui.models import ParsedFeed

        entry = build_entry(
            guid="k9", link="https://exemple.test/9", title="Corps de métier", author="", published=10,
            updated=None, categories=[], summary="<p>Corps.</p>", content="",
        )  # fmt: skip
        assert store.record_success(1, ParsedFeed("rss", "F", "", [entry])).new == 1
        assert c.execute("SELECT id FROM articles WHERE key = 'k9'").fetchone()[0] == 6
        assert alerts.new_matches(store) == {"Corps": 1}
        assert alerts.announce_new(store) == {"Corps": 1}
    with Store(path) as store:  # opening again migrates nothing
        assert store.connection.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert store.meta(NEXT_ARTICLE_ID) == "7"
