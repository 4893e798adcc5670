"""« Ma Gazette »: the new articles of the themes the reader follows, grouped by theme, for the TUI's page
and for ``gazette-tui digest`` (Markdown, self-contained HTML, plain text).

A theme (:class:`Theme`, stored in ``themes``: backup and repair carry it) is a rubrique, a tag (a category
of cached articles, exactly as stored), an alerte or one of the user's dossiers (a La Gazette dossier the
reader follows is a feed of the rubrique « Dossiers », and its name is a tag of its articles). « New » is:

- for a rubrique or a tag, published since the start of the window;
- for an alerte, its search's matches published since then (the search engine is the face's to give,
  :data:`AlertFinder`: the library knows nothing of search);
- for a dossier, put in it since then.

The TUI's window starts at the beginning of today, or at the last visit when it was before today (at most
:data:`MAX_DAYS` ago); the digest's is ``--since`` (a day by default). Each theme brings at most
``per_theme`` articles, and an article shows once, under the first theme that brings it. Every field is
plain text; the exports escape it (CommonMark escapes, ``html.escape``) and keep only http(s) links.
"""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from gazette_tui import i18n
from gazette_tui.core.library.dossiers import export_link
from gazette_tui.core.render import commonmark_escape, meta_line
from gazette_tui.core.storage.store import Store, now
from gazette_tui.core.storage.themes import KINDS, CardRecord
from gazette_tui.errors import N_, InputError, Np_, QueryError
from gazette_tui.models import Article
from gazette_tui.text import clean_line, html_to_text

LAST_VISIT = "ma_gazette.last_visit"
"""``meta`` key: when the TUI's page was last closed (a Unix time)."""
PER_THEME = 20
"""Articles a theme brings at most."""
MAX_DAYS = 7
"""The TUI's window never starts further back than this, however long ago the last visit was."""
LEDE_CHARS = 320

AlertFinder = Callable[[str, int, int], list[int]]
"""(an alerte's query, since, limit) → the ids of its newest matches published since then, newest first.
Raises :class:`QueryError` when the query no longer runs."""

_KIND_WORDS = {
    "rubrique": "rubrique",
    "tag": "tag",
    "categorie": "tag",
    "catégorie": "tag",
    "category": "tag",
    "alert": "alert",
    "alerte": "alert",
    "dossier": "dossier",
}
_LABELS = {
    "rubrique": N_("Rubrique “{name}”"),
    "tag": N_("Tag “{name}”"),
    "alert": N_("Alert “{name}”"),
    "dossier": N_("Dossier “{name}”"),
}
_NEW = Np_("{count} new article since {date}", "{count} new articles since {date}")


class ThemeError(InputError):
    """A theme or a window the user typed cannot be understood."""


def _(message: str, lang: str | None = None) -> str:
    return i18n.translate(message, lang)


@dataclass(frozen=True, slots=True)
class Theme:
    kind: str
    """"rubrique", "tag", "alert" or "dossier"."""
    value: str

    def label(self, lang: str | None = None) -> str:
        """« Rubrique « Finances » », "Tag “DGF”"…"""
        return _(_LABELS[self.kind], lang).format(name=self.value)

    @property
    def spec(self) -> str:
        """``kind:value``, as ``digest --themes`` takes it."""
        return f"{self.kind}:{self.value}"


def parse_theme(text: str) -> Theme:
    """``rubrique:Finances``, ``tag:DGF``, ``alerte:Budget``, ``dossier:Veille RH`` (kinds in French or
    English); raises :class:`ThemeError`."""
    kind, colon, value = text.partition(":")
    word = _KIND_WORDS.get(kind.strip().casefold())
    cleaned = clean_line(value)
    if not colon or word is None or not cleaned:
        raise ThemeError("theme.bad", theme=clean_line(text))
    return Theme(word, cleaned)


_DURATION = re.compile(r"^\s*(\d{1,4})\s*([hdjws])\s*$", re.IGNORECASE)
_HOURS = {"h": 1, "d": 24, "j": 24, "w": 24 * 7, "s": 24 * 7}


