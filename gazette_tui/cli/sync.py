"""``gazette-tui sync add|list|remove|now`` and ``gazette-tui mark``: the headless face of
:mod:`gazette_tui.core.sync` (docs/SYNC.md).

The password is read with ``getpass`` from a terminal or, for scripts, from standard input with
``--password-stdin``; it is never an argument and never printed, and only the key derived from it is kept
(in the keyring). ``mark`` works on any article, synced or not: a synced one's change goes to the outbox,
and the next ``sync now`` sends it.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import sys
from typing import TYPE_CHECKING, Any

from gazette_tui.cli.context import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, Context, err, iso, out
from gazette_tui.i18n import _, format_number, plural

if TYPE_CHECKING:
    from collections.abc import Callable

    from gazette_tui.core.sync.engine import SyncReport
    from gazette_tui.core.sync.step import SyncProgress


def _password(args: argparse.Namespace) -> str | None:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if sys.stdin.isatty():
        return getpass.getpass(_("Password: "))
    return None


def cmd_sync(ctx: Context) -> int:
    action = ctx.args.sync_action
    ctx.use_language()
    if action == "add":
        return _add(ctx)
    if action == "list":
        return _list(ctx)
    if action == "remove":
        return _remove(ctx)
    return _now(ctx)


def _add(ctx: Context) -> int:
    from gazette_tui.core.sync.accounts import add_account

    args = ctx.args
    username = (args.username or "").strip()
    if not username:
        err(_("Give the username with --username."))
        return EXIT_USAGE
    password = _password(args)
    if password is None:
        err(_("No terminal to ask for the password: use --password-stdin."))
        return EXIT_USAGE
    try:
        account = asyncio.run(
            add_account(
                ctx.store,
                args.kind,
                args.url,
                username,
                password,
                name=args.name or "",
                proxy=ctx.settings.refresh.proxy,
            )
        )
    finally:
        password = ""
    out(_("Account “{name}” added: {url} as {username}.").format(**_names(account)))
    out(_("Key saved in the system keyring (service gazette-tui). Sync with “gazette-tui sync now”."))
    return EXIT_OK


def _names(account: Any) -> dict[str, str]:
    return {"name": account.name, "url": account.url, "username": account.username}


def _list(ctx: Context) -> int:
    accounts = ctx.store.sync.accounts()
    if ctx.args.json:
        data = [
            {
                "name": a.name,
                "kind": a.kind,
                "url": a.url,
                "username": a.username,
                "last_sync": iso(a.last_sync),
                "last_ok": iso(a.last_ok),
                "last_error": a.last_error,
                "pending": a.pending,
            }
            for a in accounts
        ]
        out(json.dumps(data, ensure_ascii=False, indent=1))
        return EXIT_OK
    if not accounts:
        out(_("No sync account. Add one with “gazette-tui sync add fever URL --username NAME”."))
        return EXIT_OK
    for a in accounts:
        state = a.last_error or (_("never synced") if a.last_ok is None else _("synced"))
        waiting = plural(a.pending, "{count} change waiting", "{count} changes waiting")
        out(f"{a.name:<20} {a.kind}  {a.url}  {a.username} — {state}; {waiting}")
    return EXIT_OK


def _remove(ctx: Context) -> int:
    from gazette_tui.core.sync.accounts import remove_account

    account, dropped = remove_account(ctx.store, ctx.args.name)
    out(_("Account “{name}” removed; its feeds stay as local subscriptions.").format(name=account.name))
    if dropped:
        err(plural(dropped, "{count} change not sent was dropped.", "{count} changes not sent were dropped."))
    return EXIT_OK


def _now(ctx: Context) -> int:
    from gazette_tui.core.sync.accounts import sync_all

    names = list(ctx.args.names or [])
    shown = sys.stderr.isatty() and not ctx.args.json
    reports = asyncio.run(
        sync_all(
            ctx.store,
            names or None,
            proxy=ctx.settings.refresh.proxy,
            progress=_progress_bar if shown else None,
        )
    )
    if shown:
        sys.stderr.write("\n")
    if ctx.args.json:
        out(json.dumps([r.as_json() for r in reports], ensure_ascii=False, indent=1))
    elif not reports:
        out(_("No sync account. Add one with “gazette-tui sync add fever URL --username NAME”."))
    if not ctx.args.json:
        say_reports(reports)
    return EXIT_OK if all(r.ok for r in reports) else EXIT_FAILURE


def say_reports(reports: list[SyncReport]) -> None:
    """A line per account: what it sent and got, or why it stopped (on standard error)."""
    for report in reports:
        if report.error is not None:
            err(f"{report.account}: {report.error.text()}")
            if report.pending:
                waiting = plural(report.pending, "{count} change waiting", "{count} changes waiting")
                err(_("{waiting}: sent at the next sync.").format(waiting=waiting))
            continue
        summary = _("{name}: {sent} sent, {new} new, {changed} changed by the server.").format(
            name=report.account,
            sent=report.pushed,
            new=report.new,
            changed=report.read + report.unread + report.starred + report.unstarred,
        )
        out(summary)


def say_sync(reports: list[SyncReport], error: str | None) -> None:
    """The sync's lines of ``gazette-tui refresh`` (which syncs the accounts beside the feeds)."""
    if error is not None:
        err(_("Sync not run: {error}").format(error=error))
    say_reports(reports)


