"""``enclosures``: an article's attachments (podcast episodes, PDFs), listed or downloaded."""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

from gazette_tui.cli.context import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, Context, err, out
from gazette_tui.cli.language import whole_number
from gazette_tui.i18n import _, plural


def cmd_enclosures(ctx: Context) -> int:
    from gazette_tui.core.render import duration_text, enclosure_details, enclosure_name, listed_enclosures
    from gazette_tui.text import clean_line

    ctx.use_language()
    article = ctx.store.article(ctx.args.id)
    enclosures = listed_enclosures(article)
    number = ctx.args.download
    if number is not None:
        if not 1 <= number <= len(enclosures):
            err(
                plural(
                    len(enclosures),
                    "--download N: this article has {count} attachment.",
                    "--download N: this article has {count} attachments.",
                )
            )
            return EXIT_USAGE
        return _download(ctx, enclosures[number - 1].url)
    if ctx.args.json:
        rows = [
            {
                "number": n,
                "url": e.url,
                "type": e.type,
                "size": e.length or None,
                "duration": e.duration or None,
                "duration_text": duration_text(e.duration) or None,
            }
            for n, e in enumerate(enclosures, 1)
        ]
        out(json.dumps(rows, ensure_ascii=False, indent=1))
        return EXIT_OK
    if not enclosures:
        err(_("This article has no attachments."))
        return EXIT_OK
    for n, enclosure in enumerate(enclosures, 1):
        details = enclosure_details(enclosure)
        name = clean_line(enclosure_name(enclosure.url))
        out(f"{n:>3}  {name}" + (f"  ({details})" if details else ""))
        out(f"     {enclosure.url}")
    return EXIT_OK


def _download(ctx: Context, url: str) -> int:
    from gazette_tui.core.feeds.downloads import (
        Downloader,
        DownloadError,
        Progress,
        download_folder,
        human_size,
    )

    if ctx.args.offline:
        err(_("Started offline (--offline): nothing can be downloaded."))
        return EXIT_FAILURE
    settings = ctx.settings
    show_bar = sys.stderr.isatty()

    def progress(where: Progress) -> None:
        if not show_bar:
            return
        width = 30
        if where.total:
            filled = width * where.done // where.total
            bar = "#" * filled + "." * (width - filled)
            sys.stderr.write(f"\r[{bar}] {where.done * 100 // where.total:>3} %")
        else:
            sys.stderr.write(f"\r{human_size(where.done)}")
        sys.stderr.flush()

    downloader = Downloader(
        url,
        folder=download_folder(settings.downloads),
        max_bytes=settings.downloads.max_bytes,
        timeout=settings.refresh.timeout,
        proxy=settings.refresh.proxy,
        on_progress=progress,
    )
    try:
        done = asyncio.run(downloader.run())
    except DownloadError as error:
        if show_bar:
            sys.stderr.write("\n")
        err(str(error))
        if error.kept:
            err(_("What came is kept: the same command downloads the rest."))
        return EXIT_FAILURE
    if show_bar:
        sys.stderr.write("\n")
    out(str(done.path))
    return EXIT_OK


def add_commands(sub: Any) -> None:
    """``enclosures`` on the CLI's subparsers."""
    p = sub.add_parser("enclosures", help=_("an article's attachments (podcasts, PDFs): list, download"))
    p.add_argument("id", type=whole_number, metavar="ID", help=_("the article's number (search, dossiers)"))
    p.add_argument(
        "--download",
        type=whole_number,
        metavar="N",
        help=_("download attachment N into the download folder (resumes an interrupted one)"),
    )
    p.add_argument("--json", action="store_true", help=_("print JSON instead of text"))
    p.set_defaults(run=cmd_enclosures)
