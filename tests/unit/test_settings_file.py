"""config.toml: the file of first run is generated from the settings' fields and docstrings (so it cannot
drift from the code), GAZETTE_TUI_<SECTION>_<KEY> overrides it with the same checks, and save_setting edits
it in place with tomlkit, keeping every other byte the user wrote."""

from __future__ import annotations

import stat
import time
import tomllib
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
from support.french import typo

from gazette_tui.cli import main
from gazette_tui.core.settings import (
    RANGES,
    Settings,
    default_config,
    field_docs,
    load_settings,
    save_setting,
    write_default_config,
)
from gazette_tui.errors import ConfigError
from gazette_tui.i18n import language, translate


def sections() -> list[tuple[str, Any]]:
    defaults = Settings()
    return [(outer.name, getattr(defaults, outer.name)) for outer in fields(Settings)]


# -- the generated default file ---------------------------------------------------------------------


def test_the_generated_file_parses_back_to_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    write_default_config(path)
    assert path.read_text(encoding="utf-8") == default_config()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_settings(path, environ={}) == Settings()
    parsed = tomllib.loads(default_config())
    assert set(parsed) == {name for name, _section in sections()}
    for name, section in sections():
        assert parsed[name] == {f.name: getattr(section, f.name) for f in fields(section)}


def _plain(doc: str) -> str:
    return " ".join(doc.replace("``", "").split())


def _comment_block(lines: list[str]) -> str:
    """The leading ``#`` lines of ``lines``, as one sentence."""
    block: list[str] = []
    for line in lines:
        if not line.startswith("#"):
            break
        block.append(line.removeprefix("# "))
    return " ".join(block)


def _block_above(lines: list[str], at: int) -> list[str]:
    """The ``#`` lines right above ``lines[at]``."""
    start = at
    while start > 0 and lines[start - 1].startswith("#"):
        start -= 1
    return lines[start:at]


def _translated_docs(language: str) -> dict[str, dict[str, str]]:
    return {
        name: {key: translate(_plain(doc), language) for key, doc in found.items()}
        for name, found in field_docs().items()
    }


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_field_appears_under_its_docstring(language: str) -> None:
    """Each key comes right after its docstring, as comment lines (a table's docstring right after its
    header); a section's own docstring follows its header; the file starts with the Settings docstring.
    In French, each comment is the catalogue's translation of that docstring."""
    lines = default_config(language).splitlines()
    docs = _translated_docs(language)
    assert _comment_block(lines) == _plain(docs["Settings"][""])
    seen = 0
    for name, section in sections():
        section_docs = docs[type(section).__name__]
        header = lines.index(f"[{name}]")
        if "" in section_docs:
            assert _comment_block(lines[header + 1 :]) == _plain(section_docs[""]), name
        for f in fields(section):
            if isinstance(getattr(section, f.name), dict):
                at = lines.index(f"[{name}.{f.name}]")
                comment = _comment_block(lines[at + 1 :])
            else:
                at = next(i for i, line in enumerate(lines) if i > header and line.startswith(f"{f.name} = "))
                comment = _comment_block(_block_above(lines, at))
            assert comment == _plain(section_docs[f.name]), f"{name}.{f.name}"
            seen += 1
    assert seen == sum(len(fields(section)) for _name, section in sections()) >= 15
    assert all(len(line) <= 110 for line in lines)


def test_every_comment_has_a_french_translation_and_the_french_file_reads_the_same() -> None:
    """The catalogue holds every docstring of the file (a new setting without its French comment fails
    here), and the French file is the same settings: only the comments differ."""
    docs = field_docs()
    missing = [
        f"{name}.{key or '(section)'}"
        for name, found in docs.items()
        if name != "_Range"
        for key, doc in found.items()
        if translate(_plain(doc), "fr") == _plain(doc)
    ]
    assert missing == []
    assert tomllib.loads(default_config("fr")) == tomllib.loads(default_config("en"))
    comments = [line for line in default_config("fr").splitlines() if line.startswith("#")]
    assert comments
    assert not any(english in " ".join(comments) for english in (" the ", " every ", " feed ", " when "))


@pytest.mark.parametrize(
    ("flag", "first_line"), [("fr", "# Réglages de gazette-tui."), ("en", "# gazette-tui settings.")]
)
def test_the_first_run_writes_its_comments_in_the_language_of_the_run(
    xdg_home: Path, flag: str, first_line: str
) -> None:
    assert main(["--lang", flag, "feeds", "list"]) == 0
    config = xdg_home / "config" / "gazette-tui" / "config.toml"
    assert config.read_text(encoding="utf-8").startswith(first_line)


def test_every_field_has_a_docstring() -> None:
    docs = field_docs()
    for _name, section in sections():
        for f in fields(section):
            assert docs[type(section).__name__].get(f.name), f.name


def test_the_file_fits_in_a_page_with_room_for_the_users_notes() -> None:
    # tests/unit/test_files.py pads it to one 4 KiB page with comments: it must leave room for them.
    assert len(default_config().encode()) < 3500


