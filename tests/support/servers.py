"""Real HTTP servers for tests: pytest-httpserver, threaded (a slow feed must not hold the others up) and
bound to 127.0.0.1 only."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

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
