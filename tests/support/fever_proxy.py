"""A loopback proxy between a Fever client and a real Fever server (coldsweat), for the sync drills: it
knows which call goes through (a mark, a page of items, an id set) and can act on a chosen one.

The client is given the proxy's address as the account's, so every call of a sync passes here; the proxy
forwards it to the server and sends the answer back, unless a :class:`Rule` says otherwise:

- ``hold_before`` / ``hold_after``: keep the call waiting before it reaches the server, or after the server
  has done it (a mark applied, a page read) but before the client has the answer, until
  :meth:`FeverProxy.release`. The test knows the client is exactly there (:meth:`FeverProxy.wait_held`) and
  kills it, cancels it, or changes things meanwhile;
- ``fail`` / ``fail_after``: answer 500, before the server sees the call or after it did it;
- ``drip``: the server's answer, one byte every :attr:`FeverProxy.drip_interval` seconds;
- ``drop``: close the connection without an answer.

:attr:`FeverProxy.offline` drops every call: the server cannot be reached. :attr:`FeverProxy.calls` lists
what came through (without the key): the number of requests a sync made, in order.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Literal
from urllib.parse import parse_qsl, urlsplit

Action = Literal["hold_before", "hold_after", "fail", "fail_after", "drip", "drop"]
HOLD_LIMIT = 120.0
"""Seconds a held call waits for :meth:`FeverProxy.release` at most (a test that forgot it ends anyway)."""
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "proxy-connection"}


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A client killed or cancelled mid-call resets its connection: that is what the drills do."""


@dataclass(frozen=True, slots=True)
class FeverCall:
    """One call as the proxy saw it: the query's words and values, and the form without ``api_key``."""

    words: tuple[str, ...]
    query: dict[str, str]
    form: dict[str, str]

    @property
    def name(self) -> str:
        """``mark``, ``items``, ``unread_item_ids``, ``saved_item_ids``, ``groups``, ``feeds``, or ``check``
        (``?api`` alone)."""
        if "mark" in self.form:
            return "mark"
        commands = [w for w in self.words if w != "api"]
        return commands[0] if commands else "check"

    def __str__(self) -> str:
        extra = self.query or {k: v for k, v in self.form.items() if k in ("mark", "as", "id")}
        return f"{self.name} {extra}" if extra else self.name


def call_is(name: str, **values: str) -> Callable[[FeverCall], bool]:
    """A match: calls named ``name`` whose query or form has these values (``since_id="0"``)."""

    def match(call: FeverCall) -> bool:
        given = {**call.query, **call.form}
        return call.name == name and all(given.get(k) == v for k, v in values.items())

    return match


def any_call(call: FeverCall) -> bool:
    return True


@dataclass
class Rule:
    """Act on matching calls: let ``skip`` of them through first, then act on ``times`` of them."""

    match: Callable[[FeverCall], bool]
    action: Action
    skip: int = 0
    times: int = 1
    acted: list[FeverCall] = field(default_factory=list)

    def take(self, call: FeverCall) -> bool:
        if not self.match(call):
            return False
        if self.skip > 0:
            self.skip -= 1
            return False
        if len(self.acted) >= self.times:
            return False
        self.acted.append(call)
        return True


