"""Sync accounts in the TUI, through the pilot and against a real Fever server (coldsweat on 127.0.0.1):
the accounts' dialog (key Y) tests the connection and says what is wrong (a wrong password, a server that
is not Fever, nothing answering) and keeps nothing then; the background sync pushes a mark to the server
by itself; the app starts with the server down, works from its cache, says so once, and syncs again by
itself once the server is back; « all read » (A) on a synced feed reaches the server as one change,
articles not pulled yet included."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from support.accounts import MemoryKeyring
from support.coldsweat import EMAIL, PASSWORD, Coldsweat, fever_key, free_port, posted_reply
from support.hostile import HostileServer, response
from support.ui import make_app, new_paths, notices, screen_text, settle
from textual.pilot import Pilot
from textual.widgets import Input, Static

from gazette_tui.core.paths import Paths
from gazette_tui.core.settings import Settings
from gazette_tui.core.storage.store import Store
from gazette_tui.core.sync.accounts import add_account, sync_all
from gazette_tui.ui.app import GazetteApp
from gazette_tui.ui.controllers.refresh import Refresher
from gazette_tui.ui.controllers.sync import SyncShown
from gazette_tui.ui.dialogs.sync_accounts import SyncAccountsDialog
from gazette_tui.ui.dialogs.sync_add import SyncAddDialog

WIDE = (120, 36)
NAME = "coldsweat"


@pytest.fixture
def ui_paths(tmp_path: Path) -> Paths:
    return new_paths(tmp_path)


@pytest.fixture
def ui_store(ui_paths: Paths) -> Iterator[Store]:
    with Store(ui_paths.database) as store:
        yield store


@pytest.fixture
def fast_timers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The refresh controller looks for due work every 0.2 s, and a minute of ``interval_minutes`` is
    0.3 s: the background sync of a test runs within a second, not every quarter of an hour."""
    monkeypatch.setattr(Refresher, "TICK_SECONDS", 0.2)
    monkeypatch.setattr(SyncShown, "MINUTE", 0.3)


def settings(interval: int = 1) -> Settings:
    chosen = Settings()
    chosen.sync.interval_minutes = interval
    return chosen


async def synced(store: Store, coldsweat: Coldsweat) -> None:
    """The account added and synced once, before the app starts (the CLI's ``sync add`` and ``sync now``)."""
    await add_account(store, "fever", coldsweat.url, EMAIL, PASSWORD, name=NAME)
    [report] = await sync_all(store)
    assert report.ok, report.error


