"""Dossier exports cannot carry markup: hostile feed fields, rendered by a real CommonMark renderer
(markdown-it-py), give no element, attribute or link of their own; the HTML export keeps no class or id from a
feed body; and ordinary French text reads the same once rendered.

The renderer is made permissive on purpose (``validateLink`` accepts every scheme, raw HTML is on, as in the
CommonMark preset): what is checked is our escaping, not markdown-it's own defences.
"""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from gazette_tui.core.feeds.parse import parse_feed
from gazette_tui.core.library import dossiers
from gazette_tui.core.storage.store import ArticleFilter, Store
from gazette_tui.text import export_url

NOW = 1795000000

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "&lt;img src=x onerror=alert(1)&gt;",
    "[x](javascript:alert(1))",
    "![i](javascript:alert(1))",
    "<https://a.test/> <script>alert(1)</script>",
    "<javascript:alert(1)>",
    "<svg onload=alert(1)>",
    "*gras* _penché_ `code` ~~barré~~ | a | b |",
    "[ref]: javascript:alert(1)",
    "&#x6A;avascript:alert(1) &amp; {onclick=alert(1)} $x$ \\",
]
HOSTILE_URLS = [
    'https://a.test/x"><svg/onload=alert(1)>',
    "https://a.test/x>[clic](javascript:alert(1))",
    "https://a.test/<script>alert(1)</script>",
    "https://a.test/'onmouseover='alert(1)'",
]


def renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.validateLink = lambda url: True  # a careless renderer: every scheme goes through
    return md


class Elements(HTMLParser):
    """Every element and attribute of an HTML document, and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(page: str) -> Elements:
    elements = Elements()
    elements.feed(page)
    elements.close()
    return elements


MARKDOWN_TAGS = {"h1", "h2", "p", "em", "strong", "hr", "blockquote", "ol", "ul", "li", "a", "code", "pre"}


def assert_inert(page: str, allowed_tags: set[str], own_links: set[str]) -> None:
    """No element but ``allowed_tags``, no event handler, no link but ``own_links`` (the article's URL, the
    body's numbered links), no script URL anywhere in an attribute."""
    for needle in ("<img", "<svg", "<script", "<iframe", "<object", "<embed"):
        assert needle not in page.lower(), (needle, page)
    elements = parse_html(page)
    for tag, attrs in elements.tags:
        assert tag in allowed_tags, (tag, attrs)
        for name, value in attrs:
            assert not name.lower().startswith("on"), (tag, name, value)
            if name == "href":  # only ours, all http(s) or mailto ("javascript:" may be in a path)
                assert value in {renderer().normalizeLink(link) for link in own_links}, (value, own_links)
                assert (value or "").startswith(("https://", "http://", "mailto:")), value
            else:
                assert "javascript:" not in (value or "").lower().replace(" ", ""), (tag, name, value)


def hostile_feed(
    title: str, url: str, body: str = "<p>Corps ordinaire.</p>", *, twice: bool = False
) -> bytes:
    """One item whose every feed-derived field (title, author, categories, kicker, lede, feed title, link)
    carries ``title``, XML-escaped once (or ``twice``: the parser then decodes one level in the fields it
    reads as HTML, as feeds that escape their titles twice make it do)."""
    text = escape(escape(title)) if twice else escape(title)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>{text}</title><link>https://exemple.test/</link><description>x</description>"
        f"<item><title>{text}</title><link>{escape(url)}</link><guid>g</guid>"
        "<pubDate>Fri, 20 Nov 2026 09:00:00 +0000</pubDate>"
        f"<dc:creator>{text}</dc:creator><category>{text}</category><category>{text} 2</category>"
        f"<description>{escape('<p>' + escape(title) + ' — chapô</p>')}</description>"
        f"<content:encoded>{escape(body)}</content:encoded></item></channel></rss>"
    ).encode()


def one_article_dossier(store: Store, document: bytes, note: str) -> int:
    feed = store.add_feed("https://exemple.test/feed/")
    store.record_success(feed.id, parse_feed(document), when=NOW)
    [article_id] = store.article_ids(ArticleFilter(feed_id=feed.id))
    dossier = dossiers.create(store, "Veille", note)
    dossiers.add_article(store, dossier.id, article_id, note=note)
    return dossier.id


