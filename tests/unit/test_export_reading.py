"""Dossier exports that read well: the chapô in both formats (the HTML one lost it for every article with a
body of its own), nested headings (dossier, article, the article's own), Markdown escaped only where
CommonMark would read markup, in the language asked for. Real feeds parsed and stored in a real SQLite
file; the Markdown read back by a CommonMark renderer (markdown-it-py)."""

from __future__ import annotations

import re
from html import escape

import pytest
from markdown_it import MarkdownIt

from gazette_tui.core.feeds.parse import parse_feed
from gazette_tui.core.library import dossiers
from gazette_tui.core.render import commonmark_escape
from gazette_tui.core.storage.store import ArticleFilter, Store

NOW = 1795000000
LEDE = "Le conseil municipal a adopté un budget sans hausse des taux."
BODY = (
    "<p>La séance a duré deux heures : démolition de l’ancienne halle, voirie, écoles.</p>"
    "<h1>Les grandes masses</h1><p>Fonctionnement : 12,4 M€ (hors dette).</p>"
    "<h2>Investissement</h2><p>4,1 M€, dont 1,2 M€ pour la voirie.</p>"
    "<h5>Détail</h5><p>Voir l’annexe n° 3.</p>"
)


def feed(items: list[tuple[str, str, str]]) -> bytes:
    """An RSS document: each item's title, description (the chapô) and content:encoded (the body)."""
    entries = "".join(
        f"<item><title>{escape(title)}</title><link>https://exemple.test/{n}/</link><guid>g{n}</guid>"
        "<pubDate>Fri, 20 Nov 2026 09:00:00 +0000</pubDate>"
        f"<description>{escape(summary)}</description>"
        + (f"<content:encoded>{escape(body)}</content:encoded>" if body else "")
        + "</item>"
        for n, (title, summary, body) in enumerate(items)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Flux</title>'
        f"<link>https://exemple.test/</link><description>x</description>{entries}</channel></rss>"
    ).encode()


def dossier_of(store: Store, document: bytes) -> int:
    source = store.add_feed("https://exemple.test/feed/", "Flux", "Finances")
    store.record_success(source.id, parse_feed(document), when=NOW)
    dossier = dossiers.create(store, "Veille : budgets")
    for article_id in reversed(store.article_ids(ArticleFilter(feed_id=source.id))):
        dossiers.add_article(store, dossier.id, article_id)
    return dossier.id


def headings(html: str) -> list[tuple[int, str]]:
    return [
        (int(level), re.sub(r"<[^>]+>", "", text)) for level, text in re.findall(r"<h(\d)>(.*?)</h\d>", html)
    ]


def test_the_html_export_keeps_the_lede_of_an_article_with_a_body(store: Store) -> None:
    """0.1.0 exported the body alone whenever there was one (content:encoded, or a full text): the chapô,
    in the description, was lost, and the .lede style went unused."""
    dossier_id = dossier_of(store, feed([("Budget primitif", f"<p>{LEDE}</p>", BODY)]))
    page = dossiers.export_html(store, dossier_id, "fr")
    assert f"<p class='lede'>{LEDE}</p>" in page
    assert page.index("class='lede'") < page.index("La séance a duré")
    markdown = dossiers.export_markdown(store, dossier_id, "fr")
    assert f"**{LEDE}**" in markdown


def test_a_lede_the_body_repeats_is_said_once(store: Store) -> None:
    repeated = f"<p>{LEDE}</p><p>La suite.</p>"
    excerpt = f"<p>{LEDE}</p>"
    dossier_id = dossier_of(store, feed([("Repris", excerpt, repeated), ("Extrait", excerpt, "")]))
    page = dossiers.export_html(store, dossier_id, "fr")
    assert page.count(LEDE) == 2  # once per article, as the lede
    assert page.count("class='lede'") == 2
    markdown = dossiers.export_markdown(store, dossier_id, "fr")
    assert markdown.count(LEDE) == 2


