"""The search engine's SQL: a compiled query (:class:`SearchPlan`, built by ``core/search/search.py`` from the
parsed query) run over ``articles`` and its FTS5 index, on one read connection with a time budget.

Plan, chosen for 100k cached articles (``benchmarks/search_probe.py`` measures it):

- The text part of the query is one FTS5 ``MATCH`` string (every term quoted, ``core/search/query.py``).
  Filters become SQL on ``articles``; names (feeds, rubriques, dossiers) are resolved by the caller, and
  arrive here as ids. A part FTS5 alone cannot express (``a OR -b``, ``budget OR feed:x``) becomes an
  ``id IN (SELECT rowid … MATCH …)`` test (:class:`Match` among the filters) and results come in date order.
- Relevance without filters: the top N is chosen inside FTS5 (``ORDER BY rank LIMIT N``), newest articles
  first (:meth:`SearchSession._ranked_recent_first`); joining to ``articles`` first is twice as slow.
- Relevance with filters: FTS5 ranks every match, the join keeps those the filters accept, and only those are
  sorted (measured faster than checking the filters on rows streamed in rank order, and exact).
- Date order with words: the matching rowids are collected without ranking (cheap), then ``articles`` is
  walked newest first through its date index until N of them are found.
- Snippets and title highlights are computed afterwards, for the N results only, by a second FTS5 query that
  looks only for the words the results contain (:meth:`SearchSession.highlights`).
"""

from __future__ import annotations

import sqlite3
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
"""Words-only relevance ranks the newest articles first (see :meth:`SearchSession._ranked_recent_first`)."""
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


def _sql(criterion: Criterion) -> tuple[str, list[object]]:
    if isinstance(criterion, Match):
        return _FTS_IN, [criterion.expression]
    if isinstance(criterion, Excluding):
        sql, params = _sql(criterion.part)
        return f"NOT ({sql})", params
    if isinstance(criterion, AllOf | AnyOf):
        parts = [_sql(c) for c in criterion.parts]
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


def _filters(plan: SearchPlan) -> tuple[list[str], list[object]]:
    where: list[str] = []
    params: list[object] = []
    for criterion in plan.filters:
        sql, values = _sql(criterion)
        where.append(sql)
        params += values
    return where, params


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
                    raise SearchInterrupted(text) from None
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

    # Results.

    def ranked(
        self, plan: SearchPlan, limit: int, offset: int, after_id: int | None = None
    ) -> list[tuple[int, float | None]]:
        """(article id, bm25 score or None) of the page of results, in order."""
        c = self._c
        one_copy = plan.one_copy
        if plan.match is not None and plan.by_rank and not plan.filters and after_id is None:
            return self._ranked_recent_first(plan.match, limit, offset, one_copy)
        where, params = _filters(plan)
        if after_id is not None:
            where.append("a.id > ?")
            params.append(after_id)
        if one_copy:
            where.append("a.canonical = 1")
        condition = " AND ".join(where)
        if plan.match is not None and plan.by_rank:
            # FTS5 ranks every match; the join keeps those the filters accept and only they are sorted.
            # (Asking FTS5 for "rowid IN (filtered ids)" rescans its index per id: 10-300x slower.)
            sql = (
                "SELECT f.rowid, f.rank FROM articles_fts f JOIN articles a ON a.id = f.rowid "
                f"WHERE articles_fts MATCH ? AND {condition} ORDER BY f.rank, f.rowid LIMIT ? OFFSET ?"
            )
            return [(r[0], r[1]) for r in c.execute(sql, [plan.match, *params, limit, offset])]
        if plan.match is not None:
            where = [_FTS_IN, *where]
            params = [plan.match, *params]
            condition = " AND ".join(where)
        sql = (
            f"SELECT a.id FROM articles a {'WHERE ' + condition if where else ''} "
            "ORDER BY a.published DESC, a.id DESC LIMIT ? OFFSET ?"
        )
        return [(r[0], None) for r in c.execute(sql, [*params, limit, offset])]

    def _ranked_recent_first(
        self, match: str, limit: int, offset: int, one_copy: bool
    ) -> list[tuple[int, float | None]]:
        """Relevance for a words-only query, in two tiers: the most recent RECENT_WINDOW articles by rank,
        then the older ones by rank.

        bm25 must score every match before it can sort, and a word found in half of 100k articles costs
        ~60 ms; within the recent tier it costs a fifth of that, and a news reader wants recent matches first
        anyway. Scores use the whole index's statistics in both tiers, so each tier is a true relevance
        order, and pages stay consistent (tier 2 starts where tier 1 ends). Caches smaller than the window
        have one tier: plain relevance."""
        c = self._c
        newest = c.execute("SELECT MAX(rowid) FROM articles_fts").fetchone()[0] or 0
        boundary = max(0, newest - RECENT_WINDOW)
        # Copies of an article from another feed are left out by a cheap set test, not a join.
        copies = " AND rowid NOT IN (SELECT id FROM articles WHERE canonical = 0)" if one_copy else ""
        tier = (
            "SELECT rowid, rank FROM articles_fts WHERE articles_fts MATCH ? AND rowid {} ?"
            + copies
            + " ORDER BY rank LIMIT ? OFFSET ?"
        )
        recent = [(r[0], r[1]) for r in c.execute(tier.format(">"), (match, boundary, limit, offset))]
        if len(recent) == limit or boundary == 0:
            return recent
        in_recent = c.execute(
            "SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH ? AND rowid > ?" + copies,
            (match, boundary),
        ).fetchone()[0]
        older_offset = max(0, offset - in_recent)
        older = c.execute(tier.format("<="), (match, boundary, limit - len(recent), older_offset))
        return recent + [(r[0], r[1]) for r in older]

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
        return {
            r[0]: (r[1], r[2])
            for r in self._c.execute(
                "SELECT rowid, highlight(articles_fts, 0, ?, ?), snippet(articles_fts, 3, ?, ?, ?, ?) "
                f"FROM articles_fts WHERE articles_fts MATCH ? AND rowid IN ({_marks(ids)})",
                [opening, closing, opening, closing, ellipsis, tokens, words, *ids],
            )
        }

    def rows(self, ids: Sequence[int]) -> list[ArticleRow]:
        """The list lines of ``ids``, in that order (as :meth:`Store.article_rows`)."""
        return article_rows(self._c, ids)
