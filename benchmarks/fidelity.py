"""Field fidelity: on targeted cases built from real-world feed patterns, what fraction of field values
gazette-tui gets right, per category, compared with feedparser reading the same bytes.

    python benchmarks/fidelity.py [--json out.json] [--feedparser-misses] [--docs]

Why: the project promises (docs/FEEDS.md) to show what a careful reader shows (NetNewsWire or feedparser at
their best, and the RSS, Atom and JSON Feed specs): every date, author, body, title, link, category and
attachment. The differential tests prove that gazette-tui's roads agree with one another; they cannot tell
whether the answer they agree on is the *right* one. This file is that measurement: each case is a small
synthetic document (neutral English or French local-government words, never a copied feed) with the value a
user should see for ONE field, written down by hand before either reader was run. The rule is that
gazette-tui is never behind feedparser in any category, and is right on at least 97 % of the cases.

Values are compared after one shared normalisation, so that a reader is not punished for a harmless form:
titles and authors as whitespace-collapsed strings, bodies as plain text (``html_to_text`` on HTML), dates as
UTC epoch seconds or None (undated), URLs as strings with non-ASCII characters percent-encoded (an IRI and
its URI are the same address), categories as lists, enclosures as ``(url, length or 0)`` tuples, counts as
ints. A reader that raises, or gives no item where one is expected, is wrong on that case.

feedparser is mapped generously: its best field for each value (``author_detail.name`` before ``author``,
``published`` falling back to ``updated``, a tag's label before its term, ``media_content`` beside
``enclosures``, HTML titles shown as their text). It reads no JSON, so it is wrong on every JSON document.

No network: every document is built in memory and given the URL of a local server as its address. The exit
code is always 0: a miss is a result, not an error.
"""

from __future__ import annotations

import argparse
import calendar
import codecs
import json
import re
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from gazette_tui.core.feeds.parse import parse_feed
from gazette_tui.text import html_to_text

URL = "http://127.0.0.1:8000/feed.xml"
CATEGORIES = (
    "dates",
    "authors",
    "bodies",
    "titles",
    "links",
    "identity",
    "categories",
    "enclosures",
    "json",
    "encodings",
    "robustness",
)
FIELDS = (
    "title",
    "author",
    "published",
    "updated",
    "body",
    "body_links",
    "url",
    "external_url",
    "categories",
    "enclosures",
    "count",
    "distinct",
)


@dataclass(frozen=True, slots=True)
class Case:
    """One document and the value a careful reader shows for one field of one of its items."""

    category: str
    name: str
    data: bytes
    field: str
    expected: Any
    content_type: str
    index: int = 0
    """Which item (0 = the first) the field is read from; unused for ``count`` and ``distinct``."""
    note: str = ""
    """Why the expected value is what it is, when the sources disagree ("unsure: …")."""


@dataclass(slots=True)
class Outcome:
    got: Any
    right: bool
    error: str = ""


@dataclass(slots=True)
class Result:
    case: Case
    readers: dict[str, Outcome] = field(default_factory=dict)


# --- documents ------------------------------------------------------------------------------------

RSS_NS = (
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:atom="http://www.w3.org/2005/Atom" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" '
    'xmlns:media="http://search.yahoo.com/mrss/" xmlns:dcterms="http://purl.org/dc/terms/"'
)
ATOM_NS = (
    'xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:yt="http://www.youtube.com/xml/schemas/2015"'
)
XHTML = "http://www.w3.org/1999/xhtml"
DECL = '<?xml version="1.0" encoding="utf-8"?>'


def rss(
    items: str,
    channel: str = "",
    *,
    decl: str = DECL,
    version: str = "2.0",
    root_attrs: str = "",
    channel_attrs: str = "",
) -> str:
    """An RSS 2.0 document around ``items`` (as text: the case encodes it)."""
    return (
        f'{decl}<rss version="{version}" {RSS_NS}{root_attrs}><channel{channel_attrs}>'
        "<title>Ville de Sainte-Aube</title><link>http://127.0.0.1:8000/</link>"
        f"<description>Actualités de la commune</description>{channel}{items}</channel></rss>"
    )


def item(*parts: str, attrs: str = "") -> str:
    return f"<item{attrs}>" + "".join(parts) + "</item>"


def rdf(items: str) -> str:
    """An RSS 1.0 (RDF) document; items are ``rdf_item`` strings."""
    return (
        f'{DECL}<rdf:RDF xmlns="http://purl.org/rss/1.0/" '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        '<channel rdf:about="http://127.0.0.1:8000/"><title>Conseil</title><link>http://127.0.0.1:8000/</link>'
        "<description>Délibérations</description></channel>"
        f"{items}</rdf:RDF>"
    )


def rdf_item(about: str, *parts: str) -> str:
    return f'<item rdf:about="{about}">' + "".join(parts) + "</item>"


def atom(entries: str, head: str = "", *, attrs: str = "") -> str:
    return (
        f"{DECL}<feed {ATOM_NS}{attrs}><title>Mairie de Valbourg</title><id>urn:uuid:feed</id>"
        f"<updated>2020-01-01T00:00:00Z</updated>{head}{entries}</feed>"
    )


def entry(*parts: str, id: str = "urn:uuid:entry-1", attrs: str = "") -> str:
    return f"<entry{attrs}><id>{id}</id>" + "".join(parts) + "</entry>"


def jsonfeed(items: list[Any], version: str | None = "https://jsonfeed.org/version/1.1", **top: Any) -> str:
    document: dict[str, Any] = {}
    if version is not None:
        document["version"] = version
    document.update({"title": "Flux de la mairie", "home_page_url": "http://127.0.0.1:8000/", **top})
    document["items"] = items
    return json.dumps(document, ensure_ascii=False)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> int:
    return int(datetime(year, month, day, hour, minute, second, tzinfo=UTC).timestamp())


class Cases:
    """Collects the cases of one category."""

    def __init__(self, category: str) -> None:
        self.category = category
        self.cases: list[Case] = []

    def add(
        self,
        name: str,
        document: str | bytes,
        field: str,
        expected: Any,
        *,
        content_type: str | None = None,
        index: int = 0,
        note: str = "",
        encoding: str = "utf-8",
    ) -> None:
        assert field in FIELDS, field
        data = document if isinstance(document, bytes) else document.encode(encoding)
        if content_type is None:
            head = data.lstrip()[:400]
            if head.startswith((b"{", b"[")):
                content_type = "application/feed+json"
            elif b"<feed" in head:
                content_type = "application/atom+xml"
            else:
                content_type = "application/rss+xml"
        self.cases.append(
            Case(self.category, name, data, field, expected, content_type, index=index, note=note)
        )


# --- dates ----------------------------------------------------------------------------------------