# -- the environment --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variable", "text", "dotted", "expected"),
    [
        ("GAZETTE_TUI_REFRESH_TIMEOUT", "5", "refresh.timeout", 5.0),
        ("GAZETTE_TUI_REFRESH_CONCURRENCY", " 8 ", "refresh.concurrency", 8),
        ("GAZETTE_TUI_REFRESH_MAX_FEED_BYTES", "2097152", "refresh.max_feed_bytes", 2097152),
        ("GAZETTE_TUI_REFRESH_FULLTEXT", "false", "refresh.fulltext", False),
        ("GAZETTE_TUI_UI_BELL_ON_ALERT", "Yes", "ui.bell_on_alert", True),
        (
            "GAZETTE_TUI_REFRESH_PROXY",
            "http://proxy.mairie.fr:3128",
            "refresh.proxy",
            "http://proxy.mairie.fr:3128",
        ),
        ("GAZETTE_TUI_UI_THEME", "nord", "ui.theme", "nord"),
        ("GAZETTE_TUI_UI_LANGUAGE", "en", "ui.language", "en"),
        (
            "GAZETTE_TUI_UI_KEYMAP",
            '{star = "f", quit = "ctrl+q"}',
            "ui.keymap",
            {"star": "f", "quit": "ctrl+q"},
        ),
        ("GAZETTE_TUI_RETENTION_DAYS", "0", "retention.days", 0),
    ],
)
def test_a_variable_overrides_the_file(
    tmp_path: Path, variable: str, text: str, dotted: str, expected: object
) -> None:
    path = tmp_path / "config.toml"
    write_default_config(path)
    section, key = dotted.split(".")
    assert getattr(getattr(load_settings(path, environ={}), section), key) != expected
    loaded = load_settings(path, environ={variable: text})
    assert getattr(getattr(loaded, section), key) == expected
    # and with no file at all
    assert (
        getattr(getattr(load_settings(tmp_path / "absent.toml", {variable: text}), section), key) == expected
    )


def test_the_process_environment_is_read_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GAZETTE_TUI_REFRESH_TIMEOUT", "7")
    assert load_settings(tmp_path / "config.toml").refresh.timeout == 7.0


def test_our_other_variables_are_not_settings(tmp_path: Path) -> None:
    environ = {
        "GAZETTE_TUI_ALLOW_PLAINTEXT_KEYRING": "1",
        "GAZETTE_TUI_REPAIR_PAUSE": "swap",
        "GAZETTE_X": "1",
    }
    assert load_settings(tmp_path / "config.toml", environ) == Settings()


def _bad_values() -> list[tuple[str, str]]:
    cases = []
    for dotted, rule in RANGES.items():
        cases += [(dotted, str(int(rule.high) + 1)), (dotted, "-1")]
        if isinstance(getattr(getattr(Settings(), dotted.split(".")[0]), dotted.split(".")[1]), float):
            cases += [(dotted, "nan"), (dotted, "inf")]
    return cases


