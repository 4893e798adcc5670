"""Hypothesis strategies for synthetic XML feed documents, as bytes.

Every word here was written for these tests (French and English local-news vocabulary); nothing is copied
from a real site. The documents look like what real feeds send: RSS 0.91/0.92/2.0, RSS 1.0 (RDF) and Atom 1.0
with the usual modules (Dublin Core, dcterms, content:encoded, atom-in-RSS, Media RSS in YouTube's shape,
iTunes and podcast tags), xml:base with relative links, CDATA, entity-escaped and raw XHTML markup, numeric
character references (``&#146;`` included), repeated guids, odd enclosures, authors with addresses, dates in
many forms, and several encodings, some of them mislabelled.

Composable:

- :func:`rss_documents`, :func:`rdf_documents`, :func:`atom_documents`; :func:`feed_documents` is any of them;
- :func:`plain_rss_documents`, :func:`plain_atom_documents`, :func:`plain_documents`: only the elements the
  lxml fast path is meant to read (one date, one author, no XHTML, no xml:base…), so that it should accept
  every one of them;
- the pieces (:func:`titles`, :func:`links`, :func:`html_bodies`, :func:`dates`, :func:`authors`…).

Documents are small (1–6 items) so that one example costs milliseconds. The builders are plain functions of
``draw`` over strategies built once (building a strategy per draw costs more than the draw).
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from html import escape as html_escape
from typing import Any, TypeVar

from hypothesis import strategies as st

T = TypeVar("T")
Draw = Callable[[st.SearchStrategy[Any]], Any]

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "media": "http://search.yahoo.com/mrss/",
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
    "sy": "http://purl.org/rss/1.0/modules/syndication/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "slash": "http://purl.org/rss/1.0/modules/slash/",
    "yt": "http://www.youtube.com/xml/schemas/2015",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rss1": "http://purl.org/rss/1.0/",
    "xhtml": "http://www.w3.org/1999/xhtml",
}
RSS_PREFIXES = ("atom", "content", "dc", "dcterms", "itunes", "media", "podcast", "slash", "sy", "wfw")
# versions the fast path reads (0.91 has its own rules in feedparser)
PLAIN_RSS_VERSIONS = ("2.0", "2.0", "2.0", "2.0", "0.92", "0.93", "0.94", "2.0.1")
PLAIN_RSS_PREFIXES = ("atom", "content", "dc", "slash", "sy", "wfw")

# --- vocabulary (synthetic) ----------------------------------------------------------------------

FR_WORDS = (
    "conseil", "municipal", "budget", "primitif", "élus", "délibération", "trésorerie", "commune", "mairie",
    "intercommunalité", "écoles", "cantine", "voirie", "travaux", "réunion", "publique", "habitants",
    "agents", "territoriaux", "télétravail", "déchets", "collecte", "eau", "assainissement", "forêt",
    "été", "hiver", "Noël", "œuvre", "façade", "garçon", "naïve", "Hôtel", "Île-de-France", "où", "à",
    "déjà", "très", "réforme", "dotation", "fonctionnement", "préfecture", "région", "département",
    "bibliothèque", "médiathèque", "piscine", "vélo", "crèche", "santé", "sécurité", "élection", "scrutin",
)  # fmt: skip
EN_WORDS = (
    "council", "budget", "vote", "library", "bridge", "water", "report", "meeting", "school", "road",
    "housing", "mayor", "district", "park", "bus", "plan", "update", "notice", "review", "minutes",
)  # fmt: skip
SPECIAL_WORDS = (
    "Vector<int>", "AT&T", "R&D", "5 €", "l’épreuve", "“citoyen”", "Don’t", "c'est", '"guillemets"', "—",
    "…", "1 < 2", "a > b", "👩‍💻", "👨‍👩‍👧‍👦", "🏳️‍🌈", "naïve café", "N’Diaye", "½", "©", "«\u00a0oui\u00a0»",
)  # fmt: skip
NAMES = ("Jane Doe", "Camille Durand", "Léa Martin", "Zoë Lefèvre", "Jean-Pierre N’Diaye", "Bob Smith")
EMAILS = ("jane@x.org", "camille.durand@exemple.test", "redaction@mairie-exemple.test", "bob@news.test")
CATEGORY_WORDS = (
    "Finances", "Actualité", "RH", "Urbanisme", "Élections", "Santé", "Local news", "Budget", "finances",
    "Éducation & jeunesse", "Vector<int>", " Espaces verts ", "",
)  # fmt: skip
HOSTS = ("https://exemple.test", "http://mairie-exemple.test", "https://www.commune.test")
BASES = (
    "http://exemple.test/base/",
    "https://autre.test/dir/sub/",
    "https://exemple.test/rubrique/page.html",
    "/relatif/",
    "sub/",
)
BODY_LINKS = (
    "https://exemple.test/a/b", "/relatif/page", "image.jpg", "../haut.png", "?q=eau&page=2", "#note-1",
    "mailto:elus@exemple.test", "javascript:alert(1)", "//cdn.exemple.test/img.png",
    "https://exemple.test/fichier été.pdf", "",
)  # fmt: skip
ITUNES_CATEGORIES = ("News", "Government", "Society & Culture", "Education")

# --- strategies built once -----------------------------------------------------------------------

BOOL = st.booleans()


@cache
def _sampled(options: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    return st.sampled_from(options)


def pick(draw: Draw, *options: T) -> T:
    """One of ``options`` (the strategy is built once per set of options)."""
    return draw(_sampled(options))  # type: ignore[no-any-return]


@cache
def ints(low: int, high: int) -> st.SearchStrategy[int]:
    return st.integers(low, high)


def one_in(draw: Draw, n: int) -> bool:
    return draw(ints(0, n - 1)) == 0


def shuffled(draw: Draw, parts: Sequence[T]) -> list[T]:
    """``parts`` in a drawn order (Fisher–Yates on cached strategies: no strategy built per call)."""
    out = list(parts)
    for i in range(len(out) - 1, 0, -1):
        j = draw(ints(0, i))
        out[i], out[j] = out[j], out[i]
    return out


def some(draw: Draw, options: Sequence[T], max_size: int) -> list[T]:
    """Up to ``max_size`` distinct ``options``, in a drawn order."""
    return shuffled(draw, options)[: draw(ints(0, max_size))]


_WORD = st.sampled_from(FR_WORDS * 3 + EN_WORDS * 2 + SPECIAL_WORDS)


@cache
def _words(low: int, high: int) -> st.SearchStrategy[list[str]]:
    return st.lists(_WORD, min_size=low, max_size=high)


def phrase(draw: Draw, low: int = 1, high: int = 8) -> str:
    return " ".join(draw(_words(low, high)))


_CATEGORY_LISTS = {size: st.lists(st.sampled_from(CATEGORY_WORDS), max_size=size) for size in range(4)}

# --- XML writing ---------------------------------------------------------------------------------


def esc(text: str) -> str:
    """XML character data."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attr(text: str) -> str:
    """An XML attribute value, for double quotes."""
    return esc(text).replace('"', "&quot;")


