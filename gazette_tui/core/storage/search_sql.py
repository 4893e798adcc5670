"""The search engine's SQL: a compiled query (:class:`SearchPlan`, built by ``core/search/search.py`` from the
parsed query) run over ``articles`` and its FTS5 index, on one read connection with a time budget.

Plan, chosen for 100k cached articles (``benchmarks/search_probe.py`` measures it):

- The text part of the query is one FTS5 ``MATCH`` string (every term quoted, ``core/search/query.py``).
  Filters become SQL on ``articles``; names (feeds, rubriques, dossiers) are resolved by the caller, and
  arrive here as ids. A part FTS5 alone cannot express (``a OR -b``, ``budget OR feed:x``) becomes an
  ``id IN (SELECT rowid … MATCH …)`` test (:class:`Match` among the filters) and results come in date order.
- Relevance (with or without filters): in tiers by arrival, newest first, bm25 inside each tier, so that bm25
  scores a bounded number of candidates (:meth:`SearchSession._ranked_in_tiers` gives the exact rule).
  Inside a tier the filters are checked by a join on the FTS5 rows of the tier's rowid range (bm25 is
  computed only for rows the filters accept); filters that leave at most 5,000 articles are applied first,
  as a set, and those are ranked as one tier. (Asking FTS5 for "rowid IN (ids)" runs its query again per
  id: 10-300x slower.)
- Date order with words: articles are walked newest first through a date index, a chunk at a time, and FTS5
  is asked only about the rowid range of each chunk (:meth:`SearchSession._newest_matching`).
- A prefix of a length FTS5 has no prefix index for (4 letters or more) is replaced by the caller with the
  indexed words it covers (:meth:`SearchSession.prefix_words`), when there are at most 32.
- Snippets and title highlights are computed afterwards, for the N results only, by a second FTS5 query that
  looks only for the words the results contain (:meth:`SearchSession.highlights`), in one pass over the
  results' rowid range.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

from gazette_tui.core.storage.articles import article_rows
from gazette_tui.core.storage.connections import Connections
from gazette_tui.errors import GazetteError
from gazette_tui.models import ArticleRow

RECENT_WINDOW = 20_000
"""Relevance ranks the newest ids first (see :meth:`SearchSession._ranked_in_tiers`)."""
TIER_MATCHES = 1_000
"""…or fewer ids, when that many articles hold the words (same method)."""
SMALL_SET = 5_000
"""Filters that leave at most this many articles: those are ranked as one tier."""
HIGHLIGHT_SPAN = 20_000
"""Highlights read the results' whole rowid range up to this span (else FTS5 seeks each id)."""
MAX_EXPANSION = 32
"""A prefix covering more indexed words than this is left to FTS5 (see :meth:`SearchSession.prefix_words`)."""
DATE_CHUNK = 256
DATE_CHUNK_MAX = 16_384
"""Date order walks articles in chunks of this many, the first, doubling up to the second."""
PROGRESS_STEPS = 20_000
"""SQLite VM steps between two looks at the clock."""


class SearchInterrupted(GazetteError):
    """The search ran past its time budget and was stopped."""


# -- a compiled query ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Match:
    """Articles the FTS5 expression finds."""

    expression: str


@dataclass(frozen=True, slots=True)
class State:
    name: Literal["unread", "read", "starred", "reserved"]


@dataclass(frozen=True, slots=True)
class Published:
    """Dated articles published in ``[low, high)`` (either bound may be open)."""

    low: int | None
    high: int | None


