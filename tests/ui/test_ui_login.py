"""Pilot tests of the login screen against the real demo site on 127.0.0.1, with an in-memory keyring (or
keyring's "no keyring" backend): a reserved article asks for a login, a good login shows who is logged in
and brings the article's full text, and every refusal is one plain sentence on the screen."""

from __future__ import annotations

import socket
import unicodedata
import webbrowser
from collections.abc import Iterator
from pathlib import Path

import keyring.backends.fail
import pytest
from support.accounts import (
    TEST_EMAIL,
    TEST_PASSWORD,
    MemoryKeyring,
    files_containing,
    installed,
    secret_forms,
    user_dirs,
)
from support.french import typo
from support.ui import make_app, new_paths, notices, screen_text, settle
from textual import events
from textual.command import CommandList
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Static

from gazette_tui.core.feeds.refresh import refresh_feeds
from gazette_tui.core.paths import Paths
from gazette_tui.core.settings import Settings
from gazette_tui.core.storage.store import Store
from gazette_tui.demo import DemoServer
from gazette_tui.text import html_to_text
from gazette_tui.ui.app import GazetteApp
from gazette_tui.ui.dialogs.login import LoginDialog
from gazette_tui.ui.screens.main import MainScreen

LOGIN_PATH = "/svc.php/user/index"


@pytest.fixture
def ui_paths(tmp_path: Path) -> Paths:
    return new_paths(tmp_path)


@pytest.fixture
def quick() -> Settings:
    settings = Settings()
    settings.refresh.timeout = 5.0
    settings.refresh.auto_minutes = 0
    return settings


@pytest.fixture
def empty_store(ui_paths: Paths) -> Iterator[Store]:
    with Store(ui_paths.database) as store:
        yield store


@pytest.fixture
async def demo_store(demo: DemoServer, empty_store: Store, quick: Settings) -> Store:
    """The demo site's front page in the cache: reserved articles among others, no full text yet."""
    empty_store.add_feeds(demo.feed_list()[:1])
    report = await refresh_feeds(empty_store, quick)
    assert report.ok == 1
    return empty_store


def reserved_ids(store: Store) -> list[int]:
    with store.reading() as c:
        return [r[0] for r in c.execute("SELECT id FROM articles WHERE reserved = 1 ORDER BY id")]


def status_account(app: GazetteApp) -> Static:
    return app.main.query_one("#status-account", Static)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def open_login(pilot: Pilot[int]) -> LoginDialog:
    await settle(pilot)
    await pilot.press("C")
    await settle(pilot)
    assert isinstance(pilot.app.screen, LoginDialog)
    return pilot.app.screen


async def fill(pilot: Pilot[int], email: str, password: str) -> None:
    """Type the email, enter (to the password), the password, enter (log in)."""
    screen = pilot.app.screen
    screen.query_one("#login-email", Input).focus()
    await pilot.press(*email, "enter")
    assert screen.focused is screen.query_one("#login-password", Input)
    await pilot.press(*password, "enter")
    await settle(pilot)


def message(app: GazetteApp) -> str:
    return str(app.screen.query_one("#login-message", Static).content)


async def test_reserved_article_asks_to_log_in_then_shows_its_full_text(
    demo: DemoServer, demo_store: Store, ui_paths: Paths, quick: Settings, memory_keyring: MemoryKeyring
) -> None:
    article_id = reserved_ids(demo_store)[0]
    app = make_app(demo_store, ui_paths, settings=quick, demo_url=demo.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert not status_account(app).display
        app.main.open_article(article_id)
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, LoginDialog)
        assert dialog.account == "demo"
        assert "réservé aux abonnés" in screen_text(app)
        assert "Se souvenir de moi" in screen_text(app)
        assert typo("Mot de passe oublié ?") in screen_text(app)
        assert typo("Pas encore inscrit(e) ? M'inscrire gratuitement") in screen_text(app)
        password = dialog.query_one("#login-password", Input)
        assert password.password  # masked
        await fill(pilot, TEST_EMAIL, TEST_PASSWORD)
        assert isinstance(app.screen, MainScreen)
        assert TEST_EMAIL in str(status_account(app).content)
        assert status_account(app).display
        assert "cette session" not in str(status_account(app).content)  # remembered in the keyring
        assert ("gazette-tui", f"demo:{TEST_EMAIL}") in memory_keyring.entries
        # The article that asked is now shown with its full text, without the subscribers-only notice.
        shown = app.main.reader.article
        assert shown is not None
        assert shown.id == article_id
        assert shown.fulltext_html
        demo_article = next(a for a in demo.articles if demo.url + a.path == shown.url.split("?")[0])
        body = html_to_text(shown.fulltext_html)
        assert len(body) > len(demo_article.lede) + 200
        assert not app.main.reader.query_one("#reader-notice", Static).display
        # Opening another reserved article does not ask again (logged in).
        app.main.open_article(reserved_ids(demo_store)[1])
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert not any(TEST_PASSWORD in text for text in notices(app))
    assert files_containing(user_dirs(ui_paths), secret_forms(TEST_PASSWORD)) == []


