"""``gazette-tui feeds add`` with a site's address: discovery on the command line, in-process, against the
loopback town site of ``support/sites.py``."""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from support.servers import loopback_http_server
from support.sites import (
    AGENDA_TITLE,
    MINUTES_TITLE,
    NEWS_TITLE,
    RSS_TYPE,
    Mairie,
    alternate,
    html,
    page,
    serve_mairie,
)

from gazette_tui.cli import main


@pytest.fixture
def mairie(httpserver: HTTPServer, xdg_home: Path) -> Mairie:
    return serve_mairie(httpserver)


def subscribed(capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    """URL → title of every subscription (the first run's La Gazette feeds included)."""
    capsys.readouterr()
    assert main(["feeds", "list", "--json"]) == 0
    return {row["url"]: row["title"] for row in json.loads(capsys.readouterr().out)}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_site_with_one_feed_is_subscribed_to_it(mairie: Mairie, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "feeds", "add", mairie.url("/agenda/"), "--rubrique", "Commune")
    assert code == 0, err
    feed = mairie.url("/agenda/feed.json")
    lines = out.splitlines()
    assert lines[0] == f"Flux trouvé sur {mairie.url('/agenda/')}\u00a0: {AGENDA_TITLE} ({feed})"
    assert lines[1].startswith(f"Abonné à {feed} (n°")
    assert subscribed(capsys)[feed] == AGENDA_TITLE
    assert mairie.url("/agenda/") not in subscribed(capsys)


def test_a_feed_address_is_subscribed_as_before(mairie: Mairie, capsys: pytest.CaptureFixture[str]) -> None:
    feed = mairie.url("/deliberations/atom.xml")
    code, out, err = run(capsys, "feeds", "add", feed)
    assert code == 0, err
    assert out.startswith(f"Abonné à {feed} (n°")
    assert "trouvé" not in out
    assert subscribed(capsys)[feed] == MINUTES_TITLE


def test_several_feeds_are_listed_and_none_is_taken_without_a_choice(
    mairie: Mairie, capsys: pytest.CaptureFixture[str]
) -> None:
    before = subscribed(capsys)
    code, out, err = run(capsys, "feeds", "add", mairie.url("/"))
    assert code == 2
    assert out.splitlines() == [
        f"Flux trouvés sur {mairie.url('/')}\u00a0:",
        f"  1. {NEWS_TITLE}",
        f"     {mairie.url('/actualites/feed/')}",
        "     RSS · 4 articles · dernier le 20/11/2026",
        f"  2. {MINUTES_TITLE}",
        f"     {mairie.url('/deliberations/atom.xml')}",
        "     Atom · 2 articles · dernier le 18/11/2026",
        f"  3. {AGENDA_TITLE}",
        f"     {mairie.url('/agenda/feed.json')}",
        "     JSON Feed · 3 articles · dernier le 22/11/2026",
    ]
    assert err.strip() == (
        f"Choisissez-en un avec --pick N (par exemple gazette-tui feeds add {mairie.url('/')} --pick 1)."
    )
    assert subscribed(capsys) == before

    code, out, err = run(capsys, "feeds", "add", mairie.url("/"), "--pick", "4")
    assert code == 2
    assert err.strip() == "--pick 4\u00a0: choisissez un numéro de 1 à 3."
    assert subscribed(capsys) == before

    code, out, err = run(capsys, "feeds", "add", mairie.url("/"), "--pick", "2", "--title", "Le conseil")
    assert code == 0, err
    assert subscribed(capsys)[mairie.url("/deliberations/atom.xml")] == "Le conseil"


def test_in_english_too(mairie: Mairie, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--lang", "en", "feeds", "add", mairie.url("/"))
    assert code == 2
    assert out.splitlines()[0] == f"Feeds found at {mairie.url('/')}:"
    assert "     RSS · 4 items · latest on 11/20/2026" in out.splitlines()
    assert "--pick N" in err


@pytest.fixture
def terminal_stdin(monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """Standard input on a real pseudo-terminal; yields the side to type on."""
    typing_side, tty_side = os.openpty()
    stdin = io.TextIOWrapper(io.FileIO(tty_side, "r", closefd=True), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    try:
        yield typing_side
    finally:
        stdin.close()
        os.close(typing_side)


def test_on_a_terminal_the_user_is_asked(
    mairie: Mairie, capsys: pytest.CaptureFixture[str], terminal_stdin: int
) -> None:
    os.write(terminal_stdin, b"7\n3\n")  # out of range first: asked again
    code, out, err = run(capsys, "feeds", "add", mairie.url("/"))
    assert code == 0, err
    question = "Flux auquel s’abonner (1 à 3\u00a0; Entrée pour annuler)\u00a0: "
    assert out.count(question) == 2
    assert f"Flux trouvé sur {mairie.url('/')}\u00a0: {AGENDA_TITLE}" in out
    assert subscribed(capsys)[mairie.url("/agenda/feed.json")] == AGENDA_TITLE


def test_on_a_terminal_an_empty_answer_cancels(
    mairie: Mairie, capsys: pytest.CaptureFixture[str], terminal_stdin: int
) -> None:
    before = subscribed(capsys)
    os.write(terminal_stdin, b"\n")
    code, out, err = run(capsys, "feeds", "add", mairie.url("/"))
    assert code == 1
    assert out.endswith(
        "  3. Agenda de la commune\n" + f"     {mairie.url('/agenda/feed.json')}\n"
        "     JSON Feed · 3 articles · dernier le 22/11/2026\n"
        "Flux auquel s’abonner (1 à 3\u00a0; Entrée pour annuler)\u00a0: "
    )
    assert err.strip() == "Aucun abonnement ajouté."
    assert subscribed(capsys) == before


def test_a_site_without_a_feed_is_not_subscribed(mairie: Mairie, capsys: pytest.CaptureFixture[str]) -> None:
    before = subscribed(capsys)
    code, out, err = run(capsys, "feeds", "add", mairie.url("/demarches/"))
    assert code == 1
    assert out == ""
    assert err.startswith(
        f"Aucun flux trouvé à {mairie.url('/demarches/')}\u00a0: la page n’en indique aucun"
    )
    assert subscribed(capsys) == before


def test_a_site_whose_feed_is_broken_says_why(
    httpserver: HTTPServer, xdg_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    links = alternate(RSS_TYPE, "/ancien.rss") + alternate(RSS_TYPE, "/vide.rss")
    html(httpserver, "/", page("Accueil", links))
    httpserver.expect_request("/ancien.rss").respond_with_data("Introuvable", status=404)
    httpserver.expect_request("/vide.rss").respond_with_data("", content_type=RSS_TYPE)
    code, _out, err = run(capsys, "feeds", "add", httpserver.url_for("/"))
    assert code == 1
    assert err.splitlines() == [
        f"{httpserver.url_for('/')} indique 2 flux, dont aucun ne peut être lu\u00a0; le premier\u00a0: "
        f"{httpserver.url_for('/ancien.rss')} (HTTP 404).",
        f"  inutilisable\u00a0: {httpserver.url_for('/vide.rss')} (Réponse vide)",
    ]


def test_an_address_out_of_reach_is_subscribed_as_given(
    xdg_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    subscribed(capsys)  # the first run's note is said here, not below
    with loopback_http_server() as server:
        url = server.url_for("/flux.xml")
    code, out, err = run(capsys, "feeds", "add", url)  # connection refused: offline, or the site is down
    assert code == 0
    assert out.startswith(f"Abonné à {url} (n°")
    assert err.splitlines() == [
        f"Impossible de lire {url}\u00a0: Connexion impossible.",
        "Abonnement à l’adresse telle quelle\u00a0: la prochaine mise à jour dira si c’est un flux.",
    ]
    assert url in subscribed(capsys)


def test_offline_nothing_is_fetched(mairie: Mairie, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "--offline", "feeds", "add", mairie.url("/"))
    assert code == 0, err
    assert mairie.requested() == []
    assert mairie.url("/") in subscribed(capsys)
