"""The search query language: text → tokens → syntax tree, with French error messages and positions.

This module is pure (no database): :func:`parse` turns what the user typed into a :class:`Query`, and
:func:`fts_match` turns the text part of a tree into an FTS5 ``MATCH`` string. Every user term is quoted
there, so nothing the user types can ever be FTS5 syntax; an invalid query stops here as a
:class:`~gazette_tui.errors.QueryError`, never later as an SQLite error. ``core/search.py`` resolves the
filters against the database and runs the query. The language is described in ``docs/QUERY.md``.

Grammar (implicit AND binds loosest, as in web search engines: ``budget commune OR département`` is
``budget AND (commune OR département)``)::

    query    := and_expr EOF
    and_expr := or_expr ( ["AND"] or_expr )*
    or_expr  := unary ( "OR" unary )*
    unary    := ("-" | "NOT") unary | primary
    primary  := "(" and_expr ")" | PHRASE ["*"] | WORD ["*"] | FIELD ":" (WORD | PHRASE)
"""

from __future__ import annotations

import calendar
import re
import time
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Literal

from gazette_tui.errors import QueryError

MAX_QUERY_LENGTH = 500
MAX_TERMS = 64
MAX_DEPTH = 16
MIN_PREFIX = 2

Sort = Literal["date", "relevance"]

# The FTS table's columns a field term may be limited to.
Column = Literal["author", "categories"]


# --- syntax tree --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Term:
    """Words to find: one word, or a phrase (words in this order). ``column`` limits it to one FTS column."""

    text: str
    position: int
    prefix: bool = False
    phrase: bool = False
    column: Column | None = None


@dataclass(frozen=True, slots=True)
class NameFilter:
    """A filter on a small named set resolved in Python: ``feed``, ``rubrique`` or ``in`` (a dossier)."""

    field: Literal["feed", "rubrique", "in"]
    value: str
    position: int


@dataclass(frozen=True, slots=True)
class StateFilter:
    field: Literal["unread", "read", "starred", "reserved"]
    position: int


@dataclass(frozen=True, slots=True)
class DateSpec:
    """A day, month or year (``unit`` d/m/y with ``year``…) or a time before ``now`` (``amount`` of
    h/d/w/m/y). Relative dates are resolved at search time so a saved alerte keeps meaning "7 last days"."""

    relative: bool
    unit: Literal["h", "d", "w", "m", "y"]
    amount: int = 0
    year: int = 0
    month: int = 1
    day: int = 1


@dataclass(frozen=True, slots=True)
class DateFilter:
    field: Literal["after", "before", "on"]
    spec: DateSpec
    position: int


@dataclass(frozen=True, slots=True)
class Not:
    child: Node


