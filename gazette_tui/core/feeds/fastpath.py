"""The lxml fast path: well-formed RSS 2.0 and Atom 1.0 made only of elements it knows.

It is several times quicker than feedparser, and it may only be quicker, never different: it reads a document
only when every element is one whose meaning it shares with the feedparser road, each where it expects it and
as often as it expects it. Anything else (iTunes elements but an item's duration, media, xml:base, two dates
in one item, XHTML content, an unknown namespace…) makes it decline, and feedparser reads the document.
``tests/test_differential.py`` feeds the same bytes to both roads and proves they agree on every document the
fast path accepts.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice
from typing import Any

from lxml import etree

from gazette_tui.core.feeds.entries import (
    RawEnclosure,
    absolute_url,
    build_entry,
    finish_entries,
    text_as_html,
    title_text,
    to_timestamp,
)
from gazette_tui.models import ParsedEntry, ParsedFeed

NS_ATOM = "http://www.w3.org/2005/Atom"
NS_CONTENT = "http://purl.org/rss/1.0/modules/content/"
NS_DC = "http://purl.org/dc/elements/1.1/"
NS_SY = "http://purl.org/rss/1.0/modules/syndication/"
NS_WFW = "http://wellformedweb.org/CommentAPI/"
NS_SLASH = "http://purl.org/rss/1.0/modules/slash/"
NS_ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"

# Items read from one document: 8 MiB of empty items would be 190 000 articles.
MAX_ENTRIES = 10_000


class Decline(Exception):
    """The document holds something only the feedparser road reads."""


_ATOM = f"{{{NS_ATOM}}}"
_DC_CREATOR = f"{{{NS_DC}}}creator"
_DC_DATE = f"{{{NS_DC}}}date"
_ENCODED = f"{{{NS_CONTENT}}}encoded"
# An episode's length, the one iTunes element read: podcast feeds with other iTunes elements decline.
_ITUNES_DURATION = f"{{{NS_ITUNES}}}duration"
# Elements no road reads a field from: they may appear, as often as they like.
_IGNORED_ITEM = frozenset(
    {"comments", f"{{{NS_WFW}}}commentRss", f"{{{NS_WFW}}}comment", f"{{{NS_SLASH}}}comments"}
)
# dc:date is the item's "updated" (feedparser's reading, and the shared rule: published falls back to it).
_RSS_ITEM_ONCE = frozenset(
    {"title", "link", "guid", "description", _ENCODED, "pubDate", _DC_DATE, _ITUNES_DURATION}
)
_RSS_ITEM_MANY = frozenset({"category", "enclosure"})
_RSS_AUTHORS = frozenset({"author", _DC_CREATOR})
_RSS_CHANNEL = frozenset(
    {
        "title", "link", "description", "language", "copyright", "managingEditor", "webMaster", "pubDate",
        "lastBuildDate", "category", "generator", "docs", "cloud", "ttl", "image", "rating", "textInput",
        "skipHours", "skipDays", "item", f"{_ATOM}link", f"{{{NS_SY}}}updatePeriod",
        f"{{{NS_SY}}}updateFrequency", f"{{{NS_SY}}}updateBase",
    }
)  # fmt: skip
_ATOM_FEED = frozenset(
    f"{_ATOM}{name}"
    for name in (
        "title", "subtitle", "link", "id", "updated", "author", "generator", "icon", "logo", "rights",
        "category", "entry",
    )
)  # fmt: skip
_ATOM_ENTRY_ONCE = frozenset(
    f"{_ATOM}{name}" for name in ("id", "title", "published", "updated", "summary", "content", "rights")
)
_ATOM_ENTRY_MANY = frozenset({f"{_ATOM}link", f"{_ATOM}category", f"{_ATOM}contributor"})


def _text(element: Any) -> str:
    """The text of a simple element; one with element children is not simple."""
    if element is None:
        return ""
    if len(element):
        raise Decline
    return element.text or ""


def _check(element: Any, once: frozenset[str], many: frozenset[str]) -> dict[str, Any]:
    """The children of ``element`` by tag, declining on any unknown one or a repeated singleton."""
    found: dict[str, Any] = {}
    for child in element:
        tag = child.tag
        if not isinstance(tag, str):
            continue  # comments and processing instructions
        if XML_BASE in child.attrib:
            raise Decline
        if tag in many or tag in _IGNORED_ITEM:
            continue
        if tag not in once or tag in found:
            raise Decline
        found[tag] = child
    return found


def _one_of(found: dict[str, Any], tags: frozenset[str]) -> str:
    present = [tag for tag in tags if tag in found]
    if len(present) > 1:
        raise Decline  # feedparser keeps one of them by its own rules: let it
    return _text(found[present[0]]) if present else ""


# --- RSS 2.0 -------------------------------------------------------------------------------------


def _rss_item(item: Any, base: str, channel_author: str) -> ParsedEntry:
    found = _check(item, _RSS_ITEM_ONCE | _RSS_AUTHORS, _RSS_ITEM_MANY)
    link = _text(found.get("link"))
    guid = _text(found.get("guid"))
    enclosures = [
        RawEnclosure(url=e.get("url") or "", type=e.get("type") or "", length=e.get("length"))
        for e in item.iterchildren("enclosure")
    ]
    return build_entry(
        guid=guid,
        link=link,
        title=_text(found.get("title")),
        author=_one_of(found, _RSS_AUTHORS),
        feed_author=channel_author,
        published=to_timestamp(_text(found.get("pubDate"))),
        updated=to_timestamp(_text(found.get(_DC_DATE))),
        categories=[_text(c) for c in item.iterchildren("category")],
        summary=_text(found.get("description")),
        content=_text(found.get(_ENCODED)),
        enclosures=enclosures,
        base_url=base,
        duration=_text(found[_ITUNES_DURATION]) if _ITUNES_DURATION in found else None,
    )


def _rss(root: Any, url: str) -> ParsedFeed:
    channels = [child for child in root if isinstance(child.tag, str)]
    if len(channels) != 1 or channels[0].tag != "channel" or XML_BASE in root.attrib:
        raise Decline
    channel = channels[0]
    repeated = frozenset({"item", "category", f"{_ATOM}link"})
    found = _check(channel, _RSS_CHANNEL - repeated, repeated)
    # The shared rule: a channel author without an e-mail address (a podcast host, not an editor's
    # "mail (Name)") signs the items that name no one. Here only managingEditor can carry one.
    editor = _text(found.get("managingEditor")).strip()
    channel_author = editor if editor and "@" not in editor else ""
    for link in channel.iterchildren(f"{_ATOM}link"):
        if link.get("rel") not in ("self", "hub", "next", "previous", "first", "last"):
            raise Decline
    site = absolute_url(_text(found.get("link")), url) or ""
    items = list(islice(channel.iterchildren("item"), MAX_ENTRIES))
    entries = [_rss_item(item, url, channel_author) for item in items]
    return ParsedFeed("rss", title_text(_text(found.get("title"))), site, finish_entries(entries))


# --- Atom 1.0 ------------------------------------------------------------------------------------


def _atom_text(element: Any) -> tuple[str, str]:
    """An Atom text construct: (value, "text" | "html"). XHTML and out-of-line content decline."""
    if element is None:
        return "", "text"
    kind = element.get("type", "text")
    if kind not in ("text", "html") or element.get("src") is not None:
        raise Decline
    return _text(element), kind


def _atom_body(element: Any) -> str:
    value, kind = _atom_text(element)
    return value if kind == "html" else text_as_html(value)


def _atom_author(authors: Iterable[Any]) -> str:
    people = list(authors)
    if len(people) > 1:
        raise Decline
    if not people:
        return ""
    found = _check(people[0], frozenset(f"{_ATOM}{n}" for n in ("name", "email", "uri")), frozenset())
    return _text(found.get(f"{_ATOM}name")).strip() or _text(found.get(f"{_ATOM}email")).strip()


def _alternate(element: Any) -> str:
    links = [
        link.get("href") or ""
        for link in element.iterchildren(f"{_ATOM}link")
        if link.get("rel", "alternate") == "alternate"
    ]
    if len(links) > 1:
        raise Decline
    return links[0] if links else ""


def _atom_entry(entry: Any, base: str, feed_author: str) -> ParsedEntry:
    found = _check(entry, _ATOM_ENTRY_ONCE | {f"{_ATOM}author"}, _ATOM_ENTRY_MANY)
    title, title_kind = _atom_text(found.get(f"{_ATOM}title"))
    enclosures = [
        RawEnclosure(url=link.get("href") or "", type=link.get("type") or "", length=link.get("length"))
        for link in entry.iterchildren(f"{_ATOM}link")
        if link.get("rel") == "enclosure"
    ]
    return build_entry(
        guid=_text(found.get(f"{_ATOM}id")),
        link=_alternate(entry),
        title=title,
        title_kind=title_kind,
        author=_atom_author(entry.iterchildren(f"{_ATOM}author")),
        feed_author=feed_author,
        published=to_timestamp(_text(found.get(f"{_ATOM}published"))),
        updated=to_timestamp(_text(found.get(f"{_ATOM}updated"))),
        categories=[c.get("label") or c.get("term") or "" for c in entry.iterchildren(f"{_ATOM}category")],
        summary=_atom_body(found.get(f"{_ATOM}summary")),
        content=_atom_body(found.get(f"{_ATOM}content")),
        enclosures=enclosures,
        base_url=base,
    )


def _atom(root: Any, url: str) -> ParsedFeed:
    if XML_BASE in root.attrib:
        raise Decline
    once = _ATOM_FEED - {f"{_ATOM}{n}" for n in ("link", "category", "entry", "author")}
    found = _check(root, once, frozenset(f"{_ATOM}{n}" for n in ("link", "category", "entry", "author")))
    feed_author = _atom_author(root.iterchildren(f"{_ATOM}author"))
    entries = [
        _atom_entry(entry, url, feed_author)
        for entry in islice(root.iterchildren(f"{_ATOM}entry"), MAX_ENTRIES)
    ]
    title, kind = _atom_text(found.get(f"{_ATOM}title"))
    site = absolute_url(_alternate(root), url) or ""
    return ParsedFeed("atom", title_text(title, kind), site, finish_entries(entries))


def _xml_parser() -> etree.XMLParser:
    # No DTD, no entity expansion, no network: XXE and entity bombs have nothing to work with.
    return etree.XMLParser(
        resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False, recover=False
    )


def fast_path(data: bytes, url: str) -> ParsedFeed | None:
    """Parse well-formed RSS 2.0 / Atom 1.0 made of known elements; None means: let feedparser read it."""
    if b"xml:base" in data:
        return None  # the ``xml`` prefix is fixed by XML itself: no xml:base can hide from this
    try:
        root = etree.fromstring(data, _xml_parser())
    except (etree.XMLSyntaxError, ValueError):
        return None
    if root is None:
        return None
    try:
        if root.tag == "rss" and root.get("version", "2.0").startswith(("2", "0.92", "0.93", "0.94")):
            return _rss(root, url)
        if root.tag == f"{_ATOM}feed":
            return _atom(root, url)
    except Decline:
        return None
    return None