def test_headings_nest_under_the_article(store: Store) -> None:
    dossier_id = dossier_of(store, feed([("Budget primitif", f"<p>{LEDE}</p>", BODY)]))
    page = dossiers.export_html(store, dossier_id, "fr")
    assert headings(page) == [
        (1, "Veille : budgets"),
        (2, "Budget primitif"),
        (3, "Les grandes masses"),  # the article's h1
        (4, "Investissement"),  # its h2
        (6, "Détail"),  # its h5, as deep as HTML goes
    ]
    markdown = dossiers.export_markdown(store, dossier_id, "fr")
    rendered = MarkdownIt("commonmark").render(markdown)
    assert headings(rendered) == headings(page)


def test_markdown_escapes_only_what_commonmark_reads(store: Store) -> None:
    text = "La séance a duré deux heures : démolition de l’ancienne halle, voirie, écoles."
    dossier_id = dossier_of(store, feed([("L’État verse 12,4 M€ (n° 3) : « priorité »", "", BODY)]))
    markdown = dossiers.export_markdown(store, dossier_id, "fr")
    assert text in markdown  # not « heures \\: démolition »
    assert "Fonctionnement : 12,4 M€ (hors dette)." in markdown
    assert "## L’État verse 12,4 M€ (n° 3) : « priorité »" in markdown
    assert "\\:" not in markdown
    assert "\\." not in markdown
    assert "\\(" not in markdown


@pytest.mark.parametrize(
    ("text", "options", "expected"),
    [
        ("démolition : (voir) l’annexe n° 3. R&D", {}, "démolition : (voir) l’annexe n° 3. R&D"),
        ("a_b_c et *gras* et _penché_ et `code`", {}, "a_b_c et \\*gras\\* et \\_penché\\_ et \\`code\\`"),
        (
            "[lien](javascript:x) ![i](x) <img src=x> a < b",
            {},
            "\\[lien\\](javascript:x) !\\[i\\](x) \\<img src=x> a < b",
        ),
        ("&amp; &#x6A; & co", {}, "\\&amp; \\&#x6A; & co"),
        ("C:\\Users et fin\\", {}, "C:\\Users et fin\\\\"),
        ("1. un", {"at_line_start": True}, "1\\. un"),
        ("1. un", {}, "1. un"),
        ("# titre", {"at_line_start": True}, "\\# titre"),
        (
            "> cité\n- liste\n+ plus\n---\n=== \n2) deux",
            {"lines": True},
            "> cité\n\\- liste\n\\+ plus\n\\---\n\\=== \n2\\) deux",
        ),
        ("a | b", {"lines": True}, "a \\| b"),
        ("a | b", {}, "a | b"),
        ("C# ou F #", {"heading": True}, "C# ou F \\#"),
        ("Titre {onclick=alert(1)}", {"heading": True}, "Titre \\{onclick=alert(1)\\}"),
    ],
)
def test_commonmark_escape(text: str, options: dict[str, bool], expected: str) -> None:
    escaped = commonmark_escape(text, **options)
    assert escaped == expected
    # Read back where it goes (a heading's text, the start of a line, or after other text on it), it is
    # the text itself: one paragraph of it, or the heading.
    if options.get("heading"):
        source = f"# {escaped}"
    elif options.get("at_line_start"):
        source = escaped
    else:
        source = f"Texte : {escaped}"
    rendered = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(source)
    assert not re.search(r"<(?!/?(p|h1)>)", rendered.replace("&lt;", "")), rendered


def test_the_export_speaks_the_language_asked_for(store: Store) -> None:
    dossier_id = dossier_of(store, feed([("Budget", f"<p>{LEDE}</p>", BODY), ("Voirie", "<p>x</p>", BODY)]))
    english = dossiers.export_markdown(store, dossier_id, "en")
    assert "2 articles — exported on " in english
    assert "Published on 11/20/2026" in english
    french = dossiers.export_html(store, dossier_id, "fr")
    assert '<html lang="fr">' in french
    assert "2 articles — exportés le " in french
    assert "article(s)" not in french + english
