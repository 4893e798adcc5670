"""``dossiers``: list them, add an article, export one to Markdown or HTML."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from gazette_tui.cli.context import EXIT_OK, Context, err, iso, out
from gazette_tui.cli.language import whole_number
from gazette_tui.i18n import _, plural


def cmd_dossiers(ctx: Context) -> int:
    from gazette_tui.core.library import dossiers

    action = ctx.args.dossiers_action
    if action == "add":
        dossier = dossiers.get_or_create(ctx.store, ctx.args.name)
        added = dossiers.add_article(ctx.store, dossier.id, ctx.args.id)
        if added:
            said = _("Article no. {id} added to the dossier “{name}”.")
        else:
            said = _("Article no. {id} is already in the dossier “{name}”.")
        out(said.format(id=ctx.args.id, name=dossier.name))
        return EXIT_OK
    if action == "export":
        ctx.use_language()
        dossier = dossiers.get(ctx.store, ctx.args.name)
        export = dossiers.export_html if ctx.args.format == "html" else dossiers.export_markdown
        text = export(ctx.store, dossier.id)
        if ctx.args.output:
            dossiers.write_export(text, Path(ctx.args.output))
            err(_("Dossier “{name}” exported to {path}.").format(name=dossier.name, path=ctx.args.output))
        else:
            sys.stdout.write(text)
        return EXIT_OK
    rows = dossiers.list_dossiers(ctx.store)
    if ctx.args.json:
        out(
            json.dumps(
                [
                    {
                        "id": d.id,
                        "name": d.name,
                        "description": d.description,
                        "articles": d.count,
                        "created": iso(d.created),
                        "updated": iso(d.updated),
                    }
                    for d in rows
                ],
                ensure_ascii=False,
                indent=1,
            )
        )
    elif not rows:
        err(_("No dossier. Make one: gazette-tui dossiers add NAME ID"))
    for d in rows if not ctx.args.json else []:
        out(f"{d.id:>4}  {d.name}  ({plural(d.count, '{count} article', '{count} articles')})")
    return EXIT_OK


def add_commands(sub: Any) -> None:
    """``dossiers`` and its actions on the CLI's subparsers."""
    p = sub.add_parser("dossiers", help=_("your dossiers of articles"))
    actions = p.add_subparsers(dest="dossiers_action", metavar=_("ACTION"), required=True, title=_("actions"))
    q = actions.add_parser("list", help=_("the dossiers"))
    q.add_argument("--json", action="store_true", help=_("print JSON instead of text"))
    q = actions.add_parser("add", help=_("add an article to a dossier (made if it does not exist)"))
    q.add_argument("name", metavar=_("NAME"), help=_("the dossier's name"))
    q.add_argument("id", type=whole_number, metavar="ID", help=_("the article's number (search, dossiers)"))
    q = actions.add_parser("export", help=_("export a dossier as Markdown or HTML"))
    q.add_argument("name", metavar=_("NAME"), help=_("the dossier's name"))
    q.add_argument("--format", choices=["md", "html"], default="md", help=_("md (the default) or html"))
    q.add_argument("-o", "--output", metavar=_("FILE"), help=_("where to write (standard output if none)"))
    p.set_defaults(run=cmd_dossiers)