def date_cases() -> list[Case]:
    c = Cases("dates")
    at1433 = utc(2020, 1, 10, 14, 33)
    rfc822 = [
        ("rfc822 +0100", "Fri, 10 Jan 2020 14:33:00 +0100", utc(2020, 1, 10, 13, 33)),
        ("rfc822 GMT", "Fri, 10 Jan 2020 14:33:00 GMT", at1433),
        ("rfc822 no weekday", "10 Jan 2020 14:33:00 +0100", utc(2020, 1, 10, 13, 33)),
        ("rfc822 two-digit year", "Fri, 10 Jan 20 14:33:00 GMT", at1433),
        ("rfc822 no seconds", "Fri, 10 Jan 2020 14:33 +0100", utc(2020, 1, 10, 13, 33)),
        ("rfc822 no zone", "Fri, 10 Jan 2020 14:33:00", at1433),
        ("rfc822 full month name", "Friday, 10 January 2020 14:33:00 +0000", at1433),
        ("zone MET", "Fri, 10 Jan 2020 14:33:00 MET", utc(2020, 1, 10, 13, 33)),
        ("zone MEST", "Fri, 10 Jul 2020 14:33:00 MEST", utc(2020, 7, 10, 12, 33)),
        ("zone CET", "Fri, 10 Jan 2020 14:33:00 CET", utc(2020, 1, 10, 13, 33)),
        ("zone CEST", "Fri, 10 Jul 2020 14:33:00 CEST", utc(2020, 7, 10, 12, 33)),
        ("zone EST", "Fri, 10 Jan 2020 14:33:00 EST", utc(2020, 1, 10, 19, 33)),
        ("zone EDT", "Fri, 10 Jul 2020 14:33:00 EDT", utc(2020, 7, 10, 18, 33)),
        ("zone PST", "Fri, 10 Jan 2020 14:33:00 PST", utc(2020, 1, 10, 22, 33)),
        ("zone GMT+0200", "Fri, 10 Jan 2020 14:33:00 GMT+0200", utc(2020, 1, 10, 12, 33)),
        ("zone UTC+02:00", "Fri, 10 Jan 2020 14:33:00 UTC+02:00", utc(2020, 1, 10, 12, 33)),
        ("12-hour clock", "Friday, January 10, 2020 2:33 PM", at1433),
    ]
    iso = [
        ("iso Z", "2020-01-10T14:33:00Z", at1433),
        ("iso +02:00", "2020-01-10T14:33:00+02:00", utc(2020, 1, 10, 12, 33)),
        ("iso fraction", "2020-01-10T14:33:00.123Z", at1433),
        ("iso no seconds", "2020-01-10T14:33Z", at1433),
        ("iso no zone", "2020-01-10T14:33:00", at1433),
        ("iso date only", "2020-01-10", utc(2020, 1, 10)),
        ("iso space separator", "2020-01-10 14:33:00", at1433),
        ("slashes year first", "2020/1/10 14:33:00", at1433),
    ]
    numeric = [
        ("day first 10/01/2020", "10/01/2020", utc(2020, 1, 10), "unsure: day first is a FEEDS.md decision"),
        ("only US order 12/31/2020", "12/31/2020", utc(2020, 12, 31), ""),
    ]
    undated = [
        ("zero date mysql", "0000-00-00 00:00:00"),
        ("31 February", "Mon, 31 Feb 2020 10:00:00 +0000"),
        ("offset +9900", "Fri, 10 Jan 2020 14:33:00 +9900"),
        ("words", "bientôt"),
        ("placeholder 9999-12-31", "9999-12-31"),
        ("empty pubDate", ""),
    ]
    for name, value, expected in rfc822 + iso:
        c.add(name, rss(item("<title>Séance</title>", f"<pubDate>{value}</pubDate>")), "published", expected)
    for name, value, expected, note in numeric:
        c.add(
            name,
            rss(item("<title>Séance</title>", f"<pubDate>{value}</pubDate>")),
            "published",
            expected,
            note=note,
        )
    for name, value in undated:
        c.add(name, rss(item("<title>Séance</title>", f"<pubDate>{value}</pubDate>")), "published", None)
    c.add(
        "epoch zero is a placeholder",
        rss(item("<title>Séance</title>", "<pubDate>Thu, 01 Jan 1970 00:00:00 +0000</pubDate>")),
        "published",
        None,
        note="unsure: 1970-01-01T00:00Z is what date(0) prints; FEEDS.md treats it as a placeholder",
    )
    iso_paris = "2020-01-10T14:33:00+01:00"
    c.add(
        "dc:date",
        rss(item("<title>x</title>", f"<dc:date>{iso_paris}</dc:date>")),
        "published",
        utc(2020, 1, 10, 13, 33),
    )
    c.add(
        "dc:date is updated",
        rss(item("<title>x</title>", f"<dc:date>{iso_paris}</dc:date>")),
        "updated",
        utc(2020, 1, 10, 13, 33),
    )
    c.add(
        "dcterms:modified is updated",
        rss(
            item(
                "<title>x</title>",
                "<pubDate>Fri, 10 Jan 2020 09:00:00 +0000</pubDate>",
                "<dcterms:modified>2020-01-12T10:00:00Z</dcterms:modified>",
            )
        ),
        "updated",
        utc(2020, 1, 12, 10),
    )
    c.add(
        "dcterms:modified alone dates the item",
        rss(item("<title>x</title>", "<dcterms:modified>2020-01-12T10:00:00Z</dcterms:modified>")),
        "published",
        utc(2020, 1, 12, 10),
    )
    c.add(
        "pubDate wins over dcterms:modified",
        rss(
            item(
                "<title>x</title>",
                "<pubDate>Fri, 10 Jan 2020 09:00:00 +0000</pubDate>",
                "<dcterms:modified>2020-01-12T10:00:00Z</dcterms:modified>",
            )
        ),
        "published",
        utc(2020, 1, 10, 9),
    )
    c.add(
        "rdf dc:date",
        rdf(
            rdf_item(
                "http://127.0.0.1:8000/d/1",
                "<title>Délibération</title>",
                "<link>http://127.0.0.1:8000/d/1</link>",
                "<dc:date>2020-01-10T14:33:00+01:00</dc:date>",
            )
        ),
        "published",
        utc(2020, 1, 10, 13, 33),
    )
    c.add(
        "atom published",
        atom(
            entry(
                "<title>x</title>",
                f"<published>{iso_paris}</published>",
                "<updated>2020-01-11T08:00:00Z</updated>",
            )
        ),
        "published",
        utc(2020, 1, 10, 13, 33),
    )
    c.add(
        "atom updated only",
        atom(entry("<title>x</title>", "<updated>2020-01-11T08:00:00Z</updated>")),
        "published",
        utc(2020, 1, 11, 8),
    )
    c.add(
        "atom updated",
        atom(
            entry(
                "<title>x</title>",
                f"<published>{iso_paris}</published>",
                "<updated>2020-01-11T08:00:00Z</updated>",
            )
        ),
        "updated",
        utc(2020, 1, 11, 8),
    )
    c.add(
        "atom zero date",
        atom(entry("<title>x</title>", "<updated>0000-00-00T00:00:00Z</updated>")),
        "published",
        None,
    )
    return c.cases


# --- authors --------------------------------------------------------------------------------------


def author_cases() -> list[Case]:
    c = Cases("authors")

    def one(name: str, element: str, expected: str, note: str = "") -> None:
        c.add(name, rss(item("<title>Travaux rue Haute</title>", element)), "author", expected, note=note)

    one("dc:creator", "<dc:creator>Claire Martin</dc:creator>", "Claire Martin")
    one("dc:creator CDATA", "<dc:creator><![CDATA[Claire Martin]]></dc:creator>", "Claire Martin")
    one("dc:creator with line breaks", "<dc:creator>\n   Claire\n   Martin\n</dc:creator>", "Claire Martin")
    one("dc:creator entity", "<dc:creator>L&#233;a Dubois</dc:creator>", "Léa Dubois")
    one("dc:creator ampersand", "<dc:creator>Dupont &amp; Fils</dc:creator>", "Dupont & Fils")
    one("author mail (Name)", "<author>claire@ville.test (Claire Martin)</author>", "Claire Martin")
    one(
        "author mail (Name) accents",
        "<author>redaction@ville.test (Rédaction de la mairie)</author>",
        "Rédaction de la mairie",
    )
    one("author Name <mail>", "<author>Claire Martin &lt;claire@ville.test&gt;</author>", "Claire Martin")
    one(
        "author Name <mail> CDATA",
        "<author><![CDATA[Claire Martin <claire@ville.test>]]></author>",
        "Claire Martin",
    )
    one("author bare address", "<author>claire@ville.test</author>", "claire@ville.test")
    one("author name only", "<author>Service urbanisme</author>", "Service urbanisme")
    one(
        "dc:creator mail (Name)",
        "<dc:creator>com@ville.test (Service communication)</dc:creator>",
        "Service communication",
    )
    one(
        "atom:author in RSS",
        "<atom:author><atom:name>Claire Martin</atom:name></atom:author>",
        "Claire Martin",
    )
    one(
        "atom:author with email in RSS",
        "<atom:author><atom:name>Claire Martin</atom:name>"
        "<atom:email>c@ville.test</atom:email></atom:author>",
        "Claire Martin",
    )
    one("itunes:author", "<itunes:author>Radio Valbourg</itunes:author>", "Radio Valbourg")
    c.add(
        "managingEditor is not the item author",
        rss(item("<title>x</title>"), "<managingEditor>chef@ville.test (Le rédacteur)</managingEditor>"),
        "author",
        "",
        note="FEEDS.md decision: managingEditor is an editor's address",
    )
    c.add(
        "rdf dc:creator",
        rdf(
            rdf_item(
                "http://127.0.0.1:8000/d/1",
                "<title>Délibération</title>",
                "<link>http://127.0.0.1:8000/d/1</link>",
                "<dc:creator>Greffe</dc:creator>",
            )
        ),
        "author",
        "Greffe",
    )
    c.add(
        "atom author/name",
        atom(entry("<title>x</title>", "<author><name>Claire Martin</name></author>")),
        "author",
        "Claire Martin",
    )
    c.add(
        "atom author name and email",
        atom(
            entry(
                "<title>x</title>",
                "<author><name>Claire Martin</name><email>c@ville.test</email>"
                "<uri>https://ville.test/claire</uri></author>",
            )
        ),
        "author",
        "Claire Martin",
    )
    c.add(
        "atom author email only",
        atom(entry("<title>x</title>", "<author><email>c@ville.test</email></author>")),
        "author",
        "c@ville.test",
    )
    c.add(
        "atom feed author fallback",
        atom(entry("<title>x</title>"), "<author><name>Service communication</name></author>"),
        "author",
        "Service communication",
    )
    c.add(
        "atom entry author beats feed author",
        atom(
            entry("<title>x</title>", "<author><name>Léa Dubois</name></author>"),
            "<author><name>Service communication</name></author>",
        ),
        "author",
        "Léa Dubois",
    )
    c.add(
        "atom feed author for the second entry",
        atom(
            entry("<title>x</title>", "<author><name>Léa Dubois</name></author>")
            + entry("<title>y</title>", id="urn:uuid:entry-2"),
            "<author><name>Service communication</name></author>",
        ),
        "author",
        "Service communication",
        index=1,
    )
    c.add(
        "atom two authors",
        atom(
            entry(
                "<title>x</title>",
                "<author><name>Ana Lopez</name></author>",
                "<author><name>Bruno Petit</name></author>",
            )
        ),
        "author",
        "Ana Lopez, Bruno Petit",
        note="unsure: how several authors are joined for display (', ' as JSON Feed readers do)",
    )
    c.add(
        "atom dc:creator",
        atom(entry("<title>x</title>", "<dc:creator>Claire Martin</dc:creator>")),
        "author",
        "Claire Martin",
    )
    c.add(
        "json 1.1 authors",
        jsonfeed([{"id": "1", "content_text": "x", "authors": [{"name": "Léa Dubois"}]}]),
        "author",
        "Léa Dubois",
    )
    c.add(
        "json 1.1 two authors",
        jsonfeed(
            [{"id": "1", "content_text": "x", "authors": [{"name": "Ana Lopez"}, {"name": "Bruno Petit"}]}]
        ),
        "author",
        "Ana Lopez, Bruno Petit",
    )
    c.add(
        "json 1.0 author",
        jsonfeed(
            [{"id": "1", "content_text": "x", "author": {"name": "Claire Martin"}}],
            "https://jsonfeed.org/version/1",
        ),
        "author",
        "Claire Martin",
    )
    c.add(
        "json feed authors fallback",
        jsonfeed([{"id": "1", "content_text": "x"}], authors=[{"name": "Service communication"}]),
        "author",
        "Service communication",
    )
    c.add(
        "json 1.0 feed author fallback",
        jsonfeed(
            [{"id": "1", "content_text": "x"}],
            "https://jsonfeed.org/version/1",
            author={"name": "Service communication", "url": "https://ville.test/"},
        ),
        "author",
        "Service communication",
    )
    return c.cases


