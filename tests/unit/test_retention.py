"""Retention: everything a feed carries is stored, whatever its age; pruning comes later (read articles past
``days``, unread ones past ``unread_days``, beyond ``per_feed``), and a pruned article leaves a tombstone so
that its feed never brings it back as new. Also the v3 schema's other columns: a feed's unreadable items,
undated items in the feed's order, JSON Feed ``external_url``."""

from __future__ import annotations

import asyncio
import hashlib
import json
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import quote

import pytest
from pytest_httpserver import HTTPServer
from support.feeds import item_xml, rss
from werkzeug import Request, Response

from gazette_tui.cli import main
from gazette_tui.core.feeds.refresh import RefreshReport, refresh_feeds
from gazette_tui.core.library import dossiers
from gazette_tui.core.paths import Paths
from gazette_tui.core.settings import DEFAULT_CONFIG, Settings, load_settings
from gazette_tui.core.storage import schema
from gazette_tui.core.storage.repair import repair
from gazette_tui.core.storage.store import TOMBSTONE_DAYS, ArticleFilter, Store
from gazette_tui.errors import ConfigError
from gazette_tui.models import ParsedEntry, ParsedFeed

DAY = 86400
T0 = 1795000000  # 2026-11-18


def run(store: Store, settings: Settings) -> RefreshReport:
    return asyncio.run(refresh_feeds(store, settings))


def entry(
    key: str, published: int | None, *, body: str = "<p>Texte.</p>", external_url: str = ""
) -> ParsedEntry:
    return ParsedEntry(
        key=key,
        url=f"https://exemple.test/articles/{quote(key, safe='')}",
        title=f"Article {key}",
        kicker="",
        author="Camille Durand",
        published=published,
        updated=None,
        categories=["Finances"],
        summary_html="",
        content_html=body,
        text=body.replace("<p>", "").replace("</p>", ""),
        reserved=False,
        content_hash=hashlib.sha1(f"{key}\n{body}".encode()).hexdigest(),
        external_url=external_url,
    )


def document(*entries: ParsedEntry, dropped: int = 0) -> ParsedFeed:
    return ParsedFeed("rss", "Flux d'essai", "https://exemple.test/", list(entries), dropped=dropped)


def by_key(store: Store, feed_id: int | None = None) -> dict[str, int]:
    where, params = ("WHERE feed_id = ?", (feed_id,)) if feed_id is not None else ("", ())
    return dict(store.connection.execute(f"SELECT key, id FROM articles {where}", params).fetchall())


def tombstones(store: Store) -> dict[tuple[int, str], int]:
    rows = store.connection.execute("SELECT feed_id, key, seen FROM tombstones").fetchall()
    return {(feed_id, key): seen for feed_id, key, seen in rows}


def rfc822(moment: datetime) -> str:
    return format_datetime(moment)


# --- everything the feed carries is stored --------------------------------------------------------


def test_a_five_year_old_item_is_stored_on_first_fetch(
    httpserver: HTTPServer, store: Store, settings: Settings
) -> None:
    """A quiet blog is not empty on the day you subscribe: default retention (365 days) stores it all."""
    assert (settings.retention.days, settings.retention.unread_days) == (365, 730)
    today = datetime.now(UTC)
    items = [
        item_xml(1, date=rfc822(today - timedelta(days=5 * 365))),
        item_xml(2, date=rfc822(today - timedelta(days=3 * 365))),
        item_xml(3, date=rfc822(today - timedelta(days=2))),
    ]
    httpserver.expect_request("/blog").respond_with_data(rss(items), content_type="application/rss+xml")
    feed = store.add_feed(httpserver.url_for("/blog"))
    report = run(store, settings)
    assert (report.ok, report.new) == (1, 3)
    # The refresh pruned after storing; nothing went: the window counts from the day they reached the cache.
    ids = store.article_ids(ArticleFilter(feed_id=feed.id))
    assert len(ids) == 3
    oldest = store.article(ids[-1])
    assert "(n° 1)" in oldest.title
    assert oldest.published < time.time() - 4 * 365 * DAY
    assert not oldest.read
    assert not oldest.undated
    assert tombstones(store) == {}
    assert run(store, settings).new == 0


