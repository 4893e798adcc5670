"""Fields as a reader expects them, on every road: dates, authors, bodies, titles, links, identity,
categories, enclosures, JSON Feed, encodings, and a bad item that costs only itself.

Each RSS/Atom case runs twice: as written (the fast path reads it when it can) and with an extra
``itunes:explicit`` element that makes the fast path decline, so the feedparser road gives the same answer.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from gazette_tui.core.feeds.parse import _fast_path, parse_feed, to_timestamp
from gazette_tui.errors import FeedError
from gazette_tui.models import ParsedEntry, ParsedFeed

URL = "http://127.0.0.1:8000/flux/rss.xml"
NS = (
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:atom="http://www.w3.org/2005/Atom" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" '
    'xmlns:media="http://search.yahoo.com/mrss/" xmlns:dcterms="http://purl.org/dc/terms/"'
)
DECLINE = "<itunes:explicit>false</itunes:explicit>"


def rss(items: str, channel: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" {NS}><channel><title>Flux</title>'
        f"<link>https://commune.test/</link>{channel}{items}</channel></rss>"
    ).encode()


def roads(data: bytes) -> list[ParsedFeed]:
    """The document as written, and the same document forced onto the feedparser road."""
    forced = data.replace(b"</channel>", DECLINE.encode() + b"</channel>", 1)
    if b"<feed" in data:
        forced = data.replace(b"</feed>", b'<x:y xmlns:x="urn:x"/></feed>', 1)
    assert _fast_path(forced, URL) is None
    return [parse_feed(data, URL), parse_feed(forced, URL)]


def each(data: bytes, check: Callable[[ParsedEntry], None]) -> None:
    for feed in roads(data):
        check(feed.entries[0])


def utc(*parts: int) -> int:
    return int(datetime(*parts, tzinfo=UTC).timestamp())


# --- dates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Fri, 10 Jan 2020 14:33:00 +0100", utc(2020, 1, 10, 13, 33)),
        ("Fri, 10 Jan 2020 14:33:00 GMT+0200", utc(2020, 1, 10, 12, 33)),
        ("Fri, 10 Jan 2020 14:33:00 UTC+02:00", utc(2020, 1, 10, 12, 33)),
        ("Fri, 10 Jan 2020 14:33:00 MET", utc(2020, 1, 10, 13, 33)),
        ("Fri, 10 Jan 2020 14:33:00 MEST", utc(2020, 1, 10, 12, 33)),
        ("Fri, 10 Jan 2020 14:33:00 CET", utc(2020, 1, 10, 13, 33)),
        ("Fri, 10 Jan 2020 14:33:00 CEST", utc(2020, 1, 10, 12, 33)),
        ("Fri, 10 Jan 2020 14:33:00 EST", utc(2020, 1, 10, 19, 33)),
        ("Fri, 10 Jan 2020 14:33:00 EDT", utc(2020, 1, 10, 18, 33)),
        ("Fri, 10 Jan 2020 14:33:00 PST", utc(2020, 1, 10, 22, 33)),
        ("Fri, 10 Jan 2020 14:33 +0100", utc(2020, 1, 10, 13, 33)),
        ("Fri, 10 Jan 2020 14:33:00", utc(2020, 1, 10, 14, 33)),
        ("2020-01-10T14:33:00+02:00", utc(2020, 1, 10, 12, 33)),
        ("2020-01-10T14:33:00Z", utc(2020, 1, 10, 14, 33)),
        ("2020-01-10 14:33", utc(2020, 1, 10, 14, 33)),
        ("2020/1/10 14:33:00", utc(2020, 1, 10, 14, 33)),
        ("10/01/2020", utc(2020, 1, 10)),
        ("12/31/2020", utc(2020, 12, 31)),
        ("Friday, January 10, 2020 2:33 PM", utc(2020, 1, 10, 14, 33)),
    ],
)
def test_dates(value: str, expected: int) -> None:
    assert to_timestamp(value) == expected
    each(
        rss(f"<item><title>x</title><pubDate>{value}</pubDate></item>"),
        lambda e: assert_equal(e.published, expected),
    )


def assert_equal(actual: object, expected: object) -> None:
    assert actual == expected


@pytest.mark.parametrize(
    "value", ["0000-00-00 00:00:00", "Fri, 10 Jan 2020 14:33:00 +9900", "n'importe quoi", "9999-12-31"]
)
def test_an_invalid_or_zero_date_leaves_the_item_undated_and_the_feed_read(value: str) -> None:
    items = (
        "<item><title>a</title><pubDate>Fri, 10 Jan 2020 14:33:00 +0000</pubDate></item>"
        f"<item><title>b</title><pubDate>{value}</pubDate></item>"
        "<item><title>c</title><pubDate>Thu, 09 Jan 2020 14:33:00 +0000</pubDate></item>"
    )
    for feed in roads(rss(items)):
        assert [e.title for e in feed.entries] == ["a", "b", "c"]  # its place in the feed's order
        assert feed.entries[1].published is None
        assert feed.dropped == 0


def test_updated_and_the_published_fallback() -> None:
    atom = (
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>'
        b"<entry><id>urn:1</id><title>x</title><updated>2021-03-04T05:06:07Z</updated></entry></feed>"
    )
    each(atom, lambda e: assert_equal((e.published, e.updated), (utc(2021, 3, 4, 5, 6, 7),) * 2))
    item = "<item><title>x</title><dcterms:modified>2021-03-04T05:06:07Z</dcterms:modified></item>"
    entry = parse_feed(rss(item), URL).entries[0]
    assert entry.updated == entry.published == utc(2021, 3, 4, 5, 6, 7)
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "items": [{"id": "1", "date_modified": "2021-03-04T05:06:07Z", "content_text": "x"}],
    }
    entry = parse_feed(json.dumps(document).encode(), URL).entries[0]
    assert entry.updated == entry.published == utc(2021, 3, 4, 5, 6, 7)


# --- authors --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "element",
    [
        "<author>jane@x.org (Jane Doe)</author>",
        "<author>Jane Doe &lt;jane@x.org&gt;</author>",
        "<dc:creator>Jane Doe</dc:creator>",
        "<atom:author><atom:name>Jane Doe</atom:name></atom:author>",
        "<itunes:author>Jane Doe</itunes:author>",
    ],
)
def test_authors(element: str) -> None:
    each(rss(f"<item><title>x</title>{element}</item>"), lambda e: assert_equal(e.author, "Jane Doe"))


def test_an_atom_feed_author_is_the_author_of_entries_that_name_none() -> None:
    data = (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>'
        "<author><name>Rédaction</name></author>"
        "<entry><id>urn:1</id><title>x</title></entry>"
        "<entry><id>urn:2</id><title>y</title><author><name>Léa</name></author></entry></feed>"
    ).encode()
    for feed in roads(data):
        assert [e.author for e in feed.entries] == ["Rédaction", "Léa"]


def test_json_feed_authors_both_versions() -> None:
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "authors": [{"name": "Rédaction"}],
        "items": [
            {"id": "1", "content_text": "a", "authors": [{"name": "Ana"}, {"name": "Bo"}]},
            {"id": "2", "content_text": "b", "author": {"name": "Cléo"}},
            {"id": "3", "content_text": "c"},
        ],
    }
    feed = parse_feed(json.dumps(document).encode(), URL)
    assert [e.author for e in feed.entries] == ["Ana, Bo", "Cléo", "Rédaction"]


# --- bodies and titles ----------------------------------------------------------------------------


def test_content_encoded_is_the_body_and_description_the_lede() -> None:
    item = (
        "<item><title>x</title><description>Le chapô.</description>"
        "<content:encoded><![CDATA[<p>Le texte <b>entier</b>.</p>]]></content:encoded></item>"
    )

    def check(e: ParsedEntry) -> None:
        assert "<b>entier</b>" in e.content_html
        assert "chapô" in e.summary_html

    each(rss(item), check)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('<content type="text">a &lt; b &amp; c</content>', "a &lt; b &amp; c"),
        ('<content type="html">&lt;p&gt;un &lt;b&gt;mot&lt;/b&gt;&lt;/p&gt;</content>', "<b>mot</b>"),
        (
            '<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
            "<p>un <b>mot</b></p></div></content>",
            "<b>mot</b>",
        ),
    ],
)
def test_atom_content_types(content: str, expected: str) -> None:
    data = (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>'
        f"<entry><id>urn:1</id><title>x</title>{content}</entry></feed>"
    ).encode()
    for feed in roads(data):
        body = feed.entries[0].content_html
        assert expected in body
        assert "<div" not in body.replace("<div>", "")


def test_rss_description_with_raw_xhtml_children() -> None:
    item = "<item><title>x</title><description><p>un <b>mot</b> brut</p></description></item>"
    each(rss(item), lambda e: assert_equal(e.text, "un mot brut"))


def test_youtube_media_description_and_itunes_summary() -> None:
    media = (
        "<item><title>Vidéo</title><media:group><media:title>Vidéo</media:title>"
        "<media:description>Le conseil en direct.</media:description>"
        "<media:content url='https://video.test/v.mp4' type='video/mp4'/></media:group></item>"
    )
    entry = parse_feed(rss(media), URL).entries[0]
    assert entry.text == "Le conseil en direct."
    assert [e.url for e in entry.enclosures] == ["https://video.test/v.mp4"]
    podcast = (
        "<item><title>Épisode</title><itunes:summary>Les élus parlent du budget.</itunes:summary></item>"
    )
    assert parse_feed(rss(podcast), URL).entries[0].text == "Les élus parlent du budget."


def test_no_stray_tag_after_a_self_closing_iframe() -> None:
    item = (
        "<item><title>x</title><description><![CDATA[<p>Avant</p><iframe src='https://v.test/'/>"
        "<p>Après</p>]]></description></item>"
    )

    def check(e: ParsedEntry) -> None:
        assert "Avant" in e.text
        assert "Après" in e.text
        assert "</p>" not in e.text
        assert "iframe" not in e.text

    each(rss(item), check)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Using Vector&lt;int&gt;", "Using Vector<int>"),
        ("&lt;b&gt;Budget&lt;/b&gt; voté", "Budget voté"),
        ("AT&amp;T", "AT&T"),
        ("<![CDATA[Caf&eacute; <i>citoyen</i>]]>", "Café citoyen"),
        ("Don&#146;t", "Don’t"),
    ],
)
def test_titles_decode_entities_once_and_strip_only_real_html(title: str, expected: str) -> None:
    each(rss(f"<item><title>{title}</title></item>"), lambda e: assert_equal(e.title, expected))


def test_dc_title_or_media_title_when_there_is_no_title() -> None:
    for element in ("<dc:title>Par dc</dc:title>", "<media:title>Par media</media:title>"):
        entry = parse_feed(rss(f"<item>{element}<link>https://c.test/1</link></item>"), URL).entries[0]
        assert entry.title.startswith("Par ")


def test_json_title_with_markup_keeps_its_words() -> None:
    document = {
        "version": "https://jsonfeed.org/version/1",
        "items": [{"id": "1", "title": "Le <i>budget</i> voté", "content_text": "x"}],
    }
    assert parse_feed(json.dumps(document).encode(), URL).entries[0].title == "Le budget voté"


# --- links and identity ---------------------------------------------------------------------------


def test_a_guid_that_is_a_url_is_the_link_when_there_is_none() -> None:
    for guid in ("<guid>https://c.test/a</guid>", '<guid isPermaLink="false">https://c.test/a</guid>'):
        each(rss(f"<item><title>x</title>{guid}</item>"), lambda e: assert_equal(e.url, "https://c.test/a"))
    each(rss("<item><title>x</title><guid>id-42</guid></item>"), lambda e: assert_equal(e.url, ""))


def test_relative_links_resolve_against_the_feed_url_and_xml_base() -> None:
    item = (
        "<item><title>x</title><link>/actu/1</link>"
        "<description>&lt;a href='../doc.pdf'&gt;pdf&lt;/a&gt; &lt;img src='img/a.png'&gt;"
        "</description></item>"
    )

    def check(e: ParsedEntry) -> None:
        assert e.url == "http://127.0.0.1:8000/actu/1"
        assert 'href="http://127.0.0.1:8000/doc.pdf"' in e.summary_html
        assert 'src="http://127.0.0.1:8000/flux/img/a.png"' in e.summary_html

    each(rss(item), check)
    based = rss(item.replace("<item>", '<item xml:base="https://autre.test/x/">'))
    entry = parse_feed(based, URL).entries[0]
    assert entry.url == "https://autre.test/actu/1"
    assert 'href="https://autre.test/doc.pdf"' in entry.summary_html


def test_a_guid_repeated_for_different_items_does_not_merge_them() -> None:
    items = "".join(f"<item><title>n° {i}</title><guid>meme-guid</guid></item>" for i in range(3))
    for feed in roads(rss(items)):
        assert len({e.key for e in feed.entries}) == 3


def test_items_without_guid_sharing_a_link_are_distinct_unless_identical() -> None:
    items = (
        "<item><title>Séance 1</title><link>https://c.test/conseil</link></item>"
        "<item><title>Séance 2</title><link>https://c.test/conseil</link></item>"
        "<item><title>Séance 2</title><link>https://c.test/conseil</link></item>"
    )
    for feed in roads(rss(items)):
        assert [e.title for e in feed.entries] == ["Séance 1", "Séance 2"]
        assert len({e.key for e in feed.entries}) == 2
    single = parse_feed(rss("<item><title>Seul</title><link>https://c.test/conseil</link></item>"), URL)
    assert single.entries[0].key == "https://c.test/conseil"  # alone, the link is the key as before


# --- categories and enclosures --------------------------------------------------------------------


def test_categories_from_every_element() -> None:
    item = (
        "<item><title>x</title><category>Budget</category><dc:subject>Finances</dc:subject>"
        "<itunes:category text='Politique'/><media:category>Élections</media:category></item>"
    )
    entry = parse_feed(rss(item), URL).entries[0]
    assert entry.categories == ["Budget", "Finances", "Politique", "Élections"]


def test_enclosures_resolved_deduplicated_with_lengths_or_unknown() -> None:
    item = (
        "<item><title>x</title>"
        "<enclosure url='audio/épisode 1.mp3' type='audio/mpeg' length='12345'/>"
        "<enclosure url='https://c.test/b.pdf' type='application/pdf' length='²'/>"
        "<enclosure url='https://c.test/b.pdf' type='application/pdf' length='abc'/>"
        "<enclosure url='https://c.test/c.ogg' type='audio/ogg' length=''/></item>"
    )

    def check(e: ParsedEntry) -> None:
        assert [(x.url, x.length) for x in e.enclosures] == [
            ("http://127.0.0.1:8000/flux/audio/%C3%A9pisode%201.mp3", 12345),
            ("https://c.test/b.pdf", 0),
            ("https://c.test/c.ogg", 0),
        ] or [(x.url, x.length) for x in e.enclosures] == [
            ("http://127.0.0.1:8000/flux/audio/épisode%201.mp3", 12345),
            ("https://c.test/b.pdf", 0),
            ("https://c.test/c.ogg", 0),
        ]

    each(rss(item), check)


def test_media_content_is_an_enclosure() -> None:
    item = (
        "<item><title>x</title>"
        "<media:content url='https://c.test/p.jpg' type='image/jpeg' fileSize='99'/></item>"
    )
    enclosures = parse_feed(rss(item), URL).entries[0].enclosures
    assert [(e.url, e.type, e.length) for e in enclosures] == [("https://c.test/p.jpg", "image/jpeg", 99)]


# --- JSON Feed ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "version",
    [
        "http://jsonfeed.org/version/1",
        "https://jsonfeed.org/version/1",
        "https://jsonfeed.org/version/1.1",
        None,
    ],
)
def test_json_feed_versions(version: str | None) -> None:
    document: dict[str, object] = {
        "title": "Flux JSON",
        "items": [
            {
                "id": 7,
                "url": "/billet/7",
                "external_url": "https://ailleurs.test/source",
                "title": "Billet",
                "content_html": "<p>Texte</p>",
                "tags": "Budget",
                "attachments": [{"url": "a.mp3", "mime_type": "audio/mpeg", "size_in_bytes": "x"}],
            }
        ],
    }
    if version:
        document["version"] = version
    entry = parse_feed(json.dumps(document).encode(), URL).entries[0]
    assert entry.key == "7"
    assert entry.url == "http://127.0.0.1:8000/billet/7"
    assert entry.external_url == "https://ailleurs.test/source"
    assert entry.categories == ["Budget"]
    assert [(e.url, e.length) for e in entry.enclosures] == [("http://127.0.0.1:8000/flux/a.mp3", 0)]


def test_a_json_document_that_is_not_a_feed_is_refused() -> None:
    with pytest.raises(FeedError):
        parse_feed(b'{"version": "https://example.test/other", "items": []}', URL)
    with pytest.raises(FeedError):
        parse_feed(b'{"name": "pas un flux"}', URL)


# --- encodings ------------------------------------------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_without_a_bom(codec: str) -> None:
    text = rss("<item><title>Élections à Noël</title></item>").decode().replace("utf-8", codec[:6])
    feed = parse_feed(text.encode(codec), URL)
    assert feed.entries[0].title == "Élections à Noël"


def test_zwj_and_zwnj_are_kept_bidi_overrides_stripped() -> None:
    title = "Famille 👨\u200d👩\u200d👧 et می\u200cخواهم \u202eévil\u202c"  # noqa: RUF001 - Persian text, meant
    entry = parse_feed(rss(f"<item><title>{title}</title></item>"), URL).entries[0]
    assert "\u200d" in entry.title
    assert "\u200c" in entry.title
    assert "\u202e" not in entry.title
    assert "\u202c" not in entry.title


def test_cp1252_code_points_in_numeric_references() -> None:
    item = "<item><title>l&#146;&#156;uvre &#128; 5</title><description>&#147;oui&#148;</description></item>"

    def check(e: ParsedEntry) -> None:
        assert e.title == "l’œuvre € 5"
        assert e.text == "“oui”"

    each(rss(item), check)


# --- a bad item costs only itself -----------------------------------------------------------------


def test_a_bad_item_costs_only_itself() -> None:
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "items": [
            {"id": "1", "content_text": "bon"},
            "pas un objet",
            {"id": "3", "content_text": "bon aussi"},
        ],
    }
    feed = parse_feed(json.dumps(document).encode(), URL)
    assert [e.key for e in feed.entries] == ["1", "3"]
    assert feed.dropped == 1
    items = (
        "<item><title>a</title><pubDate>0000-00-00 00:00:00</pubDate>"
        "<enclosure url='https://c.test/a.mp3' length='-12' type='audio/mpeg'/></item>"
        "<item><title>b</title><pubDate>Fri, 10 Jan 2020 14:33:00 +2500</pubDate></item>"
    )
    for feed in roads(rss(items)):
        assert [e.title for e in feed.entries] == ["a", "b"]
        assert feed.dropped == 0


def test_xhtml_body_is_the_body() -> None:
    item = (
        "<item><title>x</title><description>Court.</description>"
        '<xhtml:body xmlns:xhtml="http://www.w3.org/1999/xhtml"><xhtml:p>Le corps <xhtml:b>entier</xhtml:b>'
        "</xhtml:p></xhtml:body></item>"
    )
    entry = parse_feed(rss(item), URL).entries[0]
    assert "<b>entier</b>" in entry.content_html
    assert entry.text == "Le corps entier"
    assert "Court." in entry.summary_html


def test_xml_base_on_the_channel_is_honoured() -> None:
    data = rss("<item><title>Avis</title><link>/actu/1</link></item>").replace(
        b"<channel>", b'<channel xml:base="https://autre.test/x/">'
    )
    assert _fast_path(data, URL) is None
    assert parse_feed(data, URL).entries[0].url == "https://autre.test/actu/1"


def test_json_tags_of_the_wrong_type_cost_only_the_tags() -> None:
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "items": [{"id": "2", "content_text": "b", "tags": 5}],
    }
    feed = parse_feed(json.dumps(document).encode(), URL)
    assert feed.dropped == 0
    assert feed.entries[0].categories == []


def test_a_podcast_host_is_the_author_of_episodes_that_name_none() -> None:
    items = (
        "<item><title>Épisode 1</title></item>"
        "<item><title>Épisode 2</title><dc:creator>Invitée</dc:creator></item>"
    )
    for channel in ("<itunes:author>Radio Commune</itunes:author>", "<dc:creator>Radio Commune</dc:creator>"):
        feed = parse_feed(rss(items, channel=channel), URL)
        assert [e.author for e in feed.entries] == ["Radio Commune", "Invitée"]
    editor = parse_feed(
        rss(items, channel="<managingEditor>redaction@c.test (Rédaction)</managingEditor>"), URL
    )
    assert [e.author for e in editor.entries] == ["", "Invitée"]  # an editor's address is not an author


def test_inline_tags_in_an_html_title_leave_no_space() -> None:
    title = "&lt;em&gt;Conseil d’État&lt;/em&gt;, 12 avril : l&lt;sup&gt;er&lt;/sup&gt; avis"
    each(
        rss(f"<item><title>{title}</title></item>"),
        lambda e: assert_equal(e.title, "Conseil d’État, 12 avril : ler avis"),
    )


def test_a_blank_item_author_falls_back_to_the_channel_s_on_every_road() -> None:
    item = "<item><title>x</title><dc:creator>\n    \n  </dc:creator></item>"
    each(
        rss(item, channel="<managingEditor>Radio Commune</managingEditor>"),
        lambda e: assert_equal(e.author, "Radio Commune"),
    )
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "authors": [{"name": "Rédaction"}],
        "items": [{"id": "1", "content_text": "a", "authors": [{"name": "  "}]}],
    }
    assert parse_feed(json.dumps(document).encode(), URL).entries[0].author == "Rédaction"