def element(tag: str, inner: str = "", attrs: dict[str, str] | None = None) -> str:
    """``<tag attrs>inner</tag>``; ``<tag attrs/>`` when there is no inner content but attributes."""
    rendered = "".join(f' {name}="{attr(value)}"' for name, value in (attrs or {}).items())
    if not inner and attrs:
        return f"<{tag}{rendered}/>"
    return f"<{tag}{rendered}>{inner}</{tag}>"


def _charrefs(text: str, hexadecimal: bool, cp1252_quote: bool) -> str:
    out = []
    for char in esc(text):
        if cp1252_quote and char == "’":
            out.append("&#146;")  # Windows-1252's byte for ’ used as a code point: C1 U+0092
        elif ord(char) > 127:
            out.append(f"&#x{ord(char):X};" if hexadecimal else f"&#{ord(char)};")
        else:
            out.append(char)
    return "".join(out)


def xml_text(draw: Draw, value: str, cdata: bool = True) -> str:
    """``value`` as element content: escaped, in CDATA, as character references, padded, or a mix."""
    modes: tuple[str, ...] = ("escape", "escape", "charref", "pad")
    if cdata and "]]>" not in value:
        modes += ("cdata", "cdata", "mixed")
    mode = pick(draw, *modes)
    if mode == "escape":
        return esc(value)
    if mode == "pad":
        return "\n    " + esc(value) + "\n  "
    if mode == "charref":
        return _charrefs(value, draw(BOOL), draw(BOOL))
    if mode == "cdata":
        return f"<![CDATA[{value}]]>"
    cut = draw(ints(0, len(value)))
    return esc(value[:cut]) + f"<![CDATA[{value[cut:]}]]>"


# --- values --------------------------------------------------------------------------------------


def title(draw: Draw) -> str:
    """A title as the feed means it: plain text, sometimes with markup or an HTML entity in it."""
    text = phrase(draw, 1, 8)
    kind = pick(draw, *["text"] * 6, "bold", "entity", "nbsp", "escaped", "empty")
    if kind == "bold":
        return f"<b>{html_escape(text, quote=False)}</b> {phrase(draw, 1, 2)}"
    if kind == "entity":
        return text + " Caf&eacute; &amp; th&eacute;"
    if kind == "nbsp":
        return text.replace(" ", "&nbsp;", 1)
    if kind == "escaped":
        return "Using Vector&lt;int&gt; " + text
    if kind == "empty":
        return pick(draw, "", " ", "\n")
    return text


def link(draw: Draw, n: int = 0, pool: int = 0) -> str:
    """A link value: absolute, relative, with spaces or a query; ``pool`` > 0 draws its number among that
    many (so that items share links)."""
    number = draw(ints(0, pool - 1)) if pool else n
    host = pick(draw, *HOSTS)
    kind = pick(
        draw, *["abs"] * 6, "query", "relative", "root", "parent", "spaces", "scheme-relative", "frag"
    )
    return {
        "abs": f"{host}/actualite/{number}/article/",
        "query": f"{host}/index.php?p={number}&ref=rss",
        "relative": f"article-{number}.html",
        "root": f"/actualite/{number}/",
        "parent": f"../archives/{number}",
        "spaces": f"{host}/dossier {number}/page été.html",
        "scheme-relative": f"//cdn.exemple.test/{number}",
        "frag": f"{host}/page#{number}",
    }[kind]


def html_inline(draw: Draw, xml_safe: bool) -> str:
    text = html_escape(phrase(draw, 1, 6), quote=False)
    kind = pick(draw, "text", "text", "link", "bold", "em", "escaped", "charref", "br", "entity")
    if kind == "link":
        href = html_escape(pick(draw, *BODY_LINKS))
        return f'{text} <a href="{href}">{html_escape(phrase(draw, 1, 3), quote=False)}</a>'
    if kind == "bold":
        return f"<strong>{text}</strong>"
    if kind == "em":
        return f"<em>{text}</em> et <i>{text}</i>"
    if kind == "escaped":
        return f"{text} Using Vector&lt;int&gt;"
    if kind == "charref":
        return f"{text} l&#8217;&#233;t&#233; Don&#146;t"
    if kind == "br":
        return f"{text}<br/>{text}" if xml_safe else f"{text}<br>{text}"
    if kind == "entity":
        return f"{text} &amp; caf&#xE9;" if xml_safe else f"{text} caf&eacute;&nbsp;&amp; th&eacute;"
    return text


