"""Rebuilding a damaged database: keep the damaged file untouched, copy out whatever can still be read (user
data first), and start a fresh file from it.

The cache part (articles from feeds) can always be fetched again; subscriptions, dossiers, notes, read and
starred marks and alertes cannot, so they are salvaged first and row range by row range: one unreadable page
costs the rows on it, not the table.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from gazette_tui.core import db
from gazette_tui.core.errors import StoreError
from gazette_tui.core.text import html_to_text

CHUNK = 500

# Table → columns copied (those of the current schema; a column missing from the damaged file is skipped).
TABLES: dict[str, list[str]] = {
    "feeds": [
        "id", "url", "title", "site_url", "rubrique", "etag", "last_modified", "last_fetched", "last_ok",
        "last_error", "failures", "disabled", "retry_after", "account", "position", "added", "dropped",
    ],
    "dossiers": ["id", "name", "description", "created", "updated"],
    "saved_searches": ["id", "name", "query", "created", "last_seen"],
    "accounts": ["name", "username", "logged_in"],
    "meta": ["key", "value"],
    "articles": [
        "id", "feed_id", "feed_title", "rubrique", "key", "url", "title", "kicker", "author", "published",
        "updated", "fetched", "categories", "content_hash", "reserved", "read", "starred", "canonical",
        "undated",
    ],
    "article_bodies": ["id", "summary_html", "content_html", "fulltext_html", "enclosures", "external_url"],
    "dossier_items": ["dossier_id", "article_id", "added", "note"],
    "tombstones": ["feed_id", "key", "seen"],
}  # fmt: skip

# Tables without a rowid are read one value of a key column at a time, the values taken from what was already
# salvaged: tombstones feed by feed (those of a lost feed would be deleted anyway).
WALK: dict[str, tuple[str, str]] = {"tombstones": ("feed_id", "SELECT id FROM feeds ORDER BY id")}
# Tables a file of an older schema does not have: absent is not lost.
ADDED_LATER = {"tombstones"}


@dataclass
class RepairReport:
    kept_as: Path
    rows: dict[str, int] = field(default_factory=dict)
    lost_ranges: dict[str, int] = field(default_factory=dict)


def _columns(source: sqlite3.Connection, table: str) -> list[str]:
    try:
        present = {r[1] for r in source.execute(f"PRAGMA table_info({table})")}
    except sqlite3.DatabaseError:
        return []
    return [c for c in TABLES[table] if c in present]


def _salvage(
    source: sqlite3.Connection, target: sqlite3.Connection, table: str, report: RepairReport
) -> None:
    columns = _columns(source, table)
    if not columns:
        if table in ADDED_LATER and not _exists(source, table):
            report.rows[table] = 0
            return
        report.lost_ranges[table] = report.lost_ranges.get(table, 0) + 1
        return
    names = ", ".join(columns)
    insert = f"INSERT OR IGNORE INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})"
    copied = 0
    for query, params in _ranges(source, target, table, names):
        try:
            rows = source.execute(query, params).fetchall()
        except sqlite3.DatabaseError:
            report.lost_ranges[table] = report.lost_ranges.get(table, 0) + 1
            rows = []
        if rows:
            target.executemany(insert, rows)
            copied += len(rows)
    report.rows[table] = copied


def _ranges(
    source: sqlite3.Connection, target: sqlite3.Connection, table: str, names: str
) -> Iterator[tuple[str, tuple[int, ...]]]:
    """The reads that cover ``table``, each small enough that an unreadable page costs only its rows."""
    if table in WALK:
        column, values = WALK[table]
        for (value,) in target.execute(values).fetchall():
            yield f"SELECT {names} FROM {table} WHERE {column} = ?", (value,)
        return
    try:
        top = source.execute(f"SELECT MAX(rowid) FROM {table}").fetchone()[0] or 0
    except sqlite3.DatabaseError:
        top = 10_000_000  # the b-tree's last page is unreadable: walk blindly, bounded
    for start in range(0, top + 1, CHUNK):
        yield f"SELECT {names} FROM {table} WHERE rowid > ? AND rowid <= ?", (start, start + CHUNK)


def _exists(source: sqlite3.Connection, table: str) -> bool:
    try:
        found = source.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,))
        return found.fetchone() is not None
    except sqlite3.DatabaseError:
        return True  # the schema itself is unreadable: count the table as lost


def repair(path: Path) -> RepairReport:
    """Move the damaged database aside (never modified) and build a fresh one from what can be read."""
    if not path.exists():
        raise StoreError(f"Aucune base à réparer : {path} n'existe pas.")
    stamp = time.strftime("%Y%m%d-%H%M%S")
    kept = path.with_name(f"{path.name}.endommagee-{stamp}")
    try:
        os.replace(path, kept)
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                os.replace(side, kept.with_name(kept.name + suffix))
    except OSError as error:
        raise StoreError(f"Impossible de mettre {path} de côté : {error.strerror or error}.") from None
    report = RepairReport(kept)
    target = db.connect(path)
    target.execute("PRAGMA foreign_keys = OFF")  # orphans are cleaned up below, in one pass
    try:
        try:
            source = sqlite3.connect(f"file:{kept}?mode=ro", uri=True)
            source.execute("PRAGMA query_only = 1")
        except sqlite3.DatabaseError:
            return report
        with db.transaction(target):
            for table in TABLES:
                try:
                    _salvage(source, target, table, report)
                except sqlite3.DatabaseError:
                    report.lost_ranges[table] = report.lost_ranges.get(table, 0) + 1
            # Rows whose parent was lost cannot stay (foreign keys), and the search index is rebuilt.
            target.execute("DELETE FROM article_bodies WHERE id NOT IN (SELECT id FROM articles)")
            target.execute("DELETE FROM dossier_items WHERE article_id NOT IN (SELECT id FROM articles)")
            target.execute("DELETE FROM dossier_items WHERE dossier_id NOT IN (SELECT id FROM dossiers)")
            target.execute("UPDATE articles SET feed_id = NULL WHERE feed_id NOT IN (SELECT id FROM feeds)")
            target.execute("DELETE FROM tombstones WHERE feed_id NOT IN (SELECT id FROM feeds)")
            rows = target.execute(
                "SELECT a.id, a.title, a.author, a.categories, "
                "COALESCE(NULLIF(b.fulltext_html, ''), NULLIF(b.content_html, ''), b.summary_html, '') "
                "FROM articles a LEFT JOIN article_bodies b ON b.id = a.id"
            ).fetchall()
            target.executemany(
                "INSERT INTO articles_fts (rowid, title, author, categories, body) VALUES (?, ?, ?, ?, ?)",
                [(r[0], r[1], r[2], r[3].replace("\n", " "), html_to_text(r[4])) for r in rows],
            )
        source.close()
        target.execute("PRAGMA foreign_keys = ON")
    finally:
        target.close()
    return report
