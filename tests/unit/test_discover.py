"""Finding a site's feeds from its address (core/feeds/discover.py), against a real loopback website."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer
from support.feeds import item_xml, rss
from support.servers import loopback_http_server
from support.sites import (
    AGENDA_NEWEST,
    AGENDA_TITLE,
    ATOM_TYPE,
    JSON_FEED_TYPE,
    MINUTES_NEWEST,
    MINUTES_TITLE,
    NEWS_NEWEST,
    NEWS_TITLE,
    RSS_TYPE,
    Mairie,
    alternate,
    html,
    news_rss,
    page,
    serve_feeds,
    serve_mairie,
)
from werkzeug import Request, Response

from gazette_tui.core.feeds.discover import (
    DEADLINE,
    MAX_CANDIDATES,
    Candidate,
    Discovery,
    DiscoveryError,
    Preview,
    discover,
    feed_links,
    is_local,
    reachable_from,
)
from gazette_tui.core.settings import RefreshSettings


@pytest.fixture
def mairie(httpserver: HTTPServer) -> Mairie:
    return serve_mairie(httpserver)


@pytest.fixture
def held() -> Iterator[threading.Event]:
    """Released at the end of the test: a handler that waits on it answers only once discovery is over."""
    release = threading.Event()
    yield release
    release.set()


def slow(release: threading.Event, body: bytes, content_type: str = RSS_TYPE):  # type: ignore[no-untyped-def]
    def handler(_request: Request) -> Response:
        release.wait(30)
        return Response(body, content_type=content_type)

    return handler


async def found_at(url: str, **options: object) -> Discovery:
    return await discover(url, RefreshSettings(timeout=5.0), **options)  # type: ignore[arg-type]


async def failure_at(url: str, **options: object) -> DiscoveryError:
    with pytest.raises(DiscoveryError) as raised:
        await found_at(url, **options)
    return raised.value


def previews(found: Discovery) -> list[tuple[str, str, Preview | None]]:
    return [(c.via, c.url, c.preview) for c in found.feeds]


# -- the address is a feed ------------------------------------------------------------------------------


async def test_a_feed_address_is_the_feed_itself(mairie: Mairie) -> None:
    found = await found_at(mairie.url("/actualites/feed/"))
    assert found.is_feed
    assert previews(found) == [
        ("address", mairie.url("/actualites/feed/"), Preview(NEWS_TITLE, "rss", 4, NEWS_NEWEST))
    ]
    assert found.failed == ()
    assert mairie.requested() == ["/actualites/feed/"]  # nothing else is probed


async def test_a_json_feed_address_is_read_too(mairie: Mairie) -> None:
    found = await found_at(mairie.url("/agenda/feed.json"))
    assert found.is_feed
    assert found.feeds[0].preview == Preview(AGENDA_TITLE, "json", 3, AGENDA_NEWEST)


# -- a page's links -------------------------------------------------------------------------------------


async def test_the_home_page_offers_its_three_feeds_in_page_order(mairie: Mairie) -> None:
    found = await found_at(mairie.url("/"))
    assert not found.is_feed
    assert previews(found) == [
        ("link", mairie.url("/actualites/feed/"), Preview(NEWS_TITLE, "rss", 4, NEWS_NEWEST)),
        ("link", mairie.url("/deliberations/atom.xml"), Preview(MINUTES_TITLE, "atom", 2, MINUTES_NEWEST)),
        ("link", mairie.url("/agenda/feed.json"), Preview(AGENDA_TITLE, "json", 3, AGENDA_NEWEST)),
    ]
    assert [c.label for c in found.feeds] == ["Actualités", "Délibérations", "Agenda"]
    assert [c.title for c in found.feeds] == [NEWS_TITLE, MINUTES_TITLE, AGENDA_TITLE]
    assert found.failed == ()
    # The stylesheet, the icon and the canonical link are not feeds: never fetched; nor the usual paths.
    assert sorted(mairie.requested()) == sorted(
        ["/", "/actualites/feed/", "/deliberations/atom.xml", "/agenda/feed.json"]
    )


async def test_relative_links_follow_the_base_tag(mairie: Mairie) -> None:
    found = await found_at(mairie.url("/conseil/"))
    assert [(c.url, c.title, c.preview.items if c.preview else 0) for c in found.feeds] == [
        (mairie.url("/intercommunalite/flux/rss.xml"), "Conseil communautaire du Val d’Aubin", 2)
    ]


async def test_a_page_with_only_a_json_feed(mairie: Mairie) -> None:
    found = await found_at(mairie.url("/agenda/"))
    assert previews(found) == [
        ("link", mairie.url("/agenda/feed.json"), Preview(AGENDA_TITLE, "json", 3, AGENDA_NEWEST))
    ]


async def test_links_are_resolved_against_the_page_reached_after_a_redirect(mairie: Mairie) -> None:
    found = await found_at(mairie.url("/ancien-site/"))
    assert [c.url for c in found.feeds] == [mairie.url("/accueil/flux.xml")]
    assert found.url == mairie.url("/ancien-site/")


async def test_a_rest_api_json_link_is_no_feed_and_no_failure(mairie: Mairie) -> None:
    found = await found_at(mairie.url("/actualites/"))
    assert [c.url for c in found.feeds] == [mairie.url("/actualites/feed/")]
    assert found.failed == ()  # the WordPress REST link was tried, quietly


async def test_a_page_whose_links_are_only_rest_api_json_falls_back_to_the_usual_paths(
    mairie: Mairie,
) -> None:
    error = await failure_at(mairie.url("/demarches/"))
    assert error.code == "discover.no_feed"
    assert error.reached
    asked = mairie.requested()
    assert "/wp-json/wp/v2/pages/7" in asked
    assert {"/feed/", "/rss", "/atom.xml", "/feed.json"} <= set(asked)
    assert error.text("fr") == (
        f"Aucun flux trouvé à {mairie.url('/demarches/')}\u00a0: la page n’en indique aucun, et aucune des "
        "adresses habituelles (/feed/, /rss, /atom.xml, /feed.json) n’en est un."
    )
    assert error.text("en").startswith(
        f"No feed found at {mairie.url('/demarches/')}: the page links to none"
    )


async def test_two_links_to_the_same_feed_are_offered_once(httpserver: HTTPServer) -> None:
    serve_feeds(httpserver)
    links = alternate(RSS_TYPE, "/actualites/feed/") + alternate(RSS_TYPE, "/actualites/feed/#haut")
    links += alternate(RSS_TYPE, httpserver.url_for("/actualites/feed/"))
    links += alternate(RSS_TYPE, "/copie-des-actualites.xml")  # the same document at another address
    html(httpserver, "/", page("Accueil", links))
    httpserver.expect_request("/copie-des-actualites.xml").respond_with_data(
        news_rss(), content_type=RSS_TYPE
    )
    found = await found_at(httpserver.url_for("/"))
    assert [c.url for c in found.feeds] == [httpserver.url_for("/actualites/feed/")]


async def test_the_page_charset_is_read_for_the_labels(httpserver: HTTPServer) -> None:
    serve_feeds(httpserver)
    head = alternate(ATOM_TYPE, "/deliberations/atom.xml", "Délibérations et arrêtés")
    html(httpserver, "/", page("Conseil", head, charset="iso-8859-1"), content_type="text/html")
    found = await found_at(httpserver.url_for("/"))
    assert [c.label for c in found.feeds] == ["Délibérations et arrêtés"]


async def test_at_most_a_few_links_are_probed(httpserver: HTTPServer) -> None:
    links = "".join(alternate(RSS_TYPE, f"/flux/{n}.xml", f"Quartier n° {n}") for n in range(40))
    html(httpserver, "/", page("Quartiers", links))
    for n in range(40):
        document = rss([item_xml(n)], title=f"Conseil de quartier n° {n}")
        httpserver.expect_request(f"/flux/{n}.xml").respond_with_data(document, content_type=RSS_TYPE)
    found = await found_at(httpserver.url_for("/"))
    assert [c.label for c in found.feeds] == [f"Quartier n° {n}" for n in range(MAX_CANDIDATES)]
    assert len(httpserver.log) == 1 + MAX_CANDIDATES


# -- the usual addresses --------------------------------------------------------------------------------


async def test_a_page_without_links_is_served_by_the_usual_paths() -> None:
    with loopback_http_server() as server:
        html(server, "/mairie/services/", page("Services", body="<p>Crèche, cantine, périscolaire.</p>"))
        server.expect_request("/feed/").respond_with_data(news_rss(), content_type=RSS_TYPE)
        server.expect_request("/rss").respond_with_data(news_rss(), content_type=RSS_TYPE)  # the same feed
        server.expect_request("/atom.xml").respond_with_data("Introuvable", status=404)
        server.expect_request("/feed.json").respond_with_data("Introuvable", status=404)
        found = await found_at(server.url_for("/mairie/services/"))
        assert previews(found) == [
            ("path", server.url_for("/feed/"), Preview(NEWS_TITLE, "rss", 4, NEWS_NEWEST))
        ]
        assert found.failed == ()  # an absent usual address is no failure


# -- hostile and huge pages -----------------------------------------------------------------------------


async def test_hostile_links_are_never_followed(httpserver: HTTPServer) -> None:
    serve_feeds(httpserver)
    port = httpserver.port
    hostile = [
        "javascript:alert(document.cookie)",
        "file:///etc/passwd",
        "data:application/rss+xml;base64,PHJzcy8+",
        "ftp://127.0.0.1/flux.xml",
        f"http://agent:motdepasse@127.0.0.1:{port}/prive.xml",
        f"http://127.0.0.1:{port}/avec espace.xml",
        "http://[::1",
        "",
    ]
    links = "".join(alternate(RSS_TYPE, href) for href in hostile)
    links += alternate(RSS_TYPE, "/actualites/feed/", "Actualités\x1b[2J\x1b]0;piège\x07\u202e")
    html(httpserver, "/", page("Accueil", links))
    found = await found_at(httpserver.url_for("/"))
    assert [(c.url, c.label) for c in found.feeds] == [
        (httpserver.url_for("/actualites/feed/"), "Actualités[2J]0;piège")
    ]
    assert sorted(httpserver_paths(httpserver)) == ["/", "/actualites/feed/"]


def httpserver_paths(server: HTTPServer) -> list[str]:
    return [request.path for request, _ in server.log]


def test_links_from_elsewhere_never_point_here() -> None:
    assert reachable_from("https://mairie.example/", "https://flux.example/rss")
    assert not reachable_from("https://mairie.example/", "http://127.0.0.1:8080/admin")
    assert not reachable_from("https://mairie.example/", "http://localhost/flux")
    assert not reachable_from("https://mairie.example/", "http://[::1]/flux")
    assert reachable_from("http://127.0.0.1:9000/", "http://127.0.0.1:9001/flux")
    links = feed_links(
        b"<html><head>" + alternate(RSS_TYPE, "http://127.0.0.1:631/printers/").encode() + b"</head></html>",
        "text/html",
        "https://mairie.example/",
    )
    assert [link.url for link in links] == ["http://127.0.0.1:631/printers/"]  # found, then refused by:
    assert not reachable_from("https://mairie.example/", links[0].url)


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://127.0.0.1:631/", True),
        ("http://127.1:631/", True),  # short forms the C resolver accepts
        ("http://2130706433/", True),
        ("http://0.0.0.0:631/", True),
        ("http://[::ffff:127.0.0.1]:631/", True),
        ("http://[::1]/", True),
        ("http://localhost./", True),
        ("http://imprimante.localhost/", True),
        ("http://192.168.1.10/", True),
        ("http://10.0.0.1/", True),
        ("http://169.254.169.254/latest/", True),
        ("https://93.184.215.14/", False),
        ("https://nom-inconnu.invalid/", False),  # does not resolve: fetching it fails on its own
    ],
)
async def test_local_addresses_are_told_in_every_spelling(url: str, local: bool) -> None:
    assert await is_local(url) is local


async def test_a_page_on_the_internet_cannot_make_us_probe_this_machine(httpserver: HTTPServer) -> None:
    """The typed site is « saint-aubin.example », reached through the loopback server acting as the proxy.
    Its page links to this machine in several spellings and to a public-looking feed that redirects here:
    none of them is requested (the log of the server, which also answers on 127.0.0.1, shows it)."""
    serve_feeds(httpserver)
    port = httpserver.port
    local_links = [
        f"http://127.0.0.1:{port}/actualites/feed/",
        f"http://127.1:{port}/deliberations/atom.xml",
        f"http://[::ffff:127.0.0.1]:{port}/agenda/feed.json",
        f"http://0.0.0.0:{port}/actualites/feed/",
    ]
    head = "".join(alternate(RSS_TYPE, link, f"lien {n}") for n, link in enumerate(local_links))
    head += alternate(RSS_TYPE, "http://relais.example/flux", "relais")
    html(httpserver, "/", page("Accueil", head))
    httpserver.expect_request("/flux").respond_with_response(
        Response(status=302, headers={"Location": f"http://127.0.0.1:{port}/actualites/feed/"})
    )
    settings = RefreshSettings(timeout=5.0, proxy=httpserver.url_for("/").rstrip("/"))
    with pytest.raises(DiscoveryError):
        await discover("http://saint-aubin.example/", settings)
    assert sorted(httpserver_paths(httpserver)) == ["/", "/flux"]  # the page, the redirect: nothing local


async def test_a_site_typed_on_this_machine_may_link_to_it(httpserver: HTTPServer) -> None:
    """A local site (a town hall's intranet, the demo, these tests) is the user's own choice: its links to
    this machine are followed."""
    serve_feeds(httpserver)
    html(httpserver, "/", page("Accueil", alternate(RSS_TYPE, "/actualites/feed/")))
    found = await found_at(httpserver.url_for("/"))
    assert [c.url for c in found.feeds] == [httpserver.url_for("/actualites/feed/")]


async def test_a_huge_page_is_read_for_its_head_only(httpserver: HTTPServer) -> None:
    serve_feeds(httpserver)
    body = "<p>Compte rendu intégral de la séance du conseil municipal.</p>" * 80_000  # about 5 MB
    html(httpserver, "/", page("Comptes rendus", alternate(ATOM_TYPE, "/deliberations/atom.xml"), body))
    found = await found_at(httpserver.url_for("/"))
    assert [c.title for c in found.feeds] == [MINUTES_TITLE]


async def test_a_page_over_the_size_cap_says_so(httpserver: HTTPServer) -> None:
    settings = RefreshSettings(timeout=5.0, max_feed_bytes=1024 * 1024)
    html(httpserver, "/", page("Archives", body="<p>Archives</p>" * 200_000))  # 3 MB
    with pytest.raises(DiscoveryError) as raised:
        await discover(httpserver.url_for("/"), settings)
    assert raised.value.code == "discover.page_too_big"
    assert (
        raised.value.text("fr")
        == f"{httpserver.url_for('/')} est trop volumineux pour être lu (plus de 1 Mo)."
    )


# -- deadlines and failures -----------------------------------------------------------------------------


async def test_a_slow_candidate_is_reported_at_the_deadline(
    httpserver: HTTPServer, held: threading.Event
) -> None:
    serve_feeds(httpserver)
    links = alternate(RSS_TYPE, "/actualites/feed/") + alternate(RSS_TYPE, "/lent.xml", "Flux très lent")
    html(httpserver, "/", page("Accueil", links))
    httpserver.expect_request("/lent.xml").respond_with_handler(slow(held, news_rss()))
    found = await found_at(httpserver.url_for("/"))  # the default deadline, the 2 s
    assert not held.is_set()  # the slow server still holds its answer: discovery did not wait for it
    assert found.seconds >= DEADLINE
    assert [c.url for c in found.feeds] == [httpserver.url_for("/actualites/feed/")]
    [late] = found.failed
    assert (late.url, late.label, late.preview) == (httpserver.url_for("/lent.xml"), "Flux très lent", None)
    assert late.problem is not None
    assert late.problem.text("fr") == "Pas de réponse en 2\u00a0s"
    assert late.problem.text("en") == "No answer within 2 s"


async def test_a_page_whose_only_feed_is_too_slow_says_why(
    httpserver: HTTPServer, held: threading.Event
) -> None:
    html(httpserver, "/", page("Accueil", alternate(RSS_TYPE, "/lent.xml")))
    httpserver.expect_request("/lent.xml").respond_with_handler(slow(held, news_rss()))
    error = await failure_at(httpserver.url_for("/"), deadline=0.5)
    assert error.code == "discover.links_failed"
    assert error.text("en") == (
        f"{httpserver.url_for('/')} links to 1 feed, which cannot be read: {httpserver.url_for('/lent.xml')} "
        "(No answer within 0.5 s)."
    )
    assert [c.url for c in error.failed] == [httpserver.url_for("/lent.xml")]


async def test_a_slow_page_says_so_within_the_deadline(httpserver: HTTPServer, held: threading.Event) -> None:
    httpserver.expect_request("/").respond_with_handler(slow(held, page("Accueil"), "text/html"))
    error = await failure_at(httpserver.url_for("/"), deadline=0.5)
    assert error.code == "discover.page_too_slow"
    assert not error.reached
    assert error.text("fr") == f"{httpserver.url_for('/')} n’a pas répondu en 0.5\u00a0s."


async def test_a_page_whose_only_alternate_is_missing_says_why(httpserver: HTTPServer) -> None:
    html(httpserver, "/", page("Accueil", alternate(RSS_TYPE, "/ancien-flux.rss", "Ancien flux")))
    httpserver.expect_request("/ancien-flux.rss").respond_with_data("Page introuvable", status=404)
    error = await failure_at(httpserver.url_for("/"))
    assert error.code == "discover.links_failed"
    assert error.reached
    assert error.text("fr") == (
        f"{httpserver.url_for('/')} indique 1 flux, qui ne peut pas être lu\u00a0: "
        f"{httpserver.url_for('/ancien-flux.rss')} (HTTP 404)."
    )
    assert [(c.label, c.problem.code if c.problem else None) for c in error.failed] == [
        ("Ancien flux", "fetch.http_status")
    ]
    assert "/feed/" not in httpserver_paths(httpserver)  # the page named its feed: no guessing


async def test_several_broken_alternates_are_all_listed(httpserver: HTTPServer) -> None:
    links = (
        alternate(RSS_TYPE, "/a.rss") + alternate(ATOM_TYPE, "/b.atom") + alternate(JSON_FEED_TYPE, "/c.json")
    )
    html(httpserver, "/", page("Accueil", links))
    httpserver.expect_request("/a.rss").respond_with_data("Introuvable", status=404)
    httpserver.expect_request("/b.atom").respond_with_data(page("Pas un flux"), content_type="text/html")
    httpserver.expect_request("/c.json").respond_with_data("{cassé", content_type="application/feed+json")
    error = await failure_at(httpserver.url_for("/"))
    assert error.params["count"] == 3
    assert [c.problem.code if c.problem else None for c in error.failed] == [
        "fetch.http_status",
        "feed.html_page",
        "feed.bad_json",
    ]
    assert error.text("en").startswith(
        f"{httpserver.url_for('/')} links to 3 feeds, none of which can be read"
    )


async def test_an_address_that_does_not_answer_is_not_reached() -> None:
    with loopback_http_server() as server:
        url = server.url_for("/")
    error = await failure_at(url)  # the server is gone: connection refused
    assert (error.code, error.reached) == ("discover.page_failed", False)
    assert error.text("fr") == f"Impossible de lire {url}\u00a0: Connexion impossible."


async def test_an_address_that_is_neither_a_feed_nor_a_page(httpserver: HTTPServer) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    httpserver.expect_request("/logo.png").respond_with_data(png, content_type="image/png")
    error = await failure_at(httpserver.url_for("/logo.png"))
    assert error.code == "discover.not_a_page"
    assert error.reached


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("javascript:alert(1)", "discover.bad_url"),
        ("file:///etc/passwd", "discover.bad_url"),
        ("https://agent:secret@mairie.example/", "discover.credentials"),
    ],
)
async def test_addresses_that_are_never_fetched(url: str, code: str) -> None:
    error = await failure_at(url)
    assert error.code == code
    assert "secret" not in error.text("fr")


def test_candidate_titles_fall_back_to_the_label_then_the_address() -> None:
    assert Candidate("https://m.example/f", "link", "Actualités").title == "Actualités"
    assert Candidate("https://m.example/f", "link").title == "https://m.example/f"
    preview = Preview("", "rss", 0, None)
    assert Candidate("https://m.example/f", "link", "Agenda", preview=preview).title == "Agenda"
