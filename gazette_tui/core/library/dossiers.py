"""Dossiers: the reader's own collections of articles, kept forever and exportable.

"Forever" is enforced where articles could disappear: ``Store.prune`` and ``Store.remove_feed`` never delete
an article that is in a dossier (or starred); an article whose feed was removed stays readable, detached
(``feed_id`` NULL) and shown as "flux supprimé".
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import nh3

from gazette_tui import i18n
from gazette_tui.core.files import write_atomic
from gazette_tui.core.storage.db import NameTaken
from gazette_tui.core.storage.dossiers import DossierRecord
from gazette_tui.core.storage.store import Store, now
from gazette_tui.errors import GazetteError, NotFoundError, Np_
from gazette_tui.models import Article, ArticleRow
from gazette_tui.text import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    clean_line,
    clean_text,
    export_url,
    safe_url,
    sanitize_html,
)

MAX_NAME = 120
MAX_NOTE = 4000


class DossierError(GazetteError):
    """A dossier operation the user asked for cannot be done (bad name, duplicate, …)."""


@dataclass(slots=True)
class Dossier:
    id: int
    name: str
    description: str
    created: int
    updated: int
    count: int = 0


@dataclass(slots=True)
class DossierItem:
    row: ArticleRow
    added: int
    note: str
    feed_removed: bool


@dataclass(slots=True)
class DeletedDossier:
    """Everything needed to undo a deletion."""

    dossier: Dossier
    items: list[tuple[int, int, str]] = field(default_factory=list)  # article id, added, note


def check_name(name: str) -> str:
    """A clean dossier name, or :class:`DossierError` saying what is wrong with it."""
    if name != clean_text(name) or "\n" in name or "\t" in name:
        raise DossierError("dossier.name_controls")
    cleaned = clean_line(name)
    if not cleaned:
        raise DossierError("dossier.name_empty")
    if "/" in cleaned or "\\" in cleaned:
        raise DossierError("dossier.name_slash")
    if len(cleaned) > MAX_NAME:
        raise DossierError("dossier.name_too_long", max=MAX_NAME)
    return cleaned


def _dossier(record: DossierRecord) -> Dossier:
    return Dossier(record.id, record.name, record.description, record.created, record.updated, record.size)


def _exists(name: str) -> DossierError:
    return DossierError("dossier.exists", name=name)


def list_dossiers(store: Store) -> list[Dossier]:
    """Every dossier, most recently changed first."""
    return [_dossier(record) for record in store.dossiers.all()]


def get(store: Store, name_or_id: str | int) -> Dossier:
    if isinstance(name_or_id, int):
        record = store.dossiers.get(name_or_id)
    else:
        record = store.dossiers.find(clean_line(name_or_id))
    if record is None:
        raise NotFoundError("dossier.not_found", name=clean_line(str(name_or_id)))
    return _dossier(record)


def create(store: Store, name: str, description: str = "") -> Dossier:
    cleaned = check_name(name)
    try:
        store.dossiers.create(cleaned, clean_text(description)[:MAX_NOTE], now())
    except NameTaken:
        raise _exists(cleaned) from None
    return get(store, cleaned)


def get_or_create(store: Store, name: str) -> Dossier:
    try:
        return get(store, check_name(name))
    except NotFoundError:
        return create(store, name)


def rename(store: Store, dossier_id: int, name: str) -> Dossier:
    cleaned = check_name(name)
    try:
        store.dossiers.rename(dossier_id, cleaned, now())
    except NameTaken:
        raise _exists(cleaned) from None
    return get(store, dossier_id)


def describe(store: Store, dossier_id: int, description: str) -> None:
    store.dossiers.describe(dossier_id, clean_text(description)[:MAX_NOTE], now())


def delete(store: Store, dossier_id: int) -> DeletedDossier:
    """Delete a dossier (its articles stay in the cache); returns what :func:`restore` needs to undo it."""
    dossier = get(store, dossier_id)
    return DeletedDossier(dossier, store.dossiers.delete(dossier_id))


def restore(store: Store, deleted: DeletedDossier) -> Dossier:
    """Undo :func:`delete`: the same id, name, description, articles and notes."""
    d = deleted.dossier
    record = DossierRecord(d.id, d.name, d.description, d.created, d.updated, 0)
    try:
        store.dossiers.restore(record, deleted.items)
    except NameTaken:
        raise DossierError("dossier.exists_again", name=d.name) from None
    return get(store, d.id)


def add_article(store: Store, dossier_id: int, article_id: int, note: str = "") -> bool:
    """Put an article in a dossier; False when it was already there (its note is then left alone)."""
    return store.dossiers.add_item(dossier_id, article_id, clean_text(note)[:MAX_NOTE], now())


def remove_article(store: Store, dossier_id: int, article_id: int) -> None:
    store.dossiers.remove_item(dossier_id, article_id, now())


def set_note(store: Store, dossier_id: int, article_id: int, note: str) -> None:
    store.dossiers.set_note(dossier_id, article_id, clean_text(note)[:MAX_NOTE])


def dossiers_of(store: Store, article_id: int) -> list[tuple[Dossier, str]]:
    """The dossiers an article is in, with its note in each (the reader shows them)."""
    return [(_dossier(record), note) for record, note in store.dossiers.of_article(article_id)]


def items(store: Store, dossier_id: int, order: str = "added") -> list[DossierItem]:
    """The dossier's articles, newest added first (``order="added"``) or newest published first."""
    records = store.dossiers.items(dossier_id, by_added=order == "added")
    lines = {row.id: row for row in store.article_rows([r.article_id for r in records])}
    return [
        DossierItem(lines[r.article_id], r.added, r.note, r.feed_removed)
        for r in records
        if r.article_id in lines
    ]


