"""The password lives in the OS keyring and nowhere else: unit tests with an in-memory keyring, the keyrings
we refuse (none, null, plaintext, locked), and the CLI commands, which must leave no secret in user files."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import keyring.backend
import keyring.backends.fail
import keyring.backends.null
import keyring.errors
import pytest
from support.accounts import (
    TEST_EMAIL,
    TEST_PASSWORD,
    MemoryKeyring,
    files_containing,
    installed,
    run_cli,
    secret_forms,
    user_dirs,
)
from support.french import typo

from gazette_tui.core.accounts.accounts import Accounts
from gazette_tui.core.accounts.fulltext import fetch_fulltexts
from gazette_tui.core.accounts.profiles import LOGIN_FAILED
from gazette_tui.core.accounts.secrets import (
    PLAINTEXT_OPT_IN,
    KeyringUnavailable,
    Secret,
    backend_status,
    load_secret,
    store_secret,
)
from gazette_tui.core.feeds.refresh import refresh_feeds
from gazette_tui.core.paths import Paths
from gazette_tui.core.settings import Settings
from gazette_tui.core.storage.store import Store
from gazette_tui.demo import DemoServer


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """What a headless Linux box without a Secret Service gets from keyring."""
    with installed(keyring.backends.fail.Keyring()):
        yield


class PlaintextFileKeyring(MemoryKeyring):
    """Stands for keyrings.alt's file backends (they write passwords to a file): judged by module."""


PlaintextFileKeyring.__module__ = "keyrings.alt.file"


class LockedKeyring(MemoryKeyring):
    """A Secret Service whose collection stays locked (the unlock prompt was dismissed)."""

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")


# --- the wrapper ---------------------------------------------------------------------------------


def test_secret_never_shows_itself() -> None:
    secret = Secret(TEST_PASSWORD)
    assert TEST_PASSWORD not in repr(secret)
    assert TEST_PASSWORD not in str(secret)
    assert f"{secret}" != TEST_PASSWORD
    assert secret.reveal() == TEST_PASSWORD
    assert bool(secret)
    assert not Secret("")


def test_memory_keyring_round_trip(memory_keyring: MemoryKeyring) -> None:
    assert backend_status().usable
    store_secret("demo", TEST_EMAIL, TEST_PASSWORD)
    assert memory_keyring.entries == {("gazette-tui", f"demo:{TEST_EMAIL}"): TEST_PASSWORD}
    assert load_secret("demo", TEST_EMAIL) == TEST_PASSWORD
    assert load_secret("demo", "autre@mairie.test") is None


@pytest.mark.parametrize(
    "ring",
    [keyring.backends.fail.Keyring(), keyring.backends.null.Keyring(), PlaintextFileKeyring()],
    ids=["fail", "null", "plaintext"],
)
def test_unfit_keyrings_are_refused_with_a_plain_message(ring: keyring.backend.KeyringBackend) -> None:
    with installed(ring):
        status = backend_status()
        assert not status.usable
        assert status.reason is not None
        assert "trousseau" in str(status.reason).lower()
        assert "session seulement" not in str(status.reason)  # the faces say it, once
        with pytest.raises(KeyringUnavailable) as caught:
            store_secret("demo", TEST_EMAIL, TEST_PASSWORD)
        assert "trousseau" in str(caught.value).lower()
        assert TEST_PASSWORD not in str(caught.value)
    if isinstance(ring, PlaintextFileKeyring):
        assert ring.entries == {}


def test_plaintext_keyring_only_with_explicit_opt_in(monkeypatch: pytest.MonkeyPatch) -> None:
    ring = PlaintextFileKeyring()
    with installed(ring):
        assert PLAINTEXT_OPT_IN in str(backend_status().reason)
        monkeypatch.setenv(PLAINTEXT_OPT_IN, "1")
        assert backend_status().usable
        store_secret("demo", TEST_EMAIL, TEST_PASSWORD)
    assert ring.entries == {("gazette-tui", f"demo:{TEST_EMAIL}"): TEST_PASSWORD}


# --- logins without a usable keyring ---------------------------------------------------------------


async def test_no_keyring_login_is_for_this_session_only(
    demo: DemoServer, paths: Paths, store: Store, settings: Settings, no_keyring: None
) -> None:
    store.add_feeds(demo.feed_list()[:1])
    await refresh_feeds(store, settings)
    accounts = Accounts(store, paths.config_dir)
    result = await accounts.login("demo", TEST_EMAIL, TEST_PASSWORD, site_url=demo.url)
    assert not result.remembered
    assert "Aucun trousseau système utilisable" in result.warning
    assert "session seulement" not in result.warning  # the faces say it, once
    # The session works for this process: reserved articles come in full.
    report = await fetch_fulltexts(store, settings, accounts=accounts, limit=3, pause=0)
    assert report.fetched == 3
    # After a session expiry, the password held in memory renews it silently.
    demo.expire_sessions()
    report = await fetch_fulltexts(store, settings, accounts=accounts, limit=2, pause=0)
    assert report.fetched == 2
    assert report.relogins == 1
    # Nothing was written: not the password, not the cookies; the next process is not logged in.
    store.connection.execute("PRAGMA wal_checkpoint(FULL)")
    assert files_containing(user_dirs(paths), secret_forms(TEST_PASSWORD)) == []
    token = next(v for k, v in accounts.session_for("demo").cookies.values.items() if "session" in k)  # type: ignore[union-attr]
    assert files_containing(user_dirs(paths), [token.encode()]) == []
    assert Accounts(store, paths.config_dir).logged_in_accounts() == []
    with store.reading() as c:
        assert c.execute("SELECT username, logged_in FROM accounts").fetchall() == [(TEST_EMAIL, 0)]