def test_a_pruned_article_does_not_come_back_on_the_next_refresh(
    httpserver: HTTPServer, store: Store, settings: Settings
) -> None:
    today = datetime.now(UTC)
    old, recent = (
        item_xml(1, date=rfc822(today - timedelta(days=800))),
        item_xml(2, date=rfc822(today - timedelta(hours=1))),
    )
    served = {"items": [old, recent]}

    def handler(request: Request) -> Response:
        return Response(rss(served["items"]), content_type="application/rss+xml")

    httpserver.expect_request("/f").respond_with_handler(handler)
    feed = store.add_feed(httpserver.url_for("/f"))
    assert run(store, settings).new == 2
    keys = by_key(store, feed.id)
    store.set_read([keys["exemple-1"]], True)
    # A year and more later, the read one is past retention.days; the unread one is within unread_days.
    later = int(time.time()) + 400 * DAY
    retention = settings.retention
    assert store.prune(retention.days, retention.per_feed, when=later, unread_days=retention.unread_days) == 1
    assert set(by_key(store, feed.id)) == {"exemple-2"}
    assert tombstones(store) == {(feed.id, "exemple-1"): later}
    # The feed still carries it: it is not stored again as new and unread.
    report = run(store, settings)
    assert (report.ok, report.new, report.updated) == (1, 0, 0)
    assert set(by_key(store, feed.id)) == {"exemple-2"}
    assert store.feed(feed.url).unread == 1  # type: ignore[union-attr]
    # A genuinely new item still arrives.
    served["items"] = [item_xml(3, date=rfc822(today)), old, recent]
    assert run(store, settings).new == 1
    assert set(by_key(store, feed.id)) == {"exemple-2", "exemple-3"}


def test_old_item_stored_unread_is_kept_until_unread_days(store: Store) -> None:
    """An item published five years before it reached the cache: its age counts from T0, not from then."""
    feed = store.add_feed("https://exemple.test/feed/")
    store.record_success(feed.id, document(entry("ancien", T0 - 5 * 365 * DAY)), when=T0)
    assert store.prune(365, 2000, when=T0 + 300 * DAY, unread_days=730) == 0
    assert store.prune(365, 2000, when=T0 + 700 * DAY, unread_days=730) == 0  # unread: past days, kept
    assert store.prune(365, 2000, when=T0 + 731 * DAY, unread_days=730) == 1
    assert store.counts()["all"] == 0
    assert tombstones(store) == {(feed.id, "ancien"): T0 + 731 * DAY}


def test_age_counts_from_the_date_when_it_is_later(store: Store) -> None:
    """An item dated after it reached the cache (announced ahead): its age counts from its date."""
    feed = store.add_feed("https://exemple.test/feed/")
    store.record_success(
        feed.id, document(entry("annonce", T0 + 100 * DAY), entry("hier", T0 - DAY)), when=T0
    )
    store.set_read(store.article_ids(), True)
    assert store.prune(365, 0, when=T0 + 400 * DAY) == 1
    assert set(by_key(store)) == {"annonce"}
    assert store.prune(365, 0, when=T0 + 466 * DAY) == 1


# --- what pruning removes ---------------------------------------------------------------------------


def fill(store: Store, when: int = T0) -> tuple[int, dict[str, int]]:
    """Six articles of one feed, all dated before ``when``: unread, read, starred, in a dossier…"""
    feed = store.add_feed("https://exemple.test/feed/")
    names = ["non-lu", "lu", "lu-recent", "favori", "dossier", "non-lu-recent"]
    dates = [when - 10 * DAY, when - 20 * DAY, when - DAY, when - 30 * DAY, when - 40 * DAY, when]
    store.record_success(
        feed.id, document(*(entry(n, d) for n, d in zip(names, dates, strict=True))), when=when
    )
    ids = by_key(store, feed.id)
    store.set_read([ids["lu"], ids["lu-recent"], ids["favori"], ids["dossier"]], True)
    store.set_starred(ids["favori"], True)
    dossiers.add_article(store, dossiers.create(store, "À garder").id, ids["dossier"])
    return feed.id, ids


