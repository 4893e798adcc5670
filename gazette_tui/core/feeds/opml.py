"""OPML import (listparser, which knows the format's many dialects) and export (OPML 2.0, rubriques as
folders)."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

import listparser

from gazette_tui.core.accounts.feed_credentials import without_userinfo
from gazette_tui.core.files import read_reason
from gazette_tui.core.settings import RefreshSettings
from gazette_tui.errors import OpmlError, detail, message
from gazette_tui.models import FeedRow
from gazette_tui.text import clean_line, safe_url

MAX_OPML_BYTES = 16 * 1024 * 1024


def read_opml(path: Path) -> list[tuple[str, str, str]]:
    """(url, title, rubrique) for each http(s) feed in the file; rubrique is the innermost folder.

    The bytes are handed to listparser, never the path: given a string it may fetch URLs itself."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise OpmlError("opml.unreadable_file", path=path, reason=read_reason(error, path)) from None
    return parse_opml(data, path)


def parse_opml(data: bytes, path: Path | str) -> list[tuple[str, str, str]]:
    """:func:`read_opml` for bytes already read (standard input, a download); ``path`` names where they came
    from in the errors."""
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError("opml.too_big", path=path)
    result = listparser.parse(data)
    if not str(result.get("version", "")).startswith("opml"):
        raise OpmlError("opml.not_opml", path=path)
    feeds: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for feed in result.feeds:
        url = safe_url(str(feed.get("url", "")))
        if not url or url in seen:
            continue
        seen.add(url)
        folders = feed.get("categories") or []
        rubrique = clean_line(folders[0][-1]) if folders and folders[0] else ""
        feeds.append((url, clean_line(str(feed.get("title", ""))), rubrique))
    if not feeds and result.get("bozo"):
        raise OpmlError("opml.bad", path=path, reason=detail(result.get("bozo_exception")))
    return feeds


def write_opml(feeds: list[FeedRow], title: str | None = None) -> str:
    """OPML 2.0 text; feeds with a rubrique are grouped in a folder outline of that name. The title is
    « Abonnements gazette-tui » / "gazette-tui subscriptions" unless given."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title if title is not None else str(message("opml.title"))
    ET.SubElement(head, "dateCreated").text = datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")
    body = ET.SubElement(root, "body")
    groups: defaultdict[str, list[FeedRow]] = defaultdict(list)
    for feed in feeds:
        groups[feed.rubrique].append(feed)
    for rubrique, members in groups.items():
        parent = ET.SubElement(body, "outline", text=rubrique, title=rubrique) if rubrique else body
        for feed in members:
            url = without_userinfo(feed.url)  # a database from 0.1.0 may still hold user:password@
            attributes = {"type": "rss", "text": feed.title, "title": feed.title, "xmlUrl": url}
            if feed.site_url:
                attributes["htmlUrl"] = feed.site_url
            ET.SubElement(parent, "outline", attributes)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


async def download_opml(url: str, settings: RefreshSettings) -> list[tuple[str, str, str]]:
    """:func:`read_opml` for a list on the web, fetched as a feed is (the app's client: its size cap,
    deadline, redirects and proxy). Raises :class:`~gazette_tui.core.feeds.fetch.FetchFailure` when it
    cannot be fetched (:class:`~gazette_tui.core.feeds.fetch.TransportError` when no client can be built),
    :class:`OpmlError` when it is no list."""
    from gazette_tui.core.feeds.fetch import Fetcher

    async with Fetcher(settings) as fetcher:
        result = await fetcher.fetch(url)
    return parse_opml(result.body, without_userinfo(url))
