"""The French catalogue covers every message the code asks for, and languages and dates follow the rules."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import gazette_tui
from gazette_tui import i18n

PACKAGE = Path(gazette_tui.__file__).parent
PO = PACKAGE / "locale" / "fr" / "LC_MESSAGES" / "gazette.po"
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def _constant(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def used_msgids() -> dict[str, str]:
    """msgid → where it is used: ``_("…")`` calls, ``plural(n, "…", "…")`` and Binding descriptions and
    tooltips (translated when widgets are built)."""
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            texts: list[str | None] = []
            if name == "_" and node.args:
                texts.append(_constant(node.args[0]))
            elif name == "plural" and len(node.args) == 3:
                texts += [_constant(node.args[1]), _constant(node.args[2])]
            elif name == "Binding":
                texts += [_constant(arg) for arg in node.args[2:3]]
                texts += [_constant(kw.value) for kw in node.keywords if kw.arg in ("description", "tooltip")]
            for text in texts:
                if text:
                    found.setdefault(text, f"{path.relative_to(PACKAGE)}:{node.lineno}")
    return found


def catalogue() -> dict[str, str]:
    with PO.open("rb") as handle:
        return {m.id: m.string for m in read_po(handle, locale="fr") if isinstance(m.id, str) and m.id}


def test_the_ui_uses_many_messages() -> None:
    # Guards the scanner itself: if it found nothing, the next test would pass vacuously.
    used = used_msgids()
    assert len(used) > 100
    assert {"Offline — cached articles", "All", "Unread", "Starred", "reserved"} <= set(used)


def test_every_message_has_a_french_translation() -> None:
    french = catalogue()
    missing = {msgid: where for msgid, where in used_msgids().items() if not french.get(msgid)}
    assert missing == {}


def test_translations_keep_their_placeholders() -> None:
    for msgid, msgstr in catalogue().items():
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(msgstr)), msgid


def test_no_duplicate_msgids() -> None:
    ids = re.findall(r'^msgid "(.*)"$', PO.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert [msgid for msgid in ids if ids.count(msgid) > 1] == []


def test_the_original_messages_are_kept() -> None:
    french = catalogue()
    assert french["Published on {date}"] == "Publié le {date}"
    assert french["By {author}"] == "Par {author}"
    assert french["in: {section}"] == "dans : {section}"


def test_the_offline_banner_in_both_languages() -> None:
    try:
        i18n.set_language("fr")
        assert i18n._("Offline — cached articles") == "Hors ligne — articles en cache"
        i18n.set_language("en")
        assert i18n._("Offline — cached articles") == "Offline — cached articles"
    finally:
        i18n.set_language("fr")


@pytest.mark.parametrize(
    ("explicit", "setting", "lang", "expected"),
    [
        ("en", "fr", "fr_FR.UTF-8", "en"),
        (None, "en", "fr_FR.UTF-8", "en"),
        (None, "", "en_GB.UTF-8", "en"),
        (None, "", "fr_CA.UTF-8", "fr"),
        (None, "", "de_DE.UTF-8", "en"),
        ("xx", "", "fr_FR.UTF-8", "fr"),
    ],
)
def test_language_choice(
    monkeypatch: pytest.MonkeyPatch, explicit: str | None, setting: str, lang: str, expected: str
) -> None:
    for variable in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", lang)
    assert i18n.detect_language(explicit, setting) == expected


def test_dates_follow_the_language() -> None:
    moment = 1_550_660_400  # 20/02/2019 12:00 in Paris (TZ is fixed by conftest)
    assert i18n.format_date(moment, "fr") == "20/02/2019"
    assert i18n.format_date(moment, "en") == "02/20/2019"


def test_plural_forms_follow_the_catalogue_rule(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from gazette_tui import i18n

    po = tmp_path / "fr" / "LC_MESSAGES" / "gazette.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
        'msgid "{n} new article"\nmsgid_plural "{n} new articles"\n'
        'msgstr[0] "{n} nouvel article"\nmsgstr[1] "{n} nouveaux articles"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(i18n, "_LOCALE_DIR", tmp_path)
    i18n._catalogue.cache_clear()
    try:
        catalogue = i18n._catalogue("fr")
        assert catalogue.ngettext("{n} new article", "{n} new articles", 1) == "{n} nouvel article"
        assert catalogue.ngettext("{n} new article", "{n} new articles", 0) == "{n} nouvel article"
        assert catalogue.ngettext("{n} new article", "{n} new articles", 3) == "{n} nouveaux articles"
    finally:
        i18n._catalogue.cache_clear()
