"""Alertes: saved searches that say how many new articles match since the user last looked.

Stored in ``saved_searches``. "New" is counted with article ids, not times: ``last_seen`` holds the highest
article id handed out when the user last looked (or saved the alerte), and a new match is a matching
article with a larger id. Ids only grow (a counter in ``meta``, schema v4: an id is never given twice, even
after the newest articles are deleted), so this is exact whatever the clocks of the machines that refresh
(the TUI, a cron job) say, and two events in the same second cannot hide an article. An article updated in
place keeps its id, so a correction is not "new".

``announced`` is the same kind of watermark for the TUI's notification ("Alertes — « Budget » : 2 nouveaux
articles"): :func:`announce_new` counts the matches above it and moves it, in one write transaction, so a
match is announced once, by whichever TUI refreshes first, and a refresh that lands before the TUI has
drawn anything cannot make it forget one.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from gazette_tui.core.search.query import parse
from gazette_tui.core.search.search import SearchHit, count, search_hits
from gazette_tui.core.storage import db
from gazette_tui.core.storage.store import Store, last_article_id
from gazette_tui.errors import GazetteError, NotFoundError, QueryError, StoreError
from gazette_tui.text import clean_line

MAX_NAME_LENGTH = 80


class AlertError(GazetteError):
    """An alerte cannot be saved or renamed as asked (empty or duplicate name, empty query)."""


@dataclass(frozen=True, slots=True)
class Alert:
    id: int
    name: str
    query: str
    created: int
    last_seen: int
    """The highest article id the user had seen (see the module docstring)."""
    new: int = 0
    """Matching articles newer than ``last_seen``; 0 when ``error`` is set."""
    error: str | None = None
    """Why the query cannot run any more (a feed or dossier it names is gone), else None."""


@contextmanager
def _writing(store: Store) -> Iterator[sqlite3.Connection]:
    with store.lock:
        try:
            with db.transaction(store.connection) as connection:
                yield connection
        except sqlite3.IntegrityError:
            raise
        except sqlite3.DatabaseError as error:
            raise StoreError(db._describe(store.path, error)) from None


def _watermark(connection: sqlite3.Connection) -> int:
    return last_article_id(connection)


def _clean_name(name: str) -> str:
    cleaned = clean_line(name)
    if not cleaned:
        raise AlertError("Donnez un nom à l'alerte.")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise AlertError(f"Nom d'alerte trop long ({len(cleaned)} caractères ; {MAX_NAME_LENGTH} au plus).")
    return cleaned


def _rows(connection: sqlite3.Connection) -> list[tuple[int, str, str, int, int]]:
    return [
        (int(r[0]), str(r[1]), str(r[2]), int(r[3]), int(r[4]))
        for r in connection.execute("SELECT id, name, query, created, last_seen FROM saved_searches")
    ]


def _find(connection: sqlite3.Connection, name: str) -> tuple[int, str, str, int, int]:
    """The alerte called ``name``, ignoring case for every letter (SQLite's NOCASE only folds ASCII)."""
    wanted = clean_line(name).casefold()
    for row in _rows(connection):
        if row[1].casefold() == wanted:
            return row
    raise NotFoundError(f"Aucune alerte ne s'appelle « {clean_line(name)} ».")


def _check_free(connection: sqlite3.Connection, name: str, alert_id: int | None = None) -> None:
    if any(row[1].casefold() == name.casefold() and row[0] != alert_id for row in _rows(connection)):
        raise AlertError(f"Une alerte s'appelle déjà « {name} » : choisissez un autre nom.")


def save_alert(store: Store, name: str, query: str, *, now: datetime | None = None) -> Alert:
    """Save a search under ``name``. The query is checked first, against the cache too (a feed or dossier
    it names must exist): :class:`QueryError` if it is invalid, :class:`AlertError` for a bad name."""
    cleaned = _clean_name(name)
    text = clean_line(query)  # printed by ``gazette-tui alerts``: no raw control (an OSC 52 sequence…)
    parsed = parse(text)
    if parsed.empty:
        raise AlertError("La recherche de l'alerte est vide : tapez des mots ou des filtres.")
    count(store, parsed, after_id=0, now=now)  # resolves feeds and dossiers: errors now, not later
    created = int(now.timestamp()) if now is not None else int(time.time())
    try:
        with _writing(store) as c:
            _check_free(c, cleaned)
            seen = _watermark(c)
            cursor = c.execute(
                "INSERT INTO saved_searches (name, query, created, last_seen, announced) "
                "VALUES (?, ?, ?, ?, ?)",
                (cleaned, text, created, seen, seen),
            )
            alert_id = int(cursor.lastrowid or 0)
    except sqlite3.IntegrityError:
        raise AlertError(f"Une alerte s'appelle déjà « {cleaned} » : choisissez un autre nom.") from None
    return Alert(alert_id, cleaned, text, created, seen)


def rename_alert(store: Store, name: str, new_name: str) -> None:
    cleaned = _clean_name(new_name)
    try:
        with _writing(store) as c:
            alert_id = _find(c, name)[0]
            _check_free(c, cleaned, alert_id)
            c.execute("UPDATE saved_searches SET name = ? WHERE id = ?", (cleaned, alert_id))
    except sqlite3.IntegrityError:
        raise AlertError(f"Une alerte s'appelle déjà « {cleaned} » : choisissez un autre nom.") from None


def delete_alert(store: Store, name: str) -> None:
    with _writing(store) as c:
        c.execute("DELETE FROM saved_searches WHERE id = ?", (_find(c, name)[0],))


def mark_seen(store: Store, name: str | None = None) -> None:
    """The user has looked: the alerte ``name`` (or every alerte, for None) has no new match any more."""
    with _writing(store) as c:
        seen = _watermark(c)
        if name is None:
            c.execute("UPDATE saved_searches SET last_seen = ?", (seen,))
        else:
            c.execute("UPDATE saved_searches SET last_seen = ? WHERE id = ?", (seen, _find(c, name)[0]))


def list_alerts(store: Store, *, now: datetime | None = None) -> list[Alert]:
    """Every alerte, by name, with its count of new matches (``gazette-tui alerts``, the TUI's tree)."""
    with store.lock:
        try:
            rows = store.connection.execute(
                "SELECT id, name, query, created, last_seen FROM saved_searches ORDER BY name COLLATE NOCASE"
            ).fetchall()
        except sqlite3.DatabaseError as error:
            raise StoreError(db._describe(store.path, error)) from None
    alerts: list[Alert] = []
    for alert_id, name, query, created, last_seen in rows:
        try:
            alerts.append(
                Alert(
                    alert_id,
                    name,
                    query,
                    created,
                    last_seen,
                    count(store, query, after_id=last_seen, now=now),
                )
            )
        except QueryError as problem:
            alerts.append(Alert(alert_id, name, query, created, last_seen, 0, str(problem)))
    return alerts


def new_matches(store: Store, *, now: datetime | None = None) -> dict[str, int]:
    """After a refresh: alerte name → number of new matches, for the alertes that have some."""
    return {alert.name: alert.new for alert in list_alerts(store, now=now) if alert.new}


def announce_new(store: Store, *, now: datetime | None = None) -> dict[str, int]:
    """After a refresh: alerte name → matches not seen and not announced yet, for those that have some;
    from now on they count as announced (the TUI's notification and bell).

    One write transaction: the watermark read, the counts and the move of ``announced`` see the same
    articles, and no other refresh can insert one in between, so a match is never announced twice nor
    skipped. An alerte whose query no longer runs is left alone (its error shows in the tree)."""
    found: dict[str, int] = {}
    with _writing(store) as c:
        high = _watermark(c)
        rows = c.execute(
            "SELECT id, name, query, MAX(last_seen, announced) FROM saved_searches WHERE announced < ?",
            (high,),
        ).fetchall()
        moved: list[tuple[int, int]] = []
        for alert_id, name, query, baseline in rows:
            try:
                new = count(store, query, after_id=baseline, now=now)
            except QueryError:
                continue
            if new:
                found[name] = new
            moved.append((high, alert_id))
        c.executemany("UPDATE saved_searches SET announced = ? WHERE id = ?", moved)
    return found


def alert_hits(
    store: Store, name: str, *, new_only: bool = False, limit: int = 50, now: datetime | None = None
) -> list[SearchHit]:
    """The results of an alerte (only the new ones with ``new_only``), as :func:`search_hits` gives them."""
    with store.lock:
        try:
            _, _, query, _, last_seen = _find(store.connection, name)
        except sqlite3.DatabaseError as error:
            raise StoreError(db._describe(store.path, error)) from None
    return search_hits(store, query, limit=limit, now=now, after_id=last_seen if new_only else None)
