"""Bytes → :class:`ParsedFeed`: the checks every document passes, then one of three roads.

- :mod:`~gazette_tui.core.feeds.fastpath`: well-formed RSS 2.0 and Atom 1.0 made of elements it knows (La
  Gazette's and most news sites'), on lxml, several times quicker than feedparser, and never different
  from it: it declines anything else (``tests/test_differential.py`` proves it).
- :mod:`~gazette_tui.core.feeds.feedparser_road`: everything else (RDF, RSS 0.9x, podcasts, media, xml:base,
  broken XML), feedparser being the reference for tolerance.
- :mod:`~gazette_tui.core.feeds.jsonfeed`: JSON Feed 1.0/1.1.

All three find raw values only; what they mean is decided once in :mod:`~gazette_tui.core.feeds.entries`.
Runs in worker processes: everything here is pure and returns picklable data.
"""

from __future__ import annotations

import codecs
import re

from gazette_tui.core.feeds.entries import (
    MAX_BODY_CHARS,
    MAX_SHORT_FIELD,
    build_entry,
    skipping_known,
    to_timestamp,
)
from gazette_tui.core.feeds.fastpath import MAX_ENTRIES, fast_path
from gazette_tui.core.feeds.feedparser_road import MAX_LOOSE_MARKUP, parse_with_feedparser
from gazette_tui.core.feeds.jsonfeed import parse_json_feed
from gazette_tui.errors import FeedError
from gazette_tui.models import ParsedFeed

__all__ = [
    "MAX_BODY_CHARS",
    "MAX_ENTRIES",
    "MAX_LOOSE_MARKUP",
    "MAX_SHORT_FIELD",
    "build_entry",
    "parse_feed",
    "prepare",
    "repair_encoding",
    "to_timestamp",
]

# Every check below runs on the bytes the parsers will read, after :func:`prepare` re-encoded them as UTF-8
# (or left plain ASCII that every allowed label reads the same): a declaration cannot hide behind UTF-7's
# "+ADw-!ENTITY", unicode_escape's "\\x3c!ENTITY", ISO-2022-JP's escapes, UTF-16 or EBCDIC.
_ENTITY_DECL = b"<!ENTITY"
# Bytes of the document once decoded: three times the default download cap (Windows-1252 text grows by up
# to 3× as UTF-8); past this it is refused rather than parsed.
MAX_DECODED_BYTES = 24 * 1024 * 1024

# The encodings of the WHATWG Encoding Standard (what browsers read), as Python codec names. A document
# labelled with anything else (utf-7, unicode_escape, rot13, any Python-only codec) is never decoded by it.
_WHATWG = (
    "utf-8 ibm866 iso-8859-2 iso-8859-3 iso-8859-4 iso-8859-5 iso-8859-6 iso-8859-7 iso-8859-8 iso-8859-10 "
    "iso-8859-13 iso-8859-14 iso-8859-15 iso-8859-16 koi8-r koi8-u mac-roman cp874 cp1250 cp1251 cp1252 "
    "cp1253 cp1254 cp1255 cp1256 cp1257 cp1258 mac-cyrillic gbk gb18030 big5 euc-jp iso2022-jp shift-jis "
    "euc-kr utf-16-le utf-16-be utf-16 ascii latin-1"
)
_ALLOWED_CODECS = frozenset(codecs.lookup(name).name for name in _WHATWG.split())
_STATEFUL = frozenset({codecs.lookup("iso2022-jp").name})

_XML_DECL = re.compile(
    rb"""^(?:\xef\xbb\xbf)?\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']"""
)
_XML_DECL_TEXT = re.compile(r"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")
_CHARSET = re.compile(r";\s*charset\s*=\s*[\"']?[^;\"'\s]*[\"']?", re.IGNORECASE)
_LATIN = re.compile(
    r"(?:us-?ascii|ascii|iso[-_]?8859[-_]?1|latin[-_]?1|l1|windows[-_]?1252|cp1252|cp819)", re.I
)
_UNICODE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Windows-1252 for each byte, the five it leaves undefined as their Latin-1 (C1, removed by cleaning later).
_CP1252 = [bytes([i]).decode("cp1252", errors="ignore") or chr(i) for i in range(256)]


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    return "".join(_CP1252[b] for b in error.object[error.start : error.end]), error.end


codecs.register_error("gazette-cp1252", _cp1252_fallback)


def _known(label: str) -> bool:
    try:
        codecs.lookup(label)
    except LookupError:
        return False
    return True


def repair_encoding(data: bytes, content_type: str = "") -> tuple[bytes, str]:
    """Undo the usual charset mix-ups before any parser sees the bytes; returns (data, content_type).

    - valid UTF-8 labelled Latin-1 (by the XML declaration or HTTP): it is UTF-8 (Latin-1 French text is
      practically never valid UTF-8);
    - UTF-8 with stray Latin-1/Windows-1252 bytes (templates in one, content in the other): each invalid byte
      is read as Windows-1252;
    - Latin-1 labelled as such is read as Windows-1252, as browsers do (curly quotes, €, œ).
    Other encodings (UTF-16/32, legacy Asian ones) are left to the parsers.
    """
    if data.isascii() or data.startswith(_UNICODE_BOMS):
        return data, content_type
    bom = data.startswith(codecs.BOM_UTF8)
    if bom:
        data = data[len(codecs.BOM_UTF8) :]
    match = _XML_DECL.match(data)
    declared = match.group(1).decode("ascii").lower() if match else ""
    http = content_type.lower().partition("charset=")[2].split(";")[0].strip(" \"'")
    labels = [label for label in (declared, http) if label and _known(label)]  # unknown ones say nothing
    if not bom and any(not (_LATIN.fullmatch(label) or label in ("utf-8", "utf8")) for label in labels):
        return data, content_type
    try:
        text = data.decode("utf-8")
        if declared in ("", "utf-8", "utf8"):
            return data, _CHARSET.sub("", content_type)  # already right: no copy
    except UnicodeDecodeError:
        latin = not bom and bool(labels) and all(_LATIN.fullmatch(label) for label in labels)
        text = data.decode("cp1252" if latin else "utf-8", errors="gazette-cp1252")
    if match:  # the declaration is ASCII, so its offsets are the same in bytes and in text
        text = text[: match.start(1)] + "utf-8" + text[match.end(1) :]
    return text.encode("utf-8"), _CHARSET.sub("", content_type)


