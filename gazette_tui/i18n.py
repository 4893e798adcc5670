"""French and English for the UI and the text the CLI prints about articles.

Messages are gettext catalogues (``gazette_tui/locale/<lang>/LC_MESSAGES/gazette.po``) with English msgids;
Babel reads the ``.po`` directly, so there is no compile step to forget, and formats dates per language
("Publié le 20/02/2019" / "Published 02/20/2019"). Textual-free: the CLI uses it too.
"""

from __future__ import annotations

import gettext
import os
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
_LOCALE_DIR = Path(__file__).parent / "locale"

_current: gettext.NullTranslations = gettext.NullTranslations()
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
def _catalogue(language: str) -> gettext.NullTranslations:
    po = _LOCALE_DIR / language / "LC_MESSAGES" / "gazette.po"
    if not po.exists():
        return gettext.NullTranslations()
    # Babel is imported here, not at start-up: ~20 ms the English UI and the headless CLI never need.
    from babel.messages.pofile import read_po
    from babel.support import Translations

    with po.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    translations = Translations()
    # Babel's Translations is a GNUTranslations: fill its catalogue the way GNU .mo files do, plural forms
    # under (msgid, n) keys, and use the catalogue's own plural rule (French: n > 1).
    entries: dict[tuple[str, Any] | str, str] = {}
    for message in catalog:
        if isinstance(message.id, str) and isinstance(message.string, str) and message.string:
            entries[message.id] = message.string
        elif isinstance(message.id, tuple | list) and isinstance(message.string, tuple | list):
            if all(message.string):
                for index, form in enumerate(message.string):
                    entries[(message.id[0], index)] = form
    translations._catalog = entries
    # The stdlib's own parser for C plural expressions (what GNUTranslations uses on .mo headers).
    translations.plural = gettext.c2py(catalog.plural_expr)  # type: ignore[assignment]
    return translations


def set_language(language: str) -> str:
    global _current, _language
    _language = language if language in LANGUAGES else "en"
    _current = _catalogue(_language)
    return _language


def language() -> str:
    return _language


def _(message: str) -> str:
    """Translate ``message`` (an English msgid) into the current language."""
    return _current.gettext(message)


def translate(message: str, lang: str) -> str:
    """Translate into ``lang`` without changing the current language (the CLI's ``show --lang``, tests)."""
    return _catalogue(lang if lang in LANGUAGES else "en").gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _current.ngettext(singular, plural, count)


def skipped_items(count: int) -> str:
    """A feed's status when some of its items could not be read (the others were stored)."""
    return ngettext(
        "{count} unreadable item skipped; the others were stored",
        "{count} unreadable items skipped; the others were stored",
        count,
    ).format(count=count)


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
