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

import time
from dataclasses import dataclass
from datetime import datetime

from gazette_tui.core.search.query import parse
from gazette_tui.core.search.search import SearchHit, count, search_hits
from gazette_tui.core.storage.db import NameTaken
from gazette_tui.core.storage.store import Store
from gazette_tui.errors import GazetteError, QueryError
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


def _clean_name(name: str) -> str:
    cleaned = clean_line(name)
    if not cleaned:
        raise AlertError("alert.no_name")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise AlertError("alert.name_too_long", length=len(cleaned), max=MAX_NAME_LENGTH)
    return cleaned


def _taken(name: str) -> AlertError:
    return AlertError("alert.name_taken", name=name)


def save_alert(store: Store, name: str, query: str, *, now: datetime | None = None) -> Alert:
    """Save a search under ``name``. The query is checked first, against the cache too (a feed or dossier
    it names must exist): :class:`QueryError` if it is invalid, :class:`AlertError` for a bad name."""
    cleaned = _clean_name(name)
    text = clean_line(query)  # printed by ``gazette-tui alerts``: no raw control (an OSC 52 sequence…)
    parsed = parse(text)
    if parsed.empty:
        raise AlertError("alert.empty_query")
    count(store, parsed, after_id=0, now=now)  # resolves feeds and dossiers: errors now, not later
    created = int(now.timestamp()) if now is not None else int(time.time())
    try:
        alert_id, seen = store.alerts.add(cleaned, text, created)
    except NameTaken:
        raise _taken(cleaned) from None
    return Alert(alert_id, cleaned, text, created, seen)


def rename_alert(store: Store, name: str, new_name: str) -> None:
    cleaned = _clean_name(new_name)
    try:
        store.alerts.rename(name, cleaned)
    except NameTaken:
        raise _taken(cleaned) from None


def delete_alert(store: Store, name: str) -> None:
    store.alerts.delete(name)


def mark_seen(store: Store, name: str | None = None) -> None:
    """The user has looked: the alerte ``name`` (or every alerte, for None) has no new match any more."""
    store.alerts.mark_seen(name)


def list_alerts(store: Store, *, now: datetime | None = None) -> list[Alert]:
    """Every alerte, by name, with its count of new matches (``gazette-tui alerts``, the TUI's tree)."""
    rows = store.alerts.all()
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

    def counted(query: str, baseline: int) -> int | None:
        try:
            return count(store, query, after_id=baseline, now=now)
        except QueryError:
            return None

    return store.alerts.announce(counted)


def alert_hits(
    store: Store, name: str, *, new_only: bool = False, limit: int = 50, now: datetime | None = None
) -> list[SearchHit]:
    """The results of an alerte (only the new ones with ``new_only``), as :func:`search_hits` gives them."""
    alert = store.alerts.find(name)
    return search_hits(
        store, alert.query, limit=limit, now=now, after_id=alert.last_seen if new_only else None
    )
