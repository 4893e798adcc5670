"""gazette-tui profiles for the sync drills and the sync benchmark: each one a home of its own (XDG folders
under a temporary folder), the real CLI in real processes (``python -m gazette_tui``), and the key of its
sync account in a :mod:`support.file_keyring` shared with the test process.

:func:`synced_state` and :func:`server_state` read what each side holds, to compare them.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gazette_tui.core.storage.store import Store
from support.coldsweat import EMAIL, PASSWORD, Coldsweat
from support.env import xdg_env
from support.file_keyring import child_env

ACCOUNT = "maison"
CLI_TIMEOUT = 120


@dataclass
class Profile:
    """One gazette-tui installation: its home, its database, and its CLI in a child process."""

    home: Path
    keyring_file: Path

    def env(self) -> dict[str, str]:
        env = child_env(xdg_env(self.home), self.keyring_file)
        env.update(LANG="C.UTF-8", TZ="Europe/Paris", PYTHONDONTWRITEBYTECODE="1")
        return env

    @property
    def database(self) -> Path:
        return self.home / "data" / "gazette-tui" / "gazette.db"

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "gazette_tui", "--lang", "en", *args]

    def cli(
        self, *args: str, stdin: str = "", timeout: float = CLI_TIMEOUT
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(*args),
            env=self.env(),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def start(self, *args: str) -> subprocess.Popen[str]:
        """The CLI, running (for a test that kills it)."""
        return subprocess.Popen(
            self.command(*args),
            env=self.env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def add_account(self, url: str, name: str = ACCOUNT) -> None:
        done = self.cli(
            "sync",
            "add",
            "fever",
            url,
            "--username",
            EMAIL,
            "--password-stdin",
            "--name",
            name,
            stdin=PASSWORD,
        )
        assert done.returncode == 0, done.stderr
        assert PASSWORD not in done.stdout + done.stderr

    def sync(self, timeout: float = CLI_TIMEOUT) -> dict[str, Any]:
        """``sync now --json``, which must succeed; its one report."""
        done = self.cli("sync", "now", "--json", timeout=timeout)
        assert "Traceback" not in done.stderr, done.stderr
        reports = json.loads(done.stdout)
        assert len(reports) == 1, reports
        assert done.returncode == 0, (reports, done.stderr)
        report: dict[str, Any] = reports[0]
        return report

    @contextlib.contextmanager
    def store(self) -> Iterator[Store]:
        with Store(self.database) as store:
            yield store


def new_profile(root: Path, name: str) -> Profile:
    home = root / name
    home.mkdir(parents=True)
    os.chmod(home, 0o700)
    return Profile(home, root / f"{name}-keyring.json")


@dataclass(frozen=True, slots=True)
class SyncedState:
    """What a cache holds of an account: per remote item id, (read, starred); and counts that show a
    duplicate (two articles for one item, or an article twice in a feed)."""

    items: dict[str, tuple[bool, bool]]
    articles: int
    """Articles of the account's feeds."""
    distinct_keys: int
    """Distinct (feed, key) among them: equal to ``articles`` unless something was stored twice."""
    outbox: int


def synced_state(store: Store, account: str = ACCOUNT) -> SyncedState:
    row = store.sync.account(account)
    assert row is not None, f"no account {account}"
    with store.reading() as c:
        items = {
            str(r[0]): (bool(r[1]), bool(r[2]))
            for r in c.execute(
                "SELECT s.remote_id, a.read, a.starred FROM sync_items s "
                "JOIN articles a ON a.id = s.article_id WHERE s.account_id = ?",
                (row.id,),
            )
        }
        articles, keys = c.execute(
            "SELECT COUNT(*), COUNT(DISTINCT a.feed_id || ':' || a.key) FROM articles a "
            "WHERE a.feed_id IN (SELECT feed_id FROM sync_feeds WHERE account_id = ?)",
            (row.id,),
        ).fetchone()
        outbox = c.execute("SELECT COUNT(*) FROM sync_outbox WHERE account_id = ?", (row.id,)).fetchone()[0]
    return SyncedState(items, int(articles), int(keys), int(outbox))


def server_state(coldsweat: Coldsweat) -> dict[str, tuple[bool, bool]]:
    """Per item id, (read, saved), as the Fever API says (the two full sets, and every id)."""
    unread, saved = coldsweat.unread(), coldsweat.saved()
    return {item: (item not in unread, item in saved) for item in coldsweat.item_ids()}
