"""The command line: the TUI by default, and headless subcommands for scripts and cron.

Headless commands never import Textual (a test checks it). Every error a user can act on is one plain
sentence on stderr and an exit code: 0 ok, 1 failure (some feeds failed, not found, …), 2 usage or settings.
``--debug`` shows tracebacks for bug reports.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from gazette_tui import __version__
from gazette_tui.core.files import private_umask, write_atomic
from gazette_tui.core.paths import Paths
from gazette_tui.core.settings import Settings, load_settings, write_default_config
from gazette_tui.core.storage.store import Store
from gazette_tui.errors import ConfigError, GazetteError

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


def iso(timestamp: int | None) -> str | None:
    return datetime.fromtimestamp(timestamp, UTC).isoformat() if timestamp is not None else None


class Context:
    """Paths, settings and the store, opened lazily so ``--help`` costs nothing."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.paths = Paths.default("demo" if getattr(args, "demo", False) else None)
        self._settings: Settings | None = None
        self._store: Store | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            write_default_config(self.paths.config_file)
            self._settings = load_settings(self.paths.config_file)
        return self._settings

    def use_language(self) -> str:
        """Set the language of rendered text (dates, labels): --lang, then the setting, then the locale."""
        from gazette_tui.i18n import detect_language, set_language

        return set_language(detect_language(getattr(self.args, "lang", None), self.settings.ui.language))

    @property
    def store(self) -> Store:
        if self._store is None:
            self.settings  # noqa: B018 - a broken settings file is reported first, by any command
            self.paths.ensure()
            self._store = Store(self.paths.database)
            if self._store.meta("seeded") is None and not getattr(self.args, "demo", False):
                from gazette_tui.core.seeds import gazette_feeds

                self._store.add_feeds(gazette_feeds())
                self._store.set_meta("seeded", str(int(time.time())))
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def err(text: str) -> None:
    sys.stderr.write(text + "\n")


# -- commands ------------------------------------------------------------------------------------


def cmd_refresh(ctx: Context) -> int:
    import asyncio

    from gazette_tui.core.feeds.refresh import FeedOutcome, RefreshReport, refresh_feeds

    store = ctx.store
    show_bar = sys.stderr.isatty() and not ctx.args.json

    def progress(outcome: FeedOutcome) -> None:
        if show_bar:
            width = 30
            filled = width * outcome.done // max(outcome.total, 1)
            sys.stderr.write(
                f"\r[{'#' * filled}{'.' * (width - filled)}] {outcome.done}/{outcome.total} flux"
            )
            sys.stderr.flush()

    from gazette_tui.core.accounts.fulltext import FulltextReport, fetch_fulltexts

    async def refresh_all() -> tuple[RefreshReport, FulltextReport | None]:
        report = await refresh_feeds(store, ctx.settings, on_progress=progress)
        if report.offline or not ctx.settings.refresh.fulltext:
            return report, None
        return report, await fetch_fulltexts(store, ctx.settings, config_dir=ctx.paths.config_dir)

    report, full = asyncio.run(refresh_all())
    if show_bar:
        sys.stderr.write("\r" + " " * 60 + "\r")
    matches: dict[str, int] = {}
    with store.reading() as c:
        has_alerts = c.execute("SELECT 1 FROM saved_searches LIMIT 1").fetchone() is not None
    if has_alerts:  # the search engine is loaded only when there is something to count
        from gazette_tui.core.search.alerts import new_matches

        matches = {name: count for name, count in new_matches(store).items() if count}
    if ctx.args.json:
        summary = {**report.as_json(), "alerts": matches, "fulltext": full.as_json() if full else None}
        out(json.dumps(summary, ensure_ascii=False))
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
        for name in full.login_needed if full else []:
            err(f"Connexion nécessaire pour « {name} » : gazette-tui login {name}")
        for name, count in matches.items():
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