def parse_since(text: str, when: int | None = None) -> int:
    """The start of a window: a duration before now (``12h``, ``1d``/``1j``, ``2w``/``2s``) or a day
    (``2026-11-20``, from its midnight, local time); raises :class:`ThemeError`."""
    when = now() if when is None else when
    match = _DURATION.match(text)
    if match:
        return when - int(match.group(1)) * _HOURS[match.group(2).lower()] * 3600
    try:
        day = datetime.strptime(text.strip(), "%Y-%m-%d")
    except ValueError:
        raise ThemeError("digest.bad_since", since=clean_line(text)) from None
    return int(day.timestamp())  # naive: the local midnight of that day


def start_of_day(when: int) -> int:
    moment = datetime.fromtimestamp(when).replace(hour=0, minute=0, second=0, microsecond=0)
    return int(moment.timestamp())


def window_start(store: Store, when: int | None = None) -> int:
    """The TUI's window: today, or since the last visit when that was before today (:data:`MAX_DAYS` at
    most)."""
    when = now() if when is None else when
    today = start_of_day(when)
    stored = store.meta(LAST_VISIT)
    last = int(stored) if stored and stored.isdigit() else today
    oldest = int((datetime.fromtimestamp(today) - timedelta(days=MAX_DAYS)).timestamp())
    return max(min(last, today), oldest)


def record_visit(store: Store, when: int | None = None) -> None:
    """The page was seen: the next window starts from now if it opens another day."""
    store.set_meta(LAST_VISIT, str(now() if when is None else when))


def chosen(store: Store) -> list[Theme]:
    """The themes followed, in the order they were chosen."""
    return [Theme(record.kind, record.value) for record in store.themes.all() if record.kind in KINDS]


def choose(store: Store, themes: Sequence[Theme]) -> None:
    """Follow exactly ``themes`` (one transaction)."""
    store.themes.replace([(theme.kind, clean_line(theme.value)) for theme in themes], now())


@dataclass(slots=True)
class Candidates:
    """What the themes dialog offers: (name, number of articles) of each kind, and the themes chosen."""

    rubriques: list[tuple[str, int]]
    tags: list[tuple[str, int]]
    """Most frequent first (the dialog shows a bounded number, filtered as the user types)."""
    alerts: list[str]
    dossiers: list[tuple[str, int]]
    chosen: list[Theme]


def candidates(store: Store) -> Candidates:
    return Candidates(
        store.themes.rubrique_counts(),
        store.themes.tag_counts(),
        [alert.name for alert in store.alerts.all()],
        [(record.name, record.size) for record in store.dossiers.all()],
        chosen(store),
    )


# -- the edition -------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Card:
    """One article as the page shows it: all plain text (``url``: http(s) only, or "")."""

    id: int
    kicker: str
    title: str
    meta: str
    lede: str
    url: str
    read: bool = False


@dataclass(slots=True)
class Section:
    theme: Theme
    cards: list[Card]


@dataclass(slots=True)
class Edition:
    since: int
    until: int
    sections: list[Section] = field(default_factory=list)
    """The themes with something new, in the order chosen."""
    quiet: list[Theme] = field(default_factory=list)
    """Themes with nothing new."""
    missing: list[Theme] = field(default_factory=list)
    """Alertes and dossiers that no longer exist, or an alerte whose search no longer runs."""
    themes: int = 0
    """How many themes were asked (0: none chosen yet)."""

    @property
    def ids(self) -> list[int]:
        """Every article of the edition, in the page's order (each once)."""
        return [card.id for section in self.sections for card in section.cards]


def _lede(summary_html: str) -> str:
    text = html_to_text(summary_html).replace("\n", " ").strip()
    if len(text) <= LEDE_CHARS:
        return text
    return text[:LEDE_CHARS].rsplit(" ", 1)[0].rstrip(",;:.") + " …"


def _card(record: CardRecord, lang: str | None) -> Card:
    article = Article(
        id=record.id,
        feed_id=None,
        feed_title=record.feed_title,
        feed_url="",
        rubrique=record.rubrique,
        title=record.title,
        kicker=record.kicker,
        author=record.author,
        published=record.published,
        updated=None,
        url=record.url,
        categories=record.categories,
        summary_html="",
        content_html="",
        fulltext_html="",
        reserved=record.reserved,
        read=record.read,
        starred=False,
        undated=record.undated,
    )
    return Card(
        record.id,
        clean_line(record.kicker),
        clean_line(record.title) or _("(untitled)", lang),
        meta_line(article, lang),
        _lede(record.summary_html),
        export_link(record.url) or "",
        record.read,
    )


