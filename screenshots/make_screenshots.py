#!/usr/bin/env python3
"""Regenerate the README screenshots (SVG and PNG) from the built-in demo paper.

Run from the repository: ``python screenshots/make_screenshots.py``. It starts the real demo site on
127.0.0.1, refreshes its feeds into a temporary profile, then drives the real app with Textual's headless
driver and saves what the terminal shows. Each screenshot starts from a copy of the same freshly filled
database, with the zone fixed to Europe/Paris and the language set explicitly, so running it twice gives the
same pictures. ``rsvg-convert`` (Debian: librsvg2-bin, with fonts-dejavu-core for the monospace font) turns
the SVGs into PNGs.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

# Dates on screen are local times: fix the zone before anything formats one.
os.environ["TZ"] = "Europe/Paris"
time.tzset()

from textual.pilot import Pilot  # noqa: E402
from textual.widgets import Input  # noqa: E402

from gazette_tui.core.feeds.refresh import refresh_feeds  # noqa: E402
from gazette_tui.core.paths import Paths  # noqa: E402
from gazette_tui.core.settings import Settings  # noqa: E402
from gazette_tui.core.storage.store import Store  # noqa: E402
from gazette_tui.demo.content import EDITION_DATE  # noqa: E402
from gazette_tui.demo.server import DemoServer, feed_list  # noqa: E402
from gazette_tui.ui.app import GazetteApp, build_app  # noqa: E402

HERE = Path(__file__).resolve().parent
WIDE = (120, 36)
NARROW = (80, 24)
PNG_WIDTH = 1200
# Shown in the help screen: the same on every machine (nothing is written there).
SHOWN_CONFIG_DIR = Path("~/.config/gazette-tui/profile-demo")

Step = Callable[[Pilot[Any]], Awaitable[bool]]
"""Extra driving for a screenshot; returns False when the UI does not offer what the shot needs."""


class Skip(Exception):
    """A screenshot the current UI cannot make (a feature not there yet): noted, not fatal."""


@dataclass
class Shot:
    name: str
    size: tuple[int, int]
    keys: Sequence[str] = ()
    language: str = "fr"
    title: str = "gazette-tui"
    offline: bool = False
    """The demo site is stopped: the start-up refresh finds no network and the app says so."""
    step: Step | None = None


async def settle(pilot: Pilot[Any]) -> None:
    """Let the workers and the messages they post run out (key → SQLite thread → message → redraw). A flow
    that awaits its dialog (group "dialog") ends only when the user answers: it is not waited for."""
    for _round in range(8):
        running = [w for w in pilot.app.workers if w.group != "dialog"]
        if running:  # (an empty list means every worker to Textual)
            await pilot.app.workers.wait_for_complete(running)
        await pilot.pause()


async def type_text(pilot: Pilot[Any], text: str) -> None:
    for char in text:
        await pilot.press("space" if char == " " else char)


async def search_step(pilot: Pilot[Any]) -> bool:
    app = pilot.app
    if not hasattr(app, "open_search"):
        return False
    await pilot.press("slash")
    await settle(pilot)
    try:
        box = app.screen.query_one(Input)
    except Exception:
        return False
    box.cursor_blink = False
    await type_text(pilot, "dotations rubrique:finances")
    await asyncio.sleep(0.4)  # the search is debounced
    await settle(pilot)
    return True


async def dossier_step(pilot: Pilot[Any]) -> bool:
    """Open the user's dossier (filled before the shot) and its first article, if the tree lists dossiers."""
    main = getattr(pilot.app, "main", None)
    tree = getattr(main, "feed_tree", None)
    if main is None or tree is None or not hasattr(tree, "all_targets") or not hasattr(main, "goto"):
        return False
    keys = [target.key for target in tree.all_targets() if target.key.startswith("dossier:")]
    if not keys:
        return False
    main.goto(keys[0])
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    return True


async def ma_gazette_step(pilot: Pilot[Any]) -> bool:
    """« Ma Gazette » on the evening of the demo's edition day (the themes chosen by :func:`fill_themes`,
    the last visit a few days before), if the app has it (key w)."""
    if not hasattr(pilot.app, "action_ma_gazette"):
        return False
    from gazette_tui.core.library import ma_gazette

    evening = int(EDITION_DATE.timestamp()) + 12 * 3600
    with mock.patch.object(ma_gazette, "now", return_value=evening):
        await pilot.press("w")
        await settle(pilot)
    return type(pilot.app.screen).__name__ == "MaGazettePage"


