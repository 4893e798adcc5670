"""No proxy from the environment, ever; the user's own proxy (``refresh.proxy``) for the world, never for this
machine. Against a real "proxy" on 127.0.0.1 that records every byte it is sent, the demo site, and a TLS
server with its own certificate (verification must keep working with ``trust_env`` off)."""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from support.accounts import TEST_EMAIL, TEST_PASSWORD, MemoryKeyring, secret_forms
from support.french import typo
from support.hostile import HostileServer, response, self_signed_context, send

from gazette_tui.core.accounts.accounts import Accounts
from gazette_tui.core.accounts.fulltext import fetch_fulltexts
from gazette_tui.core.feeds.fetch import Fetcher, FetchFailure, TransportError, make_http_client
from gazette_tui.core.feeds.refresh import refresh_feeds
from gazette_tui.core.settings import Settings
from gazette_tui.core.storage.store import Store
from gazette_tui.demo import DemoServer
from gazette_tui.errors import GazetteError

LOGIN_PATH = "/svc.php/user/index"
ELSEWHERE = "http://feeds.example.test/une/"
"""A host no resolver knows: only a proxy can answer for it (the recording proxy does)."""

RSS = (
    b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Par le proxy</title>'
    b"<link>http://feeds.example.test/</link><item><title>Venu par le proxy</title>"
    b"<link>http://feeds.example.test/1</link><guid>p-1</guid></item></channel></rss>"
)


class RecordingProxy:
    """A forward proxy that proxies nothing: it records each request's raw bytes (head and body), answers
    an absolute-form GET with a small feed, and refuses CONNECT (an https tunnel is recorded, not opened)."""

    def __init__(self) -> None:
        self.log: list[bytes] = []
        self._lock = threading.Lock()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.stopping = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            data = b""
            try:
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                head, _, body = data.partition(b"\r\n\r\n")
                length = next(
                    (
                        int(line.split(b":", 1)[1])
                        for line in head.split(b"\r\n")
                        if line.lower().startswith(b"content-length:")
                    ),
                    0,
                )
                while len(body) < length:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    body += chunk
                with self._lock:
                    self.log.append(head + b"\r\n\r\n" + body)
                if head.startswith(b"CONNECT "):
                    conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                else:
                    conn.sendall(response(RSS))
            except OSError:
                pass

    def heard(self) -> bytes:
        with self._lock:
            return b"\n".join(self.log)

    def close(self) -> None:
        self.stopping.set()
        self.sock.close()
        self._thread.join(2)


