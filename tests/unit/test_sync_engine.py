"""Two-way sync against a real Fever server (coldsweat on 127.0.0.1): push the outbox, then pull; offline
changes pushed later; the same article changed on both sides (the pending local change wins); accounts
added only after the server said yes; the CLI's sync and mark commands."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import pytest
from support.accounts import MemoryKeyring
from support.coldsweat import EMAIL, PASSWORD, Coldsweat, fever_key, posted_reply
from support.hostile import HostileServer, response

from gazette_tui.cli import main
from gazette_tui.core.storage.store import Store
from gazette_tui.core.storage.sync import SyncAccountRow
from gazette_tui.core.sync.accounts import add_account, open_adapter, sync_all
from gazette_tui.core.sync.adapter import SyncError
from gazette_tui.core.sync.engine import SyncReport


async def _add(store: Store, coldsweat: Coldsweat, password: str = PASSWORD) -> SyncAccountRow:
    return await add_account(store, "fever", coldsweat.url, EMAIL, password, name="coldsweat")


async def _sync(store: Store, name: str = "coldsweat") -> SyncReport:
    [report] = await sync_all(store, [name])
    return report


def _article(store: Store, coldsweat: Coldsweat, slug: str, number: int) -> int:
    """Our article id of item ``number`` of a feed of the server."""
    account = store.sync.account("coldsweat")
    assert account is not None
    found = store.sync.article_id(account.id, coldsweat.item_id(slug, number))
    assert found is not None
    return found


async def test_a_first_sync_brings_groups_feeds_and_every_item(
    store: Store, coldsweat: Coldsweat, memory_keyring: MemoryKeyring
) -> None:
    await _add(store, coldsweat)
    report = await _sync(store)
    assert report.ok, report.error
    assert (report.new, report.feeds_added, report.pushed) == (120, 3, 0)
    feeds = {f.title: f for f in store.feeds()}
    assert {t: (f.rubrique, f.articles, f.unread) for t, f in feeds.items()} == {
        "Finances locales": ("Finances", 60, 60),
        "Urbanisme et territoires": ("Territoires", 40, 40),
        "Ressources humaines": ("Territoires", 20, 20),
    }
    # the server fetches them: a refresh of ours does not
    assert store.feed_states() == []
    # check (1) + groups + feeds (2) + three pages (3) + two sets (2)
    assert report.requests == 7

    again = await _sync(store)
    assert again.ok
    assert (again.new, again.read, again.unread, again.starred) == (0, 0, 0, 0)
    assert again.requests <= 3  # an idle sync: items since the cursor, unread ids, saved ids


async def test_read_and_starred_go_both_ways(
    store: Store, coldsweat: Coldsweat, memory_keyring: MemoryKeyring
) -> None:
    await _add(store, coldsweat)
    await _sync(store)
    mine, theirs = _article(store, coldsweat, "finances", 3), _article(store, coldsweat, "rh", 4)
    store.set_read([mine])
    store.set_starred(mine, True)
    assert store.sync.pending_count() == 2
    coldsweat.mark(coldsweat.item_id("rh", 4), "read")
    coldsweat.mark(coldsweat.item_id("rh", 4), "saved")
    report = await _sync(store)
    assert report.ok
    assert (report.pushed, report.read, report.starred) == (2, 1, 1)
    assert coldsweat.item_id("finances", 3) not in coldsweat.unread()
    assert coldsweat.saved() == {coldsweat.item_id("finances", 3), coldsweat.item_id("rh", 4)}
    assert store.article(theirs).read
    assert store.article(theirs).starred
    assert store.sync.pending_count() == 0


async def test_changes_made_while_the_server_is_down_are_pushed_later(
    store: Store, coldsweat: Coldsweat, memory_keyring: MemoryKeyring
) -> None:
    await _add(store, coldsweat)
    await _sync(store)
    coldsweat.stop()
    one, two = _article(store, coldsweat, "urbanisme", 1), _article(store, coldsweat, "urbanisme", 2)
    store.set_read([one, two])
    store.set_read([two], read=False)  # changed again offline: one row, the latest state
    store.set_starred(two, True)
    down = await _sync(store)
    assert not down.ok
    assert down.retry_later
    assert down.error is not None
    assert down.error.code == "sync.refused"
    assert down.pending == 3  # one read, one unread, one saved: nothing lost
    assert store.article(one).read  # the app works on: the change is here already
    account = store.sync.account("coldsweat")
    assert account is not None
    assert account.last_error is not None

    coldsweat.start()
    up = await _sync(store)
    assert up.ok
    assert up.pushed == 3
    unread = coldsweat.unread()
    assert coldsweat.item_id("urbanisme", 1) not in unread
    assert coldsweat.item_id("urbanisme", 2) in unread
    assert coldsweat.saved() == {coldsweat.item_id("urbanisme", 2)}
    assert (up.read, up.unread, up.starred) == (0, 0, 0)  # the pull agrees with what was pushed


async def test_the_same_article_changed_on_both_sides_keeps_the_local_change(
    store: Store, coldsweat: Coldsweat, memory_keyring: MemoryKeyring
) -> None:
    await _add(store, coldsweat)
    await _sync(store)
    article, remote = _article(store, coldsweat, "finances", 10), coldsweat.item_id("finances", 10)
    coldsweat.mark(remote, "read")  # the phone reads it and stars it
    coldsweat.mark(remote, "saved")
    store.set_starred(article, True)  # here: starred, then not
    store.set_starred(article, False)
    report = await _sync(store)
    assert report.ok
    assert remote not in coldsweat.saved()  # the pending local "unsaved" won, on the server too
    assert not store.article(article).starred
    assert store.article(article).read  # what only the phone changed comes through
    assert report.read == 1


async def test_a_pull_never_overwrites_a_pending_change(
    store: Store, coldsweat: Coldsweat, memory_keyring: MemoryKeyring
) -> None:
    """A change made here while a pull runs (the TUI marks as the background sync stores a page) is kept by
    the pull's state pass and pushed at the next sync."""
    account = await _add(store, coldsweat)
    await _sync(store)
    article = _article(store, coldsweat, "rh", 0)
    store.set_read([article])  # pending
    result = store.sync.apply_state(account.id, frozenset(coldsweat.unread()), frozenset())
    assert result.kept == 1
    assert result.changed == 0
    assert store.article(article).read


