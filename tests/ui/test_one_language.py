"""One language at a time: every screen and dialog of the TUI, every error the core can raise and Textual's
own words (the command palette, its system commands, the theme picker) are all French in the French UI and
all English in the English one.

The heuristic that tells the languages apart is ``tests/support/language.py`` (word lists, French letters
and elisions, English possessives, with proper names and code set aside; its docstring says why each rule).
The feeds of these tests are written in neutral words (Alpha, Kilo, Orion…) so that only the app's own text
is judged, never feed content, which is in whatever language its site writes."""

from __future__ import annotations

import inspect
import pkgutil
import re
from collections.abc import Iterable, Iterator
from importlib import import_module
from pathlib import Path

import pytest
from support.language import english_in, french_in, other_language
from support.ui import NOW, make_app, new_paths, notices, screen_text, settle
from textual.content import Content
from textual.pilot import Pilot
from textual.screen import ModalScreen

import gazette_tui.ui.dialogs
from gazette_tui.core.feeds.parse import build_entry
from gazette_tui.core.library import dossiers, ma_gazette
from gazette_tui.core.paths import Paths
from gazette_tui.core.search import alerts, filters
from gazette_tui.core.settings import Settings
from gazette_tui.core.storage.store import Store
from gazette_tui.errors import MESSAGES, Message, message
from gazette_tui.models import Enclosure, ParsedFeed
from gazette_tui.ui.app import GazetteApp

SIZE = (120, 36)
BODY = (
    "<p>Alpha bravo charlie, <a href='https://site.test/dossiers/orion/'>Orion</a>, "
    "<a href='https://site.test/dossiers/vega/'>Vega</a>.</p><h2>Kilo</h2><p>Zulu quasar nimbus.</p>"
)


def neutral_store(paths: Paths) -> Store:
    """Two feeds, one failing (its error stored as a code), a dossier, an alerte: no word of any language."""
    store = Store(paths.database)
    kilo = store.add_feed("https://site.test/kilo/feed/", "Kilo", "Zulu")
    lima = store.add_feed("https://site.test/lima/feed/", "Lima", "Zulu")
    entries = [
        build_entry(
            guid=f"a{n}",
            link=f"https://site.test/a{n}/",
            title=f"{word} {n}",
            author="Xavi Quux",
            published=NOW - n * 3600,
            updated=None,
            categories=["Nimbus"],
            summary=f"<p>{word} quasar.</p>",
            content=BODY,
            enclosures=[Enclosure(f"https://site.test/a{n}/orion.mp3", "audio/mpeg", 12_500_000, 2525)],
        )
        for n, word in enumerate(("Alpha", "Bravo", "Charlie"), 1)
    ]
    store.record_success(kilo.id, ParsedFeed("rss", "Kilo", "https://site.test/", entries), when=NOW)
    store.record_failure(lima.id, message("fetch.wait_unreadable", status="503"), when=NOW)
    sirius = dossiers.create(store, "Sirius")
    for article_id in store.article_ids()[:2]:
        dossiers.add_article(store, sirius.id, article_id)
    alerts.save_alert(store, "Polaris", "alpha")
    return store


@pytest.fixture
def ui_paths(tmp_path: Path) -> Paths:
    return new_paths(tmp_path)


@pytest.fixture
def neutral(ui_paths: Paths) -> Iterator[Store]:
    store = neutral_store(ui_paths)
    yield store
    store.close()


def binding_ids(app: GazetteApp) -> set[str]:
    found = set()
    for node in (app, app.main, *app.main.query("*")):
        found |= {binding.id for _key, binding in node._bindings if binding.id}  # noqa: SLF001
    return {part for name in found for part in re.split(r"[._]", name)}


def dialog_classes() -> set[str]:
    """Every dialog of ``ui/dialogs`` (one ModalScreen per module)."""
    found = set()
    for module in pkgutil.iter_modules(gazette_tui.ui.dialogs.__path__, "gazette_tui.ui.dialogs."):
        for name, obj in vars(import_module(module.name)).items():
            if inspect.isclass(obj) and issubclass(obj, ModalScreen) and obj.__module__ == module.name:
                found.add(name)
    return found


