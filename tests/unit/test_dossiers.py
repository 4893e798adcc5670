"""Dossiers: kept forever, exportable, with clear errors; and the schema migrates without losing them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from support.feeds import item_xml, rss
from support.french import typo

from gazette_tui.cli import main
from gazette_tui.core.feeds.parse import parse_feed
from gazette_tui.core.library import dossiers
from gazette_tui.core.storage import schema
from gazette_tui.core.storage.store import ArticleFilter, Store
from gazette_tui.errors import NotFoundError, StoreError, WriteError

DAY = 86400
NOW = 1795000000


def fill(store: Store, count: int = 6, url: str = "https://exemple.test/feed/") -> list[int]:
    feed = store.add_feed(url, rubrique="Finances")
    body = '<p>Voir le <a href="https://exemple.test/dossiers/loi-de-finances-2027/">dossier</a>.</p>'
    store.record_success(feed.id, parse_feed(rss([item_xml(i, body=body) for i in range(count)])), when=NOW)
    return store.article_ids(ArticleFilter(feed_id=feed.id))


def test_create_add_list_items(store: Store) -> None:
    ids = fill(store)
    budget = dossiers.create(store, "  Budget 2027 ", "Suivi de la loi de finances")
    assert budget.name == "Budget 2027"
    assert dossiers.add_article(store, budget.id, ids[0], note="À relire avant le conseil")
    assert dossiers.add_article(store, budget.id, ids[2])
    assert not dossiers.add_article(store, budget.id, ids[0])  # already there: note untouched
    [listed] = dossiers.list_dossiers(store)
    assert (listed.name, listed.count) == ("Budget 2027", 2)
    by_added = dossiers.items(store, budget.id)
    assert [i.row.id for i in by_added] == [ids[2], ids[0]] or {i.row.id for i in by_added} == {
        ids[0],
        ids[2],
    }
    assert [i.row.id for i in dossiers.items(store, budget.id, order="date")] == [ids[0], ids[2]]
    assert dict((d.name, note) for d, note in dossiers.dossiers_of(store, ids[0])) == {
        "Budget 2027": "À relire avant le conseil"
    }
    assert store.article_ids(ArticleFilter(dossier_id=budget.id)) == [ids[0], ids[2]]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "vide"),
        ("   ", "vide"),
        ("Budget/2027", typo("« / »")),
        ("Budget\x1b[31m", "contrôle"),
        ("x" * 200, "limité"),
    ],
)
def test_bad_names(store: Store, name: str, message: str) -> None:
    with pytest.raises(dossiers.DossierError, match=message):
        dossiers.create(store, name)
    assert dossiers.list_dossiers(store) == []


def test_duplicate_names_are_refused_case_insensitively(store: Store) -> None:
    first = dossiers.create(store, "Zéro artificialisation nette")
    with pytest.raises(dossiers.DossierError, match="existe déjà"):
        dossiers.create(store, "zéro artificialisation nette".replace("z", "Z", 1).upper().title())
    other = dossiers.create(store, "ZAN")
    with pytest.raises(dossiers.DossierError, match="existe déjà"):
        dossiers.rename(store, other.id, "Zéro artificialisation nette")
    assert dossiers.rename(store, first.id, "ZAN et sobriété foncière").name == "ZAN et sobriété foncière"


def test_delete_and_undo(store: Store) -> None:
    ids = fill(store)
    dossier = dossiers.create(store, "Intercommunalité", "Compétence eau")
    for i in ids[:3]:
        dossiers.add_article(store, dossier.id, i, note=f"note {i}")
    deleted = dossiers.delete(store, dossier.id)
    assert dossiers.list_dossiers(store) == []
    assert store.counts()["all"] == len(ids)  # the articles stay in the cache
    restored = dossiers.restore(store, deleted)
    assert (restored.id, restored.name, restored.description, restored.count) == (
        dossier.id, "Intercommunalité", "Compétence eau", 3
    )  # fmt: skip
    assert {i.note for i in dossiers.items(store, dossier.id)} == {f"note {i}" for i in ids[:3]}


def test_pruning_never_removes_dossier_or_starred_articles(store: Store) -> None:
    ids = fill(store, count=10)
    dossier = dossiers.create(store, "À garder")
    dossiers.add_article(store, dossier.id, ids[-1])
    store.set_starred(ids[-2], True)
    removed = store.prune(days=1, per_feed=0, when=NOW + 365 * DAY)
    assert removed == 8
    assert set(store.article_ids()) == {ids[-1], ids[-2]}
    store.prune(days=0, per_feed=1, when=NOW)
    assert set(store.article_ids()) == {ids[-1], ids[-2]}


def test_per_feed_limit_keeps_newest(store: Store) -> None:
    ids = fill(store, count=10)
    assert store.prune(days=0, per_feed=4, when=NOW) == 6
    assert store.article_ids() == ids[:4]


def test_removed_feed_keeps_dossier_copies(store: Store) -> None:
    ids = fill(store)
    dossier = dossiers.create(store, "Veille")
    dossiers.add_article(store, dossier.id, ids[1], note="important")
    store.remove_feed("https://exemple.test/feed/")
    assert store.article_ids() == [ids[1]]
    [item] = dossiers.items(store, dossier.id)
    assert item.feed_removed
    assert item.note == "important"
    article = store.article(ids[1])
    assert article.feed_id is None
    assert article.content_html
    assert article.feed_title == "Flux d'essai"
    assert "flux supprimé" in dossiers.export_markdown(store, dossier.id, lang="fr")


def test_exports(store: Store, tmp_path: Path) -> None:
    ids = fill(store)
    dossier = dossiers.create(store, "Finances locales", "Ce que j'ai lu sur la DGF")
    dossiers.add_article(store, dossier.id, ids[0], note="Citer en commission <b>vite</b>")
    md = dossiers.export_markdown(store, dossier.id, lang="fr")
    assert md.startswith("# Finances locales\n\nCe que j'ai lu sur la DGF")
    assert "## Le conseil municipal adopte un budget primitif en hausse (n° 0)" in md
    assert "Publié le 20/11/2026" in md
    assert "Par Camille Durand" in md
    assert typo("**Note :**") in md
    assert "<https://exemple.test/actualite/0/article/>" in md
    page = dossiers.export_html(store, dossier.id)
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page
    assert "<img" not in page
    assert "Citer en commission &lt;b&gt;vite&lt;/b&gt;" in page
    assert 'href="https://exemple.test/actualite/0/article/"' in page
    target = tmp_path / "dossier.html"
    dossiers.write_export(page, target)
    assert target.read_text() == page
    empty = dossiers.create(store, "Vide")
    assert "0 article — exporté le " in dossiers.export_markdown(store, empty.id)  # ngettext: 0 is singular
    with pytest.raises(WriteError, match=typo(r"Impossible d'écrire .* : le dossier .* n'existe pas")):
        dossiers.write_export(page, tmp_path / "absent" / "x.html")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dossier.html", "home"]  # no temporary file


def test_editorial_dossiers(store: Store) -> None:
    ids = fill(store)
    [found] = dossiers.editorial_dossiers(store.article(ids[0]))
    assert found.slug == "loi-de-finances-2027"
    assert found.feed_url == "https://exemple.test/dossiers/loi-de-finances-2027/feed/"


def test_missing_things(store: Store) -> None:
    dossier = dossiers.create(store, "X")
    with pytest.raises(NotFoundError):
        dossiers.add_article(store, dossier.id, 424242)
    with pytest.raises(NotFoundError):
        dossiers.get(store, "Inconnu")


def test_cli_dossiers(xdg_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from gazette_tui.core.paths import Paths

    with Store(Paths.default().database) as store:
        ids = fill(store)
    assert main(["dossiers", "add", "Budget", str(ids[0])]) == 0
    assert main(["dossiers", "add", "Budget", str(ids[1])]) == 0
    assert main(["dossiers", "add", "Budget", "999999"]) == 1
    assert main(["dossiers", "add", "a/b", str(ids[1])]) == 1
    capsys.readouterr()
    assert main(["dossiers", "list", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert (row["name"], row["articles"]) == ("Budget", 2)
    target = tmp_path / "budget.md"
    assert main(["dossiers", "export", "Budget", "--format", "md", "-o", str(target)]) == 0
    assert target.read_text().startswith("# Budget")
    assert main(["dossiers", "export", "Budget", "--format", "html"]) == 0
    assert "<h1>Budget</h1>" in capsys.readouterr().out
    assert main(["dossiers", "export", "Inconnu"]) == 1
    assert "Aucun dossier" in capsys.readouterr().err


def test_migration_from_v1_keeps_user_data(tmp_path: Path) -> None:
    """A database written by schema version 1 opens with the current code, with everything in it."""
    path = tmp_path / "v1.db"
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute("BEGIN")
    schema.run_script(raw, schema.SCHEMA_V1)
    raw.execute("PRAGMA user_version = 1")
    raw.execute("INSERT INTO feeds (id, url, title, added) VALUES (1, 'https://exemple.test/f', 'F', 0)")
    raw.execute(
        "INSERT INTO articles (id, feed_id, key, title, published, fetched, read, starred) "
        "VALUES (7, 1, 'k', 'Gardé', 100, 100, 1, 1)"
    )
    raw.execute("INSERT INTO dossiers (id, name, created) VALUES (3, 'Mon dossier', 50)")
    raw.execute("INSERT INTO dossier_items VALUES (3, 7, 60, 'ma note')")
    raw.execute("INSERT INTO saved_searches (name, query, created) VALUES ('ZAN', 'artificialisation', 1)")
    raw.execute("COMMIT")
    raw.close()
    with Store(path) as store:
        assert store.connection.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        [dossier] = dossiers.list_dossiers(store)
        assert (dossier.name, dossier.count, dossier.updated) == ("Mon dossier", 1, 50)
        article = store.article(7)
        assert article.read
        assert article.starred
        assert article.title == "Gardé"
        assert [f.url for f in store.feeds()] == ["https://exemple.test/f"]
        assert store.connection.execute("SELECT name FROM saved_searches").fetchall() == [("ZAN",)]


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    with sqlite3.connect(path) as raw:
        raw.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="plus récente"):
        Store(path)
