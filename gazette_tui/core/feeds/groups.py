"""Subscriptions grouped by rubrique, in the one order both faces show them: the TUI's tree (``ui/lists.py``)
and ``gazette-tui feeds list``."""

from __future__ import annotations

from collections.abc import Sequence

from gazette_tui.models import FeedRow


def by_rubrique(feeds: Sequence[FeedRow]) -> list[tuple[str, list[FeedRow]]]:
    """Each rubrique with its feeds, in the order of ``feeds`` (the store's: by rubrique, then position),
    then the feeds without a rubrique under ``""``, last."""
    groups: dict[str, list[FeedRow]] = {}
    loose: list[FeedRow] = []
    for feed in feeds:
        (groups.setdefault(feed.rubrique, []) if feed.rubrique else loose).append(feed)
    result = list(groups.items())
    if loose:
        result.append(("", loose))
    return result
