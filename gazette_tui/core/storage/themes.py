"""« Ma Gazette » (table ``themes``): the themes the reader follows, and the few reads its page is made of.

A theme is a ``kind`` (``rubrique``, ``tag``, ``alert``, ``dossier``) and a ``value``: the rubrique's name as
``feeds.rubrique`` holds it, a category of cached articles exactly as stored, an alerte's or a dossier's
name. ``core/library/ma_gazette.py`` says what they mean; here are only their rows and the reads, each
bounded: the page reads at most :data:`SCAN` of the newest articles of its window once per kind of theme
(index ``articles_by_date`` or ``articles_by_rubrique``), never the whole cache.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

from gazette_tui.core.storage.articles import HIDDEN_BY_FILTERS
from gazette_tui.core.storage.codec import unpack
from gazette_tui.core.storage.connections import Connections

KINDS = ("rubrique", "tag", "alert", "dossier")
SCAN = 5000
"""Newest articles of the window read, at most, per kind of theme: a window of a day holds a few hundred;
a cache whose every article is « today » still opens in a bounded time."""


class ThemeRecord(NamedTuple):
    kind: str
    value: str
    added: int


class CardRecord(NamedTuple):
    """What a card of the page shows of an article: no body but its summary (the lede)."""

    id: int
    feed_title: str
    rubrique: str
    title: str
    kicker: str
    author: str
    published: int
    undated: bool
    url: str
    categories: list[str]
    summary_html: str
    reserved: bool
    read: bool


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


def _grouped(rows: Sequence[tuple[str, int]]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for key, article_id in rows:
        found.setdefault(key, []).append(article_id)
    return found


class ThemeRepository:
    def __init__(self, connections: Connections) -> None:
        self._db = connections

    # -- the choice ------------------------------------------------------------------------------

    def all(self) -> list[ThemeRecord]:
        """Every theme, in the order they were chosen."""
        with self._db.read() as c:
            return [
                ThemeRecord(str(r[0]), str(r[1]), int(r[2]))
                for r in c.execute("SELECT kind, value, added FROM themes ORDER BY added, kind, value")
            ]

    def count(self) -> int:
        with self._db.read() as c:
            return int(c.execute("SELECT COUNT(*) FROM themes").fetchone()[0])

    def replace(self, themes: Sequence[tuple[str, str]], when: int) -> None:
        """Make the themes exactly ``themes`` (kind, value), in one transaction; a theme kept keeps the date
        it was first chosen (the page's order)."""
        with self._db.write() as c:
            kept = {(r[0], r[1]) for r in c.execute("SELECT kind, value FROM themes")}
            wanted = list(dict.fromkeys((kind, value) for kind, value in themes))
            c.executemany(
                "DELETE FROM themes WHERE kind = ? AND value = ?", [t for t in kept if t not in wanted]
            )
            # After every kept one, a second apart: the order chosen stays the order shown.
            latest = c.execute("SELECT COALESCE(MAX(added), 0) FROM themes").fetchone()[0]
            when = max(when, int(latest) + 1)
            c.executemany(
                "INSERT OR IGNORE INTO themes (kind, value, added) VALUES (?, ?, ?)",
                [(k, v, when + n) for n, (k, v) in enumerate(wanted) if (k, v) not in kept],
            )

    # -- what the dialog lists -------------------------------------------------------------------

    def rubrique_counts(self) -> list[tuple[str, int]]:
        """Every rubrique of the cache's articles with its number of articles, by name."""
        with self._db.read() as c:
            return [
                (str(r[0]), int(r[1]))
                for r in c.execute(
                    "SELECT rubrique, COUNT(*) FROM articles WHERE rubrique != '' GROUP BY rubrique "
                    "ORDER BY rubrique COLLATE NOCASE"
                )
            ]

    def tag_counts(self) -> list[tuple[str, int]]:
        """Every category of the cached articles (one copy of each) with its number of articles, most
        frequent first. One scan of the small rows (about 60 ms for 100k articles), for the dialog."""
        counter: Counter[str] = Counter()
        with self._db.read() as c:
            for (categories,) in c.execute(
                "SELECT categories FROM articles WHERE canonical = 1 AND categories != ''"
            ):
                counter.update(set(str(categories).split("\n")))
        counter.pop("", None)
        return sorted(counter.items(), key=lambda item: (-item[1], item[0].casefold()))

    # -- the page --------------------------------------------------------------------------------

    def in_rubriques(self, names: Sequence[str], since: int, limit: int) -> dict[str, list[int]]:
        """For each rubrique, the ids of its newest ``limit`` articles published since ``since``."""
        if not names:
            return {}
        with self._db.read() as c:
            rows = c.execute(
                "SELECT rubrique, id FROM (SELECT rubrique, id, ROW_NUMBER() OVER (PARTITION BY rubrique "
                "ORDER BY published DESC, id DESC) AS rank FROM (SELECT rubrique, id, published "
                f"FROM articles WHERE rubrique IN ({_marks(names)}) AND published >= ? "
                f"AND id NOT IN ({HIDDEN_BY_FILTERS}) "  # a filter's hide keeps it out, as from the lists
                "ORDER BY published DESC, id DESC LIMIT ?)) WHERE rank <= ? ORDER BY rubrique, rank",
                [*names, since, SCAN, limit],
            ).fetchall()
        return _grouped(rows)

    def with_tags(self, tags: Sequence[str], since: int, limit: int) -> dict[str, list[int]]:
        """For each category, the ids of the newest ``limit`` articles (one copy of each) published since
        ``since`` that carry it, exactly as stored."""
        if not tags:
            return {}
        values = ",".join("(?)" for _tag in tags)
        with self._db.read() as c:
            rows = c.execute(
                f"WITH wanted (tag) AS (VALUES {values}), recent AS MATERIALIZED (SELECT id, published, "
                "char(10) || categories || char(10) AS categories FROM articles "
                f"WHERE canonical = 1 AND published >= ? AND id NOT IN ({HIDDEN_BY_FILTERS}) "
                "ORDER BY published DESC, id DESC LIMIT ?) "
                "SELECT tag, id FROM (SELECT w.tag, r.id, ROW_NUMBER() OVER (PARTITION BY w.tag "
                "ORDER BY r.published DESC, r.id DESC) AS rank FROM wanted w JOIN recent r "
                "ON instr(r.categories, char(10) || w.tag || char(10)) > 0) "
                "WHERE rank <= ? ORDER BY tag, rank",
                [*tags, since, SCAN, limit],
            ).fetchall()
        return _grouped(rows)

    def in_dossiers(self, names: Sequence[str], since: int, limit: int) -> dict[str, list[int]]:
        """For each dossier (by name, ASCII case ignored, as dossiers are named), the ids of the ``limit``
        articles most recently put in it since ``since``. The key is the name as asked."""
        if not names:
            return {}
        found: dict[str, list[int]] = {}
        with self._db.read() as c:
            rows = c.execute(
                "SELECT name, article_id FROM (SELECT d.name, i.article_id, ROW_NUMBER() OVER "
                "(PARTITION BY d.id ORDER BY i.added DESC, i.article_id DESC) AS rank "
                "FROM dossiers d JOIN dossier_items i ON i.dossier_id = d.id "
                f"WHERE d.name IN ({_marks(names)}) AND i.added >= ?) "
                "WHERE rank <= ? ORDER BY name, rank",
                [*names, since, limit],
            ).fetchall()
        by_folded = {name.casefold(): name for name in names}
        for name, article_id in rows:
            found.setdefault(by_folded.get(str(name).casefold(), str(name)), []).append(int(article_id))
        return found

    def cards(self, ids: Sequence[int]) -> dict[int, CardRecord]:
        """The cards of ``ids`` (those still cached), by id."""
        found: dict[int, CardRecord] = {}
        with self._db.read() as c:
            for start in range(0, len(ids), 500):
                chunk = list(ids[start : start + 500])
                for r in _card_rows(c, chunk):
                    found[r.id] = r
        return found


def _card_rows(c: sqlite3.Connection, ids: Sequence[int]) -> list[CardRecord]:
    rows = c.execute(
        "SELECT a.id, a.feed_title, a.rubrique, a.title, a.kicker, a.author, a.published, a.undated, a.url, "
        "a.categories, b.summary_html, a.reserved, a.read FROM articles a "
        f"LEFT JOIN article_bodies b ON b.id = a.id WHERE a.id IN ({_marks(ids)})",
        list(ids),
    ).fetchall()
    return [
        CardRecord(
            int(r[0]),
            str(r[1]),
            str(r[2]),
            str(r[3]),
            str(r[4]),
            str(r[5]),
            int(r[6]),
            bool(r[7]),
            str(r[8]),
            [tag for tag in str(r[9]).split("\n") if tag],
            unpack(r[10]) if r[10] is not None else "",
            bool(r[11]),
            bool(r[12]),
        )
        for r in rows
    ]
