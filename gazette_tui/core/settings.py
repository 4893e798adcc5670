"""Typed settings, read from ``config.toml`` with :mod:`tomllib`, then from ``GAZETTE_TUI_*`` variables.

- **One source of truth.** Every key is a dataclass field below, documented by the string literal that follows
  it. The commented file of first run (:func:`default_config`) is generated from those fields, their defaults
  and their docstrings, so it cannot drift from the code.
- **Checked.** A file that cannot be used raises :class:`ConfigError` naming the file and the line; a number
  out of its range (:data:`RANGES`) names the valid values too.
- **Environment.** ``GAZETTE_TUI_<SECTION>_<KEY>`` (``GAZETTE_TUI_REFRESH_TIMEOUT=5``) overrides the file,
  with the same checks; a bad value names the variable.
- **Edited in place.** :func:`save_setting` (the TUI's theme) changes one value with tomlkit, keeping the
  user's comments and layout, and writes the file atomically and privately (``core/files.py``).
"""

from __future__ import annotations

import ast
import inspect
import json
import logging
import math
import os
import re
import secrets
import textwrap
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from gazette_tui.core.files import make_private_dir, read_reason, write_atomic
from gazette_tui.errors import ConfigError, Message, message

log = logging.getLogger(__name__)

ENV_PREFIX = "GAZETTE_TUI_"


@dataclass
class RefreshSettings:
    concurrency: int = 16
    """Feeds fetched at once, all hosts together."""
    per_host: int = 6
    """Connections at once to one host (what browsers use), so no server sees a burst from us."""
    timeout: float = 30.0
    """Total seconds one feed may take, first byte to last: a server that drips bytes is cut off."""
    max_feed_bytes: int = 8 * 1024 * 1024
    """Largest feed accepted, in bytes after decompression (8 MiB; a gzip bomb stops here)."""
    parse_timeout: float = 10.0
    """Seconds one feed's parsing may take; past it the parse worker is killed and replaced, the feed is
    marked as too long to parse and the refresh goes on."""
    auto_minutes: int = 0
    """Refresh in the background every N minutes while the TUI runs (0 = off)."""
    fulltext: bool = True
    """Fetch the full text of reserved articles for logged-in accounts during refresh."""
    fulltext_pages: int = 30
    """Most article pages fetched per refresh for the feeds whose fulltext setting is on: their new
    excerpt-only items, newest first; the rest wait for the next refresh (0 = none)."""
    proxy: str = ""
    """HTTP proxy for every request (feeds, logins, full texts), e.g. "http://proxy.mairie.fr:3128"; "" means
    none. HTTP_PROXY and the like are never read from the environment (a proxy there could read a plain-http
    login); this machine (localhost, 127.0.0.0/8, ::1) is always reached directly, and https goes through
    the proxy as an opaque tunnel."""


@dataclass
class RetentionSettings:
    """Everything a feed carries is stored, however old; pruning comes later. An article's age counts from the
    later of its date and the day it reached the cache. Starred articles and those in a dossier are never
    pruned; a pruned article is remembered (a tombstone) so its feed cannot bring it back."""

    days: int = 365
    """Prune read articles older than this many days (0 = no age limit at all, read or unread)."""
    unread_days: int = 730
    """Prune unread articles older than this many days (never sooner than days; 0 = never by age)."""
    per_feed: int = 2000
    """Keep at most the newest this many articles per feed, read or not (0 = no limit); same exceptions."""


@dataclass
class UISettings:
    language: str = ""
    """"fr", "en", or "" to follow the locale (LC_ALL / LC_MESSAGES / LANG)."""
    theme: str = "textual-dark"
    """A Textual theme; the TUI saves your choice here."""
    bell_on_alert: bool = False
    """Ring the terminal bell when an alerte (saved search) has new matches after a refresh."""
    hide_read: bool = False
    """Hide read articles in "All", the rubriques and the feeds (key H switches; the TUI saves it here)."""
    keymap_preset: str = ""
    """A set of keys to start from: "" for the keys of the help screen, or "newsboat" (r refreshes this
    feed, R all of them, N toggles read, a hides read articles…; see the README). [ui.keymap] goes over it."""
    keymap: dict[str, str] = field(default_factory=dict)
    """Rebind keys by binding id (listed in the help screen, key ?), e.g. star = "v"."""


