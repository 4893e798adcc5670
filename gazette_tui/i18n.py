"""French and English for the UI and the text the CLI prints about articles.

Messages are gettext catalogues with English msgids: ``gazette_tui/locale/<lang>/LC_MESSAGES/gazette.po``,
compiled to ``gazette.mo`` by Babel when the package is built (``setup.py``: ``pip install .`` and
``pip install -e .`` both do it) and loaded with the standard :func:`gettext.translation`. Plurals are
msgid/msgid_plural entries chosen by the catalogue's own ``Plural-Forms`` rule (French: 0 and 1 are
singular), through :func:`plural`. Babel also formats dates per language ("Publié le 20/02/2019" /
"Published on 02/20/2019"). Textual-free: the CLI uses it too.
"""

from __future__ import annotations

import gettext
import logging
import os
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
DOMAIN = "gazette"
_LOCALE_DIR = Path(__file__).parent / "locale"

log = logging.getLogger(__name__)

_current: gettext.NullTranslations | None = None
"""The current language's catalogue; chosen from the environment on first use until told
(:func:`set_language`): the CLI and the TUI set it before they say anything."""
_language = "en"


def detect_language(explicit: str | None = None, setting: str | None = None) -> str:
    """``--lang`` beats the setting, which beats the locale (LC_ALL, LC_MESSAGES, LANG, LANGUAGE)."""
    for choice in (explicit, setting):
        if choice and choice[:2].lower() in LANGUAGES:
            return choice[:2].lower()
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(variable, "")
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            code = value[:2].lower()
            return code if code in LANGUAGES else "en"
    return DEFAULT_LANGUAGE


@cache
def catalogue(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``language``; untranslated (the English msgids) when it is missing."""
    try:
        return gettext.translation(DOMAIN, localedir=_LOCALE_DIR, languages=[language])
    except OSError:
        if (_LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po").exists():
            # A source tree that was never built: `pip install -e .` compiles the catalogues.
            log.warning(
                "no compiled catalogue for %r under %s: the messages stay in English", language, _LOCALE_DIR
            )
        return gettext.NullTranslations()


def set_language(language: str) -> str:
    global _current, _language
    _language = language if language in LANGUAGES else "en"
    _current = catalogue(_language)
    return _language


def _active() -> gettext.NullTranslations:
    if _current is None:
        set_language(detect_language())
    assert _current is not None
    return _current


def language() -> str:
    _active()
    return _language


def _(message: str) -> str:
    """Translate ``message`` (an English msgid) into the current language."""
    return _active().gettext(message)


def translate(message: str, lang: str | None = None) -> str:
    """Translate into ``lang`` (the current language when None) without changing the current language (the
    CLI's ``show --lang``, tests)."""
    if lang is None:
        return _(message)
    return catalogue(lang if lang in LANGUAGES else "en").gettext(message)


def translate_plural(one: str, many: str, count: int, lang: str | None = None) -> str:
    """The form of ``one``/``many`` that ``count`` takes in ``lang`` (the current language when None),
    translated; placeholders are left for the caller."""
    if lang is None:
        return _active().ngettext(one, many, count)
    return catalogue(lang if lang in LANGUAGES else "en").ngettext(one, many, count)


def plural(count: int, one: str, many: str) -> str:
    """The form of ``one``/``many`` (an msgid and its msgid_plural) that ``count`` takes in the current
    language, translated, with ``{count}`` filled in (with the language's thousands separator)."""
    return _active().ngettext(one, many, count).format(count=format_number(count))


NO_BREAK_SPACE = "\u00a0"
"""French typography's one space that never breaks: before « : ; ! ? » » and after « « », and between the
thousands of a number (« 20 000 »). The catalogues use it; ``ui/typography.py`` makes the TUI's line
wrapping respect it."""


def format_number(value: int, lang: str | None = None) -> str:
    """A count as the language writes it: « 20 000 » (a no-break space between thousands) in French,
    "20,000" in English; under 1000 as it is."""
    code = lang or language()
    grouped = f"{value:,}"
    return grouped.replace(",", NO_BREAK_SPACE) if code == "fr" else grouped


def format_seconds(value: float, lang: str | None = None) -> str:
    """A duration in seconds with one decimal, as the language writes it: « 0,1 » in French, "0.1"."""
    text = f"{value:.1f}"
    return text.replace(".", ",") if (lang or language()) == "fr" else text


def skipped_items(count: int) -> str:
    """A feed's status when some of its items could not be read (the others were stored)."""
    return plural(
        count,
        "{count} unreadable item skipped; the others were stored",
        "{count} unreadable items skipped; the others were stored",
    )


def format_date(timestamp: int, lang: str | None = None) -> str:
    """A short date in the reader's local time: 20/02/2019 in French, 2/20/19 in English."""
    from babel.dates import format_date as babel_format_date

    moment = datetime.fromtimestamp(timestamp, UTC).astimezone()
    code = lang or _language
    return babel_format_date(moment, format="dd/MM/yyyy" if code == "fr" else "MM/dd/yyyy", locale=code)


def format_datetime(timestamp: int, lang: str | None = None) -> str:
    from babel.dates import format_datetime as babel_format_datetime

    moment = datetime.fromtimestamp(timestamp, UTC).astimezone()
    code = lang or _language
    pattern = "dd/MM/yyyy HH:mm" if code == "fr" else "MM/dd/yyyy h:mm a"
    return babel_format_datetime(moment, format=pattern, locale=code)
