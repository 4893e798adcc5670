"""The command line speaks the TUI's language, argparse's own words included: ``--lang``, then
``ui.language``, then the locale; ``--help`` is all French or all English (``tests/support/language.py``
judges), and so are its errors and what the commands say. ``repair`` names what it saved in words, not
table names."""

from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path

import pytest
from support.language import other_language

from gazette_tui.cli import main
from gazette_tui.cli.language import choose_language
from gazette_tui.cli.main import build_parser
from gazette_tui.core.paths import Paths

COMMANDS = [
    [],
    ["refresh"],
    ["feeds"],
    ["feeds", "list"],
    ["feeds", "add"],
    ["feeds", "remove"],
    ["import"],
    ["export"],
    ["search"],
    ["show"],
    ["alerts"],
    ["alerts", "add"],
    ["alerts", "remove"],
    ["alerts", "seen"],
    ["dossiers"],
    ["dossiers", "list"],
    ["dossiers", "add"],
    ["dossiers", "export"],
    ["backup"],
    ["repair"],
    ["demo-server"],
    ["login"],
    ["logout"],
    ["accounts"],
]


NAMES = {
    "refresh", "feeds", "list", "add", "remove", "import", "export", "search", "show", "alerts", "seen",
    "dossiers", "backup", "repair", "demo", "demo-server", "login", "logout", "accounts", "md", "html",
    "lagazette", "fr", "en",
}  # fmt: skip
"""Commands, their actions and their choices: code, in no language."""


def no_first_run() -> None:
    """A profile that had its first run: no La Gazette feeds (their French names are the site's)."""
    from gazette_tui.core.storage.store import Store

    paths = Paths.default()
    paths.ensure()
    with Store(paths.database) as store:
        store.set_meta("seeded", "1")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as leaving:  # --help, and argparse's errors
        code = int(leaving.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_help_is_in_one_language(
    xdg_home: Path, capsys: pytest.CaptureFixture[str], language: str
) -> None:
    headings = {"fr": ("utilisation\u00a0:", "options\u00a0:"), "en": ("usage:", "options:")}[language]
    for command in COMMANDS:
        code, out, err = run(capsys, "--lang", language, *command, "--help")
        assert code == 0, (command, err)
        assert out.startswith(headings[0]), out
        assert headings[1] in out
        assert other_language(out, language, NAMES) == [], (command, out)
    code, out, _err = run(capsys, "--lang", language, "--help")
    expected = {"fr": "afficher ce message d’aide et quitter", "en": "show this help message and exit"}
    assert expected[language] in out


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "fr",
            "gazette-tui show\u00a0: erreur\u00a0: argument ID\u00a0: «\u00a0abc\u00a0» n’est pas un nombre "
            "entier",
        ),
        ("en", "gazette-tui show: error: argument ID: “abc” is not a whole number"),
    ],
)
def test_argparse_errors_are_in_the_language(
    xdg_home: Path, capsys: pytest.CaptureFixture[str], language: str, said: str
) -> None:
    code, _out, err = run(capsys, "--lang", language, "show", "abc")
    assert code == 2
    assert said in err
    assert err.startswith(
        {"fr": "utilisation\u00a0: gazette-tui show", "en": "usage: gazette-tui show"}[language]
    )
    code, _out, err = run(capsys, "--lang", language, "feeds", "rename")
    assert code == 2
    assert other_language(err, language, NAMES) == [], err


def test_the_language_follows_the_flag_then_the_setting_then_the_locale(
    xdg_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    for variable in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(variable, raising=False)
    assert choose_language([]) == "en"
    assert choose_language(["--lang", "fr"]) == "fr"
    assert choose_language(["--lang=fr", "search", "x"]) == "fr"
    config = Paths.default().config_file
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[ui]\nlanguage = "fr"\n', encoding="utf-8")
    assert choose_language([]) == "fr"
    assert choose_language(["--lang", "en"]) == "en"
    assert choose_language(["--demo"]) == "en"  # the demo profile has settings of its own
    no_first_run()
    code, _out, err = run(capsys, "search", '"budget')
    assert code == 2
    assert err.startswith("Guillemet non fermé\u00a0:"), err
    code, _out, err = run(capsys, "--lang", "en", "search", '"budget')
    assert err.startswith("Unclosed quote:")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_what_the_commands_say_is_in_one_language(
    xdg_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], language: str
) -> None:
    no_first_run()
    said = []
    for argv in (
        ["feeds", "add", "https://site.test/kilo/feed/", "--title", "Kilo"],
        ["feeds", "add", "zzqx"],
        ["feeds", "list"],
        ["alerts", "add", "Polaris", "alpha"],
        ["alerts"],
        ["alerts", "remove", "Polaris"],
        ["alerts", "remove", "Polaris"],
        ["dossiers", "list"],
        ["dossiers", "export", "Sirius"],
        ["search", "zzqx"],
        ["search", "feed:nulle"],
        ["show", "999"],
        ["export", str(tmp_path / "abonnements.opml")],
        ["import", str(tmp_path / "absent.opml")],
        ["backup", str(tmp_path / "copie.db")],
        ["accounts"],
        ["logout", "demo"],
        ["login", "nulle-part"],
    ):
        code, out, err = run(capsys, "--lang", language, *argv)
        said.append((argv, code, out + err))
    found = {" ".join(argv): other_language(text, language, NAMES) for argv, _code, text in said}
    assert {command: words for command, words in found.items() if words} == {}
    assert [code for _argv, code, _text in said] == [0, 2, 0, 0, 0, 0, 1, 0, 1, 0, 2, 1, 0, 1, 0, 0, 0, 1]


def test_repair_names_what_it_saved_in_words(
    xdg_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not « saved_searches : 1, article_bodies : 3 »: « 1 alerte (recherche enregistrée), 3 textes
    d’articles »."""
    assert main(["feeds", "add", "https://site.test/kilo/feed/"]) == 0
    assert main(["alerts", "add", "Polaris", "alpha"]) == 0
    database = Paths.default().database
    with sqlite3.connect(database) as connection:
        connection.execute(
            "INSERT INTO dossiers (name, description, created, updated) VALUES ('Sirius', '', 1, 1)"
        )
    capsys.readouterr()
    for language, words in (
        ("fr", ["1 alerte (recherche enregistrée)", "1 dossier", "abonnement"]),
        ("en", ["1 alert (saved search)", "1 dossier", "subscription"]),
    ):
        code, out, err = run(capsys, "--lang", language, "repair", "--force")
        assert code == 0, err
        for table in ("saved_searches", "article_bodies", "dossier_items", "feeds", "meta"):
            assert table not in out + err
        assert all(word in out for word in words), out
        assert other_language(out + err, language, NAMES) == [], out + err


def test_the_parser_built_alone_is_in_the_current_language() -> None:
    """``build_parser()`` (tests, docs) says argparse's headings in the current language too."""
    from gazette_tui import i18n

    i18n.set_language("fr")
    text = build_parser().format_help()
    assert text.startswith("utilisation\u00a0:")
    assert "commandes\u00a0:" in text
    assert isinstance(argparse._("usage: "), str)  # type: ignore[attr-defined]  # argparse's own, put back
    assert argparse._("usage: ") == "usage: "  # type: ignore[attr-defined]
