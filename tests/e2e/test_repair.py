"""``repair`` on real SQLite files: a corrupt page of each table costs only its rows, a ``kill -9`` at any
step leaves the original or the whole repaired file in place, nothing runs while the database is open
elsewhere, a healthy file is left alone, backups never collide, a full disk changes nothing.

Pages are found with SQLite's ``dbstat`` (which rows sit on which leaf, in key order) and overwritten in the
file itself; the drills run ``python -m gazette_tui repair`` in subprocesses with XDG folders in tmp.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from support.env import xdg_env

from gazette_tui.core.library import dossiers
from gazette_tui.core.paths import Paths
from gazette_tui.core.search import alerts
from gazette_tui.core.settings import Settings
from gazette_tui.core.storage import codec, lock
from gazette_tui.core.storage import repair as repair_module
from gazette_tui.core.storage.repair import STEPS, repair
from gazette_tui.core.storage.store import Store
from gazette_tui.errors import StoreError, message
from gazette_tui.models import ParsedEntry, ParsedFeed
from gazette_tui.text import html_to_text

pytestmark = pytest.mark.slow

T0 = 1795000000  # 2026-11-18
SEED = 20261125
FEEDS, WITH_ARTICLES, PER_FEED = 120, 8, 13  # 104 articles, as in the issue
DOSSIERS, ITEMS, ALERTS = 150, 600, 200
BIG_BODY = 5  # the article whose body spills over several overflow pages
TABLES = ("feeds", "articles", "article_bodies", "dossiers", "dossier_items", "saved_searches")
PARAGRAPH = "<p>Le conseil communautaire examine le schéma de mutualisation des services techniques.</p>"


# --- a realistic database -----------------------------------------------------------------------------


def entry(feed: int, k: int, n: int) -> ParsedEntry:
    body = PARAGRAPH * 6 + f"<p>Article {n}.</p>"
    if n == BIG_BODY:  # long even once compressed: digests do not compress
        body += "".join(f"<p>Pièce {i} : {hashlib.sha512(bytes([i])).hexdigest()}</p>" for i in range(256))
    return ParsedEntry(
        key=f"{feed}-{k}",
        url=f"https://exemple.test/flux/{feed}/articles/{k}",
        title=f"Délibération {n} du conseil",
        kicker="Finances",
        author=f"Camille Durand {n}",
        published=T0 - n * 3600,
        updated=None,
        categories=["Finances", "Budget"],
        summary_html="",
        content_html=body,
        text=html_to_text(body),
        reserved=False,
        content_hash=hashlib.sha1(f"{feed}-{k}{body}".encode()).hexdigest(),
    )


def build(path: Path) -> None:
    """Subscriptions, 104 articles with bodies and marks, dossiers with notes, alertes: each table spans
    several leaf pages, so one page is never the whole table."""
    with Store(path) as store:
        store.set_meta("seeded", "0")
        store.add_feeds(
            (f"https://exemple.test/flux/{i}", f"Flux {i:03d} — actualité des collectivités", "Essais")
            for i in range(FEEDS)
        )
        n = 0
        for feed in store.feeds()[:WITH_ARTICLES]:
            entries = []
            for k in range(PER_FEED):
                n += 1
                entries.append(entry(feed.id, k, n))
            store.record_success(feed.id, ParsedFeed("rss", feed.title, "", entries), when=T0)
        ids = sorted(store.article_ids())
        assert len(ids) == WITH_ARTICLES * PER_FEED == 104
        store.set_read(ids[::3], True)
        for article_id in ids[::7]:
            store.set_starred(article_id, True)
        made = [
            dossiers.create(store, f"Dossier {d:03d}", "Suivi des délibérations et des budgets. " * 3)
            for d in range(DOSSIERS)
        ]
        # Every other article is in dossiers; (k mod 150, 7k mod 52) never repeats below 3900.
        for k in range(ITEMS):
            article = ids[2 * ((k * 7) % 52)]
            dossiers.add_article(store, made[k % DOSSIERS].id, article, note=f"note {k} à relire")
        when = datetime.fromtimestamp(T0, UTC)
        for a in range(ALERTS):
            alerts.save_alert(store, f"Alerte {a:03d}", f"conseil budget{a}", now=when)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "gazette.db"
    build(path)
    assert not Path(f"{path}-wal").exists()  # closed: everything is in the file itself
    return path


def home_database(home: Path) -> Path:
    return home / "data" / "gazette-tui" / "gazette.db"


def place(template: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, target)
    return target


# --- pages --------------------------------------------------------------------------------------------


def page_size(path: Path) -> int:
    with sqlite3.connect(path) as c:
        return int(c.execute("PRAGMA page_size").fetchone()[0])


def leaves(path: Path, table: str) -> list[tuple[int, int]]:
    """(page number, rows on it) of the table's leaf pages, in key order."""
    with sqlite3.connect(path) as c:
        rows = c.execute(
            "SELECT pageno, ncell FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY path", (table,)
        ).fetchall()
    return [(int(p), int(n)) for p, n in rows]