# -- editorial dossiers -------------------------------------------------------------------------------

_DOSSIER_PATH = re.compile(r"^/dossiers/([a-z0-9][a-z0-9-]*)/?$")
_LINK = re.compile(r"""<a\b[^>]*?\bhref=["']([^"']+)["'][^>]*>(.*?)</a>""", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


def _as_slug(text: str) -> str:
    """« Zéro artificialisation nette » → ``zero-artificialisation-nette``: how the site makes its slugs."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _link_text(inner: str) -> str:
    return clean_line(html.unescape(_TAG.sub("", inner)))


@dataclass(frozen=True, slots=True)
class EditorialDossier:
    slug: str
    title: str
    url: str
    feed_url: str
    named_by_site: bool = True
    """``title`` is the site's own name (a link's text or a tag); False when it is only the slug's words,
    which lose the accents (« Zero artificialisation nette »): a feed followed then takes its own title."""


def editorial_dossiers(article: Article) -> list[EditorialDossier]:
    """La Gazette dossiers an article belongs to, from its links to ``/dossiers/<slug>/`` pages.

    A dossier is named as the site names it: the text of a link to it, or one of the article's tags, whose
    words are its slug's (« Zéro artificialisation nette » for ``zero-artificialisation-nette``, accents
    kept). A link that says only « notre dossier » names nothing: the slug's words stand in, marked so."""
    names: dict[str, str] = {}
    bases: dict[str, str] = {}
    body = article.fulltext_html or article.content_html or article.summary_html
    for match in _LINK.finditer(body):
        url = urljoin(article.url or article.feed_url, html.unescape(match.group(1)))
        parts = urlsplit(url)
        slug_match = _DOSSIER_PATH.match(parts.path)
        if parts.scheme in ("http", "https") and slug_match:
            slug = slug_match.group(1)
            bases.setdefault(slug, f"{parts.scheme}://{parts.netloc}/dossiers/{slug}/")
            text = _link_text(match.group(2))
            if text and _as_slug(text) == slug:
                names.setdefault(slug, text)
    for tag in article.categories:
        names.setdefault(_as_slug(tag), clean_line(tag))
    found = []
    for slug, base in bases.items():
        title = names.get(slug)
        fallback = slug.replace("-", " ").capitalize()
        found.append(
            EditorialDossier(slug, title or fallback, base, base + "feed/", named_by_site=bool(title))
        )
    return found


# -- export -------------------------------------------------------------------------------------------


def _day(timestamp: int, lang: str | None) -> str:
    return i18n.format_date(timestamp, lang)


def _(message: str, lang: str | None = None) -> str:
    """Translate into ``lang`` without touching the process-wide language (an export may be asked in
    another language than the UI's)."""
    return i18n.translate(message, lang)


