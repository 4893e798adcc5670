"""A sync that meets a failing server half-way (HTTP 500, an answer dripping a byte at a time, a connection
cut), at a chosen call, through a loopback proxy in front of a real coldsweat (:mod:`support.fever_proxy`):
the sync stops with a message to retry later; what was not sent stays in the outbox; nothing is half
applied (a page is stored whole with its cursor, or not at all; the state sets are applied both or none);
and the next sync converges.

The Fever client's own answers to such servers are in test_sync_fever.py; these are the engine's."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from support.accounts import MemoryKeyring
from support.coldsweat import EMAIL, PASSWORD, Coldsweat, fever_key
from support.fever_proxy import FeverProxy, call_is
from support.sync_profiles import server_state, synced_state

from gazette_tui.core.accounts.secrets import Secret
from gazette_tui.core.storage.store import Store
from gazette_tui.core.storage.sync import SyncAccountRow
from gazette_tui.core.sync.accounts import add_account
from gazette_tui.core.sync.engine import SyncReport, sync_account
from gazette_tui.core.sync.fever import FeverClient

TIMEOUT = 1.5
"""The client's deadline per call here (30 s in the app): a dripping answer is stopped after it."""


@dataclass
class Setup:
    store: Store
    coldsweat: Coldsweat
    proxy: FeverProxy
    account: SyncAccountRow

    async def sync(self) -> SyncReport:
        account = self.store.sync.account(self.account.name)
        assert account is not None
        async with FeverClient(self.proxy.url, Secret(fever_key()), timeout=TIMEOUT) as adapter:
            return await sync_account(self.store, account, adapter)

    def article(self, remote_id: str) -> int:
        found = self.store.sync.article_id(self.account.id, remote_id)
        assert found is not None
        return found

    def agree(self, items: int = 120) -> None:
        local, server = synced_state(self.store), server_state(self.coldsweat)
        assert (local.articles, local.distinct_keys, local.outbox) == (items, items, 0)
        assert local.items == server


@pytest.fixture
async def setup(store: Store, coldsweat: Coldsweat, memory_keyring: MemoryKeyring) -> AsyncIterator[Setup]:
    with FeverProxy(lambda: coldsweat.port) as proxy:
        account = await add_account(store, "fever", proxy.url, EMAIL, PASSWORD, name="maison")
        yield Setup(store, coldsweat, proxy, account)


async def _synced(setup: Setup) -> list[str]:
    """A first sync; the server's item ids, oldest first."""
    report = await setup.sync()
    assert report.ok, report.error
    return setup.coldsweat.item_ids()


async def test_a_500_in_the_middle_of_a_push_keeps_what_was_not_sent(setup: Setup) -> None:
    items = await _synced(setup)
    setup.store.set_read([setup.article(i) for i in items[:10]])
    setup.coldsweat.mark(items[50], "saved")  # the phone, meanwhile
    setup.proxy.add(call_is("mark"), "fail", skip=3)
    setup.proxy.reset_calls()

    failed = await setup.sync()
    assert failed.error is not None
    assert (failed.error.code, failed.retry_later) == ("sync.server_error", True)
    assert (failed.pushed, failed.pending) == (3, 7)
    assert setup.store.sync.pending_count() == 7
    assert set(items[:10]) - setup.coldsweat.unread() == set(items[:3])
    # The push failed, so nothing was pulled: the phone's star is not here yet.
    assert setup.proxy.names() == ["mark"] * 4
    assert not setup.store.article(setup.article(items[50])).starred
    assert setup.store.article(setup.article(items[5])).read  # the local change stays, here

    again = await setup.sync()
    assert again.ok
    assert (again.pushed, again.starred) == (7, 1)
    setup.agree()


