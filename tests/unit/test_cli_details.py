"""The CLI's first steps and details, in-process against a temporary XDG home and real loopback servers:
the first-run note, ``import`` from a URL and from standard input, ``show`` with the article's address, a
malformed query as a usage error, ``feeds list`` as the tree shows it, settings values that are reported,
and ``login demo`` finding the demo site by itself."""

from __future__ import annotations

import io
import json
import socket
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from support.feeds import item_xml, rss

from gazette_tui.cli import main
from gazette_tui.core.search.query import parse
from gazette_tui.core.seeds import gazette_feeds
from gazette_tui.core.storage.store import Store
from gazette_tui.demo import DemoServer, discovery
from gazette_tui.errors import QueryError
from gazette_tui.models import FeedRow
from gazette_tui.ui.lists import build_targets

ENGLISH = ["--lang", "en"]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def opml(*feeds: tuple[str, str, str]) -> str:
    outlines = "".join(
        f'<outline text="{folder}"><outline type="rss" text="{title}" xmlUrl="{url}"/></outline>'
        for url, title, folder in feeds
    )
    head = '<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head>'
    return f"{head}<body>{outlines}</body></opml>"


def database(home: Path) -> Path:
    return home / "data" / "gazette-tui" / "gazette.db"


def test_the_first_command_says_once_what_it_subscribed_to(
    xdg_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*ENGLISH, "feeds", "list", "--json"]) == 0
    first = capsys.readouterr()
    count = len(gazette_feeds())
    assert f"First run: subscribed to {count} feeds of La Gazette des communes" in first.err
    assert len(json.loads(first.out)) == count  # stdout stays clean JSON
    assert main([*ENGLISH, "feeds", "list", "--json"]) == 0
    assert "First run" not in capsys.readouterr().err  # once only
    # The demo profile subscribes to the demo's feeds, never to La Gazette's: nothing to say there.
    assert main([*ENGLISH, "--demo", "alerts"]) == 0
    assert "First run" not in capsys.readouterr().err


def test_the_first_run_note_in_french(xdg_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "fr", "alerts"]) == 0
    note = capsys.readouterr().err
    assert f"Premier lancement\u00a0: abonnement à {len(gazette_feeds())} flux de La Gazette" in note


def test_import_from_a_url_and_from_standard_input(
    xdg_home: Path,
    httpserver: HTTPServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = (httpserver.url_for("/rss/a"), "Flux A", "Finances")
    second = (httpserver.url_for("/rss/b"), "Flux B", "Urbanisme")
    httpserver.expect_request("/liste.opml").respond_with_data(opml(first), content_type="text/x-opml")
    # A URL is fetched (the app's client follows the redirect), never taken for a file name.
    httpserver.expect_request("/ancienne-liste").respond_with_data(
        "", status=301, headers={"Location": httpserver.url_for("/liste.opml")}
    )
    assert main([*ENGLISH, "import", httpserver.url_for("/ancienne-liste")]) == 0
    capsys.readouterr()
    assert main([*ENGLISH, "feeds", "list", "--json"]) == 0
    listed = {(f["url"], f["title"], f["rubrique"]) for f in json.loads(capsys.readouterr().out)}
    assert first in listed
    # "-" reads the list from standard input.
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(opml(second).encode("utf-8"))))
    assert main([*ENGLISH, "import", "-", "--replace"]) == 0
    capsys.readouterr()
    assert main([*ENGLISH, "feeds", "list", "--json"]) == 0
    assert [(f["url"], f["title"], f["rubrique"]) for f in json.loads(capsys.readouterr().out)] == [second]


def test_import_from_a_url_that_fails_says_which_and_changes_nothing(
    xdg_home: Path, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*ENGLISH, "feeds", "list", "--json"]) == 0
    before = capsys.readouterr().out
    dead = f"http://127.0.0.1:{closed_port()}/feeds.opml"
    assert main([*ENGLISH, "import", dead, "--replace"]) == 1
    assert f"Could not download {dead}: " in capsys.readouterr().err
    httpserver.expect_request("/page").respond_with_data("<html><body>Bonjour</body></html>")
    assert main([*ENGLISH, "import", httpserver.url_for("/page"), "--replace"]) == 1
    assert "is not an OPML file" in capsys.readouterr().err
    assert main([*ENGLISH, "import", "http://exa mple.org/x.opml"]) == 2  # not a URL: a usage error
    assert "Invalid address" in capsys.readouterr().err
    assert main([*ENGLISH, "feeds", "list", "--json"]) == 0
    assert capsys.readouterr().out == before


