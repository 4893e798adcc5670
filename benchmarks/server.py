"""A static HTTP/1.1 server for the benchmark corpus, on 127.0.0.1 only.

It must never be what is measured: every file is read into memory at start with its ETag and Last-Modified,
connections are kept alive, each connection gets a thread, and it runs in its own process so that it does
not share a GIL with anything. Conditional requests get ``304 Not Modified`` (If-None-Match first, then
If-Modified-Since, as RFC 9110 orders them), which is what a warm refresh exercises.

``GET /__stats`` returns counters as JSON (``?reset=1`` zeroes them) so a benchmark can check that a warm
refresh really was answered with 304s. ``--overlay DIR`` loads a second tree (its ``mtimes.json`` gives the
Last-Modified of each file); ``GET /__overlay?on=1`` serves its files in place of the corpus's at the same
paths (the typical refresh: a few feeds changed), ``?on=0`` goes back.

Usage: ``python benchmarks/server.py ROOT [--port P]``; prints the port on the first line of stdout once it
listens, then serves until stdin closes or it is terminated.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import subprocess
import sys
import threading
import urllib.request
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True, slots=True)
class Resource:
    body: bytes
    etag: str
    mtime: int
    last_modified: str
    content_type: str


CONTENT_TYPES = {".xml": "application/rss+xml; charset=utf-8", ".opml": "text/x-opml; charset=utf-8"}


def load_tree(root: Path, mtimes: dict[str, int] | None = None) -> dict[str, Resource]:
    """Every file under ``root`` keyed by URL path. Last-Modified is the file's mtime unless ``mtimes``
    (URL path → Unix seconds) says otherwise."""
    resources: dict[str, Resource] = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        url_path = "/" + path.relative_to(root).as_posix()
        body = path.read_bytes()
        mtime = (mtimes or {}).get(url_path, int(path.stat().st_mtime))
        resources[url_path] = Resource(
            body=body,
            etag='"' + hashlib.sha1(body).hexdigest()[:20] + '"',
            mtime=mtime,
            last_modified=formatdate(mtime, usegmt=True),
            content_type=CONTENT_TYPES.get(path.suffix, "application/octet-stream"),
        )
    return resources


def etag_matches(header: str, etag: str) -> bool:
    """Weak comparison, as If-None-Match requires: ``W/"x"`` matches ``"x"``; ``*`` matches anything."""
    wanted = etag.removeprefix("W/")
    for candidate in header.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == wanted:
            return True
    return False


def not_modified(headers: dict[str, str], resource: Resource) -> bool:
    if_none_match = headers.get("if-none-match")
    if if_none_match is not None:
        return etag_matches(if_none_match, resource.etag)
    since = headers.get("if-modified-since")
    if since:
        try:
            return resource.mtime <= int(parsedate_to_datetime(since).timestamp())
        except (TypeError, ValueError, IndexError):
            return False
    return False


class Stats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.counts: dict[str, int] = {}
        self.connections = 0
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.counts = {"requests": 0, "200": 0, "304": 0, "404": 0, "bytes": 0}
            self.connections = 0

    def add(self, status: int, size: int) -> None:
        with self._lock:
            self.counts["requests"] += 1
            self.counts[str(status)] = self.counts.get(str(status), 0) + 1
            self.counts["bytes"] += size

    def connection(self) -> None:
        with self._lock:
            self.connections += 1

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return {**self.counts, "connections": self.connections}


class CorpusServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512  # the tools open dozens of connections at once; the default backlog is 5

    def __init__(
        self, port: int, resources: dict[str, Resource], overlay: dict[str, Resource] | None = None
    ) -> None:
        self.base = resources
        self.overlay = overlay or {}
        self.resources = resources
        self.stats = Stats()
        super().__init__(("127.0.0.1", port), Handler)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: CorpusServer
    server_version = "gazette-bench"
    sys_version = ""

    def setup(self) -> None:
        super().setup()
        self.server.stats.connection()

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    def _serve(self, *, head: bool) -> None:
        parts = urlsplit(self.path)
        if parts.path == "/__stats":
            if parse_qs(parts.query).get("reset") == ["1"]:
                self.server.stats.reset()
            self._send(
                200, json.dumps(self.server.stats.snapshot()).encode(), "application/json", head, count=False
            )
            return
        if parts.path == "/__overlay":
            on = parse_qs(parts.query).get("on") == ["1"]
            self.server.resources = {**self.server.base, **self.server.overlay} if on else self.server.base
            self._send(200, b"on\n" if on else b"off\n", "text/plain", head, count=False)
            return
        resource = self.server.resources.get(parts.path)
        if resource is None:
            self._send(404, b"not found\n", "text/plain", head)
            return
        headers = {k.lower(): v for k, v in self.headers.items()}
        if not_modified(headers, resource):
            self.send_response(304)
            self.send_header("ETag", resource.etag)
            self.send_header("Last-Modified", resource.last_modified)
            self.end_headers()
            self.server.stats.add(304, 0)
            return
        self._send(200, resource.body, resource.content_type, head, resource=resource)

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str,
        head: bool,
        *,
        resource: Resource | None = None,
        count: bool = True,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if resource is not None:
            self.send_header("ETag", resource.etag)
            self.send_header("Last-Modified", resource.last_modified)
        self.end_headers()
        if not head:
            self.wfile.write(body)
        if count:
            self.server.stats.add(status, 0 if head else len(body))


def feed_mtimes(root: Path) -> dict[str, int]:
    """Last-Modified of each corpus feed: the date of its newest item, fixed by the generator."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import corpus

    return {
        f"/feeds/{corpus.feed_name(i)}": int(corpus.feed_last_modified(i).timestamp())
        for i in range(len(list((root / "feeds").glob("feed-*.xml"))))
    }


