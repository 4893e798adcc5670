"""Accounts and site profiles, against the demo site over real HTTP on 127.0.0.1."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from support.accounts import (
    TEST_EMAIL,
    TEST_PASSWORD,
    MemoryKeyring,
)
from support.french import typo
from werkzeug import Request, Response

from gazette_tui.core.accounts.accounts import Accounts, LoginError
from gazette_tui.core.accounts.profiles import (
    BUILTIN_PROFILES,
    EMAIL_INVALID,
    LOGIN_FAILED,
    RESET_SENT,
    load_profiles,
    secure_enough,
)
from gazette_tui.core.seeds import gazette_feeds
from gazette_tui.core.storage.store import Store
from gazette_tui.demo import DemoServer
from gazette_tui.errors import ConfigError

LOGIN_PATH = "/svc.php/user/index"


@pytest.fixture
def accounts(store: Store, tmp_path: Path) -> Accounts:
    return Accounts(store, tmp_path / "config")


def posts(demo: DemoServer, path: str = LOGIN_PATH) -> list[bytes]:
    return [r.body for r in demo.requests if r.method == "POST" and r.path == path]


# --- profiles --------------------------------------------------------------------------------------


def test_builtin_profiles(demo: DemoServer) -> None:
    profiles = load_profiles(None)
    assert set(profiles) == {"lagazette", "demo"}
    gazette = profiles["lagazette"]
    assert gazette.login_url == "https://services.lagazettedescommunes.com/svc.php/user/index"
    assert (gazette.username_field, gazette.password_field) == ("login", "password")
    assert all(gazette.owns(url) for url, _title, _folder in gazette_feeds())
    assert not gazette.owns("http://www.lagazettedescommunes.com/feed/")  # not https: another origin
    assert not gazette.owns("https://www.lagazettedescommunes.com:8443/feed/")
    assert not gazette.owns("https://lagazettedescommunes.com.evil.test/")
    local = profiles["demo"].rebased(demo.url)
    assert local.login_url == demo.url + LOGIN_PATH
    assert all(local.owns(url) for url, _title, _folder in demo.feed_list())
    assert not local.owns(f"http://127.0.0.1:{demo.port + 1}/feed/")
    assert not local.owns(f"http://localhost:{demo.port}/feed/")


def test_only_https_or_loopback_is_secure() -> None:
    assert secure_enough("https://services.lagazettedescommunes.com/svc.php/user/index")
    assert secure_enough("http://127.0.0.1:8080/")
    assert secure_enough("http://localhost:1/")
    assert secure_enough("http://[::1]:8080/")
    assert not secure_enough("http://www.lagazettedescommunes.com/")
    assert not secure_enough("ftp://127.0.0.1/")
    assert not secure_enough("javascript:alert(1)")


def test_profiles_toml_corrects_and_extends(tmp_path: Path) -> None:
    (tmp_path / "profiles.toml").write_text(
        '[lagazette]\nlogin_url = "https://services.lagazettedescommunes.com/connexion"\n'
        '[intranet]\nauth = "basic"\nsite_url = "https://flux.intranet.test/"\ntitle = "Intranet"\n',
        encoding="utf-8",
    )
    profiles = load_profiles(tmp_path)
    assert profiles["lagazette"].login_url == "https://services.lagazettedescommunes.com/connexion"
    assert profiles["lagazette"].username_field == BUILTIN_PROFILES["lagazette"]["username_field"]
    assert profiles["intranet"].auth == "basic"
    assert profiles["intranet"].owns("https://flux.intranet.test/x")
    (tmp_path / "profiles.toml").write_text('[demo]\nlogin_adresse = "x"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"profiles\.toml.*demo\.login_adresse"):
        load_profiles(tmp_path)


# --- login -----------------------------------------------------------------------------------------


async def test_good_login_remembers_in_the_keyring_only(
    demo: DemoServer, accounts: Accounts, store: Store, memory_keyring: MemoryKeyring
) -> None:
    result = await accounts.login("demo", TEST_EMAIL, TEST_PASSWORD, site_url=demo.url)
    assert result.remembered
    assert result.warning == ""
    assert result.username == TEST_EMAIL
    assert memory_keyring.entries[("gazette-tui", f"demo:{TEST_EMAIL}")] == TEST_PASSWORD
    assert "gazette_demo_session" in memory_keyring.entries[("gazette-tui", f"demo:{TEST_EMAIL}#session")]
    with store.reading() as c:
        assert c.execute("SELECT name, username, logged_in FROM accounts").fetchall() == [
            ("demo", TEST_EMAIL, 1)
        ]
    status = {s.name: s for s in accounts.status()}
    assert status["demo"].logged_in
    assert status["demo"].remembered
    assert not status["lagazette"].logged_in
    assert accounts.logged_in_accounts() == ["demo"]
    assert accounts.account_for_url(demo.url + "/actualite/1/x/") == "demo"
    assert accounts.account_for_url("https://www.lagazettedescommunes.com/feed/") is None
    assert len(posts(demo)) == 1


async def test_wrong_password(demo: DemoServer, accounts: Accounts, memory_keyring: MemoryKeyring) -> None:
    with pytest.raises(LoginError) as caught:
        await accounts.login("demo", TEST_EMAIL, "pas-le-bon", site_url=demo.url)
    assert caught.value.problem == "credentials"
    assert str(caught.value) == LOGIN_FAILED == "Identifiant et/ou mot de passe non valides"
    assert memory_keyring.entries == {}
    assert accounts.logged_in_accounts() == []


async def test_malformed_email_is_refused_before_sending(
    demo: DemoServer, accounts: Accounts, memory_keyring: MemoryKeyring
) -> None:
    for email in ("agent", "agent@", "deux mots@mairie.test"):
        with pytest.raises(LoginError) as caught:
            await accounts.login("demo", email, TEST_PASSWORD, site_url=demo.url)
        assert caught.value.problem == "email"
        assert caught.value.code == "login.email_invalid"
        assert str(caught.value) == typo(EMAIL_INVALID)
        assert str(caught.value) == "Nous n’avons pas reconnu votre email, veuillez indiquer un email valide"
    assert posts(demo) == []


async def test_site_side_email_message_is_recognised(
    demo: DemoServer, store: Store, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    # A profile that leaves the email check to the site: the site's own message is what we report.
    (tmp_path / "profiles.toml").write_text("[demo]\nusername_is_email = false\n", encoding="utf-8")
    accounts = Accounts(store, tmp_path)
    with pytest.raises(LoginError) as caught:
        await accounts.login("demo", "pas-un-email", TEST_PASSWORD, site_url=demo.url)
    assert caught.value.problem == "email"
    assert caught.value.code == "login.email_invalid"
    assert str(caught.value) == typo(EMAIL_INVALID)
    assert len(posts(demo)) == 1


async def test_network_down(accounts: Accounts, memory_keyring: MemoryKeyring) -> None:
    with DemoServer() as gone:
        url = gone.url
    with pytest.raises(LoginError) as caught:
        await accounts.login("demo", TEST_EMAIL, TEST_PASSWORD, site_url=url)
    assert caught.value.problem == "network"
    assert TEST_PASSWORD not in str(caught.value)
    assert caught.value.__cause__ is None
    assert memory_keyring.entries == {}


async def test_credentials_never_go_over_plain_http(
    store: Store, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    (tmp_path / "profiles.toml").write_text(
        '[intranet]\nsite_url = "http://intranet.mairie.test/"\n'
        'login_url = "http://intranet.mairie.test/login"\n',
        encoding="utf-8",
    )
    accounts = Accounts(store, tmp_path)
    with pytest.raises(LoginError) as caught:
        await accounts.login("intranet", TEST_EMAIL, TEST_PASSWORD)
    assert caught.value.problem == "insecure"
    assert "https" in str(caught.value)
    with pytest.raises(LoginError) as unknown:
        await accounts.login("inconnu", TEST_EMAIL, TEST_PASSWORD)
    assert unknown.value.problem == "unknown"
    assert "lagazette" in str(unknown.value)


async def test_reset_and_signup(demo: DemoServer, accounts: Accounts) -> None:
    accounts.set_site_url("demo", demo.url)
    assert await accounts.reset("demo", TEST_EMAIL) == typo(RESET_SENT)
    assert RESET_SENT == "Un message avec vos codes d'accès vous a été envoyé par mail"
    assert posts(demo, "/svc.php/user/reset") == [b"login=agent.instructeur%40mairie-exemple.test"]
    with pytest.raises(LoginError) as caught:
        await accounts.reset("demo", "pas-un-email")
    assert caught.value.problem == "email"
    assert accounts.signup_url("demo") == demo.url + "/inscription/"
    assert accounts.signup_url("lagazette").startswith("https://www.lagazettedescommunes.com/")


async def test_logout_forgets_everything(
    demo: DemoServer, accounts: Accounts, store: Store, memory_keyring: MemoryKeyring
) -> None:
    await accounts.login("demo", TEST_EMAIL, TEST_PASSWORD, site_url=demo.url)
    assert accounts.logout("demo") is True
    assert memory_keyring.entries == {}
    assert accounts.logged_in_accounts() == []
    with store.reading() as c:
        assert c.execute("SELECT username, logged_in FROM accounts").fetchall() == [(TEST_EMAIL, 0)]
    assert accounts.logout("demo") is False
    # A fresh process (a new Accounts) finds nothing to use either.
    assert Accounts(store).session_for("demo") is None


async def test_login_without_remember_clears_a_previous_password(
    demo: DemoServer, accounts: Accounts, store: Store, memory_keyring: MemoryKeyring
) -> None:
    await accounts.login("demo", TEST_EMAIL, TEST_PASSWORD, site_url=demo.url)
    result = await accounts.login("demo", TEST_EMAIL, TEST_PASSWORD, remember=False)
    assert not result.remembered
    assert result.warning == ""
    assert memory_keyring.entries == {}
    assert accounts.logged_in_accounts() == ["demo"]  # for this session
    assert Accounts(store).logged_in_accounts() == []  # not for the next one


async def test_http_basic_profile(
    httpserver: HTTPServer, store: Store, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    expected = "Basic " + base64.b64encode(f"{TEST_EMAIL}:{TEST_PASSWORD}".encode()).decode()

    def private_feed(request: Request) -> Response:
        if request.headers.get("Authorization") != expected:
            return Response("", status=401, headers={"WWW-Authenticate": 'Basic realm="flux"'})
        return Response("<rss/>", content_type="application/rss+xml")

    httpserver.expect_request("/prive/").respond_with_handler(private_feed)
    (tmp_path / "profiles.toml").write_text(
        f'[prive]\nauth = "basic"\nsite_url = "{httpserver.url_for("/prive/")}"\n', encoding="utf-8"
    )
    accounts = Accounts(store, tmp_path)
    with pytest.raises(LoginError) as caught:
        await accounts.login("prive", TEST_EMAIL, "faux")
    assert caught.value.problem == "credentials"
    result = await accounts.login("prive", TEST_EMAIL, TEST_PASSWORD)
    assert result.remembered
    assert memory_keyring.entries[("gazette-tui", f"prive:{TEST_EMAIL}")] == TEST_PASSWORD
