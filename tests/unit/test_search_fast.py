"""The fast paths of the search (relevance tiers, date order by chunks, long prefixes read as the words they
cover, highlights in one pass) against plain FTS5 queries on a real SQLite file: the same articles, the same
counts, the same date order, and the documented tier order for relevance.

The sizes that choose a path are made small, so that a few hundred articles go through every one of them."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from gazette_tui.core.search import search as engine
from gazette_tui.core.search.query import fold, parse
from gazette_tui.core.search.search import count, search_hits
from gazette_tui.core.storage import search_sql
from gazette_tui.core.storage.search_sql import Match, SearchPlan, SearchSession, _conditions
from gazette_tui.core.storage.store import Store
from gazette_tui.models import ParsedEntry, ParsedFeed

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2025, 12, 31, 12, 0, tzinfo=PARIS)
BASE = int(datetime(2025, 1, 1, tzinfo=PARIS).timestamp())
WORDS = (
    "commune communes communal communauté communautaire intercommunalité intercommunal conseil municipal "
    "municipale municipalité municipaux budget budgétaire école écoles écologie écologique assainissement "
    "département dette élus"
).split()
FILLER = "le la de des et un une pour sur avec rapport projet vote".split()
AUTHORS = ["Marie Dupont", "Jean Dupond", "Hélène Martin"]

QUERIES = [
    "commune",
    "budget",
    "élus",
    "conseil municipal",
    '"conseil municipal"',
    '"conseil munic"*',
    "budget commune OR département",
    "(école OR dette) communal",
    "budget -dette",
    "commune -budget -école",
    "co*",
    "com*",
    "comm*",
    "commu*",
    "commun*",
    "communa*",
    "communau*",
    "intercommuna*",
    "intercommunal*",
    "écol*",
    "ecolo*",
    "municip*",
    "budgétai*",
    "assainiss*",
    "écol* budget",
    "-écol* budget",
    "commune -municip*",
    "écol* OR dette",
    "tag:budget",
    "tag:écol*",
    "author:dupont",
    "author:dupo*",
    "author:dup* commune",
    "is:unread commune",
    "is:starred budget",
    "is:unread écol*",
    "budget after:2025-03-01",
    "commune before:2025-02-01",
    "municip* after:2025-02-01 before:2025-03-01",
    "feed:deux commune",
    "feed:deux budget OR dette",
    "in:primitif commune",
    "rubrique:urbanisme budget",
    "budget sort:date",
    "sort:date commune",
    "écol* sort:date",
    "assainiss* sort:date",
    "budget is:unread sort:date",
    "commune feed:deux sort:date",
    "budget -dette sort:date",
    '"conseil municipal" after:2025-02-01 sort:date',
    "budget sort:relevance is:starred",
    "budget OR feed:trois",
    "-budget",
    "is:unread",
    "ramela",
    "zzzz*",
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path: Path = tmp_path_factory.mktemp("fast") / "gazette.db"
    rng = random.Random(7)
    weight = {w: rng.uniform(0.3, 0.6) for w in WORDS}
    with Store(path) as store:
        feeds = [
            store.add_feed(f"http://127.0.0.1/{name}", title=f"Flux {name}", rubrique=rubrique).id
            for name, rubrique in (("un", "Urbanisme"), ("deux", "Finances"), ("trois", ""))
        ]
        n = 0
        for batch in range(24):
            entries = []
            for _ in range(20):
                body = rng.choices(FILLER, k=rng.randint(5, 25))
                for word in WORDS:
                    if rng.random() < weight[word]:
                        body.insert(rng.randrange(len(body) + 1), word)
                if rng.random() < 0.3:
                    body += ["conseil", "municipal"]
                cats = rng.sample(WORDS, 2)
                # A few links shared between feeds: those copies count once unless a feed is named.
                url = f"http://127.0.0.1/a/{n % 430 if rng.random() < 0.05 else n}"
                entries.append(
                    ParsedEntry(
                        key=f"a{n}",
                        url=url,
                        title=" ".join(rng.sample(WORDS, 2)),
                        kicker="",
                        author=rng.choice(AUTHORS),
                        published=BASE + n * 20_000 + rng.randint(-200_000, 200_000),
                        updated=None,
                        categories=cats,
                        summary_html="",
                        content_html="",
                        text=" ".join(body) + ".",
                        reserved=False,
                        content_hash=f"h{n}",
                    )
                )
                n += 1
            store.record_success(feeds[batch % 3], ParsedFeed("rss", "", "", entries), when=BASE + batch)
        ids = store.article_ids()
        store.set_read([i for i in ids if rng.random() < 0.7])
        for article_id in ids[::9]:
            store.set_starred(article_id, True)
        dossier = store.dossiers.create("Budget primitif", "", 0)
        for article_id in ids[::7]:
            store.dossiers.add_item(dossier, article_id, "", 0)
        yield store


@pytest.fixture(autouse=True)
def small_sizes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_sql, "RECENT_WINDOW", 60)
    monkeypatch.setattr(search_sql, "TIER_MATCHES", 20)
    monkeypatch.setattr(search_sql, "SMALL_SET", 40)
    monkeypatch.setattr(search_sql, "DATE_CHUNK", 8)
    monkeypatch.setattr(search_sql, "DATE_CHUNK_MAX", 32)
    monkeypatch.setattr(search_sql, "HIGHLIGHT_SPAN", 50)
    monkeypatch.setattr(search_sql, "MAX_EXPANSION", 4)


def _plain_plan(session: SearchSession, text: str) -> SearchPlan:
    """The plan without prefix expansion: FTS5's own prefix queries."""
    compiler = engine._Compiler(session, NOW.timestamp(), NOW.tzinfo)  # noqa: SLF001
    compiler.expand = lambda node: node  # type: ignore[method-assign]
    return compiler.compile(parse(text)).plan


