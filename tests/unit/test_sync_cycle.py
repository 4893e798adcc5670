"""The refresh cycle syncs the accounts (push, then pull, beside the feeds' fetch), and « all read » on a
list of synced feeds is one change per feed or account, against a real Fever server (coldsweat on
127.0.0.1): what the outbox holds, and what the server ends with."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import pytest
from support.accounts import MemoryKeyring
from support.coldsweat import EMAIL, PASSWORD, Coldsweat

from gazette_tui.cli import main
from gazette_tui.core.cycle import CycleEvent, run_cycle
from gazette_tui.core.paths import Paths
from gazette_tui.core.settings import Settings
from gazette_tui.core.storage.store import ArticleFilter, Store
from gazette_tui.core.sync.accounts import add_account, sync_all
from gazette_tui.core.sync.step import SyncDone, SyncProgress

NAME = "coldsweat"


async def _synced(store: Store, coldsweat: Coldsweat) -> int:
    account = await add_account(store, "fever", coldsweat.url, EMAIL, PASSWORD, name=NAME)
    [report] = await sync_all(store)
    assert report.ok, report.error
    return account.id


def _rows(store: Store, account_id: int) -> set[tuple[str, str, str]]:
    return {(row.target, row.remote_id, row.action) for row in store.sync.pending(account_id, 10_000)}


def _remote_feed(store: Store, account_id: int, title: str) -> str:
    local = next(feed.id for feed in store.feeds() if feed.title == title)
    return next(remote for remote, feed in store.sync.feed_map(account_id).items() if feed == local)


async def test_a_cycle_of_every_feed_syncs_the_accounts_and_says_so_in_events(
    store: Store, settings: Settings, coldsweat: Coldsweat, memory_keyring: MemoryKeyring
) -> None:
    await add_account(store, "fever", coldsweat.url, EMAIL, PASSWORD, name=NAME)
    events: list[CycleEvent] = []
    report = await run_cycle(store, settings, on_event=events.append)
    [synced] = report.sync
    assert (synced.account, synced.ok, synced.new) == (NAME, True, 120)
    assert report.sync_error is None
    progress = [e for e in events if isinstance(e, SyncProgress)]
    assert [(e.done, e.total) for e in progress][-1][0] == 120
    [done] = [e for e in events if isinstance(e, SyncDone)]
    assert done.ok
    # the sync is over before the lists are redrawn (FeedsStored), so they show its articles
    kinds = [type(e).__name__ for e in events]
    assert kinds.index("SyncDone") < kinds.index("FeedsStored")
    assert report.as_json()["sync"][0]["new"] == 120
    # chosen feeds only (R, the timer's due feeds, refresh --due): no sync
    again = await run_cycle(store, settings, feed_ids=[])
    assert again.sync == []


async def test_a_sync_that_fails_costs_the_sync_only(
    store: Store, settings: Settings, coldsweat: Coldsweat, memory_keyring: MemoryKeyring
) -> None:
    await _synced(store, coldsweat)
    coldsweat.stop()
    report = await run_cycle(store, settings)
    [synced] = report.sync
    assert not synced.ok
    assert synced.retry_later
    assert synced.error is not None
    assert synced.error.code == "sync.refused"
    assert report.refresh.failed == 0


def test_refresh_on_the_command_line_syncs_the_accounts(
    xdg_home: Path,
    coldsweat: Coldsweat,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    paths = Paths.default()  # under xdg_home
    paths.ensure()
    with Store(paths.database) as store:  # not a first run: no La Gazette feeds, which are beyond loopback
        store.set_meta("seeded", "1")
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    command = ["sync", "add", "fever", coldsweat.url, "--username", EMAIL, "--password-stdin"]
    assert main([*command, "--name", "maison"]) == 0
    capsys.readouterr()
    assert main(["refresh", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["feeds"] == 0  # the server fetches its feeds: the refresh leaves them alone
    [report] = printed["sync"]
    assert (report["account"], report["ok"], report["new"]) == ("maison", True, 120)
    assert main(["--lang", "en", "refresh"]) == 0
    assert "maison: 0 sent, 0 new, 0 changed by the server." in capsys.readouterr().out
    coldsweat.stop()
    assert main(["--lang", "en", "refresh"]) == 1
    said = capsys.readouterr()
    assert "maison: Nothing answers at" in said.err
    assert "Traceback" not in said.err


# -- « all read » ------------------------------------------------------------------------------------


async def test_all_read_on_a_rubrique_is_one_change_per_synced_feed(
    store: Store, coldsweat: Coldsweat, memory_keyring: MemoryKeyring
) -> None:
    account = await _synced(store, coldsweat)
    changed = store.mark_all_read(ArticleFilter(rubrique="Territoires"))
    assert changed.articles == 60
    assert _rows(store, account) == {
        ("feed", _remote_feed(store, account, "Urbanisme et territoires"), "read"),
        ("feed", _remote_feed(store, account, "Ressources humaines"), "read"),
    }
    [report] = await sync_all(store)
    assert report.ok
    assert report.pushed == 2
    unread = coldsweat.unread()
    assert unread.isdisjoint(coldsweat.item_ids("urbanisme") + coldsweat.item_ids("rh"))
    assert set(coldsweat.item_ids("finances")) <= unread


async def test_all_read_on_every_article_is_one_change_for_the_account(
    store: Store, coldsweat: Coldsweat, memory_keyring: MemoryKeyring
) -> None:
    account = await _synced(store, coldsweat)
    coldsweat.publish("finances", 3)  # on the server only
    store.mark_all_read(ArticleFilter(unread=True))  # « Non lus »: the same as « Toutes »
    assert _rows(store, account) == {("group", "0", "read")}
    [report] = await sync_all(store)
    assert report.ok
    assert coldsweat.unread() == set()
    assert store.counts()["unread"] == 0
    # the account's line in the tree lists every article of its feeds, and is one change too
    [first, *_rest] = store.article_ids(ArticleFilter(sync_account=account))
    store.set_read([first], read=False)
    store.sync.done([row.id for row in store.sync.pending(account)])  # as if sent
    store.mark_all_read(ArticleFilter(sync_account=account))
    assert _rows(store, account) == {("group", "0", "read")}


async def test_a_hidden_feed_keeps_all_read_to_the_feeds_shown(
    store: Store, coldsweat: Coldsweat, memory_keyring: MemoryKeyring
) -> None:
    account = await _synced(store, coldsweat)
    rh = next(feed for feed in store.feeds() if feed.title == "Ressources humaines")
    store.feed_settings.set_feed(rh.url, "hidden", "on")
    store.mark_all_read(ArticleFilter())
    assert _rows(store, account) == {
        ("feed", _remote_feed(store, account, "Finances locales"), "read"),
        ("feed", _remote_feed(store, account, "Urbanisme et territoires"), "read"),
    }
    [report] = await sync_all(store)
    assert report.ok
    assert coldsweat.unread() == set(coldsweat.item_ids("rh"))


async def test_all_read_on_the_starred_sends_each_article(
    store: Store, coldsweat: Coldsweat, memory_keyring: MemoryKeyring
) -> None:
    account = await _synced(store, coldsweat)
    [one, two, *_rest] = store.article_ids(ArticleFilter(rubrique="Finances"))
    store.set_starred(one, True)
    store.set_starred(two, True)
    store.sync.done([row.id for row in store.sync.pending(account)])  # the stars, as if sent
    store.mark_all_read(ArticleFilter(starred=True))
    rows = _rows(store, account)
    assert {target for target, _remote, _action in rows} == {"item"}
    assert len(rows) == 2


async def test_an_article_dated_after_the_last_pull_keeps_its_own_change(
    store: Store, coldsweat: Coldsweat, memory_keyring: MemoryKeyring
) -> None:
    """The server marks a feed's items dated before the last pull; a later one is sent by itself."""
    account = await _synced(store, coldsweat)
    [newest, *_rest] = store.article_ids(ArticleFilter(rubrique="Finances"))
    future = int(time.time()) + 86_400
    with store.writing() as c:  # the test's only way to date an article after the pull
        c.execute("UPDATE articles SET published = ? WHERE id = ?", (future, newest))
    store.mark_all_read(ArticleFilter(rubrique="Finances"))
    remote = next(r for r in store.sync.remote_ids([newest]).values())[1]
    assert _rows(store, account) == {
        ("feed", _remote_feed(store, account, "Finances locales"), "read"),
        ("item", remote, "read"),
    }
