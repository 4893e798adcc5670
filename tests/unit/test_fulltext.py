"""Full text of reserved articles: fetched with the demo account's session over real HTTP, stored, searchable,
readable once the server is gone; never leaking credentials across hosts or ports."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import httpx
from support.accounts import (
    TEST_EMAIL,
    TEST_PASSWORD,
    MemoryKeyring,
    secret_forms,
)
from support.french import typo

from gazette_tui.core.accounts.accounts import Accounts
from gazette_tui.core.accounts.fulltext import candidates, extract_fulltext, fetch_fulltexts, has_fulltext
from gazette_tui.core.feeds.refresh import refresh_feeds
from gazette_tui.core.render import render_article
from gazette_tui.core.search.search import search
from gazette_tui.core.settings import Settings
from gazette_tui.core.storage.store import Store
from gazette_tui.demo import DemoServer
from gazette_tui.demo.content import DemoArticle
from gazette_tui.demo.pages import RESERVED_NOTICE
from gazette_tui.models import ParsedEntry, ParsedFeed
from gazette_tui.text import html_to_text

LOGIN_PATH = "/svc.php/user/index"


async def refresh_front_page(store: Store, demo: DemoServer, settings: Settings) -> None:
    url, title, folder = demo.feed_list()[0]
    store.add_feeds([(url, title, folder)])
    report = await refresh_feeds(store, settings)
    assert report.ok == 1
    assert report.new == len(demo.articles)


def by_url(store: Store, demo: DemoServer) -> dict[str, DemoArticle]:
    """Cached article id → demo article, matched on the link."""
    wanted = {demo.url + a.path: a for a in demo.articles}
    found = {}
    for article_id in store.article_ids():
        article = store.article(article_id)
        found[article.url.split("?")[0]] = article_id
    return {str(found[url]): art for url, art in wanted.items() if url in found}


def body_phrase(article: DemoArticle, base: str) -> str:
    """A sentence of the body that is not in the feed's excerpt (the lede)."""
    text = html_to_text(article.body_html(base))
    words = [w for w in re.findall(r"[A-Za-zÀ-ÿ’-]{9,}", text) if w.lower() not in article.lede.lower()]
    assert words, article.key
    return words[0]


async def test_full_text_is_fetched_stored_searchable_and_readable_offline(
    demo: DemoServer, store: Store, settings: Settings, memory_keyring: MemoryKeyring
) -> None:
    await refresh_front_page(store, demo, settings)
    ids = {int(k): v for k, v in by_url(store, demo).items()}
    reserved = {i: a for i, a in ids.items() if a.reserved}
    assert len(reserved) >= 10
    base = demo.url
    probe_id, probe = next(iter(reserved.items()))
    phrase = body_phrase(probe, base)
    assert probe_id not in {r.id for r in search(store, phrase)}
    assert render_article(store.article(probe_id)).notice  # "subscribers only — excerpt"

    accounts = Accounts(store)
    await accounts.login("demo", TEST_EMAIL, TEST_PASSWORD, site_url=demo.url)
    report = await fetch_fulltexts(store, settings, accounts=accounts, limit=100, pause=0)
    assert report.fetched == len(reserved)
    assert report.failed == 0
    assert report.login_needed == []
    assert sorted(report.article_ids) == sorted(reserved)
    pages = [r for r in demo.requests if r.method == "GET" and "abo=1" in r.path]
    assert len(pages) == len(reserved)
    assert all("gazette_demo_session=" in r.headers["cookie"] for r in pages)
    demo.stop()

    for article_id, source in reserved.items():
        article = store.article(article_id)
        assert has_fulltext(store, article_id)
        text = html_to_text(article.fulltext_html)
        for heading in re.findall(r"<h2>(.*?)</h2>", source.body_html(base)):
            assert html_to_text(heading) in text
        assert RESERVED_NOTICE not in text
        assert "À lire aussi" not in text
        assert "Newsletter" not in text
        assert "<script" not in article.fulltext_html
        rendered = render_article(article)
        assert rendered.notice == ""  # no longer "excerpt only"
        assert (
            html_to_text(re.findall(r"<h2>(.*?)</h2>", source.body_html(base))[0]) in rendered.body_markdown
        )
    assert probe_id in {r.id for r in search(store, phrase)}
    # Nothing left to fetch: a second pass does no request (the server is gone anyway).
    again = await fetch_fulltexts(store, settings, accounts=accounts, limit=100, pause=0)
    assert again.fetched == again.failed == again.skipped == 0


