"""The differential harness: the lxml fast path against the feedparser road, on the same bytes.

The project's rule: the fast path may only be faster, never different. On every document it accepts, it must
give the same normalised fields as the feedparser road; on any other, it must decline (return None).

Both roads are run *through* :func:`gazette_tui.core.feeds.parse.parse_feed`, so they get the bytes exactly as
parse_feed feeds them (its checks, ``prepare``…) and go through whatever
parse_feed does after them (a post-processing step, say), whatever it becomes:

- the fast road: parse_feed with the feedparser road replaced by a stub that raises; if the stub is reached,
  the fast path declined;
- the feedparser road: parse_feed with the fast path replaced by a stub that declines.

Both names of each road are replaced in :mod:`gazette_tui.core.feeds.parse` (``fast_path``/``_fast_path``,
``parse_with_feedparser``/``_feedparser``); if parse_feed stops calling them, :class:`HarnessError` says so
rather than letting the harness compare a road with itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import lxml.html
from lxml import etree

from gazette_tui.core.feeds import parse as parse_module
from gazette_tui.errors import FeedError
from gazette_tui.models import ParsedEntry, ParsedFeed
from gazette_tui.text import html_to_text

DEFAULT_URL = "http://127.0.0.1/feed"
FAST_NAMES = ("fast_path", "_fast_path")
FEEDPARSER_NAMES = ("parse_with_feedparser", "_feedparser")
FEED_FIELDS = ("kind", "title", "site_url", "dropped")


class HarnessError(AssertionError):
    """parse_feed no longer goes through the names this harness replaces: fix the harness, not the test."""


class _FeedparserReached(Exception):
    """Raised by the stub that stands for the feedparser road while the fast road runs."""


@dataclass
class Road:
    """What one road made of a document through parse_feed."""

    feed: ParsedFeed | None = None
    error: BaseException | None = None
    """FeedError (a refusal) or any other exception (a crash) that came out of parse_feed."""
    reached: bool = False
    """The road's own function was called (parse_feed did not refuse the document before it)."""
    accepted: bool = False
    """Fast road only: the fast path returned a feed (did not decline)."""
    fast_calls: list[str] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return isinstance(self.error, FeedError)

    @property
    def crashed(self) -> bool:
        return self.error is not None and not isinstance(self.error, FeedError)


@contextmanager
def _replaced(replacements: dict[str, Callable[..., Any]]) -> Iterator[None]:
    saved = {name: getattr(parse_module, name) for name in replacements if hasattr(parse_module, name)}
    if not saved:
        raise HarnessError(f"gazette_tui.core.feeds.parse has none of {sorted(replacements)}")
    try:
        for name in saved:
            setattr(parse_module, name, replacements[name](saved[name]))
        yield
    finally:
        for name, original in saved.items():
            setattr(parse_module, name, original)


def fast_road(data: bytes, url: str = DEFAULT_URL, content_type: str = "") -> Road:
    """parse_feed with the feedparser road cut off: the fast path's answer, as parse_feed returns it."""
    road = Road()

    def recording(original: Callable[..., ParsedFeed | None]) -> Callable[..., ParsedFeed | None]:
        def wrapper(*args: Any, **kwargs: Any) -> ParsedFeed | None:
            road.reached = True
            result = original(*args, **kwargs)
            road.accepted = road.accepted or result is not None
            return result

        return wrapper

    def stub(_original: Callable[..., ParsedFeed]) -> Callable[..., ParsedFeed]:
        def raiser(*args: Any, **kwargs: Any) -> ParsedFeed:
            raise _FeedparserReached

        return raiser

    with _replaced({**dict.fromkeys(FAST_NAMES, recording), **dict.fromkeys(FEEDPARSER_NAMES, stub)}):
        try:
            road.feed = parse_module.parse_feed(data, url, content_type)
        except _FeedparserReached:
            road.feed = None
        except Exception as error:
            road.error = error
    if road.feed is not None and not road.accepted:
        # parse_feed returned a feed that did not come from the fast path: the JSON road, or a new one
        road.feed = None
    return road


def feedparser_road(data: bytes, url: str = DEFAULT_URL, content_type: str = "") -> Road:
    """parse_feed with the fast path declining everything: the feedparser road's answer."""
    road = Road()

    def declining(_original: Callable[..., ParsedFeed | None]) -> Callable[..., ParsedFeed | None]:
        def decline(*args: Any, **kwargs: Any) -> None:
            road.fast_calls.append("declined")
            return None

        return decline

    def recording(original: Callable[..., ParsedFeed]) -> Callable[..., ParsedFeed]:
        def wrapper(*args: Any, **kwargs: Any) -> ParsedFeed:
            road.reached = True
            return original(*args, **kwargs)

        return wrapper

    with _replaced({**dict.fromkeys(FAST_NAMES, declining), **dict.fromkeys(FEEDPARSER_NAMES, recording)}):
        try:
            road.feed = parse_module.parse_feed(data, url, content_type)
        except Exception as error:
            road.error = error
    return road


