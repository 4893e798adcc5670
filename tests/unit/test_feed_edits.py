"""Renaming a feed, moving it to a rubrique, and removing it so that the removal can be undone
(``core/storage/feed_edits.py``, ``core/feeds/subscriptions.py``): on real SQLite files, what comes back is
what went, the search index included (FTS5's own ``integrity-check``), and the credentials of a feed go back
to the (in-memory) keyring."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support.accounts import MemoryKeyring

from gazette_tui.core.accounts.feed_credentials import add_feed, load_auth
from gazette_tui.core.feeds.parse import build_entry
from gazette_tui.core.feeds.subscriptions import resubscribe, unsubscribe
from gazette_tui.core.library import dossiers
from gazette_tui.core.search.search import search
from gazette_tui.core.storage.store import ArticleFilter, Store
from gazette_tui.errors import NotFoundError, StoreError
from gazette_tui.models import ParsedEntry, ParsedFeed

NOW = 1_763_600_000
FINANCES = "https://example.org/finances/feed/"
VEILLE = "https://example.org/veille/feed/"


def entry(key: str, title: str, published: int, link: str = "") -> ParsedEntry:
    return build_entry(
        guid=key,
        link=link or f"https://example.org/{key}",
        title=title,
        author="Jeanne Martin",
        published=published,
        updated=None,
        categories=["Budget"],
        summary=f"<p>Résumé : {title}.</p>",
        content=f"<p>{title}. Le conseil municipal a débattu de la dotation intercommunale.</p>" * 4,
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """Two feeds in a rubrique each; « Veille » carries one of « Finances »' links (a copy of it)."""
    with Store(tmp_path / "gazette.db") as store:
        finances = store.add_feed(FINANCES, "Club Finances", "Finances").id
        veille = store.add_feed(VEILLE, "Veille", "Veille").id
        items = [entry(f"f{n}", f"Budget primitif n° {n} de Quimperlé", NOW - n * 3600) for n in range(5)]
        store.record_success(
            finances, ParsedFeed("rss", "Club Finances", "https://example.org", items), when=NOW
        )
        copy = entry("v0", "Budget primitif n° 0 de Quimperlé", NOW, link="https://example.org/f0")
        store.record_success(
            veille, ParsedFeed("rss", "Veille", "https://example.org", [copy]), when=NOW + 60
        )
        yield store


def check_index(store: Store) -> None:
    c = store.connection
    c.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")  # raises when they differ
    articles = c.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert c.execute("SELECT count(*) FROM article_text").fetchone()[0] == articles