_EXPORTED = Np_(
    "{count} article — exported on {date} by gazette-tui",
    "{count} articles — exported on {date} by gazette-tui",
)


def _exported(count: int, lang: str | None) -> str:
    """« 3 articles — exportés le 20/11/2026 par gazette-tui »."""
    template = i18n.translate_plural(*_EXPORTED, count, lang)
    return template.format(count=i18n.format_number(count, lang), date=_day(now(), lang))


# Feed text, and the user's own (names, notes: escaping them too costs nothing and a pasted "<img …>" stays
# text), is made inert with backslashes where CommonMark (and GFM's tables and strikethrough) would read
# markup at that position, and only there (``render.commonmark_escape``): « démolition : » stays as it is,
# « <img », « [x](…) », « *gras* », a line starting « 1. » or « # » do not. A heading's text also keeps its
# "{…}" inert (attribute lists of Pandoc and kramdown, which could carry an event handler into their HTML).


def _md(text: str) -> str:
    """One line of text inside our own markup (a kicker, a lede, a tag list): shown as it is."""
    from gazette_tui.core.render import commonmark_escape

    return commonmark_escape(text)


def _md_heading(text: str) -> str:
    from gazette_tui.core.render import commonmark_escape

    return commonmark_escape(text, heading=True)


def _md_block(text: str, *, at_line_start: bool = True) -> str:
    """Text of several lines (descriptions, notes): no line starts a list, a quote, a heading or a table."""
    from gazette_tui.core.render import commonmark_escape

    return commonmark_escape(text, lines=True, at_line_start=at_line_start)


def _export_url(url: str | None) -> str | None:
    """An http(s) or mailto URL, percent-encoded so that it holds no ``<``, ``>``, quote or space (it cannot
    break out of a Markdown autolink or an HTML attribute), or None. Encoded first, then checked: a URL stored
    before checks existed keeps its link."""
    if not url:
        return None
    encoded = export_url(url.strip())
    if encoded[:7].lower() == "mailto:":
        return encoded if len(encoded) > 7 else None
    return safe_url(encoded)


def export_link(url: str | None) -> str | None:
    """The URL as the exports link it (percent-encoded, http(s) or mailto), or None: for other exports
    (« Ma Gazette »'s newsletter)."""
    return _export_url(url)


def _md_url(url: str | None) -> str | None:
    """The URL as a Markdown autolink ``<…>``, or None."""
    checked = _export_url(url)
    return f"<{checked}>" if checked else None


def export_markdown(store: Store, dossier_id: int, lang: str | None = None) -> str:
    """The dossier as Markdown, in ``lang`` (the current language when None): the dossier is the one
    level-1 heading, each article a level-2 one, the articles' own headings level 3 and below."""
    from gazette_tui.core.render import render_for_export

    dossier = get(store, dossier_id)
    lines = [f"# {_md_heading(dossier.name)}", ""]
    if dossier.description:
        lines += [_md_block(dossier.description), ""]
    entries = items(store, dossier_id)
    lines += [_exported(len(entries), lang), ""]
    for entry in entries:
        article = store.article(entry.row.id)
        rendered = render_for_export(article, lang)  # body_markdown is escaped; the rest is plain text
        lines += ["---", ""]
        if rendered.kicker:
            lines += [f"*{_md(rendered.kicker)}*", ""]
        meta = rendered.meta
        if entry.feed_removed:
            meta = f"{meta} • {_('feed removed', lang)}" if meta else _("feed removed", lang)
        lines += [f"## {_md_heading(rendered.title)}", ""]
        if meta:
            lines += [_md_block(meta), ""]
        link = _md_url(article.url)
        if link:
            lines += [link, ""]
        if rendered.tags:
            tags = ", ".join(_md(tag) for tag in rendered.tags)
            lines += [_("Tags: {tags}", lang).format(tags=tags), ""]
        if entry.note:
            note = _md_block(entry.note, at_line_start=False).replace("\n", "\n> ")
            lines += ["> **" + _md(_("Note:", lang)) + "** " + note, ""]
        if rendered.lede:
            lines += [f"**{_md(rendered.lede)}**", ""]
        if rendered.body_markdown:
            lines += [rendered.body_markdown, ""]
        if rendered.notice:
            lines += [f"*{_md(rendered.notice)}*", ""]
        links = [_md_url(url) or "" for url in rendered.links]  # numbered as in the body: keep every slot
        if links:
            lines += [_("Links:", lang), ""] + [f"{n}. {url}" for n, url in enumerate(links, 1)] + [""]
    return "\n".join(lines).rstrip() + "\n"


