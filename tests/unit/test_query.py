"""The query parser: what each piece of syntax becomes, and a clear French error at the right place for bad
input. Pure (no database); the operators are tested against real SQLite files in test_search.py."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from gazette_tui.core.search.query import (
    MAX_QUERY_LENGTH,
    And,
    DateFilter,
    DateSpec,
    NameFilter,
    Not,
    Or,
    StateFilter,
    Term,
    date_bounds,
    fold,
    fts_match,
    parse,
)
from gazette_tui.errors import QueryError

PARIS = ZoneInfo("Europe/Paris")


def test_words_phrases_or_and_not() -> None:
    query = parse('budget "conseil municipal" commune OR département -rapport ré*')
    assert query.root == And(
        (
            Term("budget", 0),
            Term("conseil municipal", 7, phrase=True),
            Or((Term("commune", 27), Term("département", 38))),
            Not(Term("rapport", 51)),
            Term("ré", 59, prefix=True),
        )
    )
    assert query.sort == "relevance"
    assert fts_match(query.root) == (
        '(("budget" AND "conseil municipal" AND ("commune" OR "département") AND "ré"*) NOT ("rapport"))'
    )


def test_user_text_is_always_quoted_for_fts() -> None:
    query = parse('NEAR(a b) x"y" {author}')
    assert query.root is not None
    match = fts_match(query.root)
    assert match is not None
    # every word is inside double quotes; the embedded quote is doubled
    assert match == '("NEAR" AND ("a" AND "b") AND "x" AND "y" AND "{author}")'
    with_quote = parse("l'état").root
    assert with_quote == Term("l'état", 0)


@pytest.mark.parametrize(
    ("text", "node"),
    [
        ("feed:club", NameFilter("feed", "club", 0)),
        ('feed:"Club Finances"', NameFilter("feed", "Club Finances", 0)),
        ("flux:club", NameFilter("feed", "club", 0)),
        ("rubrique:urbanisme", NameFilter("rubrique", "urbanisme", 0)),
        ("in:veille", NameFilter("in", "veille", 0)),
        ("dossier:veille", NameFilter("in", "veille", 0)),
        ("tag:énergie", Term("énergie", 4, column="categories")),
        ('tag:"finances locales"', Term("finances locales", 5, phrase=True, column="categories")),
        ("author:dup*", Term("dup", 7, prefix=True, column="author")),
        ("is:unread", StateFilter("unread", 0)),
        ("is:non-lu", StateFilter("unread", 0)),
        ("est:favoris", StateFilter("starred", 0)),
        ("is:réservé", StateFilter("reserved", 0)),
        ("after:2024-01-31", DateFilter("after", DateSpec(False, "d", year=2024, month=1, day=31), 0)),
        ("Après:31/01/2024", DateFilter("after", DateSpec(False, "d", year=2024, month=1, day=31), 0)),
        ("before:2024-02", DateFilter("before", DateSpec(False, "m", year=2024, month=2), 0)),
        ("on:2023", DateFilter("on", DateSpec(False, "y", year=2023), 0)),
        ("after:7d", DateFilter("after", DateSpec(True, "d", amount=7), 0)),
        ("after:2s", DateFilter("after", DateSpec(True, "w", amount=2), 0)),
        ("after:3m", DateFilter("after", DateSpec(True, "m", amount=3), 0)),
        ("-is:read", Not(StateFilter("read", 1))),
        ("--budget", Term("budget", 2)),
    ],
)
def test_fields(text: str, node: object) -> None:
    assert parse(text).root == node


def test_sort_option() -> None:
    assert parse("is:unread").sort == "date"
    assert parse("budget").sort == "relevance"
    assert parse("-budget").sort == "date"
    assert parse("budget sort:date").sort == "date"
    assert parse("is:unread tri:pertinence").sort == "relevance"
    only_sort = parse("sort:date")
    assert only_sort.root is None
    assert not only_sort.empty
    assert parse("").empty
    assert parse("  ").empty


@pytest.mark.parametrize(
    ("text", "position", "words"),
    [
        ('budget "conseil municipal', 7, "Guillemet non fermé"),
        ("budget - rapport", 7, "«\u00a0-\u00a0»"),
        ("budget -", 7, "«\u00a0-\u00a0»"),
        ("budget OR OR rapport", 10, "un seul «\u00a0OR\u00a0»"),
        ("OR budget", 0, "relier deux termes"),
        ("budget OR", 7, "suivi d’un terme"),
        ("budget AND", 7, "relier deux termes"),
        ("feed:", 0, "attend une valeur"),
        ("budget feed: club", 7, "attend une valeur"),
        ('feed:""', 0, "valeur non vide"),
        ("after:2024-13-45", 6, "le mois va de 1 à 12"),
        ("after:2024-02-30", 6, "ce jour n’existe pas"),
        ("before:hier-soir", 7, "Date illisible"),
        ("after:7x", 6, "Unité inconnue"),
        ("after:99999y", 6, "trop grande"),
        ("on:1789-07-14", 3, "Année hors limites"),
        ("is:lumineux", 3, "is:unread"),
        ("sort:alpha", 5, "sort:date"),
        ("(budget sort:date)", 8, "toute la requête"),
        ("sort:date OR budget", 0, "toute la requête"),
        ("-sort:date", 1, "toute la requête"),
        ("(budget", 0, "non fermée"),
        ("budget)", 6, "sans parenthèse ouvrante"),
        ("titre:budget", 0, "Filtre inconnu «\u00a0titre:\u00a0»"),
        ("https://exemple.test", 0, "guillemets"),
        ("budget r*", 7, "au moins 2 lettres"),
        ("budget *", 7, "«\u00a0*\u00a0»"),
        ("😀", 0, "Rien à chercher"),
        ("^ : ()", 0, "Rien à chercher"),
        ("tag:^^", 4, "aucun mot"),
        ("a " * 70, 128, "Trop de termes"),
        ("(" * 20 + "a" + ")" * 20, 16, "imbriquées"),
    ],
)
def test_errors_have_positions(text: str, position: int, words: str) -> None:
    with pytest.raises(QueryError) as error:
        parse(text)
    assert error.value.position == position
    assert words in str(error.value)


def test_long_queries_are_refused_clearly() -> None:
    with pytest.raises(QueryError) as error:
        parse("budget " * 100)
    assert "trop longue" in str(error.value)
    assert str(MAX_QUERY_LENGTH) in str(error.value)
    assert parse("b" * MAX_QUERY_LENGTH).root == Term("b" * MAX_QUERY_LENGTH, 0)


def test_control_characters_become_spaces() -> None:
    assert parse("budget\x1b\x00rapport\u202e\ud800").root == And((Term("budget", 0), Term("rapport", 8)))
    assert parse("12:30 budget").root == And((Term("12:30", 0), Term("budget", 6)))


def test_fold() -> None:
    assert fold("Club Techni.Cités – Œuvres") == "club techni cites oeuvres"
    assert fold("  VEILLE-rh ") == fold("veille rh") == "veille rh"


def test_date_bounds_in_a_zone_with_daylight_saving() -> None:
    now = datetime(2024, 3, 31, 12, 0, tzinfo=PARIS).timestamp()  # the day clocks go forward
    day = parse("on:2024-03-31").root
    assert isinstance(day, DateFilter)
    start, end = date_bounds("on", day.spec, now, PARIS)
    assert start == datetime(2024, 3, 31, tzinfo=PARIS).timestamp()
    assert end is not None
    assert start is not None
    assert end - start == 23 * 3600
    month = parse("after:2024-01").root
    assert isinstance(month, DateFilter)
    assert date_bounds("after", month.spec, now, UTC) == (
        int(datetime(2024, 1, 1, tzinfo=UTC).timestamp()),
        None,
    )
    assert date_bounds("before", month.spec, now, UTC) == (
        None,
        int(datetime(2024, 1, 1, tzinfo=UTC).timestamp()),
    )


def test_relative_dates() -> None:
    now = datetime(2024, 3, 31, 18, 30, tzinfo=UTC)
    three_months = parse("after:1m").root
    assert isinstance(three_months, DateFilter)
    start, _ = date_bounds("after", three_months.spec, now.timestamp(), UTC)
    assert start == int(datetime(2024, 2, 29, 18, 30, tzinfo=UTC).timestamp())  # day clamped to February
    week = parse("after:1w").root
    assert isinstance(week, DateFilter)
    assert date_bounds("after", week.spec, now.timestamp(), UTC)[0] == int(now.timestamp()) - 7 * 86400
    yesterday = parse("on:hier").root
    assert isinstance(yesterday, DateFilter)
    assert date_bounds("on", yesterday.spec, now.timestamp(), UTC) == (
        int(datetime(2024, 3, 30, tzinfo=UTC).timestamp()),
        int(datetime(2024, 3, 31, tzinfo=UTC).timestamp()),
    )