def snapshot(store: Store) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the tables a removal touches, in a stable order."""
    c = store.connection
    return {
        table: sorted(c.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
        for table in ("feeds", "articles", "article_bodies", "article_text", "tombstones", "dossier_items")
    }


def canonical(store: Store, url: str) -> list[tuple[int, int]]:
    rows = store.connection.execute("SELECT id, canonical FROM articles WHERE url = ? ORDER BY id", (url,))
    return [(int(r[0]), int(r[1])) for r in rows]


def test_a_removal_put_back_is_the_cache_as_it_was(store: Store) -> None:
    feed = store.feed(FINANCES)
    assert feed is not None
    ids = store.article_ids(ArticleFilter(feed_id=feed.id))
    store.set_read(ids[:2], True)
    store.set_starred(ids[2], True)  # stays, detached
    dossier = dossiers.create(store, "Veille budgétaire")
    dossiers.add_article(store, dossier.id, ids[3], note="À citer")  # stays too
    store.connection.execute(
        "INSERT INTO tombstones (feed_id, key, seen) VALUES (?, 'pruned-item', ?)", (feed.id, NOW)
    )
    store.set_meta(f"feed.{feed.id}.note", "a setting of this feed")
    shown_copy = canonical(store, "https://example.org/f0")
    assert shown_copy[0][1] == 1  # Finances' copy is the one shown, Veille's is not
    before = snapshot(store)
    found = {row.id for row in search(store, "Quimperlé")}

    removed = store.subscriptions.remove_for_undo(FINANCES)
    assert removed.article_count == 5
    assert store.feed(FINANCES) is None
    assert set(store.article_ids()) & set(ids) == {ids[2], ids[3]}
    assert canonical(store, "https://example.org/f0")[-1][1] == 1  # Veille's copy is shown now
    check_index(store)

    back = store.subscriptions.put_back(removed)
    assert (back.id, back.title, back.rubrique, back.articles) == (feed.id, "Club Finances", "Finances", 5)
    assert snapshot(store) == before
    assert canonical(store, "https://example.org/f0") == shown_copy
    assert store.meta(f"feed.{feed.id}.note") == "a setting of this feed"
    assert {row.id for row in search(store, "Quimperlé")} == found
    article = store.article(ids[4])
    assert "dotation intercommunale" in (article.content_html or article.summary_html)
    check_index(store)


def test_a_feed_whose_id_was_taken_meanwhile_comes_back_under_another(store: Store) -> None:
    veille = store.feed(VEILLE)
    assert veille is not None
    removed = store.subscriptions.remove_for_undo(VEILLE)
    other = store.add_feed("https://example.org/autre/feed/", "Autre")
    assert other.id == veille.id  # SQLite gives the highest id again
    back = store.subscriptions.put_back(removed)
    assert back.id != veille.id
    assert back.articles == 1
    assert store.article_ids(ArticleFilter(feed_id=back.id))
    check_index(store)


def test_an_address_subscribed_again_cannot_be_put_back(store: Store) -> None:
    removed = store.subscriptions.remove_for_undo(VEILLE)
    store.add_feed(VEILLE, "Veille bis")
    with pytest.raises(StoreError) as raised:
        store.subscriptions.put_back(removed)
    assert raised.value.code == "store.already_subscribed"
    assert store.feed(VEILLE) is not None
    assert store.feed(VEILLE).title == "Veille bis"  # type: ignore[union-attr]


def test_renaming_and_moving_follow_to_the_articles(store: Store) -> None:
    feed = store.subscriptions.rename(FINANCES, "  Finances\x07\nlocales ")
    assert feed.title == "Finances locales"
    rows = store.article_rows(store.article_ids(ArticleFilter(feed_id=feed.id)))
    assert {row.feed_title for row in rows} == {"Finances locales"}

    moved = store.subscriptions.move(FINANCES, "Budgets")
    assert moved.rubrique == "Budgets"
    assert len(store.article_ids(ArticleFilter(rubrique="Budgets"))) == 5
    assert store.article_ids(ArticleFilter(rubrique="Finances")) == []
    assert store.subscriptions.move(FINANCES, "").rubrique == ""

    # An empty name: the feed's own title comes back with the next document it sends.
    assert store.subscriptions.rename(FINANCES, "").title == FINANCES
    items = [entry("f9", "Nouvelle délibération", NOW + 10)]
    store.record_success(feed.id, ParsedFeed("rss", "Club Finances", "", items), when=NOW + 100)
    assert store.feed(FINANCES).title == "Club Finances"  # type: ignore[union-attr]


def test_renaming_or_moving_an_unknown_feed_says_so(store: Store) -> None:
    for change in (store.subscriptions.rename, store.subscriptions.move):
        with pytest.raises(NotFoundError) as raised:
            change("https://example.org/inconnu/", "x")
        assert raised.value.code == "store.not_subscribed"


def test_unsubscribing_keeps_the_credentials_for_the_undo(
    store: Store, memory_keyring: MemoryKeyring
) -> None:
    feed, secret = add_feed(store, "https://alice:Zq9-secret@intranet.example.org/flux", "Intranet")
    assert secret
    gone = unsubscribe(store, feed.url)
    assert gone.auth is not None
    assert load_auth(store, [(feed.id, feed.url)]) == {}  # out of the keyring with the feed
    assert memory_keyring.entries == {}

    back, credentials = resubscribe(store, gone)
    assert credentials
    auth = load_auth(store, [(back.id, back.url)])[back.id]
    assert (auth.username, auth.password.reveal()) == ("alice", "Zq9-secret")


def test_unsubscribing_an_unknown_feed_says_so(store: Store) -> None:
    with pytest.raises(NotFoundError) as raised:
        unsubscribe(store, "https://example.org/inconnu/")
    assert raised.value.code == "store.not_subscribed"
    assert len(store.feeds()) == 2
