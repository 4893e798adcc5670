"""The entry point: global options, one module per command group, and the TUI by default."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from gazette_tui import __version__
from gazette_tui.cli import accounts, digest, enclosures, feeds, filters, library, maintenance, search, sync
from gazette_tui.cli.context import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, Context, err
from gazette_tui.cli.language import TranslatedParser, choose_language
from gazette_tui.core.files import private_umask
from gazette_tui.core.logs import setup_logging
from gazette_tui.errors import ConfigError, GazetteError, InputError
from gazette_tui.i18n import _


def cmd_tui(ctx: Context) -> int:
    language = ctx.use_language()
    from gazette_tui.ui.app import run_tui

    if not ctx.args.demo:
        ctx.store.close()  # the app opens its own; this only seeded a first run
        return run_tui(ctx.settings, ctx.paths, offline=ctx.args.offline, language=language)
    from gazette_tui.demo.discovery import DEMO_PORT
    from gazette_tui.demo.server import DemoServer, prepare_profile

    # The demo paper is a fixed set of articles with fixed dates: keep it whole, whatever the day it is shown.
    ctx.settings.retention.days = 0

    # Its fixed port keeps stored links, followed dossiers and exports true from run to run; if another
    # program holds it, the site runs elsewhere and what the profile stored moves with it (rebase).
    with DemoServer(port=DEMO_PORT, fallback=True) as server:
        store = ctx.store
        prepare_profile(store, server.url)
        store.close()
        return run_tui(
            ctx.settings, ctx.paths, offline=ctx.args.offline, language=language, demo_url=server.url
        )


def build_parser() -> argparse.ArgumentParser:
    """The parser, in the current language (:func:`~gazette_tui.cli.language.choose_language`), argparse's
    own headings included."""
    parser = TranslatedParser(
        prog="gazette-tui",
        description=_(
            "Reader for La Gazette des communes and any RSS/Atom/JSON feed, by keyboard and offline."
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"gazette-tui {__version__}",
        help=_("show the version and exit"),
    )
    parser.add_argument("--demo", action="store_true", help=_("the built-in demo site (offline)"))
    parser.add_argument("--offline", action="store_true", help=_("never touch the network"))
    parser.add_argument(
        "--lang", choices=["fr", "en"], help=_("language of the interface and of the command line")
    )
    parser.add_argument("--debug", action="store_true", help=_("show full error traces"))
    sub = parser.add_subparsers(dest="command", metavar=_("COMMAND"), title=_("commands"))

    for group in (feeds, search, filters, enclosures, library, digest, maintenance, accounts, sync):
        group.add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    choose_language(arguments)  # before the parser: --help and argparse's errors are in it too
    args = build_parser().parse_args(arguments)
    run: Callable[[Context], int] = getattr(args, "run", cmd_tui)
    ctx = Context(args)
    try:
        with private_umask():  # what we create is 0600/0700 (core/files.py)
            setup_logging(ctx.paths, verbose=args.debug)
            return run(ctx)
    except (ConfigError, InputError) as error:
        err(str(error))
        return EXIT_USAGE
    except GazetteError as error:
        if args.debug:
            raise
        err(str(error))
        return EXIT_FAILURE
    except KeyboardInterrupt:
        err(_("Interrupted."))
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as error:
        logging.getLogger(__name__).exception("unexpected error")  # the trace goes to the log file only
        if args.debug:
            raise
        err(
            _("Unexpected error ({error}). Run again with --debug for the details.").format(
                error=f"{type(error).__name__}: {error}"
            )
        )
        return EXIT_FAILURE
    finally:
        ctx.close()
