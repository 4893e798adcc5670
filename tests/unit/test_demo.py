"""The embedded demo site, exercised over real HTTP on 127.0.0.1 with httpx and parsed by our own parser."""

from __future__ import annotations

import gzip
import re
import signal
import socket
import stat
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from gazette_tui.core.feeds.parse import parse_feed
from gazette_tui.demo import DEMO_EMAIL, DEMO_PASSWORD, DemoServer, feed_list
from gazette_tui.demo.content import DOSSIERS, EDITION_DATE, PARIS, RUBRIQUES, DemoArticle, articles
from gazette_tui.demo.discovery import find_demo_site, is_demo_site, runtime_url, write_runtime_file
from gazette_tui.demo.pages import EMAIL_INVALID, LOGIN_FAILED, RESERVED_NOTICE, RESET_SENT

LOGIN = "/svc.php/user/index"


@pytest.fixture
def demo() -> Iterator[DemoServer]:
    with DemoServer() as server:
        yield server


@pytest.fixture
def client(demo: DemoServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=demo.url, timeout=10) as http:
        yield http


def _reserved(demo: DemoServer) -> DemoArticle:
    return next(a for a in demo.articles if a.reserved)


def _login(client: httpx.Client, email: str, password: str, redirect: str = "/") -> httpx.Response:
    return client.post(LOGIN, data={"login": email, "password": password, "redirect": redirect})


# --- content --------------------------------------------------------------------------------------


def test_content_is_a_full_paper() -> None:
    items = articles()
    assert len(items) >= 44
    per_rubrique = Counter(a.rubrique for a in items)
    assert set(per_rubrique) == {r.slug for r in RUBRIQUES}
    assert len(per_rubrique) >= 6
    assert min(per_rubrique.values()) >= 5
    assert len({a.id for a in items}) == len(items)
    assert len({a.slug for a in items}) == len(items)
    reserved = sum(a.reserved for a in items)
    assert 0.2 <= reserved / len(items) <= 0.35
    for article in items:
        body = article.body_html("http://demo.test")
        assert article.kicker, article.key
        assert article.author, article.key
        assert article.lede, article.key
        assert article.title, article.key
        assert 2 <= len(article.tags) <= 4, article.key
        assert "<h2>" in body, article.key
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", article.slug), article.slug
        assert article.published.tzinfo == PARIS
        assert datetime(2026, 6, 1, tzinfo=PARIS) <= article.published <= EDITION_DATE
    assert [a.published for a in items] == sorted((a.published for a in items), reverse=True)
    bodies = [a.body_html("http://demo.test") for a in items]
    assert sum("<table>" in b for b in bodies) >= 2
    assert sum("<blockquote>" in b for b in bodies) >= 5
    assert sum("<ul>" in b or "<ol>" in b for b in bodies) >= 20
    figures = [b for b in bodies if "<figure>" in b]
    assert len(figures) >= 3
    assert all(re.search(r'<img src="[^"]+" alt="[^"]+">', b) and "Crédit photo" in b for b in figures)
    assert any(len(a.title) > 90 for a in items)
    assert max(len(b) for b in bodies) > 4 * min(len(b) for b in bodies)
    text = " ".join(bodies)
    assert all(mark in text for mark in ("«", "»", "’", "€", "é"))


def test_body_links_point_to_existing_articles_and_dossiers(demo: DemoServer, client: httpx.Client) -> None:
    paths = {a.path for a in demo.articles}
    dossier_paths = {f"/dossiers/{d.slug}/" for d in DOSSIERS}
    linked_articles = linked_dossiers = 0
    for article in demo.articles:
        for href in re.findall(r'<a href="([^"]+)"', article.body_html(demo.url)):
            assert href.startswith(demo.url + "/"), href
            path = href[len(demo.url) :]
            assert path in paths or path in dossier_paths, href
            linked_articles += path in paths
            linked_dossiers += path in dossier_paths
    assert linked_articles >= 20
    assert linked_dossiers >= 5
    for path in dossier_paths:
        assert client.get(path).status_code == 200


# --- feeds ----------------------------------------------------------------------------------------


