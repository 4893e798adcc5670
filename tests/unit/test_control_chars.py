"""Control characters are stripped from everything we store or print: alerte queries and names, feed titles
and rubriques given on the command line, dossier names (refused), ETags. Through the real console entry
point in a subprocess (what a terminal would receive), and at the store level."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from support.env import xdg_env
from support.french import typo
from test_state_kept import OSC52, v3_database

from gazette_tui.core.search import alerts
from gazette_tui.core.storage.store import Store
from gazette_tui.models import ParsedFeed

CSI = "\x9b"  # the one-byte C1 form of ESC [
HOSTILE_TITLE = "Budget\x1b]0;titre volé\x07 \x1b[2J\x9b31m"


def inert(text: str) -> bool:
    """No C0 control but newline and tab, no DEL, no C1: a terminal can only print it."""
    return not any((ord(ch) < 0x20 and ch not in "\n\t") or 0x7F <= ord(ch) <= 0x9F for ch in text)


def database(home: Path) -> Path:
    return home / "data" / "gazette-tui" / "gazette.db"


def cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gazette_tui", *args],
        env=xdg_env(home),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A home whose database has one feed and one article about the budget, and no La Gazette seeds."""
    home = tmp_path / "home"
    database(home).parent.mkdir(parents=True)
    from gazette_tui.core.feeds.parse import build_entry

    with Store(database(home)) as store:
        store.set_meta("seeded", "0")
        feed = store.add_feed("https://exemple.test/feed/", "Finances")
        entry = build_entry(
            guid="a",
            link="https://exemple.test/a",
            title="Le budget primitif",
            author="",
            published=1_800_000_000,
            updated=None,
            categories=[],
            summary="<p>Le budget.</p>",
            content="",
        )
        store.record_success(feed.id, ParsedFeed("rss", "Finances", "", [entry]))
    return home


def test_an_alerte_holding_osc_52_prints_inert(home: Path) -> None:
    """0.1.0 stored the query raw and ``gazette-tui alerts`` printed it: an OSC 52 sequence in it set the
    terminal's clipboard (``\\x1b]52;c;<base64>\\x07``), a CSI one could clear the screen or fake output."""
    added = cli(home, "alerts", "add", "Budget\x1b[31m\x9b2J", f"budget {OSC52}{CSI}0m")
    assert added.returncode == 0, added.stderr
    assert inert(added.stdout)
    assert inert(added.stderr)
    assert typo("Alerte « Budget[31m›2J » enregistrée") in added.stdout
    listed = cli(home, "alerts")
    assert listed.returncode == 0
    assert inert(listed.stdout)
    assert inert(listed.stderr)
    assert "]52;c;Y3VybCBldmlsLnRlc3Q=" in listed.stdout  # what is left is plain text
    as_json = cli(home, "alerts", "--json")
    assert inert(as_json.stdout)
    [row] = json.loads(as_json.stdout)
    assert inert(row["name"])
    assert inert(row["query"])
    assert row["new"] == 0
    removed = cli(home, "alerts", "remove", "Budget\x1b[31m\x9b2J")
    assert removed.returncode == 0, removed.stderr
    assert inert(removed.stdout), removed.stderr
    with sqlite3.connect(database(home)) as c:
        assert c.execute("SELECT COUNT(*) FROM saved_searches").fetchone()[0] == 0


def test_an_old_database_holding_osc_52_prints_inert(tmp_path: Path) -> None:
    """A query 0.1.0 stored raw: the v4 migration cleans it, and ``alerts`` cleans what it prints anyway."""
    home = tmp_path / "home"
    database(home).parent.mkdir(parents=True)
    v3_database(database(home))
    listed = cli(home, "alerts")
    assert listed.returncode == 0, listed.stderr
    assert inert(listed.stdout)
    assert "Corps" in listed.stdout
    assert "]52;c;" in listed.stdout
    feeds = cli(home, "feeds", "list")
    assert inert(feeds.stdout)
    assert "Titre[2J" in feeds.stdout


def test_feed_titles_and_rubriques_from_the_command_line_are_cleaned(home: Path) -> None:
    added = cli(
        home,
        "feeds",
        "add",
        "https://exemple.test/autre/",
        "--title",
        HOSTILE_TITLE,
        "--rubrique",
        "Rub\x1b[8m",
    )
    assert added.returncode == 0, added.stderr
    for args in (["feeds", "list"], ["feeds", "list", "--json"], ["export"]):
        shown = cli(home, *args)
        assert shown.returncode == 0, (args, shown.stdout)
        assert inert(shown.stdout), (args, shown.stdout)
    listed = json.loads(cli(home, "feeds", "list", "--json").stdout)
    assert {(f["title"], f["rubrique"]) for f in listed} >= {("Budget]0;titre volé [2J›31m", "Rub[8m")}


def test_a_dossier_name_with_a_control_character_is_refused(home: Path) -> None:
    refused = cli(home, "dossiers", "add", "Budget\x1b[2J", "1")
    assert refused.returncode == 1
    assert inert(refused.stdout)
    assert inert(refused.stderr)
    assert "caractères de contrôle" in refused.stderr
    assert "n'a" not in refused.stdout
    assert cli(home, "dossiers", "list").stdout == ""


# --- at the store level -----------------------------------------------------------------------------------


def test_store_boundary_cleans_names_queries_and_validators(store: Store) -> None:
    feed = store.add_feed("https://exemple.test/f", HOSTILE_TITLE, "Rub\x07rique")
    assert (feed.title, feed.rubrique) == ("Budget]0;titre volé [2J›31m", "Rubrique")
    assert store.add_feeds([("https://exemple.test/g", "G\x1b", "\x00R")]) == 1
    assert {(f.title, f.rubrique) for f in store.feeds()} == {
        ("Budget]0;titre volé [2J›31m", "Rubrique"),
        ("G", "R"),
    }
    store.record_success(
        feed.id, ParsedFeed("rss", "F", "", []), etag='"\x1b]52;c;eA==\x07"', last_modified="x\x9b"
    )
    with store.reading() as c:
        assert c.execute("SELECT etag, last_modified FROM feeds WHERE id = ?", (feed.id,)).fetchone() == (
            None,
            None,
        )
    store.record_success(
        feed.id, ParsedFeed("rss", "F", "", []), etag='W/"v1"', last_modified="Fri, 20 Nov 2026 08:00:00 GMT"
    )
    with store.reading() as c:
        assert c.execute("SELECT etag, last_modified FROM feeds WHERE id = ?", (feed.id,)).fetchone() == (
            'W/"v1"', "Fri, 20 Nov 2026 08:00:00 GMT"
        )  # fmt: skip

    alert = alerts.save_alert(store, "Veille\x1b[2J", f"titre {OSC52}")
    assert (alert.name, alert.query) == ("Veille[2J", "titre ]52;c;Y3VybCBldmlsLnRlc3Q=")
    alerts.rename_alert(store, "Veille[2J", "Veille\x9b\x07 budgets")
    [saved] = alerts.list_alerts(store)
    assert (saved.name, saved.query) == ("Veille› budgets", "titre ]52;c;Y3VybCBldmlsLnRlc3Q=")
    with store.reading() as c:
        for row in c.execute(
            "SELECT name, query FROM saved_searches UNION ALL SELECT title, rubrique FROM feeds"
        ):
            assert all(inert(value) for value in row), row