def fast_accepts(data: bytes, url: str = DEFAULT_URL, content_type: str = "") -> bool:
    """The fast path (as parse_feed calls it) returned a feed for this document."""
    return fast_road(data, url, content_type).accepted


# --- normalisation -------------------------------------------------------------------------------


def link_targets(fragment: str) -> list[str]:
    """Every ``href`` and ``src`` in an HTML fragment, sorted."""
    if not fragment or not fragment.strip():
        return []
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return ["<unparsable HTML>"]
    return sorted(
        value
        for element in root.iter()
        if isinstance(element.tag, str)
        for name in ("href", "src")
        if (value := element.get(name)) is not None
    )


def normalise(entry: ParsedEntry) -> dict[str, Any]:
    """The fields of an entry both roads must agree on; bodies as plain text plus their link targets."""
    return {
        "key": entry.key,
        "url": entry.url,
        "title": entry.title,
        "kicker": entry.kicker,
        "author": entry.author,
        "published": entry.published,
        "updated": entry.updated,
        "categories": list(entry.categories),
        "summary": html_to_text(entry.summary_html),
        "summary_links": link_targets(entry.summary_html),
        "content": html_to_text(entry.content_html),
        "content_links": link_targets(entry.content_html),
        "enclosures": [(e.url, e.type, e.length, e.duration) for e in entry.enclosures],
        "external_url": entry.external_url,
        "reserved": entry.reserved,
    }


def _show(value: Any, limit: int = 160) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _error(error: BaseException | None) -> str:
    return f"{type(error).__name__}: {error}"[:200] if error is not None else ""


def compare_feeds(reference: ParsedFeed, fast: ParsedFeed) -> list[str]:
    """Differences between the feedparser road's feed (reference) and the fast path's."""
    found = [
        f"feed.{name}: feedparser {_show(getattr(reference, name))} | fast {_show(getattr(fast, name))}"
        for name in FEED_FIELDS
        if getattr(reference, name) != getattr(fast, name)
    ]
    if len(reference.entries) != len(fast.entries):
        found.append(
            f"feed.entries: feedparser {len(reference.entries)} entries "
            f"{_show([e.key for e in reference.entries])} | fast {len(fast.entries)} entries "
            f"{_show([e.key for e in fast.entries])}"
        )
        return found
    for index, (slow_entry, fast_entry) in enumerate(zip(reference.entries, fast.entries, strict=True)):
        left, right = normalise(slow_entry), normalise(fast_entry)
        for name, value in left.items():
            if value != right[name]:
                found.append(f"entry[{index}].{name}: feedparser {_show(value)} | fast {_show(right[name])}")
    return found


def _over_markup_cap(data: bytes) -> bool:
    from gazette_tui.core.feeds.parse import MAX_LOOSE_MARKUP, prepare

    return prepare(data)[0].count(b"<") > MAX_LOOSE_MARKUP


def compare(data: bytes, url: str = DEFAULT_URL, content_type: str = "") -> list[str]:
    """Human-readable differences between the two roads on ``data``; empty when the fast path declined (or
    parse_feed refused the document before either road) or when every compared field agrees."""
    fast = fast_road(data, url, content_type)
    if fast.crashed and fast.reached:
        return [f"fast.crash: the fast road raised {_error(fast.error)}"]
    if not fast.accepted:
        return []
    slow = feedparser_road(data, url, content_type)
    if not slow.fast_calls:
        raise HarnessError(
            "parse_feed did not call fast_path/_fast_path while the fast path accepted: harness stale"
        )
    if slow.crashed:
        return [
            f"feedparser.crash: the feedparser road raised {_error(slow.error)}; "
            "the fast path accepts the document"
        ]
    if slow.refused:
        if _over_markup_cap(data):
            # The feedparser road refuses documents past MAX_LOOSE_MARKUP tags to bound its time (it reads
            # ~20 000 tags a second); the fast path reads well-formed ones of any size in milliseconds.
            # Nothing to compare: the reference does not read them at all.
            return []
        if fast.feed is not None and fast.feed.entries:
            return [
                f"feed.refused: feedparser road refuses ({_error(slow.error)}) | fast accepts "
                f"{len(fast.feed.entries)} entries"
            ]
        return []
    assert slow.feed is not None
    if fast.feed is None:  # accepted, then parse_feed refused or crashed after the fast path
        return [
            f"feed.refused: feedparser road gives {len(slow.feed.entries)} entries | "
            f"fast road {_error(fast.error)}"
        ]
    return compare_feeds(slow.feed, fast.feed)
