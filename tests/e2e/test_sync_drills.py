"""Sync drills with real processes and a real Fever server (coldsweat on 127.0.0.1): ``kill -9`` of
``gazette-tui sync now`` in the middle of a push and of a pull, at chosen moments and at random ones, and two
gazette-tui installations on one account.

A loopback proxy (:mod:`support.fever_proxy`) between the CLI and coldsweat holds a chosen call, so the test
knows where the process is (a mark applied on the server but not answered yet, a page of items not yet
answered) when it kills it. Then it syncs again, and checks that nothing was lost (every local change is on
the server), nothing duplicated (one article per item, the outbox empty) and both sides agree.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from support.accounts import MemoryKeyring
from support.coldsweat import EMAIL, PASSWORD, Coldsweat, FeedSpec
from support.fever_proxy import FeverProxy, call_is
from support.sync_profiles import Profile, new_profile, server_state, synced_state

from gazette_tui.core.storage.store import Store
from gazette_tui.core.sync.accounts import add_account, sync_all

pytestmark = pytest.mark.slow  # runs by default (and in CI): slow, not optional

SEED = 20261203


@dataclass
class Drill:
    coldsweat: Coldsweat
    proxy: FeverProxy
    profile: Profile


@pytest.fixture
def drill(coldsweat: Coldsweat, tmp_path: Path) -> Iterator[Drill]:
    with FeverProxy(lambda: coldsweat.port) as proxy:
        profile = new_profile(tmp_path, "laptop")
        profile.add_account(proxy.url)
        yield Drill(coldsweat, proxy, profile)


def kill_when_held(proxy: FeverProxy, process: subprocess.Popen[str]) -> None:
    """``kill -9`` the process once the proxy holds its call; then let the call go (to no one)."""
    try:
        assert proxy.wait_held(60), f"the sync never reached the held call: {proxy.names()}"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)
    finally:
        proxy.clear()
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=10)
    assert process.returncode == -signal.SIGKILL


def assert_agree(drill: Drill, items: int) -> None:
    """One article per server item, no change waiting, the same read and starred states on both sides."""
    with drill.profile.store() as store:
        local = synced_state(store)
    server = server_state(drill.coldsweat)
    assert len(server) == items
    assert (local.articles, local.distinct_keys, len(local.items)) == (items, items, items)
    assert local.outbox == 0
    assert local.items == server


def remote_ids(store: Store) -> dict[int, str]:
    """Our article id → the server's item id, for every synced article."""
    with store.reading() as c:
        return {int(a): str(r) for a, r in c.execute("SELECT article_id, remote_id FROM sync_items")}


def test_kill_9_in_the_middle_of_a_push_loses_and_duplicates_nothing(drill: Drill) -> None:
    first = drill.profile.sync()
    assert first["new"] == 120
    with drill.profile.store() as store:
        ids = sorted(remote_ids(store))
        store.set_read(ids[:60])
        for article in ids[100:105]:
            store.set_starred(article, True)
        assert store.sync.pending_count() == 65
        wanted = {remote_ids(store)[a] for a in ids[:60]}, {remote_ids(store)[a] for a in ids[100:105]}
    # The 55th mark (the 5th of the second batch of 50): done on the server, its answer held.
    drill.proxy.add(call_is("mark"), "hold_after", skip=54)
    process = drill.profile.start("sync", "now", "--json")
    kill_when_held(drill.proxy, process)

    server = server_state(drill.coldsweat)
    assert (sum(r for r, _ in server.values()), sum(s for _, s in server.values())) == (55, 0)
    with drill.profile.store() as store:
        # The first batch's rows are gone (the server has them); the second batch's all stay, the one
        # the server did and did not answer included: it is sent again, which is harmless.
        assert store.sync.pending_count() == 15

    again = drill.profile.sync()
    assert (again["pushed"], again["pending"], again["new"]) == (15, 0, 0)
    server = server_state(drill.coldsweat)
    read, saved = wanted
    assert {i for i, (r, _) in server.items() if r} == read
    assert {i for i, (_, s) in server.items() if s} == saved
    assert_agree(drill, 120)


