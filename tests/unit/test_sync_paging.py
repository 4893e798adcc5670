"""Items paged with ``since_id`` from a server that does not give the lowest ids first: coldsweat answers
feed by feed, so a full page may leave out items between ``since_id`` and its own highest id, and a
cursor set to that highest id would skip them for ever (the unread and saved ones came back through the
state sets; a read one never did). Found by the sync state machine (test_sync_state_machine.py): items
published on one feed after another feed's were fetched, then a new installation's first sync.

The Fever client asks for the ids a full page left out below its highest, by id (docs/SYNC.md, « Fever,
in particular »), and stops asking on a server whose gaps are not items of ours."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from support.accounts import MemoryKeyring
from support.coldsweat import EMAIL, PASSWORD, Coldsweat, fever_key, posted_reply
from support.hostile import HostileServer, response
from support.sync_profiles import server_state, synced_state

from gazette_tui.core.accounts.secrets import Secret
from gazette_tui.core.storage.store import Store
from gazette_tui.core.sync.accounts import add_account, sync_all
from gazette_tui.core.sync.fever import FeverClient


@pytest.fixture
def hostile() -> Iterator[HostileServer]:
    server = HostileServer()
    yield server
    server.close()


async def test_items_a_feed_by_feed_server_leaves_out_of_a_page_still_arrive(
    store: Store, coldsweat: Coldsweat, memory_keyring: MemoryKeyring
) -> None:
    # Finances' new items get ids after the other feeds' (121…125); coldsweat's second page then holds
    # finances' 51…60 and 121…125 before urbanisme's 61…95, and a cursor at 125 would skip 96…120.
    coldsweat.publish("finances", 5)
    for item in coldsweat.item_ids():
        coldsweat.mark(item, "read")  # read on the phone: the state sets would not bring them back
    await add_account(store, "fever", coldsweat.url, EMAIL, PASSWORD, name="maison")
    [report] = await sync_all(store)
    assert report.ok, report.error
    assert report.new == 125
    local = synced_state(store)
    assert local.items == server_state(coldsweat)
    assert (local.articles, local.distinct_keys) == (125, 125)


def _items(ids: list[int]) -> bytes:
    rows = [{"id": i, "feed_id": 1, "title": f"Délibération n° {i}", "is_read": 1} for i in ids]
    return json.dumps({"api_version": 3, "auth": 1, "total_items": 75, "items": rows}).encode()


def _route(hostile: HostileServer, query: str, ids: list[int]) -> None:
    hostile.routes[f"/fever/?api&items&{query}"] = posted_reply(
        response(_items(ids), content_type="application/json")
    )


async def test_a_page_in_order_that_skips_ids_is_completed_by_id(hostile: HostileServer) -> None:
    """Even a page whose ids come in order may leave some out (coldsweat's feeds in the order of their
    groups): the gap below its highest id is asked for by id, and the cursor moves past all of them."""
    _route(hostile, "since_id=0", [*range(1, 11), *range(30, 70)])
    _route(hostile, "with_ids=" + ",".join(map(str, range(11, 30))), list(range(11, 30)))
    _route(hostile, "since_id=69", list(range(70, 76)))
    async with FeverClient(hostile.url("/fever/"), Secret(fever_key())) as fever:
        first = await fever.items_after("0")
        assert [int(i.id) for i in first.items] == list(range(1, 70))
        assert (first.cursor, first.done, fever.requests) == ("69", False, 2)
        last = await fever.items_after(first.cursor)
    assert [int(i.id) for i in last.items] == list(range(70, 76))
    assert (last.cursor, last.done, fever.requests) == ("75", True, 3)


async def test_a_server_that_pages_feed_by_feed_is_read_by_id_ranges(hostile: HostileServer) -> None:
    """Three feeds whose ids alternate, sent feed by feed: the first page is one feed's, its gaps the
    others'. Once a gap proves to hold items, the ids up to the page's highest are asked for by id, 50 at
    a time, each page with the cursor it covers (a sync killed there resumes there)."""
    first_feed = list(range(1, 149, 3))
    gap = [n for n in range(1, 149) if n % 3 != 1]
    _route(hostile, "since_id=0", first_feed)
    _route(hostile, "with_ids=" + ",".join(map(str, gap[:50])), gap[:50])
    _route(hostile, "with_ids=" + ",".join(map(str, gap[50:])), gap[50:])
    _route(hostile, "since_id=148", [149, 150])
    async with FeverClient(hostile.url("/fever/"), Secret(fever_key())) as fever:
        pages = [await fever.items_after("0")]
        while not pages[-1].done:
            pages.append(await fever.items_after(pages[-1].cursor))
    assert [p.cursor for p in pages] == ["76", "148", "150"]
    got = [int(i.id) for p in pages for i in p.items]
    assert sorted(got) == list(range(1, 151))
    assert len(got) == len(set(got))
    assert fever.requests == 4


async def test_a_server_whose_gaps_are_not_our_items_is_asked_once(hostile: HostileServer) -> None:
    """Ids shared with other users (every other id is someone else's), in order: the first gap asked for
    by id brings nothing, and the client asks for no other gap in that sync."""
    _route(hostile, "since_id=0", list(range(2, 101, 2)))
    _route(hostile, "with_ids=" + ",".join(map(str, range(1, 100, 2))), [])
    _route(hostile, "since_id=100", list(range(102, 201, 2)))
    _route(hostile, "since_id=200", [])
    async with FeverClient(hostile.url("/fever/"), Secret(fever_key())) as fever:
        first = await fever.items_after("0")
        second = await fever.items_after(first.cursor)
        third = await fever.items_after(second.cursor)
    assert (len(first.items), len(second.items), len(third.items)) == (50, 50, 0)
    assert (first.cursor, second.cursor, third.done) == ("100", "200", True)
    assert fever.requests == 4  # three pages, one gap asked for
