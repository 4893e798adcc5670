"""Plain data passed between fetch, parse, store and the faces (CLI, TUI). Picklable: parsing runs in
worker processes."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Enclosure:
    url: str
    type: str = ""
    length: int = 0
    """Bytes, as the feed declares them; 0 when it gives none or an invalid one (unknown)."""
    duration: int = 0
    """Seconds of audio or video (``itunes:duration``, ``media:content duration``, JSON Feed
    ``duration_in_seconds``); 0: unknown."""


@dataclass(slots=True)
class ParsedEntry:
    """One item of a feed, cleaned: text fields hold no control characters, HTML is sanitised."""

    key: str
    """Dedupe key within the feed: the guid, else the link, else a hash of the content."""
    url: str
    title: str
    kicker: str
    author: str
    published: int | None
    """Unix seconds (UTC); None when the feed gives no usable date."""
    updated: int | None
    categories: list[str]
    summary_html: str
    content_html: str
    text: str
    """Plain text of the body, for the search index and snippets."""
    reserved: bool
    enclosures: list[Enclosure] = field(default_factory=list)
    content_hash: str = ""
    external_url: str = ""
    """JSON Feed ``external_url``: the page an item links to when it is a comment on another page."""
    stored: tuple[str | bytes, str | bytes, str | bytes] | None = None
    """``summary_html``, ``content_html`` and ``text`` as the cache keeps them (compressed), made by the
    parse worker so that the cache's single writer does not have to; ``None``: the writer makes them."""
    raw_hash: int = 0
    """64 bits of a digest of the raw values this entry was made from and of the rules that made it
    (:func:`~gazette_tui.core.feeds.entries.raw_digest`); 0: unknown."""
    known: bool = False
    """The cache already holds this item made from the same raw values by the same rules, so only its
    identity was worked out (key, url, title, dates); every other field is empty and must not be stored."""


@dataclass(slots=True)
class ParsedFeed:
    kind: str
    """"rss", "atom", "rdf" or "json"."""
    title: str
    site_url: str
    entries: list[ParsedEntry]
    dropped: int = 0
    """Items of the document that could not be read at all: each costs only itself, and the feed's status
    says how many (« 1 article illisible »)."""


@dataclass(slots=True)
class FeedRow:
    id: int
    url: str
    title: str
    site_url: str
    rubrique: str
    articles: int = 0
    unread: int = 0
    last_ok: int | None = None
    last_error: str | None = None
    """Why the last refresh failed, in the language current when the row was read (stored as a code)."""
    failures: int = 0
    disabled: bool = False
    account: str | None = None
    dropped: int = 0
    """Items of the last fetched document that could not be read (the others were stored)."""
    hidden: bool = False
    """Out of « Toutes » and « Non lus » (its ``hidden`` setting, its own or its rubrique's)."""


@dataclass(slots=True)
class ArticleRow:
    """A line of an article list: what the list and the CLI need, not the body."""

    id: int
    feed_id: int | None
    feed_title: str
    rubrique: str
    title: str
    kicker: str
    author: str
    published: int
    url: str
    read: bool
    starred: bool
    reserved: bool
    snippet: str = ""
    undated: bool = False


@dataclass(frozen=True, slots=True)
class FilterMark:
    """What a filter (``core/search/filters.py``) did to an article: the reader says why it is hidden,
    read or starred."""

    name: str
    action: str
    """``hide``, ``read`` or ``star``."""
    applied: int
    """When (Unix seconds)."""


@dataclass(slots=True)
class Article:
    """One article with its body, for the reader and ``show``."""

    id: int
    feed_id: int | None
    feed_title: str
    feed_url: str
    rubrique: str
    title: str
    kicker: str
    author: str
    published: int
    updated: int | None
    url: str
    categories: list[str]
    summary_html: str
    content_html: str
    fulltext_html: str
    reserved: bool
    read: bool
    starred: bool
    enclosures: list[Enclosure] = field(default_factory=list)
    external_url: str = ""
    undated: bool = False
    """The feed gave no usable date: ``published`` is only where the item sits in the feed's order."""
    page_error: str = ""
    """Why the article's page gave no full text (a stored message, said by ``errors.stored_text``): its feed
    fetches pages (``core/feeds/pages.py``) and this one failed; "" otherwise."""
    filtered: list[FilterMark] = field(default_factory=list)
    """What the filters did to it (and, for read and star, to its copies in other feeds): filled by
    ``Store.article``."""
