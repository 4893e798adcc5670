"""The Fever API (https://feedafever.com/api, as Miniflux, FreshRSS, Tiny Tiny RSS's plugin, yarr and
coldsweat speak it): the first :class:`~.adapter.SyncAdapter`.

How the protocol goes, and what we do about its corners:

- every call is a POST to the endpoint with ``?api`` and the command in the query string (``&items&since_id=
  12``), and ``api_key`` = md5("username:password") in the form; a wrong key is not an HTTP error but a
  200 answer with ``"auth": 0``. The key is what the keyring keeps (docs/SYNC.md): the password itself is
  never stored, and the key is never logged, put in an error or shown by ``repr``;
- **one command per request**: some servers answer only the first command they recognise in a request, so
  ``groups`` and ``feeds``, or the two id lists, are never asked for together;
- ``items&since_id=N`` gives up to 50 items with an id above N; the next cursor is the highest id of the
  page, and a page of fewer than 50 is the last one (an incremental sync with nothing new is one request).
  A server that ignores ``since_id`` (the same ids again) ends the paging instead of looping. Not every
  server gives the *lowest* 50 ids (coldsweat goes feed by feed): a full page that leaves ids out below its
  highest has the first 50 of them asked for by id, once a sync; if some are items of ours, the ids up to
  that page's highest are asked for by id, 50 a call, each page with the cursor it covers
  (:meth:`FeverClient._scan_page`), so that the cursor never skips an item;
- ``unread_item_ids`` and ``saved_item_ids`` are the full sets, as comma-separated ids;
- ``mark=item&as=read|unread|saved|unsaved&id=N`` sets one state (``unread`` is not in the original API,
  but every server named above takes it); ``mark=feed|group&as=read&id=N&before=T`` marks what was
  published before T, group 0 being every feed. A mark for an item the server has dropped is answered
  404 by some servers: the change can never apply and :meth:`FeverClient.apply` says so (False).

Transport, as for logins (``core/accounts``): https, or plain http to this machine only; no cookies, no
proxy from the environment (``refresh.proxy`` only), no redirect followed (a redirect would carry the key
elsewhere: the user is told where it points and gives that address if it is right); each call has a total
deadline (a server dripping bytes cannot hold a sync), and an answer is read up to a size cap, decoded.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import socket
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

import httpx

from gazette_tui.core.accounts.accounts import make_client
from gazette_tui.core.accounts.feed_credentials import without_userinfo
from gazette_tui.core.accounts.profiles import secure_enough
from gazette_tui.core.accounts.secrets import Secret
from gazette_tui.core.feeds.fetch import Decoder, FetchFailure
from gazette_tui.core.sync.adapter import (
    Change,
    ItemPage,
    RemoteFeed,
    RemoteGroup,
    RemoteItem,
    ServerInfo,
    Subscriptions,
    SyncError,
)
from gazette_tui.errors import message
from gazette_tui.text import clean_line, safe_url

PAGE_SIZE = 50
"""Items per ``items`` call: the API's own limit."""
TIMEOUT = 30.0
"""Seconds a whole call may take, connecting and reading included."""
MAX_ANSWER = 16 * 1024 * 1024
"""Bytes of a decoded answer: a page of 50 long articles is a few hundred KB, and the id lists of an
account with a million items about 8 MB."""
REDIRECTS = frozenset({301, 302, 303, 307, 308})
SHOWN = 200
"""Characters of an address said in a message."""

Purpose = Literal["read", "change"]


def fever_api_key(username: str, password: str) -> Secret:
    """The account's Fever key, md5 of ``username:password`` (the API's definition, not our choice of
    hash: it is what the server compares)."""
    digest = hashlib.md5(f"{username}:{password}".encode(), usedforsecurity=False).hexdigest()
    return Secret(digest)


def _shown(url: str) -> str:
    """An address fit for a message: no userinfo, no query, no control character, not too long."""
    try:
        parts = urlsplit(without_userinfo(url))
        url = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    except ValueError:
        pass
    return clean_line(url)[:SHOWN]


