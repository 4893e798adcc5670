"""The schema and its forward migrations.

The schema version is in ``PRAGMA user_version``; each migration moves it forward by one, inside the
caller's transaction, and never drops user data. :func:`.db.connect` runs the missing steps when it opens
an older file; ``repair`` builds its new file with the same steps.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from gazette_tui.text import clean_line, clean_validator

SCHEMA_V1 = """
CREATE TABLE feeds (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL DEFAULT '',
    site_url TEXT NOT NULL DEFAULT '',
    rubrique TEXT NOT NULL DEFAULT '',
    etag TEXT,
    last_modified TEXT,
    last_fetched INTEGER,
    last_ok INTEGER,
    last_error TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    disabled INTEGER NOT NULL DEFAULT 0,
    retry_after INTEGER,
    account TEXT,
    position INTEGER NOT NULL DEFAULT 0,
    added INTEGER NOT NULL
);
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    feed_id INTEGER REFERENCES feeds(id) ON DELETE SET NULL,
    feed_title TEXT NOT NULL DEFAULT '',
    rubrique TEXT NOT NULL DEFAULT '',
    key TEXT NOT NULL,
    url TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    kicker TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL DEFAULT '',
    published INTEGER NOT NULL,
    updated INTEGER,
    fetched INTEGER NOT NULL,
    categories TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL DEFAULT '',
    reserved INTEGER NOT NULL DEFAULT 0,
    read INTEGER NOT NULL DEFAULT 0,
    starred INTEGER NOT NULL DEFAULT 0,
    -- 0 when the same link is already cached from another feed (La Gazette publishes an article in its
    -- main feed and in each rubrique's): the "Toutes / Non lus / Favoris" lists show one copy.
    canonical INTEGER NOT NULL DEFAULT 1,
    UNIQUE (feed_id, key)
);
-- Bodies live apart so that list rows stay small (~300 bytes): scans, counts and list pages over 100k
-- articles touch a few MB instead of hundreds, and inserts append instead of splitting wide pages.
CREATE TABLE article_bodies (
    id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    summary_html TEXT NOT NULL DEFAULT '',
    content_html TEXT NOT NULL DEFAULT '',
    fulltext_html TEXT NOT NULL DEFAULT '',
    enclosures TEXT NOT NULL DEFAULT ''
);
-- Lists are "newest first, then by id": the indexes carry both so no list needs a sort.
CREATE INDEX articles_by_date ON articles (published DESC, id DESC) WHERE canonical = 1;
CREATE INDEX articles_by_url ON articles (url) WHERE url != '';
CREATE INDEX articles_copies ON articles (id) WHERE canonical = 0;
CREATE INDEX articles_by_feed ON articles (feed_id, published DESC, id DESC);
CREATE INDEX articles_by_rubrique ON articles (rubrique, published DESC, id DESC);
CREATE INDEX articles_feed_read ON articles (feed_id, read);
CREATE INDEX articles_unread ON articles (published DESC, id DESC) WHERE read = 0 AND canonical = 1;
CREATE INDEX articles_starred ON articles (published DESC, id DESC) WHERE starred = 1 AND canonical = 1;
-- prefix '2 3': "ré*" and "con*" read a precomputed doclist instead of merging thousands of terms
-- (2.6 s → 0.1 s over 100k articles), for ~47 % more index (benchmarks/search_probe.py).
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, author, categories, body,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
CREATE TABLE dossiers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    description TEXT NOT NULL DEFAULT '',
    created INTEGER NOT NULL
);
CREATE TABLE dossier_items (
    dossier_id INTEGER NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    added INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (dossier_id, article_id)
);
CREATE INDEX dossier_items_article ON dossier_items (article_id);
CREATE TABLE saved_searches (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    query TEXT NOT NULL,
    created INTEGER NOT NULL,
    last_seen INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE accounts (
    name TEXT PRIMARY KEY,
    username TEXT NOT NULL DEFAULT '',
    logged_in INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

Migration = Callable[[sqlite3.Connection], None]


def run_script(connection: sqlite3.Connection, script: str) -> None:
    """Run statements one by one inside the caller's transaction (``executescript`` would commit it)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            connection.execute(statement)
            statement = ""


def _to_v1(connection: sqlite3.Connection) -> None:
    run_script(connection, SCHEMA_V1)


def _to_v2(connection: sqlite3.Connection) -> None:
    # When a dossier was last changed: the add-to-dossier picker lists recently used dossiers first.
    connection.execute("ALTER TABLE dossiers ADD COLUMN updated INTEGER NOT NULL DEFAULT 0")
    connection.execute("UPDATE dossiers SET updated = created")


SCHEMA_V3 = """
-- Articles pruned by retention, per feed: an item the feed still carries is not stored again as new and
-- unread. ``seen`` is the last time a stored document of the feed carried the key; a tombstone unseen for
-- a month is dropped (``store.TOMBSTONE_DAYS``). Keys are opaque strings.
CREATE TABLE tombstones (
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    seen INTEGER NOT NULL,
    PRIMARY KEY (feed_id, key)
) WITHOUT ROWID;
-- Items of the last stored document that could not be read (« 3 articles illisibles »).
ALTER TABLE feeds ADD COLUMN dropped INTEGER NOT NULL DEFAULT 0;
-- 1 when the feed gave no usable date: ``published`` is then only the item's place in the feed's order.
ALTER TABLE articles ADD COLUMN undated INTEGER NOT NULL DEFAULT 0;
-- JSON Feed ``external_url``: the page an item comments on.
ALTER TABLE article_bodies ADD COLUMN external_url TEXT NOT NULL DEFAULT '';
"""


def _to_v3(connection: sqlite3.Connection) -> None:
    run_script(connection, SCHEMA_V3)


def _to_v4(connection: sqlite3.Connection) -> None:
    """Article ids are never reused, the alertes' "already announced" baseline is kept in the database, and
    stored text that could carry terminal controls (alerte queries, feed names, HTTP validators) is cleaned.

    ``meta.next_article_id`` is the next id :mod:`.articles` hands out; it only grows. It starts above every
    id the file has used that we can still see: the articles' and the alertes' watermarks (``last_seen`` may
    name an id whose article was deleted before this version, when ``MAX(id) + 1`` could reuse it).
    ``saved_searches.announced`` is the highest article id whose matches the TUI has announced; it starts at
    the current high-water mark, so upgrading announces nothing that the previous version had not."""
    high = connection.execute(
        "SELECT MAX((SELECT COALESCE(MAX(id), 0) FROM articles), "
        "(SELECT COALESCE(MAX(last_seen), 0) FROM saved_searches))"
    ).fetchone()[0]
    connection.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('next_article_id', ?)", (str(int(high) + 1),)
    )
    connection.execute("ALTER TABLE saved_searches ADD COLUMN announced INTEGER NOT NULL DEFAULT 0")
    connection.execute("UPDATE saved_searches SET announced = ?", (int(high),))
    for alert_id, query in connection.execute("SELECT id, query FROM saved_searches").fetchall():
        if clean_line(query) != query:
            connection.execute(
                "UPDATE saved_searches SET query = ? WHERE id = ?", (clean_line(query), alert_id)
            )
    rows = connection.execute("SELECT id, title, rubrique, etag, last_modified FROM feeds").fetchall()
    for feed_id, title, rubrique, etag, last_modified in rows:
        fixed = (
            clean_line(title),
            clean_line(rubrique),
            clean_validator(etag),
            clean_validator(last_modified),
        )
        if fixed == (title, rubrique, etag, last_modified):
            continue
        connection.execute(
            "UPDATE feeds SET title = ?, rubrique = ?, etag = ?, last_modified = ? WHERE id = ?",
            (*fixed, feed_id),
        )
        if fixed[1] != rubrique:
            connection.execute("UPDATE articles SET rubrique = ? WHERE feed_id = ?", (fixed[1], feed_id))


SEARCH_SOURCE_V5 = """
-- What the search index holds for each article: title, author, categories (separated by spaces) and the
-- plain text of the full text once there is one, else of the content, else of the summary, compressed
-- (``codec.pack``). FTS5 reads it back when it needs it (snippets, and the tokens to remove when a row is
-- deleted or changed) instead of keeping a copy of its own; so an index row is deleted *before* its
-- ``article_text`` row changes or goes. It is also what ``repair`` rebuilds a lost article from.
CREATE TABLE article_text (
    id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    title TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL DEFAULT '',
    categories TEXT NOT NULL DEFAULT '',
    body NOT NULL DEFAULT ''
);
CREATE VIEW articles_fts_source AS
    SELECT id, title, author, categories, unpack_text(body) AS body FROM article_text;
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, author, categories, body,
    content = 'articles_fts_source', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
"""


def _to_v5(connection: sqlite3.Connection) -> None:
    """The search index stops storing a copy of every text: it reads them from ``article_text``, where
    they are compressed like the bodies (``codec``), and is rebuilt once from there. Bodies already stored
    stay as they are (``codec.unpack`` reads both); new ones are compressed."""
    connection.execute("ALTER TABLE articles_fts RENAME TO articles_fts_v4")
    run_script(connection, SEARCH_SOURCE_V5)
    # Only articles that still exist: an index row without its article can no longer be read back.
    connection.execute(
        "INSERT INTO article_text (id, title, author, categories, body) "
        "SELECT o.rowid, o.title, o.author, o.categories, pack_text(o.body) FROM articles_fts_v4 o "
        "JOIN articles a ON a.id = o.rowid"
    )
    connection.execute("DROP TABLE articles_fts_v4")
    connection.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")


def _to_v6(connection: sqlite3.Connection) -> None:
    """Each article keeps the digest of the raw values it was made from (``ParsedEntry.raw_hash``): a feed
    sent again with the same item is not sanitised and indexed again. 0 (every older row) means unknown:
    the next refresh that carries the item works it out in full and records its digest."""
    connection.execute("ALTER TABLE articles ADD COLUMN raw_hash INTEGER NOT NULL DEFAULT 0")


SCHEMA_V7 = """
-- Settings of one feed, or of every feed of a rubrique unless the feed has its own (fulltext,
-- retention_days, refresh_minutes, hidden, user_agent: ``core/feeds/feed_settings.py`` knows their rules).
-- Values are text; a rubrique is named as ``feeds.rubrique`` names it.
CREATE TABLE feed_settings (
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (feed_id, key)
) WITHOUT ROWID;
CREATE TABLE rubrique_settings (
    rubrique TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (rubrique, key)
) WITHOUT ROWID;
-- Kill-files: a query of the search language and what to do with the articles it matches, for every feed
-- or for one (``feed_id``).
CREATE TABLE filters (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    query TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('hide', 'read', 'star')),
    feed_id INTEGER REFERENCES feeds(id) ON DELETE CASCADE,
    created INTEGER NOT NULL
);
-- What a filter did to an article, so that the reader can say why; a ``hide`` mark keeps the article out of
-- the lists (it stays searchable). The lists leave out ``SELECT article_id … WHERE action = 'hide'``, which
-- keeps their scans on the articles' covering indexes.
CREATE TABLE filter_marks (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    filter_id INTEGER NOT NULL REFERENCES filters(id) ON DELETE CASCADE,
    action TEXT NOT NULL,
    applied INTEGER NOT NULL,
    PRIMARY KEY (article_id, filter_id)
) WITHOUT ROWID;
CREATE INDEX filter_marks_by_action ON filter_marks (action, article_id);
-- Article pages fetched for the full text of a feed that gives only excerpts: one attempt per article,
-- kept whether it worked or not, so that a page is never fetched twice (``error`` '' when it worked).
CREATE TABLE page_fetches (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    fetched INTEGER NOT NULL,
    error TEXT NOT NULL DEFAULT ''
);
-- « Ma Gazette »: the themes the reader follows (a rubrique, a category or tag, an alerte, a dossier).
CREATE TABLE themes (
    kind TEXT NOT NULL CHECK (kind IN ('rubrique', 'tag', 'alert', 'dossier')),
    value TEXT NOT NULL,
    added INTEGER NOT NULL,
    PRIMARY KEY (kind, value)
) WITHOUT ROWID;
"""


def _to_v7(connection: sqlite3.Connection) -> None:
    """Per-feed and per-rubrique settings, filters and what they did, the pages fetched for full texts,
    and the themes of « Ma Gazette ». New tables only: nothing stored before changes."""
    run_script(connection, SCHEMA_V7)


SCHEMA_V8 = """
-- A sync account: one server, one protocol (``kind``), one user. The key is in the keyring (entry
-- ``sync-<id>``), so ids are never reused: a new account never finds an old one's key.
CREATE TABLE sync_accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    kind TEXT NOT NULL,
    url TEXT NOT NULL,
    username TEXT NOT NULL,
    cursor TEXT NOT NULL DEFAULT '',
    last_pull INTEGER,
    subscriptions_checked INTEGER,
    last_sync INTEGER,
    last_ok INTEGER,
    last_error TEXT,
    added INTEGER NOT NULL,
    UNIQUE (url, username)
);
CREATE TABLE sync_feeds (
    account_id INTEGER NOT NULL REFERENCES sync_accounts(id) ON DELETE CASCADE,
    remote_id TEXT NOT NULL,
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    PRIMARY KEY (account_id, remote_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX sync_feeds_by_feed ON sync_feeds (feed_id);
CREATE TABLE sync_groups (
    account_id INTEGER NOT NULL REFERENCES sync_accounts(id) ON DELETE CASCADE,
    remote_id TEXT NOT NULL,
    rubrique TEXT NOT NULL,
    PRIMARY KEY (account_id, remote_id)
) WITHOUT ROWID;
CREATE TABLE sync_items (
    account_id INTEGER NOT NULL REFERENCES sync_accounts(id) ON DELETE CASCADE,
    remote_id TEXT NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (account_id, remote_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX sync_items_by_article ON sync_items (article_id);
CREATE TABLE sync_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES sync_accounts(id) ON DELETE CASCADE,
    target TEXT NOT NULL CHECK (target IN ('item', 'feed', 'group')),
    remote_id TEXT NOT NULL,
    field TEXT NOT NULL CHECK (field IN ('read', 'saved')),
    action TEXT NOT NULL CHECK (action IN ('read', 'unread', 'saved', 'unsaved')),
    before INTEGER NOT NULL DEFAULT 0,
    created INTEGER NOT NULL,
    UNIQUE (account_id, target, remote_id, field)
);
CREATE TABLE sync_quiet (pulling INTEGER NOT NULL);
CREATE TRIGGER sync_outbox_read AFTER UPDATE OF read ON articles
WHEN OLD.read != NEW.read AND NOT EXISTS (SELECT 1 FROM sync_quiet)
BEGIN
    INSERT OR REPLACE INTO sync_outbox (account_id, target, remote_id, field, action, created)
    SELECT account_id, 'item', remote_id, 'read', CASE NEW.read WHEN 0 THEN 'unread' ELSE 'read' END,
        CAST(strftime('%s', 'now') AS INTEGER)
    FROM sync_items WHERE article_id = NEW.id;
END;
CREATE TRIGGER sync_outbox_saved AFTER UPDATE OF starred ON articles
WHEN OLD.starred != NEW.starred AND NOT EXISTS (SELECT 1 FROM sync_quiet)
BEGIN
    INSERT OR REPLACE INTO sync_outbox (account_id, target, remote_id, field, action, created)
    SELECT account_id, 'item', remote_id, 'saved', CASE NEW.starred WHEN 0 THEN 'unsaved' ELSE 'saved' END,
        CAST(strftime('%s', 'now') AS INTEGER)
    FROM sync_items WHERE article_id = NEW.id;
END;
"""


def _to_v8(connection: sqlite3.Connection) -> None:
    """Sync accounts, what ties the cache to their servers, and the outbox of local changes written by
    triggers in the change's own transaction (``core/storage/sync.py``, docs/SYNC.md). New tables and
    triggers only: nothing stored before changes."""
    run_script(connection, SCHEMA_V8)


# Index i moves the schema from version i to i + 1. Append; never edit a released step.
MIGRATIONS: list[Migration] = [_to_v1, _to_v2, _to_v3, _to_v4, _to_v5, _to_v6, _to_v7, _to_v8]
SCHEMA_VERSION = len(MIGRATIONS)
