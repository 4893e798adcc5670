"""``backup``, ``repair`` and ``demo-server``: looking after the data, and the demo site alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gazette_tui.cli.context import EXIT_OK, Context, err, out


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


def add_commands(sub: Any) -> None:
    """``backup``, ``repair`` and ``demo-server`` on the CLI's subparsers."""
    p = sub.add_parser("backup", help="copie cohérente des données (même si l'application tourne)")
    p.add_argument("file", metavar="FICHIER")
    p.set_defaults(run=cmd_backup)

    p = sub.add_parser("repair", help="reconstruire une base endommagée (le fichier d'origine est gardé)")
    p.add_argument("--force", action="store_true", help="reconstruire même une base saine")
    p.set_defaults(run=cmd_repair)

    p = sub.add_parser("demo-server", help="le site de démonstration seul")
    p.add_argument("--port", type=int, default=8080)
    p.set_defaults(run=cmd_demo_server)
