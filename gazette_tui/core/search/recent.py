"""The newest matches of a query published since a moment: what an alerte brings to « Ma Gazette »
(``core/library/ma_gazette.py`` takes :func:`finder` as its ``AlertFinder``; the library and search know
nothing of each other, the faces join them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from gazette_tui.core.search.query import parse
from gazette_tui.core.search.search import search_hits
from gazette_tui.core.storage.store import Store


def recent_matches(
    store: Store, query: str, since: int, limit: int, *, now: datetime | None = None
) -> list[int]:
    """Ids of the newest ``limit`` articles matching ``query`` (sorted by date whatever it says) published
    since ``since``, newest first. Raises :class:`QueryError` when the query no longer runs."""
    parsed = parse(query)
    if parsed.empty:
        return []
    hits = search_hits(store, replace(parsed, sort_option="date"), limit=limit, now=now)
    return [hit.row.id for hit in hits if hit.row.published >= since]


def finder(store: Store, *, now: datetime | None = None) -> Callable[[str, int, int], list[int]]:
    """``recent_matches`` bound to ``store``: (query, since, limit) → ids."""

    def find(query: str, since: int, limit: int) -> list[int]:
        return recent_matches(store, query, since, limit, now=now)

    return find
