"""Sync accounts and what ties the cache to their servers (tables ``sync_*``, docs/SYNC.md).

- ``sync_accounts``: one server, one protocol, one user, and where the pull stands (the adapter's cursor,
  the time of the last pull, the last result). The key is in the keyring, never here.
- ``sync_feeds``, ``sync_groups``, ``sync_items``: which feed, rubrique and article of ours a remote id is.
- ``sync_outbox``: local changes not yet on the server. Triggers on ``articles`` write a row whenever
  ``read`` or ``starred`` changes on a synced article, in the same transaction as the change, whatever
  changed it (a mark, « all read », a filter, an undo); one row per article and state (the latest wins:
  ``INSERT OR REPLACE``, with an id that is never reused, so a push deletes only the row it sent).
- ``sync_quiet`` holds a row only inside a pull's own transaction: what the server says is not a local
  change, and the triggers stay quiet.

A pull's own writes (a page of items, the state sets) are in :mod:`.sync_pull`; this repository runs
each in one transaction. A pull never overwrites a pending change: :meth:`SyncRepository.apply_state`
leaves out every article with an outbox row for that state, in the same write transaction as its updates
(writers are serialised), so a change committed before it is kept and one committed after it comes after.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from gazette_tui.core.storage.connections import Connections
from gazette_tui.core.storage.db import now
from gazette_tui.core.storage.sync_pull import (
    CHUNK,
    PageResult,
    PulledItem,
    StateResult,
    apply_state,
    store_page,
)
from gazette_tui.core.storage.sync_pull import chunks as _chunks
from gazette_tui.core.storage.sync_pull import marks as _marks
from gazette_tui.errors import Message, StoreError, stored_text
from gazette_tui.text import clean_line


@dataclass(frozen=True, slots=True)
class SyncAccountRow:
    id: int
    name: str
    kind: str
    url: str
    username: str
    cursor: str
    last_pull: int | None
    subscriptions_checked: int | None
    last_sync: int | None
    last_ok: int | None
    last_error: str | None
    """Why the last sync failed, in the language current when the row was read (stored as a code)."""
    added: int
    pending: int = 0
    """Local changes waiting in the outbox."""


@dataclass(frozen=True, slots=True)
class PendingChange:
    """One outbox row: set ``action`` on the remote ``target`` ``remote_id``."""

    id: int
    account_id: int
    target: str
    remote_id: str
    field: str
    action: str
    before: int


_ACCOUNT_COLUMNS = (
    "a.id, a.name, a.kind, a.url, a.username, a.cursor, a.last_pull, a.subscriptions_checked, a.last_sync, "
    "a.last_ok, a.last_error, a.added, (SELECT COUNT(*) FROM sync_outbox o WHERE o.account_id = a.id)"
)


def _account(row: Sequence[object]) -> SyncAccountRow:
    return SyncAccountRow(
        id=int(row[0]),  # type: ignore[call-overload]
        name=str(row[1]),
        kind=str(row[2]),
        url=str(row[3]),
        username=str(row[4]),
        cursor=str(row[5]),
        last_pull=row[6],  # type: ignore[arg-type]
        subscriptions_checked=row[7],  # type: ignore[arg-type]
        last_sync=row[8],  # type: ignore[arg-type]
        last_ok=row[9],  # type: ignore[arg-type]
        last_error=stored_text(row[10]),  # type: ignore[arg-type]
        added=int(row[11]),  # type: ignore[call-overload]
        pending=int(row[12]),  # type: ignore[call-overload]
    )


class SyncRepository:
    def __init__(self, connections: Connections) -> None:
        self._db = connections

    # -- accounts ------------------------------------------------------------------------------------

    def add_account(self, name: str, kind: str, url: str, username: str) -> SyncAccountRow:
        name = clean_line(name)
        with self._db.write() as c:
            taken = c.execute(
                "SELECT name FROM sync_accounts WHERE name = ? OR (url = ? AND username = ?)",
                (name, url, username),
            ).fetchone()
            if taken is not None:
                raise StoreError("sync.account_exists", name=str(taken[0]))
            c.execute(
                "INSERT INTO sync_accounts (name, kind, url, username, added) VALUES (?, ?, ?, ?, ?)",
                (name, kind, url, username, now()),
            )
        found = self.account(name)
        assert found is not None
        return found

    def accounts(self) -> list[SyncAccountRow]:
        with self._db.read() as c:
            rows = c.execute(f"SELECT {_ACCOUNT_COLUMNS} FROM sync_accounts a ORDER BY a.name").fetchall()
        return [_account(row) for row in rows]

    def account(self, name: str) -> SyncAccountRow | None:
        with self._db.read() as c:
            row = c.execute(
                f"SELECT {_ACCOUNT_COLUMNS} FROM sync_accounts a WHERE a.name = ?", (clean_line(name),)
            ).fetchone()
        return _account(row) if row else None

    def remove_account(self, account_id: int) -> int:
        """Forget the account and what ties the cache to it; its feeds and articles stay, as local
        subscriptions. Returns how many pending changes were dropped with it."""
        with self._db.write() as c:
            dropped = int(
                c.execute("SELECT COUNT(*) FROM sync_outbox WHERE account_id = ?", (account_id,)).fetchone()[
                    0
                ]
            )
            c.execute("DELETE FROM sync_accounts WHERE id = ?", (account_id,))
        return dropped

    def record_result(self, account_id: int, error: Message | None, when: int | None = None) -> None:
        when = when or now()
        with self._db.write() as c:
            if error is None:
                c.execute(
                    "UPDATE sync_accounts SET last_sync = ?, last_ok = ?, last_error = NULL WHERE id = ?",
                    (when, when, account_id),
                )
            else:
                c.execute(
                    "UPDATE sync_accounts SET last_sync = ?, last_error = ? WHERE id = ?",
                    (when, error.dumps(), account_id),
                )

    def reset_cursor(self, account_id: int) -> None:
        """Pull from the first item again (the mapping is rebuilt; nothing is stored twice)."""
        with self._db.write() as c:
            c.execute("UPDATE sync_accounts SET cursor = '' WHERE id = ?", (account_id,))

    # -- feeds and groups ----------------------------------------------------------------------------

    def feed_map(self, account_id: int) -> dict[str, int]:
        """Remote feed id → local feed id."""
        with self._db.read() as c:
            rows = c.execute(
                "SELECT remote_id, feed_id FROM sync_feeds WHERE account_id = ?", (account_id,)
            ).fetchall()
        return {str(r[0]): int(r[1]) for r in rows}

    def synced_feed_ids(self) -> frozenset[int]:
        """Feeds a server fetches for us: a refresh leaves them alone."""
        with self._db.read() as c:
            return frozenset(int(r[0]) for r in c.execute("SELECT feed_id FROM sync_feeds"))

    def link_feeds(
        self,
        account_id: int,
        groups: Sequence[tuple[str, str]],
        feeds: Sequence[tuple[str, str, str, str, str]],
        when: int | None = None,
    ) -> tuple[dict[str, int], int]:
        """Tie the server's groups (remote id, title) and feeds (remote id, url, title, site url, group
        title) to rubriques and subscriptions: a feed already subscribed (same URL) is tied to it, others
        are subscribed. Returns the feed map and how many feeds were added. Titles are cleaned here;
        existing subscriptions keep their own title and rubrique (the user may have renamed them)."""
        when = when or now()
        added = 0
        with self._db.write() as c:
            for remote_id, title in groups:
                c.execute(
                    "INSERT OR REPLACE INTO sync_groups (account_id, remote_id, rubrique) VALUES (?, ?, ?)",
                    (account_id, remote_id, clean_line(title)),
                )
            mapped = {
                str(r[0]): int(r[1])
                for r in c.execute(
                    "SELECT remote_id, feed_id FROM sync_feeds WHERE account_id = ?", (account_id,)
                )
            }
            for remote_id, url, title, site_url, rubrique in feeds:
                if remote_id in mapped:
                    continue
                row = c.execute("SELECT id FROM feeds WHERE url = ?", (url,)).fetchone()
                if row is None:
                    position = c.execute("SELECT COALESCE(MAX(position), 0) + 1 FROM feeds").fetchone()[0]
                    row = c.execute(
                        "INSERT INTO feeds (url, title, site_url, rubrique, position, added) "
                        "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                        (url, clean_line(title), site_url, clean_line(rubrique), position, when),
                    ).fetchone()
                    added += 1
                try:
                    c.execute(
                        "INSERT INTO sync_feeds (account_id, remote_id, feed_id) VALUES (?, ?, ?)",
                        (account_id, remote_id, int(row[0])),
                    )
                except sqlite3.IntegrityError:
                    continue  # that feed is another account's already: it keeps it
                mapped[remote_id] = int(row[0])
            c.execute("UPDATE sync_accounts SET subscriptions_checked = ? WHERE id = ?", (when, account_id))
        return mapped, added

    def group_rubriques(self, account_id: int) -> dict[str, str]:
        """Remote group id → rubrique."""
        with self._db.read() as c:
            rows = c.execute(
                "SELECT remote_id, rubrique FROM sync_groups WHERE account_id = ?", (account_id,)
            ).fetchall()
        return {str(r[0]): str(r[1]) for r in rows}

    # -- items ---------------------------------------------------------------------------------------

    def known_items(self, account_id: int, remote_ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        with self._db.read() as c:
            for chunk in _chunks(remote_ids):
                found.update(
                    str(r[0])
                    for r in c.execute(
                        f"SELECT remote_id FROM sync_items WHERE account_id = ? AND remote_id IN "
                        f"({_marks(chunk)})",
                        (account_id, *chunk),
                    )
                )
        return found

    def article_id(self, account_id: int, remote_id: str) -> int | None:
        """Our article for the server's item, if the cache has it."""
        with self._db.read() as c:
            row = c.execute(
                "SELECT article_id FROM sync_items WHERE account_id = ? AND remote_id = ?",
                (account_id, remote_id),
            ).fetchone()
        return int(row[0]) if row else None

    def remote_ids(self, article_ids: Sequence[int]) -> dict[int, tuple[int, str]]:
        """Article id → (account id, remote id), for the synced ones among ``article_ids``."""
        found: dict[int, tuple[int, str]] = {}
        with self._db.read() as c:
            for chunk in _chunks(article_ids):
                for article_id, account_id, remote_id in c.execute(
                    f"SELECT article_id, account_id, remote_id FROM sync_items WHERE article_id IN "
                    f"({_marks(chunk)})",
                    tuple(chunk),
                ):
                    found[int(article_id)] = (int(account_id), str(remote_id))
        return found

    def store_page(
        self,
        account_id: int,
        items: Sequence[PulledItem],
        *,
        cursor: str | None,
        when: int | None = None,
    ) -> PageResult:
        """One page of the server's items and the cursor after it (None: leave it), in one transaction
        (:func:`.sync_pull.store_page`)."""
        with self._db.write() as c:
            return store_page(c, account_id, items, cursor=cursor, when=when or now())

    def apply_state(self, account_id: int, unread: frozenset[str], saved: frozenset[str]) -> StateResult:
        """Make the cache say what the server's full sets say, except where a local change is pending
        (:func:`.sync_pull.apply_state`); one transaction."""
        with self._db.write() as c:
            return apply_state(c, account_id, unread, saved)

    # -- the outbox ----------------------------------------------------------------------------------

    def pending(self, account_id: int, limit: int = CHUNK) -> list[PendingChange]:
        """The oldest waiting changes of the account, oldest first."""
        with self._db.read() as c:
            rows = c.execute(
                "SELECT id, account_id, target, remote_id, field, action, before FROM sync_outbox "
                "WHERE account_id = ? ORDER BY id LIMIT ?",
                (account_id, limit),
            ).fetchall()
        return [PendingChange(*row) for row in rows]

    def pending_count(self, account_id: int | None = None) -> int:
        with self._db.read() as c:
            if account_id is None:
                return int(c.execute("SELECT COUNT(*) FROM sync_outbox").fetchone()[0])
            return int(
                c.execute("SELECT COUNT(*) FROM sync_outbox WHERE account_id = ?", (account_id,)).fetchone()[
                    0
                ]
            )

    def done(self, change_ids: Sequence[int]) -> None:
        """The server has these changes: out of the outbox (a row changed since was given a new id, and
        stays)."""
        with self._db.write() as c:
            for chunk in _chunks(change_ids):
                c.execute(f"DELETE FROM sync_outbox WHERE id IN ({_marks(chunk)})", tuple(chunk))

    def enqueue_list_read(self, account_id: int, target: str, remote_id: str, before: int) -> None:
        """« All read » on a feed or a group (remote id 0: everything), for items published before
        ``before``: one row that reaches items the cache has not pulled yet."""
        with self._db.write() as c:
            c.execute(
                "INSERT OR REPLACE INTO sync_outbox (account_id, target, remote_id, field, action, before, "
                "created) VALUES (?, ?, ?, 'read', 'read', ?, ?)",
                (account_id, target, remote_id, before, now()),
            )
