"""Credentials written in a feed's URL (``http://alice:secret@host/feed``) move to the keyring when the feed
is added; the URL is stored, listed, echoed and exported without them; Basic auth goes only over https or to
this machine, and only to the origin it was given for. Real loopback servers, the real CLI in-process, an
in-memory keyring (and keyring's "no keyring" backend)."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Iterator
from pathlib import Path

import keyring.backends.fail
import keyring.errors
import pytest
from pytest_httpserver import HTTPServer
from support.accounts import MemoryKeyring, files_containing, installed, run_cli, secret_forms
from support.french import typo
from support.servers import loopback_http_server
from werkzeug import Request, Response

from gazette_tui.core.accounts.feed_credentials import (
    FeedAuth,
    add_feed,
    basic_allowed,
    load_auth,
    strip_userinfo,
    without_userinfo,
)
from gazette_tui.core.accounts.secrets import Secret
from gazette_tui.core.feeds.fetch import Fetcher
from gazette_tui.core.feeds.refresh import refresh_feeds
from gazette_tui.core.paths import Paths
from gazette_tui.core.settings import Settings
from gazette_tui.core.storage.store import Store

USER = "alice"
PASSWORD = "Zq9-flux-TRES-secret-8812"
RSS = (
    '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Flux privé</title>'
    "<link>http://127.0.0.1/</link><item><title>Réservé</title><link>http://127.0.0.1/1</link>"
    "<guid>r-1</guid></item></channel></rss>"
)


def leaks(text: str) -> bool:
    return (
        PASSWORD in text
        or f"{USER}:" in text
        or any(f.decode() in text for f in secret_forms(PASSWORD, USER))
    )


class Recorder:
    """What a loopback feed server was sent in ``Authorization`` (None: no header)."""

    def __init__(self) -> None:
        self.seen: list[str | None] = []

    def __call__(self, request: Request) -> Response:
        self.seen.append(request.headers.get("Authorization"))
        return Response(RSS, content_type="application/rss+xml")


@pytest.fixture
def recorder(httpserver: HTTPServer) -> Recorder:
    recorder = Recorder()
    httpserver.expect_request("/flux").respond_with_handler(recorder)
    return recorder


def with_userinfo(url: str, user: str = USER, password: str = PASSWORD) -> str:
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{user}:{password}@{rest}"


def basic(user: str = USER, password: str = PASSWORD) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def refresh_one(paths: Paths, url: str) -> tuple[int, str | None]:
    """Refresh just that feed (the CLI's seeded La Gazette feeds would need the Internet)."""
    with Store(paths.database) as store:
        feed = store.feed(url)
        assert feed is not None
        settings = Settings()
        settings.refresh.timeout = 5.0
        report = asyncio.run(refresh_feeds(store, settings, feed_ids=[feed.id]))
        store.connection.execute("PRAGMA wal_checkpoint(FULL)")
        return report.ok, (report.errors[0][1] if report.errors else None)


# --- the decision, in unit tests (non-loopback hosts cannot be reached from the suite) ------------------


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://flux.example.org/feed", True),
        ("https://flux.example.org:8443/feed", True),
        ("http://127.0.0.1:8080/feed", True),
        ("http://127.3.4.5/feed", True),
        ("http://localhost/feed", True),
        ("http://[::1]:8080/feed", True),
        ("http://flux.example.org/feed", False),
        ("http://10.0.0.1/feed", False),
        ("http://192.168.1.10/feed", False),
        ("http://localhost.example.org/feed", False),
        ("ftp://127.0.0.1/feed", False),
    ],
)
def test_basic_auth_only_over_https_or_to_this_machine(url: str, allowed: bool) -> None:
    assert basic_allowed(url) is allowed
    origin = ("https", "flux.example.org", 443)
    auth = FeedAuth(USER, Secret(PASSWORD), origin)
    assert auth.applies_to("https://flux.example.org/autre")
    assert not auth.applies_to("http://flux.example.org/")
    assert not auth.applies_to("https://flux.example.org:8443/")
    assert not auth.applies_to("https://evil.test/")


def test_userinfo_is_taken_out_of_the_url() -> None:
    assert strip_userinfo("https://alice:s%40cr%3At@h.test:8443/f?q=1#x") == (
        "https://h.test:8443/f?q=1#x",
        ("alice", "s@cr:t"),
    )
    assert strip_userinfo("http://alice:p@ss@h.test/f") == ("http://h.test/f", ("alice", "p@ss"))
    assert strip_userinfo("https://jeton@h.test/f") == ("https://h.test/f", ("jeton", ""))
    assert strip_userinfo("https://medium.com/@auteur/feed") == ("https://medium.com/@auteur/feed", None)
    assert without_userinfo("http://[cassé:secret@h.test/") == "http://h.test/"  # even when unparsable


# --- the CLI, end to end -------------------------------------------------------------------------------


