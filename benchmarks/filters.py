"""How long a filter (kill-file) takes to apply to a 100k-article cache, and to the articles of one refresh.

    .venv/bin/python benchmarks/filters.py [--db PATH] [--articles 100000] [--repeat 7]

``--db`` is a cache to time (never written: it is copied first, and migrated in the copy if it is older).
If it does not exist it is built once, through ``benchmarks/search_probe.py``'s generator (the real write
path, words on a Zipf curve), and kept for the next runs. Each run of a case starts from the same state:
the filter's marks and the flags it set are undone before it (outside the clock). Timed: ``apply_filter``
(the query compiled, one transaction), for each action and for the kinds of query a kill-file uses; then
``apply_new``, five filters over the 1,000 articles a refresh has just stored.

The target (issue 15): applying a filter to 100k cached articles takes at most 2 s.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from search_probe import generate

from gazette_tui.core.search import filters
from gazette_tui.core.storage.store import FeedUpdate, Store
from gazette_tui.models import ParsedEntry, ParsedFeed

DEFAULT_DB = Path("/tmp/benchcache/filters-zipf-100000.db")
TARGET_S = 2.0
CASES = [
    # (name, query, action, one feed only)
    ("hide a topic word", "budget", "hide", False),
    ("hide a frequent word", "commune", "hide", False),
    ("hide a phrase or a tag", '"conseil municipal" OR tag:dette', "hide", False),
    ("hide, words and filters", "budget -dette author:martin", "hide", False),
    ("hide, filters only (no word)", "is:reserved", "hide", False),
    ("hide nearly every article", "le OR la", "hide", False),
    ("read a frequent word", "commune", "read", False),
    ("read nearly every article", "le OR la", "read", False),
    ("star a topic word", "budget", "star", False),
    ("hide a word in one feed", "commune", "hide", True),
]


def reset(store: Store, name: str, action: str) -> None:
    """Undo what the last run of a filter did (raw SQL: a benchmark's own bookkeeping, not the product's)."""
    with store.writing() as c:
        record = c.execute("SELECT id FROM filters WHERE name = ?", (name,)).fetchone()
        if action in ("read", "star") and record is not None:
            flag = "read" if action == "read" else "starred"
            c.execute(
                f"UPDATE articles SET {flag} = 0 WHERE id IN (SELECT article_id FROM filter_marks "
                "WHERE filter_id = ?)",
                record,
            )
        if record is not None:
            c.execute("DELETE FROM filter_marks WHERE filter_id = ?", record)


def timed_case(store: Store, name: str, query: str, action: str, feed_url: str | None, repeat: int) -> str:
    filters.add_filter(store, name, query, action, feed_url=feed_url)
    times: list[float] = []
    applied = filters.Applied(0, 0)
    for _n in range(repeat):
        reset(store, name, action)
        start = time.perf_counter()
        applied = filters.apply_filter(store, name)
        times.append(time.perf_counter() - start)
    reset(store, name, action)
    filters.remove_filter(store, name)
    p50, worst = statistics.median(times), max(times)
    mark = "✓" if worst <= TARGET_S else "✗"
    return (
        f"{name:<32} {applied.matched:>7} matched  p50 {p50 * 1000:7.1f} ms  max {worst * 1000:7.1f} ms  "
        f"{mark} (≤ {TARGET_S:.0f} s)"
    )


def refresh_case(store: Store, repeat: int) -> str:
    """Five filters meet the 1,000 articles a refresh has just stored (``apply_new``, as in the cycle)."""
    for n, (name, query, action, _feed) in enumerate(CASES[:5]):
        filters.add_filter(store, f"r{n} {name}", query, action)
    feed = store.feeds()[0]
    times: list[float] = []
    base = 1_800_000_000
    for run in range(repeat):
        entries = [
            ParsedEntry(
                key=f"new-{run}-{k}",
                url=f"http://127.0.0.1/new/{run}/{k}",
                title="Budget de la commune et conseil municipal" if k % 3 == 0 else "Voirie et transport",
                kicker="",
                author="Marie Dupont",
                published=base + run * 10_000 + k,
                updated=None,
                categories=["dette"] if k % 7 == 0 else [],
                summary_html="",
                content_html="",
                text="La commune vote son budget. " * (1 + k % 5),
                reserved=False,
                content_hash=f"new-{run}-{k}",
            )
            for k in range(1_000)
        ]
        store.record_batch([FeedUpdate(feed.id, ParsedFeed("rss", feed.title, "", entries))])
        start = time.perf_counter()
        report = filters.apply_new(store)
        times.append(time.perf_counter() - start)
        assert not report.errors, report.errors
    p50, worst = statistics.median(times) * 1000, max(times) * 1000
    return f"{'a refresh: 5 filters, 1,000 new':<32} {'':>7}          p50 {p50:7.1f} ms  max {worst:7.1f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--articles", type=int, default=100_000, help="size of a cache built for --db")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    if not args.db.exists():
        args.db.parent.mkdir(parents=True, exist_ok=True)
        building = args.db.with_suffix(".building")
        building.unlink(missing_ok=True)
        generate(building, args.articles)
        building.rename(args.db)
        Path(f"{building}.lock").unlink(missing_ok=True)  # the store's lock file, named after the file
    with tempfile.TemporaryDirectory(prefix="filters-bench-") as tmp:
        copy = Path(tmp) / "gazette.db"
        shutil.copyfile(args.db, copy)
        with Store(copy) as store:  # an older schema is migrated here, in the copy
            total = store.counts()["all"]
            print(f"{total} articles, {len(store.feeds())} feeds; {args.repeat} runs a case")
            one_feed = store.feeds()[0].url
            for name, query, action, feed_only in CASES:
                print(timed_case(store, name, query, action, one_feed if feed_only else None, args.repeat))
            print(refresh_case(store, args.repeat))
    return 0


if __name__ == "__main__":
    sys.exit(main())
