"""Schema 8: sync accounts, the remote ids of feeds, groups and items, and the outbox with its triggers. A
real version-7 file upgrades without losing anything, the sync rows follow their feeds and articles away,
and ``repair`` carries them (and the triggers)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from gazette_tui.core.storage import codec, schema
from gazette_tui.core.storage.repair import repair
from gazette_tui.core.storage.store import Store

NEW_TABLES = {"sync_accounts", "sync_feeds", "sync_groups", "sync_items", "sync_outbox", "sync_quiet"}


def v7_database(path: Path) -> None:
    raw = sqlite3.connect(path, isolation_level=None)
    codec.register(raw)
    raw.execute("BEGIN")
    for step in schema.MIGRATIONS[:7]:
        step(raw)
    raw.execute("PRAGMA user_version = 7")
    raw.execute(
        "INSERT INTO feeds (id, url, title, rubrique, added) "
        "VALUES (1, 'https://mairie.exemple.test/feed/', 'Actes', 'Conseil', 0)"
    )
    raw.execute(
        "INSERT INTO articles (id, feed_id, key, title, published, fetched, read) "
        "VALUES (1, 1, 'k1', 'Délibération 1', 0, 0, 1), (2, 1, 'k2', 'Délibération 2', 0, 0, 0)"
    )
    raw.execute("COMMIT")
    raw.close()


def _synced(c: sqlite3.Connection) -> None:
    c.execute(
        "INSERT INTO sync_accounts (id, name, kind, url, username, added) "
        "VALUES (1, 'maison', 'fever', 'https://rss.exemple.test/fever/', 'agent', 0)"
    )
    c.execute("INSERT INTO sync_feeds VALUES (1, '30', 1)")
    c.execute("INSERT INTO sync_groups VALUES (1, '4', 'Conseil')")
    c.execute("INSERT INTO sync_items VALUES (1, '301', 1), (1, '302', 2)")


def tables(c: sqlite3.Connection) -> set[str]:
    return {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_v7_file_upgrades_keeping_its_articles(tmp_path: Path) -> None:
    path = tmp_path / "v7.db"
    v7_database(path)
    with Store(path) as store:
        c = store.connection
        assert c.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert tables(c) >= NEW_TABLES
        assert [(r.title, r.read) for r in store.article_rows([1, 2])] == [
            ("Délibération 1", True),
            ("Délibération 2", False),
        ]
        for table in NEW_TABLES:
            assert c.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0
        assert [s.id for s in store.feed_states()] == [1]


def test_a_change_to_a_synced_article_writes_the_outbox_in_the_same_transaction(tmp_path: Path) -> None:
    path = tmp_path / "v7.db"
    v7_database(path)
    with Store(path) as store:
        _synced(store.connection)
        store.set_read([2])
        store.set_starred(1, True)
        c = store.connection
        rows = c.execute("SELECT remote_id, field, action FROM sync_outbox ORDER BY id").fetchall()
        assert rows == [("302", "read", "read"), ("301", "saved", "saved")]
        assert store.feed_states() == []  # the server fetches the feed now
        c.execute("DELETE FROM articles WHERE id = 2")
        assert c.execute("SELECT COUNT(*) FROM sync_items").fetchone()[0] == 1
        c.execute("DELETE FROM sync_accounts WHERE id = 1")
        for table in ("sync_feeds", "sync_groups", "sync_items", "sync_outbox"):
            assert c.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0


def test_repair_carries_the_sync_rows_and_the_triggers(tmp_path: Path) -> None:
    path = tmp_path / "v7.db"
    v7_database(path)
    with Store(path) as store:
        _synced(store.connection)
        store.set_read([2])
    repair(path, force=True)
    with Store(path) as store:
        c = store.connection
        assert c.execute("SELECT name, url FROM sync_accounts").fetchall() == [
            ("maison", "https://rss.exemple.test/fever/")
        ]
        assert c.execute("SELECT * FROM sync_items ORDER BY remote_id").fetchall() == [
            (1, "301", 1),
            (1, "302", 2),
        ]
        assert c.execute("SELECT remote_id, action FROM sync_outbox").fetchall() == [("302", "read")]
        store.set_read([1], read=False)
        assert c.execute("SELECT remote_id, action FROM sync_outbox ORDER BY id").fetchall() == [
            ("302", "read"),
            ("301", "unread"),
        ]
