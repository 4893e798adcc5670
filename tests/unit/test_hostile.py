"""The hostile corpus (tests/hostile.py), end to end: served from a raw loopback server, refreshed next to a
healthy feed in a forked child that measures its own wall time and peak memory, then every stored and
rendered string checked; and the CLI's output for the worst of it.

Bounds (see docs/RELIABILITY.md): per-feed deadline 2 s in these runs; each case's refresh plus the rendering
of every stored article within ``Case.seconds`` of CPU time (6 s unless stated); peak RSS within
``Case.memory_mb`` of a refresh of two healthy feeds.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.env import xdg_env
from support.feeds import rss
from support.hostile import (
    FORBIDDEN,
    NASTY,
    NASTY_SMUGGLED,
    Case,
    HostileServer,
    cases,
    nasty_atom,
    nasty_json,
    nasty_rss,
    response,
    self_signed_context,
    send,
)

pytestmark = pytest.mark.slow  # runs by default (and in CI): slow, not optional

CASES = {case.name: case for case in cases()}
HERE = Path(__file__).resolve().parents[1] / "support"
REPORT_ENV = "GAZETTE_HOSTILE_REPORT"  # a path: the last run's measurements are written there (for the docs)


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[HostileServer, HostileServer]]:
    plain = HostileServer()
    tls = HostileServer(self_signed_context(tmp_path_factory.mktemp("tls")))
    try:
        yield plain, tls
    finally:
        plain.close()
        tls.close()


def _routes(plain: HostileServer, tls: HostileServer) -> dict[str, str]:
    """Give every case a path; the cases that need the server's own address are wired here."""
    urls: dict[str, str] = {}
    plain.routes["/good"] = send(response(rss(3)))
    plain.routes["/good2"] = send(response(rss(3)))
    for index, case in enumerate(CASES.values()):
        path = f"/case/{index}"
        if case.handler is not None:
            plain.routes[path] = case.handler
        urls[case.name] = plain.url(path)

    def redirect(path: str, target: str | bytes, status: str = "302 Found") -> None:
        plain.routes[path] = send(response(status=status, headers=[("Location", target)]))

    base = "/case/{}".format
    names = list(CASES)
    loop = base(names.index("redirect loop"))
    redirect(loop, plain.url(loop + "/b"))
    redirect(loop + "/b", plain.url(loop))
    chain = base(names.index("redirect chain of 8"))
    for hop in range(8):
        redirect(chain + ("" if hop == 0 else f"/{hop}"), plain.url(f"{chain}/{hop + 1}"))
    plain.routes[f"{chain}/8"] = send(response(rss(1)))
    other = base(names.index("redirect to another host"))
    redirect(other, plain.url(other + "/there", host="localhost"), "301 Moved Permanently")
    plain.routes[other + "/there"] = send(response(rss(2)))
    shell = base(names.index("redirect with C1 and shell characters"))
    redirect(shell, f"http://127.0.0.1:{plain.port}/x;$(touch /tmp/gazette-pwned)|".encode() + b"\x9b2J")
    tls.routes["/feed"] = send(response(rss(1)))
    urls["self-signed TLS certificate"] = tls.url("/feed")
    return urls


@pytest.fixture(scope="module")
def corpus(servers: tuple[HostileServer, HostileServer]) -> dict[str, dict[str, Any]]:
    """Run every case once (one subprocess, one forked child per case, three at a time)."""
    plain, tls = servers
    urls = _routes(plain, tls)
    specs = [
        {
            "name": case.name,
            "url": urls[case.name],
            "good": plain.url("/good"),
            "timeout": case.timeout,
            "max_feed_bytes": case.max_feed_bytes,
        }
        for case in CASES.values()
    ]
    baseline = {**specs[0], "name": "baseline", "url": plain.url("/good2")}
    for server in (plain, tls):  # every document built now, outside the feeds' deadlines
        for handler in server.routes.values():
            if isinstance(handler, send):
                handler.prepare()
    run = subprocess.run(
        [sys.executable, str(HERE / "hostile.py")],
        input=json.dumps([baseline, *specs]),
        capture_output=True,
        text=True,
        timeout=240,
        cwd=HERE.parents[1],
    )
    assert run.returncode == 0, run.stderr[-3000:]
    results = {result["name"]: result for result in json.loads(run.stdout)}
    if os.environ.get(REPORT_ENV):
        Path(os.environ[REPORT_ENV]).write_text(json.dumps(results, indent=1, ensure_ascii=False))
    return results


