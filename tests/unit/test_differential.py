"""The fast path may only be faster, never different.

On every document the lxml fast path accepts, it must give exactly the fields the feedparser road gives
(``tests/support/differential.py`` runs both roads through parse_feed on the same bytes); on any other
it must decline. Checked on every feed document the repository makes (``tests/support/known_feeds.py``) and on
generated ones (``tests/support/feedgen.py``: RSS 0.9x/2.0, RDF, Atom with the modules real feeds use). And so
that a fast path declining everything cannot pass: it must accept every plain RSS 2.0/Atom document.

Hypothesis is derandomized (same examples on every run). Shrinking is off by default to keep the file
within its time budget when the roads disagree; ``GAZETTE_DIFF_SHRINK=1`` turns it on for a minimal example.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, Phase, given, note, settings
from support.differential import compare, fast_accepts
from support.feedgen import content_types, feed_documents, plain_atom_documents, plain_rss_documents
from support.known_feeds import KnownFeed, known_feeds

from gazette_tui.core.feeds import parse
from gazette_tui.core.feeds.fastpath import fast_path
from gazette_tui.models import ParsedFeed

PHASES = (
    [Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink]
    if os.environ.get("GAZETTE_DIFF_SHRINK")
    else [Phase.explicit, Phase.reuse, Phase.generate]
)
DIFFERENTIAL = settings(
    max_examples=1000,
    deadline=None,
    derandomize=True,
    database=None,
    phases=PHASES,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
ACCEPTANCE = settings(DIFFERENTIAL, max_examples=250)

KNOWN = list(known_feeds())
# The project's own RSS 2.0 and Atom (tests/feeds.py, the demo site, the benchmark corpus) are made of the
# elements the fast path reads: it must read them itself.
OWN = [feed for feed in KNOWN if feed.name.startswith(("feeds:", "demo ", "benchmarks "))]


def _explain(differences: list[str]) -> str:
    shown = "\n".join(differences[:25])
    more = f"\n… and {len(differences) - 25} more" if len(differences) > 25 else ""
    return f"{len(differences)} differences:\n{shown}{more}"


def _as_text(data: bytes) -> str:
    for codec in ("utf-8", "utf-16"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return data.decode("cp1252", "replace")


def _prepared(data: bytes) -> bytes:
    """The bytes as parse_feed hands them to the fast path."""
    return parse.prepare(data)[0]


@pytest.mark.parametrize("feed", KNOWN, ids=[feed.name for feed in KNOWN])
def test_known_feeds_same_on_both_roads(feed: KnownFeed) -> None:
    differences = compare(feed.data, feed.url, feed.content_type)
    assert differences == [], _explain(differences)


@pytest.mark.parametrize("feed", OWN, ids=[feed.name for feed in OWN])
def test_fast_path_reads_the_project_s_own_feeds(feed: KnownFeed) -> None:
    assert fast_accepts(feed.data, feed.url, feed.content_type)


def test_known_feeds_are_all_there() -> None:
    """The fixture list is not silently empty: each source contributes."""
    names = [feed.name for feed in KNOWN]
    for prefix in ("feeds:", "hostile", "demo rss", "demo atom", "benchmarks corpus"):
        assert any(name.startswith(prefix) for name in names), prefix


@DIFFERENTIAL
@given(document=feed_documents(), content_type=content_types)
def test_generated_feeds_same_on_both_roads(document: bytes, content_type: str) -> None:
    differences = compare(document, content_type=content_type)
    if differences:
        note(_as_text(document))
    assert differences == [], _explain(differences)


@ACCEPTANCE
@given(document=plain_rss_documents())
def test_fast_path_accepts_plain_rss(document: bytes) -> None:
    if not fast_accepts(document):
        note(_as_text(document))
    assert fast_accepts(document)
    assert fast_path(_prepared(document), "http://127.0.0.1/feed") is not None


@ACCEPTANCE
@given(document=plain_atom_documents())
def test_fast_path_accepts_plain_atom(document: bytes) -> None:
    if not fast_accepts(document):
        note(_as_text(document))
    assert fast_accepts(document)
    assert fast_path(_prepared(document), "http://127.0.0.1/feed") is not None


def test_harness_sees_a_difference(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fast path that changes one title is caught: the harness can fail."""

    def tampered(
        original: Callable[[bytes, str], ParsedFeed | None],
    ) -> Callable[[bytes, str], ParsedFeed | None]:
        def fast(data: bytes, url: str) -> ParsedFeed | None:
            feed = original(data, url)
            if feed is not None and feed.entries and not feed.entries[0].title.endswith("(altéré)"):
                feed.entries[0].title += " (altéré)"
            return feed

        return fast

    for name in ("fast_path", "_fast_path"):
        if hasattr(parse, name):
            monkeypatch.setattr(parse, name, tampered(getattr(parse, name)))
    document = KNOWN[0].data
    assert any(line.startswith("entry[0].title:") for line in compare(document))