async def test_expired_session_logs_in_again_silently(
    demo: DemoServer, store: Store, settings: Settings, memory_keyring: MemoryKeyring
) -> None:
    await refresh_front_page(store, demo, settings)
    await Accounts(store).login("demo", TEST_EMAIL, TEST_PASSWORD, site_url=demo.url)
    first = await fetch_fulltexts(store, settings, limit=2, pause=0)
    assert first.fetched == 2
    assert first.relogins == 0
    assert first.skipped > 0
    demo.expire_sessions()
    # A new process: the session cookie comes from the keyring, is refused, and the stored password renews it.
    second = await fetch_fulltexts(store, settings, limit=4, pause=0)
    assert second.fetched == 4
    assert second.relogins == 1
    assert second.failed == 0
    logins = [r for r in demo.requests if r.method == "POST" and r.path == LOGIN_PATH]
    assert len(logins) == 2
    # The renewed session replaced the old one in the keyring, and the site knows it.
    stored = memory_keyring.entries[("gazette-tui", f"demo:{TEST_EMAIL}#session")]
    token = re.search(r'"gazette_demo_session":"([^"]+)"', stored)
    assert token is not None
    assert demo.session_user(token.group(1)) == TEST_EMAIL


async def test_login_needed_when_the_password_no_longer_works(
    demo: DemoServer, store: Store, settings: Settings, memory_keyring: MemoryKeyring
) -> None:
    await refresh_front_page(store, demo, settings)
    await Accounts(store).login("demo", TEST_EMAIL, TEST_PASSWORD, site_url=demo.url)
    demo.expire_sessions()
    demo.accounts[TEST_EMAIL] = "changé-sur-le-site"
    report = await fetch_fulltexts(store, settings, limit=5, pause=0)
    assert report.login_needed == ["demo"]
    assert report.fetched == 0
    assert report.failed == 0
    assert report.skipped == len(candidates(store, Accounts(store)))
    # The keyring lost the password (deleted by hand): reported the same way, nothing fetched.
    memory_keyring.entries.clear()
    report = await fetch_fulltexts(store, settings, limit=5, pause=0)
    assert report.login_needed == ["demo"]
    assert report.fetched == 0


def add_articles(store: Store, feed_url: str, urls: list[str]) -> list[int]:
    feed = store.add_feed(feed_url, "Démo", "Tests")
    entries = [
        ParsedEntry(
            key=url,
            url=url,
            title=f"Article réservé {n}",
            kicker="",
            author="",
            published=1_800_000_000 - n,
            updated=None,
            categories=[],
            summary_html="<p>Chapô.</p>",
            content_html="",
            text="Chapô.",
            reserved=True,
        )
        for n, url in enumerate(urls)
    ]
    store.record_success(feed.id, ParsedFeed("rss", "Démo", "", entries))
    return store.article_ids()


async def test_redirects_to_another_host_or_port_carry_no_credentials(
    demo: DemoServer, store: Store, settings: Settings, memory_keyring: MemoryKeyring
) -> None:
    article = next(a for a in demo.articles if a.reserved)
    with DemoServer(host="localhost") as other_host, DemoServer() as other_port:
        assert other_port.host == demo.host
        assert other_port.port != demo.port
        urls = [
            f"{demo.url}/go?to={quote(other_host.url + article.path, safe='')}",
            f"{demo.url}/go?to={quote(other_port.url + article.path, safe='')}",
            demo.url + article.path + "?abo=1",
        ]
        add_articles(store, demo.url + "/feed/", urls)
        accounts = Accounts(store)
        await accounts.login("demo", TEST_EMAIL, TEST_PASSWORD, site_url=demo.url)
        report = await fetch_fulltexts(store, settings, accounts=accounts, limit=10, pause=0)
        assert report.fetched == 1
        assert report.failed == 2
        assert {error for _url, error in report.errors} == {
            typo("La page renvoie vers un autre site : texte intégral non récupéré.")
        }
        for server in (other_host, other_port):
            seen = [r for r in server.requests if r.path == article.path]
            assert len(seen) == 1
            for request in seen:
                assert "cookie" not in request.headers
                assert "authorization" not in request.headers
                dump = repr(request).encode()
                assert not any(form in dump for form in secret_forms(TEST_PASSWORD))
        hops = [r for r in demo.requests if r.path.startswith("/go")]
        assert len(hops) == 2
        assert all("gazette_demo_session=" in r.headers["cookie"] for r in hops)