async def test_mark_all_read_reaches_items_not_pulled_yet(
    store: Store, coldsweat: Coldsweat, memory_keyring: MemoryKeyring
) -> None:
    account = await _add(store, coldsweat)
    await _sync(store)
    coldsweat.publish("rh", 5)  # on the server, not here yet
    remote_feed = next(
        r
        for r, f in store.sync.feed_map(account.id).items()
        if f == next(x.id for x in store.feeds() if x.title == "Ressources humaines")
    )
    store.sync.enqueue_list_read(account.id, "feed", remote_feed, int(time.time()) + 60)
    report = await _sync(store)
    assert report.ok
    assert set(coldsweat.item_ids("rh")).isdisjoint(coldsweat.unread())
    feeds = {f.title: f for f in store.feeds()}
    assert (feeds["Ressources humaines"].articles, feeds["Ressources humaines"].unread) == (25, 0)


async def test_a_wrong_password_adds_nothing(
    store: Store, coldsweat: Coldsweat, memory_keyring: MemoryKeyring
) -> None:
    with pytest.raises(SyncError) as raised:
        await _add(store, coldsweat, password="pas-le-bon-mot-de-passe")
    assert raised.value.problem == "credentials"
    assert store.sync.accounts() == []
    assert memory_keyring.entries == {}


async def test_a_server_that_is_not_fever_adds_nothing(store: Store, memory_keyring: MemoryKeyring) -> None:
    server = HostileServer()
    try:
        server.routes["/fever/?api"] = posted_reply(
            response(b"<html>Mairie</html>", content_type="text/html")
        )
        with pytest.raises(SyncError) as raised:
            await add_account(store, "fever", server.url("/fever/"), EMAIL, PASSWORD)
    finally:
        server.close()
    assert raised.value.problem == "protocol"
    assert store.sync.accounts() == []


async def test_the_key_lives_in_the_keyring_and_a_lost_key_is_said(
    store: Store, coldsweat: Coldsweat, memory_keyring: MemoryKeyring
) -> None:
    account = await _add(store, coldsweat)
    assert list(memory_keyring.entries) == [("gazette-tui", f"sync-{account.id}:{EMAIL}#fever-key")]
    assert list(memory_keyring.entries.values()) == [fever_key()]  # the key, never the password
    assert open_adapter(account).kind == "fever"
    assert PASSWORD not in json.dumps(list(memory_keyring.entries.values()))
    memory_keyring.entries.clear()
    report = await _sync(store)
    assert report.error is not None
    assert report.error.code == "sync.no_key"


def test_the_cli_adds_lists_syncs_marks_and_removes(
    xdg_home: Path,
    coldsweat: Coldsweat,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert (
        main(
            [
                "sync",
                "add",
                "fever",
                coldsweat.url,
                "--username",
                EMAIL,
                "--password-stdin",
                "--name",
                "maison",
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["sync", "now", "--json"]) == 0
    [report] = json.loads(capsys.readouterr().out)
    assert (report["account"], report["ok"], report["new"]) == ("maison", True, 120)
    assert main(["search", "budget participatif", "--json", "--limit", "1"]) == 0
    [hit] = json.loads(capsys.readouterr().out)
    assert main(["--lang", "en", "mark", str(hit["id"]), "--read"]) == 0
    assert "1 article marked read." in capsys.readouterr().out
    assert main(["--lang", "en", "mark", str(hit["id"]), "--star"]) == 0
    said = capsys.readouterr().out
    assert "1 article starred." in said
    assert "waiting to be sent" in said
    assert main(["sync", "list", "--json"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert (listed["name"], listed["pending"]) == ("maison", 2)
    assert main(["sync", "now"]) == 0
    assert len(coldsweat.saved()) == 1
    assert main(["sync", "remove", "maison"]) == 0
    assert memory_keyring.entries == {}
    capsys.readouterr()
    assert main(["sync", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
