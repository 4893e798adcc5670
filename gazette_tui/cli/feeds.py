"""``refresh``, ``feeds``, ``import`` and ``export``: the subscriptions and their refresh."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from gazette_tui.cli.context import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, Context, err, iso, out
from gazette_tui.core.files import write_atomic


def cmd_refresh(ctx: Context) -> int:
    import asyncio

    from gazette_tui.core.cycle import CycleEvent, FeedDone, run_cycle

    show_bar = sys.stderr.isatty() and not ctx.args.json

    def progress(event: CycleEvent) -> None:
        if show_bar and isinstance(event, FeedDone):
            done, total, width = event.outcome.done, max(event.outcome.total, 1), 30
            filled = width * done // total
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} flux")
            sys.stderr.flush()

    cycle = asyncio.run(
        run_cycle(ctx.store, ctx.settings, config_dir=ctx.paths.config_dir, on_event=progress)
    )
    if show_bar:
        sys.stderr.write("\r" + " " * 60 + "\r")
    report, full = cycle.refresh, cycle.fulltext
    if ctx.args.json:
        out(json.dumps(cycle.as_json(), ensure_ascii=False))
    else:
        skipped = f", {report.skipped} reportés" if report.skipped else ""
        new = "1 nouvel article" if report.new == 1 else f"{report.new} nouveaux articles"
        pruned = f", {report.pruned} anciens retirés (conservation)" if report.pruned else ""
        out(
            f"{report.feeds} flux : {report.ok} à jour, {report.failed} en échec{skipped} ; "
            f"{new}, {report.updated} mis à jour{pruned} ({report.seconds:.1f} s)."
        )
        if report.offline:
            err("Hors ligne : aucun flux n'a pu être joint ; le cache est intact.")
        for url, error in report.errors:
            err(f"  échec : {url} — {error}")
        if full and full.fetched:
            out(f"{full.fetched} texte(s) intégral(aux) récupéré(s).")
        if cycle.fulltext_error:
            err(f"Textes intégraux non récupérés : {cycle.fulltext_error}")
        for name in full.login_needed if full else []:
            err(f"Connexion nécessaire pour « {name} » : gazette-tui login {name}")
        if cycle.alerts_error:
            err(f"Alertes non comptées : {cycle.alerts_error}")
        for name, count in cycle.alerts.items():
            out(f"Alerte « {name} » : {count} nouvel(s) article(s).")
    return EXIT_FAILURE if report.failed else EXIT_OK


def unreadable(count: int) -> str:
    """« 1 article illisible », « 3 articles illisibles »: items of the last document the parser skipped."""
    plural = "s" if count > 1 else ""
    return f"{count} article{plural} illisible{plural}"


def cmd_feeds(ctx: Context) -> int:
    action = ctx.args.feeds_action
    from gazette_tui.core.accounts import feed_credentials
    from gazette_tui.core.accounts.feed_credentials import without_userinfo

    if action == "add":
        from gazette_tui.text import safe_url

        url = safe_url(ctx.args.url)
        if url is None:
            err(f"Adresse invalide : {without_userinfo(ctx.args.url)!r} (http ou https attendu).")
            return EXIT_USAGE
        # user:password@ goes to the keyring, never to the database nor the screen.
        title, rubrique = ctx.args.title or "", ctx.args.rubrique or ""
        feed, secret = feed_credentials.add_feed(ctx.store, url, title, rubrique)
        kept = " ; identifiants gardés dans le trousseau système" if secret else ""
        out(f"Abonné à {feed.url} (n° {feed.id}){kept}.")
        return EXIT_OK
    if action == "remove":
        url = without_userinfo(ctx.args.url)
        found = ctx.store.feed(url)
        if found is not None:
            feed_credentials.forget(ctx.store, found.id)
        ctx.store.remove_feed(url)
        out(f"Désabonné de {url}.")
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
    for f in feeds:
        status = f"  ⚠ {f.last_error}" if f.last_error else ""
        if f.dropped:
            status += f"  ⚠ {unreadable(f.dropped)}"
        rubrique = f"[{f.rubrique}] " if f.rubrique else ""
        out(f"{f.id:>4}  {rubrique}{f.title}  ({f.unread}/{f.articles})  {without_userinfo(f.url)}{status}")
    return EXIT_OK


def cmd_import(ctx: Context) -> int:
    from gazette_tui.core.accounts.feed_credentials import import_feeds
    from gazette_tui.core.feeds.opml import read_opml

    feeds = read_opml(Path(ctx.args.file))  # raises before anything is changed
    store = ctx.store
    # Feeds that stay keep their articles and marks; only the others go (one transaction). A user:password@
    # in a URL goes to the keyring; a feed whose password cannot be kept safely is not added (said below).
    done = import_feeds(store, feeds, replace=ctx.args.replace)
    present = len(feeds) - done.added - done.not_added
    for sentence in done.refused:
        err(sentence)
    if ctx.args.replace:
        out(
            f"{done.added} abonnement(s) importé(s), {present} déjà présent(s) et conservé(s), "
            f"{done.removed} retiré(s)."
        )
    else:
        out(f"{done.added} abonnement(s) importé(s), {present} déjà présent(s).")
    return EXIT_FAILURE if done.refused else EXIT_OK


def cmd_export(ctx: Context) -> int:
    from gazette_tui.core.feeds.opml import write_opml

    text = write_opml(ctx.store.feeds())
    if ctx.args.file:
        target = Path(ctx.args.file)
        write_atomic(target, text)  # a full disk leaves the old file whole; WriteError says why
        err(f"Abonnements exportés dans {target}.")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def add_commands(sub: Any) -> None:
    """``refresh``, ``feeds``, ``import`` and ``export`` on the CLI's subparsers."""
    p = sub.add_parser("refresh", help="mettre à jour tous les flux")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_refresh)

    p = sub.add_parser("feeds", help="lister, ajouter, supprimer des abonnements")
    feeds = p.add_subparsers(dest="feeds_action", metavar="ACTION", required=True)
    q = feeds.add_parser("list", help="les abonnements")
    q.add_argument("--json", action="store_true")
    q = feeds.add_parser("add", help="s'abonner à un flux")
    q.add_argument("url")
    q.add_argument("--title")
    q.add_argument("--rubrique")
    q = feeds.add_parser("remove", help="se désabonner (les articles favoris ou en dossier restent)")
    q.add_argument("url")
    p.set_defaults(run=cmd_feeds)

    p = sub.add_parser("import", help="importer des abonnements OPML")
    p.add_argument("file", metavar="FICHIER.opml")
    p.add_argument(
        "--replace",
        action="store_true",
        help="ne garder que les abonnements du fichier (ceux qui restent gardent articles et marques)",
    )
    p.set_defaults(run=cmd_import)

    p = sub.add_parser("export", help="exporter les abonnements en OPML")
    p.add_argument("file", nargs="?", metavar="FICHIER.opml")
    p.set_defaults(run=cmd_export)
