"""Running a query over the offline cache: one engine for the TUI (:func:`search_hits`) and the CLI
(:func:`search`).

Plan, chosen for 100k cached articles (``benchmarks/search_probe.py`` measures it):

- The text part of the query becomes one FTS5 ``MATCH`` string (built by ``core/query.py``, every term
  quoted). Filters become SQL on ``articles``; names (feeds, rubriques, dossiers) are resolved here in Python
  with accent folding, then filtered by id. A part FTS5 alone cannot express (``a OR -b``, ``budget OR
  feed:x``) becomes an ``id IN (SELECT rowid … MATCH …)`` test and the results come in date order.
- Relevance without filters: the top N is chosen inside FTS5 (``ORDER BY rank LIMIT N`` in a subquery), then
  joined to ``articles``; joining first is twice as slow.
- Relevance with filters: FTS5 ranks every match, the join keeps those the filters accept, and only those are
  sorted (measured faster than checking the filters on rows streamed in rank order, and exact).
- Date order with words: the matching rowids are collected without ranking (cheap), then ``articles`` is
  walked newest first through its date index until N of them are found.
- Snippets and title highlights are computed afterwards, for the N results only, by a second FTS5 query that
  looks only for the words the results contain. They come back as data (text plus spans), never markup.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from gazette_tui.core.search.query import (
    And,
    DateFilter,
    NameFilter,
    Node,
    Not,
    Or,
    Query,
    StateFilter,
    Term,
    date_bounds,
    fold,
    fts_match,
    fts_term,
    parse,
    positive_terms,
)
from gazette_tui.core.storage import db
from gazette_tui.core.storage.store import Store
from gazette_tui.errors import QueryError, StoreError
from gazette_tui.models import ArticleRow

# Highlight markers for FTS5 snippet()/highlight(). STX and ETX: the cleaning in core/text.py removes every C0
# control from feed text before it is stored, so they cannot occur in the indexed text itself.
MARK_OPEN = "\x02"
MARK_CLOSE = "\x03"
ELLIPSIS = "…"
SNIPPET_TOKENS = 24
PLAIN_SNIPPET_CHARS = 160
MAX_LIMIT = 100_000
# Words-only relevance ranks the newest articles first (see _ranked_recent_first).
RECENT_WINDOW = 20_000
TIME_BUDGET_S = 10.0

Span = tuple[int, int]


@dataclass(slots=True)
class SearchHit:
    """One result. ``title``/``snippet`` are plain text; the spans are ``[start, end)`` offsets of the words
    found, for the UI to style (never markup in these strings)."""

    row: ArticleRow
    title: str
    title_spans: list[Span] = field(default_factory=list)
    snippet: str = ""
    snippet_spans: list[Span] = field(default_factory=list)
    score: float | None = None
    """bm25 from FTS5 (lower is better) when sorted by relevance, else None."""


@dataclass(slots=True)
class _Plan:
    match: str | None
    where: list[str]
    params: list[object]
    highlight: str | None
    sort: str
    one_copy: bool = True
    """False when the query names a feed or a dossier (which may hold any copy of an article); otherwise an
    article published in several feeds counts once."""


_FTS_IN = "a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"


class _Compiler:
    def __init__(self, connection: sqlite3.Connection, now: float, tz: tzinfo | None) -> None:
        self.connection = connection
        self.now = now
        self.tz = tz
        self.names_a_copy = False

    def plan(self, query: Query) -> _Plan:
        children: Sequence[Node] = ()
        if query.root is not None:
            children = query.root.children if isinstance(query.root, And) else (query.root,)
        positive = [c for c in children if not isinstance(c, Not) and fts_match(c) is not None]
        negative = [c for c in children if isinstance(c, Not) and fts_match(c.child) is not None]
        in_match = positive + negative if positive else []
        match = fts_match(And(tuple(in_match))) if in_match else None
        where: list[str] = []
        params: list[object] = []
        for child in children:
            if any(child is m for m in in_match):
                continue
            sql, values = self.sql(child)
            where.append(sql)
            params += values
        words = [t for t in positive_terms(query.root) if t.column is None]
        highlight = " OR ".join(fts_term(t) for t in words) if words else None
        return _Plan(match, where, params, highlight, query.sort, one_copy=not self.names_a_copy)

    def sql(self, node: Node) -> tuple[str, list[object]]:
        expression = None if isinstance(node, Not) else fts_match(node)
        if expression is not None:
            return _FTS_IN, [expression]
        if isinstance(node, Not):
            sql, params = self.sql(node.child)
            return f"NOT ({sql})", params
        if isinstance(node, And | Or):
            parts = [self.sql(c) for c in node.children]
            joiner = " AND " if isinstance(node, And) else " OR "
            return "(" + joiner.join(p[0] for p in parts) + ")", [v for p in parts for v in p[1]]
        if isinstance(node, StateFilter):
            return {
                "unread": "a.read = 0",
                "read": "a.read = 1",
                "starred": "a.starred = 1",
                "reserved": "a.reserved = 1",
            }[node.field], []
        if isinstance(node, DateFilter):
            low, high = date_bounds(node.field, node.spec, self.now, self.tz)
            # An undated item's stored date is only its place in the feed's order: no date filter matches it.
            clauses = ["a.undated = 0"]
            values: list[object] = []
            if low is not None:
                clauses.append("a.published >= ?")
                values.append(low)
            if high is not None:
                clauses.append("a.published < ?")
                values.append(high)
            return "(" + " AND ".join(clauses) + ")", values
        assert isinstance(node, NameFilter)
        return self.name_filter(node)

    def name_filter(self, node: NameFilter) -> tuple[str, list[object]]:
        if node.field in ("feed", "in"):
            self.names_a_copy = True
        if node.field == "feed":
            rows = self.connection.execute("SELECT id, title, url FROM feeds").fetchall()
            ids = _pick(node.value, [(r[0], r[1], r[2]) for r in rows])
            if not ids:
                raise QueryError(f"Aucun flux ne correspond à « {node.value} ».", node.position)
            return f"a.feed_id IN ({','.join('?' * len(ids))})", list(ids)
        if node.field == "in":
            rows = self.connection.execute("SELECT id, name FROM dossiers").fetchall()
            ids = _pick(node.value, [(r[0], r[1], "") for r in rows])
            if not ids:
                raise QueryError(f"Aucun dossier ne s'appelle « {node.value} ».", node.position)
            marks = ",".join("?" * len(ids))
            return f"a.id IN (SELECT article_id FROM dossier_items WHERE dossier_id IN ({marks}))", list(ids)
        # rubrique: the feed's folder (articles.rubrique) or one of the article's own categories.
        rows = self.connection.execute("SELECT DISTINCT rubrique FROM feeds WHERE rubrique != ''").fetchall()
        names = _pick(node.value, [(r[0], r[0], "") for r in rows])
        category = fts_term(Term(node.value, node.position, phrase=True, column="categories"))
        if not names:
            return _FTS_IN, [category]
        return f"(a.rubrique IN ({','.join('?' * len(names))}) OR {_FTS_IN})", [*names, category]


def _pick(value: str, candidates: list[tuple[object, str, str]]) -> list[object]:
    """Keys of the candidates whose name folds to ``value``; if none, those whose name or URL contains it."""
    wanted = fold(value)
    exact = [key for key, name, _ in candidates if fold(name) == wanted]
    if exact:
        return exact
    return [key for key, name, url in candidates if wanted in fold(name) or (url and wanted in fold(url))]


@contextmanager
def _reading(store: Store, budget: float) -> Iterator[sqlite3.Connection]:
    """The store's connection, locked, with a time budget: a pathological query is stopped with a clear
    message instead of freezing the caller."""
    deadline = time.monotonic() + budget

    def over_budget() -> int:
        return int(time.monotonic() > deadline)

    with store.lock:
        connection = store.connection
        connection.set_progress_handler(over_budget, 20_000)
        try:
            yield connection
        except sqlite3.OperationalError as error:
            if "interrupted" in str(error):
                raise QueryError("Recherche trop longue : précisez la requête (moins de « * »).", 0) from None
            raise StoreError(db._describe(store.path, error)) from None
        except sqlite3.DatabaseError as error:
            raise StoreError(db._describe(store.path, error)) from None
        finally:
            connection.set_progress_handler(None, 0)


def _ranked_recent_first(
    connection: sqlite3.Connection, match: str, limit: int, offset: int, one_copy: bool
) -> list[tuple[int, float | None]]:
    """Relevance for a words-only query, in two tiers: the most recent RECENT_WINDOW articles by rank, then
    the older ones by rank.

    bm25 must score every match before it can sort, and a word found in half of 100k articles costs
    ~60 ms; within the recent tier it costs a fifth of that, and a news reader wants recent matches first
    anyway. Scores use the whole index's statistics in both tiers, so each tier is a true relevance order,
    and pages stay consistent (tier 2 starts where tier 1 ends). Caches smaller than the window have one
    tier: plain relevance."""
    newest = connection.execute("SELECT MAX(rowid) FROM articles_fts").fetchone()[0] or 0
    boundary = newest - RECENT_WINDOW
    # Copies of an article from another feed are left out by a cheap set test, not a join.
    copies = " AND rowid NOT IN (SELECT id FROM articles WHERE canonical = 0)" if one_copy else ""
    tier = (
        "SELECT rowid, rank FROM articles_fts WHERE articles_fts MATCH ? AND rowid {} ?"
        + copies
        + " ORDER BY rank LIMIT ? OFFSET ?"
    )
    if boundary <= 0:
        boundary = 0
    recent = [(r[0], r[1]) for r in connection.execute(tier.format(">"), (match, boundary, limit, offset))]
    if len(recent) == limit or boundary == 0:
        return recent
    in_recent = connection.execute(
        "SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH ? AND rowid > ?" + copies,
        (match, boundary),
    ).fetchone()[0]
    older_offset = max(0, offset - in_recent)
    older = connection.execute(tier.format("<="), (match, boundary, limit - len(recent), older_offset))
    return recent + [(r[0], r[1]) for r in older]


def _ranked(
    connection: sqlite3.Connection,
    plan: _Plan,
    limit: int,
    offset: int,
    extra: str,
    extra_params: list[object],
) -> list[tuple[int, float | None]]:
    one_copy = plan.one_copy
    if plan.match is not None and plan.sort == "relevance" and not plan.where and not extra:
        return _ranked_recent_first(connection, plan.match, limit, offset, one_copy)
    where = plan.where + ([extra] if extra else []) + (["a.canonical = 1"] if one_copy else [])
    params = plan.params + extra_params
    condition = " AND ".join(where)
    if plan.match is not None and plan.sort == "relevance":
        # FTS5 ranks every match; the join keeps those the filters accept and only they are sorted. (Asking
        # FTS5 for "rowid IN (filtered ids)" rescans its index per id: 10-300x slower.)
        sql = (
            "SELECT f.rowid, f.rank FROM articles_fts f JOIN articles a ON a.id = f.rowid "
            f"WHERE articles_fts MATCH ? AND {condition} ORDER BY f.rank, f.rowid LIMIT ? OFFSET ?"
        )
        return [(r[0], r[1]) for r in connection.execute(sql, [plan.match, *params, limit, offset])]
    if plan.match is not None:
        where = [_FTS_IN, *where]
        params = [plan.match, *params]
        condition = " AND ".join(where)
    sql = (
        f"SELECT a.id FROM articles a {'WHERE ' + condition if where else ''} "
        "ORDER BY a.published DESC, a.id DESC LIMIT ? OFFSET ?"
    )
    return [(r[0], None) for r in connection.execute(sql, [*params, limit, offset])]


def _marked(text: str) -> tuple[str, list[Span]]:
    """Plain text and spans from a string with MARK_OPEN/MARK_CLOSE around the words found."""
    plain: list[str] = []
    spans: list[Span] = []
    length = 0
    start: int | None = None
    for piece in re.split(f"([{MARK_OPEN}{MARK_CLOSE}])", text):
        if piece == MARK_OPEN:
            start = length if start is None else start
        elif piece == MARK_CLOSE:
            if start is not None and length > start:
                spans.append((start, length))
            start = None
        else:
            plain.append(piece)
            length += len(piece)
    return "".join(plain), spans


def _plain_snippet(body: str) -> str:
    body = body.strip()
    if len(body) <= PLAIN_SNIPPET_CHARS:
        return body
    cut = body.rfind(" ", 0, PLAIN_SNIPPET_CHARS)
    return body[: cut if cut > PLAIN_SNIPPET_CHARS // 2 else PLAIN_SNIPPET_CHARS].rstrip() + ELLIPSIS


def _decorate(
    connection: sqlite3.Connection, store: Store, plan: _Plan, ranked: list[tuple[int, float | None]]
) -> list[SearchHit]:
    ids = [i for i, _ in ranked]
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    texts: dict[int, tuple[str, list[Span], str, list[Span]]] = {
        r[0]: (r[1], [], _plain_snippet(r[2]), [])
        for r in connection.execute(
            f"SELECT rowid, title, substr(body, 1, {PLAIN_SNIPPET_CHARS * 2}) FROM articles_fts "
            f"WHERE rowid IN ({marks})",
            ids,
        )
    }
    if plan.highlight is not None:
        for r in connection.execute(
            "SELECT rowid, highlight(articles_fts, 0, ?, ?), snippet(articles_fts, 3, ?, ?, ?, ?) "
            f"FROM articles_fts WHERE articles_fts MATCH ? AND rowid IN ({marks})",
            [MARK_OPEN, MARK_CLOSE, MARK_OPEN, MARK_CLOSE, ELLIPSIS, SNIPPET_TOKENS, plan.highlight, *ids],
        ):
            texts[r[0]] = (*_marked(r[1]), *_marked(r[2]))
    rows = {row.id: row for row in store.article_rows(ids)}
    hits: list[SearchHit] = []
    for article_id, score in ranked:
        row = rows.get(article_id)
        if row is None:
            continue
        title, title_spans, snippet, snippet_spans = texts.get(article_id, (row.title, [], "", []))
        row.snippet = snippet
        hits.append(SearchHit(row, title or row.title, title_spans, snippet, snippet_spans, score))
    return hits


def _clock(now: datetime | None) -> tuple[float, tzinfo | None]:
    if now is None:
        return time.time(), None
    return now.timestamp(), now.tzinfo


def search_hits(
    store: Store,
    text: str | Query,
    *,
    limit: int = 50,
    offset: int = 0,
    now: datetime | None = None,
    after_id: int | None = None,
) -> list[SearchHit]:
    """Results of a query, best first (or newest first), with highlight spans for the UI.

    ``now`` fixes "now" for relative dates; its time zone sets where calendar days start (None: the clock
    and zone of the system). ``after_id`` keeps only articles with a larger id (new ones, for alertes).
    Raises :class:`QueryError` (invalid query, unknown feed or dossier) or :class:`StoreError`."""
    query = parse(text) if isinstance(text, str) else text
    if query.empty or limit <= 0:
        return []
    limit = min(limit, MAX_LIMIT)
    moment, zone = _clock(now)
    extra, extra_params = ("a.id > ?", [after_id]) if after_id is not None else ("", [])
    extra_values: list[object] = list(extra_params)
    with _reading(store, TIME_BUDGET_S) as connection:
        plan = _Compiler(connection, moment, zone).plan(query)
        ranked = _ranked(connection, plan, limit, max(offset, 0), extra, extra_values)
        return _decorate(connection, store, plan, ranked)


def search(store: Store, text: str, *, limit: int = 50, now: datetime | None = None) -> list[ArticleRow]:
    """The rows a query finds, each with a plain-text ``snippet``: what ``gazette-tui search`` prints."""
    return [hit.row for hit in search_hits(store, text, limit=limit, now=now)]


def count(
    store: Store, text: str | Query, *, after_id: int | None = None, now: datetime | None = None
) -> int:
    """How many articles match (optionally only those with an id above ``after_id``): for alertes."""
    query = parse(text) if isinstance(text, str) else text
    if query.empty:
        return 0
    moment, zone = _clock(now)
    with _reading(store, TIME_BUDGET_S) as connection:
        plan = _Compiler(connection, moment, zone).plan(query)
        where = list(plan.where) + (["a.canonical = 1"] if plan.one_copy else [])
        params = list(plan.params)
        if plan.match is not None:
            where.insert(0, _FTS_IN)
            params.insert(0, plan.match)
        if after_id is not None:
            where.append("a.id > ?")
            params.append(after_id)
        condition = (" WHERE " + " AND ".join(where)) if where else ""
        return int(connection.execute(f"SELECT COUNT(*) FROM articles a{condition}", params).fetchone()[0])


def validate(text: str) -> Query:
    """Check a query without running it (raises :class:`QueryError`), e.g. as the user types."""
    return parse(text)
