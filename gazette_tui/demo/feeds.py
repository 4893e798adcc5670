"""The demo site's feeds: RSS 2.0 shaped like La Gazette's, plus Atom, JSON Feed 1.1 and an OPML list.

RSS is the shape the product is tuned for (kicker as the first <category>, dc:creator, subscriber-only items
with the lede alone and ``?abo=1`` on the link); Atom and JSON Feed exist so the other parsers see the same
articles through a different door.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape

from gazette_tui.demo.content import DOSSIERS, RUBRIQUES, SITE_TAGLINE, SITE_TITLE, DemoArticle
from gazette_tui.demo.media import ATTACHMENTS, clock, media_size

# GUIDs must not carry the server's address: the demo port changes between runs, and a guid that changed
# would make every article new again in the demo profile's cache.
GUID_BASE = "https://demo.gazette-tui.test"


@dataclass(frozen=True, slots=True)
class FeedSpec:
    """One feed of the site: where it lives, what it is called, which folder it belongs in."""

    path: str
    title: str
    folder: str
    description: str
    select: Callable[[DemoArticle], bool]
    html_path: str = "/"


def _all(_article: DemoArticle) -> bool:
    return True


def _in_rubrique(slug: str) -> Callable[[DemoArticle], bool]:
    return lambda article: article.rubrique == slug


def _in_dossier(slug: str) -> Callable[[DemoArticle], bool]:
    return lambda article: slug in article.dossiers


def feed_specs() -> list[FeedSpec]:
    """Every feed, in the order a subscription list shows them: the front page, rubriques, dossiers."""
    specs = [FeedSpec("/feed/", f"{SITE_TITLE} — Toute l’actualité", "À la une", SITE_TAGLINE, _all, "/")]
    specs += [
        FeedSpec(f"/rubriques/{r.slug}/feed/", f"{SITE_TITLE} — {r.title}", r.title, r.description,
                 _in_rubrique(r.slug), f"/rubriques/{r.slug}/")
        for r in RUBRIQUES
    ]  # fmt: skip
    specs += [
        FeedSpec(f"/dossiers/{d.slug}/feed/", f"{SITE_TITLE} — Dossier : {d.title}", "Dossiers",
                 d.description, _in_dossier(d.slug), f"/dossiers/{d.slug}/")
        for d in DOSSIERS
    ]  # fmt: skip
    return specs


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _x(text: str) -> str:
    return escape(text, quote=True)


def rss(spec: FeedSpec, items: Sequence[DemoArticle], base_url: str, built: datetime) -> str:
    base = base_url.rstrip("/")
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom"'
        ' xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">',
        "<channel>",
        f"<title>{_x(spec.title)}</title>",
        f'<atom:link href="{_x(base + spec.path)}" rel="self" type="application/rss+xml"/>',
        f"<link>{_x(base + spec.html_path)}</link>",
        f"<description>{_x(spec.description)}</description>",
        f"<lastBuildDate>{format_datetime(built)}</lastBuildDate>",
        "<language>fr-FR</language>",
        "<generator>gazette-tui demo</generator>",
    ]
    for article in items:
        categories = "".join(f"<category>{_cdata(c)}</category>" for c in (article.kicker, *article.tags))
        content = (
            ""
            if article.reserved
            else f"<content:encoded>{_cdata(article.body_html(base))}</content:encoded>"
        )
        parts.append(
            "<item>"
            f"<title>{_x(article.title)}</title>"
            f"<link>{_x(article.feed_link(base))}</link>"
            f"<dc:creator>{_cdata(article.author)}</dc:creator>"
            f"<pubDate>{format_datetime(article.published)}</pubDate>"
            f"{categories}"
            f'<guid isPermaLink="false">{GUID_BASE}/?p={article.id}</guid>'
            f"<description>{_cdata(article.lede_html())}</description>"
            f"{content}{_rss_enclosures(article, base)}"
            "</item>"
        )
    parts += ["</channel>", "</rss>", ""]
    return "\n".join(parts)


def _rss_enclosures(article: DemoArticle, base: str) -> str:
    """A podcast's way: the episode first, with its duration (``itunes:duration``), then the documents."""
    found = ATTACHMENTS.get(article.key, ())
    parts = [
        f'<enclosure url="{_x(f"{base}/medias/{m.name}")}" type="{m.content_type}" length="{media_size(m)}"/>'
        for m in found
    ]
    if found and found[0].duration:
        parts.append(f"<itunes:duration>{clock(found[0].duration)}</itunes:duration>")
    return "".join(parts)


