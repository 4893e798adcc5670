"""``refresh``, ``feeds``, ``import`` and ``export``: the subscriptions and their refresh."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from gazette_tui.cli import feed_settings, filters
from gazette_tui.cli.context import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, Context, err, iso, out
from gazette_tui.core.files import write_atomic
from gazette_tui.i18n import _, format_number, format_seconds, plural
from gazette_tui.models import FeedRow


def cmd_refresh(ctx: Context) -> int:
    import asyncio

    from gazette_tui.cli.pages import say_pages
    from gazette_tui.cli.sync import say_sync, sync_progress
    from gazette_tui.core.cycle import CycleEvent, FeedDone, PageDone, run_cycle
    from gazette_tui.core.sync.step import SyncProgress

    show_bar = sys.stderr.isatty() and not ctx.args.json

    def progress(event: CycleEvent) -> None:
        if show_bar and isinstance(event, FeedDone | PageDone):
            done, total, width = event.outcome.done, max(event.outcome.total, 1), 30
            filled = width * done // total
            if isinstance(event, FeedDone):
                progress_text = _("{done}/{total} feeds").format(done=done, total=total)
            else:  # the feeds' article pages, for their full texts (core/feeds/pages.py)
                progress_text = _("{done}/{total} article pages").format(done=done, total=total)
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {progress_text}   ")
            sys.stderr.flush()
        elif show_bar and isinstance(event, SyncProgress):  # the accounts sync beside the feeds
            sys.stderr.write(f"\r{sync_progress(event)}   ")
            sys.stderr.flush()

    feed_ids = feed_settings.due_ids(ctx) if ctx.args.due else None
    if feed_ids == []:  # for cron: nothing due, nothing fetched, and nothing said but this
        if ctx.args.json:
            from gazette_tui.core.cycle import CycleReport
            from gazette_tui.core.feeds.refresh import RefreshReport

            out(json.dumps(CycleReport(RefreshReport()).as_json(), ensure_ascii=False))
        else:
            out(_("No feed is due."))
        return EXIT_OK
    cycle = asyncio.run(
        run_cycle(
            ctx.store, ctx.settings, feed_ids=feed_ids, config_dir=ctx.paths.config_dir, on_event=progress
        )
    )
    if show_bar:
        sys.stderr.write("\r" + " " * 60 + "\r")
    report, full = cycle.refresh, cycle.fulltext
    if ctx.args.json:
        out(json.dumps(cycle.as_json(), ensure_ascii=False))
    else:
        skipped = (
            _(", {count} postponed").format(count=format_number(report.skipped)) if report.skipped else ""
        )
        pruned = ""
        if report.pruned:
            pruned = plural(
                report.pruned,
                ", {count} old one removed (retention)",
                ", {count} old ones removed (retention)",
            )
        out(
            _(
                "{feeds}: {ok} up to date, {failed} failed{skipped}; "
                "{new}, {updated} updated{pruned} ({seconds} s)."
            ).format(
                feeds=plural(report.feeds, "{count} feed", "{count} feeds"),
                ok=format_number(report.ok),
                failed=format_number(report.failed),
                skipped=skipped,
                new=plural(report.new, "{count} new article", "{count} new articles"),
                updated=format_number(report.updated),
                pruned=pruned,
                seconds=format_seconds(report.seconds),
            )
        )
        if report.offline:
            err(_("Offline: no feed could be reached; the cache is untouched."))
        for url, error in report.errors:
            err(_("  failed: {url} — {error}").format(url=url, error=error))
        if full and full.fetched:
            out(plural(full.fetched, "{count} full text fetched.", "{count} full texts fetched."))
        if cycle.fulltext_error:
            err(_("Full texts not fetched: {error}").format(error=cycle.fulltext_error))
        say_pages(cycle.pages, cycle.pages_error)  # cli/pages.py
        for name in full.login_needed if full else []:
            err(_("Login needed for “{name}”: gazette-tui login {name}").format(name=name))
        if cycle.alerts_error:
            err(_("Alerts not counted: {error}").format(error=cycle.alerts_error))
        for name, count in cycle.alerts.items():
            found = plural(count, "{count} new article", "{count} new articles")
            out(_("Alert “{name}”: {found}.").format(name=name, found=found))
        filters.say_refresh(cycle)
        say_sync(cycle.sync, cycle.sync_error)  # cli/sync.py
    synced = cycle.sync_error is None and all(account.ok for account in cycle.sync)
    return EXIT_FAILURE if report.failed or not synced else EXIT_OK


TITLE_COLUMN = 40
"""``feeds list`` pads titles to the longest, up to this many characters (a longer one shifts its address)."""


def unreadable(count: int) -> str:
    """« 1 article illisible », « 3 articles illisibles »: items of the last document the parser skipped."""
    return plural(count, "{count} unreadable article", "{count} unreadable articles")


def cmd_feeds(ctx: Context) -> int:
    action = ctx.args.feeds_action
    if action in ("set", "show"):  # cli/feed_settings.py
        return int(ctx.args.feeds_settings(ctx))
    from gazette_tui.core.accounts import feed_credentials
    from gazette_tui.core.accounts.feed_credentials import without_userinfo
    from gazette_tui.core.storage.feeds import credentials_key

    if action == "add":
        from gazette_tui.text import safe_url

        url = safe_url(ctx.args.url)
        if url is None:
            err(
                _("Invalid address: {url} (http or https expected).").format(
                    url=repr(without_userinfo(ctx.args.url))
                )
            )
            return EXIT_USAGE
        # user:password@ goes to the keyring, never to the database nor the screen.
        title, rubrique = ctx.args.title or "", ctx.args.rubrique or ""
        from gazette_tui.cli.find_feeds import choose_feed

        chosen = choose_feed(ctx, url)  # a site's address: its feed, found (cli/find_feeds.py)
        if isinstance(chosen, int):
            return chosen
        url, title = chosen[0], title or chosen[1]
        feed, secret = feed_credentials.add_feed(ctx.store, url, title, rubrique)
        if secret:
            said = _("Subscribed to {url} (no. {id}); credentials kept in the system keyring.")
        else:
            said = _("Subscribed to {url} (no. {id}).")
        out(said.format(url=feed.url, id=feed.id))
        return EXIT_OK
    if action == "remove":
        url = without_userinfo(ctx.args.url)
        found = ctx.store.feed(url)
        key = credentials_key(found.id) if found is not None else None
        had_credentials = key is not None and bool(ctx.store.meta(key))
        ctx.store.remove_feed(url)  # first: a removal that fails must not have cost the password
        if found is not None and had_credentials:
            feed_credentials.forget_secret(found.id)
        out(_("Unsubscribed from {url}.").format(url=url))
        return EXIT_OK
    if action == "rename":  # NotFoundError says « Aucun abonnement à … » (exit 1)
        feed = ctx.store.subscriptions.rename(without_userinfo(ctx.args.url), ctx.args.title)
        if ctx.args.title.strip():
            out(_("Renamed: {url} is now “{title}”.").format(url=feed.url, title=feed.title))
        else:
            out(_("{url} takes its own title again at the next refresh.").format(url=feed.url))
        return EXIT_OK
    if action == "move":
        feed = ctx.store.subscriptions.move(without_userinfo(ctx.args.url), ctx.args.rubrique)
        if feed.rubrique:
            out(_("{url} is now in the rubrique “{rubrique}”.").format(url=feed.url, rubrique=feed.rubrique))
        else:
            out(_("{url} is now in no rubrique.").format(url=feed.url))
        return EXIT_OK
    feeds = ctx.store.feeds()
    if ctx.args.json:
        rows = [
            {
                "id": f.id,
                "url": without_userinfo(f.url),
                "title": f.title,
                "rubrique": f.rubrique,
                "articles": f.articles,
                "unread": f.unread,
                "last_ok": iso(f.last_ok),
                "last_error": f.last_error,
                "dropped": f.dropped,
            }
            for f in feeds
        ]
        out(json.dumps(rows, ensure_ascii=False, indent=1))
        return EXIT_OK
    print_feed_table(feeds)
    return EXIT_OK


def print_feed_table(feeds: list[FeedRow]) -> None:
    """``feeds list``: a header naming the columns, then each rubrique and its feeds, in the tree's order."""
    from gazette_tui.core.accounts.feed_credentials import without_userinfo
    from gazette_tui.core.feeds.groups import by_rubrique
    from gazette_tui.i18n import _

    if not feeds:
        err(_("No subscription. Add one: gazette-tui feeds add URL"))
        return
    width = min(max(len(f.title) for f in feeds), TITLE_COLUMN)
    counts = _("unread/articles")
    out(f"{_('ID'):>5}  {counts:>{len(counts)}}  {_('Feed'):<{width}}  {_('Address')}")
    for rubrique, members in by_rubrique(feeds):
        out(rubrique or _("(no rubrique)"))
        for f in members:
            status = f"  ⚠ {f.last_error}" if f.last_error else ""
            if f.dropped:
                status += f"  ⚠ {unreadable(f.dropped)}"
            tally = f"{f.unread}/{f.articles}"
            line = f"{f.id:>5}  {tally:>{len(counts)}}  {f.title:<{width}}  {without_userinfo(f.url)}{status}"
            out(line)


