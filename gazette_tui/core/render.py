"""Turning a cached article into what the reader pane and ``gazette-tui show ID`` display.

The body becomes Markdown (the reader draws it with Rich's Markdown renderer, hyperlinks off), links
become numbered references ``text [N]`` so that every link is visible and opened by number through one
checked list, and images become text placeholders. Feed text is untrusted: it is escaped so that it can
never turn into Markdown links, images or raw HTML of its own, and everything is cleaned of control
characters after all decoding. markdownify does the HTML → Markdown work (BeautifulSoup on lxml, which is
the fast tree builder).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup, Tag
from markdownify import ATX, MarkdownConverter

from gazette_tui import i18n
from gazette_tui.errors import Message
from gazette_tui.models import Article, Enclosure
from gazette_tui.text import UNSAFE, clean_line, clean_text, html_to_text, safe_url, sanitize_html


@dataclass(frozen=True)
class RenderedArticle:
    """Everything the reader shows. All fields but ``body_markdown`` are plain text (never markup)."""

    kicker: str
    title: str
    meta: str
    """"Publié le 20/02/2019 • Par Jeanne Martin • dans : Finances"; empty parts are left out."""
    tags: list[str]
    lede: str
    """The chapô, plain text."""
    body_markdown: str
    links: list[str]
    """Link N of the body is ``links[N - 1]``; only http(s) and mailto URLs."""
    notice: str
    """Why the body is short (excerpt only, or only the beginning of a very long one), or ""."""
    truncated: bool = False
    """Only the beginning is shown: ``render_article(…, more=more * 4)`` shows more (key +)."""
    filters: list[str] = field(default_factory=list)
    """Why a filter hid the article, or marked it read or starred (while it still is), one line each;
    nothing in an export."""


def _(message: str, lang: str | None = None) -> str:
    """Translate into ``lang`` without touching the process-wide language (the CLI and TUI may differ)."""
    if lang is None:
        return i18n._(message)
    return i18n.translate(message, lang)


# --- URLs -------------------------------------------------------------------------------------------------


def _link_target(href: str, base: str) -> str | None:
    """An absolute http(s) or mailto URL, or None: relative links resolve against the article's URL."""
    href = href.strip()
    if not href or UNSAFE.search(href) or any(ch.isspace() for ch in href):
        return None
    if href[:7].lower() == "mailto:":
        return href if len(href) > 7 else None
    try:
        scheme = urlsplit(href).scheme
        if not scheme and base:
            href = urljoin(base, href)
    except ValueError:
        return None
    return safe_url(href)


# --- HTML → Markdown --------------------------------------------------------------------------------------

# Elements whose content is never meant to be read (nh3 already drops them from stored feed HTML; full-text
# extraction might not).
_INVISIBLE = ["script", "style", "template", "noscript", "iframe", "object", "svg", "head", "title", "form"]
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
EXPORT_TOP_HEADING = 3
"""In an export, the dossier is h1 and each article's title h2: the article's own headings start at h3."""
_SPACES = re.compile(r"\s+")
_BACKTICKS = re.compile(r"`+")
# What a linkifying Markdown reader (markdown-it's gfm-like preset, used by exports' readers and by the
# tests) would turn into links: schemes, domains, e-mails.
_LINKIFIABLE = re.compile(r"[:@]|(?<=\w)\.(?=\w)")


# --- CommonMark escapes, for the files of the exports ------------------------------------------------------
#
# The reader's Markdown goes to a renderer that also turns domains and e-mails into links, so its escapes are
# broad (« démolition \: »). An export is a file, read as it is by people as much as by renderers: there,
# only what CommonMark (with GFM's tables and strikethrough) would read as markup *at that position* is
# escaped, with a backslash before ASCII punctuation, which every renderer shows as the character itself.