def keys_on_leaf(path: Path, table: str, index: int) -> tuple[int, set[int]]:
    """The page number of the table's ``index``-th leaf and the rowids stored on it."""
    pages = leaves(path, table)
    assert len(pages) >= 3, f"{table} must span several pages ({len(pages)})"
    start = sum(n for _, n in pages[:index])
    with sqlite3.connect(path) as c:
        ordered = [r[0] for r in c.execute(f"SELECT rowid FROM {table} ORDER BY rowid")]
    page, count = pages[index]
    return page, set(ordered[start : start + count])


def corrupt(path: Path, page: int, *, overflow: bool = False) -> None:
    """Overwrite one page with random bytes: an impossible page type for a b-tree page, a next-page pointer
    past the end of the file for an overflow page (SQLite has no checksums: the damage must be visible)."""
    size = page_size(path)
    noise = random.Random(SEED + page).randbytes(size)
    head = b"\xff\xff\xff\xff" if overflow else b"\x00"
    with path.open("r+b") as f:
        f.seek((page - 1) * size)
        f.write(head + noise[len(head) :])


def snapshot(path: Path) -> dict[str, dict[int, tuple[object, ...]]]:
    """Every row of every table we compare, by rowid (dossier_items by content: its rowids are not kept)."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as c:
        tables = {}
        for table in (*TABLES, "meta", "tombstones", "accounts"):
            if table in ("dossier_items", "tombstones", "meta"):  # no rowid kept (no alias), or none at all
                rows = sorted(c.execute(f"SELECT * FROM {table}").fetchall())
                tables[table] = dict(enumerate(rows))
            else:
                rows = c.execute(f"SELECT rowid, * FROM {table} ORDER BY rowid").fetchall()
                tables[table] = {r[0]: tuple(r[1:]) for r in rows}
    return tables


def columns(path: Path, table: str) -> list[str]:
    with sqlite3.connect(path) as c:
        return [r[1] for r in c.execute(f"PRAGMA table_info({table})")]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def backups(database: Path) -> list[Path]:
    return sorted(
        p
        for p in database.parent.glob(database.name + ".endommagee-*")
        if not p.name.endswith(("-wal", "-shm"))
    )


def leftovers(database: Path) -> list[str]:
    return sorted(p.name for p in database.parent.iterdir() if ".reparation" in p.name)


def healthy(path: Path) -> bool:
    with sqlite3.connect(path) as c:
        try:
            return c.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        except sqlite3.DatabaseError:
            return False


def search_works(path: Path) -> None:
    with sqlite3.connect(path) as c:
        codec.register(c)  # the index reads its text back through the codec
        c.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")
        indexed = c.execute("SELECT count(*) FROM articles_fts_docsize").fetchone()[0]
        assert indexed == c.execute("SELECT count(*) FROM articles").fetchone()[0]
        assert c.execute(
            "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'mutualisation'"
        ).fetchone()[0]


def cli(home: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gazette_tui", *args],
        env={**xdg_env(home), **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- a corrupt leaf page of each table ------------------------------------------------------------------


@pytest.mark.parametrize("table", TABLES)
def test_a_corrupt_leaf_page_costs_only_its_rows(table: str, template: Path, tmp_path: Path) -> None:
    path = place(template, tmp_path / "gazette.db")
    # The middle leaf; for feeds the first, where the feeds with articles are.
    index = 0 if table == "feeds" else len(leaves(path, table)) // 2
    page, lost = keys_on_leaf(path, table, index)
    before = snapshot(path)
    corrupt(path, page)
    assert not healthy(path)
    damaged = sha256(path)

    report = repair(path)

    after = snapshot(path)
    assert healthy(path)
    search_works(path)
    [kept] = backups(path)
    assert kept == report.kept_as
    assert sha256(kept) == damaged
    assert leftovers(path) == []
    assert set(report.lost_ranges) == {table}
    expected = {t: dict(rows) for t, rows in before.items()}
    in_dossiers = {row[1] for row in before["dossier_items"].values()}
    with_items = {row[0] for row in before["dossier_items"].values()}
    names = {t: columns(path, t) for t in ("articles", "article_bodies", "dossiers")}

    if table == "feeds":
        for feed_id in lost:
            del expected["feeds"][feed_id]
        titles = set()
        for article_id, row in before["articles"].items():
            if row[names["articles"].index("feed_id")] in lost:
                titles.add(row[names["articles"].index("feed_title")])
                fixed = list(row)
                fixed[names["articles"].index("feed_id")] = None  # as for an unsubscribed feed
                expected["articles"][article_id] = tuple(fixed)
        assert titles
        assert report.lost_feeds == sorted(titles)
    elif table == "articles":
        assert len(after["articles"]) >= 104 - len(lost)  # not « all 104 articles lost »
        title, author, key = (names["articles"].index(c) for c in ("title", "author", "key"))
        for article_id in lost:
            if article_id in in_dossiers:  # a stand-in keeps the dossier's note, titled from the index
                row = after["articles"][article_id]
                assert (row[title], row[author]) == (before["articles"][article_id][title],
                                                     before["articles"][article_id][author])  # fmt: skip
                assert row[key] == f"reparation:{article_id}"
                expected["articles"][article_id] = row
            else:
                del expected["articles"][article_id]
                del expected["article_bodies"][article_id]  # goes with its article (ON DELETE CASCADE)
        assert report.rebuilt.get("articles", 0) == len(lost & in_dossiers) > 0
        assert report.removed.get("article_bodies", 0) == len(lost - in_dossiers) > 0
    elif table == "article_bodies":
        content, digest = (
            names["article_bodies"].index("content_html"),
            names["articles"].index("content_hash"),
        )
        for article_id in lost:  # the text comes back from the index; the next refresh brings the HTML
            row = after["article_bodies"][article_id]
            original = before["article_bodies"][article_id][content]
            assert html_to_text(codec.unpack(row[content])) == html_to_text(codec.unpack(original))
            assert row[content] == f"<p>{html.escape(html_to_text(codec.unpack(original)))}</p>"
            expected["article_bodies"][article_id] = row
            fixed = list(before["articles"][article_id])
            fixed[digest] = ""
            expected["articles"][article_id] = tuple(fixed)
    elif table == "dossiers":
        name, description = names["dossiers"].index("name"), names["dossiers"].index("description")
        for dossier_id in lost:
            assert dossier_id in with_items  # every dossier has notes: each comes back, under a stand-in name
            row = after["dossiers"][dossier_id]
            stand_in = str(message("salvage.lost_dossier", id=dossier_id))
            assert (row[name], row[description]) == (stand_in, str(message("salvage.lost_dossier_note")))
            expected["dossiers"][dossier_id] = row
    elif table == "dossier_items":
        with sqlite3.connect(template) as c:
            marks = ",".join("?" * len(lost))
            gone = set(c.execute(f"SELECT * FROM dossier_items WHERE rowid IN ({marks})", sorted(lost)))
        assert gone
        assert len(gone) == len(lost)
        remaining = sorted(row for row in before["dossier_items"].values() if row not in gone)
        expected["dossier_items"] = dict(enumerate(remaining))
    else:
        for key in lost:
            del expected[table][key]
    assert after == expected
    with Store(path) as store:  # and the app opens it
        assert len(store.feeds()) == len(after["feeds"])


def test_a_corrupt_overflow_page_costs_one_body(template: Path, tmp_path: Path) -> None:
    """A long body spills over a chain of overflow pages; one of them unreadable costs only that body (its
    text comes back from the search index), not the leaf page's other rows."""
    path = place(template, tmp_path / "gazette.db")
    with sqlite3.connect(path) as c:
        chain = [r[0] for r in c.execute(
            "SELECT pageno FROM dbstat WHERE name = 'article_bodies' AND pagetype = 'overflow' ORDER BY path"
        )]  # fmt: skip
        [owner] = [r[0] for r in c.execute("SELECT id FROM article_bodies WHERE length(content_html) > 5000")]
    assert len(chain) >= 2
    before = snapshot(path)
    corrupt(path, chain[0], overflow=True)
    report = repair(path)
    after = snapshot(path)
    assert report.lost_ranges == {"article_bodies": 1}
    assert report.rebuilt == {"article_bodies": 1}
    assert set(after["article_bodies"]) == set(before["article_bodies"])
    changed = {k for k, row in before["article_bodies"].items() if row != after["article_bodies"][k]}
    assert changed == {owner}


