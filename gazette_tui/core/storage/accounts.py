"""Subscriber accounts (table ``accounts``): the login and whether it is remembered, nothing else; the
password and the session cookies live only in the OS keyring (``core/accounts/secrets.py``)."""

from __future__ import annotations

from gazette_tui.core.storage.connections import Connections


class AccountRepository:
    def __init__(self, connections: Connections) -> None:
        self._db = connections

    def get(self, name: str) -> tuple[str, bool]:
        """(login, remembered) of the account; ("", False) when it was never used."""
        with self._db.read() as c:
            row = c.execute("SELECT username, logged_in FROM accounts WHERE name = ?", (name,)).fetchone()
        return (str(row[0]), bool(row[1])) if row else ("", False)

    def save(self, name: str, username: str, remembered: bool) -> None:
        with self._db.write() as c:
            c.execute(
                "INSERT INTO accounts (name, username, logged_in) VALUES (?, ?, ?) ON CONFLICT(name) "
                "DO UPDATE SET username = excluded.username, logged_in = excluded.logged_in",
                (name, username, int(remembered)),
            )