async def test_a_500_after_the_server_did_the_change_sends_it_again_harmlessly(setup: Setup) -> None:
    items = await _synced(setup)
    article = setup.article(items[7])
    setup.store.set_starred(article, True)
    setup.proxy.add(call_is("mark"), "fail_after")
    failed = await setup.sync()
    assert failed.error is not None
    assert failed.pending == 1
    assert setup.coldsweat.saved() == {items[7]}  # the server did it; the client cannot know

    again = await setup.sync()
    assert (again.ok, again.pushed, again.unstarred) == (True, 1, 0)
    assert setup.coldsweat.saved() == {items[7]}
    setup.agree()


async def test_a_500_on_a_page_keeps_the_pages_before_it_and_resumes_after_them(setup: Setup) -> None:
    setup.proxy.add(call_is("items"), "fail", skip=1)
    failed = await setup.sync()
    assert failed.error is not None
    assert failed.retry_later
    half = synced_state(setup.store)
    assert (half.articles, len(half.items), failed.new) == (50, 50, 50)
    account = setup.store.sync.account("maison")
    assert account is not None
    assert account.cursor == max(half.items, key=int)
    assert "unread_item_ids" not in setup.proxy.names()

    setup.proxy.reset_calls()
    again = await setup.sync()
    assert (again.ok, again.new) == (True, 70)
    since = [c.query.get("since_id") for c in setup.proxy.calls if c.name == "items"]
    assert since[0] == account.cursor
    setup.agree()


@pytest.mark.parametrize("failing", ["saved_item_ids", "unread_item_ids"])
async def test_a_failure_between_the_two_state_sets_applies_neither(setup: Setup, failing: str) -> None:
    items = await _synced(setup)
    setup.coldsweat.mark(items[3], "read")
    setup.coldsweat.mark(items[4], "saved")
    setup.proxy.add(call_is(failing), "fail")
    failed = await setup.sync()
    assert failed.error is not None
    assert (failed.read, failed.starred) == (0, 0)
    assert not setup.store.article(setup.article(items[3])).read
    assert not setup.store.article(setup.article(items[4])).starred

    again = await setup.sync()
    assert (again.ok, again.read, again.starred) == (True, 1, 1)
    setup.agree()


async def test_a_dripping_answer_is_cut_at_the_deadline_and_nothing_is_applied(setup: Setup) -> None:
    items = await _synced(setup)
    setup.store.set_starred(setup.article(items[1]), True)
    setup.coldsweat.mark(items[2], "read")
    setup.proxy.drip_interval = 0.2
    setup.proxy.add(call_is("unread_item_ids"), "drip")
    started = time.monotonic()
    failed = await setup.sync()
    assert time.monotonic() - started < TIMEOUT + 3
    assert failed.error is not None
    assert (failed.error.code, failed.retry_later) == ("sync.timeout", True)
    assert failed.pushed == 1  # the push was over: its row is gone, the server has it
    assert failed.pending == 0
    assert not setup.store.article(setup.article(items[2])).read

    again = await setup.sync()
    assert (again.ok, again.read) == (True, 1)
    setup.agree()


async def test_a_mark_that_drips_stays_in_the_outbox_and_goes_again(setup: Setup) -> None:
    items = await _synced(setup)
    setup.store.set_read([setup.article(i) for i in items[:3]])
    setup.proxy.drip_interval = 0.2
    setup.proxy.add(call_is("mark"), "drip", skip=1)
    failed = await setup.sync()
    assert failed.error is not None
    assert failed.error.code == "sync.timeout"
    assert (failed.pushed, failed.pending) == (1, 2)

    again = await setup.sync()
    assert (again.ok, again.pushed) == (True, 2)
    setup.agree()


async def test_a_connection_cut_in_the_middle_of_a_pull_is_said_and_resumed(setup: Setup) -> None:
    items = await _synced(setup)
    setup.coldsweat.publish("finances", 60)  # two more pages on the server
    setup.proxy.add(call_is("items"), "drop", skip=1)
    failed = await setup.sync()
    assert failed.error is not None
    assert failed.retry_later
    assert failed.new == 50

    again = await setup.sync()
    assert (again.ok, again.new) == (True, 10)
    assert len(setup.coldsweat.item_ids()) == len(items) + 60
    setup.agree(180)
