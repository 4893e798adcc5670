"""The benchmark harness works: its corpus is deterministic and parses, its server answers conditional
requests as a real feed server does, and ``benchmarks/run.py --quick`` produces every figure. No timing is
asserted here (that is what the benchmark itself reports)."""

from __future__ import annotations

import importlib.util
import json
import math
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from gazette_tui.core.feeds.opml import read_opml
from gazette_tui.core.feeds.parse import parse_feed

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


corpus = _load("corpus")
server = _load("server")


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return corpus.build(tmp_path_factory.mktemp("bench"), feeds=3, items=5)


@pytest.fixture(scope="module")
def served(small_corpus: Any) -> Iterator[Any]:
    with server.ServerProcess(small_corpus.root) as running:
        yield running


def test_corpus_is_deterministic_french_rss() -> None:
    first = corpus.render_feed(4, 6)
    assert first == corpus.render_feed(4, 6)
    assert first != corpus.render_feed(4, 6, seed=1)
    # Feed n does not depend on how many feeds are generated: the small corpus is a prefix of the big one.
    assert corpus.render_feed(2, 6) == dict(corpus.iter_feeds(3, 6))[2]

    parsed = parse_feed(first, "http://127.0.0.1/feeds/feed-0005.xml")
    assert parsed.kind == "rss"
    assert len(parsed.entries) == 6
    assert len({entry.key for entry in parsed.entries}) == 6
    for entry in parsed.entries:
        assert entry.title
        assert entry.author
        assert entry.published
        assert len(entry.categories) == 3
        assert 2500 <= len(entry.content_html.encode()) <= 5000
    text = " ".join(entry.text for entry in parsed.entries)
    assert any(accent in text for accent in "éèàç")
    dates = [entry.published or 0 for entry in parsed.entries]
    assert dates == sorted(dates, reverse=True)


def test_subscription_files_list_every_feed(small_corpus: Any, tmp_path: Path) -> None:
    base = "http://127.0.0.1:9"
    opml = corpus.write_opml(small_corpus, base, tmp_path / "c.opml")
    urls = corpus.write_urls(small_corpus, base, tmp_path / "urls")
    expected = small_corpus.urls(base)
    assert urls.read_text().split() == expected
    imported = read_opml(opml)
    assert [url for url, _, _ in imported] == expected
    assert all(title and rubrique for _, title, rubrique in imported)


def test_server_serves_corpus_with_validators(small_corpus: Any, served: Any) -> None:
    name = small_corpus.names()[0]
    url = f"{served.base_url}/feeds/{name}"
    with httpx.Client() as client:
        response = client.get(url)
        assert response.status_code == 200
        assert response.content == (small_corpus.feed_dir / name).read_bytes()
        assert response.headers["content-length"] == str(len(response.content))
        assert response.headers["content-type"].startswith("application/rss+xml")
        etag, modified = response.headers["etag"], response.headers["last-modified"]
        assert etag.startswith('"')
        assert modified.endswith("GMT")
        # Last-Modified is the feed's newest item, fixed by the generator (not the file's mtime).
        assert modified == "Fri, 01 Mar 2024 08:00:00 GMT"
        assert client.get(f"{served.base_url}/feeds/none.xml").status_code == 404


def test_server_answers_conditional_requests_with_304(small_corpus: Any, served: Any) -> None:
    names = small_corpus.names()
    base = served.base_url
    with httpx.Client() as client:
        first = client.get(f"{base}/feeds/{names[1]}")
        etag, modified = first.headers["etag"], first.headers["last-modified"]
        served.stats(reset=True)

        same = client.get(f"{base}/feeds/{names[1]}", headers={"If-None-Match": etag})
        assert same.status_code == 304
        assert same.content == b""
        assert same.headers["etag"] == etag
        weak = client.get(f"{base}/feeds/{names[1]}", headers={"If-None-Match": f'"other", W/{etag}'})
        assert weak.status_code == 304
        since = client.get(f"{base}/feeds/{names[1]}", headers={"If-Modified-Since": modified})
        assert since.status_code == 304
        # If-None-Match wins over If-Modified-Since: a stale ETag means the body is sent.
        stale = client.get(
            f"{base}/feeds/{names[1]}", headers={"If-None-Match": '"old"', "If-Modified-Since": modified}
        )
        assert stale.status_code == 200
        assert stale.content == first.content
        older = client.get(
            f"{base}/feeds/{names[1]}", headers={"If-Modified-Since": "Thu, 01 Jan 2015 00:00:00 GMT"}
        )
        assert older.status_code == 200
        # Another feed's ETag does not match this one.
        other = client.get(f"{base}/feeds/{names[2]}", headers={"If-None-Match": etag})
        assert other.status_code == 200

    stats = served.stats()
    assert stats["304"] == 3
    assert stats["200"] == 3
    assert stats["requests"] == 6


@pytest.mark.slow
@pytest.mark.timeout(360)  # a whole --quick run (its own limit is 300 s), over the suite's 120 s default
def test_run_quick_produces_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [
            sys.executable,
            str(BENCH / "run.py"),
            "--quick",
            "--cache-dir",
            str(tmp_path / "cache"),
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads(out.read_text())
    assert {"params", "machine", "targets", "server_check", "tools", "ratios", "search", "tui"} <= data.keys()
    articles = data["params"]["articles"]
    assert articles == data["params"]["feeds"] * data["params"]["items"]
    for name in ("newsboat", "gazette-tui"):
        tool = data["tools"][name]
        assert tool["problems"] == []
        assert tool["articles"] == articles
        assert tool["feeds"] == data["params"]["feeds"]
        assert tool["cold_s"] > 0
        assert tool["warm_s"] > 0
        assert len(tool["cold"]["runs"]) == len(tool["warm"]["runs"]) == data["params"]["repeat"]
        assert tool["peak_rss_mb"]["max_process"] > 0
        assert tool["peak_rss_mb"]["main_process"] > 0
        assert tool["db_bytes"] > 0
        assert tool["db_kb_per_1k_articles"] > 0
    assert math.isfinite(data["ratios"]["cold"])
    assert math.isfinite(data["ratios"]["warm"])
    search = data["search"]
    assert search["articles"] == data["params"]["search_articles"]
    assert search["errors"] == {}
    assert 0 < search["p50_ms"] <= search["p95_ms"] <= search["max_ms"]
    assert sum(search["hits"].values()) > 0
    assert data["machine"]["cpu"]
    assert data["machine"]["newsboat"].startswith("newsboat")
    assert isinstance(data["tui"], dict)
    assert data["tui"]
    assert "ratio à froid" in result.stdout
    # The first frame in tmux, beside a bare Textual app: both drawn, each run timed.
    frame = data["first_frame"]
    assert frame["runs"] == len(frame["bare_runs"]) == len(frame["gazette_runs"]) >= 3
    assert frame["bare_s"] > 0
    assert frame["gazette_s"] > 0
    assert frame["over_bare_s"] == frame["gazette_s"] - frame["bare_s"]
    assert frame["articles"] == data["search"]["articles"]
    # Every target has a verdict line, measured or not (the million is not part of --quick).
    metrics = {row["metric"] for row in data["verdicts"]}
    assert set(data["targets"]) <= metrics
    assert all(row["value"] is None for row in data["verdicts"] if row["metric"].startswith("million_"))
