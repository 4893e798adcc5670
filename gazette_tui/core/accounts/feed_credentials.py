"""Credentials written in a feed's URL (``https://alice:secret@host/feed``): they move to the OS keyring when
the feed is added (``feeds add``, OPML import), and the URL is stored, listed, echoed and exported without
them.

Rules, each for a reason:
- the password goes only to the keyring (service ``gazette-tui``, entry ``feed:<id>#basic``, see
  :mod:`.secrets`); the database keeps the clean URL and, in ``meta``, the origin the credentials were given
  for (scheme, host, port: nothing secret);
- with no usable keyring the feed is **not added**, and the user is told: a subscription that silently lost
  its password would fail with « HTTP 401 » on every refresh, and we never fall back to a file;
- Basic auth is sent only over https or to this machine (:func:`basic_allowed`): a URL with credentials over
  plain http to another host is **refused when added**, with a plain sentence, rather than kept unsent;
- the credentials are sent only to the origin they were given for: a redirect elsewhere carries none, and a
  feed id reused by another subscription does not inherit them (the origin would not match).

A database written by 0.1.0 may still hold URLs with userinfo: the fetcher strips it before any request (httpx
would send it as Basic, in clear) and applies the same rules, and every display goes through
:func:`without_userinfo`.
"""

from __future__ import annotations

import base64
import contextlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit, urlunsplit

from gazette_tui.core.accounts import secrets
from gazette_tui.core.accounts.profiles import Origin, origin_of, secure_enough
from gazette_tui.core.accounts.secrets import KeyringUnavailable, Secret
from gazette_tui.core.storage.feeds import credentials_key
from gazette_tui.errors import GazetteError, Message, message

if TYPE_CHECKING:
    from gazette_tui.core.storage.store import Store
    from gazette_tui.models import FeedRow

ACCOUNT = "feed"
KIND = "basic"


class FeedCredentialsError(GazetteError):
    """A feed's credentials cannot be kept safely (plain http elsewhere, no usable keyring): not added."""


@dataclass(frozen=True, slots=True)
class FeedAuth:
    """Basic credentials of one feed, bound to the origin they were given for: sent only there, and only
    over https or to this machine."""

    username: str
    password: Secret
    origin: Origin
    problem: str = ""
    """A message code, set when the credentials exist but cannot be read now (a locked keyring): the fetch
    fails with it."""

    def applies_to(self, url: str) -> bool:
        return not self.problem and origin_of(url) == self.origin and basic_allowed(url)

    def header(self) -> str:
        token = f"{self.username}:{self.password.reveal()}".encode()
        return "Basic " + base64.b64encode(token).decode("ascii")


def strip_userinfo(url: str) -> tuple[str, tuple[str, str] | None]:
    """``url`` without ``user:password@``, and the (percent-decoded) pair when there was one."""
    try:
        parts = urlsplit(url)
        username, password = parts.username, parts.password
    except ValueError:
        return url, None
    if username is None and password is None:
        return url, None
    host = parts.netloc.rpartition("@")[2]
    clean = urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    return clean, (unquote(username or ""), unquote(password or ""))


_USERINFO = re.compile(r"(?<=//)[^/?#@]*@")


def without_userinfo(url: str) -> str:
    """The URL fit to store, print or export: never with a password in it (even one too broken to parse)."""
    return _USERINFO.sub("", strip_userinfo(url)[0])


def basic_allowed(url: str) -> bool:
    """Whether Basic credentials may be sent to ``url``: over https, or to this machine (plain http there
    never leaves the host). Anywhere else plain http would show the password to every hop on the way."""
    return secure_enough(url)


def _origin_text(origin: Origin) -> str:
    return f"{origin[0]}://{origin[1]}:{origin[2]}"


def _refusal(clean: str) -> Message | None:
    """Why credentials in a URL cannot be kept (a phrase), or None when they can; nothing is written."""
    if not basic_allowed(clean):
        return message("credentials.not_https", url=clean)
    if not secrets.backend_status().usable:
        return message("credentials.no_keyring", url=clean)
    return None


def _not_added(reason: Message) -> Message:
    return message("credentials.not_added", reason=reason)


def _remember(store: Store, feed: FeedRow, username: str, password: str) -> None:
    origin = origin_of(feed.url)
    assert origin is not None  # safe_url and basic_allowed checked it
    value = json.dumps({"username": username, "password": password}, separators=(",", ":"))
    secrets.store_secret(ACCOUNT, str(feed.id), value, kind=KIND)
    store.set_meta(credentials_key(feed.id), _origin_text(origin))


