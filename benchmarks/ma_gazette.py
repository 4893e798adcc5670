"""How long « Ma Gazette » takes to open over a 100k-article cache: the edition the TUI's page and the
tree's list read (``ma_gazette.build``: one query per kind of theme, one per alerte, one for the cards), the
themes dialog's counts, and the newsletter in each format.

    .venv/bin/python benchmarks/ma_gazette.py [--db PATH] [--repeat 20]

``--db`` is a cache to time (never written: it is copied first, and migrated in the copy if it is older).
By default the 100k-article cache of ``benchmarks/search_probe.py`` in ``/tmp/benchcache`` is used. The
themes are chosen from the cache itself: its two largest rubriques, its three most frequent tags, an alerte
on a frequent word and a dossier of 50 articles; the window is the last day of the cache's articles (its
dates are generated: "today" is the newest article's day).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock

from gazette_tui.core.library import dossiers
from gazette_tui.core.library import ma_gazette as mg
from gazette_tui.core.search.alerts import save_alert
from gazette_tui.core.search.recent import finder
from gazette_tui.core.storage.store import Store

DEFAULT_DB = Path("/tmp/benchcache/search-v1-s20240301-f1000-i100-schema4-0f708eb1.db")


def timed(run: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    """p50 and max in milliseconds, and the last result."""
    times: list[float] = []
    result: object = None
    for _n in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    if not args.db.exists():
        print(f"No cache at {args.db}: build one with benchmarks/search_probe.py --db PATH", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="ma-gazette-bench-") as tmp:
        copy = Path(tmp) / "gazette.db"
        start = time.perf_counter()
        shutil.copyfile(args.db, copy)
        with Store(copy) as store:  # an older schema is migrated here, in the copy
            prepared = time.perf_counter() - start
            newest = store.article_rows(store.article_ids()[:1])[0].published
            articles = store.counts()["all"]
            print(f"{articles} articles (copied and opened in {prepared:.1f} s)")
            found = mg.candidates(store)
            rubriques = [name for name, _count in sorted(found.rubriques, key=lambda r: -r[1])[:2]]
            tags = [name for name, _count in found.tags[:3]]
            save_alert(store, "Budget", "budget")
            veille = dossiers.create(store, "Veille")
            for article_id in store.article_ids()[:50]:
                dossiers.add_article(store, veille.id, article_id)
            themes = [mg.Theme("rubrique", name) for name in rubriques]
            themes += [mg.Theme("tag", name) for name in tags]
            themes += [mg.Theme("alert", "Budget"), mg.Theme("dossier", "Veille")]
            mg.choose(store, themes)
            today = newest + 3600
            with mock.patch.object(mg, "now", return_value=today):
                since = mg.start_of_day(today)
                alerts = finder(store)

                def edition() -> mg.Edition:
                    return mg.build(store, since=since, alerts=alerts)

                p50, worst, result = timed(edition, args.repeat)
                assert isinstance(result, mg.Edition)
                cards = len(result.ids)
                print(
                    f"edition ({len(themes)} themes, {cards} articles): p50 {p50:.1f} ms, max {worst:.1f} ms"
                )
                for kind in ("rubrique", "tag", "alert", "dossier"):
                    subset = [t for t in themes if t.kind == kind]
                    p50, worst, _r = timed(
                        lambda s=subset: mg.build(store, s, since=since, alerts=alerts), 10
                    )
                    print(f"  {kind} themes alone: p50 {p50:.1f} ms, max {worst:.1f} ms")
                week = mg.start_of_day(today) - 6 * 86400
                p50, worst, result = timed(lambda: mg.build(store, since=week, alerts=alerts), 10)
                assert isinstance(result, mg.Edition)
                print(f"a week away ({len(result.ids)} articles): p50 {p50:.1f} ms, max {worst:.1f} ms")
                p50, worst, _r = timed(lambda: mg.candidates(store), 5)
                print(f"themes dialog counts ({len(found.tags)} tags): p50 {p50:.1f} ms, max {worst:.1f} ms")
                for name, export in mg.FORMATS.items():
                    p50, worst, _r = timed(lambda e=export: e(edition(), "fr"), 5)
                    print(f"digest --format {name}: p50 {p50:.1f} ms, max {worst:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