def html_body(draw: Draw, xml_safe: bool = False, min_blocks: int = 0) -> str:
    """An HTML body. ``xml_safe``: also well-formed XML without entities (for raw XHTML children)."""
    blocks = []
    for _ in range(draw(ints(min_blocks, 3))):
        kind = pick(
            draw, "p", "p", "p", "h2", "img", "ul", "quote", "plain", "comment", "script", "div", "table"
        )
        inline = html_inline(draw, xml_safe)
        if kind == "p":
            blocks.append(f"<p>{inline}</p>")
        elif kind == "h2":
            blocks.append(f"<h2>{inline}</h2>")
        elif kind == "img":
            src = html_escape(pick(draw, *BODY_LINKS))
            blocks.append(f'<p><img src="{src}" alt="{html_escape(phrase(draw, 1, 3))}"/></p>')
        elif kind == "ul":
            blocks.append(f"<ul><li>{inline}</li><li>{html_escape(phrase(draw), quote=False)}</li></ul>")
        elif kind == "quote":
            blocks.append(f"<blockquote><p>{inline}</p></blockquote>")
        elif kind == "plain":
            blocks.append(inline)
        elif kind == "comment":
            blocks.append(f"<!-- {phrase(draw, 1, 3).replace('-', ' ')} --><p>{inline}</p>")
        elif kind == "script":
            blocks.append(f"<script>document.write('x')</script><p>{inline}</p>")
        elif kind == "div":
            blocks.append(f'<div class="chapo">{inline}</div>')
        else:
            blocks.append(f"<table><tr><td>{inline}</td><td>3 €</td></tr></table>")
    return "\n".join(blocks)


def plain_text(draw: Draw) -> str:
    """A body that is plain text (Atom ``type="text"``, ``itunes:summary``): paragraphs, no markup."""
    return "\n\n".join(phrase(draw, 2, 10) for _ in range(draw(ints(1, 3))))


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# (as written, hours east of UTC it means)
_RFC822_ZONES = (
    ("+0000", 0), ("GMT", 0), ("UT", 0), ("UTC", 0), ("Z", 0), ("EST", -5), ("EDT", -4), ("PST", -8),
    ("PDT", -7), ("MET", 1), ("CET", 1), ("CEST", 2), ("GMT+0200", 2), ("+0100", 1), ("+0200", 2),
    ("-0500", -5), ("+0530", 5.5), ("BST", 1),
)  # fmt: skip
_DATE_FORMS = (
    *["rfc822"] * 5, *["iso"] * 4, "iso-naive", "iso-date", "iso-nosec", "iso-frac", "iso-space", "ymd-slash",
    "dmy", "dmy-dots", "rfc822-nosec", "rfc822-noday", "rfc822-2digit", "zero", "garbage", "empty",
)  # fmt: skip
_SPAN = 13 * 365 * 86400


def date(draw: Draw) -> str:
    """A date as feeds write them: RFC 822 (named zones too), ISO 8601, numeric, zero, garbage."""
    # a day and a second drawn apart: shrinking keeps both plausible
    moment = datetime(2015, 1, 1, tzinfo=UTC) + timedelta(
        days=draw(ints(0, 13 * 365)), seconds=draw(ints(0, 86399))
    )
    form = pick(draw, *_DATE_FORMS)
    zone_name, hours = pick(draw, *_RFC822_ZONES)
    local = moment.astimezone(timezone(timedelta(hours=hours)))
    day, month = _DAYS[local.weekday()], _MONTHS[local.month - 1]
    iso_offset = pick(draw, "Z", "+00:00", "+01:00", "+02:00", "-05:00", "+0100")
    if form == "rfc822":
        return f"{day}, {local.day:02d} {month} {local.year} {local:%H:%M:%S} {zone_name}"
    if form == "rfc822-nosec":
        return f"{day}, {local.day} {month} {local.year} {local:%H:%M} {zone_name}"
    if form == "rfc822-noday":
        return f"{local.day} {month} {local.year} {local:%H:%M:%S} {zone_name}"
    if form == "rfc822-2digit":
        return f"{day}, {local.day:02d} {month} {local.year % 100:02d} {local:%H:%M:%S} {zone_name}"
    if form == "iso":
        return f"{moment:%Y-%m-%dT%H:%M:%S}{iso_offset}"
    if form == "iso-naive":
        return f"{moment:%Y-%m-%dT%H:%M:%S}"
    if form == "iso-date":
        return f"{moment:%Y-%m-%d}"
    if form == "iso-nosec":
        return f"{moment:%Y-%m-%dT%H:%M}{iso_offset}"
    if form == "iso-frac":
        return f"{moment:%Y-%m-%dT%H:%M:%S}.{draw(ints(0, 999)):03d}{iso_offset}"
    if form == "iso-space":
        return f"{moment:%Y-%m-%d %H:%M:%S}"
    if form == "ymd-slash":
        return f"{moment.year}/{moment.month}/{moment.day} {moment:%H:%M:%S}"
    if form == "dmy":
        return f"{moment:%d/%m/%Y}"
    if form == "dmy-dots":
        return f"{moment:%d.%m.%Y %H:%M}"
    if form == "zero":
        return pick(draw, "0000-00-00 00:00:00", "0000-00-00T00:00:00Z", "0")
    if form == "garbage":
        return pick(draw, "demain", "Mardi 10 janvier 2020", "n/a", "2020-13-45", "yesterday")
    return ""


def author(draw: Draw) -> str:
    name, email = pick(draw, *NAMES), pick(draw, *EMAILS)
    return pick(
        draw, name, name, f"{email} ({name})", f"{name} <{email}>", email, f"mailto:{email}", f" {name} ", ""
    )


def enclosure_attrs(draw: Draw, n: int) -> dict[str, str]:
    url = pick(
        draw,
        f"https://media.exemple.test/podcast/episode-{n}.mp3",
        f"https://media.exemple.test/podcast/episode-{n}.mp3",
        f"audio/episode-{n}.mp3",
        f"/media/{n}.mp4",
        f"https://media.exemple.test/mon fichier {n}.mp3",
        f"https://media.exemple.test/a.mp3?x={n}&y=2",
        "",
    )
    attrs = {"url": url}
    kind = pick(draw, "audio/mpeg", "video/mp4", "image/jpeg", "", None)
    if kind is not None:
        attrs["type"] = kind
    length = pick(draw, "12345678", "", "abc", "12", "0", "-1", " 42 ", "1.5", "²", None)
    if length is not None:
        attrs["length"] = length
    return attrs