async def test_locked_keyring(demo: DemoServer, store: Store) -> None:
    with installed(LockedKeyring()):
        result = await Accounts(store).login("demo", TEST_EMAIL, TEST_PASSWORD, site_url=demo.url)
    assert not result.remembered
    assert "verrouillé" in result.warning


# --- the CLI ----------------------------------------------------------------------------------------


def cli_json(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> dict[str, dict[str, object]]:
    code, out, _err = run_cli(monkeypatch, capsys, ["accounts", "--json"])
    assert code == 0
    return {row["name"]: row for row in json.loads(out)}


def test_cli_login_accounts_logout(
    demo: DemoServer,
    xdg_home: Path,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["login", "demo", "--url", demo.url, "--username", TEST_EMAIL, "--password-stdin"]
    code, out, err = run_cli(monkeypatch, capsys, argv, stdin=TEST_PASSWORD + "\n")
    assert code == 0, err
    assert f"Connecté à La Gazette de démonstration en tant que {TEST_EMAIL}." in out
    assert "trousseau" in out
    assert memory_keyring.entries[("gazette-tui", f"demo:{TEST_EMAIL}")] == TEST_PASSWORD
    rows = cli_json(monkeypatch, capsys)
    assert set(rows) == {"lagazette", "demo"}
    assert rows["demo"] == {
        "name": "demo",
        "title": "La Gazette de démonstration",
        "site": demo.url + "/",
        "auth": "form",
        "username": TEST_EMAIL,
        "logged_in": True,
        "remembered": True,
        "signup_url": demo.url + "/inscription/",
    }
    assert rows["lagazette"]["logged_in"] is False
    assert rows["lagazette"]["site"] == "https://www.lagazettedescommunes.com/"
    # Every file gazette-tui keeps (config, data, cache, logs) is free of the password.
    paths = Paths.default()
    assert all(str(d).startswith(str(xdg_home)) for d in user_dirs(paths))
    assert paths.database.exists()
    with Store(paths.database) as store:
        store.connection.execute("PRAGMA wal_checkpoint(FULL)")
    assert files_containing([xdg_home], secret_forms(TEST_PASSWORD)) == []
    assert files_containing([xdg_home], [TEST_EMAIL.encode()]) == [paths.database]  # the search does work

    code, out, _err = run_cli(monkeypatch, capsys, ["logout", "demo"])
    assert code == 0
    assert "supprimés du trousseau" in out
    assert memory_keyring.entries == {}
    assert cli_json(monkeypatch, capsys)["demo"]["logged_in"] is False
    code, out, _err = run_cli(monkeypatch, capsys, ["logout", "demo"])
    assert code == 0
    assert "Aucune connexion" in out


def test_cli_errors_are_one_sentence_without_the_password(
    demo: DemoServer,
    xdg_home: Path,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    base = ["login", "demo", "--url", demo.url, "--password-stdin"]
    code, out, err = run_cli(
        monkeypatch, capsys, [*base, "--username", TEST_EMAIL], stdin="faux-mot-de-passe\n"
    )
    assert code == 1
    assert err.strip() == LOGIN_FAILED
    assert "Traceback" not in err
    assert "faux-mot-de-passe" not in out + err
    code, _out, err = run_cli(monkeypatch, capsys, [*base, "--username", "agent"], stdin=TEST_PASSWORD)
    assert code == 1
    assert err.strip() == typo("Nous n'avons pas reconnu votre email, veuillez indiquer un email valide")
    code, _out, err = run_cli(monkeypatch, capsys, ["login", "demo", "--username", TEST_EMAIL])
    assert code == 2
    assert "--password-stdin" in err
    code, _out, err = run_cli(monkeypatch, capsys, ["login", "nulle-part", "--password-stdin"], stdin="x")
    assert code == 1
    assert "Compte inconnu" in err
    code, out, _err = run_cli(monkeypatch, capsys, ["login", "demo", "--username", TEST_EMAIL, "--reset"])
    assert code == 0
    assert out.strip() == typo("Un message avec vos codes d'accès vous a été envoyé par mail")
    assert memory_keyring.entries == {}


def test_cli_login_without_keyring_says_so_and_writes_nothing(
    demo: DemoServer,
    xdg_home: Path,
    no_keyring: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["login", "demo", "--url", demo.url, "--username", TEST_EMAIL, "--password-stdin"]
    code, out, err = run_cli(monkeypatch, capsys, argv, stdin=TEST_PASSWORD)
    assert code == 1
    assert "Connecté à La Gazette de démonstration" in out
    assert "Aucun trousseau système utilisable" in err
    assert typo("Rien n'a été enregistré") in err
    assert files_containing([xdg_home], secret_forms(TEST_PASSWORD)) == []
    rows = cli_json(monkeypatch, capsys)
    assert rows["demo"]["logged_in"] is False
    assert rows["demo"]["username"] == TEST_EMAIL
    code, out, _err = run_cli(monkeypatch, capsys, ["accounts"])
    assert typo("Trousseau : Aucun trousseau système utilisable") in out
