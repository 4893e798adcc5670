"""Times the TUI on a large cache, headless (Textual's ``run_test``), in a process of its own (so its memory
is its own).

    python benchmarks/tui_probe.py DATABASE OUT.json [--opens N]

- ``first_frame_s``: from the launch of this process (``BENCH_T0`` in the environment, a ``time.time()`` taken
  by the parent just before starting it; else from the first line of this script) until the article list
  holds the ids of the whole cache and the rows of its first screen, and a frame has been drawn;
- ``open_article_ms``: from pressing ``enter`` on a line of the list until the reader shows that article
  (read from the database, rendered, drawn), for ``--opens`` different articles; ``cursor_move_ms`` is the
  same measure for a key that only moves the cursor, i.e. what any key costs through Pilot;
- the peak memory is measured by the parent (benchmarks/measure.py).

The probe reads the app through ``MainScreen.articles`` / ``.reader`` (the same attributes the UI tests use);
if the UI changes shape it fails loudly rather than timing the wrong thing.
"""

from __future__ import annotations

import os
import time

STARTED = float(os.environ.get("BENCH_T0") or time.time())

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

SIZE = (160, 48)
TIMEOUT_S = 60.0


async def _until(pilot: Any, condition: Callable[[], bool], what: str) -> None:
    deadline = time.perf_counter() + TIMEOUT_S
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"{what} : rien après {TIMEOUT_S:.0f} s")
        await pilot.pause(0.002)


async def probe(database: Path, opens: int) -> dict[str, Any]:
    from gazette_tui.core.paths import Paths
    from gazette_tui.core.settings import Settings
    from gazette_tui.core.store import Store
    from gazette_tui.ui.app import build_app

    imported = time.time() - STARTED
    home = Path(tempfile.mkdtemp(prefix="gazette-tui-probe-"))
    paths = Paths.under(home)
    paths.ensure()
    store = Store(database)
    total = store.counts()["all"]
    app = build_app(Settings(), paths, store=store, offline=True, language="fr")
    result: dict[str, Any] = {"articles": total, "imports_s": imported}
    async with app.run_test(size=SIZE) as pilot:
        main = app.main
        articles = main.articles

        def first_screen_loaded() -> bool:
            ids = articles.ids
            return len(ids) == total and articles.row(ids[0]) is not None

        await _until(pilot, first_screen_loaded, "première page")
        await pilot.pause()  # one more turn of the loop: the frame with those rows is drawn
        result["first_frame_s"] = time.time() - STARTED

        main.go("list")
        await pilot.pause()
        timings: list[float] = []
        moves: list[float] = []
        for _ in range(opens):
            target = articles.current_id
            assert target is not None
            started = time.perf_counter()
            await pilot.press("enter")
            reader = main.reader
            await _until(
                pilot,
                lambda: reader.article is not None and reader.article.id == target,  # noqa: B023
                "ouverture d'article",
            )
            await pilot.pause()
            timings.append((time.perf_counter() - started) * 1000)
            main.go("list")
            await pilot.pause()
            # The cost of any key through Pilot, for comparison: move the cursor one line down.
            position = articles.cursor
            started = time.perf_counter()
            await pilot.press("j")
            await _until(pilot, lambda: articles.cursor == position + 1, "ligne suivante")  # noqa: B023
            await pilot.pause()
            moves.append((time.perf_counter() - started) * 1000)
        result["open_article_ms"] = {
            "median": statistics.median(timings),
            "max": max(timings),
            "runs": timings,
        }
        result["cursor_move_ms"] = {"median": statistics.median(moves), "max": max(moves)}
        await pilot.press("q")
    store.close()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Mesure l'interface sur un gros cache.")
    parser.add_argument("database", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--opens", type=int, default=10)
    args = parser.parse_args(argv)
    result = asyncio.run(probe(args.database, args.opens))
    args.out.write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
