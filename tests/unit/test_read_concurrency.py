"""Readers and the writer on a real SQLite file (WAL): a search or a read held open in one thread never holds
up a mark-as-read in another, and a read that starts after a write sees it."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from support.feeds import item_xml, rss

from gazette_tui.core.feeds.parse import parse_feed
from gazette_tui.core.library import dossiers
from gazette_tui.core.search import search as search_module
from gazette_tui.core.search.search import SearchHit, search_hits
from gazette_tui.core.storage import search_sql
from gazette_tui.core.storage.store import Store
from gazette_tui.errors import QueryError, StoreError

PROMPT = 2.0
"""A write that waited for the held read would take as long as the test holds it (10 s): well above this."""
HOLD = 10.0


@pytest.fixture
def filled(store: Store) -> Store:
    feed = store.add_feed("https://exemple.test/feed/")
    items = [
        item_xml(i, title=f"Budget communal {i}", body=f"<p>Le budget {i} de la commune.</p>")
        for i in range(40)
    ]
    store.record_success(feed.id, parse_feed(rss(items)))
    assert len(store.article_ids()) == 40
    return store


def in_thread(work: Callable[[], Any]) -> tuple[threading.Thread, dict[str, Any]]:
    """Run ``work`` in a thread; the dict gets its ``result`` or ``error`` and how long it took."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        started = time.monotonic()
        try:
            outcome["result"] = work()
        except BaseException as error:  # reported to the test thread
            outcome["error"] = error
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def finished(thread: threading.Thread, outcome: dict[str, Any], timeout: float = HOLD) -> Any:
    thread.join(timeout)
    assert not thread.is_alive(), "still blocked"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


@pytest.fixture
def held_search(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[threading.Event, threading.Event]]:
    """Searches stop after ranking their results (their read connection open, the time budget set) until
    ``release`` is set: ``started`` says one got there."""
    started, release = threading.Event(), threading.Event()
    ranked = search_sql.SearchSession.ranked

    def held(self: search_sql.SearchSession, *args: Any, **kwargs: Any) -> list[tuple[int, float | None]]:
        result = ranked(self, *args, **kwargs)
        started.set()
        release.wait(HOLD)
        return result

    monkeypatch.setattr(search_sql.SearchSession, "ranked", held)
    yield started, release
    release.set()


def test_a_search_in_flight_does_not_hold_up_a_mark_as_read(
    filled: Store, held_search: tuple[threading.Event, threading.Event]
) -> None:
    started, release = held_search
    target = filled.article_ids()[0]
    searching, search_outcome = in_thread(lambda: search_hits(filled, "budget sort:date", limit=50))
    assert started.wait(HOLD)

    marking, mark_outcome = in_thread(lambda: filled.set_read([target]).ids)
    assert finished(marking, mark_outcome, PROMPT) == [target]
    assert mark_outcome["seconds"] < PROMPT
    assert searching.is_alive()  # the search still holds its reader
    # A read that starts now (another thread, its own connection) sees the committed write.
    reading, read_outcome = in_thread(lambda: filled.article(target).read)
    assert finished(reading, read_outcome, PROMPT) is True
    assert filled.article(target).read  # and this thread too

    release.set()
    hits: list[SearchHit] = finished(searching, search_outcome)
    assert len(hits) == 40
    # The search read one snapshot, taken before the write: its rows are consistent with its ranking.
    assert not next(hit for hit in hits if hit.row.id == target).row.read


def test_a_read_held_open_does_not_hold_up_writes(filled: Store) -> None:
    first, second = filled.article_ids()[:2]
    inside, release = threading.Event(), threading.Event()

    def hold_a_read() -> tuple[int, int]:
        with filled.reading() as c:
            cursor = c.execute("SELECT id, read FROM articles ORDER BY id")
            cursor.fetchone()  # a statement left open mid-scan: the snapshot stays
            inside.set()
            release.wait(HOLD)
            return c.execute("SELECT read FROM articles WHERE id = ?", (first,)).fetchone()[0], len(
                cursor.fetchall()
            )

    holding, hold_outcome = in_thread(hold_a_read)
    assert inside.wait(HOLD)
    veille = dossiers.create(filled, "Veille")

    def writes() -> None:
        filled.set_read([first])
        filled.set_starred(second, True)
        dossiers.add_article(filled, veille.id, second, "à relire")

    writing, write_outcome = in_thread(writes)
    finished(writing, write_outcome, PROMPT)
    assert write_outcome["seconds"] < PROMPT
    assert filled.article(first).read
    assert filled.article(second).starred
    assert [item.note for item in dossiers.items(filled, veille.id)] == ["à relire"]
    release.set()
    assert finished(holding, hold_outcome) == (0, 39)  # the held read kept its own snapshot to the end


def test_the_time_budget_stops_a_search_on_its_read_connection(
    filled: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_module, "TIME_BUDGET_S", -1.0)  # past its deadline from the start
    monkeypatch.setattr(search_sql, "PROGRESS_STEPS", 1)
    for query in ("budget", "budget sort:date", "is:unread"):
        with pytest.raises(QueryError, match="Recherche trop longue"):
            search_hits(filled, query)
    # The writer was not touched, and the interrupted reader still works, with no budget left on it.
    assert filled.set_read(filled.article_ids()[:1]).ids != []
    monkeypatch.setattr(search_module, "TIME_BUDGET_S", 10.0)
    assert len(search_hits(filled, "budget", limit=5)) == 5
    with filled.reading() as c:  # no progress handler left: a long statement is not interrupted
        assert c.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000) "
                         "SELECT COUNT(*) FROM n").fetchone()[0] == 200000  # fmt: skip