def test_kill_9_in_the_middle_of_a_first_pull_resumes_where_it_stopped(drill: Drill) -> None:
    # The second page (since_id = the first page's last id): the server has answered, the client has not
    # the answer; the first page is stored with its cursor.
    drill.proxy.add(call_is("items"), "hold_after", skip=1)
    process = drill.profile.start("sync", "now", "--json")
    kill_when_held(drill.proxy, process)
    with drill.profile.store() as store:
        half = synced_state(store)
        account = store.sync.account("maison")
        assert account is not None
        assert (half.articles, len(half.items)) == (50, 50)
        assert account.cursor == max(half.items, key=int)
        # Meanwhile: a change here on a stored article, one on the phone on another.
        mine, theirs = sorted(half.items, key=int)[:2]
        article = store.sync.article_id(account.id, mine)
        assert article is not None
        store.set_starred(article, True)
    drill.coldsweat.mark(theirs, "read")

    drill.proxy.reset_calls()
    report = drill.profile.sync()
    assert (report["new"], report["pushed"]) == (70, 1)
    pages = [c for c in drill.proxy.calls if c.name == "items"]
    assert pages[0].query.get("since_id") == max(half.items, key=int)  # resumed, not from the start
    assert drill.coldsweat.saved() == {mine}
    assert theirs not in drill.coldsweat.unread()
    assert_agree(drill, 120)


def test_kill_9_while_left_out_items_are_asked_for_by_id(drill: Drill) -> None:
    """coldsweat's pages go feed by feed: with items published on the first feed after the others', its
    second page leaves ids out below its highest (96…120), which the client asks for by id. Killed right
    there, the next sync asks again: every item arrives, once (test_sync_paging.py has the rest)."""
    drill.coldsweat.publish("finances", 5)
    for item in drill.coldsweat.item_ids():
        drill.coldsweat.mark(item, "read")  # read elsewhere: only the pages can bring them
    drill.proxy.add(lambda call: call.name == "items" and "with_ids" in call.query, "hold_after")
    process = drill.profile.start("sync", "now", "--json")
    kill_when_held(drill.proxy, process)
    [asked] = [c for c in drill.proxy.calls if "with_ids" in c.query]
    assert asked.query["with_ids"] == ",".join(map(str, range(96, 121)))
    with drill.profile.store() as store:
        assert len(synced_state(store).items) == 50  # the first page only
    report = drill.profile.sync()
    assert report["new"] == 75
    assert_agree(drill, 125)


def test_kill_9_before_the_state_is_pulled_keeps_a_change_made_meanwhile(drill: Drill) -> None:
    drill.profile.sync()
    drill.coldsweat.mark(drill.coldsweat.item_ids("rh")[0], "saved")
    drill.proxy.add(call_is("unread_item_ids"), "hold_before")
    process = drill.profile.start("sync", "now", "--json")
    try:
        assert drill.proxy.wait_held(60)
        # The reader marks an article while the other process's sync is in flight.
        with drill.profile.store() as store:
            article = min(remote_ids(store))
            store.set_read([article])
            mine = remote_ids(store)[article]
    finally:
        kill_when_held(drill.proxy, process)
    assert mine in drill.coldsweat.unread()  # not pushed: the push was over when it was made

    report = drill.profile.sync()
    assert (report["pushed"], report["starred"]) == (1, 1)
    assert mine not in drill.coldsweat.unread()
    assert_agree(drill, 120)


def test_kill_9_at_random_moments_of_a_long_sync_converges(coldsweat: Coldsweat, tmp_path: Path) -> None:
    """A first sync of 400 items killed again and again, at random times (in a page being stored, in the
    push, between two calls), with local and remote changes between the runs; then one sync to the end."""
    rng = random.Random(SEED)
    coldsweat.subscribe([FeedSpec("budget", "Budgets", "Finances", 280)])
    items = 120 + 280
    with FeverProxy(lambda: coldsweat.port) as proxy:
        profile = new_profile(tmp_path, "laptop")
        profile.add_account(proxy.url)
        drill = Drill(coldsweat, proxy, profile)
        kills = 0
        for _ in range(6):
            process = profile.start("sync", "now", "--json")
            time.sleep(rng.uniform(0.3, 1.5))
            if process.poll() is None:
                os.kill(process.pid, signal.SIGKILL)
                kills += 1
            process.communicate(timeout=60)
            with profile.store() as store:
                cached = sorted(remote_ids(store))
                for article in rng.sample(cached, min(5, len(cached))):
                    store.set_read([article], read=rng.random() < 0.5)
                    store.set_starred(article, rng.random() < 0.3)
            coldsweat.mark(
                rng.choice(coldsweat.item_ids()), rng.choice(["read", "unread", "saved", "unsaved"])
            )
        assert kills >= 3, "the sync was too quick to be killed: lengthen it"
        profile.sync()
        assert_agree(drill, items)


