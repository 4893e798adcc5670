"""Per-feed and per-rubrique settings (``core/feeds/feed_settings.py``, ``core/storage/feed_settings.py``):
the values and their bounds, a feed's own value over its rubrique's, and what a removal undone brings back,
on real SQLite files."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path

import pytest

from gazette_tui import i18n
from gazette_tui.core.feeds import feed_settings as fs
from gazette_tui.core.feeds.subscriptions import resubscribe, unsubscribe
from gazette_tui.core.storage.store import Store
from gazette_tui.errors import MESSAGES, GazetteError, NotFoundError

FINANCES = "https://example.org/finances/feed/"
BUDGET = "https://example.org/budget/feed/"
VEILLE = "https://example.org/veille/feed/"
ALONE = "https://example.org/seul/feed/"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "gazette.db") as store:
        store.add_feed(FINANCES, "Club Finances", "Finances")
        store.add_feed(BUDGET, "Budget", "Finances")
        store.add_feed(VEILLE, "Veille", "Veille")
        store.add_feed(ALONE, "Seul")
        yield store


def ids(store: Store) -> dict[str, int]:
    return {feed.url: feed.id for feed in store.feeds()}


def test_the_keys_are_the_dataclass_fields() -> None:
    assert tuple(f.name for f in fields(fs.FeedSettings)) == fs.KEYS
    assert fs.FeedSettings() == fs.FeedSettings(False, None, None, False, None)


@pytest.mark.parametrize(
    ("key", "text", "value"),
    [
        ("fulltext", "on", True),
        ("fulltext", " OUI ", True),
        ("fulltext", "true", True),
        ("hidden", "non", False),
        ("hidden", "Off", False),
        ("hidden", "vrai", True),
        ("refresh_minutes", "5", 5),
        ("refresh_minutes", "10080", 10080),
        ("retention_days", "0", 0),
        ("retention_days", "3650", 3650),
        (
            "user_agent",
            "  Mozilla/5.0 (X11; Linux) veille-mairie  ",
            "Mozilla/5.0 (X11; Linux) veille-mairie",
        ),
    ],
)
def test_values_are_read(key: str, text: str, value: object) -> None:
    assert fs.parse_value(key, text) == value


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("fulltext", "peut-être"),
        ("hidden", ""),
        ("refresh_minutes", "4"),
        ("refresh_minutes", "10081"),
        ("refresh_minutes", "-5"),
        ("refresh_minutes", "1e3"),
        ("refresh_minutes", "٣٠"),  # digits, but not ASCII ones
        ("retention_days", "3651"),
        ("retention_days", "sept"),
        ("user_agent", "agent\nX-Injected: 1"),
        ("user_agent", "agent\x1b[31m"),
        ("user_agent", "é" * 3),
        ("user_agent", "a" * 201),
        ("user_agent", "   "),
    ],
)
def test_bad_values_say_the_key_and_what_is_allowed(key: str, text: str) -> None:
    with pytest.raises(fs.FeedSettingError) as caught:
        fs.parse_value(key, text)
    assert caught.value.code == "feedset.bad_value"
    english = caught.value.text("en")
    assert f"“{key}”" in english
    assert "default" in english
    assert "\n" not in english
    assert "\x1b" not in english
    french = caught.value.text("fr")
    assert f"«\u00a0{key}\u00a0»" in french
    assert "ou default" in french


def test_an_unknown_key_lists_the_known_ones() -> None:
    with pytest.raises(GazetteError) as caught:
        fs.parse_value("colour", "red")
    assert caught.value.code == "feedset.unknown_key"
    assert all(key in caught.value.text("en") for key in fs.KEYS)


def test_the_bounds_are_said_with_the_language_s_numbers() -> None:
    error = fs.FeedSettingError(
        "feedset.bad_value", key="k", value="v", allowed=fs.allowed("refresh_minutes")
    )
    assert "5 to 10,080 minutes" in error.text("en")
    assert error.text("fr").replace("\u202f", "\u00a0").count("de 5 à 10\u00a0080 minutes") == 1
    assert all(code in MESSAGES for code in ("feedset.allowed_days", "feedset.allowed_agent"))


def test_a_feed_s_own_value_wins_over_its_rubrique_s(store: Store) -> None:
    feed = ids(store)
    fs.set_rubrique(store, "Finances", "refresh_minutes", "120")
    fs.set_rubrique(store, "Finances", "hidden", "on")
    fs.set_feed(store, BUDGET, "refresh_minutes", "30")
    fs.set_feed(store, VEILLE, "user_agent", "Veille/1.0")
    settings = fs.effective(store)
    assert set(settings) == set(feed.values())
    assert settings[feed[FINANCES]] == fs.FeedSettings(refresh_minutes=120, hidden=True)
    assert settings[feed[BUDGET]] == fs.FeedSettings(refresh_minutes=30, hidden=True)
    assert settings[feed[VEILLE]] == fs.FeedSettings(user_agent="Veille/1.0")
    assert settings[feed[ALONE]] == fs.DEFAULTS


def test_default_clears_back_to_the_inherited_value(store: Store) -> None:
    fs.set_rubrique(store, "Finances", "retention_days", "90")
    fs.set_feed(store, BUDGET, "retention_days", "7")
    assert fs.effective(store)[ids(store)[BUDGET]].retention_days == 7
    fs.set_feed(store, BUDGET, "retention_days", "default")
    assert fs.effective(store)[ids(store)[BUDGET]].retention_days == 90
    fs.clear_rubrique(store, "Finances", "retention_days")
    assert fs.effective(store)[ids(store)[BUDGET]].retention_days is None
    fs.set_feed(store, BUDGET, "hidden", "on")
    fs.set_feed(store, BUDGET, "fulltext", "on")
    fs.clear_feed(store, BUDGET)
    assert fs.effective(store)[ids(store)[BUDGET]] == fs.DEFAULTS


def test_explain_says_where_each_value_comes_from(store: Store) -> None:
    fs.set_rubrique(store, "Finances", "fulltext", "oui")
    fs.set_feed(store, BUDGET, "refresh_minutes", "45")
    explained = {e.key: (e.value, e.source) for e in fs.explain_feed(store, BUDGET)}
    assert explained == {
        "fulltext": (True, "rubrique"),
        "retention_days": (None, "default"),
        "refresh_minutes": (45, "feed"),
        "hidden": (False, "default"),
        "user_agent": (None, "default"),
    }
    rubrique = {e.key: (e.value, e.source) for e in fs.explain_rubrique(store, "Finances")}
    assert rubrique["fulltext"] == (True, "rubrique")
    assert rubrique["hidden"] == (False, "default")
    with pytest.raises(NotFoundError):
        fs.explain_feed(store, "https://example.org/inconnu/")


def test_setting_an_unknown_feed_or_rubrique_is_refused(store: Store) -> None:
    with pytest.raises(NotFoundError):
        fs.set_feed(store, "https://example.org/inconnu/", "hidden", "on")
    with pytest.raises(fs.FeedSettingError) as caught:
        fs.set_rubrique(store, "Finance", "hidden", "on")
    assert caught.value.code == "feedset.no_rubrique"
    fs.set_rubrique(store, "Finance", "hidden", "default")  # clearing is always allowed
    assert fs.hidden_feeds(store) == frozenset()


def test_values_are_stored_in_their_canonical_form(store: Store) -> None:
    fs.set_feed(store, FINANCES, "hidden", " OUI ")
    fs.set_feed(store, FINANCES, "refresh_minutes", "060")
    stored = store.feed_settings.rows().by_feed[ids(store)[FINANCES]]
    assert stored == {"hidden": "on", "refresh_minutes": "60"}


def test_a_value_that_breaks_the_rules_in_the_file_is_ignored(store: Store) -> None:
    feed = ids(store)[FINANCES]
    fs.set_rubrique(store, "Finances", "refresh_minutes", "90")
    with store.writing() as c:
        c.execute("INSERT INTO feed_settings VALUES (?, 'refresh_minutes', '1')", (feed,))
        c.execute("INSERT INTO feed_settings VALUES (?, 'colour', 'red')", (feed,))
    assert fs.effective(store)[feed].refresh_minutes == 90


def test_an_undone_removal_brings_the_feed_s_settings_back(store: Store) -> None:
    fs.set_feed(store, VEILLE, "user_agent", "Veille/1.0")
    fs.set_feed(store, VEILLE, "hidden", "on")
    fs.set_rubrique(store, "Veille", "refresh_minutes", "60")
    gone = unsubscribe(store, VEILLE)
    assert store.feed_settings.rows().by_feed.get(gone.removed.feed_id) is None
    # The rubrique has no feed left: its settings stay, harmless, and apply again when a feed comes back.
    assert store.feed_settings.rows().by_rubrique["Veille"] == {"refresh_minutes": "60"}
    resubscribe(store, gone)
    back = fs.effective(store)[ids(store)[VEILLE]]
    assert back == fs.FeedSettings(user_agent="Veille/1.0", hidden=True, refresh_minutes=60)


def test_a_plain_removal_takes_the_settings_with_it(store: Store) -> None:
    feed = ids(store)[ALONE]
    fs.set_feed(store, ALONE, "hidden", "on")
    store.remove_feed(ALONE)
    assert feed not in store.feed_settings.rows().by_feed
    again = store.add_feed(ALONE, "Seul")
    assert fs.effective(store)[again.id] == fs.DEFAULTS


def test_due_feeds_follow_each_interval(store: Store) -> None:
    feed = ids(store)
    now = 1_763_600_000
    with store.writing() as c:
        c.execute("UPDATE feeds SET last_fetched = ?", (now - 40 * 60,))
        c.execute("UPDATE feeds SET last_fetched = NULL WHERE url = ?", (ALONE,))
    fs.set_feed(store, FINANCES, "refresh_minutes", "30")
    fs.set_rubrique(store, "Veille", "refresh_minutes", "60")
    # BUDGET has no interval of its own: the global one (45 min: not due yet; 0: always due).
    assert fs.due_feeds(store, 45, now) == [feed[FINANCES], feed[ALONE]]
    assert fs.due_feeds(store, 0, now) == [feed[FINANCES], feed[BUDGET], feed[ALONE]]
    assert fs.due_feeds(store, 45, now + 20 * 60) == [feed[FINANCES], feed[BUDGET], feed[VEILLE], feed[ALONE]]


def test_messages_are_in_both_languages() -> None:
    for code in [c for c in MESSAGES if c.startswith("feedset.")]:
        template = MESSAGES[code]
        assert isinstance(template, str)
        assert i18n.translate(template, "fr") != template