def test_the_wal_is_read_and_kept(template: Path, tmp_path: Path) -> None:
    """Marks still in the WAL (not yet checkpointed) are salvaged, and the backup keeps the WAL beside it."""
    path = damaged_with_wal(template, tmp_path / "w" / "gazette.db")
    wal = Path(f"{path}-wal")
    originals = sha256(path), sha256(wal)
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as c:  # the last marks are only in the WAL
        assert c.execute("SELECT count(*) FROM saved_searches WHERE name = 'Dernière'").fetchone()[0] == 1
    repair(path)
    [kept] = backups(path)
    assert (sha256(kept), sha256(Path(f"{kept}-wal"))) == originals
    assert not wal.exists()  # the old WAL never sits beside the new file
    with Store(path) as store:
        assert [a.name for a in alerts.list_alerts(store) if a.name == "Dernière"] == ["Dernière"]
        note = [
            n for d, n in dossiers.dossiers_of(store, max(store.article_ids())) if d.name == "Dossier 007"
        ]
        assert note == ["ajoutée en dernier"]


def damaged_with_wal(template: Path, path: Path) -> Path:
    """The template, plus the user's last changes left in the WAL (as after a crash of the machine), with one
    leaf page of articles that the WAL does not cover overwritten in the database file."""
    work = place(template, path.parent / "work" / path.name)
    with Store(work) as store:
        store.connection.execute("PRAGMA wal_autocheckpoint = 0")
        ids = sorted(store.article_ids())
        store.set_read(ids[1::5], True)
        dossiers.add_article(store, dossiers.get(store, "Dossier 007").id, ids[-1], note="ajoutée en dernier")
        alerts.save_alert(store, "Dernière", "conseil", now=datetime.fromtimestamp(T0, UTC))
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(work, path)
        shutil.copyfile(f"{work}-wal", f"{path}-wal")
    data = Path(f"{path}-wal").read_bytes()
    size = int.from_bytes(data[8:12], "big")
    in_wal = {int.from_bytes(data[o : o + 4], "big") for o in range(32, len(data), 24 + size)}
    pages = [p for p, _ in leaves(template, "articles") if p not in in_wal]
    corrupt(path, pages[len(pages) // 2])
    return path


# --- kill -9 at each step ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def drill(template: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    """A damaged database with a WAL, and what an uninterrupted repair makes of it."""
    source = damaged_with_wal(template, tmp_path_factory.mktemp("drill") / "gazette.db")
    reference = tmp_path_factory.mktemp("reference") / "gazette.db"
    shutil.copyfile(source, reference)
    shutil.copyfile(f"{source}-wal", f"{reference}-wal")
    repair(reference)
    return source, snapshot(reference)


def start_repair(home: Path, step: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "gazette_tui", "repair"],
        env={**xdg_env(home), repair_module.PAUSE_ENV: step},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    line = process.stderr.readline()  # blocks until the pause (or the end)
    assert line.strip() == f"repair: pause {step}", line + process.stderr.read()
    return process


def installed(home: Path, source: Path) -> Path:
    database = place(source, home_database(home))
    shutil.copyfile(f"{source}-wal", f"{database}-wal")
    return database


@pytest.mark.parametrize("step", STEPS)
def test_kill_9_at_each_step_of_a_repair(
    step: str, drill: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    source, repaired = drill
    home = tmp_path / "home"
    database = installed(home, source)
    original = sha256(database), sha256(Path(f"{database}-wal"))
    process = start_repair(home, step)
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL
    swapping = STEPS.index(step) >= STEPS.index("journal")
    assert lock.journal_path(database).exists() == swapping

    # What is in place: the original file, or the whole repaired one; never an empty or half database.
    if step == "swapped":
        assert healthy(database)
        assert snapshot(database) == repaired
    else:
        assert sha256(database) == original[0]
        assert Path(f"{database}-wal").exists() == (step != "unlinked")

    # A normal open finishes an interrupted swap before reading; the original still opens as it did.
    with Store(database) as store:
        count = store.connection.execute("SELECT count(*) FROM feeds").fetchone()[0]
        assert count == FEEDS
        assert len(dossiers.list_dossiers(store)) == DOSSIERS
    assert not lock.journal_path(database).exists()
    if swapping:
        assert snapshot(database) == repaired
        assert healthy(database)
        [kept] = backups(database)
        assert (sha256(kept), sha256(Path(f"{kept}-wal"))) == original
        again = cli(home, "repair")  # done: the database is healthy now
        assert again.returncode == 1
        assert "saine" in again.stderr
    else:
        run = cli(home, "repair")
        assert run.returncode == 0, run.stderr
        assert snapshot(database) == repaired
        assert len(backups(database)) == 1
    assert leftovers(database) == []
    listed = cli(home, "feeds", "list", "--json")
    assert listed.returncode == 0
    assert len(json.loads(listed.stdout)) == FEEDS


def repairing(database: Path) -> bool:
    return any(name.endswith(".tmp") for name in leftovers(database))


def wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.0005)


def test_kill_9_at_random_moments(drill: tuple[Path, dict[str, object]], tmp_path: Path) -> None:
    """Kills spread over a measured repair, from the moment its new file appears to a little past its end
    (inside SQLite's writes and our renames, not only at the named steps)."""
    source, repaired = drill
    rng = random.Random(SEED)

    def launch(home: Path) -> tuple[Path, subprocess.Popen[bytes]]:
        database = installed(home, source)
        command = [sys.executable, "-m", "gazette_tui", "repair"]
        process = subprocess.Popen(
            command, env=xdg_env(home), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_until(lambda: repairing(database) or process.poll() is not None)
        return database, process

    # The shortest of three measured repairs: on a busy machine one slow measure put most kills after the end.
    timings = []
    for attempt in range(3):
        database, process = launch(tmp_path / f"measure{attempt}")
        started = time.monotonic()
        assert process.wait(timeout=60) == 0
        timings.append(time.monotonic() - started)
        assert snapshot(database) == repaired
    work = min(timings)
    outcomes: list[str] = []
    for round_ in range(10):
        database, process = launch(tmp_path / f"home{round_}")
        original = sha256(database)
        time.sleep(work * rng.uniform(0.0, 1.1))
        process.send_signal(signal.SIGKILL)
        killed = process.wait(timeout=30) == -signal.SIGKILL
        if sha256(database) != original:
            assert healthy(database)
            assert snapshot(database) == repaired
            outcome = "réparée"
        else:
            outcome = "journal" if lock.journal_path(database).exists() else "originale"
        outcomes.append(outcome + ("" if killed else " (finie)"))
        with Store(database) as store:  # a normal open: finishes a swap in progress
            assert store.connection.execute("SELECT count(*) FROM feeds").fetchone()[0] == FEEDS
        cli(database.parents[2], "repair")  # again if it was killed before the swap
        assert snapshot(database) == repaired
        assert len(backups(database)) == 1
        assert leftovers(database) == []
    print(f"repair: {work * 1000:.0f} ms of work; after each kill: {outcomes}")
    assert sum("finie" not in o for o in outcomes) >= 5  # most kills landed inside a repair


# --- refusals ---------------------------------------------------------------------------------------------


def test_a_healthy_database_is_left_alone_unless_forced(template: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    database = place(template, home_database(home))
    before, digest = snapshot(database), sha256(database)
    run = cli(home, "repair")
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert "saine" in run.stderr
    assert "--force" in run.stderr
    assert str(database) in run.stderr
    assert sha256(database) == digest
    assert backups(database) == []
    assert leftovers(database) == []
    forced = cli(home, "repair", "--force")
    assert forced.returncode == 0, forced.stderr
    assert snapshot(database) == before
    assert len(backups(database)) == 1
    search_works(database)


def test_a_journal_staged_when_a_kill_landed_is_cleared_by_the_next_repair(
    template: Path, tmp_path: Path
) -> None:
    """A kill -9 inside the journal's atomic write leaves its staging file; the next repair (under the
    exclusive lock, so no repair is writing it) removes it, even one that finds the database healthy."""
    home = tmp_path / "home"
    database = place(template, home_database(home))
    staged = database.with_name("." + lock.journal_path(database).name + ".0123456789abcdef.tmp")
    staged.write_text('{"database": "', "utf-8")  # cut mid-write
    neighbour = database.with_name("notes.txt")
    neighbour.write_text("à garder", "utf-8")
    run = cli(home, "repair")
    assert run.returncode == 1
    assert "saine" in run.stderr
    assert not staged.exists()
    assert leftovers(database) == []
    assert neighbour.read_text("utf-8") == "à garder"


HOLDER = """
import sys, time
from pathlib import Path
from gazette_tui.core.storage.store import Store
store = Store(Path(sys.argv[1]))
print("ouvert", flush=True)
time.sleep(120)
"""


def test_refused_while_another_process_has_the_database_open(template: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    database = place(template, home_database(home))
    corrupt(database, keys_on_leaf(database, "articles", 2)[0])
    digest = sha256(database)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(database)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "ouvert"
        run = cli(home, "repair")
        assert run.returncode == 1
        assert "Traceback" not in run.stderr
        assert "ouverte par un autre programme" in run.stderr
        assert str(database) in run.stderr
        assert sha256(database) == digest
        assert backups(database) == []
        assert leftovers(database) == []
    finally:
        holder.kill()
        holder.wait()
    run = cli(home, "repair")
    assert run.returncode == 0, run.stderr
    assert healthy(database)


async def test_the_tui_holds_the_lock(template: Path, tmp_path: Path) -> None:
    from gazette_tui.ui.app import build_app

    paths = Paths.under(tmp_path / "home")
    paths.ensure()
    place(template, paths.database)
    app = build_app(Settings(), paths, offline=True)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            with pytest.raises(StoreError, match="ouverte par un autre programme"):
                repair(paths.database, force=True)
    finally:
        app.store.close()
    assert repair(paths.database, force=True).rows["feeds"] == FEEDS


def test_opening_waits_for_a_running_repair_then_says_so(template: Path, tmp_path: Path) -> None:
    path = place(template, tmp_path / "gazette.db")
    with lock.hold_exclusive(path):
        started = time.monotonic()
        with pytest.raises(StoreError, match=r"réparation .* en cours"):
            lock.hold_shared(path, wait=0.3)
        assert time.monotonic() - started >= 0.3
    with Store(path) as store:
        assert len(store.feeds()) == FEEDS


def test_no_lock_where_fcntl_is_missing(
    template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lock, "fcntl", None)
    path = place(template, tmp_path / "gazette.db")
    held = lock.hold_shared(path)
    assert not held.held
    assert not lock.hold_exclusive(path).held
    held.release()
    assert repair(path, force=True).rows["articles"] == 104


# --- backups never collide; a full disk changes nothing --------------------------------------------------


def test_two_repairs_in_the_same_microsecond_keep_both_originals(
    template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    frozen = datetime(2026, 11, 25, 9, 30, 0, 123456)
    monkeypatch.setattr(repair_module, "clock", lambda: frozen)
    path = place(template, tmp_path / "gazette.db")
    digests = []
    for table in ("articles", "dossiers"):
        corrupt(path, keys_on_leaf(path, table, 1)[0])
        digests.append(sha256(path))
        repair(path)
    first, second = backups(path)
    assert first.name == "gazette.db.endommagee-20261125-093000-123456"
    assert second.name == first.name + "-2"
    assert [sha256(first), sha256(second)] == digests


def test_a_full_disk_leaves_the_database_as_it_was(template: Path, tmp_path: Path) -> None:
    from test_faults import fill, small_tmpfs

    with small_tmpfs(tmp_path / "disk", "8m") as disk:
        path = place(template, disk / "gazette.db")
        corrupt(path, keys_on_leaf(path, "articles", 2)[0])
        digest = sha256(path)
        fill(disk, leave=64 * 1024)
        with pytest.raises(StoreError, match="disque est plein") as raised:
            repair(path)
        assert "Traceback" not in str(raised.value)
        assert str(path) in str(raised.value)
        assert sha256(path) == digest
        assert backups(path) == []
        assert leftovers(path) == []
        assert not lock.journal_path(path).exists()
        (disk / "filler.bin").unlink()
        repair(path)
        assert healthy(path)


def test_an_unreadable_schema_keeps_the_file_and_starts_afresh(tmp_path: Path) -> None:
    path = tmp_path / "gazette.db"
    path.write_bytes(b"SQLite format 3\x00" + bytes(8176))
    report = repair(path)
    assert not report.readable
    assert report.kept_as.read_bytes().startswith(b"SQLite format 3")
    with Store(path) as store:
        assert store.feeds() == []


@pytest.fixture(autouse=True)
def _no_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(repair_module.PAUSE_ENV, raising=False)


def test_backup_is_a_copy_where_hard_links_are_not_possible(
    template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(*_: object, **__: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    path = place(template, tmp_path / "gazette.db")
    corrupt(path, keys_on_leaf(path, "articles", 1)[0])
    digest = sha256(path)
    monkeypatch.setattr(os, "link", no_links)
    report = repair(path)
    assert sha256(report.kept_as) == digest
    assert healthy(path)
    assert not os.path.samefile(report.kept_as, path)
    assert leftovers(path) == []


def test_a_journal_that_points_elsewhere_is_refused(template: Path, tmp_path: Path) -> None:
    path = place(template, tmp_path / "gazette.db")
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    (elsewhere / "victime").write_text("à garder")
    journal = {"database": str(path), "temp": str(elsewhere / "victime"), "backup": str(path) + ".x"}
    lock.journal_path(path).write_text(json.dumps(journal))
    with pytest.raises(StoreError, match="ne décrit pas"):
        Store(path)
    assert (elsewhere / "victime").read_text() == "à garder"
    assert healthy(path)
