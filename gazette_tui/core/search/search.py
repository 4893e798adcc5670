"""Running a query over the offline cache: one engine for the TUI (:func:`search_hits`) and the CLI
(:func:`search`).

The query is parsed by ``core/search/query.py``; here it is compiled into a
:class:`~gazette_tui.core.storage.search_sql.SearchPlan` (the text part becomes one FTS5 ``MATCH`` string,
filters become criteria, and names of feeds, rubriques and dossiers are resolved with accent folding into
ids), which ``core/storage/search_sql.py`` runs (its docstring gives the SQL plan, measured by
``benchmarks/search_probe.py``). Snippets and title highlights come back as data (text plus spans), never
markup.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import TypeVar

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
from gazette_tui.core.storage.search_sql import (
    AllOf,
    AnyOf,
    Criterion,
    Excluding,
    InDossiers,
    InFeeds,
    InRubriques,
    Match,
    Published,
    SearchInterrupted,
    SearchPlan,
    SearchSession,
    State,
)
from gazette_tui.core.storage.store import Store
from gazette_tui.errors import QueryError
from gazette_tui.models import ArticleRow

# Highlight markers for FTS5 snippet()/highlight(). STX and ETX: the cleaning in text.py removes every C0
# control from feed text before it is stored, so they cannot occur in the indexed text itself.
MARK_OPEN = "\x02"
MARK_CLOSE = "\x03"
ELLIPSIS = "…"
SNIPPET_TOKENS = 24
PLAIN_SNIPPET_CHARS = 160
MAX_LIMIT = 100_000
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


@dataclass(frozen=True, slots=True)
class _Compiled:
    plan: SearchPlan
    highlight: str | None
    """The query's words as one FTS5 expression, for the highlights; None when it has none."""


class _Compiler:
    def __init__(self, session: SearchSession, now: float, tz: tzinfo | None) -> None:
        self.session = session
        self.now = now
        self.tz = tz
        self.names_a_copy = False

    def compile(self, query: Query) -> _Compiled:
        children: Sequence[Node] = ()
        root = None if query.root is None else self.expand(query.root)
        if root is not None:
            children = root.children if isinstance(root, And) else (root,)
        positive = [c for c in children if not isinstance(c, Not) and fts_match(c) is not None]
        negative = [c for c in children if isinstance(c, Not) and fts_match(c.child) is not None]
        in_match = positive + negative if positive else []
        match = fts_match(And(tuple(in_match))) if in_match else None
        filters = tuple(self.criterion(c) for c in children if not any(c is m for m in in_match))
        words = [t for t in positive_terms(root) if t.column is None]
        highlight = " OR ".join(fts_term(t) for t in words) if words else None
        plan = SearchPlan(match, filters, query.sort == "relevance", one_copy=not self.names_a_copy)
        return _Compiled(plan, highlight)

    def expand(self, node: Node) -> Node:
        """The tree with each prefix that FTS5 has no prefix index for (4 letters or more) replaced by the
        indexed words it covers, joined by OR (:meth:`SearchSession.prefix_words`): the same articles, found
        without merging those words' lists again at every step. bm25 then weighs each of these words as its
        own term (a rarer form weighs more), as if they had been typed with OR."""
        if isinstance(node, Term):
            found = self.session.prefix_words(node.text) if node.prefix else None
            if found is None:
                return node
            head, words = found
            parts = tuple(
                Term(" ".join([*head, word]), node.position, phrase=node.phrase, column=node.column)
                for word in words
            )
            return parts[0] if len(parts) == 1 else Or(parts)
        if isinstance(node, Not):
            return Not(self.expand(node.child))
        if isinstance(node, And):
            return And(tuple(self.expand(c) for c in node.children))
        if isinstance(node, Or):
            return Or(tuple(self.expand(c) for c in node.children))
        return node

    def criterion(self, node: Node) -> Criterion:
        expression = None if isinstance(node, Not) else fts_match(node)
        if expression is not None:
            return Match(expression)
        if isinstance(node, Not):
            return Excluding(self.criterion(node.child))
        if isinstance(node, And):
            return AllOf(tuple(self.criterion(c) for c in node.children))
        if isinstance(node, Or):
            return AnyOf(tuple(self.criterion(c) for c in node.children))
        if isinstance(node, StateFilter):
            return State(node.field)
        if isinstance(node, DateFilter):
            low, high = date_bounds(node.field, node.spec, self.now, self.tz)
            return Published(low, high)
        assert isinstance(node, NameFilter)
        return self.name_filter(node)

    def name_filter(self, node: NameFilter) -> Criterion:
        if node.field in ("feed", "in"):
            self.names_a_copy = True
        if node.field == "feed":
            feed_ids = _pick(node.value, self.session.feeds())
            if not feed_ids:
                raise QueryError("search.no_feed", node.position, value=node.value)
            return InFeeds(tuple(feed_ids))
        if node.field == "in":
            dossier_ids = _pick(node.value, [(key, name, "") for key, name in self.session.dossiers()])
            if not dossier_ids:
                raise QueryError("search.no_dossier", node.position, value=node.value)
            return InDossiers(tuple(dossier_ids))
        # rubrique: the feed's folder (articles.rubrique) or one of the article's own categories.
        names = _pick(node.value, [(name, name, "") for name in self.session.rubriques()])
        category = Match(fts_term(Term(node.value, node.position, phrase=True, column="categories")))
        if not names:
            return category
        return AnyOf((InRubriques(tuple(names)), category))