def test_baseline_is_two_healthy_feeds(corpus: dict[str, dict[str, Any]]) -> None:
    baseline = corpus["baseline"]
    assert baseline["report"]["ok"] == 2, baseline
    assert baseline["bad_articles"] == 3, baseline
    assert baseline["violations"] == []


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_case(name: str, corpus: dict[str, dict[str, Any]]) -> None:
    case: Case = CASES[name]
    result = corpus[name]
    assert "crash" not in result, result
    assert result["status"] == 0, result
    # The healthy feed next to it is untouched.
    assert (result["good_articles"], result["good_error"]) == (3, None), result
    if case.expect is None:
        assert result["bad_error"] is None, result
        assert result["bad_articles"] >= 1, result
        assert result["report"]["failed"] == 0
    else:
        assert case.expect.lower() in (result["bad_error"] or "").lower(), result["bad_error"]
        assert result["report"]["errors"][0]["error"] == result["bad_error"]
        assert result["bad_articles"] == 0
    assert result["violations"] == [], result["violations"]
    for title in case.titles:
        assert title in result["titles"], result["titles"]
    assert result["longest_author"] <= 1024
    # A bound on work, not on the machine: CPU seconds (a quadratic case takes minutes of them), so a loaded
    # machine cannot fail it; the wall time is bounded anyway by the hard limit of run_cases.
    assert result["cpu_seconds"] <= case.seconds, (result["cpu_seconds"], result["seconds"])
    assert result["peak_rss_mb"] - corpus["baseline"]["peak_rss_mb"] <= case.memory_mb, result["peak_rss_mb"]


def test_empty_items_are_capped_then_pruned(corpus: dict[str, dict[str, Any]]) -> None:
    """8 MiB of empty items is ~190 000 items: 10 000 are read and stored, then the per-feed cap keeps 2000
    (the default); the 8000 pruned ones leave tombstones (tests/test_retention.py)."""
    result = corpus["8 MiB of empty items"]
    assert result["report"]["new"] == 10_000 + 3
    assert result["bad_articles"] == 2000


# --- the CLI: what a terminal would show ----------------------------------------------------------


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gazette_tui", *args],
        env=xdg_env(home),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cli_output_is_printable_text(servers: tuple[HostileServer, HostileServer], tmp_path: Path) -> None:
    plain, _ = servers
    documents = {
        "/cli/raw": nasty_rss(NASTY, raw=True),
        "/cli/smuggled": nasty_rss(NASTY_SMUGGLED, raw=True),
        "/cli/atom": nasty_atom(NASTY + NASTY_SMUGGLED),
        "/cli/json": nasty_json(NASTY + NASTY_SMUGGLED),
    }
    for path, body in documents.items():
        plain.routes[path] = send(response(body))
    plain.routes["/cli/c1-encoding"] = send(response(rss(1), headers=[("Content-Encoding", b"\x9b2J\x85")]))
    outline = "".join(
        f'<outline type="rss" text="x" xmlUrl="{plain.url(path)}"/>'
        for path in [*documents, "/cli/c1-encoding"]
    )
    opml = tmp_path / "hostile.opml"
    opml.write_text(f'<?xml version="1.0"?><opml version="2.0"><head/><body>{outline}</body></opml>')
    home = tmp_path / "home"
    runs = [
        _cli(home, "import", str(opml), "--replace"),
        _cli(home, "refresh"),
        _cli(home, "refresh", "--json"),
    ]
    runs += [_cli(home, "feeds", "list"), _cli(home, "feeds", "list", "--json")]
    runs += [_cli(home, "search", "gnp"), _cli(home, "search", "pwned", "--json")]
    database = home / "data" / "gazette-tui" / "gazette.db"
    with sqlite3.connect(database) as connection:
        ids = [row[0] for row in connection.execute("SELECT id FROM articles")]
    assert len(ids) >= 30
    runs += [_cli(home, "show", str(i)) for i in ids[:: max(1, len(ids) // 12)]]
    runs += [
        _cli(home, "dossiers", "add", "Hostile", str(ids[0])),
        _cli(home, "dossiers", "export", "Hostile"),
    ]
    for run in runs:
        for stream in (run.stdout, run.stderr):
            assert not FORBIDDEN.search(stream), (run.args, FORBIDDEN.search(stream))
            assert "Traceback" not in stream
    refresh = runs[1]
    # the C1 CSI in the label is read as Windows-1252 (›), as browsers do: printable, inert
    assert refresh.returncode == 1
    assert "Encodage non pris en charge (›2j)" in refresh.stderr
    assert "[@click=app.quit]Quitter[/]" in runs[5].stdout  # search: titles; markup shown as the text it is
    assert not Path("/tmp/gazette-pwned").exists()
    shown = "\n".join(run.stdout for run in runs if run.args[3:4] == ["show"])
    links = re.findall(r"^\[\d+\] (\S+)$", shown, re.MULTILINE)
    assert links
    assert all(link.startswith(("http://", "https://", "mailto:")) for link in links)