@pytest.mark.parametrize(("dotted", "text"), _bad_values())
def test_a_bad_number_names_the_variable_and_the_range(tmp_path: Path, dotted: str, text: str) -> None:
    section, key = dotted.split(".")
    variable = f"GAZETTE_TUI_{section.upper()}_{key.upper()}"
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path / "config.toml", {variable: text})
    message = str(caught.value)
    assert message.startswith(typo(f"Variable d'environnement {variable} : « {dotted} » ")), message
    assert message.endswith(typo(f"(valeurs permises : {RANGES[dotted].allowed})."))
    # the very sentence the file gets, after its own "file, line N :"
    path = tmp_path / "config.toml"
    path.write_text(f"[{section}]\n{key} = {text}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as from_file:
        load_settings(path, {})
    assert str(from_file.value).split(typo(" : "), 1)[1] == message.split(typo(" : "), 1)[1]


@pytest.mark.parametrize(
    ("variable", "text", "expected"),
    [
        (
            "GAZETTE_TUI_REFRESH_CONCURRENCY",
            "seize",
            "« refresh.concurrency » doit être de type int, pas « seize »",
        ),
        ("GAZETTE_TUI_REFRESH_CONCURRENCY", "1.5", "« refresh.concurrency » doit être de type int"),
        ("GAZETTE_TUI_REFRESH_FULLTEXT", "peut-être", "« refresh.fulltext » doit être de type bool"),
        ("GAZETTE_TUI_UI_KEYMAP", "star", "« ui.keymap » doit être de type dict"),
        ("GAZETTE_TUI_REFRESH_TIMOUT", "5", "clé inconnue « refresh.timout »"),
        (
            "GAZETTE_TUI_REFRESH_PROXY",
            "socks5://127.0.0.1:1080",
            "« refresh.proxy » n'est pas une adresse de proxy",
        ),
    ],
)
def test_a_bad_variable_is_named(tmp_path: Path, variable: str, text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path / "config.toml", {variable: text})
    assert str(caught.value).startswith(typo(f"Variable d'environnement {variable} : {expected}")), str(
        caught.value
    )
    assert "\n" not in str(caught.value)


def test_the_cli_says_it_in_one_sentence(
    xdg_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GAZETTE_TUI_REFRESH_TIMEOUT", "inf")
    assert main(["feeds", "list"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == typo(
        "Variable d'environnement GAZETTE_TUI_REFRESH_TIMEOUT : « refresh.timeout » = inf est hors limites "
        "(valeurs permises : de 1 à 600 secondes)."
    )


# -- editing in place -------------------------------------------------------------------------------

USER_FILE = """\
# Mes réglages — ne pas perdre ces notes.

[refresh]   # le réseau de la mairie
timeout = 45.5    # lent le lundi
proxy = "http://proxy.mairie.fr:3128"

# L'interface
[ui]
  # thème choisi par l'équipe
theme = "gruvbox"   # garder l'alignement
language = 'fr'

[ui.keymap]
star = "f"  # comme avant
"""


def test_saving_keeps_every_other_byte(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(USER_FILE, encoding="utf-8")
    save_setting(path, "ui", "theme", "nord")
    assert path.read_text(encoding="utf-8") == USER_FILE.replace('"gruvbox"', '"nord"')
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_settings(path, {}).ui.theme == "nord"


def test_saving_a_key_the_file_does_not_have(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("# rien que le réseau\n[refresh]\ntimeout = 5\n", encoding="utf-8")
    save_setting(path, "ui", "theme", "nord")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# rien que le réseau\n[refresh]\ntimeout = 5\n")
    assert tomllib.loads(text) == {"refresh": {"timeout": 5}, "ui": {"theme": "nord"}}
    path.write_text('[ui.keymap]\nstar = "f"\n', encoding="utf-8")  # [ui] only implied by its sub-table
    save_setting(path, "ui", "theme", "nord")
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {
        "ui": {"theme": "nord", "keymap": {"star": "f"}}
    }


def test_saving_with_no_file_writes_the_defaults_with_the_value(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "config.toml"
    save_setting(path, "ui", "theme", "nord")
    expected = default_config(language()).replace('"textual-dark"', '"nord"')  # comments in the UI's language
    assert path.read_text(encoding="utf-8") == expected
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_saving_keeps_crlf_and_hash_lines_inside_strings(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    crlf = '# notes\r\n[ui]\r\n# c\r\ntheme = "a"\r\n'
    path.write_bytes(crlf.encode())
    save_setting(path, "ui", "theme", "nord")
    assert path.read_bytes() == crlf.replace('"a"', '"nord"').encode()
    path.write_text('[ui]\ntheme = "a"\nlanguage = """\n# pas un commentaire\n"""\n', encoding="utf-8")
    save_setting(path, "ui", "theme", "nord")
    assert tomllib.loads(path.read_text(encoding="utf-8"))["ui"] == {
        "theme": "nord",
        "language": "# pas un commentaire\n",
    }
    path.write_text('[ui]\nlanguage = """\n# x\n  # y\n"""\ntheme = "a"\n', encoding="utf-8")
    save_setting(path, "ui", "theme", "nord")
    assert path.read_text(encoding="utf-8") == '[ui]\nlanguage = """\n# x\n  # y\n"""\ntheme = "nord"\n'


def test_a_long_file_of_notes_saves_quickly_and_whole(tmp_path: Path) -> None:
    """tomlkit reads character by character (~1.5 s a MB): whole-line comments wait aside while it works."""
    path = tmp_path / "config.toml"
    notes = "".join(f"# note {i} : {'commentaire ' * 8}\n" for i in range(10_000))
    path.write_text(notes + default_config(), encoding="utf-8")
    started = time.perf_counter()
    save_setting(path, "ui", "theme", "nord")
    assert time.perf_counter() - started < 0.5
    assert path.read_text(encoding="utf-8") == notes + default_config().replace('"textual-dark"', '"nord"')


def test_a_file_that_is_not_toml_still_gets_the_value_and_the_next_start_names_the_line(
    tmp_path: Path,
) -> None:
    path = tmp_path / "config.toml"
    path.write_text('# à moi\n[ui]\ntheme = "nord"\nlanguage = \n', encoding="utf-8")
    save_setting(path, "ui", "theme", "gruvbox")
    assert path.read_text(encoding="utf-8") == '# à moi\n[ui]\ntheme = "gruvbox"\nlanguage = \n'
    with pytest.raises(ConfigError, match=typo(rf"^{path}, ligne 4, colonne \d+ : TOML invalide")):
        load_settings(path, {})


def test_only_known_keys_can_be_saved(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown setting"):
        save_setting(tmp_path / "config.toml", "ui", "colour", "nord")
    assert not (tmp_path / "config.toml").exists()