async def test_cookies_are_not_sent_to_another_port_of_the_same_host(
    demo: DemoServer, store: Store, settings: Settings, memory_keyring: MemoryKeyring
) -> None:
    with DemoServer() as other_port:
        article = next(a for a in other_port.articles if a.reserved)
        add_articles(store, demo.url + "/feed/", [other_port.url + article.path + "?abo=1"])
        accounts = Accounts(store)
        await accounts.login("demo", TEST_EMAIL, TEST_PASSWORD, site_url=demo.url)
        # Not a candidate (cookies would not go there), and a direct fetch sends none.
        assert candidates(store, accounts) == []
        async with httpx.AsyncClient() as client:
            page = await accounts.fetch_page("demo", other_port.url + article.path, client)
        assert not page.on_site
        assert RESERVED_NOTICE in page.text
        assert all("cookie" not in r.headers for r in other_port.requests)


async def test_bounded_per_refresh_and_per_host(
    demo: DemoServer, store: Store, settings: Settings, memory_keyring: MemoryKeyring
) -> None:
    await refresh_front_page(store, demo, settings)
    accounts = Accounts(store)
    await accounts.login("demo", TEST_EMAIL, TEST_PASSWORD, site_url=demo.url)
    total = len(candidates(store, accounts))
    in_flight = peak = 0

    class Counting(httpx.AsyncHTTPTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            nonlocal in_flight, peak
            in_flight += 1
            peak = max(peak, in_flight)
            try:
                response = await super().handle_async_request(request)
                raw = b"".join([chunk async for chunk in response.aiter_raw()])
                await response.aclose()
                return httpx.Response(
                    response.status_code, headers=response.headers, stream=httpx.ByteStream(raw)
                )
            finally:
                in_flight -= 1

    async with httpx.AsyncClient(transport=Counting()) as client:
        report = await fetch_fulltexts(
            store, settings, accounts=accounts, limit=5, per_host=2, pause=0, client=client
        )
    assert report.fetched == 5
    assert report.skipped == total - 5
    assert 1 <= peak <= 2


async def test_failures_back_off_and_the_setting_turns_it_off(
    demo: DemoServer, store: Store, settings: Settings, memory_keyring: MemoryKeyring
) -> None:
    await refresh_front_page(store, demo, settings)
    accounts = Accounts(store)
    await accounts.login("demo", TEST_EMAIL, TEST_PASSWORD, site_url=demo.url)
    first = candidates(store, accounts)[0]
    demo.faults[first.url.split("?")[0].removeprefix(demo.url)] = 500
    settings.refresh.fulltext = False
    off = await fetch_fulltexts(store, settings, accounts=accounts, limit=1, pause=0)
    assert off.fetched == off.failed == 0
    assert not any(r.path.endswith("abo=1") for r in demo.requests)
    settings.refresh.fulltext = True
    report = await fetch_fulltexts(store, settings, accounts=accounts, limit=1, pause=0)
    assert report.failed == 1
    assert report.errors == [(first.url, "HTTP 500")]
    assert first.article_id not in {c.article_id for c in candidates(store, accounts)}


def test_extraction_is_sanitised_and_absolute(tmp_path: Path) -> None:
    paragraph = "Le conseil municipal a adopté la délibération relative au budget annexe de l’eau. " * 6
    page = (
        "<html><head><title>t</title><script>alert(1)</script></head><body><nav>Menu Rubriques</nav>"
        f'<article><h1>Titre</h1><p onclick="evil()">{paragraph}</p>'
        f'<p>{paragraph}<a href="/autre/2/">voir</a><a href="javascript:alert(1)">x</a></p>'
        '<script>document.cookie</script><img src="/medias/a.svg" onerror="x()"></article>'
        "<footer>Mentions légales</footer></body></html>"
    )
    html = extract_fulltext(page, "https://www.exemple.test/actualite/1/titre/")
    assert "délibération relative au budget annexe" in html
    assert "<script" not in html
    assert "onclick" not in html
    assert "onerror" not in html
    assert "javascript:" not in html
    assert 'href="https://www.exemple.test/autre/2/"' in html
    assert "Mentions légales" not in html


async def test_a_broken_profiles_file_costs_only_the_full_texts(
    store: Store, settings: Settings, tmp_path: Path
) -> None:
    (tmp_path / "profiles.toml").write_text("[demo\n", encoding="utf-8")
    report = await fetch_fulltexts(store, settings, config_dir=tmp_path, pause=0)
    assert report.fetched == 0
    assert len(report.errors) == 1
    assert "profiles.toml" in report.errors[0][1]
    assert "TOML invalide" in report.errors[0][1]
