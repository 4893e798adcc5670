"""A Hypothesis state machine against a real Fever server (coldsweat on 127.0.0.1): random local changes
(read, unread, star, unstar), changes on another device (the Fever API, straight to coldsweat), new items
on the server, offline periods (a proxy that cuts every call, or the server stopped), syncs, and syncs that
crash: one abandoned midway (its task cancelled while the proxy holds a call) or ``kill -9`` of a real
``gazette-tui sync now`` process at a chosen call.

After every step the outbox is exactly the model's pending changes (each local change is one row with the
latest state; a sync that could not reach the server sent nothing and lost nothing; after a crash, a row
that is gone is on the server). After every sync that worked, and after a last one at the end, both sides
agree on read and saved for every item, with the rule of docs/SYNC.md: a state changed here and not yet
sent wins; any other state is the server's.

Each example starts from the same server (the server is reset: a third of its items read, a few saved)
and a new installation (its own database); a rule sets up another one midway, as a reader with a new
machine. The default run is short; a longer one:

    GAZETTE_SYNC_MACHINE_EXAMPLES=200 GAZETTE_SYNC_MACHINE_STEPS=30 .venv/bin/python -m pytest \\
        tests/unit/test_sync_state_machine.py -p no:timeout

(with a number of examples set, the run is random rather than derandomized: each run explores anew).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import signal
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from support.accounts import installed
from support.coldsweat import EMAIL, PASSWORD, Coldsweat, FeedSpec, running_coldsweat
from support.fever_proxy import FeverProxy, any_call
from support.file_keyring import FILE_VARIABLE, FileKeyring
from support.sync_profiles import ACCOUNT, Profile, new_profile, server_state, synced_state

from gazette_tui.core.storage.store import Store
from gazette_tui.core.sync.accounts import add_account, sync_all
from gazette_tui.core.sync.engine import SyncReport

pytestmark = pytest.mark.slow  # runs by default (and in CI): slow, not optional

EXAMPLES = int(os.environ.get("GAZETTE_SYNC_MACHINE_EXAMPLES", "0") or 0)
STEPS = int(os.environ.get("GAZETTE_SYNC_MACHINE_STEPS", "0") or 0)
FEEDS = (
    FeedSpec("finances", "Finances locales", "Finances", 30),
    FeedSpec("rh", "Ressources humaines", "Territoires", 25),
)
TRACKED = 12
"""Local and remote changes fall on a few of the server's first items, in both feeds: often the same."""
OPS = ("read", "unread", "saved", "unsaved")
FIELD = {"read": "read", "unread": "read", "saved": "saved", "unsaved": "saved"}
VALUE = {"read": True, "unread": False, "saved": True, "unsaved": False}
Pending = dict[tuple[str, str], bool]
"""(remote item id, ``read`` or ``saved``) → the state set here and not yet on the server."""


class World:
    """What the examples share: the server, the proxy in front of it, a folder, a keyring file."""

    def __init__(self, root: Path, server: Coldsweat, proxy: FeverProxy) -> None:
        self.root = root
        self.server = server
        self.proxy = proxy
        self.keyring = root / "keyring.json"
        self.installs = itertools.count()
        self.specs = dict(server.feeds)
        self.first_items = max(int(i) for i in server.item_ids())

    def reset_server(self) -> None:
        """The server as it started (a third of the items read, a few saved, none published since), so that
        each example starts from the same place, and a failing one can be shrunk."""
        if self.server.process is None:
            self.server.start()
        with contextlib.closing(sqlite3.connect(self.server.database, timeout=10)) as db, db:
            db.execute("DELETE FROM read")
            db.execute("DELETE FROM saved")
            db.execute("DELETE FROM entries WHERE id > ?", (self.first_items,))
            # The phone has read a third of them and saved a few.
            for table, column, every in (("read", "read_on", 3), ("saved", "saved_on", 7)):
                db.execute(
                    f"INSERT INTO {table} (user_id, entry_id, {column}) SELECT u.id, e.id, datetime('now') "
                    "FROM users u, entries e WHERE e.id % ? = 0",
                    (every,),
                )
            db.execute("UPDATE feeds SET etag = '', last_updated_on = NULL, last_checked_on = NULL")
        for slug, spec in self.specs.items():
            self.server.feeds[slug] = spec