def _progress_bar(account: str) -> Callable[[int, int | None], None]:
    """A first sync may bring tens of thousands of items: a bar on the terminal, page by page."""

    from gazette_tui.core.sync.step import SyncProgress

    def draw(done: int, total: int | None) -> None:
        width = 30
        filled = width * min(done, total) // total if total else 0
        bar = f"[{'#' * filled}{'.' * (width - filled)}] " if total else ""
        sys.stderr.write(f"\r{bar}{sync_progress(SyncProgress(account, done, total))}   ")
        sys.stderr.flush()

    return draw


def sync_progress(event: SyncProgress) -> str:
    """The progress line of a sync on a terminal (a first sync may bring thousands of items)."""
    done = format_number(event.done)
    if event.total:
        return _("{account}: {done}/{total} items synced").format(
            account=event.account, done=done, total=format_number(event.total)
        )
    return _("{account}: {done} items synced").format(account=event.account, done=done)


def _marked(args: argparse.Namespace, count: int) -> str:
    if args.read:
        return plural(count, "{count} article marked read.", "{count} articles marked read.")
    if args.unread:
        return plural(count, "{count} article marked unread.", "{count} articles marked unread.")
    if args.star:
        return plural(count, "{count} article starred.", "{count} articles starred.")
    return plural(count, "{count} article unstarred.", "{count} articles unstarred.")


def cmd_mark(ctx: Context) -> int:
    """Set a state on articles; for a synced one the change goes to the outbox (the same transaction)."""
    args = ctx.args
    ctx.use_language()
    store = ctx.store
    ids = list(dict.fromkeys(args.ids))
    for article_id in ids:
        store.article(article_id)  # an unknown id is said before anything changes
    if args.read or args.unread:
        store.set_read(ids, read=bool(args.read))
    else:
        for article_id in ids:
            store.set_starred(article_id, bool(args.star))
    out(_marked(args, len(ids)))
    waiting = store.sync.pending_count()
    if waiting:
        out(
            plural(
                waiting,
                "{count} change waiting to be sent (gazette-tui sync now).",
                "{count} changes waiting to be sent (gazette-tui sync now).",
            )
        )
    return EXIT_OK


def add_commands(sub: Any) -> None:
    """``sync`` and ``mark`` on the CLI's subparsers."""
    json_help = _("print JSON instead of text")
    p = sub.add_parser("sync", help=_("two-way sync with your feed server (Fever API)"))
    actions = p.add_subparsers(dest="sync_action", metavar=_("ACTION"), required=True, title=_("actions"))
    q = actions.add_parser("add", help=_("add an account on a server (checked first)"))
    q.add_argument("kind", choices=["fever"], help=_("the server's protocol"))
    q.add_argument("url", metavar="URL", help=_("the API's address, e.g. https://rss.example.org/fever/"))
    q.add_argument("--username", metavar=_("USERNAME"), help=_("your username on the server"))
    q.add_argument("--password-stdin", action="store_true", help=_("read the password on standard input"))
    q.add_argument("--name", metavar=_("NAME"), help=_("the account's name (default: the server's host)"))
    q = actions.add_parser("list", help=_("the sync accounts"))
    q.add_argument("--json", action="store_true", help=json_help)
    q = actions.add_parser("remove", help=_("remove an account (its feeds stay, as local subscriptions)"))
    q.add_argument("name", metavar=_("NAME"), help=_("the account's name"))
    q = actions.add_parser("now", help=_("send local changes, then get the server's"))
    q.add_argument("names", nargs="*", metavar=_("NAME"), help=_("these accounts only"))
    q.add_argument("--json", action="store_true", help=json_help)
    p.set_defaults(run=cmd_sync)

    p = sub.add_parser("mark", help=_("mark articles read, unread, starred or not starred"))
    p.add_argument("ids", nargs="+", type=int, metavar="ID", help=_("article ids (see search --json)"))
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--read", action="store_true", help=_("mark read"))
    which.add_argument("--unread", action="store_true", help=_("mark unread"))
    which.add_argument("--star", action="store_true", help=_("star"))
    which.add_argument("--unstar", action="store_true", help=_("remove the star"))
    p.set_defaults(run=cmd_mark)