def test_prune_keeps_unread_within_unread_days_and_prunes_read_past_days(store: Store) -> None:
    feed_id, _ids = fill(store)
    # 366 days on: read articles are past ``days``; unread ones are within ``unread_days``.
    assert store.prune(365, 0, when=T0 + 366 * DAY, unread_days=730) == 2
    assert set(by_key(store)) == {"non-lu", "favori", "dossier", "non-lu-recent"}
    assert set(tombstones(store)) == {(feed_id, "lu"), (feed_id, "lu-recent")}
    # Past ``unread_days``, unread ones go too; starred and dossier ones never do.
    assert store.prune(365, 0, when=T0 + 731 * DAY, unread_days=730) == 2
    assert set(by_key(store)) == {"favori", "dossier"}
    assert store.prune(1, 1, when=T0 + 5000 * DAY, unread_days=1) == 0
    assert set(by_key(store)) == {"favori", "dossier"}
    assert len(tombstones(store)) == 4


def test_unread_days_zero_never_prunes_unread_and_days_zero_prunes_nothing(store: Store) -> None:
    fill(store)
    assert store.prune(0, 0, when=T0 + 5000 * DAY, unread_days=730) == 0  # days = 0: no age limit at all
    assert store.prune(365, 0, when=T0 + 5000 * DAY, unread_days=0) == 2  # the two read ones
    assert set(by_key(store)) == {"non-lu", "favori", "dossier", "non-lu-recent"}


def test_unread_articles_are_never_pruned_sooner_than_read_ones(store: Store) -> None:
    fill(store)
    assert store.prune(365, 0, when=T0 + 100 * DAY, unread_days=30) == 0
    assert store.prune(365, 0, when=T0 + 366 * DAY, unread_days=30) == 4  # read and unread alike


def test_refresh_prunes_with_the_settings(httpserver: HTTPServer, store: Store, settings: Settings) -> None:
    """After storing, the refresh prunes with ``days`` and ``unread_days``: of two articles that reached the
    cache 600 days ago, the read one goes and the unread one stays; today's old items stay."""
    today = datetime.now(UTC)
    items = [item_xml(i, date=rfc822(today - timedelta(days=1000 + i))) for i in range(3)]
    httpserver.expect_request("/f").respond_with_data(rss(items))
    feed = store.add_feed(httpserver.url_for("/f"))
    long_ago = int(time.time()) - 600 * DAY
    with store.writing() as c:
        c.executemany(
            "INSERT INTO articles (id, feed_id, key, title, published, fetched, read) "
            "VALUES (?, ?, ?, 'Ancien', ?, ?, ?)",
            [
                (98, feed.id, "ancien-lu", long_ago, long_ago, 1),
                (99, feed.id, "ancien-non-lu", long_ago, long_ago, 0),
            ],
        )
    assert (settings.retention.days, settings.retention.unread_days) == (365, 730)
    assert run(store, settings).new == 3
    assert set(by_key(store, feed.id)) == {"exemple-0", "exemple-1", "exemple-2", "ancien-non-lu"}
    assert set(tombstones(store)) == {(feed.id, "ancien-lu")}


# --- the per-feed cap -----------------------------------------------------------------------------------


def test_per_feed_cap_leaves_tombstones(store: Store) -> None:
    feed = store.add_feed("https://exemple.test/feed/")
    other = store.add_feed("https://exemple.test/autre/feed/")
    items = [entry(f"n{i}", T0 - i * DAY) for i in range(6)]
    store.record_success(feed.id, document(*items), when=T0)
    store.record_success(other.id, document(entry("ailleurs", T0 - 100 * DAY)), when=T0)
    store.set_starred(by_key(store, feed.id)["n5"], True)  # the oldest, starred: stays, beyond the cap
    assert store.prune(0, 3, when=T0) == 2
    assert set(by_key(store, feed.id)) == {"n0", "n1", "n2", "n5"}
    assert set(tombstones(store)) == {(feed.id, "n3"), (feed.id, "n4")}
    assert set(by_key(store, other.id)) == {"ailleurs"}
    # The same document again: the capped ones are not news (without tombstones they would come back at
    # every refresh, unread, and be pruned again).
    result = store.record_success(feed.id, document(*items), when=T0 + DAY)
    assert (result.new, result.updated) == (0, 0)
    assert store.prune(0, 3, when=T0 + DAY) == 0
    assert set(by_key(store, feed.id)) == {"n0", "n1", "n2", "n5"}


# --- tombstones -------------------------------------------------------------------------------------