def _expanded_plan(session: SearchSession, text: str) -> SearchPlan:
    compiler = engine._Compiler(session, NOW.timestamp(), NOW.tzinfo)  # noqa: SLF001
    return compiler.compile(parse(text)).plan


def _articles(session: SearchSession, plan: SearchPlan, after_id: int | None = None) -> list[tuple[int, int]]:
    """(id, published) of every article the plan finds: one plain SQL query, FTS5 as a set."""
    criteria = [*plan.filters, *([Match(plan.match)] if plan.match is not None else [])]
    where, params = _conditions(criteria, plan.one_copy, after_id)
    sql = f"SELECT a.id, a.published FROM articles a {'WHERE ' + ' AND '.join(where) if where else ''}"
    return [(r[0], r[1]) for r in session._c.execute(sql, params)]  # noqa: SLF001


def _tier_order(session: SearchSession, plan: SearchPlan, found: set[int], after_id: int | None) -> list[int]:
    """The documented relevance order, computed the long way: every score, every match, then the tiers."""
    c = session._c  # noqa: SLF001
    assert plan.match is not None
    scores = {
        r[0]: r[1]
        for r in c.execute(
            "SELECT rowid, bm25(articles_fts) FROM articles_fts WHERE articles_fts MATCH ?", [plan.match]
        )
    }
    matches = sorted(scores, reverse=True)
    floor = after_id or 0
    tier_of: dict[int, int] = {}
    if plan.filters:
        where, params = _conditions(plan.filters, plan.one_copy, after_id)
        accepted = [
            r[0] for r in c.execute(f"SELECT a.id FROM articles a WHERE {' AND '.join(where)}", params)
        ]
        if len(accepted) <= search_sql.SMALL_SET:
            return sorted(found, key=lambda i: (scores[i], i))
        upper = max(accepted)
    else:
        upper = c.execute("SELECT MAX(rowid) FROM articles_fts").fetchone()[0]  # the newest article
    tier = 0
    while upper > floor:
        boundary = max(floor, upper - search_sql.RECENT_WINDOW * 2**tier)
        below = [m for m in matches if m <= upper]
        nth = search_sql.TIER_MATCHES * 2**tier
        if len(below) >= nth:
            boundary = max(boundary, below[nth - 1] - 1)
        for i in found:
            if boundary < i <= upper:
                tier_of[i] = tier
        upper = boundary
        tier += 1
    return sorted(found, key=lambda i: (tier_of[i], scores[i], i))


