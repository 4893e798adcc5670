"""The entry point: global options, one module per command group, and the TUI by default."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable, Sequence

from gazette_tui import __version__
from gazette_tui.cli import accounts, feeds, library, maintenance, search
from gazette_tui.cli.context import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, Context, err
from gazette_tui.core.files import private_umask
from gazette_tui.core.logs import setup_logging
from gazette_tui.errors import ConfigError, GazetteError


def cmd_tui(ctx: Context) -> int:
    language = ctx.use_language()
    from gazette_tui.ui.app import run_tui

    if not ctx.args.demo:
        ctx.store.close()  # the app opens its own; this only seeded a first run
        return run_tui(ctx.settings, ctx.paths, offline=ctx.args.offline, language=language)
    from gazette_tui.demo.server import DemoServer, feed_list

    # The demo paper is a fixed set of articles with fixed dates: keep it whole, whatever the day it is shown.
    ctx.settings.retention.days = 0

    with DemoServer() as server:
        store = ctx.store
        store.rebase_local_feeds(server.url)
        store.add_feeds(feed_list(server.url))
        store.close()
        return run_tui(
            ctx.settings, ctx.paths, offline=ctx.args.offline, language=language, demo_url=server.url
        )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gazette-tui",
        description="Lecteur de La Gazette des communes et de flux RSS/Atom/JSON, au clavier et hors ligne.",
    )
    parser.add_argument("--version", action="version", version=f"gazette-tui {__version__}")
    parser.add_argument("--demo", action="store_true", help="le site de démonstration intégré (hors ligne)")
    parser.add_argument("--offline", action="store_true", help="ne jamais toucher au réseau")
    parser.add_argument("--lang", choices=["fr", "en"], help="langue de l'interface")
    parser.add_argument("--debug", action="store_true", help="afficher les traces d'erreur complètes")
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE")

    for group in (feeds, search, library, maintenance, accounts):
        group.add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    run: Callable[[Context], int] = getattr(args, "run", cmd_tui)
    ctx = Context(args)
    try:
        with private_umask():  # what we create is 0600/0700 (core/files.py)
            setup_logging(ctx.paths, verbose=args.debug)
            return run(ctx)
    except ConfigError as error:
        err(str(error))
        return EXIT_USAGE
    except GazetteError as error:
        if args.debug:
            raise
        err(str(error))
        return EXIT_FAILURE
    except KeyboardInterrupt:
        err("Interrompu.")
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as error:
        logging.getLogger(__name__).exception("unexpected error")  # the trace goes to the log file only
        if args.debug:
            raise
        err(f"Erreur inattendue ({type(error).__name__}: {error}). Relancez avec --debug pour le détail.")
        return EXIT_FAILURE
    finally:
        ctx.close()
