"""A news site on 127.0.0.1 for the full text of any feed: an RSS feed of excerpts and the article pages it
links to, served by a real threaded HTTP/1.1 server that counts what it was asked.

The server measures the most requests it was serving at once per ``Host`` header (each page can take
``delay`` seconds, so that concurrent requests overlap), and records every request's path and headers, so a
test asserts the per-host cap, the budget, "never fetched twice" and the User-Agent from the server's side.
The pages are synthetic local-government news written for these tests (``article_page``)."""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

COMMUNES = ("Saint-Aubin-sur-Loire", "Montclar-les-Vignes", "Villeneuve-d'Arbois", "Port-Sainte-Anne")
TOPICS = (
    ("budget", "Le budget primitif adopté après un long débat sur la voirie"),
    ("ecoles", "La rénovation énergétique des écoles engagée pour trois ans"),
    ("eau", "La régie de l'eau reprend le réseau d'assainissement intercommunal"),
    ("mobilite", "Un plan vélo voté pour relier les hameaux au centre-bourg"),
    ("urbanisme", "Le plan local d'urbanisme révisé protège les terres agricoles"),
)


def article_words(number: int) -> str:
    """A word found only in the body of article ``number`` (for search tests): never in its excerpt."""
    return f"délibérationnuméro{number}"


def article_body(number: int) -> str:
    """The body of article ``number``: five paragraphs, with its own searchable word."""
    commune = COMMUNES[number % len(COMMUNES)]
    _slug, title = TOPICS[number % len(TOPICS)]
    return (
        f"<p>Réuni en séance publique, le conseil municipal de {commune} a examiné le dossier : "
        f"{title.lower()}. Le maire a rappelé que la commune compte 4 200 habitants et que les "
        "dépenses d'équipement ont doublé depuis le début du mandat.</p>"
        "<p>Le rapporteur de la commission des finances a présenté les montants, poste par poste, en "
        "insistant sur la part des subventions de l'État et du département dans le plan de financement. "
        "Plusieurs élus de l'opposition ont demandé un échéancier plus précis des travaux.</p>"
        f"<h2>Ce que prévoit la {article_words(number)}</h2>"
        "<p>Le texte adopté fixe le calendrier : une consultation des habitants au printemps, un appel "
        "d'offres avant l'été, et un premier chantier à la rentrée. Les associations de riverains seront "
        "associées au comité de suivi, qui se réunira chaque trimestre.</p>"
        "<p>« Nous avons voulu un projet lisible et financé », a souligné l'adjointe chargée des travaux, "
        "qui a rappelé que la commune n'augmentera pas les taux de fiscalité locale cette année.</p>"
        "<p>La délibération a été adoptée par 19 voix pour, 4 contre et 2 abstentions. Elle sera "
        "transmise au contrôle de légalité de la préfecture dans la semaine.</p>"
    )


def excerpt(number: int) -> str:
    return f"<p>Le conseil municipal de {COMMUNES[number % len(COMMUNES)]} a délibéré […]</p>"


def article_page(number: int) -> str:
    """The page of article ``number``: a news site's shell (menu, sidebar, comments, footer) around it."""
    _slug, title = TOPICS[number % len(TOPICS)]
    related = "".join(f'<li><a href="/articles/{n}/">{escape(TOPICS[n % 5][1])}</a></li>' for n in range(3))
    return f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>{escape(title)} - Le Courrier des communes</title>
<script>window.tracker = "ne pas exécuter";</script></head>
<body>
<header><nav class="menu"><ul><li><a href="/">Accueil</a></li><li><a href="/finances/">Finances</a></li>
<li><a href="/urbanisme/">Urbanisme</a></li><li><a href="/abonnement/">S'abonner</a></li></ul></nav></header>
<div class="cookie">Ce site utilise des cookies de mesure d'audience. <a href="/cookies/">Paramétrer</a></div>
<main><article>
<h1>{escape(title)}</h1>
<p class="meta">Publié le 12/03/2026 par la rédaction</p>
<div class="content">{article_body(number)}</div>
</article>
<section class="comments"><h3>3 commentaires</h3>
<div class="comment"><p>Encore des travaux, et la taxe foncière qui ne baisse jamais.</p></div>
<div class="comment"><p>Merci pour cet article, enfin des chiffres clairs.</p></div></section>
</main>
<aside class="sidebar"><h3>À lire aussi</h3><ul>{related}</ul>
<h3>Newsletter</h3><p>Recevez l'essentiel chaque matin.</p></aside>
<footer><p>Le Courrier des communes — mentions légales — plan du site — contact</p></footer>
</body></html>"""


@dataclass
class Page:
    """One answer of the site: ``status`` and ``body``, or a ``redirect``; served after ``delay`` seconds."""

    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    redirect: str = ""
    delay: float | None = None


@dataclass
class SiteStats:
    """What the server saw: requests per path, the most served at once per Host, every request's headers."""

    hits: Counter[str] = field(default_factory=Counter)
    current: defaultdict[str, int] = field(default_factory=lambda: defaultdict(int))
    peak: defaultdict[str, int] = field(default_factory=lambda: defaultdict(int))
    headers: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def most_at_once(self) -> int:
        return max(self.peak.values(), default=0)