def category_list(draw: Draw, max_size: int = 3) -> list[str]:
    return draw(_CATEGORY_LISTS[max_size])  # type: ignore[no-any-return]


# --- encodings -----------------------------------------------------------------------------------

ENCODINGS = (
    "utf-8", "utf-8", "utf-8", "utf-8-bom", "undeclared", "iso-8859-1", "windows-1252", "utf-16",
    "utf-16-nobom", "utf-8-labelled-latin1", "cp1252-labelled-utf8", "utf-8-with-stray-cp1252",
)  # fmt: skip


def _declaration(encoding: str | None) -> str:
    return f'<?xml version="1.0" encoding="{encoding}"?>\n' if encoding else '<?xml version="1.0"?>\n'


def encode(draw: Draw, document: str, choices: tuple[str, ...] = ENCODINGS) -> bytes:
    """The document as bytes, with an XML declaration that matches its encoding, or lies about it."""
    how = pick(draw, *choices)
    if how == "utf-8":
        return (_declaration(pick(draw, "utf-8", "UTF-8")) + document).encode("utf-8")
    if how == "utf-8-bom":
        return codecs.BOM_UTF8 + (_declaration("utf-8") + document).encode("utf-8")
    if how == "undeclared":
        return (pick(draw, "", _declaration(None)) + document).encode("utf-8")
    if how in ("iso-8859-1", "windows-1252"):
        return (_declaration(how) + document).encode(how, "xmlcharrefreplace")
    if how == "utf-16":
        return (_declaration("utf-16") + document).encode("utf-16")
    if how == "utf-16-nobom":
        return (_declaration("utf-16") + document).encode("utf-16-le")
    if how == "utf-8-labelled-latin1":
        return (_declaration("iso-8859-1") + document).encode("utf-8")
    if how == "cp1252-labelled-utf8":
        return (_declaration("utf-8") + document).encode("cp1252", "xmlcharrefreplace")
    # a UTF-8 template with one Windows-1252 character pasted in
    data = (_declaration("utf-8") + document).encode("utf-8")
    for char in ("é", "à", "œ", "’"):
        if char.encode() in data:
            return data.replace(char.encode(), char.encode("cp1252"), 1)
    return data


# --- modules shared by RSS and Atom ---------------------------------------------------------------


def media_elements(draw: Draw, n: int, group: bool) -> str:
    """Media RSS: YouTube's media:group (title, description, content, thumbnail, community) or loose."""
    parts = []
    if draw(BOOL):
        parts.append(f"<media:title>{xml_text(draw, title(draw))}</media:title>")
    if draw(BOOL):
        kind = pick(draw, None, "plain", "html")
        value = html_body(draw, min_blocks=1) if kind == "html" else plain_text(draw)
        attrs = f' type="{kind}"' if kind else ""
        parts.append(f"<media:description{attrs}>{xml_text(draw, value)}</media:description>")
    for _ in range(draw(ints(0, 2))):
        media = {
            "url": pick(
                draw,
                f"https://www.youtube.test/v/{n}?version=3",
                f"https://media.exemple.test/video-{n}.mp4",
                f"images/{n}.jpg",
                f"https://media.exemple.test/podcast/episode-{n}.mp3",
            ),
            "type": pick(draw, "application/x-shockwave-flash", "video/mp4", "image/jpeg", ""),
            "width": "640",
            "height": "390",
        }
        if draw(BOOL):
            media["fileSize"] = pick(draw, "1234", "abc", "")
        if draw(BOOL):
            media["medium"] = pick(draw, "image", "video", "audio")
        parts.append(element("media:content", "", media))
    if draw(BOOL):
        parts.append(element("media:thumbnail", "", {"url": f"https://i.exemple.test/vi/{n}/hq.jpg"}))
    for category in category_list(draw, 2):
        parts.append(f"<media:category>{esc(category)}</media:category>")
    if draw(BOOL):
        parts.append(
            '<media:community><media:starRating count="12" average="4.5" min="1" max="5"/>'
            '<media:statistics views="1234"/></media:community>'
        )
    if draw(BOOL):
        parts.append(f'<media:credit role="author">{esc(pick(draw, *NAMES))}</media:credit>')
    inner = "".join(shuffled(draw, parts))
    return f"<media:group>{inner}</media:group>" if group else inner


def itunes_item(draw: Draw) -> list[str]:
    parts = []
    if draw(BOOL):
        parts.append(f"<itunes:author>{esc(author(draw))}</itunes:author>")
    if draw(BOOL):
        parts.append(f"<itunes:summary>{xml_text(draw, plain_text(draw))}</itunes:summary>")
    if draw(BOOL):
        parts.append(f"<itunes:subtitle>{esc(phrase(draw))}</itunes:subtitle>")
    if draw(BOOL):
        parts.append(
            f"<itunes:duration>{pick(draw, '00:42:10', '42:10', '2530', '1:02:03', 'abc')}</itunes:duration>"
        )
    if draw(BOOL):
        parts.append(f"<itunes:explicit>{pick(draw, 'no', 'yes', 'false')}</itunes:explicit>")
    if draw(BOOL):
        parts.append(f"<itunes:episode>{draw(ints(1, 99))}</itunes:episode>")
    if draw(BOOL):
        parts.append('<itunes:image href="https://media.exemple.test/cover.jpg"/>')
    if draw(BOOL):
        parts.append(
            f"<podcast:guid>5f1c{draw(ints(0, 9999)):04d}-0000-4000-8000-000000000000</podcast:guid>"
        )
    if draw(BOOL):
        parts.append(
            '<podcast:transcript url="https://media.exemple.test/t.vtt" type="text/vtt" language="fr"/>'
        )
    return parts


