"""The demo site's HTTP server: standard library only, on 127.0.0.1, in a daemon thread.

One server serves ``gazette-tui --demo`` (a full paper with no network), ``gazette-tui demo-server`` and the
tests. Tests drive it through a few hooks: :meth:`DemoServer.expire_sessions`, :meth:`DemoServer.publish`,
:meth:`DemoServer.update_article`, :attr:`DemoServer.faults` (answer a path with an error status) and
:attr:`DemoServer.requests` (what clients sent, to check cookies and conditional headers).

Demo account (printed by ``gazette-tui demo-server``): :data:`DEMO_EMAIL` / :data:`DEMO_PASSWORD`.
"""

from __future__ import annotations

import dataclasses
import errno
import secrets
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from gazette_tui.demo import content, feeds
from gazette_tui.demo.account import DEMO_EMAIL, DEMO_PASSWORD, SESSION_COOKIE
from gazette_tui.demo.content import RUBRIQUES_BY_SLUG, DemoArticle
from gazette_tui.demo.discovery import DEMO_PORT, clear_runtime_file, write_runtime_file
from gazette_tui.demo.handler import DemoHandler, DemoHTTPServer, RecordedRequest
from gazette_tui.errors import GazetteError
from gazette_tui.i18n import _

if TYPE_CHECKING:
    from gazette_tui.core.storage.store import Store

__all__ = [
    "DEMO_EMAIL",
    "DEMO_PASSWORD",
    "SESSION_COOKIE",
    "DemoServer",
    "RecordedRequest",
    "feed_list",
    "prepare_profile",
    "run_standalone",
]


def feed_list(base_url: str) -> list[tuple[str, str, str]]:
    """(url, title, folder) of every demo feed, front page first: what the demo profile subscribes to."""
    base = base_url.rstrip("/")
    # The tree shows feeds under their folder: drop the site name and "Dossier :" that the feed's own
    # title carries, or every line starts with the same 30 characters.
    return [
        (base + spec.path, spec.title.split(" — ", 1)[-1].removeprefix("Dossier : "), spec.folder)
        for spec in feeds.feed_specs()
    ]


def prepare_profile(store: Store, base_url: str) -> None:
    """Ready the demo profile for a run of the site at ``base_url`` (what ``--demo`` does before the app
    opens): what an earlier run stored at another port moves here, and every demo feed is subscribed."""
    store.rebase_local_feeds(base_url)
    store.add_feeds(feed_list(base_url))


