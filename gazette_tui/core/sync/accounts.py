"""Sync accounts: adding one (after a check against the server), removing one, opening its adapter, and
syncing them all.

What is kept where: the database keeps the account's name, protocol, address and username
(``sync_accounts``); the keyring keeps the key (Fever: md5 of "username:password", never the password),
entry ``sync-<id>:<username>#<kind>`` of service ``gazette-tui``. With no usable keyring the account is
**not added**, and the user is told why: a sync account that forgot its key would fail on every sync.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from urllib.parse import urlsplit

import httpx

from gazette_tui.core.accounts import secrets
from gazette_tui.core.accounts.secrets import KeyringUnavailable, Secret
from gazette_tui.core.storage.store import Store
from gazette_tui.core.storage.sync import SyncAccountRow
from gazette_tui.core.sync.adapter import SyncAdapter, SyncError
from gazette_tui.core.sync.engine import Progress, SyncReport, sync_account
from gazette_tui.core.sync.fever import FeverClient, fever_api_key, fever_endpoint
from gazette_tui.errors import NotFoundError
from gazette_tui.text import clean_line

KINDS = ("fever",)
"""The protocols an account may speak (``sync add KIND``)."""
KEY_KIND = "fever-key"


def _entry(account: SyncAccountRow | int) -> str:
    return f"sync-{account.id if isinstance(account, SyncAccountRow) else account}"


def default_name(url: str) -> str:
    """An account's name when the user gives none: the server's host."""
    return clean_line(urlsplit(url).hostname or url)[:60]


async def add_account(
    store: Store,
    kind: str,
    url: str,
    username: str,
    password: str,
    *,
    name: str = "",
    proxy: str = "",
    client: httpx.AsyncClient | None = None,
) -> SyncAccountRow:
    """Check the address and the credentials against the server (one request), then keep the account
    and its key. Raises :class:`SyncError` (nothing kept) or :class:`KeyringUnavailable`."""
    if kind not in KINDS:
        raise SyncError("sync.unknown_kind", "protocol", kind=clean_line(kind)[:40], known=", ".join(KINDS))
    username = username.strip()
    endpoint = fever_endpoint(url)
    key = fever_api_key(username, password)
    # The server first: a wrong address or password is what a user most needs to hear about, keyring or not.
    async with FeverClient(endpoint, key, client=client, proxy=proxy) as fever:
        await fever.check()
    status = await asyncio.to_thread(secrets.backend_status)
    if not status.usable:
        reason = status.reason
        raise (
            KeyringUnavailable(reason.code, **reason.params) if reason else KeyringUnavailable("keyring.none")
        )
    row = await asyncio.to_thread(
        store.sync.add_account, name or default_name(endpoint), kind, endpoint, username
    )
    try:
        await asyncio.to_thread(secrets.store_secret, _entry(row), username, key.reveal(), KEY_KIND)
    except KeyringUnavailable:
        await asyncio.to_thread(store.sync.remove_account, row.id)
        raise
    return row


def find_account(store: Store, name: str) -> SyncAccountRow:
    found = store.sync.account(name)
    if found is None:
        known = ", ".join(a.name for a in store.sync.accounts()) or "—"
        raise NotFoundError("sync.unknown_account", name=clean_line(name)[:60], known=known)
    return found


def remove_account(store: Store, name: str) -> tuple[SyncAccountRow, int]:
    """Forget an account: its rows (feeds and articles stay, as local subscriptions) and, best effort,
    its key. Returns the account and how many changes not yet sent were dropped."""
    account = find_account(store, name)
    dropped = store.sync.remove_account(account.id)
    with contextlib.suppress(KeyringUnavailable):
        secrets.delete_secret(_entry(account), account.username, KEY_KIND)
    return account, dropped


def open_adapter(
    account: SyncAccountRow, *, proxy: str = "", client: httpx.AsyncClient | None = None
) -> SyncAdapter:
    """The account's adapter, with its key from the keyring. Blocking (the keyring): call it in a thread.
    Raises :class:`SyncError` when the key cannot be read."""
    try:
        key = secrets.load_secret(_entry(account), account.username, KEY_KIND)
    except KeyringUnavailable as error:
        raise SyncError(
            "sync.key_unreadable", "credentials", name=account.name, reason=error.message
        ) from None
    if not key:
        raise SyncError("sync.no_key", "credentials", name=account.name)
    return FeverClient(account.url, Secret(key), client=client, proxy=proxy)


async def sync_all(
    store: Store,
    names: list[str] | None = None,
    *,
    proxy: str = "",
    progress: Callable[[str], Progress] | None = None,
) -> list[SyncReport]:
    """Sync the named accounts (every account when None), one after the other; a report each."""
    if names:
        accounts = [await asyncio.to_thread(find_account, store, name) for name in names]
    else:
        accounts = await asyncio.to_thread(store.sync.accounts)
    reports = []
    for account in accounts:
        try:
            adapter = await asyncio.to_thread(open_adapter, account, proxy=proxy)
        except SyncError as error:
            report = SyncReport(account.name, error=error.message, pending=account.pending)
            await asyncio.to_thread(store.sync.record_result, account.id, error.message)
            reports.append(report)
            continue
        try:
            reports.append(
                await sync_account(
                    store, account, adapter, progress=progress(account.name) if progress else None
                )
            )
        finally:
            await adapter.aclose()
    return reports
