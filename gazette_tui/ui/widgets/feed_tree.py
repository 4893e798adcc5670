"""The rubrique/feed tree: "Toutes", "Non lus", "Favoris", the user's dossiers and alertes, then each
rubrique and its feeds, with counts and an error marker on feeds whose last refresh failed.

A line is a :class:`TreeTarget`; it knows how to read its own list of ids (in a thread), so a dossier (in
the order the articles were added) and an alerte (the results of its search) open like any feed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from gazette_tui.core.library import dossiers as dossiers_core
from gazette_tui.core.library.dossiers import Dossier
from gazette_tui.core.search import alerts as alerts_core
from gazette_tui.core.search.alerts import Alert
from gazette_tui.core.storage.store import ArticleFilter, Store
from gazette_tui.i18n import _, skipped_items
from gazette_tui.models import FeedRow
from gazette_tui.ui.bindings import translate_bindings

ALERT_LIMIT = 500
"""Results an alerte's list shows (a saved search is meant to be precise)."""


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
    """"view", "rubrique", "feed", "dossiers", "dossier", "alerts" or "alert"."""
    dossier: Dossier | None = None
    alert: Alert | None = None
    order: str = "added"
    """A dossier's order: "added" (newest added first) or "published"."""

    @property
    def error(self) -> str | None:
        if self.alert is not None:
            return self.alert.error
        if self.feed is None:
            return None
        return self.feed.last_error or (skipped_items(self.feed.dropped) if self.feed.dropped else None)

    @property
    def by_filter(self) -> bool:
        """The list is exactly ``filter`` (so "mark all as read" can use it); else it is the loaded ids."""
        return self.kind not in ("dossiers", "alerts", "alert")

    def article_ids(self, store: Store) -> list[int]:
        """The ids of this line's list, in display order. Blocking: call it from a thread worker."""
        if self.kind == "dossier" and self.dossier is not None and self.order == "added":
            return [item.row.id for item in dossiers_core.items(store, self.dossier.id, order="added")]
        if self.kind == "dossiers":
            added: dict[int, int] = {}
            for dossier in dossiers_core.list_dossiers(store):
                for item in dossiers_core.items(store, dossier.id):
                    added[item.row.id] = max(added.get(item.row.id, 0), item.added)
            return sorted(added, key=lambda article_id: (added[article_id], article_id), reverse=True)
        if self.kind == "alert" and self.alert is not None:
            if self.alert.error:
                return []
            return [hit.row.id for hit in alerts_core.alert_hits(store, self.alert.name, limit=ALERT_LIMIT)]
        if self.kind == "alerts":
            found: set[int] = set()
            for alert in alerts_core.list_alerts(store):
                if alert.new and not alert.error:
                    hits = alerts_core.alert_hits(store, alert.name, new_only=True, limit=ALERT_LIMIT)
                    found.update(hit.row.id for hit in hits)
            return sorted(found, reverse=True)  # ids grow with arrival: newest first
        return store.article_ids(self.filter)


def build_targets(
    feeds: list[FeedRow],
    counts: dict[str, int],
    dossiers: Sequence[Dossier] = (),
    alerts: Sequence[Alert] = (),
    order: str = "added",
) -> list[tuple[TreeTarget, list[TreeTarget]]]:
    """The tree as data (top-level targets with their children), so it can be compared and tested."""
    top: list[tuple[TreeTarget, list[TreeTarget]]] = [
        (TreeTarget("all", _("All"), ArticleFilter(), counts.get("unread", 0)), []),
        (TreeTarget("unread", _("Unread"), ArticleFilter(unread=True), counts.get("unread", 0)), []),
        (TreeTarget("starred", _("Starred"), ArticleFilter(starred=True), counts.get("starred", 0)), []),
    ]
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
    folders: dict[str, list[TreeTarget]] = {}
    loose: list[TreeTarget] = []
    for feed in feeds:
        target = TreeTarget(
            f"feed:{feed.id}", feed.title, ArticleFilter(feed_id=feed.id), feed.unread, feed, kind="feed"
        )
        (folders.setdefault(feed.rubrique, []) if feed.rubrique else loose).append(target)
    for rubrique, children in folders.items():
        unread = sum(child.unread for child in children)
        folder = TreeTarget(
            f"rubrique:{rubrique}", rubrique, ArticleFilter(rubrique=rubrique), unread, kind="rubrique"
        )
        top.append((folder, children))
    top += [(target, []) for target in loose]
    return top


