"""Dossiers in the TUI, on a real SQLite store: create, rename, describe, delete and undo; the picker (type to
filter, "nouveau dossier…"); add, remove and undo; notes in the reader; the dossier list in both orders;
export to files; "flux supprimé"; La Gazette's own dossiers (followed against a loopback server) and the
"texte intégral" mark; one snapshot of a dossier view."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from support.feeds import rss
from support.french import typo
from support.ui import NOW, filled_store, make_app, new_paths, notices, screen_text, settle
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, RadioButton

from gazette_tui.core.accounts.fulltext import store_fulltext
from gazette_tui.core.feeds.parse import build_entry
from gazette_tui.core.library import dossiers
from gazette_tui.core.paths import Paths
from gazette_tui.core.settings import Settings
from gazette_tui.core.storage.store import ArticleFilter, Store
from gazette_tui.models import ParsedFeed
from gazette_tui.ui.app import GazetteApp
from gazette_tui.ui.dialogs.confirm import ConfirmDialog
from gazette_tui.ui.dialogs.dossier_edit import DossierEditDialog
from gazette_tui.ui.dialogs.dossier_picker import DossierPicker
from gazette_tui.ui.dialogs.export import ExportDialog
from gazette_tui.ui.dialogs.prompt import PromptDialog

SIZE = (120, 36)


@pytest.fixture
def ui_paths(tmp_path: Path) -> Paths:
    return new_paths(tmp_path)


@pytest.fixture
def ui_store(ui_paths: Paths) -> Iterator[Store]:
    yield from filled_store(ui_paths)


def option_texts(options: OptionList) -> list[str]:
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def set_added(store: Store, dossier_id: int, added: dict[int, int]) -> None:
    """Fix the "added" time of each article (real additions within one second would tie)."""
    with store.writing() as c:
        for article_id, when in added.items():
            c.execute(
                "UPDATE dossier_items SET added = ? WHERE dossier_id = ? AND article_id = ?",
                (when, dossier_id, article_id),
            )


async def submit(pilot: Pilot[int], field: str, value: str) -> None:
    """Fill a field of the dialog on top and press enter in it."""
    widget = pilot.app.screen.query_one(field, Input)
    widget.value = value
    widget.focus()
    await pilot.press("enter")
    await settle(pilot)


def dialog_error(app: GazetteApp) -> str:
    return str(app.screen.query_one("#dossier-edit-error").render())


async def test_create_rename_describe_delete_and_undo(ui_store: Store, ui_paths: Paths) -> None:
    first = ui_store.article_ids()[0]
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Mes dossiers" not in screen_text(app)  # no section until there is a dossier
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, DossierEditDialog)
        await submit(pilot, "#dossier-edit-name", "Budget 2019")
        assert not isinstance(app.screen, DossierEditDialog)
        [created] = dossiers.list_dossiers(ui_store)
        assert created.name == "Budget 2019"
        text = screen_text(app)
        assert "Mes dossiers" in text
        assert "Budget 2019" in text
        assert any(typo("Dossier « Budget 2019 » créé") in message for message in notices(app))

        # Bad names are explained in the dialog, which stays open with what was typed.
        await pilot.press("c")
        await settle(pilot)
        for bad, why in [
            ("   ", "ne peut pas être vide"),
            ("Budget 2019", "existe déjà"),
            ("Budget/2019", "« / »"),
            ("Budget\x07 2019", "caractères de contrôle"),
        ]:
            await submit(pilot, "#dossier-edit-name", bad)
            assert isinstance(app.screen, DossierEditDialog)
            assert typo(why) in dialog_error(app)
            assert app.screen.query_one("#dossier-edit-name", Input).value == bad
        await pilot.press("escape")
        await settle(pilot)
        assert len(dossiers.list_dossiers(ui_store)) == 1

        # Rename and describe the dossier selected in the tree.
        dossiers.add_article(ui_store, created.id, first, "À relire")
        app.main.reload_collections()
        await settle(pilot)
        app.main.goto(f"dossier:{created.id}")
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        assert isinstance(app.screen, DossierEditDialog)
        assert app.screen.query_one("#dossier-edit-name", Input).value == "Budget 2019"
        app.screen.query_one("#dossier-edit-description", Input).value = "Pour la commission des finances"
        await submit(pilot, "#dossier-edit-name", "Budgets communaux")
        renamed = dossiers.get(ui_store, created.id)
        assert (renamed.name, renamed.description) == ("Budgets communaux", "Pour la commission des finances")
        assert "Budgets communaux" in screen_text(app)

        # Delete: asked first (no keeps it), then u brings it back with its article and note.
        await pilot.press("X")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert len(dossiers.list_dossiers(ui_store)) == 1
        await pilot.press("X")
        await settle(pilot)
        assert "Budgets communaux" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        assert dossiers.list_dossiers(ui_store) == []
        assert "Budgets communaux" not in screen_text(app)
        assert app.main.target is not None
        assert app.main.target.key == "all"
        assert any("supprimé — u pour annuler" in message for message in notices(app))
        await pilot.press("u")
        await settle(pilot)
        [back] = dossiers.list_dossiers(ui_store)
        assert back.id == created.id
        assert back.name == "Budgets communaux"
        assert [(d.id, note) for d, note in dossiers.dossiers_of(ui_store, first)] == [
            (created.id, "À relire")
        ]
        assert "Budgets communaux" in screen_text(app)


async def test_picker_filters_adds_creates_and_takes_out(ui_store: Store, ui_paths: Paths) -> None:
    budget = dossiers.create(ui_store, "Budget 2019")
    rh = dossiers.create(ui_store, "Ressources humaines")
    first = ui_store.article_ids()[0]
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l")  # to the list, the cursor on the newest article
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DossierPicker)
        options = app.screen.query_one(OptionList)
        assert len(option_texts(options)) == 3  # two dossiers and "Nouveau dossier…"
        await pilot.press(*"ressou")
        await settle(pilot)
        texts = option_texts(options)
        assert len(texts) == 2
        assert "Ressources humaines" in texts[0]
        assert typo("Nouveau dossier « ressou »") in texts[1]
        await pilot.press("enter")
        await settle(pilot)
        assert [d.id for d, _note in dossiers.dossiers_of(ui_store, first)] == [rh.id]
        assert any(typo("Ajouté au dossier « Ressources humaines »") in m for m in notices(app))

        # Nothing matches: the only line creates a dossier named after what was typed.
        await pilot.press("d")
        await settle(pilot)
        await pilot.press(*"Urbanisme")
        await settle(pilot)
        assert len(option_texts(app.screen.query_one(OptionList))) == 1
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DossierEditDialog)
        assert app.screen.query_one("#dossier-edit-name", Input).value == "Urbanisme"
        await pilot.press("enter")
        await settle(pilot)
        names = sorted(d.name for d, _note in dossiers.dossiers_of(ui_store, first))
        assert names == ["Ressources humaines", "Urbanisme"]
        assert budget.id not in {d.id for d, _note in dossiers.dossiers_of(ui_store, first)}

        # A dossier marked ✓ already holds the article: choosing it takes the article out; u puts it back.
        await pilot.press("d")
        await settle(pilot)
        texts = option_texts(app.screen.query_one(OptionList))
        assert [t.startswith("✓") for t in texts[:3]] == [False, True, True]
        await pilot.press(*"ressources", "enter")
        await settle(pilot)
        assert [d.name for d, _note in dossiers.dossiers_of(ui_store, first)] == ["Urbanisme"]
        await pilot.press("u")
        await settle(pilot)
        names = sorted(d.name for d, _note in dossiers.dossiers_of(ui_store, first))
        assert names == ["Ressources humaines", "Urbanisme"]


async def test_note_is_shown_in_the_reader_and_D_takes_the_article_out(
    ui_store: Store, ui_paths: Paths
) -> None:
    first = ui_store.article_ids()[0]
    budget = dossiers.create(ui_store, "Budget 2019")
    dossiers.add_article(ui_store, budget.id, first)
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l", "enter")
        await settle(pilot)
        assert typo("Dans vos dossiers : « Budget 2019 »") in screen_text(app)
        await pilot.press("N")
        await settle(pilot)
        assert isinstance(app.screen, PromptDialog)
        await submit(pilot, "#prompt-input", "Chiffres à vérifier [bold]avant[/] la commission")
        assert (
            dossiers.dossiers_of(ui_store, first)[0][1] == "Chiffres à vérifier [bold]avant[/] la commission"
        )
        # The note is the user's text: shown as typed, never read as markup.
        note = typo("Note (Budget 2019) : ") + "Chiffres à vérifier [bold]avant[/] la commission"
        assert note in screen_text(app)
        await pilot.press("D")
        await settle(pilot)
        assert dossiers.dossiers_of(ui_store, first) == []
        text = screen_text(app)
        assert "Dans vos dossiers" not in text
        assert "Note (Budget 2019)" not in text
        await pilot.press("D")
        await settle(pilot)
        assert any(typo("n'est dans aucun dossier") in m for m in notices(app))


async def test_a_dossier_lists_newest_added_first_or_by_date(ui_store: Store, ui_paths: Paths) -> None:
    by_date = ui_store.article_ids()
    chosen = [by_date[0], by_date[2], by_date[5]]
    dossier = dossiers.create(ui_store, "Veille")
    for article_id in chosen:
        dossiers.add_article(ui_store, dossier.id, article_id)
    # Added in the opposite order of publication: the oldest article was saved last.
    set_added(ui_store, dossier.id, {chosen[0]: NOW, chosen[1]: NOW + 10, chosen[2]: NOW + 20})
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Veille  3" in screen_text(app)  # the tree counts the dossier's articles
        app.main.goto(f"dossier:{dossier.id}")
        await settle(pilot)
        assert app.main.articles.ids == [chosen[2], chosen[1], chosen[0]]
        await pilot.press("O")
        await settle(pilot)
        assert app.main.articles.ids == ui_store.article_ids(ArticleFilter(dossier_id=dossier.id)) == chosen
        await pilot.press("O")
        await settle(pilot)
        assert app.main.articles.ids == [chosen[2], chosen[1], chosen[0]]


async def test_an_article_whose_feed_was_removed_says_so(ui_store: Store, ui_paths: Paths) -> None:
    first = ui_store.article_ids()[0]  # from "Club Finances"
    dossier = dossiers.create(ui_store, "Archives")
    dossiers.add_article(ui_store, dossier.id, first)
    ui_store.remove_feed("https://example.org/finances/feed/")
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main.goto(f"dossier:{dossier.id}")
        await settle(pilot)
        assert app.main.articles.ids == [first]
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        assert "Budget primitif" in text
        assert "flux supprimé" in text


async def test_export_to_markdown_and_html(
    ui_store: Store, ui_paths: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "maison"))
    ids = ui_store.article_ids()
    dossier = dossiers.create(ui_store, "Budget 2019", "Pour la commission")
    dossiers.add_article(ui_store, dossier.id, ids[0], "Chiffre clé : 12,4 M€")
    dossiers.add_article(ui_store, dossier.id, ids[1])
    empty = dossiers.create(ui_store, "Vide")
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main.goto(f"dossier:{dossier.id}")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)
        assert app.screen.query_one(Input).value == str(tmp_path / "maison" / "Budget 2019.md")
        markdown = tmp_path / "export" / "budget.md"
        markdown.parent.mkdir()
        await submit(pilot, "#export-path", str(markdown))
        text = markdown.read_text(encoding="utf-8")
        assert text.startswith("# Budget 2019\n")
        assert "Pour la commission" in text
        assert "Chiffre clé : 12,4 M€" in text
        assert "Budget primitif : la ville de Lorient maîtrise ses dépenses" in text
        assert "Dotations : ce qui change en 2019" in text
        assert any(str(markdown) in m for m in notices(app))

        # HTML: choosing the format changes the extension of the proposed path.
        await pilot.press("x")
        await settle(pilot)
        app.screen.query_one("#export-html", RadioButton).value = True
        await settle(pilot)
        assert app.screen.query_one(Input).value.endswith("Budget 2019.html")
        page = tmp_path / "export" / "budget.html"
        await submit(pilot, "#export-path", str(page))
        html = page.read_text(encoding="utf-8")
        assert html.startswith("<!DOCTYPE html>")
        assert "<h1>Budget 2019</h1>" in html
        assert "Chiffre clé : 12,4 M€" in html
        assert "<script" not in html

        # An existing file is replaced only once confirmed.
        await pilot.press("x")
        await settle(pilot)
        await submit(pilot, "#export-path", str(markdown))
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert markdown.read_text(encoding="utf-8") == text
        markdown.write_text("ancienne version", encoding="utf-8")
        await pilot.press("x")
        await settle(pilot)
        await submit(pilot, "#export-path", str(markdown))
        await pilot.press("y")
        await settle(pilot)
        assert markdown.read_text(encoding="utf-8").startswith("# Budget 2019\n")

        # A folder that does not exist: the reason is shown, nothing is written, the dossier is intact.
        await pilot.press("x")
        await settle(pilot)
        missing = tmp_path / "nulle-part" / "budget.md"
        await submit(pilot, "#export-path", str(missing))
        assert not missing.exists()
        assert not missing.parent.exists()
        assert any(typo("Impossible d'écrire") in m and str(missing) in m for m in notices(app))
        assert dossiers.get(ui_store, dossier.id).count == 2

        # An empty dossier: said at once, no dialog.
        app.main.goto(f"dossier:{empty.id}")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert not isinstance(app.screen, ExportDialog)
        assert any(typo("« Vide » est vide") in m for m in notices(app))

        # Outside a dossier, the dossier keys say what they need.
        app.main.goto("all")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert any(typo("Sélectionnez d'abord un dossier") in m for m in notices(app))


def editorial_store(store: Store, base: str) -> int:
    """One article of a loopback "site" whose full text links to a La Gazette-style dossier page."""
    feed = store.add_feed(f"{base}/actu/feed/", "Actualité", "Actualité").id
    entry = build_entry(
        guid="municipales",
        link=f"{base}/actualite/municipales/",
        title="Municipales : le calendrier des listes",
        author="Jeanne Martin",
        published=NOW,
        updated=None,
        categories=["Élections"],
        summary="<p>Les listes doivent être déposées avant le 27 février.</p>",
        content="",
    )
    store.record_success(feed, ParsedFeed("rss", "Actualité", base, [entry]), when=NOW)
    article_id = store.article_ids()[0]
    store_fulltext(
        store,
        article_id,
        "<p>Les listes doivent être déposées en préfecture avant le 27 février.</p>"
        '<p>Retrouvez notre <a href="/dossiers/elections-municipales/">dossier</a>.</p>',
    )
    return article_id


async def test_editorial_dossier_line_full_text_mark_and_follow(
    httpserver: HTTPServer, ui_paths: Paths, settings: Settings
) -> None:
    httpserver.expect_request("/dossiers/elections-municipales/feed/").respond_with_data(
        rss(2, "Élections municipales"), content_type="application/rss+xml"
    )
    base = httpserver.url_for("").rstrip("/")
    with Store(ui_paths.database) as store:
        editorial_store(store, base)
        app = make_app(store, ui_paths, settings=settings)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("l", "enter")
            await settle(pilot)
            text = screen_text(app)
            # The link says only « dossier »: the slug's words stand in until the feed names itself.
            assert typo("En relation avec les dossiers : Elections municipales") in text
            assert "texte intégral" in text
            await pilot.press("a")
            await settle(pilot)
            feed = store.feed(f"{base}/dossiers/elections-municipales/feed/")
            assert feed is not None
            assert feed.rubrique == "Dossiers"
            assert feed.title == "Élections municipales"  # the feed's own title, accents kept
            # Followed, then fetched at once from the loopback server.
            assert "/dossiers/elections-municipales/feed/" in [r.path for r, _response in httpserver.log]
            assert len(store.article_ids(ArticleFilter(feed_id=feed.id))) == 2
            assert any(typo("Abonné au dossier « Elections municipales »") in m for m in notices(app))
            await pilot.press("a")
            await settle(pilot)
            assert any("Vous suivez déjà le dossier" in m for m in notices(app))  # never a second feed
            assert [f.url for f in store.feeds()].count(feed.url) == 1


async def test_no_full_text_mark_nor_editorial_line_on_a_plain_article(
    ui_store: Store, ui_paths: Paths
) -> None:
    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("l", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "Budget primitif" in text
        assert "texte intégral" not in text
        assert "En relation avec les dossiers" not in text
        await pilot.press("a")
        await settle(pilot)
        assert any(typo("n'appartient à aucun dossier de La Gazette") in m for m in notices(app))


async def palette_prompts(pilot: Pilot[int], typed: str) -> list[str]:
    from textual.command import CommandList

    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*typed)
    await settle(pilot)
    await pilot.pause(0.3)
    options = pilot.app.screen.query_one(CommandList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_every_dossier_action_has_an_id_a_tooltip_and_a_palette_entry(
    ui_store: Store, ui_paths: Paths
) -> None:
    from gazette_tui.ui.bindings import unique_bindings

    app = make_app(ui_store, ui_paths)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ours = [b for b in unique_bindings(app.main) if b.action.startswith(("dossier_", "follow_", "save_"))]
        assert len(ours) == 10
        assert all(b.id and b.tooltip for b in ours)
        assert any(
            "Exporter le dossier (Markdown, HTML)…" in p for p in await palette_prompts(pilot, "Exporter le")
        )
        await pilot.press("escape")
        await settle(pilot)
        prompts = await palette_prompts(pilot, "Créer un dossier")
        assert any("Créer un dossier…" in p for p in prompts)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DossierEditDialog)


@pytest.fixture
def snapshot_store(tmp_path: Path) -> Iterator[tuple[Store, Paths]]:
    paths = Paths(
        Path("/home/agent/.config/gazette-tui"), tmp_path / "data", tmp_path / "cache", tmp_path / "log"
    )
    paths.data_dir.mkdir(parents=True)
    store_iter = filled_store(paths)
    store = next(store_iter)
    ids = store.article_ids()
    dossier = dossiers.create(store, "Budget 2019", "Pour la commission des finances")
    for article_id in (ids[0], ids[1], ids[4]):
        dossiers.add_article(store, dossier.id, article_id)
    dossiers.set_note(store, dossier.id, ids[0], "Chiffres à reprendre dans la note au maire")
    set_added(store, dossier.id, {ids[0]: NOW + 30, ids[1]: NOW + 20, ids[4]: NOW + 10})
    dossiers.create(store, "Ressources humaines")
    yield store, paths
    store_iter.close()


def test_dossier_view_snapshot(
    snap_compare: Callable[..., bool], snapshot_store: tuple[Store, Paths]
) -> None:
    """The dossier section with counts, the dossier's list in the order added, its first article with the
    note in the reader."""
    store, paths = snapshot_store
    app = make_app(store, paths)

    async def run_before(pilot: Pilot[int]) -> None:
        await settle(pilot)
        app.main.goto("dossier:1")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
