"""A municipal website on a loopback server whose pages link their feeds in every way discovery must read
(written here: a synthetic « Mairie de Saint-Aubin-sur-Loire », its news, council minutes and agenda).

:func:`serve_mairie` registers the pages and feeds on a pytest-httpserver; each page's docstring-like
comment below says what it shows. The feeds' contents are fixed, so their previews are known:

| feed | address | kind | items | newest item |
|---|---|---|---|---|
| Actualités de Saint-Aubin-sur-Loire | ``/actualites/feed/`` | RSS | 4 | 20/11/2026 09:00 UTC |
| Délibérations du conseil municipal | ``/deliberations/atom.xml`` | Atom | 2 | 18/11/2026 19:30 UTC |
| Agenda de la commune | ``/agenda/feed.json`` | JSON Feed | 3 | 22/11/2026 17:00 UTC |
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape

from pytest_httpserver import HTTPServer

from support.feeds import item_xml, rss

MAIRIE = "Mairie de Saint-Aubin-sur-Loire"
NEWS_TITLE = "Actualités de Saint-Aubin-sur-Loire"
MINUTES_TITLE = "Délibérations du conseil municipal"
AGENDA_TITLE = "Agenda de la commune"
NEWS_NEWEST = int(datetime(2026, 11, 20, 9, 0, tzinfo=UTC).timestamp())
MINUTES_NEWEST = int(datetime(2026, 11, 18, 19, 30, tzinfo=UTC).timestamp())
AGENDA_NEWEST = int(datetime(2026, 11, 22, 17, 0, tzinfo=UTC).timestamp())
RSS_TYPE = "application/rss+xml"
ATOM_TYPE = "application/atom+xml"
JSON_FEED_TYPE = "application/feed+json"


def news_rss() -> bytes:
    return rss([item_xml(i) for i in range(4)], title=NEWS_TITLE)


def minutes_atom() -> bytes:
    sittings = [
        (
            "Séance du 18 novembre 2026 : budget supplémentaire et tarifs de la cantine",
            "2026-11-18T20:30:00+01:00",
        ),
        ("Séance du 14 octobre 2026 : plan local d’urbanisme intercommunal", "2026-10-14T20:30:00+02:00"),
    ]
    entries = "".join(
        f"<entry><title>{escape(title)}</title><id>urn:saint-aubin:deliberation:{n}</id>"
        f"<link rel='alternate' href='https://saint-aubin.example/deliberations/{n}/'/>"
        f"<updated>{when}</updated><author><name>Secrétariat de mairie</name></author>"
        f"<summary>Compte rendu de la séance publique du conseil municipal.</summary></entry>"
        for n, (title, when) in enumerate(sittings)
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
        f"<title>{MINUTES_TITLE}</title><link href='https://saint-aubin.example/'/>"
        f"<id>urn:saint-aubin:deliberations</id><updated>2026-11-18T20:30:00+01:00</updated>{entries}</feed>"
    ).encode()


def agenda_json() -> bytes:
    events = [
        ("Marché de Noël sur la place de la mairie", "2026-11-22T18:00:00+01:00"),
        ("Réunion publique sur la rénovation de l’école", "2026-11-21T18:30:00+01:00"),
        ("Permanence du conciliateur de justice", "2026-11-19T09:00:00+01:00"),
    ]
    items = [
        {
            "id": f"agenda-{n}",
            "url": f"https://saint-aubin.example/agenda/{n}/",
            "title": title,
            "content_html": f"<p>{escape(title)} : entrée libre, ouvert à tous les habitants.</p>",
            "date_published": when,
        }
        for n, (title, when) in enumerate(events)
    ]
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": AGENDA_TITLE,
        "home_page_url": "https://saint-aubin.example/agenda/",
        "items": items,
    }
    return json.dumps(document, ensure_ascii=False).encode()


def page(title: str, head: str = "", body: str = "", *, charset: str = "utf-8") -> bytes:
    """An HTML page of the town's site: ``head`` goes in its head (the links), ``body`` after the menu."""
    text = (
        "<!DOCTYPE html>\n<html lang='fr'><head>"
        f"<meta charset='{charset}'><title>{escape(title)} - {MAIRIE}</title>"
        "<link rel='stylesheet' href='/static/site.css'><link rel='icon' href='/favicon.ico'>"
        f"{head}</head><body><header><h1>{MAIRIE}</h1><nav><a href='/'>Accueil</a> "
        "<a href='/actualites/'>Actualités</a> <a href='/conseil/'>Conseil municipal</a> "
        "<a href='/agenda/'>Agenda</a> <a href='/demarches/'>Démarches</a></nav></header>"
        f"<main><h2>{escape(title)}</h2>{body}<p>La mairie est ouverte du lundi au vendredi, de 8 h 30 à "
        "12 h et de 13 h 30 à 17 h.</p></main><footer>Place de la République, 45000 Saint-Aubin-sur-Loire"
        "</footer></body></html>"
    )
    return text.encode(charset)