def _download_opml(ctx: Context, url: str) -> list[tuple[str, str, str]] | int:
    """The subscriptions of an OPML list on the web, fetched as a feed is (the app's client, its size cap,
    deadline, redirects and proxy). An exit code, said on stderr, when it cannot be fetched."""
    import asyncio

    from gazette_tui.core.accounts.feed_credentials import without_userinfo
    from gazette_tui.core.feeds.fetch import FetchFailure
    from gazette_tui.core.feeds.opml import download_opml
    from gazette_tui.i18n import _

    try:
        return asyncio.run(download_opml(url, ctx.settings.refresh))
    except FetchFailure as failure:
        shown = without_userinfo(url)
        err(_("Could not download {url}: {reason}").format(url=shown, reason=failure))
        return EXIT_FAILURE


def _opml_feeds(ctx: Context) -> list[tuple[str, str, str]] | int:
    """What ``import SOURCE`` imports: a file, an http(s) URL or ``-`` (standard input); or an exit code."""
    from gazette_tui.core.feeds.opml import MAX_OPML_BYTES, parse_opml, read_opml
    from gazette_tui.i18n import _

    source: str = ctx.args.file
    if source == "-":
        return parse_opml(sys.stdin.buffer.read(MAX_OPML_BYTES + 1), _("standard input"))
    if source.lower().startswith(("http://", "https://")):
        from gazette_tui.text import safe_url

        url = safe_url(source)
        if url is None:
            from gazette_tui.core.accounts.feed_credentials import without_userinfo

            err(
                _("Invalid address: {url} (http or https expected).").format(
                    url=repr(without_userinfo(source))
                )
            )
            return EXIT_USAGE
        return _download_opml(ctx, url)
    return read_opml(Path(source))


