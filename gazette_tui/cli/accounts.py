"""``gazette-tui login``, ``logout`` and ``accounts``: the headless face of
:mod:`gazette_tui.core.accounts.accounts`.

Wired into the parser by :func:`add_commands`; each command takes the CLI's context
(args, paths, settings, store) and returns an exit code: 0 ok, 1 failure, 2 usage. The password is read with
``getpass`` from a terminal or, for scripts, from standard input with ``--password-stdin``; it is never an
argument (it would show in ``ps`` and the shell history) and never printed.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import sys
from typing import TYPE_CHECKING, Any

from gazette_tui.cli.context import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, Context, demo_runtime_file, err, out
from gazette_tui.core.accounts.profiles import DEFAULT_ACCOUNT
from gazette_tui.i18n import _

if TYPE_CHECKING:
    from gazette_tui.core.accounts.accounts import Accounts


def _accounts(ctx: Context) -> Accounts:
    from gazette_tui.core.accounts.accounts import Accounts

    return Accounts(ctx.store, ctx.paths.config_dir, proxy=ctx.settings.refresh.proxy)


def _read_password(args: argparse.Namespace) -> str | None:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if sys.stdin.isatty():
        return getpass.getpass(_("Password: "))
    return None


def _find_demo_site(known: str) -> str | None:
    """Where the demo site runs: the address a running ``demo-server`` left, the one the account knows, then
    the demo's fixed port. None (and said on stderr, with every address tried) when none of them answers."""
    from gazette_tui.demo.discovery import DEMO_URL, find_demo_site, runtime_url

    candidates = [runtime_url(demo_runtime_file()), known, DEMO_URL + "/"]
    found = find_demo_site(candidates)
    if found is None:
        tried = ", ".join(dict.fromkeys(url.rstrip("/") + "/" for url in candidates if url))
        message = _(
            "No demo site answers at {tried}. Start one with “gazette-tui demo-server” (it prints the "
            "address), or give its address with --url."
        )
        err(message.format(tried=tried))
    return found


def cmd_login(ctx: Context) -> int:
    from gazette_tui.core.accounts.accounts import LoginError

    args = ctx.args
    ctx.use_language()
    name = args.account or DEFAULT_ACCOUNT
    accounts = _accounts(ctx)
    profile = accounts.profile(name)  # an unknown account is reported before any prompt
    if args.url:
        accounts.set_site_url(name, args.url)
        profile = accounts.profile(name)
    elif name == "demo" and profile.rebase:
        found = _find_demo_site(profile.site_url)
        if found is None:
            return EXIT_FAILURE
        if found != profile.site_url:
            accounts.set_site_url(name, found)
            profile = accounts.profile(name)
    known = next((s.username for s in accounts.status() if s.name == name), "")
    username = (args.username or "").strip() or known
    if not username:
        if not sys.stdin.isatty() or args.password_stdin:
            err(_("Give the username with --username."))
            return EXIT_USAGE
        username = input(_("Email address: ")).strip()
    if args.reset:
        try:
            out(asyncio.run(accounts.reset(name, username)))
        except LoginError as error:
            err(str(error))
            return EXIT_FAILURE
        return EXIT_OK
    password = _read_password(args)
    if password is None:
        err(_("No terminal to ask for the password: use --password-stdin."))
        return EXIT_USAGE
    try:
        result = asyncio.run(accounts.login(name, username, password, remember=not args.no_remember))
    except LoginError as error:
        err(str(error))
        return EXIT_FAILURE
    finally:
        password = ""
    out(_("Logged in to {site} as {email}.").format(site=profile.title, email=result.username))
    if result.remembered:
        out(_("Password saved in the system keyring (service gazette-tui)."))
        return EXIT_OK
    if result.warning:
        err(result.warning)
        err(_("Nothing was saved: the next commands will not be logged in."))
        return EXIT_FAILURE
    out(_("Login checked, not remembered (--no-remember)."))
    return EXIT_OK


def cmd_logout(ctx: Context) -> int:
    from gazette_tui.core.accounts.secrets import KeyringUnavailable

    name = ctx.args.account or DEFAULT_ACCOUNT
    accounts = _accounts(ctx)
    title = accounts.profile(name).title
    try:
        forgotten = accounts.logout(name)
    except KeyringUnavailable as error:
        err(str(error))
        err(_("The password of {site} could not be deleted from the keyring.").format(site=title))
        return EXIT_FAILURE
    if forgotten:
        out(_("Logged out of {site}: password and cookies deleted from the keyring.").format(site=title))
    else:
        out(_("No login saved for {site}.").format(site=title))
    return EXIT_OK


def cmd_accounts(ctx: Context) -> int:
    from gazette_tui.core.accounts.secrets import backend_status

    rows = _accounts(ctx).status()
    if ctx.args.json:
        data = [
            {
                "name": s.name,
                "title": s.title,
                "site": s.site_url,
                "auth": s.auth,
                "username": s.username,
                "logged_in": s.logged_in,
                "remembered": s.remembered,
                "signup_url": s.signup_url,
            }
            for s in rows
        ]
        out(json.dumps(data, ensure_ascii=False, indent=1))
        return EXIT_OK
    for s in rows:
        state = _("logged in") if s.logged_in else _("not logged in")
        who = f" ({s.username})" if s.username else ""
        out(f"{s.name:<10} {s.title} — {state}{who}  {s.site_url}")
    status = backend_status()
    out(_("Keyring: {state}").format(state=_("available") if status.usable else status.reason))
    return EXIT_OK


def add_commands(sub: Any) -> None:
    """Add ``login``, ``logout`` and ``accounts`` to the CLI's subparsers (``parser.add_subparsers()``)."""
    account_help = _("{default} (the default) or demo").format(default=DEFAULT_ACCOUNT)
    p = sub.add_parser("login", help=_("log in to a subscriber account (password in the keyring)"))
    p.add_argument("account", nargs="?", metavar=_("ACCOUNT"), help=account_help)
    p.add_argument("--username", metavar="EMAIL", help=_("username (email address)"))
    p.add_argument("--password-stdin", action="store_true", help=_("read the password on standard input"))
    p.add_argument("--no-remember", action="store_true", help=_("check without saving anything"))
    p.add_argument("--url", metavar=_("ADDRESS"), help=_("address of the demo site, else looked for"))
    p.add_argument("--reset", action="store_true", help=_("forgotten password: get your codes by email"))
    p.set_defaults(run=cmd_login)

    p = sub.add_parser("logout", help=_("log out (deletes the password and cookies from the keyring)"))
    p.add_argument("account", nargs="?", metavar=_("ACCOUNT"), help=account_help)
    p.set_defaults(run=cmd_logout)

    p = sub.add_parser("accounts", help=_("the accounts and whether they are logged in"))
    p.add_argument("--json", action="store_true", help=_("print JSON instead of text"))
    p.set_defaults(run=cmd_accounts)