@dataclass
class DownloadSettings:
    folder: str = ""
    """Where attachments (podcasts, PDFs) are saved; "" means the system's download folder."""
    max_bytes: int = 2 * 1024**3
    """Largest attachment downloaded, in bytes (2 GiB)."""


@dataclass
class SyncSettings:
    """Two-way sync with your own feed server (Fever API): add an account with gazette-tui sync add, or with
    key Y in the TUI."""

    interval_minutes: int = 15
    """Sync every account in the background every N minutes while the TUI runs, the first time right after
    it starts (0 = off; r and gazette-tui refresh still sync)."""


@dataclass
class Settings:
    """gazette-tui settings. Every key is optional; the values shown are the defaults. Any key can also be set
    for one run from the environment: GAZETTE_TUI_<SECTION>_<KEY>, e.g. GAZETTE_TUI_REFRESH_TIMEOUT=5."""

    refresh: RefreshSettings = field(default_factory=RefreshSettings)
    retention: RetentionSettings = field(default_factory=RetentionSettings)
    ui: UISettings = field(default_factory=UISettings)
    downloads: DownloadSettings = field(default_factory=DownloadSettings)
    sync: SyncSettings = field(default_factory=SyncSettings)


SECTIONS: tuple[str, ...] = tuple(f.name for f in fields(Settings))


# -- the generated default file ---------------------------------------------------------------------


@cache
def field_docs() -> dict[str, dict[str, str]]:
    """Class name → {field name → its docstring}, with the class docstring under ``""``: read from this
    module's source with :mod:`ast` (a field docstring is the string literal right after the field). Empty
    when the source is not there (a frozen build): the default file then has no comments."""
    try:
        tree = ast.parse(Path(__file__).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, SyntaxError):
        return {}
    docs: dict[str, dict[str, str]] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        found = docs.setdefault(node.name, {})
        class_doc = ast.get_docstring(node)
        if class_doc:
            found[""] = class_doc
        for statement, following in zip(node.body, node.body[1:], strict=False):
            if (
                isinstance(statement, ast.AnnAssign)
                and isinstance(statement.target, ast.Name)
                and isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)
            ):
                found[statement.target.id] = inspect.cleandoc(following.value.value)
    return docs


def _comment(doc: str) -> list[str]:
    """A docstring as ``#`` lines of at most 110 columns (``code`` marks dropped: the reader is a user;
    French quotes « » stay on the line of the words they hold)."""
    text = comment_text(doc).replace("« ", "«\u00a0").replace(" »", "\u00a0»")
    lines = textwrap.wrap(text, 108, break_on_hyphens=False)
    return ["# " + line.replace("\u00a0", " ") for line in lines]


