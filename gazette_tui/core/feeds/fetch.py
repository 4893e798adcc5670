"""Polite, bounded HTTP for feeds, on one ``httpx.AsyncClient``.

Bounds, each for a reason:
- a global cap and a per-host cap on connections (servers ban bursts; 6 per host is what browsers allow);
- a total deadline per feed: httpx's read timeout restarts with every byte, so it never stops a server that
  drips one byte a second — ``asyncio.timeout`` around the whole exchange does;
- a cap on *decoded* bytes: we decompress ourselves with ``max_length``, so a 10 KB gzip bomb can never
  inflate past the cap, not even for one chunk;
- redirects followed by hand (at most 5) so we know a permanent move (301/308 → store the new URL) from a
  temporary one, and so credentials never follow a redirect to another host.

Every client of ours (feeds here, logins and full texts in :mod:`.accounts`) comes from
:func:`make_http_client`: nothing is taken from the environment (``trust_env=False``: no ``HTTP_PROXY``,
``HTTPS_PROXY`` or ``ALL_PROXY``, which would see a plain-http login in clear); a proxy is used only when the
user names one (``refresh.proxy``), and never for this machine. Certificates are still checked, with
``SSL_CERT_FILE``/``SSL_CERT_DIR`` when set.
"""

from __future__ import annotations

import asyncio
import email.utils
import os
import ssl
import time
import zlib
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from gazette_tui import __version__
from gazette_tui.core.accounts.feed_credentials import FeedAuth, strip_userinfo
from gazette_tui.core.accounts.profiles import is_loopback, origin_of
from gazette_tui.core.accounts.secrets import Secret
from gazette_tui.core.files import read_reason
from gazette_tui.core.settings import RefreshSettings, check_proxy
from gazette_tui.errors import FeedError, GazetteError
from gazette_tui.text import clean_line, safe_url

USER_AGENT = f"gazette-tui/{__version__} (terminal feed reader; +offline-first)"
MAX_REDIRECTS = 5
CHUNK = 64 * 1024


class TransportError(GazetteError):
    """The HTTP client cannot be built (unreadable CA bundle, unusable proxy address); says which, plainly."""


def ssl_context() -> ssl.SSLContext:
    """Certificate checks as httpx makes them with ``trust_env`` on: ``SSL_CERT_FILE`` or ``SSL_CERT_DIR``
    when set (a company's CA), else certifi's bundle. Our clients turn ``trust_env`` off for the proxies,
    which would drop these two as well; they only add trust anchors the user chose, so they are kept."""
    cafile, capath = os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR")
    try:
        if cafile:
            return ssl.create_default_context(cafile=cafile)
        if capath:
            return ssl.create_default_context(capath=capath)
        import certifi

        return ssl.create_default_context(cafile=certifi.where())
    except (OSError, ssl.SSLError) as error:
        name = "SSL_CERT_FILE" if cafile else "SSL_CERT_DIR"
        where = Path(cafile or capath or ".")
        raise TransportError(
            "fetch.bad_certificates", variable=name, value=cafile or capath, reason=read_reason(error, where)
        ) from None


class _ByDestination(httpx.AsyncBaseTransport):
    """The user's proxy for the world, a direct connection for this machine: a proxy elsewhere cannot reach
    our loopback anyway, and a plain-http request to it (the demo site's login) must never leave the host."""

    def __init__(self, direct: httpx.AsyncHTTPTransport, proxied: httpx.AsyncHTTPTransport) -> None:
        self.direct = direct
        self.proxied = proxied

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        route = self.direct if is_loopback(request.url.host) else self.proxied
        return await route.handle_async_request(request)

    async def aclose(self) -> None:
        await self.direct.aclose()
        await self.proxied.aclose()


def make_http_client(
    *,
    timeout: float,
    max_connections: int,
    proxy: str = "",
    cookies: CookieJar | None = None,
) -> httpx.AsyncClient:
    """The one way we build an httpx client: no automatic redirects, certificates checked, nothing read from
    the environment (``trust_env=False``), and ``proxy`` (the ``refresh.proxy`` setting) for every
    destination but this machine. Raises :class:`TransportError` for an unusable proxy or CA bundle."""
    problem = check_proxy(proxy)
    if problem is not None:
        raise TransportError("fetch.bad_proxy", problem=problem)
    verify = ssl_context()
    limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections)
    transport: httpx.AsyncBaseTransport | None = None
    if proxy:
        transport = _ByDestination(
            httpx.AsyncHTTPTransport(verify=verify, limits=limits, trust_env=False),
            httpx.AsyncHTTPTransport(verify=verify, limits=limits, trust_env=False, proxy=httpx.Proxy(proxy)),
        )
    return httpx.AsyncClient(
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
        timeout=httpx.Timeout(timeout),
        limits=limits,
        follow_redirects=False,
        cookies=cookies,
        verify=verify,
        trust_env=False,
        transport=transport,
    )