class DemoServer:
    """The demo news site. ``with DemoServer() as demo: httpx.get(demo.url + "/feed/")``.

    ``port=0`` (tests) takes any free port. With ``fallback``, a ``port`` that is taken is not an error: the
    site takes any free port instead, and :attr:`moved` says so (``--demo`` and ``demo-server`` ask for
    :data:`~gazette_tui.demo.discovery.DEMO_PORT` that way)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, fallback: bool = False) -> None:
        self.host = host
        self._requested_port = port
        self._fallback = fallback
        self.moved = False
        """The port asked for was taken: the site runs on another one (``fallback``)."""
        self._httpd: DemoHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._articles: list[DemoArticle] = list(content.articles())
        self._revision = 0
        self._clock = max(a.published for a in self._articles)
        self._cache: dict[tuple[str, str, int], bytes] = {}
        self._sessions: dict[str, str] = {}
        self.accounts: dict[str, str] = {DEMO_EMAIL: DEMO_PASSWORD}
        """Known logins (lower-case email → password); tests may add their own."""
        self.faults: dict[str, int] = {}
        """Path (without query) → HTTP status to answer instead of the real page, to simulate outages."""
        self.requests: deque[RecordedRequest] = deque(maxlen=2000)

    # --- life cycle ------------------------------------------------------------------------------

    def start(self) -> DemoServer:
        if self._httpd is not None:
            return self
        try:
            httpd = DemoHTTPServer((self.host, self._requested_port), DemoHandler)
        except OSError as error:
            if not (self._fallback and self._requested_port and error.errno == errno.EADDRINUSE):
                raise
            httpd = DemoHTTPServer((self.host, 0), DemoHandler)
            self.moved = True
        httpd.demo = self
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="gazette-demo", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("DemoServer is not started")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """Base URL without a trailing slash, e.g. ``http://127.0.0.1:8123``."""
        return f"http://{self.host}:{self.port}"

    # --- content and test hooks ------------------------------------------------------------------

    @property
    def articles(self) -> tuple[DemoArticle, ...]:
        """Current articles, newest first."""
        with self._lock:
            return tuple(self._articles)

    def feed_list(self) -> list[tuple[str, str, str]]:
        return feed_list(self.url)

    def expire_sessions(self) -> None:
        """Forget every session, as a server does when sessions time out: cookies stop working."""
        with self._lock:
            self._sessions.clear()

    def _tick(self) -> datetime:
        # Strictly increasing, and never before the demo's "today", so feeds' Last-Modified always moves.
        self._clock = max(datetime.now(UTC), self._clock + timedelta(seconds=1))
        return self._clock

    def publish(
        self,
        title: str,
        *,
        rubrique: str = "actualite",
        kicker: str = "Dernière minute",
        author: str = "La rédaction",
        tags: tuple[str, ...] = ("Actualité",),
        lede: str = "Article publié pendant la démonstration.",
        body: str = "## Les faits\n\nTexte de l’article.",
        reserved: bool = False,
    ) -> DemoArticle:
        """Add a new article (newest of all) and return it; feeds change accordingly."""
        if rubrique not in RUBRIQUES_BY_SLUG:
            raise ValueError(f"unknown rubrique {rubrique!r}")
        with self._lock:
            article = DemoArticle(
                id=max(a.id for a in self._articles) + 1,
                key=f"publie-{self._revision + 1}",
                slug=content.slugify(title),
                rubrique=rubrique,
                kicker=kicker,
                title=title,
                author=author,
                published=self._tick(),
                tags=tags,
                lede=lede,
                body_src=body,
                reserved=reserved,
            )
            self._articles.insert(0, article)
            self._changed()
        return article

    def update_article(self, article_id: int, **changes: Any) -> DemoArticle:
        """Change fields of an article in place (``title=…``, ``lede=…``, ``body_src=…``, ``reserved=…``)."""
        with self._lock:
            for index, article in enumerate(self._articles):
                if article.id == article_id:
                    updated = dataclasses.replace(article, updated=self._tick(), **changes)
                    self._articles[index] = updated
                    self._changed()
                    return updated
        raise KeyError(article_id)

    def _changed(self) -> None:
        self._revision += 1
        self._cache.clear()

    # --- sessions --------------------------------------------------------------------------------

    def start_session(self, email: str) -> str:
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._sessions[token] = email
        return token

    def session_user(self, token: str | None) -> str | None:
        if not token:
            return None
        with self._lock:
            return self._sessions.get(token)

    def end_session(self, token: str | None) -> None:
        if token:
            with self._lock:
                self._sessions.pop(token, None)

    # --- rendering with cache --------------------------------------------------------------------

    def cached(self, key: tuple[str, str], build: Callable[[], str]) -> bytes:
        with self._lock:
            revision = self._revision
            hit = self._cache.get((*key, revision))
        if hit is not None:
            return hit
        data = build().encode("utf-8")
        with self._lock:
            if revision == self._revision:
                self._cache[(*key, revision)] = data
        return data


def _stop_on_sigterm(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def run_standalone(port: int | None = None, host: str = "127.0.0.1", runtime_file: Path | None = None) -> int:
    """Serve the demo site until Ctrl-C; what ``gazette-tui demo-server`` runs. Returns an exit code.

    Without ``port`` it asks for :data:`DEMO_PORT` and takes another free port if that one is taken; a
    ``port`` given is that port or an error. While it runs, ``runtime_file`` (if given) says where it is,
    for ``gazette-tui login demo``."""
    asked = DEMO_PORT if port is None else port
    server = DemoServer(host, asked, fallback=port is None)
    try:
        server.start()
    except OSError as error:
        message = _("Could not start the demo site on {address}: {reason}.")
        print(message.format(address=f"{host}:{asked}", reason=error.strerror or error), file=sys.stderr)
        return 1
    base = f"{server.url}/"
    if server.moved:
        message = _("Port {asked} is taken: the demo site runs on port {port} this time.")
        print(message.format(asked=asked, port=server.port), file=sys.stderr, flush=True)
    print(_("Demo site: {url}").format(url=base), flush=True)
    print(_("Its feeds: {url}").format(url=f"{base}feeds.opml"), flush=True)
    account = _("Demo account: {email} / {password}")
    print(account.format(email=DEMO_EMAIL, password=DEMO_PASSWORD), flush=True)
    print(_("To log in to it: {command}").format(command=f"gazette-tui login demo --url {base}"), flush=True)
    subscribe = _("To subscribe to its feeds: {command}")
    print(subscribe.format(command=f"gazette-tui import {base}feeds.opml"), flush=True)
    print(_("Ctrl-C to stop."), flush=True)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop_on_sigterm)  # `kill` stops it as Ctrl-C does, cleaning up
    try:
        if runtime_file is not None:
            try:
                write_runtime_file(runtime_file, base)
            except GazetteError as error:  # the site still runs; login demo will need --url
                print(error, file=sys.stderr, flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        if runtime_file is not None:
            clear_runtime_file(runtime_file)
        server.stop()
    return 0
