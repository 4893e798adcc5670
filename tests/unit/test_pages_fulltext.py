"""Full text for any feed: with a feed's ``fulltext`` on, the refresh fetches the pages of its new
excerpt-only items from a real site on 127.0.0.1, extracts and stores them (searchable, readable once the
site is gone), never fetches a page twice, keeps the excerpt and says why when a page fails, stays under its
per-host cap and its budget, and follows the rule for this machine's addresses."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from support.french import typo
from support.pages import NewsSite, Page, article_words

from gazette_tui.core.cycle import PageDone, PagesDone, run_cycle
from gazette_tui.core.feeds import feed_settings
from gazette_tui.core.feeds.pages import PAGE_PER_HOST, PageOutcome, fetch_pages, page_address
from gazette_tui.core.feeds.parse import build_entry
from gazette_tui.core.render import render_article
from gazette_tui.core.search.search import search
from gazette_tui.core.settings import Settings
from gazette_tui.core.storage.store import ArticleFilter, Store
from gazette_tui.errors import Message
from gazette_tui.models import ParsedFeed


@pytest.fixture
def site() -> Iterator[NewsSite]:
    with NewsSite(count=5) as server:
        yield server


def subscribe(store: Store, site: NewsSite, *, fulltext: bool = True, rubrique: str = "") -> int:
    feed = store.add_feed(site.feed_url, "Le Courrier des communes", rubrique)
    if fulltext:
        feed_settings.set_feed(store, site.feed_url, "fulltext", "on")
    return feed.id


def ids_by_number(store: Store) -> dict[int, int]:
    """Article number on the site → cached article id."""
    found = {}
    for article_id in store.article_ids():
        url = store.article(article_id).url
        found[int(url.rstrip("/").rsplit("/", 1)[1])] = article_id
    return found


def stored_problem(store: Store, article_id: int) -> Message:
    stored = store.pages.error(article_id)
    assert stored
    found = Message.loads(stored)
    assert found is not None
    return found


async def test_new_excerpt_items_are_fetched_once_and_never_again(
    store: Store, settings: Settings, site: NewsSite
) -> None:
    subscribe(store, site)
    events: list[object] = []
    first = await run_cycle(store, settings, on_event=events.append)
    assert first.refresh.new == 5
    assert first.pages is not None
    assert (first.pages.fetched, first.pages.failed, first.pages.skipped) == (5, 0, 0)
    assert site.page_hits() == 5
    ids = ids_by_number(store)
    for number, article_id in ids.items():
        article = store.article(article_id)
        assert article_words(number) in article.fulltext_html
        assert "commentaires" not in article.fulltext_html  # the page's comments, menu and footer stay out
        assert "mentions légales" not in article.fulltext_html
        assert "<script" not in article.fulltext_html
        assert store.pages.error(article_id) == ""
    # Progress: one event per page, counted up to the total, then the end of the pass.
    done = [e.outcome for e in events if isinstance(e, PageDone)]
    assert [(o.done, o.total) for o in done] == [(n, 5) for n in range(1, 6)]
    assert all(isinstance(o, PageOutcome) and o.ok for o in done)
    assert sum(isinstance(e, PagesDone) for e in events) == 1
    assert json.loads(json.dumps(first.as_json()))["pages"]["fetched"] == 5

    second = await run_cycle(store, settings)
    assert second.pages is not None
    assert (second.pages.fetched, second.pages.failed) == (0, 0)
    assert site.page_hits() == 5  # never fetched twice
    assert max(site.stats.hits[site.article_path(n)] for n in range(5)) == 1


async def test_only_feeds_that_ask_get_their_pages(store: Store, settings: Settings, site: NewsSite) -> None:
    subscribe(store, site, fulltext=False, rubrique="Finances")
    report = await run_cycle(store, settings)
    assert report.refresh.new == 5
    assert report.pages is not None
    assert report.pages.fetched == 0
    assert site.page_hits() == 0
    # A rubrique's setting reaches its feeds.
    feed_settings.set_rubrique(store, "Finances", "fulltext", "on")
    report = await run_cycle(store, settings)
    assert report.pages is not None
    assert report.pages.fetched == 5
    assert site.page_hits() == 5


async def test_items_with_content_or_reserved_are_left_alone(
    store: Store, settings: Settings, site: NewsSite
) -> None:
    feed_id = subscribe(store, site)
    link = site.url(site.article_path(0))
    entries = [
        build_entry(
            guid="plein",
            link=link,
            title="Un article complet dans le flux",
            author="",
            published=None,
            updated=None,
            categories=[],
            summary="<p>Résumé […]</p>",
            content="<p>Le texte entier est déjà dans le flux, paragraphe après paragraphe.</p>",
        ),
        build_entry(
            guid="long",
            link=site.url(site.article_path(1)),
            title="Un résumé qui est l'article",
            author="",
            published=None,
            updated=None,
            categories=[],
            summary="<p>" + "Le conseil communautaire a voté le schéma de mobilité. " * 12 + "</p>",
            content="",
        ),
    ]
    store.record_success(feed_id, ParsedFeed("rss", "Courrier", "", entries))
    report = await fetch_pages(store, settings, budget=10)
    assert (report.fetched, report.failed) == (0, 0)
    assert site.page_hits() == 0


async def test_a_failure_keeps_the_excerpt_and_says_why(
    store: Store, settings: Settings, site: NewsSite
) -> None:
    site.pages[site.article_path(1)] = Page(b"<html><body>introuvable</body></html>", status=404)
    site.pages[site.article_path(2)] = Page(b"%PDF-1.4 rapport", content_type="application/pdf")
    site.pages[site.article_path(3)] = Page(
        b"<html><body><p>Connectez-vous pour lire la suite.</p></body></html>"
    )
    subscribe(store, site)
    report = await run_cycle(store, settings)
    assert report.pages is not None
    assert (report.pages.fetched, report.pages.failed) == (2, 3)
    ids = ids_by_number(store)
    codes = {n: stored_problem(store, ids[n]).code for n in (1, 2, 3)}
    assert codes == {1: "fetch.http_status", 2: "page.not_html", 3: "fulltext.not_found"}
    for number in (1, 2, 3):
        article = store.article(ids[number])
        assert article.fulltext_html == ""
        assert "a délibéré" in article.summary_html  # the excerpt stays
        notice = render_article(article, "fr").notice
        assert typo("Texte intégral non récupéré depuis la page de l'article :") in notice
        assert notice.endswith("(F pour réessayer)")
    assert "HTTP 404" in render_article(store.article(ids[1]), "fr").notice
    assert "application/pdf" in render_article(store.article(ids[2]), "en").notice
    assert (
        "Full text not fetched from the article's page" in render_article(store.article(ids[2]), "en").notice
    )
    # Said once: the next refresh does not ask again.
    await run_cycle(store, settings)
    assert [site.stats.hits[site.article_path(n)] for n in (1, 2, 3)] == [1, 1, 1]


async def test_no_network_is_not_a_failure_of_the_page(store: Store, settings: Settings) -> None:
    """A site that cannot be reached says nothing of the page: the next refresh tries again."""
    with NewsSite(count=2) as site:
        subscribe(store, site)
        settings.refresh.fulltext_pages = 0  # the feed only, this time
        await run_cycle(store, settings)
    settings.refresh.fulltext_pages = 30
    report = await fetch_pages(store, settings)  # the site is gone: connection refused
    assert (report.fetched, report.failed) == (0, 2)
    assert store.pages.count() == 0
    assert report.errors
    assert all(url.startswith("http://127.0.0.1:") for url, _error in report.errors)


async def test_the_per_host_cap_holds(store: Store, settings: Settings) -> None:
    with NewsSite(count=100, delay=0.02) as site:  # each answer held, so that requests overlap
        subscribe(store, site)
        settings.refresh.fulltext_pages = 100
        report = await run_cycle(store, settings)
        assert report.pages is not None
        assert report.pages.fetched == 100
        assert site.stats.most_at_once == PAGE_PER_HOST  # in parallel, never more than the cap
    with NewsSite(count=4, delay=0.1) as site:
        settings.refresh.per_host = 1  # the feeds' own cap, when lower, is the pages' too
        subscribe(store, site)
        await run_cycle(store, settings)
        assert site.page_hits() == 4
        assert site.stats.most_at_once == 1


async def test_the_budget_holds_and_the_rest_waits(store: Store, settings: Settings) -> None:
    with NewsSite(count=10) as site:
        subscribe(store, site)
        settings.refresh.fulltext_pages = 4
        report = await run_cycle(store, settings)
        assert report.pages is not None
        assert (report.pages.fetched, report.pages.skipped) == (4, 6)
        assert site.page_hits() == 4
        ids = ids_by_number(store)
        newest = {n for n in range(4)}  # the feed's newest items first
        assert {n for n, i in ids.items() if store.article(i).fulltext_html} == newest
        report = await run_cycle(store, settings)
        assert report.pages is not None
        assert (report.pages.fetched, report.pages.skipped) == (4, 2)
        assert site.page_hits() == 8
        assert max(site.stats.hits.values()) <= 3  # the feed thrice, each page once
        settings.refresh.fulltext_pages = 0
        report = await run_cycle(store, settings)
        assert report.pages is not None
        assert report.pages.fetched == 0
        assert site.page_hits() == 8


async def test_searchable_then_readable_once_the_site_is_gone(store: Store, settings: Settings) -> None:
    with NewsSite(count=3) as site:
        subscribe(store, site)
        await run_cycle(store, settings)
        ids = ids_by_number(store)
    word = article_words(2)
    assert [hit.id for hit in search(store, word)] == [ids[2]]
    assert search(store, "taux de fiscalité")  # the body's words, not only the excerpt's
    rendered = render_article(store.article(ids[2]), "fr")
    assert word in rendered.body_markdown
    assert "Extrait" not in rendered.notice


async def test_the_feeds_user_agent_goes_with_its_pages(
    store: Store, settings: Settings, site: NewsSite
) -> None:
    subscribe(store, site)
    feed_settings.set_feed(store, site.feed_url, "user_agent", "Mairie-Veille/1.0")
    await run_cycle(store, settings)
    agents = {
        headers.get("user-agent") for path, headers in site.stats.headers if path.startswith("/articles")
    }
    assert agents == {"Mairie-Veille/1.0"}
    assert all("authorization" not in headers for _path, headers in site.stats.headers)


async def test_a_feed_on_the_internet_cannot_send_us_to_this_machine(
    store: Store, settings: Settings, site: NewsSite
) -> None:
    # The feed's address is a public one (never fetched here); its item links to a page on loopback.
    feed = store.add_feed("http://93.184.216.34/flux/", "Site public")
    feed_settings.set_feed(store, feed.url, "fulltext", "on")
    entry = build_entry(
        guid="local",
        link=site.url(site.article_path(0)),
        title="Un lien vers une adresse locale",
        author="",
        published=None,
        updated=None,
        categories=[],
        summary="<p>Extrait […]</p>",
        content="",
    )
    store.record_success(feed.id, ParsedFeed("rss", "Site public", "", [entry]))
    report = await fetch_pages(store, settings)
    assert (report.fetched, report.failed) == (0, 1)
    assert site.page_hits() == 0
    (article_id,) = store.article_ids()
    assert stored_problem(store, article_id).code == "fetch.local_refused"


async def test_a_redirect_is_followed_on_this_machine_from_a_feed_there(
    store: Store, settings: Settings, site: NewsSite
) -> None:
    site.pages[site.article_path(0)] = Page(status=301, redirect=site.url("/articles/4/"))
    subscribe(store, site)
    await run_cycle(store, settings)
    ids = ids_by_number(store)
    assert article_words(4) in store.article(ids[0]).fulltext_html


async def test_the_same_link_in_two_feeds_is_fetched_once(store: Store, settings: Settings) -> None:
    with NewsSite(count=3) as site:
        feed_id = subscribe(store, site, rubrique="Actualité")
        copy = store.add_feed(site.feed_url + "?rubrique=finances", "Courrier — Finances", "Finances")
        feed_settings.set_rubrique(store, "Finances", "fulltext", "on")
        report = await run_cycle(store, settings)
        assert report.pages is not None
        assert report.pages.fetched == 3
        assert site.page_hits() == 3
        every = [i for f in (feed_id, copy.id) for i in store.article_ids(ArticleFilter(feed_id=f))]
        assert len(every) == 6
        assert all(store.article(i).fulltext_html for i in every)
        # A third feed carrying the same links later: their texts come from the cache, with no request.
        third = store.add_feed(site.feed_url + "?rubrique=rh", "Courrier — RH", "Finances")
        report = await run_cycle(store, settings, feed_ids=[third.id])
        assert report.pages is not None
        assert (report.pages.fetched, report.pages.copied) == (0, 3)
        assert site.page_hits() == 3
        assert copy.id != third.id


async def test_F_fetches_one_page_now_whatever_the_setting(
    store: Store, settings: Settings, site: NewsSite
) -> None:
    site.pages[site.article_path(1)] = Page(b"<html><body>en maintenance</body></html>", status=503)
    subscribe(store, site, fulltext=False)
    await run_cycle(store, settings)
    ids = ids_by_number(store)
    report = await fetch_pages(store, settings, article_ids=[ids[1]])
    assert (report.fetched, report.failed) == (0, 1)
    assert store.pages.error(ids[1]) is None  # the site asked to wait: not held against the page
    del site.pages[site.article_path(1)]
    report = await fetch_pages(store, settings, article_ids=[ids[1]])
    assert report.article_ids == [ids[1]]
    assert article_words(1) in store.article(ids[1]).fulltext_html
    assert store.pages.error(ids[1]) == ""
    assert site.page_hits() == 2


def test_page_addresses() -> None:
    assert page_address("https://ville.example/actu/12/#commentaires") == "https://ville.example/actu/12/"
    assert page_address("https://agent:secret@ville.example/actu/") == "https://ville.example/actu/"
    assert page_address("mailto:mairie@ville.example") is None
    assert page_address("javascript:alert(1)") is None
    assert page_address("https://ville.example/a b") is None


async def test_F_on_an_article_without_a_link_says_so(store: Store, settings: Settings) -> None:
    feed = store.add_feed("http://127.0.0.1:9/flux/", "Flux local")
    entry = build_entry(
        guid="sans-lien",
        link="ftp://ville.example/compte-rendu.txt",  # not a web address: the item keeps no link
        title="Un compte rendu sans page",
        author="",
        published=None,
        updated=None,
        categories=[],
        summary="<p>Extrait […]</p>",
        content="",
    )
    store.record_success(feed.id, ParsedFeed("rss", "Flux local", "", [entry]))
    (article_id,) = store.article_ids()
    assert store.article(article_id).url == ""
    report = await fetch_pages(store, settings, article_ids=[article_id])
    assert (report.fetched, report.failed) == (0, 1)
    assert stored_problem(store, article_id).code == "page.not_web"
    notice = render_article(store.article(article_id), "fr").notice
    assert typo("n'est pas une adresse web (http ou https)") in notice