def _check_entries(demo: DemoServer, url: str, kind: str, expected: list[DemoArticle]) -> None:
    response = httpx.get(url, timeout=10)
    assert response.status_code == 200
    feed = parse_feed(response.content, url, response.headers.get("content-type", ""))
    assert feed.kind == kind
    assert len(feed.entries) == len(expected)
    for entry, article in zip(feed.entries, expected, strict=True):
        assert entry.title == article.title
        assert entry.kicker == article.kicker
        assert entry.categories == list(dict.fromkeys([article.kicker, *article.tags]))
        assert entry.author == article.author
        assert entry.published == int(article.published.timestamp())
        assert entry.reserved is article.reserved
        assert entry.url.startswith(demo.url + article.path)
        assert (parse_qs(urlsplit(entry.url).query).get("abo") == ["1"]) is article.reserved
        if article.reserved:
            assert entry.content_html == ""
            assert article.lede[:40] in entry.text
        else:
            assert "<h2>" in entry.content_html


def test_front_page_rss_feed(demo: DemoServer) -> None:
    _check_entries(demo, demo.url + "/feed/", "rss", list(demo.articles))


def test_rubrique_feeds_in_rss_and_atom(demo: DemoServer) -> None:
    for rubrique in RUBRIQUES:
        expected = [a for a in demo.articles if a.rubrique == rubrique.slug]
        url = f"{demo.url}/rubriques/{rubrique.slug}/feed/"
        _check_entries(demo, url, "rss", expected)
        _check_entries(demo, url + "?format=atom", "atom", expected)


def test_json_feed_and_dossier_feeds(demo: DemoServer) -> None:
    _check_entries(demo, demo.url + "/feed/json", "json", list(demo.articles))
    for dossier in DOSSIERS:
        expected = [a for a in demo.articles if dossier.slug in a.dossiers]
        assert len(expected) >= 3
        _check_entries(demo, f"{demo.url}/dossiers/{dossier.slug}/feed/", "rss", expected)


def test_unknown_feed_is_404(client: httpx.Client) -> None:
    assert client.get("/rubriques/nimporte-quoi/feed/").status_code == 404
    assert client.get("/actualite/1/inexistant/").status_code == 404