def add_feed(store: Store, url: str, title: str = "", rubrique: str = "") -> tuple[FeedRow, bool]:
    """Subscribe to ``url``, moving any ``user:password@`` to the keyring. Returns the feed and whether it
    has credentials. Raises :class:`FeedCredentialsError` (nothing added) when they cannot be kept."""
    clean, userinfo = strip_userinfo(url)
    if userinfo is None:
        return store.add_feed(clean, title, rubrique), False
    problem = _refusal(clean)
    if problem is not None:
        raise FeedCredentialsError("credentials.not_added", reason=problem)
    feed = store.add_feed(clean, title, rubrique)
    try:
        _remember(store, feed, *userinfo)
    except KeyringUnavailable:
        store.remove_feed(feed.url)
        refused = message("credentials.refused", url=clean)
        raise FeedCredentialsError("credentials.not_added", reason=refused) from None
    return feed, True


@dataclass(slots=True)
class Imported:
    added: int = 0
    removed: int = 0
    not_added: int = 0
    """New feeds left out because their credentials could not be kept."""
    refused: list[Message] = field(default_factory=list)
    """One sentence per feed whose credentials could not be kept (no password in it)."""


def import_feeds(store: Store, feeds: Sequence[tuple[str, str, str]], *, replace: bool = False) -> Imported:
    """Subscribe to (url, title, rubrique) as an OPML import does (:meth:`Store.add_feeds`, or
    :meth:`Store.replace_feeds` with ``replace``), URLs without their userinfo, which goes to the keyring.

    A feed whose credentials cannot be kept is not added (never subscribed without its password); one that
    was already subscribed stays as it was. Credentials never replace those a feed already has."""
    result = Imported()
    wanted: list[tuple[str, str, str]] = []
    given: dict[str, tuple[tuple[str, str], bool]] = {}
    seen: set[str] = set()
    for url, title, rubrique in feeds:
        clean, userinfo = strip_userinfo(url)
        if clean in seen:
            continue
        seen.add(clean)
        existing = store.feed(clean) is not None
        if userinfo is not None:
            problem = _refusal(clean)
            if problem is None:
                given[clean] = (userinfo, existing)
            elif existing:
                result.refused.append(message("credentials.kept", url=clean, reason=problem))
            else:
                result.refused.append(_not_added(problem))
                result.not_added += 1
                continue
        wanted.append((clean, title, rubrique))
    if replace:
        result.added, result.removed = store.replace_feeds(wanted)
    else:
        result.added = store.add_feeds(wanted)
    for clean, (userinfo, existing) in given.items():
        feed = store.feed(clean)
        if feed is None or store.meta(credentials_key(feed.id)):
            continue  # has credentials already: never replaced by an import
        try:
            _remember(store, feed, *userinfo)
        except KeyringUnavailable:
            if not existing:
                store.remove_feed(clean)
                result.added -= 1
                result.not_added += 1
            result.refused.append(_not_added(message("credentials.refused", url=clean)))
    return result


def load_auth(store: Store, feeds: Sequence[tuple[int, str]]) -> dict[int, FeedAuth]:
    """The credentials of those (id, url) feeds that have some, read from the keyring. Blocking (D-Bus):
    call it in a thread. A keyring that cannot be read gives a :class:`FeedAuth` with ``problem`` set."""
    found: dict[int, FeedAuth] = {}
    for feed_id, url in feeds:
        origin = origin_of(url)
        given = store.meta(credentials_key(feed_id))
        if not given or origin is None or given != _origin_text(origin):
            continue  # none, or given for another origin (a reused id, a move to another site)
        try:
            value = secrets.load_secret(ACCOUNT, str(feed_id), kind=KIND)
        except KeyringUnavailable:
            found[feed_id] = FeedAuth("", Secret(""), origin, problem="fetch.credentials_unreadable")
            continue
        try:
            data = json.loads(value) if value else None
        except ValueError:
            data = None
        if isinstance(data, dict):
            username, password = str(data.get("username", "")), str(data.get("password", ""))
            found[feed_id] = FeedAuth(username, Secret(password), origin)
    return found


def forget(store: Store, feed_id: int) -> None:
    """Remove a feed's credentials (on unsubscribing). A keyring that cannot be reached now keeps its entry,
    which no other feed can use (it is bound to this feed's origin)."""
    if not store.meta(credentials_key(feed_id)):
        return
    store.set_meta(credentials_key(feed_id), "")
    forget_secret(feed_id)


def forget_secret(feed_id: int) -> None:
    """Delete a removed feed's password from the keyring, best effort: called once the feed is gone from
    the database (so a removal that fails keeps the password), and a keyring that cannot be reached now
    keeps its entry, which no other feed can use (it is bound to this feed's origin and id)."""
    with contextlib.suppress(KeyringUnavailable):
        secrets.delete_secret(ACCOUNT, str(feed_id), kind=KIND)


def give_back(store: Store, feed: FeedRow, auth: FeedAuth) -> bool:
    """Keep again the credentials :func:`load_auth` read before the feed was removed (an undone removal),
    for the feed as it is now (its id may be new). False when they cannot be kept now (the keyring was
    locked when they were read, or refuses them): the feed is back without them."""
    if auth.problem:
        return False
    try:
        _remember(store, feed, auth.username, auth.password.reveal())
    except KeyringUnavailable:
        return False
    return True