K = TypeVar("K")


def _pick(value: str, candidates: Sequence[tuple[K, str, str]]) -> list[K]:
    """Keys of the candidates whose name folds to ``value``; if none, those whose name or URL contains it."""
    wanted = fold(value)
    exact = [key for key, name, _ in candidates if fold(name) == wanted]
    if exact:
        return exact
    return [key for key, name, url in candidates if wanted in fold(name) or (url and wanted in fold(url))]


@contextmanager
def _session(store: Store) -> Iterator[SearchSession]:
    """One search on a read connection of this thread, within :data:`TIME_BUDGET_S`: a pathological query is
    stopped with a clear message instead of freezing the caller."""
    try:
        with store.index.session(TIME_BUDGET_S) as session:
            yield session
    except SearchInterrupted:
        raise QueryError("search.too_slow", 0) from None


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


_LOOSE = re.compile(r"\s+(?=[.,)\]])|(?<=[(\[])\s+|(?<=\s)\s+")


def tidy_snippet(text: str, spans: list[Span] | None = None) -> tuple[str, list[Span]]:
    """A snippet as it reads: the index turns inline tags into spaces (``<em>standard</em>.`` is indexed
    « standard . »), so no space is left before a full stop, a comma or a closing bracket, nor after an
    opening one, nor two in a row. Only what is shown changes (the stored text and its hashes do not); the
    spans of the words found move with the text."""
    kept: list[int] = []  # for each kept character, its offset in ``text``
    removed = {i for match in _LOOSE.finditer(text) for i in range(match.start(), match.end())}
    out = []
    for index, char in enumerate(text):
        if index not in removed:
            kept.append(index)
            out.append(char)
    if not removed:
        return text, list(spans or [])
    new_at = {old: new for new, old in enumerate(kept)}

    def moved(offset: int) -> int:
        while offset < len(text) and offset not in new_at:
            offset += 1
        return new_at.get(offset, len(out))

    return "".join(out), [
        (moved(start), moved(end)) for start, end in spans or [] if moved(end) > moved(start)
    ]


def _plain_snippet(body: str) -> str:
    body = body.strip()
    if len(body) <= PLAIN_SNIPPET_CHARS:
        return body
    cut = body.rfind(" ", 0, PLAIN_SNIPPET_CHARS)
    return body[: cut if cut > PLAIN_SNIPPET_CHARS // 2 else PLAIN_SNIPPET_CHARS].rstrip() + ELLIPSIS


def _decorate(
    session: SearchSession, compiled: _Compiled, ranked: list[tuple[int, float | None]]
) -> list[SearchHit]:
    ids = [i for i, _ in ranked]
    if not ids:
        return []
    texts: dict[int, tuple[str, list[Span], str, list[Span]]] = {
        article_id: (title, [], tidy_snippet(_plain_snippet(body))[0], [])
        for article_id, (title, body) in session.texts(ids, PLAIN_SNIPPET_CHARS * 2).items()
    }
    if compiled.highlight is not None:
        marked = session.highlights(
            ids, compiled.highlight, (MARK_OPEN, MARK_CLOSE), ELLIPSIS, SNIPPET_TOKENS
        )
        for article_id, (title, snippet) in marked.items():
            texts[article_id] = (*_marked(title), *tidy_snippet(*_marked(snippet)))
    rows = {row.id: row for row in session.rows(ids)}
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
    with _session(store) as session:
        compiled = _Compiler(session, moment, zone).compile(query)
        ranked = session.ranked(compiled.plan, limit, max(offset, 0), after_id)
        return _decorate(session, compiled, ranked)


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
    with _session(store) as session:
        compiled = _Compiler(session, moment, zone).compile(query)
        return session.count(compiled.plan, after_id)


def compile_plan(store: Store, text: str | Query, *, now: datetime | None = None) -> SearchPlan | None:
    """The query as the engine runs it (names resolved into ids, long prefixes expanded), for storage code
    that runs it in SQL of its own (the filters' ``INSERT … SELECT``); None for an empty query. Raises
    :class:`QueryError` as :func:`search_hits` does."""
    query = parse(text) if isinstance(text, str) else text
    if query.empty:
        return None
    moment, zone = _clock(now)
    with _session(store) as session:
        return _Compiler(session, moment, zone).compile(query).plan


def validate(text: str) -> Query:
    """Check a query without running it (raises :class:`QueryError`), e.g. as the user types."""
    return parse(text)
