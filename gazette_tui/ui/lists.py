"""What each line of the tree lists: :class:`TreeTarget`, the tree as data (:func:`build_targets`), and the
queries that read a line's articles (:func:`list_ids`, :func:`find_unread`).

Plain Python on top of the core, no Textual: the widgets draw targets, the controllers call the readers
from thread workers (every function here that takes a ``store`` blocks on SQLite).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from gazette_tui.core.feeds.groups import by_rubrique
from gazette_tui.core.library import dossiers as dossiers_core
from gazette_tui.core.library import ma_gazette
from gazette_tui.core.library.dossiers import Dossier
from gazette_tui.core.search import alerts as alerts_core
from gazette_tui.core.search.alerts import Alert
from gazette_tui.core.search.recent import finder
from gazette_tui.core.storage.store import ArticleFilter, Store
from gazette_tui.i18n import _, skipped_items
from gazette_tui.models import FeedRow

ALERT_LIMIT = 500
"""Results an alerte's list shows (a saved search is meant to be precise)."""
SCAN = 256
"""Rows read per query when n/p look for the next unread article."""


@dataclass(frozen=True)
class TreeTarget:
    """What a tree line stands for: a list of articles, and how to label it."""

    key: str
    title: str
    filter: ArticleFilter
    unread: int = 0
    """The count drawn after the title: unread articles, a dossier's size, an alerte's new matches."""
    feed: FeedRow | None = None
    kind: str = "view"
    """"view", "rubrique", "feed", "dossiers", "dossier", "alerts", "alert", "gazette" (« Ma Gazette ») or
    "account" (a sync account: every article of its feeds)."""
    dossier: Dossier | None = None
    alert: Alert | None = None
    order: str = "added"
    """A dossier's order: "added" (newest added first) or "published"."""
    note: str | None = None
    """A sync account's line: why its last sync failed (None: it worked, or has not run)."""

    @property
    def error(self) -> str | None:
        if self.kind == "account":
            return self.note
        if self.alert is not None:
            return self.alert.error
        if self.feed is None:
            return None
        return self.feed.last_error or (skipped_items(self.feed.dropped) if self.feed.dropped else None)

    @property
    def by_filter(self) -> bool:
        """The list is exactly ``filter`` (so "mark all as read" can use it); else it is the loaded ids."""
        return self.kind not in ("dossiers", "alerts", "alert", "gazette")


def hides_read(target: TreeTarget) -> bool:
    """Whether "hide read articles" (key H) applies to this line's list: "Toutes", the rubriques and the
    feeds, the flow of news. Favourites, dossiers and alertes are lists the user made: they show it all."""
    return target.kind in ("feed", "rubrique", "account") or target.key == "all"


def list_filter(target: TreeTarget, hide_read: bool = False) -> ArticleFilter:
    """The filter of a by-filter list, with only the unread articles when read ones are hidden there."""
    if hide_read and hides_read(target):
        return replace(target.filter, unread=True)
    return target.filter


def list_ids(store: Store, target: TreeTarget, hide_read: bool = False) -> list[int]:
    """The ids of a tree line's list, in display order: a dossier in the order the articles were added, an
    alerte's search results, anything else by its filter (without the read articles when ``hide_read``
    and the list is one that hides them, :func:`hides_read`)."""
    if target.kind == "dossier" and target.dossier is not None and target.order == "added":
        return [item.row.id for item in dossiers_core.items(store, target.dossier.id, order="added")]
    if target.kind == "dossiers":
        added: dict[int, int] = {}
        for dossier in dossiers_core.list_dossiers(store):
            for item in dossiers_core.items(store, dossier.id):
                added[item.row.id] = max(added.get(item.row.id, 0), item.added)
        return sorted(added, key=lambda article_id: (added[article_id], article_id), reverse=True)
    if target.kind == "alert" and target.alert is not None:
        if target.alert.error:
            return []
        return [hit.row.id for hit in alerts_core.alert_hits(store, target.alert.name, limit=ALERT_LIMIT)]
    if target.kind == "gazette":  # the page's articles, in its order (controllers/ma_gazette.py)
        edition = ma_gazette.build(store, since=ma_gazette.window_start(store), alerts=finder(store))
        return edition.ids
    if target.kind == "alerts":
        found: set[int] = set()
        for alert in alerts_core.list_alerts(store):
            if alert.new and not alert.error:
                hits = alerts_core.alert_hits(store, alert.name, new_only=True, limit=ALERT_LIMIT)
                found.update(hit.row.id for hit in hits)
        return sorted(found, reverse=True)  # ids grow with arrival: newest first
    return store.article_ids(list_filter(target, hide_read))


def list_id_array(store: Store, target: TreeTarget, hide_read: bool = False) -> array[int]:
    """:func:`list_ids` packed in an ``array``, read straight into it for a list by filter (a million ids:
    8 MB)."""
    if by_index(target):
        return store.article_id_array(list_filter(target, hide_read))
    return array("q", list_ids(store, target, hide_read))