# --- bodies ---------------------------------------------------------------------------------------


def body_cases() -> list[Case]:
    c = Cases("bodies")
    t = "<title>Budget 2024</title>"
    c.add(
        "content:encoded beats description",
        rss(
            item(
                t,
                "<description>Le chapô.</description>",
                "<content:encoded><![CDATA[<p>Le budget <b>primitif</b> est voté.</p>]]></content:encoded>",
            )
        ),
        "body",
        "Le budget primitif est voté.",
    )
    c.add(
        "content:encoded escaped",
        rss(
            item(
                t,
                "<content:encoded>&lt;p&gt;Le budget est &lt;em&gt;voté&lt;/em&gt;.&lt;/p&gt;"
                "</content:encoded>",
            )
        ),
        "body",
        "Le budget est voté.",
    )
    c.add(
        "empty content:encoded falls back to description",
        rss(item(t, "<description>Le budget est voté.</description>", "<content:encoded></content:encoded>")),
        "body",
        "Le budget est voté.",
    )
    c.add(
        "description plain",
        rss(item(t, "<description>Le conseil a voté le budget.</description>")),
        "body",
        "Le conseil a voté le budget.",
    )
    c.add(
        "description escaped html",
        rss(
            item(
                t,
                "<description>&lt;p&gt;Le conseil a voté &lt;strong&gt;le budget&lt;/strong&gt;.&lt;/p&gt;"
                "</description>",
            )
        ),
        "body",
        "Le conseil a voté le budget.",
    )
    c.add(
        "description CDATA",
        rss(
            item(
                t,
                "<description><![CDATA[<p>Ouverture de la <a href='/piscine'>piscine</a>.</p>]]>"
                "</description>",
            )
        ),
        "body",
        "Ouverture de la piscine.",
    )
    c.add(
        "description raw xhtml children",
        rss(item(t, "<description><p>Le <b>marché</b> de Noël ouvre samedi.</p></description>")),
        "body",
        "Le marché de Noël ouvre samedi.",
    )
    c.add(
        "description raw xhtml two paragraphs",
        rss(item(t, "<description><p>Premier point.</p><p>Second <i>point</i>.</p></description>")),
        "body",
        "Premier point. Second point.",
    )
    c.add(
        "entity inside CDATA",
        rss(item(t, "<description><![CDATA[<p>Caf&eacute; citoyen &amp; d&eacute;bat</p>]]></description>")),
        "body",
        "Café citoyen & débat",
    )
    c.add(
        "numeric references",
        rss(item(t, "<description>L&#8217;&#233;cole rouvre.</description>")),
        "body",
        "L’école rouvre.",
    )
    c.add(
        "script removed",
        rss(item(t, "<description><![CDATA[<p>Texte visible.</p><script>alert(1)</script>]]></description>")),
        "body",
        "Texte visible.",
    )
    c.add(
        "html comment removed",
        rss(item(t, "<description><![CDATA[<p>Avant<!-- note interne --> après.</p>]]></description>")),
        "body",
        "Avant après.",
    )
    c.add(
        "self-closing iframe does not swallow the rest",
        rss(
            item(
                t,
                "<description><![CDATA[<p>Avant</p><iframe src='https://video.test/e/1'/>"
                "<p>Après</p>]]></description>",
            )
        ),
        "body",
        "Avant Après",
    )
    c.add(
        "br separates words",
        rss(item(t, "<description><![CDATA[Ligne une<br/>Ligne deux]]></description>")),
        "body",
        "Ligne une Ligne deux",
    )
    c.add(
        "itunes:summary alone",
        rss(item("<title>Épisode 3</title>", "<itunes:summary>Les élus parlent du budget.</itunes:summary>")),
        "body",
        "Les élus parlent du budget.",
    )
    c.add(
        "media:description in rss",
        rss(item("<title>Vidéo</title>", "<media:description>Le conseil en direct.</media:description>")),
        "body",
        "Le conseil en direct.",
    )
    c.add(
        "media:group media:description in rss",
        rss(
            item(
                "<title>Vidéo</title>",
                "<media:group><media:title>Vidéo</media:title>"
                "<media:description>Le conseil en direct.</media:description>"
                "<media:content url='https://video.test/v.mp4' type='video/mp4'/></media:group>",
            )
        ),
        "body",
        "Le conseil en direct.",
    )
    c.add(
        "youtube atom media:group",
        atom(
            entry(
                "<title>Conseil municipal</title>",
                "<yt:videoId>abc</yt:videoId>",
                '<link rel="alternate" href="https://video.test/watch?v=abc"/>',
                "<published>2020-01-10T14:33:00+00:00</published>",
                "<media:group><media:title>Conseil municipal</media:title>"
                '<media:content url="https://video.test/v/abc" type="application/x-shockwave-flash"/>'
                '<media:thumbnail url="https://img.test/abc.jpg"/>'
                "<media:description>Séance du 10 janvier.\nOrdre du jour : budget.</media:description>"
                "</media:group>",
                id="yt:video:abc",
            )
        ),
        "body",
        "Séance du 10 janvier. Ordre du jour : budget.",
    )
    c.add(
        "rdf content:encoded",
        rdf(
            rdf_item(
                "http://127.0.0.1:8000/d/1",
                "<title>Délibération</title>",
                "<link>http://127.0.0.1:8000/d/1</link>",
                "<description>Résumé.</description>",
                "<content:encoded>&lt;p&gt;Texte complet.&lt;/p&gt;</content:encoded>",
            )
        ),
        "body",
        "Texte complet.",
    )
    c.add(
        "rss 0.91 description",
        rss(
            item(t, "<link>http://127.0.0.1:8000/a</link>", "<description>Texte court.</description>"),
            version="0.91",
        ),
        "body",
        "Texte court.",
    )
    a = "<title>Budget</title>"
    c.add(
        "atom content text",
        atom(entry(a, '<content type="text">a &lt; b &amp; c</content>')),
        "body",
        "a < b & c",
    )
    c.add("atom content no type", atom(entry(a, "<content>Texte simple.</content>")), "body", "Texte simple.")
    c.add(
        "atom content html",
        atom(entry(a, '<content type="html">&lt;p&gt;Un &lt;b&gt;mot&lt;/b&gt; fort.&lt;/p&gt;</content>')),
        "body",
        "Un mot fort.",
    )
    c.add(
        "atom content html CDATA",
        atom(entry(a, '<content type="html"><![CDATA[<p>Un <b>mot</b> fort.</p>]]></content>')),
        "body",
        "Un mot fort.",
    )
    c.add(
        "atom content text/html mime",
        atom(entry(a, '<content type="text/html">&lt;p&gt;Un mot.&lt;/p&gt;</content>')),
        "body",
        "Un mot.",
    )
    c.add(
        "atom content xhtml",
        atom(
            entry(a, f'<content type="xhtml"><div xmlns="{XHTML}"><p>Un <b>mot</b> fort.</p></div></content>')
        ),
        "body",
        "Un mot fort.",
    )
    c.add(
        "atom content xhtml prefixed",
        atom(
            entry(
                a,
                f'<content type="xhtml"><x:div xmlns:x="{XHTML}"><x:p>Un <x:em>mot</x:em>.</x:p>'
                "</x:div></content>",
            )
        ),
        "body",
        "Un mot.",
    )
    c.add("atom summary only", atom(entry(a, "<summary>Le résumé.</summary>")), "body", "Le résumé.")
    c.add(
        "atom content beats summary",
        atom(
            entry(
                a,
                "<summary>Le résumé.</summary>",
                '<content type="html">&lt;p&gt;Le texte.&lt;/p&gt;</content>',
            )
        ),
        "body",
        "Le texte.",
    )
    c.add(
        "atom summary html",
        atom(entry(a, '<summary type="html">&lt;p&gt;Le &lt;i&gt;résumé&lt;/i&gt;.&lt;/p&gt;</summary>')),
        "body",
        "Le résumé.",
    )
    c.add(
        "atom out-of-line content keeps the summary",
        atom(
            entry(
                a,
                "<summary>Le résumé.</summary>",
                '<content type="text/html" src="https://ville.test/article/1"/>',
            )
        ),
        "body",
        "Le résumé.",
    )
    c.add(
        "style block removed",
        rss(item(t, "<description><![CDATA[<style>p { color: red }</style><p>Texte.</p>]]></description>")),
        "body",
        "Texte.",
    )
    c.add(
        "escaped non-breaking space",
        rss(item(t, "<description>&lt;p&gt;Salle&amp;nbsp;des f&amp;ecirc;tes&lt;/p&gt;</description>")),
        "body",
        "Salle des fêtes",
    )
    c.add(
        "description with an xhtml div",
        rss(
            item(
                t,
                f'<description><div xmlns="{XHTML}"><p>Collecte des <b>encombrants</b>.</p></div>'
                "</description>",
            )
        ),
        "body",
        "Collecte des encombrants.",
    )
    c.add(
        "atom xhtml with an empty iframe",
        atom(
            entry(
                a,
                f'<content type="xhtml"><div xmlns="{XHTML}"><p>Avant</p>'
                '<iframe src="https://video.test/e/1"/><p>Après</p></div></content>',
            )
        ),
        "body",
        "Avant Après",
    )
    c.add(
        "atom html with a script",
        atom(
            entry(
                a, '<content type="html">&lt;p&gt;Texte.&lt;/p&gt;&lt;script&gt;x()&lt;/script&gt;</content>'
            )
        ),
        "body",
        "Texte.",
    )
    return c.cases


