"""The sync tables behind the store's API (core/storage/sync.py): the outbox written by the change's own
transaction, quiet while a pull writes, one row per article and state, a push that deletes only what it
sent, and a state pass that never overwrites a pending change."""

from __future__ import annotations

from gazette_tui.core.feeds.entries import build_entry
from gazette_tui.core.storage.store import Store
from gazette_tui.core.storage.sync_pull import PulledItem


def _item(account: int, remote: str, feed_id: int, *, read: bool = False, saved: bool = False) -> PulledItem:
    entry = build_entry(
        guid=f"sync:{account}:{remote}",
        link=f"https://mairie.exemple.test/actualites/{remote}",
        title=f"Délibération n° {remote} du conseil municipal",
        author="Service communication",
        published=1_790_000_000 + int(remote),
        updated=None,
        categories=(),
        summary="",
        content=f"<p>Le conseil a adopté la délibération {remote}.</p>",
    )
    return PulledItem(remote, feed_id, entry, read, saved)


def _account(store: Store) -> tuple[int, int]:
    account = store.sync.add_account("mairie", "fever", "https://rss.exemple.test/fever/", "agent")
    mapped, added = store.sync.link_feeds(
        account.id,
        [("7", "Conseil municipal")],
        [("3", "https://mairie.exemple.test/feed/", "Actes", "", "Conseil municipal")],
    )
    assert added == 1
    return account.id, mapped["3"]


def test_a_page_is_stored_with_its_cursor_and_the_server_states_without_outbox(store: Store) -> None:
    account, feed = _account(store)
    result = store.sync.store_page(
        account, [_item(account, "1", feed), _item(account, "2", feed, read=True, saved=True)], cursor="2"
    )
    assert (result.new, result.linked, result.unresolved) == (2, 0, [])
    row = store.sync.account("mairie")
    assert row is not None
    assert row.cursor == "2"
    assert row.last_pull is not None
    two = store.sync.article_id(account, "2")
    assert two is not None
    assert store.article(two).read
    assert store.article(two).starred
    assert store.sync.pending_count() == 0  # what the server said is not a local change
    feed_row = next(f for f in store.feeds() if f.id == feed)
    assert (feed_row.rubrique, feed_row.articles) == ("Conseil municipal", 2)
    again = store.sync.store_page(account, [_item(account, "2", feed)], cursor="2")
    assert (again.new, again.linked) == (0, 0)  # an item already tied is left alone


def test_a_local_change_writes_the_outbox_in_its_transaction_latest_state_wins(store: Store) -> None:
    account, feed = _account(store)
    store.sync.store_page(account, [_item(account, "1", feed), _item(account, "2", feed)], cursor="2")
    one, two = store.sync.article_id(account, "1"), store.sync.article_id(account, "2")
    assert one is not None
    assert two is not None
    store.set_read([one])
    store.set_read([one], read=False)
    store.set_read([one])
    store.set_starred(two, True)
    pending = store.sync.pending(account)
    assert [(p.remote_id, p.field, p.action) for p in pending] == [
        ("1", "read", "read"),
        ("2", "saved", "saved"),
    ]
    first = pending[0]
    store.set_read([one], read=False)  # changed again while the push was sending ``first``
    store.sync.done([first.id])
    assert [(p.remote_id, p.action) for p in store.sync.pending(account)] == [("2", "saved"), ("1", "unread")]


def test_the_state_pass_is_a_set_difference_that_keeps_pending_changes(store: Store) -> None:
    account, feed = _account(store)
    store.sync.store_page(account, [_item(account, str(n), feed) for n in range(1, 5)], cursor="4")
    ids = {n: store.sync.article_id(account, str(n)) for n in range(1, 5)}
    store.set_read([ids[1]])  # pending "read" on 1
    result = store.sync.apply_state(account, unread=frozenset({"1", "3", "9"}), saved=frozenset({"4"}))
    assert (result.read, result.unread, result.starred, result.kept) == (2, 0, 1, 1)
    assert result.missing == ["9"]
    assert store.article(ids[1]).read  # kept: the push will send it
    assert store.article(ids[2]).read
    assert store.article(ids[4]).read
    assert not store.article(ids[3]).read
    assert store.article(ids[4]).starred
    assert [(p.remote_id, p.action) for p in store.sync.pending(account)] == [("1", "read")]


def test_a_feed_already_subscribed_is_tied_and_its_articles_by_link(store: Store) -> None:
    store.add_feed("https://mairie.exemple.test/feed/", "Mes actes", "À moi")
    account = store.sync.add_account("mairie", "fever", "https://rss.exemple.test/fever/", "agent")
    mapped, added = store.sync.link_feeds(
        account.id, [], [("3", "https://mairie.exemple.test/feed/", "Actes", "", "Conseil municipal")]
    )
    assert added == 0
    feed = next(f for f in store.feeds())
    assert (feed.id, feed.title, feed.rubrique) == (
        mapped["3"],
        "Mes actes",
        "À moi",
    )  # the user's names stay
    assert store.feed_states() == []  # the server fetches it now


def test_removing_an_account_keeps_its_feeds_and_says_what_was_dropped(store: Store) -> None:
    account, feed = _account(store)
    store.sync.store_page(account, [_item(account, "1", feed)], cursor="1")
    article = store.sync.article_id(account, "1")
    assert article is not None
    store.set_read([article])
    assert store.sync.remove_account(account) == 1
    assert store.sync.accounts() == []
    assert [f.id for f in store.feeds()] == [feed]
    assert store.article(article).read
    assert [s.id for s in store.feed_states()] == [feed]  # a local subscription again: fetched by us
