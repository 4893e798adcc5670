from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from gazette_tui.core.paths import Paths
from gazette_tui.core.settings import Settings
from gazette_tui.core.storage.store import Store

# Fixed zone and language so dates and messages do not depend on the machine.
os.environ["TZ"] = "Europe/Paris"
os.environ.setdefault("LANG", "fr_FR.UTF-8")


@pytest.fixture(autouse=True)
def _french() -> Iterator[None]:
    """Every test starts in French, as LANG says above, whatever language the one before it chose: core
    errors and the UI say their messages in the current language (gazette_tui/errors.py)."""
    from gazette_tui import i18n

    i18n.set_language("fr")
    yield
    i18n.set_language("fr")


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    paths = Paths.under(tmp_path / "home")
    paths.ensure()
    return paths


@pytest.fixture
def store(paths: Paths) -> Iterator[Store]:
    with Store(paths.database) as store:
        yield store


@pytest.fixture
def settings() -> Settings:
    settings = Settings()
    settings.refresh.timeout = 3.0
    return settings


@pytest.fixture
def xdg_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point platformdirs (and so the CLI) at a temporary home."""
    home = tmp_path / "xdg"
    for name, sub in [
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_STATE_HOME", "state"),
    ]:
        monkeypatch.setenv(name, str(home / sub))
    monkeypatch.setenv("HOME", str(home))
    return home


@pytest.fixture
def httpserver() -> Iterator[object]:
    """pytest-httpserver, threaded (a slow feed must not hold the others up) and on 127.0.0.1 only."""
    from support.servers import loopback_http_server

    with loopback_http_server() as server:
        yield server


@pytest.fixture
def coldsweat(tmp_path: Path) -> Iterator[object]:
    """A real Fever server (coldsweat, in the venv ``.ci/coldsweat.sh`` makes) on 127.0.0.1, with feeds
    served on loopback; fails (never skips) when it is not installed (``support/coldsweat.py``)."""
    from support.coldsweat import running_coldsweat

    with running_coldsweat(tmp_path / "coldsweat") as server:
        yield server


@pytest.fixture
def memory_keyring() -> Iterator[object]:
    """An in-memory keyring for the test's duration (accounts, full-text and UI login tests)."""
    from support.accounts import MemoryKeyring, installed

    ring = MemoryKeyring()
    with installed(ring):
        yield ring


@pytest.fixture
def demo() -> Iterator[object]:
    """The demo site on 127.0.0.1 with the test subscriber's account."""
    from support.accounts import TEST_EMAIL, TEST_PASSWORD

    from gazette_tui.demo import DemoServer

    with DemoServer() as server:
        server.accounts[TEST_EMAIL] = TEST_PASSWORD
        yield server
