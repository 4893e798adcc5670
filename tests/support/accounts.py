"""Shared pieces for the account, keyring and full-text tests (no tests here): an in-memory keyring, the CLI
with the account commands, and a search of the user's folders for secret bytes."""

from __future__ import annotations

import base64
import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote_plus

import keyring
import keyring.backend
import keyring.errors
import pytest

from gazette_tui.core.paths import Paths

TEST_EMAIL = "agent.instructeur@mairie-exemple.test"
TEST_PASSWORD = "Wq7-mot-de-passe-TRES-secret-4471"


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring that lives in a dict, for unit tests (keyring.set_keyring accepts any backend)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.entries:
            raise keyring.errors.PasswordDeleteError("absent")
        del self.entries[(service, username)]


@contextmanager
def installed(ring: keyring.backend.KeyringBackend) -> Iterator[keyring.backend.KeyringBackend]:
    """Make ``ring`` the process's keyring for a while (each test module wraps it in a fixture)."""
    previous = keyring.get_keyring()
    keyring.set_keyring(ring)
    try:
        yield ring
    finally:
        keyring.set_keyring(previous)


def secret_forms(password: str, username: str = TEST_EMAIL) -> list[bytes]:
    """The password as it could leak: raw, URL-encoded (a form body), in a Basic header."""
    basic = base64.b64encode(f"{username}:{password}".encode()).decode()
    return [password.encode(), quote_plus(password).encode(), basic.encode()]


def files_containing(roots: list[Path], needles: list[bytes]) -> list[Path]:
    """Every file under ``roots`` whose bytes contain one of ``needles``."""
    found = []
    for root in roots:
        if not root.exists():
            continue
        for path in root.rglob("*"):
            if path.is_file() and any(n in path.read_bytes() for n in needles):
                found.append(path)
    return found


def user_dirs(paths: Paths) -> list[Path]:
    return [paths.config_dir, paths.data_dir, paths.cache_dir, paths.log_dir]


def run_cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str], stdin: str = ""
) -> tuple[int, str, str]:
    """Run ``gazette-tui ARGV`` in-process through cli.main; returns (code, stdout, stderr). The note a new
    profile's first command prints once (tests/unit/test_cli_details.py checks it) is left out of stderr,
    so these tests see what the command itself says."""
    from gazette_tui.cli import main

    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    capsys.readouterr()
    code = main(argv)
    captured = capsys.readouterr()
    lines = captured.err.splitlines(keepends=True)
    if lines and lines[0].startswith(("Premier lancement", "First run")):
        lines = lines[1:]
    return code, captured.out, "".join(lines)
