"""Full text for any feed: the article pages of excerpt-only items, fetched once, extracted and kept.

A feed whose ``fulltext`` setting is on (its own, or its rubrique's: ``feed_settings.effective``) gets, at
each refresh, the page of every new excerpt-only item fetched, its article extracted with readability-lxml,
sanitised, and stored for offline reading and search (:mod:`.extract`, the same pieces as a subscriber's
full texts). The refresh cycle runs this pass after the feeds (``core/cycle.py``); the TUI's ``F`` runs it for
one article (:func:`fetch_pages` with ``article_ids``).

**Which items.** *Excerpt-only*: the feed gave no content of its own (no ``content:encoded``, Atom
``content`` or JSON Feed ``content_html``/``content_text``) and its summary reads as an excerpt, by the rule
the reader uses to say « Extrait seulement » (``render.looks_like_excerpt``: empty, cut short with ``…``,
``[…]`` or « Lire la suite », or under 400 characters). *New*: it reached the cache in the last
:data:`RECENT_DAYS` days and its page was never tried (no ``page_fetches`` row). Reserved articles are left to
the subscriber's session (``core/accounts/fulltext.py``), which sees past the paywall.

**Bounds**, the feeds' own where they apply: one :class:`~.fetch.Fetcher` (``refresh.concurrency`` at once in
all, at most :data:`PAGE_PER_HOST` per site and never more than ``refresh.per_host``, ``refresh.timeout``
seconds a page from first byte to last, ``refresh.max_feed_bytes`` decoded bytes, 5 redirects), and
``refresh.fulltext_pages`` pages per refresh, newest first: the rest wait for the next refresh. The same
link in two feeds (La Gazette puts an article in each of its rubriques) is fetched once; a copy arriving later
takes the text already fetched, with no request.

**Once.** Every try leaves a ``page_fetches`` row, so a page is never fetched twice by refreshes: a page
that worked has its text; one that failed keeps the excerpt and says why (the reader shows the reason, ``F``
tries again). Only a failure that never reached the site is not recorded, so the next refresh tries again:
the network was down (``FetchFailure.connection``) or the site asked us to wait (429/503).

**Trust.** The page is untrusted: sanitised like any feed text, links made absolute, http(s) only. Article
links come from the feed, so they follow the discovery's rule for this machine and its network
(``fetch.local_refused``): a feed on the Internet cannot make us fetch a page on loopback or a private
network, on the first hop or after a redirect; a feed served from this machine (the demo, the tests) may. No
credentials go with a page: a feed's password is for its feed, and ``user:password@`` in a link is dropped.
The feed's ``user_agent`` setting is sent when it has one.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urlsplit

from gazette_tui.core.accounts.feed_credentials import strip_userinfo
from gazette_tui.core.feeds import feed_settings
from gazette_tui.core.feeds import parse as _parse  # noqa: F401 -- registers the decoding page_text uses
from gazette_tui.core.feeds.discover import is_local, looks_like_html, page_text
from gazette_tui.core.feeds.extract import (
    FulltextUnavailable,
    extract_fulltext,
    long_enough,
    store_fulltext,
)
from gazette_tui.core.feeds.fetch import Fetcher, FetchFailure
from gazette_tui.core.settings import Settings
from gazette_tui.core.storage.pages import PageCandidate
from gazette_tui.core.storage.store import Store
from gazette_tui.errors import GazetteError, Message, message
from gazette_tui.text import clean_line, html_to_text, safe_url

log = logging.getLogger(__name__)

RECENT_DAYS = 7
"""An item is new for this long after it reached the cache: a feed whose setting is turned on gets the pages
of the last week's items, not of its whole archive."""
PAGE_PER_HOST = 2
"""Article pages fetched at once from one site (fewer if ``refresh.per_host`` says so): a news site's pages
are heavier than its feed, and many sites ban a burst of them."""
SCAN = 500
"""Candidates read per pass, newest first: a bound on the work whatever the budget."""
TRANSIENT = frozenset({"fetch.wait", "fetch.wait_unreadable"})
"""Failures that say nothing of the page (the site asked us to wait): tried again at the next refresh."""


@dataclass(slots=True)
class PageOutcome:
    """One page of the pass, done: ``done`` of ``total``."""

    url: str
    article_ids: tuple[int, ...]
    """The articles this page is the text of (the same link in several feeds)."""
    ok: bool
    error: str | None = None
    """Why it gave no full text, in the current language (:attr:`problem` is the message itself)."""
    problem: Message | None = None
    done: int = 0
    total: int = 0