def cmd_repair(ctx: Context) -> int:
    from gazette_tui.core.storage.repair import repair

    report = repair(ctx.paths.database, force=ctx.args.force)

    def counts(by_table: dict[str, int]) -> str:
        return ", ".join(f"{table} ({count})" for table, count in by_table.items() if count)

    saved = ", ".join(f"{table} : {count}" for table, count in report.rows.items())
    out(f"Base reconstruite. Récupéré — {saved if report.readable else 'rien (fichier illisible)'}.")
    if report.lost_ranges:
        lost = counts(report.lost_ranges)
        err(f"Parties illisibles, perdues : {lost}. Relancez « gazette-tui refresh » pour le cache.")
    if report.lost_feeds:
        err(f"Abonnements perdus, à refaire : {', '.join(report.lost_feeds)}.")
    if any(report.rebuilt.values()):
        out(f"Reconstitués pour garder dossiers et notes (depuis l'index) : {counts(report.rebuilt)}.")
    dropped = dict(report.removed)
    for table, count in report.rejected.items():
        dropped[table] = dropped.get(table, 0) + count
    if any(dropped.values()):
        err(f"Retirés (parent perdu ou ligne invalide) : {counts(dropped)}.")
    out(f"Le fichier endommagé est conservé tel quel : {report.kept_as}")
    return EXIT_OK


def cmd_backup(ctx: Context) -> int:
    target = Path(ctx.args.file)
    ctx.store.backup(target)
    out(f"Sauvegarde écrite dans {target}.")
    return EXIT_OK


def cmd_demo_server(ctx: Context) -> int:
    from gazette_tui.demo.server import run_standalone

    return run_standalone(port=ctx.args.port)


def cmd_tui(ctx: Context) -> int:
    language = ctx.use_language()
    from gazette_tui.ui.app import run_tui

    if not ctx.args.demo:
        ctx.store.close()  # the app opens its own; this only seeded a first run
        return run_tui(ctx.settings, ctx.paths, offline=ctx.args.offline, language=language)
    from gazette_tui.demo.server import DemoServer, feed_list

    # The demo paper is a fixed set of articles with fixed dates: keep it whole, whatever the day it is shown.
    ctx.settings.retention.days = 0

    with DemoServer() as server:
        store = ctx.store
        store.rebase_local_feeds(server.url)
        store.add_feeds(feed_list(server.url))
        store.close()
        return run_tui(
            ctx.settings, ctx.paths, offline=ctx.args.offline, language=language, demo_url=server.url
        )


# -- parser --------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gazette-tui",
        description="Lecteur de La Gazette des communes et de flux RSS/Atom/JSON, au clavier et hors ligne.",
    )
    parser.add_argument("--version", action="version", version=f"gazette-tui {__version__}")
    parser.add_argument("--demo", action="store_true", help="le site de démonstration intégré (hors ligne)")
    parser.add_argument("--offline", action="store_true", help="ne jamais toucher au réseau")
    parser.add_argument("--lang", choices=["fr", "en"], help="langue de l'interface")
    parser.add_argument("--debug", action="store_true", help="afficher les traces d'erreur complètes")
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE")

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

    p = sub.add_parser("search", help="chercher dans le cache")
    p.add_argument("query", metavar="REQUÊTE")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=int, default=50)
    p.set_defaults(run=cmd_search)

    p = sub.add_parser("show", help="afficher un article du cache")
    p.add_argument("id", type=int)
    p.set_defaults(run=cmd_show)

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

    p = sub.add_parser("backup", help="copie cohérente des données (même si l'application tourne)")
    p.add_argument("file", metavar="FICHIER")
    p.set_defaults(run=cmd_backup)

    p = sub.add_parser("repair", help="reconstruire une base endommagée (le fichier d'origine est gardé)")
    p.add_argument("--force", action="store_true", help="reconstruire même une base saine")
    p.set_defaults(run=cmd_repair)

    p = sub.add_parser("demo-server", help="le site de démonstration seul")
    p.add_argument("--port", type=int, default=8080)
    p.set_defaults(run=cmd_demo_server)
    from gazette_tui.cli_accounts import add_account_commands

    add_account_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    run: Callable[[Context], int] = getattr(args, "run", cmd_tui)
    ctx = Context(args)
    try:
        with private_umask():  # what we create is 0600/0700 (core/files.py)
            return run(ctx)
    except ConfigError as error:
        err(str(error))
        return EXIT_USAGE
    except GazetteError as error:
        if args.debug:
            raise
        err(str(error))
        return EXIT_FAILURE
    except KeyboardInterrupt:
        err("Interrompu.")
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as error:
        if args.debug:
            raise
        err(f"Erreur inattendue ({type(error).__name__}: {error}). Relancez avec --debug pour le détail.")
        return EXIT_FAILURE
    finally:
        ctx.close()
