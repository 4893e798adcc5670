"""A site's feeds from its address: the page's ``<link rel="alternate">``, else a few usual addresses.

A user knows a site's address (``https://www.mairie-exemple.fr``), rarely its feed's. :func:`discover`
fetches the address with the feeds' own :class:`~gazette_tui.core.feeds.fetch.Fetcher` (its caps, redirects,
certificates and proxy rules) and:

1. if it is a feed (read by :func:`~gazette_tui.core.feeds.parse.parse_feed`), that is the answer;
2. if it is an HTML page, reads its ``<link rel="alternate">`` of a feed type (RSS, Atom, RDF, JSON Feed),
   resolved against the page's address or its ``<base href>``, http(s) only, each address once, at most
   :data:`MAX_CANDIDATES`;
3. if the page links to none, tries :data:`USUAL_PATHS` on the page's own origin.

Every candidate is fetched and parsed at once, and the whole search (the page included) ends at one
deadline (:data:`DEADLINE`): a candidate still out by then is reported as too slow, not waited for. The
answer is a :class:`Discovery` (the feeds that work, each with a :class:`Preview`, and the ones that do
not, each with its reason), or a :class:`DiscoveryError` whose code says why there is nothing to offer.

The page is untrusted: only its first :data:`PAGE_PREFIX` bytes are read (the links are in its head), by
lxml's HTML parser with no network and no processing instructions; a link label is cleaned as a feed
title is, and an address is kept only if :func:`~gazette_tui.text.safe_url` accepts it and it carries no
credentials. A page elsewhere cannot send us probing this machine: a loopback candidate is kept only when
the page itself is on loopback. No credentials are ever sent: an address with ``user:password@`` is not
searched (:class:`DiscoveryError` ``discover.credentials``).
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import hashlib
import ipaddress
import re
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

from lxml import etree

from gazette_tui.core.accounts.feed_credentials import strip_userinfo
from gazette_tui.core.accounts.profiles import is_loopback
from gazette_tui.core.feeds.fetch import Fetcher, FetchFailure, FetchResult
from gazette_tui.core.feeds.parse_pool import parse_job
from gazette_tui.core.settings import RefreshSettings
from gazette_tui.errors import FeedError, Message, message
from gazette_tui.models import ParsedFeed
from gazette_tui.text import clean_line, safe_url

DEADLINE = 2.0
"""Seconds the whole search may take, the page and every candidate together (the issue's number)."""
PAGE_PREFIX = 1024 * 1024
"""Bytes of an HTML page read for its links: they are in its head, and a 5 MB page costs no more."""
MAX_CANDIDATES = 8
"""Links probed at most: a page with a thousand alternates gets its first eight tried."""
MAX_LABEL = 200
USUAL_PATHS = ("/feed/", "/rss", "/atom.xml", "/feed.json")
"""Tried on the page's origin when it links to no feed (WordPress, many CMSs, static site generators)."""

FEED_TYPES = {
    "application/rss+xml": "rss",
    "application/atom+xml": "atom",
    "application/rdf+xml": "rdf",
    "application/feed+json": "json",
    "application/json": "json",
}
"""The ``type`` of an alternate link that may be a feed. A plain ``application/json`` is only a guess:
WordPress gives every page one for its REST API, so such a link that is not a feed is left out quietly."""


@dataclass(frozen=True, slots=True)
class Preview:
    """What a feed holds now, to choose between candidates before subscribing."""

    title: str
    """The feed's own title, cleaned as every feed title is ("" when it has none)."""
    kind: str
    """"rss", "atom", "rdf" or "json"."""
    items: int
    newest: int | None
    """Unix seconds of its newest dated item; None when no item has a date."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A feed found at an address: a preview when it could be read, else the reason (a message)."""

    url: str
    """The address to subscribe to (after a permanent redirect, its new address)."""
    via: str
    """"address" (the address asked is the feed), "link" (an alternate link of the page) or "path" (one
    of :data:`USUAL_PATHS`)."""
    label: str = ""
    """The link's ``title`` attribute, cleaned ("" when there is none)."""
    preview: Preview | None = None
    problem: Message | None = None
    digest: str = field(default="", repr=False, compare=False)
    """Of the document's bytes: two addresses serving the same feed (``/feed/`` and ``/rss``) are one."""

    @property
    def title(self) -> str:
        """The best name to show: the feed's title, else the link's label, else the address."""
        if self.preview is not None and self.preview.title:
            return self.preview.title
        return self.label or self.url


@dataclass(frozen=True, slots=True)
class Discovery:
    url: str
    """The address asked (without credentials)."""
    is_feed: bool
    """The address itself is a feed: :attr:`feeds` holds it alone."""
    feeds: tuple[Candidate, ...]
    """The feeds found that could be read, in the page's order, never empty."""
    failed: tuple[Candidate, ...] = ()
    """The feeds the page links to that could not be read (each with its reason); the usual addresses that
    do not answer are not listed, only those that were too slow."""
    seconds: float = 0.0


class DiscoveryError(FeedError):
    """Nothing to subscribe to at this address; the message says why.

    ``reached`` is False when the address itself could not be read (network, HTTP error, deadline), which a
    caller may treat as "unknown" rather than "not a feed". ``failed`` lists the candidates found that
    could not be read, each with its reason."""

    def __init__(
        self, code: str, /, *, reached: bool = True, failed: tuple[Candidate, ...] = (), **params: object
    ) -> None:
        super().__init__(code, **params)
        self.reached = reached
        self.failed = failed


@dataclass(frozen=True, slots=True)
class FeedLink:
    """An alternate link of a page, resolved and checked, not yet fetched."""

    url: str
    label: str = ""
    guess: bool = False
    """Its type was plain ``application/json``: maybe a feed, maybe not (see :data:`FEED_TYPES`)."""


async def discover(
    url: str,
    settings: RefreshSettings,
    *,
    deadline: float = DEADLINE,
    fetcher: Fetcher | None = None,
) -> Discovery:
    """The feeds at ``url`` (a feed's address or a site's), within ``deadline`` seconds in all.

    ``fetcher``: one to share (its client and per-host limits); else one is made from ``settings`` and
    closed at the end. Raises :class:`DiscoveryError`, or :class:`~gazette_tui.core.feeds.fetch.
    TransportError` when no HTTP client can be built (an unusable proxy setting)."""
    started = time.monotonic()
    address, userinfo = strip_userinfo(url.strip())
    if userinfo is not None:
        raise DiscoveryError("discover.credentials")
    checked = safe_url(address)
    if checked is None:
        raise DiscoveryError("discover.bad_url", url=clean_line(address[:200]))
    async with contextlib.AsyncExitStack() as stack:
        if fetcher is None:
            fetcher = await stack.enter_async_context(Fetcher(settings))
        search = _Search(checked, fetcher, started, deadline)
        return await search.run()


class _Search:
    """One discovery: the page, then its candidates, against one clock."""

    def __init__(self, url: str, fetcher: Fetcher, started: float, deadline: float) -> None:
        self.url = url
        self.fetcher = fetcher
        self.started = started
        self.deadline = deadline
        self.typed_is_local: bool | None = None

    def remaining(self) -> float:
        return max(0.0, self.deadline - (time.monotonic() - self.started))

    def seconds(self) -> str:
        return f"{self.deadline:g}"

    def done(self, is_feed: bool, feeds: list[Candidate], failed: list[Candidate]) -> Discovery:
        return Discovery(self.url, is_feed, tuple(feeds), tuple(failed), time.monotonic() - self.started)

    async def guard(self, url: str) -> None:
        """Refuse a hop to this machine or its local network, unless the address typed is there itself: a
        page on the Internet (its links, or a redirect on the way) must not make us probe local services."""
        if self.typed_is_local is None:
            self.typed_is_local = await is_local(self.url, proxied=bool(self.fetcher.settings.proxy))
        if not self.typed_is_local and await is_local(url, proxied=bool(self.fetcher.settings.proxy)):
            raise FetchFailure("fetch.local_refused")

    async def run(self) -> Discovery:
        try:
            async with asyncio.timeout(self.remaining()):
                page = await self.fetcher.fetch(self.url, guard=self.guard)
        except TimeoutError:
            raise DiscoveryError(
                "discover.page_too_slow", reached=False, url=self.url, seconds=self.seconds()
            ) from None
        except FetchFailure as failure:
            if failure.code == "fetch.too_big":  # "feed too large" would be wrong: it may be a page
                raise DiscoveryError(
                    "discover.page_too_big", url=self.url, size=failure.params.get("size", 0)
                ) from None
            raise DiscoveryError(
                "discover.page_failed", reached=False, url=self.url, reason=failure.message
            ) from None
        if not looks_like_html(page.body, page.content_type):
            try:
                parsed = await asyncio.wait_for(self.parse(page), self.remaining())
            except TimeoutError:  # a feed so large it is still being read: not known to be one yet
                raise DiscoveryError(
                    "discover.page_too_slow", reached=False, url=self.url, seconds=self.seconds()
                ) from None
            if isinstance(parsed, ParsedFeed):
                found = Candidate(self.url, "address", preview=preview_of(parsed))
                return self.done(True, [found], [])
            if not mentions_html(page.body):
                raise DiscoveryError("discover.not_a_page", url=self.url, reason=parsed)
        return await self.from_page(page)

    async def parse(self, result: FetchResult) -> ParsedFeed | Message:
        # In a thread: a large feed must not stop the clock (the deadline) while it is read.
        return await asyncio.to_thread(parse_job, result.body, result.url, result.content_type)

    async def from_page(self, page: FetchResult) -> Discovery:
        where = page.final_url or self.url  # after redirects: what relative links mean
        links = await asyncio.to_thread(feed_links, page.body[:PAGE_PREFIX], page.content_type, where)
        # Judged from the address typed, never from where redirects led (self.guard checks every hop too).
        links = [
            link for link in links if link.url not in (self.url, where) and reachable_from(self.url, link.url)
        ]
        links = links[:MAX_CANDIDATES]
        if links:
            feeds, failed = await self.probe(links, "link")
            if feeds:
                return self.done(False, feeds, failed)
            if failed:
                first = failed[0]
                assert first.problem is not None
                raise DiscoveryError(
                    "discover.links_failed",
                    failed=tuple(failed),
                    count=len(failed),
                    url=self.url,
                    feed=first.url,
                    reason=first.problem,
                )
            # Only guesses (plain JSON links), none of them a feed: as if the page linked to none.
        parts = urlsplit(where)
        root = f"{parts.scheme}://{parts.netloc}"
        usual = [FeedLink(root + path) for path in USUAL_PATHS if root + path not in (self.url, where)]
        feeds, failed = await self.probe(usual, "path")
        slow = [c for c in failed if c.problem is not None and c.problem.code == "discover.no_answer"]
        if feeds:
            return self.done(False, feeds, slow)
        if slow:
            raise DiscoveryError(
                "discover.paths_too_slow", failed=tuple(slow), url=self.url, seconds=self.seconds()
            )
        raise DiscoveryError("discover.no_feed", url=self.url, paths=", ".join(USUAL_PATHS))

    async def probe(self, links: list[FeedLink], via: str) -> tuple[list[Candidate], list[Candidate]]:
        """Every link at once, until the deadline: (the feeds, in link order and each document once; the
        failures, each with its reason, guesses left out)."""
        tasks = [asyncio.create_task(self.probe_one(link, via)) for link in links]
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=self.remaining())
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        feeds: list[Candidate] = []
        failed: list[Candidate] = []
        seen: set[str] = set()
        for task, link in zip(tasks, links, strict=True):
            if task.cancelled():
                late = message("discover.no_answer", seconds=self.seconds())
                found = Candidate(link.url, via, link.label, problem=late)
            else:
                found = task.result()
            if found.preview is None:
                if not link.guess:  # a plain JSON link that is no feed is no failure either
                    failed.append(found)
            elif found.digest not in seen and found.url not in seen:
                seen.update((found.digest, found.url))
                feeds.append(found)
        return feeds, failed

    async def probe_one(self, link: FeedLink, via: str) -> Candidate:
        try:
            result = await self.fetcher.fetch(link.url, guard=self.guard)
        except FetchFailure as failure:
            return Candidate(link.url, via, link.label, problem=failure.message)
        parsed = await self.parse(result)
        if not isinstance(parsed, ParsedFeed):
            return Candidate(link.url, via, link.label, problem=parsed)
        digest = hashlib.blake2b(result.body, digest_size=16).hexdigest()
        return Candidate(result.url, via, link.label, preview=preview_of(parsed), digest=digest)


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """``host`` as an IP address, in any spelling the C resolver accepts (``127.1``, ``2130706433``,
    ``0x7f.1``), IPv4-mapped IPv6 as its IPv4; None for a name."""
    try:
        found = ipaddress.ip_address(host)
    except ValueError:
        try:
            found = ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    if isinstance(found, ipaddress.IPv6Address) and found.ipv4_mapped is not None:
        return found.ipv4_mapped
    return found


