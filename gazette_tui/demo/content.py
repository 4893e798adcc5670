"""The demo paper's content: rubriques, dossiers and articles, built once from the bundled sources.

Articles are written in a small text markup (see :func:`render_body`) rather than raw HTML so that the
bundled sources stay readable and every article gets the same well-formed structure. Links inside bodies
must be absolute (feed readers and full-text extractors see them out of context), so bodies are rendered
for a given base URL, which is only known once the server has a port.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from gazette_tui.demo.sources import Source

PARIS = ZoneInfo("Europe/Paris")
EDITION_DATE = datetime(2026, 11, 20, 7, 45, tzinfo=PARIS)
"""The demo's "today": the newest article is published then, the others spread over the months before."""

SITE_TITLE = "La Gazette de démonstration"
SITE_TAGLINE = "L'actualité des collectivités territoriales — site de démonstration de gazette-tui"


@dataclass(frozen=True, slots=True)
class Rubrique:
    slug: str
    title: str
    description: str


@dataclass(frozen=True, slots=True)
class Dossier:
    slug: str
    title: str
    description: str


RUBRIQUES: tuple[Rubrique, ...] = (
    Rubrique("actualite", "Actualité", "Toute l'actualité des collectivités territoriales"),
    Rubrique("club-finances", "Finances", "Budgets, fiscalité locale, dotations et commande publique"),
    Rubrique("club-rh", "Ressources humaines", "Statut, carrières, rémunérations et dialogue social"),
    Rubrique("club-technicites", "Technique", "Voirie, bâtiments, eau, énergie et services urbains"),
    Rubrique("club-prevention-securite", "Prévention-Sécurité", "Polices municipales et tranquillité"),
    Rubrique("droit-des-collectivites", "Droit des collectivités", "Jurisprudence et pratique juridique"),
    Rubrique("textes-officiels", "Textes officiels", "Lois, décrets, arrêtés et circulaires commentés"),
)
RUBRIQUES_BY_SLUG = {r.slug: r for r in RUBRIQUES}

DOSSIERS: tuple[Dossier, ...] = (
    Dossier(
        "loi-de-finances-2027",
        "Loi de finances 2027",
        "Dotations, fiscalité, péréquation : ce que le budget de l'État change pour les collectivités.",
    ),
    Dossier(
        "zero-artificialisation-nette",
        "Zéro artificialisation nette",
        "Trajectoire de sobriété foncière, documents d'urbanisme et contentieux.",
    ),
    Dossier(
        "protection-sociale-complementaire",
        "Protection sociale complémentaire",
        "Santé, prévoyance, négociation : la réforme de la PSC dans la fonction publique territoriale.",
    ),
)
DOSSIERS_BY_SLUG = {d.slug: d for d in DOSSIERS}


@dataclass(frozen=True, slots=True)
class DemoArticle:
    """An article of the demo paper. ``body_src`` is the markup; use :meth:`body_html` for HTML."""

    id: int
    key: str
    slug: str
    rubrique: str
    kicker: str
    title: str
    author: str
    published: datetime
    tags: tuple[str, ...]
    lede: str
    body_src: str
    reserved: bool = False
    dossiers: tuple[str, ...] = field(default_factory=tuple)
    updated: datetime | None = None
    """Set when the article changes after publication (drives the feeds' Last-Modified)."""

    @property
    def path(self) -> str:
        return f"/{self.rubrique}/{self.id}/{self.slug}/"

    def url(self, base_url: str) -> str:
        return base_url.rstrip("/") + self.path

    def feed_link(self, base_url: str) -> str:
        """The link given in feeds: La Gazette marks subscriber-only articles with ``?abo=1``."""
        return self.url(base_url) + ("?abo=1" if self.reserved else "")

    def lede_html(self) -> str:
        return f"<p>{_inline(self.lede, '', {})}</p>"

    def body_html(self, base_url: str) -> str:
        return render_body(self.body_src, base_url, _link_table())


def slugify(text: str, limit: int = 90) -> str:
    """A La Gazette-like slug: ASCII, lower case, hyphens, cut on a word boundary."""
    ascii_text = unicodedata.normalize("NFKD", text.replace("’", "-").replace("'", "-"))
    ascii_text = ascii_text.encode("ascii", "ignore").decode().lower()
    words = [w for w in re.split(r"[^a-z0-9]+", ascii_text) if w]
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > limit:
            break
        slug = candidate
    return slug or "article"