async def add_feed_step(pilot: Pilot[Any]) -> bool:
    """The add-feed dialog (key i) once it has looked at the demo site's home page: the feeds it links,
    each with its title, item count and last item date."""
    app = pilot.app
    site = getattr(app, "demo_url", None)
    if not site:
        return False
    await pilot.press("i")
    await settle(pilot)
    try:
        box = app.screen.query_one("#add-feed-url", Input)
    except Exception:
        return False
    box.cursor_blink = False
    await type_text(pilot, site)
    await pilot.press("enter")
    for _ in range(50):  # discovery runs in a worker: wait for its choices
        await asyncio.sleep(0.1)
        if app.screen.has_class("-found"):
            break
    await settle(pilot)
    return app.screen.has_class("-found")


SHOTS = [
    Shot("main-120x36", WIDE, ["l"]),
    Shot("reader-120x36", WIDE, ["l", "enter"]),
    Shot("help-120x36", WIDE, ["question_mark"]),
    Shot("offline-120x36", WIDE, ["l"], offline=True),
    Shot("main-80x24", NARROW, ["l"]),
    # One page down: the sub-headings, the table and the list (the wide shot shows the top).
    Shot("reader-80x24", NARROW, ["l", "enter", "space"]),
    Shot("main-en-120x36", WIDE, ["l"], language="en"),
    Shot("search-120x36", WIDE, [], step=search_step),
    Shot("dossier-120x36", WIDE, [], step=dossier_step),
    # The first article carries the demo's podcast episode and a PDF: the end of the reader lists them.
    Shot("attachments-120x36", WIDE, ["l", "enter", "end"]),
    # The themes of fill_themes, grouped on one page as the site's newsletter.
    Shot("ma-gazette-120x36", WIDE, [], step=ma_gazette_step),
    # A website's address typed in the add-feed dialog: the feeds its page links, with a preview of each.
    Shot("add-feed-120x36", WIDE, ["l"], step=add_feed_step),
]


def fill_profile(root: Path, server: DemoServer, settings: Settings) -> Path:
    """A demo profile with every feed refreshed; returns its database (copied for each shot)."""
    paths = Paths.under(root / "pristine")
    paths.ensure()
    with Store(paths.database) as store:
        store.add_feeds(feed_list(server.url))
        report = asyncio.run(refresh_feeds(store, settings))
        if report.failed or not report.new:
            raise SystemExit(f"The demo feeds did not refresh: {report.as_json()}")
        # A list as a reader has it after a few days: the older articles read, one of them starred.
        ids = store.article_ids()
        store.set_read(ids[8:], True)
        store.set_starred(ids[8], True)
        fill_dossier(store)
        fill_themes(store)
        store.backup(root / "demo.db")
    return root / "demo.db"


def fill_dossier(store: Store) -> None:
    """A user dossier with a few articles and their notes, for the dossier view (harmless if the UI has
    none). The dossier lists articles by when they were added: a fixed clock, a minute apart, keeps that
    order the same on every run."""
    from gazette_tui.core.library import dossiers
    from gazette_tui.core.search.search import search

    clock = itertools.count(int(EDITION_DATE.timestamp()) + 3600, 60)
    with mock.patch.object(dossiers, "now", side_effect=clock.__next__):
        dossier = dossiers.create(
            store, "Préparer le budget 2027", "Ce que la loi de finances change pour notre commune"
        )
        notes = [
            "À présenter en commission des finances",
            "Vérifier l'impact sur notre DGF",
            "Question du maire sur le fonds vert",
            "Comparer avec notre DSR 2026",
        ]
        for hit, note in zip(search(store, "dotations OR DGF sort:date", limit=4), notes, strict=False):
            dossiers.add_article(store, dossier.id, hit.id, note)


