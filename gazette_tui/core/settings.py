"""Typed settings, read from ``config.toml`` with :mod:`tomllib`.

Every key is documented twice: in the dataclass docstrings below and in the commented file of first run
(:data:`DEFAULT_CONFIG`). A file that cannot be used raises :class:`ConfigError` naming the file and the line;
a number out of its range (:data:`RANGES`) names the valid values too.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from gazette_tui.core.files import make_private_dir, write_atomic
from gazette_tui.errors import ConfigError


@dataclass
class RefreshSettings:
    concurrency: int = 16
    """Feeds fetched at once, all hosts together."""
    per_host: int = 6
    """Connections at once to one host: the figure browsers use, so a server never sees a burst from us."""
    timeout: float = 30.0
    """Total seconds one feed may take, headers to last byte (a dripping server is cut off)."""
    max_feed_bytes: int = 8 * 1024 * 1024
    """Largest feed accepted, counted after decompression (a gzip bomb stops here)."""
    parse_timeout: float = 10.0
    """Seconds one feed's parsing may take in a worker; past it the worker is killed and replaced, the feed
    is marked « Analyse trop longue » and the refresh goes on."""
    auto_minutes: int = 0
    """Refresh in the background every N minutes while the TUI runs; 0 turns it off."""
    fulltext: bool = True
    """Fetch the full text of reserved articles for logged-in accounts during refresh."""
    proxy: str = ""
    """An HTTP proxy for every request (feeds, logins, full texts), e.g. ``http://proxy.mairie.fr:3128``;
    empty means none. ``HTTP_PROXY``/``HTTPS_PROXY``/``ALL_PROXY`` are never read: a proxy taken from the
    environment could read a plain-http login in clear. This machine (localhost, 127.0.0.0/8, ::1) is always
    reached directly; https goes through the proxy as an opaque tunnel."""


@dataclass
class RetentionSettings:
    """Every item a feed carries is stored, whatever its date; retention prunes afterwards. An article's age
    counts from the later of its date and the day it reached the cache. Starred articles and those in a
    dossier are never pruned; a pruned article is remembered (a tombstone) so its feed cannot bring it
    back."""

    days: int = 365
    """Read articles older than this many days are pruned; 0 means no age limit at all (read or unread)."""
    unread_days: int = 730
    """Unread articles are kept longer: pruned past this many days (never sooner than ``days``); 0 means
    unread articles are never pruned by age."""
    per_feed: int = 2000
    """Beyond the newest this many articles of a feed, older ones are pruned, read or not (the same
    exceptions apply); 0 means no limit."""


@dataclass
class UISettings:
    language: str = ""
    """"fr" or "en"; empty means: from the locale (LANG, LC_ALL, LC_MESSAGES)."""
    theme: str = "textual-dark"
    """A Textual theme name; the TUI saves your choice here."""
    bell_on_alert: bool = False
    """Ring the terminal bell when a saved search (alerte) has new matches after a refresh."""
    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id → keys, e.g. ``star = "f"``; ids are listed in the help screen (?)."""


@dataclass
class Settings:
    refresh: RefreshSettings = field(default_factory=RefreshSettings)
    retention: RetentionSettings = field(default_factory=RetentionSettings)
    ui: UISettings = field(default_factory=UISettings)


DEFAULT_CONFIG = """\
# gazette-tui settings. Every key is optional; the values shown are the defaults.

[refresh]
# Feeds fetched at once, all hosts together.
concurrency = 16
# Connections at once to one host (what browsers use), so no server sees a burst.
per_host = 6
# Total seconds one feed may take, first byte to last: a server that drips bytes is cut off.
timeout = 30.0
# Largest feed accepted, in bytes after decompression (8 MiB).
max_feed_bytes = 8388608
# Seconds one feed's parsing may take; past it the feed is marked « Analyse trop longue ».
parse_timeout = 10.0
# Refresh in the background every N minutes while the TUI runs (0 = off).
auto_minutes = 0
# Fetch the full text of reserved articles for logged-in accounts.
fulltext = true
# HTTP proxy for every request, e.g. "http://proxy.mairie.fr:3128" ("" = none). HTTP_PROXY and the like are
# never read from the environment; this machine is always reached directly.
proxy = ""

[retention]
# Everything a feed carries is stored, however old; pruning comes later. An article's age counts from the
# later of its date and the day it reached the cache. Starred ones and those in a dossier are kept forever.
# Prune read articles older than this many days (0 = no age limit at all).
days = 365
# Prune unread articles older than this many days (never sooner than days; 0 = never by age).
unread_days = 730
# Keep at most the newest this many articles per feed (0 = no limit); same exceptions.
per_feed = 2000

[ui]
# "fr", "en", or "" to follow the locale (LANG / LC_ALL / LC_MESSAGES).
language = ""
# A Textual theme; the TUI saves your choice here.
theme = "textual-dark"
# Ring the terminal bell when an alerte (saved search) has new matches.
bell_on_alert = false

[ui.keymap]
# Rebind keys by binding id (listed in the help screen, key ?), e.g.:
# star = "f"
"""


def _line_of(text: str, key: str) -> int:
    """Best-effort line number of ``key = ...`` in ``text`` (1-based), for error messages."""
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=", re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def check_proxy(value: str) -> str | None:
    """Why ``value`` cannot be a proxy address (a phrase), or None when it can (empty: no proxy)."""
    if not value:
        return None
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 -- raises ValueError for a bad port
    except ValueError:
        return "adresse illisible"
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return "une adresse http://hôte:port ou https://hôte:port est attendue"
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return "une adresse de proxy n'a ni chemin ni paramètres (http://hôte:port)"
    return None