async def is_local(url: str, proxied: bool = False) -> bool:
    """Whether ``url`` leads to this machine or a private network: its host is ``localhost`` (or under it),
    or an address, or a name resolving to an address, that is not global (loopback, private, link-local,
    unspecified, reserved). Behind a proxy a name is resolved by the proxy, so only its spelling is judged.
    A name that does not resolve is not local: fetching it fails anyway."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    address = _address(host)
    if address is not None:
        return not address.is_global
    if proxied:
        return False
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return False
    found = [_address(str(info[4][0]).split("%")[0]) for info in infos]
    return any(a is not None and not a.is_global for a in found)


def reachable_from(page_url: str, url: str) -> bool:
    """Whether a page may send us to ``url``: anywhere, but to this machine only from this machine (a page
    on the Internet cannot make us probe a local service)."""
    host = urlsplit(url).hostname or ""
    return not is_loopback(host) or is_loopback(urlsplit(page_url).hostname or "")


def preview_of(parsed: ParsedFeed) -> Preview:
    dates = [d for entry in parsed.entries if (d := entry.published or entry.updated) is not None]
    title = clean_line(parsed.title)[:MAX_LABEL]
    return Preview(title, parsed.kind, len(parsed.entries), max(dates) if dates else None)


# -- reading the page ---------------------------------------------------------------------------------

_FEED_HEADS = (b"<?xml", b"<rss", b"<feed", b"<rdf", b"{", b"[")
_HTML_HEADS = (b"<!doctype html", b"<html")


def _head(body: bytes, size: int = 1024) -> bytes:
    head = body[:size].lstrip()
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8) :].lstrip()
    return head.lower()


def looks_like_html(body: bytes, content_type: str) -> bool:
    """An HTML page, to read for links rather than parse as a feed: it says so and does not begin like a
    feed (a feed served as text/html is common), or begins like HTML whatever it says."""
    head = _head(body)
    kind = content_type.partition(";")[0].strip().lower()
    if kind in ("text/html", "application/xhtml+xml"):
        return not head.startswith(_FEED_HEADS)
    return head.startswith(_HTML_HEADS)


def mentions_html(body: bytes) -> bool:
    """An XHTML page behind an XML declaration: it did not parse as a feed, and holds ``<html`` early."""
    return b"<html" in _head(body, 4096)


_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
_PAGE_CODECS = {"utf-8": "utf-8", "ascii": "utf-8", "cp1252": "cp1252", "latin-1": "cp1252"}
_PAGE_CODECS |= {name: name for name in ("iso8859-15", "utf-16", "utf-16-le", "utf-16-be")}


def page_text(body: bytes, content_type: str) -> str:
    """The page as text: the HTTP charset, else a byte order mark, else ``<meta charset>``, else UTF-8
    (each invalid byte then read as Windows-1252, as browsers do). Only a few charsets are taken at their
    word (UTF-8, UTF-16, Latin-1 read as Windows-1252, Latin-9): a label for anything else reads as UTF-8,
    which is enough for links."""
    labels = [content_type.lower().partition("charset=")[2].split(";")[0].strip(" \"'")]
    if body.startswith(codecs.BOM_UTF8):
        return body[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return body.decode("utf-16", errors="replace")
    found = _META_CHARSET.search(body[:4096])
    if found:
        labels.append(found.group(1).decode("ascii"))
    for label in labels:
        try:
            codec = _PAGE_CODECS.get(codecs.lookup(label).name) if label else None
        except LookupError:
            codec = None
        if codec is not None and codec != "utf-8":
            return body.decode(codec, errors="replace")
        if codec == "utf-8":
            break
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("utf-8", errors="gazette-cp1252")  # registered by core.feeds.parse


_XML_DECLARATION = re.compile(r"^\ufeff?\s*<\?xml[^>]{0,200}\?>")


def _parser() -> etree.HTMLParser:
    return etree.HTMLParser(
        no_network=True, remove_comments=True, remove_pis=True, recover=True, huge_tree=False
    )


def feed_links(body: bytes, content_type: str, page_url: str) -> list[FeedLink]:
    """The feed links of an HTML page, in document order, resolved, checked and each address once."""
    text = _XML_DECLARATION.sub("", page_text(body, content_type), count=1)  # lxml refuses it in a str
    if not text.strip():
        return []
    try:
        root = etree.fromstring(text, _parser())
    except (etree.LxmlError, ValueError):
        return []
    if root is None:
        return []
    base = page_url
    for element in root.iter("base"):
        href = element.get("href")
        if href:
            resolved = _resolve(page_url, href)
            if resolved is not None:
                base = resolved
            break
    links: list[FeedLink] = []
    seen: set[str] = set()
    for element in root.iter("link"):
        rel = (element.get("rel") or "").lower().split()
        kind = (element.get("type") or "").partition(";")[0].strip().lower()
        href = element.get("href")
        if "alternate" not in rel or kind not in FEED_TYPES or not href:
            continue
        url = _resolve(base, href)
        if url is None or url in seen:
            continue
        seen.add(url)
        label = clean_line((element.get("title") or "")[: MAX_LABEL * 4])[:MAX_LABEL]
        links.append(FeedLink(url, label, guess=kind == "application/json"))
    return links


def _resolve(base: str, href: str) -> str | None:
    """``href`` against ``base``, without its fragment; None unless it is a safe http(s) address with no
    credentials in it (``javascript:``, ``file:``, ``data:``, controls and spaces are all refused)."""
    try:
        url = urldefrag(urljoin(base, href.strip()))[0]
    except ValueError:
        return None
    checked = safe_url(url)
    if checked is None or strip_userinfo(checked)[1] is not None:
        return None
    return checked