class FetchFailure(FeedError):
    """A feed could not be fetched. ``connection`` marks failures that mean "no network" (offline)."""

    def __init__(
        self,
        code: str,
        /,
        *,
        connection: bool = False,
        disable: bool = False,
        retry_after: int | None = None,
        **params: object,
    ) -> None:
        super().__init__(code, **params)
        self.connection = connection
        self.disable = disable
        self.retry_after = retry_after


@dataclass(slots=True)
class FetchResult:
    url: str
    """The URL to keep for the feed: the new one after a permanent redirect, else the one asked."""
    moved: bool
    not_modified: bool
    body: bytes
    content_type: str
    etag: str | None
    last_modified: str | None
    final_url: str = ""
    """Where the body came from, after every redirect (temporary ones too): what a page's relative links
    mean (:mod:`.discover`)."""


MAX_RETRY_AFTER = 86400
"""A server may ask us to wait; never more than a day (a later refresh tries again anyway)."""


def parse_retry_after(value: str | None, now: float | None = None) -> int | None:
    """Retry-After as an absolute Unix time: delay-seconds (ASCII digits only) or an HTTP date, at most
    :data:`MAX_RETRY_AFTER` ahead, never in the past. None for a missing or malformed value, which is then
    ignored: ``²`` or ``٣`` (``str.isdigit`` accepts both), a sign, a fraction, 5,000 digits (``int()``
    refuses more than 4,300), a date that does not parse or that no clock can hold. Never raises."""
    if not value:
        return None
    now = now if now is not None else time.time()
    value = value.strip()
    if value.isascii() and value.isdigit():
        # Past ten digits (317 years) the delay is over the cap whatever it says: no big int is built.
        delay = int(value) if len(value) <= 10 else MAX_RETRY_AFTER
    else:
        try:
            delay = int(email.utils.parsedate_to_datetime(value[:100]).timestamp() - now)
        except (TypeError, ValueError, IndexError, OverflowError, OSError):
            return None
    return int(now + min(max(delay, 0), MAX_RETRY_AFTER))


