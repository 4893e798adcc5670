"""Schema 7: per-feed settings, filters and their marks, fetched pages, « Ma Gazette » themes. A real
version-6 file upgrades without losing anything, the new tables follow their feeds and articles away, and
``repair`` carries them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from gazette_tui.core.storage import codec, schema
from gazette_tui.core.storage.store import Store

NEW_TABLES = {"feed_settings", "rubrique_settings", "filters", "filter_marks", "page_fetches", "themes"}


def v6_database(path: Path) -> None:
    raw = sqlite3.connect(path, isolation_level=None)
    codec.register(raw)
    raw.execute("BEGIN")
    for step in schema.MIGRATIONS[:6]:
        step(raw)
    raw.execute("PRAGMA user_version = 6")
    raw.execute(
        "INSERT INTO feeds (id, url, title, rubrique, added) VALUES (1, 'https://e.test/f', 'F', 'R', 0)"
    )
    raw.execute(
        "INSERT INTO articles (id, feed_id, key, title, published, fetched, read) "
        "VALUES (1, 1, 'k1', 'Un', 0, 0, 1), (2, 1, 'k2', 'Deux', 0, 0, 0)"
    )
    raw.execute("COMMIT")
    raw.close()


def tables(c: sqlite3.Connection) -> set[str]:
    return {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_v6_file_upgrades_keeping_its_articles(tmp_path: Path) -> None:
    path = tmp_path / "v6.db"
    v6_database(path)
    with Store(path) as store:
        c = store.connection
        assert c.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert tables(c) >= NEW_TABLES
        assert [(r.title, r.read) for r in store.article_rows([1, 2])] == [("Un", True), ("Deux", False)]
        for table in NEW_TABLES:
            assert c.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0


def test_new_rows_go_with_their_feed_and_article(tmp_path: Path) -> None:
    path = tmp_path / "v6.db"
    v6_database(path)
    with Store(path) as store:
        c = store.connection
        c.execute("INSERT INTO feed_settings VALUES (1, 'fulltext', 'on')")
        c.execute(
            "INSERT INTO filters (id, name, query, action, feed_id, created) "
            "VALUES (1, 'x', 'a', 'hide', 1, 0)"
        )
        c.execute("INSERT INTO filter_marks VALUES (2, 1, 'hide', 0)")
        c.execute("INSERT INTO page_fetches VALUES (2, 0, '')")
        c.execute("DELETE FROM articles WHERE id = 2")
        assert c.execute("SELECT COUNT(*) FROM filter_marks").fetchone()[0] == 0
        assert c.execute("SELECT COUNT(*) FROM page_fetches").fetchone()[0] == 0
        c.execute("DELETE FROM feeds WHERE id = 1")
        assert c.execute("SELECT COUNT(*) FROM feed_settings").fetchone()[0] == 0
        assert c.execute("SELECT COUNT(*) FROM filters").fetchone()[0] == 0


def test_a_filter_has_one_of_three_actions(tmp_path: Path) -> None:
    with Store(tmp_path / "db.sqlite") as store:
        c = store.connection
        try:
            c.execute("INSERT INTO filters (name, query, action, created) VALUES ('x', 'a', 'delete', 0)")
        except sqlite3.IntegrityError:
            pass
        else:
            raise AssertionError("an unknown action was accepted")
        c.execute("INSERT INTO themes VALUES ('tag', 'urbanisme', 0)")
        assert c.execute("SELECT kind, value FROM themes").fetchall() == [("tag", "urbanisme")]


def test_repair_carries_the_new_tables(tmp_path: Path) -> None:
    from gazette_tui.core.storage.repair import repair

    path = tmp_path / "v6.db"
    v6_database(path)
    with Store(path) as store:
        c = store.connection
        c.execute("INSERT INTO feed_settings VALUES (1, 'refresh_minutes', '90')")
        c.execute("INSERT INTO rubrique_settings VALUES ('R', 'hidden', 'on')")
        c.execute(
            "INSERT INTO filters (id, name, query, action, created) VALUES (1, 'Sport', 'foot', 'read', 0)"
        )
        c.execute("INSERT INTO filter_marks VALUES (1, 1, 'read', 5)")
        c.execute("INSERT INTO page_fetches VALUES (2, 7, 'timeout')")
        c.execute("INSERT INTO themes VALUES ('rubrique', 'R', 3)")
    repair(path, force=True)
    with Store(path) as store:
        c = store.connection
        assert c.execute("SELECT * FROM feed_settings").fetchall() == [(1, "refresh_minutes", "90")]
        assert c.execute("SELECT * FROM rubrique_settings").fetchall() == [("R", "hidden", "on")]
        assert c.execute("SELECT name, query, action FROM filters").fetchall() == [("Sport", "foot", "read")]
        assert c.execute("SELECT * FROM filter_marks").fetchall() == [(1, 1, "read", 5)]
        assert c.execute("SELECT * FROM page_fetches").fetchall() == [(2, 7, "timeout")]
        assert c.execute("SELECT * FROM themes").fetchall() == [("rubrique", "R", 3)]
