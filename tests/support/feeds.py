"""Feed documents for tests, generated here (synthetic French local-government news)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape

BASE_DATE = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)

TOPICS = [
    ("Budget", "Le conseil municipal adopte un budget primitif en hausse", "Finances"),
    ("Intercommunalité", "La communauté de communes reprend la compétence eau", "Actualité"),
    ("Ressources humaines", "Les agents territoriaux et le télétravail : premier bilan", "RH"),
    ("Urbanisme", "Zéro artificialisation nette : les élus demandent du temps", "Urbanisme"),
    ("Démocratie locale", "Démocratie participative : un budget citoyen à Villeneuve", "Actualité"),
]


def item_xml(
    index: int,
    *,
    guid: bool = True,
    link: bool = True,
    title: str | None = None,
    body: str | None = None,
    date: str | None = None,
    categories: list[str] | None = None,
) -> str:
    kicker, base_title, rubrique = TOPICS[index % len(TOPICS)]
    title = title if title is not None else f"{base_title} (n° {index})"
    published = date if date is not None else format_datetime(BASE_DATE - timedelta(hours=index))
    body = (
        body
        if body is not None
        else (
            f"<p>Les élus de la commune n° {index} ont débattu longuement.</p>"
            f"<h2>Un contexte budgétaire tendu</h2><p>La dotation globale de fonctionnement baisse.</p>"
        )
    )
    cats = categories if categories is not None else [kicker, rubrique]
    parts = [f"<title>{escape(title)}</title>"]
    if link:
        parts.append(f"<link>https://exemple.test/actualite/{index}/article/</link>")
    if guid:
        parts.append(f'<guid isPermaLink="false">exemple-{index}</guid>')
    if published:
        parts.append(f"<pubDate>{published}</pubDate>")
    parts.append("<dc:creator>Camille Durand</dc:creator>")
    parts += [f"<category>{escape(c)}</category>" for c in cats]
    parts.append(f"<description>{escape('<p>Résumé de l’article ' + str(index) + '.</p>')}</description>")
    parts.append(f"<content:encoded><![CDATA[{body}]]></content:encoded>")
    return "<item>" + "".join(parts) + "</item>"


def rss(items: list[str] | int, title: str = "Flux d'essai") -> bytes:
    if isinstance(items, int):
        items = [item_xml(i) for i in range(items)]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>{escape(title)}</title><link>https://exemple.test/</link><description>Essai</description>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


def atom(count: int = 3) -> bytes:
    entries = "".join(
        f"<entry><title type='html'>Atom &amp;lt;b&amp;gt;n° {i}&amp;lt;/b&amp;gt;</title>"
        f"<id>urn:atom:{i}</id><link rel='alternate' href='https://exemple.test/atom/{i}'/>"
        f"<updated>2026-11-1{i}T10:00:00+01:00</updated><author><name>Léa Martin</name></author>"
        f"<category term='Finances'/><summary type='html'>&lt;p&gt;Résumé {i}&lt;/p&gt;</summary>"
        f"<content type='html'>&lt;p&gt;Corps de l’article {i}.&lt;/p&gt;</content></entry>"
        for i in range(count)
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
        "<title>Flux Atom</title><link href='https://exemple.test/'/><id>urn:flux</id>"
        f"<updated>2026-11-20T10:00:00Z</updated>{entries}</feed>"
    ).encode()
