"""JSON Feed 1.0 and 1.1 (feedparser does not read JSON). Every value is checked for its type: a JSON
document can put a list where a string belongs, and one bad item costs only itself."""

from __future__ import annotations

import json
from typing import Any

from gazette_tui.core.feeds.entries import (
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

# 1.0 wrote its version URL with http, 1.1 with https; readers accept both.
_VERSIONS = ("https://jsonfeed.org/version/", "http://jsonfeed.org/version/")


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _names(value: Any) -> list[str]:
    people = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
    return [name for name in (_text(p.get("name")) for p in people if isinstance(p, dict)) if name]


def is_json_feed(document: Any) -> bool:
    """A JSON Feed by its version URL, or, without one, by an ``items`` list (what readers accept)."""
    if not isinstance(document, dict):
        return False
    version = document.get("version")
    if isinstance(version, str) and version.startswith(_VERSIONS):
        return True
    return version is None and isinstance(document.get("items"), list)


def _item(item: dict[str, Any], base: str, feed_authors: list[str]) -> ParsedEntry:
    # 1.1's "authors" list, else 1.0's single "author", else the feed's
    names = _names(item.get("authors")) or _names(item.get("author"))
    tags = item.get("tags")
    if isinstance(tags, str):
        categories = [tags]
    else:
        categories = [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []
    attachments = item.get("attachments") if isinstance(item.get("attachments"), list) else []
    content = _text(item.get("content_html")) or text_as_html(_text(item.get("content_text")))
    identifier = item.get("id")
    return build_entry(
        guid=str(identifier)
        if isinstance(identifier, str | int) and not isinstance(identifier, bool)
        else "",
        link=_text(item.get("url")),
        title=_text(item.get("title")),
        author=", ".join(dict.fromkeys(names)),
        feed_author=", ".join(dict.fromkeys(feed_authors)),
        published=to_timestamp(_text(item.get("date_published"))),
        updated=to_timestamp(_text(item.get("date_modified"))),
        categories=categories,
        summary=text_as_html(_text(item.get("summary"))),
        content=content,
        enclosures=[
            RawEnclosure(
                _text(a.get("url")),
                _text(a.get("mime_type")),
                a.get("size_in_bytes"),
                a.get("duration_in_seconds"),
            )
            for a in attachments or []
            if isinstance(a, dict)
        ],
        base_url=base,
        external_url=_text(item.get("external_url")),
    )


def _number(text: str) -> int | str:
    """A JSON integer; past 100 digits its text (``int()`` refuses more than 4,300, which failed the whole
    document): a size that long is no size (``enclosure_length`` gives 0), an id that long stays an id."""
    return int(text) if len(text) <= 100 else text


def parse_json_feed(data: bytes, url: str) -> ParsedFeed:
    try:
        document = json.loads(data, parse_int=_number)
    except (ValueError, RecursionError):
        raise FeedError("feed.bad_json") from None
    if not is_json_feed(document):
        raise FeedError("feed.not_a_feed_json")
    site = absolute_url(_text(document.get("home_page_url")), url) or ""
    feed_authors = _names(document.get("authors")) or _names(document.get("author"))
    entries: list[ParsedEntry] = []
    dropped = 0
    items = document.get("items")
    for item in items[:MAX_ENTRIES] if isinstance(items, list) else []:
        if not isinstance(item, dict):
            dropped += 1
            continue
        try:
            entries.append(_item(item, url, feed_authors))
        except Exception:  # one bad item costs only itself
            dropped += 1
    title = title_text(_text(document.get("title")))
    return ParsedFeed("json", title, site, finish_entries(entries), dropped=dropped)
