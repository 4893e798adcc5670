"""``backup``, ``repair`` and ``demo-server``: looking after the data, and the demo site alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gazette_tui.cli.context import EXIT_OK, Context, demo_runtime_file, err, out
from gazette_tui.cli.language import whole_number
from gazette_tui.errors import Np_
from gazette_tui.i18n import _, format_number, plural

# What each table of the database holds, in words, for what ``repair`` says it saved or lost.
TABLE_WORDS: dict[str, tuple[str, str]] = {
    "feeds": Np_("{count} subscription", "{count} subscriptions"),
    "articles": Np_("{count} article", "{count} articles"),
    "article_bodies": Np_("{count} article text", "{count} article texts"),
    "article_text": Np_("{count} searchable text", "{count} searchable texts"),
    "dossiers": Np_("{count} dossier", "{count} dossiers"),
    "dossier_items": Np_("{count} article in a dossier", "{count} articles in dossiers"),
    "saved_searches": Np_("{count} alert (saved search)", "{count} alerts (saved searches)"),
    "accounts": Np_("{count} subscriber account", "{count} subscriber accounts"),
    "meta": Np_("{count} entry of the app's state", "{count} entries of the app's state"),
    "tombstones": Np_("{count} mark of a removed article", "{count} marks of removed articles"),
    "themes": Np_("{count} theme of “My Gazette”", "{count} themes of “My Gazette”"),
}


def in_words(by_table: dict[str, int]) -> str:
    """« 3 abonnements, 120 articles, 2 alertes (recherches enregistrées) »: the tables said as what they
    hold, those with nothing left out; a table with no words (a later version's) by its name."""
    parts = []
    for table, count in by_table.items():
        if not count:
            continue
        words = TABLE_WORDS.get(table)
        if words is None:
            parts.append(f"{table} ({format_number(count)})")
        else:
            parts.append(plural(count, words[0], words[1]))
    return ", ".join(parts)


def cmd_repair(ctx: Context) -> int:
    from gazette_tui.core.storage.repair import repair

    report = repair(ctx.paths.database, force=ctx.args.force)
    if not report.readable:
        saved = _("nothing (the file is unreadable)")
    else:
        saved = in_words(report.rows) or _("nothing")
    out(_("Database rebuilt. Recovered: {saved}.").format(saved=saved))
    if report.lost_ranges:
        lost = in_words(report.lost_ranges)
        err(_("Unreadable parts, lost: {lost}. Run “gazette-tui refresh” for the cache.").format(lost=lost))
    if report.lost_feeds:
        err(
            _("Subscriptions lost, to subscribe to again: {feeds}.").format(
                feeds=", ".join(report.lost_feeds)
            )
        )
    if any(report.rebuilt.values()):
        rebuilt = in_words(report.rebuilt)
        out(
            _("Rebuilt from the search index, to keep dossiers and notes: {rebuilt}.").format(rebuilt=rebuilt)
        )
    dropped = dict(report.removed)
    for table, count in report.rejected.items():
        dropped[table] = dropped.get(table, 0) + count
    if any(dropped.values()):
        err(
            _("Removed (their parent was lost, or the row was invalid): {dropped}.").format(
                dropped=in_words(dropped)
            )
        )
    out(_("The damaged file is kept as it was: {path}").format(path=report.kept_as))
    return EXIT_OK


def cmd_backup(ctx: Context) -> int:
    target = Path(ctx.args.file)
    ctx.store.backup(target)
    out(_("Backup written to {path}.").format(path=target))
    return EXIT_OK


def cmd_demo_server(ctx: Context) -> int:
    from gazette_tui.demo.server import run_standalone

    ctx.use_language()
    return run_standalone(port=ctx.args.port, runtime_file=demo_runtime_file())


def add_commands(sub: Any) -> None:
    """``backup``, ``repair`` and ``demo-server`` on the CLI's subparsers."""
    p = sub.add_parser("backup", help=_("a consistent copy of the data (even while the app runs)"))
    p.add_argument("file", metavar=_("FILE"), help=_("where to write the copy"))
    p.set_defaults(run=cmd_backup)

    p = sub.add_parser("repair", help=_("rebuild a damaged database (the original file is kept)"))
    p.add_argument("--force", action="store_true", help=_("rebuild even a sound database"))
    p.set_defaults(run=cmd_repair)

    p = sub.add_parser("demo-server", help=_("the demo site on its own"))
    p.add_argument("--port", type=whole_number, default=None, metavar="PORT", help=_("the port to listen on"))
    p.set_defaults(run=cmd_demo_server)
