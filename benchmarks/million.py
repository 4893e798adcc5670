"""A million cached articles (10,000 feeds × 100): what a heavy user's cache looks like after years.

``run.py --million`` calls :func:`bench`. The cache is built once through the real parser and Store
(``run.build_search_db``, ~7 GB, reused while the schema code is unchanged) and every measure works on a
disposable copy, so the cached database is never marked read or repaired:

- search: the Zipf queries, every prefix length and the field filters, in-process ``search_hits`` top 50,
  as at 100k; ``search_p95_ms`` over every timed run and ``prefix_max_ms`` the slowest prefix run;
- the TUI (``tui_probe.py``, headless): opening an article (enter → frame drawn with it) and the peak RSS of
  the whole process;
- the first frame in tmux beside a bare Textual app (``tmux_probe.py``);
- ``backup`` and ``repair --force`` through the installed command, with their wall time.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import measure
import run
import tmux_probe

FEEDS, ITEMS = 10_000, 100
SEARCH_ROUNDS = 2


def _timed_command(launcher: measure.Launcher, home: Path, *words: str) -> dict[str, Any]:
    done = launcher.run([*run.gazette_command(), *words], env=run.gazette_env(home), timeout=7200)
    result: dict[str, Any] = {"wall_s": done.wall_s, "returncode": done.returncode}
    if done.returncode != 0:
        result["error"] = done.stderr.strip()[-600:]
    return result


def bench(cache_dir: Path, seed: int, work: Path, launcher: measure.Launcher) -> dict[str, Any]:
    run.say(f"Un million d'articles : cache de {FEEDS} flux × {ITEMS}…")
    database, build = run.build_search_db(cache_dir, FEEDS, ITEMS, seed)
    run.say(f"  cache {'réutilisé' if build['reused'] else 'construit'} : {build['articles']} articles")
    result: dict[str, Any] = {"articles": build["articles"], "db_bytes": build["db_bytes"], "build": build}

    search = run.bench_search(database, build, SEARCH_ROUNDS)
    prefix_runs = [
        t for query, values in search["runs_ms"].items() if query in run.PREFIX_QUERIES for t in values
    ]
    result["search"] = search
    result["search_p95_ms"] = search["p95_ms"]
    result["prefix_max_ms"] = max(prefix_runs, default=float("nan"))
    run.say(
        f"  recherche : p95 {search['p95_ms']:.0f} ms, pire {search['max_ms']:.0f} ms, "
        f"préfixe le plus lent {result['prefix_max_ms']:.0f} ms"
    )

    tui = run.bench_tui(launcher, database, work)
    result["tui"] = tui
    if "open_article_ms" in tui:
        result["open_article_ms"] = tui["open_article_ms"]["median"]
        result["peak_rss_mb"] = tui["peak_rss_mb"]
    result["first_frame"] = run.bench_first_frame(launcher, database, work, 3)

    home = work / "million-home"
    copy = run.gazette_database(home)
    copy.parent.mkdir(parents=True)
    tmux_probe.copy_database(database, copy)
    result["backup"] = _timed_command(launcher, home, "backup", str(work / "million-backup.db"))
    (work / "million-backup.db").unlink(missing_ok=True)
    result["repair"] = _timed_command(launcher, home, "repair", "--force")
    shutil.rmtree(home, ignore_errors=True)
    backup, repair = result["backup"]["wall_s"], result["repair"]["wall_s"]
    run.say(f"  sauvegarde {backup:.0f} s, réparation forcée {repair:.0f} s")
    return result


if __name__ == "__main__":  # python benchmarks/million.py OUT.json [CACHE_DIR]: the million alone
    import tempfile

    import corpus

    with measure.Launcher() as launcher:
        work = Path(tempfile.mkdtemp(prefix="gazette-million-"))
        try:
            started = time.perf_counter()
            cache = Path(sys.argv[2]) if len(sys.argv) > 2 else run.HERE / ".cache"
            found = bench(cache, corpus.DEFAULT_SEED, work, launcher)
            found["seconds"] = time.perf_counter() - started
        finally:
            shutil.rmtree(work, ignore_errors=True)
    Path(sys.argv[1]).write_text(json.dumps(found, indent=2, ensure_ascii=False) + "\n")
