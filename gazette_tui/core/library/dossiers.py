"""Dossiers: the reader's own collections of articles, kept forever and exportable.

"Forever" is enforced where articles could disappear: ``Store.prune`` and ``Store.remove_feed`` never delete
an article that is in a dossier (or starred); an article whose feed was removed stays readable, detached
(``feed_id`` NULL) and shown as "flux supprimé".
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import nh3

from gazette_tui.core.files import write_atomic
from gazette_tui.core.storage.db import NameTaken
from gazette_tui.core.storage.dossiers import DossierRecord
from gazette_tui.core.storage.store import Store, now
from gazette_tui.errors import GazetteError, NotFoundError
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
        raise DossierError("Le nom d'un dossier ne peut pas contenir de caractères de contrôle.")
    cleaned = clean_line(name)
    if not cleaned:
        raise DossierError("Le nom d'un dossier ne peut pas être vide.")
    if "/" in cleaned or "\\" in cleaned:
        raise DossierError("Le nom d'un dossier ne peut pas contenir « / » ni « \\ ».")
    if len(cleaned) > MAX_NAME:
        raise DossierError(f"Le nom d'un dossier est limité à {MAX_NAME} caractères.")
    return cleaned


def _dossier(record: DossierRecord) -> Dossier:
    return Dossier(record.id, record.name, record.description, record.created, record.updated, record.size)


def _exists(name: str) -> DossierError:
    return DossierError(f"Un dossier « {name} » existe déjà.")


def list_dossiers(store: Store) -> list[Dossier]:
    """Every dossier, most recently changed first."""
    return [_dossier(record) for record in store.dossiers.all()]


def get(store: Store, name_or_id: str | int) -> Dossier:
    if isinstance(name_or_id, int):
        record = store.dossiers.get(name_or_id)
    else:
        record = store.dossiers.find(clean_line(name_or_id))
    if record is None:
        raise NotFoundError(f"Aucun dossier « {clean_line(str(name_or_id))} ».")
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
        raise DossierError(f"Un dossier « {d.name} » existe de nouveau ; annulation impossible.") from None
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
_HREF = re.compile(r"""href=["']([^"']+)["']""")


@dataclass(frozen=True, slots=True)
class EditorialDossier:
    slug: str
    title: str
    url: str
    feed_url: str


def editorial_dossiers(article: Article) -> list[EditorialDossier]:
    """La Gazette dossiers an article belongs to, from its links to ``/dossiers/<slug>/`` pages."""
    found: dict[str, EditorialDossier] = {}
    body = article.fulltext_html or article.content_html or article.summary_html
    for match in _HREF.finditer(body):
        url = urljoin(article.url or article.feed_url, html.unescape(match.group(1)))
        parts = urlsplit(url)
        slug_match = _DOSSIER_PATH.match(parts.path)
        if parts.scheme in ("http", "https") and slug_match:
            slug = slug_match.group(1)
            base = f"{parts.scheme}://{parts.netloc}/dossiers/{slug}/"
            title = slug.replace("-", " ").capitalize()
            found.setdefault(slug, EditorialDossier(slug, title, base, base + "feed/"))
    return list(found.values())


# -- export -------------------------------------------------------------------------------------------


def _day(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, UTC).astimezone().strftime("%d/%m/%Y")


# Feed text, and the user's own (names, notes: escaping them too costs nothing and a pasted "<img …>" stays
# text), is made inert with backslashes: CommonMark renders "\X" as X for any ASCII punctuation, so the text
# reads the same once rendered. Escaped: what starts markup in CommonMark and GFM (inline HTML and autolinks
# "<", emphasis, code, link and image brackets, headings "#", tables "|", strikethrough "~") and in common
# extensions (Pandoc/kramdown attribute lists "{…}", math "$"); "&" only where it could start an entity.
# "(", ")" and "!" are left as they are: they make a link or an image only after "[…]", always escaped.
_MD_SPECIAL = re.compile(r"[\\`*_{}\[\]<>#|~$]|&(?=[#A-Za-z0-9])")
# At the start of a line of several-line text: a list item, a setext underline or a thematic break.
_MD_LINE_START = re.compile(r"^([ \t]*)(?:([-+=])|(\d{1,9})([.)]))", re.MULTILINE)


def _md(text: str) -> str:
    """Text shown as it is in any Markdown renderer, never as markup (one line: titles, names, meta)."""
    return _MD_SPECIAL.sub(r"\\\g<0>", text)


def _md_line_start(match: re.Match[str]) -> str:
    indent, sign, number, delimiter = match.groups()
    return f"{indent}\\{sign}" if sign else f"{indent}{number}\\{delimiter}"


def _md_block(text: str) -> str:
    """:func:`_md` for text of several lines (descriptions, notes): no line starts a list or a heading."""
    return _MD_LINE_START.sub(_md_line_start, _md(text))


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


def _md_url(url: str | None) -> str | None:
    """The URL as a Markdown autolink ``<…>``, or None."""
    checked = _export_url(url)
    return f"<{checked}>" if checked else None


def export_markdown(store: Store, dossier_id: int, lang: str | None = None) -> str:
    from gazette_tui.core.render import render_article

    dossier = get(store, dossier_id)
    lines = [f"# {_md(dossier.name)}", ""]
    if dossier.description:
        lines += [_md_block(dossier.description), ""]
    entries = items(store, dossier_id)
    lines += [f"{len(entries)} article(s) — exporté le {_day(now())} par gazette-tui", ""]
    for entry in entries:
        article = store.article(entry.row.id)
        rendered = render_article(article, lang)  # body_markdown is escaped by render; the rest is plain text
        lines += ["---", ""]
        if rendered.kicker:
            lines += [f"*{_md(rendered.kicker)}*", ""]
        lines += [f"## {_md(rendered.title)}", "", _md(rendered.meta)]
        if entry.feed_removed:
            lines[-1] += " • flux supprimé"
        lines.append("")
        link = _md_url(article.url)
        if link:
            lines += [link, ""]
        if rendered.tags:
            lines += ["Étiquettes : " + ", ".join(_md(tag) for tag in rendered.tags), ""]
        if entry.note:
            lines += ["> **Note :** " + _md_block(entry.note).replace("\n", "\n> "), ""]
        if rendered.lede:
            lines += [f"**{_md(rendered.lede)}**", ""]
        if rendered.body_markdown:
            lines += [rendered.body_markdown, ""]
        if rendered.notice:
            lines += [f"_{_md(rendered.notice)}_", ""]
        links = [_md_url(url) or "" for url in rendered.links]  # numbered as in the body: keep every slot
        if links:
            lines += ["Liens :", ""] + [f"{n}. {url}" for n, url in enumerate(links, 1)] + [""]
    return "\n".join(lines).rstrip() + "\n"


_CSS = (
    "body{font-family:Georgia,serif;max-width:46em;margin:2em auto;padding:0 1em;line-height:1.5;color:#222}"
    "article{border-top:1px solid #ccc;padding-top:1em;margin-top:2em}.kicker{color:#b0122b;"
    "text-transform:uppercase;font-size:.8em;letter-spacing:.05em}.meta{color:#555;font-size:.9em}"
    ".note{background:#fff8d6;border-left:4px solid #e0b800;padding:.5em 1em}.lede{font-weight:bold}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em}"
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


def export_html(store: Store, dossier_id: int) -> str:
    """One self-contained HTML file: inline style, no script, no remote resource but the links."""
    dossier = get(store, dossier_id)
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="fr"><head><meta charset="utf-8">',
        f"<title>{e(dossier.name)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(dossier.name)}</h1>",
    ]
    if dossier.description:
        parts.append(f"<p>{e(dossier.description)}</p>")
    entries = items(store, dossier_id)
    parts.append(f"<p class='meta'>{len(entries)} article(s) — exporté le {_day(now())} par gazette-tui</p>")
    for entry in entries:
        a = store.article(entry.row.id)
        body = _export_body(a.fulltext_html or a.content_html or a.summary_html)
        meta = [f"Publié le {_day(a.published)}"]
        if a.author:
            meta.append(f"Par {e(a.author)}")
        if a.rubrique or a.feed_title:
            meta.append(f"dans : {e(a.rubrique or a.feed_title)}")
        if entry.feed_removed:
            meta.append("flux supprimé")
        parts.append("<article>")
        if a.kicker:
            parts.append(f"<p class='kicker'>{e(a.kicker)}</p>")
        title = e(a.title)
        url = _export_url(a.url)
        if url:
            title = f'<a href="{e(url)}">{title}</a>'
        parts.append(f"<h2>{title}</h2><p class='meta'>{' • '.join(meta)}</p>")
        if a.categories:
            parts.append(f"<p class='meta'>Étiquettes : {e(', '.join(a.categories))}</p>")
        if entry.note:
            parts.append(f"<p class='note'><strong>Note :</strong> {e(entry.note)}</p>")
        parts.append(body)
        parts.append("</article>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write_export(text: str, target: Path) -> None:
    """Write atomically, 0600, never through a planted symlink (``core/files.py``): a full disk, a bad path or
    a ``kill -9`` leaves any earlier file whole. Raises :class:`WriteError` with a plain sentence."""
    write_atomic(target, text)
