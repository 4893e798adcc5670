"""``search``, ``show`` and ``alerts``: the cache as a reader sees it."""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime
from typing import Any

from gazette_tui.cli.context import EXIT_OK, EXIT_USAGE, Context, err, iso, out


def cmd_search(ctx: Context) -> int:
    from gazette_tui.core.search.search import search

    if ctx.args.limit < 1:
        err("--limit doit être un entier positif.")
        return EXIT_USAGE
    hits = search(ctx.store, ctx.args.query, limit=ctx.args.limit)
    if ctx.args.json:
        rows = [
            {
                "id": h.id,
                "title": h.title,
                "feed": h.feed_title,
                "author": h.author,
                "published": None if h.undated else iso(h.published),
                "url": h.url,
                "snippet": h.snippet,
            }
            for h in hits
        ]
        out(json.dumps(rows, ensure_ascii=False, indent=1))
        return EXIT_OK
    if not hits:
        err("Aucun article ne correspond.")
        return EXIT_OK
    for h in hits:
        day = " " * 10
        if not h.undated:
            day = datetime.fromtimestamp(h.published, UTC).astimezone().strftime("%d/%m/%Y")
        out(f"{h.id:>7}  {day}  {h.title}  — {h.feed_title}")
    return EXIT_OK


def cmd_show(ctx: Context) -> int:
    from gazette_tui.core.render import article_as_text

    ctx.use_language()
    width = min(os.get_terminal_size().columns if sys.stdout.isatty() else 80, 100)
    out(article_as_text(ctx.store.article(ctx.args.id), width=width))
    return EXIT_OK


def cmd_alerts(ctx: Context) -> int:
    from gazette_tui.core.search import alerts
    from gazette_tui.text import clean_line  # what we print is inert, even from an old database

    action = ctx.args.alerts_action
    if action == "add":
        alert = alerts.save_alert(ctx.store, ctx.args.name, ctx.args.query)
        out(f"Alerte « {clean_line(alert.name)} » enregistrée : {clean_line(alert.query)}")
        return EXIT_OK
    if action == "remove":
        alerts.delete_alert(ctx.store, ctx.args.name)
        out(f"Alerte « {clean_line(ctx.args.name)} » supprimée.")
        return EXIT_OK
    if action == "seen":
        alerts.mark_seen(ctx.store, ctx.args.name)
        return EXIT_OK
    rows = alerts.list_alerts(ctx.store)
    if ctx.args.json:
        out(
            json.dumps(
                [{"name": a.name, "query": a.query, "new": a.new, "error": a.error} for a in rows],
                ensure_ascii=False,
                indent=1,
            )
        )
        return EXIT_OK
    if not rows:
        err('Aucune alerte. Créez-en une : gazette-tui alerts add NOM "REQUÊTE"')
    for a in rows:
        state = f"⚠ {clean_line(a.error)}" if a.error else f"{a.new} nouveau(x)"
        out(f"{clean_line(a.name)}  —  {clean_line(a.query)}  —  {state}")
    return EXIT_OK


def add_commands(sub: Any) -> None:
    """``search``, ``show`` and ``alerts`` on the CLI's subparsers."""
    p = sub.add_parser("search", help="chercher dans le cache")
    p.add_argument("query", metavar="REQUÊTE")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=int, default=50)
    p.set_defaults(run=cmd_search)

    p = sub.add_parser("show", help="afficher un article du cache")
    p.add_argument("id", type=int)
    p.set_defaults(run=cmd_show)

    p = sub.add_parser("alerts", help="recherches enregistrées (alertes) et leurs nouveaux résultats")
    p.add_argument("--json", action="store_true")
    actions = p.add_subparsers(dest="alerts_action", metavar="ACTION")
    q = actions.add_parser("add", help="enregistrer une recherche")
    q.add_argument("name", metavar="NOM")
    q.add_argument("query", metavar="REQUÊTE")
    q = actions.add_parser("remove", help="supprimer une alerte")
    q.add_argument("name", metavar="NOM")
    q = actions.add_parser("seen", help="marquer les résultats comme vus (toutes, ou une seule)")
    q.add_argument("name", nargs="?", metavar="NOM")
    p.set_defaults(run=cmd_alerts)
