"""Polite, bounded HTTP for feeds, on one ``httpx.AsyncClient``.

Bounds, each for a reason:
- a global cap and a per-host cap on connections (servers ban bursts; 6 per host is what browsers allow);
- a total deadline per feed: httpx's read timeout restarts with every byte, so it never stops a server that
  drips one byte a second — ``asyncio.timeout`` around the whole exchange does;
- a cap on *decoded* bytes: we decompress ourselves with ``max_length``, so a 10 KB gzip bomb can never
  inflate past the cap, not even for one chunk;
- redirects followed by hand (at most 5) so we know a permanent move (301/308 → store the new URL) from a
  temporary one, and so credentials never follow a redirect to another host.
"""

from __future__ import annotations

import asyncio
import email.utils
import ssl
import time
import zlib
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from gazette_tui import __version__
from gazette_tui.core.errors import FeedError
from gazette_tui.core.settings import RefreshSettings
from gazette_tui.core.text import clean_line, safe_url

USER_AGENT = f"gazette-tui/{__version__} (terminal feed reader; +offline-first)"
MAX_REDIRECTS = 5
CHUNK = 64 * 1024


class FetchFailure(FeedError):
    """A feed could not be fetched. ``connection`` marks failures that mean "no network" (offline)."""

    def __init__(
        self,
        message: str,
        *,
        connection: bool = False,
        disable: bool = False,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message)
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


def parse_retry_after(value: str | None, now: float | None = None) -> int | None:
    """Retry-After as an absolute Unix time; seconds or an HTTP date. Capped at one day."""
    if not value:
        return None
    now = now if now is not None else time.time()
    value = value.strip()
    if value.isdigit():
        delay = int(value)
    else:
        try:
            delay = int(email.utils.parsedate_to_datetime(value).timestamp() - now)
        except (TypeError, ValueError, IndexError):
            return None
    return int(now + min(max(delay, 0), 86400))


class _Decoder:
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
            raise FetchFailure(f"Encodage non pris en charge ({clean_line(encoding[:20])})")

    def _keep(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.limit:
            raise FetchFailure(f"Flux trop volumineux (plus de {self.limit // (1024 * 1024)} Mo)")
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
            raise FetchFailure("Réponse compressée invalide") from None

    def result(self) -> bytes:
        return b"".join(self.parts)


class Fetcher:
    """Fetches feeds with the bounds above. Use as an async context manager (it owns the client)."""

    def __init__(self, settings: RefreshSettings, client: httpx.AsyncClient | None = None) -> None:
        self.settings = settings
        self._own_client = client is None
        self.client = client or httpx.AsyncClient(
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(min(settings.timeout, 20.0)),
            limits=httpx.Limits(
                max_connections=max(1, settings.concurrency),
                max_keepalive_connections=max(1, settings.concurrency),
            ),
            follow_redirects=False,
            verify=True,
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

    async def fetch(self, url: str, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """Fetch one feed within its deadline; raise :class:`FetchFailure` with a short sentence."""
        host = (urlsplit(url).hostname or "").lower()
        async with self._global, self._hosts[host]:
            try:
                async with asyncio.timeout(self.settings.timeout):
                    return await self._fetch(url, etag, last_modified)
            except TimeoutError:
                raise FetchFailure("Délai dépassé") from None
            except httpx.ConnectTimeout:
                raise FetchFailure("Délai dépassé (connexion)", connection=True) from None
            except httpx.TimeoutException:
                raise FetchFailure("Délai dépassé") from None
            except httpx.ConnectError as error:
                message = _connect_message(error)
                raise FetchFailure(message, connection=not message.startswith("Erreur TLS")) from None
            except (httpx.RemoteProtocolError, httpx.LocalProtocolError):
                raise FetchFailure("Réponse HTTP invalide") from None
            except httpx.UnsupportedProtocol:
                raise FetchFailure("Adresse non prise en charge (http ou https seulement)") from None
            except httpx.InvalidURL:  # not an HTTPError; httpx raises it for a Location it cannot parse
                raise FetchFailure("Adresse ou redirection invalide") from None
            except httpx.HTTPError as error:
                raise FetchFailure(f"Erreur réseau ({type(error).__name__})") from None

    async def _fetch(self, url: str, etag: str | None, last_modified: str | None) -> FetchResult:
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current, keep, moved = url, url, False
        seen: set[str] = set()
        for _ in range(MAX_REDIRECTS + 1):
            if current in seen:
                raise FetchFailure("Boucle de redirections")
            seen.add(current)
            request = self.client.build_request("GET", current, headers=headers)
            response = await self.client.send(request, stream=True)
            try:
                if response.status_code in (301, 302, 303, 307, 308) and "location" in response.headers:
                    target = urljoin(current, response.headers["location"])
                    if urlsplit(target).scheme.lower() not in ("http", "https"):
                        raise FetchFailure("Redirection vers une adresse non web")
                    if safe_url(target) is None:  # controls or spaces: never stored, never shown
                        raise FetchFailure("Redirection vers une adresse invalide")
                    if response.status_code in (301, 308) and keep == current:
                        keep, moved = target, True  # only a chain of permanent moves changes the URL
                    current = target
                    continue
                return await self._finish(response, keep, moved)
            finally:
                await response.aclose()
        raise FetchFailure("Trop de redirections")

    async def _finish(self, response: httpx.Response, url: str, moved: bool) -> FetchResult:
        status = response.status_code
        if status == 304:
            return FetchResult(url, moved, True, b"", "", None, None)
        if status == 410:
            raise FetchFailure("HTTP 410 : flux supprimé par le site (désactivé)", disable=True)
        if status in (429, 503):
            retry = parse_retry_after(response.headers.get("retry-after"))
            raise FetchFailure(f"HTTP {status} : le serveur demande d'attendre", retry_after=retry)
        if status >= 400:
            raise FetchFailure(f"HTTP {status}")
        if status != 200:
            raise FetchFailure(f"Réponse HTTP inattendue ({status})")
        limit = self.settings.max_feed_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchFailure(f"Flux trop volumineux (plus de {limit // (1024 * 1024)} Mo)")
        decoder = _Decoder(response.headers.get("content-encoding", ""), limit)
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
        )


def _connect_message(error: httpx.ConnectError) -> str:
    text = str(error)
    if isinstance(error.__context__, ssl.SSLError) or "SSL" in text or "certificate" in text.lower():
        return "Erreur TLS : certificat non valide"
    if "Name or service not known" in text or "nodename" in text or "getaddrinfo" in text:
        return "Hôte introuvable"
    return "Connexion impossible"
