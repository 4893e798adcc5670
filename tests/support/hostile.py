"""The hostile corpus: documents and misbehaving servers, generated here, served on 127.0.0.1.

Three parts:
- payloads and feed builders (escape sequences in every field, markup, unsafe links, XML attacks, charsets);
- :class:`HostileServer`, a raw-socket HTTP(S) server, so a case can lie about Content-Length, drip bytes,
  never answer or send header bytes no framework would;
- a driver (``python tests/hostile.py`` with a JSON list of cases on stdin) that refreshes each case in a
  forked child, next to a healthy feed, and reports the child's wall time and peak RSS (``wait4``) with the
  refresh report and every invariant violation found in what was stored and rendered.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import select
import signal
import socket
import ssl
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: tests/ holds support/
from support.feeds import item_xml, rss

# --- what must never reach a screen -------------------------------------------------------------

# Written independently of gazette_tui.text: C0 but tab/newline, DEL, C1, bidi controls, zero-width space
# and marks. Not ZWNJ/ZWJ (U+200C, U+200D): they join letters in Persian and Indic scripts and build emoji
# sequences, move no cursor and hide no text, and the app keeps them (a fuzz run found one in a title).
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)
SAFE_LINK = re.compile(r"^(https?://[^\s]+|mailto:[^\s]+)$", re.IGNORECASE)

ESC = "\x1b"
PAYLOADS = [
    f"{ESC}[2J{ESC}[H",  # clear screen
    f"{ESC}]0;pwned\x07",  # OSC 0: window title
    f"{ESC}]8;;https://evil.test/\x07clic{ESC}]8;;\x07",  # OSC 8: hyperlink
    f"{ESC}]52;c;cm0gLXJmIH4=\x07",  # OSC 52: clipboard
    "\x9b31m",  # C1 CSI
    "\u202egnp.exe\u2066",  # bidi override, isolate
    "nul\x00byte",
    "[@click=app.quit]Quitter[/]",
    "[link=file:///etc/passwd]x[/link]",
    "[bold red]gras[/",
]
SMUGGLED = [
    "&#27;[2J",
    "&#x1b;]52;c;Y2F0IC9ldGMvcGFzc3dk&#7;",
    "&#x9b;31m",
    "&amp;#27;[2J",
    "&#8238;gnp.exe",
    "&#0;",
]
UNSAFE_LINKS = [
    "javascript:alert(document.cookie)",
    " JaVaScRiPt:alert(1)",
    "file:///etc/passwd",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "https://exemple.test/a b;rm -rf ~",
    "https://exemple.test/\x1b[2J",
]
SHELL_LINK = "https://exemple.test/$(touch /tmp/gazette-pwned)`id`;x|y&z"
NASTY = " ".join(PAYLOADS)
NASTY_SMUGGLED = " ".join(SMUGGLED)


def nasty_item(index: int, text: str, *, raw: bool) -> str:
    """An RSS item with ``text`` in every field; ``raw`` leaves it unescaped (illegal XML, for feedparser)."""
    put = (lambda value: value) if raw else escape
    links = [*UNSAFE_LINKS, SHELL_LINK]
    body = "".join(f'<p><a href="{escape(link)}">lien {i}</a> {text}</p>' for i, link in enumerate(links))
    enclosures = "".join(f'<enclosure url="{escape(link)}" type="audio/mpeg" length="1"/>' for link in links)
    return (
        f"<item><title>{put(text)} n° {index}</title><link>{escape(links[index % len(links)])}</link>"
        f"<guid>{put(text)}-{index}</guid><author>{put(text)}</author><dc:creator>{put(text)}</dc:creator>"
        f"<category>{put(text)}</category><pubDate>{put(text)}</pubDate>"
        f"<description>{escape('<p>' + text + '</p>')}</description>"
        f"<content:encoded>{escape(body)}</content:encoded>{enclosures}</item>"
    )


def nasty_rss(text: str, *, raw: bool) -> bytes:
    items = "".join(nasty_item(i, text, raw=raw) for i in range(len(UNSAFE_LINKS) + 1))
    put = (lambda value: value) if raw else escape
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<channel><title>{put(text)}</title><link>javascript:alert(1)</link>{items}</channel></rss>"
    ).encode("utf-8", "surrogatepass")


def nasty_atom(text: str) -> bytes:
    entries = "".join(
        f"<entry><title type='html'>{escape(escape(text))} {i}</title><id>urn:x:{i}</id>"
        f"<link rel='alternate' href='{escape(link)}'/><link rel='enclosure' href='{escape(link)}'/>"
        f"<author><name>{escape(text)}</name></author><category term='{escape(text)}'/>"
        f"<summary type='text'>{escape(text)}</summary>"
        f"<content type='xhtml'><div xmlns='http://www.w3.org/1999/xhtml'><p>{escape(text)}"
        f"<a href='{escape(link)}'>x</a></p></div></content><updated>2026-11-20T10:00:00Z</updated></entry>"
        for i, link in enumerate([*UNSAFE_LINKS, SHELL_LINK])
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
        f"<title type='html'>{escape(text)}</title><id>urn:f</id>{entries}</feed>"
    ).encode()


def nasty_json(text: str) -> bytes:
    items = [
        {
            "id": f"{text}-{i}",
            "url": link,
            "title": text,
            "summary": text,
            "content_html": f"<p>{text}<a href='{escape(link)}'>x</a></p>",
            "authors": [{"name": text}],
            "tags": [text, "[@click=app.quit]"],
            "date_published": text,
            "attachments": [{"url": link, "mime_type": text}],
        }
        for i, link in enumerate([*UNSAFE_LINKS, SHELL_LINK])
    ]
    return json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": text,
            "home_page_url": "file:///",
            "items": items,
        }
    ).encode()


def billion_laughs() -> bytes:
    levels = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">\n' for i in range(1, 10))
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY l0 "lol">\n{levels}]>\n'
        "<rss version='2.0'><channel><title>&l9;</title><item><title>&l9;</title></item></channel></rss>"
    ).encode()


def xxe(path: str = "/etc/passwd") -> bytes:
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY x SYSTEM "file://{path}">\n]>\n'
        "<rss version='2.0'><channel><title>&x;</title><item><title>&x;</title>"
        "<description>&x;</description></item></channel></rss>"
    ).encode()


def one_entity_many_refs(size: int = 260_000) -> bytes:
    """The measured case: an ordinary-looking entity referenced thousands of times, in a broken document so
    that feedparser's strict parser stops and its loose one (which expands "safe" entities) takes over."""
    value = "Conseil municipal " * 50
    refs = "&e;" * ((size - 2000) // 3)
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY e "{value}">\n]>\n'
        f"<rss version='2.0'><channel><title>x</title><item><title>{refs}</title></item>"
    ).encode()