def test_conditional_get_and_publish(demo: DemoServer, client: httpx.Client) -> None:
    first = client.get("/rubriques/club-finances/feed/")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert client.get("/rubriques/club-finances/feed/", headers={"If-None-Match": etag}).status_code == 304
    not_modified = client.get("/rubriques/club-finances/feed/", headers={"If-Modified-Since": modified})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    older = format_datetime(datetime(2026, 1, 1, tzinfo=PARIS))
    assert (
        client.get("/rubriques/club-finances/feed/", headers={"If-Modified-Since": older}).status_code == 200
    )

    article = demo.publish(
        "Budget supplémentaire : une décision modificative de fin d’année", rubrique="club-finances"
    )
    changed = client.get("/rubriques/club-finances/feed/", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    assert (
        client.get("/rubriques/club-finances/feed/", headers={"If-Modified-Since": modified}).status_code
        == 200
    )
    entries = parse_feed(changed.content).entries
    assert entries[0].title == article.title
    assert len(entries) == len(parse_feed(first.content).entries) + 1
    # Other rubriques are untouched by the new article.
    other = client.get("/rubriques/club-rh/feed/")
    assert (
        client.get("/rubriques/club-rh/feed/", headers={"If-None-Match": other.headers["etag"]}).status_code
        == 304
    )


def test_update_article_changes_the_feed(demo: DemoServer, client: httpx.Client) -> None:
    target = demo.articles[3]
    before = client.get("/feed/")
    demo.update_article(target.id, title="Titre corrigé après publication")
    after = client.get("/feed/", headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200
    titles = [e.title for e in parse_feed(after.content).entries]
    assert titles[3] == "Titre corrigé après publication"


def test_gzip_only_when_asked(demo: DemoServer) -> None:
    with httpx.Client(base_url=demo.url, headers={"Accept-Encoding": "gzip"}) as http:
        with http.stream("GET", "/feed/") as response:
            raw = b"".join(response.iter_raw())
        assert response.headers["content-encoding"] == "gzip"
        assert parse_feed(gzip.decompress(raw)).entries
    with httpx.Client(base_url=demo.url, headers={"Accept-Encoding": "identity"}) as http:
        plain = http.get("/feed/")
        assert "content-encoding" not in plain.headers
        assert plain.content.startswith(b"<?xml")


def test_opml_lists_every_feed(demo: DemoServer, client: httpx.Client) -> None:
    response = client.get("/feeds.opml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == "opml"
    assert root.get("version") == "2.0"
    listed = {
        feed.get("xmlUrl"): folder.get("text")
        for folder in root.iter("outline")
        if folder.get("xmlUrl") is None
        for feed in folder
    }
    seeds = feed_list(demo.url)
    assert len(seeds) == 1 + len(RUBRIQUES) + len(DOSSIERS)
    assert listed == {url: folder for url, _title, folder in seeds}
    assert {folder for _url, _title, folder in seeds} >= {r.title for r in RUBRIQUES}
    for url, title, _folder in seeds:
        feed = parse_feed(httpx.get(url, timeout=10).content, url)
        assert feed.title.endswith(title)
        assert feed.entries
    again = client.get("/feeds.opml", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304


# --- pages ----------------------------------------------------------------------------------------


def test_article_page_looks_like_a_news_site(demo: DemoServer, client: httpx.Client) -> None:
    article = next(a for a in demo.articles if not a.reserved and a.key == "psc-prevoyance")
    page = client.get(article.path).text
    for landmark in ("<header", "<nav", "<aside", "<footer", "<article", "À lire aussi"):
        assert landmark in page
    inner = page[page.index("<article") : page.index("</article>")]
    assert f"<h1>{article.title}</h1>" in inner
    assert article.kicker in inner
    date = article.published.strftime("%d/%m/%Y")
    assert re.search(
        rf"Publié le <time[^>]*>{date}</time> • Par <span class=\"author\">{article.author}<", inner
    )
    assert '<div class="chapo">' in inner
    assert "<h2>" in inner
    assert "<table>" in inner
    assert RESERVED_NOTICE not in page
    assert client.get(article.path.rstrip("/")).status_code == 200
    assert client.get("/medias/rue-eteinte.svg").headers["content-type"] == "image/svg+xml"
    assert client.get("/static/gazette.css").status_code == 200
    for rubrique in RUBRIQUES:
        listing = client.get(f"/rubriques/{rubrique.slug}/")
        assert listing.status_code == 200
        assert rubrique.title in listing.text


def test_reserved_page_needs_a_session(demo: DemoServer, client: httpx.Client) -> None:
    article = _reserved(demo)
    anonymous = client.get(article.path).text
    assert RESERVED_NOTICE in anonymous
    assert article.lede[:50] in anonymous
    assert "<h2>" not in anonymous[anonymous.index("<article") : anonymous.index("</article>")]

    response = _login(client, DEMO_EMAIL, DEMO_PASSWORD, redirect=article.path)
    assert response.status_code == 303
    assert response.headers["location"] == article.path
    assert "gazette_demo_session" in client.cookies
    full = client.get(article.path).text
    assert RESERVED_NOTICE not in full
    assert "<h2>" in full[full.index("<article") : full.index("</article>")]

    # A client without the cookie still sees the paywall.
    assert RESERVED_NOTICE in httpx.get(demo.url + article.path).text


def test_login_follows_redirect_to_the_page(demo: DemoServer, client: httpx.Client) -> None:
    article = _reserved(demo)
    response = client.post(
        LOGIN,
        data={"login": DEMO_EMAIL.upper(), "password": DEMO_PASSWORD, "redirect": demo.url + article.path},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert str(response.url) == demo.url + article.path
    assert RESERVED_NOTICE not in response.text


def test_login_wrong_password(demo: DemoServer, client: httpx.Client) -> None:
    response = _login(client, DEMO_EMAIL, "mauvais-mot-de-passe", redirect=_reserved(demo).path)
    assert response.status_code == 200
    assert LOGIN_FAILED in response.text
    assert "set-cookie" not in response.headers
    assert RESERVED_NOTICE in client.get(_reserved(demo).path).text
    unknown = _login(client, "inconnu@exemple.fr", DEMO_PASSWORD)
    assert unknown.status_code == 200
    assert LOGIN_FAILED in unknown.text


def test_login_malformed_email(client: httpx.Client) -> None:
    for email in ("abonne", "abonne@", "deux mots@exemple.fr", ""):
        response = _login(client, email, DEMO_PASSWORD)
        assert response.status_code == 200
        assert EMAIL_INVALID in response.text
        assert "Nous n'avons pas reconnu votre email, veuillez indiquer un email valide" in response.text
        assert "set-cookie" not in response.headers


def test_login_never_redirects_to_another_host(client: httpx.Client) -> None:
    for target in ("http://evil.test/vol", "//evil.test/", "javascript:alert(1)"):
        response = _login(client, DEMO_EMAIL, DEMO_PASSWORD, redirect=target)
        assert response.status_code == 303
        assert response.headers["location"] == "/"


def test_expire_sessions_and_logout(demo: DemoServer, client: httpx.Client) -> None:
    article = _reserved(demo)
    _login(client, DEMO_EMAIL, DEMO_PASSWORD)
    assert RESERVED_NOTICE not in client.get(article.path).text
    demo.expire_sessions()
    assert RESERVED_NOTICE in client.get(article.path).text

    _login(client, DEMO_EMAIL, DEMO_PASSWORD)
    assert RESERVED_NOTICE not in client.get(article.path).text
    logout = client.get("/deconnexion/")
    assert logout.status_code == 303
    assert RESERVED_NOTICE in client.get(article.path).text


def test_login_form_reset_and_signup(client: httpx.Client) -> None:
    form = client.get("/connexion/?redirect=/club-rh/").text
    assert 'action="/svc.php/user/index"' in form
    assert 'name="login"' in form
    assert 'name="password"' in form
    assert 'value="/club-rh/"' in form
    sent = client.post("/svc.php/user/reset", data={"login": DEMO_EMAIL})
    assert sent.status_code == 200
    assert RESET_SENT in sent.text
    assert "Un message avec vos codes d'accès vous a été envoyé par mail" in sent.text
    assert EMAIL_INVALID in client.post("/svc.php/user/reset", data={"login": "pas-un-email"}).text
    signup = client.get("/inscription/")
    assert signup.status_code == 200
    assert "<form" in signup.text


def test_go_redirects_anywhere_and_cookies_stay_home(demo: DemoServer) -> None:
    # Another host name, not just another port: cookies are not scoped by port (RFC 6265 §8.5).
    with DemoServer(host="localhost") as elsewhere, httpx.Client(base_url=demo.url) as http:
        _login(http, DEMO_EMAIL, DEMO_PASSWORD)
        target = elsewhere.url + "/feed/"
        hop = http.get("/go", params={"to": target})
        assert hop.status_code == 302
        assert hop.headers["location"] == target
        landed = http.get("/go", params={"to": target}, follow_redirects=True)
        assert landed.status_code == 200
        assert str(landed.url) == target
        seen = [r for r in elsewhere.requests if r.path == "/feed/"]
        assert seen
        assert all("cookie" not in r.headers for r in seen)
        assert any("cookie" in r.headers for r in demo.requests if r.path.startswith("/go"))
    assert httpx.get(demo.url + "/go").status_code == 400


def test_faults_simulate_outages(demo: DemoServer, client: httpx.Client) -> None:
    demo.faults["/rubriques/club-rh/feed/"] = 503
    assert client.get("/rubriques/club-rh/feed/").status_code == 503
    assert client.get("/rubriques/club-finances/feed/").status_code == 200
    del demo.faults["/rubriques/club-rh/feed/"]
    assert client.get("/rubriques/club-rh/feed/").status_code == 200


def test_server_is_quiet(demo: DemoServer, capfd: pytest.CaptureFixture[str]) -> None:
    with httpx.Client(base_url=demo.url) as http:
        http.get("/feed/")
        http.get("/absent/")
        _login(http, "x", "y")
    captured = capfd.readouterr()
    assert captured.err == ""
    assert captured.out == ""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_run_standalone_prints_how_to_log_in_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    port = _free_port()
    runtime = tmp_path / "cache" / "demo-server.json"
    # A program started as a background job (``pytest &``) inherits SIGINT ignored, and Python then leaves
    # it ignored. Ctrl-C only ever reaches a foreground program, which has the default handler: give the
    # child that handler, so the test behaves the same however the suite is started.
    code = (
        "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
        "from pathlib import Path; from gazette_tui.i18n import set_language; set_language('en'); "
        "from gazette_tui.demo import run_standalone; "
        f"sys.exit(run_standalone({port}, runtime_file=Path({str(runtime)!r})))"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline().strip() for _ in range(6)]
        base = f"http://127.0.0.1:{port}/"
        assert lines == [
            f"Demo site: {base}",
            f"Its feeds: {base}feeds.opml",
            f"Demo account: {DEMO_EMAIL} / {DEMO_PASSWORD}",
            f"To log in to it: gazette-tui login demo --url {base}",  # the exact command, to copy
            f"To subscribe to its feeds: gazette-tui import {base}feeds.opml",
            "Ctrl-C to stop.",
        ]
        assert httpx.get(f"{base}feed/", timeout=10).status_code == 200
        # While it runs, it says where it is, privately, for `login demo` (written before Ctrl-C is taken).
        for _ in range(100):
            if runtime_url(runtime):
                break
            time.sleep(0.05)
        assert runtime_url(runtime) == base
        assert stat.S_IMODE(runtime.stat().st_mode) == 0o600
        assert find_demo_site([runtime_url(runtime)]) == base
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=20)
        assert process.returncode == 0
        assert "Traceback" not in err
        assert not runtime.exists()  # gone with the server: a stale address is never tried
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_a_taken_port_falls_back_to_another_when_asked() -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        taken = holder.getsockname()[1]
        with pytest.raises(OSError, match="in use"):
            DemoServer(port=taken).start()  # a port asked for explicitly is that port or an error
        with DemoServer(port=taken, fallback=True) as demo:
            assert demo.moved
            assert demo.port != taken
            assert httpx.get(demo.url + "/feed/", timeout=10).status_code == 200


def test_only_the_demo_site_is_recognised(demo: DemoServer, tmp_path: Path) -> None:
    from support.servers import loopback_http_server

    assert is_demo_site(demo.url)
    with loopback_http_server() as other:  # another local server, answering anything with 200
        other.expect_request("/.well-known/gazette-tui-demo").respond_with_data("{}")
        assert not is_demo_site(other.url_for("/"))
    assert not is_demo_site(f"http://127.0.0.1:{_free_port()}/")  # nothing listens
    assert not is_demo_site("https://www.lagazettedescommunes.com/")  # never probed off this machine
    assert find_demo_site([None, f"http://127.0.0.1:{_free_port()}/", demo.url]) == demo.url + "/"
    # The runtime file: private, and only an address on this machine is taken from it.
    runtime = tmp_path / "run" / "demo-server.json"
    write_runtime_file(runtime, demo.url + "/")
    assert runtime_url(runtime) == demo.url + "/"
    assert stat.S_IMODE(runtime.parent.stat().st_mode) == 0o700
    runtime.write_text('{"url": "http://intranet.mairie.test/"}', encoding="utf-8")
    assert runtime_url(runtime) is None
    runtime.write_text("not json", encoding="utf-8")
    assert runtime_url(runtime) is None


def test_run_standalone_stopped_by_kill_leaves_no_runtime_file(tmp_path: Path) -> None:
    runtime = tmp_path / "cache" / "demo-server.json"
    code = (
        "import sys; from pathlib import Path; from gazette_tui.demo import run_standalone; "
        f"sys.exit(run_standalone({_free_port()}, runtime_file=Path({str(runtime)!r})))"
    )
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for _ in range(200):
            if runtime_url(runtime):
                break
            time.sleep(0.05)
        assert runtime_url(runtime)
        process.send_signal(signal.SIGTERM)  # `kill`, a service manager, the end of a session
        _out, err = process.communicate(timeout=20)
        assert process.returncode == 0, err
        assert not runtime.exists()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
