"""How long a sync with a Fever server takes, how many requests it makes and how much memory it needs:
the first sync of an account (every item from scratch) and an incremental one with nothing new, against a
real coldsweat on 127.0.0.1 (the tests' Fever server, installed by ``.ci/coldsweat.sh``).

    .venv/bin/python benchmarks/sync.py [--sizes 20x2000,20x10000] [--repeat 3] [--json OUT]
    .venv/bin/python benchmarks/sync.py --sizes 200x50000 --repeat 1        # the issue's big account

A size is FEEDSxITEMS. Building the server's database: coldsweat's own ``setup`` and ``import --fetch``
make the user, the groups (one per ten feeds) and the feeds (served on loopback, each with one item and an
icon), then the other items go straight into its SQLite (``entries``, one INSERT per item, about 1 KB of
HTML each): a fetch of 10,000 items through its feed parser would take minutes for nothing we measure.
Item ids are given in turns across the feeds, as a server that fetches every feed now and then numbers
them; a third of the items are read on the server and one in fifty saved (another device's doing). The
database is built once per size and kept in ``--cache-dir``; each run starts from a copy.

Each run is a new gazette-tui home (XDG folders in a temporary folder, the key in a file keyring:
``tests/support/file_keyring.py``): ``sync add`` (not timed), then ``sync now --json`` twice, each in a
child process measured by ``benchmarks/measure.py`` (wall time, peak RSS of the process), with the number of
requests the sync says it made. Medians over ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import sqlite3
import statistics
import sys
import tempfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from measure import Launcher  # noqa: E402 -- benchmarks/ is the script's folder
from support.coldsweat import (  # noqa: E402 -- the tests' own Fever server, on 127.0.0.1
    BASE_DATE,
    EMAIL,
    PASSWORD,
    SUBJECTS,
    Coldsweat,
    FeedSpec,
    ProxyTrap,
    coldsweat_program,
)
from support.servers import FileServer  # noqa: E402
from support.sync_profiles import new_profile  # noqa: E402

CACHE_DIR = Path("/tmp/benchcache")
VERSION = 1
"""Of the database's recipe: a change to it builds the cached databases again."""
PARAGRAPH = (
    "<p>Le conseil communautaire a examiné le rapport d’orientation budgétaire, la mutualisation des "
    "services techniques et le schéma de cohérence territoriale ; les élus de la minorité ont demandé "
    "un calendrier plus précis pour les travaux de voirie et la rénovation énergétique des écoles.</p>"
)


def parse_size(text: str) -> tuple[int, int]:
    feeds, _, items = text.partition("x")
    return int(feeds), int(items)