def _literal(value: str | bool | float) -> str:
    """``value`` as TOML writes it (a JSON string is a valid TOML basic string)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return repr(value)


def comment_text(doc: str) -> str:
    """A docstring as the one-paragraph English text of its comment: the msgid its translation is under."""
    return " ".join(doc.replace("``", "").split())


@cache
def default_config(language: str = "en") -> str:
    """The commented ``config.toml`` of first run: every section and key of :class:`Settings` with its
    default value, each under its docstring as a comment, in ``language`` (the catalogue has every
    docstring, ``tests/unit/test_settings_file.py`` checks it). A table (``ui.keymap``) comes last in its
    section, as ``[section.key]``."""
    from gazette_tui.i18n import translate

    found = field_docs()
    docs = {
        name: {key: translate(comment_text(doc), language) for key, doc in fields_.items()}
        for name, fields_ in found.items()
    }
    defaults = Settings()
    lines = _comment(docs.get(Settings.__name__, {}).get("", ""))
    for outer in fields(Settings):
        section = getattr(defaults, outer.name)
        section_docs = docs.get(type(section).__name__, {})
        lines += ["", f"[{outer.name}]"]
        if section_docs.get(""):  # the section's own comment, apart from its first key's
            lines += [*_comment(section_docs[""]), ""]
        tables: list[str] = []
        for inner in fields(section):
            value = getattr(section, inner.name)
            if isinstance(value, dict):
                tables += ["", f"[{outer.name}.{inner.name}]", *_comment(section_docs.get(inner.name, ""))]
                tables += [f"{key} = {_literal(item)}" for key, item in value.items()]
            else:
                lines += [*_comment(section_docs.get(inner.name, "")), f"{inner.name} = {_literal(value)}"]
        lines += tables
    return "\n".join(lines) + "\n"


def __getattr__(name: str) -> str:
    """``DEFAULT_CONFIG``, built on first use: reading the docstrings costs ~6 ms that start-up never pays."""
    if name == "DEFAULT_CONFIG":
        return default_config()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# -- checks -----------------------------------------------------------------------------------------


def _line_of(text: str, key: str) -> int:
    """Best-effort line number of ``key = ...`` in ``text`` (1-based), for error messages."""
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=", re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def check_proxy(value: str) -> Message | None:
    """Why ``value`` cannot be a proxy address (a phrase), or None when it can (empty: no proxy)."""
    if not value:
        return None
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 -- raises ValueError for a bad port
    except ValueError:
        return message("proxy.unreadable")
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return message("proxy.scheme")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return message("proxy.path")
    return None


@dataclass(frozen=True, slots=True)
class _Range:
    low: float
    high: float
    allowed: Message
    """The valid values, as the error message says them."""
    zero: bool = False
    """0 is valid too (it means "off" or "no limit")."""

    def holds(self, value: float) -> bool:
        return math.isfinite(value) and (self.low <= value <= self.high or (self.zero and value == 0))


RANGES: dict[str, _Range] = {
    "refresh.concurrency": _Range(1, 256, message("range.concurrency")),
    "refresh.per_host": _Range(1, 32, message("range.per_host")),
    "refresh.timeout": _Range(1, 600, message("range.timeout")),
    # 1 MiB .. the parser's own cap on a decoded document (parse.MAX_DECODED_BYTES, 24 MiB).
    "refresh.max_feed_bytes": _Range(1 << 20, 24 << 20, message("range.max_feed_bytes")),
    "refresh.parse_timeout": _Range(1, 120, message("range.parse_timeout")),
    "refresh.auto_minutes": _Range(5, 1440, message("range.auto_minutes"), zero=True),
    "refresh.fulltext_pages": _Range(1, 1000, message("range.fulltext_pages"), zero=True),
    # 100 years: 10^15 days overflowed the dates (timestamps are 64-bit, datetime stops at year 9999).
    "retention.days": _Range(1, 36500, message("range.days"), zero=True),
    "retention.unread_days": _Range(1, 36500, message("range.unread_days"), zero=True),
    "retention.per_feed": _Range(1, 1_000_000, message("range.per_feed"), zero=True),
    "downloads.max_bytes": _Range(1 << 20, 1 << 40, message("range.download_bytes")),
    "sync.interval_minutes": _Range(1, 1440, message("range.sync_minutes"), zero=True),
}
"""The valid values of every number in the settings, checked at load: a value outside (nan, inf, negative,
0 where it means nothing, a retention that overflows the dates) is refused with the file, key and range."""


def _check_value(dotted: str, value: Any) -> Message | None:
    """Why a loaded value cannot be used (a phrase naming the key and what is valid), or None."""
    rule = RANGES.get(dotted)
    if rule is not None and isinstance(value, int | float) and not rule.holds(value):
        if value < 0:
            return message("settings.negative", key=dotted, allowed=rule.allowed)
        return message("settings.out_of_range", key=dotted, value=str(value), allowed=rule.allowed)
    if dotted == "refresh.proxy":
        problem = check_proxy(str(value))
        if problem is not None:
            return message("settings.bad_proxy", key=dotted, problem=problem)
    if dotted == "ui.language" and isinstance(value, str) and not _LANGUAGE.fullmatch(value):
        shown = "".join(ch if ch.isprintable() else "?" for ch in value)
        return message("settings.bad_choice", key=dotted, value=shown, allowed=message("settings.languages"))
    if dotted == "ui.keymap_preset" and value not in KEYMAP_PRESETS:
        shown = "".join(ch if ch.isprintable() else "?" for ch in str(value))
        allowed = ", ".join(f'"{name}"' for name in KEYMAP_PRESETS)
        return message("settings.bad_choice", key=dotted, value=shown, allowed=allowed)
    return None


KEYMAP_PRESETS = ("", "newsboat")
"""The values of ``ui.keymap_preset`` (the keys of each are the UI's: ``ui/bindings.py``)."""


_LANGUAGE = re.compile(r"(?i)(?:(?:fr|en)(?:[-_][a-z]{2,8})?)?")
"""The values of ``ui.language``: fr or en, with a region if one likes (fr_FR, en-GB), or empty."""


def where_set(path: Path, section: str, key: str, environ: Mapping[str, str] | None = None) -> Message:
    """Where ``section.key`` got its value, for a message about it: the variable that overrides it, else
    the settings file and the key's line (the TUI says so of a theme it does not know)."""
    variable = f"{ENV_PREFIX}{section}_{key}".upper()
    if variable in (os.environ if environ is None else environ):
        return message("settings.environment", variable=variable)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return message("settings.at_unknown", path=path)
    return message("settings.at_line", path=path, line=_line_of(text, key))


def _typed(expected: type, value: Any) -> tuple[Any, bool]:
    """``value`` as the field's type (an int where a float is expected is taken), and whether it is one."""
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value), True
    if expected is dict and isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}, True
    return value, isinstance(value, expected) and not (expected is int and isinstance(value, bool))


