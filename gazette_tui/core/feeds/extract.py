"""An article's text out of its web page, sanitised and kept: the pieces both kinds of full text share.

The full text of any feed (:mod:`.pages`: public pages of excerpt-only items) and that of a subscriber's
articles (:mod:`gazette_tui.core.accounts.fulltext`: pages fetched with the account's session) fetch
differently, then do the same thing with what came: extract the article with readability-lxml, sanitise it
as any feed text is (the page is untrusted), check that it says more than the excerpt did, and store it in
``article_bodies.fulltext_html`` and in the search index.

Extractor: readability-lxml, chosen by measurement on the demo site's pages (tables, figures, ordered lists,
quotes, sidebars, footers): trafilatura and readability both found every word of every body and none of the
boilerplate, but trafilatura's HTML output dropped figures and images and turned ordered lists into bullets,
while readability kept the article's own markup (which we sanitise anyway); it was also faster (about 3 ms
against 5 ms a page) and lighter to import (0.11 s against 0.2 s). ``benchmarks/fulltext_quality.py``
measures it on the demo's pages and on saved pages of other layouts (``docs/BENCHMARKS.md``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gazette_tui.errors import GazetteError
from gazette_tui.text import html_to_text, sanitize_html

if TYPE_CHECKING:
    from gazette_tui.core.storage.store import Store

MIN_TEXT_CHARS = 200
"""A full text says at least this many characters, and at least half of what the excerpt said: less is a
paywall, a cookie wall or a page of links, not the article."""


class FulltextUnavailable(GazetteError):
    """The page had no article text we could use (paywall, empty page, another site)."""


def extract_fulltext(page_html: str, url: str) -> str:
    """The article's main text as sanitised HTML, links made absolute. Runs readability-lxml, then our
    sanitiser: the page is untrusted like any feed text."""
    from readability import Document  # imported here: only refreshes that fetch pages pay for it

    try:
        main = Document(page_html, url=url).summary(html_partial=True)
    except Exception:  # readability raises Unparseable, lxml errors, ValueError on odd input
        raise FulltextUnavailable("fulltext.unreadable_page") from None
    return sanitize_html(str(main))


def long_enough(fulltext_html: str, excerpt_chars: int) -> bool:
    """Whether an extracted text is the article rather than what surrounds it (:data:`MIN_TEXT_CHARS`)."""
    return len(html_to_text(fulltext_html)) >= max(MIN_TEXT_CHARS, excerpt_chars // 2)


def store_fulltext(store: Store, article_id: int, fulltext_html: str) -> None:
    """Keep the full text and make it searchable (the index row's body becomes the full text)."""
    store.bodies.set_fulltext(article_id, fulltext_html, html_to_text(fulltext_html))


def has_fulltext(store: Store, article_id: int) -> bool:
    return store.bodies.has_fulltext(article_id)
