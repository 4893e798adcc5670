"""Storage format v5: compressed bodies and texts, and a search index that reads its text back.

Real SQLite files; the index must stay exactly what a full rebuild from the articles would give, whatever
was added, changed, given a full text or deleted (FTS5's own ``integrity-check`` compares the two)."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.feeds import item_xml, rss

from gazette_tui.core.feeds.parse import parse_feed
from gazette_tui.core.feeds.parse_pool import ParsePool
from gazette_tui.core.feeds.refresh import INLINE_PARSE_BYTES
from gazette_tui.core.search.search import search
from gazette_tui.core.storage import codec, schema
from gazette_tui.core.storage.store import Store
from gazette_tui.errors import StoreError
from gazette_tui.models import ParsedFeed

LONG_BODY = "<p>" + "La commune vote son budget primitif et la dotation baisse encore. " * 30 + "</p>"


def check_index(store: Store) -> None:
    c = store.connection
    c.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")  # raises when they differ
    articles = c.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert c.execute("SELECT count(*) FROM article_text").fetchone()[0] == articles


@given(st.text())
@settings(max_examples=200, deadline=None)
def test_pack_then_unpack_is_the_same_text(text: str) -> None:
    assert codec.unpack(codec.pack(text)) == text


def test_short_text_stays_text_and_long_text_is_compressed() -> None:
    assert codec.pack("court") == "court"
    packed = codec.pack(LONG_BODY)
    assert isinstance(packed, bytes)
    assert len(packed) * 5 < len(LONG_BODY.encode())
    assert codec.unpack(None) == ""


def test_a_damaged_frame_is_a_store_error_not_a_traceback() -> None:
    packed = codec.pack(LONG_BODY)
    assert isinstance(packed, bytes)
    with pytest.raises(StoreError, match="repair"):
        codec.unpack(packed[:20] + b"\x00" * 10 + packed[30:])


def test_bodies_and_texts_are_stored_compressed_and_read_back_whole(tmp_path: Path) -> None:
    with Store(tmp_path / "g.db") as store:
        feed = store.add_feed("https://exemple.test/feed/")
        parsed = parse_feed(rss([item_xml(i, body=LONG_BODY + f"<p>Numéro {i}.</p>") for i in range(5)]))
        store.record_success(feed.id, parsed)
        c = store.connection
        assert {r[0] for r in c.execute("SELECT typeof(content_html) FROM article_bodies")} == {"blob"}
        assert {r[0] for r in c.execute("SELECT typeof(body) FROM article_text")} == {"blob"}
        # No second copy of the text inside the index.
        assert not c.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles_fts_content'").fetchone()
        by_key = {e.key: e for e in parsed.entries}
        for (article_id,) in c.execute("SELECT id FROM articles").fetchall():
            article = store.article(article_id)
            key = c.execute("SELECT key FROM articles WHERE id = ?", (article_id,)).fetchone()[0]
            assert article.content_html == by_key[key].content_html
            assert article.summary_html == by_key[key].summary_html
        assert len(search(store, "numéro 3")) == 1
        assert len(search(store, "dotation")) == 5
        check_index(store)


def test_the_index_follows_updates_full_texts_and_deletions(tmp_path: Path) -> None:
    with Store(tmp_path / "g.db") as store:
        feed = store.add_feed("https://exemple.test/feed/")
        store.record_success(feed.id, parse_feed(rss([item_xml(i, body=LONG_BODY) for i in range(4)])))
        # The feed changes one article's text and title: the old words no longer find it, the new ones do.
        changed = item_xml(
            0, title="Assainissement collectif", body=LONG_BODY + "<p>Station d'épuration.</p>"
        )
        store.record_success(
            feed.id, parse_feed(rss([changed] + [item_xml(i, body=LONG_BODY) for i in (1, 2, 3)]))
        )
        check_index(store)
        assert [a.title for a in search(store, "épuration")] == ["Assainissement collectif"]
        assert [a.title for a in search(store, "assainissement")] == ["Assainissement collectif"]
        # A full text becomes what search finds; the feed's own text no longer does.
        target = next(a for a in search(store, "épuration"))
        store.bodies.set_fulltext(
            target.id, "<p>Texte intégral sur la méthanisation.</p>", "Texte intégral sur la méthanisation."
        )
        check_index(store)
        assert [a.id for a in search(store, "méthanisation")] == [target.id]
        assert search(store, "épuration") == []
        assert store.article(target.id).fulltext_html == "<p>Texte intégral sur la méthanisation.</p>"
        assert len(search(store, "dotation")) == 3
        # Retention deletes the three older ones (the newest, with its full text, stays): nothing of them
        # stays in the index.
        assert store.prune(0, 1) == 3
        check_index(store)
        assert search(store, "dotation") == []
        assert [a.id for a in search(store, "méthanisation")] == [target.id]


def v4_database(path: Path) -> None:
    """A real version-4 file as 0.1.x wrote it: the index keeps its own copy of every text."""
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute("BEGIN")
    for step in schema.MIGRATIONS[:4]:
        step(raw)
    raw.execute("PRAGMA user_version = 4")
    raw.execute("INSERT INTO feeds (id, url, title, added) VALUES (1, 'https://exemple.test/f', 'F', 0)")
    for n in range(1, 4):
        raw.execute(
            "INSERT INTO articles (id, feed_id, key, title, author, categories, published, fetched) "
            "VALUES (?, 1, ?, ?, 'Camille Durand', ?, 0, 0)",
            (n, f"k{n}", f"Budget primitif {n}", "Finances\nCollectivités"),
        )
        html = f"<p>La commune n° {n} vote son budget.</p>"
        raw.execute("INSERT INTO article_bodies (id, content_html) VALUES (?, ?)", (n, html))
        raw.execute(
            "INSERT INTO articles_fts (rowid, title, author, categories, body) VALUES (?, ?, ?, ?, ?)",
            (
                n,
                f"Budget primitif {n}",
                "Camille Durand",
                "Finances Collectivités",
                f"Texte indexé numéro{n}",
            ),
        )
    # An index row left behind by an article that is gone (0.1.0 could leave one): it is not carried over.
    raw.execute(
        "INSERT INTO articles_fts (rowid, title, author, categories, body) "
        "VALUES (9, 'Orphelin', '', '', 'x')"
    )
    raw.execute("COMMIT")
    raw.close()


def test_migration_from_v4_keeps_what_search_finds(tmp_path: Path) -> None:
    path = tmp_path / "v4.db"
    v4_database(path)
    with Store(path) as store:
        c = store.connection
        assert c.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        check_index(store)
        # The indexed text came from the old index, not recomputed from the body.
        assert [a.id for a in search(store, "numéro2")] == [2]
        assert len(search(store, "collectivités")) == 3
        assert search(store, "orphelin") == []
        # Bodies written before v5 stay text and read as before.
        assert (
            c.execute("SELECT typeof(content_html) FROM article_bodies WHERE id = 1").fetchone()[0] == "text"
        )
        assert store.article(1).content_html == "<p>La commune n° 1 vote son budget.</p>"
        assert not c.execute("SELECT 1 FROM sqlite_master WHERE name LIKE 'articles_fts_v4%'").fetchone()


def test_what_a_parse_worker_compresses_reads_back_as_what_the_writer_would_store(tmp_path: Path) -> None:
    """The worker packs bodies and text on its own core; the cache must then hold exactly what it holds
    when the writer packs them itself (a feed parsed in-process)."""
    body = rss([item_xml(i, body=LONG_BODY + f"<p>Délibération {i}.</p>") for i in range(40)])
    assert len(body) > INLINE_PARSE_BYTES  # big enough to go to a worker in a refresh

    async def in_worker() -> ParsedFeed | str:
        pool = ParsePool(deadline=30)
        try:
            return await pool.parse(body, "https://exemple.test/feed/", "application/rss+xml")
        finally:
            pool.close()

    from_worker = asyncio.run(in_worker())
    assert isinstance(from_worker, ParsedFeed)
    assert all(e.stored is not None for e in from_worker.entries)
    in_process = parse_feed(body, "https://exemple.test/feed/")
    assert all(e.stored is None for e in in_process.entries)
    dumps = []
    for n, parsed in enumerate((from_worker, in_process)):
        with Store(tmp_path / f"g{n}.db") as store:
            feed = store.add_feed("https://exemple.test/feed/")
            store.record_success(feed.id, parsed, when=1_800_000_000)
            c = store.connection
            rows = c.execute(
                "SELECT a.key, b.summary_html, b.content_html, t.title, t.author, t.categories, t.body "
                "FROM articles a JOIN article_bodies b ON b.id = a.id JOIN article_text t ON t.id = a.id "
                "ORDER BY a.key"
            ).fetchall()
            dumps.append([(r[0], *(codec.unpack(v) for v in r[1:])) for r in rows])
            check_index(store)
    assert dumps[0] == dumps[1]
    assert len(dumps[0]) == 40