def itunes_channel(draw: Draw) -> list[str]:
    return [
        f"<itunes:author>{esc(author(draw))}</itunes:author>",
        f"<itunes:summary>{esc(plain_text(draw))}</itunes:summary>",
        f'<itunes:category text="{attr(pick(draw, *ITUNES_CATEGORIES))}"><itunes:category text="Local"/>'
        "</itunes:category>",
        '<itunes:image href="https://media.exemple.test/cover.jpg"/>',
        "<itunes:owner><itunes:name>Radio</itunes:name><itunes:email>radio@exemple.test</itunes:email>"
        "</itunes:owner>",
        "<itunes:explicit>false</itunes:explicit>",
    ]


def xml_base(draw: Draw) -> str:
    return f' xml:base="{attr(pick(draw, *BASES))}"'


def _xmlns(prefixes: Sequence[str]) -> str:
    return "".join(f' xmlns:{p}="{NS[p]}"' for p in sorted(prefixes))


# --- RSS 0.9x / 2.0 ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Doc:
    plain: bool
    version: str = "2.0"


def _guid(draw: Draw, n: int, item_link: str, plain: bool) -> str:
    value = pick(
        draw,
        f"exemple-{n}",
        f"urn:uuid:0000-{draw(ints(0, 2))}",  # repeated across items
        f"https://exemple.test/?p={n}",
        item_link or f"https://exemple.test/?p={n}",
        f"tag:exemple.test,2020:{n}",
        f"/relatif/{n}",
        "",
    )
    perma = pick(draw, None, "true", "false", "false")
    return element("guid", xml_text(draw, value, cdata=not plain), {"isPermaLink": perma} if perma else None)


def _rss_description(draw: Draw, plain: bool) -> str:
    if not plain and one_in(draw, 6):
        body = html_body(draw, xml_safe=True, min_blocks=1)  # raw XHTML children
        if draw(BOOL):
            body = f'<div xmlns="{NS["xhtml"]}">{body}</div>'
        return f"<description>{body}</description>"
    value = html_body(draw) if draw(BOOL) else phrase(draw, 0, 12)
    return f"<description>{xml_text(draw, value)}</description>"


_RSS_EXTRAS = ("dc:title", "media", "media-group", "itunes", "atom:link", "comments", "wfw", "source")


def _rss_item(draw: Draw, doc: _Doc, n: int) -> str:
    plain, legacy = doc.plain, doc.version in ("0.91", "0.92")
    parts: list[str] = []
    item_link = ""
    if not one_in(draw, 10):
        parts.append(f"<title>{xml_text(draw, title(draw))}</title>")
    if not one_in(draw, 6):
        item_link = link(draw, n, pool=0 if draw(BOOL) else 2)
        parts.append(f"<link>{xml_text(draw, item_link, cdata=not plain)}</link>")
    if doc.version != "0.91" and not one_in(draw, 4):
        parts.append(_guid(draw, n, item_link, plain))
    if not one_in(draw, 6):
        parts.append(_rss_description(draw, plain))
    if not legacy and draw(BOOL):
        parts.append(f"<content:encoded>{xml_text(draw, html_body(draw, min_blocks=1))}</content:encoded>")
    # dates: at most one in plain documents
    if plain:
        date_tags = [] if one_in(draw, 5) else [pick(draw, "pubDate", "dc:date")]
    else:
        date_tags = some(
            draw, ("pubDate", "dc:date", "dcterms:modified", "atom:updated", "dcterms:created"), 3
        )
    for tag in date_tags:
        parts.append(f"<{tag}>{esc(date(draw))}</{tag}>")
    # authors: at most one of author / dc:creator in plain documents
    if plain:
        author_tags = [] if one_in(draw, 4) else [pick(draw, "author", "dc:creator")]
    else:
        author_tags = some(draw, ("author", "dc:creator", "atom:author", "itunes:author"), 2)
    for tag in author_tags:
        if tag == "atom:author":
            parts.append(f"<atom:author><atom:name>{esc(pick(draw, *NAMES))}</atom:name></atom:author>")
        else:
            parts.append(f"<{tag}>{xml_text(draw, author(draw), cdata=not plain)}</{tag}>")
    if doc.version != "0.91":
        for category in category_list(draw):
            domain = None if plain or draw(BOOL) else {"domain": "https://exemple.test/tags"}
            parts.append(element("category", xml_text(draw, category), domain))
        for _ in range(draw(ints(0, 2))):
            parts.append(element("enclosure", "", enclosure_attrs(draw, n)))
    if not plain:
        for subject in category_list(draw, 2):
            parts.append(f"<dc:subject>{esc(subject)}</dc:subject>")
        for kind in some(draw, _RSS_EXTRAS, 3):
            if kind == "dc:title":
                parts.append(f"<dc:title>{esc(title(draw))}</dc:title>")
            elif kind in ("media", "media-group"):
                parts.append(media_elements(draw, n, group=kind == "media-group"))
            elif kind == "itunes":
                parts += itunes_item(draw)
            elif kind == "atom:link":
                rel = pick(draw, "alternate", "related", "enclosure", "replies")
                parts.append(element("atom:link", "", {"rel": rel, "href": link(draw, n)}))
            elif kind == "comments":
                parts.append(f"<comments>{esc(link(draw, n))}#comments</comments>")
            elif kind == "wfw":
                parts.append(f"<wfw:commentRss>{esc(link(draw, n))}feed/</wfw:commentRss>")
                parts.append(f"<slash:comments>{draw(ints(0, 40))}</slash:comments>")
            else:
                parts.append(element("source", esc(phrase(draw, 1, 3)), {"url": "https://source.test/rss"}))
    else:  # the ones the fast path reads no field from, and lets be
        for kind in some(draw, ("comments", "wfw", "slash"), 2):
            if kind == "comments":
                parts.append(f"<comments>{esc(link(draw, n))}#comments</comments>")
            elif kind == "wfw":
                parts.append(f"<wfw:commentRss>{esc(link(draw, n))}feed/</wfw:commentRss>")
            else:
                parts.append(f"<slash:comments>{draw(ints(0, 40))}</slash:comments>")
    attrs = xml_base(draw) if not plain and one_in(draw, 6) else ""
    return f"<item{attrs}>" + "".join(shuffled(draw, parts)) + "</item>"