WORLD: World | None = None


def tracked(items: list[str]) -> list[str]:
    """Every fourth of the first items (both sides have them all, whatever was published since)."""
    return sorted(items, key=int)[: TRACKED * 4 : 4]


def outbox(store: Store) -> Pending:
    with store.reading() as c:
        rows = c.execute("SELECT target, remote_id, field, action FROM sync_outbox").fetchall()
    assert all(row[0] == "item" for row in rows)
    return {(str(r[1]), str(r[2])): VALUE[str(r[3])] for r in rows}


class SyncMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        assert WORLD is not None
        self.world = WORLD
        self.server, self.proxy = WORLD.server, WORLD.proxy
        self.proxy.clear()
        self.proxy.offline = False
        self.server_stopped = False
        WORLD.reset_server()
        self.published_here = False
        self._install()

    def _install(self) -> None:
        """A new installation (a new database) on the account, and its first sync."""
        self.profile: Profile = new_profile(self.world.root, f"install-{next(self.world.installs)}")
        self.profile.keyring_file = self.world.keyring
        self.profile.database.parent.mkdir(parents=True)
        self.store = Store(self.profile.database)
        self.store.set_meta("seeded", "0")  # no Gazette feeds on the CLI's first run: not this test's
        self.pending: Pending = {}
        asyncio.run(add_account(self.store, "fever", self.proxy.url, EMAIL, PASSWORD, name=ACCOUNT))
        report = self._sync()
        assert report.ok, report.error
        self._check_agree()

    # -- helpers --------------------------------------------------------------------------------------

    def _sync(self) -> SyncReport:
        [report] = asyncio.run(sync_all(self.store, [ACCOUNT]))
        return report

    def _online(self) -> bool:
        return not (self.proxy.offline or self.server_stopped)

    def _items(self) -> list[str]:
        return tracked(list(synced_state(self.store).items))

    def _check_agree(self) -> None:
        """Right after a sync that worked, with nothing changed since: one article per item of the server,
        the same states, nothing waiting."""
        local, server = synced_state(self.store), server_state(self.server)
        assert set(local.items) == set(server), (
            f"items the cache lacks: {sorted(set(server) - set(local.items), key=int)}; "
            f"items the server lacks: {sorted(set(local.items) - set(server), key=int)}"
        )
        assert (local.articles, local.distinct_keys) == (len(server), len(server))
        differ = {i: (local.items[i], server[i]) for i in server if local.items[i] != server[i]}
        assert not differ, f"(here, server) differ: {differ}"
        assert local.outbox == 0

    def _after_crash(self) -> None:
        """A sync died somewhere: each pending change is either still in the outbox or on the server."""
        rows = outbox(self.store)
        server = server_state(self.server)
        for key, value in list(self.pending.items()):
            if key in rows:
                continue
            item, field = key
            read, saved = server[item]
            assert (read if field == "read" else saved) == value, f"{key} left the outbox, not on the server"
            del self.pending[key]

    # -- rules ----------------------------------------------------------------------------------------

    @rule(index=st.integers(0, TRACKED - 1), op=st.sampled_from(OPS))
    def change_here(self, index: int, op: str) -> None:
        items = self._items()
        item = items[index % len(items)]
        account = self.store.sync.account(ACCOUNT)
        assert account is not None
        article = self.store.sync.article_id(account.id, item)
        assert article is not None
        shown = self.store.article(article)
        field, value = FIELD[op], VALUE[op]
        if (shown.read if field == "read" else shown.starred) == value:
            return  # already so: nothing changes, nothing to send
        if field == "read":
            self.store.set_read([article], read=value)
        else:
            self.store.set_starred(article, value)
        self.pending[(item, field)] = value

    @rule(index=st.integers(0, TRACKED - 1), op=st.sampled_from(OPS))
    def change_on_the_phone(self, index: int, op: str) -> None:
        if self.server_stopped:
            self.server.start()
            self.server_stopped = False
        items = tracked(self.server.item_ids())
        self.server.mark(items[index % len(items)], op)

    @precondition(lambda self: not self.published_here)
    @rule(slug=st.sampled_from([f.slug for f in FEEDS]), count=st.integers(1, 12))
    def new_items_on_the_server(self, slug: str, count: int) -> None:
        self.server.publish(slug, count)
        self.published_here = True

    @precondition(lambda self: self._online())
    @rule()
    def a_new_installation(self) -> None:
        """The reader sets the account up on a new machine (the old one, and what it had not sent, is
        gone): its first sync brings every item of the server, with its states."""
        self.store.close()
        self._install()

    @rule()
    def sync(self) -> None:
        before = outbox(self.store)
        report = self._sync()
        if not self._online():
            assert report.error is not None
            assert report.retry_later
            assert report.pending == len(before)
            assert outbox(self.store) == before  # nothing sent, nothing lost
            return
        assert report.ok, report.error
        self.pending.clear()
        self._check_agree()

    @precondition(lambda self: not self.proxy.offline)
    @rule()
    def go_offline(self) -> None:
        self.proxy.offline = True

    @precondition(lambda self: not self._online())
    @rule()
    def come_back(self) -> None:
        self.proxy.offline = False
        if self.server_stopped:
            self.server.start()
            self.server_stopped = False

    @precondition(lambda self: not self.server_stopped)
    @rule()
    def stop_the_server(self) -> None:
        self.server.stop()
        self.server_stopped = True

    @precondition(lambda self: self._online())
    @rule(at=st.integers(0, 8))
    def abandon_a_sync(self, at: int) -> None:
        """The sync's task is cancelled while the proxy holds its call number ``at`` (already done on the
        server: a mark applied, a page read), as a TUI quitting in the middle of a background sync."""

        async def abandon() -> None:
            self.proxy.add(any_call, "hold_after", skip=at)
            task = asyncio.create_task(sync_all(self.store, [ACCOUNT]))
            while not task.done() and not self.proxy.held:
                await asyncio.sleep(0.01)
            if not task.done():
                task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            self.proxy.clear()

        asyncio.run(abandon())
        self._after_crash()

    @precondition(lambda self: self._online())
    @rule(at=st.integers(0, 8))
    def kill_a_sync(self, at: int) -> None:
        """``kill -9`` of ``gazette-tui sync now`` (another process, on the same database) while the proxy
        holds its call number ``at``."""
        self.proxy.add(any_call, "hold_after", skip=at)
        process = self.profile.start("sync", "now", "--json")
        try:
            while process.poll() is None and not self.proxy.wait_held(0.05):
                pass
            if process.poll() is None:
                os.kill(process.pid, signal.SIGKILL)
        finally:
            self.proxy.clear()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.communicate(timeout=60)
        self._after_crash()

    # -- what must always hold ------------------------------------------------------------------------

    @invariant()
    def the_outbox_is_the_pending_changes(self) -> None:
        assert outbox(self.store) == self.pending

    def teardown(self) -> None:
        try:
            self.proxy.clear()
            self.proxy.offline = False
            if self.server_stopped:
                self.server.start()
                self.server_stopped = False
            server = server_state(self.server)
            expected = {}
            for item, (read, saved) in server.items():
                expected[item] = (
                    self.pending.get((item, "read"), read),
                    self.pending.get((item, "saved"), saved),
                )
            report = self._sync()
            assert report.ok, report.error
            assert server_state(self.server) == expected, "the last sync did not end where the rule says"
            self._check_agree()
        finally:
            self.store.close()


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    global WORLD
    monkeypatch.setenv(FILE_VARIABLE, str(tmp_path / "keyring.json"))
    with (
        running_coldsweat(tmp_path / "coldsweat", FEEDS) as server,
        FeverProxy(lambda: server.port) as proxy,
        installed(FileKeyring(tmp_path / "keyring.json")),
    ):
        WORLD = World(tmp_path, server, proxy)
        try:
            yield WORLD
        finally:
            WORLD = None


@pytest.mark.timeout(1800)
def test_both_sides_agree_after_random_changes_offline_periods_and_crashes(world: World) -> None:
    run_state_machine_as_test(
        SyncMachine,
        settings=settings(
            max_examples=EXAMPLES or 10,
            stateful_step_count=STEPS or 8,
            deadline=None,
            derandomize=not EXAMPLES,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