class FeedTree(Tree[TreeTarget]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", id="tree.down", show=False, tooltip="Next line of the tree"),
        Binding("k", "cursor_up", "Up", id="tree.up", show=False, tooltip="Previous line of the tree"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"feed-tree--count", "feed-tree--error", "feed-tree--total"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text(_("Feeds")), id=id)
        translate_bindings(self)
        self.show_root = False
        self.auto_expand = False
        self.guide_depth = 2
        self.dossier_order = "added"
        """How dossiers list their articles: "added" or "published" (key O switches)."""
        self._shape: list[tuple[str, list[str]]] = []
        self._by_key: dict[str, TreeNode[TreeTarget]] = {}
        self._feeds: list[FeedRow] | None = None
        self._counts: dict[str, int] = {}
        self._dossiers: list[Dossier] = []
        self._alerts: list[Alert] = []

    @property
    def current(self) -> TreeTarget | None:
        node = self.cursor_node
        return node.data if node is not None else None

    def target(self, key: str) -> TreeTarget | None:
        node = self._by_key.get(key)
        return node.data if node is not None else None

    def show_collections(self, dossiers: list[Dossier], alerts: list[Alert]) -> None:
        """New dossiers and alertes (read in a thread); the feeds part stays as it is."""
        self._dossiers, self._alerts = dossiers, alerts
        if self._feeds is not None:
            self.show(self._feeds, self._counts)

    def redraw(self) -> None:
        """Rebuild the targets from the data already shown (after ``dossier_order`` changed)."""
        if self._feeds is not None:
            self.show(self._feeds, self._counts)

    def show(self, feeds: list[FeedRow], counts: dict[str, int]) -> None:
        """Update counts and markers in place; rebuild only when the subscriptions changed, keeping the
        cursor on the same line's key either way."""
        self._feeds, self._counts = feeds, counts
        targets = build_targets(feeds, counts, self._dossiers, self._alerts, self.dossier_order)
        shape = [(top.key, [child.key for child in children]) for top, children in targets]
        if shape == self._shape:
            for top, children in targets:
                for target in (top, *children):
                    node = self._by_key[target.key]
                    node.data = target
                    node.set_label(Text(target.title))
            return
        current = self.current.key if self.current else "all"
        expanded = {key for key, node in self._by_key.items() if node.is_expanded} if self._shape else None
        known = {key for key, _children in self._shape}
        self.clear()
        self._by_key = {}
        for top, children in targets:
            if children:
                # A section that appears for the first time (the first dossier or alerte) opens.
                expand = expanded is None or top.key in expanded or top.key not in known
                node = self.root.add(Text(top.title), top, expand=expand)
                for child in children:
                    self._by_key[child.key] = node.add_leaf(Text(child.title), child)
            else:
                node = self.root.add_leaf(Text(top.title), top)
            self._by_key[top.key] = node
        self._shape = shape
        self.select_key(current if current in self._by_key else "all")

    def all_targets(self) -> list[TreeTarget]:
        return [node.data for node in self._by_key.values() if node.data is not None]

    def feed_ids_under(self, key: str) -> list[int]:
        """The feeds of a rubrique line (or the feed of a feed line)."""
        node = self._by_key.get(key)
        if node is None:
            return []
        nodes = [node, *node.children]
        return [n.data.feed.id for n in nodes if n.data is not None and n.data.feed is not None]

    def select_key(self, key: str) -> bool:
        node = self._by_key.get(key)
        if node is None:
            return False
        parent = node.parent
        if parent is not None and not parent.is_expanded:
            parent.expand()
        self.call_after_refresh(self.move_cursor, node, animate=False)
        return True

    def render_label(self, node: TreeNode[TreeTarget], base_style: Style, style: Style) -> Text:
        label = super().render_label(node, base_style, style)
        target = node.data
        if target is None:
            return label
        if target.error:
            label = Text.assemble(("⚠ ", self.get_component_rich_style("feed-tree--error")), label)
        count = f"  {target.unread}" if target.unread else ""
        width = self.scrollable_content_region.width
        if width > 0:
            # Long names end with "…" where the pane ends (the count stays visible).
            depth, parent = 0, node.parent
            while parent is not None and parent is not self.root:
                depth, parent = depth + 1, parent.parent
            room = width - depth * self.guide_depth - len(count)
            if label.cell_len > room > 1:
                label.truncate(room, overflow="ellipsis")
        if count:
            # A dossier's number is its size, not something to read: drawn quieter than unread counts.
            part = "feed-tree--total" if target.kind == "dossier" else "feed-tree--count"
            label.append(count, self.get_component_rich_style(part))
        return label