def test_each_reading_thread_has_its_own_connection(filled: Store) -> None:
    both_in, release = threading.Barrier(2), threading.Event()

    def connection_of_a_read() -> sqlite3.Connection:
        with filled.reading() as c:
            with filled.reading() as nested:
                assert nested is c  # a nested read: the same connection, the same snapshot
            both_in.wait(HOLD)
            release.wait(HOLD)
            return c

    threads = [in_thread(connection_of_a_read) for _ in range(2)]
    release.set()
    first, second = (finished(*t) for t in threads)
    assert first is not second
    assert filled.connection not in (first, second)  # nor the writer's
    # Inside this thread's write transaction, a read sees what the transaction wrote.
    target = filled.article_ids()[0]
    with filled.writing() as w:
        w.execute("UPDATE articles SET starred = 1 WHERE id = ?", (target,))
        assert filled.article(target).starred
        with filled.reading() as c:
            assert c is w


def test_readers_are_read_only(filled: Store) -> None:
    with filled.reading() as c, pytest.raises(sqlite3.OperationalError, match=r"readonly|read-only"):
        c.execute("UPDATE articles SET read = 1")
    assert not any(row.read for row in filled.article_rows(filled.article_ids()))


def test_close_closes_every_connection(paths: Any) -> None:
    database: Path = paths.database
    store = Store(database)
    feed = store.add_feed("https://exemple.test/feed/")
    store.record_success(feed.id, parse_feed(rss(5)))
    barrier = threading.Barrier(3)

    def read_together() -> sqlite3.Connection:
        with store.reading() as c:
            c.execute("SELECT COUNT(*) FROM articles").fetchone()
            barrier.wait(HOLD)
            return c

    connections = [finished(*t) for t in [in_thread(read_together) for _ in range(3)]]
    assert len({id(c) for c in connections}) == 3
    store.close()
    for connection in [*connections, store.connection]:
        with pytest.raises(sqlite3.ProgrammingError):
            connection.execute("SELECT 1")
    assert not Path(f"{database}-wal").exists()  # the last connection closed checkpointed the file
    with pytest.raises(StoreError, match="fermée"):  # the store's own error, which callers handle
        store.article_ids()


def test_close_waits_for_a_read_in_another_thread(paths: Any) -> None:
    store = Store(paths.database)
    inside, release = threading.Event(), threading.Event()

    def long_read() -> int:
        with store.reading() as c:
            inside.set()
            release.wait(HOLD)
            return int(c.execute("SELECT COUNT(*) FROM feeds").fetchone()[0])

    reading, outcome = in_thread(long_read)
    assert inside.wait(HOLD)
    closing, close_outcome = in_thread(store.close)
    time.sleep(0.2)
    assert closing.is_alive()  # the read is not cut off under its feet
    release.set()
    assert finished(reading, outcome) == 0
    finished(closing, close_outcome)


def test_a_readonly_store_reads_from_several_threads_and_refuses_writes(paths: Any) -> None:
    with Store(paths.database) as store:
        feed = store.add_feed("https://exemple.test/feed/")
        store.record_success(feed.id, parse_feed(rss(3)))
    before = paths.database.read_bytes()
    with Store(paths.database, readonly=True) as store:
        threads = [in_thread(lambda: len(search_hits(store, "is:unread"))) for _ in range(3)]
        assert [finished(*t) for t in threads] == [3, 3, 3]
        with pytest.raises(StoreError, match="lecture seule"):
            store.set_read(store.article_ids())
        assert store.counts()["unread"] == 3
    assert paths.database.read_bytes() == before


def test_without_wal_reads_go_through_the_writer(paths: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file system that cannot share memory refuses WAL: readers would then lock the writer out, so reads
    go through the writer, one at a time, as before readers had connections of their own."""
    from gazette_tui.core.storage import connections

    connect = connections.db.connect

    def no_wal(path: Path, **kwargs: Any) -> sqlite3.Connection:
        connection = connect(path, **kwargs)
        if not kwargs.get("reader"):
            connection.execute("PRAGMA journal_mode = DELETE")
        return connection

    monkeypatch.setattr(connections.db, "connect", no_wal)
    with Store(paths.database) as store:
        feed = store.add_feed("https://exemple.test/feed/")
        store.record_success(feed.id, parse_feed(rss(4)))
        with store.reading() as c:
            assert c is store.connection
            assert c.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        threads = [in_thread(lambda: store.set_read(store.article_ids()[:2]).ids) for _ in range(2)]
        threads += [in_thread(lambda: len(search_hits(store, "is:read"))) for _ in range(2)]
        results = [finished(*t) for t in threads]
        assert sorted(map(len, results[:2])) == [0, 2]
        assert set(results[2:]) <= {0, 2}
        assert store.counts()["unread"] == 2
