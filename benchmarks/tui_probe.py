"""Times the TUI on a large cache, headless (Textual's ``run_test``), in a process of its own (so its memory
is its own).

    python benchmarks/tui_probe.py DATABASE OUT.json [--opens N]

- ``first_frame_s``: from the launch of this process (``BENCH_T0`` in the environment, a ``time.time()`` taken
  by the parent just before starting it; else from the first line of this script) until a frame is drawn
  with the rows of the list's first screen; ``whole_list_s``, until the list holds the ids of the whole cache
  (a long list is read in two steps: its first page, then every id);
- ``open_article_ms``: from pressing ``enter`` on a line of the list until a frame is drawn with that article
  in the reader (read from the database, rendered, laid out), for ``--opens`` different articles;
  ``cursor_move_ms`` is the same measure for a key that only moves the cursor;
- ``typing_ms``: in the search bar, from each key press of a query typed at ~16 characters a second until that
  character is drawn, while the results of the previous prefixes are searched in the background;

How: the key goes to the app's queue as a terminal would send it (what ``Pilot.press`` does, without its
waits), and the clock stops in the compositor's own frame callback (``App._display``, which the headless
driver calls for every frame without writing it out) at the first frame where the condition holds.
``Pilot.press`` / ``Pilot.pause`` would add their own idle detection (``wait_for_idle`` sleeps in 20 ms
slices until the process looks idle: ~85 ms for any key), which is no part of the app's latency.
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


class FrameWatch:
    """Wraps the app's ``_display`` (called once per frame drawn) to note the first frame where a condition
    holds; ``wait`` returns that frame's ``time.perf_counter()``."""

    def __init__(self, app: Any) -> None:
        self._display = app._display  # noqa: SLF001 - the first frame is only seen from inside Textual
        self._condition: Callable[[], bool] | None = None
        self._seen = asyncio.Event()
        self.at = 0.0
        app._display = self._frame  # noqa: SLF001

    def _frame(self, screen: Any, renderable: Any) -> None:
        self._display(screen, renderable)
        if renderable is not None and self._condition is not None and self._condition():
            self.at = time.perf_counter()
            self._condition = None
            self._seen.set()

    def expect(self, condition: Callable[[], bool]) -> None:
        self._seen.clear()
        self._condition = condition

    async def wait(self, what: str) -> float:
        try:
            await asyncio.wait_for(self._seen.wait(), TIMEOUT_S)
        except TimeoutError:
            raise TimeoutError(f"{what} : rien après {TIMEOUT_S:.0f} s") from None
        return self.at


async def _press(app: Any, key: str, character: str | None) -> float:
    """Send a key as the terminal driver would; returns the time it was sent."""
    from textual import events

    event = events.Key(key, character)
    event.set_sender(app)
    started = time.perf_counter()
    app._driver.send_message(event)  # noqa: SLF001 - a key as the terminal sends it
    return started


async def probe(database: Path, opens: int) -> dict[str, Any]:
    from gazette_tui.core.paths import Paths
    from gazette_tui.core.settings import Settings
    from gazette_tui.core.storage.store import Store
    from gazette_tui.ui.app import build_app

    imported = time.time() - STARTED
    home = Path(tempfile.mkdtemp(prefix="gazette-tui-probe-"))
    paths = Paths.under(home)
    paths.ensure()
    store = Store(database)
    total = store.counts()["all"]
    app = build_app(Settings(), paths, store=store, offline=True, language="fr")
    result: dict[str, Any] = {"articles": total, "imports_s": imported}
    watch = FrameWatch(app)

    def first_screen_loaded() -> bool:
        articles = app.main.articles
        first = articles.current_id
        return first is not None and articles.row(first) is not None

    def whole_list() -> bool:
        return app.main.articles.count == total

    watch.expect(first_screen_loaded)
    async with app.run_test(size=SIZE) as pilot:
        main = app.main
        articles = main.articles
        at = await watch.wait("première page")
        result["first_frame_s"] = time.time() - STARTED - (time.perf_counter() - at)
        if not whole_list():
            watch.expect(whole_list)
            at = await watch.wait("liste entière")
        result["whole_list_s"] = time.time() - STARTED - (time.perf_counter() - at)

        main.go("list")
        await pilot.pause()
        timings: list[float] = []
        moves: list[float] = []
        for _ in range(opens):
            target = articles.current_id
            assert target is not None
            reader = main.reader
            watch.expect(lambda: reader.article is not None and reader.article.id == target)  # noqa: B023
            started = await _press(app, "enter", "\r")
            timings.append((await watch.wait("ouverture d'article") - started) * 1000)
            await app.workers.wait_for_complete()
            await pilot.pause()  # let the app settle: the next measure starts from quiet
            main.go("list")
            await pilot.pause()
            # For comparison, a key that only moves the cursor one line down.
            position = articles.cursor
            watch.expect(lambda: articles.cursor == position + 1)  # noqa: B023
            started = await _press(app, "j", "j")
            moves.append((await watch.wait("ligne suivante") - started) * 1000)
            await app.workers.wait_for_complete()
            await pilot.pause()
        result["open_article_ms"] = {
            "median": statistics.median(timings),
            "max": max(timings),
            "runs": timings,
        }
        result["cursor_move_ms"] = {"median": statistics.median(moves), "max": max(moves)}
        result["typing_ms"] = await _typing(app, pilot, watch)
        await pilot.press("Q")  # quits from anywhere (q goes back one level first)
    store.close()
    return result


TYPED = "démocratie participative"


async def _typing(app: Any, pilot: Any, watch: FrameWatch) -> dict[str, Any]:
    """Keystroke → the character on screen in the search bar, while each prefix's results are being
    searched in the background (the bar searches as you type): the worst case is what a typist feels."""
    from textual.widgets import Input

    watch.expect(lambda: app.screen.query(Input).first(None) is not None)
    await _press(app, "slash", "/")
    await watch.wait("barre de recherche")
    field = app.screen.query_one("#search-input", Input)
    delays: list[float] = []
    for count, character in enumerate(TYPED, 1):
        wanted = TYPED[:count]
        watch.expect(lambda: field.value == wanted)  # noqa: B023
        key = "space" if character == " " else character
        started = await _press(app, key, character)
        delays.append((await watch.wait("frappe") - started) * 1000)
        await asyncio.sleep(0.06)  # a brisk typist: ~16 characters a second, faster than the debounce
    await app.workers.wait_for_complete()
    await pilot.press("escape")
    return {"typed": TYPED, "median": statistics.median(delays), "max": max(delays), "runs": delays}


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
