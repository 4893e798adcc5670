"""Fault drills with real processes: ``kill -9`` in the middle of a refresh, the TUI writing while a cron
refresh runs, a corrupt database, a full disk, a read-only data directory.

Each drill drives the real console entry point (``python -m gazette_tui``) in a subprocess whose XDG
directories are in tmp, against feeds served on 127.0.0.1. Full disk and read-only use a small tmpfs (we run
as root in CI; see :func:`small_tmpfs` for what happens without the privilege).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from support.disk import fill, small_tmpfs
from support.env import xdg_env
from support.feeds import item_xml, rss
from werkzeug import Request, Response

from gazette_tui.core.feeds.refresh import refresh_feeds
from gazette_tui.core.library import dossiers
from gazette_tui.core.settings import Settings
from gazette_tui.core.storage.store import Store

pytestmark = pytest.mark.slow  # runs by default (and in CI): slow, not optional

SEED = 20261125
ROUNDS = 10
FEEDS = 24
ITEMS = 40
PARAGRAPH = "<p>Le conseil communautaire examine le schéma de mutualisation des services techniques. </p>"


@dataclass
class Site:
    """Feeds whose content moves on each round: five new items per feed, and every item rewritten in place
    (so that each refresh is mostly writes)."""

    round: int = 0
    body_paragraphs: int = 30
    served: list[str] = field(default_factory=list)
    # Recent dates, as a live site's (retention prunes nothing in the drills: age counts from arrival).
    start: datetime = field(default_factory=lambda: datetime.now(UTC))

    def document(self, feed: int) -> bytes:
        items = [
            item_xml(
                feed * 1000 + i,
                date=format_datetime(self.start - timedelta(minutes=feed * 100 + i)),
                title=f"Délibération {feed}-{i} (version {self.round})",
                body=PARAGRAPH * self.body_paragraphs + f"<p>Tour {self.round}.</p>",
            )
            for i in range(ITEMS + 5 * self.round)
        ]
        return rss(items, title=f"Flux {feed}")

    def handler(self, request: Request) -> Response:
        feed = int(request.path.rsplit("/", 1)[1])
        self.served.append(request.path)
        return Response(self.document(feed), content_type="application/rss+xml")


def home_paths(home: Path) -> Path:
    return home / "data" / "gazette-tui" / "gazette.db"


@pytest.fixture
def site(httpserver: HTTPServer) -> Site:
    site = Site()
    for feed in range(FEEDS):
        httpserver.expect_request(f"/feed/{feed}").respond_with_handler(site.handler)
    return site


def subscribe(database: Path, httpserver: HTTPServer, feeds: int = FEEDS) -> None:
    """Subscriptions as the CLI would leave them, minus the real La Gazette seeds (no network in tests)."""
    with Store(database) as store:
        store.set_meta("seeded", "0")
        store.add_feeds((httpserver.url_for(f"/feed/{i}"), f"Flux {i}", "Essais") for i in range(feeds))


def refresh_in_process(store: Store) -> None:
    """Set-up refresh, parsing in threads: forked parse workers would inherit the database's descriptor and
    keep the tmpfs busy (a read-only remount then fails with EBUSY)."""
    with ThreadPoolExecutor(2) as pool:
        report = asyncio.run(refresh_feeds(store, Settings(), executor=pool))
    assert report.failed == 0, report.errors


def cli(home: Path, *args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gazette_tui", *args],
        env=xdg_env(home),
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,  # type: ignore[call-overload]
    )


def user_state(database: Path) -> dict[str, object]:
    """What the user made: read and starred marks, dossiers and their items (by article key)."""
    with sqlite3.connect(database) as c:
        articles = {
            key: (read, starred)
            for key, read, starred in c.execute("SELECT key, read, starred FROM articles")
        }
        items = set(
            c.execute(
                "SELECT d.name, a.key, i.note FROM dossier_items i JOIN dossiers d ON d.id = i.dossier_id "
                "JOIN articles a ON a.id = i.article_id"
            )
        )
    return {"articles": articles, "dossier_items": items}


def integrity(database: Path) -> str:
    with sqlite3.connect(database) as c:
        return str(c.execute("PRAGMA integrity_check").fetchone()[0])


def mark_some(database: Path, rng: random.Random, round_: int) -> None:
    """The user's work between two refreshes, committed through the Store API."""
    with Store(database) as store:
        ids = store.article_ids()
        store.set_read(rng.sample(ids, 25), True)
        store.set_read(rng.sample(ids, 5), False)
        for article_id in rng.sample(ids, 4):
            store.set_starred(article_id, rng.random() < 0.8)
        dossier = dossiers.get_or_create(store, f"Dossier {round_ % 2}")
        for article_id in rng.sample(ids, 3):
            dossiers.add_article(store, dossier.id, article_id, note=f"tour {round_}")