_CM_INLINE = re.compile(
    r"\\(?=[!-/:-@\[-`{-~]|$)"  # a backslash that would escape what follows (or break the line)
    r"|[`*\[\]~]"  # code spans, emphasis, links and images, strikethrough
    r"|(?<![^\W_])_|_(?![^\W_])"  # emphasis with _ (between two letters or digits it is only a letter)
    r"|<(?=[A-Za-z/!?]|$)"  # raw HTML, comments, autolinks
    r"|&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{0,31};)",  # entities
    re.MULTILINE,
)
# What starts a block at the start of a line: a heading, a quote, a list item, a setext underline or a
# thematic break ("*" and "_" ones are escaped anywhere already).
_CM_LINE_START = re.compile(
    r"^([ \t]*)(?:(#)(?=#{0,5}(?:[ \t]|$))|(>)|([-+])(?=[ \t]|$)"
    r"|(\d{1,9})([.)])(?=[ \t]|$)|([-=])(?=[-= \t]*$))",
    re.MULTILINE,
)
# In a heading: a closing run of "#" (it would be dropped) and attribute lists "{…}" (Pandoc, kramdown).
_CM_HEADING = re.compile(r"(?<=[ \t])#(?=#*[ \t]*$)|[{}]")


def _line_start(match: re.Match[str]) -> str:
    indent, hashes, quote, bullet, number, delimiter, rule = match.groups()
    if number:
        return f"{indent}{number}\\{delimiter}"
    return f"{indent}\\{hashes or quote or bullet or rule}"


def commonmark_escape(
    text: str, *, at_line_start: bool = False, lines: bool = False, heading: bool = False, cell: bool = False
) -> str:
    """``text`` as Markdown that shows exactly ``text`` in CommonMark (and GFM): escaped only where it would
    be markup. ``at_line_start``: its first character starts a line; ``lines``: it has several lines, each
    of which starts one (and a "|" could make a table); ``heading``: it is a heading's text; ``cell``: a
    table cell's."""
    escaped = _CM_INLINE.sub(r"\\\g<0>", text)
    if heading:
        escaped = _CM_HEADING.sub(r"\\\g<0>", escaped)
    if cell or lines:
        escaped = escaped.replace("|", "\\|")
    if lines:
        first, newline, rest = escaped.partition("\n")
        rest = _CM_LINE_START.sub(_line_start, rest)
        escaped = (
            (_CM_LINE_START.sub(_line_start, first, count=1) if at_line_start else first) + newline + rest
        )
    elif at_line_start:
        escaped = _CM_LINE_START.sub(_line_start, escaped, count=1)
    return escaped