def build(
    store: Store,
    themes: Sequence[Theme] | None = None,
    *,
    since: int,
    until: int | None = None,
    alerts: AlertFinder | None = None,
    per_theme: int = PER_THEME,
    lang: str | None = None,
) -> Edition:
    """The edition of ``themes`` (the chosen ones when None) since ``since``: one query per kind of theme,
    one per alerte, then one for the cards."""
    themes = chosen(store) if themes is None else list(themes)
    edition = Edition(since, now() if until is None else until, themes=len(themes))
    values: dict[str, list[str]] = {kind: [] for kind in KINDS}
    for theme in themes:
        values[theme.kind].append(theme.value)
    found: dict[Theme, list[int]] = {}
    for name, ids in store.themes.in_rubriques(values["rubrique"], since, per_theme).items():
        found[Theme("rubrique", name)] = ids
    for name, ids in store.themes.with_tags(values["tag"], since, per_theme).items():
        found[Theme("tag", name)] = ids
    for name, ids in store.themes.in_dossiers(values["dossier"], since, per_theme).items():
        found[Theme("dossier", name)] = ids
    dossier_names = {d.name.casefold() for d in store.dossiers.all()} if values["dossier"] else set()
    queries = {a.name.casefold(): a.query for a in store.alerts.all()} if values["alert"] else {}
    missing: set[Theme] = set()
    for theme in themes:
        if theme.kind == "dossier" and theme.value.casefold() not in dossier_names:
            missing.add(theme)
        if theme.kind != "alert":
            continue
        query = queries.get(theme.value.casefold())
        if query is None or alerts is None:
            missing.add(theme)
            continue
        try:
            found[theme] = alerts(query, since, per_theme)
        except QueryError:
            missing.add(theme)
    cards = store.themes.cards(sorted({i for ids in found.values() for i in ids}))
    shown: set[int] = set()
    links: set[str] = set()
    for theme in themes:
        if theme in missing:
            edition.missing.append(theme)
            continue
        section = Section(theme, [])
        for article_id in found.get(theme, []):
            record = cards.get(article_id)
            if record is None or article_id in shown or (record.url and record.url in links):
                continue  # already under an earlier theme (or another feed's copy of it)
            shown.add(article_id)
            if record.url:
                links.add(record.url)
            section.cards.append(_card(record, lang))
        if section.cards:
            edition.sections.append(section)
        else:
            edition.quiet.append(theme)
    return edition


def summary(edition: Edition, lang: str | None = None) -> str:
    """« 12 nouveaux articles depuis le 20/11/2026 »."""
    count = len(edition.ids)
    template = i18n.translate_plural(*_NEW, count, lang)
    since = i18n.format_datetime(edition.since, lang)
    return template.format(count=i18n.format_number(count, lang), date=since)


def _quiet_line(themes: Sequence[Theme], lang: str | None) -> str:
    return _("Nothing new: {themes}", lang).format(themes=", ".join(t.label(lang) for t in themes))


def _missing_line(themes: Sequence[Theme], lang: str | None) -> str:
    return _("No longer found: {themes}", lang).format(themes=", ".join(t.label(lang) for t in themes))


def title_of(edition: Edition, lang: str | None = None) -> str:
    """« Ma Gazette — 20/11/2026 »."""
    return _("My Gazette — {date}", lang).format(date=i18n.format_date(edition.until, lang))


# -- the newsletter ----------------------------------------------------------------------------------------


def as_text(edition: Edition, lang: str | None = None, width: int = 78) -> str:
    """Plain text for a terminal or a text mail: no markup, no escape sequence, links whole."""

    def wrap(text: str) -> list[str]:
        return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]

    title = title_of(edition, lang)
    lines = [title, "=" * len(title), *wrap(summary(edition, lang)), ""]
    for section in edition.sections:
        label = section.theme.label(lang)
        lines += [label, "-" * len(label), ""]
        for card in section.cards:
            if card.kicker:
                lines += wrap(card.kicker.upper())
            lines += wrap(card.title)
            if card.meta:
                lines += wrap(card.meta)
            if card.lede:
                lines += wrap(card.lede)
            if card.url:
                lines.append(card.url)
            lines.append("")
    if edition.quiet:
        lines += [*wrap(_quiet_line(edition.quiet, lang)), ""]
    if edition.missing:
        lines += [*wrap(_missing_line(edition.missing, lang)), ""]
    if not edition.themes:
        lines += [*wrap(_no_theme(lang)), ""]
    return "\n".join(lines).rstrip() + "\n"


