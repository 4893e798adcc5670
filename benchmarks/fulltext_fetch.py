"""Full text of any feed, 100 article pages from one site on 127.0.0.1: the wall time of the pass and the most
requests the site was ever serving at once (it must stay under the per-host cap).

    .venv/bin/python benchmarks/fulltext_fetch.py [--pages 100] [--delay 0.05] [--repeat 3]

A real threaded HTTP server (``tests/support/pages.py``'s ``NewsSite``) serves an excerpt-only feed of
``--pages`` items and their pages (a news site's shell around ~300 words), each answer held ``--delay``
seconds to stand for a site's latency; it counts the requests it is serving at once per ``Host``. For each
round a fresh cache subscribes to the feed with ``fulltext`` on and runs one refresh cycle
(``core/cycle.run_cycle``: the feed, then its pages) with ``refresh.fulltext_pages`` = ``--pages``. The
server runs in this process (its threads share the GIL with the client): on a real site the wall time is
the site's latency over the cap, as with ``--delay``.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from support.pages import NewsSite  # noqa: E402 -- the tests' own site, on 127.0.0.1

from gazette_tui.core.cycle import run_cycle  # noqa: E402
from gazette_tui.core.feeds import feed_settings  # noqa: E402
from gazette_tui.core.feeds.pages import PAGE_PER_HOST  # noqa: E402
from gazette_tui.core.settings import Settings  # noqa: E402
from gazette_tui.core.storage.store import Store  # noqa: E402


def one_round(pages: int, delay: float) -> tuple[float, float, int, int]:
    """(seconds of the pages' pass, seconds of the whole cycle, pages stored, most requests at once)."""
    with tempfile.TemporaryDirectory(prefix="fulltext-bench-") as tmp, NewsSite(pages, delay=delay) as site:
        site.pages["/feed.xml"] = site.answer("/feed.xml")  # the feed itself answers at once
        with Store(Path(tmp) / "gazette.db") as store:
            store.add_feed(site.feed_url, "Le Courrier des communes")
            feed_settings.set_feed(store, site.feed_url, "fulltext", "on")
            settings = Settings()
            settings.refresh.fulltext_pages = pages
            started = time.perf_counter()
            report = asyncio.run(run_cycle(store, settings))
            total = time.perf_counter() - started
        assert report.pages is not None
        return report.pages.seconds, total, report.pages.fetched, site.stats.most_at_once


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--delay", type=float, default=0.05, help="seconds each page takes to answer")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    rounds = [one_round(args.pages, args.delay) for _n in range(args.repeat)]
    passes = [r[0] for r in rounds]
    cycles = [r[1] for r in rounds]
    stored = {r[2] for r in rounds}
    most = max(r[3] for r in rounds)
    floor = args.pages * args.delay / PAGE_PER_HOST
    latency = f"{args.delay * 1000:.0f} ms each"
    print(f"{args.pages} pages, {latency}, per-host cap {PAGE_PER_HOST}, {args.repeat} rounds")
    print(f"pages stored per round: {sorted(stored)}")
    median = statistics.median(passes)
    print(f"pages' pass: median {median:.2f} s, max {max(passes):.2f} s (latency floor {floor:.2f} s)")
    print(f"whole cycle (feed + pages): median {statistics.median(cycles):.2f} s")
    print(f"most requests at once on the site: {most} (cap {PAGE_PER_HOST})")
    return 0 if most <= PAGE_PER_HOST and stored == {args.pages} else 1


if __name__ == "__main__":
    raise SystemExit(main())
