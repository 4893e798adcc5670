"""Fixed data for the UI tests and snapshots: synthetic local-government news written for these tests, stored
through the real parse → store path at a fixed time. Imported by the other ``test_ui*`` modules."""

from __future__ import annotations

import asyncio
import html
import re
import time
from collections.abc import Iterator
from pathlib import Path

from rich.cells import cell_len
from textual.app import App
from textual.pilot import Pilot
from textual.worker import Worker

from gazette_tui.core.feeds.parse import build_entry
from gazette_tui.core.paths import Paths
from gazette_tui.core.settings import Settings
from gazette_tui.core.storage.store import Store
from gazette_tui.errors import message
from gazette_tui.models import ParsedFeed
from gazette_tui.ui.app import GazetteApp, build_app

NOW = 1_550_660_400  # 20/02/2019 12:00 Paris
DAY = 86_400

BODY = """
<p>Le conseil municipal a voté le budget primitif après deux heures de débat.</p>
<h2>Les grandes masses</h2>
<ul><li>Fonctionnement : 12,4 M€</li><li>Investissement : 4,1 M€</li></ul>
<blockquote><p>Nous tenons nos engagements sans hausse des taux.</p></blockquote>
<table><tr><th>Poste</th><th>Montant</th></tr><tr><td>Voirie</td><td>1,2 M€</td></tr></table>
<p>Voir la <a href="https://example.org/deliberation">délibération</a> et le
<a href="https://example.org/rapport">rapport d'orientation</a>.</p>
<figure><img src="https://example.org/a.jpg" alt="La mairie"><figcaption>Photo : Ville</figcaption></figure>
"""

UNTRUSTED_TITLES = [
    "[@click=app.quit]Lire[/]",
    "[link=x]lien piégé",
    "[/",
    "Droit \u202eelbaived\u202c des élus",
    "🎉 Fête des associations 🎊",
    "東京の自治体と姉妹都市協定を締結",
    "\x1b[31mAlerte\x1b[0m rouge\x07 sur la voirie",
    "Un titre très long " + "qui ne finit jamais " * 12,
]


def _entry(
    key: str,
    title: str,
    published: int,
    *,
    body: str = "",
    summary: str = "",
    author: str = "",
    categories: tuple[str, ...] = (),
    link: str = "",
) -> object:
    return build_entry(
        guid=key,
        link=link or f"https://example.org/{key}",
        title=title,
        author=author,
        published=published,
        updated=None,
        categories=list(categories),
        summary=summary or f"<p>Résumé de « {title} ».</p>",
        content=body,
    )


def fill_store(store: Store) -> None:
    """Three feeds in two rubriques plus one loose feed; fixed dates; one failing feed."""
    finances = store.add_feed("https://example.org/finances/feed/", "Club Finances", "Finances").id
    rh = store.add_feed("https://example.org/rh/feed/", "Club RH", "Ressources humaines").id
    blog = store.add_feed("https://example.org/blog/feed/", "Blog des territoires").id
    broken = store.add_feed("https://example.org/broken/feed/", "Flux cassé", "Finances").id
    entries = [
        _entry(
            "budget",
            "Budget primitif : la ville de Lorient maîtrise ses dépenses",
            NOW - 3600,
            body=BODY,
            summary="<p>Le conseil municipal a adopté un budget sans hausse des taux.</p>",
            author="Jeanne Martin",
            categories=("Budget", "Fiscalité locale"),
        ),
        _entry(
            "dotations",
            "Dotations : ce qui change en 2019",
            NOW - DAY,
            author="Paul Durand",
            categories=("Dotations",),
        ),
        _entry(
            "reserve",
            "Article réservé aux abonnés : la réforme de la taxe",
            NOW - 2 * DAY,
            summary="<p>Article réservé aux abonnés. Les communes attendent les compensations…</p>",
            link="https://example.org/reserve?abo=1",
            categories=("Fiscalité",),
        ),
    ]
    store.record_success(
        finances, ParsedFeed("rss", "Club Finances", "https://example.org", entries), when=NOW
    )
    rh_entries = [
        _entry(f"rh{n}", f"Ressources humaines : fiche pratique n° {n}", NOW - n * DAY - 7200)
        for n in range(1, 5)
    ]
    store.record_success(rh, ParsedFeed("rss", "Club RH", "https://example.org", rh_entries), when=NOW)
    blog_entries = [
        _entry(f"u{n}", title, NOW - (n + 5) * DAY, body=f"<p>{title}</p>")
        for n, title in enumerate(UNTRUSTED_TITLES)
    ]
    store.record_success(blog, ParsedFeed("rss", "Blog", "https://example.org", blog_entries), when=NOW)
    store.record_failure(broken, message("fetch.unexpected_status", status="500"), when=NOW)  # said in either