# --- titles ---------------------------------------------------------------------------------------


def title_cases() -> list[Case]:
    c = Cases("titles")

    def one(name: str, title: str, expected: str, note: str = "") -> None:
        c.add(name, rss(item(f"<title>{title}</title>")), "title", expected, note=note)

    one("escaped angle brackets are text", "Using Vector&lt;int&gt;", "Using Vector<int>")
    one("escaped real html stripped", "&lt;b&gt;Budget&lt;/b&gt; voté", "Budget voté")
    one("escaped paragraph stripped", "&lt;p&gt;Séance publique&lt;/p&gt;", "Séance publique")
    one("escaped link stripped", "&lt;a href='/x'&gt;Lien&lt;/a&gt; utile", "Lien utile")
    one("escaped br", "Ligne&lt;br/&gt;suivante", "Ligne suivante")
    one("ampersand", "AT&amp;T", "AT&T")
    one("ampersand word", "Culture &amp; loisirs", "Culture & loisirs")
    one("greater than", "5 &gt; 3", "5 > 3")
    one("less than with space", "x &lt; y", "x < y")
    one("vector and ampersand", "Vector&lt;int&gt; &amp; list", "Vector<int> & list")
    one("numeric reference", "Le conseil &#233;lu", "Le conseil élu")
    one("hex reference", "L&#x2019;été", "L’été")
    one(
        "double-escaped entity",
        "Caf&amp;eacute; citoyen",
        "Café citoyen",
        note="unsure: an escaped &eacute; in an RSS title is HTML in practice",
    )
    one("CDATA with entity and tag", "<![CDATA[Caf&eacute; <i>citoyen</i>]]>", "Café citoyen")
    one("CDATA with bare less-than", "<![CDATA[Budget : 5 < 10]]>", "Budget : 5 < 10")
    one("CDATA with bare ampersand", "<![CDATA[R&D en mairie]]>", "R&D en mairie")
    one("whitespace collapsed", "\n   Conseil\n\tmunicipal   \n", "Conseil municipal")
    one("emoji", "Fête 🎉 de la musique", "Fête 🎉 de la musique")
    c.add(
        "dc:title fallback",
        rss(item("<dc:title>Par le greffe</dc:title>", "<link>http://127.0.0.1:8000/a</link>")),
        "title",
        "Par le greffe",
    )
    c.add(
        "media:title fallback",
        rss(item("<media:title>Vidéo du conseil</media:title>", "<link>http://127.0.0.1:8000/a</link>")),
        "title",
        "Vidéo du conseil",
    )
    c.add(
        "rdf title",
        rdf(
            rdf_item(
                "http://127.0.0.1:8000/d/1",
                "<title>Délibération n° 12</title>",
                "<link>http://127.0.0.1:8000/d/1</link>",
            )
        ),
        "title",
        "Délibération n° 12",
    )
    c.add(
        "rss 0.91 title",
        rss(item("<title>Avis</title>", "<link>http://127.0.0.1:8000/a</link>"), version="0.91"),
        "title",
        "Avis",
    )

    def at(name: str, element: str, expected: str, note: str = "") -> None:
        c.add(name, atom(entry(element)), "title", expected, note=note)

    at(
        "atom text title shown as written",
        '<title type="text">Balise &lt;b&gt; en HTML</title>',
        "Balise <b> en HTML",
    )
    at("atom default type is text", "<title>Vector&lt;int&gt;</title>", "Vector<int>")
    at("atom text title keeps an escaped entity", '<title type="text">Caf&amp;eacute;</title>', "Caf&eacute;")
    at(
        "atom html title stripped",
        '<title type="html">&lt;em&gt;Budget&lt;/em&gt; 2024</title>',
        "Budget 2024",
    )
    at(
        "atom html title double escaped",
        '<title type="html">Vector&amp;lt;int&amp;gt;</title>',
        "Vector<int>",
    )
    at(
        "atom html title CDATA",
        '<title type="html"><![CDATA[Caf&eacute; <b>citoyen</b>]]></title>',
        "Café citoyen",
    )
    at(
        "atom xhtml title",
        f'<title type="xhtml"><div xmlns="{XHTML}">Le <b>budget</b></div></title>',
        "Le budget",
    )
    at("atom ampersand", "<title>AT&amp;T</title>", "AT&T")
    c.add(
        "json title with <i>",
        jsonfeed([{"id": "1", "title": "Le <i>budget</i> voté", "content_text": "x"}]),
        "title",
        "Le budget voté",
        note="unsure: JSON Feed says titles are plain text; FEEDS.md strips known tags, as readers do",
    )
    c.add(
        "json title with angle brackets",
        jsonfeed([{"id": "1", "title": "Vector<int>", "content_text": "x"}]),
        "title",
        "Vector<int>",
    )
    return c.cases


# --- links ----------------------------------------------------------------------------------------


def link_cases() -> list[Case]:
    c = Cases("links")
    t = "<title>Avis</title>"

    def one(
        name: str, parts: str, expected: str, *, note: str = "", item_attrs: str = "", **kwargs: str
    ) -> None:
        c.add(name, rss(item(t, parts, attrs=item_attrs), **kwargs), "url", expected, note=note)

    one("link", "<link>https://ville.test/actu/1</link>", "https://ville.test/actu/1")
    one("link with whitespace", "<link>\n  https://ville.test/actu/1  \n</link>", "https://ville.test/actu/1")
    one(
        "link with escaped ampersand",
        "<link>https://ville.test/?p=1&amp;lang=fr</link>",
        "https://ville.test/?p=1&lang=fr",
    )
    one(
        "link beats guid",
        "<link>https://ville.test/actu/1</link><guid>https://ville.test/?p=1</guid>",
        "https://ville.test/actu/1",
    )
    one("guid permalink by default", "<guid>https://ville.test/actu/2</guid>", "https://ville.test/actu/2")
    one(
        "guid isPermaLink true",
        '<guid isPermaLink="true">https://ville.test/actu/2</guid>',
        "https://ville.test/actu/2",
    )
    one(
        "guid url with isPermaLink false",
        '<guid isPermaLink="false">https://ville.test/actu/2</guid>',
        "https://ville.test/actu/2",
        note="unsure: the spec says not to assume it is a URL; FEEDS.md uses it when it is one",
    )
    one("guid that is not a url", "<guid isPermaLink='false'>actu-42</guid>", "")
    one(
        "empty link and permalink guid",
        "<link></link><guid>https://ville.test/actu/3</guid>",
        "https://ville.test/actu/3",
    )
    one("relative link absolute path", "<link>/actu/1</link>", "http://127.0.0.1:8000/actu/1")
    one("relative link", "<link>actu/1.html</link>", "http://127.0.0.1:8000/actu/1.html")
    one(
        "relative link xml:base on item",
        "<link>actu/1</link>",
        "https://autre.test/x/actu/1",
        item_attrs=' xml:base="https://autre.test/x/"',
    )
    one(
        "relative link xml:base on channel",
        "<link>/actu/1</link>",
        "https://autre.test/actu/1",
        channel_attrs=' xml:base="https://autre.test/x/"',
    )
    one(
        "relative link xml:base on rss",
        "<link>actu/1</link>",
        "https://autre.test/x/actu/1",
        root_attrs=' xml:base="https://autre.test/x/"',
    )
    one(
        "relative xml:base against feed url",
        "<link>1</link>",
        "http://127.0.0.1:8000/actus/1",
        channel_attrs=' xml:base="/actus/"',
    )
    one("javascript link dropped", "<link>javascript:alert(1)</link>", "")
    one(
        "space in link encoded",
        "<link>https://ville.test/actu/mon article</link>",
        "https://ville.test/actu/mon%20article",
    )
    a = "<title>Avis</title>"
    c.add(
        "atom alternate",
        atom(entry(a, '<link rel="alternate" href="https://ville.test/a/1"/>')),
        "url",
        "https://ville.test/a/1",
    )
    c.add(
        "atom link without rel",
        atom(entry(a, '<link href="https://ville.test/a/1"/>')),
        "url",
        "https://ville.test/a/1",
    )
    c.add(
        "atom alternate after self",
        atom(
            entry(
                a,
                '<link rel="self" href="https://ville.test/api/1"/>',
                '<link rel="alternate" type="text/html" href="https://ville.test/a/1"/>',
            )
        ),
        "url",
        "https://ville.test/a/1",
    )
    c.add(
        "atom relative href",
        atom(entry(a, '<link rel="alternate" href="/a/1"/>')),
        "url",
        "http://127.0.0.1:8000/a/1",
    )
    c.add(
        "atom relative href xml:base on entry",
        atom(entry(a, '<link rel="alternate" href="a/1"/>', attrs=' xml:base="https://autre.test/blog/"')),
        "url",
        "https://autre.test/blog/a/1",
    )
    c.add(
        "atom relative href xml:base on feed",
        atom(entry(a, '<link rel="alternate" href="a/1"/>'), attrs=' xml:base="https://autre.test/blog/"'),
        "url",
        "https://autre.test/blog/a/1",
    )

    def body(name: str, document: str, expected: list[str]) -> None:
        c.add(name, document, "body_links", expected)

    body(
        "body href against feed url",
        rss(item(t, "<description>&lt;a href='../doc/budget.pdf'&gt;pdf&lt;/a&gt;</description>")),
        ["http://127.0.0.1:8000/doc/budget.pdf"],
    )
    body(
        "body img src against feed url",
        rss(item(t, "<description><![CDATA[<img src='img/plan.png' alt='plan'>]]></description>")),
        ["http://127.0.0.1:8000/img/plan.png"],
    )
    body(
        "body href against xml:base",
        rss(
            item(
                t,
                "<description>&lt;a href='doc.pdf'&gt;pdf&lt;/a&gt;</description>",
                attrs=' xml:base="https://autre.test/x/"',
            )
        ),
        ["https://autre.test/x/doc.pdf"],
    )
    body(
        "atom body href against entry xml:base",
        atom(
            entry(
                a,
                '<content type="html">&lt;a href="/plan"&gt;plan&lt;/a&gt;</content>',
                attrs=' xml:base="https://autre.test/blog/"',
            )
        ),
        ["https://autre.test/plan"],
    )
    body(
        "body protocol-relative src",
        rss(item(t, "<description><![CDATA[<img src='//cdn.ville.test/a.png'>]]></description>")),
        ["http://cdn.ville.test/a.png"],
    )
    body(
        "body absolute href unchanged",
        rss(item(t, "<description><![CDATA[<a href='https://ville.test/x'>x</a>]]></description>")),
        ["https://ville.test/x"],
    )
    c.add(
        "json url",
        jsonfeed([{"id": "1", "url": "https://ville.test/b/1", "content_text": "x"}]),
        "url",
        "https://ville.test/b/1",
    )
    c.add(
        "json relative url",
        jsonfeed([{"id": "1", "url": "/b/1", "content_text": "x"}]),
        "url",
        "http://127.0.0.1:8000/b/1",
    )
    c.add(
        "json external_url",
        jsonfeed(
            [
                {
                    "id": "1",
                    "url": "https://ville.test/b/1",
                    "external_url": "https://ailleurs.test/s",
                    "content_text": "x",
                }
            ]
        ),
        "external_url",
        "https://ailleurs.test/s",
    )
    return c.cases