_CSS = (
    "body{font-family:Georgia,serif;max-width:46em;margin:2em auto;padding:0 1em;line-height:1.5;color:#222}"
    "article{border-top:1px solid #ccc;padding-top:1em;margin-top:2em}.kicker{color:#b0122b;"
    "text-transform:uppercase;font-size:.8em;letter-spacing:.05em}.meta{color:#555;font-size:.9em}"
    ".note{background:#fff8d6;border-left:4px solid #e0b800;padding:.5em 1em}.lede{font-weight:bold}"
    ".notice{color:#555;font-style:italic}table{border-collapse:collapse}"
    "td,th{border:1px solid #ccc;padding:.2em .5em}"
)


# The export's own allow-list for feed bodies: the reader's, without images (the file is self-contained) and
# without any class or id, so a feed cannot borrow our .note, .meta or .kicker styles to draw a fake note.
_EXPORT_TAGS = ALLOWED_TAGS - {"img"}
_EXPORT_ATTRIBUTES = {
    tag: kept
    for tag, names in ALLOWED_ATTRIBUTES.items()
    if (kept := names - {"class", "id"}) and tag != "img"
}


def _export_body(fragment: str) -> str:
    """A feed body for the HTML export: sanitised as stored, then again with the export's allow-list."""
    return nh3.clean(
        sanitize_html(fragment),
        tags=_EXPORT_TAGS,
        attributes=_EXPORT_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def export_html(store: Store, dossier_id: int, lang: str | None = None) -> str:
    """One self-contained HTML file in ``lang`` (the current language when None): inline style, no script,
    no remote resource but the links. The dossier is the one ``h1``, each article an ``h2`` with its chapô
    (``.lede``, as the reader shows it), the articles' own headings ``h3`` and below."""
    from gazette_tui.core.render import export_body_html, render_for_export

    dossier = get(store, dossier_id)
    e = html.escape
    code = lang or i18n.language()
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{e(code)}"><head><meta charset="utf-8">',
        f"<title>{e(dossier.name)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(dossier.name)}</h1>",
    ]
    if dossier.description:
        parts.append(f"<p>{e(dossier.description)}</p>")
    entries = items(store, dossier_id)
    parts.append(f"<p class='meta'>{e(_exported(len(entries), lang))}</p>")
    for entry in entries:
        a = store.article(entry.row.id)
        rendered = render_for_export(a, lang)  # the same kicker, meta, tags and notice as the Markdown
        lede, body_html = export_body_html(a)
        meta = rendered.meta
        if entry.feed_removed:
            meta = f"{meta} • {_('feed removed', lang)}" if meta else _("feed removed", lang)
        parts.append("<article>")
        if rendered.kicker:
            parts.append(f"<p class='kicker'>{e(rendered.kicker)}</p>")
        title = e(rendered.title)
        url = _export_url(a.url)
        if url:
            title = f'<a href="{e(url)}">{title}</a>'
        parts.append(f"<h2>{title}</h2>")
        if meta:
            parts.append(f"<p class='meta'>{e(meta)}</p>")
        if rendered.tags:
            tags = _("Tags: {tags}", lang).format(tags=", ".join(rendered.tags))
            parts.append(f"<p class='meta'>{e(tags)}</p>")
        if entry.note:
            parts.append(f"<p class='note'><strong>{e(_('Note:', lang))}</strong> {e(entry.note)}</p>")
        if lede:
            parts.append(f"<p class='lede'>{e(lede)}</p>")
        if body_html.strip():
            parts.append(_export_body(body_html))
        if rendered.notice:
            parts.append(f"<p class='notice'>{e(rendered.notice)}</p>")
        parts.append("</article>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write_export(text: str, target: Path) -> None:
    """Write atomically, 0600, never through a planted symlink (``core/files.py``): a full disk, a bad path or
    a ``kill -9`` leaves any earlier file whole. Raises :class:`WriteError` with a plain sentence."""
    write_atomic(target, text)
