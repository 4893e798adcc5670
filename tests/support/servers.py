"""Real HTTP servers for tests: pytest-httpserver, threaded (a slow feed must not hold the others up) and
bound to 127.0.0.1 only."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from pytest_httpserver import HTTPServer


@contextmanager
def loopback_http_server() -> Iterator[HTTPServer]:
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        yield server
    finally:
        server.clear()
        if server.is_running():
            server.stop()


# --- files with or without byte ranges, for attachment downloads ------------------------------------


@dataclass
class ServedFile:
    """One file of :class:`FileServer`. ``ranges``: answer ``Range`` (206) or ignore it (200).
    ``drop_after``: close the connection after that many bytes of the body (once, then serve whole).
    ``delay``: seconds between chunks of ``chunk`` bytes (a slow server, to kill a download mid-way)."""

    data: bytes
    content_type: str = "application/octet-stream"
    ranges: bool = True
    etag: str = '"v1"'
    disposition: str = ""
    drop_after: int | None = None
    delay: float = 0.0
    chunk: int = 16 * 1024
    redirect: str = ""
    status: int = 200
    declare_length: bool = True


class FileServer:
    """A real HTTP/1.1 server on 127.0.0.1 serving :class:`ServedFile` s by path, honouring ``Range`` and
    ``If-Range`` (strong ETag) as RFC 9110 says, and recording each request's headers (lower case)."""

    def __init__(self) -> None:
        self.files: dict[str, ServedFile] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                """Quiet."""

            def do_GET(self) -> None:
                headers = {k.lower(): v for k, v in self.headers.items()}
                server.requests.append((self.path, headers))
                served = server.files.get(self.path.split("?", 1)[0])
                if served is None:
                    self._reply(404, b"not found", {})
                    return
                if served.redirect:
                    self._reply(302, b"", {"Location": served.redirect})
                    return
                if served.status != 200:
                    self._reply(served.status, b"error", {})
                    return
                data, status, extra = served.data, 200, {"ETag": served.etag}
                wanted = headers.get("range", "")
                if_range = headers.get("if-range")
                match = re.fullmatch(r"bytes=(\d+)-", wanted)
                if served.ranges and match and (if_range is None or if_range == served.etag):
                    start = int(match.group(1))
                    if start >= len(data):
                        self._reply(416, b"", {"Content-Range": f"bytes */{len(data)}"})
                        return
                    extra["Content-Range"] = f"bytes {start}-{len(data) - 1}/{len(data)}"
                    data, status = data[start:], 206
                if served.ranges:
                    extra["Accept-Ranges"] = "bytes"
                if served.disposition:
                    extra["Content-Disposition"] = served.disposition
                self.send_response(status)
                self.send_header("Content-Type", served.content_type)
                if served.declare_length:
                    self.send_header("Content-Length", str(len(data)))
                else:
                    self.send_header("Connection", "close")
                for name, value in extra.items():
                    self.send_header(name, value)
                self.end_headers()
                limit, served.drop_after = served.drop_after, None
                sent = 0
                try:
                    while sent < len(data):
                        piece = data[sent : sent + served.chunk]
                        if limit is not None and sent + len(piece) > limit:
                            self.wfile.write(piece[: limit - sent])
                            self.wfile.flush()
                            self.close_connection = True
                            return
                        self.wfile.write(piece)
                        self.wfile.flush()
                        sent += len(piece)
                        if served.delay:
                            time.sleep(served.delay)
                except OSError:
                    self.close_connection = True
                if not served.declare_length:
                    self.close_connection = True

            def _reply(self, status: int, body: bytes, extra: dict[str, str]) -> None:
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                for name, value in extra.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: object, client_address: object) -> None:
                """A client that hangs up mid-file is what the tests do."""

        self._httpd = Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}{path}"

    def __enter__(self) -> FileServer:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