async def until(pilot: Pilot[int], check: Callable[[], bool], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "not within the time"
        await pilot.pause(0.1)


def article_of(store: Store, coldsweat: Coldsweat, slug: str, number: int) -> int:
    account = store.sync.account(NAME)
    assert account is not None
    found = store.sync.article_id(account.id, coldsweat.item_id(slug, number))
    assert found is not None
    return found


def feed_id(store: Store, title: str) -> int:
    return next(feed.id for feed in store.feeds() if feed.title == title)


def plain(text: str) -> str:
    """No-break spaces (French punctuation) as plain ones."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def sync_field(app: GazetteApp) -> str:
    return plain(app.main.status.sync_text)


def said(app: GazetteApp, fragment: str) -> list[str]:
    return [plain(text) for text in notices(app) if fragment in plain(text)]


# -- the dialog --------------------------------------------------------------------------------------


async def open_add_dialog(pilot: Pilot[int]) -> SyncAddDialog:
    app = pilot.app
    assert isinstance(app, GazetteApp)
    await app.run_action("sync_accounts")
    await settle(pilot)
    assert isinstance(app.screen, SyncAccountsDialog)
    await pilot.press("n")
    await settle(pilot)
    assert isinstance(app.screen, SyncAddDialog)
    return app.screen


async def fill_and_submit(pilot: Pilot[int], dialog: SyncAddDialog, url: str, password: str) -> None:
    dialog.query_one("#sync-url", Input).value = url
    dialog.query_one("#sync-username", Input).value = EMAIL
    dialog.set_focus(dialog.query_one("#sync-password", Input))
    await pilot.press(*password)
    await pilot.press("enter")  # from the password: test and add
    await settle(pilot)


def dialog_message(dialog: SyncAddDialog) -> str:
    return plain(str(dialog.query_one("#sync-add-message", Static).content))


async def test_the_dialog_adds_an_account_once_the_server_said_yes_and_syncs_it(
    ui_store: Store, ui_paths: Paths, coldsweat: Coldsweat, memory_keyring: MemoryKeyring
) -> None:
    app = make_app(ui_store, ui_paths, settings=settings(0))
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await app.run_action("sync_accounts")
        await settle(pilot)
        assert "Aucun compte de synchronisation pour l’instant : n en ajoute un." in plain(screen_text(app))
        await pilot.press("n")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SyncAddDialog)
        password_field = dialog.query_one("#sync-password", Input)
        await fill_and_submit(pilot, dialog, coldsweat.url, PASSWORD)
        # the list again, with the account; its first sync ran meanwhile (push, then pull)
        assert isinstance(app.screen, SyncAccountsDialog)
        await settle(pilot)
        [account] = ui_store.sync.accounts()
        assert (account.url, account.username) == (coldsweat.url, EMAIL)
        assert list(memory_keyring.entries.values()) == [fever_key()]  # the key, never the password
        assert password_field.value == ""  # emptied as the dialog closed
        assert said(app, "Compte « 127.0.0.1 » ajouté : http://127.0.0.1:")
        await pilot.press("escape")
        await settle(pilot)
        assert {feed.title for feed in ui_store.feeds()} == {
            "Finances locales",
            "Urbanisme et territoires",
            "Ressources humaines",
        }
        assert sync_field(app).startswith("⇅ Synchronisé à ")
        text = screen_text(app)
        assert "⇅ 127.0.0.1" in text  # the account's line in the tree, with its unread count
        assert "Finances locales" in text


@pytest.mark.parametrize("case", ["wrong password", "not fever", "unreachable"])
async def test_the_dialog_says_what_is_wrong_and_keeps_nothing(
    ui_store: Store,
    ui_paths: Paths,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    request: pytest.FixtureRequest,
    case: str,
) -> None:
    hostile = HostileServer()
    hostile.routes["/fever/?api"] = posted_reply(response(b"<html>Mairie</html>", content_type="text/html"))
    try:
        if case == "wrong password":
            coldsweat: Coldsweat = request.getfixturevalue("coldsweat")
            url, password = coldsweat.url, "pas-le-bon-mot-de-passe"
            expected, field = "a refusé l’identifiant ou le mot de passe", "sync-password"
        elif case == "not fever":
            url, password = hostile.url("/fever/"), PASSWORD
            expected, field = "ne répond pas comme une API Fever", "sync-url"
        else:
            url, password = f"http://127.0.0.1:{free_port()}/fever/", PASSWORD
            expected, field = "connexion refusée", "sync-url"
        app = make_app(ui_store, ui_paths, settings=settings(0))
        async with app.run_test(size=WIDE) as pilot:
            await settle(pilot)
            dialog = await open_add_dialog(pilot)
            await fill_and_submit(pilot, dialog, url, password)
            assert app.screen is dialog  # still open, for the user to fix what it says
            assert expected in dialog_message(dialog)
            message = dialog.query_one("#sync-add-message", Static)
            assert message.has_class("-error")
            assert message.region.height >= 1  # on screen, under the fields
            assert dialog.focused is not None
            assert dialog.focused.id == field
            assert password not in screen_text(app)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, SyncAccountsDialog)
    finally:
        hostile.close()
    assert ui_store.sync.accounts() == []
    assert memory_keyring.entries == {}


# -- background sync, the server down ------------------------------------------------------------------


async def test_the_background_sync_sends_a_mark_to_the_server(
    ui_store: Store,
    ui_paths: Paths,
    coldsweat: Coldsweat,
    memory_keyring: MemoryKeyring,
    fast_timers: None,
) -> None:
    await synced(ui_store, coldsweat)
    article = article_of(ui_store, coldsweat, "urbanisme", 7)
    remote = coldsweat.item_id("urbanisme", 7)
    coldsweat.mark(coldsweat.item_id("rh", 2), "saved")  # another device stars an article meanwhile
    app = make_app(ui_store, ui_paths, settings=settings(1))
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        app.main.open_article(article)
        await settle(pilot)
        assert ui_store.article(article).read  # opening it marked it read, here at once
        await until(pilot, lambda: remote not in coldsweat.unread())  # and on the server, by itself
        await until(pilot, lambda: ui_store.article(article_of(ui_store, coldsweat, "rh", 2)).starred)
        await until(pilot, lambda: sync_field(app).startswith("⇅ Synchronisé à "))
        assert ui_store.sync.pending_count() == 0
        assert said(app, "Synchro") == []  # nothing went wrong: nothing said


async def test_the_app_starts_with_the_server_down_says_so_once_and_syncs_once_it_is_back(
    ui_store: Store,
    ui_paths: Paths,
    coldsweat: Coldsweat,
    memory_keyring: MemoryKeyring,
    fast_timers: None,
) -> None:
    await synced(ui_store, coldsweat)
    coldsweat.stop()
    article = article_of(ui_store, coldsweat, "finances", 4)
    app = make_app(ui_store, ui_paths, settings=settings(1))
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await until(pilot, lambda: bool(said(app, "Rien ne répond")))
        account = ui_store.sync.account(NAME)
        assert account is not None
        started = account.last_sync
        await until(pilot, lambda: (ui_store.sync.account(NAME) or account).last_sync != started)
        await pilot.pause(1.0)  # a few more tries, every 0.3 s
        [once] = said(app, "Rien ne répond")
        assert "Les articles en cache restent lisibles" in once
        assert sync_field(app) == "⇅ coldsweat : pas synchronisé"
        assert "⚠ ⇅ coldsweat" in screen_text(app)  # the account's line in the tree
        # the app works meanwhile: the cache opens, and a mark waits in the outbox
        app.main.open_article(article)
        await settle(pilot)
        assert app.main.reader.article is not None
        assert app.main.reader.article.id == article
        assert ui_store.sync.pending_count() == 1
        coldsweat.start()
        remote = coldsweat.item_id("finances", 4)
        await until(pilot, lambda: remote not in coldsweat.unread())
        await until(pilot, lambda: sync_field(app).startswith("⇅ Synchronisé à "))
        assert ui_store.sync.pending_count() == 0
        await settle(pilot)
        assert "⚠ ⇅ coldsweat" not in screen_text(app)
        assert len(said(app, "Rien ne répond")) == 1


# -- « all read » on a synced feed ---------------------------------------------------------------------


async def test_all_read_on_a_synced_feed_reaches_the_articles_not_pulled_yet(
    ui_store: Store, ui_paths: Paths, coldsweat: Coldsweat, memory_keyring: MemoryKeyring
) -> None:
    await synced(ui_store, coldsweat)
    coldsweat.publish("rh", 5)  # on the server, not in the cache yet
    assert len(coldsweat.item_ids("rh")) == 25
    rh = feed_id(ui_store, "Ressources humaines")
    app = make_app(ui_store, ui_paths, settings=settings(0))  # no background sync: r sends it
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        app.main.goto(f"feed:{rh}")
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        assert said(app, "20 articles marqués comme lus")
        account = ui_store.sync.account(NAME)
        assert account is not None
        [row] = ui_store.sync.pending(account.id)  # one change for the feed, not one per article
        assert (row.target, row.action) == ("feed", "read")
        await pilot.press("r")  # a refresh syncs the accounts too
        await settle(pilot)
        assert set(coldsweat.item_ids("rh")).isdisjoint(coldsweat.unread())
        assert ui_store.sync.pending_count() == 0
        [feed] = [f for f in ui_store.feeds() if f.id == rh]
        assert (feed.articles, feed.unread) == (25, 0)
        assert coldsweat.item_id("finances", 1) in coldsweat.unread()  # the other feeds are left alone
