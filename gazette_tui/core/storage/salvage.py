"""Copying whatever a damaged SQLite file still holds into a fresh one, row by row.

Nothing here knows the schema by heart: the tables and their columns come from the fresh file (built by the
real migrations) and from ``PRAGMA table_info`` of the damaged one, and the intersection is copied. Each
table is read in key order with one query; when a page cannot be read, the walk steps over it (one row at a
time, then a search for the next key whose page reads) and goes on, so a corrupt page costs only its rows.

What the user made comes first (subscriptions, dossiers and their notes, alertes, accounts), then the cache.
Rows whose parent was lost are settled the way the schema says (``ON DELETE``), except the user's own: a
dossier item whose article or dossier was on a lost page keeps its note, under a stand-in rebuilt from what
the search index still holds.
"""

from __future__ import annotations

import html
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import zstandard

from gazette_tui.core.storage import codec
from gazette_tui.core.storage.articles import NEXT_ARTICLE_ID
from gazette_tui.errors import message
from gazette_tui.text import html_to_text

BATCH = 500
LOW, HIGH = -(2**63), 2**63 - 1

# User data first; the read and starred marks live in ``articles``. Tables not named go last, in schema order.
PRIORITY = (
    "feeds", "dossiers", "dossier_items", "saved_searches", "accounts", "meta", "tombstones", "articles",
    "article_bodies",
)  # fmt: skip
INDEX = "articles_fts"


