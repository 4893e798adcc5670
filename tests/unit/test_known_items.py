"""Items the cache already holds are parsed for their identity only (``ParsedEntry.known``): what is stored
must be exactly what a full parse stores, and a known item that has gone meanwhile makes the document
stored again in full, never lost."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from gazette_tui.core.feeds.parse import parse_feed
from gazette_tui.core.storage.store import FeedUpdate, Store

URL = "http://127.0.0.1:9/flux.xml"
WHEN = 1_767_225_600


def item(n: int, body: str = "") -> str:
    return (
        f"<item><title>Conseil municipal n° {n}</title><link>https://example.org/a/{n}</link>"
        f"<guid>urn:a:{n}</guid><pubDate>Mon, 0{1 + n % 8} Dec 2025 08:00:00 GMT</pubDate>"
        f"<category>Budget</category><category>Élus</category>"
        f'<enclosure url="https://example.org/{n}.pdf" type="application/pdf" length="12"/>'
        f"<description>Résumé {n}</description>"
        f"<content:encoded><![CDATA[<p>{body or 'Délibération'} {n} "
        + "de la commune, " * 20
        + '<a href="/rel">lien</a></p><script>x()</script>]]></content:encoded></item>'
    )


def feed(items: list[str]) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Flux</title>'
        "<link>https://example.org/</link>" + "".join(items) + "</channel></rss>"
    ).encode()


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(path) as c:
        return {
            table: c.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            for table in ("articles", "article_bodies", "article_text", "tombstones")
        }


def test_known_items_store_exactly_what_a_full_parse_stores(tmp_path: Path) -> None:
    first = feed([item(n) for n in range(6)])
    # The next day: two new items, one changed, one gone, the rest the same bytes.
    second = feed([item(7), item(6), item(0), item(1, body="Modifié"), item(2), item(3), item(4)])
    paths = []
    for name, use_known in (("plein", False), ("connu", True)):
        path = tmp_path / f"{name}.db"
        with Store(path) as store:
            feed_id = store.add_feed(URL, title="Flux").id
            store.record_success(feed_id, parse_feed(first, URL), when=WHEN)
            known = store.known_items(feed_id) if use_known else frozenset()
            parsed = parse_feed(second, URL, known=known)
            if use_known:
                assert sum(e.known for e in parsed.entries) == 4  # 0, 2, 3, 4
                assert {e.key for e in parsed.entries if e.known} == {f"urn:a:{n}" for n in (0, 2, 3, 4)}
            result = store.record_success(feed_id, parsed, when=WHEN + 60)
            assert (result.new, result.updated, result.stale) == (2, 1, False)
        paths.append(path)
    assert dump(paths[0]) == dump(paths[1])


def test_unchanged_items_get_their_digest_and_are_known_next_time(tmp_path: Path) -> None:
    document = feed([item(n) for n in range(3)])
    with Store(tmp_path / "g.db") as store:
        feed_id = store.add_feed(URL).id
        store.record_success(feed_id, parse_feed(document, URL), when=WHEN)
        with store.writing() as c:  # a row from before the digests (schema 5)
            c.execute("UPDATE articles SET raw_hash = 0")
        assert store.known_items(feed_id) == frozenset()
        store.record_success(feed_id, parse_feed(document, URL), when=WHEN + 60)
        assert len(store.known_items(feed_id)) == 3
        again = parse_feed(document, URL, known=store.known_items(feed_id))
        assert all(e.known for e in again.entries)


def test_a_known_item_gone_meanwhile_undoes_only_its_document(tmp_path: Path) -> None:
    document = feed([item(n) for n in range(3)])
    other_url = "http://127.0.0.1:9/autre.xml"
    with Store(tmp_path / "g.db") as store:
        feed_id = store.add_feed(URL).id
        other_id = store.add_feed(other_url).id
        store.record_success(feed_id, parse_feed(document, URL), when=WHEN)
        known = store.known_items(feed_id)
        with store.writing() as c:
            c.execute("DELETE FROM articles WHERE key = 'urn:a:1'")
        stale = parse_feed(document + b"", URL, known=known)
        fresh_other = parse_feed(feed([item(9)]), other_url)
        results = store.record_batch(
            [
                FeedUpdate(feed_id, stale, None, None, None),
                FeedUpdate(other_id, fresh_other, None, None, None),
            ],
            when=WHEN + 60,
        )
        assert results[0].stale
        assert results[1].new == 1
        assert not results[1].stale
        # In full, as the refresh does next: the article comes back with its body.
        full = store.record_success(feed_id, parse_feed(document, URL), when=WHEN + 120)
        assert (full.new, full.stale) == (1, False)
        with store.reading() as c:
            assert c.execute("SELECT count(*) FROM articles WHERE feed_id = ?", (feed_id,)).fetchone()[0] == 3