@dataclass(slots=True)
class PagesReport:
    fetched: int = 0
    """Pages whose full text is now stored."""
    failed: int = 0
    """Pages that gave none (each said in :attr:`errors`; the article keeps its excerpt)."""
    copied: int = 0
    """Articles given the text of a page fetched earlier for a copy of theirs in another feed: no request."""
    skipped: int = 0
    """Items left for the next refresh: over the budget (``refresh.fulltext_pages``)."""
    errors: list[tuple[str, str]] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)
    """Articles that now have their full text (the TUI redraws them)."""
    seconds: float = 0.0

    def as_json(self) -> dict[str, object]:
        return {
            "fetched": self.fetched,
            "failed": self.failed,
            "copied": self.copied,
            "skipped": self.skipped,
            "errors": [{"url": url, "error": error} for url, error in self.errors],
        }


PageCallback = Callable[[PageOutcome], None]


def fulltext_feeds(store: Store, feed_ids: Iterable[int] | None = None) -> list[int]:
    """The feeds whose ``fulltext`` setting is on (their own or their rubrique's), among ``feed_ids``."""
    wanted = None if feed_ids is None else set(feed_ids)
    return [
        feed_id
        for feed_id, own in feed_settings.effective(store).items()
        if own.fulltext and (wanted is None or feed_id in wanted)
    ]


def page_address(url: str) -> str | None:
    """The address to fetch for an article link: http(s), without its ``#fragment`` or credentials; None
    for anything else (``mailto:``, a space, a control character)."""
    checked = safe_url(url)
    if checked is None:
        return None
    return urldefrag(strip_userinfo(checked)[0])[0]


async def fetch_pages(
    store: Store,
    settings: Settings,
    *,
    feed_ids: Iterable[int] | None = None,
    article_ids: Iterable[int] | None = None,
    budget: int | None = None,
    fetcher: Fetcher | None = None,
    on_page: PageCallback | None = None,
    now: int | None = None,
) -> PagesReport:
    """Fetch, extract and store the pages of the new excerpt-only items of the feeds whose ``fulltext`` is
    on (among ``feed_ids`` when given), at most ``budget`` pages (``refresh.fulltext_pages``). With
    ``article_ids`` (the TUI's ``F``): exactly those articles' pages, whatever their feed's setting and any
    earlier try. Never raises for one page: failures are in the report. ``on_page`` is called on the event
    loop after each page."""
    started = time.perf_counter()
    moment = int(time.time()) if now is None else now
    report = PagesReport()
    if article_ids is not None:
        chosen = await asyncio.to_thread(store.pages.articles, list(article_ids))
        limit = len(chosen)
    else:
        limit = settings.refresh.fulltext_pages if budget is None else budget
        if limit <= 0:
            return report
        chosen = await asyncio.to_thread(_candidates, store, feed_ids, moment)
        if chosen:
            chosen = await asyncio.to_thread(_carry_over, store, chosen, report, moment)
    groups = list(_by_page(chosen).items())
    todo, later = groups[:limit], groups[limit:]
    report.skipped = sum(len(group) for _url, group in later)
    if todo:
        own = await asyncio.to_thread(feed_settings.effective, store)
        run = _Run(store, settings, report, own, moment, on_page, len(todo))
        client = fetcher or run.fetcher()
        try:
            await asyncio.gather(*(run.one(client, url, group) for url, group in todo))
        finally:
            if fetcher is None:
                await client.__aexit__(None, None, None)
    for bad in (c for c in chosen if page_address(c.url) is None):  # said once, never fetched
        problem = message("page.not_web")
        await asyncio.to_thread(_record, store, bad.article_id, problem, moment)
        report.failed += 1
        report.errors.append((clean_line(bad.url)[:200], str(problem)))
    report.seconds = time.perf_counter() - started
    if report.fetched or report.failed or report.copied:
        log.info(
            "pages: %d fetched, %d failed, %d copied, %d left for later; %.1f s",
            report.fetched,
            report.failed,
            report.copied,
            report.skipped,
            report.seconds,
        )
    return report


def _candidates(store: Store, feed_ids: Iterable[int] | None, now: int) -> list[PageCandidate]:
    """In a thread: the new excerpt-only items of the feeds that want their pages, newest first."""
    feeds = fulltext_feeds(store, feed_ids)
    if not feeds:
        return []
    from gazette_tui.core.render import looks_like_excerpt  # bs4 and markdownify: only when there is work

    rows = store.pages.untried(feeds, now - RECENT_DAYS * 86400, SCAN)
    return [row for row in rows if looks_like_excerpt(row.summary_html)]


