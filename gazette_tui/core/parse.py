"""Bytes → :class:`ParsedFeed`.

Two roads to one model. Well-formed RSS 2.0 and Atom (nearly every feed, La Gazette's included) go through a
fast path on lxml: ~20× quicker than feedparser on a 100-item feed, which is what lets a cold refresh beat
newsboat. Everything else (RDF, RSS 0.9x, broken XML, odd encodings) goes to feedparser, the reference for
tolerance. JSON Feed 1.0/1.1 has its own reader (feedparser does not read it).

Runs in worker processes: everything here is pure and returns picklable data.
"""

from __future__ import annotations

import calendar
import codecs
import hashlib
import json
import re
import warnings
from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from itertools import islice
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

from lxml import etree

from gazette_tui.core.errors import FeedError
from gazette_tui.core.models import Enclosure, ParsedEntry, ParsedFeed
from gazette_tui.core.text import clean_line, html_to_text, safe_url, sanitize_html

NS_ATOM = "http://www.w3.org/2005/Atom"
NS_CONTENT = "http://purl.org/rss/1.0/modules/content/"
NS_DC = "http://purl.org/dc/elements/1.1/"

# "<!ENTITY" in every encoding feedparser detects on its own (UTF-8 and ASCII-compatible ones, UTF-16/32,
# EBCDIC): a declaration can hide after megabytes of comments or in a UTF-16 document.
_ENTITY_DECLS = tuple(
    "<!ENTITY".encode(codec)
    for codec in ("ascii", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "cp037")
)
_LOOKS_HTML = re.compile(r"<[a-zA-Z/!]")
_RESERVED_MARKERS = ("réservé aux abonnés", "reserve aux abonnes", "article réservé")

# Fields longer than this are cut before any regex sees them (feedparser's e-mail regex is quadratic).
MAX_SHORT_FIELD = 1024
# feedparser's loose parser reads ~20 000 tags a second: documents it must read are refused above this many
# "<" so that one hostile feed costs seconds, not minutes (the fast path has no such limit).
MAX_LOOSE_MARKUP = 50_000
# Items read from one document, and HTML characters kept per body: a feed is a few hundred items of a few
# hundred KB at most; past these, a document is hostile (8 MiB of empty items would be 190 000 articles) and
# the reader would take seconds and hundreds of MB to lay out one body.
MAX_ENTRIES = 10_000
MAX_BODY_CHARS = 1_000_000
_CUT_MARK = "<p>[…]</p>"


def _body(fragment: str) -> str:
    if len(fragment) > MAX_BODY_CHARS:  # nh3 closes whatever the cut left open
        fragment = fragment[:MAX_BODY_CHARS] + _CUT_MARK
    return sanitize_html(fragment)


_XML_DECL = re.compile(
    rb"""^(?:\xef\xbb\xbf)?\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']"""
)
_CHARSET = re.compile(r";\s*charset\s*=\s*[\"']?[^;\"'\s]*[\"']?", re.IGNORECASE)
_LATIN = re.compile(
    r"(?:us-?ascii|ascii|iso[-_]?8859[-_]?1|latin[-_]?1|l1|windows[-_]?1252|cp1252|cp819)", re.I
)
_UNICODE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Windows-1252 for each byte, the five it leaves undefined as their Latin-1 (C1, removed by cleaning later).
_CP1252 = [bytes([i]).decode("cp1252", errors="ignore") or chr(i) for i in range(256)]


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    return "".join(_CP1252[b] for b in error.object[error.start : error.end]), error.end


codecs.register_error("gazette-cp1252", _cp1252_fallback)


def _known(label: str) -> bool:
    try:
        codecs.lookup(label)
    except LookupError:
        return False
    return True


def repair_encoding(data: bytes, content_type: str = "") -> tuple[bytes, str]:
    """Undo the usual charset mix-ups before any parser sees the bytes; returns (data, content_type).

    - valid UTF-8 labelled Latin-1 (by the XML declaration or HTTP): it is UTF-8 (Latin-1 French text is
      practically never valid UTF-8);
    - UTF-8 with stray Latin-1/Windows-1252 bytes (templates in one, content in the other): each invalid byte
      is read as Windows-1252;
    - Latin-1 labelled as such is read as Windows-1252, as browsers do (curly quotes, €, œ).
    Other encodings (UTF-16/32, legacy Asian ones) are left to the parsers.
    """
    if data.isascii() or data.startswith(_UNICODE_BOMS):
        return data, content_type
    bom = data.startswith(codecs.BOM_UTF8)
    if bom:
        data = data[len(codecs.BOM_UTF8) :]
    match = _XML_DECL.match(data)
    declared = match.group(1).decode("ascii").lower() if match else ""
    http = content_type.lower().partition("charset=")[2].split(";")[0].strip(" \"'")
    labels = [label for label in (declared, http) if label and _known(label)]  # unknown ones say nothing
    if not bom and any(not (_LATIN.fullmatch(label) or label in ("utf-8", "utf8")) for label in labels):
        return data, content_type
    try:
        text = data.decode("utf-8")
        if declared in ("", "utf-8", "utf8"):
            return data, _CHARSET.sub("", content_type)  # already right: no copy
    except UnicodeDecodeError:
        latin = not bom and bool(labels) and all(_LATIN.fullmatch(label) for label in labels)
        text = data.decode("cp1252" if latin else "utf-8", errors="gazette-cp1252")
    if match:  # the declaration is ASCII, so its offsets are the same in bytes and in text
        text = text[: match.start(1)] + "utf-8" + text[match.end(1) :]
    return text.encode("utf-8"), _CHARSET.sub("", content_type)