def fever_endpoint(url: str) -> str:
    """The endpoint as we call it: http(s), no userinfo, no fragment, the query without ``api`` (we add
    it with each command). Raises :class:`SyncError` for an address that is not a web address, that
    carries a password, or that would send the key in clear to another machine."""
    address = safe_url(url)
    if address is None:
        raise SyncError("sync.bad_url", "address", url=clean_line(url)[:SHOWN])
    parts = urlsplit(address)
    if parts.username is not None or parts.password is not None:
        raise SyncError("sync.url_credentials", "address", url=_shown(address))
    if not secure_enough(address):
        raise SyncError("sync.not_https", "insecure", url=_shown(address))
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "api"]
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", urlencode(query), ""))


def _causes(error: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _transport_failure(error: BaseException, url: str) -> SyncError:
    """The sentence for a call that did not get an answer: what was tried and what happened, never the
    exception's own text (which may quote the request)."""
    shown = _shown(url)
    causes = _causes(error)
    if isinstance(error, TimeoutError | httpx.TimeoutException):
        return SyncError("sync.timeout", "network", url=shown, seconds=int(TIMEOUT))
    host = urlsplit(url).hostname or shown
    if any(isinstance(c, ssl.SSLError) for c in causes) or "certificate" in str(error).lower():
        return SyncError("sync.tls", "tls", host=host)
    if isinstance(error, httpx.ConnectError):
        if any(isinstance(c, ConnectionRefusedError) or "refused" in str(c).lower() for c in causes):
            return SyncError("sync.refused", "network", url=shown)
        if any(isinstance(c, socket.gaierror) for c in causes) or any(
            marker in str(error) for marker in ("Name or service not known", "nodename", "getaddrinfo")
        ):
            return SyncError("sync.host_unknown", "network", host=host)
    return SyncError("sync.network", "network", url=shown, kind=type(error).__name__)


def _id(value: object) -> str | None:
    """A Fever id (a non-negative integer, sent as a number or as digits) as a decimal string."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value) if value >= 0 else None
    if isinstance(value, str):
        value = value.strip()
        return str(int(value)) if value.isascii() and value.isdigit() and len(value) <= 30 else None
    return None


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _time(value: object) -> int:
    if isinstance(value, bool):
        return 0
    if isinstance(value, int | float) and 0 <= value < 2**42:
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return min(int(value.strip()), 2**42)
    return 0


def _flag(value: object) -> bool:
    return value in (1, True, "1")


def _ids(answer: Mapping[str, Any], key: str) -> frozenset[str]:
    """A comma-separated id list (a JSON list of ids is taken too)."""
    if key not in answer:
        raise SyncError("sync.bad_answer", "answer", reason=message("sync.reason_missing", field=key))
    value = answer[key]
    if value is None or value == "":
        return frozenset()
    if isinstance(value, str):
        parts: Sequence[object] = value.split(",")
    elif isinstance(value, list):
        parts = value
    else:
        raise SyncError("sync.bad_answer", "answer", reason=message("sync.reason_type", field=key))
    found = {_id(part) for part in parts}
    found.discard(None)
    return frozenset(i for i in found if i is not None)


def _item(raw: object) -> RemoteItem | None:
    if not isinstance(raw, dict):
        return None
    item_id, feed_id = _id(raw.get("id")), _id(raw.get("feed_id"))
    if item_id is None or feed_id is None:
        return None
    return RemoteItem(
        id=item_id,
        feed_id=feed_id,
        title=_text(raw.get("title")),
        author=_text(raw.get("author")),
        html=_text(raw.get("html")),
        url=_text(raw.get("url")),
        published=_time(raw.get("created_on_time")),
        read=_flag(raw.get("is_read")),
        saved=_flag(raw.get("is_saved")),
    )


def _list(answer: Mapping[str, Any], key: str) -> list[Any]:
    value = answer.get(key)
    if value is None:
        raise SyncError("sync.bad_answer", "answer", reason=message("sync.reason_missing", field=key))
    if not isinstance(value, list):
        raise SyncError("sync.bad_answer", "answer", reason=message("sync.reason_type", field=key))
    return value


def _feed_groups(answer: Mapping[str, Any]) -> dict[str, list[str]]:
    """``feeds_groups``: for each feed id, its groups' ids, in the server's order."""
    groups: dict[str, list[str]] = {}
    raw = answer.get("feeds_groups")
    for entry in raw if isinstance(raw, list) else []:
        if not isinstance(entry, dict):
            continue
        group_id = _id(entry.get("group_id"))
        feed_ids = entry.get("feed_ids")
        if group_id is None or not isinstance(feed_ids, str | list):
            continue
        for feed_id in feed_ids.split(",") if isinstance(feed_ids, str) else feed_ids:
            found = _id(feed_id)
            if found is not None:
                groups.setdefault(found, []).append(group_id)
    return groups


@dataclass(slots=True)
class _Scan:
    """Ids up to ``top`` to ask for by id, 50 a call, from the cursor on; ``seen``: those a page of this
    sync brought already, not asked again."""

    top: int
    seen: set[int] = field(default_factory=set)


class FeverClient:
    """A :class:`~.adapter.SyncAdapter` for one Fever account. Use as an async context manager, or call
    :meth:`aclose`; a client given by the caller is left open."""

    kind = "fever"
    page_size = PAGE_SIZE

    def __init__(
        self,
        url: str,
        api_key: Secret,
        *,
        client: httpx.AsyncClient | None = None,
        timeout: float = TIMEOUT,
        max_answer: int = MAX_ANSWER,
        proxy: str = "",
    ) -> None:
        self.url = fever_endpoint(url)
        self._key = api_key
        self.timeout = timeout
        self.max_answer = max_answer
        self.requests = 0
        """Calls made, answered or not (the benchmarks count them)."""
        self._in_order: bool | None = None
        """Whether the server's ``since_id`` pages hold the lowest ids: None until a full page with ids
        left out below its highest says (for this client, i.e. this sync)."""
        self._scan: _Scan | None = None
        self._total: int | None = None
        self._own = client is None
        self._http = client if client is not None else make_client(timeout, proxy=proxy)

    def __repr__(self) -> str:
        return f"FeverClient({self.url!r}, api_key=********)"

    async def __aenter__(self) -> FeverClient:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._own:
            await self._http.aclose()

    # -- one call ------------------------------------------------------------------------------------

    def _address(self, commands: Sequence[str], query: Mapping[str, str]) -> str:
        parts = urlsplit(self.url)
        words = [parts.query] if parts.query else []
        words += ["api", *commands]
        words += [f"{key}={quote(value, safe=',')}" for key, value in query.items()]
        return urlunsplit((parts.scheme, parts.netloc, parts.path, "&".join(words), ""))

    async def _read(self, response: httpx.Response) -> bytes:
        decoder = Decoder(response.headers.get("content-encoding", ""), self.max_answer)
        async for chunk in response.aiter_raw(64 * 1024):
            decoder.feed(chunk)
        return decoder.result()

    def _refused(self, response: httpx.Response, purpose: Purpose) -> SyncError:
        """The error for an answer that is not 200."""
        status = response.status_code
        shown = _shown(self.url)
        if status in REDIRECTS:
            target = urljoin(self.url, response.headers.get("location", ""))
            return SyncError("sync.redirected", "address", url=shown, target=_shown(target))
        if status in (401, 403):
            return SyncError("sync.credentials", "credentials", url=shown)
        if status >= 500 or status == 429:
            return SyncError("sync.server_error", "server", url=shown, status=status)
        if purpose == "change":
            return SyncError("sync.rejected", "answer", status=status)
        reason = message("fetch.http_status", status=str(status))
        return SyncError("sync.not_fever", "protocol", url=shown, reason=reason)

    def _parse(self, body: bytes) -> dict[str, Any]:
        shown = _shown(self.url)
        try:
            answer = json.loads(body)
        except (ValueError, RecursionError):
            reason = message("sync.reason_not_json")
            raise SyncError("sync.not_fever", "protocol", url=shown, reason=reason) from None
        if not isinstance(answer, dict) or "api_version" not in answer:
            reason = message("sync.reason_no_version")
            raise SyncError("sync.not_fever", "protocol", url=shown, reason=reason)
        if not _flag(answer.get("auth")):
            raise SyncError("sync.credentials", "credentials", url=shown)
        return answer

    async def _call(
        self,
        *commands: str,
        query: Mapping[str, str] | None = None,
        form: Mapping[str, str] | None = None,
        purpose: Purpose = "read",
        missing: bool = False,
    ) -> dict[str, Any] | None:
        """POST one command; the answer, checked (Fever, authorised). With ``missing``, a 404 is None."""
        address = self._address(commands, query or {})
        data = {"api_key": self._key.reveal(), **(form or {})}
        self.requests += 1
        try:
            async with asyncio.timeout(self.timeout):
                request = self._http.build_request("POST", address, data=data)
                response = await self._http.send(request, stream=True)
                try:
                    if response.status_code == 404 and missing:
                        return None
                    if response.status_code != 200:
                        raise self._refused(response, purpose)
                    body = await self._read(response)
                finally:
                    # Closing what was not read (over the cap, an error) may fail in turn: the first
                    # error is the one to say.
                    with contextlib.suppress(httpx.HTTPError, OSError):
                        await response.aclose()
        except FetchFailure as error:  # the decoder: over the cap, bad compression
            if error.code == "fetch.too_big":
                raise SyncError("sync.too_big", "answer", size=self.max_answer // (1024 * 1024)) from None
            raise SyncError("sync.bad_answer", "answer", reason=error.message) from None
        except (httpx.HTTPError, TimeoutError, OSError) as error:
            raise _transport_failure(error, self.url) from None
        finally:
            data.clear()
        return self._parse(body)

    async def _answer(self, *commands: str, query: Mapping[str, str] | None = None) -> dict[str, Any]:
        answer = await self._call(*commands, query=query)
        assert answer is not None  # only ``missing`` calls give None
        return answer

    # -- the adapter ---------------------------------------------------------------------------------

    async def check(self) -> ServerInfo:
        answer = await self._answer()
        version = answer.get("api_version")
        last = answer.get("last_refreshed_on_time")
        return ServerInfo(
            api_version=version if isinstance(version, int) and not isinstance(version, bool) else 0,
            last_refreshed=_time(last) or None,
        )

    async def subscriptions(self) -> Subscriptions:
        groups_answer = await self._answer("groups")
        feeds_answer = await self._answer("feeds")
        groups: list[RemoteGroup] = []
        for raw in _list(groups_answer, "groups"):
            group_id = _id(raw.get("id")) if isinstance(raw, dict) else None
            if group_id is not None:
                groups.append(RemoteGroup(group_id, _text(raw.get("title"))))
        membership = _feed_groups(feeds_answer) or _feed_groups(groups_answer)
        feeds: list[RemoteFeed] = []
        for raw in _list(feeds_answer, "feeds"):
            feed_id = _id(raw.get("id")) if isinstance(raw, dict) else None
            if feed_id is None:
                continue
            feeds.append(
                RemoteFeed(
                    id=feed_id,
                    title=_text(raw.get("title")),
                    url=_text(raw.get("url")),
                    site_url=_text(raw.get("site_url")),
                    group_ids=tuple(membership.get(feed_id, ())),
                )
            )
        return Subscriptions(groups, feeds)

    async def items_after(self, cursor: str) -> ItemPage:
        since = _id(cursor or "0")
        if since is None:
            raise ValueError(f"not a Fever cursor: {cursor!r}")
        if self._scan is not None and int(since) < self._scan.top:
            return await self._scan_page(int(since), self._scan)
        self._scan = None
        answer = await self._answer("items", query={"since_id": since})
        raw = _list(answer, "items")
        items: list[RemoteItem] = []
        skipped = 0
        for entry in raw:
            item = _item(entry)
            if item is None:
                skipped += 1
            elif int(item.id) > int(since):  # a server that ignores since_id gives old ids again
                items.append(item)
        items.sort(key=lambda item: int(item.id))
        total = answer.get("total_items")
        self._total = total if isinstance(total, int) and not isinstance(total, bool) else None
        full = len(raw) >= self.page_size and bool(items)
        next_cursor = items[-1].id if items else since
        if full and self._in_order is not True:
            items, next_cursor = await self._left_out(int(since), items, next_cursor)
        return ItemPage(items=items, cursor=next_cursor, done=not full, total=self._total, skipped=skipped)

    async def _left_out(
        self, since: int, items: list[RemoteItem], cursor: str
    ) -> tuple[list[RemoteItem], str]:
        """A full page that leaves ids out below its highest: the first time in this sync, the first 50 of
        them are asked for by id. None is ours: the server pages in order (those ids are other users' or
        deleted items) and no gap is asked for again. Some are: it does not (coldsweat goes feed by feed),
        the cursor stops below the first id still unseen, and the ids up to the page's highest are asked
        for by id (:meth:`_scan_page`)."""
        have = {int(item.id) for item in items}
        top = int(items[-1].id)
        if top - since <= len(have):
            return items, cursor  # no id left out
        if self._in_order is None:
            gap = [n for n in range(since + 1, top) if n not in have][: self.page_size]
            found = [i for i in await self.items_with_ids([str(n) for n in gap]) if int(i.id) not in have]
            self._in_order = not found
            items = sorted(items + found, key=lambda item: int(item.id))
            have.update(int(item.id) for item in found)
        if self._in_order:
            return items, cursor
        covered = since
        while covered + 1 in have:
            covered += 1
        self._scan = _Scan(top, {n for n in have if n > covered})
        return items, str(covered)

    async def _scan_page(self, since: int, scan: _Scan) -> ItemPage:
        """The next 50 ids after ``since`` (up to the scan's top, leaving out those seen), by id: every item
        of ours among them, and a cursor after them."""
        wanted: list[str] = []
        number = since
        while number < scan.top and len(wanted) < self.page_size:
            number += 1
            if number not in scan.seen:
                wanted.append(str(number))
        scan.seen = {n for n in scan.seen if n > number}
        found = await self.items_with_ids(wanted) if wanted else []
        asked = set(wanted)
        items = sorted((i for i in found if i.id in asked), key=lambda item: int(item.id))
        return ItemPage(items=items, cursor=str(number), done=False, total=self._total)

    async def items_with_ids(self, ids: Sequence[str]) -> list[RemoteItem]:
        wanted = sorted({i for i in (_id(value) for value in ids) if i is not None}, key=int)
        found: list[RemoteItem] = []
        for start in range(0, len(wanted), self.page_size):
            chunk = ",".join(wanted[start : start + self.page_size])
            answer = await self._answer("items", query={"with_ids": chunk})
            found += [item for item in map(_item, _list(answer, "items")) if item is not None]
        return found

    async def unread_ids(self) -> frozenset[str]:
        return _ids(await self._answer("unread_item_ids"), "unread_item_ids")

    async def saved_ids(self) -> frozenset[str]:
        return _ids(await self._answer("saved_item_ids"), "saved_item_ids")

    async def apply(self, change: Change) -> bool:
        remote_id = _id(change.remote_id)
        if remote_id is None:
            raise ValueError(f"not a Fever id: {change.remote_id!r}")
        form = {"mark": change.target, "as": change.action, "id": remote_id}
        if change.target != "item":
            form["before"] = str(change.before)
        answer = await self._call(form=form, purpose="change", missing=True)
        return answer is not None
