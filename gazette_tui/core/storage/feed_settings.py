"""Per-feed and per-rubrique settings (tables ``feed_settings`` and ``rubrique_settings``): text values by
key, nothing more. What the keys mean, their bounds and how a rubrique's value reaches its feeds is
``core/feeds/feed_settings.py``'s business; this module only keeps the rows.

A feed's rows go with the feed (``ON DELETE CASCADE``) and come back with an undone removal
(``feed_edits.py``). A rubrique's rows stay when its last feed leaves it: they are harmless and apply again to
whatever feed is put back in it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Literal

from gazette_tui.core.storage.connections import Connections
from gazette_tui.errors import NotFoundError
from gazette_tui.text import clean_line

HIDDEN_FEEDS = (
    "SELECT f.id FROM feeds f WHERE COALESCE("
    "(SELECT s.value FROM feed_settings s WHERE s.feed_id = f.id AND s.key = 'hidden'), "
    "(SELECT r.value FROM rubrique_settings r WHERE r.rubrique = f.rubrique AND r.key = 'hidden')) = 'on'"
)
"""The ids of the feeds whose ``hidden`` setting is on, their own or their rubrique's (the rule of
``core/feeds/feed_settings.py``, in SQL: values are stored in their canonical form, ``on``/``off``)."""
HIDDEN_ARTICLES = f"SELECT id FROM articles WHERE feed_id IN ({HIDDEN_FEEDS})"
"""Their articles, read on ``articles_by_feed``: « Toutes » and « Non lus » leave them out with
``a.id NOT IN (…)``, which keeps their own scans on the date indexes (the rowid is in them)."""


@dataclass(frozen=True, slots=True)
class FeedSlot:
    """What the settings rules need to know of a subscription."""

    id: int
    url: str
    rubrique: str
    last_fetched: int | None
    """When its last fetch ended, whatever the outcome (None: never fetched)."""
    disabled: bool = False
    """Refreshes leave it out (it answered 410 Gone, or the like)."""


@dataclass(frozen=True, slots=True)
class SettingRows:
    """Every stored value, read in one snapshot."""

    feeds: tuple[FeedSlot, ...] = ()
    by_feed: dict[int, dict[str, str]] = field(default_factory=dict)
    by_rubrique: dict[str, dict[str, str]] = field(default_factory=dict)


class FeedSettingsRepository:
    def __init__(self, connections: Connections) -> None:
        self._db = connections

    def rows(self) -> SettingRows:
        """Every subscription and every stored value, in one read."""
        with self._db.read() as c:
            feeds = tuple(
                FeedSlot(int(r[0]), str(r[1]), str(r[2]), r[3], bool(r[4]))
                for r in c.execute(
                    "SELECT id, url, rubrique, last_fetched, disabled FROM feeds ORDER BY position, id"
                )
            )
            by_feed: dict[int, dict[str, str]] = {}
            for feed_id, key, value in c.execute("SELECT feed_id, key, value FROM feed_settings"):
                by_feed.setdefault(int(feed_id), {})[str(key)] = str(value)
            by_rubrique: dict[str, dict[str, str]] = {}
            for rubrique, key, value in c.execute("SELECT rubrique, key, value FROM rubrique_settings"):
                by_rubrique.setdefault(str(rubrique), {})[str(key)] = str(value)
        return SettingRows(feeds, by_feed, by_rubrique)

    def set_feed(self, url: str, key: str, value: str | None) -> int:
        """Give the feed at ``url`` its own ``value`` for ``key`` (None: none, its rubrique's again).
        Returns the feed's id; raises :class:`NotFoundError` when there is no such subscription."""
        with self._db.write() as c:
            row = c.execute("SELECT id FROM feeds WHERE url = ?", (url,)).fetchone()
            if row is None:
                raise NotFoundError("store.not_subscribed", url=url)
            feed_id = int(row[0])
            _put(c, "feed_settings", "feed_id", feed_id, key, value)
        return feed_id

    def set_rubrique(self, rubrique: str, key: str, value: str | None) -> None:
        """Give every feed of ``rubrique`` (named as ``feeds.rubrique`` names it) ``value`` for ``key``,
        unless a feed has its own (None: back to the global setting)."""
        rubrique = clean_line(rubrique)
        with self._db.write() as c:
            _put(c, "rubrique_settings", "rubrique", rubrique, key, value)

    def rubriques(self) -> list[str]:
        """The rubriques that have feeds now, in the feeds' order."""
        with self._db.read() as c:
            rows = c.execute(
                "SELECT rubrique FROM feeds WHERE rubrique != '' GROUP BY rubrique ORDER BY MIN(position)"
            ).fetchall()
        return [str(r[0]) for r in rows]


def _put(
    c: sqlite3.Connection,
    table: Literal["feed_settings", "rubrique_settings"],
    owner_column: Literal["feed_id", "rubrique"],
    owner: int | str,
    key: str,
    value: str | None,
) -> None:
    """Store ``value`` for ``key`` of ``owner`` in ``table`` (None: delete the row). Table and column come
    from the two callers above, never from input."""
    if value is None:
        c.execute(f"DELETE FROM {table} WHERE {owner_column} = ? AND key = ?", (owner, key))
    else:
        c.execute(
            f"INSERT INTO {table} ({owner_column}, key, value) VALUES (?, ?, ?) "
            f"ON CONFLICT({owner_column}, key) DO UPDATE SET value = excluded.value",
            (owner, key, value),
        )
