"""Attachments as feeds give them: their duration (iTunes, Media RSS, JSON Feed) read the same on every
road, kept in the cache beside their type and size, and rows stored before durations still read."""

from __future__ import annotations

import json

import pytest
from support.differential import compare, fast_accepts

from gazette_tui.core.feeds.entries import enclosure_duration
from gazette_tui.core.feeds.parse import _fast_path, parse_feed
from gazette_tui.core.storage.store import Store
from gazette_tui.models import Enclosure

URL = "https://podcast.test/feed.xml"
ITUNES = 'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"'


def podcast(items: str, namespaces: str = ITUNES) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" {namespaces}><channel>'
        f"<title>Le podcast des territoires</title><link>https://podcast.test/</link>{items}</channel></rss>"
    ).encode()


def episode(n: int, duration: str | None, enclosures: str = "") -> str:
    length = f"<itunes:duration>{duration}</itunes:duration>" if duration is not None else ""
    files = enclosures or f'<enclosure url="/e/{n}.mp3" type="audio/mpeg" length="{1000 * n}"/>'
    return f"<item><title>Épisode {n}</title><guid>ep-{n}</guid>{files}{length}</item>"


@pytest.mark.parametrize(
    ("raw", "seconds"),
    [
        ("3605", 3605), ("60:05", 3605), ("1:00:05", 3605), (" 42:05 ", 2525), ("01:02:03", 3723),
        ("12.5", 12), (61, 61), (61.9, 61), ("0", 0), ("", 0), (None, 0), ("1:75", 0), ("1:2:3:4", 0),
        ("-5", 0), (-5, 0), (float("nan"), 0), (float("inf"), 0), (True, 0), ("²", 0), ("une heure", 0),
        ("99999999999", 0), ([61], 0),
    ],
)  # fmt: skip
def test_a_duration_is_read_as_itunes_writes_it(raw: object, seconds: int) -> None:
    assert enclosure_duration(raw) == seconds


def test_itunes_duration_is_the_first_enclosures_on_both_roads() -> None:
    pdf = '<enclosure url="/e/ordre-du-jour.pdf" type="application/pdf" length="830000"/>'
    items = "".join(
        [
            episode(1, "42:05"),
            episode(2, "1:00:05", f'<enclosure url="/e/2.mp3" type="audio/mpeg"/>{pdf}'),
            episode(3, "n’importe quoi"),
            episode(4, None),
            episode(5, " <![CDATA[ 10:00 ]]> "),
            episode(6, "12:00", '<enclosure type="audio/mpeg"/><enclosure url="/e/6.mp3"/>'),
        ]
    )
    data = podcast(items)
    assert fast_accepts(data, URL)  # the one iTunes element the fast path reads
    assert compare(data, URL) == []
    entries = parse_feed(data, URL).entries
    assert [[(e.url.rsplit("/", 1)[-1], e.duration) for e in entry.enclosures] for entry in entries] == [
        [("1.mp3", 2525)],
        [("2.mp3", 3605), ("ordre-du-jour.pdf", 0)],
        [("3.mp3", 0)],
        [("4.mp3", 0)],
        [("5.mp3", 600)],
        [("6.mp3", 720)],  # the first enclosure with an address is the episode
    ]


def test_other_itunes_elements_still_go_to_feedparser_and_agree() -> None:
    item = episode(1, "42:05").replace("</item>", "<itunes:explicit>false</itunes:explicit></item>")
    data = podcast(item)
    assert _fast_path(data, URL) is None
    assert compare(data, URL) == []
    assert parse_feed(data, URL).entries[0].enclosures[0].duration == 2525


def test_media_content_duration_and_json_feed_duration_in_seconds() -> None:
    media = podcast(
        '<item><title>Vidéo</title><guid>v</guid><media:content url="https://v.test/conseil.mp4" '
        'type="video/mp4" fileSize="99" duration="5400"/></item>',
        'xmlns:media="http://search.yahoo.com/mrss/"',
    )
    assert [(e.type, e.length, e.duration) for e in parse_feed(media, URL).entries[0].enclosures] == [
        ("video/mp4", 99, 5400)
    ]
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Podcast",
        "items": [
            {
                "id": "1",
                "attachments": [
                    {"url": "https://p.test/1.mp3", "mime_type": "audio/mpeg", "duration_in_seconds": 2525.7},
                    {
                        "url": "https://p.test/1.pdf",
                        "mime_type": "application/pdf",
                        "duration_in_seconds": "x",
                    },
                    {"url": "https://p.test/2.mp3", "duration_in_seconds": -3},
                ],
            }
        ],
    }
    found = parse_feed(json.dumps(document).encode(), "https://p.test/feed.json").entries[0].enclosures
    assert [e.duration for e in found] == [2525, 0, 0]


def test_durations_are_stored_and_old_rows_read_without_them(store: Store) -> None:
    feed = store.add_feed(URL, "Podcast").id
    store.record_success(feed, parse_feed(podcast(episode(1, "42:05")), URL))
    article_id = store.article_ids()[0]
    assert store.article(article_id).enclosures == [
        Enclosure("https://podcast.test/e/1.mp3", "audio/mpeg", 1000, 2525)
    ]
    with store.writing() as c:  # a row written before durations were kept: three fields
        c.execute(
            "UPDATE article_bodies SET enclosures = ? WHERE id = ?",
            (json.dumps([["https://podcast.test/e/1.mp3", "audio/mpeg", 1000]]), article_id),
        )
    assert store.article(article_id).enclosures == [
        Enclosure("https://podcast.test/e/1.mp3", "audio/mpeg", 1000)
    ]