@dataclass
class Salvage:
    """What was read and written, per table."""

    read: dict[str, int] = field(default_factory=dict)
    """Rows read from the damaged file."""
    written: dict[str, int] = field(default_factory=dict)
    """Rows written to the new one (read minus rejected)."""
    lost_ranges: dict[str, int] = field(default_factory=dict)
    """Places that could not be read: a page (its rows), or one row."""
    rejected: dict[str, int] = field(default_factory=dict)
    """Rows read but not valid (a constraint failed: garbage from a damaged page)."""
    removed: dict[str, int] = field(default_factory=dict)
    """Rows dropped because their parent was lost and the schema says they go with it."""
    rebuilt: dict[str, int] = field(default_factory=dict)
    """Rows recreated so that user data could stay (the article of a dossier note, a lost body)."""
    lost_feeds: list[str] = field(default_factory=list)
    """Titles of subscriptions lost (their articles stay, as for an unsubscribed feed)."""
    readable: bool = True
    """False when not even the schema of the damaged file could be read."""

    def add(self, counts: dict[str, int], table: str, n: int = 1) -> None:
        counts[table] = counts.get(table, 0) + n


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def copied_tables(target: sqlite3.Connection) -> list[str]:
    """The tables a salvage fills: real tables of the fresh schema, user data first. Virtual tables and
    their shadow tables (the search index) are rebuilt instead, and SQLite's own are SQLite's."""
    rows = target.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
    virtual = [name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL")]
    names = [
        name
        for name, _sql in rows
        if not name.startswith("sqlite_")
        and name not in virtual
        and not any(name.startswith(table + "_") for table in virtual)
    ]
    return [t for t in PRIORITY if t in names] + [t for t in names if t not in PRIORITY]


def salvage_all(
    source: sqlite3.Connection,
    target: sqlite3.Connection,
    tables: Sequence[str],
    report: Salvage,
    before_cache: Callable[[], None] = lambda: None,
) -> None:
    """Copy every table (inside the caller's transaction on ``target``, foreign keys off)."""
    try:
        source.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError:
        report.readable = False
        for table in tables:
            report.read[table] = report.written[table] = 0
        return
    for table in tables:
        if table == "articles":
            before_cache()
        _salvage_table(source, target, table, report)


def _salvage_table(
    source: sqlite3.Connection, target: sqlite3.Connection, table: str, report: Salvage
) -> None:
    report.read.setdefault(table, 0)
    report.written.setdefault(table, 0)
    wanted = [row[1] for row in target.execute(f"PRAGMA table_info({quote(table)})")]
    try:
        info = source.execute(f"PRAGMA table_info({quote(table)})").fetchall()
    except sqlite3.DatabaseError:
        report.add(report.lost_ranges, table)
        return
    if not info:
        return  # absent from the damaged file: added by a later version (or lost with the schema: see count)
    present = {row[1] for row in info}
    columns = [c for c in wanted if c in present]
    if not columns:
        return
    names = ", ".join(quote(c) for c in columns)
    try:
        source.execute(f"SELECT rowid FROM {quote(table)} LIMIT 0")
        keys = ["rowid"]
    except sqlite3.DatabaseError:  # WITHOUT ROWID: walk its primary key
        keys = [row[1] for row in sorted((r for r in info if r[5]), key=lambda r: r[5])]
    if not keys:
        report.add(report.lost_ranges, table)
        return
    insert = f"INSERT OR IGNORE INTO {quote(table)} ({names}) VALUES ({', '.join('?' * len(columns))})"
    batch: list[tuple[object, ...]] = []

    def flush() -> None:
        before = target.total_changes
        target.executemany(insert, batch)
        written = target.total_changes - before
        report.add(report.read, table, len(batch))
        report.add(report.written, table, written)
        if written < len(batch):
            report.add(report.rejected, table, len(batch) - written)
        batch.clear()

    def take(row: tuple[object, ...]) -> None:
        batch.append(row)
        if len(batch) >= BATCH:
            flush()

    _walk(source, table, keys, names, take, report)
    flush()


def _walk(
    source: sqlite3.Connection,
    table: str,
    keys: list[str],
    names: str,
    take: Callable[[tuple[object, ...]], None],
    report: Salvage,
) -> None:
    """Read ``table`` in key order, stepping over what cannot be read.

    One query reads everything it can. At an error the next row is tried alone (the cursor reads one row
    ahead, so the last good row comes back this way); if that fails too, the row (or page) is lost and the
    walk goes on from the next value of the first key column whose page reads: the key itself when only the
    row's data is unreadable, else a search by doubling steps then bisection (about 130 seeks at most)."""
    n = len(keys)
    order = ", ".join(quote(k) for k in keys)
    first = quote(keys[0])
    select = f"SELECT {order}, {names} FROM {quote(table)}"
    after = f" WHERE ({order}) > ({', '.join('?' * n)})"
    since = f" WHERE {first} >= ?"
    probe = f"SELECT {first} FROM {quote(table)}{since} ORDER BY {first} LIMIT 1"
    where, params = "", ()  # type: tuple[str, tuple[object, ...]]
    while True:
        try:
            for row in source.execute(f"{select}{where} ORDER BY {order}", params):
                take(tuple(row[n:]))
                where, params = after, tuple(row[:n])
            return
        except sqlite3.DatabaseError:
            pass
        try:
            row = source.execute(f"{select}{where} ORDER BY {order} LIMIT 1", params).fetchone()
        except sqlite3.DatabaseError:
            report.add(report.lost_ranges, table)
        else:
            if row is None:
                return
            take(tuple(row[n:]))
            where, params = after, tuple(row[:n])
            continue
        if not params:
            start = LOW
        elif isinstance(params[0], int):
            # Past the last row read; with a composite key, the rest of its first-key group is lost.
            start = params[0] if (where == since and n == 1) else params[0] + 1
        else:
            return  # a text first key cannot be stepped over (our schema has none)
        if n == 1:
            try:
                found = source.execute(probe, (start,)).fetchone() if start <= HIGH else None
            except sqlite3.DatabaseError:
                pass
            else:  # the key reads but not the row's data (an overflow page): only that row is lost
                if found is None or not isinstance(found[0], int) or found[0] >= HIGH:
                    return
                where, params = since, (found[0] + 1,)
                continue
        resume = _next_readable(source, probe, start)
        if resume is None:
            return
        where, params = since, (resume,)


def _next_readable(source: sqlite3.Connection, probe: str, start: int) -> int | None:
    """The smallest key from ``start`` at which a seek succeeds (the pages past the damage), or None."""

    def reads(key: int) -> bool:
        try:
            source.execute(probe, (key,)).fetchone()
        except sqlite3.DatabaseError:
            return False
        return True

    if start > HIGH:
        return None
    if reads(start):
        return start
    failed, step = start, 1
    while True:
        if failed >= HIGH:
            return None
        good = min(failed + step, HIGH)
        if reads(good):
            break
        failed, step = good, step * 2
    while good - failed > 1:
        middle = (failed + good) // 2
        if reads(middle):
            good = middle
        else:
            failed = middle
    return good


# -- after the copy: parents, bodies, ids ------------------------------------------------------------


def settle(source: sqlite3.Connection, target: sqlite3.Connection, report: Salvage) -> None:
    """Make the copy consistent: stand-ins for the parents of user data, then each foreign key's own rule
    for the rest; a body for every article; article ids that stay unique."""
    foreign = _foreign_keys(target)
    for table, column, parent, key, _action in foreign:
        if (table, parent) in _STAND_INS:
            missing = target.execute(_orphans(f"DISTINCT {quote(column)}", table, column, parent, key))
            for (value,) in missing.fetchall():
                _STAND_INS[(table, parent)](source, target, int(value))
                report.add(report.rebuilt, parent)
    for table, column, parent, key, action in foreign:
        condition = _orphan_condition(column, parent, key)
        if action == "SET NULL":
            if (table, parent) == ("articles", "feeds") and _has_column(target, "articles", "feed_title"):
                titles = target.execute(
                    _orphans("DISTINCT feed_title", table, column, parent, key)
                ).fetchall()
                report.lost_feeds.extend(sorted(str(t) for (t,) in titles))
            target.execute(f"UPDATE {quote(table)} SET {quote(column)} = NULL WHERE {condition}")
        else:
            cursor = target.execute(f"DELETE FROM {quote(table)} WHERE {condition}")
            if cursor.rowcount > 0:
                report.add(report.removed, table, cursor.rowcount)
    _bodies_for_all(source, target, report)
    if report.lost_ranges.get("meta") and report.written.get("feeds"):
        # The CLI subscribes a new database to La Gazette's feeds, unless ``seeded`` is set: a lost meta page
        # must not bring back the feeds the user had left.
        before = target.total_changes
        target.execute(
            "INSERT OR IGNORE INTO meta (key, value) VALUES ('seeded', ?)", (str(int(time.time())),)
        )
        report.add(report.rebuilt, "meta", target.total_changes - before)


def _foreign_keys(target: sqlite3.Connection) -> list[tuple[str, str, str, str, str]]:
    """(table, column, parent, parent key, on delete) of every single-column foreign key."""
    found = []
    for table in copied_tables(target):
        rows = target.execute(f"PRAGMA foreign_key_list({quote(table)})").fetchall()
        by_id: dict[int, list[tuple[object, ...]]] = {}
        for row in rows:
            by_id.setdefault(int(row[0]), []).append(tuple(row))
        for parts in by_id.values():
            if len(parts) == 1:
                _, _, parent, column, key, _, action, _ = parts[0]
                found.append((table, str(column), str(parent), str(key or "rowid"), str(action)))
    return found


def _orphan_condition(column: str, parent: str, key: str) -> str:
    return (
        f"{quote(column)} IS NOT NULL AND {quote(column)} NOT IN (SELECT {quote(key)} FROM {quote(parent)})"
    )


def _orphans(what: str, table: str, column: str, parent: str, key: str) -> str:
    return f"SELECT {what} FROM {quote(table)} WHERE {_orphan_condition(column, parent, key)}"


def _has_column(c: sqlite3.Connection, table: str, column: str) -> bool:
    return any(row[1] == column for row in c.execute(f"PRAGMA table_info({quote(table)})"))


def _insert(target: sqlite3.Connection, table: str, values: dict[str, object]) -> None:
    """A row with ``values``; other NOT NULL columns without a default get 0 or ''."""
    row: dict[str, object] = {}
    for _cid, name, kind, notnull, default, pk in target.execute(f"PRAGMA table_info({quote(table)})"):
        if name in values:
            row[name] = values[name]
        elif notnull and default is None and not pk:
            row[name] = 0 if "INT" in str(kind).upper() else ""
    names = ", ".join(quote(n) for n in row)
    target.execute(
        f"INSERT INTO {quote(table)} ({names}) VALUES ({', '.join('?' * len(row))})", tuple(row.values())
    )


def indexed(source: sqlite3.Connection, article_id: int) -> dict[str, str]:
    """What the damaged file still holds of an article's searchable text, or nothing. Up to schema v4 the
    search index kept its own copy of title, author, categories and body (``<table>_content``, as c0, c1,
    …); from v5 they are in ``article_text``, the body compressed."""
    try:
        if source.execute("SELECT 1 FROM sqlite_master WHERE name = 'article_text'").fetchone():
            found = source.execute(
                "SELECT title, author, categories, body FROM article_text WHERE id = ?", (article_id,)
            ).fetchone()
            if found is None:
                return {}
            title, author, categories, body = found
            return {"title": title, "author": author, "categories": categories, "body": codec.unpack(body)}
        columns = [row[1] for row in source.execute(f"PRAGMA table_info({INDEX})")]
        row = source.execute(f"SELECT * FROM {INDEX}_content WHERE id = ?", (article_id,)).fetchone()
    except (sqlite3.DatabaseError, UnicodeDecodeError, zstandard.ZstdError):
        return {}
    if row is None:
        return {}
    return {name: value for name, value in zip(columns, row[1:], strict=False) if isinstance(value, str)}


def _text_as_html(text: str) -> str:
    return f"<p>{html.escape(text)}</p>" if text.strip() else ""


def _added(target: sqlite3.Connection, column: str, value: int) -> int:
    row = target.execute(
        f"SELECT MIN(added) FROM dossier_items WHERE {quote(column)} = ?", (value,)
    ).fetchone()
    return int(row[0]) if row and row[0] is not None else int(time.time())


def _lost_article(source: sqlite3.Connection, target: sqlite3.Connection, article_id: int) -> None:
    """The stand-in for an article that a dossier holds: its title and text from the index when there."""
    found = indexed(source, article_id)
    when = _added(target, "article_id", article_id)
    lost = str(message("salvage.lost_article"))
    values: dict[str, object] = {
        "id": article_id, "key": f"reparation:{article_id}", "title": found.get("title") or lost,
        "author": found.get("author", ""), "published": when, "fetched": when, "read": 1,
    }  # fmt: skip
    _insert(target, "articles", values)  # its body: :func:`_bodies_for_all`, from the index too


def _lost_dossier(source: sqlite3.Connection, target: sqlite3.Connection, dossier_id: int) -> None:
    name, n = str(message("salvage.lost_dossier", id=dossier_id)), 1
    while target.execute("SELECT 1 FROM dossiers WHERE name = ?", (name,)).fetchone():
        n += 1
        name = f"{message('salvage.lost_dossier', id=dossier_id)} ({n})"
    when = _added(target, "dossier_id", dossier_id)
    values = {
        "id": dossier_id,
        "name": name,
        "description": str(message("salvage.lost_dossier_note")),
        "created": when,
        "updated": when,
    }
    _insert(target, "dossiers", values)


_STAND_INS: dict[tuple[str, str], Callable[[sqlite3.Connection, sqlite3.Connection, int], None]] = {
    ("dossier_items", "articles"): _lost_article,
    ("dossier_items", "dossiers"): _lost_dossier,
}


def _bodies_for_all(source: sqlite3.Connection, target: sqlite3.Connection, report: Salvage) -> None:
    """An article whose body was on a lost page gets its text back from the index, and an empty content
    hash, so that the next refresh of a feed that still carries it stores the body again."""
    if not {"articles", "article_bodies"} <= set(copied_tables(target)):
        return
    missing = target.execute(
        "SELECT id FROM articles WHERE id NOT IN (SELECT id FROM article_bodies)"
    ).fetchall()
    forget_hash = _has_column(target, "articles", "content_hash")
    forget_digest = _has_column(target, "articles", "raw_hash")
    for (article_id,) in missing:
        text = indexed(source, article_id).get("body", "")
        _insert(target, "article_bodies", {"id": article_id, "content_html": _text_as_html(text)})
        if forget_hash:
            target.execute("UPDATE articles SET content_hash = '' WHERE id = ?", (article_id,))
        if forget_digest:  # nor is it known to the parser any more: the next refresh makes it again
            target.execute("UPDATE articles SET raw_hash = 0 WHERE id = ?", (article_id,))
        report.add(report.rebuilt, "article_bodies")


def keep_ids_unique(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    """Article ids are never handed out twice (the alertes' watermark): the counter in ``meta`` goes above
    every id the damaged file still shows, in its rows, its indexes, its search index or the watermarks, and
    SQLite's AUTOINCREMENT counters (if any) are carried over."""
    tables = set(copied_tables(target))
    if {"meta", "articles"} <= tables:
        high = target.execute("SELECT COALESCE(MAX(id), 0) FROM articles").fetchone()[0]
        for query in (
            "SELECT MAX(rowid) FROM articles",
            "SELECT MAX(id) FROM articles INDEXED BY articles_by_feed",
            f"SELECT MAX(rowid) FROM {INDEX}",
        ):
            try:
                value = source.execute(query).fetchone()[0]
            except sqlite3.DatabaseError:
                continue
            if isinstance(value, int):
                high = max(high, value)
        for column in ("last_seen", "announced"):
            if "saved_searches" in tables and _has_column(target, "saved_searches", column):
                value = target.execute(f"SELECT COALESCE(MAX({column}), 0) FROM saved_searches").fetchone()[0]
                high = max(high, int(value))
        row = target.execute("SELECT value FROM meta WHERE key = ?", (NEXT_ARTICLE_ID,)).fetchone()
        current = int(row[0]) if row and str(row[0]).isascii() and str(row[0]).isdigit() else 0
        target.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
            (NEXT_ARTICLE_ID, str(max(current, high + 1))),
        )
    try:
        counters = source.execute("SELECT name, seq FROM sqlite_sequence").fetchall()
    except sqlite3.DatabaseError:
        return
    if not target.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").fetchone():
        return
    for name, seq in counters:
        if name in tables and isinstance(seq, int):
            target.execute("DELETE FROM sqlite_sequence WHERE name = ? AND seq < ?", (name, seq))
            if not target.execute("SELECT 1 FROM sqlite_sequence WHERE name = ?", (name,)).fetchone():
                target.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (name, seq))