def by_index(target: TreeTarget) -> bool:
    """Whether a line's list is read by its filter in date order, newest first, so its first page can be
    read alone (:func:`first_ids`): every list but a dossier in the order its articles were added and the
    alertes' search results."""
    if target.kind == "dossier":
        return target.order != "added"
    return target.kind not in ("dossiers", "alert", "alerts", "gazette")


def first_ids(store: Store, target: TreeTarget, hide_read: bool, limit: int) -> list[int]:
    """The first ``limit`` ids of a list read by its filter (:func:`by_index`): the first screen's."""
    return store.article_ids(list_filter(target, hide_read), limit)


def find_unread(
    store: Store, ids: Sequence[int], start: int, step: int, cancelled: Callable[[], bool]
) -> int | None:
    """The first unread article of ``ids`` from position ``start`` in direction ``step`` (1 or -1), read
    :data:`SCAN` rows at a time; None when there is none (or ``cancelled()`` says to stop)."""
    position = start
    while 0 <= position < len(ids):
        chunk = (
            ids[position : position + SCAN] if step > 0 else ids[max(position - SCAN + 1, 0) : position + 1]
        )
        rows = store.article_rows(chunk)
        for row in rows if step > 0 else reversed(rows):
            if not row.read:
                return row.id
        position += SCAN * step
        if cancelled():
            return None
    return None


Sections = list[tuple[TreeTarget, list[TreeTarget]]]
"""Top-level targets with their children."""


def build_targets(
    feeds: list[FeedRow],
    counts: dict[str, int],
    dossiers: Sequence[Dossier] = (),
    alerts: Sequence[Alert] = (),
    order: str = "added",
    sections: Sections | None = None,
) -> Sections:
    """The tree as data (top-level targets with their children), so it can be compared and tested.
    ``sections``: :func:`feed_sections` of ``feeds`` when the caller made them already (in a thread)."""
    top: Sections = [
        (TreeTarget("all", _("All"), ArticleFilter(), counts.get("unread", 0)), []),
        (TreeTarget("unread", _("Unread"), ArticleFilter(unread=True), counts.get("unread", 0)), []),
        (TreeTarget("starred", _("Starred"), ArticleFilter(starred=True), counts.get("starred", 0)), []),
    ]
    if counts.get("themes"):  # « Ma Gazette », once a theme is followed (``Loader.reload_feeds`` counts them)
        top.insert(0, (TreeTarget("gazette", _("My Gazette"), ArticleFilter(), kind="gazette"), []))
    if dossiers:
        children = [
            TreeTarget(
                f"dossier:{d.id}",
                d.name,
                ArticleFilter(dossier_id=d.id),
                d.count,
                kind="dossier",
                dossier=d,
                order=order,
            )
            for d in sorted(dossiers, key=lambda d: (d.name.casefold(), d.id))
        ]
        top.append((TreeTarget("dossiers", _("My dossiers"), ArticleFilter(), kind="dossiers"), children))
    if alerts:
        children = [
            TreeTarget(f"alert:{a.id}", a.name, ArticleFilter(), a.new, kind="alert", alert=a) for a in alerts
        ]
        new = sum(a.new for a in alerts)
        top.append((TreeTarget("alerts", _("Alerts"), ArticleFilter(), new, kind="alerts"), children))
    return top + (feed_sections(feeds) if sections is None else sections)


def account_lines(store: Store, feeds: list[FeedRow]) -> Sections:
    """A line per sync account, before the rubriques (docs/SYNC.md): its name, the unread articles of its
    feeds, and ⚠ with the reason when its last sync failed; it lists every article of its feeds. The
    feeds themselves stay in their rubriques (the server's groups). Blocking: the loader's thread."""
    accounts = store.sync.accounts()
    if not accounts:
        return []
    unread = {feed.id: feed.unread for feed in feeds}
    lines: Sections = []
    for account in accounts:
        count = sum(unread.get(feed_id, 0) for feed_id in store.sync.feed_map(account.id).values())
        line = TreeTarget(
            f"sync:{account.id}",
            f"⇅ {account.name}",
            ArticleFilter(sync_account=account.id),
            count,
            kind="account",
            note=account.last_error,
        )
        lines.append((line, []))
    return lines


def feed_sections(feeds: list[FeedRow]) -> Sections:
    """The feeds' part of the tree: a line per rubrique with its feeds, then the feeds of none. Pure and
    language-free: the loader makes it in its thread (10,000 feeds: ~50 ms the UI does not wait for)."""
    sections: Sections = []
    for rubrique, members in by_rubrique(feeds):  # the order `gazette-tui feeds list` shows too
        children = [
            TreeTarget(f"feed:{f.id}", f.title, ArticleFilter(feed_id=f.id), f.unread, f, kind="feed")
            for f in members
        ]
        if not rubrique:
            sections += [(target, []) for target in children]
            continue
        unread = sum(child.unread for child in children)
        folder = TreeTarget(
            f"rubrique:{rubrique}", rubrique, ArticleFilter(rubrique=rubrique), unread, kind="rubrique"
        )
        sections.append((folder, children))
    return sections