@pytest.mark.parametrize("text", QUERIES)
def test_fast_paths_find_what_plain_fts5_finds(store: Store, text: str) -> None:
    with store.index.session(10) as session:
        plain = _plain_plan(session, text)
        expanded = _expanded_plan(session, text)
        articles = _articles(session, plain)
        assert sorted(_articles(session, expanded)) == sorted(articles)  # expansion: the same set
        found = {i for i, _ in articles}
        if expanded.match is not None and expanded.by_rank:
            expected = _tier_order(session, expanded, found, None)
        else:
            expected = [i for i, _ in sorted(articles, key=lambda r: (r[1], r[0]), reverse=True)]
    hits = search_hits(store, text, limit=10_000, now=NOW)
    assert [h.row.id for h in hits] == expected
    assert count(store, text, now=NOW) == len(found)
    # Pages are slices of the whole order, wherever they fall among the tiers and chunks.
    for offset in (0, 3, 17, 40, 61):
        page = search_hits(store, text, limit=9, offset=offset, now=NOW)
        assert [h.row.id for h in page] == expected[offset : offset + 9]


@pytest.mark.parametrize("text", ["commune", "écol* budget", "is:unread commune", "commune sort:date"])
def test_after_id_keeps_the_same_order_below_it(store: Store, text: str) -> None:
    with store.index.session(10) as session:
        plan = _expanded_plan(session, text)
        middle = sorted(i for i, _ in _articles(session, plan))[len(_articles(session, plan)) // 2]
        articles = _articles(session, plan, after_id=middle)
        found = {i for i, _ in articles}
        if plan.by_rank:
            expected = _tier_order(session, plan, found, middle)
        else:
            expected = [i for i, _ in sorted(articles, key=lambda r: (r[1], r[0]), reverse=True)]
    hits = search_hits(store, text, limit=10_000, now=NOW, after_id=middle)
    assert [h.row.id for h in hits] == expected
    assert count(store, text, after_id=middle, now=NOW) == len(found)


@pytest.mark.parametrize(
    ("text", "stems"),
    [
        ("écol*", ["ecol"]),
        ("municip* budget", ["municip", "budget"]),
        ('"conseil munic"*', ["conseil", "munic"]),
    ],
)
def test_highlights_of_an_expanded_prefix_mark_what_the_prefix_marks(
    store: Store, text: str, stems: list[str]
) -> None:
    """Titles are marked alike. The snippet marks only words of the prefix, but may show another passage:
    FTS5's snippet() prefers the passage with the most different words, and each word of the expansion counts
    as one (docs: core/storage/search_sql.py)."""
    fast = search_hits(store, text, limit=30, now=NOW)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SearchSession, "prefix_words", lambda self, text: None)
        plain = {h.row.id: h for h in search_hits(store, text, limit=10_000, now=NOW)}
    assert fast
    for hit in fast:
        assert (hit.title, hit.title_spans) == (plain[hit.row.id].title, plain[hit.row.id].title_spans)
        for start, end in hit.snippet_spans:
            assert any(fold(hit.snippet[start:end]).startswith(stem) for stem in stems)


def test_long_prefixes_are_expanded_and_short_or_wide_ones_are_not(store: Store) -> None:
    with store.index.session(10) as session:
        assert session.prefix_words("co") is None  # FTS5's prefix index of 2
        assert session.prefix_words("écol") == ([], ["ecole", "ecoles", "ecologie", "ecologique"])
        assert session.prefix_words("conseil munic") == (
            ["conseil"],
            ["municipal", "municipale", "municipalite", "municipaux"],
        )
        assert session.prefix_words("commu") is None  # more words than MAX_EXPANSION (4 here)
        assert session.prefix_words("zzzz") is None
