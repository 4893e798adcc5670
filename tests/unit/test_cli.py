"""The headless CLI, in-process against a temporary XDG home and a real loopback server."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from support.feeds import atom, item_xml, rss
from support.french import typo

from gazette_tui.cli import main
from gazette_tui.core.seeds import gazette_feeds


def feeds_json(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    capsys.readouterr()
    assert main(["feeds", "list", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_first_run_seeds_la_gazette(xdg_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    feeds = feeds_json(capsys)
    assert [f["url"] for f in feeds] == [
        url for url, _, _ in sorted(gazette_feeds(), key=lambda f: f[2])
    ] or {f["url"] for f in feeds} == {url for url, _, _ in gazette_feeds()}
    assert "https://www.lagazettedescommunes.com/rubriques/club-finances/feed/" in {f["url"] for f in feeds}
    assert set(feeds[0]) == {
        "id", "url", "title", "rubrique", "articles", "unread", "last_ok", "last_error", "dropped"
    }  # fmt: skip
    config = xdg_home / "config" / "gazette-tui" / "config.toml"
    assert "max_feed_bytes" in config.read_text()


def test_refresh_json_and_exit_codes(
    xdg_home: Path, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    httpserver.expect_request("/rss").respond_with_data(rss(4))
    httpserver.expect_request("/atom").respond_with_data(atom(3))
    opml = tmp_path / "abonnements.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>'
        f'<outline text="Finances"><outline type="rss" text="RSS" xmlUrl="{httpserver.url_for("/rss")}"/>'
        f'<outline type="rss" text="Atom" xmlUrl="{httpserver.url_for("/atom")}"/></outline></body></opml>'
    )
    assert main(["import", str(opml), "--replace"]) == 0
    capsys.readouterr()
    assert main(["refresh", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    fulltext = {"fetched": 0, "failed": 0, "skipped": 0, "login_needed": [], "errors": []}
    assert report == {
        "feeds": 2, "ok": 2, "failed": 0, "skipped": 0, "new": 7, "updated": 0, "pruned": 0, "errors": [],
        "alerts": {}, "fulltext": fulltext, "filters": {"applied": {}, "errors": {}},
        "pages": {"fetched": 0, "copied": 0, "failed": 0, "skipped": 0, "errors": []},
    }  # fmt: skip
    feeds = feeds_json(capsys)
    assert {(f["title"], f["rubrique"], f["articles"]) for f in feeds} == {
        ("RSS", "Finances", 4),
        ("Atom", "Finances", 3),
    }
    httpserver.expect_request("/broken").respond_with_data("nope", status=404)
    assert main(["feeds", "add", httpserver.url_for("/broken"), "--rubrique", "Divers"]) == 0
    capsys.readouterr()
    assert main(["refresh", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["failed"] == 1
    assert report["errors"] == [{"url": httpserver.url_for("/broken"), "error": "HTTP 404"}]
    assert main(["refresh"]) == 1
    captured = capsys.readouterr()
    assert typo("3 flux : 2 à jour, 1 en échec") in captured.out
    assert "HTTP 404" in captured.err


def test_export_import_round_trip(xdg_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "export.opml"
    assert main(["export", str(target)]) == 0
    text = target.read_text()
    assert '<outline text="Clubs" title="Clubs">' in text
    assert "club-rh/feed/" in text
    assert main(["feeds", "remove", "https://www.lagazettedescommunes.com/rubriques/club-rh/feed/"]) == 0
    assert len(feeds_json(capsys)) == len(gazette_feeds()) - 1
    assert main(["import", str(target)]) == 0
    feeds = feeds_json(capsys)
    assert len(feeds) == len(gazette_feeds())
    assert {f["rubrique"] for f in feeds} == {r for _, _, r in gazette_feeds()}
    capsys.readouterr()
    assert main(["export"]) == 0
    assert capsys.readouterr().out.startswith('<?xml version="1.0" encoding="UTF-8"?>')


def test_import_not_opml_changes_nothing(
    xdg_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = feeds_json(capsys)
    bad = tmp_path / "liste.opml"
    bad.write_text("<html><body>Ceci n'est pas une liste</body></html>")
    assert main(["import", str(bad), "--replace"]) == 1
    assert typo("n'est pas un fichier OPML") in capsys.readouterr().err
    assert feeds_json(capsys) == before
    assert main(["import", str(tmp_path / "absent.opml")]) == 1
    assert "lecture impossible" in capsys.readouterr().err


def test_bad_settings_file_names_the_line(xdg_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = xdg_home / "config" / "gazette-tui" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("[refresh]\nconcurrency = 4\ntimeout = [oops\n")
    assert main(["refresh"]) == 2
    message = capsys.readouterr().err
    assert str(config) in message
    assert "ligne 3" in message
    assert "Traceback" not in message
    config.write_text("[refresh]\nconcurrency = 4\n\n[ui]\nlanguage = 3\n")
    assert main(["feeds", "list"]) == 2
    assert "ligne 5" in capsys.readouterr().err


def test_usage_errors_exit_2(xdg_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["refresh", "--nope"])
    assert exit_info.value.code == 2
    assert main(["feeds", "add", "javascript:alert(1)"]) == 2


def test_show_and_search_work_offline(
    xdg_home: Path, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    httpserver.expect_request("/f").respond_with_data(
        rss([item_xml(1, title="Démocratie participative à Villeneuve"), item_xml(2)])
    )
    assert main(["feeds", "add", httpserver.url_for("/f")]) == 0
    assert main(["refresh"]) in (0, 1)  # the seeded La Gazette feeds cannot be reached from here
    httpserver.stop()  # offline from now on
    capsys.readouterr()
    assert main(["search", "democratie", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert [h["title"] for h in hits] == ["Démocratie participative à Villeneuve"]
    assert set(hits[0]) == {"id", "title", "feed", "author", "published", "url", "snippet"}
    assert main(["show", str(hits[0]["id"])]) == 0
    shown = capsys.readouterr().out
    assert "Démocratie participative à Villeneuve" in shown
    assert "Camille Durand" in shown
    assert main(["show", "999999"]) == 1
    assert "Aucun article" in capsys.readouterr().err


def test_backup_is_a_consistent_copy(
    xdg_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "sauvegarde.db"
    assert main(["backup", str(target)]) == 0
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT COUNT(*) FROM feeds").fetchone()[0] == len(gazette_feeds())
    assert main(["backup", str(tmp_path / "absent" / "x.db")]) == 1
    assert "Sauvegarde impossible" in capsys.readouterr().err


def test_alerts_cli(xdg_home: Path, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]) -> None:
    httpserver.expect_request("/f").respond_with_data(rss([item_xml(1, title="Démocratie participative")]))
    assert main(["import", "--replace", str(_opml(xdg_home, httpserver.url_for("/f")))]) == 0
    assert main(["alerts", "add", "Participation", "democratie"]) == 0
    assert main(["alerts", "add", "Cassée", '"guillemet']) == 2  # a query that does not parse: usage
    capsys.readouterr()
    assert main(["refresh", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["alerts"] == {"Participation": 1}
    assert main(["alerts", "--json"]) == 0
    [alert] = json.loads(capsys.readouterr().out)
    assert (alert["name"], alert["new"], alert["error"]) == ("Participation", 1, None)
    assert main(["alerts", "seen"]) == 0
    assert main(["alerts", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["new"] == 0
    assert main(["alerts", "remove", "Participation"]) == 0
    assert main(["alerts", "remove", "Participation"]) == 1


def _opml(home: Path, url: str) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = home / "one.opml"
    path.write_text(
        f'<opml version="2.0"><head/><body><outline type="rss" text="F" xmlUrl="{url}"/></body></opml>'
    )
    return path