async def test_two_installations_on_one_account_see_each_others_changes(
    coldsweat: Coldsweat, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    """A laptop and a desktop, each its own cache, one account: what one marks reaches the other through the
    server; both syncing at the same moment is safe; the same state changed on both sides goes to the last
    one to push."""
    with Store(tmp_path / "laptop.db") as laptop, Store(tmp_path / "desktop.db") as desktop:
        for store in (laptop, desktop):
            await add_account(store, "fever", coldsweat.url, EMAIL, PASSWORD, name="maison")
        first = await asyncio.gather(sync_all(laptop), sync_all(desktop))  # at the same time
        assert [r.new for [r] in first] == [120, 120]
        on_laptop, on_desktop = remote_ids(laptop), remote_ids(desktop)
        by_item = {item: article for article, item in on_desktop.items()}
        items = sorted(by_item, key=int)

        laptop_article = {item: article for article, item in on_laptop.items()}
        laptop.set_read([laptop_article[i] for i in items[:10]])
        laptop.set_starred(laptop_article[items[10]], True)
        desktop.set_read([by_item[i] for i in items[20:25]])
        desktop.set_starred(by_item[items[10]], True)  # both star the same one
        # The same state on both sides: the laptop reads it, the desktop reads it and unreads it.
        laptop.set_read([laptop_article[items[30]]])
        desktop.set_read([by_item[items[30]]])
        desktop.set_read([by_item[items[30]]], read=False)

        [a] = await sync_all(laptop)
        [b] = await sync_all(desktop)
        [c] = await sync_all(laptop)
        assert [a.ok, b.ok, c.ok] == [True, True, True]
        assert (a.pushed, b.pushed, c.pushed) == (12, 7, 0)
        assert c.read == 5  # the desktop's five
        assert c.unread == 1  # item 30: the desktop pushed last
        assert b.read == 10

        laptop_state, desktop_state = synced_state(laptop), synced_state(desktop)
        server = server_state(coldsweat)
        assert laptop_state.items == desktop_state.items == server
        assert {i for i, (r, _) in server.items() if r} == set(items[:10]) | set(items[20:25])
        assert {i for i, (_, s) in server.items() if s} == {items[10]}
        assert laptop_state.outbox == desktop_state.outbox == 0

        # Both sync at once, each with a change of its own: both get both.
        laptop.set_starred(laptop_article[items[40]], True)
        desktop.set_starred(by_item[items[41]], True)
        await asyncio.gather(sync_all(laptop), sync_all(desktop))
        await asyncio.gather(sync_all(laptop), sync_all(desktop))
        assert synced_state(laptop).items == synced_state(desktop).items == server_state(coldsweat)
        assert {i for i, (_, s) in server_state(coldsweat).items() if s} == {items[10], items[40], items[41]}


def test_two_installations_as_real_processes(coldsweat: Coldsweat, tmp_path: Path) -> None:
    """The same through the CLI: two homes, two keyrings, ``mark`` on one, ``sync now`` on both."""
    laptop, desktop = new_profile(tmp_path, "laptop"), new_profile(tmp_path, "desktop")
    for profile in (laptop, desktop):
        profile.add_account(coldsweat.url)
        assert profile.sync()["new"] == 120
    with laptop.store() as store:
        article = min(remote_ids(store))
        item = remote_ids(store)[article]
    done = laptop.cli("mark", str(article), "--read")
    assert done.returncode == 0, done.stderr
    assert laptop.sync()["pushed"] == 1
    assert desktop.sync()["read"] == 1
    with desktop.store() as store:
        assert synced_state(store).items[item] == (True, False)
    assert server_state(coldsweat)[item] == (True, False)