def new_paths(root: Path) -> Paths:
    paths = Paths.under(root / "home")
    paths.ensure()
    return paths


def filled_store(paths: Paths) -> Iterator[Store]:
    """For a fixture: the fixed data in a fresh database (``yield from filled_store(paths)``)."""
    time.tzset()
    with Store(paths.database) as store:
        fill_store(store)
        yield store


def make_app(
    store: Store,
    paths: Paths,
    *,
    language: str = "fr",
    offline: bool = False,
    settings: Settings | None = None,
    demo_url: str | None = None,
) -> GazetteApp:
    return build_app(
        settings or Settings(), paths, store=store, offline=offline, language=language, demo_url=demo_url
    )


DIALOG_GROUP = "dialog"
"""The worker group of the dialog flows (``@work`` coroutines that await ``push_screen_wait``)."""
SETTLE_LIMIT = 60.0
"""Seconds :func:`settle` waits for one round of workers before it says which ones never finished."""


def busy_workers(app: App[object]) -> list[Worker[object]]:
    """The workers still running, less a dialog flow while a dialog is open: it is waiting for the user."""
    dialog_open = len(app.screen_stack) > 1
    return [
        worker
        for worker in app.workers
        if not worker.is_finished and not (dialog_open and worker.group == DIALOG_GROUP)
    ]


async def settle(pilot: Pilot[int]) -> None:
    """Wait until the workers and the messages they post have all run (they chain: tree → ids → rows).

    A dialog flow counts until its dialog is up, then waits for the test (as a user would be waited for);
    once the dialog closes it counts again until it ends."""
    for _round in range(6):
        deadline = time.monotonic() + SETTLE_LIMIT
        while busy := busy_workers(pilot.app):
            if time.monotonic() > deadline:
                raise AssertionError(f"workers still running after {SETTLE_LIMIT} s: {busy}")
            await asyncio.sleep(0.005)
        await pilot.pause()


SVG_TEXT = re.compile(
    r'<text class="[^"]*" x="([0-9.]+)" y="[0-9.]+" textLength="[0-9.]+" '
    r'clip-path="url\(#[\w-]+-line-(\d+)\)">(.*?)</text>'
)
SVG_CELL_WIDTH = 20 * 0.61
"""Rich's SVG export: 20 px characters, 0.61 as wide as they are high."""


def screen_text(app: App[object]) -> str:
    """What the terminal shows, one line per row: read from the app's public SVG screenshot
    (``App.export_screenshot``), so a dialog comes with the screen under it, as the user sees them."""
    width, height = app.size
    rows: list[list[tuple[int, str]]] = [[] for _row in range(height)]
    for x, row, text in SVG_TEXT.findall(app.export_screenshot()):
        # Spaces are written as &#160; (a no-break space in the text itself stays one).
        rows[int(row)].append((round(float(x) / SVG_CELL_WIDTH), html.unescape(text.replace("&#160;", " "))))
    lines = []
    for cells in rows:
        line, column = "", 0
        for start, text in sorted(cells):
            line += " " * max(start - column, 0) + text
            column = start + cell_len(text)
        lines.append(line)
    assert len(lines) == height
    assert all(cell_len(line) <= width for line in lines)
    return "\n".join(lines)


def notices(app: GazetteApp) -> list[str]:
    """What the app said in notifications, oldest first (``GazetteApp.notices``)."""
    return list(app.notices)


async def palette_prompts(pilot: Pilot[int], typed: str) -> list[str]:
    """Open the command palette, type ``typed`` and return the commands it offers."""
    from textual.command import CommandList

    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*typed)
    await settle(pilot)
    await pilot.pause(0.3)
    options = pilot.app.screen.query_one(CommandList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
