"""Unsubscribing so that it can be undone, for the TUI (``u`` after removing a feed).

:func:`unsubscribe` removes a feed as ``gazette-tui feeds remove`` does (its articles go, but those starred or
in a dossier, which stay detached), and keeps everything it removed
(:meth:`~gazette_tui.core.storage.feeds.FeedRepository.remove_for_undo`), the feed's credentials included:
they leave the keyring as on any unsubscription, and :func:`resubscribe` gives them back to it. Blocking
(SQLite, the keyring over D-Bus): call both from a thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from gazette_tui.core.accounts.feed_credentials import (
    FeedAuth,
    forget_secret,
    give_back,
    load_auth,
)
from gazette_tui.core.storage.feeds import credentials_key
from gazette_tui.errors import NotFoundError

if TYPE_CHECKING:
    from gazette_tui.core.storage.feed_edits import RemovedFeed
    from gazette_tui.core.storage.store import Store
    from gazette_tui.models import FeedRow


@dataclass(frozen=True, slots=True)
class Unsubscribed:
    """A feed removed, with all it takes to bring it back."""

    removed: RemovedFeed
    auth: FeedAuth | None = None
    """Its credentials, read from the keyring before they were deleted there (None: it had none)."""

    @property
    def title(self) -> str:
        return self.removed.title


def unsubscribe(store: Store, url: str) -> Unsubscribed:
    """Remove the feed at ``url``; raises :class:`NotFoundError` when there is none."""
    feed = store.feed(url)
    if feed is None:
        raise NotFoundError("store.not_subscribed", url=url)
    auth = load_auth(store, [(feed.id, feed.url)]).get(feed.id)
    had_credentials = bool(store.meta(credentials_key(feed.id)))
    # The feed first (its snapshot keeps the credentials mark): a removal that fails (another writer, a
    # full disk) must not have cost the password. Then the keyring entry, best effort.
    removed = store.subscriptions.remove_for_undo(url)
    if had_credentials:
        forget_secret(feed.id)
    return Unsubscribed(removed, auth)


def resubscribe(store: Store, gone: Unsubscribed) -> tuple[FeedRow, bool]:
    """Undo :func:`unsubscribe`: the feed, its articles with their marks, and its credentials. Returns the
    feed and whether its credentials are back (True when it had none). Raises :class:`StoreError` when the
    address was subscribed to again meanwhile."""
    feed = store.subscriptions.put_back(gone.removed)
    return feed, gone.auth is None or give_back(store, feed, gone.auth)
