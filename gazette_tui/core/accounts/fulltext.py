"""The full text of reserved (or excerpt-only) articles, fetched with a subscriber's session and kept for
offline reading.

For each candidate article on the site of a logged-in account: fetch the page with the account's cookies
(:meth:`Accounts.fetch_page` applies the transport rules), extract the main text, sanitise it, and store it in
``article_bodies.fulltext_html`` and in the search index. An article with a full text is "texte intégral".

Extracting, sanitising and storing are the pieces every full text shares (``core/feeds/extract.py``, where
the choice of readability-lxml is explained); the full text of any feed's public pages is
``core/feeds/pages.py``.

Bounded and polite: at most ``limit`` pages per refresh, ``per_host`` at a time per site with a pause
between requests, a total deadline per page, a size cap, and a back-off for articles that failed before.
A session that expired (the page shows the paywall again) is renewed once per run with the stored password;
without one, the account is reported as needing a login.
"""

from __future__ import annotations

import asyncio
import html
import json
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from gazette_tui.core.accounts.accounts import Accounts, LoginError, Page, make_client
from gazette_tui.core.accounts.profiles import origin_of
from gazette_tui.core.accounts.secrets import KeyringUnavailable
from gazette_tui.core.feeds.extract import FulltextUnavailable, extract_fulltext, long_enough, store_fulltext
from gazette_tui.core.feeds.extract import has_fulltext as has_fulltext
from gazette_tui.core.feeds.fetch import FetchFailure
from gazette_tui.core.settings import Settings
from gazette_tui.core.storage.store import Store
from gazette_tui.errors import GazetteError, message

DEFAULT_LIMIT = 20
DEFAULT_PER_HOST = 2
DEFAULT_PAUSE = 0.3
_FAILURES_KEY = "fulltext.failures"
_MAX_ATTEMPTS = 3
_BACKOFF = 6 * 3600
_SCAN = 500


@dataclass(slots=True)
class FulltextReport:
    fetched: int = 0
    failed: int = 0
    skipped: int = 0
    """Candidates left for a later refresh (over the limit, or their account needs a login)."""
    relogins: int = 0
    login_needed: list[str] = field(default_factory=list)
    """Accounts whose session expired with no stored password to renew it: ask the user to log in."""
    errors: list[tuple[str, str]] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)
    """Articles that now have their full text (the UI refreshes them)."""

    def as_json(self) -> dict[str, object]:
        return {
            "fetched": self.fetched,
            "failed": self.failed,
            "skipped": self.skipped,
            "login_needed": self.login_needed,
            "errors": [{"url": url, "error": error} for url, error in self.errors],
        }


@dataclass(frozen=True, slots=True)
class Candidate:
    article_id: int
    url: str
    account: str
    excerpt_chars: int