class Visit:
    """Looks at each screen the user can reach and keeps what the other language left on it."""

    def __init__(self, pilot: Pilot[int], language: str) -> None:
        self.pilot = pilot
        self.language = language
        self.seen: set[str] = set()
        self.found: dict[str, list[str]] = {}

    @property
    def app(self) -> GazetteApp:
        app = self.pilot.app
        assert isinstance(app, GazetteApp)
        return app

    async def look(self, what: str, *, screen: str | None = None, allowed: Iterable[str] = ()) -> None:
        await settle(self.pilot)
        await self.pilot.pause(0.1)
        if screen is not None:
            assert type(self.app.screen).__name__ == screen, (what, type(self.app.screen).__name__)
        self.seen.add(type(self.app.screen).__name__)
        words = other_language(screen_text(self.app), self.language, allowed)
        if words:
            self.found[what] = words

    async def run(self, action: str, *, on_app: bool = False) -> None:
        node = self.app if on_app else self.app.main
        await node.run_action(action)
        await settle(self.pilot)

    async def close(self) -> None:
        await self.pilot.press("escape")
        await settle(self.pilot)


async def visit_everything(pilot: Pilot[int], language: str, store: Store) -> Visit:
    visit = Visit(pilot, language)
    app, main = visit.app, visit.app.main
    await visit.look("main view", screen="MainScreen")
    [kilo, lima] = store.feeds()
    main.goto(f"feed:{kilo.id}")
    await visit.look("an article list")
    main.action_forward()
    await visit.look("the reader")
    for action, dialog in (
        ("links", "LinksDialog"),
        ("app.attachments", "AttachmentsDialog"),
        ("app.ma_gazette('themes')", "ThemesDialog"),
        ("follow_dossier", "ChoiceDialog"),
        ("dossier_add", "DossierPicker"),
        ("dossier_new", "DossierEditDialog"),
        ("save_alert", "SaveAlertDialog"),
        ("help", "HelpDialog"),
    ):
        await visit.run(action)
        # The help lists each key's binding id, for [ui.keymap]: code, in no language.
        await visit.look(action, screen=dialog, allowed=binding_ids(app) if action == "help" else ())
        await visit.close()
    await visit.run("search")
    search = app.screen
    await pilot.press(*'"alpha')
    await visit.look("a search with an error", screen="SearchDialog")
    await pilot.press(*["backspace"] * 6, *"alpha")
    await visit.look("search results", screen="SearchDialog")
    assert app.screen is search
    await visit.close()
    await visit.run("login", on_app=True)
    await visit.look("the login dialog", screen="LoginDialog")
    await visit.close()
    filters.add_filter(store, "Vega", "vega", "hide", feed_url=kilo.url)
    await visit.run("filters", on_app=True)
    await visit.look("the filters", screen="FiltersDialog")
    await pilot.press("n")
    await visit.look("a new filter", screen="FilterEditDialog")
    await visit.close()
    await visit.look("the filters again", screen="FiltersDialog")
    await visit.close()
    await visit.run("sync_accounts", on_app=True)
    await visit.look("the sync accounts", screen="SyncAccountsDialog")
    await pilot.press("n")
    await visit.look("a new sync account", screen="SyncAddDialog")
    await visit.close()
    await visit.look("the sync accounts again", screen="SyncAccountsDialog")
    await visit.close()
    for what, dialog in (
        ("add", "AddFeedDialog"),
        ("import", "ImportOpmlDialog"),
        ("settings", "FeedSettingsDialog"),
    ):
        await visit.run(f"subscription('{what}')", on_app=True)
        await visit.look(f"subscription {what}", screen=dialog)
        await visit.close()
    main.goto(f"feed:{lima.id}")
    await visit.run("feed_error")
    await visit.look("a feed's error", screen="FeedErrorDialog")
    await visit.close()
    [sirius] = dossiers.list_dossiers(store)
    main.goto(f"dossier:{sirius.id}")
    await visit.look("a dossier")
    for action, dialog in (
        ("dossier_note", "PromptDialog"),
        ("dossier_edit", "DossierEditDialog"),
        ("dossier_export", "ExportDialog"),
        ("dossier_delete", "ConfirmDialog"),
    ):
        await visit.run(action)
        await visit.look(action, screen=dialog)
        await visit.close()
    ma_gazette.choose(store, [ma_gazette.Theme("tag", "Nimbus"), ma_gazette.Theme("alert", "Vega")])
    await visit.run("ma_gazette('page')", on_app=True)
    await visit.look("« Ma Gazette »", screen="MaGazettePage")
    await visit.close()
    await visit.run("command_palette", on_app=True)
    await visit.look("the command palette")
    await pilot.press(*"zzqx")
    await pilot.pause(0.8)  # "no matches" comes after half a second
    await visit.look("the command palette, nothing found")
    await visit.close()
    await visit.run("change_theme", on_app=True)
    await visit.look("the theme picker")
    await visit.close()
    main.goto("all")
    await visit.run("mark_all_read")
    await visit.look("a notification")
    for said in notices(app):
        words = other_language(said, language)
        if words:
            visit.found[f"notice {said!r}"] = words
    return visit


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_every_screen_and_dialog_speaks_one_language(
    neutral: Store, ui_paths: Paths, language: str
) -> None:
    settings = Settings()
    settings.downloads.folder = "/srv/orion"  # a path in no language (the system's says "Downloads")
    app = make_app(neutral, ui_paths, language=language, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        visit = await visit_everything(pilot, language, neutral)
    assert visit.found == {}
    assert dialog_classes() <= visit.seen, dialog_classes() - visit.seen


def sample(name: str) -> object:
    """A value for a placeholder, in no language; a reason or a place is a message of its own, said in the
    sentence's language."""
    nested = {
        "reason": message("file.disk_full"),
        "problem": message("proxy.scheme"),
        "where": message("settings.at_line", path=Path("/home/agent/config.toml"), line=3),
        "action": message("file.cannot_write", path=Path("/home/agent/export.md")),
        "allowed": message("range.timeout"),
        "detail": message("detail", text="SQLITE_CORRUPT"),
        "source": message("profile.builtin"),
    }
    if name in nested:
        return nested[name]
    if name in ("path", "journal"):
        return Path("/home/agent/gazette.db")
    if name == "url":
        return "https://site.test/kilo/feed/"
    if name in ("count", "max", "min", "length", "size", "actual", "expected", "read", "indexed", "articles"):
        return 3
    return "Kilo"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_error_the_core_can_raise_speaks_one_language(language: str) -> None:
    found = {}
    for code, template in MESSAGES.items():
        names = set(re.findall(r"\{(\w+)(?::n)?\}", template if isinstance(template, str) else template[1]))
        said = Message(code, {name: sample(name) for name in names}).text(language)  # type: ignore[misc]
        words = other_language(said, language)
        if words:
            found[code] = (said, words)
    assert len(MESSAGES) > 200  # guards the loop
    assert found == {}


def test_the_heuristic_tells_the_languages_apart() -> None:
    """It finds the other language in a sentence of each kind, and nothing in the right one."""
    assert french_in("Le flux est en erreur") == ["Le", "flux", "est", "erreur"]
    assert french_in("l’article") == ["l’"]
    assert french_in("Délai dépassé") == ["Délai", "dépassé"]
    assert english_in("The feed's address") == ["d's", "The"]
    assert french_in('Unclosed quote: add “"” at the end') == []
    assert english_in("Aucun flux : is:unread, gazette-tui login demo, La Gazette des communes") == []
    assert french_in("No feed: is:unread, gazette-tui login demo, La Gazette des communes, dossier") == []


def test_a_no_break_space_never_breaks_a_wrapped_line(neutral: Store, ui_paths: Paths) -> None:
    """« intérêt public » never leaves its » alone on a line, nor « 20 000 » its 000 (ui/typography.py)."""
    make_app(neutral, ui_paths)  # what the app does before it draws anything
    text = "Le mot «\u00a0intérêt public\u00a0» revient\u00a0: 20\u00a0000 articles en parlent à longueur."
    for width in range(12, 40):
        lines = [line.plain.strip() for line in Content(text).wrap(width)]
        assert not any(line.startswith(("»", ":", "000")) or line.endswith("«") for line in lines), lines
