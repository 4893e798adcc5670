"""A keyring in a JSON file, for tests that run the CLI in real processes (the sync drills, the sync
benchmark): the test process and its children must share the key a ``sync add`` stored, and a test may not
touch the machine's own keyring. Never for users: the file holds the values in clear.

A child process gets it through keyring's own switch, ``PYTHON_KEYRING_BACKEND``, with the file named by
:data:`FILE_VARIABLE`; :func:`child_env` sets both (and ``PYTHONPATH``, so that ``support`` imports).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import keyring.backend
import keyring.errors
from keyring.compat import properties

FILE_VARIABLE = "GAZETTE_TEST_KEYRING_FILE"
BACKEND = "support.file_keyring.FileKeyring"
TESTS = Path(__file__).resolve().parents[1]


class FileKeyring(keyring.backend.KeyringBackend):
    """Entries in one JSON file (``[[service, username, value], …]``), rewritten whole and atomically."""

    @properties.classproperty
    def priority(cls) -> float:
        """Viable only where a file is named: keyring's discovery (which tries every backend class it
        knows, this one too once imported) leaves it out elsewhere."""
        if not os.environ.get(FILE_VARIABLE):
            raise RuntimeError(f"{FILE_VARIABLE} names no file")
        return 1

    def __init__(self, path: Path | None = None) -> None:
        super().__init__()
        given = path or os.environ.get(FILE_VARIABLE, "")
        if not given:
            raise keyring.errors.InitError(f"{FILE_VARIABLE} names no file")
        self.path = Path(given)

    def _load(self) -> dict[tuple[str, str], str]:
        try:
            rows = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        return {(str(s), str(u)): str(v) for s, u, v in rows}

    def _save(self, entries: dict[tuple[str, str], str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps([[s, u, v] for (s, u), v in entries.items()]), encoding="utf-8")
        os.chmod(temporary, 0o600)
        os.replace(temporary, self.path)

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        entries = self._load()
        entries[(service, username)] = password
        self._save(entries)

    def delete_password(self, service: str, username: str) -> None:
        entries = self._load()
        if entries.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("absent")
        self._save(entries)


def child_env(env: dict[str, str], path: Path) -> dict[str, str]:
    """``env`` with the file keyring at ``path`` for a child process."""
    paths = [str(TESTS), *(p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p)]
    return {
        **env,
        "PYTHON_KEYRING_BACKEND": BACKEND,
        FILE_VARIABLE: str(path),
        "PYTHONPATH": os.pathsep.join(paths),
    }
