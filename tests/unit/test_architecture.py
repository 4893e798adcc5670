"""The engine and the headless CLI never load Textual: checked in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

MODULES = [
    "gazette_tui.core.storage.store",
    "gazette_tui.core.feeds.refresh",
    "gazette_tui.core.feeds.parse",
    "gazette_tui.core.feeds.opml",
    "gazette_tui.cli",
]


@pytest.mark.parametrize("module", MODULES)
def test_headless_modules_do_not_import_textual(module: str) -> None:
    # click comes with the test tools (import-linter), never with gazette-tui: with it, httpx loads its own
    # command line, and Rich with it. Hidden here, as it is on a user's machine.
    code = (
        "import sys; sys.modules['click'] = None\n"
        f"import importlib; importlib.import_module({module!r}); "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')); print(bad)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_all_core_modules_are_headless() -> None:
    code = (
        "import sys, pkgutil, importlib, gazette_tui.core as core\n"
        "names = [m.name for m in pkgutil.walk_packages(core.__path__, 'gazette_tui.core.')]\n"
        "[importlib.import_module(n) for n in names]\n"
        "print(len(names), sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    count, loaded = result.stdout.strip().split(" ", 1)
    assert int(count) >= 30
    assert loaded == "[]"


def test_headless_cli_command_does_not_import_textual(tmp_path: object) -> None:
    code = (
        "import sys\nfrom gazette_tui.cli import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip().endswith("[]")


def test_import_contracts_hold() -> None:
    """The layers and boundaries of pyproject.toml's [tool.importlinter] (docs/ARCHITECTURE.md), checked
    by import-linter on every import, function-local ones included."""
    lint = Path(sys.executable).parent / "lint-imports"
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [str(lint), "--no-cache"], capture_output=True, text=True, cwd=root, check=False, timeout=120
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout
