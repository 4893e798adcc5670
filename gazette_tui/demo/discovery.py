"""Where the demo site is: its fixed port, and the private runtime file a running ``gazette-tui demo-server``
leaves so that ``gazette-tui login demo`` finds it without being told.

The demo always asks for :data:`DEMO_PORT` first, so the addresses a profile stores (feeds, article links,
exports, the ``demo`` account) stay true from one run to the next. When that port is taken the site runs on
another one for the session: ``--demo`` then moves what its profile stored (``Store.rebase_local_feeds``),
and ``demo-server`` writes the port it got into the runtime file.

A candidate address counts only when it is on this machine and answers :data:`IDENTITY_PATH` as the demo
site does: a password typed for the demo is never posted to some other local server.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from gazette_tui.core.files import make_private_dir, write_atomic
from gazette_tui.demo.handler import IDENTITY, IDENTITY_PATH

DEMO_HOST = "127.0.0.1"
DEMO_PORT = 28080
"""The port the demo site asks for first (``--demo`` and ``demo-server``). Below Linux's ephemeral range
(32768–60999), so an outgoing connection never happens to hold it."""
DEMO_URL = f"http://{DEMO_HOST}:{DEMO_PORT}"
"""Where the demo site is when its port was free: the ``demo`` account's default address."""
RUNTIME_FILE = "demo-server.json"
"""The runtime file's name, in the app's cache folder (the caller says which folder)."""
PROBE_TIMEOUT = 1.5
"""Seconds a candidate address may take to say it is the demo site (it is on this machine)."""


def _loopback_http(url: str) -> bool:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        return False
    return parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost", "::1")


def write_runtime_file(path: Path, url: str) -> None:
    """Say where this process serves the demo site: atomically, 0600 in a 0700 folder (``core/files.py``)."""
    make_private_dir(path.parent)
    write_atomic(path, json.dumps({"url": url, "pid": os.getpid()}) + "\n")


def clear_runtime_file(path: Path) -> None:
    """Remove the runtime file if this process wrote it (another demo-server may have taken over since)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if isinstance(data, dict) and data.get("pid") == os.getpid():
        path.unlink(missing_ok=True)


def runtime_url(path: Path) -> str | None:
    """The address a demo-server wrote in ``path``, if the file is there, readable and names this machine."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    url = data.get("url") if isinstance(data, dict) else None
    return url if isinstance(url, str) and _loopback_http(url) else None


def is_demo_site(url: str, timeout: float = PROBE_TIMEOUT) -> bool:
    """Whether the demo site answers at ``url`` (on this machine only; no proxy, no redirect)."""
    if not _loopback_http(url):
        return False
    import httpx

    try:
        with httpx.Client(trust_env=False, timeout=timeout, follow_redirects=False) as client:
            response = client.get(url.rstrip("/") + IDENTITY_PATH)
    except httpx.HTTPError:
        return False
    return response.status_code == 200 and response.content == IDENTITY


def find_demo_site(candidates: Iterable[str | None]) -> str | None:
    """The first of ``candidates`` where the demo site answers, as a base URL with a trailing slash."""
    seen: set[str] = set()
    for url in candidates:
        if not url:
            continue
        base = url.rstrip("/") + "/"
        if base not in seen and is_demo_site(base):
            return base
        seen.add(base)
    return None
