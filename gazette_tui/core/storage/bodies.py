"""Full texts (``article_bodies.fulltext_html``): what a subscriber's session fetched, kept for offline
reading and made what the search index holds for the article (``core/accounts/fulltext.py`` fetches them)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from gazette_tui.core.storage.codec import pack
from gazette_tui.core.storage.connections import Connections


class FulltextCandidate(NamedTuple):
    article_id: int
    url: str
    feed_id: int
    excerpt_chars: int
    """Length of the summary's HTML: a full text must be longer than what the feed gave."""


class BodyRepository:
    def __init__(self, connections: Connections) -> None:
        self._db = connections

    def set_fulltext(self, article_id: int, fulltext_html: str, text: str) -> None:
        """Keep the full text, and ``text`` (its plain text) as the body the search index holds."""
        with self._db.write() as c:
            c.execute(
                "UPDATE article_bodies SET fulltext_html = ? WHERE id = ?", (pack(fulltext_html), article_id)
            )
            row = c.execute(
                "SELECT a.title, a.author, a.categories, t.id IS NOT NULL FROM articles a "
                "LEFT JOIN article_text t ON t.id = a.id WHERE a.id = ?",
                (article_id,),
            ).fetchone()
            if row is None:
                return
            if row[3]:
                # Out of the index while the old text is there to be read back, then the new text in.
                c.execute("DELETE FROM articles_fts WHERE rowid = ?", (article_id,))
            values = (article_id, row[0], row[1], " ".join(row[2].split("\n")))
            c.execute(
                "INSERT OR REPLACE INTO article_text (id, title, author, categories, body) "
                "VALUES (?, ?, ?, ?, ?)",
                (*values, pack(text)),
            )
            c.execute(
                "INSERT INTO articles_fts (rowid, title, author, categories, body) VALUES (?, ?, ?, ?, ?)",
                (*values, text),
            )

    def has_fulltext(self, article_id: int) -> bool:
        with self._db.read() as c:
            row = c.execute(
                "SELECT fulltext_html != '' FROM article_bodies WHERE id = ?", (article_id,)
            ).fetchone()
        return bool(row and row[0])

    def without_fulltext(self, feed_ids: Sequence[int], limit: int) -> list[FulltextCandidate]:
        """Articles of ``feed_ids`` with a link and no full text yet, that are reserved or carry only a
        summary: newest first, at most ``limit``."""
        if not feed_ids:
            return []
        marks = ",".join("?" * len(feed_ids))
        with self._db.read() as c:
            rows = c.execute(
                "SELECT a.id, a.url, a.feed_id, length(unpack_text(b.summary_html)) FROM articles a "
                "JOIN article_bodies b ON b.id = a.id "
                f"WHERE a.feed_id IN ({marks}) AND b.fulltext_html = '' "
                "AND (a.reserved = 1 OR b.content_html = '') AND a.url != '' "
                "ORDER BY a.published DESC, a.id DESC LIMIT ?",
                [*feed_ids, limit],
            ).fetchall()
        return [FulltextCandidate(int(r[0]), str(r[1]), int(r[2]), int(r[3] or 0)) for r in rows]