def test_feeds_add_moves_the_credentials_to_the_keyring(
    httpserver: HTTPServer,
    recorder: Recorder,
    xdg_home: Path,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    clean = httpserver.url_for("/flux")
    code, out, err = run_cli(monkeypatch, capsys, ["feeds", "add", with_userinfo(clean), "--title", "Privé"])
    assert code == 0, err
    paths = Paths.default()
    with Store(paths.database) as store:
        feed = store.feed(clean)
    assert feed is not None
    assert out.strip() == typo(
        f"Abonné à {clean} (n° {feed.id}) ; identifiants gardés dans le trousseau système."
    )
    stored = json.loads(memory_keyring.entries[("gazette-tui", f"feed:{feed.id}#basic")])
    assert stored == {"username": USER, "password": PASSWORD}

    seen = []
    for argv in (["feeds", "list"], ["feeds", "list", "--json"], ["export"]):
        code, out, err = run_cli(monkeypatch, capsys, argv)
        assert code == 0, argv
        assert not leaks(out + err), argv
        seen.append(out)
    assert clean in seen[0]
    assert clean in [row["url"] for row in json.loads(seen[1])]
    assert f'xmlUrl="{clean}"' in seen[2]
    target = xdg_home / "abonnements.opml"
    code, out, err = run_cli(monkeypatch, capsys, ["export", str(target)])
    assert code == 0
    assert not leaks(out + err + target.read_text(encoding="utf-8"))

    # The loopback server gets the credentials, as Basic auth.
    assert refresh_one(paths, clean) == (1, None)
    assert recorder.seen == [basic()]
    # No file of ours holds the password, in any form (the database, its WAL, the config, the export).
    assert files_containing([xdg_home], secret_forms(PASSWORD, USER)) == []

    # Unsubscribing (with the URL as it was typed) forgets them.
    code, out, err = run_cli(monkeypatch, capsys, ["feeds", "remove", with_userinfo(clean)])
    assert code == 0
    assert out.strip() == f"Désabonné de {clean}."
    assert not leaks(out + err)
    assert memory_keyring.entries == {}


def test_credentials_over_plain_http_elsewhere_are_refused(
    xdg_home: Path,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run_cli(
        monkeypatch, capsys, ["feeds", "add", f"http://{USER}:{PASSWORD}@flux.example.org/f"]
    )
    assert code == 1
    assert out == ""
    assert err.strip() == typo(
        "Abonnement non ajouté : http://flux.example.org/f n'est pas en https, le mot de passe écrit dans "
        "l'adresse y partirait en clair (donnez l'adresse en https). Le mot de passe n'est écrit nulle part."
    )
    code, out, _err = run_cli(monkeypatch, capsys, ["feeds", "list"])
    assert code == 0
    assert "flux.example.org" not in out
    assert memory_keyring.entries == {}
    assert files_containing([xdg_home], secret_forms(PASSWORD, USER)) == []


def test_without_a_keyring_the_feed_is_not_added_and_nothing_is_written(
    httpserver: HTTPServer,
    recorder: Recorder,
    xdg_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    clean = httpserver.url_for("/flux")
    with installed(keyring.backends.fail.Keyring()):
        code, out, err = run_cli(monkeypatch, capsys, ["feeds", "add", with_userinfo(clean)])
    assert code == 1
    assert out == ""
    assert "Traceback" not in err
    assert err.strip() == typo(
        f"Abonnement non ajouté : le mot de passe de {clean} ne peut être gardé que dans le trousseau "
        "système, qui n'est pas utilisable ici. Le mot de passe n'est écrit nulle part."
    )
    with Store(Paths.default().database) as store:
        assert store.feed(clean) is None
        store.connection.execute("PRAGMA wal_checkpoint(FULL)")
    assert files_containing([xdg_home], secret_forms(PASSWORD, USER)) == []


def test_opml_import_moves_the_credentials_and_refuses_plain_http(
    httpserver: HTTPServer,
    recorder: Recorder,
    xdg_home: Path,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    clean = httpserver.url_for("/flux")
    opml = tmp_path / "liste.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>'
        f'<outline text="Privé" type="rss" xmlUrl="{with_userinfo(clean)}"/>'
        f'<outline text="En clair" type="rss" xmlUrl="http://{USER}:{PASSWORD}@flux.example.org/f"/>'
        '<outline text="Public" type="rss" xmlUrl="http://public.example.org/feed"/>'
        "</body></opml>",
        encoding="utf-8",
    )
    code, out, err = run_cli(monkeypatch, capsys, ["import", str(opml)])
    assert code == 1  # one feed could not be imported: said, and the exit code says it too
    assert out.strip() == "2 abonnements importés, 0 déjà présent."
    assert err.startswith(typo("Abonnement non ajouté : http://flux.example.org/f n'est pas en https"))
    assert not leaks(out + err)
    with Store(Paths.default().database) as store:
        feed = store.feed(clean)
        assert feed is not None
        assert store.feed("http://flux.example.org/f") is None
    assert ("gazette-tui", f"feed:{feed.id}#basic") in memory_keyring.entries
    code, out, err = run_cli(monkeypatch, capsys, ["export"])
    assert code == 0
    assert f'xmlUrl="{clean}"' in out
    assert not leaks(out + err)
    assert refresh_one(Paths.default(), clean) == (1, None)
    assert recorder.seen == [basic()]
    assert files_containing([xdg_home], secret_forms(PASSWORD, USER)) == []

    # --replace: a feed already there stays as it was when the credentials given for it cannot be kept.
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>'
        f'<outline text="Public" type="rss" xmlUrl="http://{USER}:{PASSWORD}@public.example.org/feed"/>'
        "</body></opml>",
        encoding="utf-8",
    )
    code, out, err = run_cli(monkeypatch, capsys, ["import", str(opml), "--replace"])
    assert code == 1
    assert not leaks(out + err)
    assert out.startswith("0 abonnement importé, 1 déjà présent et conservé, ")  # + the seeds removed
    assert err.startswith(typo("Abonnement à http://public.example.org/feed gardé tel quel : "))
    with Store(Paths.default().database) as store:
        assert [f.url for f in store.feeds()] == ["http://public.example.org/feed"]


# --- the fetcher ---------------------------------------------------------------------------------------


@pytest.fixture
def elsewhere() -> Iterator[HTTPServer]:
    """A second loopback server: another port is another origin."""
    with loopback_http_server() as server:
        yield server


async def test_credentials_never_follow_a_redirect_to_another_origin(
    httpserver: HTTPServer, elsewhere: HTTPServer, settings: Settings
) -> None:
    there = Recorder()
    elsewhere.expect_request("/flux").respond_with_handler(there)
    here = Recorder()
    httpserver.expect_request("/flux").respond_with_handler(here)
    httpserver.expect_request("/ici").respond_with_data("", status=302, headers={"Location": "/flux"})
    httpserver.expect_request("/ailleurs").respond_with_data(
        "", status=302, headers={"Location": with_userinfo(elsewhere.url_for("/flux"), "mallory", "x")}
    )
    origin = ("http", "127.0.0.1", httpserver.port)
    auth = FeedAuth(USER, Secret(PASSWORD), origin)
    async with Fetcher(settings.refresh) as fetcher:
        await fetcher.fetch(httpserver.url_for("/ici"), auth=auth)
        result = await fetcher.fetch(httpserver.url_for("/ailleurs"), auth=auth)
    assert here.seen == [basic()]  # same origin: sent
    assert there.seen == [None]  # another origin: nothing, not even the Location's own userinfo
    assert "mallory" not in result.url


async def test_a_url_from_an_old_database_is_fetched_without_its_userinfo(
    httpserver: HTTPServer, recorder: Recorder, store: Store, settings: Settings
) -> None:
    """0.1.0 stored ``user:pass@`` in the URL. httpx would send it anywhere as Basic; we apply our rule (here:
    loopback, so it is sent) and never print it."""
    legacy = with_userinfo(httpserver.url_for("/flux"))
    store.add_feed(legacy)
    report = await refresh_feeds(store, settings)
    assert report.ok == 1
    assert recorder.seen == [basic()]
    from gazette_tui.core.feeds.opml import write_opml

    assert not leaks(write_opml(store.feeds()))


class LockedKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("locked")


async def test_a_locked_keyring_fails_that_feed_with_a_plain_message(
    httpserver: HTTPServer,
    recorder: Recorder,
    store: Store,
    settings: Settings,
    memory_keyring: MemoryKeyring,
) -> None:
    feed, has = add_feed(store, with_userinfo(httpserver.url_for("/flux")))
    assert has
    locked = LockedKeyring()
    locked.entries = memory_keyring.entries
    with installed(locked):
        report = await refresh_feeds(store, settings)
    assert report.failed == 1
    assert report.errors == [(feed.url, "Mot de passe du flux inaccessible (trousseau système)")]
    assert recorder.seen == []  # not fetched without its credentials


def test_a_reused_feed_id_does_not_inherit_credentials(
    httpserver: HTTPServer, store: Store, memory_keyring: MemoryKeyring
) -> None:
    first, _ = add_feed(store, with_userinfo(httpserver.url_for("/flux")))
    store.remove_feed(first.url)  # as the TUI or import --replace do: the keyring entry may stay behind
    second = store.add_feed("https://autre.example.org/feed")
    assert second.id == first.id  # SQLite reuses the largest rowid
    assert load_auth(store, [(second.id, second.url)]) == {}
    again = store.add_feed(httpserver.url_for("/flux"))  # same origin, re-added without credentials
    assert load_auth(store, [(again.id, again.url)]) == {}