def _xml_parser() -> etree.XMLParser:
    # No DTD, no entity expansion, no network: XXE and entity bombs have nothing to work with.
    return etree.XMLParser(
        resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False, recover=False
    )


def to_timestamp(value: str | None) -> int | None:
    """Seconds since the epoch (UTC) from RFC 822, ISO 8601 or any format feedparser knows."""
    if not value:
        return None
    value = value.strip()[:100]
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            parsed = None
    if parsed is not None:
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        try:
            return int(parsed.timestamp())
        except (OverflowError, OSError, ValueError):
            return None
    from feedparser.datetimes import _parse_date as feedparser_date  # odd formats only: import late

    try:
        struct = feedparser_date(value)
    except Exception:  # feedparser's date handlers raise a variety of things on garbage
        return None
    return calendar.timegm(struct) if struct else None


def _title_text(value: str | None) -> str:
    """Titles are text, but many feeds put HTML (or entity-escaped HTML) in them."""
    value = (value or "")[:4096]
    return html_to_text(value) if _LOOKS_HTML.search(value) or "&" in value else clean_line(value)


def _reserved(url: str, *texts: str) -> bool:
    try:
        if parse_qs(urlsplit(url).query).get("abo") == ["1"]:
            return True
    except ValueError:
        pass
    lowered = [text.lower() for text in texts]
    return any(marker in text for text in lowered for marker in _RESERVED_MARKERS)


def build_entry(
    *,
    guid: str,
    link: str,
    title: str,
    author: str,
    published: int | None,
    updated: int | None,
    categories: Iterable[str],
    summary: str,
    content: str,
    enclosures: Iterable[Enclosure] = (),
    base_url: str = "",
) -> ParsedEntry:
    """Apply the one set of rules (cleaning, sanitising, dedupe key, La Gazette's shape) to raw fields."""
    url = safe_url(urljoin(base_url, link.strip())) if link else None
    cats = list(dict.fromkeys(c for c in (clean_line(c[:200]) for c in categories) if c))[:32]
    summary_html = _body(summary)
    content_html = _body(content)
    body = content_html or summary_html
    text = html_to_text(body)
    title_text = _title_text(title)
    digest = hashlib.sha1(
        f"{title_text}\x00{text}".encode("utf-8", "surrogatepass"), usedforsecurity=False
    ).hexdigest()
    key = clean_line(guid[:2048]) or (url or "") or f"sha1:{digest}"
    summary_head = summary_html[:4000]
    return ParsedEntry(
        key=key,
        url=url or "",
        title=title_text,
        kicker=cats[0] if cats else "",
        author=clean_line(author[:MAX_SHORT_FIELD]),
        published=published,
        updated=updated,
        categories=cats,
        summary_html=summary_html,
        content_html=content_html if content_html != summary_html else "",
        text=text,
        reserved=_reserved(url or "", summary_head, title_text),
        enclosures=[e for e in enclosures if safe_url(e.url)],
        content_hash=digest,
    )


# --- fast path: well-formed RSS 2.0 / Atom through lxml -------------------------------------------


def _child_text(element: Any, tag: str) -> str:
    child = element.find(tag)
    return (child.text or "") if child is not None else ""


