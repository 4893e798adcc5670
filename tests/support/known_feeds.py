"""Every feed document the repository already makes, for the differential tests: the builders of
``tests/feeds.py``, the XML feeds of the hostile corpus (``tests/hostile.py``), the demo site's RSS and Atom
(rendered directly, no server), a few feeds of the benchmark corpus (``benchmarks/corpus.py``) and any
``*.xml`` file in the repository.

Each is a :class:`KnownFeed` (name, bytes, HTTP content type, the URL it would be fetched from).
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from lxml import etree

TESTS = Path(__file__).resolve().parent.parent
ROOT = TESTS.parent
if str(TESTS) not in sys.path:  # so that support.* imports work when run as a script
    sys.path.insert(0, str(TESTS))

# The hostile corpus is made for a server; past this size a document only repeats what a smaller one shows
# (its small variants are below) and costs seconds.
MAX_HOSTILE_BYTES = 2 * 1024 * 1024
DEMO_BASE = "http://127.0.0.1:8765"


@dataclass(frozen=True)
class KnownFeed:
    name: str
    data: bytes
    content_type: str = ""
    url: str = "http://127.0.0.1/feed"


# --- tests/feeds.py ------------------------------------------------------------------------------


def builder_feeds() -> list[KnownFeed]:
    from support.feeds import atom, item_xml, rss

    dates = [
        "Fri, 20 Nov 2026 09:00:00 +0100",
        "2026-11-20T09:00:00Z",
        "2026-11-20T09:00:00",
        "20/11/2026",
        "2026/11/20 09:00:00",
        "Fri, 20 Nov 2026 09:00 CEST",
        "0000-00-00 00:00:00",
        "n'importe quand",
        "",
    ]
    made = [
        ("rss(5)", rss(5)),
        ("rss(1) title with &amp;", rss(1, title="Flux &amp; essai")),
        ("atom(3)", atom(3)),
        ("atom(1)", atom(1)),
        ("rss no guid", rss([item_xml(i, guid=False) for i in range(3)])),
        ("rss no link", rss([item_xml(i, link=False) for i in range(3)])),
        ("rss no guid no link", rss([item_xml(i, guid=False, link=False) for i in range(3)])),
        ("rss same link no guid", rss([item_xml(0, guid=False), item_xml(0, guid=False, title="Autre")])),
        ("rss title with markup", rss([item_xml(0, title="Le <b>budget</b> & Vector<int>")])),
        ("rss empty title", rss([item_xml(0, title="")])),
        ("rss no categories", rss([item_xml(0, categories=[])])),
        ("rss repeated categories", rss([item_xml(0, categories=["Budget", "budget", "Budget", " "])])),
        ("rss empty body", rss([item_xml(0, body="")])),
        ("rss body relative links", rss([item_xml(0, body='<p><a href="/x">x</a><img src="y.png"></p>')])),
        ("rss reserved", rss([item_xml(0, body="<p>Article réservé aux abonnés</p>")])),
    ]
    made += [(f"rss date {value!r}", rss([item_xml(0, date=value)])) for value in dates]
    return [KnownFeed(f"feeds: {name}", data, "application/rss+xml") for name, data in made]


# --- tests/hostile.py ----------------------------------------------------------------------------


class _Socket:
    def __init__(self) -> None:
        self.sent = b""

    def sendall(self, data: bytes) -> None:
        self.sent += data


def _split_response(raw: bytes) -> tuple[str, bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    content_type = ""
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-type":
            content_type = value.strip().decode("latin-1")
        if name.strip().lower() == b"content-encoding":
            return content_type, b""  # compressed or bogus: not a document the parsers see as such
    return content_type, body


def looks_like_fast_path_input(data: bytes, content_type: str = "") -> bool:
    """Well-formed XML once parse_feed's own preparation ran, with an RSS or Atom root: a document the fast
    path might accept (the hostile corpus is filtered with this, not skipped)."""
    from gazette_tui.core.feeds import parse

    try:
        prepared, _ = parse.prepare(data, content_type)
        root = etree.fromstring(
            prepared, etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)
        )
    except (etree.XMLSyntaxError, ValueError):
        return False
    if root is None or root.getroottree().docinfo.internalDTD is not None:
        return False  # entity declarations: parse_feed refuses the document before either road
    return root.tag in ("rss", "{http://www.w3.org/2005/Atom}feed")


def hostile_feeds() -> list[KnownFeed]:
    from support import hostile

    found: list[KnownFeed] = []
    for case in hostile.cases():
        handler = case.handler
        # only handlers that write a prepared response (``send``); drip/silent wait on a server
        if not isinstance(handler, hostile.send):
            continue
        if handler.made is None:  # made lazily by a function: only build the small ones
            if any(word in case.name for word in ("MB", "MiB", "bomb")):
                continue
            handler.prepare()
        data = handler.made
        assert data is not None
        content_type, body = _split_response(data)
        if not body or len(body) > MAX_HOSTILE_BYTES:
            continue
        if looks_like_fast_path_input(body, content_type):
            found.append(KnownFeed(f"hostile case: {case.name}", body, content_type))
    # the builders themselves, and small versions of the big documents
    builders: list[tuple[str, bytes]] = [
        ("nasty_rss(NASTY, raw=False)", hostile.nasty_rss(hostile.NASTY, raw=False)),
        ("nasty_rss(NASTY_SMUGGLED, raw=False)", hostile.nasty_rss(hostile.NASTY_SMUGGLED, raw=False)),
        ("nasty_rss(NASTY_SMUGGLED, raw=True)", hostile.nasty_rss(hostile.NASTY_SMUGGLED, raw=True)),
        ("nasty_atom(NASTY_SMUGGLED)", hostile.nasty_atom(hostile.NASTY_SMUGGLED)),
        ("many_items(64 KiB)", hostile.many_items(64 * 1024)),
        ("big_item(200 KB)", hostile.big_item(200_000)),
        ("big_item(1.4 MB, past feedparser's markup cap)", hostile.big_item(1_400_000)),
        ("deep_xml(100)", hostile.deep_xml(100)),
        ("mixed_charset_doc()", hostile.mixed_charset_doc()),
    ]
    for declared in (None, "utf-8", "iso-8859-1", "windows-1252", "x-gazette", "utf-16"):
        for encoding in ("utf-8", "cp1252", "latin-1", "utf-16"):
            builders.append(
                (f"charset_doc({declared!r}, {encoding!r})", hostile.charset_doc(declared, encoding))
            )
    for name, body in builders:
        if looks_like_fast_path_input(body):
            found.append(KnownFeed(f"hostile: {name}", body, "application/rss+xml"))
    return found


# --- the demo site -------------------------------------------------------------------------------


def demo_feeds() -> list[KnownFeed]:
    from gazette_tui.demo import content, feeds

    articles = list(content.articles())
    found = []
    for spec in feeds.feed_specs():
        items = [a for a in articles if spec.select(a)]
        stamps = [a.updated or a.published for a in items]
        built = max(stamps) if stamps else content.EDITION_DATE
        url = DEMO_BASE + spec.path
        found.append(
            KnownFeed(
                f"demo rss {spec.path}",
                feeds.rss(spec, items, DEMO_BASE, built).encode("utf-8"),
                "application/rss+xml; charset=utf-8",
                url,
            )
        )
        found.append(
            KnownFeed(
                f"demo atom {spec.path}",
                feeds.atom(spec, items, DEMO_BASE, built).encode("utf-8"),
                "application/atom+xml; charset=utf-8",
                url + "?format=atom",
            )
        )
    return found


# --- benchmarks/corpus.py ------------------------------------------------------------------------


@cache
def _bench_corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bench_corpus_differential", ROOT / "benchmarks" / "corpus.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def corpus_feeds(count: int = 4, items: int = 6) -> list[KnownFeed]:
    corpus: Any = _bench_corpus()
    return [
        KnownFeed(
            f"benchmarks corpus feed {index}", data, "application/rss+xml", f"http://127.0.0.1/{index}.xml"
        )
        for index, data in corpus.iter_feeds(count, items)
    ]


# --- *.xml in the repository ---------------------------------------------------------------------


def xml_files() -> list[KnownFeed]:
    skip = {".git", ".venv", "node_modules", "__pycache__", ".hypothesis"}
    found = []
    for path in sorted(ROOT.rglob("*.xml")):
        if skip.intersection(path.relative_to(ROOT).parts):
            continue
        found.append(KnownFeed(f"file {path.relative_to(ROOT)}", path.read_bytes(), "application/xml"))
    return found


def known_feeds() -> Iterator[KnownFeed]:
    yield from builder_feeds()
    yield from hostile_feeds()
    yield from demo_feeds()
    yield from corpus_feeds()
    yield from xml_files()