def _fill(database: Path, items: int) -> None:
    """Bring the server's entries to ``items``, in turns across its feeds; read and saved as said."""
    with contextlib.closing(sqlite3.connect(database)) as db, db:
        feeds = [int(r[0]) for r in db.execute("SELECT id FROM feeds ORDER BY id")]
        have = int(db.execute("SELECT COUNT(*) FROM entries").fetchone()[0])
        site = str(db.execute("SELECT alternate_link FROM feeds LIMIT 1").fetchone()[0]).rsplit("/", 2)[0]
        rows = []
        for n in range(items - have):
            feed = feeds[n % len(feeds)]
            title, summary = SUBJECTS[n % len(SUBJECTS)]
            date = BASE_DATE + timedelta(minutes=n)
            rows.append(
                (
                    f"urn:gazette-bench:{feed}:{n}",
                    feed,
                    f"{title} (n° {n})",
                    "text/html",
                    f"<p>{summary}</p>" + PARAGRAPH * 3 + f"<p>Article {n}.</p>",
                    "",
                    date.strftime("%Y-%m-%d %H:%M:%S"),
                    "Camille Durand",
                    f"{site}/bench/{feed}/{n}",
                )
            )
        db.executemany(
            "INSERT INTO entries (guid, feed_id, title, content_type, content, thumbnail_url, published_on, "
            "author, link) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        user = int(db.execute("SELECT id FROM users").fetchone()[0])
        for table, column, every in (("read", "read_on", 3), ("saved", "saved_on", 50)):
            db.execute(
                f"INSERT OR IGNORE INTO {table} (user_id, entry_id, {column}) "
                "SELECT ?, id, datetime('now') FROM entries WHERE id % ? = 0",
                (user, every),
            )


def built_database(cache_dir: Path, feeds: int, items: int) -> Path:
    """The server's database for this size, built once."""
    target = cache_dir / f"coldsweat-sync-v{VERSION}-{feeds}x{items}.db"
    if target.exists():
        return target
    print(f"building the server's database: {feeds} feeds, {items} items …", file=sys.stderr)
    with (
        tempfile.TemporaryDirectory(prefix="gazette-sync-build-") as folder,
        FileServer() as site,
        ProxyTrap() as trap,
    ):
        server = Coldsweat(Path(folder), coldsweat_program(), site, trap)
        server.command("setup", EMAIL, "-p", PASSWORD, "-n", "Banc d’essai")
        specs = [FeedSpec(f"flux-{n:03d}", f"Flux {n}", f"Rubrique {n // 10}", 1) for n in range(feeds)]
        server.subscribe(specs)
        _fill(server.database, items)
        server.check_loopback_only()
        cache_dir.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        shutil.copyfile(server.database, partial)
        partial.replace(target)
    return target


@contextlib.contextmanager
def serving(database: Path, folder: Path) -> Iterator[Coldsweat]:
    """coldsweat running on a copy of ``database``."""
    root = folder / "server"
    root.mkdir()
    shutil.copyfile(database, root / "coldsweat.db")
    with FileServer() as site, ProxyTrap() as trap:
        server = Coldsweat(root, coldsweat_program(), site, trap)
        server.start()
        try:
            yield server
        finally:
            server.stop()
        server.check_loopback_only()


def one_run(launcher: Launcher, server: Coldsweat, folder: Path, name: str) -> dict[str, Any]:
    profile = new_profile(folder, name)
    profile.add_account(server.url)
    result: dict[str, Any] = {}
    for step in ("first", "idle"):
        measured = launcher.run(profile.command("sync", "now", "--json"), env=profile.env(), timeout=1800)
        if measured.returncode != 0:
            raise SystemExit(f"sync now failed ({measured.returncode}):\n{measured.stderr[-3000:]}")
        [report] = json.loads(measured.stdout)
        result[step] = {
            "wall_s": round(measured.wall_s, 2),
            "cpu_s": round(measured.user_s + measured.sys_s, 2),
            "max_rss_mb": round(measured.max_rss_kb / 1024, 1),
            "requests": report["requests"],
            "new": report["new"],
        }
    return result


def median(runs: list[dict[str, Any]], step: str, key: str) -> float:
    return float(statistics.median(run[step][key] for run in runs))


def bench(size: tuple[int, int], repeat: int, cache_dir: Path, keep: bool) -> dict[str, Any]:
    feeds, items = size
    database = built_database(cache_dir, feeds, items)
    folder = Path(tempfile.mkdtemp(prefix="gazette-sync-bench-"))
    try:
        with serving(database, folder) as server, Launcher() as launcher:
            total = len(server.item_ids())
            runs = [one_run(launcher, server, folder, f"run-{n}") for n in range(repeat)]
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
    summary: dict[str, Any] = {"feeds": feeds, "items": total, "runs": runs}
    for step in ("first", "idle"):
        summary[step] = {key: median(runs, step, key) for key in runs[0][step]}
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="20x2000,20x10000", help="FEEDSxITEMS, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cache-dir", type=Path, default=CACHE_DIR)
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--keep", action="store_true", help="keep the temporary homes")
    args = parser.parse_args(argv)
    results = []
    for size in (parse_size(s) for s in args.sizes.split(",") if s):
        result = bench(size, args.repeat, args.cache_dir, args.keep)
        results.append(result)
        first, idle = result["first"], result["idle"]
        print(
            f"{result['feeds']} feeds, {result['items']} items: first sync {first['wall_s']} s, "
            f"{first['requests']:g} requests, {first['new']:g} new, peak RSS {first['max_rss_mb']} MB; "
            f"nothing new {idle['wall_s']} s, {idle['requests']:g} requests, peak RSS {idle['max_rss_mb']} MB"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
