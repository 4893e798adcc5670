"""The one set of field rules every parser road shares: raw strings in, a clean :class:`ParsedEntry` out.

The lxml fast path, the feedparser road and the JSON Feed reader only *find* the raw values (which element
holds the author, which the body); what a value means (a date, a name, HTML or text, a link relative to
what) is decided here, once, so two roads that found the same raw values cannot disagree.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from functools import cache
from html import escape
from pathlib import Path
from urllib.parse import parse_qs, quote, urljoin, urlsplit

from gazette_tui.models import Enclosure, ParsedEntry
from gazette_tui.text import clean_line, html_to_text, safe_url, sanitize_html

# Fields longer than this are cut before any regex sees them (feedparser's e-mail regex is quadratic).
MAX_SHORT_FIELD = 1024
# HTML characters kept per body: past this the reader would take seconds and hundreds of MB to lay out one
# article; nh3 closes whatever the cut left open.
MAX_BODY_CHARS = 1_000_000
_CUT_MARK = "<p>[…]</p>"
_RESERVED_MARKERS = ("réservé aux abonnés", "reserve aux abonnes", "article réservé")
# Dates outside 1970–2100 are typos or placeholders (0000-00-00, 9999-12-31): the item is undated.
_EARLIEST, _LATEST = 0, 4_102_444_800
MAX_ENCLOSURE_BYTES = 2**53
MAX_CATEGORIES = 32


# --- dates ---------------------------------------------------------------------------------------

# Zone names RFC 822 does not know but feeds use (hours east of UTC). The ambiguous ones (IST, CST for
# China) keep RFC 822's meaning or are left out.
_ZONES = {
    "UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 1, "BST": 1, "CET": 1, "MET": 1, "MEZ": 1,
    "CEST": 2, "MEST": 2, "MESZ": 2, "CETDST": 2, "EET": 2, "EEST": 3, "MSK": 3, "JST": 9, "KST": 9,
    "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13, "HST": -10, "AKST": -9, "AKDT": -8, "PST": -8,
    "PDT": -7, "MST": -7, "MDT": -6, "CST": -6, "CDT": -5, "EST": -5, "EDT": -4, "AST": -4, "ADT": -3,
}  # fmt: skip
_ZONE_AT_END = re.compile(r"\s*\(?\b([A-Z]{1,6})\)?$")
# "GMT+0200", "UTC+02:00", "GMT+2", "+02:00", "+0200", "-5"
_OFFSET_AT_END = re.compile(r"\s*(?:\b(?:GMT|UTC|UT)\s*)?([+-])(\d{1,2})(?::?(\d{2}))?$")
_NUMERIC_DATE = re.compile(
    r"^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$"
)
_ZERO_DATE = re.compile(r"^[0\s:/.TZ+-]*$")


def _offset(value: str) -> tuple[str, timezone | None]:
    """Split a trailing zone (name or numeric offset) off ``value``; None when there is none."""
    match = _OFFSET_AT_END.search(value)
    if match and match.start() > 0:
        hours, minutes = int(match.group(2)), int(match.group(3) or 0)
        if hours > 14 or minutes > 59:
            raise ValueError("impossible offset")
        delta = timedelta(hours=hours, minutes=minutes)
        return value[: match.start()].rstrip(), timezone(-delta if match.group(1) == "-" else delta)
    match = _ZONE_AT_END.search(value)
    if match and match.group(1).upper() in _ZONES:
        return value[: match.start()].rstrip(), timezone(timedelta(hours=_ZONES[match.group(1).upper()]))
    return value, None


def _numeric(value: str) -> datetime | None:
    """``2020/1/10 14:33:00``, ``10/01/2020``, ``10.01.2020 14:33``: year first, or day first (the
    French and European order) unless the first number cannot be a day-of-month read that way."""
    match = _NUMERIC_DATE.match(value)
    if not match:
        return None
    a, b, c = (int(match.group(i)) for i in (1, 2, 3))
    if len(match.group(1)) == 4:
        year, month, day = a, b, c
    elif len(match.group(3)) == 4:
        year, day, month = c, a, b
        if month > 12 and day <= 12:  # 12/31/2020: only the US order makes sense
            day, month = month, day
    else:
        return None
    hour, minute, second = (int(match.group(i) or 0) for i in (4, 5, 6))
    return datetime(year, month, day, hour, minute, second)


# The form nearly every RSS feed writes, read without the stdlib's general parser (a tenth of its time).
_RFC822 = re.compile(
    r"^(?:[A-Za-z]{3},\s*)?(\d{1,2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2})(?::(\d{2}))?"
    r" (?:([+-])(\d{2})(\d{2})|GMT|UT|UTC|Z)$"
)
_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}


def _common_rfc822(value: str) -> int | bool | None:
    """Seconds for the common RFC 822 form; False when ``value`` is not in that form; None when it is but
    names an impossible date."""
    match = _RFC822.match(value)
    if match is None:
        return False
    month = _MONTHS.get(match.group(2).lower())
    if month is None:
        return False
    day, year, hour, minute = (
        int(match.group(1)),
        int(match.group(3)),
        int(match.group(4)),
        int(match.group(5)),
    )
    second = int(match.group(6) or 0)
    offset = 0
    if match.group(7):
        hours, minutes = int(match.group(8)), int(match.group(9))
        if hours > 14 or minutes > 59:
            return None
        offset = (hours * 3600 + minutes * 60) * (-1 if match.group(7) == "-" else 1)
    try:
        moment = datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError:
        return None
    return int(moment.timestamp()) - offset


_MERIDIEM = re.compile(r"\s*\b([AaPp])\.?[Mm]\.?(?=\s|$)")


def _parse_datetime(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        pass
    meridiem = _MERIDIEM.search(value)
    if meridiem:
        value = value[: meridiem.start()] + value[meridiem.end() :]
    # The zone first: the stdlib reads a name it does not know (MET, CEST, "GMT+0200") as UTC, silently.
    rest, zone = _offset(value)
    parsed: datetime | None = None
    for candidate in (rest, rest.replace(",", " ")):
        parsed = _numeric(candidate)
        if parsed is None:
            try:
                parsed = datetime.fromisoformat(candidate)
            except ValueError:
                try:
                    parsed = parsedate_to_datetime(f"{candidate} +0000" if zone else candidate)
                except (TypeError, ValueError, IndexError):
                    parsed = None
        if parsed is not None:
            break
    if parsed is None:
        return None
    if meridiem and parsed.hour <= 12:
        afternoon = meridiem.group(1) in "Pp"
        parsed = parsed.replace(hour=parsed.hour % 12 + (12 if afternoon else 0))
    return parsed.replace(tzinfo=zone) if zone else parsed


def to_timestamp(value: str | None) -> int | None:
    """Seconds since the epoch (UTC) from RFC 822, ISO 8601 and the usual odd forms; None (undated) for
    anything else, a zero date, an impossible one or one outside 1970–2100. Never raises."""
    if not value:
        return None
    value = " ".join(value.split())[:100]
    if _ZERO_DATE.match(value):
        return None
    common = _common_rfc822(value)
    if common is not False:
        stamp: int | None = common
        return stamp if stamp is not None and _EARLIEST < stamp < _LATEST else None
    try:
        parsed = _parse_datetime(value)
        if parsed is None:
            from feedparser.datetimes import _parse_date as feedparser_date  # rare forms: import late

            struct = feedparser_date(value)
            stamp = calendar.timegm(struct) if struct else None
        else:
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=UTC)
            stamp = int(parsed.timestamp())
    except Exception:  # garbage dates raise all sorts of things in the stdlib and feedparser alike
        return None
    if stamp is None or not _EARLIEST < stamp < _LATEST:
        return None
    return stamp


# --- authors, titles, links ----------------------------------------------------------------------

_EMAIL = r"[^\s@<>()]+@[^\s@<>()]+"
_MAIL_THEN_NAME = re.compile(rf"^(?:mailto:)?{_EMAIL}\s*\((.+)\)$")
_NAME_THEN_MAIL = re.compile(rf"^(.+?)\s*[<(]\s*(?:mailto:)?{_EMAIL}\s*[>)]$")


def author_name(value: str | None) -> str:
    """``jane@x.org (Jane Doe)`` and ``Jane Doe <jane@x.org>`` are Jane Doe; a bare address stays."""
    value = clean_line((value or "")[:MAX_SHORT_FIELD])
    if "@" in value:
        match = _MAIL_THEN_NAME.match(value) or _NAME_THEN_MAIL.match(value)
        if match:
            name = match.group(1).strip(" \"'")
            if name:
                return name
    return value


# Known HTML elements, opening or closing: "Using Vector<int>" is text, "<b>x</b>" is HTML.
_HTML_NAMES = (
    "a|abbr|acronym|b|big|blockquote|br|cite|code|del|div|em|font|h[1-6]|hr|i|img|ins|kbd|mark|p|q|s|"
    "small|span|strike|strong|sub|sup|tt|u|wbr"
)
_LOOKS_HTML = re.compile(rf"</?(?:{_HTML_NAMES})\b[^<>]*>|&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);", re.I)


_INLINE_TAG = re.compile(
    r"</?(?:a|abbr|b|bdi|big|cite|code|del|dfn|em|font|i|ins|kbd|mark|q|s|samp|small|span|strike|strong|sub|"
    r"sup|tt|u|var)\b[^<>]*>",
    re.IGNORECASE,
)


def title_text(value: str | None, kind: str = "guess") -> str:
    """A title as one clean line. ``kind`` is "text" (an Atom ``type="text"``: kept as is), "html", or
    "guess" (RSS, JSON: HTML only when it holds a known tag or an entity, so ``Vector<int>`` keeps its
    ``<int>``). Entities are decoded exactly once in every case."""
    value = (value or "")[:4096]
    if kind == "html" or (kind == "guess" and _LOOKS_HTML.search(value)):
        # Inline tags go without a trace ("<em>Conseil d’État</em>, 12 avril" keeps its comma in place);
        # html_to_text turns the others into spaces.
        return html_to_text(_INLINE_TAG.sub("", value))
    return clean_line(value)


def text_as_html(value: str) -> str:
    """Plain text (JSON ``content_text``, Atom ``type="text"``, ``itunes:summary``) as HTML paragraphs."""
    if not value.strip():
        return ""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", value) if p.strip()]
    return "".join("<p>" + escape(p, quote=False).replace("\n", "<br>") + "</p>" for p in paragraphs)


def absolute_url(value: str | None, base: str) -> str | None:
    """A link resolved against ``base`` (xml:base, else the feed's own URL), spaces percent-encoded; None
    unless the result is http(s)."""
    value = (value or "").strip()
    if not value:
        return None
    if any(c in value for c in ' "<>'):
        value = quote(value, safe="%/:=&?~#+!$,;'@()*[]")
    try:
        joined = urljoin(base, value) if base else value
    except ValueError:
        return None
    return safe_url(joined)


_ATTR_URL = re.compile(r'(\s(?:href|src)=")([^"]*)(")')


_ABSOLUTE = ("http://", "https://", "mailto:", "#")


def _has_relative(fragment: str) -> bool:
    # str.find from attribute to attribute: a body has a few links, and a regex scan of every body cost
    # ~8 % of the parse of a typical feed.
    for attribute in (' href="', ' src="'):
        start = fragment.find(attribute)
        while start != -1:
            start += len(attribute)
            if not fragment.startswith(_ABSOLUTE, start):
                return True
            start = fragment.find(attribute, start)
    return False


def _resolve_links(fragment: str, base: str) -> str:
    """Relative ``href``/``src`` in sanitised HTML (nh3 writes every attribute as ` name="…"`) made
    absolute."""
    if not base or not _has_relative(fragment):
        return fragment

    def one(match: re.Match[str]) -> str:
        target = match.group(2)
        if not target or target.startswith(("http://", "https://", "mailto:", "#")):
            return match.group(0)
        resolved = absolute_url(target.replace("&amp;", "&"), base)
        if resolved is None:
            return match.group(1) + match.group(3)
        return match.group(1) + escape(resolved) + match.group(3)

    return _ATTR_URL.sub(one, fragment)


# XHTML habits in HTML bodies: ``<iframe src="…"/>`` is an open iframe to an HTML parser, which then
# swallows the rest of the article as its fallback text (and shows it as stray tags).
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_SELF_CLOSING = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)(\s[^<>]*?)?\s*/>")


def _expand_self_closing(match: re.Match[str]) -> str:
    name = match.group(1)
    if name.lower() in _VOID:
        return match.group(0)
    return f"<{name}{match.group(2) or ''}></{name}>"


def _body(fragment: str, base: str) -> str:
    if len(fragment) > MAX_BODY_CHARS:
        fragment = fragment[:MAX_BODY_CHARS] + _CUT_MARK
    if "/>" in fragment:
        fragment = _SELF_CLOSING.sub(_expand_self_closing, fragment)
    return _resolve_links(sanitize_html(fragment), base)


def _reserved(url: str, *texts: str) -> bool:
    try:
        if parse_qs(urlsplit(url).query).get("abo") == ["1"]:
            return True
    except ValueError:
        pass
    lowered = [text.lower() for text in texts]
    return any(marker in text for text in lowered for marker in _RESERVED_MARKERS)


def enclosure_length(value: object) -> int:
    """A declared size in bytes; 0 (unknown) for anything that is not a plain decimal in range."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return value if 0 < value < MAX_ENCLOSURE_BYTES else 0
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 16:
        return 0  # "²" is a digit to str.isdigit but not a number
    number = int(text)
    return number if number < MAX_ENCLOSURE_BYTES else 0


MAX_DURATION = 10_000 * 3600
"""Seconds: past ten thousand hours a duration is a typo, not an episode."""
_CLOCK = re.compile(r"^(?:(\d{1,5}):)?(?:(\d{1,2}):)?(\d{1,9})(?:\.\d{1,9})?$", re.ASCII)


def enclosure_duration(value: object) -> int:
    """Seconds of an episode, from a number (JSON Feed, ``media:content duration``) or iTunes' text:
    "3605", "60:05", "1:00:05" (a fraction is dropped). 0 (unknown) for anything else: a negative or
    non-finite number, minutes or seconds past 59 after the first part, "²", words."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, int | float):
        seconds = int(value) if value == value and abs(value) != float("inf") else 0
        return seconds if 0 < seconds <= MAX_DURATION else 0
    match = _CLOCK.match(str(value or "").strip())
    if match is None:
        return 0
    first, middle, last = match.groups()
    parts = [int(part) for part in (first, middle, last) if part is not None]
    if any(part > 59 for part in parts[1:]):
        return 0
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds if 0 < seconds <= MAX_DURATION else 0


@dataclass(slots=True)
class RawEnclosure:
    url: str
    type: str = ""
    length: object = None
    duration: object = None


def _enclosures(raw: Iterable[RawEnclosure], base: str, item_duration: object = None) -> list[Enclosure]:
    """One per URL, resolved and checked, in document order. An item's own duration (``itunes:duration``)
    is its episode's: the first enclosure's, unless that one says its own."""
    kept: dict[str, Enclosure] = {}
    for item in raw:
        url = absolute_url(item.url, base)
        if url is None:
            continue
        length = enclosure_length(item.length)
        duration = enclosure_duration(item.duration)
        found = kept.get(url)
        if found is None:
            kept[url] = Enclosure(url, clean_line(item.type[:200]), length, duration)
        else:  # the same file twice (enclosure + media:content): keep what either says
            found.type = found.type or clean_line(item.type[:200])
            found.length = found.length or length
            found.duration = found.duration or duration
    found_all = list(kept.values())
    if found_all and not found_all[0].duration:
        found_all[0].duration = enclosure_duration(item_duration)
    return found_all


# --- items the cache already holds -----------------------------------------------------------------

# The raw digests of the items the cache holds for the feed being parsed (set by :func:`skipping_known`).
_KNOWN: ContextVar[frozenset[int]] = ContextVar("known_items", default=frozenset())
# The code and libraries whose rules turn raw values into an entry: a change to any makes every digest new.
_RULE_SOURCES = ("core/feeds/entries.py", "core/feeds/fastpath.py", "core/feeds/feedparser_road.py",
                 "core/feeds/jsonfeed.py", "core/feeds/parse.py", "text.py", "models.py")  # fmt: skip
_RULE_LIBRARIES = ("nh3", "lxml", "feedparser")


@cache
def rules_digest() -> bytes:
    """What the rules are today: this package's version and the source of its parsing and cleaning
    modules, and the versions of the libraries they use."""
    from importlib import metadata

    from gazette_tui import __version__

    digest = hashlib.sha1(__version__.encode(), usedforsecurity=False)
    package = Path(__file__).resolve().parents[2]
    for name in _RULE_SOURCES:
        try:
            digest.update((package / name).read_bytes())
        except OSError:
            digest.update(b"?" + name.encode())
    for library in _RULE_LIBRARIES:
        try:
            digest.update(metadata.version(library).encode())
        except metadata.PackageNotFoundError:
            digest.update(b"?" + library.encode())
    return digest.digest()


def raw_digest(*parts: object) -> int:
    """64 bits (signed, as SQLite stores them) of a digest of ``parts`` and of :func:`rules_digest`. Each
    part is length-prefixed, so that no two different lists of values give the same bytes."""
    digest = hashlib.sha1(rules_digest(), usedforsecurity=False)
    for part in parts:
        data = str(part).encode("utf-8", "surrogatepass")
        digest.update(b"%d:" % len(data))
        digest.update(data)
    return int.from_bytes(digest.digest()[:8], "big", signed=True)


@contextmanager
def skipping_known(known: frozenset[int]) -> Iterator[None]:
    """While parsing one document: an item whose raw digest is in ``known`` gets only its identity (see
    :attr:`ParsedEntry.known`); sanitising, the plain text and compressing, the costly part, are skipped,
    since the cache holds what they would give."""
    token = _KNOWN.set(known)
    try:
        yield
    finally:
        _KNOWN.reset(token)


def build_entry(
    *,
    guid: str,
    link: str,
    title: str,
    author: str,
    published: int | None,
    updated: int | None,
    categories: Iterable[str],
    summary: str,
    content: str,
    enclosures: Iterable[Enclosure | RawEnclosure] = (),
    base_url: str = "",
    title_kind: str = "guess",
    guid_is_link: bool = False,
    external_url: str = "",
    feed_author: str = "",
    duration: object = None,
) -> ParsedEntry:
    """Apply the one set of rules (cleaning, sanitising, links, identity, La Gazette's shape) to raw
    fields. ``summary`` and ``content`` are HTML (text has gone through :func:`text_as_html`).
    ``feed_author`` signs the item when its own author is missing or cleans to nothing (blank, controls).
    ``duration`` is the item's own (``itunes:duration``), its first enclosure's length in time."""
    categories, enclosures = list(categories), list(enclosures)
    raw_hash = raw_digest(
        guid, link, title, author, published, updated, len(categories), *categories, summary, content,
        len(enclosures), *(f"{e.url}\x00{e.type}\x00{e.length!r}\x00{e.duration!r}" for e in enclosures),
        base_url, title_kind, guid_is_link, external_url, feed_author, duration,
    )  # fmt: skip
    url = absolute_url(link, base_url)
    guid = clean_line(guid[:2048])
    if url is None and guid and (guid_is_link or guid.startswith(("http://", "https://"))):
        url = absolute_url(guid, base_url)
    if (guid or url) and raw_hash in _KNOWN.get():
        return ParsedEntry(
            key=guid or (url or ""),
            url=url or "",
            title=title_text(title, title_kind),
            kicker="",
            author="",
            published=published if published is not None else updated,
            updated=updated,
            categories=[],
            summary_html="",
            content_html="",
            text="",
            reserved=False,
            raw_hash=raw_hash,
            known=True,
        )
    cats = list(dict.fromkeys(c for c in (clean_line(c[:200]) for c in categories) if c))[:MAX_CATEGORIES]
    summary_html = _body(summary, base_url)
    content_html = _body(content, base_url)
    text = html_to_text(content_html or summary_html)
    shown_title = title_text(title, title_kind)
    digest = hashlib.sha1(
        f"{shown_title}\x00{text}".encode("utf-8", "surrogatepass"), usedforsecurity=False
    ).hexdigest()
    key = guid or (url or "") or f"sha1:{digest}"
    raw = [
        e if isinstance(e, RawEnclosure) else RawEnclosure(e.url, e.type, e.length, e.duration or None)
        for e in enclosures
    ]
    return ParsedEntry(
        key=key,
        url=url or "",
        title=shown_title,
        kicker=cats[0] if cats else "",
        author=author_name(author) or author_name(feed_author),
        published=published if published is not None else updated,
        updated=updated,
        categories=cats,
        summary_html=summary_html,
        content_html=content_html if content_html != summary_html else "",
        text=text,
        reserved=_reserved(url or "", summary_html[:4000], shown_title),
        enclosures=_enclosures(raw, base_url, duration),
        content_hash=digest,
        external_url=absolute_url(external_url, base_url) or "",
        raw_hash=raw_hash,
    )


def finish_entries(entries: Sequence[ParsedEntry]) -> list[ParsedEntry]:
    """Identity across one document, the same on every road. A key (guid, else link) shared by items that
    differ in link, title or date is made distinct with a hash of those; items alike in all of them are one
    item listed twice, and the first is kept."""
    counts = Counter(entry.key for entry in entries)
    if all(count == 1 for count in counts.values()):
        return list(entries)

    def identity(entry: ParsedEntry) -> tuple[str, str, int | None]:
        return (entry.url, entry.title, entry.published)

    variants: dict[str, set[tuple[str, str, int | None]]] = {}
    for entry in entries:
        if counts[entry.key] > 1:
            variants.setdefault(entry.key, set()).add(identity(entry))
    result: list[ParsedEntry] = []
    seen: set[tuple[str, tuple[str, str, int | None]]] = set()
    for entry in entries:
        if counts[entry.key] > 1:
            mark = identity(entry)
            if (entry.key, mark) in seen:
                continue
            seen.add((entry.key, mark))
            if len(variants[entry.key]) > 1:
                token = "\x00".join(str(part) for part in mark).encode("utf-8", "surrogatepass")
                entry.key = f"{entry.key}#{hashlib.sha1(token, usedforsecurity=False).hexdigest()[:12]}"
        result.append(entry)
    return result
