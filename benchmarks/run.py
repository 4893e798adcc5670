"""gazette-tui against newsboat on one synthetic corpus, in one run, on this machine.

    python benchmarks/run.py [--quick] [--feeds N] [--items N] [--repeat N] [--json out.json]
    python benchmarks/run.py --serve      # only serve the corpus (to profile a tool by hand)

What is measured (docs/BENCHMARKS.md explains each figure and how to read it):

- cold refresh: an empty cache fetches every feed (``--feeds`` × ``--items`` articles);
- warm refresh: the same cache again, every feed answering ``304 Not Modified``;
- peak memory of the cold refresh (see benchmarks/measure.py for how a process pool is counted);
- database size per 1,000 articles;
- search over a large cache (100k articles by default), timed inside the process;
- the TUI (first frame, opening an article, memory): a placeholder until ``gazette_tui.ui.app.build_app``
  exists.

Each refresh runs the real command line in a temporary home (``HOME`` and the ``XDG_*`` variables), against
a static server on 127.0.0.1 in its own process; every figure is the median of ``--repeat`` runs. The script
checks that each tool really stored every article and that warm runs were really answered with 304s; it
exits 1 when a check fails, 0 otherwise (missing a target is a result, not an error).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import importlib
import importlib.util
import json
import os
import platform
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING, Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import corpus as corpus_mod  # noqa: E402
import measure  # noqa: E402
from server import ServerProcess  # noqa: E402

if TYPE_CHECKING:
    from gazette_tui.core.storage.store import Store

TARGETS = {
    "cold_ratio": 0.5,
    "warm_ratio": 0.1,
    "typical_ratio": 0.1,
    "db_ratio": 1.5,
    "search_p95_ms": 30.0,
    "search_max_ms": 100.0,
    "open_article_ms": 30.0,
    "first_frame_over_bare_s": 0.15,
    "million_open_article_ms": 50.0,
    "million_search_p95_ms": 100.0,
    "million_prefix_max_ms": 200.0,
    "million_peak_rss_mb": 200.0,
    "million_first_frame_over_bare_s": 0.3,
}
"""Each figure's goal (docs/BENCHMARKS.md): ratios are gazette-tui / newsboat; all are upper bounds."""
TYPICAL_CHANGED = 20
"""The typical refresh: this many feeds of 200 (scaled with ``--feeds``) have new articles…"""
TYPICAL_NEW = 5
"""…this many each; every other feed answers 304."""
EXIT_MISSED = 2
"""The exit code when every check passed but a target was missed (1: a check failed)."""
MAX_PRIMING_RUNS = 2

# Realistic 1–2 word queries of a public servant over this corpus's vocabulary (accents on and off).
QUERIES = [
    "budget",
    "taxe foncière",
    "urbanisme",
    "démocratie",
    "democratie locale",
    "police municipale",
    "cantine",
    "retraites",
    "RIFSEEP",
    "énergie",
    "eau potable",
    "marchés publics",
    "intercommunalité",
    "vidéoprotection",
    "logement social",
    "décret",
    "préfète",
    "recrutement",
    "DGF",
    "transition écologique",
    "artificialisation",
    "piscine",
    "cybersécurité",
    "agents",
    "compétence eau",
    "apprentissage",
    "voirie",
    "crèche",
    "élus locaux",
    "cimetière",
    "fibre",
    "Lauzières",
]
PREFIX_QUERIES = ["ré*", "con*", "urba*", "fonctionn*", "recrut*", "cyber*", "assainiss*"]
# Search as you type sends every prefix of a word: each length, for common words of the corpus.
PREFIX_QUERIES += [
    f"{word[:n]}*" for word in ("commune", "municipal", "intercommunalité") for n in range(2, len(word))
]
PREFIX_QUERIES = list(dict.fromkeys(PREFIX_QUERIES))
FIELD_QUERIES = [
    "author:martin",
    "tag:dotation",
    "rubrique:urbanisme foncier",
    "is:unread budget",
    "after:2023-06-01 piscine",
    "sort:date budget",
    'author:"claire martin" eau',
]


# -- small helpers -----------------------------------------------------------------------------------


def say(text: str = "") -> None:
    print(text, flush=True)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest value with at least ``fraction`` of the values at or below it."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, -(-int(fraction * len(ordered) * 1000) // 1000))
    return ordered[min(rank, len(ordered)) - 1]


def db_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal"), Path(f"{path}-journal")) if p.exists())


def count_rows(path: Path, table: str) -> int:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
    finally:
        connection.close()


def command_output(command: list[str]) -> str:
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return (result.stdout or result.stderr).strip()