_CHANNEL_EXTRAS = ("itunes", "sy", "dc", "atom-hub", "media")
# RSS 2.0's own channel elements that carry no field
_CHANNEL_RSS2_XML = {
    "copyright": "<copyright>© Commune d’exemple</copyright>",
    "webMaster": "<webMaster>webmestre@exemple.test (Web Mestre)</webMaster>",
    "docs": "<docs>https://www.rssboard.org/rss-specification</docs>",
    "cloud": '<cloud domain="rpc.exemple.test" port="80" path="/RPC2" registerProcedure="ping"'
    ' protocol="xml-rpc"/>',
    "rating": "<rating>(PICS-1.1 none)</rating>",
    "textInput": "<textInput><title>Chercher</title><description>Recherche</description><name>q</name>"
    "<link>https://exemple.test/recherche</link></textInput>",
    "skip": "<skipHours><hour>1</hour><hour>2</hour></skipHours><skipDays><day>Sunday</day></skipDays>",
    "sy": "<sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>2</sy:updateFrequency>",
    "atom-next": '<atom:link rel="next" href="http://127.0.0.1/feed?page=2"/>',
}
_CHANNEL_RSS2 = tuple(_CHANNEL_RSS2_XML)


def _rss_channel_head(draw: Draw, doc: _Doc) -> list[str]:
    parts = []
    if not one_in(draw, 10):
        parts.append(f"<title>{xml_text(draw, title(draw), cdata=not doc.plain)}</title>")
    if not one_in(draw, 6):
        parts.append(f"<link>{esc(link(draw, 0))}</link>")
    parts.append(f"<description>{xml_text(draw, phrase(draw, 0, 8))}</description>")
    if draw(BOOL):
        parts.append(f"<language>{pick(draw, 'fr-FR', 'fr', 'en-us')}</language>")
    if draw(BOOL):
        parts.append(f"<lastBuildDate>{esc(date(draw))}</lastBuildDate>")
    if draw(BOOL):
        parts.append(f"<pubDate>{esc(date(draw))}</pubDate>")
    if doc.version == "2.0" and draw(BOOL):
        parts.append('<atom:link href="http://127.0.0.1/feed" rel="self" type="application/rss+xml"/>')
    if draw(BOOL):
        parts.append("<generator>gazette-feedgen 1.0</generator>")
    if draw(BOOL):
        parts.append(f"<managingEditor>{esc(author(draw))}</managingEditor>")
    if draw(BOOL):
        parts.append(
            "<image><url>https://exemple.test/logo.png</url><title>Logo</title>"
            "<link>https://exemple.test/</link></image>"
        )
    if doc.version == "2.0" and draw(BOOL):
        parts.append(f"<category>{esc(pick(draw, *CATEGORY_WORDS))}</category>")
    if draw(BOOL):
        parts.append("<ttl>60</ttl>")
    for kind in some(draw, _CHANNEL_RSS2, 3):
        parts.append(_CHANNEL_RSS2_XML[kind])
    if not doc.plain:
        for kind in some(draw, _CHANNEL_EXTRAS, 3):
            if kind == "itunes":
                parts += itunes_channel(draw)
            elif kind == "sy":
                parts.append(
                    "<sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>1</sy:updateFrequency>"
                )
            elif kind == "dc":
                parts.append(f"<dc:creator>{esc(author(draw))}</dc:creator>")
                parts.append(f"<dc:date>{esc(date(draw))}</dc:date>")
            elif kind == "atom-hub":
                parts.append('<atom:link rel="hub" href="https://pubsub.exemple.test/"/>')
            else:
                parts.append('<media:thumbnail url="https://exemple.test/logo.png"/>')
    return shuffled(draw, parts) if draw(BOOL) else parts


def rss_text(draw: Draw, plain: bool, versions: tuple[str, ...]) -> str:
    """An RSS document as text, without its XML declaration."""
    doc = _Doc(plain=plain, version=pick(draw, *versions))
    head = _rss_channel_head(draw, doc)
    items = [_rss_item(draw, doc, n) for n in range(draw(ints(1, 6)))]
    channel_attrs = root_attrs = ""
    if not plain and one_in(draw, 5):
        if draw(BOOL):
            channel_attrs = xml_base(draw)
        else:
            root_attrs = xml_base(draw)
    doctype = ""
    if doc.version == "0.91" and draw(BOOL):
        doctype = (
            '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
            '"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n'
        )
    version = "" if plain and one_in(draw, 10) else f' version="{doc.version}"'
    prefixes = PLAIN_RSS_PREFIXES if plain else RSS_PREFIXES
    return (
        f"{doctype}<rss{version}{_xmlns(prefixes)}{root_attrs}>\n<channel{channel_attrs}>\n"
        + "\n".join(head)
        + "\n"
        + "\n".join(items)
        + "\n</channel>\n</rss>\n"
    )


@st.composite
def rss_documents(draw: Draw, versions: tuple[str, ...] = ("0.91", "0.92", "2.0", "2.0", "2.0")) -> bytes:
    """RSS 0.91/0.92/2.0 with every module real feeds use."""
    return encode(draw, rss_text(draw, plain=False, versions=versions))