# --- kill -9 ---------------------------------------------------------------------------------------


def test_kill_9_during_refresh_loses_nothing(httpserver: HTTPServer, site: Site, tmp_path: Path) -> None:
    """Seeded random kill points across the refresh (start-up, fetching, parsing in workers, writing)."""
    home = tmp_path / "home"
    database = home_paths(home)
    subscribe(database, httpserver)
    site.body_paragraphs = 80  # ~8 KB items: writing is most of the refresh, so most kills land mid-write
    started = time.perf_counter()
    assert cli(home, "refresh").returncode == 0
    duration = time.perf_counter() - started  # start-up, fetch, parse, write: the span the kills sample
    rng = random.Random(SEED)
    kills: list[float] = []
    landed: list[int] = []  # feeds already written when the kill came, per round
    interrupted = 0
    for round_ in range(1, ROUNDS + 1):
        mark_some(database, rng, round_)
        before = user_state(database)
        site.round = round_
        delay = rng.uniform(0.1, 1.0) * duration
        process = subprocess.Popen(
            [sys.executable, "-m", "gazette_tui", "refresh"],
            env=xdg_env(home),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        time.sleep(delay)
        if process.poll() is None:
            interrupted += 1
            process.send_signal(signal.SIGKILL)
        process.wait(10)
        with_workers_gone(process.pid)
        kills.append(round(delay, 2))
        assert integrity(database) == "ok", f"round {round_}, killed after {delay:.2f} s"
        with sqlite3.connect(database) as c:
            landed.append(
                c.execute(
                    "SELECT COUNT(DISTINCT feed_id) FROM articles WHERE title LIKE ?",
                    (f"%(version {round_})",),
                ).fetchone()[0]
            )
        after = user_state(database)
        lost = {k: v for k, v in before["articles"].items() if after["articles"].get(k) != v}  # type: ignore[attr-defined]
        assert lost == {}, (
            f"round {round_}: user state lost after a kill at {delay:.2f} s",
            [(k, v, after["articles"].get(k)) for k, v in list(lost.items())[:5]],  # type: ignore[attr-defined]
            len(after["articles"]),  # type: ignore[arg-type]
            len(before["articles"]),  # type: ignore[arg-type]
        )
        assert before["dossier_items"] <= after["dossier_items"]  # type: ignore[operator]
    # Most kills must land while the refresh runs, some while it writes, or the drill proves little.
    assert interrupted >= ROUNDS // 2, kills
    assert sum(0 < n < FEEDS for n in landed) >= 2, (kills, landed)
    # The next refresh completes and catches up.
    done = cli(home, "refresh", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["failed"] == 0
    with sqlite3.connect(database) as c:
        assert c.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == FEEDS * (ITEMS + 5 * ROUNDS)
        assert c.execute(
            "SELECT COUNT(*) FROM articles WHERE title LIKE ?", (f"%(version {ROUNDS})",)
        ).fetchone()[0] == FEEDS * (ITEMS + 5 * ROUNDS)


def with_workers_gone(pid: int) -> None:
    """Parse workers of the killed refresh share its session: end them too (they exit on their own once
    their parent's pipe closes; this only makes sure no test leaves processes behind)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


# --- the TUI writes while a cron refresh runs ------------------------------------------------------


def test_tui_writes_during_cli_refresh_never_see_locked(
    httpserver: HTTPServer, site: Site, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    database = home_paths(home)
    subscribe(database, httpserver)
    with Store(database) as store:
        refresh_in_process(store)
    site.round = 1
    site.body_paragraphs = 60  # bigger writes: longer transactions for the other writer to meet
    errors: list[str] = []
    last: dict[int, tuple[bool, bool]] = {}
    operations = 0
    stop = threading.Event()

    def tui(seed: int, parity: int) -> None:
        """One TUI's marks, on its own connection; two of them share the articles by id parity, so the last
        mark of each article is known."""
        nonlocal operations
        rng = random.Random(seed)
        with Store(database) as store:
            ids = [i for i in store.article_ids() if i % 2 == parity]
            while not stop.is_set():
                article_id = rng.choice(ids)
                read, starred = rng.random() < 0.5, rng.random() < 0.3
                try:
                    store.set_read([article_id], read)
                    store.set_starred(article_id, starred)
                except Exception as error:  # any error at all is a failure of the drill
                    errors.append(f"{type(error).__name__}: {error}")
                    return
                last[article_id] = (read, starred)
                operations += 1

    # Two TUIs and a cron refresh at once, twice over: the refreshes run concurrently with each other too.
    writers = [threading.Thread(target=tui, args=(SEED + n, n)) for n in range(2)]
    for writer in writers:
        writer.start()
    try:
        with ThreadPoolExecutor(2) as pool:
            runs = list(pool.map(lambda _: cli(home, "refresh"), range(2)))
    finally:
        stop.set()
        for writer in writers:
            writer.join(30)
    assert errors == []
    for run in runs:
        assert run.returncode == 0, run.stderr
        assert "verrouill" not in run.stderr, run.stderr
        assert "locked" not in run.stderr, run.stderr
    assert operations > 50
    with sqlite3.connect(database) as c:
        stored = {i: (bool(r), bool(s)) for i, r, s in c.execute("SELECT id, read, starred FROM articles")}
    assert all(stored[i] == state for i, state in last.items())  # every write of the "TUI" is there
    assert integrity(database) == "ok"


# --- a corrupt database ----------------------------------------------------------------------------


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def corrupt_header(path: Path) -> None:
    with path.open("r+b") as f:
        f.write(b"Ceci n'est pas une base SQLite. " * 4)


def corrupt_truncate(path: Path) -> None:
    with path.open("r+b") as f:
        f.truncate(path.stat().st_size // 3)


def corrupt_pages(path: Path) -> None:
    """Random bytes over every page after the schema: the file opens, reading articles fails."""
    with path.open("r+b") as f:
        page = 4096
        rng = random.Random(SEED)
        for offset in range(page * 4, path.stat().st_size, page * 2):
            f.seek(offset)
            f.write(rng.randbytes(page))


@pytest.mark.parametrize(
    "damage", [corrupt_header, corrupt_truncate, corrupt_pages], ids=lambda f: f.__name__
)
def test_corrupt_database_is_reported_and_kept(
    damage: object, httpserver: HTTPServer, site: Site, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    database = home_paths(home)
    subscribe(database, httpserver, feeds=4)
    with Store(database) as store:
        refresh_in_process(store)
        store.set_starred(store.article_ids()[0], True)
        dossiers.add_article(store, dossiers.get_or_create(store, "Budget 2027").id, store.article_ids()[1])
    backup = tmp_path / "sauvegarde.db"
    assert cli(home, "backup", str(backup)).returncode == 0
    before = user_state(database)
    damage(database)  # type: ignore[operator]
    damaged = sha256(database)
    runs = [
        cli(home, *args) for args in (["feeds", "list"], ["search", "conseil"], ["show", "1"], ["refresh"])
    ]
    failed = [run for run in runs if run.returncode != 0]
    assert failed, "a damaged database went unnoticed by every command"
    for run in runs:
        assert "Traceback" not in run.stderr + run.stdout
    for run in failed:
        assert "endommagée" in run.stderr, run.stderr
        assert "gazette-tui backup" in run.stderr, run.stderr
        assert "gazette-tui repair" in run.stderr
        assert str(database) in run.stderr  # says which file
    assert database.exists()
    assert sha256(database) == damaged
    # What the message says to do works: copy the backup over the file.
    shutil.copyfile(backup, database)
    for suffix in ("-wal", "-shm"):
        Path(str(database) + suffix).unlink(missing_ok=True)
    assert cli(home, "feeds", "list").returncode == 0
    assert user_state(database) == before


def test_repair_rebuilds_from_what_is_readable(httpserver: HTTPServer, site: Site, tmp_path: Path) -> None:
    """The search index's pages are destroyed: repair keeps the damaged file as it is, salvages every
    subscription, mark, dossier and note, and rebuilds the index so search works again."""
    home = tmp_path / "home"
    database = home_paths(home)
    subscribe(database, httpserver, feeds=4)
    with Store(database) as store:
        refresh_in_process(store)
        store.set_read(store.article_ids()[:5], True)
        store.set_starred(store.article_ids()[0], True)
        budget = dossiers.get_or_create(store, "Budget 2027")
        dossiers.add_article(store, budget.id, store.article_ids()[1], note="à relire")
        store.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = user_state(database)
    with sqlite3.connect(database) as c:
        roots = [
            r[0] for r in c.execute("SELECT rootpage FROM sqlite_master WHERE name = 'articles_fts_data'")
        ]
    with database.open("r+b") as f:
        for root in roots:
            f.seek((root - 1) * 4096)
            f.write(b"\xff" * 4096)
    damaged = sha256(database)
    assert "endommagée" in cli(home, "search", "conseil").stderr
    run = cli(home, "repair")
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    [kept] = [
        p for p in database.parent.glob("gazette.db.endommagee-*") if not p.name.endswith(("-wal", "-shm"))
    ]
    assert sha256(kept) == damaged
    assert kept.name in run.stdout
    with sqlite3.connect(database) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert user_state(database) == before
    assert cli(home, "search", "conseil").returncode == 0
    with Store(database) as store:
        assert [n for _, n in dossiers.dossiers_of(store, store.article_ids()[1])] == ["à relire"]


def test_repair_of_an_unreadable_file_keeps_it_and_starts_afresh(tmp_path: Path) -> None:
    home = tmp_path / "home"
    database = home_paths(home)
    database.parent.mkdir(parents=True)
    database.write_bytes(b"Ceci n'est pas une base SQLite. " * 200)
    run = cli(home, "repair")
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    [kept] = list(database.parent.glob("gazette.db.endommagee-*"))
    assert kept.read_bytes().startswith(b"Ceci n'est pas")
    assert cli(home, "feeds", "list", "--json").returncode == 0


# --- a full disk and a read-only data directory ----------------------------------------------------


def test_full_disk_fails_cleanly_then_recovers(httpserver: HTTPServer, site: Site, tmp_path: Path) -> None:
    home = tmp_path / "home"
    data = home / "data" / "gazette-tui"
    with small_tmpfs(data, "16m"):
        database = home_paths(home)
        subscribe(database, httpserver, feeds=6)
        with Store(database) as store:
            refresh_in_process(store)
            store.set_starred(store.article_ids()[0], True)
        before = user_state(database)
        site.round = 1
        site.body_paragraphs = 200  # ~20 KB per item: far more than the space left
        filler = fill(data, leave=2560 * 1024)
        run = cli(home, "refresh")
        assert run.returncode == 1
        assert "Traceback" not in run.stderr
        assert "disque est plein" in run.stderr, run.stderr
        filler.unlink()
        assert integrity(database) == "ok"
        after = user_state(database)
        assert all(after["articles"].get(k) == v for k, v in before["articles"].items())  # type: ignore[attr-defined]
        with sqlite3.connect(database) as c:
            per_feed = [n for (n,) in c.execute("SELECT COUNT(*) FROM articles GROUP BY feed_id")]
            rewritten = [
                n
                for (n,) in c.execute("SELECT SUM(title LIKE '%(version 1)') FROM articles GROUP BY feed_id")
            ]
        # Each feed is one transaction: stored whole (45 items, all rewritten) or not at all (40, none).
        pairs = list(zip(per_feed, rewritten, strict=True))
        assert all(pair in ((ITEMS, 0), (ITEMS + 5, ITEMS + 5)) for pair in pairs), pairs
        assert (ITEMS + 5, ITEMS + 5) in pairs
        assert (ITEMS, 0) in pairs
        site.body_paragraphs = 30
        again = cli(home, "refresh")
        assert again.returncode == 0, again.stderr


def test_read_only_data_directory(httpserver: HTTPServer, site: Site, tmp_path: Path) -> None:
    home = tmp_path / "home"
    data = home / "data" / "gazette-tui"
    with small_tmpfs(data, "8m"):
        database = home_paths(home)
        subscribe(database, httpserver, feeds=3)
        with Store(database) as store:
            refresh_in_process(store)
        before = sha256(database)
        subprocess.run(["mount", "-o", "remount,ro", str(data)], check=True)
        site.round = 1
        runs = [
            cli(home, "refresh"),
            cli(home, "feeds", "list"),
            cli(home, "dossiers", "add", "Urbanisme", "1"),
        ]
        for run in runs:
            assert "Traceback" not in run.stderr
        for run in runs:
            if run.returncode != 0:  # listing may work read-only one day; writing never can
                assert str(database) in run.stderr, run.stderr
                assert "lecture seule" in run.stderr or "accessible" in run.stderr, run.stderr
        assert runs[0].returncode == 1
        assert runs[2].returncode == 1
        assert sha256(database) == before