def machine_info() -> dict[str, Any]:
    cpu = ""
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram_kb = 0
    with open("/proc/meminfo") as handle:
        for line in handle:
            if line.startswith("MemTotal:"):
                ram_kb = int(line.split()[1])
    try:
        import gazette_tui

        gazette_version = gazette_tui.__version__
    except ImportError:
        gazette_version = "absent"
    commit = command_output(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    dirty = command_output(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"])
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(ram_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "newsboat": command_output(["newsboat", "--version"]).splitlines()[0]
        if shutil.which("newsboat")
        else "",
        "gazette_tui": gazette_version,
        "commit": commit + ("+modifications" if dirty else ""),
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
    }


# -- the tools ---------------------------------------------------------------------------------------


@dataclass
class Tool:
    """How to subscribe a fresh home to the corpus, refresh it, and see what it stored."""

    name: str
    prepare: Callable[[Path, Path, Path], None]
    """(home, urls file, opml file): everything before the timed refresh."""
    command: Callable[[Path, Path], list[str]]
    """(home, urls file) → the refresh command."""
    env: Callable[[Path], dict[str, str]]
    database: Callable[[Path], Path]
    articles: Callable[[Path], int]
    feeds: Callable[[Path], int]


def _newsboat_env(home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local/share"),
    }


def _newsboat_prepare(home: Path, urls: Path, opml: Path) -> None:
    (home / "newsboat.conf").write_text("reload-threads 8\n")


def newsboat_tool() -> Tool:
    return Tool(
        name="newsboat",
        prepare=_newsboat_prepare,
        command=lambda home, urls: [
            "newsboat",
            "-u",
            str(urls),
            "-c",
            str(home / "cache.db"),
            "-C",
            str(home / "newsboat.conf"),
            "-x",
            "reload",
        ],
        env=_newsboat_env,
        database=lambda home: home / "cache.db",
        articles=lambda home: count_rows(home / "cache.db", "rss_item"),
        feeds=lambda home: count_rows(home / "cache.db", "rss_feed"),
    )


def compile_bytecode() -> None:
    """Compile the package's bytecode first, as installing a wheel does. From a checkout (an editable
    install) under ``PYTHONDONTWRITEBYTECODE`` every run would otherwise compile ~45 modules again (~0.1 s of
    a warm refresh), which no user pays."""
    import compileall

    import gazette_tui

    compileall.compile_dir(Path(gazette_tui.__file__).parent, quiet=1)


def gazette_command() -> list[str]:
    script = Path(sys.executable).parent / "gazette-tui"
    return [str(script)] if script.exists() else [sys.executable, "-m", "gazette_tui"]


def gazette_env(home: Path) -> dict[str, str]:
    env = {**os.environ, "HOME": str(home)}
    for name, sub in (
        ("CONFIG", ".config"),
        ("DATA", ".local/share"),
        ("CACHE", ".cache"),
        ("STATE", ".local/state"),
    ):
        env[f"XDG_{name}_HOME"] = str(home / sub)
    env.pop("GAZETTE_TUI_DEBUG", None)
    return env


def gazette_database(home: Path) -> Path:
    return home / ".local/share/gazette-tui/gazette.db"


def _gazette_prepare(home: Path, urls: Path, opml: Path) -> None:
    config = home / ".config/gazette-tui/config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    # The corpus is dated March 2024: it is all stored anyway (age counts from arrival in the cache). No age
    # limit either, like newsboat's default, so that both programs keep the same articles whatever the day.
    config.write_text("[retention]\ndays = 0\n")
    result = subprocess.run(
        [*gazette_command(), "import", str(opml), "--replace"],
        env=gazette_env(home),
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        raise RuntimeError(f"gazette-tui import a échoué ({result.returncode}) : {result.stderr.strip()}")


def gazette_tool() -> Tool:
    return Tool(
        name="gazette-tui",
        prepare=_gazette_prepare,
        command=lambda home, urls: [*gazette_command(), "refresh", "--json"],
        env=gazette_env,
        database=gazette_database,
        articles=lambda home: count_rows(gazette_database(home), "articles"),
        feeds=lambda home: count_rows(gazette_database(home), "feeds"),
    )


# -- refresh benchmark -------------------------------------------------------------------------------


@dataclass
class ToolResult:
    name: str
    cold: list[measure.Measurement] = field(default_factory=list)
    warm: list[measure.Measurement] = field(default_factory=list)
    typical: list[measure.Measurement] = field(default_factory=list)
    priming_runs: int = 0
    articles: int = 0
    feeds: int = 0
    db_bytes: int = 0
    problems: list[str] = field(default_factory=list)

    def as_json(self, expected_articles: int) -> dict[str, Any]:
        def phase(runs: list[measure.Measurement]) -> dict[str, Any]:
            summaries = [r.summary() for r in runs]
            keys = summaries[0].keys() if summaries else ()
            return {
                "median": {k: median([float(s[k]) for s in summaries]) for k in keys},
                "runs": summaries,
            }

        cold = phase(self.cold)
        return {
            "cold": cold,
            "warm": phase(self.warm),
            "cold_s": cold["median"].get("wall_s", float("nan")),
            "warm_s": median([r.wall_s for r in self.warm]),
            "typical": phase(self.typical),
            "typical_s": median([r.wall_s for r in self.typical]) if self.typical else float("nan"),
            "peak_rss_mb": {
                "max_process": cold["median"].get("max_rss_kb", 0) / 1024,
                "main_process": cold["median"].get("main_hwm_kb", 0) / 1024,
                "largest_child": cold["median"].get("children_hwm_kb", 0) / 1024,
                "tree_rss_sum": cold["median"].get("tree_rss_kb", 0) / 1024,
                "tree_pss_sum": cold["median"].get("tree_pss_kb", 0) / 1024,
                "processes": cold["median"].get("processes", 0),
            },
            "priming_runs": self.priming_runs,
            "articles": self.articles,
            "expected_articles": expected_articles,
            "feeds": self.feeds,
            "db_bytes": self.db_bytes,
            "db_kb_per_1k_articles": self.db_bytes / 1024 / max(self.articles / 1000, 1e-9),
            "problems": self.problems,
        }


def refresh_round(
    tool: Tool,
    result: ToolResult,
    server: ServerProcess,
    corpus: corpus_mod.Corpus,
    work: Path,
    launcher: measure.Launcher,
    number: int,
    keep: bool,
    update: tuple[int, int] | None = None,
) -> None:
    """One cold refresh in a fresh home, then one warm refresh of the same cache (after priming if needed),
    then, with ``update`` (changed feeds, new articles each), the typical refresh of the day after: the
    server's overlay on, those feeds answer 200 with their new articles, the others 304."""
    feeds = corpus.feeds
    home = Path(tempfile.mkdtemp(prefix=f"{tool.name}-", dir=work))
    urls = corpus_mod.write_urls(corpus, server.base_url, home / "urls")
    opml = corpus_mod.write_opml(corpus, server.base_url, home / "corpus.opml")
    tool.prepare(home, urls, opml)
    command, env = tool.command(home, urls), tool.env(home)

    server.stats(reset=True)
    cold = launcher.run(command, env=env, cwd=home)
    stats = server.stats()
    result.cold.append(cold)
    say(
        f"  {tool.name} à froid n° {number} : {cold.wall_s:.2f} s, {cold.max_rss_kb / 1024:.0f} Mo "
        f"(charge {cold.loadavg:.1f})"
    )
    if cold.returncode != 0:
        result.problems.append(f"à froid : code {cold.returncode} : {cold.stderr.strip()[-400:]}")
    if stats["200"] != feeds:
        result.problems.append(f"à froid : {stats['200']} réponses 200 pour {feeds} flux ({stats})")
    result.articles = tool.articles(home)
    result.feeds = tool.feeds(home)
    result.db_bytes = db_bytes(tool.database(home))
    if result.articles != corpus.articles:
        result.problems.append(f"à froid : {result.articles} articles stockés sur {corpus.articles}")

    # Warm: the same cache again. A run that is not answered entirely with 304s is priming (newsboat only
    # saves a feed's ETag when the feed was already in its cache, so its first reload still gets 200s).
    primed = 0
    while True:
        server.stats(reset=True)
        warm = launcher.run(command, env=env, cwd=home)
        stats = server.stats()
        if warm.returncode != 0:
            result.problems.append(f"à chaud : code {warm.returncode} : {warm.stderr.strip()[-400:]}")
        if stats["304"] == feeds:
            result.warm.append(warm)
            say(f"  {tool.name} à chaud n° {number} : {warm.wall_s:.2f} s (charge {warm.loadavg:.1f})")
            break
        primed += 1
        if primed > MAX_PRIMING_RUNS:
            result.problems.append(f"à chaud : jamais {feeds} réponses 304 ({stats})")
            break
    result.priming_runs = max(result.priming_runs, primed)
    if update is not None:
        typical_round(tool, result, server, corpus, home, launcher, number, update)
    if not keep:
        shutil.rmtree(home, ignore_errors=True)


def typical_round(
    tool: Tool,
    result: ToolResult,
    server: ServerProcess,
    corpus: corpus_mod.Corpus,
    home: Path,
    launcher: measure.Launcher,
    number: int,
    update: tuple[int, int],
) -> None:
    changed, new = update
    command, env = tool.command(home, home / "urls"), tool.env(home)
    before = tool.articles(home)
    server.overlay(True)
    try:
        server.stats(reset=True)
        typical = launcher.run(command, env=env, cwd=home)
        stats = server.stats()
    finally:
        server.overlay(False)
    result.typical.append(typical)
    say(f"  {tool.name} typique n° {number} : {typical.wall_s:.2f} s (charge {typical.loadavg:.1f})")
    if typical.returncode != 0:
        result.problems.append(f"typique : code {typical.returncode} : {typical.stderr.strip()[-400:]}")
    if stats["200"] != changed or stats["304"] != corpus.feeds - changed:
        result.problems.append(f"typique : {changed} réponses 200 attendues, le reste en 304 ({stats})")
    added = tool.articles(home) - before
    if added != changed * new:
        result.problems.append(f"typique : {added} articles ajoutés sur {changed * new}")


def server_check(server: ServerProcess, corpus: corpus_mod.Corpus) -> dict[str, Any]:
    """How fast the server alone delivers the corpus (curl), and what a plain httpx fetch of it costs."""
    import httpx

    urls = corpus.urls(server.base_url)
    check: dict[str, Any] = {}
    if shutil.which("curl"):
        args = [a for url in urls for a in (url, "-o", os.devnull)]
        started = time.perf_counter()
        subprocess.run(["curl", "-sS", "-Z", "--parallel-max", "8", *args], check=True, capture_output=True)
        check["curl_fetch_all_s"] = time.perf_counter() - started
        # Every feed's Last-Modified is at or before the corpus epoch, so this asks for 200 × 304.
        since = corpus_mod.EPOCH.strftime("%a, %d %b %Y %H:%M:%S GMT")
        server.stats(reset=True)
        started = time.perf_counter()
        subprocess.run(
            ["curl", "-sS", "-Z", "--parallel-max", "6", "-H", f"If-Modified-Since: {since}", *args],
            check=True,
            capture_output=True,
        )
        check["curl_304_all_s"] = time.perf_counter() - started
        check["curl_304_answers"] = server.stats()["304"]

    async def fetch_all() -> int:
        limits = httpx.Limits(max_connections=8, max_keepalive_connections=8)
        async with httpx.AsyncClient(limits=limits) as client:
            responses = await asyncio.gather(*(client.get(url) for url in urls))
        return sum(len(r.content) for r in responses if r.status_code == 200)

    started = time.perf_counter()
    size = asyncio.run(fetch_all())
    check["httpx_fetch_all_s"] = time.perf_counter() - started
    check["bytes"] = size
    return check


# -- search benchmark --------------------------------------------------------------------------------


def _parse_one(job: tuple[int, int, int]) -> tuple[int, Any]:
    from gazette_tui.core.feeds.parse import parse_feed

    index, items, seed = job
    return index, parse_feed(corpus_mod.render_feed(index, items, seed), f"http://127.0.0.1/feeds/{index}")


def _schema_key() -> str:
    """Changes whenever the schema code changes, so a cached search database is rebuilt."""
    from gazette_tui.core.storage import schema

    source = Path(schema.__file__).read_bytes()
    return f"schema{schema.SCHEMA_VERSION}-{hashlib.sha1(source).hexdigest()[:8]}"


def _move_database(source: Path, target: Path) -> None:
    """Rename a database file with its WAL and shared-memory files, those that exist."""
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            Path(f"{source}{suffix}").rename(Path(f"{target}{suffix}"))


def _upgrade_older(cache_dir: Path, prefix: str, path: Path) -> dict[str, Any] | None:
    """A cache of the same corpus built by an older schema is upgraded the way a user's file is (the
    Store's migrations), rather than built again (94 minutes for a million articles): it is moved aside,
    opened, checkpointed and renamed to the current name. None when there is none to upgrade. A cache of a
    newer schema (built by a later checkout) is left alone: this Store could not open it."""
    from gazette_tui.core.storage import schema
    from gazette_tui.core.storage.store import Store

    for old in sorted(cache_dir.glob(f"{prefix}schema*.db")):
        info_old = old.with_suffix(".json")
        version = re.match(r"schema(\d+)-", old.name.removeprefix(prefix))
        if version is None or int(version[1]) > schema.SCHEMA_VERSION or old == path or not info_old.exists():
            continue
        staged = path.with_suffix(".upgrading")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{staged}{suffix}").unlink(missing_ok=True)
        _move_database(old, staged)
        started = time.perf_counter()
        with Store(staged) as store:
            store.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        _move_database(staged, path)
        for lock in (Path(f"{old}.lock"), Path(f"{staged}.lock")):  # the Store's advisory locks, now unused
            lock.unlink(missing_ok=True)
        info = {
            **json.loads(info_old.read_text()),
            "upgraded_from": old.name,
            "upgrade_s": time.perf_counter() - started,
            "db_bytes": db_bytes(path),
        }
        path.with_suffix(".json").write_text(json.dumps(info))
        info_old.unlink()
        return {**info, "reused": True}
    return None


def build_search_db(cache_dir: Path, feeds: int, items: int, seed: int) -> tuple[Path, dict[str, Any]]:
    """A cache of ``feeds × items`` articles stored through the real parser and Store, built once."""
    from gazette_tui.core.storage.store import Store

    name = f"search-v{corpus_mod.GENERATOR_VERSION}-s{seed}-f{feeds}-i{items}-{_schema_key()}.db"
    path = cache_dir / name
    info_path = path.with_suffix(".json")
    if path.exists() and info_path.exists():
        return path, {**json.loads(info_path.read_text()), "reused": True}
    cache_dir.mkdir(parents=True, exist_ok=True)
    upgraded = _upgrade_older(
        cache_dir, f"search-v{corpus_mod.GENERATOR_VERSION}-s{seed}-f{feeds}-i{items}-", path
    )
    if upgraded is not None:
        return path, upgraded
    # A cache for an older schema is of no further use, and each weighs ~1 GB at 100k articles.
    for stale in cache_dir.glob(f"search-*-s{seed}-f{feeds}-i{items}-*"):
        if not stale.name.startswith(path.name.removesuffix(".db")):
            stale.unlink(missing_ok=True)
    partial = path.with_suffix(".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    started = time.perf_counter()
    store_seconds = 0.0
    with Store(partial) as store:
        store.add_feeds(
            (
                f"http://127.0.0.1/feeds/{corpus_mod.feed_name(i)}",
                corpus_mod.feed_title(i),
                corpus_mod.feed_topic(i).rubrique,
            )
            for i in range(feeds)
        )
        ids = [state.id for state in store.feed_states()]
        workers = max(1, (os.cpu_count() or 1))
        with get_context("fork").Pool(workers) as pool:
            for index, parsed in pool.imap_unordered(_parse_one, [(i, items, seed) for i in range(feeds)], 4):
                began = time.perf_counter()
                store.record_success(ids[index], parsed)
                store_seconds += time.perf_counter() - began
        store.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        articles = store.counts()["all"]
    _move_database(partial, path)
    info = {
        "articles": articles,
        "build_s": time.perf_counter() - started,
        "store_s": store_seconds,
        "store_articles_per_s": articles / store_seconds if store_seconds else 0.0,
        "db_bytes": db_bytes(path),
    }
    info_path.write_text(json.dumps(info))
    return path, {**info, "reused": False}


def build_common_db(cache_dir: Path, articles: int) -> tuple[Path, dict[str, Any]]:
    """The hard corpus of ``search_probe.py --corpus common`` (each query word in 30–60 % of the articles),
    built once per schema."""
    import search_probe

    path = cache_dir / f"common-a{articles}-{_schema_key()}.db"
    info_path = path.with_suffix(".json")
    if path.exists() and info_path.exists():
        return path, {**json.loads(info_path.read_text()), "reused": True}
    for stale in cache_dir.glob(f"common-a{articles}-*"):
        stale.unlink(missing_ok=True)
    partial = path.with_suffix(".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    started = time.perf_counter()
    search_probe.generate_common(partial, articles)
    _move_database(partial, path)
    info = {"articles": count_rows(path, "articles"), "build_s": time.perf_counter() - started,
            "db_bytes": db_bytes(path)}  # fmt: skip
    info_path.write_text(json.dumps(info))
    return path, {**info, "reused": False}


def common_queries() -> list[str]:
    import search_probe

    return [text for _, text in search_probe.COMMON_QUERIES]


def _fts_terms(text: str) -> str:
    """Each word quoted (so nothing typed is FTS5 syntax), a trailing * kept as a prefix query."""
    terms = []
    for word in text.split():
        prefix = word.endswith("*")
        word = word.rstrip("*").replace('"', '""')
        terms.append(f'"{word}"' + ("*" if prefix else ""))
    return " ".join(terms)


def _fallback_search(store: Store, text: str, limit: int = 50) -> list[Any]:
    """Plain FTS5 top-N by rank in a subquery, then the join: what search.py must at least match."""
    sql = (
        "SELECT a.id, a.title, a.feed_title, a.published FROM "
        "(SELECT rowid, rank FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?) AS hit "
        "JOIN articles AS a ON a.id = hit.rowid ORDER BY hit.rank"
    )
    with store.reading() as c:
        rows: list[Any] = c.execute(sql, (_fts_terms(text), limit)).fetchall()
    return rows


def _fallback_count(store: Store, text: str) -> int:
    with store.reading() as c:
        row = c.execute(
            "SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH ?", (_fts_terms(text),)
        ).fetchone()
    return int(row[0])


def bench_search(
    path: Path, build: dict[str, Any], rounds: int, queries: list[str] | None = None
) -> dict[str, Any]:
    """Each query ``rounds`` times (after a warm-up round), top 50 with highlights, as the search bar asks."""
    from gazette_tui.core.storage.store import Store

    search: Callable[..., Any]
    count: Callable[..., int]
    try:
        module = importlib.import_module("gazette_tui.core.search.search")
        search, count = module.search_hits, module.count
        engine = "gazette_tui.core.search.search.search_hits"
        queries = queries or QUERIES + PREFIX_QUERIES + FIELD_QUERIES
    except (ImportError, AttributeError):
        search, count = _fallback_search, _fallback_count
        engine = "fallback: FTS5 MATCH top-50 (gazette_tui.core.search.search absent)"
        queries = QUERIES + PREFIX_QUERIES

    timings: dict[str, list[float]] = {q: [] for q in queries}
    hits: dict[str, int] = {}
    errors: dict[str, str] = {}
    with Store(path) as store:
        first: dict[str, float] = {}
        for round_number in range(rounds + 1):  # round 0 warms SQLite's page cache and is reported apart
            for query in queries:
                if query in errors:
                    continue
                started = time.perf_counter()
                try:
                    found = search(store, query, limit=50)
                except Exception as error:  # a query the engine rejects is reported, not fatal
                    errors[query] = f"{type(error).__name__}: {error}"
                    continue
                elapsed = (time.perf_counter() - started) * 1000
                hits[query] = len(found)
                if round_number:
                    timings[query].append(elapsed)
                else:
                    first[query] = elapsed
        # How many articles each query matches in all (not timed): a word in most articles is the hard case.
        matches = {q: count(store, q) for q in queries if q not in errors}
    flat = [t for values in timings.values() for t in values]
    per_query = {q: round(median(v), 2) for q, v in timings.items() if v}
    return {
        "engine": engine,
        "articles": build["articles"],
        "db_bytes": build["db_bytes"],
        "db_kb_per_1k_articles": build["db_bytes"] / 1024 / max(build["articles"] / 1000, 1e-9),
        "build": build,
        "queries": len([q for q in queries if q not in errors]),
        "rounds": rounds,
        "p50_ms": percentile(flat, 0.5),
        "p95_ms": percentile(flat, 0.95),
        "max_ms": max(flat, default=float("nan")),
        "first_round_p95_ms": percentile(list(first.values()), 0.95),
        "first_round_max_ms": max(first.values(), default=float("nan")),
        "per_query_median_ms": per_query,
        "runs_ms": {q: [round(t, 2) for t in v] for q, v in timings.items() if v},
        "hits": hits,
        "matches": matches,
        "errors": errors,
    }


# -- TUI benchmark ---------------------------------------------------------------------------------


def bench_tui(launcher: measure.Launcher, database: Path | None, work: Path) -> dict[str, Any]:
    """First frame with the large cache, open-article latency and the TUI's peak memory (tui_probe.py).

    Skipped, with the reason, while ``gazette_tui.ui.app.build_app`` cannot be imported.
    """
    try:
        module = importlib.import_module("gazette_tui.ui.app")
    except ImportError as error:
        return {"skipped": f"gazette_tui.ui.app absent ({error}) : mesures de l'interface non faites"}
    if not hasattr(module, "build_app"):
        return {"skipped": "gazette_tui.ui.app.build_app absent : mesures de l'interface non faites"}
    if database is None:
        return {"skipped": "pas de cache de recherche (--no-search) : mesures de l'interface non faites"}
    say("Interface :")
    # Opening an article marks it read: work on a copy, never on the cached database.
    copy = work / "tui.db"
    connection = sqlite3.connect(database)
    target = sqlite3.connect(copy)
    try:
        connection.backup(target)
    finally:
        target.close()
        connection.close()
    out = work / "tui.json"
    env = gazette_env(work / "tui-home")
    env["BENCH_T0"] = repr(time.time())
    run = launcher.run(
        [sys.executable, str(HERE / "tui_probe.py"), str(copy), str(out)], env=env, timeout=300
    )
    copy.unlink(missing_ok=True)
    if run.returncode != 0 or not out.exists():
        return {"error": f"code {run.returncode} : {run.stderr.strip()[-600:]}"}
    result: dict[str, Any] = json.loads(out.read_text())
    result["peak_rss_mb"] = run.max_rss_kb / 1024
    result["wall_s"] = run.wall_s
    say(
        f"  première image {result['first_frame_s']:.2f} s, ouverture d'article "
        f"{result['open_article_ms']['median']:.0f} ms (médiane), {result['peak_rss_mb']:.0f} Mo"
    )
    return result


def bench_first_frame(
    launcher: measure.Launcher, database: Path | None, work: Path, runs: int
) -> dict[str, Any]:
    """Launch to list drawn in tmux, beside a bare Textual app in the same terminal (tmux_probe.py)."""
    if database is None:
        return {"skipped": "pas de cache de recherche (--no-search) : première image non mesurée"}
    if shutil.which("tmux") is None:
        return {"skipped": "tmux absent : première image non mesurée"}
    out = work / "first-frame.json"
    run = launcher.run(
        [sys.executable, str(HERE / "tmux_probe.py"), str(database), str(out), "--runs", str(runs)],
        timeout=900,
    )
    if run.returncode != 0 or not out.exists():
        return {"error": f"code {run.returncode} : {run.stderr.strip()[-600:]}"}
    result: dict[str, Any] = json.loads(out.read_text())
    say(
        f"  première image dans tmux : {result['gazette_s']:.2f} s, Textual nu {result['bare_s']:.2f} s, "
        f"écart {result['over_bare_s']:+.2f} s (médianes de {runs})"
    )
    return result


# -- the run -----------------------------------------------------------------------------------------


def ratio(ours: float, theirs: float) -> float:
    return ours / theirs if theirs and theirs == theirs else float("nan")


def report(results: dict[str, Any]) -> None:
    tools = results["tools"]
    say()
    say(f"{'':24}" + "".join(f"{name:>16}" for name in tools))
    rows: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
        ("refresh à froid (s)", lambda t: f"{t['cold_s']:.2f}"),
        ("refresh à chaud (s)", lambda t: f"{t['warm_s']:.2f}"),
        ("refresh typique (s)", lambda t: f"{t['typical_s']:.2f}"),
        ("RSS max, 1 processus (Mo)", lambda t: f"{t['peak_rss_mb']['max_process']:.0f}"),
        ("RSS processus principal", lambda t: f"{t['peak_rss_mb']['main_process']:.0f}"),
        ("RSS plus gros enfant", lambda t: f"{t['peak_rss_mb']['largest_child']:.0f}"),
        ("PSS total (Mo)", lambda t: f"{t['peak_rss_mb']['tree_pss_sum']:.0f}"),
        ("processus", lambda t: f"{t['peak_rss_mb']['processes']:.0f}"),
        ("articles", lambda t: f"{t['articles']}"),
        ("base (Ko / 1k articles)", lambda t: f"{t['db_kb_per_1k_articles']:.0f}"),
    ]
    for label, cell in rows:
        say(f"{label:<26}" + "".join(f"{cell(t):>14}" for t in tools.values()))
    ratios = results["ratios"]
    if ratios:
        say()
        for phase, label in (("cold", "à froid"), ("warm", "à chaud"), ("typical", "typique")):
            goal = TARGETS[f"{phase}_ratio"]
            say(f"ratio {label} gazette-tui / newsboat : {ratios[phase]:.3f} (objectif ≤ {goal})")
    search = results.get("search")
    if search:
        say(
            f"recherche ({search['articles']} articles, {search['engine']}) : p50 {search['p50_ms']:.1f} ms, "
            f"p95 {search['p95_ms']:.1f} ms, max {search['max_ms']:.1f} ms (objectif p95 ≤ "
            f"{TARGETS['search_p95_ms']:.0f} ms)"
        )
        if search["errors"]:
            say(f"  requêtes refusées : {search['errors']}")
    tui = results.get("tui") or {}
    if "skipped" in tui or "error" in tui:
        say(f"interface : {tui.get('skipped') or tui.get('error')}")
    elif tui:
        say(
            f"interface ({tui['articles']} articles) : première image {tui['first_frame_s']:.2f} s, "
            f"ouverture d'article {tui['open_article_ms']['median']:.0f} ms (médiane, max "
            f"{tui['open_article_ms']['max']:.0f}), RSS max {tui['peak_rss_mb']:.0f} Mo ; frappe dans la "
            f"recherche {tui['typing_ms']['median']:.0f} ms (médiane, pire {tui['typing_ms']['max']:.0f} ms)"
        )
    for name, tool in tools.items():
        for problem in tool["problems"]:
            say(f"PROBLÈME {name} : {problem}")


def _dig(data: Any, *path: str) -> float | None:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    if isinstance(data, int | float) and data == data:
        return float(data)
    return None


def verdicts(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target with its measured value, the value / target ratio and whether it is met (None: not
    measured in this run)."""
    where: dict[str, tuple[str, tuple[str, ...]]] = {
        "cold_ratio": ("refresh à froid / newsboat", ("ratios", "cold")),
        "warm_ratio": ("refresh à chaud (304) / newsboat", ("ratios", "warm")),
        "typical_ratio": ("refresh typique / newsboat", ("ratios", "typical")),
        "db_ratio": ("base par 1k articles / newsboat", ("ratios", "db")),
        "search_p95_ms": ("recherche p95, corpus Zipf (ms)", ("search", "p95_ms")),
        "search_max_ms": ("recherche pire, corpus Zipf (ms)", ("search", "max_ms")),
        "open_article_ms": ("ouvrir un article, médiane (ms)", ("tui", "open_article_ms", "median")),
        "first_frame_over_bare_s": ("première image − Textual nu (s)", ("first_frame", "over_bare_s")),
        "million_open_article_ms": ("1M : ouvrir un article (ms)", ("million", "open_article_ms")),
        "million_search_p95_ms": ("1M : recherche p95 (ms)", ("million", "search_p95_ms")),
        "million_prefix_max_ms": ("1M : préfixe, pire (ms)", ("million", "prefix_max_ms")),
        "million_peak_rss_mb": ("1M : RSS max de l'interface (Mo)", ("million", "peak_rss_mb")),
        "million_first_frame_over_bare_s": (
            "1M : première image − Textual nu (s)",
            ("million", "first_frame", "over_bare_s"),
        ),
    }
    rows = []
    for metric, (label, path) in where.items():
        value = _dig(results, *path)
        target = TARGETS[metric]
        rows.append({"metric": metric, "label": label, "value": value, "target": target,
                     "of_target": None if value is None else value / target,
                     "met": None if value is None else value <= target})  # fmt: skip
        if metric.startswith("search_"):  # the same target on the common-words corpus
            common = _dig(results, "search_common", *path[1:])
            rows.append({"metric": metric.replace("search_", "search_common_"),
                         "label": label.replace("Zipf", "mots courants"), "value": common, "target": target,
                         "of_target": None if common is None else common / target,
                         "met": None if common is None else common <= target})  # fmt: skip
    return rows


def show_verdicts(rows: list[dict[str, Any]]) -> None:
    say()
    say(f"{'objectif':40} {'mesuré':>10} {'objectif':>10} {'/ objectif':>11}")
    for row in rows:
        if row["value"] is None:
            say(f"{row['label']:40} {'—':>10} {row['target']:>10g} {'non mesuré':>11}")
            continue
        mark = "✓" if row["met"] else "✗"
        say(f"{row['label']:40} {row['value']:>10.3g} {row['target']:>10g} {row['of_target']:>9.2f} {mark}")


@contextmanager
def workdir(keep: bool) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="gazette-bench-"))
    try:
        yield path
    finally:
        if keep:
            say(f"(dossiers conservés dans {path})")
        else:
            shutil.rmtree(path, ignore_errors=True)


def serve_forever(corpus: corpus_mod.Corpus) -> int:
    with ServerProcess(corpus.root) as server, workdir(keep=True) as work:
        urls = corpus_mod.write_urls(corpus, server.base_url, work / "urls")
        opml = corpus_mod.write_opml(corpus, server.base_url, work / "corpus.opml")
        say(f"Corpus servi sur {server.base_url}/feeds/ ; {urls} (newsboat) ; {opml} (gazette-tui).")
        say("Ctrl-C pour arrêter.")
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # a plain kill still stops the server
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="gazette-tui contre newsboat sur un corpus synthétique.")
    parser.add_argument("--quick", action="store_true", help="petit corpus, une répétition (test de fumée)")
    parser.add_argument("--feeds", type=int, help="flux du corpus de rafraîchissement (200)")
    parser.add_argument("--items", type=int, help="articles par flux (100)")
    parser.add_argument("--repeat", type=int, help="répétitions de chaque mesure (3) ; la médiane est gardée")
    parser.add_argument("--search-feeds", type=int, help="flux du cache de recherche (1000 → 100k articles)")
    parser.add_argument("--search-rounds", type=int, default=5, help="passes sur la liste des requêtes")
    parser.add_argument("--seed", type=int, default=corpus_mod.DEFAULT_SEED)
    parser.add_argument(
        "--tools", default="newsboat,gazette-tui", help="outils mesurés, séparés par des virgules"
    )
    parser.add_argument("--no-search", action="store_true", help="ne mesurer ni la recherche ni l'interface")
    parser.add_argument("--no-tui", action="store_true", help="ne pas mesurer l'interface")
    parser.add_argument(
        "--million", action="store_true", help="aussi le cache d'un million d'articles (~7 Go, long)"
    )
    parser.add_argument("--cache-dir", type=Path, default=HERE / ".cache", help="corpus et caches réutilisés")
    parser.add_argument("--json", type=Path, help="écrire tous les résultats dans ce fichier")
    parser.add_argument("--keep", action="store_true", help="garder les dossiers temporaires")
    parser.add_argument(
        "--serve", action="store_true", help="seulement servir le corpus (profilage à la main)"
    )
    args = parser.parse_args(argv)

    feeds = args.feeds or (20 if args.quick else 200)
    items = args.items or 100
    repeat = args.repeat or (1 if args.quick else 3)
    search_feeds = args.search_feeds or (20 if args.quick else 1000)
    rounds = 1 if args.quick else args.search_rounds
    wanted = [t.strip() for t in args.tools.split(",") if t.strip()]
    known = {"newsboat": newsboat_tool, "gazette-tui": gazette_tool}
    if unknown := [t for t in wanted if t not in known]:
        parser.error(f"outil inconnu : {', '.join(unknown)} (connus : {', '.join(known)})")

    started = time.perf_counter()
    launcher = measure.Launcher()  # first, while this process is still small
    corpus = corpus_mod.build(args.cache_dir, feeds, items, args.seed)
    if args.serve:
        launcher.close()
        return serve_forever(corpus)
    results: dict[str, Any] = {
        "params": {
            "feeds": feeds,
            "items": items,
            "articles": corpus.articles,
            "repeat": repeat,
            "search_articles": search_feeds * items,
            "search_rounds": rounds,
            "seed": args.seed,
            "corpus_bytes": corpus.size_bytes(),
            "quick": args.quick,
        },
        "machine": machine_info(),
        "targets": TARGETS,
    }
    say(f"Corpus : {feeds} flux × {items} articles, {corpus.size_bytes() / 1e6:.0f} Mo ({corpus.root})")
    if "gazette-tui" in wanted:
        compile_bytecode()
    tools = {name: known[name]() for name in wanted}
    outcomes = {name: ToolResult(name) for name in wanted}
    with ExitStack() as stack:
        stack.enter_context(launcher)
        work = stack.enter_context(workdir(args.keep))
        changed = max(1, feeds * TYPICAL_CHANGED // 200)
        update = (changed, TYPICAL_NEW)
        overlay = corpus_mod.build_update(corpus, *update)
        with ServerProcess(corpus.root, overlay) as server:
            results["server_check"] = server_check(server, corpus)
            say(f"Serveur : {json.dumps(results['server_check'])}")
            # Tools take turns, round after round, so a busy moment on the machine hits both alike.
            for number in range(1, repeat + 1):
                for name, tool in tools.items():
                    refresh_round(
                        tool, outcomes[name], server, corpus, work, launcher, number, args.keep, update
                    )
        tool_results = {name: outcome.as_json(corpus.articles) for name, outcome in outcomes.items()}
        results["tools"] = tool_results
        results["ratios"] = {}
        if "newsboat" in tool_results and "gazette-tui" in tool_results:
            ours, theirs = tool_results["gazette-tui"], tool_results["newsboat"]
            results["ratios"] = {
                "cold": ratio(ours["cold_s"], theirs["cold_s"]),
                "warm": ratio(ours["warm_s"], theirs["warm_s"]),
                "typical": ratio(ours["typical_s"], theirs["typical_s"]),
                "db": ratio(ours["db_kb_per_1k_articles"], theirs["db_kb_per_1k_articles"]),
            }
        search_db: Path | None = None
        results["search"] = None
        if not args.no_search:
            say(f"Recherche : cache de {search_feeds * items} articles…")
            search_db, build = build_search_db(args.cache_dir, search_feeds, items, args.seed)
            say(f"  cache {'réutilisé' if build['reused'] else 'construit'} : {build['articles']} articles")
            results["search"] = bench_search(search_db, build, rounds)
            say(f"Recherche, mots courants : cache de {search_feeds * items} articles…")
            common_db, common_build = build_common_db(args.cache_dir, search_feeds * items)
            results["search_common"] = bench_search(common_db, common_build, rounds, common_queries())
        results["tui"] = {"skipped": "--no-tui"} if args.no_tui else bench_tui(launcher, search_db, work)
        frames = repeat + 2
        results["first_frame"] = (
            {"skipped": "--no-tui"} if args.no_tui else bench_first_frame(launcher, search_db, work, frames)
        )
        if args.million:
            import million

            results["million"] = million.bench(args.cache_dir, args.seed, work, launcher)
    results["seconds"] = time.perf_counter() - started
    report(results)
    results["verdicts"] = verdicts(results)
    show_verdicts(results["verdicts"])
    say(f"\n(banc d'essai terminé en {results['seconds']:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    if any(t["problems"] for t in tool_results.values()):
        return 1
    missed = [v["metric"] for v in results["verdicts"] if v["met"] is False]
    if missed and not args.quick:  # --quick is a smoke test on a toy corpus: its figures prove nothing
        say(f"objectifs manqués : {', '.join(missed)}")
        return EXIT_MISSED
    return 0


if __name__ == "__main__":
    sys.exit(main())
