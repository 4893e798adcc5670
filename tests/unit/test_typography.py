"""French typography in the French catalogue, and plurals through ngettext in both.

One apostrophe (’); a no-break space (U+00A0, the one space Textual's wrapping now keeps, ui/typography.py)
before « : ; ! ? » » and after « « », so a » or a : never starts a line alone; no « article(s) »: plurals
are msgid/msgid_plural entries."""

from __future__ import annotations

import re

from unit.test_i18n import LOCALE, PO, read_catalogue

UNKNOWN_FILTER = (
    "Unknown filter “{name}:” (filters: {known}); put the text in quotes to search for it as it is."
)


def french_texts() -> list[tuple[object, str]]:
    found = []
    for message in read_catalogue(PO):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        found += [(message.id, text) for text in strings if text]
    return found


def test_one_apostrophe() -> None:
    assert [(m, t) for m, t in french_texts() if re.search(r"[^\W\d_]'[^\W\d_]", t)] == []


def test_a_no_break_space_before_high_punctuation_and_inside_guillemets() -> None:
    """A space before « : ; ! ? » » and after « « » is a no-break one, and there is one. « feed: » and
    « is:unread », the query language, take none: a colon is only checked for the space before it."""
    bad = []
    for msgid, text in french_texts():
        if (
            re.search(r"[ \t\u202f](?:[;!?»]|:(?!:))", text)  # « ::1 » is an address
            or re.search(r"«(?!\u00a0)", text)
            or re.search(r"(?<!\u00a0)»", text)
            or re.search(r"[\w)}\]][;!?](?=[\s\"]|$)", text)
        ):
            bad.append((msgid, text))
    assert bad == []
    french = dict(french_texts())
    assert french[UNKNOWN_FILTER].startswith(
        "Filtre inconnu «\u00a0{name}:\u00a0» (filtres\u00a0: {known})\u00a0; "
    )


def test_no_plural_in_brackets() -> None:
    for language in ("fr", "en"):
        catalogue = read_catalogue(LOCALE / language / "LC_MESSAGES" / "gazette.po", language)
        for message in catalogue:
            ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
            strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
            for text in (*ids, *strings):
                # « inscrit(e) » is the site's own label, copied from its login page: not a plural.
                assert not re.search(r"(?<!http)(?<=\w)\((?:s|x|aux)\)", text or ""), text
