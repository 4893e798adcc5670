"""What the sync engine asks of a server, whatever protocol it speaks: the adapter interface.

An adapter speaks one protocol (Fever today; the Google Reader API and the Miniflux API are each meant to
be one more module beside :mod:`.fever`) to one account on one server. It holds no state of its own
between calls and writes nothing: the engine keeps the cursor, the remote ids and the outbox in the
database, so that an adapter can be dropped at any moment (a crash, ``kill -9``) and a new one resumes.

The rules every adapter keeps (docs/SYNC.md, « The adapter interface »):

- **Ids are opaque strings.** Fever's are integers, Google Reader's are long tags; the engine never does
  arithmetic on them. Only the adapter knows that a Fever cursor is the highest item id seen.
- **Pages are bounded.** :meth:`SyncAdapter.items_after` gives one page (Fever: 50 items) and the cursor
  to ask for the next; the engine stores the page, then the cursor, in one transaction, so a pull killed
  between two pages starts again at the first page it had not stored.
- **State is a set.** :meth:`SyncAdapter.unread_ids` and :meth:`SyncAdapter.saved_ids` are the server's
  full sets: pulled state is a set difference against what the cache holds, never a replay of events.
- **Changes are idempotent.** A :class:`Change` sets a state (read, unread, saved, unsaved); sending it
  twice is the same as once, so the outbox can retry after a crash without knowing whether the first try
  arrived. :meth:`SyncAdapter.apply` returns False when the server no longer knows the item (a change for
  it can never apply, so the engine drops it).
- **Errors are** :class:`SyncError` **with a** ``problem``, so that a dialog can point at what is wrong
  (the password, the address, the network) and the CLI can say one plain sentence. Nothing secret (the
  password, the API key) is ever in an error, a log line or a ``repr``.
- **Transport**: credentials only over https, except to this machine, and never to another origin: an
  adapter follows no redirect by itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from gazette_tui.errors import GazetteError

Action = Literal["read", "unread", "saved", "unsaved"]
"""The state a change sets: each is idempotent (``read`` twice is ``read``)."""

Target = Literal["item", "feed", "group"]
"""What a change is about. ``feed`` and ``group`` only with ``read`` and ``before``: « mark all read »,
which reaches items not pulled yet (the server knows them; the cache may not)."""

SyncProblem = Literal["address", "insecure", "credentials", "protocol", "network", "tls", "server", "answer"]
"""What a :class:`SyncError` is about, for a dialog to point at: the address (``address``: malformed,
redirected; ``insecure``: plain http to another machine; ``protocol``: no such API there), the username
and password (``credentials``), the way there (``network``, ``tls``), or the server (``server``: it
failed, e.g. HTTP 500; ``answer``: it answered something we cannot use)."""


class SyncError(GazetteError):
    """A sync call did not succeed; the message says why in one plain sentence, ``problem`` what about."""

    def __init__(self, code: str, /, problem: SyncProblem, **params: object) -> None:
        super().__init__(code, **params)
        self.problem: SyncProblem = problem

    @property
    def retry_later(self) -> bool:
        """The server may work later as it is (down, slow, failing): keep the outbox and try again at the
        next sync. False means the user must change something (the password, the address) first."""
        return self.problem in ("network", "server")


@dataclass(frozen=True, slots=True)
class ServerInfo:
    """What a successful check learnt: the protocol's version and when the server last fetched feeds."""

    api_version: int
    last_refreshed: int | None = None
    """Unix time of the server's latest feed refresh, when it says (Fever: ``last_refreshed_on_time``)."""


@dataclass(frozen=True, slots=True)
class RemoteGroup:
    """A folder of the server (Fever: a group): a rubrique of ours."""

    id: str
    title: str


@dataclass(frozen=True, slots=True)
class RemoteFeed:
    """A subscription of the server. Its items come from the server: gazette-tui does not fetch ``url``
    itself while the account syncs it."""

    id: str
    title: str
    url: str
    site_url: str
    group_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Subscriptions:
    groups: list[RemoteGroup] = field(default_factory=list)
    feeds: list[RemoteFeed] = field(default_factory=list)

    def group_of(self, feed: RemoteFeed) -> RemoteGroup | None:
        """The feed's first group (a rubrique of ours holds a feed once), or None."""
        by_id = {group.id: group for group in self.groups}
        return next((by_id[g] for g in feed.group_ids if g in by_id), None)


@dataclass(frozen=True, slots=True)
class RemoteItem:
    """One item as the server gives it. Text is untrusted and raw: the engine sanitises it as it does a
    feed's (``text.py``) before anything stores or shows it."""

    id: str
    feed_id: str
    title: str
    author: str
    html: str
    url: str
    published: int
    """Unix time (Fever: ``created_on_time``)."""
    read: bool
    saved: bool


@dataclass(frozen=True, slots=True)
class ItemPage:
    """One bounded page of items and where the next one starts."""

    items: list[RemoteItem]
    cursor: str
    """Give it to :meth:`SyncAdapter.items_after` for the next page; store it with this page's items."""
    done: bool
    """No page after this one (for now): an incremental sync stops here."""
    total: int | None = None
    """How many items the server holds for the account, when it says: for a progress bar."""
    skipped: int = 0
    """Items of the answer that could not be read (no id, wrong types); the others are kept."""


@dataclass(frozen=True, slots=True)
class Change:
    """One local change to send: set ``action`` on the item (or feed, or group) ``remote_id``."""

    action: Action
    remote_id: str
    target: Target = "item"
    before: int = 0
    """For ``feed`` and ``group``: items published before this Unix time are marked (Fever's ``before``:
    the time of the client's last pull, so that items it has not seen yet stay unread)."""

    def __post_init__(self) -> None:
        if self.target != "item" and (self.action != "read" or self.before <= 0):
            raise ValueError("a feed or group change is 'read' with a 'before' time")


class SyncAdapter(Protocol):
    """One protocol spoken to one account (docs/SYNC.md). Async, for the engine's event loop; every call
    is bounded in time and in size, and raises :class:`SyncError`."""

    kind: str
    """The protocol's name in settings, the database and the CLI: ``fever``."""

    page_size: int
    """At most this many items per request of :meth:`items_after` and :meth:`items_with_ids`; a page of
    ``items_after`` may hold twice as many (Fever: a page and the ids it left out, asked for by id)."""

    async def check(self) -> ServerInfo:
        """One request that proves the address speaks the protocol and the credentials are good."""
        ...

    async def subscriptions(self) -> Subscriptions:
        """The account's groups and feeds."""
        ...

    async def items_after(self, cursor: str) -> ItemPage:
        """The next page of items after ``cursor`` ('' for the very first), oldest first."""
        ...

    async def items_with_ids(self, ids: Sequence[str]) -> list[RemoteItem]:
        """These items (the engine asks for those it learns of from the state sets but has not got)."""
        ...

    async def unread_ids(self) -> frozenset[str]:
        """Every unread item of the account, as the server sees it now."""
        ...

    async def saved_ids(self) -> frozenset[str]:
        """Every saved (starred) item of the account."""
        ...

    async def apply(self, change: Change) -> bool:
        """Send one change. True: the server has that state now (it may have had it already). False: the
        server does not know the item or feed any more; the change can never apply."""
        ...

    async def aclose(self) -> None:
        """Close the connections (an adapter given a client by its caller leaves it open)."""
        ...