def _failures(store: Store) -> dict[str, list[int]]:
    try:
        data = json.loads(store.meta(_FAILURES_KEY) or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _note_failure(store: Store, article_id: int, now: int) -> None:
    failures = _failures(store)
    attempts = int(failures.get(str(article_id), [0, 0])[0]) + 1
    failures[str(article_id)] = [attempts, now + _BACKOFF * attempts]
    # Bounded: forget entries whose back-off ended long ago.
    failures = {k: v for k, v in failures.items() if v[1] > now - 30 * 86400}
    store.set_meta(_FAILURES_KEY, json.dumps(failures, separators=(",", ":")))


def candidates(store: Store, accounts: Accounts, now: int | None = None) -> list[Candidate]:
    """Articles worth a full-text fetch, newest first: reserved or excerpt-only, without a full text yet, in
    a feed of a logged-in account's site, with a URL on that site, and not backing off after failures."""
    now = now or int(time.time())
    logged = accounts.logged_in_accounts()
    if not logged:
        return []
    profiles = {name: accounts.profile(name) for name in logged}
    owners: dict[int, str] = {}
    for feed in store.feeds():
        for name in logged:
            if feed.account == name or (feed.account is None and profiles[name].owns(feed.url)):
                owners[feed.id] = name
                break
    if not owners:
        return []
    failures = _failures(store)
    found = []
    for article_id, url, feed_id, excerpt in store.bodies.without_fulltext(list(owners), _SCAN):
        account = owners[feed_id]
        if not profiles[account].owns(url):
            continue  # cookies would not go there: nothing to gain
        failed = failures.get(str(article_id))
        if failed and (failed[0] >= _MAX_ATTEMPTS or failed[1] > now):
            continue
        found.append(Candidate(article_id, url, account, excerpt))
    return found


class _Run:
    """One pass over the candidates: shared client, per-site caps, one silent re-login per account."""

    def __init__(
        self,
        store: Store,
        accounts: Accounts,
        client: httpx.AsyncClient,
        report: FulltextReport,
        *,
        per_host: int,
        pause: float,
        timeout: float,
        on_article: Callable[[int], None] | None,
    ) -> None:
        self.store, self.accounts, self.client, self.report = store, accounts, client, report
        self.pause, self.timeout, self.on_article = pause, timeout, on_article
        self.hosts: defaultdict[object, asyncio.Semaphore] = defaultdict(lambda: asyncio.Semaphore(per_host))
        self.locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self.renewed: dict[str, bool] = {}

    def _expired(self, account: str, page: Page) -> bool:
        if page.status in (401, 403):
            return True
        markers = self.accounts.profile(account).paywall_markers
        text = html.unescape(page.text)
        return any(marker in text for marker in markers)

    async def _renew(self, account: str) -> bool:
        """Log in again once per run; later callers reuse the outcome."""
        async with self.locks[account]:
            if account in self.renewed:
                return self.renewed[account]
            try:
                await self.accounts.relogin(account, self.client)
                self.report.relogins += 1
                self.renewed[account] = True
            except (LoginError, KeyringUnavailable):
                self._needs_login(account)
            return self.renewed[account]

    def _needs_login(self, account: str) -> None:
        self.renewed[account] = False
        if account not in self.report.login_needed:
            self.report.login_needed.append(account)

    async def one(self, item: Candidate) -> None:
        if self.renewed.get(item.account) is False:
            self.report.skipped += 1
            return
        async with self.hosts[origin_of(item.url)]:
            try:
                await self._fetch(item)
            except FulltextUnavailable as error:
                self.report.failed += 1
                self.report.errors.append((item.url, str(error)))
                await asyncio.to_thread(_note_failure, self.store, item.article_id, int(time.time()))
            except LoginError as error:
                if error.problem == "needed":  # remembered, but the keyring no longer has the password
                    self._needs_login(item.account)
                    self.report.skipped += 1
                else:
                    self.report.failed += 1
                    self.report.errors.append((item.url, str(error)))
            except KeyringUnavailable as error:  # locked or gone since login: once per account
                if self.renewed.get(item.account) is not False:
                    self.report.errors.append(("", str(error)))
                self._needs_login(item.account)
                self.report.skipped += 1
            except FetchFailure as error:
                self.report.failed += 1
                self.report.errors.append((item.url, str(error)))
            except TimeoutError:
                self.report.failed += 1
                self.report.errors.append((item.url, str(message("fetch.timeout"))))
            except httpx.HTTPError:
                self.report.failed += 1
                self.report.errors.append((item.url, str(message("fulltext.connect_failed"))))
            if self.pause:
                await asyncio.sleep(self.pause)

    async def _fetch(self, item: Candidate) -> None:
        page = await self.accounts.fetch_page(item.account, item.url, self.client, timeout=self.timeout)
        if page.on_site and self._expired(item.account, page):
            if not await self._renew(item.account):
                self.report.skipped += 1
                return
            page = await self.accounts.fetch_page(item.account, item.url, self.client, timeout=self.timeout)
            if page.on_site and self._expired(item.account, page):
                raise FulltextUnavailable("fulltext.still_reserved")
        if not page.on_site:
            raise FulltextUnavailable("fulltext.other_site")
        if page.status != 200:
            raise FulltextUnavailable("fetch.http_status", status=str(page.status))
        fulltext = await asyncio.to_thread(extract_fulltext, page.text, page.url)
        if not long_enough(fulltext, item.excerpt_chars):
            raise FulltextUnavailable("fulltext.not_found")
        await asyncio.to_thread(store_fulltext, self.store, item.article_id, fulltext)
        self.report.fetched += 1
        self.report.article_ids.append(item.article_id)
        if self.on_article is not None:
            self.on_article(item.article_id)


async def fetch_fulltexts(
    store: Store,
    settings: Settings,
    *,
    limit: int = DEFAULT_LIMIT,
    per_host: int = DEFAULT_PER_HOST,
    pause: float = DEFAULT_PAUSE,
    accounts: Accounts | None = None,
    config_dir: Path | None = None,
    article_ids: list[int] | None = None,
    client: httpx.AsyncClient | None = None,
    on_article: Callable[[int], None] | None = None,
) -> FulltextReport:
    """Fetch and store the full text of up to ``limit`` articles of logged-in accounts (or exactly
    ``article_ids``, for "fetch this one now"). Never raises for one article: failures are in the report.

    Pass the TUI's :class:`Accounts` so a session-only login (no keyring) is used; without it, the
    remembered logins are read from the database and the keyring (``config_dir`` for ``profiles.toml``)."""
    report = FulltextReport()
    if not settings.refresh.fulltext and article_ids is None:
        return report
    try:  # a broken profiles.toml or database costs the full texts, never the refresh around them
        accounts = accounts or Accounts(store, config_dir, proxy=settings.refresh.proxy)
        found = await asyncio.to_thread(candidates, store, accounts)
    except GazetteError as error:
        report.errors.append(("", str(error)))
        return report
    if article_ids is not None:
        wanted = set(article_ids)
        found = [c for c in found if c.article_id in wanted]
    chosen, report.skipped = found[: max(0, limit)], max(0, len(found) - max(0, limit))
    if not chosen:
        return report
    own = client is None
    http = client or make_client(
        timeout=min(settings.refresh.timeout, 20.0), per_host=per_host, proxy=settings.refresh.proxy
    )
    run = _Run(
        store,
        accounts,
        http,
        report,
        per_host=max(1, per_host),
        pause=pause,
        timeout=settings.refresh.timeout,
        on_article=on_article,
    )
    try:
        await asyncio.gather(*(run.one(item) for item in chosen))
    finally:
        if own:
            await http.aclose()
    return report