@dataclass(frozen=True, slots=True)
class _Range:
    low: float
    high: float
    allowed: str
    """The valid values, as the error message says them."""
    zero: bool = False
    """0 is valid too (it means "off" or "no limit")."""

    def holds(self, value: float) -> bool:
        return math.isfinite(value) and (self.low <= value <= self.high or (self.zero and value == 0))


RANGES: dict[str, _Range] = {
    "refresh.concurrency": _Range(1, 256, "de 1 à 256 flux à la fois"),
    "refresh.per_host": _Range(1, 32, "de 1 à 32 connexions par site"),
    "refresh.timeout": _Range(1, 600, "de 1 à 600 secondes"),
    # 1 MiB .. the parser's own cap on a decoded document (parse.MAX_DECODED_BYTES, 24 MiB).
    "refresh.max_feed_bytes": _Range(1 << 20, 24 << 20, "de 1048576 (1 Mio) à 25165824 (24 Mio) octets"),
    "refresh.parse_timeout": _Range(1, 120, "de 1 à 120 secondes"),
    "refresh.auto_minutes": _Range(5, 1440, "0 pour arrêter, ou de 5 à 1440 minutes", zero=True),
    # 100 years: 10^15 days overflowed the dates (timestamps are 64-bit, datetime stops at year 9999).
    "retention.days": _Range(1, 36500, "0 pour aucune limite d'âge, ou de 1 à 36500 jours", zero=True),
    "retention.unread_days": _Range(1, 36500, "0 pour jamais, ou de 1 à 36500 jours", zero=True),
    "retention.per_feed": _Range(1, 1_000_000, "0 pour aucune limite, ou de 1 à 1000000 articles", zero=True),
}
"""The valid values of every number in the settings, checked at load: a value outside (nan, inf, negative,
0 where it means nothing, a retention that overflows the dates) is refused with the file, key and range."""


def _check_value(dotted: str, value: Any) -> str | None:
    """Why a loaded value cannot be used (a phrase naming the key and what is valid), or None."""
    rule = RANGES.get(dotted)
    if rule is not None and isinstance(value, int | float) and not rule.holds(value):
        if value < 0:
            return f"« {dotted} » ne peut pas être négatif (valeurs permises : {rule.allowed})"
        return f"« {dotted} » = {value} est hors limites (valeurs permises : {rule.allowed})"
    if dotted == "refresh.proxy":
        problem = check_proxy(str(value))
        if problem is not None:
            return f"« {dotted} » n'est pas une adresse de proxy utilisable : {problem}"
    return None


def _apply(section: Any, values: dict[str, Any], name: str, path: Path, text: str) -> None:
    known = {f.name: f for f in fields(section)}
    for key, value in values.items():
        if key not in known:
            raise ConfigError(f"{path}, ligne {_line_of(text, key)} : clé inconnue « {name}.{key} ».")
        current = getattr(section, key)
        expected: type = type(current)
        ok = isinstance(value, expected) and not (expected is int and isinstance(value, bool))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value, ok = float(value), True
        if expected is dict and isinstance(value, dict):
            value = {str(k): str(v) for k, v in value.items()}
        if not ok:
            raise ConfigError(
                f"{path}, ligne {_line_of(text, key)} : « {name}.{key} » doit être de type "
                f"{expected.__name__}, pas {type(value).__name__}."
            )
        problem = _check_value(f"{name}.{key}", value)
        if problem is not None:
            raise ConfigError(f"{path}, ligne {_line_of(text, key)} : {problem}.")
        setattr(section, key, value)


def load_settings(path: Path) -> Settings:
    """Read settings from ``path``; a missing file means defaults."""
    settings = Settings()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return settings
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path} : fichier illisible ({error}).") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+), column (\d+)", str(error))
        where = f"ligne {match.group(1)}, colonne {match.group(2)}" if match else "position inconnue"
        reason = str(error).split(" (at")[0]
        raise ConfigError(f"{path}, {where} : TOML invalide ({reason}).") from None
    for name, value in data.items():
        section = getattr(settings, name, None)
        if section is None or not isinstance(value, dict):
            raise ConfigError(f"{path}, ligne {_line_of(text, name)} : section inconnue « {name} ».")
        _apply(section, value, name, path, text)
    return settings


def write_default_config(path: Path) -> None:
    """Write the commented defaults if no settings file exists yet (atomically, 0600: ``core/files.py``).
    A symlink there, even dangling, is the user's: it is left alone."""
    if not path.exists() and not path.is_symlink():
        make_private_dir(path.parent)
        write_atomic(path, DEFAULT_CONFIG)


def save_setting(path: Path, section: str, key: str, value: str) -> None:
    """Set one string key (e.g. the theme) in place, keeping the user's comments and layout."""
    text = path.read_text(encoding="utf-8") if path.exists() else DEFAULT_CONFIG
    literal = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    lines = text.splitlines()
    current = ""
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            current = stripped.strip("[]").strip()
        elif current == section and re.match(rf"{re.escape(key)}\s*=", stripped):
            lines[index] = f"{key} = {literal}"
            break
    else:
        lines += ["", f"[{section}]", f"{key} = {literal}"]
    # Atomic (a full disk or a kill -9 leaves the old file whole), 0600; a symlink at ``path`` is replaced by
    # the new file, never written through. A failure is a WriteError with a plain sentence.
    make_private_dir(path.parent)
    write_atomic(path, "\n".join(lines) + "\n")