def test_show_prints_the_article_address(
    xdg_home: Path, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    httpserver.expect_request("/f").respond_with_data(rss([item_xml(1, title="Budget primitif adopté")]))
    assert main([*ENGLISH, "feeds", "add", httpserver.url_for("/f")]) == 0
    assert main([*ENGLISH, "refresh"]) in (0, 1)  # La Gazette's own feeds cannot be reached from here
    capsys.readouterr()
    assert main([*ENGLISH, "search", "budget", "--json"]) == 0
    hit = json.loads(capsys.readouterr().out)[0]
    assert hit["url"].startswith("http")
    assert main([*ENGLISH, "show", str(hit["id"])]) == 0
    assert f"Address: {hit['url']}" in capsys.readouterr().out.splitlines()
    assert main(["--lang", "fr", "show", str(hit["id"])]) == 0
    assert f"Adresse\u00a0: {hit['url']}" in capsys.readouterr().out.splitlines()


@pytest.mark.parametrize(
    "query", ['"budget primitif', "budget date:2024-13-01", "budget nimporte:quoi", "(budget"]
)
def test_a_malformed_query_is_a_usage_error(
    xdg_home: Path, capsys: pytest.CaptureFixture[str], query: str
) -> None:
    with pytest.raises(QueryError) as parsed:
        parse(query)
    column = parsed.value.position
    assert main([*ENGLISH, "alerts"]) == 0  # past the first run's note
    capsys.readouterr()
    assert main([*ENGLISH, "search", query]) == 2
    said = capsys.readouterr().err.splitlines()
    assert said[0] == str(parsed.value)
    assert said[1] == f"  {query}"  # the query, and a caret under what is wrong
    assert said[2] == "  " + " " * column + "^"
    assert main([*ENGLISH, "alerts", "add", "veille", query]) == 2  # the same query, saved: refused alike
    assert main([*ENGLISH, "alerts", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_feeds_list_labels_its_columns_and_follows_the_tree(
    xdg_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*ENGLISH, "feeds", "add", "https://flux.example.org/sans-rubrique"]) == 0
    assert main([*ENGLISH, "feeds", "add", "https://flux.example.org/b", "--rubrique", "Budget"]) == 0
    capsys.readouterr()
    assert main([*ENGLISH, "feeds", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["ID", "unread/articles", "Feed", "Address"]
    with Store(database(xdg_home)) as store:
        feeds: list[FeedRow] = store.feeds()
    # The rubriques and feeds in the order of the tree, the rubrique-less feeds last, as the tree has them.
    expected: list[str] = []
    for top, children in build_targets(feeds, {}):
        if top.kind == "rubrique":
            expected.append(top.title)
            expected += [f"feed:{child.feed.id}" for child in children if child.feed is not None]
        elif top.kind == "feed" and top.feed is not None:
            expected.append(f"feed:{top.feed.id}")
    shown: list[str] = []
    for line in lines[1:]:
        if line.startswith(" "):
            shown.append(f"feed:{int(line.split()[0])}")
        elif line != "(no rubrique)":
            shown.append(line)
    assert shown == expected
    assert lines[-2] == "(no rubrique)"
    assert lines[-1].split()[-1] == "https://flux.example.org/sans-rubrique"


def test_a_language_the_app_does_not_speak_is_reported(
    xdg_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = xdg_home / "config" / "gazette-tui" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('[refresh]\ntimeout = 5.0\n\n[ui]\nlanguage = "de"\n', encoding="utf-8")
    assert main([*ENGLISH, "alerts"]) == 2
    said = capsys.readouterr().err
    assert str(config) in said
    assert "line 5" in said
    assert "“ui.language” = “de”" in said
    assert "“fr”, “en”" in said  # what is valid
    config.write_text('[ui]\nlanguage = "fr_FR"\n', encoding="utf-8")  # a region is fine
    assert main([*ENGLISH, "alerts"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("GAZETTE_TUI_UI_LANGUAGE", "klingon")
    assert main([*ENGLISH, "alerts"]) == 2
    assert "GAZETTE_TUI_UI_LANGUAGE" in capsys.readouterr().err


def test_login_demo_finds_the_running_demo_site(
    xdg_home: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    memory_keyring: object,
) -> None:
    from support.accounts import TEST_EMAIL, TEST_PASSWORD

    from gazette_tui.cli.context import demo_runtime_file

    # The fixed port may be someone else's demo on this machine: aim the last resort at a closed port.
    monkeypatch.setattr(discovery, "DEMO_URL", f"http://127.0.0.1:{closed_port()}")
    args = [*ENGLISH, "login", "demo", "--username", TEST_EMAIL, "--password-stdin"]
    monkeypatch.setattr("sys.stdin", io.StringIO(TEST_PASSWORD + "\n"))
    assert main(args) == 1
    said = capsys.readouterr().err
    assert "No demo site answers at http://127.0.0.1:28080/, http://127.0.0.1:" in said
    assert "gazette-tui demo-server" in said
    with DemoServer() as demo:
        demo.accounts[TEST_EMAIL] = TEST_PASSWORD
        discovery.write_runtime_file(demo_runtime_file(), demo.url + "/")  # as a running demo-server does
        monkeypatch.setattr("sys.stdin", io.StringIO(TEST_PASSWORD + "\n"))
        assert main(args) == 0
        assert capsys.readouterr().out
        assert any(r.path == "/svc.php/user/index" and r.method == "POST" for r in demo.requests)
        assert main([*ENGLISH, "accounts", "--json"]) == 0
        demo_account = next(a for a in json.loads(capsys.readouterr().out) if a["name"] == "demo")
        assert demo_account["site"] == demo.url + "/"
        assert demo_account["logged_in"]


def test_login_to_a_site_that_is_not_running_says_what_was_tried(
    xdg_home: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    memory_keyring: object,
) -> None:
    from support.accounts import TEST_EMAIL, TEST_PASSWORD

    dead = f"http://127.0.0.1:{closed_port()}/"
    monkeypatch.setattr("sys.stdin", io.StringIO(TEST_PASSWORD + "\n"))
    args = [*ENGLISH, "login", "demo", "--url", dead, "--username", TEST_EMAIL, "--password-stdin"]
    assert main(args) == 1
    said = capsys.readouterr().err
    assert f"Nothing answers at {dead}svc.php/user/index (connection refused)" in said
    assert "network is down" not in said