def cmd_import(ctx: Context) -> int:
    from gazette_tui.core.accounts.feed_credentials import import_feeds

    ctx.use_language()
    feeds = _opml_feeds(ctx)  # raises, or says why, before anything is changed
    if isinstance(feeds, int):
        return feeds
    store = ctx.store
    # Feeds that stay keep their articles and marks; only the others go (one transaction). A user:password@
    # in a URL goes to the keyring; a feed whose password cannot be kept safely is not added (said below).
    done = import_feeds(store, feeds, replace=ctx.args.replace)
    present = len(feeds) - done.added - done.not_added
    for sentence in done.refused:
        err(str(sentence))
    imported = plural(done.added, "{count} subscription imported", "{count} subscriptions imported")
    if ctx.args.replace:
        kept = plural(present, "{count} already there and kept", "{count} already there and kept")
        removed = plural(done.removed, "{count} removed", "{count} removed")
        out(_("{imported}, {kept}, {removed}.").format(imported=imported, kept=kept, removed=removed))
    else:
        kept = plural(present, "{count} already there", "{count} already there")
        out(_("{imported}, {kept}.").format(imported=imported, kept=kept))
    return EXIT_FAILURE if done.refused else EXIT_OK


def cmd_export(ctx: Context) -> int:
    from gazette_tui.core.feeds.opml import write_opml

    text = write_opml(ctx.store.feeds())
    if ctx.args.file:
        target = Path(ctx.args.file)
        write_atomic(target, text)  # a full disk leaves the old file whole; WriteError says why
        err(_("Subscriptions exported to {path}.").format(path=target))
    else:
        sys.stdout.write(text)
    return EXIT_OK


