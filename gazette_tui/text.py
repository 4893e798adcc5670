"""Cleaning untrusted text. Every string from a feed passes through here after *all* decoding.

The rule: no C0 control but tab and newline, no ESC, no C1, no bidi override or zero-width character
reaches storage or the terminal. Markup safety is the UI's job (it never parses feed text as markup); this
module makes sure the characters themselves are inert.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import nh3

# C0 except \t and \n, DEL, C1; bidi embeddings/overrides/isolates and marks; zero-width space, word
# joiner and BOM. ZWNJ and ZWJ (U+200C, U+200D) stay: they are part of emoji sequences and Persian words.
UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]"
)
# A C1 code point in feed text is nearly always a Windows-1252 byte read as Latin-1 (``Don&#146;t``):
# browsers show it as the Windows-1252 character, and so do we; the five it leaves undefined are dropped.
_C1_AS_CP1252 = {
    i: bytes([i]).decode("cp1252") for i in range(0x80, 0xA0) if i not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}


def _unsafe(match: re.Match[str]) -> str:
    return _C1_AS_CP1252.get(ord(match.group()), "")


_LINE_SEPARATORS = re.compile("\r\n?|[\u2028\u2029\x85]")


def clean_text(text: str | None) -> str:
    """Remove every control, bidi and zero-width character; keep tabs and newlines."""
    if not text:
        return ""
    # Regexes rather than str.translate: translate with a mapping is ~10× slower on non-ASCII text.
    return UNSAFE.sub(_unsafe, _LINE_SEPARATORS.sub("\n", text))


def clean_line(text: str | None) -> str:
    """:func:`clean_text`, then one line with single spaces (titles, authors, feed names)."""
    if not text:
        return ""
    # Whitespace first (str.split knows \r, NEL and the Unicode separators; it is 10× faster than a
    # regex here), then one pass for the rest.
    return UNSAFE.sub(_unsafe, " ".join(text.split())).strip()


_DROP_BLOCKS = re.compile(r"<(script|style|template)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_HAS_BLOCKS = re.compile(r"<(?:script|style|template)\b", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]*>")
_COMMENTS = re.compile(r"<!--.*?-->", re.DOTALL)


def html_to_text(fragment: str | None) -> str:
    """Plain text of an HTML fragment, on one line: for the search index and snippets (fast, not pretty)."""
    if not fragment:
        return ""
    text = fragment
    if "<!--" in text:
        text = _COMMENTS.sub(" ", text)
    if _HAS_BLOCKS.search(text):
        text = _DROP_BLOCKS.sub(" ", text)
    text = _TAGS.sub(" ", text)
    # Entities are decoded once; a doubly-escaped "&amp;#27;" stays the literal text "&#27;" (as a browser
    # shows it), and the cleaning after decoding removes whatever decoding produced.
    return clean_line(html.unescape(text))


ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "div", "dl", "dt", "em",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "li", "mark", "ol",
    "p", "pre", "q", "s", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "span": {"class"},
    "div": {"class"},
    "p": {"class"},
}


# Nesting deeper than this is hostile (real articles stay under ~30 levels): html5ever's scope checks walk
# the stack of open elements, so 50 000 nested <div> cost nh3 5 s, and the cost grows with the square.
MAX_NESTING = 256
_TAG = re.compile(r"<(/?[a-z][a-z0-9]*)")
_TAG_LINEAR = re.compile(r"<[^<>]*>")
# Never pushed on the stack (void) or closed implicitly by their next sibling: they add no depth.
_FLAT_TAGS = frozenset(
    "area base br col embed hr img input link meta param source track wbr "
    "p li dt dd tr td th option optgroup tbody thead tfoot colgroup caption rb rt rp".split()
)
_FLAT_ENDS = frozenset("/" + name for name in _FLAT_TAGS)


def _too_deep(fragment: str) -> bool:
    # findall and a loop over plain strings: ~0.1 µs a tag, a few % of what nh3 then spends.
    depth = 0
    for name in _TAG.findall(fragment.lower()):
        if name[0] == "/":
            if depth and name not in _FLAT_ENDS:
                depth -= 1
        elif name not in _FLAT_TAGS:
            depth += 1
            if depth > MAX_NESTING:
                return True
    return False


def sanitize_html(fragment: str | None) -> str:
    """Keep structure (headings, lists, quotes, tables, links, images); drop scripts, styles, handlers and
    every link scheme but http(s) and mailto. nh3 (the Rust crate ammonia) does the work: it is an HTML5
    parser-based allow-list sanitiser, faster and better tested than anything we would write.

    The result is cleaned too (nh3 decodes ``&#27;`` into a raw ESC), so stored HTML holds no control
    character; hostile nesting is flattened to escaped text first (linear time)."""
    if not fragment:
        return ""
    opening = fragment.count("<") - fragment.count("</")  # an upper bound on the depth, at C speed
    if opening > MAX_NESTING and _too_deep(fragment):
        text = html.unescape(_TAG_LINEAR.sub(" ", fragment))
        return "<p>" + html.escape(clean_line(text), quote=False) + "</p>"
    cleaned = nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )
    return UNSAFE.sub(_unsafe, cleaned)  # line separators are only whitespace in HTML: one pass is enough


MAX_URL = 8192
# Anything unsafe, and any white space: one scan instead of a Python loop over the characters.
_URL_REJECT = re.compile(r"\s|" + UNSAFE.pattern)


def safe_url(url: str | None) -> str | None:
    """The URL if it is http(s) with a host, no control or space character and at most 8 KB, else None."""
    if not url:
        return None
    url = url.strip()
    if len(url) > MAX_URL:
        return None
    if _URL_REJECT.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


# What a URL must not carry raw into a file another program parses (the Markdown and HTML exports): white
# space, quotes, angle brackets and the rest of what RFC 3986 never allows unencoded. Any of them can end a
# Markdown autolink ``<…>``, a link destination or an HTML attribute.
_URL_ESCAPE = re.compile(r"[\s\"'<>\\^`{|}\x00-\x1f\x7f]")
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _percent(match: re.Match[str]) -> str:
    return "".join(f"%{byte:02X}" for byte in match.group().encode("utf-8"))


def export_url(url: str) -> str:
    """``url`` percent-encoded so that it holds no ``<``, ``>``, quote, backslash, backtick or white space;
    what is already encoded stays as it is, and other characters (accents, IDN hosts) are kept. Check the
    scheme first (:func:`safe_url`): this only makes the text inert, it does not make the link safe."""
    return _URL_ESCAPE.sub(_percent, _LONE_PERCENT.sub("%25", url))


MAX_VALIDATOR = 1024


def clean_validator(value: str | None) -> str | None:
    """An ETag or Last-Modified fit to store and send back: printable ASCII, at most 1 KB, else None.

    A validator is opaque, so a "cleaned" one would never match again: one holding a control character (h11
    lets bytes 0x80-0xFF through; they arrive as C1 controls such as CSI) or any non-ASCII character is
    dropped, and the next request is simply unconditional. httpx could not send it back anyway: it refuses
    a non-ASCII header value (UnicodeEncodeError), which failed that feed on every refresh."""
    if value is None:
        return None
    value = value.strip()
    if not value or len(value) > MAX_VALIDATOR or not all(" " <= ch <= "~" for ch in value):
        return None
    return value
