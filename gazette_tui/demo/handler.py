"""Request handling of the demo site: routing, conditional GET, gzip, the login forms.

Kept apart from :mod:`gazette_tui.demo.server` (life cycle and test hooks) so each file reads on its own. The
handler sees the server through :class:`DemoSite`, what it needs of it, so neither module imports the other
both ways.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import secrets
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus
from http.cookies import CookieError, SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

from gazette_tui.demo import content, feeds, media, pages
from gazette_tui.demo.account import DEMO_EMAIL, DEMO_PASSWORD, EMAIL_PATTERN, SESSION_COOKIE
from gazette_tui.demo.content import DOSSIERS_BY_SLUG, RUBRIQUES_BY_SLUG, DemoArticle

_ARTICLE_PATH = re.compile(r"^/([a-z0-9-]+)/(\d+)(?:/([a-z0-9-]*))?/?$")
_FEED_PATH = re.compile(r"^/(?:(rubriques|dossiers)/([a-z0-9-]+)/)?feed/?(json)?/?$")
_MAX_FORM = 64 * 1024
IDENTITY_PATH = "/.well-known/gazette-tui-demo"
"""Answers :data:`IDENTITY`: how ``gazette-tui login demo`` tells the demo site from other local servers."""
IDENTITY = b'{"site": "gazette-tui demo"}'


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """A request as the server saw it; headers are keyed in lower case."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class DemoSite(Protocol):
    """What a request handler uses of the site (:class:`gazette_tui.demo.server.DemoServer` is one)."""

    host: str
    accounts: dict[str, str]
    faults: dict[str, int]
    requests: deque[RecordedRequest]

    @property
    def port(self) -> int: ...

    @property
    def url(self) -> str: ...

    @property
    def articles(self) -> tuple[DemoArticle, ...]: ...

    def start_session(self, email: str) -> str: ...

    def session_user(self, token: str | None) -> str | None: ...

    def end_session(self, token: str | None) -> None: ...

    def cached(self, key: tuple[str, str], build: Callable[[], str]) -> bytes: ...


class DemoHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    demo: DemoSite

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hanging up mid-response are normal in tests; stay quiet."""


def _last_modified(items: list[DemoArticle]) -> datetime:
    stamps = [a.updated or a.published for a in items]
    return max(stamps) if stamps else content.EDITION_DATE


class DemoHandler(BaseHTTPRequestHandler):
    server: DemoHTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "GazetteDemo/1.0"
    timeout = 30

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the TUI and tests share the terminal."""

    # --- plumbing --------------------------------------------------------------------------------

    @property
    def demo(self) -> DemoSite:
        return self.server.demo

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_HEAD(self) -> None:
        self._dispatch("HEAD")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def _dispatch(self, method: str) -> None:
        body = b""
        if method == "POST":
            length = int(self.headers.get("Content-Length") or 0)
            if length > _MAX_FORM:
                self._send(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, b"Formulaire trop long", "text/plain")
                return
            body = self.rfile.read(length)
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.demo.requests.append(RecordedRequest(method, self.path, headers, body))
        parts = urlsplit(self.path)
        self._query = parse_qs(parts.query)
        self._head_only = method == "HEAD"
        fault = self.demo.faults.get(parts.path)
        if fault is not None:
            self._send(fault, f"Erreur simulée {fault}".encode(), "text/plain; charset=utf-8")
            return
        if method == "POST":
            self._post(parts.path, parse_qs(body.decode("utf-8", "replace")))
        else:
            self._get(parts.path)

    def _param(self, name: str, source: dict[str, list[str]] | None = None) -> str:
        values = (source if source is not None else self._query).get(name) or [""]
        return values[0]

    def _cookie(self) -> str | None:
        raw = self.headers.get("Cookie")
        if not raw:
            return None
        try:
            jar = SimpleCookie(raw)
        except CookieError:
            return None
        morsel = jar.get(SESSION_COOKIE)
        return morsel.value if morsel else None

    def _user(self) -> str | None:
        return self.demo.session_user(self._cookie())

    def _send(
        self,
        status: int,
        data: bytes,
        content_type: str,
        headers: dict[str, str] | None = None,
        validators: tuple[str, datetime] | None = None,
    ) -> None:
        extra = dict(headers or {})
        if validators is not None:
            etag, modified = validators
            extra["ETag"] = etag
            extra["Last-Modified"] = format_datetime(modified.astimezone(UTC), usegmt=True)
            extra["Cache-Control"] = "max-age=0, must-revalidate"
            if self._not_modified(etag, modified):
                self.send_response(HTTPStatus.NOT_MODIFIED)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.end_headers()
                return
        if content_type.startswith(("text/", "application/")) and len(data) > 512:
            extra["Vary"] = "Accept-Encoding"
            if "gzip" in (self.headers.get("Accept-Encoding") or "").lower():
                data = gzip.compress(data, compresslevel=5, mtime=0)
                extra["Content-Encoding"] = "gzip"
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        if not self._head_only:
            self.wfile.write(data)

    def _not_modified(self, etag: str, modified: datetime) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            # Weak comparison (RFC 9110 §13.1.2): W/ prefixes do not matter for GET.
            tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
            return "*" in tags or etag.removeprefix("W/") in tags
        ims = self.headers.get("If-Modified-Since")
        if ims:
            try:
                since = parsedate_to_datetime(ims)
            except (TypeError, ValueError, IndexError):
                return False
            if since.tzinfo is None:
                since = since.replace(tzinfo=UTC)
            return int(modified.timestamp()) <= int(since.timestamp())
        return False

    def _html(self, page: str, status: int = HTTPStatus.OK, headers: dict[str, str] | None = None) -> None:
        self._send(status, page.encode("utf-8"), "text/html; charset=utf-8", headers)

    def _redirect(self, location: str, status: int = HTTPStatus.SEE_OTHER, cookie: str | None = None) -> None:
        headers = {"Location": location}
        if cookie:
            headers["Set-Cookie"] = cookie
        self._send(status, b"", "text/plain; charset=utf-8", headers)

    def _not_found(self) -> None:
        page = pages.simple_page("Page introuvable", "Cette page n’existe pas ou plus.", user=self._user())
        self._html(page, HTTPStatus.NOT_FOUND)

    def _local_target(self, target: str) -> str:
        """Where to go after login: a path on this site only (no open redirect through the login form)."""
        parts = urlsplit(target)
        if (parts.scheme or parts.netloc) and parts.netloc != f"{self.demo.host}:{self.demo.port}":
            return "/"
        path = parts.path or "/"
        if not path.startswith("/") or path.startswith("//"):
            return "/"
        return path + (f"?{parts.query}" if parts.query else "")

    # --- GET -------------------------------------------------------------------------------------

    def _get(self, path: str) -> None:
        simple: dict[str, Callable[[], None]] = {
            "/": self._home,
            "/feeds.opml": self._opml,
            "/connexion/": lambda: self._html(
                pages.login_page(
                    redirect=self._local_target(self._param("redirect") or "/"), user=self._user()
                )
            ),
            "/connexion/mot-de-passe-oublie/": lambda: self._html(pages.reset_page(user=self._user())),
            "/inscription/": lambda: self._html(pages.signup_page(user=self._user())),
            "/deconnexion/": self._logout,
            "/go": self._go,
            "/static/gazette.css": self._css,
            "/mentions-legales/": lambda: self._html(
                pages.simple_page("Mentions légales", "Site fictif de démonstration, sans éditeur réel.")
            ),
            "/robots.txt": lambda: self._send(200, b"User-agent: *\nAllow: /\n", "text/plain; charset=utf-8"),
            IDENTITY_PATH: lambda: self._send(200, IDENTITY, "application/json"),
        }
        if path in simple:
            simple[path]()
            return
        feed = _FEED_PATH.match(path)
        if feed:
            self._feed(path, feed.group(1), feed.group(2), feed.group(3))
            return
        if path.startswith("/medias/") and path.rsplit("/", 1)[1] in media.MEDIA:
            self._media(media.MEDIA[path.rsplit("/", 1)[1]])
            return
        if path.startswith("/medias/") and path.endswith(".svg"):
            svg = pages.placeholder_svg(path.rsplit("/", 1)[1])
            self._send(200, svg.encode("utf-8"), "image/svg+xml")
            return
        listing = re.match(r"^/(rubriques|dossiers)/([a-z0-9-]+)/?$", path)
        if listing:
            self._listing(listing.group(1), listing.group(2))
            return
        article = _ARTICLE_PATH.match(path)
        if article:
            self._article(article.group(1), int(article.group(2)))
            return
        self._not_found()

    def _media(self, found: media.DemoMedia) -> None:
        """An attachment, whole or from a byte (``Range: bytes=N-``, ``If-Range`` on its ETag): what a
        download that was cut asks for."""
        data = media.media_bytes(found.name) or b""
        etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'
        headers = {"ETag": etag, "Accept-Ranges": "bytes", "Last-Modified": "Fri, 20 Nov 2026 06:45:00 GMT"}
        wanted = re.fullmatch(r"bytes=(\d{1,18})-", (self.headers.get("Range") or "").strip())
        if_range = self.headers.get("If-Range")
        status = 200
        if wanted and (if_range is None or if_range.strip() == etag):
            start = int(wanted.group(1))
            if start >= len(data):
                headers["Content-Range"] = f"bytes */{len(data)}"
                data, status = b"", 416
            else:
                headers["Content-Range"] = f"bytes {start}-{len(data) - 1}/{len(data)}"
                data, status = data[start:], 206
        # Never compressed (unlike the pages): a range counts the file's own bytes.
        self.send_response(status)
        self.send_header("Content-Type", found.content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if not self._head_only:
            self.wfile.write(data)

    def _home(self) -> None:
        items = self.demo.articles[:20]
        self._html(
            pages.listing_page(
                content.SITE_TITLE, content.SITE_TAGLINE, items, user=self._user(), feed="/feed/"
            )
        )

    def _listing(self, kind: str, slug: str) -> None:
        entry = RUBRIQUES_BY_SLUG.get(slug) if kind == "rubriques" else DOSSIERS_BY_SLUG.get(slug)
        if entry is None:
            self._not_found()
            return
        spec = next(s for s in feeds.feed_specs() if s.path == f"/{kind}/{slug}/feed/")
        items = [a for a in self.demo.articles if spec.select(a)]
        title = entry.title if kind == "rubriques" else f"Dossier : {entry.title}"
        self._html(pages.listing_page(title, entry.description, items, user=self._user(), feed=spec.path))

    def _feed(self, path: str, kind: str | None, slug: str | None, json_suffix: str | None) -> None:
        wanted = f"/{kind}/{slug}/feed/" if kind else "/feed/"
        spec = next((s for s in feeds.feed_specs() if s.path == wanted), None)
        if spec is None:
            self._not_found()
            return
        fmt = "json" if json_suffix else (self._param("format") or "rss")
        if fmt not in ("rss", "atom", "json"):
            fmt = "rss"
        items = [a for a in self.demo.articles if spec.select(a)]
        modified = _last_modified(items)
        base = self.demo.url

        def build() -> str:
            if fmt == "atom":
                return feeds.atom(spec, items, base, modified)
            if fmt == "json":
                return feeds.json_feed(spec, items, base)
            return feeds.rss(spec, items, base, modified)

        data = self.demo.cached((wanted, fmt), build)
        types = {
            "rss": "application/rss+xml; charset=utf-8",
            "atom": "application/atom+xml; charset=utf-8",
            "json": "application/feed+json; charset=utf-8",
        }
        etag = 'W/"' + hashlib.sha1(data, usedforsecurity=False).hexdigest()[:20] + '"'
        self._send(200, data, types[fmt], validators=(etag, modified))

    def _opml(self) -> None:
        modified = _last_modified(list(self.demo.articles))
        data = self.demo.cached(("opml", ""), lambda: feeds.opml(feeds.feed_specs(), self.demo.url, modified))
        etag = 'W/"' + hashlib.sha1(data, usedforsecurity=False).hexdigest()[:20] + '"'
        self._send(200, data, "text/x-opml; charset=utf-8", validators=(etag, modified))

    def _article(self, rubrique: str, article_id: int) -> None:
        articles = self.demo.articles
        article = next((a for a in articles if a.id == article_id and a.rubrique == rubrique), None)
        if article is None:
            self._not_found()
            return
        user = self._user()
        full = not article.reserved or user is not None
        body = article.body_html(self.demo.url) if full else ""
        self._html(pages.article_page(article, body, full=full, user=user, others=articles))

    def _logout(self) -> None:
        self.demo.end_session(self._cookie())
        expired = f"{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"
        self._redirect("/", cookie=expired)

    def _go(self) -> None:
        target = self._param("to")
        if not target:
            self._send(HTTPStatus.BAD_REQUEST, b"Parametre to manquant", "text/plain; charset=utf-8")
            return
        self._redirect(target, HTTPStatus.FOUND)

    def _css(self) -> None:
        css = resources.files("gazette_tui.demo").joinpath("gazette.css").read_bytes()
        self._send(200, css, "text/css; charset=utf-8")

    # --- POST ------------------------------------------------------------------------------------

    def _post(self, path: str, form: dict[str, list[str]]) -> None:
        email = self._param("login", form).strip()
        if path == "/svc.php/user/index":
            self._post_login(email, self._param("password", form), self._param("redirect", form) or "/")
        elif path == "/svc.php/user/reset":
            valid = bool(EMAIL_PATTERN.match(email))
            message = pages.RESET_SENT if valid else pages.EMAIL_INVALID
            self._html(pages.reset_page(message=message, user=self._user()))
        elif path == "/svc.php/user/register":
            text = f"{pages.SIGNUP_CLOSED} Compte de démonstration : {DEMO_EMAIL} / {DEMO_PASSWORD}"
            self._html(pages.signup_page(message=text, user=self._user()))
        else:
            self._not_found()

    def _post_login(self, email: str, password: str, redirect: str) -> None:
        target = self._local_target(redirect)
        if not EMAIL_PATTERN.match(email):
            page = pages.login_page(message=pages.EMAIL_INVALID, email=email, redirect=target)
            self._html(page)
            return
        expected = self.demo.accounts.get(email.lower())
        if expected is None or not secrets.compare_digest(expected.encode(), password.encode()):
            self._html(pages.login_page(message=pages.LOGIN_FAILED, email=email, redirect=target))
            return
        token = self.demo.start_session(email.lower())
        cookie = f"{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax"
        self._redirect(target, cookie=cookie)
