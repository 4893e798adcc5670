"""What every controller is and what it sees of the main screen.

A controller is a :class:`~textual.widget.Widget` that is never displayed: a widget for its message queue
and its workers (``@work``, ``push_screen_wait`` in dialog flows), mounted by the main screen beside the
regions it acts on. It sees the app as a :class:`~gazette_tui.ui.host.Host` and the screen as
:class:`Panes`, never as the classes themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from textual.widget import Widget

if TYPE_CHECKING:
    from gazette_tui.ui.host import Host
    from gazette_tui.ui.widgets.article_list import ArticleList
    from gazette_tui.ui.widgets.feed_tree import FeedTree
    from gazette_tui.ui.widgets.reader import Reader
    from gazette_tui.ui.widgets.status import StatusBar
    from gazette_tui.ui.widgets.welcome import Welcome


class Panes(Protocol):
    """The main screen's regions and the pane that has the focus."""

    @property
    def feed_tree(self) -> FeedTree: ...

    @property
    def articles(self) -> ArticleList: ...

    @property
    def reader(self) -> Reader: ...

    @property
    def status(self) -> StatusBar: ...

    @property
    def pane(self) -> str:
        """ "tree", "list" or "reader": where the focus is."""

    def go(self, pane: str) -> None:
        """Show (when narrow) and focus a pane."""

    def current_id(self) -> int | None:
        """The article the keys act on: the reader's when it has the focus, else the list cursor's."""

    def set_offline(self, offline: bool) -> None:
        """Show or hide the offline banner."""

    @property
    def welcome(self) -> Welcome: ...

    def set_empty(self, empty: bool) -> None:
        """Whether the cache holds no article (the welcome pane, no banner)."""


class Controller(Widget):
    DEFAULT_CSS = "Controller { display: none; }"

    def __init__(self, host: Host, panes: Panes) -> None:
        super().__init__()
        self.host = host
        self.panes = panes


class Undo:
    """The one thing key u undoes: the last "all read", dossier removal or dossier deletion."""

    def __init__(self) -> None:
        self._action: Callable[[], object] | None = None
        self._kind = ""

    def offer(self, kind: str, action: Callable[[], object] | None) -> None:
        """``action`` undoes what was just done (None: nothing to undo any more)."""
        self._action, self._kind = action, kind

    def forget(self, kind: str) -> None:
        """Drop the undo if it is of ``kind`` (another list shown: its "all read" is not undone here)."""
        if self._kind == kind:
            self._action = None

    def take(self) -> Callable[[], object] | None:
        action, self._action = self._action, None
        return action