def add_commands(sub: Any) -> None:
    """``refresh``, ``feeds``, ``import`` and ``export`` on the CLI's subparsers."""
    json_help = _("print JSON instead of text")
    p = sub.add_parser("refresh", help=_("update every feed"))
    p.add_argument("--json", action="store_true", help=json_help)
    p.add_argument(
        "--due",
        action="store_true",
        help=_("only the feeds whose interval (refresh_minutes, else [refresh] auto_minutes) has passed"),
    )
    p.set_defaults(run=cmd_refresh)

    p = sub.add_parser("feeds", help=_("list, add, remove, rename, move or set up subscriptions"))
    feeds = p.add_subparsers(dest="feeds_action", metavar=_("ACTION"), required=True, title=_("actions"))
    q = feeds.add_parser("list", help=_("the subscriptions"))
    q.add_argument("--json", action="store_true", help=json_help)
    q = feeds.add_parser("add", help=_("subscribe to a feed"))
    q.add_argument(
        "url", metavar="URL", help=_("the http(s) address of a feed, or of a site to find its feeds")
    )
    q.add_argument("--title", metavar=_("TITLE"), help=_("the feed's name in the tree"))
    q.add_argument("--rubrique", metavar=_("RUBRIQUE"), help=_("the rubrique (folder) it goes in"))
    q.add_argument(
        "--pick",
        type=int,
        metavar="N",
        help=_("when a site's address leads to several feeds, subscribe to the Nth of the list"),
    )
    q = feeds.add_parser("remove", help=_("unsubscribe (starred articles and those in a dossier stay)"))
    q.add_argument("url", metavar="URL", help=_("the feed's address"))
    q = feeds.add_parser("rename", help=_("give a feed another name in the tree"))
    q.add_argument("url", metavar="URL", help=_("the feed's address"))
    q.add_argument("title", metavar=_("TITLE"), help=_('its new name ("" for the feed\'s own title)'))
    q = feeds.add_parser("move", help=_("put a feed in another rubrique"))
    q.add_argument("url", metavar="URL", help=_("the feed's address"))
    q.add_argument("rubrique", metavar=_("RUBRIQUE"), help=_('the rubrique (created if new; "" for none)'))
    feed_settings.add_actions(feeds, json_help)
    p.set_defaults(run=cmd_feeds)

    p = sub.add_parser("import", help=_("import OPML subscriptions"))
    p.add_argument(
        "file", metavar="SOURCE", help=_("an OPML file, its http(s) address, or - for standard input")
    )
    p.add_argument(
        "--replace",
        action="store_true",
        help=_("keep only the file's subscriptions (those that stay keep their articles and marks)"),
    )
    p.set_defaults(run=cmd_import)

    p = sub.add_parser("export", help=_("export the subscriptions as OPML"))
    p.add_argument(
        "file", nargs="?", metavar=_("FILE.opml"), help=_("where to write (standard output if none)")
    )
    p.set_defaults(run=cmd_export)
