"""Every number in config.toml is range-checked when the file is read: nan, inf, a negative, 0 where it
means nothing, a retention of 10^15 days (which overflowed the dates). A bad one is one sentence naming the
file, the line, the key and the valid values; the CLI and the TUI print it (exit 2), never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.env import xdg_env
from support.french import typo

from gazette_tui.cli import main
from gazette_tui.core.settings import DEFAULT_CONFIG, RANGES, Settings, load_settings
from gazette_tui.errors import ConfigError

# key → values that must be refused (the first number-like ones TOML can write, and the edges just outside).
BAD: dict[str, list[str]] = {
    "refresh.concurrency": ["0", "-1", "257", "1000000"],
    "refresh.per_host": ["0", "-3", "33"],
    "refresh.timeout": ["nan", "inf", "-inf", "-1.0", "0", "0.5", "600.5", "1e308"],
    "refresh.max_feed_bytes": ["0", "-1", "1048575", "25165825", "9223372036854775807"],
    "refresh.parse_timeout": ["nan", "+inf", "0", "0.9", "121"],
    "refresh.auto_minutes": ["-5", "1", "4", "1441"],
    "refresh.fulltext_pages": ["-1", "1001", "1000000"],
    "retention.days": ["-1", "36501", "1000000000000000"],
    "retention.unread_days": ["-1", "36501", "1000000000000000"],
    "retention.per_feed": ["-1", "1000001"],
    "downloads.max_bytes": ["0", "-1", "1048575", "1099511627777"],
    "sync.interval_minutes": ["-1", "1441", "1000000"],
}
GOOD: dict[str, list[str]] = {
    "refresh.concurrency": ["1", "256"],
    "refresh.per_host": ["1", "32"],
    "refresh.timeout": ["1", "1.5", "600"],
    "refresh.max_feed_bytes": ["1048576", "25165824"],
    "refresh.parse_timeout": ["1", "120.0"],
    "refresh.auto_minutes": ["0", "5", "1440"],
    "refresh.fulltext_pages": ["0", "1", "30", "1000"],
    "retention.days": ["0", "1", "36500"],
    "retention.unread_days": ["0", "1", "36500"],
    "retention.per_feed": ["0", "1", "1000000"],
    "downloads.max_bytes": ["1048576", "2147483648", "1099511627776"],
    "sync.interval_minutes": ["0", "1", "15", "1440"],
}


def config(tmp_path: Path, dotted: str, value: str) -> Path:
    section, key = dotted.split(".")
    path = tmp_path / "config.toml"
    path.write_text(f"# réglages\n[{section}]\n{key} = {value}\n", encoding="utf-8")
    return path


def test_every_number_has_a_range() -> None:
    numbers = {
        f"{section}.{name}"
        for section in ("refresh", "retention", "ui", "downloads", "sync")
        for name, value in vars(getattr(Settings(), section)).items()
        if isinstance(value, int | float) and not isinstance(value, bool)
    }
    assert numbers == set(RANGES) == set(BAD) == set(GOOD)
    for dotted, rule in RANGES.items():  # the defaults are valid, and documented in the README
        section, key = dotted.split(".")
        assert rule.holds(getattr(getattr(Settings(), section), key)), dotted
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert all(f"`{dotted}`" in readme for dotted in RANGES)


@pytest.mark.parametrize(("dotted", "value"), [(k, v) for k, values in BAD.items() for v in values])
def test_a_number_out_of_range_names_the_file_the_key_and_the_range(
    tmp_path: Path, dotted: str, value: str
) -> None:
    path = config(tmp_path, dotted, value)
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert message.startswith(typo(f"{path}, ligne 3 : « {dotted} » "))
    assert typo(f"(valeurs permises : {RANGES[dotted].allowed}).") in message
    assert message.count(".") >= 1
    assert "\n" not in message
    if value.startswith("-"):
        assert "ne peut pas être négatif" in message


@pytest.mark.parametrize(("dotted", "value"), [(k, v) for k, values in GOOD.items() for v in values])
def test_a_number_in_range_is_taken(tmp_path: Path, dotted: str, value: str) -> None:
    section, key = dotted.split(".")
    loaded = getattr(getattr(load_settings(config(tmp_path, dotted, value)), section), key)
    assert loaded == float(value)


def test_the_defaults_file_loads_to_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(DEFAULT_CONFIG, encoding="utf-8")
    assert load_settings(path) == Settings()
    assert 'proxy = ""' in DEFAULT_CONFIG


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ('"socks5://127.0.0.1:1080"', "http://hôte:port ou https://hôte:port"),
        ('"proxy.mairie.fr:3128"', "http://hôte:port ou https://hôte:port"),
        ('"http://proxy.mairie.fr:3128/chemin"', "ni chemin ni paramètres"),
        ('"http://proxy.mairie.fr:99999"', "adresse illisible"),
    ],
)
def test_an_unusable_proxy_is_refused_at_load(tmp_path: Path, value: str, why: str) -> None:
    with pytest.raises(
        ConfigError, match=typo(r"ligne 3 : « refresh\.proxy » n'est pas une adresse de proxy")
    ):
        load_settings(config(tmp_path, "refresh.proxy", value))
    with pytest.raises(ConfigError, match=why):
        load_settings(config(tmp_path, "refresh.proxy", value))
    good = load_settings(config(tmp_path, "refresh.proxy", '"http://proxy.mairie.fr:3128"'))
    assert good.refresh.proxy == "http://proxy.mairie.fr:3128"


def test_the_cli_says_it_in_one_sentence(xdg_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = xdg_home / "config" / "gazette-tui" / "config.toml"
    path.parent.mkdir(parents=True)
    for dotted, value in [("refresh.timeout", "nan"), ("retention.days", "1000000000000000")]:
        path.write_text(config(path.parent, dotted, value).read_text(encoding="utf-8"), encoding="utf-8")
        for argv in (["refresh"], ["feeds", "list"], ["search", "budget"]):
            assert main(argv) == 2
            captured = capsys.readouterr()
            assert captured.out == ""
            lines = captured.err.strip().splitlines()
            assert len(lines) == 1, captured.err
            assert lines[0].startswith(typo(f"{path}, ligne 3 : « {dotted} »")), captured.err
            assert "Traceback" not in captured.err
            assert "Erreur inattendue" not in captured.err


def test_the_tui_says_it_too_before_starting(tmp_path: Path) -> None:
    """``gazette-tui`` (the TUI) reads its settings first: the sentence, exit 2, no screen, no traceback."""
    home = tmp_path / "home"
    path = home / "config" / "gazette-tui" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text("[refresh]\ntimeout = inf\n", encoding="utf-8")
    program = Path(sys.executable).parent / "gazette-tui"
    env = xdg_env(home) | {"TERM": os.environ.get("TERM", "xterm")}
    done = subprocess.run(
        [str(program), "--offline"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == typo(
        f"{path}, ligne 2 : « refresh.timeout » = inf est hors limites "
        "(valeurs permises : de 1 à 600 secondes)."
    )
    assert "Traceback" not in done.stderr + done.stdout