def _rss(root: Any, base_url: str) -> ParsedFeed:
    channel = root.find("channel")
    if channel is None:
        raise FeedError("Ce n'est pas un flux RSS/Atom")
    site = _child_text(channel, "link").strip()
    entries = []
    for item in islice(channel.iter("item"), MAX_ENTRIES):
        guid = _child_text(item, "guid")
        author = _child_text(item, f"{{{NS_DC}}}creator") or _child_text(item, "author")
        date = _child_text(item, "pubDate") or _child_text(item, f"{{{NS_DC}}}date")
        enclosures = [
            Enclosure(
                url=(e.get("url") or "").strip(),
                type=e.get("type") or "",
                length=int(e.get("length")) if (e.get("length") or "").isdigit() else 0,
            )
            for e in item.iter("enclosure")
        ]
        entries.append(
            build_entry(
                guid=guid,
                link=_child_text(item, "link"),
                title=_child_text(item, "title"),
                author=author,
                published=to_timestamp(date),
                updated=None,
                categories=[c.text or "" for c in item.iter("category")],
                summary=_child_text(item, "description"),
                content=_child_text(item, f"{{{NS_CONTENT}}}encoded"),
                enclosures=enclosures,
                base_url=site or base_url,
            )
        )
    return ParsedFeed("rss", _title_text(_child_text(channel, "title")), safe_url(site) or "", entries)


def _atom_text(element: Any) -> str:
    """An Atom text construct as HTML (type text is escaped, xhtml is serialised)."""
    if element is None:
        return ""
    kind = element.get("type", "text")
    if kind == "xhtml":
        parts = [etree.tostring(child, encoding="unicode", with_tail=True) for child in element]
        return re.sub(r"\s?xmlns(:\w+)?=\"[^\"]*\"", "", (element.text or "") + "".join(parts))
    if kind in ("html", "text/html"):
        return element.text or ""
    from html import escape

    return escape(element.text or "")


def _atom_link(element: Any) -> str:
    for link in element.iterfind(f"{{{NS_ATOM}}}link"):
        if link.get("rel", "alternate") == "alternate":
            return link.get("href") or ""
    return ""


def _atom(root: Any, base_url: str) -> ParsedFeed:
    a = f"{{{NS_ATOM}}}"
    site = _atom_link(root)
    entries = []
    for entry in islice(root.iterfind(f"{a}entry"), MAX_ENTRIES):
        author = entry.find(f"{a}author")
        name = _child_text(author, f"{a}name") if author is not None else ""
        published = to_timestamp(_child_text(entry, f"{a}published"))
        updated = to_timestamp(_child_text(entry, f"{a}updated"))
        title_el = entry.find(f"{a}title")
        title = _atom_text(title_el) if title_el is not None else ""
        enclosures = [
            Enclosure(url=link.get("href") or "", type=link.get("type") or "")
            for link in entry.iterfind(f"{a}link")
            if link.get("rel") == "enclosure"
        ]
        entries.append(
            build_entry(
                guid=_child_text(entry, f"{a}id"),
                link=_atom_link(entry),
                title=title,
                author=name,
                published=published or updated,
                updated=updated,
                categories=[c.get("label") or c.get("term") or "" for c in entry.iterfind(f"{a}category")],
                summary=_atom_text(entry.find(f"{a}summary")),
                content=_atom_text(entry.find(f"{a}content")),
                enclosures=enclosures,
                base_url=site or base_url,
            )
        )
    title_el = root.find(f"{a}title")
    title = _atom_text(title_el) if title_el is not None else ""
    return ParsedFeed("atom", _title_text(title), safe_url(site) or "", entries)


def _fast_path(data: bytes, url: str) -> ParsedFeed | None:
    """Parse well-formed RSS 2.0 / Atom; None means: let feedparser try."""
    try:
        root = etree.fromstring(data, _xml_parser())
    except (etree.XMLSyntaxError, ValueError):
        return None
    if root is None:
        return None
    if root.tag == "rss" and root.get("version", "2.0").startswith(("2", "0.92", "0.93", "0.94")):
        return _rss(root, url)
    if root.tag == f"{{{NS_ATOM}}}feed":
        return _atom(root, url)
    return None


# --- JSON Feed -----------------------------------------------------------------------------------


def _json_feed(data: bytes, url: str) -> ParsedFeed:
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):
        raise FeedError("JSON Feed illisible") from None
    if not isinstance(document, dict) or not str(document.get("version", "")).startswith(
        "https://jsonfeed.org/version/"
    ):
        raise FeedError("Ce n'est pas un flux RSS/Atom/JSON Feed")

    def text(value: Any) -> str:
        return value if isinstance(value, str) else ""

    site = text(document.get("home_page_url"))
    entries = []
    items = document.get("items")
    for item in items[:MAX_ENTRIES] if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
        names = [text(a.get("name")) for a in authors if isinstance(a, dict)]
        tags: list[Any] = item["tags"] if isinstance(item.get("tags"), list) else []
        attachments: list[Any] = item["attachments"] if isinstance(item.get("attachments"), list) else []
        content = text(item.get("content_html"))
        if not content and item.get("content_text"):
            from html import escape

            content = "<p>" + escape(text(item.get("content_text"))).replace("\n", "<br>") + "</p>"
        entries.append(
            build_entry(
                guid=str(item.get("id", "")) if isinstance(item.get("id"), str | int) else "",
                link=text(item.get("url")),
                title=text(item.get("title")),
                author=", ".join(n for n in names if n),
                published=to_timestamp(text(item.get("date_published"))),
                updated=to_timestamp(text(item.get("date_modified"))),
                categories=[t for t in tags if isinstance(t, str)],
                summary=text(item.get("summary")),
                content=content,
                enclosures=[
                    Enclosure(url=text(a.get("url")), type=text(a.get("mime_type")))
                    for a in attachments
                    if isinstance(a, dict)
                ],
                base_url=site or url,
            )
        )
    return ParsedFeed("json", _title_text(text(document.get("title"))), safe_url(site) or "", entries)