@dataclass(frozen=True, slots=True)
class InFeeds:
    ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class InDossiers:
    ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class InRubriques:
    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AllOf:
    parts: tuple[Criterion, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    parts: tuple[Criterion, ...]


@dataclass(frozen=True, slots=True)
class Excluding:
    part: Criterion


Criterion = Match | State | Published | InFeeds | InDossiers | InRubriques | AllOf | AnyOf | Excluding


@dataclass(frozen=True, slots=True)
class SearchPlan:
    match: str | None
    """The FTS5 expression every result matches (the query's words), or None."""
    filters: tuple[Criterion, ...]
    """Every result passes each of them."""
    by_rank: bool
    """Best first (bm25); else newest first."""
    one_copy: bool = True
    """False when the query names a feed or a dossier (which may hold any copy of an article); otherwise an
    article published in several feeds counts once."""


_FTS_IN = "a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
_STATES = {
    "unread": "a.read = 0",
    "read": "a.read = 1",
    "starred": "a.starred = 1",
    "reserved": "a.reserved = 1",
}


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


Window = tuple[int, int] | None
"""``(low, high)``: only rowids in ``(low, high]`` are asked of FTS5 (None: all). Used where the caller only
looks at articles inside that range: the answer for those is the same, and FTS5 reads a slice of its lists."""


def _fts_in(window: Window) -> tuple[str, list[object]]:
    if window is None:
        return _FTS_IN, []
    return _FTS_IN[:-1] + " AND rowid > ? AND rowid <= ?)", list(window)


def _sql(criterion: Criterion, window: Window = None) -> tuple[str, list[object]]:
    if isinstance(criterion, Match):
        sql, bounds = _fts_in(window)
        return sql, [criterion.expression, *bounds]
    if isinstance(criterion, Excluding):
        sql, params = _sql(criterion.part, window)
        return f"NOT ({sql})", params
    if isinstance(criterion, AllOf | AnyOf):
        parts = [_sql(c, window) for c in criterion.parts]
        joiner = " AND " if isinstance(criterion, AllOf) else " OR "
        return "(" + joiner.join(p[0] for p in parts) + ")", [v for p in parts for v in p[1]]
    if isinstance(criterion, State):
        return _STATES[criterion.name], []
    if isinstance(criterion, Published):
        # An undated item's stored date is only its place in the feed's order: no date filter matches it.
        clauses = ["a.undated = 0"]
        values: list[object] = []
        if criterion.low is not None:
            clauses.append("a.published >= ?")
            values.append(criterion.low)
        if criterion.high is not None:
            clauses.append("a.published < ?")
            values.append(criterion.high)
        return "(" + " AND ".join(clauses) + ")", values
    if isinstance(criterion, InFeeds):
        return f"a.feed_id IN ({_marks(criterion.ids)})", list(criterion.ids)
    if isinstance(criterion, InDossiers):
        marks = _marks(criterion.ids)
        return f"a.id IN (SELECT article_id FROM dossier_items WHERE dossier_id IN ({marks}))", list(
            criterion.ids
        )
    return f"a.rubrique IN ({_marks(criterion.names)})", list(criterion.names)


def _has_match(criterion: Criterion) -> bool:
    if isinstance(criterion, Match):
        return True
    if isinstance(criterion, Excluding):
        return _has_match(criterion.part)
    if isinstance(criterion, AllOf | AnyOf):
        return any(_has_match(c) for c in criterion.parts)
    return False


def _filters(plan: SearchPlan, window: Window = None) -> tuple[list[str], list[object]]:
    where: list[str] = []
    params: list[object] = []
    for criterion in plan.filters:
        sql, values = _sql(criterion, window)
        where.append(sql)
        params += values
    return where, params


def _conditions(
    criteria: Sequence[Criterion], one_copy: bool, after_id: int | None, window: Window = None
) -> tuple[list[str], list[object]]:
    """SQL on ``articles a`` for the criteria, the one-copy rule and ``after_id``."""
    where: list[str] = []
    params: list[object] = []
    for criterion in criteria:
        sql, values = _sql(criterion, window)
        where.append(sql)
        params += values
    if one_copy:
        where.append("a.canonical = 1")
    if after_id is not None:
        where.append("a.id > ?")
        params.append(after_id)
    return where, params


def plan_conditions(plan: SearchPlan, window: Window = None) -> tuple[list[str], list[object]]:
    """SQL on ``articles a`` that accepts exactly the articles ``plan`` finds, for code that runs the match
    in a statement of its own (the filters' ``INSERT … SELECT``); ``window``: only ids in ``(low, high]``
    are asked of FTS5 (the caller keeps to that range too)."""
    criteria: list[Criterion] = [] if plan.match is None else [Match(plan.match)]
    return _conditions([*criteria, *plan.filters], plan.one_copy, None, window)


_TOKENIZE = re.compile(r"""tokenize\s*=\s*('(?:[^']|'')*'|"(?:[^"]|"")*"|\w+)""", re.IGNORECASE)
_PREFIX = re.compile(r"""prefix\s*=\s*['"]?([\d\s,]*)""", re.IGNORECASE)
_tokenizers = threading.local()


def _tokenize(spec: str, text: str) -> list[str]:
    """The tokens FTS5 makes of ``text`` with the tokenizer ``spec``, in order: a private in-memory table
    of this thread, with the same tokenizer as the index."""
    cache: dict[str, sqlite3.Connection] = getattr(_tokenizers, "by_spec", None) or {}
    _tokenizers.by_spec = cache
    connection = cache.get(spec)
    if connection is None:
        connection = sqlite3.connect(":memory:", isolation_level=None)
        connection.execute(f"CREATE VIRTUAL TABLE words USING fts5(x, tokenize = {_quote(spec)})")
        connection.execute("CREATE VIRTUAL TABLE tokens USING fts5vocab(words, instance)")
        cache[spec] = connection
    connection.execute("DELETE FROM words")
    connection.execute("INSERT INTO words (rowid, x) VALUES (1, ?)", (text,))
    return [r[0] for r in connection.execute("SELECT term FROM tokens ORDER BY offset")]


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# -- running it ------------------------------------------------------------------------------------------


class SearchIndex:
    def __init__(self, connections: Connections) -> None:
        self._db = connections

    @contextmanager
    def session(self, budget: float) -> Iterator[SearchSession]:
        """A read connection of this thread for one search, stopped after ``budget`` seconds: a pathological
        query raises :class:`SearchInterrupted` instead of freezing the caller. Writes from other threads go
        on meanwhile (the writer has its own connection)."""
        deadline = time.monotonic() + budget

        def over_budget() -> int:
            return int(time.monotonic() > deadline)

        with self._db.read() as connection:
            connection.set_progress_handler(over_budget, PROGRESS_STEPS)
            try:
                yield SearchSession(connection)
            except sqlite3.OperationalError as error:
                # Stopped in a statement, or while it opened the index (its first use on this connection).
                text = str(error)
                if "interrupted" in text or ("vtable constructor failed" in text and over_budget()):
                    raise SearchInterrupted("search.too_slow") from None
                raise
            finally:
                connection.set_progress_handler(None, 0)


class SearchSession:
    """The queries of one search, all on the same connection and time budget."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._c = connection

    # Names, for the caller to resolve ``feed:``, ``in:`` and ``rubrique:`` with accent folding.

    def feeds(self) -> list[tuple[int, str, str]]:
        """(id, title, url) of every feed."""
        return [(r[0], r[1], r[2]) for r in self._c.execute("SELECT id, title, url FROM feeds")]

    def dossiers(self) -> list[tuple[int, str]]:
        return [(r[0], r[1]) for r in self._c.execute("SELECT id, name FROM dossiers")]

    def rubriques(self) -> list[str]:
        return [r[0] for r in self._c.execute("SELECT DISTINCT rubrique FROM feeds WHERE rubrique != ''")]

    def prefix_words(self, text: str) -> tuple[list[str], list[str]] | None:
        """For ``"text"*``: the tokens of ``text`` before its last one, and every word of the index that
        starts with the last one, when there are 1 to :data:`MAX_EXPANSION` of them; None when FTS5 reads
        such a prefix fast by itself (its prefix index has that length) or it covers no word or too many.

        Without a prefix index, FTS5 merges the lists of all the words a prefix covers each time it runs the
        query (~50 ms for 4 words found in half of 100k articles); the caller can ask for these words instead
        (``"w1" OR "w2"…``): the same articles. The words come from an ``fts5vocab`` table of the index, made
        once per connection in its TEMP schema, in the same snapshot as the search."""
        tokenizer = self._tokenizer()
        if tokenizer is None:
            return None
        spec, sizes = tokenizer
        tokens = _tokenize(spec, text)
        if not tokens or len(tokens[-1]) in sizes:
            return None
        last = tokens[-1]
        self._vocabulary()
        words = [
            r[0]
            for r in self._c.execute(
                "SELECT term FROM temp.gazette_vocab WHERE term >= ? AND term < ? LIMIT ?",
                (last, last + "\U0010ffff", MAX_EXPANSION + 1),
            )
            if r[0].startswith(last)
        ]
        if not words or len(words) > MAX_EXPANSION:
            return None
        return tokens[:-1], words

    def _tokenizer(self) -> tuple[str, set[int]] | None:
        """The index's ``tokenize`` option and the lengths of its prefix indexes (None: unreadable)."""
        row = self._c.execute("SELECT sql FROM sqlite_master WHERE name = 'articles_fts'").fetchone()
        found = _TOKENIZE.search(row[0]) if row else None
        if found is None:
            return None
        spec = found.group(1)
        if spec[0] in "'\"":
            spec = spec[1:-1].replace(spec[0] * 2, spec[0])
        sizes = _PREFIX.search(row[0])
        lengths = {int(n) for n in re.findall(r"\d+", sizes.group(1))} if sizes else set()
        return spec, lengths

    def _vocabulary(self) -> None:
        c = self._c
        if c.execute("SELECT 1 FROM temp.sqlite_master WHERE name = 'gazette_vocab'").fetchone():
            return
        # A reader is query_only, which forbids even TEMP tables: lifted for this one statement.
        query_only = c.execute("PRAGMA query_only").fetchone()[0]
        if query_only:
            c.execute("PRAGMA query_only = 0")
        try:
            c.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.gazette_vocab "
                "USING fts5vocab(main, articles_fts, row)"
            )
        finally:
            if query_only:
                c.execute("PRAGMA query_only = 1")

    # Results.

    def ranked(
        self, plan: SearchPlan, limit: int, offset: int, after_id: int | None = None
    ) -> list[tuple[int, float | None]]:
        """(article id, bm25 score or None) of the page of results, in order."""
        if plan.match is not None and plan.by_rank:
            return self._ranked_in_tiers(plan, limit, offset, after_id)
        if plan.match is not None or any(_has_match(c) for c in plan.filters):
            return self._newest_matching(plan, limit, offset, after_id)
        where, params = _conditions(plan.filters, plan.one_copy, after_id)
        sql = (
            f"SELECT a.id FROM articles a {'WHERE ' + ' AND '.join(where) if where else ''} "
            "ORDER BY a.published DESC, a.id DESC LIMIT ? OFFSET ?"
        )
        return [(r[0], None) for r in self._c.execute(sql, [*params, limit, offset])]

    def _newest_matching(
        self, plan: SearchPlan, limit: int, offset: int, after_id: int | None
    ) -> list[tuple[int, float | None]]:
        """Date order when words must be found: the articles the other filters accept are walked newest first
        through a date index, a chunk at a time, and FTS5 is asked only about the rowid range of the chunk.

        Exact whatever the order of ids and dates: an id of the chunk matches or not whatever range FTS5
        reads, as long as the range holds it. Arrival order (ids) follows publication closely, so a chunk's
        range is narrow and a common word stops the walk after a few hundred articles, where collecting all
        its matches first read 50,000 of them. Chunks double (up to :data:`DATE_CHUNK_MAX`) when matches
        are rare."""
        c = self._c
        plain = [f for f in plan.filters if not _has_match(f)]
        checked: list[Criterion] = [f for f in plan.filters if _has_match(f)]
        if plan.match is not None:
            checked.insert(0, Match(plan.match))
        walk, walk_params = _conditions(plain, plan.one_copy, after_id)
        wanted = offset + limit
        found: list[int] = []
        size = DATE_CHUNK
        last: tuple[int, int] | None = None
        while len(found) < wanted:
            where = list(walk)
            params = list(walk_params)
            if last is not None:
                where.append("(a.published, a.id) < (?, ?)")
                params += last
            chunk = c.execute(
                f"SELECT a.id, a.published FROM articles a {'WHERE ' + ' AND '.join(where) if where else ''} "
                "ORDER BY a.published DESC, a.id DESC LIMIT ?",
                [*params, size],
            ).fetchall()
            if not chunk:
                break
            ids = [r[0] for r in chunk]
            window = (min(ids) - 1, max(ids))
            test, test_params = _conditions(checked, False, None, window)
            keep = {
                r[0]
                for r in c.execute(
                    "SELECT a.id FROM articles a WHERE a.id IN (SELECT value FROM json_each(?)) AND "
                    + " AND ".join(test),
                    [json.dumps(ids), *test_params],
                )
            }
            found += [i for i in ids if i in keep]
            if len(chunk) < size:
                break
            last = (chunk[-1][1], chunk[-1][0])
            size = min(size * 2, DATE_CHUNK_MAX)
        return [(i, None) for i in found[offset:wanted]]

    def _ranked_in_tiers(
        self, plan: SearchPlan, limit: int, offset: int, after_id: int | None
    ) -> list[tuple[int, float | None]]:
        """Relevance, in tiers by arrival: the newest tier first, best first (bm25) inside each tier.

        bm25 must score every candidate before it can sort, and a word found in half of 100k articles costs
        ~35 ms to score over 20,000 articles, ~200 ms over all of them with a filter; a news reader wants
        recent matches first anyway. So the candidates (articles the words find and the filters accept) are
        cut, by id (arrival order), into tiers, newest first:

        - tier *k* (from 1) starts below the previous one (tier 1: at the newest article, or the newest the
          filters accept) and ends after ``RECENT_WINDOW × 2^(k-1)`` ids or after the
          ``TIER_MATCHES × 2^(k-1)``-th article the words find (filters aside), whichever comes first;
        - when the filters accept at most :data:`SMALL_SET` articles, all of them form one tier (plain
          relevance): ranking a few thousand costs little wherever they are.

        For rare words tier 1 is the newest 20,000 ids, as it always was; for common ones it is the few
        thousand newest articles holding 1,000 matches. Scores use the whole index's statistics in every
        tier, so each tier is a true relevance order, and pages stay consistent (tier *k + 1* starts where
        tier *k* ends). The set of results and their count do not depend on the tiers."""
        c = self._c
        match = plan.match
        assert match is not None
        filtered = bool(plan.filters)
        if filtered:
            where, params = _conditions(plan.filters, plan.one_copy, after_id)
            condition = " AND ".join(where)
            few = [
                r[0]
                for r in c.execute(
                    f"SELECT a.id FROM articles a WHERE {condition} ORDER BY a.id DESC LIMIT ?",
                    [*params, SMALL_SET + 1],
                )
            ]
            if len(few) <= SMALL_SET:
                if not few:
                    return []
                sql = (
                    "SELECT rowid, bm25(articles_fts) AS score FROM articles_fts WHERE articles_fts MATCH ? "
                    "AND rowid BETWEEN ? AND ? AND +rowid IN (SELECT value FROM json_each(?)) "
                    "ORDER BY score, rowid LIMIT ? OFFSET ?"
                )
                rows = c.execute(sql, (match, few[-1], few[0], json.dumps(few), limit, offset))
                return [(r[0], r[1]) for r in rows]
            upper = few[0]
        else:
            upper = c.execute("SELECT MAX(rowid) FROM articles_fts").fetchone()[0] or 0
        floor = after_id or 0
        results: list[tuple[int, float | None]] = []
        tier = 0
        while upper > floor and len(results) < limit:
            boundary = max(floor, upper - (RECENT_WINDOW << tier))
            last = c.execute(
                "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? AND rowid <= ? "
                "ORDER BY rowid DESC LIMIT 1 OFFSET ?",
                (match, upper, (TIER_MATCHES << tier) - 1),
            ).fetchone()
            if last is not None:
                boundary = max(boundary, last[0] - 1)
            window = (boundary, upper)
            if filtered:
                where, params = _conditions(plan.filters, plan.one_copy, None, window)
                source = (
                    "FROM articles_fts f CROSS JOIN articles a ON a.id = f.rowid WHERE articles_fts MATCH ? "
                    "AND f.rowid > ? AND f.rowid <= ? AND " + " AND ".join(where)
                )
            else:
                # Copies of an article from another feed are left out by a cheap set test, not a join.
                copies = (
                    " AND f.rowid NOT IN (SELECT id FROM articles WHERE canonical = 0)"
                    if plan.one_copy
                    else ""
                )
                source = (
                    "FROM articles_fts f WHERE articles_fts MATCH ? AND f.rowid > ? AND f.rowid <= ?" + copies
                )
                params = []
            arguments = [match, *window, *params]
            page = c.execute(
                f"SELECT f.rowid, bm25(articles_fts) AS score {source} "
                "ORDER BY score, f.rowid LIMIT ? OFFSET ?",
                [*arguments, limit - len(results), offset],
            ).fetchall()
            results += [(r[0], r[1]) for r in page]
            if offset and not page:
                offset = max(0, offset - c.execute(f"SELECT COUNT(*) {source}", arguments).fetchone()[0])
            else:
                offset = 0
            upper = boundary
            tier += 1
        return results

    def count(self, plan: SearchPlan, after_id: int | None = None) -> int:
        """How many articles match (only those with an id above ``after_id``, if given)."""
        where, params = _filters(plan)
        if plan.one_copy:
            where.append("a.canonical = 1")
        if plan.match is not None:
            where.insert(0, _FTS_IN)
            params.insert(0, plan.match)
        if after_id is not None:
            where.append("a.id > ?")
            params.append(after_id)
        condition = (" WHERE " + " AND ".join(where)) if where else ""
        return int(self._c.execute(f"SELECT COUNT(*) FROM articles a{condition}", params).fetchone()[0])

    def texts(self, ids: Sequence[int], body_chars: int) -> dict[int, tuple[str, str]]:
        """(indexed title, first ``body_chars`` characters of the indexed text) of each article."""
        if not ids:
            return {}
        return {
            r[0]: (r[1], r[2])
            for r in self._c.execute(
                f"SELECT rowid, title, substr(body, 1, {int(body_chars)}) FROM articles_fts "
                f"WHERE rowid IN ({_marks(ids)})",
                list(ids),
            )
        }

    def highlights(
        self, ids: Sequence[int], words: str, marks: tuple[str, str], ellipsis: str, tokens: int
    ) -> dict[int, tuple[str, str]]:
        """(title, snippet of the text) of each article that ``words`` (an FTS5 expression) finds in, with
        ``marks`` around the words found (FTS5 ``highlight`` and ``snippet``)."""
        if not ids:
            return {}
        opening, closing = marks
        columns = "SELECT rowid, highlight(articles_fts, 0, ?, ?), snippet(articles_fts, 3, ?, ?, ?, ?) "
        values: list[object] = [opening, closing, opening, closing, ellipsis, tokens, words]
        if "*" in words or max(ids) - min(ids) <= HIGHLIGHT_SPAN:
            # One pass over the ids' range. "rowid IN (…)" would run the query again for each id: cheap for
            # a word (FTS5 seeks into its list), but a prefix of 4 letters or more (no prefix index) merges
            # the lists of every word it covers each time: 50 times ~50 ms.
            sql = columns + (
                "FROM articles_fts WHERE articles_fts MATCH ? AND rowid BETWEEN ? AND ? "
                "AND +rowid IN (SELECT value FROM json_each(?))"
            )
            values += [min(ids), max(ids), json.dumps(list(ids))]
        else:
            sql = columns + f"FROM articles_fts WHERE articles_fts MATCH ? AND rowid IN ({_marks(ids)})"
            values += ids
        return {r[0]: (r[1], r[2]) for r in self._c.execute(sql, values)}

    def rows(self, ids: Sequence[int]) -> list[ArticleRow]:
        """The list lines of ``ids``, in that order (as :meth:`Store.article_rows`)."""
        return article_rows(self._c, ids)
