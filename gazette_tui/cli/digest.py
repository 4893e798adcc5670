"""``digest``: « Ma Gazette » as a newsletter (Markdown, self-contained HTML or plain text), from the cache.

It never touches the network: a cron line refreshes first (``gazette-tui refresh; gazette-tui digest …``),
so an offline morning still mails what the cache holds. It does not move the TUI's last visit either."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from gazette_tui.cli.context import EXIT_OK, Context, err
from gazette_tui.i18n import _


def cmd_digest(ctx: Context) -> int:
    from gazette_tui.core.files import write_atomic
    from gazette_tui.core.library import ma_gazette
    from gazette_tui.core.search.recent import finder

    lang = ctx.use_language()
    since = ma_gazette.parse_since(ctx.args.since)
    themes = [ma_gazette.parse_theme(text) for text in ctx.args.themes] if ctx.args.themes else None
    edition = ma_gazette.build(ctx.store, themes, since=since, alerts=finder(ctx.store), lang=lang)
    text = ma_gazette.FORMATS[ctx.args.format](edition, lang)
    if ctx.args.output:
        write_atomic(Path(ctx.args.output), text)
        err(_("“My Gazette” written to {path}.").format(path=ctx.args.output))
    else:
        sys.stdout.write(text)
    return EXIT_OK


def add_commands(sub: Any) -> None:
    """``digest`` on the CLI's subparsers."""
    p = sub.add_parser("digest", help=_("“My Gazette”: the new articles of your themes, as a newsletter"))
    p.add_argument(
        "--since",
        default="1d",
        metavar=_("WHEN"),
        help=_("from when: 12h, 1d (the default), 2w, or a day YYYY-MM-DD"),
    )
    p.add_argument(
        "--themes",
        nargs="+",
        metavar=_("KIND:NAME"),
        help=_("these themes instead of yours: rubrique:NAME, tag:NAME, alert:NAME, dossier:NAME"),
    )
    p.add_argument(
        "--format", choices=["md", "html", "text"], default="text", help=_("text (the default), md or html")
    )
    p.add_argument("-o", "--output", metavar=_("FILE"), help=_("where to write (standard output if none)"))
    p.set_defaults(run=cmd_digest)
