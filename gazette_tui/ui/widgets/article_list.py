"""The article list: a ScrollView that draws only the lines on screen.

DataTable and OptionList build every row up front (5–8 s for 100k articles) and ListView mounts a widget per
row; here the list holds only the ids, packed in an ``array`` (8 bytes each: 8 MB for a million articles,
where a list of ints and a position index took ~120 MB), and fetches the rows of the visible pages in a
thread, so a million articles open as fast as 100. A long list is shown in two steps: its first page as soon
as it is read, then every id (``set_ids`` again, the cursor kept on its article). Rows not loaded yet show a
placeholder for a frame.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker

from gazette_tui.i18n import _, format_date
from gazette_tui.models import ArticleRow
from gazette_tui.ui.bindings import translate_bindings

RowLoader = Callable[[Sequence[int]], list[ArticleRow]]

PAGE = 64
"""Rows fetched per query: a screenful or two, so scrolling rarely waits."""
MAX_CACHED = 4096
"""Rows kept in memory; beyond that the cache starts again from the visible pages."""
TITLE_ROOM = 40
"""Cells a title keeps before the feed column gets any (a whole line when the list is narrower)."""
FEED_WIDTH = 24
"""The widest the feed column gets."""
FEED_MIN = 10
"""A feed column narrower than this says too little: it is left out."""
RESERVED_MARK = "€"
"""The "réservé" badge where its word does not fit: the article is for paying subscribers."""


class ArticleList(ScrollView, can_focus=True):
    """Newest first; a cursor line; unread mark, star, date, title, "réservé" badge and feed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Next article", id="list.down", show=False, tooltip="Move down"),
        Binding("k,up", "cursor_up", "Previous article", id="list.up", show=False, tooltip="Move up"),
        Binding("pagedown", "page_down", "Page down", id="list.page_down", show=False, tooltip="Page down"),
        Binding("pageup", "page_up", "Page up", id="list.page_up", show=False, tooltip="Page up"),
        Binding("g,home", "first", "First article", id="list.first", show=False, tooltip="Go to the top"),
        Binding("G,end", "last", "Last article", id="list.last", show=False, tooltip="Go to the bottom"),
        Binding("enter", "select", "Open", id="list.open", show=False, tooltip="Open the article"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-list--cursor",
        "article-list--mark",
        "article-list--unread",
        "article-list--read",
        "article-list--date",
        "article-list--star",
        "article-list--badge",
        "article-list--feed",
        "article-list--placeholder",
    }

    @dataclass
    class Highlighted(Message):
        """The cursor moved to ``article_id`` (None when the list is empty)."""

        article_id: int | None
        by_user: bool = False
        """A key or a click moved it (not a list shown or read again)."""

    @dataclass
    class Selected(Message):
        """The user asked to open ``article_id`` (enter, l or a click)."""

        article_id: int

    @dataclass
    class RowsLoaded(Message):
        """Rows read in a thread for the visible pages (internal)."""

        rows: list[ArticleRow]
        generation: int

    def __init__(self, load_rows: RowLoader, *, id: str | None = None) -> None:
        super().__init__(id=id)
        translate_bindings(self)
        self._load_rows = load_rows
        self._ids: array[int] = array("q")
        self._rows: dict[int, ArticleRow] = {}
        self._stale: dict[int, ArticleRow] = {}
        self._loading: set[int] = set()
        self._generation = 0
        self._cursor = 0

    # -- state -----------------------------------------------------------------------------------

    @property
    def ids(self) -> list[int]:
        """The ids shown, in order (a copy: ``count`` and ``snapshot`` are cheaper on a long list)."""
        return self._ids.tolist()

    @property
    def count(self) -> int:
        return len(self._ids)

    def snapshot(self) -> array[int]:
        return array("q", self._ids)  # for a worker: a memory copy, ~1 ms for a million ids

    def position_of(self, article_id: int) -> int | None:
        """Where ``article_id`` is in the list: the cursor's neighbourhood first, then the whole list."""
        ids, cursor = self._ids, self._cursor
        for position in range(max(cursor - PAGE, 0), min(cursor + PAGE, len(ids))):
            if ids[position] == article_id:
                return position
        try:
            return ids.index(article_id)
        except ValueError:
            return None

    @property
    def cursor(self) -> int:
        return self._cursor

    @property
    def current_id(self) -> int | None:
        return self._ids[self._cursor] if self._ids else None

    def row(self, article_id: int) -> ArticleRow | None:
        return self._rows.get(article_id) or self._stale.get(article_id)

    def set_ids(
        self,
        ids: Iterable[int],
        keep_id: int | None = None,
        rows: list[ArticleRow] | None = None,
    ) -> None:
        """Show a list. Reloading the same list passes ``keep_id`` (the cursor's article) so the cursor stays
        on it; a new list starts at the top. ``rows``, when given, are the first page's, read with the ids."""
        self._generation += 1
        self._stale = {**self._stale, **self._rows} if len(self._stale) < MAX_CACHED else dict(self._rows)
        self._rows = {row.id: row for row in rows} if rows else {}
        self._loading.clear()
        if rows:
            self._loading.add(0)
        self._ids = ids if isinstance(ids, array) else array("q", ids)
        self.virtual_size = Size(0, len(self._ids))
        kept = None if keep_id is None else self.position_of(keep_id)
        if keep_id is None:
            cursor = 0  # another list: start at the top
        elif kept is not None:
            cursor = kept
        else:
            cursor = min(self._cursor, max(len(self._ids) - 1, 0))  # it went away (pruned): stay on the line
        self._cursor = cursor
        self.refresh()
        self.call_after_refresh(self._scroll_to_cursor)
        self.post_message(self.Highlighted(self.current_id))

    def update_row(self, article_id: int, *, read: bool | None = None, starred: bool | None = None) -> None:
        for cache in (self._rows, self._stale):
            row = cache.get(article_id)
            if row is not None:
                if read is not None:
                    row.read = read
                if starred is not None:
                    row.starred = starred
        self.refresh()  # only the lines on screen are drawn again

    def update_rows(self, ids: list[int], *, read: bool | None = None, starred: bool | None = None) -> None:
        """Many rows at once (mark all as read): only cached rows can be on screen, so walk the cache."""
        wanted = set(ids)
        for cache in (self._rows, self._stale):
            for article_id, row in cache.items():
                if article_id in wanted:
                    row.read = row.read if read is None else read
                    row.starred = row.starred if starred is None else starred
        self.refresh()

    def move_to(self, position: int) -> None:
        if not self._ids:
            return
        position = max(0, min(position, len(self._ids) - 1))
        if position != self._cursor:
            previous, self._cursor = self._cursor, position
            self.refresh_line(previous)
            self.refresh_line(position)
            self.post_message(self.Highlighted(self.current_id, by_user=True))
        self._scroll_to_cursor()

    def move_to_id(self, article_id: int) -> bool:
        position = self.position_of(article_id)
        if position is None:
            return False
        self.move_to(position)
        return True

    def _scroll_to_cursor(self) -> None:
        height = max(self.scrollable_content_region.height, 1)
        if self._cursor < self.scroll_offset.y:
            self.scroll_to(y=self._cursor, animate=False, immediate=True)
        elif self._cursor >= self.scroll_offset.y + height:
            self.scroll_to(y=self._cursor - height + 1, animate=False, immediate=True)

    # -- actions ---------------------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        self.move_to(self._cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_to(self._cursor - 1)

    def action_page_down(self) -> None:
        self.move_to(self._cursor + max(self.scrollable_content_region.height - 1, 1))

    def action_page_up(self) -> None:
        self.move_to(self._cursor - max(self.scrollable_content_region.height - 1, 1))

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(len(self._ids) - 1)

    def action_select(self) -> None:
        if self.current_id is not None:
            self.post_message(self.Selected(self.current_id))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        position = self.scroll_offset.y + offset.y
        if 0 <= position < len(self._ids):
            self.move_to(position)
            self.action_select()

    # -- loading ---------------------------------------------------------------------------------

    def _request_page(self, page: int) -> None:
        if page in self._loading:
            return
        self._loading.add(page)
        ids = self._ids[page * PAGE : (page + 1) * PAGE].tolist()
        generation = self._generation

        def load() -> None:
            rows = self._load_rows(ids)
            if not get_current_worker().is_cancelled:
                self.post_message(self.RowsLoaded(rows, generation))

        self.run_worker(load, thread=True, group="article-rows", exit_on_error=False)

    def on_article_list_rows_loaded(self, message: RowsLoaded) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        if len(self._rows) > MAX_CACHED:
            self._rows.clear()
            self._loading.clear()
        for row in message.rows:
            self._rows[row.id] = row
        self.refresh()

    # -- drawing ---------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        position = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if position >= len(self._ids):
            return Strip.blank(width, base)
        article_id = self._ids[position]
        row = self._rows.get(article_id)
        if row is None:
            self._request_page(position // PAGE)
            row = self._stale.get(article_id)
        if position == self._cursor:
            base = base + self.get_component_rich_style("article-list--cursor", partial=True)
        if row is None:
            style = base + self.get_component_rich_style("article-list--placeholder", partial=True)
            return Strip([Segment(" " * width, style)], width)
        text = self._format(row, width, base)
        return Strip(list(text.render(self.app.console)), text.cell_len).crop_extend(0, width, base)

    def _format(self, row: ArticleRow, width: int, base: Style) -> Text:
        def style(name: str) -> Style:
            # Foreground and attributes only, so the cursor's background shows under every span (a partial
            # style would lose the blending of translucent colours such as $text-muted).
            full = self.get_component_rich_style(name)
            return Style(color=full.color, bold=full.bold, italic=full.italic, underline=full.underline)

        line = Text(style=base, no_wrap=True, end="")
        line.append("● " if not row.read else "  ", style("article-list--mark"))
        line.append("★ " if row.starred else "  ", style("article-list--star"))
        date = format_date(row.published)
        line.append(" " * len(date) if row.undated else date, style("article-list--date"))
        line.append(" ")
        badge, feed_width = self.columns(width - line.cell_len)
        tail = Text(no_wrap=True, end="")
        if row.reserved:
            tail.append(" " + badge, style("article-list--badge"))
        source = (row.feed_title or row.rubrique) if row.feed_id is not None else _("feed removed")
        if source and feed_width:
            feed = Text(source, style=style("article-list--feed"), no_wrap=True, end="")
            feed.truncate(feed_width, overflow="ellipsis")
            tail.append(" ")
            tail.append_text(feed)
        room = max(width - line.cell_len - tail.cell_len - 1, 1)
        # Titles are feed text: a Text built from the string, never parsed as markup.
        title = Text(row.title, style=style("article-list--unread" if not row.read else "article-list--read"))
        title.truncate(room, overflow="ellipsis", pad=True)
        line.append_text(title)
        line.append(" ")
        line.append_text(tail)
        return line

    @staticmethod
    def columns(room: int) -> tuple[str, int]:
        """The "réservé" badge and the width of the feed column, for ``room`` cells after the date.

        The title comes first: it keeps :data:`TITLE_ROOM` cells (or all there is) on every line, a
        reserved one with its full badge included. What is left goes to the feed column, up to
        :data:`FEED_WIDTH`; under :data:`FEED_MIN` cells it is dropped (the tree says which feed is
        shown). Only when even the title and the full badge do not fit is the badge shortened to a mark."""
        badge = _("reserved")
        full = cell_len(badge) + 1
        feed = min(FEED_WIDTH, room - TITLE_ROOM - full - 2)
        if feed < FEED_MIN:
            feed = 0
        if room - full - 1 < TITLE_ROOM:
            badge = RESERVED_MARK
        return badge, feed

    def _on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(0, len(self._ids))
        self.call_after_refresh(self._scroll_to_cursor)