def fill_themes(store: Store) -> None:
    """« Ma Gazette » themes (harmless if the UI has none): the demo's largest rubrique and its two most
    frequent tags, last looked at five days before the edition."""
    try:
        from gazette_tui.core.library import ma_gazette
    except ImportError:
        return
    found = ma_gazette.candidates(store)
    largest = sorted(found.rubriques, key=lambda rubrique: -rubrique[1])[:1]
    themes = [ma_gazette.Theme("rubrique", name) for name, _count in largest]
    themes += [ma_gazette.Theme("tag", name) for name, _count in found.tags[:2]]
    ma_gazette.choose(store, themes)
    store.set_meta(ma_gazette.LAST_VISIT, str(int(EDITION_DATE.timestamp()) - 5 * 86400))


async def take(shot: Shot, database: Path, root: Path, settings: Settings, demo_url: str) -> str:
    work = root / shot.name
    paths = Paths(SHOWN_CONFIG_DIR, work / "data", work / "cache", work / "log")
    paths.data_dir.mkdir(parents=True)
    shutil.copyfile(database, paths.database)
    with Store(paths.database) as store:
        app: GazetteApp = build_app(settings, paths, store=store, language=shot.language, demo_url=demo_url)
        async with app.run_test(size=shot.size) as pilot:
            await settle(pilot)
            for key in shot.keys:
                await pilot.press(key)
                await settle(pilot)
            if shot.step is not None and not await shot.step(pilot):
                raise Skip
            await settle(pilot)
            svg = app.export_screenshot(title=shot.title, simplify=True)
    return stable_svg(svg)


def stable_svg(svg: str) -> str:
    """The SVG as rsvg-convert should draw it, the same bytes for the same picture."""
    # Rich positions each run of text by its first cell; without this librsvg drops the leading spaces of a
    # run ("Toutes  104" drawn as "Toutes104"). Browsers draw it the same either way.
    svg = svg.replace("<svg ", '<svg xml:space="preserve" ', 1)
    # Rich names the SVG's classes after a hash that can include Textual's per-run style ids: rename them
    # after the drawing itself, so an unchanged screen gives an unchanged file.
    found = re.search(r"terminal-(\d+)", svg)
    if found is None:
        return svg
    prefix = f"terminal-{found.group(1)}"
    return svg.replace(prefix, f"terminal-{zlib.crc32(svg.replace(prefix, '').encode())}")


def to_png(svg: Path, png: Path, converter: str) -> None:
    """At most PNG_WIDTH pixels wide; never enlarged (an 80-column shot is narrower already)."""
    box = re.search(r'viewBox="0 0 ([\d.]+) ', svg.read_text(encoding="utf-8"))
    width = min(PNG_WIDTH, round(float(box.group(1)))) if box else PNG_WIDTH
    subprocess.run([converter, "--width", str(width), "--output", str(png), str(svg)], check=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("names", nargs="*", help="only these screenshots (e.g. reader-120x36)")
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: screenshots/)")
    args = parser.parse_args(argv)
    converter = shutil.which("rsvg-convert")
    if converter is None:
        print(
            "rsvg-convert is missing: install it (Debian/Ubuntu: apt-get install librsvg2-bin "
            "fonts-dejavu-core) to turn the SVG screenshots into PNG.",
            file=sys.stderr,
        )
        return 2
    shots = [s for s in SHOTS if not args.names or s.name in args.names]
    settings = Settings()
    settings.retention.days = 0  # the demo's dates are fixed: never prune them, whatever today is
    settings.refresh.fulltext = False
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gazette-shots-") as tmp:
        root = Path(tmp)
        server = DemoServer().start()
        try:
            database = fill_profile(root, server, settings)
            demo_url = server.url
            for shot in sorted(shots, key=lambda s: s.offline):
                if shot.offline:
                    server.stop()  # the address stays in the feeds: connections are refused
                try:
                    svg_text = asyncio.run(take(shot, database, root, settings, demo_url))
                except Skip:
                    print(f"skipped {shot.name}: the UI does not offer this view yet")
                    continue
                svg = args.out / f"{shot.name}.svg"
                png = args.out / f"{shot.name}.png"
                svg.write_text(svg_text, encoding="utf-8")
                to_png(svg, png, converter)
                print(f"wrote {png.relative_to(Path.cwd()) if png.is_relative_to(Path.cwd()) else png}")
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