# --- identity -------------------------------------------------------------------------------------


def identity_cases() -> list[Case]:
    c = Cases("identity")

    def many(name: str, items: Iterable[str], expected: int, note: str = "") -> None:
        c.add(name, rss("".join(items)), "distinct", expected, note=note)

    many(
        "same guid different titles",
        (item(f"<title>Avis n° {i}</title><guid>avis</guid>") for i in range(3)),
        3,
    )
    many(
        "same guid different links",
        (item(f"<title>Avis</title><link>https://ville.test/{i}</link><guid>avis</guid>") for i in range(3)),
        3,
    )
    many(
        "same guid same title different dates",
        (
            item(f"<title>Avis</title><guid>avis</guid><pubDate>Fri, 1{i} Jan 2020 10:00:00 +0000</pubDate>")
            for i in range(2)
        ),
        2,
    )
    many(
        "same permalink guid different titles",
        (item(f"<title>Séance {i}</title><guid>https://ville.test/conseil</guid>") for i in range(4)),
        4,
    )
    many(
        "same guid isPermaLink false",
        (item(f"<title>Séance {i}</title><guid isPermaLink='false'>42</guid>") for i in range(3)),
        3,
    )
    many(
        "no guid same link different titles",
        (item(f"<title>Séance {i}</title><link>https://ville.test/conseil</link>") for i in range(3)),
        3,
    )
    many(
        "no guid same link different dates",
        (
            item(
                f"<title>Séance</title><link>https://ville.test/conseil</link>"
                f"<pubDate>Fri, 1{i} Jan 2020 10:00:00 +0000</pubDate>"
            )
            for i in range(2)
        ),
        2,
    )
    many(
        "no guid same link one listed twice",
        [item("<title>Séance 1</title><link>https://ville.test/conseil</link>")]
        + [item("<title>Séance 2</title><link>https://ville.test/conseil</link>")] * 2,
        2,
    )
    many("identical items listed twice", [item("<title>Avis</title><guid>avis-1</guid>")] * 2, 1)
    many(
        "identical items without guid",
        [item("<title>Avis</title><link>https://ville.test/avis</link>")] * 2,
        1,
    )
    many("distinct guids", (item(f"<title>Avis</title><guid>avis-{i}</guid>") for i in range(5)), 5)
    many(
        "distinct links no guid",
        (item(f"<title>Avis</title><link>https://ville.test/a/{i}</link>") for i in range(4)),
        4,
    )
    many("no guid no link different titles", (item(f"<title>Brève {i}</title>") for i in range(3)), 3)
    many(
        "no guid no link same title different bodies",
        (item(f"<title>Brève</title><description>Texte {i}.</description>") for i in range(3)),
        3,
    )
    many(
        "empty guid distinct links",
        (item(f"<title>Avis</title><link>https://ville.test/e/{i}</link><guid></guid>") for i in range(3)),
        3,
    )
    many(
        "guid beats a shared link",
        (
            item(f"<title>Avis</title><link>https://ville.test/accueil</link><guid>g-{i}</guid>")
            for i in range(3)
        ),
        3,
    )
    many(
        "same guid two variants each listed twice",
        [item("<title>A</title><guid>g</guid>"), item("<title>B</title><guid>g</guid>")] * 2,
        2,
    )

    def entries(name: str, parts: Iterable[str], expected: int) -> None:
        c.add(name, atom("".join(parts)), "distinct", expected)

    entries(
        "atom same id different titles",
        (entry(f"<title>Avis {i}</title>", id="urn:x:1") for i in range(3)),
        3,
    )
    entries(
        "atom same id different updated",
        (
            entry("<title>Avis</title>", f"<updated>2020-01-1{i}T00:00:00Z</updated>", id="urn:x:1")
            for i in range(2)
        ),
        2,
    )
    entries(
        "atom distinct ids same link",
        (
            entry("<title>Avis</title>", '<link href="https://ville.test/a"/>', id=f"urn:x:{i}")
            for i in range(3)
        ),
        3,
    )
    entries("atom identical entries", [entry("<title>Avis</title>", id="urn:x:1")] * 2, 1)
    c.add(
        "json same id different titles",
        jsonfeed([{"id": "1", "title": f"Avis {i}", "content_text": "x"} for i in range(3)]),
        "distinct",
        3,
    )
    c.add(
        "json distinct ids",
        jsonfeed([{"id": str(i), "title": "Avis", "content_text": "x"} for i in range(4)]),
        "distinct",
        4,
    )
    c.add(
        "rdf distinct abouts",
        rdf(
            "".join(
                rdf_item(
                    f"http://127.0.0.1:8000/d/{i}",
                    "<title>Délibération</title>",
                    f"<link>http://127.0.0.1:8000/d/{i}</link>",
                )
                for i in range(3)
            )
        ),
        "distinct",
        3,
    )
    return c.cases


# --- categories -----------------------------------------------------------------------------------


def category_cases() -> list[Case]:
    c = Cases("categories")

    def one(name: str, parts: str, expected: list[str], note: str = "") -> None:
        c.add(name, rss(item("<title>Avis</title>", parts)), "categories", expected, note=note)

    one("category", "<category>Travaux</category>", ["Travaux"])
    one("two categories", "<category>Travaux</category><category>Voirie</category>", ["Travaux", "Voirie"])
    one(
        "category with domain",
        '<category domain="https://ville.test/rubriques">Culture</category>',
        ["Culture"],
    )
    one("category entity", "<category>Culture &amp; loisirs</category>", ["Culture & loisirs"])
    one("category CDATA", "<category><![CDATA[Santé]]></category>", ["Santé"])
    one("category whitespace", "<category>\n  Vie locale \n</category>", ["Vie locale"])
    one("category with slash", "<category>Vie locale/Travaux</category>", ["Vie locale/Travaux"])
    one("empty category skipped", "<category></category><category>Budget</category>", ["Budget"])
    one("duplicate categories", "<category>Budget</category><category>Budget</category>", ["Budget"])
    one("dc:subject", "<dc:subject>Finances</dc:subject>", ["Finances"])
    one(
        "two dc:subject",
        "<dc:subject>Finances</dc:subject><dc:subject>Budget</dc:subject>",
        ["Finances", "Budget"],
    )
    one(
        "category then dc:subject",
        "<category>Budget</category><dc:subject>Finances</dc:subject>",
        ["Budget", "Finances"],
    )
    one("itunes:category", "<itunes:category text='Government'/>", ["Government"])
    one("itunes:category entity", "<itunes:category text='Society &amp; Culture'/>", ["Society & Culture"])
    one("media:category", "<media:category>Élections</media:category>", ["Élections"])
    one(
        "media:category with scheme",
        "<media:category scheme='http://search.yahoo.com/mrss/category_schema'>Sport</media:category>",
        ["Sport"],
    )
    one(
        "every element",
        "<category>Budget</category><dc:subject>Finances</dc:subject><itunes:category text='Politique'/>"
        "<media:category>Élections</media:category>",
        ["Budget", "Finances", "Politique", "Élections"],
    )
    c.add(
        "channel category is not the item's",
        rss(item("<title>Avis</title>"), "<category>Mairie</category>"),
        "categories",
        [],
    )
    c.add(
        "rdf dc:subject",
        rdf(
            rdf_item(
                "http://127.0.0.1:8000/d/1",
                "<title>Délibération</title>",
                "<link>http://127.0.0.1:8000/d/1</link>",
                "<dc:subject>Urbanisme</dc:subject>",
            )
        ),
        "categories",
        ["Urbanisme"],
    )

    def at(name: str, parts: str, expected: list[str]) -> None:
        c.add(name, atom(entry("<title>Avis</title>", parts)), "categories", expected)

    at("atom term", '<category term="Travaux"/>', ["Travaux"])
    at("atom label beats term", '<category term="travaux" label="Travaux et voirie"/>', ["Travaux et voirie"])
    at("atom two categories", '<category term="Travaux"/><category term="Voirie"/>', ["Travaux", "Voirie"])
    at("atom term with scheme", '<category scheme="https://ville.test/tags/" term="Écoles"/>', ["Écoles"])
    at("atom term entity", '<category term="Culture &amp; loisirs"/>', ["Culture & loisirs"])
    c.add(
        "json tags list",
        jsonfeed([{"id": "1", "content_text": "x", "tags": ["Budget", "Écoles"]}]),
        "categories",
        ["Budget", "Écoles"],
    )
    c.add(
        "json tags string",
        jsonfeed([{"id": "1", "content_text": "x", "tags": "Budget"}]),
        "categories",
        ["Budget"],
    )
    c.add(
        "json tags duplicates",
        jsonfeed([{"id": "1", "content_text": "x", "tags": ["Budget", "Budget"]}]),
        "categories",
        ["Budget"],
    )
    return c.cases