def _no_theme(lang: str | None) -> str:
    return _("No theme chosen yet: choose them in the app (key W) or name them with --themes.", lang)


def as_markdown(edition: Edition, lang: str | None = None) -> str:
    """CommonMark: feed text escaped where it would be markup (as the dossier export does), links as
    autolinks of checked http(s) URLs."""
    lines = [f"# {commonmark_escape(title_of(edition, lang), heading=True)}", "", summary(edition, lang), ""]
    for section in edition.sections:
        lines += [f"## {commonmark_escape(section.theme.label(lang), heading=True)}", ""]
        for card in section.cards:
            if card.kicker:
                lines += [f"*{commonmark_escape(card.kicker)}*", ""]
            lines += [f"### {commonmark_escape(card.title, heading=True)}", ""]
            if card.meta:
                lines += [commonmark_escape(card.meta, at_line_start=True), ""]
            if card.lede:
                lines += [commonmark_escape(card.lede, at_line_start=True), ""]
            if card.url:
                lines += [f"<{card.url}>", ""]
    for line, themes in ((_quiet_line, edition.quiet), (_missing_line, edition.missing)):
        if themes:
            lines += [commonmark_escape(line(themes, lang), at_line_start=True), ""]
    if not edition.themes:
        lines += [commonmark_escape(_no_theme(lang), at_line_start=True), ""]
    return "\n".join(lines).rstrip() + "\n"


# Styles on the elements themselves: mail readers drop <style> blocks and remote sheets.
_STYLE = {
    "body": "font-family:Georgia,serif;max-width:42em;margin:1em auto;padding:0 1em;line-height:1.45;"
    "color:#222",
    "h1": "font-size:1.6em;margin:.2em 0;color:#b0122b",
    "h2": "font-size:1.15em;margin:1.6em 0 .4em;padding-bottom:.2em;border-bottom:2px solid #b0122b",
    "kicker": "margin:1em 0 0;color:#b0122b;text-transform:uppercase;font-size:.8em;letter-spacing:.05em",
    "h3": "font-size:1.05em;margin:.1em 0",
    "a": "color:#222;text-decoration:none",
    "meta": "margin:.1em 0;color:#555;font-size:.85em",
    "lede": "margin:.3em 0 0",
    "note": "color:#555;font-style:italic",
}


def as_html(edition: Edition, lang: str | None = None) -> str:
    """One self-contained page, safe to mail: every field escaped (no feed HTML goes in at all: the lede is
    plain text), inline styles, no script, no image, no remote resource but the articles' links."""
    e = html.escape
    code = lang or i18n.language()
    s = _STYLE
    title = title_of(edition, lang)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{e(code)}"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{e(title)}</title></head>",
        f'<body style="{s["body"]}">',
        f'<h1 style="{s["h1"]}">{e(title)}</h1>',
        f'<p style="{s["meta"]}">{e(summary(edition, lang))}</p>',
    ]
    for section in edition.sections:
        parts.append(f'<h2 style="{s["h2"]}">{e(section.theme.label(lang))}</h2>')
        for card in section.cards:
            parts.append("<div>")
            if card.kicker:
                parts.append(f'<p style="{s["kicker"]}">{e(card.kicker)}</p>')
            heading = e(card.title)
            if card.url:
                heading = f'<a href="{e(card.url)}" style="{s["a"]}">{heading}</a>'
            parts.append(f'<h3 style="{s["h3"]}">{heading}</h3>')
            if card.meta:
                parts.append(f'<p style="{s["meta"]}">{e(card.meta)}</p>')
            if card.lede:
                parts.append(f'<p style="{s["lede"]}">{e(card.lede)}</p>')
            parts.append("</div>")
    for line, themes in ((_quiet_line, edition.quiet), (_missing_line, edition.missing)):
        if themes:
            parts.append(f'<p style="{s["note"]}">{e(line(themes, lang))}</p>')
    if not edition.themes:
        parts.append(f'<p style="{s["note"]}">{e(_no_theme(lang))}</p>')
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


FORMATS: dict[str, Callable[[Edition, str | None], str]] = {
    "md": as_markdown,
    "html": as_html,
    "text": as_text,
}