def test_tombstones_are_refreshed_while_seen_and_collected_a_month_after(store: Store) -> None:
    feed = store.add_feed("https://exemple.test/feed/")
    a, b = entry("guid#abc123", T0 - DAY), entry("guid#def456", T0)  # keys are opaque strings
    store.record_success(feed.id, document(a, b), when=T0)
    store.set_read([by_key(store)["guid#abc123"]], True)
    assert store.prune(1, 0, when=T0 + 2 * DAY, unread_days=0) == 1
    assert tombstones(store) == {(feed.id, "guid#abc123"): T0 + 2 * DAY}
    # Still carried by the feed: not news, and the tombstone is marked seen.
    assert store.record_success(feed.id, document(a, b), when=T0 + 20 * DAY).new == 0
    assert tombstones(store) == {(feed.id, "guid#abc123"): T0 + 20 * DAY}
    # The item leaves the feed; for less than a month the tombstone stays.
    store.record_success(feed.id, document(b), when=T0 + 45 * DAY)
    assert tombstones(store) == {(feed.id, "guid#abc123"): T0 + 20 * DAY}
    # An unreachable feed (failures, 304s) keeps its tombstones: only a stored document collects them.
    store.record_failure(feed.id, "Délai dépassé", when=T0 + 80 * DAY)
    store.record_not_modified([feed.id], when=T0 + 81 * DAY)
    assert set(tombstones(store)) == {(feed.id, "guid#abc123")}
    # A document stored more than TOMBSTONE_DAYS after the item was last seen: collected.
    assert TOMBSTONE_DAYS == 30
    store.record_success(feed.id, document(b), when=T0 + 20 * DAY + 31 * DAY)
    assert tombstones(store) == {}


def test_tombstones_of_one_feed_do_not_hide_another_feeds_item(store: Store) -> None:
    first = store.add_feed("https://exemple.test/feed/")
    second = store.add_feed("https://exemple.test/autre/feed/")
    store.record_success(first.id, document(entry("commun", T0)), when=T0)
    store.set_read(store.article_ids(), True)
    assert store.prune(1, 0, when=T0 + 10 * DAY) == 1
    assert store.record_success(second.id, document(entry("commun", T0)), when=T0 + 10 * DAY).new == 1


def test_removing_a_feed_removes_its_tombstones(store: Store) -> None:
    kept = store.add_feed("https://exemple.test/garde/feed/")
    gone = store.add_feed("https://exemple.test/part/feed/")
    for feed in (kept, gone):
        store.record_success(
            feed.id, document(entry(f"{feed.id}-a", T0), entry(f"{feed.id}-b", T0 - 1)), when=T0
        )
    assert store.prune(0, 1, when=T0) == 2
    assert {feed_id for feed_id, _ in tombstones(store)} == {kept.id, gone.id}
    store.remove_feed(gone.url)
    assert {feed_id for feed_id, _ in tombstones(store)} == {kept.id}
    # The schema cascades too (a feed row deleted by hand, foreign keys on as every Store connection has).
    with store.writing() as c:
        c.execute("DELETE FROM feeds WHERE id = ?", (kept.id,))
    assert tombstones(store) == {}
    # A new subscription (the same id may be handed out again) starts with none.
    again = store.add_feed("https://exemple.test/part/feed/")
    result = store.record_success(
        again.id, document(entry(f"{gone.id}-a", T0), entry(f"{gone.id}-b", T0 - 1))
    )
    assert result.new == 2


def test_remove_all_feeds_removes_every_tombstone(store: Store) -> None:
    for n in range(3):
        feed = store.add_feed(f"https://exemple.test/{n}/feed/")
        store.record_success(feed.id, document(entry(f"{n}-a", T0), entry(f"{n}-b", T0 - 1)), when=T0)
    assert store.prune(0, 1, when=T0) == 3
    assert len(tombstones(store)) == 3
    store.remove_all_feeds()
    assert tombstones(store) == {}
    assert store.counts()["all"] == 0


# --- undated items ------------------------------------------------------------------------------------


