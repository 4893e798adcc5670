"""``dossiers``: list them, add an article, export one to Markdown or HTML."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from gazette_tui.cli.context import EXIT_OK, Context, err, iso, out


def cmd_dossiers(ctx: Context) -> int:
    from gazette_tui.core.library import dossiers

    action = ctx.args.dossiers_action
    if action == "add":
        dossier = dossiers.get_or_create(ctx.store, ctx.args.name)
        added = dossiers.add_article(ctx.store, dossier.id, ctx.args.id)
        state = "ajouté au" if added else "déjà dans le"
        out(f"Article n° {ctx.args.id} {state} dossier « {dossier.name} ».")
        return EXIT_OK
    if action == "export":
        ctx.use_language()
        dossier = dossiers.get(ctx.store, ctx.args.name)
        export = dossiers.export_html if ctx.args.format == "html" else dossiers.export_markdown
        text = export(ctx.store, dossier.id)
        if ctx.args.output:
            dossiers.write_export(text, Path(ctx.args.output))
            err(f"Dossier « {dossier.name} » exporté dans {ctx.args.output}.")
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
        err("Aucun dossier. Créez-en un : gazette-tui dossiers add NOM ID")
    for d in rows if not ctx.args.json else []:
        out(f"{d.id:>4}  {d.name}  ({d.count} article(s))")
    return EXIT_OK


def add_commands(sub: Any) -> None:
    """``dossiers`` and its actions on the CLI's subparsers."""
    p = sub.add_parser("dossiers", help="vos dossiers d'articles")
    actions = p.add_subparsers(dest="dossiers_action", metavar="ACTION", required=True)
    q = actions.add_parser("list", help="les dossiers")
    q.add_argument("--json", action="store_true")
    q = actions.add_parser("add", help="ajouter un article à un dossier (créé s'il n'existe pas)")
    q.add_argument("name", metavar="NOM")
    q.add_argument("id", type=int, metavar="ID")
    q = actions.add_parser("export", help="exporter un dossier en Markdown ou en HTML")
    q.add_argument("name", metavar="NOM")
    q.add_argument("--format", choices=["md", "html"], default="md")
    q.add_argument("-o", "--output", metavar="FICHIER")
    p.set_defaults(run=cmd_dossiers)