async def test_dismissed_login_is_not_asked_again(
    demo: DemoServer, demo_store: Store, ui_paths: Paths, quick: Settings, memory_keyring: MemoryKeyring
) -> None:
    first, second = reserved_ids(demo_store)[:2]
    app = make_app(demo_store, ui_paths, settings=quick, demo_url=demo.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.main.open_article(first)
        await settle(pilot)
        assert isinstance(app.screen, LoginDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        app.main.open_article(second)
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)  # asked once per run
        assert app.main.reader.article is not None
        assert app.main.reader.article.id == second


async def test_wrong_password_is_said_and_nothing_is_kept(
    demo: DemoServer, demo_store: Store, ui_paths: Paths, quick: Settings, memory_keyring: MemoryKeyring
) -> None:
    app = make_app(demo_store, ui_paths, settings=quick, demo_url=demo.url)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_login(pilot)
        await fill(pilot, TEST_EMAIL, "pas-le-bon-mot-de-passe")
        assert app.screen is dialog
        assert message(app) == "Identifiant et/ou mot de passe non valides"
        assert "Identifiant et/ou mot de passe non valides" in screen_text(app)
        assert dialog.focused is dialog.query_one("#login-password", Input)
        assert memory_keyring.entries == {}
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert not status_account(app).display


async def test_malformed_email_is_refused_before_anything_is_sent(
    demo: DemoServer, demo_store: Store, ui_paths: Paths, quick: Settings, memory_keyring: MemoryKeyring
) -> None:
    app = make_app(demo_store, ui_paths, settings=quick, demo_url=demo.url)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_login(pilot)
        demo.requests.clear()
        await fill(pilot, "agent.mairie-exemple.test", TEST_PASSWORD)
        assert app.screen is dialog
        assert message(app) == typo("Nous n'avons pas reconnu votre email, veuillez indiquer un email valide")
        assert dialog.focused is dialog.query_one("#login-email", Input)
        assert not any(r.path.startswith(LOGIN_PATH) for r in demo.requests)


async def test_network_down_is_one_sentence(
    empty_store: Store, ui_paths: Paths, quick: Settings, memory_keyring: MemoryKeyring
) -> None:
    down = f"http://127.0.0.1:{closed_port()}"
    app = make_app(empty_store, ui_paths, settings=quick, demo_url=down)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_login(pilot)
        await fill(pilot, TEST_EMAIL, TEST_PASSWORD)
        assert app.screen is dialog
        # Nothing listens at that port: said as such, with the address tried, not as "the network is down".
        assert message(app).startswith(f"Rien ne répond à {down}/svc.php/user/index (connexion refusée)")
        assert "Traceback" not in screen_text(app)
        assert TEST_PASSWORD not in screen_text(app)
        assert not dialog.busy
        assert not dialog.query_one("#login-submit").disabled


async def test_forgotten_password_sends_the_codes(
    demo: DemoServer, demo_store: Store, ui_paths: Paths, quick: Settings, memory_keyring: MemoryKeyring
) -> None:
    app = make_app(demo_store, ui_paths, settings=quick, demo_url=demo.url)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_login(pilot)
        await pilot.click("#login-reset")  # no email yet: said, nothing sent
        await settle(pilot)
        assert message(app).startswith(typo("Indiquez d'abord votre email"))
        dialog.query_one("#login-email", Input).value = TEST_EMAIL
        demo.requests.clear()
        await pilot.click("#login-reset")
        await settle(pilot)
        assert message(app) == typo("Un message avec vos codes d'accès vous a été envoyé par mail")
        assert app.screen is dialog
        assert any(r.path.startswith("/svc.php/user/reset") for r in demo.requests)


async def test_without_a_keyring_the_login_lasts_for_this_session_and_says_so(
    demo: DemoServer, demo_store: Store, ui_paths: Paths, quick: Settings
) -> None:
    article_id = reserved_ids(demo_store)[0]
    with installed(keyring.backends.fail.Keyring()):
        app = make_app(demo_store, ui_paths, settings=quick, demo_url=demo.url)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            app.main.open_article(article_id)
            await settle(pilot)
            assert isinstance(app.screen, LoginDialog)
            await fill(pilot, TEST_EMAIL, TEST_PASSWORD)
            assert isinstance(app.screen, MainScreen)
            said = notices(app)
            [warned] = [text for text in said if "session seulement" in text]
            assert warned.startswith("Connexion pour cette session seulement")
            assert warned.count("session seulement") == 1, warned  # said once, not again in the reason
            assert "Aucun trousseau système utilisable" in warned
            assert f"{TEST_EMAIL} (cette session)" in str(status_account(app).content)
            # The session-only login is the app's own Accounts: the full text still came.
            shown = app.main.reader.article
            assert shown is not None
            assert shown.id == article_id
            assert shown.fulltext_html
            assert not any(TEST_PASSWORD in text for text in said)
    assert files_containing(user_dirs(ui_paths), secret_forms(TEST_PASSWORD)) == []


async def test_logout_from_the_palette(
    demo: DemoServer, demo_store: Store, ui_paths: Paths, quick: Settings, memory_keyring: MemoryKeyring
) -> None:
    app = make_app(demo_store, ui_paths, settings=quick, demo_url=demo.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_login(pilot)
        await fill(pilot, TEST_EMAIL, TEST_PASSWORD)
        assert TEST_EMAIL in str(status_account(app).content)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Se déconnecter")
        await settle(pilot)
        await pilot.pause(0.3)
        options = app.screen.query_one(CommandList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        wanted = f"Se déconnecter : La Gazette de démonstration ({TEST_EMAIL})"  # as typed: plain spaces
        assert any(wanted in p for p in prompts), prompts
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert not status_account(app).display
        assert "Déconnecté de La Gazette de démonstration." in notices(app)
        assert memory_keyring.entries == {}
        assert not any(s.logged_in for s in app.session.accounts.status())


async def test_palette_login_show_password_and_sign_up(
    demo: DemoServer, demo_store: Store, ui_paths: Paths, quick: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []

    class FakeBrowser(webbrowser.BackgroundBrowser):
        def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
            opened.append(url)
            return True

    monkeypatch.setattr(webbrowser, "get", lambda using=None: FakeBrowser(["true"]))
    app = make_app(demo_store, ui_paths, settings=quick, demo_url=demo.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Se connecter : La Gazette de démonstration")
        await settle(pilot)
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, LoginDialog)
        assert dialog.account == "demo"
        password = dialog.query_one("#login-password", Input)
        assert password.password
        dialog.query_one("#login-show", Checkbox).toggle()
        await pilot.pause()
        assert not password.password
        dialog.query_one("#login-show", Checkbox).toggle()
        await pilot.pause()
        assert password.password
        await pilot.click("#login-signup")
        await settle(pilot)
        assert opened == [demo.url + "/inscription/"]


def key_event(key: str) -> events.Key:
    """The event a terminal sends for ``key``: a character (named as Textual names it) or a named key."""
    if len(key) > 1:
        return events.Key(key, {"tab": "\t", "enter": "\r"}.get(key))
    name = key if key.isalnum() else unicodedata.name(key).lower().replace("-", "_").replace(" ", "_")
    return events.Key(name, key)


def burst(app: GazetteApp, keys: list[str]) -> None:
    """Keys as a password manager or a paste sends them: all queued before the app handles the first one.
    (``pilot.press`` waits for the app to go idle after each key, which hides the focus race.)"""
    for key in keys:
        event = key_event(key)
        event.set_sender(app)
        app.post_message(event)


@pytest.mark.parametrize("between", ["tab", "enter"])
async def test_email_then_password_in_one_burst_land_in_their_fields(
    between: str,
    demo: DemoServer,
    demo_store: Store,
    ui_paths: Paths,
    quick: Settings,
    memory_keyring: MemoryKeyring,
) -> None:
    """0.1.0 put the password in the email field, in clear: Tab's focus change ran after the whole burst had
    been handed to the email field."""
    app = make_app(demo_store, ui_paths, settings=quick, demo_url=demo.url)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_login(pilot)
        burst(app, [*TEST_EMAIL, between, *TEST_PASSWORD])
        await settle(pilot)
        assert dialog.query_one("#login-email", Input).value == TEST_EMAIL
        assert dialog.query_one("#login-password", Input).value == TEST_PASSWORD
        assert dialog.focused is dialog.query_one("#login-password", Input)
        assert TEST_PASSWORD not in screen_text(app)
        burst(app, ["enter"])  # and the password field submits
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert TEST_EMAIL in str(status_account(app).content)


async def test_shift_tab_goes_back_at_once_and_the_prefill_never_moves_a_typing_user(
    demo: DemoServer,
    demo_store: Store,
    ui_paths: Paths,
    quick: Settings,
    memory_keyring: MemoryKeyring,
) -> None:
    app = make_app(demo_store, ui_paths, settings=quick, demo_url=demo.url)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_login(pilot)
        burst(app, [*"agent", "tab", *"xy", "shift+tab", *"@b.fr"])
        await settle(pilot)
        email, password = dialog.query_one("#login-email", Input), dialog.query_one("#login-password", Input)
        assert email.value.endswith("@b.fr")
        assert password.value == "xy"
        # A known login is filled in only while the field is empty and focused; the user's typing wins.
        dialog.prefill("ancien@mairie-exemple.test")
        assert email.value.endswith("@b.fr")
        email.value = ""
        dialog.prefill("ancien@mairie-exemple.test")
        burst(app, [*"pw"])
        await settle(pilot)
        assert email.value == "ancien@mairie-exemple.test"
        assert password.value.endswith("pw")