@pytest.fixture
def proxy() -> Iterator[RecordingProxy]:
    server = RecordingProxy()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def env_proxy(proxy: RecordingProxy, monkeypatch: pytest.MonkeyPatch) -> RecordingProxy:
    """Every proxy variable curl, urllib or httpx read, pointing at the recording proxy; no NO_PROXY."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.setenv(name, proxy.url)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    return proxy


async def test_the_recording_proxy_is_real(env_proxy: RecordingProxy) -> None:
    """The control: a client that trusts the environment (httpx's default, 0.1.0's) does go through it, for
    loopback too, and the proxy hears the form in clear. The tests below are worth something."""
    async with httpx.AsyncClient() as client:
        answer = await client.post("http://127.0.0.1:9/svc.php/user/index", data={"password": TEST_PASSWORD})
    assert answer.status_code == 200
    assert TEST_PASSWORD.encode() in env_proxy.heard()


async def test_a_login_over_http_never_reaches_a_proxy_from_the_environment(
    env_proxy: RecordingProxy,
    demo: DemoServer,
    store: Store,
    settings: Settings,
    memory_keyring: MemoryKeyring,
) -> None:
    accounts = Accounts(store)
    result = await accounts.login("demo", TEST_EMAIL, TEST_PASSWORD, site_url=demo.url)
    assert result.remembered
    assert any(r.method == "POST" and r.path == LOGIN_PATH for r in demo.requests)  # the site had it
    # The full texts (the session cookie) and the feeds go direct too.
    url, title, folder = demo.feed_list()[0]
    store.add_feeds([(url, title, folder)])
    assert (await refresh_feeds(store, settings)).ok == 1
    report = await fetch_fulltexts(store, settings, accounts=accounts, limit=2, pause=0)
    assert report.fetched == 2
    await accounts.reset("demo", TEST_EMAIL)
    assert env_proxy.log == []
    heard = env_proxy.heard()
    assert not any(form in heard for form in secret_forms(TEST_PASSWORD))


async def test_no_proxy_from_the_environment_for_the_world_either(
    env_proxy: RecordingProxy, store: Store, settings: Settings
) -> None:
    """A host only the proxy could reach fails as unreachable: HTTP_PROXY was not used."""
    store.add_feed(ELSEWHERE)
    report = await refresh_feeds(store, settings)
    assert report.failed == 1
    assert report.errors[0][1] in ("Hôte introuvable", "Connexion impossible")
    assert env_proxy.log == []


async def test_the_proxy_of_the_settings_carries_the_feeds(
    proxy: RecordingProxy, store: Store, settings: Settings
) -> None:
    settings.refresh.proxy = proxy.url
    feed = store.add_feed(ELSEWHERE)
    report = await refresh_feeds(store, settings)
    assert (report.ok, report.new) == (1, 1), report.errors
    assert [a.title for a in store.article_rows(store.article_ids())] == ["Venu par le proxy"]
    assert proxy.heard().startswith(b"GET http://feeds.example.test/une/ HTTP/1.1\r\n")
    assert store.feed(feed.url) is not None


async def test_the_proxy_of_the_settings_never_sees_this_machine(
    proxy: RecordingProxy, demo: DemoServer, store: Store, settings: Settings, memory_keyring: MemoryKeyring
) -> None:
    """Loopback goes direct even with ``refresh.proxy`` set: a plain-http login never leaves the host."""
    settings.refresh.proxy = proxy.url
    accounts = Accounts(store, proxy=settings.refresh.proxy)
    await accounts.login("demo", TEST_EMAIL, TEST_PASSWORD, site_url=demo.url)
    url, title, folder = demo.feed_list()[0]
    store.add_feeds([(url, title, folder)])
    assert (await refresh_feeds(store, settings)).ok == 1
    assert (await fetch_fulltexts(store, settings, accounts=accounts, limit=1, pause=0)).fetched == 1
    assert proxy.log == []


async def test_https_goes_through_the_proxy_as_a_tunnel(proxy: RecordingProxy, settings: Settings) -> None:
    """For https the proxy is asked for a tunnel (CONNECT host:port) and sees nothing else."""
    settings.refresh.proxy = proxy.url
    async with Fetcher(settings.refresh) as fetcher:
        with pytest.raises(FetchFailure):
            await fetcher.fetch("https://feeds.example.test/une/")
    assert proxy.heard().startswith(b"CONNECT feeds.example.test:443 HTTP/1.1\r\n")


@pytest.mark.parametrize(
    "value", ["socks5://127.0.0.1:1080", "proxy.mairie.fr:3128", "http://proxy/chemin", "http://h:99999"]
)
def test_an_unusable_proxy_is_one_sentence(value: str) -> None:
    with pytest.raises(TransportError, match=typo(r"^Proxy inutilisable \(refresh\.proxy\) : .+\.$")):
        make_http_client(timeout=5, max_connections=1, proxy=value)


# --- certificates --------------------------------------------------------------------------------------


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[HostileServer]:
    server = HostileServer(tls=self_signed_context(tmp_path))
    server.routes["/feed"] = send(response(RSS))
    try:
        yield server
    finally:
        server.close()


async def fetch_once(settings: Settings, url: str) -> bytes:
    async with Fetcher(settings.refresh) as fetcher:
        return (await fetcher.fetch(url)).body


async def test_certificates_are_still_checked(tls_server: HostileServer, settings: Settings) -> None:
    with pytest.raises(FetchFailure, match="certificat"):
        await fetch_once(settings, tls_server.url("/feed"))


async def test_ssl_cert_file_is_still_honoured(
    tls_server: HostileServer, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``trust_env=False`` would drop SSL_CERT_FILE (a company's CA): we keep it, and only it."""
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "cert.pem"))
    assert await fetch_once(settings, tls_server.url("/feed")) == RSS
    monkeypatch.delenv("SSL_CERT_FILE")
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path))  # not hashed: no CA found there, refused
    with pytest.raises(FetchFailure, match="certificat"):
        await fetch_once(settings, tls_server.url("/feed"))


def test_an_unreadable_ssl_cert_file_is_one_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "absent.pem"))
    with pytest.raises(GazetteError, match=r"^Certificats illisibles \(SSL_CERT_FILE=.*absent\.pem\)"):
        make_http_client(timeout=5, max_connections=1)


def test_the_default_context_verifies() -> None:
    from gazette_tui.core.feeds.fetch import ssl_context

    context = ssl_context()
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
