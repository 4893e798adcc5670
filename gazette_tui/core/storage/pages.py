"""The article pages fetched for the full text of feeds that give only excerpts (table ``page_fetches``).

One row per article whose page was tried, whether it worked (``error`` '') or not (``error`` is a stored
message, :meth:`gazette_tui.errors.Message.dumps`, said in the reader's language when read back). A row
means the page is never fetched again by a refresh; only the user's ``F`` tries again. What counts as an
excerpt-only item and which feeds want their pages is ``core/feeds/pages.py``'s business; this module keeps
the rows and finds the articles that have none.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from gazette_tui.core.storage.connections import Connections

_CHUNK = 500
"""Ids or URLs bound per statement (SQLite's default limit is 32,766 variables; small keeps plans simple)."""


class PageCandidate(NamedTuple):
    """An article whose page may be fetched, with what the rules need to judge it."""

    article_id: int
    url: str
    feed_id: int | None
    feed_url: str
    """'' for an article whose feed was removed."""
    summary_html: str
    """The excerpt the feed gave (unpacked)."""
    published: int = 0


class PriorFetch(NamedTuple):
    """A page already tried for another article with the same link (the same article in two feeds)."""

    article_id: int
    error: str


class PageFetchRepository:
    def __init__(self, connections: Connections) -> None:
        self._db = connections

    _SELECT = (
        "SELECT a.id, a.url, a.feed_id, COALESCE(f.url, ''), unpack_text(b.summary_html), a.published "
        "FROM articles a "
        "JOIN article_bodies b ON b.id = a.id LEFT JOIN feeds f ON f.id = a.feed_id "
    )

    def untried(self, feed_ids: Sequence[int], since: int, limit: int) -> list[PageCandidate]:
        """Articles of ``feed_ids`` that reached the cache at ``since`` or later, with a link, no content from
        the feed, no full text, not reserved (a subscriber's session fetches those), and whose page was never
        tried: newest first, at most ``limit``."""
        found: list[PageCandidate] = []
        with self._db.read() as c:
            for start in range(0, len(feed_ids), _CHUNK):
                chunk = list(feed_ids[start : start + _CHUNK])
                marks = ",".join("?" * len(chunk))
                rows = c.execute(
                    self._SELECT + f"WHERE a.feed_id IN ({marks}) AND a.fetched >= ? AND a.url != '' "
                    "AND a.reserved = 0 AND b.content_html = '' AND b.fulltext_html = '' "
                    "AND NOT EXISTS (SELECT 1 FROM page_fetches p WHERE p.article_id = a.id) "
                    "ORDER BY a.published DESC, a.id DESC LIMIT ?",
                    [*chunk, since, limit],
                ).fetchall()
                found += [_candidate(r) for r in rows]
        if len(feed_ids) > _CHUNK:  # chunks merged: newest first again, then cut
            found.sort(key=lambda c: (-c.published, -c.article_id))
        return found[:limit]

    def articles(self, article_ids: Iterable[int]) -> list[PageCandidate]:
        """The same facts for exactly ``article_ids`` (the user's ``F``), whatever their state."""
        ids = list(article_ids)
        found: list[PageCandidate] = []
        with self._db.read() as c:
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = c.execute(self._SELECT + f"WHERE a.id IN ({marks})", chunk).fetchall()
                found += [_candidate(r) for r in rows]
        return found

    def prior(self, urls: Iterable[str]) -> dict[str, PriorFetch]:
        """For each of ``urls`` already tried for some article: that try (a successful one if there is)."""
        wanted = sorted(set(urls))
        found: dict[str, PriorFetch] = {}
        with self._db.read() as c:
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = c.execute(
                    "SELECT a.url, a.id, p.error FROM articles a JOIN page_fetches p ON p.article_id = a.id "
                    "JOIN article_bodies b ON b.id = a.id "
                    f"WHERE a.url IN ({marks}) AND (p.error != '' OR b.fulltext_html != '') "
                    "ORDER BY p.error = '' DESC, p.fetched DESC",
                    chunk,
                ).fetchall()
                for url, article_id, error in rows:
                    found.setdefault(str(url), PriorFetch(int(article_id), str(error)))
        return found

    def record(self, article_id: int, error: str, when: int) -> None:
        """The page of ``article_id`` was tried at ``when``: ``error`` '' when its full text is stored, else
        why not (a stored message). A later try (the user's ``F``) replaces the row."""
        with self._db.write() as c:
            c.execute(
                "INSERT INTO page_fetches (article_id, fetched, error) "
                "SELECT id, ?, ? FROM articles WHERE id = ? "
                "ON CONFLICT(article_id) DO UPDATE SET fetched = excluded.fetched, error = excluded.error",
                (when, error, article_id),
            )

    def error(self, article_id: int) -> str | None:
        """Why the page of ``article_id`` gave no full text (a stored message); '' when it did; None when it
        was never tried."""
        with self._db.read() as c:
            row = c.execute("SELECT error FROM page_fetches WHERE article_id = ?", (article_id,)).fetchone()
        return None if row is None else str(row[0])

    def count(self) -> int:
        with self._db.read() as c:
            return int(c.execute("SELECT COUNT(*) FROM page_fetches").fetchone()[0])


def _candidate(row: Sequence[object]) -> PageCandidate:
    feed_id = row[2]
    return PageCandidate(
        int(str(row[0])),
        str(row[1]),
        int(str(feed_id)) if feed_id is not None else None,
        str(row[3]),
        str(row[4] or ""),
        int(str(row[5] or 0)),
    )
