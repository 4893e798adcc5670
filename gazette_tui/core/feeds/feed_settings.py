"""Per-feed and per-rubrique settings: the keys, their bounds, and how a rubrique's value reaches its feeds.

A feed's own value wins over its rubrique's; a rubrique's applies to every feed in it; without either, the
global setting (``config.toml``) or the app's own behaviour applies. Values are stored as text
(``core/storage/feed_settings.py``) in a canonical form (``on``/``off``, a decimal number, the line itself)
and read back through :func:`parse_value`, so a value written by hand in the database that breaks the rules
is ignored rather than obeyed.

Where each key takes effect:

- ``refresh_minutes``: :func:`due_feeds`, for the TUI's timer and ``refresh --due``;
- ``retention_days``: the prune at the end of a refresh (``core/storage/articles.py``);
- ``hidden``: out of « Toutes », « Non lus » and their counts, still in search;
- ``user_agent``: the feed's requests (``core/feeds/fetch.py``);
- ``fulltext``: fetching the article pages of an excerpt-only feed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from gazette_tui.core.storage.db import now
from gazette_tui.errors import InputError, Message, NotFoundError, message
from gazette_tui.i18n import _
from gazette_tui.text import clean_line

if TYPE_CHECKING:
    from gazette_tui.core.settings import Settings
    from gazette_tui.core.storage.feed_settings import SettingRows
    from gazette_tui.core.storage.store import Store

KEYS = ("fulltext", "retention_days", "refresh_minutes", "hidden", "user_agent")
DEFAULT_WORD = "default"
"""The value that clears a setting (``feeds set URL KEY default``): back to the rubrique's, or the global."""

REFRESH_MINUTES = (5, 10080)
RETENTION_DAYS = (0, 3650)
USER_AGENT_MAX = 200
_TRUE = frozenset({"on", "true", "yes", "1", "oui", "vrai"})
_FALSE = frozenset({"off", "false", "no", "0", "non", "faux"})

Source = Literal["feed", "rubrique", "default"]


class FeedSettingError(InputError):
    """A setting's key or value is not allowed; the message names the key and the allowed values."""


@dataclass(frozen=True)
class FeedSettings:
    fulltext: bool = False
    """Fetch the article's page when the feed gives only an excerpt."""
    retention_days: int | None = None
    """None: the global [retention] setting; 0: no age limit for this feed."""
    refresh_minutes: int | None = None
    """None: the global refresh interval."""
    hidden: bool = False
    """Kept and searchable, but out of « Toutes » and « Non lus »."""
    user_agent: str | None = None
    """None: the app's own."""


DEFAULTS = FeedSettings()


@dataclass(frozen=True, slots=True)
class Explained:
    """One key of one feed (or rubrique): its value and where it comes from."""

    key: str
    value: object
    source: Source


def allowed(key: str) -> Message:
    """The allowed values of ``key``, as a message (said in the reader's language)."""
    codes = {
        "fulltext": "feedset.allowed_bool",
        "hidden": "feedset.allowed_bool",
        "retention_days": "feedset.allowed_days",
        "refresh_minutes": "feedset.allowed_minutes",
        "user_agent": "feedset.allowed_agent",
    }
    return message(codes[key], low=_low(key), high=_high(key), max=USER_AGENT_MAX)


def _low(key: str) -> int:
    return REFRESH_MINUTES[0] if key == "refresh_minutes" else RETENTION_DAYS[0]


def _high(key: str) -> int:
    return REFRESH_MINUTES[1] if key == "refresh_minutes" else RETENTION_DAYS[1]


def _check_key(key: str) -> str:
    if key not in KEYS:
        raise FeedSettingError("feedset.unknown_key", key=clean_line(key)[:40], known=", ".join(KEYS))
    return key


def _bad(key: str, text: str) -> FeedSettingError:
    shown = clean_line(text)
    shown = shown if len(shown) <= 40 else shown[:39] + "…"
    return FeedSettingError("feedset.bad_value", key=key, value=shown, allowed=allowed(key))