# --- enclosures -----------------------------------------------------------------------------------


def enclosure_cases() -> list[Case]:
    c = Cases("enclosures")
    mp3 = "https://ville.test/podcast/ep1.mp3"

    def one(name: str, parts: str, expected: list[tuple[str, int]], note: str = "", **kwargs: str) -> None:
        c.add(name, rss(item("<title>Épisode</title>", parts, **kwargs)), "enclosures", expected, note=note)

    def enc(url: str, length: str | None = "12345", kind: str = "audio/mpeg") -> str:
        size = "" if length is None else f" length='{length}'"
        return f"<enclosure url='{url}' type='{kind}'{size}/>"

    one("enclosure", enc(mp3), [(mp3, 12345)])
    one("enclosure relative", enc("podcast/ep1.mp3"), [("http://127.0.0.1:8000/podcast/ep1.mp3", 12345)])
    one("enclosure absolute path", enc("/media/ep1.mp3"), [("http://127.0.0.1:8000/media/ep1.mp3", 12345)])
    one(
        "enclosure relative xml:base",
        enc("ep1.mp3"),
        [("https://autre.test/pod/ep1.mp3", 12345)],
        attrs=' xml:base="https://autre.test/pod/"',
    )
    one(
        "enclosure spaces encoded",
        enc("https://ville.test/docs/compte rendu.pdf", kind="application/pdf"),
        [("https://ville.test/docs/compte%20rendu.pdf", 12345)],
    )
    one(
        "enclosure relative with spaces",
        enc("docs/ordre du jour.pdf", kind="application/pdf"),
        [("http://127.0.0.1:8000/docs/ordre%20du%20jour.pdf", 12345)],
    )
    one(
        "enclosure escaped ampersand",
        enc("https://ville.test/get?id=1&amp;f=mp3"),
        [("https://ville.test/get?id=1&f=mp3", 12345)],
    )
    one("length invalid", enc(mp3, "abc"), [(mp3, 0)])
    one("length empty", enc(mp3, ""), [(mp3, 0)])
    one("length superscript two", enc(mp3, "²"), [(mp3, 0)])
    one("length negative", enc(mp3, "-12"), [(mp3, 0)])
    one("length zero", enc(mp3, "0"), [(mp3, 0)])
    one("length missing", enc(mp3, None), [(mp3, 0)])
    one("length with spaces around", enc(mp3, " 2048 "), [(mp3, 2048)])
    one("length with thousands separator", enc(mp3, "12 345"), [(mp3, 0)])
    one("length out of range", enc(mp3, "99999999999999999999"), [(mp3, 0)])
    one("duplicate url deduped", enc(mp3) + enc(mp3), [(mp3, 12345)])
    one(
        "duplicate url keeps the known length",
        enc(mp3, "abc") + enc(mp3, "500"),
        [(mp3, 500)],
        note="unsure: which length to keep when the same file is given twice",
    )
    one(
        "two enclosures",
        enc(mp3) + enc("https://ville.test/docs/a.pdf", "77", "application/pdf"),
        [(mp3, 12345), ("https://ville.test/docs/a.pdf", 77)],
    )
    one("enclosure without url", "<enclosure type='audio/mpeg' length='10'/>", [])
    one(
        "media:content",
        "<media:content url='https://ville.test/p.jpg' type='image/jpeg' fileSize='99'/>",
        [("https://ville.test/p.jpg", 99)],
    )
    one(
        "media:content no size",
        "<media:content url='https://ville.test/v.mp4' type='video/mp4'/>",
        [("https://ville.test/v.mp4", 0)],
    )
    one(
        "media:group media:content",
        "<media:group><media:content url='https://ville.test/v.mp4' type='video/mp4' fileSize='4096'/>"
        "</media:group>",
        [("https://ville.test/v.mp4", 4096)],
    )
    one(
        "enclosure and media:content same file",
        enc(mp3) + f"<media:content url='{mp3}' type='audio/mpeg'/>",
        [(mp3, 12345)],
    )
    one("no enclosure", "<description>Rien à télécharger.</description>", [])
    c.add(
        "rss 0.92 enclosure",
        rss(item("<title>Ép</title>", enc(mp3)), version="0.92"),
        "enclosures",
        [(mp3, 12345)],
    )

    def at(name: str, parts: str, expected: list[tuple[str, int]]) -> None:
        c.add(name, atom(entry("<title>Épisode</title>", parts)), "enclosures", expected)

    at("atom enclosure", f'<link rel="enclosure" href="{mp3}" type="audio/mpeg" length="321"/>', [(mp3, 321)])
    at(
        "atom enclosure relative",
        '<link rel="enclosure" href="/pod/ep1.mp3" type="audio/mpeg" length="321"/>',
        [("http://127.0.0.1:8000/pod/ep1.mp3", 321)],
    )
    at("atom enclosure no length", f'<link rel="enclosure" href="{mp3}" type="audio/mpeg"/>', [(mp3, 0)])
    at("atom enclosure bad length", f'<link rel="enclosure" href="{mp3}" length="n/a"/>', [(mp3, 0)])
    at("atom alternate is not an enclosure", '<link rel="alternate" href="https://ville.test/a"/>', [])
    return c.cases


# --- JSON Feed ------------------------------------------------------------------------------------


def json_cases() -> list[Case]:
    c = Cases("json")
    v10, v10s, v11 = (
        "http://jsonfeed.org/version/1",
        "https://jsonfeed.org/version/1",
        "https://jsonfeed.org/version/1.1",
    )
    base = {
        "id": "7",
        "url": "https://ville.test/b/7",
        "title": "Billet du maire",
        "content_html": "<p>Texte</p>",
    }
    for label, version in (("1.0 http", v10), ("1.0 https", v10s), ("1.1", v11), ("no version", None)):
        doc = jsonfeed([base], version)
        c.add(f"{label} title", doc, "title", "Billet du maire")
        c.add(f"{label} url", doc, "url", "https://ville.test/b/7")
        c.add(f"{label} body", doc, "body", "Texte")
    c.add(
        "json served as application/json",
        jsonfeed([base]),
        "title",
        "Billet du maire",
        content_type="application/json",
    )
    c.add("two items", jsonfeed([base, {**base, "id": "8"}]), "count", 2)
    c.add("id as integer", jsonfeed([{**base, "id": 7}]), "title", "Billet du maire")
    c.add(
        "content_text",
        jsonfeed([{"id": "1", "content_text": "Premier point.\n\nSecond point."}]),
        "body",
        "Premier point. Second point.",
    )
    c.add(
        "content_html beats content_text",
        jsonfeed(
            [{"id": "1", "content_html": "<p>Version <b>riche</b></p>", "content_text": "Version pauvre"}]
        ),
        "body",
        "Version riche",
    )
    c.add(
        "content_text with markup is text",
        jsonfeed([{"id": "1", "content_text": "a < b & c"}]),
        "body",
        "a < b & c",
    )
    c.add("summary only", jsonfeed([{"id": "1", "summary": "Un résumé."}]), "body", "Un résumé.")
    c.add("no title", jsonfeed([{"id": "1", "content_text": "Brève"}]), "title", "")
    c.add(
        "date_published",
        jsonfeed([{**base, "date_published": "2020-01-10T14:33:00+01:00"}]),
        "published",
        utc(2020, 1, 10, 13, 33),
    )
    c.add(
        "date_modified only",
        jsonfeed([{**base, "date_modified": "2020-01-11T08:00:00Z"}]),
        "published",
        utc(2020, 1, 11, 8),
    )
    c.add(
        "date_modified",
        jsonfeed(
            [{**base, "date_published": "2020-01-10T00:00:00Z", "date_modified": "2020-01-11T08:00:00Z"}]
        ),
        "updated",
        utc(2020, 1, 11, 8),
    )
    c.add("invalid date", jsonfeed([{**base, "date_published": "bientôt"}]), "published", None)
    c.add(
        "attachments",
        jsonfeed(
            [
                {
                    **base,
                    "attachments": [
                        {"url": "https://ville.test/a.mp3", "mime_type": "audio/mpeg", "size_in_bytes": 4096}
                    ],
                }
            ]
        ),
        "enclosures",
        [("https://ville.test/a.mp3", 4096)],
    )
    c.add(
        "relative attachment",
        jsonfeed(
            [{**base, "attachments": [{"url": "a.mp3", "mime_type": "audio/mpeg", "size_in_bytes": "x"}]}]
        ),
        "enclosures",
        [("http://127.0.0.1:8000/a.mp3", 0)],
    )
    c.add(
        "external_url",
        jsonfeed([{**base, "external_url": "https://ailleurs.test/source"}]),
        "external_url",
        "https://ailleurs.test/source",
    )
    c.add("1.0 author", jsonfeed([{**base, "author": {"name": "Le maire"}}], v10), "author", "Le maire")
    c.add("tags", jsonfeed([{**base, "tags": ["Budget"]}]), "categories", ["Budget"])
    return c.cases