def entity_after_padding() -> bytes:
    """The declaration after 100 KB of comment, past any "look at the head only" check."""
    return b'<?xml version="1.0"?>\n<!--' + b"x" * 100_000 + b"-->\n" + one_entity_many_refs(60_000)[22:]


def entity_utf16() -> bytes:
    return (
        one_entity_many_refs(60_000)
        .decode()
        .replace('version="1.0"', 'version="1.0" encoding="utf-16"', 1)
        .encode("utf-16")
    )


def long_author(size: int = 300_000) -> bytes:
    """feedparser's e-mail regex is quadratic: 300 KB of address-like characters in every author field of a
    broken document (broken so that feedparser reads it)."""
    who = "jean.dupont" * (size // 11)
    item = item_xml(1).replace("<dc:creator>Camille Durand</dc:creator>", f"<author>{who}</author>")
    doc = rss([item, item_xml(2).replace("Camille Durand", who)]).replace(
        b"<channel>", f"<channel><managingEditor>{who}</managingEditor><webMaster>{who}</webMaster>".encode()
    )
    return doc.replace(b"</channel></rss>", b"<item><title>coup")


def deep_json(depth: int = 200_000) -> bytes:
    return b'{"version":"https://jsonfeed.org/version/1.1","items":[' + b"[" * depth + b"]" * depth + b"]}"


def deep_html_json(depth: int = 100_000) -> bytes:
    body = "<div>" * depth + "Fond" + "</div>" * depth
    return json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "Profond",
            "items": [
                {"id": "1", "title": "Imbrication", "content_html": body, "url": "https://exemple.test/p"}
            ],
        }
    ).encode()