@dataclass(frozen=True, slots=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple[Node, ...]


Node = Term | NameFilter | StateFilter | DateFilter | Not | And | Or


@dataclass(frozen=True, slots=True)
class Query:
    text: str
    root: Node | None
    """None for an empty query (no result) or a query with only ``sort:`` (every article)."""
    sort_option: Sort | None = None

    @property
    def empty(self) -> bool:
        return self.root is None and self.sort_option is None

    @property
    def has_words(self) -> bool:
        """True when some word or phrase must be found (not excluded): then relevance is the default sort."""
        return bool(positive_terms(self.root))

    @property
    def sort(self) -> Sort:
        return self.sort_option or ("relevance" if self.has_words else "date")


# --- helpers ------------------------------------------------------------------------------------------------

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a name, punctuation as single spaces: "Club Finances – RH" and
    "club-finances rh" fold alike. For the small sets (feeds, rubriques, dossiers) matched in Python."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return _NON_ALNUM.sub(" ", bare).strip()


def has_token_chars(text: str) -> bool:
    """Whether SQLite's unicode61 tokenizer finds a token in ``text`` (letters, digits, private use)."""
    return any(_is_token_char(ch) for ch in text)


def _is_token_char(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category[0] in "LN" or category == "Co"


def _last_token_length(text: str) -> int:
    """Length of the last word the tokenizer sees in ``text``: the one a trailing ``*`` extends."""
    length = 0
    for ch in reversed(text):
        if _is_token_char(ch):
            length += 1
        elif length:
            break
    return length


def fts_quote(text: str) -> str:
    """An FTS5 string: the tokenizer splits it into words, and it can never be an operator."""
    return '"' + text.replace('"', '""') + '"'


def fts_term(term: Term) -> str:
    quoted = fts_quote(term.text) + ("*" if term.prefix else "")
    return f"{term.column} : {quoted}" if term.column else quoted


def positive_terms(node: Node | None) -> list[Term]:
    """Words the results contain (not under a NOT), for highlighting and the default sort."""
    if node is None:
        return []
    if isinstance(node, Term):
        return [node]
    if isinstance(node, And | Or):
        return [term for child in node.children for term in positive_terms(child)]
    return []


def fts_match(node: Node) -> str | None:
    """The FTS5 MATCH string for ``node``, or None when FTS5 alone cannot express it (a filter on
    another table, a NOT without a positive term beside it, an OR with a NOT inside)."""
    if isinstance(node, Term):
        return fts_term(node)
    if isinstance(node, Or):
        parts = [None if isinstance(c, Not) else fts_match(c) for c in node.children]
        if any(p is None for p in parts):
            return None
        return "(" + " OR ".join(p for p in parts if p) + ")"
    if isinstance(node, And):
        positive: list[str] = []
        negative: list[str] = []
        for child in node.children:
            target = negative if isinstance(child, Not) else positive
            expression = fts_match(child.child if isinstance(child, Not) else child)
            if expression is None:
                return None
            target.append(expression)
        if not positive:
            return None
        match = "(" + " AND ".join(positive) + ")"
        return f"({match} NOT ({' OR '.join(negative)}))" if negative else match
    return None


# --- tokens -------------------------------------------------------------------------------------------------

_FIELDS: dict[str, str] = {
    "feed": "feed", "flux": "feed",
    "rubrique": "rubrique", "rubric": "rubrique", "section": "rubrique",
    "tag": "tag", "categorie": "tag", "category": "tag",
    "author": "author", "auteur": "author", "par": "author",
    "in": "in", "dans": "in", "dossier": "in",
    "is": "is", "est": "is",
    "after": "after", "apres": "after", "depuis": "after", "since": "after",
    "before": "before", "avant": "before",
    "on": "on", "le": "on", "date": "on",
    "sort": "sort", "tri": "sort",
}  # fmt: skip
_STATES: dict[str, Literal["unread", "read", "starred", "reserved"]] = {
    "unread": "unread", "nonlu": "unread", "non lu": "unread", "nonlus": "unread", "non lus": "unread",
    "read": "read", "lu": "read", "lus": "read",
    "starred": "starred", "star": "starred", "favori": "starred", "favoris": "starred",
    "reserved": "reserved", "reserve": "reserved", "reserves": "reserved", "abonnes": "reserved",
}  # fmt: skip
_SORTS: dict[str, Sort] = {
    "date": "date", "recent": "date", "new": "date",
    "relevance": "relevance", "pertinence": "relevance", "rank": "relevance",
}  # fmt: skip
_KEYWORDS: dict[str, Literal["or", "and", "not"]] = {
    "OR": "or",
    "OU": "or",
    "AND": "and",
    "ET": "and",
    "NOT": "not",
}
_FIELD_WORD = re.compile(r"([^\W\d_]+):", re.UNICODE)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class _Token:
    kind: Literal["word", "phrase", "field", "lparen", "rparen", "or", "and", "not", "eof"]
    position: int
    text: str = ""
    prefix: bool = False
    field: str = ""
    value_position: int = 0
    value_phrase: bool = False


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            tokens.append(_Token("lparen" if ch == "(" else "rparen", i))
            i += 1
        elif ch == '"':
            phrase, i = _phrase(text, i)
            prefix = i < n and text[i] == "*"
            tokens.append(_Token("phrase", phrase[1], text=phrase[0], prefix=prefix))
            i += prefix
        elif ch == "-":
            if i + 1 >= n or text[i + 1].isspace() or text[i + 1] == ")":
                raise QueryError("query.minus_detached", i)
            tokens.append(_Token("not", i))
            i += 1
        else:
            start = i
            while i < n and not text[i].isspace() and text[i] not in '()"':
                i += 1
            word = text[start:i]
            field = _FIELD_WORD.match(word)
            if field:
                token, i = _field_token(text, start, field.group(1), word, i)
                tokens.append(token)
            elif word in _KEYWORDS:
                tokens.append(_Token(_KEYWORDS[word], start, text=word))
            else:
                prefix = word.endswith("*")
                core = word.rstrip("*")
                if prefix and not has_token_chars(core):
                    raise QueryError("query.star_alone", start)
                tokens.append(_Token("word", start, text=core, prefix=prefix))
    tokens.append(_Token("eof", n))
    return tokens


def _phrase(text: str, start: int) -> tuple[tuple[str, int], int]:
    """The text between the quote at ``start`` and the next one, and the index after the closing quote."""
    end = text.find('"', start + 1)
    if end < 0:
        raise QueryError("query.unclosed_quote", start)
    return (text[start + 1 : end], start), end + 1


def _field_token(text: str, start: int, name: str, word: str, end: int) -> tuple[_Token, int]:
    field = _FIELDS.get(fold(name))
    if field is None:
        known = "feed:, rubrique:, tag:, author:, in:, is:, after:, before:, on:, sort:"
        raise QueryError("query.unknown_filter", start, name=name, known=known)
    value = word[len(name) + 1 :]
    if not value and end < len(text) and text[end] == '"':
        (phrase, _), after = _phrase(text, end)
        prefix = after < len(text) and text[after] == "*"
        token = _Token(
            "field", start, text=phrase, field=field, value_position=end + 1, value_phrase=True, prefix=prefix
        )
        return token, after + prefix
    if not value:
        raise QueryError("query.filter_needs_value", start, name=name, example=_EXAMPLES[field])
    prefix = value.endswith("*")
    token = _Token(
        "field",
        start,
        text=value.rstrip("*"),
        field=field,
        value_position=start + len(name) + 1,
        prefix=prefix,
    )
    return token, end


_EXAMPLES = {
    "feed": '"Club Finances"',
    "rubrique": "urbanisme",
    "tag": "finances",
    "author": "dupont",
    "in": "budget",
    "is": "unread",
    "after": "2024-01-31",
    "before": "2024-01-31",
    "on": "2024-01-31",
    "sort": "date",
}


# --- dates --------------------------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_FR_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_RELATIVE = re.compile(r"(\d{1,6})([a-z]+)")
_UNITS: dict[str, Literal["h", "d", "w", "m", "y"]] = {
    "h": "h", "d": "d", "j": "d", "w": "w", "s": "w", "m": "m", "y": "y", "a": "y",
}  # fmt: skip
_UNIT_LIMITS = {"h": 24 * 366 * 100, "d": 366 * 100, "w": 53 * 100, "m": 12 * 100, "y": 100, "D": 366 * 100}
_NAMED_DAYS = {"today": 0, "aujourd hui": 0, "aujourdhui": 0, "yesterday": 1, "hier": 1}


def parse_date(value: str, position: int) -> DateSpec:
    """``2024-01-31``, ``2024-01``, ``2024``, ``31/01/2024``, ``7d``/``7j``, ``2w``/``2s``, ``3m``,
    ``1y``/``1a``, ``12h``, ``today``/``aujourd'hui``, ``yesterday``/``hier``."""
    folded = fold(value)
    if folded in _NAMED_DAYS:
        return DateSpec(relative=True, unit="d", amount=_NAMED_DAYS[folded], day=0)
    relative = _RELATIVE.fullmatch(value.lower())
    if relative:
        relative_unit = _UNITS.get(relative.group(2))
        if relative_unit is None:
            raise QueryError("query.unknown_unit", position, value=value)
        amount = int(relative.group(1))
        if amount > _UNIT_LIMITS[relative_unit]:
            raise QueryError("query.duration_too_long", position, value=value)
        return DateSpec(relative=True, unit=relative_unit, amount=amount)
    iso = _ISO_DATE.fullmatch(value)
    french = _FR_DATE.fullmatch(value)
    if iso:
        year, month, day = int(iso.group(1)), iso.group(2), iso.group(3)
        unit: Literal["d", "m", "y"] = "d" if day else "m" if month else "y"
        spec = DateSpec(False, unit, year=year, month=int(month or 1), day=int(day or 1))
    elif french:
        spec = DateSpec(
            False, "d", year=int(french.group(3)), month=int(french.group(2)), day=int(french.group(1))
        )
    else:
        raise QueryError("query.unreadable_date", position, value=value)
    if not 1900 <= spec.year <= 2999:
        raise QueryError("query.year_out_of_range", position, value=value)
    if not 1 <= spec.month <= 12:
        raise QueryError("query.bad_month", position, value=value)
    if not 1 <= spec.day <= calendar.monthrange(spec.year, spec.month)[1]:
        raise QueryError("query.bad_day", position, value=value)
    return spec


def _timestamp(
    year: int, month: int, day: int, tz: tzinfo | None, clock: tuple[int, int, int] = (0, 0, 0)
) -> int:
    if tz is None:  # the system's zone, daylight saving included
        return int(time.mktime((year, month, day, *clock, 0, 0, -1)))
    return int(datetime(year, month, day, *clock, tzinfo=tz).timestamp())


def _months_before(moment: datetime, months: int) -> tuple[int, int, int]:
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return year, month, min(moment.day, calendar.monthrange(year, month)[1])


def date_bounds(
    field: Literal["after", "before", "on"], spec: DateSpec, now: float, tz: tzinfo | None
) -> tuple[int | None, int | None]:
    """``(lowest, end)`` Unix seconds for ``lowest <= published < end`` (None: unbounded).

    A calendar date is its day, month or year in ``tz`` (None: the system's zone, daylight saving included).
    ``after:`` includes the date, ``before:`` excludes it, ``on:`` is the whole period. A duration (``7d``)
    is that long before ``now``, to the second; ``on:7d`` is the calendar day it falls in."""
    local = datetime.fromtimestamp(now, tz) if tz is not None else datetime.fromtimestamp(now)
    if not spec.relative:
        start = _timestamp(spec.year, spec.month, spec.day, tz)
        if spec.unit == "y":
            end = _timestamp(spec.year + 1, 1, 1, tz)
        elif spec.unit == "m":
            year, month = (spec.year + 1, 1) if spec.month == 12 else (spec.year, spec.month + 1)
            end = _timestamp(year, month, 1, tz)
        else:
            following = date(spec.year, spec.month, spec.day) + timedelta(days=1)
            end = _timestamp(following.year, following.month, following.day, tz)
    else:
        if spec.day == 0:  # today / yesterday: from the start of that calendar day
            day = local.date() - timedelta(days=spec.amount)
            start = _timestamp(day.year, day.month, day.day, tz)
        elif spec.unit in ("m", "y"):
            year, month, day_of_month = _months_before(local, spec.amount * (12 if spec.unit == "y" else 1))
            start = _timestamp(year, month, day_of_month, tz, (local.hour, local.minute, local.second))
        else:
            start = int(now) - spec.amount * {"h": 3600, "d": 86400, "w": 7 * 86400}[spec.unit]
        day = datetime.fromtimestamp(start, tz).date() if tz is not None else date.fromtimestamp(start)
        following = day + timedelta(days=1)
        end = _timestamp(following.year, following.month, following.day, tz)
        if field == "on":
            start = _timestamp(day.year, day.month, day.day, tz)
    if field == "after":
        return start, None
    if field == "before":
        return None, start
    return start, end


# --- parser -------------------------------------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str, tokens: list[_Token]) -> None:
        self.text = text
        self.tokens = tokens
        self.index = 0
        self.depth = 0
        self.sort: Sort | None = None
        self.terms = 0

    @property
    def token(self) -> _Token:
        return self.tokens[self.index]

    def at(self, *kinds: str) -> bool:
        return self.tokens[self.index].kind in kinds

    def advance(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def parse(self) -> Node | None:
        children = self.and_expr(top=True)
        if self.at("rparen"):
            raise QueryError("query.stray_close", self.token.position)
        return _simplify(And(tuple(children))) if children else None

    def and_expr(self, *, top: bool = False) -> list[Node]:
        children: list[Node] = []
        while not self.at("eof", "rparen"):
            if self.at("and"):
                keyword = self.advance()
                if not children or self.at("eof", "rparen", "or", "and"):
                    raise QueryError("query.keyword_needs_two", keyword.position, keyword=keyword.text)
                continue
            node = self.or_expr(top=top)
            if node is not None:
                children.append(node)
        return children

    def or_expr(self, *, top: bool) -> Node | None:
        if self.at("or"):
            raise QueryError("query.or_needs_two", self.token.position, keyword=self.token.text)
        first = self.token
        parts = [self.unary(top=top)]
        while self.at("or"):
            keyword = self.advance()
            if self.at("or"):
                raise QueryError(
                    "query.double_keyword", self.token.position, first=keyword.text, second=self.token.text
                )
            if self.at("eof", "rparen", "and"):
                raise QueryError("query.keyword_needs_term", keyword.position, keyword=keyword.text)
            parts.append(self.unary(top=False))
        if len(parts) > 1 and any(p is _SORT for p in parts):
            raise QueryError("query.sort_scope", first.position)
        kept = tuple(p for p in parts if p is not None and p is not _SORT)
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else Or(kept)

    def unary(self, *, top: bool) -> Node | None:
        if self.at("not"):
            sign = self.advance()
            if self.at("eof", "rparen", "or", "and"):
                raise QueryError("query.not_needs_term", sign.position)
            child = self.unary(top=False)
            if child is _SORT:
                raise QueryError("query.sort_scope", sign.position)
            if child is None:
                return None
            return child.child if isinstance(child, Not) else Not(child)
        return self.primary(top=top)

    def primary(self, *, top: bool) -> Node | None:
        token = self.advance()
        if token.kind == "lparen":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise QueryError("query.too_deep", token.position, max=MAX_DEPTH)
            children = self.and_expr()
            if not self.at("rparen"):
                raise QueryError("query.unclosed_paren", token.position)
            self.advance()
            self.depth -= 1
            if not children:
                return None
            return children[0] if len(children) == 1 else And(tuple(children))
        if token.kind == "rparen":
            raise QueryError("query.stray_close", token.position)
        if token.kind in ("word", "phrase"):
            if not has_token_chars(token.text):
                return None  # punctuation, emoji, "^", ":": nothing the index could find
            return self.term(Term(token.text, token.position, token.prefix, token.kind == "phrase"))
        assert token.kind == "field", token
        return self.field(token, top=top)

    def term(self, term: Term) -> Term:
        if term.prefix and _last_token_length(term.text) < MIN_PREFIX:
            raise QueryError("query.short_prefix", term.position, min=MIN_PREFIX)
        self.terms += 1
        if self.terms > MAX_TERMS:
            raise QueryError("query.too_many_terms", term.position, max=MAX_TERMS)
        return term

    def field(self, token: _Token, *, top: bool) -> Node | None:
        value, where = token.text.strip(), token.value_position
        if not value:
            raise QueryError("query.empty_value", token.position, field=token.field)
        if token.field in ("author", "tag"):
            if not has_token_chars(value):
                raise QueryError("query.no_words", where, field=token.field, value=value)
            column: Column = "author" if token.field == "author" else "categories"
            return self.term(Term(value, where, token.prefix, token.value_phrase or " " in value, column))
        if token.field in ("feed", "rubrique", "in"):
            if not fold(value):
                raise QueryError("query.no_words", where, field=token.field, value=value)
            return NameFilter(token.field, value, token.position)  # type: ignore[arg-type]
        if token.field == "is":
            state = _STATES.get(fold(value))
            if state is None:
                raise QueryError("query.unknown_state", where, value=value)
            return StateFilter(state, token.position)
        if token.field in ("after", "before", "on"):
            spec = parse_date(value, where)
            return DateFilter(token.field, spec, token.position)  # type: ignore[arg-type]
        assert token.field == "sort"
        sort = _SORTS.get(fold(value))
        if sort is None:
            raise QueryError("query.unknown_sort", where, value=value)
        if not top or self.depth:
            raise QueryError("query.sort_scope", token.position)
        self.sort = sort
        return _SORT


_SORT: Node = And(())  # a marker: sort: was here (removed from the tree)


def _simplify(node: Node) -> Node | None:
    if isinstance(node, And):
        kept = tuple(c for c in node.children if c is not _SORT)
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else And(kept)
    return node


def sanitize(text: str) -> str:
    """Control, bidi and zero-width characters (and lone surrogates) become spaces: positions stay right."""
    return _CONTROL.sub(" ", text)


def parse(text: str) -> Query:
    """Parse a query; raise :class:`QueryError` (a code, its 0-based position) when it is invalid."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError("query.too_long", MAX_QUERY_LENGTH, length=len(text), max=MAX_QUERY_LENGTH)
    clean = sanitize(text)
    parser = _Parser(clean, _tokens(clean))
    root = parser.parse()
    if root is None and parser.sort is None and clean.strip():
        raise QueryError("query.nothing", 0)
    return Query(text=text, root=root, sort_option=parser.sort)
