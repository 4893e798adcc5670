"""Filters, or kill-files: a query of the search language (``docs/QUERY.md``) and what to do with the
articles it matches, for every feed or for one:

- ``hide``: kept and searchable, but out of the lists (« Toutes », « Non lus », the rubriques' and the
  feeds') and their counts; « Favoris » and the dossiers still show what the user put there;
- ``read``: marked read (with its copies in other feeds, as by hand);
- ``star``: starred.

A filter meets every article that arrives after it was saved, at the refresh that brings it
(:func:`apply_new`, which the refresh cycle runs once the feeds are stored, so that the lists it redraws
are already filtered), and the whole cache when the user asks (:func:`apply_filter`). It sees the text the
feed gave (title, author, categories, summary or content), not a full text fetched later. Its query is
checked as a search checks one: an invalid query raises :class:`~gazette_tui.errors.QueryError` with the
position of the problem, and so does a ``feed:`` or ``in:`` that names nothing. Relative dates
(``after:7d``) are read when the filter is applied.

Removing a filter gives back to the lists what it hid; what it marked read or starred stays so (those are
the articles' own flags). What a filter did to an article is kept (``filter_marks``), so the reader says
why an article is hidden or marked. ``core/storage/filters.py`` runs all this in SQL.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime

from gazette_tui.core.search.query import parse
from gazette_tui.core.search.search import TIME_BUDGET_S, compile_plan
from gazette_tui.core.storage.db import NameTaken
from gazette_tui.core.storage.filters import ACTIONS, Applied, FilterRecord
from gazette_tui.core.storage.search_sql import SearchInterrupted
from gazette_tui.core.storage.store import Store
from gazette_tui.errors import GazetteError, NotFoundError, QueryError
from gazette_tui.i18n import _, plural
from gazette_tui.text import clean_line

__all__ = ["ACTIONS", "Applied", "Filter", "FilterError", "FiltersReport"]

MAX_NAME_LENGTH = 80


class FilterError(GazetteError):
    """A filter cannot be saved as asked (no name, a name taken, an empty query, an unknown action)."""


@dataclass(frozen=True, slots=True)
class Filter:
    name: str
    query: str
    action: str
    """One of :data:`ACTIONS`."""
    feed_url: str | None
    """The one feed it watches, or None for every feed."""
    feed_title: str
    created: int
    marks: int
    """Articles it has hidden or marked so far (each copy in another feed apart)."""
    error: str | None = None
    """Why its query no longer runs (a feed or dossier it names is gone), else None."""


@dataclass(slots=True)
class FiltersReport:
    """What the filters did to the articles of one refresh."""

    applied: dict[str, Applied] = field(default_factory=dict)
    """Filter name → what it matched and changed among the new articles."""
    errors: dict[str, str] = field(default_factory=dict)
    """Filter name → why it could not run this time."""
    actions: dict[str, str] = field(default_factory=dict)
    """Filter name → its action, for every filter that ran or tried to."""

    @property
    def changed(self) -> int:
        return sum(applied.changed for applied in self.applied.values())

    def as_json(self) -> dict[str, object]:
        return {
            "applied": {
                name: {
                    "action": self.actions.get(name),
                    "matched": applied.matched,
                    "changed": applied.changed,
                }
                for name, applied in self.applied.items()
            },
            "errors": self.errors,
        }


def action_text(action: str) -> str:
    """What an action does, in the current language (the CLI's list, the dialog)."""
    texts = {"hide": _("hidden from the lists"), "read": _("marked as read"), "star": _("starred")}
    return texts.get(action, action)


def scope_text(item: Filter) -> str:
    """Which feeds a filter watches, in the current language."""
    if item.feed_url is None:
        return _("every feed")
    return _("the feed “{name}”").format(name=item.feed_title or item.feed_url)


def applied_text(name: str, action: str, applied: Applied) -> str:
    """What applying a filter did: « Filtre « Marchés » : 12 articles trouvés, 10 nouvellement masqués. »"""
    matched = plural(applied.matched, "{count} article matched", "{count} articles matched")
    changed = {
        "hide": plural(applied.changed, "{count} newly hidden", "{count} newly hidden"),
        "read": plural(applied.changed, "{count} newly marked as read", "{count} newly marked as read"),
        "star": plural(applied.changed, "{count} newly starred", "{count} newly starred"),
    }[action]
    return _("Filter “{name}”: {matched}, {changed}.").format(name=name, matched=matched, changed=changed)


def _moment(now: datetime | None) -> int:
    return int(now.timestamp()) if now is not None else int(time.time())


def _filter(record: FilterRecord, error: str | None = None) -> Filter:
    return Filter(
        record.name,
        record.query,
        record.action,
        record.feed_url,
        record.feed_title,
        record.created,
        record.marks,
        error,
    )


def check_name(name: str) -> str:
    cleaned = clean_line(name)
    if not cleaned:
        raise FilterError("filter.no_name")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise FilterError("filter.name_too_long", length=len(cleaned), max=MAX_NAME_LENGTH)
    return cleaned


def check_action(action: str) -> str:
    wanted = action.strip().casefold()
    if wanted not in ACTIONS:
        raise FilterError("filter.bad_action", action=clean_line(action), known=", ".join(ACTIONS))
    return wanted


def check_query(store: Store, query: str, *, now: datetime | None = None) -> str:
    """The query as it is kept (one clean line), checked as a search checks it, against the cache too (a
    feed or dossier it names must exist): :class:`QueryError` with its position, or :class:`FilterError`
    for an empty one."""
    text = clean_line(query)  # printed by ``gazette-tui filters list``: no raw control
    parsed = parse(text)
    if parsed.empty:
        raise FilterError("filter.empty_query")
    compile_plan(store, parsed, now=now)
    return text


def add_filter(
    store: Store,
    name: str,
    query: str,
    action: str,
    *,
    feed_url: str | None = None,
    now: datetime | None = None,
) -> Filter:
    """Save a filter; it applies to the articles that arrive from now on (:func:`apply_filter` applies it
    to the cache). Raises :class:`QueryError`, :class:`FilterError`, or :class:`NotFoundError` for a feed
    that is not subscribed."""
    cleaned = check_name(name)
    wanted = check_action(action)
    text = check_query(store, query, now=now)
    feed_id = None
    if feed_url is not None:
        feed = store.feed(feed_url)
        if feed is None:
            raise NotFoundError("store.not_subscribed", url=clean_line(feed_url))
        feed_id = feed.id
    try:
        record = store.filters.add(cleaned, text, wanted, feed_id, _moment(now))
    except NameTaken:
        raise FilterError("filter.name_taken", name=cleaned) from None
    return _filter(record)


def find_filter(store: Store, name: str) -> Filter:
    """The filter called ``name`` (any case). Raises :class:`NotFoundError`."""
    return _filter(store.filters.find(name))


def remove_filter(store: Store, name: str) -> Filter:
    """Delete a filter: what it hid is listed again. Raises :class:`NotFoundError`."""
    return _filter(store.filters.remove(name))


def list_filters(store: Store, *, now: datetime | None = None) -> list[Filter]:
    """Every filter, by name, each with the number of articles it has marked and, when its query no longer
    runs, why."""
    found: list[Filter] = []
    for record in store.filters.all():
        try:
            compile_plan(store, record.query, now=now)
        except QueryError as problem:
            found.append(_filter(record, str(problem)))
        else:
            found.append(_filter(record))
    return found


def apply_filter(store: Store, name: str, *, now: datetime | None = None) -> Applied:
    """Apply a filter to every cached article, in one transaction within the search's time budget.
    Raises :class:`NotFoundError`, :class:`QueryError` (its query no longer runs, or runs too long)."""
    record = store.filters.find(name)
    plan = compile_plan(store, record.query, now=now)
    if plan is None:  # an empty query is never saved; one from an older file matches nothing
        return Applied(0, 0)
    try:
        return store.filters.apply(record, plan, when=_moment(now), budget=TIME_BUDGET_S)
    except SearchInterrupted:
        raise QueryError("search.too_slow", 0) from None


def apply_new(store: Store, *, now: datetime | None = None) -> FiltersReport:
    """Apply every filter to the articles that have not met the filters yet (those a refresh brought), then
    move the watermark past them. A filter whose query no longer runs is left out this time (its error is in
    the report) and the others run; a store error (the file locked, the disk full) is raised."""
    report = FiltersReport()
    if not store.filters.any():
        return report
    low, high = store.filters.pending()
    if high <= low:
        return report
    when = _moment(now)
    for record in store.filters.all():
        report.actions[record.name] = record.action
        try:
            plan = compile_plan(store, record.query, now=now)
            if plan is not None:
                applied = store.filters.apply(record, plan, (low, high), when=when, budget=TIME_BUDGET_S)
                report.applied[record.name] = applied
        except SearchInterrupted:
            report.errors[record.name] = str(QueryError("search.too_slow", 0))
        except QueryError as problem:
            report.errors[record.name] = str(problem)
    store.filters.advance(high)
    return report
