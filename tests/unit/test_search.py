"""Search over a real SQLite cache: every operator against a handful of synthetic articles, highlight spans
as data, and a property test that no query string can make SQLite fail."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gazette_tui.core.feeds.parse import build_entry
from gazette_tui.core.library import dossiers
from gazette_tui.core.search.query import parse
from gazette_tui.core.search.search import MARK_CLOSE, MARK_OPEN, SearchHit, count, search, search_hits
from gazette_tui.core.storage.store import Store
from gazette_tui.errors import QueryError
from gazette_tui.models import ParsedFeed

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2024, 3, 15, 12, 0, tzinfo=PARIS)


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> int:
    return int(datetime(year, month, day, hour, minute, tzinfo=PARIS).timestamp())


# key: (feed, title, author, categories, body, published)
ARTICLES = {
    "democratie": (
        "finances",
        "La démocratie participative progresse dans les communes",
        "Marie Dupont",
        ["Démocratie locale", "Citoyenneté"],
        "Les élus locaux ouvrent un budget participatif aux habitants de chaque quartier.",
        at(2024, 3, 14, 10),
    ),
    "budget": (
        "finances",
        "Budget 2024 : les régions serrent les dépenses",
        "Jean Lefèvre",
        ["Finances locales"],
        "Le budget primitif des régions baisse ; la réforme des dotations pèse sur les finances régionales.",
        at(2024, 2, 1, 9),
    ),
    "reforme": (
        "finances",
        "Réforme de la fonction publique territoriale",
        "Hélène Martin",
        ["Ressources humaines"],
        "Recrutement, rémunération et formation des agents : ce que change le décret.",
        at(2024, 1, 31, 23, 30),
    ),
    "voirie": (
        "techni",
        "Voirie : l'entretien des routes communales",
        "Paul Écuyer",
        ["Voirie", "Urbanisme"],
        "Article réservé aux abonnés. Les communes rurales consacrent une part croissante du budget "
        "à la voirie.",
        at(2023, 12, 20),
    ),
    "piscines": (
        "techni",
        "Piscines municipales et transition énergétique",
        "Sophie Garnier",
        ["Énergie"],
        "Le label Near Zero Energy séduit les élus ; la démocratie locale débat du coût de l'énergie.",
        at(2024, 3, 10),
    ),
    "zan": (
        "techni",
        'Le "zéro artificialisation nette" en débat',
        "Luc Moreau",
        ["Urbanisme"],
        "Les maires demandent des marges pour appliquer le ZAN ; l'urbanisme des petites villes est en jeu.",
        at(2024, 2, 20),
    ),
}

FEEDS = {
    "finances": ("https://exemple.test/rubriques/club-finances/feed/", "Club Finances", "Finances"),
    "techni": ("https://exemple.test/rubriques/club-techni/feed/", "Club Techni.Cités", "Technique"),
}


def build_corpus(path: Path) -> tuple[Store, dict[str, int]]:
    store = Store(path)
    for feed_key, (url, title, rubrique) in FEEDS.items():
        feed = store.add_feed(url, title=title, rubrique=rubrique)
        entries = [
            build_entry(
                guid=key,
                link=f"https://exemple.test/{key}/",
                title=title,
                author=author,
                published=published,
                updated=None,
                categories=categories,
                summary=f"<p>{body}</p>",
                content="",
            )
            for key, (feed_of, title, author, categories, body, published) in ARTICLES.items()
            if feed_of == feed_key
        ]
        store.record_success(feed.id, ParsedFeed("rss", title, "", entries), when=at(2024, 3, 15, 8))
    with store.reading() as c:
        ids = {
            key: int(row[0])
            for key in ARTICLES
            for row in c.execute("SELECT id FROM articles WHERE key = ?", (key,))
        }
    store.set_read([ids["budget"], ids["reforme"], ids["zan"]])
    store.set_starred(ids["piscines"], True)
    veille = dossiers.create(store, "Veille RH")
    dossiers.add_article(store, veille.id, ids["reforme"])
    return store, ids


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, dict[str, int]]]:
    store, ids = build_corpus(tmp_path_factory.mktemp("search") / "gazette.db")
    yield store, ids
    store.close()


def found(corpus: tuple[Store, dict[str, int]], query: str, **options: object) -> list[str]:
    """Keys of the articles a query finds, in result order."""
    store, ids = corpus
    names = {v: k for k, v in ids.items()}
    return [names[hit.row.id] for hit in search_hits(store, query, now=NOW, **options)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # words are ANDed, accent- and case-insensitive
        ("budget communes", {"democratie", "voirie"}),
        ("budget rurales", {"voirie"}),
        ("democratie participative", {"democratie"}),
        ("DÉMOCRATIE", {"democratie", "piscines"}),
        ("elus", {"democratie", "piscines"}),
        ("reforme", {"budget", "reforme"}),
        # exact phrase
        ('"démocratie participative"', {"democratie"}),
        ('"participative démocratie"', set()),
        ('"democratie locale"', {"democratie", "piscines"}),
        # OR, French OU, grouping; OR binds tighter than the implicit AND
        ("voirie OR piscines", {"voirie", "piscines"}),
        ("voirie OU piscines", {"voirie", "piscines"}),
        ("budget voirie OR régions", {"voirie", "budget"}),
        ("(budget OR énergie) élus", {"democratie", "piscines"}),
        # exclusion
        ("budget -voirie", {"democratie", "budget"}),
        ("budget NOT voirie", {"democratie", "budget"}),
        ('élus -"démocratie participative"', {"piscines"}),
        ("-budget", {"reforme", "piscines", "zan"}),
        ("budget OR -élus", {"democratie", "budget", "reforme", "voirie", "zan"}),
        # prefix
        ("réfo*", {"budget", "reforme"}),
        ("rémun*", {"reforme"}),
        ('"finances rég"*', {"budget"}),
        # fields
        ('feed:"club finances"', {"democratie", "budget", "reforme"}),
        ("feed:techni", {"voirie", "piscines", "zan"}),
        ("flux:club-techni", {"voirie", "piscines", "zan"}),
        ("rubrique:technique", {"voirie", "piscines", "zan"}),
        ("rubrique:urbanisme", {"voirie", "zan"}),
        ("rubrique:finances", {"democratie", "budget", "reforme"}),
        ("tag:urbanisme", {"voirie", "zan"}),
        ('tag:"finances locales"', {"budget"}),
        ("tag:energie", {"piscines"}),
        ("author:ecuyer", {"voirie"}),
        ("auteur:dup*", {"democratie"}),
        ('author:"marie dupont"', {"democratie"}),
        ("-author:ecuyer feed:techni", {"piscines", "zan"}),
        ("in:veille-rh", {"reforme"}),
        ('dans:"VEILLE rh"', {"reforme"}),
        ("is:unread", {"democratie", "voirie", "piscines"}),
        ("is:read", {"budget", "reforme", "zan"}),
        ("-is:read", {"democratie", "voirie", "piscines"}),
        ("is:starred", {"piscines"}),
        ("is:favori", {"piscines"}),
        ("is:reserved", {"voirie"}),
        # mixed filters and words
        ("budget is:unread", {"democratie", "voirie"}),
        ("budget feed:techni", {"voirie"}),
        ("budget OR feed:techni", {"democratie", "budget", "voirie", "piscines", "zan"}),
        ("élus OR is:starred", {"democratie", "piscines"}),
        # FTS syntax typed literally is searched as words (or ignored when it is only punctuation)
        ("near zero", {"piscines"}),
        ("NEAR(energy zero)", {"piscines"}),
        ("budget ^ :", {"democratie", "budget", "voirie"}),
        ('"zéro artificialisation"', {"zan"}),
        ("budget 😀", {"democratie", "budget", "voirie"}),
        ("budget\x00\x07", {"democratie", "budget", "voirie"}),
        ("budget\x1b[31m", set()),  # the escape is dropped; "[31m" stays a literal word
        ("AND budget", None),
        ("sort:date", set(ARTICLES)),
    ],
)
def test_operators(corpus: tuple[Store, dict[str, int]], query: str, expected: set[str] | None) -> None:
    if expected is None:
        with pytest.raises(QueryError):
            found(corpus, query)
    else:
        assert set(found(corpus, query)) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("after:2024-02-01", {"democratie", "budget", "piscines", "zan"}),
        ("après:01/02/2024", {"democratie", "budget", "piscines", "zan"}),
        ("before:2024-02-01", {"reforme", "voirie"}),
        ("on:2024-01-31", {"reforme"}),  # 23:30 in Paris is still the 31st there
        ("on:2024-02", {"budget", "zan"}),
        ("on:2023", {"voirie"}),
        ("after:2024-01 before:2024-03", {"reforme", "budget", "zan"}),
        ("after:7d", {"democratie", "piscines"}),
        ("after:7j", {"democratie", "piscines"}),
        ("after:1w", {"democratie", "piscines"}),
        ("after:4w", {"democratie", "piscines", "zan"}),
        ("after:1m", {"democratie", "piscines", "zan"}),  # since 2024-02-15 12:00
        ("after:2m", set(ARTICLES) - {"voirie"}),
        ("after:3m", set(ARTICLES)),
        ("before:1y", set()),
        ("after:1y", set(ARTICLES)),
        ("on:yesterday", {"democratie"}),
        ("on:hier", {"democratie"}),
        ("on:today", set()),
        ("on:5d", {"piscines"}),
        ("after:12h", set()),
        ("budget after:2024-02-01", {"democratie", "budget"}),
        ("-after:2024-02-01", {"reforme", "voirie"}),
    ],
)
def test_dates(corpus: tuple[Store, dict[str, int]], query: str, expected: set[str]) -> None:
    assert set(found(corpus, query)) == expected


def test_relative_dates_follow_now(corpus: tuple[Store, dict[str, int]]) -> None:
    later = datetime(2024, 3, 25, 12, 0, tzinfo=PARIS)
    store, ids = corpus
    assert [h.row.id for h in search_hits(store, "after:7d", now=later)] == []
    assert {h.row.id for h in search_hits(store, "after:15d", now=later)} == {
        ids["democratie"],
        ids["piscines"],
    }


def test_sort_orders(corpus: tuple[Store, dict[str, int]]) -> None:
    by_date = found(corpus, "budget sort:date")
    assert by_date == ["democratie", "budget", "voirie"]
    assert found(corpus, "is:unread") == ["democratie", "piscines", "voirie"]  # filters only: newest first
    ranked = search_hits(corpus[0], "budget", now=NOW)
    assert all(hit.score is not None for hit in ranked)
    assert [h.score for h in ranked] == sorted(h.score for h in ranked if h.score is not None)
    # "budget" in the title and twice in the body outranks one mention in a long body
    assert ranked[0].row.id == corpus[1]["budget"]
    assert found(corpus, "budget sort:relevance") == [corpus_key(corpus, h) for h in ranked]
    assert found(corpus, "budget tri:pertinence") == [corpus_key(corpus, h) for h in ranked]


def test_relevance_with_filter_keeps_rank_order(corpus: tuple[Store, dict[str, int]]) -> None:
    everything = found(corpus, "budget")
    filtered = found(corpus, "budget is:unread")
    assert filtered == [key for key in everything if key in {"democratie", "voirie"}]
    scores = [h.score for h in search_hits(corpus[0], "budget is:unread", now=NOW)]
    assert scores == sorted(s for s in scores if s is not None)


def corpus_key(corpus: tuple[Store, dict[str, int]], hit: SearchHit) -> str:
    return next(k for k, v in corpus[1].items() if v == hit.row.id)


def test_limit_offset_and_count(corpus: tuple[Store, dict[str, int]]) -> None:
    store, _ = corpus
    everything = found(corpus, "sort:date")
    assert found(corpus, "sort:date", limit=2) == everything[:2]
    assert found(corpus, "sort:date", limit=2, offset=2) == everything[2:4]
    ranked = found(corpus, "budget OR élus")
    assert found(corpus, "budget OR élus", limit=2, offset=1) == ranked[1:3]
    assert found(corpus, "budget is:unread", limit=1, offset=1) == found(corpus, "budget is:unread")[1:2]
    assert count(store, "budget", now=NOW) == 3
    assert count(store, "is:unread budget", now=NOW) == 2
    assert count(store, "budget", after_id=max(corpus[1].values()), now=NOW) == 0
    assert search_hits(store, "", now=NOW) == []
    assert search_hits(store, "   ", now=NOW) == []


def test_highlight_spans_are_data(corpus: tuple[Store, dict[str, int]]) -> None:
    store, ids = corpus
    [hit] = search_hits(store, "democratie participative", now=NOW)
    assert hit.row.id == ids["democratie"]
    assert [hit.title[s:e] for s, e in hit.title_spans] == ["démocratie", "participative"]
    assert [hit.snippet[s:e] for s, e in hit.snippet_spans] == ["participatif"] or hit.snippet_spans == []
    hits = {h.row.id: h for h in search_hits(store, "elus", now=NOW)}
    piscines = hits[ids["piscines"]]
    assert [piscines.snippet[s:e] for s, e in piscines.snippet_spans] == ["élus"]
    assert piscines.row.snippet == piscines.snippet
    for h in hits.values():
        for text in (h.title, h.snippet, h.row.snippet):
            assert MARK_OPEN not in text
            assert MARK_CLOSE not in text
            assert "[" not in text
    [prefix_hit] = search_hits(store, "rémun*", now=NOW)
    assert [prefix_hit.snippet[s:e] for s, e in prefix_hit.snippet_spans] == ["rémunération"]


def test_filters_only_give_a_plain_snippet(corpus: tuple[Store, dict[str, int]]) -> None:
    store, _ids = corpus
    [hit] = search_hits(store, "is:starred", now=NOW)
    assert hit.snippet.startswith("Le label Near Zero Energy")
    assert hit.title_spans == []
    assert hit.snippet_spans == []
    [author_only] = search_hits(store, "author:ecuyer", now=NOW)
    assert author_only.snippet_spans == []
    assert author_only.title == "Voirie : l'entretien des routes communales"


def test_search_returns_rows_for_the_cli(corpus: tuple[Store, dict[str, int]]) -> None:
    store, ids = corpus
    rows = search(store, "voirie", now=NOW)
    assert [r.id for r in rows] == [ids["voirie"]]
    assert rows[0].feed_title == "Club Techni.Cités"
    assert rows[0].author == "Paul Écuyer"
    assert "voirie" in rows[0].snippet
    assert MARK_OPEN not in rows[0].snippet


@pytest.mark.parametrize(
    ("query", "position", "words"),
    [
        ("feed:inconnu", 0, "Aucun flux"),
        ("budget in:nulle-part", 7, "Aucun dossier"),
    ],
)
def test_unknown_names_are_query_errors(
    corpus: tuple[Store, dict[str, int]], query: str, position: int, words: str
) -> None:
    with pytest.raises(QueryError) as error:
        search_hits(corpus[0], query, now=NOW)
    assert error.value.position == position
    assert words in str(error.value)


def test_accepts_a_parsed_query(corpus: tuple[Store, dict[str, int]]) -> None:
    parsed = parse("voirie")
    assert [h.row.id for h in search_hits(corpus[0], parsed, now=NOW)] == [corpus[1]["voirie"]]


# --- property: any string parses or raises QueryError, and any valid query runs -----------------------------

PIECES = [
    "budget", "élus", "démocratie", "ré*", "a*", "*", "-", "--x", "-(", "(", ")", '"', '"élus locaux"', "OR",
    "OU", "AND", "NOT", "NEAR", "NEAR(", "^", ":", "feed:", "feed:club", 'feed:"club', "rubrique:urbanisme",
    "tag:", "tag:énergie", "author:dup*", "in:veille", "is:unread", "is:x", "after:7d", "after:2024-13-45",
    "before:2024-02-01", "on:2024", "sort:date", "sort:x", "tri:pertinence", "😀", "\x00", "\x1b", "\ud800",
    "'", "l'état", "{title}", "title:x", "x:y", "12:30", '""', "*budget", "bud*get", "€", "\u202e",
]  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.one_of(
        st.lists(st.sampled_from(PIECES), max_size=8).map(" ".join),
        st.lists(st.sampled_from(PIECES), max_size=8).map("".join),
        st.text(max_size=40),
    )
)
def test_any_query_parses_or_fails_cleanly(corpus: tuple[Store, dict[str, int]], text: str) -> None:
    try:
        query = parse(text)
    except QueryError as error:  # one of the two allowed outcomes of this property
        assert str(error)  # noqa: PT017
        assert 0 <= error.position <= len(text)  # noqa: PT017
        return
    try:
        hits = search_hits(corpus[0], query, now=NOW, limit=10)
    except QueryError as error:  # names that resolve to no feed/dossier
        assert "Aucun" in str(error)  # noqa: PT017
        return
    for hit in hits:
        assert MARK_OPEN not in hit.snippet
        assert MARK_CLOSE not in hit.title
        assert all(0 <= s < e <= len(hit.snippet) for s, e in hit.snippet_spans)


def test_words_only_relevance_ranks_recent_articles_first_and_pages_consistently(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from support.feeds import item_xml, rss

    from gazette_tui.core.feeds.parse import parse_feed
    from gazette_tui.core.search import search as search_module
    from gazette_tui.core.storage import search_sql

    feed = store.add_feed("https://exemple.test/feed/")
    bodies = [f"<p>{'budget ' * (1 + i % 4)} commune {i}</p>" for i in range(12)]
    store.record_success(feed.id, parse_feed(rss([item_xml(i, body=b) for i, b in enumerate(bodies)])))
    everything = [h.row.id for h in search_module.search_hits(store, "budget", limit=50)]
    assert len(everything) == 12
    monkeypatch.setattr(search_sql, "RECENT_WINDOW", 5)
    newest = max(everything)
    tiered = [h.row.id for h in search_module.search_hits(store, "budget", limit=50)]
    assert sorted(tiered) == sorted(everything)
    assert set(tiered[:5]) == {i for i in everything if i > newest - 5}  # the recent tier comes first
    pages = [
        h.row.id
        for n in range(0, 12, 4)
        for h in search_module.search_hits(store, "budget", limit=4, offset=n)
    ]
    assert pages == tiered  # page by page, nothing repeated or skipped across the tier boundary