# --- encodings ------------------------------------------------------------------------------------


def _declared(encoding: str, items: str) -> str:
    return rss(items, decl=f'<?xml version="1.0" encoding="{encoding}"?>')


def encoding_cases() -> list[Case]:
    c = Cases("encodings")
    title = "Élections à Noël : « œuvre » 5 €"
    items = item(f"<title>{title}</title>")
    for codec, declared, bom in (
        ("utf-16-le", "utf-16", codecs.BOM_UTF16_LE),
        ("utf-16-be", "utf-16", codecs.BOM_UTF16_BE),
        ("utf-32-le", "utf-32", codecs.BOM_UTF32_LE),
        ("utf-32-be", "utf-32", codecs.BOM_UTF32_BE),
    ):
        text = _declared(declared, items)
        c.add(f"{codec} with BOM", bom + text.encode(codec), "title", title)
        c.add(f"{codec} without BOM", text.encode(codec), "title", title)
    c.add("utf-8 with BOM", codecs.BOM_UTF8 + rss(items).encode(), "title", title)
    c.add("utf-8 no declaration", rss(items, decl="").encode(), "title", title)
    cp_title = "L’œuvre du “comité” — 5 €"
    c.add(
        "windows-1252 labelled",
        _declared("windows-1252", item(f"<title>{cp_title}</title>")),
        "title",
        cp_title,
        encoding="cp1252",
    )
    c.add(
        "windows-1252 body",
        _declared("windows-1252", item("<title>x</title>", f"<description>{cp_title}</description>")),
        "body",
        cp_title,
        encoding="cp1252",
    )
    c.add(
        "iso-8859-1 labelled",
        _declared("iso-8859-1", item("<title>Été à la crèche</title>")),
        "title",
        "Été à la crèche",
        encoding="latin-1",
    )
    c.add(
        "iso-8859-1 labelled with a windows-1252 quote",
        _declared("iso-8859-1", item("<title>L’école</title>")),
        "title",
        "L’école",
        encoding="cp1252",
        note="browsers read a Latin-1 label as Windows-1252",
    )
    c.add(
        "iso-8859-15 euro",
        _declared("iso-8859-15", item("<title>Prix : 5 €</title>")),
        "title",
        "Prix : 5 €",
        encoding="iso-8859-15",
    )
    c.add(
        "charset from http only",
        rss(item("<title>Été à la crèche</title>"), decl="").encode("cp1252"),
        "title",
        "Été à la crèche",
        content_type="application/rss+xml; charset=windows-1252",
    )
    c.add(
        "utf-8 labelled iso-8859-1",
        _declared("iso-8859-1", item("<title>Élections à Noël</title>")),
        "title",
        "Élections à Noël",
        note="unsure: by its label this is mojibake; FEEDS.md repairs it (valid UTF-8 is practically never "
        "Latin-1)",
    )
    c.add(
        "utf-8 with a stray windows-1252 byte",
        rss(item("<title>Élections</title>", "<description>L@@école</description>"))
        .encode()
        .replace(b"@@", b"\x92"),
        "body",
        "L’école",
        note="unsure: not well-formed UTF-8; FEEDS.md reads the stray byte as Windows-1252",
    )
    c.add("&#146; as windows-1252", rss(item("<title>Don&#146;t stop</title>")), "title", "Don’t stop")
    c.add("&#156; and &#128;", rss(item("<title>l&#146;&#156;uvre &#128; 5</title>")), "title", "l’œuvre € 5")
    c.add(
        "&#147; &#148; in body",
        rss(item("<title>x</title>", "<description>&#147;oui&#148;</description>")),
        "body",
        "“oui”",
    )
    family = "Famille 👨\u200d👩\u200d👧 en fête"
    c.add("ZWJ kept in emoji", rss(item(f"<title>{family}</title>")), "title", family)
    c.add("ZWJ as reference", rss(item("<title>Famille 👨&#x200D;👩</title>")), "title", "Famille 👨\u200d👩")
    c.add("ZWNJ kept in Persian", rss(item("<title>می\u200cخواهم</title>")), "title", "می\u200cخواهم")  # noqa: RUF001 - Persian text, meant
    c.add(
        "atom utf-16 with BOM",
        codecs.BOM_UTF16_LE
        + atom(entry(f"<title>{title}</title>"))
        .replace('encoding="utf-8"', 'encoding="utf-16"')
        .encode("utf-16-le"),
        "title",
        title,
    )
    c.add(
        "json utf-8 BOM",
        codecs.BOM_UTF8 + jsonfeed([{"id": "1", "title": title, "content_text": "x"}]).encode(),
        "title",
        title,
    )
    return c.cases


# --- robustness -----------------------------------------------------------------------------------


def robustness_cases() -> list[Case]:
    c = Cases("robustness")
    good = item("<title>Bon</title>", "<pubDate>Fri, 10 Jan 2020 14:33:00 +0000</pubDate>")
    other = item("<title>Autre</title>", "<pubDate>Thu, 09 Jan 2020 14:33:00 +0000</pubDate>")

    def around(name: str, bad: str, note: str = "") -> None:
        c.add(name, rss(good + bad + other), "count", 3, note=note)

    around("zero date", item("<title>b</title><pubDate>0000-00-00 00:00:00</pubDate>"))
    around("invalid date", item("<title>b</title><pubDate>n'importe quoi</pubDate>"))
    around("31 February", item("<title>b</title><pubDate>Mon, 31 Feb 2020 10:00:00 +0000</pubDate>"))
    around("offset +2500", item("<title>b</title><pubDate>Fri, 10 Jan 2020 14:33:00 +2500</pubDate>"))
    around("empty pubDate", item("<title>b</title><pubDate></pubDate>"))
    around(
        "enclosure length abc", item("<title>b</title><enclosure url='https://v.test/a.mp3' length='abc'/>")
    )
    around("enclosure length ²", item("<title>b</title><enclosure url='https://v.test/a.mp3' length='²'/>"))
    around(
        "enclosure length -12", item("<title>b</title><enclosure url='https://v.test/a.mp3' length='-12'/>")
    )
    around("enclosure without url", item("<title>b</title><enclosure length='12'/>"))
    around("javascript link", item("<title>b</title><link>javascript:alert(1)</link>"))
    around("item with nothing", item(""))
    around("undefined entity &nbsp;", item("<title>b</title><description>a&nbsp;b</description>"))
    around("bare ampersand", item("<title>R&D</title>"))
    around("control character", item("<title>b</title><description>a\x0bb</description>"))
    c.add("garbage after the document", rss(good + other) + "<!-- fin --> texte en trop", "count", 2)
    c.add(
        "truncated after the last item",
        rss(good + other).replace("</channel></rss>", ""),
        "count",
        2,
        note="unsure: a document cut after a complete item",
    )
    c.add("whitespace before the declaration", "\n\n  " + rss(good + other), "count", 2)
    c.add(
        "zero date keeps the title",
        rss(good + item("<title>Sans date</title><pubDate>0000-00-00</pubDate>")),
        "title",
        "Sans date",
        index=1,
    )
    c.add(
        "html entity in title",
        rss(item("<title>Caf&eacute; citoyen</title>") + other),
        "title",
        "Café citoyen",
    )
    c.add(
        "atom zero date",
        atom(
            entry("<title>a</title>", "<updated>0000-00-00T00:00:00Z</updated>")
            + entry("<title>b</title>", "<updated>2020-01-10T00:00:00Z</updated>", id="urn:x:2")
        ),
        "count",
        2,
    )
    c.add(
        "atom bad enclosure length",
        atom(
            entry("<title>a</title>", '<link rel="enclosure" href="https://v.test/a.mp3" length="²"/>')
            + entry("<title>b</title>", id="urn:x:2")
        ),
        "count",
        2,
    )
    c.add(
        "json item that is not an object",
        jsonfeed(
            [{"id": "1", "content_text": "bon"}, "pas un objet", {"id": "3", "content_text": "bon aussi"}]
        ),
        "count",
        2,
    )
    for key, value in (("title", 5), ("tags", 5), ("attachments", "x"), ("author", "Le maire"), ("url", [])):
        c.add(
            f"json {key} of the wrong type",
            jsonfeed(
                [
                    {"id": "1", "content_text": "a"},
                    {"id": "2", "content_text": "b", key: value},
                    {"id": "3", "content_text": "c"},
                ]
            ),
            "count",
            3,
            note="a bad field costs only that field (FEEDS.md)",
        )
    c.add(
        "json zero date",
        jsonfeed(
            [
                {"id": "1", "content_text": "a", "date_published": "0000-00-00T00:00:00Z"},
                {"id": "2", "content_text": "b"},
            ]
        ),
        "count",
        2,
    )
    return c.cases


def all_cases() -> list[Case]:
    cases = (
        date_cases()
        + author_cases()
        + body_cases()
        + title_cases()
        + link_cases()
        + identity_cases()
        + category_cases()
        + enclosure_cases()
        + json_cases()
        + encoding_cases()
        + robustness_cases()
    )
    names = [(case.category, case.name) for case in cases]
    assert len(names) == len(set(names)), "case names must be unique in their category"
    return cases