class NewsSite:
    """The site: ``/feed.xml`` (an RSS feed of excerpts of ``count`` articles, their links on this server)
    and ``/articles/<n>/`` (their pages), plus any :class:`Page` put in :attr:`pages` by path."""

    def __init__(self, count: int = 5, *, delay: float = 0.0) -> None:
        self.count = count
        self.delay = delay
        self.pages: dict[str, Page] = {}
        self.stats = SiteStats()
        self.published = int(time.time()) - 3600
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                """Quiet."""

            def setup(self) -> None:
                super().setup()
                # Headers and body go out as two writes: without this, Nagle's algorithm holds the body
                # until the client's delayed ACK (40 ms a request), and the server would be what is timed.
                self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def do_GET(self) -> None:
                host = self.headers.get("Host", "")
                path = self.path.split("?", 1)[0]
                stats = site.stats
                with stats.lock:
                    stats.hits[path] += 1
                    stats.headers.append((path, {k.lower(): v for k, v in self.headers.items()}))
                    stats.current[host] += 1
                    stats.peak[host] = max(stats.peak[host], stats.current[host])
                try:
                    page = site.answer(path)
                    time.sleep(site.delay if page.delay is None else page.delay)
                    self.send_response(page.status)
                    if page.redirect:
                        self.send_header("Location", page.redirect)
                    self.send_header("Content-Type", page.content_type)
                    self.send_header("Content-Length", str(len(page.body)))
                    self.end_headers()
                    self.wfile.write(page.body)
                finally:
                    with stats.lock:
                        stats.current[host] -= 1

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 128

            def handle_error(self, request: object, client_address: object) -> None:
                """A client that hangs up (a deadline) is part of the tests."""

        self._httpd = Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    @property
    def feed_url(self) -> str:
        return self.url("/feed.xml")

    def article_path(self, number: int) -> str:
        return f"/articles/{number}/"

    def answer(self, path: str) -> Page:
        if path in self.pages:
            return self.pages[path]
        if path == "/feed.xml":
            return Page(self.feed().encode(), "application/rss+xml; charset=utf-8", delay=0.0)
        prefix = "/articles/"
        if path.startswith(prefix) and path.rstrip("/")[len(prefix) :].isdigit():
            number = int(path.rstrip("/")[len(prefix) :])
            if number < self.count:
                return Page(article_page(number).encode())
        return Page(b"<html><body><p>Page introuvable</p></body></html>", status=404, delay=0.0)

    def feed(self) -> str:
        """RSS 2.0 with a description (an excerpt) and no content:encoded: an excerpt-only feed."""
        items = []
        for number in range(self.count):
            _slug, title = TOPICS[number % len(TOPICS)]
            moment = datetime.fromtimestamp(self.published - number * 60, UTC)
            items.append(
                f"<item><title>{escape(title)} ({number})</title>"
                f"<link>{self.url(self.article_path(number))}</link>"
                f'<guid isPermaLink="false">courrier-{number}</guid>'
                f"<pubDate>{format_datetime(moment)}</pubDate>"
                f"<description>{escape(excerpt(number))}</description></item>"
            )
        return (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Le Courrier des communes</title><link>{self.base}/</link>"
            f"<description>Actualité des collectivités</description>{''.join(items)}</channel></rss>"
        )

    def page_hits(self) -> int:
        """Requests for article pages (the feed's own are not counted)."""
        return sum(n for path, n in self.stats.hits.items() if path.startswith("/articles/"))

    def __enter__(self) -> NewsSite:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