class FeverProxy:
    """A threaded reverse proxy on 127.0.0.1 in front of ``upstream_port()`` (read at each call: a server
    restarted on another port is followed). Use with ``with``."""

    def __init__(self, upstream_port: Callable[[], int], *, path: str = "/fever/") -> None:
        self.upstream_port = upstream_port
        self.path = path
        self.calls: list[FeverCall] = []
        self.rules: list[Rule] = []
        self.offline = False
        self.drip_interval = 0.5
        self._release = threading.Event()
        self._holding = 0
        self._held = threading.Condition()
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                proxy._handle(self)

            do_GET = do_POST

        self._server = _Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{self.path}"

    def __enter__(self) -> FeverProxy:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.release()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    # -- what the test says ------------------------------------------------------------------------------

    def add(
        self, match: Callable[[FeverCall], bool], action: Action, *, skip: int = 0, times: int = 1
    ) -> Rule:
        rule = Rule(match, action, skip=skip, times=times)
        with self._lock:
            self.rules.append(rule)
        return rule

    def clear(self) -> None:
        """No more rules; a held call goes on, and is gone when this returns."""
        with self._lock:
            self.rules.clear()
        self.release()
        with self._held:
            self._held.wait_for(lambda: self._holding == 0, timeout=10)

    def release(self) -> None:
        """Let the held call go on (its client may be dead by now: nothing is sent then)."""
        self._release.set()

    @property
    def held(self) -> bool:
        """A call is held (``hold_before`` / ``hold_after``) and waits for :meth:`release`."""
        with self._held:
            return self._holding > 0

    def wait_held(self, timeout: float = 60.0) -> bool:
        with self._held:
            return self._held.wait_for(lambda: self._holding > 0, timeout=timeout)

    def names(self) -> list[str]:
        with self._lock:
            return [call.name for call in self.calls]

    def reset_calls(self) -> None:
        with self._lock:
            self.calls.clear()

    # -- one call -------------------------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("content-length") or 0)
        body = handler.rfile.read(length) if length else b""
        parts = urlsplit(handler.path)
        words = tuple(w.split("=", 1)[0] for w in parts.query.split("&") if w)
        query = {k: v for k, v in parse_qsl(parts.query, keep_blank_values=True) if v}
        form = {k: v for k, v in parse_qsl(body.decode("latin-1")) if k != "api_key"}
        call = FeverCall(words, query, form)
        with self._lock:
            self.calls.append(call)
            if self.offline:
                action: Action | None = "drop"
            else:
                action = next((rule.action for rule in self.rules if rule.take(call)), None)
        if action == "drop":
            handler.close_connection = True
            with contextlib.suppress(OSError):
                handler.connection.shutdown(socket.SHUT_RDWR)
            return
        if action == "fail":
            self._reply(handler, 500, [("Content-Type", "text/plain")], b"Internal Server Error")
            return
        if action == "hold_before":
            self._hold()
        try:
            status, headers, answer = self._forward(handler, body)
        except OSError:
            handler.close_connection = True  # the server is down: so is the proxy, for this call
            return
        if action == "hold_after":
            self._hold()
        if action == "fail_after":
            self._reply(handler, 500, [("Content-Type", "text/plain")], b"Internal Server Error")
        elif action == "drip":
            self._reply(handler, status, headers, answer, drip=True)
        else:
            self._reply(handler, status, headers, answer)

    def _hold(self) -> None:
        self._release.clear()
        with self._held:
            self._holding += 1
            self._held.notify_all()
        try:
            self._release.wait(HOLD_LIMIT)
        finally:
            with self._held:
                self._holding -= 1
                self._held.notify_all()

    def _forward(
        self, handler: BaseHTTPRequestHandler, body: bytes
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        upstream = http.client.HTTPConnection("127.0.0.1", self.upstream_port(), timeout=60)
        try:
            headers = {
                "Content-Type": handler.headers.get("content-type", "application/x-www-form-urlencoded"),
                "Content-Length": str(len(body)),
                "Host": f"127.0.0.1:{self.upstream_port()}",
                "Accept-Encoding": "identity",
            }
            upstream.request(handler.command, handler.path, body=body, headers=headers)
            answer = upstream.getresponse()
            data = answer.read()
            kept = [(k, v) for k, v in answer.getheaders() if k.lower() not in HOP_BY_HOP]
            return answer.status, kept, data
        finally:
            upstream.close()

    def _reply(
        self,
        handler: BaseHTTPRequestHandler,
        status: int,
        headers: list[tuple[str, str]],
        body: bytes,
        *,
        drip: bool = False,
    ) -> None:
        try:
            handler.send_response(status)
            for key, value in headers:
                handler.send_header(key, value)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            if not drip:
                handler.wfile.write(body)
                return
            for index in range(len(body)):
                handler.wfile.write(body[index : index + 1])
                handler.wfile.flush()
                time.sleep(self.drip_interval)
        except OSError:
            handler.close_connection = True  # the client went away (killed, cancelled, timed out)
