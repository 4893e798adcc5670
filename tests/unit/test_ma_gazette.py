"""« Ma Gazette »: the themes in the database (repair keeps them), the edition grouped by theme, and the
``digest`` command in its three formats, with hostile feed text kept inert in the HTML."""

from __future__ import annotations

import os
import stat
import sys
import time
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from support.feeds import item_xml, rss
from support.french import typo

from gazette_tui.cli import main
from gazette_tui.core.feeds.parse import parse_feed
from gazette_tui.core.library import dossiers
from gazette_tui.core.library import ma_gazette as mg
from gazette_tui.core.library.ma_gazette import Theme
from gazette_tui.core.paths import Paths
from gazette_tui.core.search.alerts import save_alert
from gazette_tui.core.search.recent import finder
from gazette_tui.core.storage.repair import repair
from gazette_tui.core.storage.store import Store

HOUR = 3600
NOW = int(time.time()) // HOUR * HOUR


def rfc822(timestamp: int) -> str:
    from email.utils import formatdate

    return formatdate(timestamp)


def feed(
    store: Store, url: str, rubrique: str, items: list[tuple[str, int, list[str]]], first: int = 0
) -> list[int]:
    """A feed of ``items`` (title, hours ago, categories), their links numbered from ``first``; the ids of its
    articles, newest first."""
    row = store.add_feed(url, rubrique, rubrique)
    xml = [
        item_xml(first + n, title=title, date=rfc822(NOW - hours * HOUR), categories=tags)
        for n, (title, hours, tags) in enumerate(items)
    ]
    store.record_success(row.id, parse_feed(rss(xml)), when=NOW)
    return [r.id for r in store.article_rows(store.article_ids()) if r.feed_id == row.id]


def sample(store: Store) -> None:
    feed(
        store,
        "https://exemple.test/finances/feed/",
        "Finances",
        [
            ("DGF : la réforme", 1, ["DGF"]),
            ("Budget primitif voté", 3, ["Budget"]),
            ("Vieux compte administratif", 24 * 10, ["Budget"]),
        ],
    )
    feed(
        store,
        "https://exemple.test/rh/feed/",
        "RH",
        [("Télétravail des agents", 2, ["RH", "DGF"]), ("Concours d’attaché", 5, ["RH"])],
        first=10,
    )


def test_themes_are_kept_in_order_and_replaced(store: Store) -> None:
    mg.choose(store, [Theme("tag", "DGF"), Theme("rubrique", "RH")])
    assert mg.chosen(store) == [Theme("tag", "DGF"), Theme("rubrique", "RH")]
    mg.choose(store, [Theme("rubrique", "RH"), Theme("alert", "Budget"), Theme("rubrique", "RH")])
    assert mg.chosen(store) == [Theme("rubrique", "RH"), Theme("alert", "Budget")]  # RH kept its place
    assert store.themes.count() == 2
    mg.choose(store, [])
    assert mg.chosen(store) == []


def test_the_edition_groups_by_theme_each_article_once(store: Store) -> None:
    sample(store)
    save_alert(store, "Télétravail", "télétravail")
    [rh_first] = store.article_ids()[1:2]
    veille = dossiers.create(store, "Veille")
    dossiers.add_article(store, veille.id, rh_first)
    themes = [
        Theme("tag", "DGF"),
        Theme("rubrique", "Finances"),
        Theme("alert", "Télétravail"),
        Theme("dossier", "veille"),  # dossier names ignore case
        Theme("tag", "Nulle part"),
        Theme("alert", "Disparue"),
    ]
    edition = mg.build(store, themes, since=NOW - 24 * HOUR, alerts=finder(store), lang="fr")
    titles = {s.theme.value: [c.title for c in s.cards] for s in edition.sections}
    assert titles == {
        "DGF": ["DGF : la réforme", "Télétravail des agents"],
        "Finances": [
            "Budget primitif voté"
        ],  # the DGF one is above already; the old one is out of the window
    }
    assert edition.quiet == [
        Theme("alert", "Télétravail"),
        Theme("dossier", "veille"),
        Theme("tag", "Nulle part"),
    ]
    assert edition.missing == [Theme("alert", "Disparue")]
    card = edition.sections[0].cards[0]
    assert card.meta.startswith("Publié le ")
    assert typo("dans : Finances") in card.meta
    assert card.lede == "Résumé de l’article 0."
    assert card.url == "https://exemple.test/actualite/0/article/"
    # One article per theme at most: the alerte and the dossier bring theirs when nothing above took them.
    alone = mg.build(store, themes[2:4], since=NOW - 24 * HOUR, alerts=finder(store), per_theme=1)
    assert [len(s.cards) for s in alone.sections] == [1]
    assert alone.quiet == [Theme("dossier", "veille")]  # the same article, shown under the alerte


def test_the_window_is_today_or_since_the_last_visit(store: Store) -> None:
    today = mg.start_of_day(NOW)
    assert mg.window_start(store, NOW) == today
    mg.record_visit(store, today - 30 * HOUR)
    assert mg.window_start(store, NOW) == today - 30 * HOUR
    mg.record_visit(store, today - 40 * 24 * HOUR)  # a month away: a week at most
    assert today - mg.window_start(store, NOW) in range(7 * 24 * HOUR - HOUR, 7 * 24 * HOUR + HOUR + 1)
    mg.record_visit(store, NOW)
    assert mg.window_start(store, NOW) == today