# A document in UTF-16/32: by its byte order mark, or without one by how "<" is encoded (XML 1.0,
# appendix F). The mark or the byte pattern wins over any label, as XML and browsers say.
_WIDE = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00", "utf-16-le"),
    (b"\x00<", "utf-16-be"),
)
_DECLARED = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*["'])[^"']*""")


def _wide_unicode(data: bytes) -> bytes:
    """A UTF-16/32 document re-encoded as UTF-8 with its declaration saying so, so that no label (a
    declaration or an HTTP charset that says Latin-1) can make either parser misread it."""
    for start, codec in _WIDE:
        if data.startswith(start):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                return data
            return _DECLARED.sub(r"\1utf-8", text.lstrip("\ufeff"), count=1).encode("utf-8")
    return data


def _fast_path(data: bytes, url: str) -> ParsedFeed | None:
    """The lxml road (kept under this name for the differential tests)."""
    return fast_path(data, url)


def _feedparser(data: bytes, url: str, content_type: str) -> ParsedFeed:
    """The feedparser road (kept under this name for the differential tests)."""
    return parse_with_feedparser(data, url, content_type)


def _codec(label: str) -> str | None:
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _settle_encoding(data: bytes, content_type: str) -> tuple[bytes, str]:
    """Make sure no parser decodes with a label we do not allow: the document ends up as UTF-8 with a
    declaration saying so and no HTTP charset, or as plain ASCII that every allowed label reads alike.
    The HTTP charset wins over the declaration (RFC 7303); an unknown or disallowed label is ignored and
    the bytes are read as UTF-8, each invalid byte as Windows-1252."""
    match = _XML_DECL.match(data)
    declared = match.group(1).decode("ascii").lower() if match else ""
    http = content_type.lower().partition("charset=")[2].split(";")[0].strip(" \"'")
    label = http or declared
    if not label:
        return data, content_type  # XML's default, UTF-8, for both parsers
    name = _codec(label)
    allowed = name in _ALLOWED_CODECS
    if allowed and name not in _STATEFUL and data.isascii() and _codec(declared or "utf-8") == name:
        return data, content_type  # ASCII reads the same in every allowed single-byte/multibyte label
    if name == "utf-8" and _codec(declared or "utf-8") == "utf-8":
        return data, _CHARSET.sub("", content_type)
    source = name if allowed and name is not None else "utf-8"
    text = data.decode(source, errors="gazette-cp1252" if source == "utf-8" else "replace")
    text = text.lstrip("\ufeff")
    declaration = _XML_DECL_TEXT.match(text)
    if declaration:
        start, end = declaration.span(1)
        text = text[:start] + "utf-8" + text[end:]
    return text.encode("utf-8"), _CHARSET.sub("", content_type)


def prepare(data: bytes, content_type: str = "") -> tuple[bytes, str]:
    """The bytes every road is given: UTF-16/32 re-encoded as UTF-8, the usual charset mix-ups repaired
    (:func:`repair_encoding`), and any label we do not allow taken out of the parsers' hands
    (:func:`_settle_encoding`). Every bound is then checked on these bytes: what the parsers read. The
    differential tests hand the roads exactly this."""
    data, content_type = repair_encoding(_wide_unicode(data), content_type)
    return _settle_encoding(data, content_type)


def parse_feed(
    data: bytes, url: str = "", content_type: str = "", known: frozenset[int] = frozenset()
) -> ParsedFeed:
    """Parse a feed document; raise :class:`FeedError` (a short sentence) when it is not one.
    A document that is a feed but has unreadable items keeps the others (``ParsedFeed.dropped``).
    ``known``: the raw digests of the items the cache holds for this feed (see :func:`skipping_known`)."""
    with skipping_known(known):
        return _parse_feed(data, url, content_type)


def _parse_feed(data: bytes, url: str, content_type: str) -> ParsedFeed:
    data, content_type = prepare(data, content_type)
    if len(data) > MAX_DECODED_BYTES:
        raise FeedError("feed.too_big_decoded")
    head = data[:1024].lstrip()
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8) :].lstrip()
    if not head:
        raise FeedError("feed.empty")
    if _ENTITY_DECL in data:
        # Internal entity declarations are the tool of billion-laughs attacks, and feedparser's loose
        # fallback expands them (a 260 KB feed reached MemoryError); no real feed needs them.
        raise FeedError("feed.xml_entities")
    if head.startswith((b"{", b"[")) or ("json" in content_type.lower() and not head.startswith(b"<")):
        return parse_json_feed(data, url)
    parsed = fast_path(data, url)
    if parsed is None:
        if head.lower().startswith((b"<!doctype html", b"<html")):
            raise FeedError("feed.html_page")
        parsed = parse_with_feedparser(data, url, content_type)
    return parsed
