"""``filters``: kill-files in the query language (``core/search/filters.py``): list, add, remove, and apply
one to the whole cache. A query that does not parse is refused as ``search`` refuses it (exit 2, a caret
under the place); a name or a feed that does not exist is one sentence (exit 1)."""

from __future__ import annotations

import json
import shlex
from typing import TYPE_CHECKING, Any

from gazette_tui.cli.context import EXIT_OK, Context, err, out
from gazette_tui.cli.search import query_error
from gazette_tui.errors import QueryError
from gazette_tui.i18n import _, plural
from gazette_tui.text import clean_line

if TYPE_CHECKING:
    from gazette_tui.core.cycle import CycleReport
    from gazette_tui.core.search.filters import Filter


def _as_json(item: Filter) -> dict[str, Any]:
    return {
        "name": item.name,
        "query": item.query,
        "action": item.action,
        "feed": item.feed_url,
        "marks": item.marks,
        "error": item.error,
    }


def cmd_filters(ctx: Context) -> int:
    from gazette_tui.core.search import filters

    action = ctx.args.filters_action
    store = ctx.store
    if action == "add":
        feed_url = ctx.args.feed
        if feed_url is not None:
            from gazette_tui.core.accounts.feed_credentials import without_userinfo

            feed_url = without_userinfo(feed_url)
        try:
            item = filters.add_filter(
                store, ctx.args.name, ctx.args.query, ctx.args.action, feed_url=feed_url
            )
        except QueryError as error:
            return query_error(ctx.args.query, error)
        out(
            _("Filter “{name}” saved: {query} ({action}, {scope}).").format(
                name=clean_line(item.name),
                query=clean_line(item.query),
                action=filters.action_text(item.action),
                scope=filters.scope_text(item),
            )
        )
        hint = _("It applies to the articles of the next refreshes; to apply it to the cache now: {command}")
        err(hint.format(command=f"gazette-tui filters apply {shlex.quote(item.name)}"))
        return EXIT_OK
    if action == "remove":
        item = filters.remove_filter(store, ctx.args.name)
        out(_("Filter “{name}” deleted.").format(name=clean_line(item.name)))
        if item.action == "hide":
            err(_("The articles it hid are listed again."))
        return EXIT_OK
    if action == "apply":
        item = filters.find_filter(store, ctx.args.name)
        try:
            applied = filters.apply_filter(store, item.name)
        except QueryError as error:
            return query_error(item.query, error)
        if ctx.args.json:
            data = {"name": item.name, "matched": applied.matched, "changed": applied.changed}
            out(json.dumps(data, ensure_ascii=False))
        else:
            out(filters.applied_text(clean_line(item.name), item.action, applied))
        return EXIT_OK
    found = filters.list_filters(store)
    if getattr(ctx.args, "json", False):
        out(json.dumps([_as_json(item) for item in found], ensure_ascii=False, indent=1))
        return EXIT_OK
    if not found:
        err(_('No filter. Make one: gazette-tui filters add NAME "QUERY" --action hide'))
    for item in found:
        state = (
            f"⚠ {clean_line(item.error)}"
            if item.error
            else plural(item.marks, "{count} article", "{count} articles")
        )
        out(
            f"{clean_line(item.name)}  —  {clean_line(item.query)}  —  {filters.action_text(item.action)}, "
            f"{filters.scope_text(item)}  —  {state}"
        )
    return EXIT_OK


def say_refresh(cycle: CycleReport) -> None:
    """What the filters did during ``gazette-tui refresh`` (for the text output; ``--json`` has it all)."""
    from gazette_tui.core.search import filters

    report = cycle.filters
    if cycle.filters_error:
        err(_("Filters not applied: {error}").format(error=cycle.filters_error))
    if report is None:
        return
    for name, error in report.errors.items():
        err(_("Filter “{name}” not applied: {error}").format(name=clean_line(name), error=error))
    for name, applied in report.applied.items():
        if applied.changed:
            out(filters.applied_text(clean_line(name), report.actions.get(name, "hide"), applied))


def add_commands(sub: Any) -> None:
    """``filters`` and its actions on the CLI's subparsers."""
    from gazette_tui.core.storage.filters import ACTIONS

    json_help = _("print JSON instead of text")
    name_help = _("the filter's name")
    p = sub.add_parser("filters", help=_("filters (kill-files): hide, mark read or star what a search finds"))
    actions = p.add_subparsers(dest="filters_action", metavar=_("ACTION"), title=_("actions"))
    q = actions.add_parser("list", help=_("the filters and how many articles each has marked"))
    q.add_argument("--json", action="store_true", help=json_help)
    q = actions.add_parser("add", help=_("save a filter; it applies to the articles of the next refreshes"))
    q.add_argument("name", metavar=_("NAME"), help=name_help)
    q.add_argument(
        "query",
        metavar=_("QUERY"),
        help=_('words, "a phrase", filters (author:, feed:, after:…; see docs/QUERY.md)'),
    )
    q.add_argument(
        "--action",
        required=True,
        choices=ACTIONS,
        help=_("hide (out of the lists, still searchable), read (marked as read) or star"),
    )
    q.add_argument("--feed", metavar="URL", help=_("only the articles of this feed (all feeds if none)"))
    q = actions.add_parser("remove", help=_("delete a filter (what it hid is listed again)"))
    q.add_argument("name", metavar=_("NAME"), help=name_help)
    q = actions.add_parser("apply", help=_("apply a filter to every cached article now"))
    q.add_argument("name", metavar=_("NAME"), help=name_help)
    q.add_argument("--json", action="store_true", help=json_help)
    p.set_defaults(run=cmd_filters)