def deep_xml(depth: int = 100_000) -> bytes:
    return rss([item_xml(1).replace("</item>", "<x>" * depth + "</x>" * depth + "</item>")])


def many_items(size: int) -> bytes:
    one = "<item><title>t</title><guid>g{}</guid></item>"
    count = size // len(one.format(100000))
    return rss([one.format(i) for i in range(count)])


def big_item(size: int) -> bytes:
    body = "<p>Le conseil municipal délibère sur le budget. </p>" * (size // 52)
    return rss([item_xml(1, body=body)])


FRENCH_TITLE = "Élus et délibérations : la trésorerie à l’épreuve"


def charset_doc(declared: str | None, encoding: str) -> bytes:
    decl = f' encoding="{declared}"' if declared else ""
    text = (
        f'<?xml version="1.0"{decl}?><rss version="2.0"><channel><title>Flux</title>'
        f"<item><title>{FRENCH_TITLE}</title><guid>c1</guid>"
        "<description>Café, œuvre, 5 €</description></item>"
        "</channel></rss>"
    )
    return text.encode(encoding, errors="replace")


def mixed_charset_doc() -> bytes:
    """A UTF-8 template with Windows-1252 content pasted in (the common CMS mix-up)."""
    head = b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Flux</title>'
    title = f"<item><title>{FRENCH_TITLE}</title><guid>c1</guid>".encode()
    body = "<description>Café, œuvre, 5 € – réunion</description></item></channel></rss>".encode("cp1252")
    return head + title + body


def gzip_bomb(size: int = 128 * 1024 * 1024) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = b"\0" * (1024 * 1024)
    return b"".join([compressor.compress(chunk) for _ in range(size // len(chunk))] + [compressor.flush()])


# --- a raw HTTP server -----------------------------------------------------------------------------

Handler = Callable[[socket.socket, "HostileServer"], None]


def response(
    body: bytes = b"",
    status: str = "200 OK",
    headers: Iterable[tuple[str, str | bytes]] = (),
    content_type: str = "application/rss+xml",
    length: int | None = -1,
) -> bytes:
    """Raw response bytes; ``length`` -1 is the true length, None leaves Content-Length out."""
    lines = [f"HTTP/1.1 {status}".encode(), b"Connection: close"]
    if content_type:
        lines.append(f"Content-Type: {content_type}".encode())
    if length is not None:
        lines.append(f"Content-Length: {len(body) if length == -1 else length}".encode())
    for name, value in headers:
        lines.append(name.encode() + b": " + (value if isinstance(value, bytes) else value.encode("latin-1")))
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


class send:  # lower case: used as a function, send(body) is a route's handler
    """Write ``data`` (or what the callable makes: big documents cost nothing at collection). The test
    calls :meth:`prepare` on every route before the timed refreshes, so building a document (compressing
    the 128 MiB gzip bomb takes a second, more on a loaded machine) never eats into a feed's deadline."""

    def __init__(self, data: bytes | Callable[[], bytes]) -> None:
        self._data = data
        self._made: bytes | None = data if isinstance(data, bytes) else None

    @property
    def made(self) -> bytes | None:
        """The bytes it writes, once built (at once for bytes, on :meth:`prepare` for a callable)."""
        return self._made

    def prepare(self) -> None:
        if self._made is None:
            assert not isinstance(self._data, bytes)
            self._made = self._data()

    def __call__(self, conn: socket.socket, server: HostileServer) -> None:
        self.prepare()
        assert self._made is not None
        conn.sendall(self._made)


class HostileServer:
    """One thread per connection; every response closes the connection. ``routes`` maps a path to what is
    written on the socket."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[str, Handler] = {}
        self.tls = tls
        self.stopping = threading.Event()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hits: dict[str, int] = {}
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}{path}"

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(15)
            if self.tls is not None:
                conn = self.tls.wrap_socket(conn, server_side=True)
            head = b""
            while b"\r\n\r\n" not in head and len(head) < 65536:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                head += chunk
            path = head.split(b" ", 2)[1].decode("latin-1")
            self.hits[path] = self.hits.get(path, 0) + 1
            handler = self.routes.get(path, send(response(b"absent", "404 Not Found")))
            handler(conn, self)
        except (OSError, ssl.SSLError, IndexError):
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.stopping.set()
        self.sock.close()
        self._thread.join(2)


def drip(data: bytes, interval: float = 1.0) -> Handler:
    def handler(conn: socket.socket, server: HostileServer) -> None:
        conn.sendall(response(data, length=len(data)).split(b"\r\n\r\n")[0] + b"\r\n\r\n")
        for byte in data:
            if server.stopping.wait(interval):
                return
            conn.sendall(bytes([byte]))

    return handler


def silent(conn: socket.socket, server: HostileServer) -> None:
    server.stopping.wait(30)


def self_signed_context(directory: Path) -> ssl.SSLContext:
    """A server context with a fresh self-signed certificate for 127.0.0.1 (``cryptography``)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    import ipaddress

    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "cert.pem", directory / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return context


# --- the cases -------------------------------------------------------------------------------------

MIB = 1024 * 1024
# Documents close to the 8 MiB cap may use 32 bytes of memory per byte of feed (tree, text, SQLite).
NEAR_CAP_MB = 256


@dataclass
class Case:
    name: str
    group: str
    handler: Handler | None
    """None: the route is set up by the test (it needs the server's port)."""
    expect: str | None
    """A piece of the per-feed error; None means the feed must be read and stored."""
    timeout: float = 2.0
    max_feed_bytes: int = 8 * MIB
    memory_mb: int = 64
    """Peak RSS allowed over the baseline case (a refresh of two healthy feeds)."""
    seconds: float = 6.0
    """Wall time allowed for the refresh and rendering every stored article."""
    titles: list[str] = field(default_factory=list)
    """Titles the hostile feed must have stored (charset cases)."""


def cases() -> list[Case]:
    """Every case of the corpus. Documents are built here, once per run."""

    def ok(make: Callable[[], bytes], ct: str = "application/rss+xml") -> Handler:
        return send(lambda: response(make(), content_type=ct))

    good = rss(3)
    return [
        # Escape sequences, markup and links, in every field.
        Case("escapes raw in RSS (illegal XML)", "text", ok(lambda: nasty_rss(NASTY, raw=True)), None),
        Case("escapes escaped in RSS", "text", ok(lambda: nasty_rss(NASTY, raw=False)), None),
        Case(
            "escapes smuggled as entities (RSS)",
            "text",
            ok(lambda: nasty_rss(NASTY_SMUGGLED, raw=True)),
            None,
        ),
        Case(
            "escapes in Atom (html, text, xhtml)",
            "text",
            ok(lambda: nasty_atom(NASTY + NASTY_SMUGGLED)),
            None,
        ),
        Case(
            "escapes in JSON Feed",
            "text",
            ok(lambda: nasty_json(NASTY + NASTY_SMUGGLED), "application/feed+json"),
            None,
        ),
        # XML attacks.
        Case("billion laughs", "xml", ok(lambda: billion_laughs()), "entités XML"),
        Case("XXE to /etc/passwd", "xml", ok(lambda: xxe()), "entités XML"),
        Case("one entity × 86 000 refs (260 KB)", "xml", ok(lambda: one_entity_many_refs()), "entités XML"),
        Case(
            "entity declared after 100 KB of comment",
            "xml",
            ok(lambda: entity_after_padding()),
            "entités XML",
        ),
        Case("entity declaration in UTF-16", "xml", ok(lambda: entity_utf16()), "entités XML"),
        Case("300 KB author fields (feedparser regex)", "xml", ok(lambda: long_author()), None),
        Case(
            "JSON Feed nested 200 000 deep",
            "xml",
            ok(lambda: deep_json(), "application/json"),
            "JSON Feed illisible",
        ),
        Case("HTML body nested 100 000 deep", "xml", ok(lambda: deep_html_json(), "application/json"), None),
        Case("XML nested 100 000 deep", "xml", ok(lambda: deep_xml()), "trop volumineux pour être lu"),
        Case(
            "8 MiB of empty items",
            "xml",
            ok(lambda: many_items(8 * MIB - 4096)),
            None,
            memory_mb=NEAR_CAP_MB,
            seconds=10,
        ),
        # Transport.
        Case(
            "gzip bomb (128 MiB of zeros)",
            "transport",
            send(lambda: response(gzip_bomb(), headers=[("Content-Encoding", "gzip")])),
            "trop volumineux",
            memory_mb=96,
        ),
        Case(
            "Content-Length longer than body",
            "transport",
            send(response(good, length=len(good) + 5000)),
            "Réponse HTTP invalide",
        ),
        Case(
            "Content-Length shorter than body", "transport", send(response(good, length=len(good) // 2)), None
        ),
        Case("no Content-Length (close-delimited)", "transport", send(response(good, length=None)), None),
        Case("Content-Length of 1 TB", "transport", send(response(good, length=10**12)), "trop volumineux"),
        Case("1 byte a second", "transport", drip(good), "Délai dépassé"),
        Case("accepts, never answers", "transport", silent, "Délai dépassé"),
        Case("redirect loop", "transport", None, "Boucle de redirections"),
        Case("redirect chain of 8", "transport", None, "Trop de redirections"),
        Case("redirect to another host", "transport", None, None),
        Case(
            "redirect to file:///etc/passwd",
            "transport",
            send(response(status="302 Found", headers=[("Location", "file:///etc/passwd")])),
            "pas une page web",
        ),
        Case(
            "redirect to javascript:",
            "transport",
            send(response(status="301 Moved", headers=[("Location", "javascript:alert(1)")])),
            "redirection invalide",
        ),
        Case("redirect with C1 and shell characters", "transport", None, "adresse invalide"),
        Case(
            "Content-Encoding with a C1 CSI",
            "transport",
            send(response(good, headers=[("Content-Encoding", b"\x9b2J")])),
            "Encodage non pris en charge",
        ),
        Case("self-signed TLS certificate", "transport", None, "Erreur TLS"),
        # Content that is not what it says.
        Case(
            "UTF-8 declared ISO-8859-1",
            "charset",
            ok(lambda: charset_doc("iso-8859-1", "utf-8")),
            None,
            titles=[FRENCH_TITLE],
        ),
        Case(
            "Windows-1252 declared UTF-8",
            "charset",
            ok(lambda: charset_doc("utf-8", "cp1252")),
            None,
            titles=[FRENCH_TITLE],
        ),
        Case(
            "UTF-8 with Windows-1252 pasted in",
            "charset",
            ok(lambda: mixed_charset_doc()),
            None,
            titles=[FRENCH_TITLE],
        ),
        Case(
            "UTF-8, HTTP says ISO-8859-1",
            "charset",
            ok(lambda: charset_doc(None, "utf-8"), "text/xml; charset=iso-8859-1"),
            None,
            titles=[FRENCH_TITLE],
        ),
        Case(
            "unknown charset declared",
            "charset",
            ok(lambda: charset_doc("x-gazette", "utf-8")),
            None,
            titles=[FRENCH_TITLE],
        ),
        Case(
            "UTF-16 with BOM",
            "charset",
            ok(lambda: charset_doc("utf-16", "utf-16")),
            None,
            titles=[FRENCH_TITLE],
        ),
        Case(
            "HTML page served as a feed",
            "content",
            ok(lambda: b"\xef\xbb\xbf<!DOCTYPE html><html><body><h1>Accueil</h1></body></html>", "text/html"),
            "page HTML",
        ),
        Case("empty 200", "content", ok(lambda: b""), "Réponse vide"),
        Case(
            "binary garbage",
            "content",
            ok(lambda: bytes(range(256)) * 64, "application/octet-stream"),
            "pas un flux",
        ),
        Case(
            "10 MB single item (default cap)",
            "content",
            ok(lambda: big_item(10 * MIB)),
            "trop volumineux",
            memory_mb=96,
        ),
        Case(
            "10 MB single item, no Content-Length",
            "content",
            send(lambda: response(big_item(10 * MIB), length=None)),
            "trop volumineux",
            memory_mb=96,
        ),
        Case(
            "6 MB single item (under the cap)",
            "content",
            ok(lambda: big_item(6 * MIB)),
            None,
            memory_mb=NEAR_CAP_MB,
            seconds=10,
        ),
    ]


# --- invariants ------------------------------------------------------------------------------------


def violations(store: Any, article_ids: Iterable[int] | None = None) -> list[str]:
    """Everything stored or rendered that could reach a screen, checked: no control, ESC, C1 or bidi
    character anywhere; links and enclosures http(s) (or mailto in bodies); text on one line where it must."""
    from gazette_tui.core.render import article_as_text, render_article

    found: list[str] = []

    def check(where: str, value: str, one_line: bool = False) -> None:
        match = FORBIDDEN.search(value)
        if match:
            found.append(f"{where}: {match.group()!r} in {value[:80]!r}")
        if one_line and ("\n" in value or "\t" in value):
            found.append(f"{where}: line break in {value[:80]!r}")

    for feed in store.feeds():
        for name in ("title", "url", "site_url", "rubrique"):
            check(f"feed {feed.id} {name}", getattr(feed, name), one_line=True)
        check(f"feed {feed.id} last_error", feed.last_error or "", one_line=True)
        if feed.site_url and not SAFE_LINK.match(feed.site_url):
            found.append(f"feed {feed.id} site_url {feed.site_url!r}")
    ids = list(article_ids) if article_ids is not None else store.article_ids()
    for article_id in ids:
        article = store.article(article_id)
        where = f"article {article_id}"
        for name in ("title", "kicker", "author", "feed_title", "rubrique", "url"):
            check(f"{where} {name}", getattr(article, name), one_line=True)
        for category in article.categories:
            check(f"{where} category", category, one_line=True)
        for name in ("summary_html", "content_html", "fulltext_html"):
            check(f"{where} {name}", getattr(article, name))
        if article.url and not article.url.lower().startswith(("http://", "https://")):
            found.append(f"{where} url {article.url!r}")
        for enclosure in article.enclosures:
            if not re.match(r"^https?://\S+$", enclosure.url, re.IGNORECASE):
                found.append(f"{where} enclosure {enclosure.url!r}")
        with store.reading() as c:
            for row in c.execute(
                "SELECT title, author, categories, body FROM articles_fts WHERE rowid = ?", (article_id,)
            ):
                for value in row:
                    check(f"{where} search index", value)
        rendered = render_article(article)
        for name in ("kicker", "title", "meta", "lede", "notice"):
            check(f"{where} rendered {name}", getattr(rendered, name), one_line=True)
        for tag in rendered.tags:
            check(f"{where} rendered tag", tag, one_line=True)
        check(f"{where} rendered body", rendered.body_markdown)
        for link in rendered.links:
            if not SAFE_LINK.match(link):
                found.append(f"{where} rendered link {link!r}")
        check(f"{where} as text", article_as_text(article, width=80))
    return found


# --- the driver: one forked child per case ---------------------------------------------------------


def _run_case(spec: dict[str, Any], directory: Path) -> dict[str, Any]:
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from gazette_tui.core.feeds.refresh import refresh_feeds
    from gazette_tui.core.settings import Settings
    from gazette_tui.core.storage.store import Store

    settings = Settings()
    settings.refresh.timeout = spec["timeout"]
    settings.refresh.max_feed_bytes = spec["max_feed_bytes"]
    with Store(directory / "gazette.db") as store, ThreadPoolExecutor(2) as pool:
        good = store.add_feed(spec["good"])
        bad = store.add_feed(spec["url"])
        started = time.perf_counter()
        report = asyncio.run(refresh_feeds(store, settings, executor=pool))
        refreshed = time.perf_counter() - started
        found = violations(store)
        feeds = {f.id: f for f in store.feeds()}
        titles = [row.title for row in store.article_rows(store.article_ids()) if row.feed_id == bad.id]
        authors = [store.article(i).author for i in store.article_ids() if store.article(i).feed_id == bad.id]
        return {
            "report": report.as_json(),
            "refresh_seconds": refreshed,
            "good_articles": feeds[good.id].articles,
            "good_error": feeds[good.id].last_error,
            "bad_articles": feeds[bad.id].articles,
            "bad_error": feeds[bad.id].last_error,
            "titles": titles[:20],
            "longest_author": max((len(a) for a in authors), default=0),
            "violations": found[:20],
        }


def run_cases(
    specs: list[dict[str, Any]], parallel: int = 3, hard_limit: float = 90.0
) -> list[dict[str, Any]]:
    """Fork one child per case (at most ``parallel`` at once); each writes its result to a pipe. The parent
    collects wall time and peak RSS from ``wait4``, and kills a child that outlives ``hard_limit``."""
    import tempfile

    pending = list(enumerate(specs))
    running: dict[int, tuple[int, float, int]] = {}
    results: list[dict[str, Any]] = [{} for _ in specs]
    buffers: dict[int, bytes] = {}
    while pending or running:
        while pending and len(running) < parallel:
            index, spec = pending.pop(0)
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # child
                os.close(read_end)
                code = 0
                try:
                    with tempfile.TemporaryDirectory() as directory:
                        result = _run_case(spec, Path(directory))
                except BaseException as error:  # reported, never raised: the parent must get an answer
                    result, code = {"crash": f"{type(error).__name__}: {error}"[:500]}, 1
                with os.fdopen(write_end, "wb") as out:
                    out.write(json.dumps(result).encode())
                os._exit(code)
            os.close(write_end)
            running[pid] = (index, time.perf_counter(), read_end)
            buffers[pid] = b""
        readable, _, _ = select.select([fd for _, _, fd in running.values()], [], [], 0.05)
        for pid, (index, started, fd) in list(running.items()):
            if fd in readable:
                chunk = os.read(fd, 1 << 16)
                buffers[pid] += chunk
                if chunk:
                    continue
            if time.perf_counter() - started > hard_limit:
                os.kill(pid, signal.SIGKILL)
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done == 0:
                continue
            while chunk := os.read(fd, 1 << 16):
                buffers[pid] += chunk
            os.close(fd)
            del running[pid]
            result = json.loads(buffers.pop(pid) or b'{"crash": "killed"}')
            result.update(
                name=specs[index]["name"],
                seconds=time.perf_counter() - started,
                # CPU time, the child's own: what the case costs, whatever else the machine is doing (three
                # cases share two cores here, and CI machines are shared). Wall time is reported beside it.
                cpu_seconds=usage.ru_utime + usage.ru_stime,
                peak_rss_mb=usage.ru_maxrss / 1024,
                status=status,
            )
            results[index] = result
    return results


def main() -> None:
    """Read case specs (JSON) on stdin, print results (JSON) on stdout. Imports everything before forking so
    each child measures the case, not the imports."""
    import feedparser  # noqa: F401

    import gazette_tui.core.feeds.refresh
    import gazette_tui.core.render  # noqa: F401

    specs = json.load(sys.stdin)
    json.dump(run_cases(specs), sys.stdout)


if __name__ == "__main__":
    main()
