"""Fuzzing parse → store → render with hypothesis, for a bounded number of examples (derandomized, so CI
runs are reproducible): no exception but FeedError escapes, and nothing stored or rendered holds a control,
ESC, C1 or bidi character, or a link that is not http(s)/mailto (tests/hostile.py ``violations``)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from html import escape
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from support.hostile import PAYLOADS, SHELL_LINK, SMUGGLED, UNSAFE_LINKS, violations

from gazette_tui.core.feeds.parse import parse_feed
from gazette_tui.core.storage.store import Store
from gazette_tui.errors import FeedError

pytestmark = pytest.mark.slow  # runs by default (and in CI): slow, not optional

FUZZ = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

FRAGMENTS = [
    *PAYLOADS,
    *SMUGGLED,
    "&", "&amp;", "&lt;script&gt;", "<", ">", "]]>", "<![CDATA[", "<!--", "-->", "<b>", "</b>", "<p>",
    "<a href='javascript:x'>", "<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "<div>", "</div>",
    "\u2028", "\u0085", "\r\n", "\t", "\ufeff", "\u200b", "œuvre", "Élus", "€", "🏛", "[", "]", "[/]", "\\",
]  # fmt: skip
LINKS = [
    *UNSAFE_LINKS,
    SHELL_LINK,
    "https://exemple.test/article",
    "mailto:elus@exemple.test",
    "/relatif",
    "",
]

hostile_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(st.characters(max_codepoint=0x30FF), max_size=8)),
    max_size=12,
).map("".join)
links = st.one_of(st.sampled_from(LINKS), st.tuples(st.sampled_from(LINKS), hostile_text).map("".join))

counter = itertools.count()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with Store(Path(tmp_path_factory.mktemp("fuzz")) / "gazette.db") as store:
        yield store


def check(store: Store, data: bytes, content_type: str = "") -> None:
    """Parse, store as a new feed, render: only FeedError may escape, and every invariant holds."""
    try:
        parsed = parse_feed(data, "https://exemple.test/flux", content_type)
    except FeedError as error:
        event(f"refused: {error}")
        return
    event(f"stored ({parsed.kind}, {min(len(parsed.entries), 2)}+ entries)")
    feed = store.add_feed(f"https://exemple.test/flux/{next(counter)}")
    store.record_success(feed.id, parsed)
    ids = [row.id for row in store.article_rows(store.article_ids()) if row.feed_id == feed.id]
    assert violations(store, ids) == []


def rss_item(title: str, link: str, body: str, author: str, category: str, raw: bool) -> str:
    put = (lambda v: v) if raw else escape
    return (
        f"<item><title>{put(title)}</title><link>{escape(link)}</link><guid>{put(title)}</guid>"
        f"<author>{put(author)}</author><category>{put(category)}</category>"
        f'<enclosure url="{escape(link)}" type="{escape(category)}"/>'
        f"<description>{escape(body)}</description><content:encoded>{put(body)}</content:encoded></item>"
    )


items = st.lists(
    st.tuples(hostile_text, links, hostile_text, hostile_text, hostile_text), min_size=1, max_size=4
)


@FUZZ
@given(title=hostile_text, entries=items, raw=st.booleans())
def test_fuzz_rss(store: Store, title: str, entries: list[tuple[str, ...]], raw: bool) -> None:
    body = "".join(rss_item(*entry, raw=raw) for entry in entries)
    document = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>{escape(title)}</title><link>https://exemple.test/</link>{body}</channel></rss>"
    )
    check(store, document.encode("utf-8", "surrogatepass"))


@FUZZ
@given(title=hostile_text, entries=items, kind=st.sampled_from(["text", "html", "xhtml"]))
def test_fuzz_atom(store: Store, title: str, entries: list[tuple[str, ...]], kind: str) -> None:
    def construct(tag: str, text: str) -> str:
        if kind == "xhtml":
            return (
                f"<{tag} type='xhtml'><div xmlns='http://www.w3.org/1999/xhtml'>{escape(text)}</div></{tag}>"
            )
        return f"<{tag} type='{kind}'>{escape(text)}</{tag}>"

    body = "".join(
        f"<entry>{construct('title', t)}<id>{escape(t)}</id><link href='{escape(link)}'/>"
        f"<author><name>{escape(a)}</name></author><category term='{escape(c)}'/>"
        f"{construct('summary', b)}{construct('content', b)}</entry>"
        for t, link, b, a, c in entries
    )
    head = f"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'>{construct('title', title)}"
    document = f"{head}{body}</feed>"
    check(store, document.encode("utf-8", "surrogatepass"))


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), hostile_text, links),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(hostile_text, children, max_size=3)
    ),
    max_leaves=8,
)
json_item = st.fixed_dictionaries(
    {},
    optional={
        key: json_values | hostile_text | links
        for key in (
            "id",
            "url",
            "title",
            "summary",
            "content_html",
            "content_text",
            "date_published",
            "author",
        )
    }
    | {
        "tags": st.lists(hostile_text | json_values, max_size=3),
        "authors": st.lists(st.fixed_dictionaries({"name": hostile_text}) | json_values, max_size=2),
        "attachments": st.lists(st.fixed_dictionaries({"url": links, "mime_type": hostile_text}), max_size=2),
    },
)


@FUZZ
@given(title=hostile_text, entries=st.lists(json_item | json_values, max_size=4), home=links)
def test_fuzz_json_feed(store: Store, title: str, entries: list[object], home: str) -> None:
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": home,
        "items": entries,
    }
    check(store, json.dumps(document).encode(), "application/feed+json")


@FUZZ
@given(
    seed_doc=st.sampled_from(["rss", "atom", "json"]), cut=st.integers(0, 4000), noise=st.binary(max_size=40)
)
def test_fuzz_damaged_documents(store: Store, seed_doc: str, cut: int, noise: bytes) -> None:
    """Real-looking documents cut short and with random bytes spliced in: feedparser's road, mostly."""
    from support.hostile import NASTY, nasty_atom, nasty_json, nasty_rss

    document = {"rss": nasty_rss(NASTY, raw=False), "atom": nasty_atom(NASTY), "json": nasty_json(NASTY)}[
        seed_doc
    ]
    position = min(cut, len(document))
    check(store, document[:position] + noise + document[position : position + cut])