def rebuild_index(target: sqlite3.Connection) -> int:
    """Fill the search index from the articles and their bodies, as the store indexes them: title, author,
    categories (one per line in ``articles``, spaces in the index), and the text of the full text, else the
    content, else the summary, kept in ``article_text``. Returns the number of rows indexed."""
    if not target.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (INDEX,)).fetchone():
        return 0
    target.execute(f"INSERT INTO {INDEX} ({INDEX}) VALUES ('delete-all')")
    target.execute("DELETE FROM article_text")
    last, indexed_rows = LOW, 0
    while True:
        rows = target.execute(
            "SELECT a.id, a.title, a.author, a.categories, b.fulltext_html, b.content_html, b.summary_html "
            "FROM articles a LEFT JOIN article_bodies b ON b.id = a.id WHERE a.id > ? ORDER BY a.id LIMIT ?",
            (last, BATCH),
        ).fetchall()
        if not rows:
            break
        texts = []
        for article_id, title, author, categories, *bodies in rows:
            source = next((text for text in map(_readable, bodies) if text), "")
            words = " ".join(str(categories).split("\n"))
            texts.append((article_id, title, author, words, codec.pack(html_to_text(source))))
        target.executemany(
            "INSERT INTO article_text (id, title, author, categories, body) VALUES (?, ?, ?, ?, ?)", texts
        )
        last, indexed_rows = rows[-1][0], indexed_rows + len(rows)
    target.execute(f"INSERT INTO {INDEX} ({INDEX}) VALUES ('rebuild')")
    return indexed_rows


def _readable(value: object) -> str:
    """A stored body as text; one that no longer decompresses counts as empty."""
    try:
        return codec.unpack(value)
    except (UnicodeDecodeError, zstandard.ZstdError):
        return ""