class Decoder:
    """Content-Encoding decoding with a hard cap on output, fed chunk by chunk."""

    def __init__(self, encoding: str, limit: int) -> None:
        encoding = encoding.strip().lower()
        self.limit = limit
        self.size = 0
        self.parts: list[bytes] = []
        if encoding in ("", "identity"):
            self.zlib = None
        elif encoding in ("gzip", "x-gzip"):
            self.zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self.zlib = zlib.decompressobj()
        else:
            # Header bytes 0x80-0xFF arrive as C1 controls: the name is cleaned before it reaches a screen.
            raise FetchFailure("fetch.encoding", encoding=clean_line(encoding[:20]))

    def _keep(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.limit:
            raise FetchFailure("fetch.too_big", size=self.limit // (1024 * 1024))
        self.parts.append(data)

    def feed(self, chunk: bytes) -> None:
        if self.zlib is None:
            self._keep(chunk)
            return
        try:
            data = self.zlib.decompress(chunk, self.limit - self.size + 1)
            self._keep(data)
            while self.zlib.unconsumed_tail:
                data = self.zlib.decompress(self.zlib.unconsumed_tail, self.limit - self.size + 1)
                self._keep(data)
        except zlib.error:
            raise FetchFailure("fetch.bad_compression") from None

    def result(self) -> bytes:
        return b"".join(self.parts)


class Fetcher:
    """Fetches feeds with the bounds above. Use as an async context manager (it owns the client)."""

    def __init__(self, settings: RefreshSettings, client: httpx.AsyncClient | None = None) -> None:
        self.settings = settings
        self._own_client = client is None
        self.client = client or make_http_client(
            timeout=min(settings.timeout, 20.0),
            max_connections=max(1, settings.concurrency),
            proxy=settings.proxy,
        )
        self._global = asyncio.Semaphore(max(1, settings.concurrency))
        self._hosts: defaultdict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(max(1, settings.per_host))
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._own_client:
            await self.client.aclose()

    async def fetch(
        self,
        url: str,
        etag: str | None = None,
        last_modified: str | None = None,
        *,
        auth: FeedAuth | None = None,
        guard: Callable[[str], Awaitable[None]] | None = None,
        user_agent: str | None = None,
    ) -> FetchResult:
        """Fetch one feed within its deadline; raise :class:`FetchFailure` (a short sentence).

        ``user_agent`` replaces the app's own on every hop (the feed's ``user_agent`` setting, one line of
        printable ASCII: ``core/feeds/feed_settings.py`` checked it).

        ``guard`` is awaited with the URL of every hop, redirects included, before it is requested: it raises
        :class:`FetchFailure` to refuse one (discovery keeps a page on the Internet from sending us to this
        machine).

        ``auth`` goes only to its own origin over https or loopback (:meth:`FeedAuth.applies_to`), never along
        a redirect elsewhere. A URL that still carries ``user:password@`` (a database from before 0.2) is
        fetched without it, its credentials under the same rule: httpx would send them anywhere, in clear."""
        if auth is not None and auth.problem:
            raise FetchFailure(auth.problem)
        url, userinfo = strip_userinfo(url)
        origin = origin_of(url)
        if auth is None and userinfo is not None and origin is not None:
            auth = FeedAuth(userinfo[0], Secret(userinfo[1]), origin)
        host = (urlsplit(url).hostname or "").lower()
        async with self._global, self._hosts[host]:
            try:
                async with asyncio.timeout(self.settings.timeout):
                    return await self._fetch(url, etag, last_modified, auth, guard, user_agent)
            except TimeoutError:
                raise FetchFailure("fetch.timeout") from None
            except httpx.ConnectTimeout:
                raise FetchFailure("fetch.connect_timeout", connection=True) from None
            except httpx.TimeoutException:
                raise FetchFailure("fetch.timeout") from None
            except httpx.ConnectError as error:
                code = _connect_code(error)
                raise FetchFailure(code, connection=code != "fetch.tls") from None
            except httpx.ProxyError:
                raise FetchFailure("fetch.proxy_refused", connection=True) from None
            except (httpx.RemoteProtocolError, httpx.LocalProtocolError):
                raise FetchFailure("fetch.bad_http") from None
            except httpx.UnsupportedProtocol:
                raise FetchFailure("fetch.bad_scheme") from None
            except httpx.InvalidURL:  # not an HTTPError; httpx raises it for a Location it cannot parse
                raise FetchFailure("fetch.bad_url") from None
            except httpx.HTTPError as error:
                raise FetchFailure("fetch.network", kind=type(error).__name__) from None

    async def _fetch(
        self,
        url: str,
        etag: str | None,
        last_modified: str | None,
        auth: FeedAuth | None,
        guard: Callable[[str], Awaitable[None]] | None = None,
        user_agent: str | None = None,
    ) -> FetchResult:
        headers = {}
        if user_agent:
            headers["User-Agent"] = user_agent
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current, keep, moved = url, url, False
        seen: set[str] = set()
        for _ in range(MAX_REDIRECTS + 1):
            if current in seen:
                raise FetchFailure("fetch.redirect_loop")
            seen.add(current)
            if guard is not None:
                await guard(current)
            hop = dict(headers)
            if auth is not None and auth.applies_to(current):
                hop["Authorization"] = auth.header()
            request = self.client.build_request("GET", current, headers=hop)
            response = await self.client.send(request, stream=True)
            try:
                if response.status_code in (301, 302, 303, 307, 308) and "location" in response.headers:
                    # A Location's userinfo is dropped: httpx would send it as Basic, and it is never stored.
                    target = strip_userinfo(urljoin(current, response.headers["location"]))[0]
                    if urlsplit(target).scheme.lower() not in ("http", "https"):
                        raise FetchFailure("fetch.redirect_not_web")
                    if safe_url(target) is None:  # controls or spaces: never stored, never shown
                        raise FetchFailure("fetch.redirect_invalid")
                    if response.status_code in (301, 308) and keep == current:
                        keep, moved = target, True  # only a chain of permanent moves changes the URL
                    current = target
                    continue
                return await self._finish(response, keep, moved)
            finally:
                await response.aclose()
        raise FetchFailure("fetch.too_many_redirects")

    async def _finish(self, response: httpx.Response, url: str, moved: bool) -> FetchResult:
        status = response.status_code
        if status == 304:
            return FetchResult(url, moved, True, b"", "", None, None)
        if status == 410:
            raise FetchFailure("fetch.gone", disable=True)
        if status in (429, 503):
            asked = response.headers.get("retry-after")
            retry = parse_retry_after(asked)
            code = "fetch.wait_unreadable" if asked and retry is None else "fetch.wait"
            raise FetchFailure(code, retry_after=retry, status=str(status))
        if status >= 400:
            raise FetchFailure("fetch.http_status", status=str(status))
        if status != 200:
            raise FetchFailure("fetch.unexpected_status", status=str(status))
        limit = self.settings.max_feed_bytes
        declared = response.headers.get("content-length", "").strip()
        # ASCII digits only ("²" is a digit to isdigit, not to int); h11 checks framing, this only the cap.
        if declared.isascii() and declared.isdigit() and (len(declared) > 18 or int(declared) > limit):
            raise FetchFailure("fetch.too_big", size=limit // (1024 * 1024))
        decoder = Decoder(response.headers.get("content-encoding", ""), limit)
        async for chunk in response.aiter_raw(CHUNK):
            decoder.feed(chunk)
        return FetchResult(
            url=url,
            moved=moved,
            not_modified=False,
            body=decoder.result(),
            content_type=response.headers.get("content-type", ""),
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
            final_url=str(response.url),
        )


def _connect_code(error: httpx.ConnectError) -> str:
    text = str(error)
    if isinstance(error.__context__, ssl.SSLError) or "SSL" in text or "certificate" in text.lower():
        return "fetch.tls"
    if "Name or service not known" in text or "nodename" in text or "getaddrinfo" in text:
        return "fetch.host_unknown"
    return "fetch.connect_failed"
