"""Filters (kill-files) on a real 20,000-article SQLite cache (``support/big_cache.py``): what each action
does to the lists, their counts, the flags and the search; the watermark that makes a filter meet only the
articles that arrive after it; a query refused as the search refuses it, at the same position; what the
reader is told about an article a filter hid or marked."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.big_cache import BigCache, entry, fill_cache
from support.french import typo

from gazette_tui.core import render
from gazette_tui.core.search import filters
from gazette_tui.core.search.filters import FilterError
from gazette_tui.core.search.search import search_hits
from gazette_tui.core.storage.store import ArticleFilter, FeedUpdate, Store
from gazette_tui.errors import NotFoundError, QueryError
from gazette_tui.models import ParsedFeed


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BigCache]:
    """The 20k cache, built once for the module (about a second) and copied for each test."""
    path = tmp_path_factory.mktemp("big") / "gazette.db"
    with Store(path) as store:
        big = fill_cache(store)
        store.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path, big


@pytest.fixture
def cache(template: tuple[Path, BigCache], tmp_path: Path) -> Iterator[tuple[Store, BigCache]]:
    source, big = template
    copy = tmp_path / "gazette.db"
    shutil.copyfile(source, copy)
    with Store(copy) as store:
        yield store, big


def sponsored_ids(store: Store) -> set[int]:
    """Every copy of the sponsored articles, as the search finds them (search does not hide them)."""
    found = search_hits(store, "tag:partenaire feed:flux", limit=100_000)
    return {hit.row.id for hit in found}


def test_hide_takes_articles_out_of_the_lists_and_counts_but_not_out_of_search(
    cache: tuple[Store, BigCache],
) -> None:
    store, big = cache
    hidden = sponsored_ids(store)
    assert len(hidden) == big.sponsored() + big.copies  # every copy of a sponsored article is in a feed
    filters.add_filter(store, "Publicité", "publi-reportage", "hide")
    applied = filters.apply_filter(store, "publicité")  # names are found whatever their case
    assert applied.matched == big.sponsored()  # an article in two feeds counts once, as search counts it
    assert applied.changed == big.sponsored()
    assert filters.apply_filter(store, "Publicité").changed == 0  # applied again: nothing new

    shown = big.articles - big.sponsored()
    assert store.counts()["all"] == shown
    assert store.counts()["unread"] == shown
    listed = store.article_ids()
    assert len(listed) == shown
    assert not hidden & set(listed)
    assert not hidden & set(store.article_ids(ArticleFilter(unread=True)))
    # Each feed's list and count, and a rubrique's: feed 0 and feed 2 carry sponsored articles, the last
    # feed carries copies of feed 0's, all of them sponsored.
    per_feed = {feed.url: feed.articles for feed in store.feeds()}
    assert per_feed == dict(zip(big.feed_urls, [4_000, 5_000, 4_000, 5_000], strict=True))
    assert len(store.article_ids(ArticleFilter(feed_id=big.feed_ids[-1]))) == 5_000
    assert len(store.article_ids(ArticleFilter(rubrique="Finances"))) == 4_000
    # Still found by a search, and still in « Favoris » when starred by hand.
    assert len(search_hits(store, "publi-reportage", limit=100_000)) == big.sponsored()
    some = min(hidden)
    store.set_starred(some, True)
    assert some in store.article_ids(ArticleFilter(starred=True))

    # Nor in « Ma Gazette »: its rubriques' and tags' newest articles leave them out too.
    newest = store.themes.in_rubriques(["Finances"], 0, 50)["Finances"]
    assert len(newest) == 50
    assert not hidden & set(newest)
    assert not hidden & set(store.themes.with_tags(["Voirie"], 0, 50)["Voirie"])

    removed = filters.remove_filter(store, "PUBLICITÉ")
    assert removed.marks == big.sponsored() + big.copies
    assert store.counts()["all"] == big.articles
    assert filters.list_filters(store) == []


def test_read_for_one_feed_marks_only_that_feeds_articles(cache: tuple[Store, BigCache]) -> None:
    store, big = cache
    filters.add_filter(store, "Budgets lus", "budget", "read", feed_url=big.feed_urls[1])
    applied = filters.apply_filter(store, "Budgets lus")
    # Budget is topic 1 (n % 5 == 1), feed 1 holds n % 4 == 1: n % 20 == 1.
    assert applied.matched == applied.changed == big.articles // 20
    assert store.counts()["unread"] == big.articles - big.articles // 20
    unread = {feed.url: feed.unread for feed in store.feeds()}
    assert unread[big.feed_urls[1]] == 5_000 - big.articles // 20
    assert unread[big.feed_urls[0]] == 5_000
    [listed] = filters.list_filters(store)
    assert (listed.action, listed.feed_url, listed.feed_title, listed.marks) == (
        "read",
        big.feed_urls[1],
        "Flux 1",
        big.articles // 20,
    )


def test_star_reaches_the_copies_in_other_feeds(cache: tuple[Store, BigCache]) -> None:
    store, big = cache
    filters.add_filter(store, "Partenaires", "tag:partenaire", "star", feed_url=big.feed_urls[0])
    applied = filters.apply_filter(store, "Partenaires")
    assert applied.matched == applied.changed == big.articles // 20  # feed 0's sponsored ones: n % 20 == 0
    assert store.counts()["starred"] == big.articles // 20
    # Their copies in the last feed were not matched (another feed) but share the flag, as by hand.
    assert len(store.article_ids(ArticleFilter(feed_id=big.feed_ids[-1], starred=True))) == big.copies
    assert filters.list_filters(store)[0].marks == big.articles // 20


def test_a_filter_meets_only_the_articles_that_arrive_after_it(cache: tuple[Store, BigCache]) -> None:
    store, big = cache
    filters.add_filter(store, "Voirie", "voirie", "hide")
    assert filters.apply_new(store).applied == {}  # what was cached is not new to it
    assert store.counts()["all"] == big.articles

    arriving = [entry(n) for n in range(big.articles, big.articles + 100)]
    store.record_batch([FeedUpdate(big.feed_ids[1], ParsedFeed("rss", "Flux 1", "", arriving))])
    report = filters.apply_new(store)
    assert set(report.applied) == {"Voirie"}
    assert report.applied["Voirie"].matched == 20  # topic 0: one in five
    assert report.actions == {"Voirie": "hide"}
    assert store.counts()["all"] == big.articles + 100 - 20
    assert filters.apply_new(store).applied == {}  # met once: the watermark moved past them
    low, high = store.filters.pending()
    assert low == high
    store.filters.advance(low - 50)  # never moves down (a slower refresh finishing late)
    assert store.filters.pending() == (low, high)


def test_a_filter_that_no_longer_runs_is_said_and_the_others_still_run(cache: tuple[Store, BigCache]) -> None:
    store, big = cache
    filters.add_filter(store, "Flux 2 masqué", 'feed:"Flux 2"', "hide")
    filters.add_filter(store, "Écoles lues", "école", "read")
    store.remove_feed(big.feed_urls[2])
    listed = {item.name: item.error for item in filters.list_filters(store)}
    assert listed["Écoles lues"] is None
    assert listed["Flux 2 masqué"] == typo("Aucun flux ne correspond à « Flux 2 ».")
    store.record_batch([FeedUpdate(big.feed_ids[1], ParsedFeed("rss", "Flux 1", "", [entry(20_002)]))])
    report = filters.apply_new(store)
    assert set(report.errors) == {"Flux 2 masqué"}
    assert report.applied["Écoles lues"].changed == 1  # n = 20 002 is about the schools (topic 2)


def test_a_filter_of_one_feed_goes_with_the_feed(cache: tuple[Store, BigCache]) -> None:
    store, big = cache
    filters.add_filter(store, "Eau", "eau", "hide", feed_url=big.feed_urls[3])
    store.remove_feed(big.feed_urls[3])
    assert filters.list_filters(store) == []


@pytest.mark.parametrize(
    ("query", "code", "position"),
    [
        ("budget (école", "query.unclosed_paren", 7),
        ('voirie "publi', "query.unclosed_quote", 7),
        ("budget OR", "query.keyword_needs_term", 7),
        ("feed:inconnu budget", "search.no_feed", 0),
        ("budget date:2025-13-01", "query.bad_month", 12),
    ],
)
def test_a_bad_query_is_refused_as_the_search_refuses_it(
    cache: tuple[Store, BigCache], query: str, code: str, position: int
) -> None:
    store, _big = cache
    with pytest.raises(QueryError) as searched:
        search_hits(store, query)
    with pytest.raises(QueryError) as refused:
        filters.add_filter(store, "Essai", query, "hide")
    assert (refused.value.code, refused.value.position) == (code, position)
    assert (searched.value.code, searched.value.position) == (code, position)
    assert str(refused.value) == str(searched.value)
    assert filters.list_filters(store) == []


def test_names_actions_and_feeds_are_checked(cache: tuple[Store, BigCache]) -> None:
    store, _big = cache
    with pytest.raises(FilterError) as error:
        filters.add_filter(store, "  ", "budget", "hide")
    assert error.value.code == "filter.no_name"
    with pytest.raises(FilterError) as error:
        filters.add_filter(store, "Vide", "   ", "hide")
    assert error.value.code == "filter.empty_query"
    with pytest.raises(FilterError) as error:
        filters.add_filter(store, "Masquer", "budget", "masquer")
    assert error.value.code == "filter.bad_action"
    assert "hide, read, star" in str(error.value)
    with pytest.raises(FilterError) as error:
        filters.add_filter(store, "x" * 81, "budget", "hide")
    assert error.value.code == "filter.name_too_long"
    with pytest.raises(NotFoundError) as missing:
        filters.add_filter(store, "Ailleurs", "budget", "hide", feed_url="https://ailleurs.test/feed/")
    assert missing.value.code == "store.not_subscribed"
    filters.add_filter(store, "Écoles", "école", "read")
    with pytest.raises(FilterError) as error:
        filters.add_filter(store, "ÉCOLES", "budget", "hide")  # any case, accents too
    assert error.value.code == "filter.name_taken"
    with pytest.raises(NotFoundError) as missing:
        filters.remove_filter(store, "Inconnu")
    assert missing.value.code == "filter.not_found"
    assert str(missing.value) == typo("Aucun filtre ne s'appelle « Inconnu ».")
    with pytest.raises(NotFoundError):
        filters.apply_filter(store, "Inconnu")
    # The query is kept as one clean line: what ``filters list`` prints is inert.
    saved = filters.add_filter(store, "Nettoyé", "budget\x1b[31m voirie", "star")
    assert saved.query == "budget[31m voirie"


def test_a_filter_past_the_time_budget_writes_nothing(
    cache: tuple[Store, BigCache], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, _big = cache
    filters.add_filter(store, "Tout", "commune OR conseil OR écoles OR réseau OR PLU", "read")
    monkeypatch.setattr(filters, "TIME_BUDGET_S", 0.0)
    with pytest.raises(QueryError) as error:
        filters.apply_filter(store, "Tout")
    assert error.value.code == "search.too_slow"
    assert store.counts()["unread"] == _big.articles
    assert filters.list_filters(store)[0].marks == 0


def test_the_reader_says_why_an_article_was_hidden_or_marked(cache: tuple[Store, BigCache]) -> None:
    store, big = cache
    # n = 0 (the first id): sponsored, about roads, in feed 0, and copied into the last feed (after all).
    original = min(store.article_ids(ArticleFilter(feed_id=big.feed_ids[0])))
    copy = min(i for i in store.article_ids(ArticleFilter(feed_id=big.feed_ids[-1])) if i > big.articles)
    assert store.article(copy).url == store.article(original).url
    filters.add_filter(store, "Publicité", "publi-reportage", "hide")
    filters.add_filter(store, "Voirie lue", "voirie", "read", feed_url=big.feed_urls[0])
    filters.add_filter(store, "Partenaires", "tag:partenaire", "star", feed_url=big.feed_urls[0])
    for name in ("Publicité", "Voirie lue", "Partenaires"):
        filters.apply_filter(store, name)
    article = store.article(original)
    assert [(mark.name, mark.action) for mark in article.filtered] == [
        ("Publicité", "hide"),
        ("Voirie lue", "read"),
        ("Partenaires", "star"),
    ]
    shown = render.render_article(article, "fr")
    assert shown.filters == [
        typo("Masqué par le filtre « Publicité »"),
        typo("Marqué comme lu par le filtre « Voirie lue »"),
        typo("Mis en favori par le filtre « Partenaires »"),
    ]
    assert typo("Masqué par le filtre « Publicité »") in render.article_as_text(article, "fr")
    assert render.render_article(article, "en").filters[0] == "Hidden by the filter “Publicité”"
    # The copy in the last feed was hidden there too (it matched), and shares the flags of feed 0's.
    assert [(m.name, m.action) for m in store.article(copy).filtered] == [
        ("Publicité", "hide"),
        ("Voirie lue", "read"),
        ("Partenaires", "star"),
    ]
    # Marked unread by hand: the reader no longer says a filter marked it read.
    store.set_read([original], False)
    assert [m.action for m in store.article(original).filtered if m.action == "read"] == ["read"]
    assert "Marqué comme lu" not in " ".join(render.render_article(store.article(original), "fr").filters)
    # An export says nothing of filters: they are the reader's business, not the dossier's.
    assert render.render_for_export(store.article(original), "fr").filters == []
