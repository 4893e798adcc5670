"""The rubrique/feed tree: "Toutes", "Non lus", "Favoris", the user's dossiers and alertes, then each
rubrique and its feeds, with counts and an error marker on feeds whose last refresh failed.

A line is a :class:`~gazette_tui.ui.lists.TreeTarget` (``ui/lists.py`` builds them and reads their lists);
the widget only draws them and keeps the cursor on the same line across redraws.

A big tree stays cheap: with more than :data:`FOLD_ABOVE` feeds, rubriques start folded and a folded
rubrique's feed lines are made only when it is opened, and a line's width is never measured (labels are cut
to the pane). Textual's tree measures every line it holds and makes a node per line: 10,000 feeds took ~6 s
before the first frame."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from gazette_tui.core.library.dossiers import Dossier
from gazette_tui.core.search.alerts import Alert
from gazette_tui.i18n import _, format_number
from gazette_tui.models import FeedRow
from gazette_tui.ui.bindings import translate_bindings
from gazette_tui.ui.lists import Sections, TreeTarget, build_targets

FOLD_ABOVE = 200
"""With more feeds than this, the rubriques start folded (the user's unfolding is kept across redraws)."""


class FeedTree(Tree[TreeTarget]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", id="tree.down", show=False, tooltip="Next line of the tree"),
        Binding("k", "cursor_up", "Up", id="tree.up", show=False, tooltip="Previous line of the tree"),
        Binding(
            "g,home", "scroll_home", "First", id="tree.first", show=False, tooltip="First line of the tree"
        ),
        Binding("G,end", "scroll_end", "Last", id="tree.last", show=False, tooltip="Last line of the tree"),
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
        """The lines made so far (a folded rubrique's feeds are made when it opens)."""
        self._targets: dict[str, TreeTarget] = {}
        """Every line's target, made or not."""
        self._children: dict[str, list[TreeTarget]] = {}
        self._section_of: dict[str, str] = {}
        self._feeds: list[FeedRow] | None = None
        self._counts: dict[str, int] = {}
        self._sections: Sections | None = None
        self._dossiers: list[Dossier] = []
        self._alerts: list[Alert] = []

    @property
    def current(self) -> TreeTarget | None:
        node = self.cursor_node
        return node.data if node is not None else None

    def target(self, key: str) -> TreeTarget | None:
        return self._targets.get(key)

    def show_collections(self, dossiers: list[Dossier], alerts: list[Alert]) -> None:
        """New dossiers and alertes (read in a thread); the feeds part stays as it is."""
        self._dossiers, self._alerts = dossiers, alerts
        if self._feeds is not None:
            self.show(self._feeds, self._counts, self._sections)

    def redraw(self) -> None:
        """Rebuild the targets from the data already shown (after ``dossier_order`` changed)."""
        if self._feeds is not None:
            self.show(self._feeds, self._counts, self._sections)

    def show(self, feeds: list[FeedRow], counts: dict[str, int], sections: Sections | None = None) -> None:
        """Update counts and markers in place; rebuild only when the subscriptions changed, keeping the
        cursor on the same line's key either way. ``sections``: ``lists.feed_sections(feeds)``, made in the
        loader's thread."""
        self._feeds, self._counts, self._sections = feeds, counts, sections
        targets = build_targets(feeds, counts, self._dossiers, self._alerts, self.dossier_order, sections)
        shape = [(top.key, [child.key for child in children]) for top, children in targets]
        self._targets = {target.key: target for top, children in targets for target in (top, *children)}
        self._children = {top.key: children for top, children in targets if children}
        self._section_of = {child.key: top.key for top, children in targets for child in children}
        if shape == self._shape:
            for key, node in self._by_key.items():
                target = self._targets[key]
                if node.data != target:
                    node.data = target
                    node.set_label(Text(target.title))
            return
        current = self.current.key if self.current else "all"
        expanded = {key for key, node in self._by_key.items() if node.is_expanded} if self._shape else None
        known = {key for key, _children in self._shape}
        fold = len(feeds) > FOLD_ABOVE
        self.clear()
        self._by_key = {}
        for top, children in targets:
            if children:
                if expanded is None:
                    expand = not (fold and top.kind == "rubrique")
                else:  # a section that appears for the first time (the first dossier or alerte) opens
                    expand = top.key in expanded or (top.key not in known and not fold)
                node = self.root.add(Text(top.title), top, expand=expand)
                if expand:
                    self._make_children(node)
            else:
                node = self.root.add_leaf(Text(top.title), top)
            self._by_key[top.key] = node
        self._shape = shape
        self.select_key(current if current in self._by_key else "all")

    def _make_children(self, node: TreeNode[TreeTarget]) -> None:
        """A section's lines, made the first time it is open."""
        if node.children or node.data is None:
            return
        for child in self._children.get(node.data.key, []):
            self._by_key[child.key] = node.add_leaf(Text(child.title), child)

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[TreeTarget]) -> None:
        self._make_children(event.node)

    def all_targets(self) -> list[TreeTarget]:
        return list(self._targets.values())

    def feed_ids_under(self, key: str) -> list[int]:
        """The feeds of a rubrique line (or the feed of a feed line)."""
        target = self._targets.get(key)
        if target is None:
            return []
        targets = [target, *self._children.get(key, [])]
        return [t.feed.id for t in targets if t.feed is not None]

    def feed_after(self, key: str | None, step: int) -> str | None:
        """The key of the first feed line after (``step`` 1) or before (-1) the line ``key``, in the tree's
        order, rubriques unfolded; from a line that is not in the tree, the first or the last feed."""
        order = list(self._targets)  # every line's key, top to bottom, folded or not
        position = order.index(key) if key in order else (-1 if step > 0 else len(order))
        position += step
        while 0 <= position < len(order):
            if self._targets[order[position]].kind == "feed":
                return order[position]
            position += step
        return None

    def select_key(self, key: str) -> bool:
        section = self._by_key.get(self._section_of.get(key, ""))
        if section is not None:
            self._make_children(section)
            if not section.is_expanded:
                section.expand()
        node = self._by_key.get(key)
        if node is None:
            return False
        self.call_after_refresh(self.move_cursor, node, animate=False)
        return True

    def get_label_width(self, node: TreeNode[TreeTarget]) -> int:
        """Never measured: :meth:`render_label` cuts every label to the pane, so the tree never scrolls
        sideways, and measuring each line drew every label of the tree at every change."""
        return 1

    def render_label(self, node: TreeNode[TreeTarget], base_style: Style, style: Style) -> Text:
        label = super().render_label(node, base_style, style)
        target = node.data
        if target is None:
            return label
        if target.error:
            label = Text.assemble(("⚠ ", self.get_component_rich_style("feed-tree--error")), label)
        count = f"  {format_number(target.unread)}" if target.unread else ""  # « 20 000 »
        # A hidden feed (its ``hidden`` setting) stays in the tree, said quietly after its name.
        hidden = " · " + _("hidden") if target.feed is not None and target.feed.hidden else ""
        width = self.scrollable_content_region.width
        if width > 0:
            # Long names end with "…" where the pane ends (the count stays visible).
            depth, parent = 0, node.parent
            while parent is not None and parent is not self.root:
                depth, parent = depth + 1, parent.parent
            room = width - depth * self.guide_depth - len(count) - len(hidden)
            if label.cell_len > room > 1:
                label.truncate(room, overflow="ellipsis")
        if hidden:
            label.append(hidden, self.get_component_rich_style("feed-tree--total"))
        if count:
            # A dossier's number is its size, not something to read: drawn quieter than unread counts.
            part = "feed-tree--total" if target.kind == "dossier" else "feed-tree--count"
            label.append(count, self.get_component_rich_style(part))
        return label