def test_an_undated_item_sorts_between_its_dated_neighbours(store: Store) -> None:
    feed = store.add_feed("https://exemple.test/feed/")
    doc = document(
        entry("avant", None),
        entry("a", T0 - 100 * DAY),
        entry("sans-date", None),
        entry("sans-date-2", None),
        entry("b", T0 - 200 * DAY),
    )
    store.record_success(feed.id, doc, when=T0)
    ids = by_key(store)
    order = {v: k for k, v in ids.items()}
    assert [order[i] for i in store.article_ids()] == ["avant", "a", "sans-date", "sans-date-2", "b"]
    published = {order[r.id]: (r.published, r.undated) for r in store.article_rows(list(ids.values()))}
    assert published == {
        "avant": (T0 - 100 * DAY + 1, True),  # above the next dated entry
        "a": (T0 - 100 * DAY, False),
        "sans-date": (T0 - 100 * DAY - 1, True),  # just below the dated entry before it
        "sans-date-2": (T0 - 100 * DAY - 2, True),
        "b": (T0 - 200 * DAY, False),
    }
    assert store.article(ids["sans-date"]).undated
    assert not store.article(ids["a"]).undated


def test_a_wholly_undated_document_keeps_first_seen_order(store: Store) -> None:
    feed = store.add_feed("https://exemple.test/feed/")
    store.record_success(feed.id, document(entry("x", None), entry("y", None), entry("z", None)), when=T0)
    rows = store.article_rows(store.article_ids())
    assert [(r.title, r.published, r.undated) for r in rows] == [
        ("Article x", T0, True),
        ("Article y", T0 - 1, True),
        ("Article z", T0 - 2, True),
    ]


def test_a_cached_item_refetched_undated_keeps_its_date(store: Store) -> None:
    feed = store.add_feed("https://exemple.test/feed/")
    store.record_success(
        feed.id, document(entry("a", T0 - DAY), entry("u", None), entry("d", T0 - 9 * DAY)), when=T0
    )
    u = by_key(store)["u"]
    first = store.article(u).published
    assert first == T0 - DAY - 1
    # A new dated item comes first and "u" is rewritten: its stored place does not churn.
    changed = document(
        entry("neuf", T0 + DAY), entry("u", None, body="<p>Corrigé.</p>"), entry("a", T0 - DAY)
    )
    result = store.record_success(feed.id, changed, when=T0 + DAY)
    assert (result.new, result.updated) == (1, 1)
    article = store.article(u)
    assert (article.published, article.undated, "Corrigé" in article.content_html) == (first, True, True)
    # A date appearing later is taken, and the flag goes.
    dated = document(entry("u", T0 - 3 * DAY, body="<p>Daté.</p>"))
    store.record_success(feed.id, dated, when=T0 + 2 * DAY)
    assert (store.article(u).published, store.article(u).undated) == (T0 - 3 * DAY, False)


# --- external_url ------------------------------------------------------------------------------------


def test_external_url_is_stored_and_updated(store: Store) -> None:
    feed = store.add_feed("https://exemple.test/feed.json")
    store.record_success(
        feed.id, document(entry("c", T0, external_url="https://ailleurs.test/page")), when=T0
    )
    [article_id] = store.article_ids()
    assert store.article(article_id).external_url == "https://ailleurs.test/page"
    moved = entry("c", T0, body="<p>Autre commentaire.</p>", external_url="https://ailleurs.test/autre")
    assert store.record_success(feed.id, document(moved), when=T0 + 1).updated == 1
    assert store.article(article_id).external_url == "https://ailleurs.test/autre"
    store.record_success(feed.id, document(entry("sans", T0)), when=T0 + 2)
    assert store.article(by_key(store)["sans"]).external_url == ""


# --- unreadable items of a document -------------------------------------------------------------------


