"""The catalogues cover every message the code asks for, the compiled .mo says what the .po says, plurals
follow each language's rule, and languages and dates follow the rules."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

import gazette_tui
from gazette_tui import i18n

PACKAGE = Path(gazette_tui.__file__).parent
LOCALE = PACKAGE / "locale"
PO = LOCALE / "fr" / "LC_MESSAGES" / "gazette.po"
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")
REBUILD = "the .mo is older than its .po: run `.venv/bin/pip install -e .` to compile the catalogues again"


def _constant(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _calls() -> list[tuple[str, ast.Call]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                found.append((f"{path.relative_to(PACKAGE)}:{node.lineno}", node))
    return found


def _name(node: ast.Call) -> str | None:
    return getattr(node.func, "id", None) or getattr(node.func, "attr", None)


def used_msgids() -> dict[str, str]:
    """msgid → where it is used: ``_("…")`` calls, ``N_("…")`` marks (the error messages of
    ``gazette_tui/errors.py``) and Binding descriptions and tooltips (translated when widgets are built)."""
    found: dict[str, str] = {}
    for where, node in _calls():
        name = _name(node)
        texts: list[str | None] = []
        if name in ("_", "N_") and node.args:
            texts.append(_constant(node.args[0]))
        elif name == "Binding":
            texts += [_constant(arg) for arg in node.args[2:3]]
            texts += [_constant(kw.value) for kw in node.keywords if kw.arg in ("description", "tooltip")]
        for text in texts:
            if text:
                found.setdefault(text, where)
    return found


def used_plurals() -> dict[tuple[str, str], str]:
    """(msgid, msgid_plural) → where: ``plural(n, "…", "…")`` calls (``gazette_tui.i18n.plural``) and
    ``Np_("…", "…")`` marks."""
    found: dict[tuple[str, str], str] = {}
    for where, node in _calls():
        pair = None
        if _name(node) == "plural" and len(node.args) == 3:
            pair = node.args[1], node.args[2]
        elif _name(node) == "Np_" and len(node.args) == 2:
            pair = node.args[0], node.args[1]
        if pair is not None:
            one, many = _constant(pair[0]), _constant(pair[1])
            if one and many:
                found.setdefault((one, many), where)
    return found


def read_catalogue(path: Path, language: str = "fr") -> Catalog:
    with path.open("rb") as handle:
        return read_mo(handle) if path.suffix == ".mo" else read_po(handle, locale=language)


def catalogue() -> dict[str, str]:
    return {m.id: m.string for m in read_catalogue(PO) if isinstance(m.id, str) and m.id}


def plurals() -> dict[tuple[str, ...], tuple[str, ...]]:
    return {tuple(m.id): tuple(m.string) for m in read_catalogue(PO) if isinstance(m.id, tuple | list)}


def messages(catalog: Catalog) -> dict[object, object]:
    """Every translated message: msgid → msgstr, (msgid, msgid_plural) → (forms…); read_po gives tuples,
    read_mo lists."""
    found: dict[object, object] = {}
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):
            found[tuple(message.id)] = tuple(message.string)
        elif message.string:
            found[message.id] = message.string
    return found


def test_the_ui_uses_many_messages() -> None:
    # Guards the scanner itself: if it found nothing, the next test would pass vacuously.
    used = used_msgids()
    assert len(used) > 100
    assert {"Offline — cached articles", "All", "Unread", "Starred", "reserved"} <= set(used)


def test_every_message_has_a_french_translation() -> None:
    french = catalogue()
    missing = {msgid: where for msgid, where in used_msgids().items() if not french.get(msgid)}
    assert missing == {}


def test_every_plural_is_an_ngettext_entry_with_all_its_forms() -> None:
    used, entries = used_plurals(), plurals()
    assert len(used) >= 6  # guards the scanner
    assert {pair: where for pair, where in used.items() if pair not in entries} == {}
    assert all(len(forms) == 2 and all(forms) for forms in entries.values()), entries


def test_translations_keep_their_placeholders() -> None:
    for msgid, msgstr in catalogue().items():
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(msgstr)), msgid
    for ids, forms in plurals().items():
        for text in (*ids, *forms):
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(ids[0])), ids


def test_no_duplicate_msgids() -> None:
    ids = re.findall(r'^msgid "(.*)"$', PO.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert [msgid for msgid in ids if ids.count(msgid) > 1] == []


def test_the_original_messages_are_kept() -> None:
    french = catalogue()
    assert french["Published on {date}"] == "Publié le {date}"
    assert french["By {author}"] == "Par {author}"
    assert french["in: {section}"] == "dans\u00a0: {section}"  # a no-break space before the colon


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


def test_plural_forms_follow_the_catalogue_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    po = tmp_path / "fr" / "LC_MESSAGES" / "gazette.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
        'msgid "{n} new article"\nmsgid_plural "{n} new articles"\n'
        'msgstr[0] "{n} nouvel article"\nmsgstr[1] "{n} nouveaux articles"\n',
        encoding="utf-8",
    )
    with po.with_suffix(".mo").open("wb") as handle:  # what setup.py's build step does
        write_mo(handle, read_catalogue(po))
    monkeypatch.setattr(i18n, "_LOCALE_DIR", tmp_path)
    i18n.catalogue.cache_clear()
    try:
        loaded = i18n.catalogue("fr")
        assert loaded.ngettext("{n} new article", "{n} new articles", 1) == "{n} nouvel article"
        assert loaded.ngettext("{n} new article", "{n} new articles", 0) == "{n} nouvel article"
        assert loaded.ngettext("{n} new article", "{n} new articles", 3) == "{n} nouveaux articles"
    finally:
        i18n.catalogue.cache_clear()


def test_plural_in_french_and_in_english() -> None:
    one, many = "{count} new article", "{count} new articles"
    try:
        i18n.set_language("fr")
        assert [i18n.plural(n, one, many) for n in (0, 1, 2)] == [
            "0 nouvel article",
            "1 nouvel article",
            "2 nouveaux articles",
        ]
        assert i18n.skipped_items(3) == "3 articles illisibles ignorés\u00a0; les autres ont été enregistrés"
        i18n.set_language("en")
        assert [i18n.plural(n, one, many) for n in (0, 1, 2)] == [
            "0 new articles",
            "1 new article",
            "2 new articles",
        ]
    finally:
        i18n.set_language("fr")


@pytest.mark.parametrize(("language", "rule"), [("fr", "(n > 1)"), ("en", "(n != 1)")])
def test_each_language_has_a_catalogue_with_its_plural_rule(language: str, rule: str) -> None:
    po = read_catalogue(LOCALE / language / "LC_MESSAGES" / "gazette.po", language)
    assert (po.num_plurals, po.plural_expr) == (2, rule)
    loaded = gettext.translation("gazette", localedir=LOCALE, languages=[language])
    assert loaded.info()["plural-forms"] == f"nplurals=2; plural={rule};"
    assert isinstance(i18n.catalogue(language), gettext.GNUTranslations)  # the .mo, the standard loader


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_mo_says_what_the_po_says(language: str) -> None:
    """Every message and every plural form, both ways, then as gettext itself reads the .mo."""
    po_path = LOCALE / language / "LC_MESSAGES" / "gazette.po"
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.is_file(), REBUILD
    po, mo = read_catalogue(po_path, language), read_catalogue(mo_path)
    expected, compiled = messages(po), messages(mo)
    assert compiled == expected, REBUILD
    assert (mo.plural_expr, mo.num_plurals) == (po.plural_expr, po.num_plurals)
    with mo_path.open("rb") as handle:
        loaded = gettext.GNUTranslations(handle)
    rule = gettext.c2py(po.plural_expr)
    for key, value in expected.items():
        if isinstance(key, tuple):
            assert isinstance(value, tuple)
            for count in range(12):
                assert loaded.ngettext(key[0], key[1], count) == value[rule(count)], (key, count)
        else:
            assert loaded.gettext(key) == value, key
    if language == "fr":
        assert len(expected) > 200


def test_seconds_take_the_language_s_decimal_mark() -> None:
    from gazette_tui.i18n import format_seconds

    assert format_seconds(0.125, "fr") == "0,1"
    assert format_seconds(12.06, "en") == "12.1"
