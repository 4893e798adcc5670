"""The Fever client against a real Fever server (coldsweat on 127.0.0.1, ``support/coldsweat.py``), and
against servers that misbehave (``support/hostile.py``): every call, every way it can fail, in words."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from support.coldsweat import (
    EMAIL,
    PASSWORD,
    Coldsweat,
    FeedSpec,
    coldsweat_program,
    fever_key,
    item_date,
    posted_reply,
    running_coldsweat,
)
from support.hostile import HostileServer, drip, response, self_signed_context

from gazette_tui.core.accounts.secrets import Secret
from gazette_tui.core.sync.adapter import Change, SyncAdapter, SyncError
from gazette_tui.core.sync.fever import FeverClient, fever_api_key, fever_endpoint


@pytest.fixture
async def client(coldsweat: Coldsweat) -> AsyncIterator[FeverClient]:
    async with FeverClient(coldsweat.url, fever_api_key(EMAIL, PASSWORD), timeout=10) as fever:
        yield fever


@pytest.fixture
def hostile() -> Iterator[HostileServer]:
    server = HostileServer()
    yield server
    server.close()


def test_the_key_is_md5_of_user_and_password_and_never_shows() -> None:
    key = fever_api_key(EMAIL, PASSWORD)
    assert key.reveal() == fever_key() == fever_key(EMAIL, PASSWORD)
    assert len(key.reveal()) == 32
    fever = FeverClient("https://fever.exemple.test/fever/", key)
    assert key.reveal() not in repr(fever)
    assert "********" in repr(fever)


async def test_check_proves_the_endpoint_and_the_credentials(client: FeverClient) -> None:
    info = await client.check()
    assert info.api_version == 3
    assert info.last_refreshed is not None
    assert info.last_refreshed > 0
    assert client.requests == 1
    adapter: SyncAdapter = client  # the Fever client is an adapter as docs/SYNC.md describes it
    assert adapter.kind == "fever"
    assert adapter.page_size == 50


async def test_a_wrong_password_is_bad_credentials_not_a_network_error(coldsweat: Coldsweat) -> None:
    async with FeverClient(coldsweat.url, fever_api_key(EMAIL, "pas-le-bon-mot-de-passe")) as fever:
        with pytest.raises(SyncError) as raised:
            await fever.check()
    assert raised.value.code == "sync.credentials"
    assert raised.value.problem == "credentials"
    assert not raised.value.retry_later
    assert coldsweat.url.split("?")[0] in raised.value.text("en")


async def test_groups_and_feeds_become_subscriptions(client: FeverClient, coldsweat: Coldsweat) -> None:
    found = await client.subscriptions()
    assert sorted(g.title for g in found.groups) == ["Finances", "Territoires"]  # groups with feeds
    by_title = {feed.title: feed for feed in found.feeds}
    assert sorted(by_title) == ["Finances locales", "Ressources humaines", "Urbanisme et territoires"]
    finances = by_title["Finances locales"]
    assert finances.url == coldsweat.site.url("/finances.xml")
    assert finances.site_url == coldsweat.site.url("/finances/")
    group = found.group_of(finances)
    assert group is not None
    assert group.title == "Finances"
    for title in ("Ressources humaines", "Urbanisme et territoires"):
        group = found.group_of(by_title[title])
        assert group is not None
        assert group.title == "Territoires"
    assert client.requests == 2  # groups, then feeds: one command per request


async def test_items_come_50_per_call_oldest_first_and_an_idle_sync_costs_one_request(
    client: FeverClient, coldsweat: Coldsweat
) -> None:
    pages = []
    cursor = ""
    while True:
        page = await client.items_after(cursor)
        pages.append(page)
        cursor = page.cursor
        if page.done:
            break
    assert [len(p.items) for p in pages] == [50, 50, 20]
    assert all(p.total == 120 for p in pages)
    ids = [item.id for p in pages for item in p.items]
    assert ids == coldsweat.item_ids()
    assert [int(i) for i in ids] == sorted(int(i) for i in ids)
    assert pages[-1].cursor == ids[-1]
    assert client.requests == 3

    first = next(item for p in pages for item in p.items if item.id == coldsweat.item_id("finances", 0))
    assert first.title == "Le conseil municipal vote le budget primitif (n° 0)"
    assert "<p>" in first.html
    assert first.url.startswith(coldsweat.site.url("/"))
    assert first.author == "Camille Durand"
    assert not first.read
    assert not first.saved
    assert first.published == int(item_date(0).timestamp())

    idle = await client.items_after(cursor)
    assert (idle.items, idle.done, idle.cursor) == ([], True, cursor)
    assert client.requests == 4

    coldsweat.publish("rh", 3)
    fresh = await client.items_after(cursor)
    assert [int(i.id) for i in fresh.items] == [int(cursor) + 1, int(cursor) + 2, int(cursor) + 3]
    assert fresh.done
    assert {i.title.rsplit("(n° ", 1)[1] for i in fresh.items} == {"20)", "21)", "22)"}


async def test_items_by_id_in_chunks_of_50(client: FeverClient, coldsweat: Coldsweat) -> None:
    wanted = coldsweat.item_ids()[5:65]
    found = await client.items_with_ids([*wanted, "999999"])
    assert sorted(int(i.id) for i in found) == sorted(int(i) for i in wanted)
    assert client.requests == 2


async def test_state_is_two_full_sets(client: FeverClient, coldsweat: Coldsweat) -> None:
    everything = set(coldsweat.item_ids())
    assert await client.unread_ids() == everything
    assert await client.saved_ids() == frozenset()
    first, second, third = sorted(everything, key=int)[:3]
    coldsweat.mark(first, "read")
    coldsweat.mark(second, "saved")
    assert await client.unread_ids() == everything - {first}
    assert await client.saved_ids() == {second}
    page = await client.items_with_ids([first, second, third])
    state = {item.id: (item.read, item.saved) for item in page}
    assert state == {first: (True, False), second: (False, True), third: (False, False)}


async def test_marks_set_a_state_and_repeating_one_changes_nothing(
    client: FeverClient, coldsweat: Coldsweat
) -> None:
    item = coldsweat.item_ids()[7]
    assert await client.apply(Change("read", item))
    assert await client.apply(Change("read", item))
    assert item not in coldsweat.unread()
    assert await client.apply(Change("unread", item))
    assert await client.apply(Change("unread", item))
    assert item in coldsweat.unread()
    assert await client.apply(Change("saved", item))
    assert await client.apply(Change("saved", item))
    assert coldsweat.saved() == {item}
    assert await client.apply(Change("unsaved", item))
    assert await client.apply(Change("unsaved", item))
    assert coldsweat.saved() == set()


async def test_a_mark_for_an_item_the_server_dropped_can_never_apply(client: FeverClient) -> None:
    assert await client.apply(Change("read", "987654")) is False


async def test_mark_feed_read_reaches_only_what_was_published_before(
    client: FeverClient, coldsweat: Coldsweat
) -> None:
    subscriptions = await client.subscriptions()
    finances = next(f for f in subscriptions.feeds if f.title == "Finances locales")
    older = {coldsweat.item_id("finances", n) for n in range(30)}
    newer = {coldsweat.item_id("finances", n) for n in range(30, 60)}
    before = int(item_date(30).timestamp())  # items 0…29 of the feed are older
    assert await client.apply(Change("read", finances.id, target="feed", before=before))
    unread = coldsweat.unread()
    assert older.isdisjoint(unread)
    assert newer <= unread
    others = set(coldsweat.item_ids()) - older - newer
    assert others <= unread  # other feeds untouched


async def test_mark_group_read_and_group_zero_is_everything(
    client: FeverClient, coldsweat: Coldsweat
) -> None:
    subscriptions = await client.subscriptions()
    territoires = next(g for g in subscriptions.groups if g.title == "Territoires")
    now = int(time.time()) + 60
    assert await client.apply(Change("read", territoires.id, target="group", before=now))
    grouped = set(coldsweat.item_ids("urbanisme")) | set(coldsweat.item_ids("rh"))
    assert coldsweat.unread() == set(coldsweat.item_ids("finances"))
    assert grouped.isdisjoint(coldsweat.unread())
    assert await client.apply(Change("read", "0", target="group", before=now))
    assert coldsweat.unread() == set()


def test_a_feed_change_must_be_read_with_a_time() -> None:
    with pytest.raises(ValueError, match="before"):
        Change("unread", "3", target="feed", before=10)
    with pytest.raises(ValueError, match="before"):
        Change("read", "3", target="group")


async def test_the_server_down_is_a_network_problem_to_retry(coldsweat: Coldsweat) -> None:
    coldsweat.stop()
    async with FeverClient(coldsweat.url, fever_api_key(EMAIL, PASSWORD), timeout=5) as fever:
        with pytest.raises(SyncError) as raised:
            await fever.check()
        assert raised.value.code == "sync.refused"
        assert raised.value.retry_later
        coldsweat.start()
        assert (await fever.check()).api_version == 3


# -- addresses ------------------------------------------------------------------------------------------


def test_addresses_are_checked_before_anything_is_sent() -> None:
    assert fever_endpoint("https://rss.exemple.test/fever/") == "https://rss.exemple.test/fever/"
    freshrss = "https://rss.exemple.test/api/fever.php"
    assert fever_endpoint(freshrss + "?api") == freshrss
    assert fever_endpoint("http://127.0.0.1:8080/fever/?api&x=1#top") == "http://127.0.0.1:8080/fever/?x=1"
    assert fever_endpoint("https://rss.exemple.test") == "https://rss.exemple.test/"
    cases = {
        "http://rss.exemple.test/fever/": ("sync.not_https", "insecure"),
        "https://moi:secret@rss.exemple.test/fever/": ("sync.url_credentials", "address"),
        "ftp://rss.exemple.test/": ("sync.bad_url", "address"),
        "rss.exemple.test/fever": ("sync.bad_url", "address"),
        "https://rss.exemple.test/\x1b[31m": ("sync.bad_url", "address"),
    }
    for url, (code, problem) in cases.items():
        with pytest.raises(SyncError) as raised:
            FeverClient(url, Secret("k"))
        assert (raised.value.code, raised.value.problem) == (code, problem), url
        assert "secret" not in str(raised.value)
        assert "\x1b" not in str(raised.value)


# -- servers that are not Fever, or misbehave -------------------------------------------------------------


def _route(server: HostileServer, data: bytes) -> str:
    server.routes["/fever/?api"] = posted_reply(data)
    return server.url("/fever/")


async def _check(url: str, timeout: float = 10.0, max_answer: int = 1024 * 1024) -> SyncError:
    async with FeverClient(url, Secret(fever_key()), timeout=timeout, max_answer=max_answer) as fever:
        with pytest.raises(SyncError) as raised:
            await fever.check()
    return raised.value


async def test_a_web_page_is_not_a_fever_endpoint(hostile: HostileServer) -> None:
    url = _route(hostile, response(b"<html><body>Mairie</body></html>", content_type="text/html"))
    error = await _check(url)
    assert (error.code, error.problem) == ("sync.not_fever", "protocol")
    assert "JSON" in error.text("en")
    assert "FreshRSS" in str(error)  # it says what an address looks like


async def test_json_without_api_version_is_not_fever(hostile: HostileServer) -> None:
    error = await _check(_route(hostile, response(b'{"auth": 1}', content_type="application/json")))
    assert (error.code, error.problem) == ("sync.not_fever", "protocol")
    assert "api_version" in error.text("en")


async def test_a_404_is_not_fever_and_a_500_is_the_server_failing(hostile: HostileServer) -> None:
    error = await _check(hostile.url("/ailleurs/"))  # the server's default route: 404
    assert (error.code, error.problem) == ("sync.not_fever", "protocol")
    assert "HTTP 404" in error.text("en")
    error = await _check(_route(hostile, response(b"oops", "500 Internal Server Error")))
    assert (error.code, error.problem) == ("sync.server_error", "server")
    assert error.retry_later


async def test_a_redirect_is_never_followed_and_says_where_it_goes(hostile: HostileServer) -> None:
    target = "https://moi:secret@rss.exemple.test/fever/?api"
    url = _route(hostile, response(b"", "302 Found", headers=[("Location", target)]))
    error = await _check(url)
    assert (error.code, error.problem) == ("sync.redirected", "address")
    assert "https://rss.exemple.test/fever/" in error.text("en")
    assert "secret" not in error.text("en")
    assert hostile.hits == {"/fever/?api": 1}


async def test_a_dripping_server_is_stopped_by_the_deadline(hostile: HostileServer) -> None:
    hostile.routes["/fever/?api"] = drip(b'{"api_version": 3, "auth": 1}', interval=0.5)
    started = time.monotonic()
    error = await _check(hostile.url("/fever/"), timeout=1.5)
    assert time.monotonic() - started < 5
    assert (error.code, error.problem) == ("sync.timeout", "network")


async def test_an_answer_over_the_cap_is_not_read(hostile: HostileServer) -> None:
    big = b'{"api_version": 3, "auth": 1, "x": "' + b"a" * 300_000 + b'"}'
    url = _route(hostile, response(big, content_type="application/json"))
    error = await _check(url, max_answer=100_000)
    assert (error.code, error.problem) == ("sync.too_big", "answer")


async def test_a_bad_certificate_is_a_tls_problem(tmp_path: Path) -> None:
    server = HostileServer(tls=self_signed_context(tmp_path))
    try:
        error = await _check(server.url("/fever/"))
    finally:
        server.close()
    assert (error.code, error.problem) == ("sync.tls", "tls")
    assert not error.retry_later


async def test_items_that_cannot_be_read_are_counted_and_the_rest_kept(hostile: HostileServer) -> None:
    body = (
        b'{"api_version": 3, "auth": 1, "total_items": 3, "items": ['
        b'{"id": 2, "feed_id": 1, "title": "Deux", "html": "<p>2</p>", "is_read": 1, "created_on_time": 5},'
        b'{"id": "x", "feed_id": 1}, 7,'
        b'{"id": "3", "feed_id": "1", "title": 3, "is_saved": "1", "created_on_time": "6"}]}'
    )
    hostile.routes["/fever/?api&items&since_id=0"] = posted_reply(
        response(body, content_type="application/json")
    )
    async with FeverClient(hostile.url("/fever/"), Secret(fever_key())) as fever:
        page = await fever.items_after("")
    assert [(i.id, i.title, i.read, i.saved, i.published) for i in page.items] == [
        ("2", "Deux", True, False, 5),
        ("3", "", False, True, 6),
    ]
    assert page.skipped == 2
    assert page.done
    assert page.cursor == "3"


async def test_fever_speaking_server_with_more_items_than_since_id_asked(hostile: HostileServer) -> None:
    """A server that ignores since_id (the same items again) ends the paging instead of looping."""
    items = ",".join(f'{{"id": {i}, "feed_id": 1, "title": "n° {i}"}}' for i in range(1, 51))
    body = ('{"api_version": 3, "auth": 1, "items": [' + items + "]}").encode()
    hostile.routes["/fever/?api&items&since_id=50"] = posted_reply(
        response(body, content_type="application/json")
    )
    async with FeverClient(hostile.url("/fever/"), Secret(fever_key())) as fever:
        page = await fever.items_after("50")
    assert page.items == []
    assert page.done
    assert page.cursor == "50"


async def test_a_second_feed_subscribed_later_arrives_with_its_group(
    client: FeverClient, coldsweat: Coldsweat
) -> None:
    coldsweat.subscribe([FeedSpec("culture", "Culture et patrimoine", "Culture", 4)])
    found = await client.subscriptions()
    culture = next(f for f in found.feeds if f.title == "Culture et patrimoine")
    group = found.group_of(culture)
    assert group is not None
    assert group.title == "Culture"
    page = await client.items_after("")
    assert page.total == 124


def test_the_trap_catches_a_server_that_reaches_beyond_loopback(tmp_path: Path) -> None:
    """The loopback guarantee is not vacuous: a feed without an icon makes coldsweat ask an outside
    favicon service, and the request ends in the trap (on loopback), which fails the fixture."""
    with (
        pytest.raises(AssertionError, match="beyond loopback") as raised,
        running_coldsweat(tmp_path / "cs", [FeedSpec("sans-icone", "Sans icône", "Divers", 2, icon=False)]),
    ):
        pass
    assert "duckduckgo" in str(raised.value)


def test_without_the_coldsweat_venv_the_tests_fail_and_say_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLDSWEAT", str(tmp_path / "absent" / "bin" / "coldsweat"))
    with pytest.raises(pytest.fail.Exception, match=r"Run \.ci/coldsweat\.sh"):
        coldsweat_program()