# --- feedparser: everything else -----------------------------------------------------------------


def _guard_feedparser() -> None:
    """Cut author fields before feedparser's e-mail regex sees them: that regex is quadratic, and one
    200 KB ``<author>`` costs it minutes. Patched on its class because the field may come from any of a dozen
    elements, split by comments or CDATA, in any encoding; only feedparser's own view of it is reliable."""
    from feedparser.mixin import _FeedParserMixin

    original = _FeedParserMixin._sync_author_detail
    if getattr(original, "guarded", False):
        return

    def sync_author_detail(self: Any, key: str = "author") -> None:
        context = self._get_context()
        value = context.get(key)
        if isinstance(value, str) and len(value) > MAX_SHORT_FIELD:
            context[key] = value[:MAX_SHORT_FIELD]
        original(self, key)

    sync_author_detail.guarded = True  # type: ignore[attr-defined]
    _FeedParserMixin._sync_author_detail = sync_author_detail


def _feedparser(data: bytes, url: str, content_type: str) -> ParsedFeed:
    import feedparser  # only for feeds the fast path declines: keeps start-up and warm refreshes light

    _guard_feedparser()
    if data.count(b"<") > MAX_LOOSE_MARKUP:
        raise FeedError("XML mal formé et trop volumineux pour être lu")

    headers = {"content-type": content_type} if content_type else {}
    result = feedparser.parse(
        data, response_headers=headers, sanitize_html=False, resolve_relative_uris=False
    )
    if not result.entries:
        if not result.get("version"):
            raise FeedError("Ce n'est pas un flux RSS/Atom")
        if result.get("bozo"):
            raise FeedError("XML mal formé : flux illisible")
    feed = result.feed
    entries = []
    for item in result.entries[:MAX_ENTRIES]:
        content = ""
        if item.get("content"):
            content = "".join(part.get("value", "") for part in item.content)
        with warnings.catch_warnings():  # feedparser warns about its updated→published fallback
            warnings.simplefilter("ignore", DeprecationWarning)
            updated = item.get("updated_parsed")
        date = item.get("published_parsed") or updated
        entries.append(
            build_entry(
                guid=item.get("id", "") or "",
                link=item.get("link", "") or "",
                title=item.get("title", "") or "",
                author=(item.get("author", "") or "")[:MAX_SHORT_FIELD],
                published=calendar.timegm(date) if date else None,
                updated=calendar.timegm(updated) if updated else None,
                categories=[t.get("label") or t.get("term") or "" for t in item.get("tags", [])],
                summary=item.get("summary", "") or "",
                content=content,
                enclosures=[
                    Enclosure(url=e.get("href", ""), type=e.get("type", ""))
                    for e in item.get("enclosures", [])
                ],
                base_url=feed.get("link", "") or url,
            )
        )
    kind = "atom" if result.version.startswith("atom") else "rdf" if "rss1" in result.version else "rss"
    return ParsedFeed(kind, _title_text(feed.get("title", "")), safe_url(feed.get("link")) or "", entries)


def parse_feed(data: bytes, url: str = "", content_type: str = "") -> ParsedFeed:
    """Parse a feed document; raise :class:`FeedError` with a short French sentence when it is not one."""
    head = data[:1024].lstrip()
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8) :].lstrip()
    if not head:
        raise FeedError("Réponse vide")
    if any(pattern in data for pattern in _ENTITY_DECLS):
        # Internal entity declarations are the tool of billion-laughs attacks, and feedparser's loose
        # fallback expands them (a 260 KB feed reached MemoryError); no real feed needs them.
        raise FeedError("Flux refusé : il déclare des entités XML")
    data, content_type = repair_encoding(data, content_type)
    if head.startswith((b"{", b"[")) or "json" in content_type:
        return _json_feed(data, url)
    parsed = _fast_path(data, url)
    if parsed is None:
        if head.lower().startswith((b"<!doctype html", b"<html")):
            raise FeedError("Ce n'est pas un flux RSS/Atom (page HTML)")
        parsed = _feedparser(data, url, content_type)
    return parsed