def alternate(kind: str, href: str, title: str = "") -> str:
    label = f" title='{escape(title, quote=True)}'" if title else ""
    return f"<link rel='alternate' type='{kind}' href='{escape(href, quote=True)}'{label}>"


@dataclass(frozen=True, slots=True)
class Mairie:
    server: HTTPServer

    def url(self, path: str) -> str:
        return self.server.url_for(path)

    def requested(self) -> list[str]:
        """Paths the site was asked for, in order."""
        return [request.path for request, _ in self.server.log]


def html(server: HTTPServer, path: str, body: bytes, content_type: str = "text/html; charset=utf-8") -> None:
    server.expect_request(path).respond_with_data(body, content_type=content_type)


def serve_feeds(server: HTTPServer) -> None:
    server.expect_request("/actualites/feed/").respond_with_data(news_rss(), content_type=RSS_TYPE)
    server.expect_request("/deliberations/atom.xml").respond_with_data(minutes_atom(), content_type=ATOM_TYPE)
    server.expect_request("/agenda/feed.json").respond_with_data(agenda_json(), content_type=JSON_FEED_TYPE)


def serve_mairie(server: HTTPServer) -> Mairie:
    """The town's site. Pages:

    - ``/``: the home page, three alternates: RSS by a root-relative href, Atom by an absolute one, JSON
      Feed by a relative one (and a stylesheet, an icon and a canonical link, which are not feeds);
    - ``/conseil/``: a ``<base href>`` that relative links follow (``/intercommunalite/flux/rss.xml``);
    - ``/agenda/``: one JSON Feed link only;
    - ``/ancien-site/``: a temporary redirect to ``/accueil/``, whose relative link means ``/accueil/…``;
    - ``/actualites/``: a WordPress-like page, an RSS link and a REST API link (``application/json``, no
      feed);
    - ``/demarches/``: the REST API link alone.
    """
    serve_feeds(server)
    home = "".join(
        (
            alternate(RSS_TYPE, "/actualites/feed/", "Actualités"),
            alternate(ATOM_TYPE, server.url_for("/deliberations/atom.xml"), "Délibérations"),
            alternate(JSON_FEED_TYPE, "agenda/feed.json", "Agenda"),
            f"<link rel='canonical' href='{server.url_for('/')}'>",
        )
    )
    html(server, "/", page("Accueil", home, "<p>Bienvenue sur le site de la commune.</p>"))
    council = "<base href='/intercommunalite/'>" + alternate(
        RSS_TYPE, "flux/rss.xml", "Conseil communautaire"
    )
    html(server, "/conseil/", page("Conseil municipal", council, "<p>Les séances sont publiques.</p>"))
    server.expect_request("/intercommunalite/flux/rss.xml").respond_with_data(
        rss([item_xml(i) for i in range(2)], title="Conseil communautaire du Val d’Aubin"),
        content_type=RSS_TYPE,
    )
    html(server, "/agenda/", page("Agenda", alternate(JSON_FEED_TYPE, "feed.json")))
    server.expect_request("/ancien-site/").respond_with_data(
        "", status=302, headers={"Location": "/accueil/"}
    )
    html(server, "/accueil/", page("Accueil", alternate(RSS_TYPE, "flux.xml", "Nouveau site")))
    server.expect_request("/accueil/flux.xml").respond_with_data(
        rss([item_xml(0)], title="Le nouveau site de Saint-Aubin"), content_type=RSS_TYPE
    )
    rest = "<link rel='alternate' type='application/json' href='/wp-json/wp/v2/pages/7'>"
    html(server, "/actualites/", page("Actualités", alternate(RSS_TYPE, "feed/") + rest))
    html(server, "/demarches/", page("Démarches", rest, "<p>État civil, urbanisme, élections.</p>"))
    server.expect_request("/wp-json/wp/v2/pages/7").respond_with_json({"id": 7, "title": {"rendered": "x"}})
    for path in ("/feed/", "/rss", "/atom.xml", "/feed.json"):
        server.expect_request(path).respond_with_data("Page introuvable", status=404)
    return Mairie(server)
