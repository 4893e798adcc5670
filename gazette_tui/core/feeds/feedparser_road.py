"""The feedparser road: every XML feed the fast path declines (RDF, RSS 0.9x, namespaces, xml:base, broken
XML, odd encodings). feedparser is the reference for tolerance; this module only maps what it found onto the
shared field rules in :mod:`gazette_tui.core.feeds.entries`, one item at a time, so a bad item costs only
itself.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from gazette_tui.core.feeds.entries import (
    MAX_SHORT_FIELD,
    RawEnclosure,
    absolute_url,
    build_entry,
    finish_entries,
    text_as_html,
    title_text,
    to_timestamp,
)
from gazette_tui.core.feeds.fastpath import MAX_ENTRIES
from gazette_tui.errors import FeedError
from gazette_tui.models import ParsedEntry, ParsedFeed
from gazette_tui.text import html_to_text

# feedparser's loose parser reads ~20 000 tags a second: documents it must read are refused above this many
# "<" so that one hostile feed costs seconds, not minutes.
MAX_LOOSE_MARKUP = 50_000


def _guard_feedparser() -> None:
    """Cut author fields before feedparser's e-mail regex sees them: that regex is quadratic, and one
    200 KB ``<author>`` costs it minutes. Patched on its class because the field may come from any of a dozen
    elements, split by comments or CDATA, in any encoding; only feedparser's own view of it is reliable."""
    from feedparser.mixin import _FeedParserMixin

    original = _FeedParserMixin._sync_author_detail  # noqa: SLF001 - the one guard feedparser leaves room for
    if getattr(original, "guarded", False):
        return

    def sync_author_detail(self: Any, key: str = "author") -> None:
        context = self._get_context()
        value = context.get(key)
        if isinstance(value, str) and len(value) > MAX_SHORT_FIELD:
            context[key] = value[:MAX_SHORT_FIELD]
        original(self, key)

    sync_author_detail.guarded = True  # type: ignore[attr-defined]
    _FeedParserMixin._sync_author_detail = sync_author_detail  # noqa: SLF001


def _html(detail: Any) -> str:
    """A feedparser text construct as HTML: plain text (Atom ``type="text"``, ``itunes:summary``) is
    escaped; HTML and XHTML are kept."""
    if not detail:
        return ""
    value = str(detail.get("value", "") or "")
    return text_as_html(value) if detail.get("type") == "text/plain" else value


def _title_kind(detail: Any, atom: bool) -> str:
    if not atom or not detail:
        return "guess"  # RSS says nothing: the same guess as every road
    return "text" if detail.get("type") == "text/plain" else "html"


def _author(item: Any) -> str:
    names = [str(a.get("name") or "") for a in dict.get(item, "authors") or [] if a.get("name")]
    if len(set(names)) > 1:
        return ", ".join(dict.fromkeys(names))
    return str(dict.get(item, "author") or "")[:MAX_SHORT_FIELD]


def _channel_author(feed: Any) -> str:
    for person in dict.get(feed, "authors") or []:
        if person.get("name") and not person.get("email"):
            return str(person["name"])[:MAX_SHORT_FIELD]
    return ""


def _base(item: Any, url: str) -> str:
    """What relative URLs in this item resolve against: its xml:base (feedparser records it on each text
    construct), else the feed's own URL."""
    for detail in (item.get("summary_detail"), item.get("title_detail"), *(item.get("content") or [])):
        if detail and detail.get("base"):
            try:
                return urljoin(url, str(detail["base"]))
            except ValueError:
                return url
    return url


def _enclosure_type(enclosure: Any) -> str:
    """feedparser gives an Atom enclosure link without a type its default link type, text/html: that says
    nothing about the file."""
    kind = str(enclosure.get("type") or "")
    return "" if kind == "text/html" else kind


def _entry(item: Any, url: str, atom: bool, feed_author: str) -> ParsedEntry:
    links = [link for link in item.get("links") or [] if link.get("rel", "alternate") == "alternate"]
    base = _base(item, url)
    enclosures = [
        RawEnclosure(str(e.get("href") or ""), _enclosure_type(e), e.get("length"))
        for e in item.get("enclosures") or []
    ]
    enclosures += [
        RawEnclosure(str(m.get("url") or ""), str(m.get("type") or ""), m.get("filesize"), m.get("duration"))
        for m in item.get("media_content") or []
        if m.get("url")
    ]
    summary = _html(item.get("summary_detail")) if "summary_detail" in item else ""
    parts = item.get("content") or []
    content = "".join(_html(part) for part in parts)
    # feedparser files itunes:summary as content beside the description: the richer one is the body.
    itunes_summary = (
        not atom and summary and parts and all(part.get("type") == "text/plain" for part in parts)
    )
    if itunes_summary and len(html_to_text(content)) < len(html_to_text(summary)):
        summary, content = content, summary
    return build_entry(
        guid=str(item.get("id", "") or ""),
        link=str(item.get("link", "") or "") if links else "",
        title=str(item.get("title", "") or ""),
        title_kind=_title_kind(item.get("title_detail"), atom),
        author=_author(item),
        feed_author=feed_author,
        published=to_timestamp(dict.get(item, "published")),
        updated=to_timestamp(dict.get(item, "updated")),
        categories=[str(t.get("label") or t.get("term") or "") for t in item.get("tags") or []],
        summary=summary,
        content=content,
        enclosures=enclosures,
        base_url=base,
        duration=item.get("itunes_duration"),
    )


def parse_with_feedparser(data: bytes, url: str, content_type: str) -> ParsedFeed:
    import feedparser  # only for feeds the fast path declines: keeps start-up and warm refreshes light

    _guard_feedparser()
    if data.count(b"<") > MAX_LOOSE_MARKUP:
        raise FeedError("feed.malformed_too_big")
    # No content-location: feedparser would resolve a relative guid against it and the raw guid (the
    # article's identity) would be lost; relative links are resolved by the shared rules instead. Without
    # a charset, the XML declaration (or UTF-8) decides, as XML says, not RFC 3023's us-ascii.
    headers = {"content-type": content_type if "charset=" in content_type.lower() else "application/xml"}
    result = feedparser.parse(
        data, response_headers=headers, sanitize_html=False, resolve_relative_uris=False
    )
    if not result.entries:
        if not result.get("version"):
            raise FeedError("feed.not_a_feed")
        if result.get("bozo"):
            raise FeedError("feed.malformed")
    version = str(result.get("version") or "")
    atom = version.startswith("atom")
    feed = result.feed
    # RFC 4287: an Atom feed's author is the author of its entries that name none. In RSS, a channel's
    # itunes:author or dc:creator (a podcast's host) is too, but not managingEditor: an editor's address
    # ("mail (Name)"), not the writer of each item; it is the one that comes with an e-mail.
    feed_author = _author(feed) if atom else _channel_author(feed)
    entries: list[ParsedEntry] = []
    dropped = 0
    for item in result.entries[:MAX_ENTRIES]:
        try:
            entries.append(_entry(item, url, atom, feed_author))
        except Exception:  # one bad item costs only itself; the feed's status counts it
            dropped += 1
    kind = "atom" if atom else "rdf" if "rss1" in version else "rss"
    title = title_text(str(feed.get("title", "") or ""), _title_kind(feed.get("title_detail"), atom))
    site = absolute_url(str(feed.get("link", "") or ""), url) or ""
    return ParsedFeed(kind, title, site, finish_entries(entries), dropped=dropped)
