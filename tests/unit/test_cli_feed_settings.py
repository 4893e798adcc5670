"""``gazette-tui feeds set``, ``feeds show`` and ``refresh --due``, in-process, on a real database under a
temporary home, the feeds served by a real loopback server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from support.feeds import item_xml, rss
from support.french import typo
from werkzeug import Request, Response

from gazette_tui.cli import main
from gazette_tui.core.storage.store import Store


@pytest.fixture
def feeds(
    httpserver: HTTPServer, xdg_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[list[str], list[str]]:
    """Three loopback feeds (two in the rubrique « Finances »), subscribed and refreshed once; returns
    their URLs and the list of paths the server was asked for."""
    asked: list[str] = []
    urls = []
    for n, name in enumerate(("budget", "fiscalite", "urbanisme")):

        def handler(request: Request, n: int = n, name: str = name) -> Response:
            asked.append(request.path)
            items = [item_xml(10 * n + i, title=f"{name} n° {i}") for i in range(2)]
            return Response(rss(items, title=name.capitalize()), content_type="application/rss+xml")

        httpserver.expect_request(f"/{name}/feed/").respond_with_handler(handler)
        urls.append(httpserver.url_for(f"/{name}/feed/"))
    listing = tmp_path / "abonnements.opml"
    outlines = (
        f'<outline text="Finances"><outline type="rss" text="" xmlUrl="{urls[0]}"/>'
        f'<outline type="rss" text="" xmlUrl="{urls[1]}"/></outline>'
        f'<outline type="rss" text="" xmlUrl="{urls[2]}"/>'
    )
    listing.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head>'
        f"<body>{outlines}</body></opml>",
        encoding="utf-8",
    )
    assert main(["import", str(listing), "--replace"]) == 0
    assert main(["refresh"]) == 0
    capsys.readouterr()
    asked.clear()
    return urls, asked


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def shown(capsys: pytest.CaptureFixture[str], url: str) -> dict[str, dict[str, object]]:
    code, out, err = run(capsys, "feeds", "show", url, "--json")
    assert code == 0, err
    return json.loads(out)["settings"]  # type: ignore[no-any-return]


def test_set_then_show_says_each_value_and_where_it_comes_from(
    feeds: tuple[list[str], list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    urls, _asked = feeds
    code, out, err = run(capsys, "feeds", "set", "--rubrique", "Finances", "refresh_minutes", "120")
    assert code == 0, err
    assert out == typo("Finances : refresh_minutes = 120 (rubrique « Finances »).\n")
    code, out, err = run(capsys, "feeds", "set", urls[1], "refresh_minutes", "15")
    assert code == 0, err
    assert out == typo(f"{urls[1]} : refresh_minutes = 15 (ce flux).\n")
    assert run(capsys, "feeds", "set", urls[1], "hidden", "oui")[0] == 0
    settings = shown(capsys, urls[1])
    assert settings["refresh_minutes"] == {"value": 15, "source": "feed"}
    assert settings["hidden"] == {"value": True, "source": "feed"}
    assert settings["retention_days"] == {"value": None, "source": "default"}
    assert shown(capsys, urls[0])["refresh_minutes"] == {"value": 120, "source": "rubrique"}
    code, out, err = run(capsys, "feeds", "show", urls[1])
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == f"Fiscalite — {urls[1]}"
    assert lines[1:] == [
        "  fulltext         off  (par défaut)",
        "  retention_days   365 jours (réglage global [retention] days)  (par défaut)",
        "  refresh_minutes  15  (ce flux)",
        "  hidden           on  (ce flux)",
        "  user_agent       celui de l’application  (par défaut)",
    ]


def test_default_gives_back_the_inherited_value(
    feeds: tuple[list[str], list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    urls, _asked = feeds
    run(capsys, "feeds", "set", "--rubrique", "Finances", "fulltext", "on")
    run(capsys, "feeds", "set", urls[0], "fulltext", "off")
    assert shown(capsys, urls[0])["fulltext"] == {"value": False, "source": "feed"}
    code, out, _err = run(capsys, "--lang", "en", "feeds", "set", urls[0], "fulltext", "default")
    assert code == 0
    assert out == f"{urls[0]}: fulltext = on (rubrique “Finances”).\n"
    assert shown(capsys, urls[0])["fulltext"] == {"value": True, "source": "rubrique"}


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (
            ["refresh_minutes", "2"],
            "« refresh_minutes » ne peut pas valoir « 2 » : de 5 à 10 080 minutes, ou default.",
        ),
        (
            ["hidden", "peut-être"],
            "« hidden » ne peut pas valoir « peut-être » : on/off (ou yes/no, true/false, oui/non), "
            "ou default.",
        ),
        (
            ["couleur", "rouge"],
            "Réglage inconnu : « couleur » (réglages : fulltext, retention_days, refresh_minutes, hidden, "
            "user_agent).",
        ),
    ],
)
def test_a_bad_setting_is_one_sentence(
    feeds: tuple[list[str], list[str]], capsys: pytest.CaptureFixture[str], argv: list[str], said: str
) -> None:
    urls, _asked = feeds
    code, out, err = run(capsys, "feeds", "set", urls[0], *argv)
    assert code == 2  # a refused value: a usage error
    assert out == ""
    assert err.strip().replace("\u202f", " ").replace("\u00a0", " ") == said
    assert "Traceback" not in err


def test_a_bad_setting_in_english(
    feeds: tuple[list[str], list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    urls, _asked = feeds
    code, _out, err = run(capsys, "--lang", "en", "feeds", "set", urls[0], "retention_days", "99999")
    assert code == 2
    assert err.strip() == (
        "“retention_days” cannot be “99999”: 0 for no age limit, or 1 to 3,650 days, or default."
    )


def test_unknown_feed_rubrique_and_both_targets_are_refused(
    feeds: tuple[list[str], list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    urls, _asked = feeds
    code, _out, err = run(capsys, "feeds", "set", "https://example.org/inconnu/", "hidden", "on")
    assert code == 1
    assert err.strip() == "Aucun abonnement à https://example.org/inconnu/."
    code, _out, err = run(capsys, "feeds", "set", "--rubrique", "Financse", "hidden", "on")
    assert code == 2
    assert err.strip() == typo("Aucun flux n'est dans la rubrique « Financse ».")
    code, _out, err = run(capsys, "feeds", "show", urls[0], "--rubrique", "Finances")
    assert code == 2
    assert "pas les deux" in err
    code, _out, err = run(capsys, "feeds", "show")
    assert code == 2


def test_refresh_due_fetches_only_the_due_feeds(
    feeds: tuple[list[str], list[str]], xdg_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    urls, asked = feeds
    run(capsys, "feeds", "set", "--rubrique", "Finances", "refresh_minutes", "60")
    run(capsys, "feeds", "set", urls[1], "refresh_minutes", "10")
    database = next(xdg_home.rglob("gazette.db"))
    with Store(database) as store, store.writing() as c:
        c.execute("UPDATE feeds SET last_fetched = last_fetched - 15 * 60")  # a quarter of an hour ago
    # urls[0]: 60 min, not due; urls[1]: 10 min, due; urls[2]: no interval, and no global one: due.
    code, out, err = run(capsys, "refresh", "--due")
    assert code == 0, err
    assert sorted(asked) == ["/fiscalite/feed/", "/urbanisme/feed/"]
    assert out.startswith("2 flux")
    asked.clear()
    code, out, _err = run(capsys, "refresh", "--due", "--json")
    assert code == 0
    assert asked == ["/urbanisme/feed/"]
    assert json.loads(out)["feeds"] == 1
    asked.clear()
    run(capsys, "feeds", "set", urls[2], "refresh_minutes", "30")
    code, out, _err = run(capsys, "refresh", "--due")
    assert (code, asked) == (0, [])
    assert out == typo("Aucun flux n'est à rafraîchir.\n")
    code, out, _err = run(capsys, "refresh", "--due", "--json")
    assert json.loads(out)["feeds"] == 0
    code, out, _err = run(capsys, "refresh")  # without --due: every feed, as before
    assert code == 0
    assert sorted(asked) == ["/budget/feed/", "/fiscalite/feed/", "/urbanisme/feed/"]


def test_hidden_is_kept_out_of_the_counts_and_found_by_search(
    feeds: tuple[list[str], list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    urls, _asked = feeds
    run(capsys, "feeds", "set", urls[2], "hidden", "on")
    code, out, _err = run(capsys, "search", "urbanisme", "--json")
    assert code == 0
    assert len(json.loads(out)) == 2
