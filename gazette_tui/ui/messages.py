"""Messages that cross the screen: worker results and refresh progress. A message owned by one widget is
nested in that widget instead (``ArticleList.Selected``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from textual.message import Message

from gazette_tui.models import Article, ArticleRow, FeedRow


@dataclass
class FeedsLoaded(Message):
    """The subscriptions and the totals for the tree, read in a thread."""

    feeds: list[FeedRow]
    counts: dict[str, int]


@dataclass
class IdsLoaded(Message):
    """The ids of the list being shown; ``keep_id`` is the article to keep under the cursor."""

    ids: list[int]
    keep_id: int | None
    generation: int
    index: dict[int, int] | None = None
    """Position of each id, computed in the worker."""
    rows: list[ArticleRow] | None = None
    """The rows of the first page, read in the same worker so the first screen needs no second trip."""


@dataclass
class ArticleLoaded(Message):
    """An article read from the cache and rendered, ready for the reader pane."""

    article: Article
    rendered: Any
    """A ``gazette_tui.core.render.RenderedArticle``."""
    body: Any = None
    """The body, already parsed for display (a Rich renderable), so the UI thread only lays it out."""
    focus: bool = True
    """Move the focus to the reader (and, when narrow, show it)."""


@dataclass
class StateChanged(Message):
    """Read or starred flags changed for these articles: rows, counts and the tree need a redraw."""

    ids: list[int] = field(default_factory=list)
    read: bool | None = None
    starred: bool | None = None


@dataclass
class RefreshProgress(Message):
    """One feed of a running refresh is done."""

    done: int
    total: int
    feed_id: int
    ok: bool
    error: str | None

    def can_replace(self, message: Message) -> bool:
        # Only the latest count matters for the progress bar; errors are read from the store afterwards.
        return isinstance(message, RefreshProgress)


@dataclass
class RefreshFinished(Message):
    """The refresh is over (``report`` is a ``RefreshReport``, or None if it could not start)."""

    report: Any
    error: str | None = None
