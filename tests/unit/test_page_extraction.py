"""The extractor on saved article pages (``tests/fixtures/pages``: synthetic local-government news in eight
layouts, each with the text a reader should get) and on the demo site's pages: the article's words are
found, the boilerplate around them (menus, sidebars, comments, cookie banners, related links, footers) is
not, the page is sanitised, and a page in ISO-8859-1 reads right. ``benchmarks/fulltext_quality.py`` prints
the same figures per page (``docs/BENCHMARKS.md``)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from gazette_tui.core.feeds.discover import page_text
from gazette_tui.core.feeds.extract import extract_fulltext
from gazette_tui.core.feeds.pages import fetch_pages  # noqa: F401 -- decodes pages as a refresh does
from gazette_tui.demo.content import articles
from gazette_tui.demo.pages import article_page
from gazette_tui.text import html_to_text

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
SAVED = sorted(p.stem for p in PAGES.glob("*.html"))
WORD = re.compile(r"\w+")
BOILERPLATE = (
    "Mentions légales",
    "commentaire",
    "cookies",
    "Les plus lus",
    "Newsletter",
    "Lettre d’information",
    "Partager",
    "À lire aussi",
    "Agenda",
    "Espace abonnés",
    "Contact presse",
)


def words(text: str) -> Counter[str]:
    return Counter(w.lower() for w in WORD.findall(text))


def extracted(name: str) -> str:
    body = (PAGES / f"{name}.html").read_bytes()
    return html_to_text(extract_fulltext(page_text(body, "text/html"), f"https://ville.example/{name}/"))


def precision_recall(got_text: str, want_text: str) -> tuple[float, float]:
    got, want = words(got_text), words(want_text)
    common = sum((got & want).values())
    return common / max(1, sum(got.values())), common / max(1, sum(want.values()))


def test_there_are_saved_pages_of_several_layouts() -> None:
    assert len(SAVED) >= 8
    for name in SAVED:
        assert (PAGES / f"{name}.txt").read_text(encoding="utf-8").strip(), name


@pytest.mark.parametrize("name", SAVED)
def test_each_saved_page_gives_its_article_and_not_what_surrounds_it(name: str) -> None:
    expected = (PAGES / f"{name}.txt").read_text(encoding="utf-8")
    text = extracted(name)
    precision, recall = precision_recall(text, expected)
    assert precision >= 0.9, (name, precision)
    assert recall >= 0.75, (name, recall)  # readability drops a section that is only a list: see the doc
    for phrase in BOILERPLATE:
        if phrase.lower() not in expected.lower():
            assert phrase.lower() not in text.lower(), (name, phrase)


def test_most_saved_pages_are_found_whole() -> None:
    scores = [precision_recall(extracted(n), (PAGES / f"{n}.txt").read_text(encoding="utf-8")) for n in SAVED]
    assert sum(recall for _p, recall in scores) / len(scores) >= 0.95
    assert sum(precision == 1.0 and recall == 1.0 for precision, recall in scores) >= 5


def test_a_latin_1_page_reads_right_and_scripts_never_come_through() -> None:
    text = extracted("region-lycees-latin1")
    assert "rénovation de 27 lycées" in text
    assert "dioxyde de carbone dans les 5 800 salles" in text
    assert "\ufffd" not in text
    assert "Ã" not in text
    for name in SAVED:
        html = extract_fulltext(
            page_text((PAGES / f"{name}.html").read_bytes(), ""), "https://ville.example/"
        )
        for unsafe in ("<script", "javascript:", "<form", "onclick"):
            assert unsafe not in html, (name, unsafe)


def test_every_demo_page_gives_its_whole_body() -> None:
    every = articles()
    base = "http://127.0.0.1:28080"
    for article in every:
        body = article.body_html(base)
        page = article_page(article, body, full=True, user="abonne@demo.gazette-tui.test", others=every)
        text = html_to_text(extract_fulltext(page, base + article.path))
        _precision, recall = precision_recall(text, html_to_text(body))
        assert recall == 1.0, article.slug
        assert "À lire aussi" not in text, article.slug
        assert "Newsletter" not in text, article.slug
