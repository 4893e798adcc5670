"""Alertes: saved searches over a real cache, with new-match counts that follow refreshes."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from gazette_tui.core.feeds.parse import build_entry
from gazette_tui.core.library import dossiers
from gazette_tui.core.search.alerts import (
    AlertError,
    alert_hits,
    delete_alert,
    list_alerts,
    mark_seen,
    new_matches,
    rename_alert,
    save_alert,
)
from gazette_tui.core.storage.store import Store
from gazette_tui.errors import NotFoundError, QueryError
from gazette_tui.models import ParsedFeed

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2024, 3, 15, 12, 0, tzinfo=PARIS)
WHEN = int(NOW.timestamp())


def refresh(store: Store, feed_id: int, items: dict[str, str], when: int = WHEN) -> None:
    """Store a feed document as a refresh would: ``items`` maps guid → title (the body repeats it)."""
    entries = [
        build_entry(
            guid=guid,
            link=f"https://exemple.test/{guid}/",
            title=title,
            author="Rédaction",
            published=when - n * 3600,
            updated=None,
            categories=["Finances locales"],
            summary=f"<p>{title}. Article de synthèse.</p>",
            content="",
        )
        for n, (guid, title) in enumerate(items.items())
    ]
    store.record_success(feed_id, ParsedFeed("rss", "Club Finances", "", entries), when=when)


@pytest.fixture
def feed_id(store: Store) -> int:
    feed = store.add_feed("https://exemple.test/feed/", title="Club Finances", rubrique="Finances")
    refresh(store, feed.id, {"a": "Le budget des communes", "b": "Les élus et la démocratie"})
    return feed.id


def test_save_list_and_new_matches_after_refresh(store: Store, feed_id: int) -> None:
    alert = save_alert(store, "  Budgets ", "budget", now=NOW)
    save_alert(store, "Démocratie", "démocratie OR participation", now=NOW)
    assert alert.name == "Budgets"
    assert alert.query == "budget"
    assert alert.created == WHEN
    assert [(a.name, a.new, a.error) for a in list_alerts(store, now=NOW)] == [
        ("Budgets", 0, None),
        ("Démocratie", 0, None),
    ]  # existing articles are not "new" for a fresh alerte
    assert new_matches(store, now=NOW) == {}

    refresh(
        store,
        feed_id,
        {
            "a": "Le budget des communes",
            "b": "Les élus et la démocratie",
            "c": "Budget primitif : le vote",
            "d": "La participation citoyenne",
            "e": "Voirie rurale",
        },
        when=WHEN + 3600,
    )
    assert new_matches(store, now=NOW) == {"Budgets": 1, "Démocratie": 1}
    [new_budget] = alert_hits(store, "budgets", new_only=True, now=NOW)
    assert new_budget.row.title == "Budget primitif : le vote"
    assert len(alert_hits(store, "Budgets", now=NOW)) == 2

    mark_seen(store, "BUDGETS")
    assert new_matches(store, now=NOW) == {"Démocratie": 1}
    mark_seen(store)
    assert new_matches(store, now=NOW) == {}


def test_an_updated_article_is_not_new(store: Store, feed_id: int) -> None:
    save_alert(store, "Budgets", "budget", now=NOW)
    refresh(store, feed_id, {"a": "Le budget des communes (mis à jour)", "b": "Les élus et la démocratie"})
    assert new_matches(store, now=NOW) == {}


def test_rename_and_delete(store: Store, feed_id: int) -> None:
    save_alert(store, "Budgets", "budget", now=NOW)
    save_alert(store, "Élus", "élus", now=NOW)
    rename_alert(store, "budgets", "Finances")
    assert [a.name for a in list_alerts(store, now=NOW)] == ["Finances", "Élus"]
    rename_alert(store, "Finances", "FINANCES")  # a change of case is allowed
    with pytest.raises(AlertError, match=r"existe|déjà"):
        rename_alert(store, "FINANCES", "élus")
    delete_alert(store, "finances")
    assert [a.name for a in list_alerts(store, now=NOW)] == ["Élus"]
    with pytest.raises(NotFoundError, match="Aucune alerte"):
        delete_alert(store, "Finances")
    with pytest.raises(NotFoundError):
        rename_alert(store, "Finances", "Autre")
    with pytest.raises(NotFoundError):
        mark_seen(store, "Finances")


@pytest.mark.parametrize(
    ("name", "query", "error", "words"),
    [
        ("", "budget", AlertError, "nom"),
        ("   \x1b ", "budget", AlertError, "nom"),
        ("x" * 81, "budget", AlertError, "trop long"),
        ("Vide", "   ", AlertError, "vide"),
        ("Cassée", 'budget "conseil', QueryError, "Guillemet"),
        ("Flux", "feed:inconnu", QueryError, "Aucun flux"),
        ("Dossier", "in:nulle-part", QueryError, "Aucun dossier"),
    ],
)
def test_save_errors(
    store: Store, feed_id: int, name: str, query: str, error: type[Exception], words: str
) -> None:
    with pytest.raises(error, match=words):
        save_alert(store, name, query, now=NOW)
    assert list_alerts(store, now=NOW) == []


def test_duplicate_names_ignore_case(store: Store, feed_id: int) -> None:
    save_alert(store, "Budgets", "budget", now=NOW)
    with pytest.raises(AlertError, match="déjà"):
        save_alert(store, "BUDGETS", "élus", now=NOW)
    assert [a.query for a in list_alerts(store, now=NOW)] == ["budget"]


def test_an_alerte_whose_dossier_is_gone_reports_it(store: Store, feed_id: int) -> None:
    veille = dossiers.create(store, "Veille")
    save_alert(store, "Ma veille", "in:veille", now=NOW)
    dossiers.delete(store, veille.id)
    [alert] = list_alerts(store, now=NOW)
    assert alert.new == 0
    assert alert.error is not None
    assert "Aucun dossier" in alert.error
    assert new_matches(store, now=NOW) == {}