def test_dropped_count_is_stored_and_shown_by_feeds_list(
    xdg_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store(Paths.default().database) as store:
        one = store.add_feed("https://exemple.test/un/feed/", title="Un illisible")
        three = store.add_feed("https://exemple.test/trois/feed/", title="Trois illisibles")
        fine = store.add_feed("https://exemple.test/sain/feed/", title="Sain")
        store.record_success(one.id, document(entry("1", T0), dropped=1))
        store.record_success(three.id, document(entry("3", T0), dropped=3))
        store.record_success(fine.id, document(entry("s", T0)))
        assert [store.feed(f.url).dropped for f in (one, three, fine)] == [1, 3, 0]  # type: ignore[union-attr]
    capsys.readouterr()
    assert main(["feeds", "list"]) == 0
    printed = capsys.readouterr().out.splitlines()
    [line_one] = [line for line in printed if one.url in line]
    [line_three] = [line for line in printed if three.url in line]
    [line_fine] = [line for line in printed if fine.url in line]
    assert line_one.endswith(f"{one.url}  ⚠ 1 article illisible")
    assert line_three.endswith(f"{three.url}  ⚠ 3 articles illisibles")
    assert "illisible" not in line_fine
    assert "⚠" not in line_fine
    assert main(["feeds", "list", "--json"]) == 0
    rows = {row["url"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows[one.url]["dropped"] == 1
    assert rows[three.url]["dropped"] == 3
    assert rows[fine.url]["dropped"] == 0
    # The next successful store sets the count again: 0 when every item was read.
    with Store(Paths.default().database) as store:
        store.record_success(three.id, document(entry("3", T0)))
        assert store.feed(three.url).dropped == 0  # type: ignore[union-attr]
        store.record_failure(one.id, "Délai dépassé")
        assert store.feed(one.url).dropped == 1  # type: ignore[union-attr]  # a failure stores no document


# --- settings -------------------------------------------------------------------------------------------


def test_default_config_documents_unread_days(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(DEFAULT_CONFIG, encoding="utf-8")
    assert load_settings(path) == Settings()
    assert "unread_days = 730" in DEFAULT_CONFIG
    path.write_text("[retention]\nunread_days = 0\ndays = 30\n", encoding="utf-8")
    assert (load_settings(path).retention.unread_days, load_settings(path).retention.days) == (0, 30)
    path.write_text("[retention]\nunread_days = -1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"unread_days.*négatif"):
        load_settings(path)
    path.write_text('[retention]\nunread_days = "deux ans"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"ligne 2.*unread_days.*int"):
        load_settings(path)


# --- schema v3: migration and repair ---------------------------------------------------------------------


def v2_database(path: Path) -> None:
    """A real version-2 file: only the first two migrations, with a feed, articles, bodies and a dossier."""
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute("BEGIN")
    for step in schema.MIGRATIONS[:2]:
        step(raw)
    raw.execute("PRAGMA user_version = 2")
    raw.execute(
        "INSERT INTO feeds (id, url, title, added, last_ok) VALUES (1, 'https://exemple.test/f', 'F', 0, 5)"
    )
    for n, (read, starred) in enumerate([(1, 1), (0, 0), (1, 0)], start=1):
        raw.execute(
            "INSERT INTO articles (id, feed_id, key, title, published, fetched, read, starred) "
            "VALUES (?, 1, ?, ?, ?, ?, ?, ?)",
            (n, f"k{n}", f"Article {n}", T0 - n * DAY, T0, read, starred),
        )
        raw.execute("INSERT INTO article_bodies (id, content_html) VALUES (?, ?)", (n, f"<p>Corps {n}.</p>"))
    raw.execute("INSERT INTO dossiers (id, name, created, updated) VALUES (3, 'Mon dossier', 50, 60)")
    raw.execute("INSERT INTO dossier_items VALUES (3, 2, 60, 'ma note')")
    raw.execute("COMMIT")
    raw.close()


def test_migration_from_v2(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    v2_database(path)
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 2
        assert not raw.execute("SELECT 1 FROM sqlite_master WHERE name = 'tombstones'").fetchone()
    with Store(path) as store:
        c = store.connection
        version = c.execute("PRAGMA user_version").fetchone()[0]
        assert version == schema.SCHEMA_VERSION  # v3, and any later step
        assert "dropped" in {r[1] for r in c.execute("PRAGMA table_info(feeds)")}
        assert "undated" in {r[1] for r in c.execute("PRAGMA table_info(articles)")}
        assert "external_url" in {r[1] for r in c.execute("PRAGMA table_info(article_bodies)")}
        assert [r[1] for r in c.execute("PRAGMA table_info(tombstones)")] == ["feed_id", "key", "seen"]
        # Data kept, new columns at their defaults.
        [feed] = store.feeds()
        assert (feed.url, feed.title, feed.last_ok, feed.articles, feed.unread, feed.dropped) == (
            "https://exemple.test/f", "F", 5, 3, 1, 0
        )  # fmt: skip
        first = store.article(1)
        assert (first.title, first.read, first.starred, first.undated, first.external_url) == (
            "Article 1", True, True, False, ""
        )  # fmt: skip
        assert "Corps 1" in first.content_html
        assert [r.undated for r in store.article_rows([1, 2, 3])] == [False, False, False]
        [dossier] = dossiers.list_dossiers(store)
        assert (dossier.name, dossier.count, dossier.updated) == ("Mon dossier", 1, 60)
        # The new machinery works on the migrated file: a pruned article leaves a tombstone.
        assert store.prune(365, 0, when=T0 + 400 * DAY, unread_days=730) == 1  # n° 3: read, not starred
        assert tombstones(store) == {(1, "k3"): T0 + 400 * DAY}
        assert store.record_success(1, document(entry("k3", T0 - 3 * DAY), entry("k4", None))).new == 1
    with Store(path) as store:  # opening again migrates nothing
        assert store.connection.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION


def test_repair_carries_the_v3_columns_and_tombstones(tmp_path: Path) -> None:
    path = tmp_path / "gazette.db"
    with Store(path) as store:
        feed = store.add_feed("https://exemple.test/feed/")
        doc = document(
            entry("a", T0, external_url="https://ailleurs.test/"),
            entry("u", None),
            entry("old", T0 - DAY),
            dropped=2,
        )
        store.record_success(feed.id, doc, when=T0)
        assert store.prune(0, 2, when=T0) == 1
        before = tombstones(store)
        assert before == {(feed.id, "old"): T0}
    report = repair(path, force=True)  # healthy: rebuilt on request
    assert report.lost_ranges == {}
    assert report.rows["tombstones"] == 1
    with Store(path) as store:
        assert tombstones(store) == before
        assert store.feeds()[0].dropped == 2
        keys = by_key(store)
        assert store.article(keys["a"]).external_url == "https://ailleurs.test/"
        assert store.article(keys["u"]).undated
        assert not store.article(keys["a"]).undated
        assert store.record_success(feed.id, doc, when=T0 + DAY).new == 0  # the tombstone still works


def test_repair_of_a_v2_file_reports_no_lost_tombstones(tmp_path: Path) -> None:
    path = tmp_path / "gazette.db"
    v2_database(path)
    report = repair(path, force=True)
    assert report.lost_ranges == {}
    assert (report.rows["articles"], report.rows["tombstones"]) == (3, 0)
    with Store(path) as store:
        assert store.article(2).title == "Article 2"
        assert store.feeds()[0].dropped == 0


def test_a_json_feed_end_to_end(httpserver: HTTPServer, store: Store, settings: Settings) -> None:
    """Through the parser and a real refresh: an item that is not an object is counted, not fatal; the
    undated item sits between its neighbours; ``external_url`` reaches the article."""
    today = datetime.now(UTC).replace(microsecond=0)
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Carnet",
        "home_page_url": "https://carnet.test/",
        "items": [
            {"id": "1", "url": "https://carnet.test/1", "title": "Premier", "content_html": "<p>Un.</p>",
             "date_published": (today - timedelta(days=2000)).isoformat()},
            {"id": "2", "url": "https://carnet.test/2", "title": "Sans date", "content_html": "<p>Deux.</p>",
             "external_url": "https://ailleurs.test/page"},
            42,
            {"id": "3", "url": "https://carnet.test/3", "title": "Troisième", "content_html": "<p>Trois.</p>",
             "date_published": (today - timedelta(days=2100)).isoformat()},
        ],
    }  # fmt: skip
    httpserver.expect_request("/feed.json").respond_with_data(
        json.dumps(document), content_type="application/feed+json"
    )
    feed = store.add_feed(httpserver.url_for("/feed.json"))
    report = run(store, settings)
    assert (report.ok, report.new) == (1, 3)
    assert store.feed(feed.url).dropped == 1  # type: ignore[union-attr]
    rows = store.article_rows(store.article_ids())
    assert [(r.title, r.undated) for r in rows] == [
        ("Premier", False),
        ("Sans date", True),
        ("Troisième", False),
    ]
    undated = store.article(rows[1].id)
    assert undated.external_url == "https://ailleurs.test/page"
    assert undated.published == rows[0].published - 1
