"""How well the full-text extractor finds an article in its page: precision and recall of words, per page.

    .venv/bin/python benchmarks/fulltext_quality.py [--json FILE] [--show NAME]

Two sets of pages, each with the text a reader should get:

- ``tests/fixtures/pages/*.html`` with their ``*.txt``: saved pages written for this, in the layouts that
  local-government news comes in (a commune's WordPress site, a departmental council's page with a comment
  thread, a regional daily with « Les plus lus » and ad slots, an agglomeration's page in sections, an
  elected official's blog where the comments outweigh the post, a regional council's table layout in
  ISO-8859-1, a water syndicate's div soup, a prefecture's press release). The expected text is the
  article's own: its chapô and body, headings, list items, table cells and figure captions; not the
  headline (the reader shows the feed's), the kicker, bylines, menus, sidebars, share buttons, comments,
  related links or footers.
- the demo site's article pages (``gazette_tui/demo/``), every article as a subscriber sees it: the expected
  text is its body. Its chapô is the feed's excerpt, which the reader shows above the body and drops from
  the body when it repeats it (``render._dedupe_lede``): extracted or not, it is neither a hit nor a miss.

Each page goes through what a refresh does (``core/feeds/discover.page_text`` to decode it, then
``core/feeds/extract.extract_fulltext``: readability-lxml and the sanitiser) and the result through
``text.html_to_text``. Words are compared as multisets (lower case, letters and digits): precision is the
share of extracted words that belong to the article, recall the share of the article's words extracted.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from gazette_tui.core.feeds.discover import page_text
from gazette_tui.core.feeds.extract import extract_fulltext
from gazette_tui.core.feeds.pages import fetch_pages  # noqa: F401 -- decodes pages as a refresh does
from gazette_tui.text import html_to_text

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "tests" / "fixtures" / "pages"
DEMO_BASE = "http://127.0.0.1:28080"
WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Score:
    name: str
    kind: str
    """``saved`` (tests/fixtures/pages) or ``demo``."""
    precision: float
    recall: float
    extracted: int
    expected: int
    milliseconds: float


def words(text: str) -> Counter[str]:
    return Counter(word.lower() for word in WORD.findall(text))


def score(name: str, kind: str, body: bytes, url: str, expected: str, neutral: str = "") -> tuple[Score, str]:
    """The page's score, and the text extracted from it. Words of ``neutral`` (the demo's chapô) that were
    extracted count neither way."""
    started = time.perf_counter()
    extracted = html_to_text(extract_fulltext(page_text(body, ""), url))
    elapsed = (time.perf_counter() - started) * 1000
    got, want = words(extracted), words(expected)
    common = sum((got & want).values())
    got -= (got - want) & words(neutral)  # the chapô's words, beyond the body's own
    precision = common / max(1, sum(got.values()))
    recall = common / max(1, sum(want.values()))
    return Score(name, kind, precision, recall, sum(got.values()), sum(want.values()), elapsed), extracted


Page = tuple[str, bytes, str, str]
"""Name, bytes, expected text, neutral text."""


def saved_pages() -> list[Page]:
    found = []
    for page in sorted(PAGES.glob("*.html")):
        expected = page.with_suffix(".txt").read_text(encoding="utf-8")
        found.append((page.stem, page.read_bytes(), expected, ""))
    return found


def demo_pages() -> list[Page]:
    from gazette_tui.demo.content import articles
    from gazette_tui.demo.pages import article_page

    every = articles()
    found = []
    for article in every:
        body = article.body_html(DEMO_BASE)
        page = article_page(article, body, full=True, user="abonne@demo.gazette-tui.test", others=every)
        name = f"demo-{article.id}-{article.slug[:40]}"
        found.append((name, page.encode("utf-8"), html_to_text(body), html_to_text(article.lede_html())))
    return found


def measure() -> tuple[list[Score], dict[str, str]]:
    scores, texts = [], {}
    extract_fulltext("<html><body><p>chauffe</p></body></html>", DEMO_BASE)  # the import, not timed
    for kind, pages in (("saved", saved_pages()), ("demo", demo_pages())):
        for name, body, expected, neutral in pages:
            result, text = score(name, kind, body, f"{DEMO_BASE}/{name}/", expected, neutral)
            scores.append(result)
            texts[name] = text
    return scores, texts


def summary(scores: list[Score], kind: str) -> str:
    chosen = [s for s in scores if s.kind == kind]
    precision = [s.precision for s in chosen]
    recall = [s.recall for s in chosen]
    return (
        f"{kind}: {len(chosen)} pages, precision mean {statistics.mean(precision):.3f} "
        f"(min {min(precision):.3f}), recall mean {statistics.mean(recall):.3f} (min {min(recall):.3f}), "
        f"{statistics.median(s.milliseconds for s in chosen):.1f} ms a page (median)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--json", type=Path, help="write every page's figures to this file")
    parser.add_argument("--show", help="print the text extracted from this page (its name in the table)")
    args = parser.parse_args(argv)
    scores, texts = measure()
    if args.show:
        if args.show not in texts:
            print(f"No page named {args.show}", file=sys.stderr)
            return 2
        print(texts[args.show])
        return 0
    print(f"{'page':<48} {'precision':>9} {'recall':>7} {'words':>7} {'expected':>8} {'ms':>6}")
    for s in scores:
        print(
            f"{s.name:<48} {s.precision:>9.3f} {s.recall:>7.3f} {s.extracted:>7} {s.expected:>8} "
            f"{s.milliseconds:>6.1f}"
        )
    print()
    for kind in ("saved", "demo"):
        print(summary(scores, kind))
    if args.json:
        args.json.write_text(json.dumps([asdict(s) for s in scores], indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
