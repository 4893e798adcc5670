"""The rubrique/feed tree: "Toutes", "Non lus", "Favoris", then each rubrique and its feeds, with unread
counts and an error marker on feeds whose last refresh failed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from gazette_tui.core.models import FeedRow
from gazette_tui.core.store import ArticleFilter
from gazette_tui.i18n import _
from gazette_tui.ui.bindings import translate_bindings


@dataclass(frozen=True)
class TreeTarget:
    """What a tree line stands for: a list of articles, and how to label it."""

    key: str
    title: str
    filter: ArticleFilter
    unread: int = 0
    feed: FeedRow | None = None

    @property
    def error(self) -> str | None:
        return self.feed.last_error if self.feed is not None else None


def build_targets(feeds: list[FeedRow], counts: dict[str, int]) -> list[tuple[TreeTarget, list[TreeTarget]]]:
    """The tree as data (top-level targets with their children), so it can be compared and tested."""
    top: list[tuple[TreeTarget, list[TreeTarget]]] = [
        (TreeTarget("all", _("All"), ArticleFilter(), counts.get("unread", 0)), []),
        (TreeTarget("unread", _("Unread"), ArticleFilter(unread=True), counts.get("unread", 0)), []),
        (TreeTarget("starred", _("Starred"), ArticleFilter(starred=True), counts.get("starred", 0)), []),
    ]
    folders: dict[str, list[TreeTarget]] = {}
    loose: list[TreeTarget] = []
    for feed in feeds:
        target = TreeTarget(f"feed:{feed.id}", feed.title, ArticleFilter(feed_id=feed.id), feed.unread, feed)
        (folders.setdefault(feed.rubrique, []) if feed.rubrique else loose).append(target)
    for rubrique, children in folders.items():
        unread = sum(child.unread for child in children)
        folder = TreeTarget(f"rubrique:{rubrique}", rubrique, ArticleFilter(rubrique=rubrique), unread)
        top.append((folder, children))
    top += [(target, []) for target in loose]
    return top


class FeedTree(Tree[TreeTarget]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", id="tree.down", show=False, tooltip="Next line of the tree"),
        Binding("k", "cursor_up", "Up", id="tree.up", show=False, tooltip="Previous line of the tree"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"feed-tree--count", "feed-tree--error"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text(_("Feeds")), id=id)
        translate_bindings(self)
        self.show_root = False
        self.auto_expand = False
        self.guide_depth = 2
        self._shape: list[tuple[str, list[str]]] = []
        self._by_key: dict[str, TreeNode[TreeTarget]] = {}

    @property
    def current(self) -> TreeTarget | None:
        node = self.cursor_node
        return node.data if node is not None else None

    def target(self, key: str) -> TreeTarget | None:
        node = self._by_key.get(key)
        return node.data if node is not None else None

    def show(self, feeds: list[FeedRow], counts: dict[str, int]) -> None:
        """Update counts and markers in place; rebuild only when the subscriptions changed, keeping the
        cursor on the same line's key either way."""
        targets = build_targets(feeds, counts)
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
        self.clear()
        self._by_key = {}
        for top, children in targets:
            if children:
                node = self.root.add(Text(top.title), top, expand=expanded is None or top.key in expanded)
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
        if target.unread:
            label.append(f"  {target.unread}", self.get_component_rich_style("feed-tree--count"))
        return label