def serve(root: Path, port: int = 0, overlay: Path | None = None) -> None:
    mtimes = feed_mtimes(root) if (root / "feeds").is_dir() else None
    layer = None
    if overlay is not None:
        layer = load_tree(overlay, json.loads((overlay / "mtimes.json").read_text()))
        layer.pop("/mtimes.json", None)
    server = CorpusServer(port, load_tree(root, mtimes), layer)
    print(server.server_address[1], flush=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    with contextlib.suppress(KeyboardInterrupt):
        sys.stdin.read()  # the parent closes our stdin (or dies) to stop us
    server.shutdown()


class ServerProcess:
    """The server in a child process, for ``with ServerProcess(root) as server: server.base_url``."""

    def __init__(self, root: Path, overlay: Path | None = None) -> None:
        self.root = root
        self.overlay_root = overlay
        self._process: subprocess.Popen[str] | None = None
        self.port = 0

    def __enter__(self) -> ServerProcess:
        self._process = subprocess.Popen(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                str(self.root),
                *(["--overlay", str(self.overlay_root)] if self.overlay_root else []),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line.strip().isdigit():
            self.close()
            raise RuntimeError(f"le serveur de banc d'essai n'a pas démarré ({line!r})")
        self.port = int(line)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self._process is not None
        return self._process.pid

    def stats(self, reset: bool = False) -> dict[str, int]:
        url = f"{self.base_url}/__stats" + ("?reset=1" if reset else "")
        with urllib.request.urlopen(url, timeout=10) as response:
            data: dict[str, int] = json.load(response)
        return data

    def overlay(self, on: bool) -> None:
        """Serve the overlay's files (``on``) or the corpus's alone."""
        url = f"{self.base_url}/__overlay?on={int(on)}"
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()

    def close(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.stdin:
            process.stdin.close()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.terminate()
            process.wait(timeout=5)
        if process.stdout:
            process.stdout.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve a benchmark corpus on 127.0.0.1.")
    parser.add_argument("root", type=Path)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--overlay", type=Path, help="a second tree, served at /__overlay?on=1")
    args = parser.parse_args(argv)
    serve(args.root, args.port, args.overlay)
    return 0


if __name__ == "__main__":
    sys.exit(main())
