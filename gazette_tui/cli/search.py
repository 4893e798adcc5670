"""``search``, ``show`` and ``alerts``: the cache as a reader sees it."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from gazette_tui.cli.context import EXIT_OK, EXIT_USAGE, Context, err, iso, out
from gazette_tui.cli.language import whole_number
from gazette_tui.errors import QueryError
from gazette_tui.i18n import _, format_date, plural


def cmd_search(ctx: Context) -> int:
    from gazette_tui.core.search.search import search

    if ctx.args.limit < 1:
        err(_("--limit must be a positive whole number."))
        return EXIT_USAGE
    try:
        hits = search(ctx.store, ctx.args.query, limit=ctx.args.limit)
    except QueryError as error:
        return query_error(ctx.args.query, error)
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
        err(_("No article matches."))
        return EXIT_OK
    for h in hits:
        day = " " * 10
        if not h.undated:
            day = format_date(h.published)
        out(f"{h.id:>7}  {day}  {h.title}  — {h.feed_title}")
    return EXIT_OK


def query_error(query: str, error: QueryError) -> int:
    """A query that does not parse is a usage error (exit 2): the sentence, then the query with a caret
    under the place it points at."""
    from gazette_tui.text import clean_line

    err(str(error))
    shown = clean_line(query)
    if shown == query and len(query) <= 200:
        position = min(max(error.position, 0), len(query))
        err(f"  {query}\n  {' ' * position}^")
    return EXIT_USAGE


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
        try:
            alert = alerts.save_alert(ctx.store, ctx.args.name, ctx.args.query)
        except QueryError as error:
            return query_error(ctx.args.query, error)
        out(
            _("Alert “{name}” saved: {query}").format(
                name=clean_line(alert.name), query=clean_line(alert.query)
            )
        )
        return EXIT_OK
    if action == "remove":
        alerts.delete_alert(ctx.store, ctx.args.name)
        out(_("Alert “{name}” deleted.").format(name=clean_line(ctx.args.name)))
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
        err(_('No alert. Make one: gazette-tui alerts add NAME "QUERY"'))
    for a in rows:
        state = f"⚠ {clean_line(a.error)}" if a.error else plural(a.new, "{count} new", "{count} new")
        out(f"{clean_line(a.name)}  —  {clean_line(a.query)}  —  {state}")
    return EXIT_OK


def add_commands(sub: Any) -> None:
    """``search``, ``show`` and ``alerts`` on the CLI's subparsers."""
    json_help = _("print JSON instead of text")
    query_help = _('words, "a phrase", filters (author:, feed:, after:…; see docs/QUERY.md)')
    p = sub.add_parser("search", help=_("search the cache"))
    p.add_argument("query", metavar=_("QUERY"), help=query_help)
    p.add_argument("--json", action="store_true", help=json_help)
    p.add_argument("--limit", type=whole_number, default=50, metavar="N", help=_("at most N results (50)"))
    p.set_defaults(run=cmd_search)

    p = sub.add_parser("show", help=_("show an article of the cache"))
    p.add_argument("id", type=whole_number, metavar="ID", help=_("the article's number (search, dossiers)"))
    p.set_defaults(run=cmd_show)

    p = sub.add_parser("alerts", help=_("saved searches (alerts) and their new results"))
    p.add_argument("--json", action="store_true", help=json_help)
    actions = p.add_subparsers(dest="alerts_action", metavar=_("ACTION"), title=_("actions"))
    q = actions.add_parser("add", help=_("save a search"))
    q.add_argument("name", metavar=_("NAME"), help=_("the alert's name"))
    q.add_argument("query", metavar=_("QUERY"), help=query_help)
    q = actions.add_parser("remove", help=_("delete an alert"))
    q.add_argument("name", metavar=_("NAME"), help=_("the alert's name"))
    q = actions.add_parser("seen", help=_("mark the results as seen (all alerts, or one)"))
    q.add_argument("name", nargs="?", metavar=_("NAME"), help=_("the alert's name"))
    p.set_defaults(run=cmd_alerts)