def _carry_over(
    store: Store, chosen: list[PageCandidate], report: PagesReport, now: int
) -> list[PageCandidate]:
    """In a thread: items whose link was tried already for another article take that try's outcome (its
    text, or its reason) without a request; the others are returned."""
    addresses = {c.article_id: page_address(c.url) for c in chosen}
    prior = store.pages.prior(a for a in addresses.values() if a is not None)
    rest = []
    for candidate in chosen:
        earlier = prior.get(addresses[candidate.article_id] or "")
        if earlier is None:
            rest.append(candidate)
            continue
        if earlier.error:
            store.pages.record(candidate.article_id, earlier.error, now)
            continue
        text = store.article(earlier.article_id).fulltext_html
        store_fulltext(store, candidate.article_id, text)
        store.pages.record(candidate.article_id, "", now)
        report.copied += 1
        report.article_ids.append(candidate.article_id)
    return rest


def _by_page(chosen: list[PageCandidate]) -> dict[str, list[PageCandidate]]:
    """The candidates by page address, in their order (the first is the newest); links that are not web
    addresses are left out (the caller records them)."""
    groups: dict[str, list[PageCandidate]] = {}
    for candidate in chosen:
        address = page_address(candidate.url)
        if address is not None:
            groups.setdefault(address, []).append(candidate)
    return groups


def _record(store: Store, article_id: int, problem: Message | None, when: int) -> None:
    store.pages.record(article_id, problem.dumps() if problem is not None else "", when)


def _keep(store: Store, group: list[PageCandidate], fulltext_html: str, when: int) -> None:
    """In a thread: the text for every article of the page, then the rows that say it was fetched."""
    for candidate in group:
        store_fulltext(store, candidate.article_id, fulltext_html)
        store.pages.record(candidate.article_id, "", when)


class _Run:
    """One pass: the shared fetcher, the rule for this machine, the progress count."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        report: PagesReport,
        own: dict[int, feed_settings.FeedSettings],
        now: int,
        on_page: PageCallback | None,
        total: int,
    ) -> None:
        self.store, self.settings, self.report, self.own = store, settings, report, own
        self.now, self.on_page, self.total = now, on_page, total
        self.done = 0
        self._local: dict[str, bool] = {}
        self._proxied = bool(settings.refresh.proxy)

    def fetcher(self) -> Fetcher:
        refresh = self.settings.refresh
        return Fetcher(dataclasses.replace(refresh, per_host=max(1, min(refresh.per_host, PAGE_PER_HOST))))

    async def _is_local(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        if host not in self._local:
            self._local[host] = await is_local(url, proxied=self._proxied)
        return self._local[host]

    def _guard(self, feed_url: str) -> Callable[[str], Awaitable[None]]:
        async def guard(hop: str) -> None:
            if await self._is_local(hop) and not (feed_url and await self._is_local(feed_url)):
                raise FetchFailure("fetch.local_refused")

        return guard

    async def one(self, client: Fetcher, url: str, group: list[PageCandidate]) -> None:
        first = group[0]
        problem: Message | None = None
        transient = False
        try:
            fulltext = await self._fetch(client, url, first)
            await asyncio.to_thread(_keep, self.store, group, fulltext, int(time.time()))
        except FetchFailure as failure:
            problem = failure.message
            transient = failure.connection or failure.code in TRANSIENT
        except FulltextUnavailable as error:
            problem = error.message
        except GazetteError as error:  # the store (a full disk): costs this page, which is tried again
            problem, transient = error.message, True
        except Exception as error:  # a bug costs one page, never the pass; the trace is for the log
            log.exception("%s: unexpected error", clean_line(url)[:200])
            problem, transient = message("feed.unexpected", kind=type(error).__name__), True
        if problem is None:
            self.report.fetched += 1
            self.report.article_ids += [c.article_id for c in group]
        else:
            self.report.failed += 1
            self.report.errors.append((url, str(problem)))
            if not transient:
                for candidate in group:
                    await asyncio.to_thread(_record, self.store, candidate.article_id, problem, self.now)
        self.done += 1
        if self.on_page is not None:
            ids = tuple(c.article_id for c in group)
            said = str(problem) if problem is not None else None
            self.on_page(PageOutcome(url, ids, problem is None, said, problem, self.done, self.total))

    async def _fetch(self, client: Fetcher, url: str, first: PageCandidate) -> str:
        settings = self.own.get(first.feed_id or -1, feed_settings.DEFAULTS)
        result = await client.fetch(url, guard=self._guard(first.feed_url), user_agent=settings.user_agent)
        if not looks_like_html(result.body, result.content_type):
            kind = clean_line(result.content_type.partition(";")[0].strip())[:60] or "?"
            raise FulltextUnavailable("page.not_html", kind=kind)
        text = page_text(result.body, result.content_type)
        where = result.final_url or url
        fulltext = await asyncio.to_thread(extract_fulltext, text, where)
        if not long_enough(fulltext, len(html_to_text(first.summary_html))):
            raise FulltextUnavailable("fulltext.not_found")
        return fulltext