def _apply(section: Any, values: dict[str, Any], name: str, path: Path, text: str) -> None:
    known = {f.name for f in fields(section)}
    for key, raw in values.items():
        where = message("settings.at_line", path=path, line=_line_of(text, key))
        if key not in known:
            raise ConfigError("settings.unknown_key", where=where, key=f"{name}.{key}")
        expected: type = type(getattr(section, key))
        value, ok = _typed(expected, raw)
        if not ok:
            raise ConfigError(
                "settings.wrong_type",
                where=where,
                key=f"{name}.{key}",
                expected=expected.__name__,
                actual=type(raw).__name__,
            )
        problem = _check_value(f"{name}.{key}", value)
        if problem is not None:
            raise ConfigError("settings.problem", where=where, problem=problem)
        setattr(section, key, value)


# -- the environment --------------------------------------------------------------------------------

_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off"})


def _from_text(text: str, expected: type) -> tuple[Any, bool]:
    """A variable's text as the field's type: a string as is, true/false (1/0, yes/no, on/off), a number as
    Python reads it (nan and inf too: the range refuses them, as in the file), a table as TOML's inline
    table (``{star = "v"}``)."""
    stripped = text.strip()
    if expected is str:
        return text, True
    if expected is bool:
        lowered = stripped.lower()
        return lowered in _TRUE, lowered in _TRUE | _FALSE
    try:
        if expected is int:
            return int(stripped), True
        if expected is float:
            return float(stripped), True
        if expected is dict:
            return _typed(dict, tomllib.loads(f"value = {stripped}").get("value"))
    except (ValueError, tomllib.TOMLDecodeError):
        pass
    return text, False


def _apply_environment(settings: Settings, environ: Mapping[str, str]) -> None:
    """``GAZETTE_TUI_<SECTION>_<KEY>`` over the file. Variables of ours that name no section
    (``GAZETTE_TUI_ALLOW_PLAINTEXT_KEYRING``) are not settings and are left alone; an unknown key in a known
    section is refused, as in the file."""
    for variable in sorted(environ):
        if not variable.startswith(ENV_PREFIX):
            continue
        name, _sep, key = variable[len(ENV_PREFIX) :].lower().partition("_")
        if name not in SECTIONS:
            continue
        where = message("settings.environment", variable=variable)
        section = getattr(settings, name)
        if key not in {f.name for f in fields(section)}:
            raise ConfigError("settings.unknown_key", where=where, key=f"{name}.{key}")
        expected: type = type(getattr(section, key))
        value, ok = _from_text(environ[variable], expected)
        if not ok:
            shown = "".join(ch if ch.isprintable() else "?" for ch in environ[variable])
            raise ConfigError(
                "settings.wrong_type_text",
                where=where,
                key=f"{name}.{key}",
                expected=expected.__name__,
                value=shown,
            )
        problem = _check_value(f"{name}.{key}", value)
        if problem is not None:
            raise ConfigError("settings.problem", where=where, problem=problem)
        setattr(section, key, value)
        log.info("%s overrides %s.%s", variable, name, key)  # never the value: a proxy may carry a login


# -- reading ----------------------------------------------------------------------------------------


def _parse(text: str, path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+), column (\d+)", str(error))
        where = (
            message("settings.at_column", path=path, line=match.group(1), column=match.group(2))
            if match
            else message("settings.at_unknown", path=path)
        )
        reason = str(error).split(" (at")[0]
        raise ConfigError("settings.bad_toml", where=where, reason=reason) from None