def test_parse_theme_and_since() -> None:
    assert mg.parse_theme("alerte:Budget 2027") == Theme("alert", "Budget 2027")
    assert mg.parse_theme("Catégorie:DGF") == Theme("tag", "DGF")
    assert mg.parse_since("12h", 100_000) == 100_000 - 12 * HOUR
    assert mg.parse_since("2j", 1_000_000) == 1_000_000 - 48 * HOUR
    for bad in ("rien", "couleur:bleu", "tag:"):
        with pytest.raises(mg.ThemeError):
            mg.parse_theme(bad)
    with pytest.raises(mg.ThemeError) as caught:
        mg.parse_since("hier soir")
    assert typo("« hier soir »") in str(caught.value)


def test_repair_keeps_the_themes(tmp_path: Path) -> None:
    path = tmp_path / "gazette.db"
    with Store(path) as store:
        mg.choose(store, [Theme("rubrique", "Finances"), Theme("tag", "DGF")])
        before = store.themes.all()
    report = repair(path, force=True)
    assert report.rows["themes"] == 2
    with Store(path) as store:
        assert store.themes.all() == before


def test_the_dialog_counts(store: Store) -> None:
    sample(store)
    found = mg.candidates(store)
    assert found.rubriques == [("Finances", 3), ("RH", 2)]
    assert found.tags[:2] == [("Budget", 2), ("DGF", 2)]
    assert ("Concours", 1) not in found.tags
    assert dict(found.tags)["RH"] == 2


# -- the digest ------------------------------------------------------------------------------------------


def cli_store(xdg_home: Path) -> Store:
    assert main(["feeds", "list"]) == 0  # the profile, seeded
    store = Store(Paths.default().database)
    store.remove_all_feeds()
    return store


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_digest_in_each_format(
    xdg_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    # The command reads the clock: the sample's hours count from this hour, not from the suite's start
    # (``--since 2h`` missed the article of "an hour ago" once the suite had run past the next hour).
    monkeypatch.setattr(sys.modules[__name__], "NOW", int(time.time()) // HOUR * HOUR)
    with cli_store(xdg_home) as store:
        sample(store)
        mg.choose(store, [Theme("rubrique", "RH")])
    capsys.readouterr()
    assert main(["--lang", "en", "digest", "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert "Télétravail des agents" in out
    assert "Concours d’attaché" in out
    assert "DGF : la réforme" not in out  # not a theme of this reader
    assert "Rubrique “RH”" in out
    assert "2 new articles since" in out
    assert ("<!DOCTYPE html>" in out) == (fmt == "html")
    assert out.startswith("# ") == (fmt == "md")
    assert main(["digest", "--format", fmt, "--themes", "tag:DGF", "--since", "2h"]) == 0
    out = capsys.readouterr().out
    assert "DGF : la réforme" in out
    assert "Télétravail" not in out
    assert typo("Mot-clé « DGF »") in out
    assert "1 nouvel article depuis le" in out


def test_digest_writes_a_private_file_atomically(xdg_home: Path, tmp_path: Path) -> None:
    with cli_store(xdg_home) as store:
        sample(store)
        mg.choose(store, [Theme("tag", "DGF")])
    (tmp_path / "mails").mkdir()
    target = tmp_path / "mails" / "gazette.html"
    target.write_text("ancienne")
    assert main(["digest", "--format", "html", "-o", str(target)]) == 0
    assert "DGF : la réforme" in target.read_text()
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["gazette.html"]  # no temporary file left


def test_digest_says_a_bad_option_in_a_sentence(xdg_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cli_store(xdg_home).close()
    capsys.readouterr()
    assert main(["digest", "--themes", "couleur:bleu"]) == 2  # usage
    assert typo("Thème inconnu « couleur:bleu »") in capsys.readouterr().err
    assert main(["--lang", "en", "digest", "--since", "demain"]) == 2
    assert "Unknown start “demain”" in capsys.readouterr().err


HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    '"><svg onload=alert(1)>',
    "&lt;b&gt;gras&lt;/b&gt; {onclick=alert(1)}",
]


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_feed_text_stays_inert_in_the_html(
    xdg_home: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    url = 'https://exemple.test/a"><script>alert(1)</script>'
    document = (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>x</title>'
        f"<item><title>{escape(text)}</title><link>{escape(url)}</link><guid>g</guid>"
        f"<pubDate>{rfc822(NOW - HOUR)}</pubDate><dc:creator>{escape(text)}</dc:creator>"
        f"<category>{escape(text)}</category>"
        f"<description>{escape('<p>' + escape(text) + '</p><img src=https://evil.test/p.png>')}</description>"
        "</item></channel></rss>"
    ).encode()
    with cli_store(xdg_home) as store:
        row = store.add_feed("https://exemple.test/feed/", text, text)
        store.record_success(row.id, parse_feed(document), when=NOW)
        [article] = [store.article(i) for i in store.article_ids()]
        mg.choose(store, [Theme("rubrique", article.rubrique)] if article.rubrique else [])
        themes = ["--themes", f"rubrique:{article.rubrique}"] if article.rubrique else []
    capsys.readouterr()
    assert main(["digest", "--format", "html", *themes]) == 0
    page = capsys.readouterr().out
    for needle in ("<img", "<svg", "<script", "<iframe", 'javascript:alert(1)"', "evil.test"):
        assert needle not in page.lower(), (needle, page)
    elements = Elements()
    elements.feed(page)
    assert {tag for tag, _attrs in elements.tags} <= {
        "html", "head", "meta", "title", "body", "h1", "h2", "h3", "p", "div", "a"
    }  # fmt: skip
    for tag, attrs in elements.tags:
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            if name == "href":
                assert value is not None
                assert value.startswith("https://exemple.test/a%22%3E%3Cscript%3E")
    assert article.title in "".join(elements.text)  # shown, as the text it is