def parse_value(key: str, text: str) -> object:
    """The value ``text`` gives ``key`` (a bool, an int or a str); raises :class:`FeedSettingError`, whose
    message names the key and its allowed values. ``default`` is not a value here: see :func:`set_feed`."""
    _check_key(key)
    if key in ("fulltext", "hidden"):
        word = text.strip().casefold()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise _bad(key, text)
    if key in ("retention_days", "refresh_minutes"):
        digits = text.strip()
        if not digits.isascii() or not digits.isdigit() or len(digits) > 9:
            raise _bad(key, text)
        number = int(digits)
        if not _low(key) <= number <= _high(key):
            raise _bad(key, text)
        return number
    # user_agent: one line a server can be sent as it is (no control character, nothing beyond ASCII
    # printable text would survive every HTTP stack).
    agent = text.strip()
    if not agent or len(agent) > USER_AGENT_MAX or not all(" " <= ch <= "~" for ch in agent):
        raise _bad(key, text)
    return agent


def stored_form(value: object) -> str:
    """The canonical text a parsed value is kept as."""
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def shown_form(value: object) -> str:
    """A value as the CLI and the dialog write it (the same words :func:`parse_value` reads)."""
    return stored_form(value) if value is not None else ""


def _read(stored: dict[str, str]) -> dict[str, object]:
    """The values of a stored row set that still follow the rules (others are ignored)."""
    values: dict[str, object] = {}
    for key, text in stored.items():
        if key in KEYS:
            try:
                values[key] = parse_value(key, text)
            except FeedSettingError:
                continue
    return values


def _settings(values: dict[str, object]) -> FeedSettings:
    if not values:
        return DEFAULTS
    days, minutes, agent = (
        values.get("retention_days"),
        values.get("refresh_minutes"),
        values.get("user_agent"),
    )
    return FeedSettings(
        fulltext=values.get("fulltext") is True,
        retention_days=days if isinstance(days, int) else None,
        refresh_minutes=minutes if isinstance(minutes, int) else None,
        hidden=values.get("hidden") is True,
        user_agent=agent if isinstance(agent, str) else None,
    )


def effective(store: Store) -> dict[int, FeedSettings]:
    """Every feed id → its settings: its own values over its rubrique's over the defaults."""
    rows = store.feed_settings.rows()
    return _effective(rows)


def _effective(rows: SettingRows) -> dict[int, FeedSettings]:
    rubriques = {name: _read(values) for name, values in rows.by_rubrique.items()}
    result: dict[int, FeedSettings] = {}
    for feed in rows.feeds:
        own = _read(rows.by_feed.get(feed.id, {}))
        result[feed.id] = _settings({**rubriques.get(feed.rubrique, {}), **own})
    return result


def explain_feed(store: Store, feed_url: str) -> list[Explained]:
    """Every key of the feed at ``feed_url``: the value that applies and where it comes from. Raises
    :class:`NotFoundError` when there is no such subscription."""
    rows = store.feed_settings.rows()
    feed = next((f for f in rows.feeds if f.url == feed_url), None)
    if feed is None:
        raise NotFoundError("store.not_subscribed", url=feed_url)
    own = _read(rows.by_feed.get(feed.id, {}))
    inherited = _read(rows.by_rubrique.get(feed.rubrique, {})) if feed.rubrique else {}
    return [_explain(key, own, inherited) for key in KEYS]


def explain_rubrique(store: Store, rubrique: str) -> list[Explained]:
    """Every key of ``rubrique``: its own value (source ``rubrique``) or the default."""
    rows = store.feed_settings.rows()
    own = _read(rows.by_rubrique.get(clean_line(rubrique), {}))
    return [_explain(key, {}, own) for key in KEYS]


def _explain(key: str, own: dict[str, object], inherited: dict[str, object]) -> Explained:
    if key in own:
        return Explained(key, own[key], "feed")
    if key in inherited:
        return Explained(key, inherited[key], "rubrique")
    return Explained(key, getattr(DEFAULTS, key), "default")