def load_settings(path: Path, environ: Mapping[str, str] | None = None) -> Settings:
    """Read settings from ``path`` (a missing file means defaults), then the ``GAZETTE_TUI_*`` overrides
    from ``environ`` (the process environment by default)."""
    settings = Settings()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        log.info("no settings file at %s: defaults", path)
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError("settings.unreadable_file", path=path, reason=read_reason(error, path)) from None
    else:
        for name, value in _parse(text, path).items():
            section = getattr(settings, name, None) if name in SECTIONS else None
            if section is None or not isinstance(value, dict):
                where = message("settings.at_line", path=path, line=_line_of(text, name))
                raise ConfigError("settings.unknown_section", where=where, name=name)
            _apply(section, value, name, path, text)
        log.info("settings read from %s", path)
    _apply_environment(settings, os.environ if environ is None else environ)
    return settings


# -- writing ----------------------------------------------------------------------------------------


def write_default_config(path: Path, language: str = "en") -> None:
    """Write the commented defaults if no settings file exists yet (atomically, 0600: ``core/files.py``),
    the comments in ``language``. A symlink there, even dangling, is the user's: it is left alone."""
    if not path.exists() and not path.is_symlink():
        make_private_dir(path.parent)
        write_atomic(path, default_config(language))
        log.info("default settings written to %s", path)


# A run of whole-line comments: tomlkit only copies them, at ~1.5 s a megabyte (it reads character by
# character); they are set aside while it works and put back verbatim (see _edit).
_COMMENT_RUN = re.compile(r"^(?:[ \t]*#[^\n]*\n)+", re.MULTILINE)


def _edit(text: str, section: str, key: str, value: str | bool | float) -> str:
    """``text`` with ``[section] key = value`` set by tomlkit, every other byte kept."""
    import tomlkit  # ~40 ms, paid only when a setting is saved

    marker = secrets.token_hex(8)
    while marker in text:  # pragma: no cover - 64 random bits
        marker = secrets.token_hex(8)
    kept: list[str] = []

    def set_aside(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return f"#{marker}:{len(kept) - 1}\n"

    document = tomlkit.parse(_COMMENT_RUN.sub(set_aside, text))
    table = document.get(section)
    if table is None:
        document[section] = table = tomlkit.table()
    table[key] = value
    slim = document.as_string()
    tomllib.loads(slim)  # tomlkit wrote valid TOML; the comments put back are the user's own, as they were
    # A placeholder inside a multi-line string (a "#" line in it) is put back too, so the string is unchanged.
    return re.sub(rf"#{marker}:(\d+)\n", lambda match: kept[int(match.group(1))], slim)


def _edit_lines(text: str, section: str, key: str, value: str | bool | float) -> str:
    """For a file that is not TOML (the next start says where): the key's line in its ``[section]``
    replaced, or the section appended; every other line kept as it is."""
    lines = text.splitlines()
    current = ""
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            current = stripped.strip("[]").strip()
        elif current == section and re.match(rf"{re.escape(key)}\s*=", stripped):
            lines[index] = f"{key} = {_literal(value)}"
            break
    else:
        lines += ["", f"[{section}]", f"{key} = {_literal(value)}"]
    return "\n".join(lines) + "\n"


def save_setting(path: Path, section: str, key: str, value: str | bool | float) -> None:
    """Set one key (e.g. the theme) in place with tomlkit, keeping the user's comments and layout. A file
    that is not TOML is edited line by line instead (:func:`_edit_lines`): saving the theme is not where a
    broken file is reported, the next start is (naming the file and the line)."""
    if section not in SECTIONS or key not in {f.name for f in fields(getattr(Settings(), section))}:
        raise ValueError(f"unknown setting {section}.{key}")
    try:
        text = path.read_bytes().decode("utf-8")  # as it is: "\r\n" line ends stay
    except FileNotFoundError:
        from gazette_tui.i18n import language

        text = default_config(language())
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        log.warning("%s is not TOML: %s.%s saved line by line", path, section, key)
        updated = _edit_lines(text, section, key, value)
    else:
        updated = _edit(text, section, key, value)
    # Atomic (a full disk or a kill -9 leaves the old file whole), 0600; a symlink at ``path`` is replaced by
    # the new file, never written through. A failure is a WriteError with a plain sentence.
    make_private_dir(path.parent)
    write_atomic(path, updated)
    log.info("setting %s.%s saved in %s", section, key, path)