def _publication_date(index: int) -> datetime:
    """Deterministic dates, newest first: about 2.6 days apart, at varied times of the working day."""
    day = EDITION_DATE.date() - timedelta(days=(index * 13) // 5)
    hours = (7, 9, 10, 12, 14, 16, 17, 18)
    minute = (index * 17 + 5) % 60
    local = datetime(day.year, day.month, day.day, hours[(index * 3) % len(hours)], minute, tzinfo=PARIS)
    if index == 0:
        return EDITION_DATE
    return min(local, EDITION_DATE - timedelta(minutes=index))


def build_articles(sources: list[Source]) -> list[DemoArticle]:
    """Number, date and slug the sources; the first source is the newest article."""
    articles = []
    for index, src in enumerate(sources):
        articles.append(
            DemoArticle(
                id=931_240 - index * 37,
                key=src.key,
                slug=slugify(src.title),
                rubrique=src.rubrique,
                kicker=src.kicker,
                title=src.title,
                author=src.author,
                published=_publication_date(index),
                tags=src.tags,
                lede=src.lede,
                body_src=src.body,
                reserved=src.reserved,
                dossiers=src.dossiers,
            )
        )
    articles.sort(key=lambda a: a.published, reverse=True)
    return articles


@lru_cache(maxsize=1)
def articles() -> tuple[DemoArticle, ...]:
    """All bundled articles, newest first (built once; bodies are rendered on demand)."""
    from gazette_tui.demo.articles_a import SOURCES as PART_A
    from gazette_tui.demo.articles_b import SOURCES as PART_B

    return tuple(build_articles([*PART_A, *PART_B]))


@lru_cache(maxsize=1)
def _link_table() -> dict[str, str]:
    """Article key → path, for ``[texte](art:key)`` links in bodies."""
    return {a.key: a.path for a in articles()}


def article_by_id(article_id: int) -> DemoArticle | None:
    for article in articles():
        if article.id == article_id:
            return article
    return None


# --- the body markup ------------------------------------------------------------------------------
#
# Blocks are separated by blank lines:
#   ## Titre / ### Sous-titre        → <h2> / <h3>
#   - item (one per line)            → <ul>;  "1. item" → <ol>
#   > citation (lines joined)        → <blockquote>; a last line starting with "— " becomes <cite>
#   | a | b | (first row = header)   → <table>
#   ![texte alternatif](nom) légende | crédit   → <figure><img><figcaption>légende — crédit</figcaption>
#   anything else                    → <p>
# Inline: **gras**, [texte](art:clé), [texte](dossier:slug), [texte](https://…).

_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_FIGURE = re.compile(r"!\[([^\]]*)\]\(([\w.-]+)\)\s*(.*)")


def _href(target: str, base_url: str, links: dict[str, str]) -> str:
    base = base_url.rstrip("/")
    if target.startswith("art:"):
        return base + links.get(target[4:], "/")
    if target.startswith("dossier:"):
        return f"{base}/dossiers/{target[8:]}/"
    return target


def _inline(text: str, base_url: str, links: dict[str, str]) -> str:
    escaped = html.escape(text, quote=False)

    def link(match: re.Match[str]) -> str:
        href = html.escape(_href(match.group(2), base_url, links), quote=True)
        return f'<a href="{href}">{match.group(1)}</a>'

    return _BOLD.sub(r"<strong>\1</strong>", _LINK.sub(link, escaped))


def _table(lines: list[str], base_url: str, links: dict[str, str]) -> str:
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in lines]
    head = "".join(f"<th>{_inline(c, base_url, links)}</th>" for c in rows[0])
    body = "".join(
        "<tr>" + "".join(f"<td>{_inline(c, base_url, links)}</td>" for c in row) + "</tr>" for row in rows[1:]
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _block(block: str, base_url: str, links: dict[str, str]) -> str:
    lines = [line.strip() for line in block.strip().splitlines()]
    first = lines[0]
    if first.startswith("### "):
        return f"<h3>{_inline(first[4:], base_url, links)}</h3>"
    if first.startswith("## "):
        return f"<h2>{_inline(first[3:], base_url, links)}</h2>"
    if first.startswith("- "):
        items = "".join(f"<li>{_inline(line[2:], base_url, links)}</li>" for line in lines)
        return f"<ul>{items}</ul>"
    if re.match(r"\d+\. ", first):
        items = "".join(f"<li>{_inline(line.split('. ', 1)[1], base_url, links)}</li>" for line in lines)
        return f"<ol>{items}</ol>"
    if first.startswith(">"):
        quoted = [line.lstrip(">").strip() for line in lines]
        cite = ""
        if quoted[-1].startswith("— "):
            cite = f"<cite>{_inline(quoted.pop()[2:], base_url, links)}</cite>"
        return f"<blockquote><p>{_inline(' '.join(quoted), base_url, links)}</p>{cite}</blockquote>"
    if first.startswith("|"):
        return _table(lines, base_url, links)
    figure = _FIGURE.match(first)
    if figure:
        alt, name, caption = figure.groups()
        legend, _, credit = caption.partition("|")
        src = html.escape(f"{base_url.rstrip('/')}/medias/{name}", quote=True)
        text = _inline(legend.strip(), base_url, links)
        if credit.strip():
            text += " — " + _inline(credit.strip(), base_url, links)
        return (
            f'<figure><img src="{src}" alt="{html.escape(alt, quote=True)}">'
            f"<figcaption>{text}</figcaption></figure>"
        )
    return f"<p>{_inline(' '.join(lines), base_url, links)}</p>"


def render_body(source: str, base_url: str, links: dict[str, str] | None = None) -> str:
    """The markup described above → HTML, with absolute links on ``base_url``."""
    links = links if links is not None else {}
    blocks = [b for b in re.split(r"\n\s*\n", source.strip()) if b.strip()]
    return "\n".join(_block(block, base_url, links) for block in blocks)
