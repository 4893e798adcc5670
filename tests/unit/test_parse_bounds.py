"""Parse bounds that hold after decoding, a wall-clock deadline per feed, and workers that are never a
plain fork of the app: against real loopback servers, real worker processes and a real CLI refresh."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from support.feeds import rss

from gazette_tui.core.feeds.parse import parse_feed, prepare
from gazette_tui.core.feeds.parse_pool import ParsePool
from gazette_tui.core.feeds.refresh import refresh_feeds
from gazette_tui.core.settings import Settings
from gazette_tui.core.storage.store import Store
from gazette_tui.errors import FeedError

MB = 1024 * 1024


def smuggled(encoding: str, size: int) -> bytes:
    """An entity bomb written so that the raw bytes never contain "<!ENTITY": only decoding with the
    declared codec would reveal it (what feedparser did)."""
    lt = {"utf-7": "+ADw-", "unicode_escape": "\\x3c", "raw_unicode_escape": "\\u003c"}[encoding]
    entities = "".join(f'{lt}!ENTITY e{i} "&e{i - 1};&e{i - 1};&e{i - 1};&e{i - 1};">' for i in range(1, 12))
    head = f'<?xml version="1.0" encoding="{encoding}"?>{lt}!DOCTYPE rss [{lt}!ENTITY e0 "bombe">{entities}]>'
    item = "<item><title>&e11;</title><description>&e11;</description></item>"
    body = head + '<rss version="2.0"><channel><title>Piege</title>'
    body += item * max(1, (size - len(body)) // len(item)) + "</channel></rss>"
    return body.encode("ascii")


@pytest.mark.parametrize("encoding", ["utf-7", "unicode_escape", "raw_unicode_escape"])
def test_a_python_only_codec_never_decodes_a_feed(encoding: str) -> None:
    data = smuggled(encoding, 20_000)
    prepared, _ = prepare(data)
    assert prepared.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    started = time.perf_counter()
    try:
        feed = parse_feed(data, "http://127.0.0.1/piege")
    except FeedError:
        pass  # refused: fine
    else:  # read as the UTF-8 text it is: the declarations are words, nothing expands
        assert all("bombe" not in entry.title and len(entry.text) < 100 for entry in feed.entries)
    assert time.perf_counter() - started < 5


def test_an_http_charset_we_do_not_allow_is_ignored() -> None:
    data = rss(2)
    feed = parse_feed(data, "http://127.0.0.1/f", "application/rss+xml; charset=utf-7")
    assert len(feed.entries) == 2
    assert "compétence" in " ".join(e.title for e in feed.entries)


def test_allowed_legacy_encodings_still_read() -> None:
    for codec, title in (
        ("koi8-r", "Новости района"),
        ("shift_jis", "市議会のお知らせ"),
        ("iso-8859-2", "Łódź"),
    ):
        data = (
            f'<?xml version="1.0" encoding="{codec}"?><rss version="2.0"><channel><title>{title}</title>'
            "<item><title>x</title></item></channel></rss>"
        ).encode(codec)
        assert parse_feed(data, "http://127.0.0.1/f").title == title


def test_iso_2022_jp_escapes_cannot_hide_an_entity_declaration() -> None:
    # "<!EN" ESC ( B "TITY": no "<!ENTITY" in the raw bytes, one in the decoded text.
    data = (
        b'<?xml version="1.0" encoding="iso-2022-jp"?><!DOCTYPE r [<!EN\x1b(BTITY a "aaaa">]>'
        b'<rss version="2.0"><channel><title>t</title><item><title>&a;</title></item></channel></rss>'
    )
    with pytest.raises(FeedError, match="entités"):
        parse_feed(data, "http://127.0.0.1/f")


@pytest.mark.slow
@pytest.mark.parametrize("encoding", ["utf-7", "unicode_escape"])
def test_a_3_mb_smuggled_bomb_costs_seconds_and_megabytes_not_gigabytes(
    encoding: str, httpserver: HTTPServer, tmp_path: Path
) -> None:
    """The issue's case: 3 MB took 2.7 GB and 23 s. Now a real CLI refresh against loopback reads the good
    feed, marks the bad one, and no process of it grows past a few hundred MB."""
    httpserver.expect_request("/piege").respond_with_data(smuggled(encoding, 3 * MB), content_type="text/xml")
    httpserver.expect_request("/bon").respond_with_data(rss(5), content_type="application/rss+xml")
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "HOME": str(tmp_path),
    }
    command = [sys.executable, "-m", "gazette_tui"]
    with Store(tmp_path / "data" / "gazette-tui" / "gazette.db") as store:
        store.set_meta("seeded", "1")
        store.add_feed(httpserver.url_for("/bon"), "Bon")
        store.add_feed(httpserver.url_for("/piege"), "Piège")
    started = time.perf_counter()
    run = subprocess.run(
        [*command, "refresh", "--json"], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    elapsed = time.perf_counter() - started
    report = json.loads(run.stdout)
    assert report["ok"] == 1, run.stderr
    assert report["failed"] == 1, run.stderr
    assert report["new"] == 5, run.stderr
    assert elapsed < 30
    # The memory: the same document parsed by a fresh interpreter of its own, which reports its peak.
    document = tmp_path / "piege.xml"
    document.write_bytes(smuggled(encoding, 3 * MB))
    probe = (
        "import resource, sys\n"
        "from gazette_tui.core.feeds.parse import parse_feed\n"
        "from gazette_tui.errors import FeedError\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "try:\n"
        "    parse_feed(open(sys.argv[1], 'rb').read(), 'http://127.0.0.1/piege', 'text/xml')\n"
        "except FeedError:\n"
        "    pass\n"
        "print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024)\n"
    )
    measured = subprocess.run(
        [sys.executable, "-c", probe, str(document)], capture_output=True, text=True, timeout=60, check=True
    )
    assert float(measured.stdout) < 256  # MB over the interpreter's own start: the issue saw 2,700


def _slow_document() -> bytes:
    """Malformed (so the fast path declines) and just under the markup cap: feedparser needs seconds."""
    items = "".join(
        f"<item><title>n° {i}</title><description><p>x<b>y</b></description></item>" for i in range(5500)
    )
    head = '<?xml version="1.0"?><rss version="2.0"><channel><title>Lent</title>'
    return f"{head}{items}<oops></channel>".encode()


@pytest.mark.slow
def test_a_parse_past_its_deadline_costs_only_its_feed(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/lent").respond_with_data(_slow_document(), content_type="text/xml")
    # Small enough to be parsed inline (no deadline): a loaded machine cannot make it time out.
    httpserver.expect_request("/gros").respond_with_data(rss(20), content_type="application/rss+xml")
    settings = Settings()
    settings.refresh.parse_timeout = 0.5
    with Store(tmp_path / "gazette.db") as store:
        slow = store.add_feed(httpserver.url_for("/lent"), "Lent")
        big = store.add_feed(httpserver.url_for("/gros"), "Gros")
        pool = ParsePool(workers=1, deadline=0.5)
        try:
            report = asyncio.run(refresh_feeds(store, settings, pool=pool))
            # The single worker was killed and replaced: the next parse still works (a roomier deadline,
            # so that a busy machine cannot make this a second timeout).
            pool.deadline = 60.0
            again = asyncio.run(pool.parse(rss(300), "http://127.0.0.1/gros", ""))
        finally:
            pool.close()
        feeds = {feed.id: feed for feed in store.feeds()}
    assert report.failed == 1
    assert report.ok == 1
    assert "Analyse trop longue" in (feeds[slow.id].last_error or "")
    assert feeds[big.id].articles == 20
    assert not isinstance(again, str)
    assert len(again.entries) == 300


def test_no_parse_worker_is_a_plain_fork_of_the_app() -> None:
    pool = ParsePool(workers=1)
    try:
        parent = asyncio.run(pool.worker_parent())
    finally:
        pool.close()
    assert parent > 0
    assert parent != os.getpid()


def test_the_refresh_uses_such_workers_by_default(httpserver: HTTPServer, tmp_path: Path) -> None:
    """No executor given (what the TUI and the CLI do): large feeds go to fork-server workers."""
    httpserver.expect_request("/gros").respond_with_data(rss(300), content_type="application/rss+xml")
    with Store(tmp_path / "gazette.db") as store:
        store.add_feed(httpserver.url_for("/gros"), "Gros")
        report = asyncio.run(refresh_feeds(store, Settings()))
    assert report.ok == 1
    assert report.new == 300


def test_workers_start_under_textual_s_stdio_capture() -> None:
    """Inside the TUI, sys.stderr is Textual's capture, whose fileno() is -1: multiprocessing's resource
    tracker passed that to fork_exec and every pooled feed failed (« Erreur inattendue (ValueError) »).
    A fresh interpreter, so that no tracker or fork server is running yet."""
    probe = (
        "import asyncio, sys\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "from support.feeds import rss\n"
        "from gazette_tui.core.feeds.parse_pool import ParsePool\n"
        "class Capture:\n"
        "    def write(self, text): return len(text)\n"
        "    def flush(self): pass\n"
        "    def fileno(self): return -1\n"
        "sys.stderr = Capture()\n"
        "pool = ParsePool(workers=1)\n"
        "result = asyncio.run(pool.parse(rss(200), 'http://127.0.0.1/f', ''))\n"
        "pool.close()\n"
        "print(result if isinstance(result, str) else len(result.entries))\n"
    )
    tests = str(Path(__file__).resolve().parent.parent)
    run = subprocess.run(
        [sys.executable, "-c", probe, tests], capture_output=True, text=True, timeout=60, check=False
    )
    assert run.stdout.strip() == "200", run.stdout + run.stderr