class _Converter(MarkdownConverter):
    """markdownify with numbered links, image placeholders and escaping of everything that is feed text.

    ``plain=True`` gives the same structure for a terminal (``show``): no escapes, no emphasis marks, code
    blocks indented instead of fenced.
    """

    def __init__(self, base_url: str, lang: str | None, plain: bool = False, export: bool = False) -> None:
        super().__init__(
            heading_style=ATX,
            bullets="-",
            escape_misc=not plain,
            escape_asterisks=not plain,
            escape_underscores=not plain,
            strong_em_symbol="" if plain else "*",
            table_infer_header=True,
            # wrap=True (with no width) folds newlines of the source into spaces: each paragraph is a line.
            wrap=True,
            wrap_width=None,
        )
        self.base_url = base_url
        self.lang = lang
        self.plain = plain
        self.export = export
        """For a file (:func:`render_for_export`): CommonMark's escapes only (:func:`commonmark_escape`)."""
        self.links: list[str] = []
        self._numbers: dict[str, int] = {}

    def _literal(self, text: str) -> str:
        """Text we add ourselves (placeholders, numbers), escaped like feed text so it stays inert."""
        return text if self.plain else text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")

    def escape(self, text: str, parent_tags: set[str]) -> str:
        """markdownify's escapes (brackets, <, `, *, _, line-start markers…), plus what linkify would make
        into a link: the only links in the body are the numbered ones, all checked."""
        if self.plain or not text:
            return text
        if self.export:  # a text node may start a line (a paragraph, after a <br>)
            heading = not parent_tags.isdisjoint(_HEADINGS)
            cell = not parent_tags.isdisjoint(("td", "th"))
            return commonmark_escape(text, at_line_start=True, heading=heading, cell=cell)
        text = MarkdownConverter.escape(self, text, parent_tags)  # type: ignore[attr-defined]
        return _LINKIFIABLE.sub(r"\\\g<0>", text)

    def feed_text(self, text: str) -> str:
        return self.escape(_SPACES.sub(" ", text).strip(), set())

    def convert_a(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        stripped = text.strip()
        if not stripped:
            return text
        href = el.get("href")
        target = _link_target(href, self.base_url) if isinstance(href, str) else None
        if target is None:
            return text
        number = self._numbers.get(target)
        if number is None:
            self.links.append(target)
            number = self._numbers[target] = len(self.links)
        prefix = " " if text[:1].isspace() else ""
        suffix = " " if text[-1:].isspace() else ""
        reference = f"[{number}]" if "_noformat" in parent_tags else self._literal(f"[{number}]")
        return f"{prefix}{stripped} {reference}{suffix}"

    def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        alt = el.get("alt")
        alt_text = self.feed_text(alt) if isinstance(alt, str) else ""
        credit = ""
        figure = el.find_parent("figure")
        caption = figure.find("figcaption") if figure is not None else None
        if caption is not None:
            credit = self.feed_text(caption.get_text(" "))
        if not credit:
            title = el.get("title")
            credit = self.feed_text(title) if isinstance(title, str) else ""
        label = _("image", self.lang)
        if alt_text:
            label = f"{label}: {alt_text}"
        if credit and credit != alt_text:
            label = f"{label} — {credit}"
        return self._literal("[") + label + self._literal("]")

    def convert_figcaption(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        # The caption is already in the image placeholder as its credit.
        figure = el.find_parent("figure")
        if figure is not None and figure.find("img") is not None:
            return ""
        return f"\n\n{text.strip()}\n\n"

    def convert_td(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if self.plain:  # not escaped in plain mode, but a | in a cell must not look like a column
            text = text.replace("|", "\\|")
        return MarkdownConverter.convert_td(self, el, text, parent_tags)  # type: ignore[attr-defined,no-any-return]

    convert_th = convert_td

    def convert_pre(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        text = text.strip("\n")
        if not text.strip():
            return ""
        if self.plain:
            return "\n\n" + "\n".join("    " + line for line in text.split("\n")) + "\n\n"
        # A fence longer than any run inside, so code text cannot close it and become Markdown.
        longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
        fence = "`" * max(3, longest + 1)
        return f"\n\n{fence}\n{text}\n{fence}\n\n"


def _shift_headings(soup: BeautifulSoup, top: int = EXPORT_TOP_HEADING) -> None:
    """Move the body's headings down so that the highest is ``top``, keeping their nesting (h6 at most)."""
    headings = soup.find_all(_HEADINGS)
    if not headings:
        return
    offset = top - min(int(tag.name[1]) for tag in headings)
    if offset > 0:
        for tag in headings:
            tag.name = f"h{min(6, int(tag.name[1]) + offset)}"


def _soup(fragment: str) -> BeautifulSoup:
    # Cleaning before parsing keeps line separators from reaching Markdown as raw newlines; cleaning again
    # after conversion catches what entity decoding produced.
    soup = BeautifulSoup(clean_text(fragment), "lxml")
    for tag in soup.find_all(_INVISIBLE):
        tag.decompose()
    return soup


def _to_markdown(
    soup: BeautifulSoup, base_url: str, lang: str | None, plain: bool, export: bool = False
) -> tuple[str, list[str]]:
    converter = _Converter(base_url, lang, plain=plain, export=export)
    try:
        markdown = converter.convert_soup(soup)
    except RecursionError:
        # markdownify recurses once per nesting level; a hostile body nested a few hundred deep still has to
        # open, so it is shown as escaped paragraphs of text, without links.
        converter = _Converter(base_url, lang, plain=plain, export=export)
        lines = (converter.feed_text(line) for line in soup.get_text("\n").split("\n"))
        markdown = "\n\n".join(line for line in lines if line)
    return clean_text(markdown).strip(), converter.links


# --- Lede -------------------------------------------------------------------------------------------------

_TRUNCATION = re.compile(r"\s*(?:\[\s*(?:…|\.\.\.)\s*\]|\(\s*(?:…|\.\.\.)\s*\)|…|\.\.\.)\s*$")
_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "table", "figure", "pre"}


def _comparable(text: str) -> str:
    """Text for comparison: markup differences add or remove spaces around inline tags, so drop them all."""
    return _SPACES.sub("", text).casefold()


def _first_block(soup: BeautifulSoup) -> Tag | None:
    """The first element holding text at the top of the body, descending through wrapper <div>s."""
    node: Tag | None = soup.body if soup.body is not None else soup
    while node is not None:
        first: Tag | None = None
        for child in node.children:
            if isinstance(child, Tag):
                if child.get_text(strip=True) or child.find("img") is not None:
                    first = child
                    break
            elif str(child).strip():
                return node if node.name in _BLOCKS else None
        if first is None:
            return None
        if first.name == "div" and any(isinstance(c, Tag) and c.name in _BLOCKS for c in first.children):
            node = first
            continue
        return first
    return None


def _carries_more(tag: Tag) -> bool:
    """Whether a block has something the plain-text lede would lose (a link or an image)."""
    return tag.find(["a", "img"]) is not None


def _structured(soup: BeautifulSoup) -> bool:
    blocks = soup.find_all(
        ["p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote", "pre"]
    )
    return len(blocks) > 1 or any(block.name != "p" for block in blocks)


def _dedupe_lede(lede: str, soup: BeautifulSoup, excerpt_only: bool) -> str:
    """Keep the chapô from also being the body's first paragraph. Returns the lede to show, and removes the
    repeated paragraph from ``soup`` when the lede says the same thing without losing a link or image."""
    if not lede:
        return lede
    wanted = _comparable(lede)
    if excerpt_only:
        # The body *is* the summary: show it once, as the lede unless it has links, images or structure
        # (paragraphs, headings, lists) that a one-line lede would flatten.
        if _carries_more(soup) or _structured(soup):
            return ""
        for child in list((soup.body or soup).children):
            child.extract()
        return lede
    block = _first_block(soup)
    if block is None:
        return lede
    first = _comparable(block.get_text(" "))
    if first == wanted:
        if _carries_more(block):
            return ""
        block.decompose()
        return lede
    # A summary that is the start of the body, maybe cut short ("… [...]"): the body says it in full.
    shortened = _comparable(_TRUNCATION.sub("", lede))
    if len(shortened) >= 20 and _comparable(soup.get_text(" ")).startswith(shortened):
        return ""
    return lede


# --- Public API -------------------------------------------------------------------------------------------


def _meta(article: Article, lang: str | None) -> str:
    parts: list[str] = []
    if article.published > 0 and not article.undated:
        parts.append(_("Published on {date}", lang).format(date=i18n.format_date(article.published, lang)))
    author = clean_line(article.author)
    if author:
        parts.append(_("By {author}", lang).format(author=author))
    section = clean_line(article.rubrique) or clean_line(article.feed_title)
    if section:
        parts.append(_("in: {section}", lang).format(section=section))
    return " • ".join(parts)


def meta_line(article: Article, lang: str | None = None) -> str:
    """The article's « Publié le … • Par … • dans : … », plain text: what a card of « Ma Gazette » and its
    newsletter show under the title, as the reader does."""
    return _meta(article, lang)


def _filter_lines(article: Article, lang: str | None) -> list[str]:
    """« Masqué par le filtre « Publicité » »: what the filters did, for the reader and ``show``. A mark
    read or starred is said only while the article still is (the user may have undone it)."""
    lines: list[str] = []
    for mark in article.filtered:
        name = clean_line(mark.name)
        if mark.action == "hide":
            lines.append(_("Hidden by the filter “{name}”", lang).format(name=name))
        elif mark.action == "read" and article.read:
            lines.append(_("Marked as read by the filter “{name}”", lang).format(name=name))
        elif mark.action == "star" and article.starred:
            lines.append(_("Starred by the filter “{name}”", lang).format(name=name))
    return lines


def _tags(article: Article) -> list[str]:
    tags: list[str] = []
    for category in article.categories:
        tag = clean_line(category)
        if tag and tag not in tags:
            tags.append(tag)
    return tags


# What the reader lays out at once (× ``more``): a body of 21,000 table rows took 28 s to render and then
# froze the UI for 22 s of layout; these keep the first screen of any article under a second.
RENDER_HTML_CHARS = 150_000
RENDER_TABLE_ROWS = 200
RENDER_TABLE_CELLS = 16


def _cap(body_html: str, more: int) -> tuple[str, bool]:
    """The beginning of a very long body, its tags closed again by the sanitiser."""
    limit = RENDER_HTML_CHARS * more
    if len(body_html) <= limit:
        return body_html, False
    return sanitize_html(body_html[:limit]), True


def _cap_tables(soup: BeautifulSoup, more: int) -> bool:
    cut = False
    for table in soup.find_all("table"):
        rows = table.find_all("tr")
        for row in rows[RENDER_TABLE_ROWS * more :]:
            row.decompose()
            cut = True
        for row in rows[: RENDER_TABLE_ROWS * more]:
            for cell in row.find_all(("td", "th"), recursive=False)[RENDER_TABLE_CELLS:]:
                cell.decompose()
                cut = True
    return cut


# How a feed says its summary is cut: "…", "[…]", "(...)", "Lire la suite", "Read more", "Continue reading".
_CUT_WORDS = re.compile(r"(?:lire la suite|read more|continue reading|en savoir plus)\W*$", re.IGNORECASE)


def _looks_cut(summary_html: str) -> bool:
    """Whether a feed-only body reads as an excerpt (cut short, or a short teaser) rather than the whole
    item: only then does the reader say "excerpt only"."""
    text = html_to_text(summary_html)
    if not text:
        return True
    return bool(_TRUNCATION.search(text) or _CUT_WORDS.search(text)) or len(text) < 400


def looks_like_excerpt(summary_html: str) -> bool:
    """The same rule for the refresh: a feed whose ``fulltext`` is on fetches the page of exactly the items
    the reader calls excerpts (``core/feeds/pages.py``)."""
    return _looks_cut(summary_html)


def _page_notice(article: Article, lang: str | None, keyless: bool) -> str:
    """Why the article's page gave no full text (its feed fetches pages), said in ``lang``."""
    found = Message.loads(article.page_error)
    reason = found.text(lang) if found is not None else clean_line(article.page_error)
    if keyless:
        return _("Full text not fetched from the article's page: {reason}", lang).format(reason=reason)
    return _("Full text not fetched from the article's page: {reason} (F tries again)", lang).format(
        reason=reason
    )


def _size(length: int, lang: str | None) -> str:
    """A declared size as people say it: « 12,5 Mo », "12.5 MB", « 830 ko »; "" when unknown."""
    if length <= 0:
        return ""
    english = (lang or i18n.language()) == "en"
    if length >= 1_000_000:
        number = f"{length / 1_000_000:.1f}"
        return f"{number} MB" if english else f"{number.replace('.', ',')}\u00a0Mo"
    return f"{max(1, length // 1000)} kB" if english else f"{max(1, length // 1000)}\u00a0ko"


def duration_text(seconds: int) -> str:
    """An episode's length as a clock reads it in both languages: "42:05", "1:02:03"; "" when unknown."""
    if seconds <= 0:
        return ""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def enclosure_details(enclosure: Enclosure, lang: str | None = None) -> str:
    """What the feed says of an attachment: its type, size and duration, those it gives ("" for none)."""
    parts = (clean_line(enclosure.type), _size(enclosure.length, lang), duration_text(enclosure.duration))
    return ", ".join(part for part in parts if part)


def enclosure_name(url: str) -> str:
    """The last part of an attachment's address, decoded, on one line, as the list shows it."""
    last = url.split("?", 1)[0].split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return clean_line(unquote(last)) or url


def listed_enclosures(article: Article) -> list[Enclosure]:
    """The attachments the reader lists, in its order: those with an http(s) address. ``P``'s dialog and
    ``gazette-tui enclosures`` number these, so that « 2 » is the same file everywhere."""
    return [e for e in article.enclosures if safe_url(e.url)]


def _with_attachments(
    body: str, article: Article, links: list[str], lang: str | None, plain: bool, export: bool = False
) -> str:
    """Podcast episodes, PDFs, videos (enclosures, media:content, JSON attachments): a numbered list after
    the body, with their type and size when the feed gives them. The list's numbers are those of ``P``'s
    dialog and of ``gazette-tui enclosures``; the bracketed one is the link's, which L opens."""
    lines: list[str] = []
    for enclosure in listed_enclosures(article):
        url = safe_url(enclosure.url) or ""
        if url not in links:
            links.append(url)
        number = links.index(url) + 1
        name = enclosure_name(url)
        details = enclosure_details(enclosure, lang)
        label = f"{name} ({details})" if details else name
        reference = f"[{number}]" if plain else f"\\[{number}\\]"
        text = label if plain else commonmark_escape(label) if export else _escape_markdown(label)
        lines.append(f"{len(lines) + 1}. {text} {reference}")
    if not lines:
        return body
    keyless = plain or export
    heading = _("Attachments", lang) if keyless else _("Attachments (key P: download or open)", lang)
    block = f"{heading}\n\n" + "\n".join(lines) if plain else f"**{heading}**\n\n" + "\n".join(lines)
    return f"{body}\n\n{block}" if body else block


def _escape_markdown(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]()#+\-.!<>|~])", r"\\\1", text)


def _render(
    article: Article, lang: str | None, plain: bool, more: int = 0, export: bool = False
) -> RenderedArticle:
    """``more`` = 0: everything (``show``, exports); 1, 4, 16…: the reader's bounded views of a long article.
    ``export``: for a file (:func:`render_for_export`)."""
    content = article.fulltext_html.strip() or article.content_html.strip()
    excerpt_only = not content
    body_html = content or article.summary_html
    truncated = False
    if more:
        body_html, truncated = _cap(body_html, more)
    base = safe_url(article.url) or ""
    lede = html_to_text(article.summary_html)
    soup = _soup(body_html)
    if more:
        truncated = _cap_tables(soup, more) or truncated
    lede = _dedupe_lede(lede, soup, excerpt_only)
    if export:
        _shift_headings(soup)
    body, links = _to_markdown(soup, base, lang, plain, export)
    external = safe_url(article.external_url)
    if external:  # JSON Feed: the item is about another page (a link blog, a review)
        if external not in links:
            links.append(external)
        number = links.index(external) + 1
        reference = f"[{number}]" if plain else f"\\[{number}\\]"
        about = _("About: {link}", lang).format(link=reference)
        body = f"{about}\n\n{body}" if body else about
    if article.enclosures:
        body = _with_attachments(body, article, links, lang, plain, export)
    notice = ""
    keyless = plain or export  # no key to press in a terminal's output or in a file
    if excerpt_only and safe_url(article.url) and (article.reserved or _looks_cut(article.summary_html)):
        if article.reserved:
            notice = (
                _("Subscribers only — excerpt: the full article is on the website", lang)
                if keyless
                else _("Subscribers only — excerpt: the full article is on the website (key o)", lang)
            )
        else:
            notice = (
                _("Excerpt only: the full article is on the website", lang)
                if keyless
                else _("Excerpt only: the full article is on the website (key o)", lang)
            )
    if excerpt_only and article.page_error:
        why = _page_notice(article, lang, keyless)
        notice = f"{notice} · {why}" if notice else why
    if truncated:
        rest = _("A long article: only its beginning is shown (key + shows more)", lang)
        notice = f"{notice} · {rest}" if notice else rest
    return RenderedArticle(
        kicker=clean_line(article.kicker),
        title=clean_line(article.title),
        meta=_meta(article, lang),
        tags=_tags(article),
        lede=lede,
        body_markdown=body,
        links=links,
        notice=notice,
        truncated=truncated,
        filters=[] if export else _filter_lines(article, lang),
    )


def render_article(article: Article, lang: str | None = None, *, more: int = 1) -> RenderedArticle:
    """The article for the reader pane. ``lang`` defaults to the current UI language. A very long body is
    cut to what a screen can lay out quickly (``more`` times the base caps; see ``truncated``)."""
    return _render(article, lang, plain=False, more=max(1, more))


def render_for_export(article: Article, lang: str | None = None) -> RenderedArticle:
    """The article for a dossier's Markdown export: the whole body, its headings under the article's title
    (h3 and below, :data:`EXPORT_TOP_HEADING`), escaped only where CommonMark would read markup
    (:func:`commonmark_escape`: « démolition : », never « démolition \\: »), notices without keys to press.
    The fields other than ``body_markdown`` are plain text, as from :func:`render_article`."""
    return _render(article, lang, plain=False, export=True)


def export_body_html(article: Article) -> tuple[str, str]:
    """For the HTML export: the chapô (plain text; "" when the body says it already, as the reader decides)
    and the body's HTML without the paragraph that repeats it, its headings under the article's title (h3
    and below). The HTML is to be sanitised by the caller for the file."""
    content = article.fulltext_html.strip() or article.content_html.strip()
    soup = _soup(content or article.summary_html)
    lede = _dedupe_lede(html_to_text(article.summary_html), soup, not content)
    _shift_headings(soup)
    root = soup.body if soup.body is not None else soup
    return lede, root.decode_contents()


_MARKER = re.compile(r"^(\s*)((?:[-*+]|\d{1,9}[.)])\s+|(?:>\s?)+)?")


def _wrap_line(line: str, width: int) -> list[str]:
    """Wrap one line of plain-mode Markdown, keeping list and quote markers as hanging indents."""
    match = _MARKER.match(line)
    assert match is not None  # every group is optional
    indent, marker = match.group(1), match.group(2) or ""
    rest = line[len(indent) + len(marker) :]
    first = indent + marker
    following = indent + (marker if marker.startswith(">") else " " * len(marker))
    return textwrap.wrap(
        rest,
        width=max(width, len(first) + 10),
        initial_indent=first,
        subsequent_indent=following,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [first.rstrip()]


def _is_list_or_quote(line: str) -> bool:
    match = _MARKER.match(line)
    return match is not None and bool(match.group(2))


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for line in text.split("\n"):
        if not line.strip():
            lines.append("")
        elif line.startswith("    ") and not _is_list_or_quote(line):
            lines.append(line)  # code
        elif line.lstrip().startswith("|"):
            lines.append(line)  # table row: wrapping would break the columns
        else:
            lines.extend(_wrap_line(line, width))
    return lines


def article_as_text(article: Article, lang: str | None = None, width: int = 80) -> str:
    """The article as plain text for ``gazette-tui show ID``: no ANSI, no Markdown escapes, wrapped to
    ``width``, with the numbered links listed at the end."""
    rendered = _render(article, lang, plain=True)
    out: list[str] = []
    add: Callable[[str], None] = out.append
    if rendered.kicker:
        out.extend(_wrap_line(rendered.kicker.upper(), width))
    if rendered.title:
        title = _wrap_line(rendered.title, width)
        out.extend(title)
        add("=" * max(len(line) for line in title))
    if rendered.meta:
        out.extend(_wrap_line(rendered.meta, width))
    for line in rendered.filters:
        out.extend(_wrap_line(line, width))
    if rendered.tags:
        out.extend(_wrap_line(_("Tags: {tags}", lang).format(tags=", ".join(rendered.tags)), width))
    link = safe_url(article.url) if article.url else None
    if link:  # whole, never wrapped: a terminal or a script can take it as it is
        add(_("Address: {url}", lang).format(url=link))
    for block in (rendered.lede, rendered.notice and f"[{rendered.notice}]"):
        if block:
            add("")
            out.extend(_wrap_line(block, width))
    if rendered.body_markdown:
        add("")
        out.extend(_wrap(rendered.body_markdown, width))
    if rendered.links:
        add("")
        add(_("Links", lang))
        for number, url in enumerate(rendered.links, start=1):
            add(f"[{number}] {url}")
    return clean_text("\n".join(out).strip("\n")) + "\n"
