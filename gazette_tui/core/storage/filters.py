"""Filters (kill-files, tables ``filters`` and ``filter_marks`` of schema 7): a query of the search language
and an action, ``hide``, ``read`` or ``star``, for every feed or for one; ``core/search/filters.py`` says
what they mean and compiles their queries, this module runs them.

Applying a filter runs the search engine's own conditions (:func:`~.search_sql.plan_conditions`) once, in
SQL, into a TEMP table of the writer's connection; from there every article matched gets a mark (the
filter, the action, the time) in ``filter_marks``, and for ``read`` and ``star`` one ``UPDATE`` sets the
flag on those articles and their copies in other feeds (the same link), as marking by hand does. No
matched article passes through Python. Every copy of an article is matched (a feed's list shows its own
copy, which is not always the one « Toutes » shows); a filter of one feed matches only that feed's copies.

The lists leave out the articles a ``hide`` mark names (``articles.HIDDEN_BY_FILTERS``, a set SQLite builds
once per query from the ``(action, article_id)`` index, so the lists' scans stay on the articles' covering
indexes); search still finds them.

New articles meet the filters through a watermark, as the alertes count theirs: :data:`FILTERS_SEEN` in
``meta`` holds the highest article id the filters have been applied to; ids only grow (``articles.py``), so
the articles above it are exactly those that have not met the filters yet, whatever the clocks say. Two
refreshes at once (the TUI and cron) may both apply the same range: a mark is set, never added twice, and
the watermark only moves up.

Names are found ignoring case for every letter (``casefold``): SQLite's ``NOCASE`` only folds ASCII.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import NamedTuple

from gazette_tui.core.storage.articles import HIDDEN_BY_FILTERS, last_article_id
from gazette_tui.core.storage.connections import Connections
from gazette_tui.core.storage.db import NameTaken
from gazette_tui.core.storage.search_sql import (
    PROGRESS_STEPS,
    SearchInterrupted,
    SearchPlan,
    Window,
    plan_conditions,
)
from gazette_tui.errors import NotFoundError
from gazette_tui.models import FilterMark
from gazette_tui.text import clean_line

ACTIONS = ("hide", "read", "star")
FILTERS_SEEN = "filters_seen"
"""The ``meta`` key of the highest article id the filters have been applied to."""


_FLAGS = {"read": "read", "star": "starred"}
_ONE_ARTICLE = "CASE WHEN url != '' THEN url ELSE '#' || id END"
"""An article counted once however many feeds carry it (its link; its id when it has none)."""


class FilterRecord(NamedTuple):
    id: int
    name: str
    query: str
    action: str
    feed_id: int | None
    feed_url: str | None
    """The address of ``feed_id``; None for a filter of every feed."""
    feed_title: str
    created: int
    marks: int
    """Articles it has marked (each copy in another feed apart)."""


@dataclass(frozen=True, slots=True)
class Applied:
    matched: int
    """Articles the filter matched (and marked) this time, each counted once however many feeds carry it
    (every copy gets its mark)."""
    changed: int
    """Of these, articles it changed, each counted once however many feeds carry it: newly hidden (by no
    filter before), or newly marked read or starred."""


_SELECT = (
    "SELECT f.id, f.name, f.query, f.action, f.feed_id, s.url, COALESCE(s.title, ''), f.created, "
    "(SELECT COUNT(*) FROM filter_marks m WHERE m.filter_id = f.id) "
    "FROM filters f LEFT JOIN feeds s ON s.id = f.feed_id"
)


def _rows(c: sqlite3.Connection) -> list[FilterRecord]:
    return [
        FilterRecord(
            int(r[0]),
            str(r[1]),
            str(r[2]),
            str(r[3]),
            r[4],
            r[5],
            str(r[6] or r[5] or ""),
            int(r[7]),
            int(r[8]),
        )
        for r in c.execute(_SELECT + " ORDER BY f.name COLLATE NOCASE, f.id")
    ]


def _find(c: sqlite3.Connection, name: str) -> FilterRecord:
    wanted = clean_line(name).casefold()
    for row in _rows(c):
        if row.name.casefold() == wanted:
            return row
    raise NotFoundError("filter.not_found", name=clean_line(name))


@contextmanager
def _budget(c: sqlite3.Connection, seconds: float | None) -> Iterator[None]:
    """Stop a statement that runs past ``seconds`` (the search's own budget): :class:`SearchInterrupted`.
    SQLite then rolls the whole transaction back, so a filter is applied in a transaction of its own."""
    if seconds is None:
        yield
        return
    deadline = time.monotonic() + seconds
    c.set_progress_handler(lambda: int(time.monotonic() > deadline), PROGRESS_STEPS)
    try:
        yield
    except sqlite3.OperationalError as error:
        if "interrupted" in str(error):
            raise SearchInterrupted("search.too_slow") from None
        raise
    finally:
        c.set_progress_handler(None, 0)


class FilterRepository:
    def __init__(self, connections: Connections) -> None:
        self._db = connections

    def any(self) -> bool:
        with self._db.read() as c:
            return c.execute("SELECT 1 FROM filters LIMIT 1").fetchone() is not None

    def all(self) -> list[FilterRecord]:
        """Every filter, by name, with the number of articles it has marked."""
        with self._db.read() as c:
            return _rows(c)

    def find(self, name: str) -> FilterRecord:
        """The filter called ``name`` (any case); raises :class:`NotFoundError`."""
        with self._db.read() as c:
            return _find(c, name)

    def add(self, name: str, query: str, action: str, feed_id: int | None, created: int) -> FilterRecord:
        """Save a filter; it meets the articles that arrive from now on. Raises :class:`NameTaken`."""
        with self._db.write() as c:
            if any(row.name.casefold() == name.casefold() for row in _rows(c)):
                raise NameTaken(name)
            if c.execute("SELECT 1 FROM filters LIMIT 1").fetchone() is None:
                # The first filter: what is cached already is not "new" to it (``apply`` is for that).
                c.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                    (FILTERS_SEEN, last_article_id(c)),
                )
            try:
                c.execute(
                    "INSERT INTO filters (name, query, action, feed_id, created) VALUES (?, ?, ?, ?, ?)",
                    (name, query, action, feed_id, created),
                )
            except sqlite3.IntegrityError:
                raise NameTaken(name) from None
            return _find(c, name)

    def remove(self, name: str) -> FilterRecord:
        """Delete a filter and its marks: the articles it hid are listed again; what it marked read or
        starred stays so (those are the articles' own flags). Returns what it was."""
        with self._db.write() as c:
            found = _find(c, name)
            c.execute("DELETE FROM filter_marks WHERE filter_id = ?", (found.id,))
            c.execute("DELETE FROM filters WHERE id = ?", (found.id,))
            return found

    def pending(self) -> tuple[int, int]:
        """``(low, high)``: the articles with an id in ``(low, high]`` have not met the filters yet."""
        with self._db.read() as c:
            high = last_article_id(c)
            row = c.execute("SELECT value FROM meta WHERE key = ?", (FILTERS_SEEN,)).fetchone()
        low = int(row[0]) if row is not None else high
        return min(low, high), high

    def advance(self, seen: int) -> None:
        """The filters have met every article up to ``seen`` (the watermark never moves down)."""
        with self._db.write() as c:
            c.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = "
                "MAX(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))",
                (FILTERS_SEEN, seen),
            )

    def marks_of(self, article_id: int) -> list[FilterMark]:
        """What the filters did to an article, for the reader: the filters that hid it, and those that
        marked it or a copy of it in another feed (the flags are shared by every copy) read or starred."""
        with self._db.read() as c:
            rows = c.execute(
                "SELECT f.name, m.action, m.applied, m.article_id = ? FROM filter_marks m "
                "JOIN filters f ON f.id = m.filter_id WHERE m.article_id = ? OR m.article_id IN "
                "(SELECT id FROM articles WHERE url != '' AND url = "
                "(SELECT url FROM articles WHERE id = ?)) "
                "ORDER BY CASE m.action WHEN 'hide' THEN 0 WHEN 'read' THEN 1 ELSE 2 END, f.name",
                (article_id, article_id, article_id),
            ).fetchall()
        seen: set[tuple[str, str]] = set()
        marks: list[FilterMark] = []
        for name, action, applied, own in rows:
            if (action == "hide" and not own) or (name, action) in seen:
                continue  # a copy hidden in another feed's list is still listed here
            seen.add((name, action))
            marks.append(FilterMark(str(name), str(action), int(applied)))
        return marks

    def apply(
        self,
        record: FilterRecord,
        plan: SearchPlan,
        window: Window = None,
        *,
        when: int,
        budget: float | None = None,
    ) -> Applied:
        """Apply ``record``, whose query compiled to ``plan``, to the articles with an id in ``window``
        (``(low, high]``; None: the whole cache), in one write transaction stopped after ``budget`` seconds
        (:class:`SearchInterrupted`, nothing written)."""
        where, params = plan_conditions(replace(plan, one_copy=False), window)
        if window is not None:
            where += ["a.id > ?", "a.id <= ?"]
            params += list(window)
        if record.feed_id is not None:
            where.append("a.feed_id = ?")
            params.append(record.feed_id)
        condition = " AND ".join(where) or "1"
        with self._db.write() as c, _budget(c, budget):
            c.execute("CREATE TEMP TABLE IF NOT EXISTS filter_matched (id INTEGER PRIMARY KEY, url TEXT)")
            c.execute("DELETE FROM temp.filter_matched")
            c.execute(
                "INSERT INTO temp.filter_matched (id, url) "
                f"SELECT a.id, a.url FROM articles a WHERE {condition}",
                params,
            )
            # Counted as search and mark-all-read count: an article once, however many feeds carry it.
            matched = c.execute(f"SELECT COUNT(DISTINCT {_ONE_ARTICLE}) FROM temp.filter_matched").fetchone()[
                0
            ]
            if record.action == "hide":
                changed = c.execute(
                    f"SELECT COUNT(DISTINCT {_ONE_ARTICLE}) FROM temp.filter_matched "
                    f"WHERE id NOT IN ({HIDDEN_BY_FILTERS})"
                ).fetchone()[0]
            else:
                flag = _FLAGS[record.action]
                # The articles matched and their copies in other feeds: a flag goes to every copy.
                rows = c.execute(
                    f"UPDATE articles SET {flag} = 1 WHERE {flag} = 0 AND (id IN "
                    "(SELECT id FROM temp.filter_matched) OR url IN "
                    "(SELECT url FROM temp.filter_matched WHERE url != '')) RETURNING id, url",
                ).fetchall()
                changed = len({url or f"#{article_id}" for article_id, url in rows})
            c.execute(
                "INSERT INTO filter_marks (article_id, filter_id, action, applied) "
                "SELECT id, ?, ?, ? FROM temp.filter_matched WHERE true "
                "ON CONFLICT (article_id, filter_id) DO UPDATE SET applied = excluded.applied",
                (record.id, record.action, when),
            )
            c.execute("DELETE FROM temp.filter_matched")
            return Applied(int(matched), int(changed))
