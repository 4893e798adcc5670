"""Store rules not covered elsewhere."""

from __future__ import annotations

from support.feeds import item_xml, rss

from gazette_tui.core.feeds.parse import parse_feed
from gazette_tui.core.search.search import search
from gazette_tui.core.storage.store import Store


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
    from gazette_tui.core.storage.store import ArticleFilter

    feed = store.add_feed("https://exemple.test/feed/", rubrique="Finances")
    store.record_success(feed.id, parse_feed(rss(5)))
    ids = store.article_ids()
    store.set_read(ids[:2], True)
    changed = store.mark_all_read(ArticleFilter(rubrique="Finances"))
    assert sorted(changed.ids) == sorted(ids[2:])
    assert changed.articles == 3
    assert store.mark_all_read().ids == []
    assert store.set_read(changed.ids, False).ids == changed.ids  # the undo
    assert store.counts()["unread"] == 3


def test_an_article_in_several_feeds_is_listed_once(store: Store) -> None:
    from gazette_tui.core.storage.store import ArticleFilter

    main = store.add_feed("https://exemple.test/feed/", rubrique="À la une")
    club = store.add_feed("https://exemple.test/rubriques/club-finances/feed/", rubrique="Finances")
    store.record_success(main.id, parse_feed(rss([item_xml(1), item_xml(2)])))
    store.record_success(club.id, parse_feed(rss([item_xml(1), item_xml(3)])))
    everything = store.article_ids()
    assert len(everything) == 3
    assert store.counts() == {"all": 3, "unread": 3, "starred": 0}
    in_club = store.article_ids(ArticleFilter(feed_id=club.id))
    assert len(in_club) == 2  # each feed still shows its own items
    [copy] = [i for i in in_club if i not in everything]
    [original] = [i for i in everything if store.article(i).url == store.article(copy).url]
    # Reading either copy reads both; so does starring.
    change = store.set_read([copy], True)
    assert sorted(change.ids) == sorted([copy, original])
    assert change.articles == 1  # one article, in two feeds
    store.set_starred(copy, True)
    assert store.article(original).read
    assert store.article(original).starred
    assert [r.id for r in search(store, "commune n° 1")] == [original]
    assert {r.id for r in search(store, 'commune "n° 1" feed:club')} == {copy}
    # Unsubscribing from the feed that held the shown copy promotes the other one.
    store.set_starred(copy, False)
    store.remove_feed("https://exemple.test/feed/")
    assert copy in store.article_ids()
    assert store.counts()["all"] == 2


def test_a_copy_arriving_later_inherits_the_read_state(store: Store) -> None:
    main = store.add_feed("https://exemple.test/feed/")
    club = store.add_feed("https://exemple.test/club/feed/")
    store.record_success(main.id, parse_feed(rss([item_xml(1)])))
    store.set_read(store.article_ids(), True)
    store.record_success(club.id, parse_feed(rss([item_xml(1)])))
    assert store.counts()["unread"] == 0
    from gazette_tui.core.storage.store import ArticleFilter

    [copy] = store.article_ids(ArticleFilter(feed_id=club.id))
    assert store.article(copy).read


def test_copies_from_other_feeds_are_not_counted_as_new(store: Store) -> None:
    main = store.add_feed("https://exemple.test/feed/")
    club = store.add_feed("https://exemple.test/club/feed/")
    assert store.record_success(main.id, parse_feed(rss([item_xml(1), item_xml(2)]))).new == 2
    assert store.record_success(club.id, parse_feed(rss([item_xml(1), item_xml(3)]))).new == 1


def test_a_rubrique_search_lists_an_article_once(store: Store) -> None:
    main = store.add_feed("https://exemple.test/feed/", rubrique="À la une")
    club = store.add_feed("https://exemple.test/club/feed/", rubrique="Finances")
    store.record_success(main.id, parse_feed(rss([item_xml(0)])))
    store.record_success(club.id, parse_feed(rss([item_xml(0)])))
    assert len(search(store, "commune rubrique:finances")) == 1
