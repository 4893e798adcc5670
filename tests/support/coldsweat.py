"""A real Fever server for the sync tests: coldsweat 0.10.2, in its own venv (``.ci/coldsweat.sh`` makes it
and prints the program's path; ``.ci/run`` exports it as ``COLDSWEAT``).

Each test gets a fresh server: its own SQLite file under ``tmp_path``, one user, feeds in groups served
by the suite's loopback server (:class:`support.servers.FileServer`), each with an Atom ``<icon>`` on
loopback: without one, coldsweat asks an outside favicon service for the site's icon. Nothing may leave
this machine, and the fixture proves it: coldsweat runs with every proxy variable pointing at a
:class:`ProxyTrap` on loopback, and ``NO_PROXY`` naming only loopback, so any request to another host
would reach the trap, which records it; the test fails if it recorded anything. A missing venv fails the
test (never a skip) with a sentence that names ``.ci/coldsweat.sh``.

coldsweat fetches a feed at most every three minutes; :meth:`Coldsweat.fetch` clears its last-checked
times first, so a test can publish new items and have them on the server at once.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import sqlite3
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path
from typing import Any

import pytest

from support.hostile import HostileServer, send
from support.servers import FileServer, ServedFile

INSTALL_SCRIPT = ".ci/coldsweat.sh"
DEFAULT_VENV = Path.home() / ".cache" / "gazette-tui-ci" / "coldsweat"
EMAIL = "lecteur@exemple.test"
PASSWORD = "mot-de-passe-essai"
START_TIMEOUT = 30.0
BASE_DATE = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
"""Item n of a feed is dated n × 10 minutes after this: the same date whenever the feed grows."""
# A 1×1 transparent PNG: the feeds' icon.
ICON = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)

SUBJECTS = [
    ("Le conseil municipal vote le budget primitif", "Les élus ont adopté le budget par 23 voix contre 6."),
    ("La communauté de communes reprend l’eau", "Le transfert de compétence aura lieu au 1er janvier."),
    ("Télétravail des agents territoriaux", "Un premier bilan après deux ans d’expérimentation."),
    ("Zéro artificialisation nette", "Les maires demandent un calendrier plus souple."),
    ("Un budget participatif à Villeneuve", "Les habitants ont retenu douze projets de quartier."),
]


def coldsweat_program() -> Path:
    """The coldsweat program (``COLDSWEAT``, or the default venv's); fails the test when it is missing."""
    given = os.environ.get("COLDSWEAT", "")
    venv = Path(os.environ.get("COLDSWEAT_VENV", "") or DEFAULT_VENV)
    program = Path(given) if given else venv / "bin" / "coldsweat"
    if not (program.is_file() and os.access(program, os.X_OK)):
        pytest.fail(
            f"coldsweat is not installed at {program}: the sync tests need a real Fever server. Run "
            f"{INSTALL_SCRIPT} (it makes the venv and prints the path), then export COLDSWEAT=<that path>.",
            pytrace=False,
        )
    return program


def fever_key(email: str = EMAIL, password: str = PASSWORD) -> str:
    return hashlib.md5(f"{email}:{password}".encode(), usedforsecurity=False).hexdigest()


def posted_reply(data: bytes) -> Callable[[socket.socket, HostileServer], None]:
    """A :class:`~support.hostile.HostileServer` route for a client that POSTs (Fever clients do): send
    ``data`` and let the client read all of it. The raw server never reads a request's body, and closing
    a socket with unread bytes resets the connection, which the client would see as a ReadError."""

    def handler(conn: socket.socket, server: HostileServer) -> None:
        send(data)(conn, server)
        conn.shutdown(socket.SHUT_WR)
        with contextlib.suppress(OSError):
            while conn.recv(65536):
                pass

    return handler


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ProxyTrap:
    """A TCP listener on loopback that stands for every proxy: it records the first line of each
    connection (``CONNECT icons.duckduckgo.com:443 …``) and hangs up. A request to any host but loopback
    comes here, since the server's environment names it as the proxy for everything else."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self._socket.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._socket.getsockname()[1]}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except OSError:
                continue
            with connection:
                connection.settimeout(2)
                try:
                    first = connection.recv(4096).split(b"\r\n", 1)[0]
                except OSError:
                    first = b""
                self.seen.append(first.decode("latin-1") or "(a connection, nothing sent)")
                with contextlib.suppress(OSError):
                    connection.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")

    def __enter__(self) -> ProxyTrap:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(5)
        self._socket.close()


@dataclass
class FeedSpec:
    """One feed of the test site: its slug (path), title, group and how many items it carries."""

    slug: str
    title: str
    group: str
    items: int
    first: int = 0
    """Number of the oldest item it carries (items are numbered per feed)."""
    icon: bool = True
    """With an Atom ``<icon>`` on loopback. Without one coldsweat asks an outside service: only the test
    that proves :class:`ProxyTrap` catches it leaves it out."""


DEFAULT_FEEDS = (
    FeedSpec("finances", "Finances locales", "Finances", 60),
    FeedSpec("urbanisme", "Urbanisme et territoires", "Territoires", 40),
    FeedSpec("rh", "Ressources humaines", "Territoires", 20),
)
"""120 items in all: three pages of ``since_id`` (50, 50, 20)."""


def entry_guid(slug: str, number: int) -> str:
    return f"urn:gazette-test:{slug}:{number}"


def item_date(number: int) -> datetime:
    return BASE_DATE + timedelta(minutes=10 * number)


def atom_feed(site: str, spec: FeedSpec) -> bytes:
    """The feed's Atom document, newest first."""
    entries = []
    for number in reversed(range(spec.first, spec.first + spec.items)):
        title, summary = SUBJECTS[number % len(SUBJECTS)]
        date = item_date(number).isoformat()
        entries.append(
            f"<entry><title>{escape(title)} (n° {number})</title>"
            f"<id>{entry_guid(spec.slug, number)}</id>"
            f"<link rel='alternate' href='{site}/{spec.slug}/{number}'/>"
            f"<updated>{date}</updated><author><name>Camille Durand</name></author>"
            f"<content type='html'>{escape(f'<p>{summary}</p><p>Article {number}.</p>')}</content></entry>"
        )
    return (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
        f"<title>{escape(spec.title)}</title><id>urn:gazette-test:{spec.slug}</id>"
        f"<link rel='alternate' href='{site}/{spec.slug}/'/>"
        f"<link rel='self' href='{site}/{spec.slug}.xml'/>"
        + (f"<icon>{site}/icons/{spec.slug}.png</icon>" if spec.icon else "")
        + f"<updated>{BASE_DATE.isoformat()}</updated>{''.join(entries)}</feed>"
    ).encode()


def opml(site: str, specs: Sequence[FeedSpec]) -> str:
    groups: dict[str, list[FeedSpec]] = {}
    for spec in specs:
        groups.setdefault(spec.group, []).append(spec)
    body = "".join(
        f'<outline text="{escape(group)}" title="{escape(group)}">'
        + "".join(
            f'<outline type="rss" text="{escape(s.title)}" xmlUrl="{site}/{s.slug}.xml"/>' for s in members
        )
        + "</outline>"
        for group, members in groups.items()
    )
    head = '<?xml version="1.0"?><opml version="1.0"><head><title>Essai</title></head>'
    return f"{head}<body>{body}</body></opml>"


@dataclass
class Coldsweat:
    """One running coldsweat with one user (:data:`EMAIL`, :data:`PASSWORD`) and its feed site."""

    root: Path
    program: Path
    site: FileServer
    trap: ProxyTrap
    feeds: dict[str, FeedSpec] = field(default_factory=dict)
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The Fever endpoint, as a user would give it."""
        return f"http://127.0.0.1:{self.port}/fever/"

    @property
    def database(self) -> Path:
        return self.root / "coldsweat.db"

    def env(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.lower().endswith("_proxy") and not key.startswith(("FLASK_", "COLDSWEAT"))
        }
        for name in ("http_proxy", "https_proxy", "all_proxy"):
            env[name] = env[name.upper()] = self.trap.url
        env["no_proxy"] = env["NO_PROXY"] = "127.0.0.1,localhost,::1"
        env.update(
            FLASK_DATABASE_URL=f"sqlite:///{self.database}",
            FLASK_SECRET_KEY="test-only",
            HOME=str(self.root),
            PYTHONDONTWRITEBYTECODE="1",
        )
        return env

    def command(self, *args: str) -> str:
        """Run ``coldsweat ARGS`` against this server's database; its output. Fails the test on an error."""
        done = subprocess.run(
            [str(self.program), *args],
            env=self.env(),
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if done.returncode != 0:
            pytest.fail(f"coldsweat {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
        return done.stdout + done.stderr

    def rows(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        """Read coldsweat's own database (what it really holds, not what its API says)."""
        with contextlib.closing(sqlite3.connect(self.database, timeout=10)) as db:
            return db.execute(sql, params).fetchall()

    def _publish(self, spec: FeedSpec) -> None:
        self.feeds[spec.slug] = spec
        site = self.site.url("")
        self.site.files[f"/{spec.slug}.xml"] = ServedFile(
            atom_feed(site, spec), content_type="application/atom+xml", etag=f'"{spec.first}-{spec.items}"'
        )
        self.site.files[f"/icons/{spec.slug}.png"] = ServedFile(ICON, content_type="image/png")

    def subscribe(self, specs: Sequence[FeedSpec]) -> None:
        """Serve these feeds and subscribe the user to them, fetched at once (an OPML import)."""
        for spec in specs:
            self._publish(spec)
        name = f"subs-{len(list(self.root.glob('subs-*.opml')))}.opml"
        (self.root / name).write_text(opml(self.site.url(""), specs), encoding="utf-8")
        self.command("import", name, EMAIL, "--fetch")
        for spec in (s for s in specs if s.icon):
            icon = f"/icons/{spec.slug}.png"
            assert any(path == icon for path, _ in self.site.requests), f"coldsweat did not fetch {icon}"
        self.check_loopback_only()

    def publish(self, slug: str, more: int) -> None:
        """Add ``more`` newer items to a feed and have the server fetch them."""
        spec = self.feeds[slug]
        self._publish(FeedSpec(spec.slug, spec.title, spec.group, spec.items + more, spec.first))
        self.fetch()

    def fetch(self) -> None:
        """Fetch every feed now (coldsweat skips a feed checked less than three minutes ago)."""
        with contextlib.closing(sqlite3.connect(self.database, timeout=10)) as db, db:
            db.execute("UPDATE feeds SET last_checked_on = NULL, last_updated_on = NULL")
        self.command("fetch")
        self.check_loopback_only()

    def check_loopback_only(self) -> None:
        assert self.trap.seen == [], f"coldsweat tried to reach beyond loopback: {self.trap.seen}"

    # -- the server process ---------------------------------------------------------------------------

    def start(self) -> None:
        """Start (or restart, on the same port) the web server; returns once it answers."""
        assert self.process is None
        self.port = self.port or free_port()
        log = (self.root / "server.log").open("ab")
        self.process = subprocess.Popen(
            [str(self.program), "run", "-h", "127.0.0.1", "-p", str(self.port)],
            env=self.env(),
            cwd=self.root,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                self.fever()
                return
            except OSError:
                time.sleep(0.1)
        output = (self.root / "server.log").read_text(errors="replace")[-3000:]
        self.stop()
        pytest.fail(f"coldsweat did not start on port {self.port}:\n{output}")

    def stop(self) -> None:
        """Stop the web server (the database stays): "the server is down"."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        self.process = None

    # -- another device on the same account: the raw API ---------------------------------------------

    def fever(self, *commands: str, **form: str | int) -> dict[str, Any]:
        """One Fever call, as another client of the account would make it (a phone)."""
        query = "&".join(["api", *commands])
        data = {"api_key": fever_key(), **{k: str(v) for k, v in form.items()}}
        body = "&".join(f"{k}={urllib.parse.quote(v)}" for k, v in data.items()).encode()
        request = urllib.request.Request(f"{self.url}?{query}", data=body, method="POST")
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request, timeout=10) as answer:
            result: dict[str, Any] = json.loads(answer.read())
        return result

    def mark(self, item_id: str | int, state: str) -> None:
        """Another device marks an item ``read``, ``unread``, ``saved`` or ``unsaved``."""
        self.fever(mark="item", id=item_id, **{"as": state})

    def unread(self) -> set[str]:
        value = self.fever("unread_item_ids")["unread_item_ids"]
        return {i for i in str(value).split(",") if i}

    def saved(self) -> set[str]:
        value = self.fever("saved_item_ids")["saved_item_ids"]
        return {i for i in str(value).split(",") if i}

    def item_id(self, slug: str, number: int) -> str:
        """The server's id of item ``number`` of a feed (ids follow the order coldsweat read them in:
        a feed's newest item first)."""
        rows = self.rows("SELECT id FROM entries WHERE guid = ?", entry_guid(slug, number))
        assert rows, f"item {number} of {slug} is not on the server"
        return str(rows[0][0])

    def item_ids(self, slug: str | None = None) -> list[str]:
        """The server's entry ids, oldest first (of one feed when ``slug`` is given)."""
        if slug is None:
            rows = self.rows("SELECT id FROM entries ORDER BY id")
        else:
            url = self.site.url(f"/{slug}.xml")
            rows = self.rows(
                "SELECT e.id FROM entries e JOIN feeds f ON f.id = e.feed_id WHERE f.self_link = ? "
                "ORDER BY e.id",
                url,
            )
        return [str(row[0]) for row in rows]


@contextlib.contextmanager
def running_coldsweat(root: Path, feeds: Sequence[FeedSpec] = DEFAULT_FEEDS) -> Iterator[Coldsweat]:
    """A fresh coldsweat under ``root`` with :data:`EMAIL` subscribed to ``feeds``, serving; stopped after,
    and checked to have sent nothing beyond loopback."""
    program = coldsweat_program()
    instance = program.parent.parent / "var" / "coldsweat-instance" / "config.toml"
    assert not instance.exists(), f"{instance} would override the test's database: remove it"
    root.mkdir(parents=True, exist_ok=True)
    with FileServer() as site, ProxyTrap() as trap:
        server = Coldsweat(root, program, site, trap)
        try:
            server.command("setup", EMAIL, "-p", PASSWORD, "-n", "Lecteur d’essai")
            server.subscribe(feeds)
            server.start()
            yield server
        finally:
            server.stop()
        server.check_loopback_only()
