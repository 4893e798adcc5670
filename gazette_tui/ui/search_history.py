"""The search bar's history: the last queries, browsed with ↑/↓ like a shell's, kept in the database.

Kept in the ``meta`` table (key :data:`META_KEY`, a JSON list, newest last) rather than in a file of its own:
it then travels with ``gazette-tui backup`` and the demo keeps its own. Loading and saving touch SQLite, so
the dialog calls them from thread workers; browsing is plain list work on the UI thread.
"""

from __future__ import annotations

import json

from gazette_tui.core.storage.store import Store
from gazette_tui.errors import GazetteError

META_KEY = "ui.search_history"
MAX_ENTRIES = 100
MAX_QUERY_CHARS = 500


def load_history(store: Store) -> list[str]:
    """The saved queries, oldest first. A damaged value (or database) gives an empty history, not an error:
    losing the history is better than refusing to search."""
    try:
        raw = store.meta(META_KEY)
    except GazetteError:
        return []
    try:
        data = json.loads(raw) if raw else []
    except ValueError:
        return []
    if not isinstance(data, list):
        return []
    return [item for item in data if isinstance(item, str) and item.strip()][-MAX_ENTRIES:]


def remember_query(store: Store, query: str) -> list[str]:
    """Add ``query`` as the newest entry (moving it if it was there) and save; returns the new history."""
    query = query.strip()[:MAX_QUERY_CHARS]
    entries = load_history(store)
    if query:
        entries = [item for item in entries if item != query] + [query]
        entries = entries[-MAX_ENTRIES:]
        store.set_meta(META_KEY, json.dumps(entries, ensure_ascii=False))
    return entries


class HistoryBrowser:
    """↑/↓ over the history, newest first, then back to what was being typed (shell behaviour)."""

    def __init__(self, entries: list[str] | None = None) -> None:
        self.entries: list[str] = list(entries or [])
        self._position: int | None = None
        """Index into ``entries`` while browsing; None while editing the draft."""
        self._draft = ""

    def reset(self, entries: list[str] | None = None) -> None:
        if entries is not None:
            self.entries = list(entries)
        self._position = None

    @property
    def browsing(self) -> bool:
        return self._position is not None

    def older(self, current: str) -> str | None:
        """The previous (older) query, or None at the oldest one."""
        if not self.entries:
            return None
        if self._position is None:
            self._draft = current
            self._position = len(self.entries) - 1
        elif self._position > 0:
            self._position -= 1
        else:
            return None
        return self.entries[self._position]

    def newer(self) -> str | None:
        """The next (newer) query; past the newest, the draft typed before; None when not browsing."""
        if self._position is None:
            return None
        if self._position < len(self.entries) - 1:
            self._position += 1
            return self.entries[self._position]
        self._position = None
        return self._draft