@pytest.mark.parametrize("twice", [False, True], ids=["escaped-once", "escaped-twice"])
@pytest.mark.parametrize("title", HOSTILE)
@pytest.mark.parametrize("url", HOSTILE_URLS[:2])
def test_markdown_export_of_hostile_fields_is_inert(store: Store, title: str, url: str, twice: bool) -> None:
    body = (
        f"<p>{escape(title)}</p><p><a href='{escape(url)}'>lien</a> "
        f"<a href='mailto:a@b.test?subject=\"&gt;&lt;x'>écrire</a></p><pre>{escape(title)}</pre>"
    )
    dossier_id = one_article_dossier(store, hostile_feed(title, url, body, twice=twice), f"{title}\n{title}")
    article = store.article(store.article_ids()[0])
    stored = [article.title, article.author, article.kicker, article.feed_title, *article.categories]
    fields = [field for field in stored if field]  # a title that is all markup reads as empty: fine
    assert len(fields) >= 4, fields
    assert any(re.search(r"[<\[*&]", field) for field in fields), fields
    markdown = dossiers.export_markdown(store, dossier_id, lang="fr")
    page = renderer().render(markdown)
    own = {export_url(url), export_url('mailto:a@b.test?subject="><x')}
    assert_inert(page, MARKDOWN_TAGS, own)
    # Each field is still there, as the text it is.
    text = "".join(parse_html(page).text)
    for value in [*fields, title]:
        assert value in text, (value, markdown)


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_urls_cannot_break_out_of_autolinks(store: Store, url: str) -> None:
    dossier_id = one_article_dossier(store, hostile_feed("Titre", url), note="")
    markdown = dossiers.export_markdown(store, dossier_id, lang="fr")
    [line] = [line for line in markdown.splitlines() if line.startswith("<http")]
    assert re.fullmatch(r"<[^<>\s\"']+>", line), line
    page = renderer().render(markdown)
    assert_inert(page, MARKDOWN_TAGS, {export_url(url)})
    [anchor] = [attrs for tag, attrs in parse_html(page).tags if tag == "a"]
    assert dict(anchor)["href"] == renderer().normalizeLink(export_url(url))  # one link: the whole URL


def test_export_url() -> None:
    encoded = export_url("https://a.test/p a?q=\"x\"<y>&z='1'`\\{|}^ %41 100%")
    assert encoded == "https://a.test/p%20a?q=%22x%22%3Cy%3E&z=%271%27%60%5C%7B%7C%7D%5E%20%41%20100%25"
    assert export_url("https://exemple.test/été/?a=1&b=(2)#x") == "https://exemple.test/été/?a=1&b=(2)#x"


def test_a_legacy_url_with_spaces_is_encoded(store: Store) -> None:
    """A URL stored before it was checked (spaces, quotes): encoded in the export, never raw."""
    dossier_id = one_article_dossier(store, hostile_feed("Titre", "https://a.test/x"), note="")
    with store.writing() as c:
        c.execute("UPDATE articles SET url = ?", ('https://a.test/a b"><img src=x onerror=alert(1)>',))
    markdown = dossiers.export_markdown(store, dossier_id)
    assert "<https://a.test/a%20b%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E>" in markdown
    assert_inert(renderer().render(markdown), MARKDOWN_TAGS, {export_url(store.article(1).url)})
    page = dossiers.export_html(store, dossier_id)
    assert 'href="https://a.test/a%20b%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E"' in page


def test_ordinary_french_text_reads_normally(store: Store) -> None:
    title = "L'État verse 12,4 M€ aux communes (n° 3) : « priorité » & co — 1er janvier !"
    note = "1. Relire l'article 5.\n- Demander l'avis du DGS (réunion du 12/01).\n# à voir\nFin : 100 %."
    dossier_id = one_article_dossier(store, hostile_feed(title, "https://exemple.test/a/"), note=note)
    markdown = dossiers.export_markdown(store, dossier_id, lang="fr")
    assert f"## {title}" in markdown  # nothing to escape in ordinary French
    page = renderer().render(markdown)
    text = "".join(parse_html(page).text)
    assert title in text
    for line in note.splitlines():
        assert line in text, (line, text)
    tags = [tag for tag, _attrs in parse_html(page).tags]
    assert "ol" not in tags
    assert "ul" not in tags


FAKE_NOTE = (
    "<p class='note'><strong>Note :</strong> Payez ici</p><div id='x' class='meta kicker'>faux</div>"
    "<span class='lede'>chapô</span><img src='https://evil.test/p.png'><p><a href='https://exemple.test/b'>"
    "ok</a></p>"
)


def test_html_export_drops_class_and_id_from_feed_bodies(store: Store) -> None:
    document = hostile_feed("Titre", "https://exemple.test/a/", body=FAKE_NOTE)
    dossier_id = one_article_dossier(store, document, note="ma vraie note")
    page = dossiers.export_html(store, dossier_id)
    body = page.split("<article>", 1)[1]
    classes = re.findall(r"class='([^']*)'", body) + re.findall(r'class="([^"]*)"', body)
    assert classes.count("note") == 1  # ours, around "ma vraie note"
    assert "<p class='note'><strong>Note\u00a0:</strong> ma vraie note</p>" in body  # a no-break space
    assert " id=" not in body
    assert "faux" in body
    assert "Payez ici" in body
    assert "<img" not in body
    assert 'href="https://exemple.test/b"' in body
    elements = parse_html(page)
    for tag, attrs in elements.tags:
        assert tag not in ("img", "script", "svg", "style") or (tag == "style" and not attrs), tag
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            assert "javascript:" not in (value or ""), (tag, name)


@pytest.mark.parametrize("title", HOSTILE)
def test_html_export_of_hostile_fields_is_inert(store: Store, title: str) -> None:
    url = HOSTILE_URLS[0]
    body = f"<p>{escape(title)}</p><p><a href='{escape(url)}'>lien</a></p>"
    dossier_id = one_article_dossier(store, hostile_feed(title, url, body), note=title)
    page = dossiers.export_html(store, dossier_id)
    elements = parse_html(page)
    for tag, attrs in elements.tags:
        assert tag not in ("img", "script", "svg", "iframe"), tag
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            assert "javascript:" not in (value or "").lower(), (tag, name, value)
    assert "".join(elements.text).count(title) >= 4
