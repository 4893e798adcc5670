"""Store rules not covered elsewhere."""

from __future__ import annotations

from feeds import item_xml, rss

from gazette_tui.core.parse import parse_feed
from gazette_tui.core.search import search
from gazette_tui.core.store import Store


def test_update_in_place_keeps_the_full_text_searchable(store: Store) -> None:
    feed = store.add_feed("https://exemple.test/feed/")
    store.record_success(feed.id, parse_feed(rss([item_xml(1, body="<p>Extrait court.</p>")])))
    [article_id] = store.article_ids()
    with store.writing() as c:
        c.execute(
            "UPDATE article_bodies SET fulltext_html = '<p>Texte intégral : péréquation horizontale.</p>' "
            "WHERE id = ?",
            (article_id,),
        )
    changed = parse_feed(rss([item_xml(1, body="<p>Extrait corrigé.</p>")]))
    assert store.record_success(feed.id, changed).updated == 1
    assert [row.id for row in search(store, "perequation")] == [article_id]
    assert "péréquation" in store.article(article_id).fulltext_html
    assert "corrigé" in store.article(article_id).content_html


def test_mark_all_read_returns_what_changed(store: Store) -> None:
    from gazette_tui.core.store import ArticleFilter

    feed = store.add_feed("https://exemple.test/feed/", rubrique="Finances")
    store.record_success(feed.id, parse_feed(rss(5)))
    ids = store.article_ids()
    store.set_read(ids[:2], True)
    changed = store.mark_all_read(ArticleFilter(rubrique="Finances"))
    assert sorted(changed) == sorted(ids[2:])
    assert store.mark_all_read() == []
    assert store.set_read(changed, False) == changed  # the undo
    assert store.counts()["unread"] == 3