# --- normalisation --------------------------------------------------------------------------------

_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
# html_to_text turns every tag into a space, so "<em>voté</em>." reads "voté ."; a rendered body shows
# "voté.", and neither reader should be marked wrong for the normaliser's habit.
_SPACE_BEFORE_STOP = re.compile(r"\s+(?=[.,)…])")
_BODY_URLS = re.compile(r"""\s(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _line(value: Any) -> str:
    return " ".join(str(value or "").split())


def _url(value: Any) -> str:
    return _NON_ASCII.sub(lambda m: quote(m.group()), str(value or "").strip())


def normalise(field: str, value: Any) -> Any:
    """The one form both readers' values and the expected one are compared in."""
    if field in ("title", "author"):
        return _line(value)
    if field == "body":
        return _SPACE_BEFORE_STOP.sub("", _line(value))
    if field in ("published", "updated"):
        return None if value is None else int(value)
    if field in ("url", "external_url"):
        return _url(value)
    if field == "body_links":
        return [_url(v) for v in value]
    if field == "categories":
        return [_line(v) for v in value]
    if field == "enclosures":
        return [(_url(u), int(n or 0)) for u, n in value]
    return int(value)


def _body_links(fragment: str) -> list[str]:
    return [a if a else b for a, b in _BODY_URLS.findall(fragment)]


# --- gazette-tui ----------------------------------------------------------------------------------


def read_gazette(case: Case) -> Any:
    feed = parse_feed(case.data, URL, case.content_type)
    if case.field == "count":
        return len(feed.entries)
    if case.field == "distinct":
        return len({e.key for e in feed.entries})
    e = feed.entries[case.index]
    body = e.content_html or e.summary_html
    values: dict[str, Callable[[], Any]] = {
        "title": lambda: e.title,
        "author": lambda: e.author,
        "published": lambda: e.published,
        "updated": lambda: e.updated,
        "body": lambda: html_to_text(body),
        "body_links": lambda: _body_links(body),
        "url": lambda: e.url,
        "external_url": lambda: e.external_url,
        "categories": lambda: e.categories,
        "enclosures": lambda: [(x.url, x.length) for x in e.enclosures],
    }
    return values[case.field]()


# --- feedparser -----------------------------------------------------------------------------------


def _fp_text(detail: Any, value: Any) -> str:
    """A feedparser text construct as the text a reader shows: plain text as is, HTML as its text."""
    kind = str((detail or {}).get("type") or "text/html")
    text = str(value or "")
    return text if kind == "text/plain" else html_to_text(text)


def _fp_time(struct: Any) -> int | None:
    try:
        return calendar.timegm(struct) if struct else None
    except (ValueError, OverflowError, TypeError):  # feedparser's struct for 0000-00-00 has year -1
        return None


def _fp_length(value: Any) -> int:
    text = str(value or "").strip()
    return int(text) if text.isascii() and text.isdigit() else 0


def _fp_body(e: Any) -> tuple[Any, str]:
    """The first content that says something, else the summary."""
    for part in e.get("content") or []:
        if str(part.get("value") or "").strip():
            return part, str(part["value"])
    return e.get("summary_detail"), str(e.get("summary") or "")


def read_feedparser(case: Case) -> Any:
    import feedparser

    result = feedparser.parse(
        case.data, response_headers={"content-location": URL, "content-type": case.content_type}
    )
    entries = result.entries
    if case.field == "count":
        return len(entries)
    if case.field == "distinct":
        keys = {
            e.get("id") or e.get("link") or f"{e.get('title', '')}\x00{e.get('summary', '')}" for e in entries
        }
        return len(keys)
    e = entries[case.index]
    if case.field == "title":
        return _fp_text(e.get("title_detail"), e.get("title"))
    if case.field == "author":
        names = [a.get("name") for a in e.get("authors") or [] if a.get("name")]
        if len(names) > 1:
            return ", ".join(names)
        detail = e.get("author_detail") or {}
        return detail.get("name") or e.get("author") or ""
    if case.field == "published":
        # dict.get: FeedParserDict answers a missing updated_parsed with published_parsed (and a warning)
        return _fp_time(dict.get(e, "published_parsed") or dict.get(e, "updated_parsed"))
    if case.field == "updated":
        return _fp_time(dict.get(e, "updated_parsed"))
    if case.field == "body":
        return _fp_text(*_fp_body(e))
    if case.field == "body_links":
        return _body_links(_fp_body(e)[1])
    if case.field == "url":
        return e.get("link") or ""
    if case.field == "external_url":
        return ""
    if case.field == "categories":
        return [
            t.get("label") or t.get("term") for t in e.get("tags") or [] if t.get("label") or t.get("term")
        ]
    enclosures = [
        (x["href"], _fp_length(x.get("length"))) for x in e.get("enclosures") or [] if x.get("href")
    ]
    seen = {url for url, _ in enclosures}
    enclosures += [
        (m["url"], _fp_length(m.get("filesize")))
        for m in e.get("media_content") or []
        if m.get("url") and m["url"] not in seen
    ]
    return enclosures


READERS: dict[str, Callable[[Case], Any]] = {"gazette-tui": read_gazette, "feedparser": read_feedparser}


# --- scoring --------------------------------------------------------------------------------------


def run_case(case: Case) -> Result:
    result = Result(case)
    expected = normalise(case.field, case.expected)
    for reader, read in READERS.items():
        try:
            got = normalise(case.field, read(case))
        except Exception as error:  # a reader that raises, or gives no item, is wrong on the case
            result.readers[reader] = Outcome(None, False, f"{type(error).__name__}: {error}"[:200])
            continue
        result.readers[reader] = Outcome(got, got == expected)
    return result


def score(cases: list[Case] | None = None) -> list[Result]:
    """Every case read by both readers."""
    return [run_case(case) for case in (all_cases() if cases is None else cases)]


def summary(results: list[Result]) -> dict[str, dict[str, Any]]:
    """Per category (and ``total``): the number of cases and each reader's share right, in %."""
    table: dict[str, dict[str, Any]] = {}
    groups = [(category, [r for r in results if r.case.category == category]) for category in CATEGORIES]
    for name, group in [*groups, ("total", results)]:
        if not group:
            continue
        row: dict[str, Any] = {"cases": len(group)}
        for reader in READERS:
            right = sum(r.readers[reader].right for r in group)
            row[reader] = {"right": right, "percent": round(100 * right / len(group), 1)}
        table[name] = row
    return table


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    return value


def as_json(results: list[Result], seconds: float) -> dict[str, Any]:
    return {
        "url": URL,
        "seconds": round(seconds, 3),
        "summary": summary(results),
        "cases": [
            {
                "category": r.case.category,
                "name": r.case.name,
                "field": r.case.field,
                "index": r.case.index,
                "note": r.case.note,
                "expected": _jsonable(normalise(r.case.field, r.case.expected)),
                **{
                    reader: {"right": o.right, "got": _jsonable(o.got), "error": o.error}
                    for reader, o in r.readers.items()
                },
            }
            for r in results
        ],
    }


_XMLNS = re.compile(r"""\s+xmlns(?::\w+)?=["'][^"']*["']""")


def _snippet(data: bytes, limit: int = 600) -> str:
    for codec in ("utf-8", "utf-16", "utf-32", "cp1252"):
        try:
            text = data.decode(codec)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = data.decode("latin-1")
    text = _XMLNS.sub("", text.lstrip("\ufeff"))
    for marker in ("<channel", "<feed", "<rdf:RDF", '"items"'):
        at = text.find(marker)
        if at >= 0:
            text = text[at:]
            break
    return text if len(text) <= limit else text[:limit] + "…"


def render(results: list[Result], *, misses: tuple[str, ...] = ("gazette-tui",), docs: bool = False) -> str:
    lines = [f"{'category':<12} {'cases':>5}  " + "  ".join(f"{reader:>12}" for reader in READERS)]
    for name, row in summary(results).items():
        if name == "total":
            lines.append("-" * len(lines[0]))
        cells = "  ".join(f"{row[reader]['percent']:>10.1f} %" for reader in READERS)
        lines.append(f"{name:<12} {row['cases']:>5}  {cells}")
    for reader in misses:
        wrong = [r for r in results if not r.readers[reader].right]
        lines.append("")
        lines.append(f"{reader} is wrong on {len(wrong)} case(s):")
        for r in wrong:
            outcome = r.readers[reader]
            got = outcome.error or repr(outcome.got)
            lines.append(f"  [{r.case.category}] {r.case.name} ({r.case.field}[{r.case.index}])")
            lines.append(f"      expected {normalise(r.case.field, r.case.expected)!r}")
            lines.append(f"      got      {got}")
            if r.case.note:
                lines.append(f"      note     {r.case.note}")
            if docs:
                lines.append(f"      document {_snippet(r.case.data)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--json", type=Path, help="write every case and the summary to this file")
    parser.add_argument(
        "--feedparser-misses", action="store_true", help="also list the cases feedparser misses"
    )
    parser.add_argument("--docs", action="store_true", help="show the document of each listed miss")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    results = score()
    seconds = time.perf_counter() - started
    misses = ("gazette-tui", "feedparser") if args.feedparser_misses else ("gazette-tui",)
    print(render(results, misses=misses, docs=args.docs))
    print(f"\n{len(results)} cases in {seconds:.2f} s")
    if args.json:
        args.json.write_text(json.dumps(as_json(results, seconds), ensure_ascii=False, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
