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

from gazette_tui.cli.context import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, Context, err, out
from gazette_tui.core.accounts.profiles import DEFAULT_ACCOUNT

if TYPE_CHECKING:
    from gazette_tui.core.accounts.accounts import Accounts


def _accounts(ctx: Context) -> Accounts:
    from gazette_tui.core.accounts.accounts import Accounts

    return Accounts(ctx.store, ctx.paths.config_dir, proxy=ctx.settings.refresh.proxy)


def _read_password(args: argparse.Namespace) -> str | None:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if sys.stdin.isatty():
        return getpass.getpass("Mot de passe : ")
    return None


def cmd_login(ctx: Context) -> int:
    from gazette_tui.core.accounts.accounts import LoginError

    args = ctx.args
    name = args.account or DEFAULT_ACCOUNT
    accounts = _accounts(ctx)
    profile = accounts.profile(name)  # an unknown account is reported before any prompt
    if args.url:
        accounts.set_site_url(name, args.url)
        profile = accounts.profile(name)
    known = next((s.username for s in accounts.status() if s.name == name), "")
    username = (args.username or "").strip() or known
    if not username:
        if not sys.stdin.isatty() or args.password_stdin:
            err("Indiquez l'identifiant avec --username.")
            return EXIT_USAGE
        username = input("Adresse email : ").strip()
    if args.reset:
        try:
            out(asyncio.run(accounts.reset(name, username)))
        except LoginError as error:
            err(str(error))
            return EXIT_FAILURE
        return EXIT_OK
    password = _read_password(args)
    if password is None:
        err("Pas de terminal pour demander le mot de passe : utilisez --password-stdin.")
        return EXIT_USAGE
    try:
        result = asyncio.run(accounts.login(name, username, password, remember=not args.no_remember))
    except LoginError as error:
        err(str(error))
        return EXIT_FAILURE
    finally:
        password = ""
    out(f"Connecté à {profile.title} en tant que {result.username}.")
    if result.remembered:
        out("Mot de passe enregistré dans le trousseau système (service gazette-tui).")
        return EXIT_OK
    if result.warning:
        err(result.warning)
        err("Rien n'a été enregistré : les prochaines commandes ne seront pas connectées.")
        return EXIT_FAILURE
    out("Connexion vérifiée, non mémorisée (--no-remember).")
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
        err(f"Le mot de passe de {title} n'a pas pu être supprimé du trousseau.")
        return EXIT_FAILURE
    if forgotten:
        out(f"Déconnecté de {title} : mot de passe et cookies supprimés du trousseau.")
    else:
        out(f"Aucune connexion enregistrée pour {title}.")
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
        state = "connecté" if s.logged_in else "non connecté"
        who = f" ({s.username})" if s.username else ""
        out(f"{s.name:<10} {s.title} — {state}{who}  {s.site_url}")
    status = backend_status()
    out(f"Trousseau : {'disponible' if status.usable else status.reason}")
    return EXIT_OK


def add_commands(sub: Any) -> None:
    """Add ``login``, ``logout`` and ``accounts`` to the CLI's subparsers (``parser.add_subparsers()``)."""
    p = sub.add_parser("login", help="se connecter à un compte abonné (mot de passe dans le trousseau)")
    p.add_argument("account", nargs="?", metavar="COMPTE", help=f"{DEFAULT_ACCOUNT} (défaut) ou demo")
    p.add_argument("--username", metavar="EMAIL", help="identifiant (adresse email)")
    p.add_argument("--password-stdin", action="store_true", help="lire le mot de passe sur l'entrée standard")
    p.add_argument("--no-remember", action="store_true", help="vérifier sans rien enregistrer")
    p.add_argument("--url", metavar="ADRESSE", help="adresse du site de démonstration (son port change)")
    p.add_argument("--reset", action="store_true", help="mot de passe oublié : recevoir ses codes par mail")
    p.set_defaults(run=cmd_login)

    p = sub.add_parser("logout", help="se déconnecter (efface le mot de passe et les cookies du trousseau)")
    p.add_argument("account", nargs="?", metavar="COMPTE")
    p.set_defaults(run=cmd_logout)

    p = sub.add_parser("accounts", help="les comptes et leur état de connexion")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_accounts)