@st.composite
def plain_rss_documents(draw: Draw) -> bytes:
    """RSS 2.0 (and 0.92–0.94) made only of title, link, guid, pubDate or dc:date, description,
    content:encoded, category, author or dc:creator, enclosure, comments, wfw:commentRss and slash:comments,
    and the channel's RSS 2.0 elements: what the fast path reads. Any encoding, mislabelled ones included."""
    return encode(draw, rss_text(draw, plain=True, versions=PLAIN_RSS_VERSIONS))


# --- RSS 1.0 (RDF) -------------------------------------------------------------------------------


def rdf_text(draw: Draw) -> str:
    abouts = [link(draw, n) for n in range(draw(ints(1, 6)))]
    items = []
    for about in abouts:
        parts = []
        if not one_in(draw, 10):
            parts.append(f"<title>{xml_text(draw, title(draw))}</title>")
        if not one_in(draw, 6):
            parts.append(f"<link>{esc(about)}</link>")
        if not one_in(draw, 5):
            value = html_body(draw) if draw(BOOL) else phrase(draw, 0, 12)
            parts.append(f"<description>{xml_text(draw, value)}</description>")
        if draw(BOOL):
            parts.append(
                f"<content:encoded>{xml_text(draw, html_body(draw, min_blocks=1))}</content:encoded>"
            )
        for tag in some(draw, ("dc:date", "dcterms:modified", "dcterms:created"), 2):
            parts.append(f"<{tag}>{esc(date(draw))}</{tag}>")
        if draw(BOOL):
            parts.append(f"<dc:creator>{xml_text(draw, author(draw))}</dc:creator>")
        for subject in category_list(draw):
            parts.append(f"<dc:subject>{esc(subject)}</dc:subject>")
        if one_in(draw, 5):
            parts.append(f"<dc:title>{esc(title(draw))}</dc:title>")
        base = xml_base(draw) if one_in(draw, 6) else ""
        items.append(f'<item rdf:about="{attr(about)}"{base}>' + "".join(shuffled(draw, parts)) + "</item>")
    seq = "".join(f'<rdf:li rdf:resource="{attr(a)}"/>' for a in abouts)
    channel = (
        '<channel rdf:about="http://127.0.0.1/feed">'
        f"<title>{xml_text(draw, title(draw))}</title><link>{esc(link(draw, 0))}</link>"
        f"<description>{esc(phrase(draw, 0, 8))}</description>"
        + (f"<dc:date>{esc(date(draw))}</dc:date>" if draw(BOOL) else "")
        + f"<items><rdf:Seq>{seq}</rdf:Seq></items></channel>"
    )
    return (
        f'<rdf:RDF xmlns="{NS["rss1"]}"{_xmlns(("rdf", "dc", "dcterms", "content"))}>\n{channel}\n'
        + "\n".join(items)
        + "\n</rdf:RDF>\n"
    )


@st.composite
def rdf_documents(draw: Draw) -> bytes:
    """RSS 1.0: rdf:RDF, items beside the channel, Dublin Core dates, creators and subjects."""
    return encode(draw, rdf_text(draw))


# --- Atom 1.0 ------------------------------------------------------------------------------------


def atom_text_construct(draw: Draw, tag: str, plain: bool, body: bool) -> str:
    kinds: tuple[str | None, ...] = ("text", "html", None)
    if not plain:
        kinds += ("xhtml", "text/html", "text/plain")
    kind = pick(draw, *kinds)
    attrs = f' type="{kind}"' if kind else ""
    if kind in ("html", "text/html"):
        value = html_body(draw, min_blocks=1) if body else title(draw)
        return f"<{tag}{attrs}>{xml_text(draw, value)}</{tag}>"
    if kind == "xhtml":
        value = html_body(draw, xml_safe=True, min_blocks=1) if body else f"<b>{esc(phrase(draw, 1, 4))}</b>"
        return f'<{tag}{attrs}><div xmlns="{NS["xhtml"]}">{value}</div></{tag}>'
    value = plain_text(draw) if body else phrase(draw, 0, 8)
    return f"<{tag}{attrs}>{xml_text(draw, value)}</{tag}>"


def atom_person(draw: Draw, tag: str) -> str:
    parts = [] if one_in(draw, 6) else [f"<name>{esc(pick(draw, *NAMES))}</name>"]
    if draw(BOOL):
        parts.append(f"<email>{esc(pick(draw, *EMAILS))}</email>")
    if draw(BOOL):
        parts.append("<uri>https://exemple.test/auteurs/1</uri>")
    return f"<{tag}>" + "".join(parts) + f"</{tag}>"


_ATOM_EXTRAS = ("youtube", "media", "dc", "itunes", "source")