def _atom_enclosures(article: DemoArticle, base: str) -> str:
    return "".join(
        f'<link rel="enclosure" href="{_x(f"{base}/medias/{m.name}")}" type="{m.content_type}"'
        f' length="{media_size(m)}"/>'
        for m in ATTACHMENTS.get(article.key, ())
    )


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def atom(spec: FeedSpec, items: Sequence[DemoArticle], base_url: str, built: datetime) -> str:
    base = base_url.rstrip("/")
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">',
        f"<title>{_x(spec.title)}</title>",
        f"<subtitle>{_x(spec.description)}</subtitle>",
        f'<link rel="alternate" type="text/html" href="{_x(base + spec.html_path)}"/>',
        f'<link rel="self" type="application/atom+xml" href="{_x(base + spec.path)}?format=atom"/>',
        f"<id>{_x(base + spec.path)}</id>",
        f"<updated>{_iso(built)}</updated>",
    ]
    for article in items:
        categories = "".join(f'<category term="{_x(c)}"/>' for c in (article.kicker, *article.tags))
        content = "" if article.reserved else f'<content type="html">{_x(article.body_html(base))}</content>'
        parts.append(
            "<entry>"
            f"<title>{_x(article.title)}</title>"
            f'<link rel="alternate" type="text/html" href="{_x(article.feed_link(base))}"/>'
            f"<id>{GUID_BASE}/?p={article.id}</id>"
            f"<published>{_iso(article.published)}</published>"
            f"<updated>{_iso(article.published)}</updated>"
            f"<author><name>{_x(article.author)}</name></author>"
            f"{categories}"
            f'<summary type="html">{_x(article.lede_html())}</summary>'
            f"{content}{_atom_enclosures(article, base)}"
            "</entry>"
        )
    parts += ["</feed>", ""]
    return "\n".join(parts)


def json_feed(spec: FeedSpec, items: Sequence[DemoArticle], base_url: str) -> str:
    base = base_url.rstrip("/")
    entries = []
    for article in items:
        entry: dict[str, object] = {
            "id": f"{GUID_BASE}/?p={article.id}",
            "url": article.feed_link(base),
            "title": article.title,
            "summary": article.lede,
            "date_published": _iso(article.published),
            "authors": [{"name": article.author}],
            "tags": [article.kicker, *article.tags],
        }
        if not article.reserved:
            entry["content_html"] = article.body_html(base)
        if ATTACHMENTS.get(article.key):
            entry["attachments"] = [
                {
                    "url": f"{base}/medias/{media.name}",
                    "mime_type": media.content_type,
                    "size_in_bytes": media_size(media),
                    **({"duration_in_seconds": media.duration} if media.duration else {}),
                }
                for media in ATTACHMENTS[article.key]
            ]
        entries.append(entry)
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": spec.title,
        "home_page_url": base + spec.html_path,
        "feed_url": f"{base}{spec.path}json" if spec.path == "/feed/" else f"{base}{spec.path}?format=json",
        "description": spec.description,
        "language": "fr-FR",
        "items": entries,
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def opml(specs: Iterable[FeedSpec], base_url: str, created: datetime) -> str:
    """OPML 2.0 with one outline folder per rubrique (folders hold one feed each, as La Gazette's do)."""
    base = base_url.rstrip("/")
    folders: dict[str, list[FeedSpec]] = {}
    for spec in specs:
        folders.setdefault(spec.folder, []).append(spec)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        "<head>",
        f"<title>{_x(SITE_TITLE)} — abonnements</title>",
        f"<dateCreated>{format_datetime(created.astimezone(UTC), usegmt=True)}</dateCreated>",
        "</head>",
        "<body>",
    ]
    for folder, members in folders.items():
        parts.append(f'<outline text="{_x(folder)}" title="{_x(folder)}">')
        for spec in members:
            parts.append(
                f'  <outline type="rss" text="{_x(spec.title)}" title="{_x(spec.title)}"'
                f' xmlUrl="{_x(base + spec.path)}" htmlUrl="{_x(base + spec.html_path)}"/>'
            )
        parts.append("</outline>")
    parts += ["</body>", "</opml>", ""]
    return "\n".join(parts)