def _value_or_clear(key: str, value_text: str) -> str | None:
    _check_key(key)
    if value_text.strip().casefold() in (DEFAULT_WORD, "défaut", "defaut"):
        return None
    return stored_form(parse_value(key, value_text))


def set_feed(store: Store, feed_url: str, key: str, value_text: str) -> None:
    """Give the feed at ``feed_url`` its own value for ``key``; ``default`` clears it (its rubrique's, or the
    global setting, again). Raises :class:`FeedSettingError` or :class:`NotFoundError`."""
    store.feed_settings.set_feed(feed_url, key, _value_or_clear(key, value_text))


def set_rubrique(store: Store, rubrique: str, key: str, value_text: str) -> None:
    """Give every feed of ``rubrique`` a value for ``key`` unless it has its own; ``default`` clears it.
    A value for a rubrique no feed is in is refused (a typo would otherwise change nothing, silently);
    clearing one is always allowed."""
    value = _value_or_clear(key, value_text)
    name = clean_line(rubrique)
    if value is not None and name not in store.feed_settings.rubriques():
        raise FeedSettingError("feedset.no_rubrique", name=name)
    store.feed_settings.set_rubrique(name, key, value)


def clear_feed(store: Store, feed_url: str, key: str | None = None) -> None:
    """Back to inherited: one key, or every key when ``key`` is None."""
    for name in (_check_key(key),) if key is not None else KEYS:
        store.feed_settings.set_feed(feed_url, name, None)


def clear_rubrique(store: Store, rubrique: str, key: str | None = None) -> None:
    """Back to the global settings: one key, or every key when ``key`` is None."""
    for name in (_check_key(key),) if key is not None else KEYS:
        store.feed_settings.set_rubrique(rubrique, name, None)


def due_feeds(store: Store, default_minutes: int | None, when: int | None = None) -> list[int]:
    """The feeds a refresh of due feeds fetches: those never fetched, and those whose last fetch is older
    than their interval: their ``refresh_minutes``, else ``default_minutes``. A feed without one of its own
    is always due when ``default_minutes`` is 0 (``refresh --due`` with no global interval: every such feed,
    as a plain refresh), never when it is None (the TUI with ``auto_minutes`` off). Disabled feeds are
    left out, as every refresh of all feeds leaves them out."""
    rows = store.feed_settings.rows()
    settings = _effective(rows)
    moment = now() if when is None else when
    due: list[int] = []
    for feed in rows.feeds:
        minutes = settings[feed.id].refresh_minutes or default_minutes
        if minutes is None or feed.disabled:
            continue
        if feed.last_fetched is None or minutes <= 0 or moment - feed.last_fetched >= minutes * 60:
            due.append(feed.id)
    return due


def has_intervals(store: Store) -> bool:
    """Whether any feed has a ``refresh_minutes`` (its own or its rubrique's)."""
    return any(s.refresh_minutes is not None for s in effective(store).values())


def hidden_feeds(store: Store) -> frozenset[int]:
    """The ids of the feeds kept out of « Toutes » and « Non lus »."""
    return frozenset(feed_id for feed_id, s in effective(store).items() if s.hidden)


def value_text(key: str, value: object, settings: Settings) -> str:
    """A value as ``feeds set`` reads it; for an unset one, what applies instead (the faces show it)."""
    if value is not None:
        return shown_form(value)
    if key == "retention_days":
        return _("{days} days (global [retention] days)").format(days=settings.retention.days)
    if key == "refresh_minutes":
        minutes = settings.refresh.auto_minutes
        if minutes:
            return _("every {minutes} min (global [refresh] auto_minutes)").format(minutes=minutes)
        return _("none (global [refresh] auto_minutes = 0)")
    return _("the app's own")


def source_text(source: Source, rubrique: str) -> str:
    """Where a value comes from, in the current language."""
    if source == "feed":
        return _("this feed")
    if source == "rubrique":
        return _("rubrique “{name}”").format(name=rubrique)
    return _("default")