def _atom_entry(draw: Draw, plain: bool, n: int) -> str:
    parts: list[str] = []
    if not one_in(draw, 10):
        parts.append(atom_text_construct(draw, "title", plain, body=False))
    alternates = (0 if one_in(draw, 6) else 1) if plain else pick(draw, 0, 1, 1, 1, 2)
    entry_link = ""
    for i in range(alternates):
        entry_link = link(draw, n, pool=0 if draw(BOOL) else 2)
        attrs = {"href": entry_link}
        if draw(BOOL):
            attrs["rel"] = "alternate"
        if i or draw(BOOL):
            attrs["type"] = "text/html"
        if i:
            attrs["hreflang"] = "en"
        parts.append(element("link", "", attrs))
    for rel in some(draw, ("enclosure", "self", "related", "replies", "via"), 2):
        if rel == "enclosure":
            enclosure = enclosure_attrs(draw, n)
            attrs = {"rel": rel, "href": enclosure.pop("url"), **enclosure}
        else:
            attrs = {"rel": rel, "href": link(draw, n)}
        parts.append(element("link", "", attrs))
    if not one_in(draw, 6):
        value = pick(draw, f"urn:uuid:entry-{n}", f"urn:uuid:0000-{draw(ints(0, 2))}", entry_link)
        if value or not plain:
            parts.append(f"<id>{esc(value)}</id>")
    if draw(BOOL):
        parts.append(f"<published>{esc(date(draw))}</published>")
    if not one_in(draw, 4):
        parts.append(f"<updated>{esc(date(draw))}</updated>")
    for _ in range(draw(ints(0, 1 if plain else 2))):
        parts.append(atom_person(draw, "author"))
    if one_in(draw, 5):
        parts.append(atom_person(draw, "contributor"))
    for category in category_list(draw):
        attrs = {"term": category}
        if one_in(draw, 4):
            attrs["label"] = pick(draw, *CATEGORY_WORDS)
        if one_in(draw, 4):
            attrs["scheme"] = "https://exemple.test/tags/"
        parts.append(element("category", "", attrs))
    if draw(BOOL):
        parts.append(atom_text_construct(draw, "summary", plain, body=True))
    if draw(BOOL):
        if not plain and one_in(draw, 7):
            parts.append(f'<content type="text/html" src="{attr(link(draw, n))}"/>')
        else:
            parts.append(atom_text_construct(draw, "content", plain, body=True))
    if one_in(draw, 6):
        parts.append("<rights>© Exemple</rights>")
    if not plain:
        for kind in some(draw, _ATOM_EXTRAS, 2):
            if kind == "youtube":
                parts.append(f"<yt:videoId>vid{n}</yt:videoId><yt:channelId>UCexemple</yt:channelId>")
                parts.append(media_elements(draw, n, group=True))
            elif kind == "media":
                parts.append(media_elements(draw, n, group=False))
            elif kind == "dc":
                parts.append(f"<dc:creator>{esc(author(draw))}</dc:creator>")
                parts.append(f"<dc:subject>{esc(pick(draw, *CATEGORY_WORDS))}</dc:subject>")
            elif kind == "itunes":
                parts += itunes_item(draw)
            else:
                parts.append(
                    "<source><id>urn:source</id><title>Source</title><updated>2020-01-01T00:00:00Z</updated></source>"
                )
    attrs_text = xml_base(draw) if not plain and one_in(draw, 5) else ""
    if one_in(draw, 6):
        attrs_text += ' xml:lang="fr"'
    return f"<entry{attrs_text}>" + "".join(shuffled(draw, parts)) + "</entry>"


def atom_text(draw: Draw, plain: bool) -> str:
    """An Atom document as text, without its XML declaration."""
    head = []
    if not one_in(draw, 10):
        head.append(atom_text_construct(draw, "title", plain, body=False))
    if draw(BOOL):
        head.append(atom_text_construct(draw, "subtitle", plain, body=False))
    if not one_in(draw, 5):
        attrs = {"href": link(draw, 0)}
        if draw(BOOL):
            attrs["rel"] = "alternate"
        head.append(element("link", "", attrs))
    if draw(BOOL):
        head.append('<link rel="self" href="http://127.0.0.1/feed"/>')
    if not plain and one_in(draw, 5):
        head.append('<link rel="hub" href="https://pubsub.exemple.test/"/>')
    head.append("<id>urn:uuid:feed</id>")
    if draw(BOOL):
        head.append(f"<updated>{esc(date(draw))}</updated>")
    for _ in range(draw(ints(0, 1 if plain else 2))):
        head.append(atom_person(draw, "author"))
    if draw(BOOL):
        head.append('<generator uri="https://gazette.test/" version="1.0">feedgen</generator>')
    if draw(BOOL):
        head.append("<icon>/favicon.ico</icon><logo>https://exemple.test/logo.png</logo>")
    if draw(BOOL):
        head.append(f'<category term="{attr(pick(draw, *CATEGORY_WORDS))}"/>')
    if draw(BOOL):
        head.append("<rights>© Exemple</rights>")
    entries = [_atom_entry(draw, plain, n) for n in range(draw(ints(1, 6)))]
    attrs = xml_base(draw) if not plain and one_in(draw, 4) else ""
    if draw(BOOL):
        attrs += ' xml:lang="fr"'
    prefixes: tuple[str, ...] = () if plain else ("media", "yt", "dc", "itunes", "podcast")
    return (
        f'<feed xmlns="{NS["atom"]}"{_xmlns(prefixes)}{attrs}>\n'
        + "\n".join(shuffled(draw, head) if draw(BOOL) else head)
        + "\n"
        + "\n".join(entries)
        + "\n</feed>\n"
    )


@st.composite
def atom_documents(draw: Draw) -> bytes:
    """Atom 1.0 with text/html/xhtml constructs, xml:base, several authors, YouTube's media:group…"""
    return encode(draw, atom_text(draw, plain=False))


@st.composite
def plain_atom_documents(draw: Draw) -> bytes:
    """Atom 1.0 made only of title, link, id, published, updated, author, summary, content (text or html),
    category, contributor and rights: what the fast path reads."""
    return encode(draw, atom_text(draw, plain=True))


# --- everything ----------------------------------------------------------------------------------


def plain_documents() -> st.SearchStrategy[bytes]:
    """Plain RSS 2.0 or plain Atom: the fast path should accept every one."""
    return st.one_of(plain_rss_documents(), plain_atom_documents())


def feed_documents() -> st.SearchStrategy[bytes]:
    """Any of the above: RSS 0.9x/2.0, RDF, Atom, with all their modules, or plain."""
    return st.one_of(
        rss_documents(),
        rss_documents(),
        rdf_documents(),
        atom_documents(),
        atom_documents(),
        plain_documents(),
    )


# The pieces as strategies, for tests of their own.
titles = st.composite(title)
links = st.composite(link)
html_bodies = st.composite(html_body)
plain_texts = st.composite(plain_text)
dates = st.composite(date)
authors = st.composite(author)

CONTENT_TYPES = (
    "",
    "",
    "application/rss+xml",
    "application/atom+xml; charset=utf-8",
    "text/xml; charset=iso-8859-1",
    "application/xml",
)
content_types = st.sampled_from(CONTENT_TYPES)
