"""Rendering cached articles for the reader pane and ``gazette-tui show``."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from markdown_it import MarkdownIt
from rich.console import Console
from rich.markdown import Markdown
from support.french import typo

from gazette_tui.core.render import RenderedArticle, article_as_text, render_article
from gazette_tui.models import Article

NOON_2019_02_20 = 1550664000  # 12:00 UTC: the same calendar day in every time zone from UTC-11 to UTC+11
UNSAFE_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b-\u200f]")


def make_article(**fields: Any) -> Article:
    values: dict[str, Any] = {
        "id": 7,
        "feed_id": 1,
        "feed_title": "La Gazette de Valbourg",
        "feed_url": "https://gazette.example/feed/",
        "rubrique": "Finances",
        "title": "Valbourg vote un budget sans hausse d'impôts",
        "kicker": "Budget",
        "author": "Jeanne Martin",
        "published": NOON_2019_02_20,
        "updated": None,
        "url": "https://gazette.example/finances/budget-valbourg/",
        "categories": ["Budget", "Fiscalité"],
        "summary_html": "<p>Le conseil municipal a adopté le budget primitif 2019 sans toucher aux taux.</p>",
        "content_html": "",
        "fulltext_html": "",
        "reserved": False,
        "read": False,
        "starred": False,
    }
    values.update(fields)
    return Article(**values)


def body(html: str, **fields: Any) -> RenderedArticle:
    """Render an article whose content is ``html`` (the summary does not overlap it)."""
    fields.setdefault("summary_html", "<p>Un chapô distinct du corps de l'article.</p>")
    return render_article(make_article(content_html=html, **fields), "fr")


def markdown_tokens(markdown: str) -> list[Any]:
    """Every token, inline ones included, as Textual's Markdown widget parses it (gfm-like, linkify on)."""
    tokens: list[Any] = []
    pending = list(MarkdownIt("gfm-like").parse(markdown))
    while pending:
        token = pending.pop(0)
        tokens.append(token)
        pending[:0] = token.children or []
    return tokens


def rich_text(markdown: str) -> str:
    """What a reader sees once the Markdown is rendered (Rich, no colour)."""
    buffer = io.StringIO()
    Console(file=buffer, width=200, color_system=None, force_terminal=False).print(Markdown(markdown))
    return buffer.getvalue()


# --- structure --------------------------------------------------------------------------------------------


def test_headings_lists_quotes_and_emphasis() -> None:
    rendered = body(
        "<h2>Les chiffres clés</h2><p>Un <strong>budget</strong> <em>prudent</em>.</p>"
        "<h3>Investissement</h3><ul><li>Écoles<ul><li>Cantine</li></ul></li><li>Voirie</li></ul>"
        "<ol><li>Vote</li><li>Publication</li></ol>"
        "<blockquote><p>Nous tenons nos engagements.</p></blockquote>"
    )
    lines = rendered.body_markdown.split("\n")
    assert "## Les chiffres clés" in lines
    assert "### Investissement" in lines
    assert "Un **budget** *prudent*." in lines
    assert "- Écoles" in lines
    assert "  - Cantine" in lines
    assert "- Voirie" in lines
    assert "1. Vote" in lines
    assert "2. Publication" in lines
    assert "> Nous tenons nos engagements." in lines
    kinds = {token.type for token in markdown_tokens(rendered.body_markdown)}
    assert {"heading_open", "bullet_list_open", "ordered_list_open", "blockquote_open"} <= kinds
    assert {"strong_open", "em_open"} <= kinds


def test_table_becomes_a_pipe_table() -> None:
    rendered = body(
        "<table><thead><tr><th>Poste</th><th>Montant</th></tr></thead>"
        "<tbody><tr><td>Voirie | trottoirs</td><td>120 000 €</td></tr>"
        "<tr><td>Écoles</td><td>80 000 €</td></tr></tbody></table>"
    )
    lines = rendered.body_markdown.split("\n")
    assert lines[:2] == ["| Poste | Montant |", "| --- | --- |"]
    assert lines[2] == r"| Voirie \| trottoirs | 120 000 € |"
    cells = [t.children[0].content for t in markdown_tokens(rendered.body_markdown) if t.type == "inline"]
    assert cells == ["Poste", "Montant", "Voirie | trottoirs", "120 000 €", "Écoles", "80 000 €"]


def test_fulltext_is_preferred_to_feed_content() -> None:
    rendered = render_article(
        make_article(content_html="<p>Version du flux.</p>", fulltext_html="<p>Version complète.</p>"), "fr"
    )
    assert rendered.body_markdown == "Version complète."


# --- links ------------------------------------------------------------------------------------------------


def test_links_are_numbered_in_order_and_deduplicated() -> None:
    rendered = body(
        '<p>Voir <a href="https://www.collectivites.example/loi">la loi</a>, '
        '<a href="/finances/dotations/">les dotations</a> et encore '
        '<a href="https://www.collectivites.example/loi">le texte</a>.</p>'
        '<p>Écrire à <a href="mailto:redaction@gazette.example">la rédaction</a>.</p>'
    )
    assert rendered.links == [
        "https://www.collectivites.example/loi",
        "https://gazette.example/finances/dotations/",  # resolved against the article's URL
        "mailto:redaction@gazette.example",
    ]
    shown = rich_text(rendered.body_markdown)
    assert "Voir la loi [1], les dotations [2] et encore le texte [1]." in shown
    assert "Écrire à la rédaction [3]." in shown
    assert not [t for t in markdown_tokens(rendered.body_markdown) if t.type == "link_open"]


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "&#106;avascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox",
        "file:///etc/passwd",
        "ftp://fichiers.example/budget.pdf",
        "https://exa mple.org/",
        "http://",
    ],
)
def test_unsafe_links_are_dropped_and_their_text_kept(href: str) -> None:
    rendered = body(f'<p>Cliquez <a href="{href}">ici</a> ou <a href="https://ok.example/">là</a>.</p>')
    assert rendered.links == ["https://ok.example/"]
    assert rich_text(rendered.body_markdown).strip() == "Cliquez ici ou là [1]."


def test_relative_links_are_dropped_without_a_safe_article_url() -> None:
    rendered = body('<p>Voir <a href="/dossier/">le dossier</a>.</p>', url="javascript:void(0)")
    assert rendered.links == []
    assert rich_text(rendered.body_markdown).strip() == "Voir le dossier."


# --- images -----------------------------------------------------------------------------------------------


def test_images_become_placeholders_with_their_credit() -> None:
    rendered = body(
        '<figure><img src="/mairie.jpg" alt="La mairie de Valbourg">'
        "<figcaption>Photo : Paul Durand</figcaption></figure>"
        '<p><img src="/plan.png" alt="Plan du quartier" title="Ville de Valbourg"></p>'
        '<p><img src="/decor.gif"></p>'
        '<p><a href="https://gazette.example/galerie/"><img src="/vignette.jpg" alt="Galerie"></a></p>'
    )
    shown = [line.strip() for line in rich_text(rendered.body_markdown).split("\n") if line.strip()]
    assert shown == [
        "[image: La mairie de Valbourg — Photo : Paul Durand]",
        "[image: Plan du quartier — Ville de Valbourg]",
        "[image]",
        "[image: Galerie] [1]",
    ]
    assert rendered.links == ["https://gazette.example/galerie/"]
    assert not [t for t in markdown_tokens(rendered.body_markdown) if t.type in ("image", "link_open")]


# --- lede and excerpts ------------------------------------------------------------------------------------


def test_lede_is_the_summary_and_is_not_repeated_by_the_body() -> None:
    summary = "<p>Le conseil municipal a adopté le budget primitif 2019 sans toucher aux taux.</p>"
    content = (
        "<p>Le conseil municipal a adopté le <strong>budget primitif</strong> 2019 sans toucher aux taux.</p>"
        "<p>La séance a duré trois heures.</p>"
    )
    rendered = render_article(make_article(summary_html=summary, content_html=content), "fr")
    assert rendered.lede == "Le conseil municipal a adopté le budget primitif 2019 sans toucher aux taux."
    assert rendered.body_markdown == "La séance a duré trois heures."
    assert rendered.notice == ""


def test_truncated_summary_gives_way_to_the_full_first_paragraph() -> None:
    summary = "<p>Le conseil municipal a adopté le budget primitif 2019 sans toucher [&hellip;]</p>"
    content = (
        "<p>Le conseil municipal a adopté le budget primitif 2019 sans toucher aux taux.</p><p>Suite.</p>"
    )
    rendered = render_article(make_article(summary_html=summary, content_html=content), "fr")
    assert rendered.lede == ""
    assert rendered.body_markdown.startswith(
        "Le conseil municipal a adopté le budget primitif 2019 sans toucher"
    )


def test_repeated_paragraph_with_a_link_stays_in_the_body() -> None:
    summary = "<p>La préfecture publie la circulaire.</p>"
    content = (
        '<p>La préfecture publie <a href="https://prefecture.example/c">la circulaire</a>.</p><p>Fin.</p>'
    )
    rendered = render_article(make_article(summary_html=summary, content_html=content), "fr")
    assert rendered.lede == ""
    assert rendered.links == ["https://prefecture.example/c"]
    assert rendered.body_markdown.startswith("La préfecture publie la circulaire \\[1\\].")


def test_different_summary_is_kept_as_lede_above_the_whole_body() -> None:
    rendered = render_article(
        make_article(summary_html="<p>Un chapô qui résume.</p>", content_html="<p>Premier paragraphe.</p>")
    )
    assert rendered.lede == "Un chapô qui résume."
    assert rendered.body_markdown == "Premier paragraphe."


def test_reserved_excerpt_shows_the_summary_and_a_notice() -> None:
    article = make_article(
        reserved=True, summary_html="<p>Les élus réagissent à la réforme. Réservé aux abonnés.</p>"
    )
    french = render_article(article, "fr")
    assert french.lede == "Les élus réagissent à la réforme. Réservé aux abonnés."
    assert french.body_markdown == ""
    assert french.links == []
    assert french.notice == typo(
        "Réservé aux abonnés — extrait seulement : l'article complet est sur le site (touche o)"
    )
    english = render_article(article, "en")
    assert english.notice == "Subscribers only — excerpt: the full article is on the website (key o)"


def test_excerpt_without_subscription_notice() -> None:
    rendered = render_article(make_article(), "fr")
    assert rendered.lede == "Le conseil municipal a adopté le budget primitif 2019 sans toucher aux taux."
    assert rendered.body_markdown == ""
    assert rendered.notice == typo("Extrait seulement : l'article complet est sur le site (touche o)")
    assert render_article(make_article(), "en").notice == (
        "Excerpt only: the full article is on the website (key o)"
    )


def test_excerpt_with_a_link_keeps_it_in_the_body() -> None:
    summary = '<p>Le décret est paru. <a href="https://legifrance.example/d">Lire le décret</a></p>'
    rendered = render_article(make_article(summary_html=summary), "fr")
    assert rendered.lede == ""
    assert rendered.links == ["https://legifrance.example/d"]
    assert "Lire le décret" in rendered.body_markdown
    assert rendered.notice


# --- header -----------------------------------------------------------------------------------------------


def test_meta_line_in_french_and_english() -> None:
    article = make_article(categories=["Budget", " Budget ", "Fiscalité", ""])
    french = render_article(article, "fr")
    assert french.meta == typo("Publié le 20/02/2019 • Par Jeanne Martin • dans : Finances")
    assert french.kicker == "Budget"
    assert french.title == "Valbourg vote un budget sans hausse d'impôts"
    assert french.tags == ["Budget", "Fiscalité"]
    english = render_article(article, "en")
    assert english.meta == "Published on 02/20/2019 • By Jeanne Martin • in: Finances"


def test_meta_omits_empty_parts_and_falls_back_to_the_feed_title() -> None:
    article = make_article(author="", rubrique="")
    assert render_article(article, "fr").meta == typo("Publié le 20/02/2019 • dans : La Gazette de Valbourg")
    assert render_article(make_article(author="", rubrique="", feed_title="", published=0), "fr").meta == ""


# --- untrusted text ---------------------------------------------------------------------------------------


def test_control_characters_never_survive() -> None:
    article = make_article(
        title="Titre\x1b]0;piégé\x07 normal\u202e",
        kicker="\x9b31mAlerte",
        author="Jeanne\x00 Martin",
        categories=["Tag\x1b[2J"],
        summary_html="<p>Chapô &#27;[31m rouge&#x9b; \u200bcaché</p>",
        content_html=(
            "<p>Corps \x1b[31m rouge &#27;]8;;https://evil.example&#27;\\ lien &#155;</p>"
            '<p><img alt="photo\x1b[5m" src="x.jpg"></p>'
            '<p><a href="https://ok.example/&#27;[1m">lien piégé</a></p>'
            "<pre>code\x1b[0m\u2028suite</pre>"
        ),
    )
    rendered = render_article(article, "fr")
    for field in (rendered.title, rendered.kicker, rendered.meta, rendered.lede, rendered.body_markdown):
        assert not UNSAFE_CHARS.search(field), field
    assert rendered.tags == ["Tag[2J"]
    assert rendered.title == "Titre]0;piégé normal"
    assert rendered.links == []  # a URL with an escape character (once decoded) is not a link
    text = article_as_text(article, "fr")
    assert not UNSAFE_CHARS.search(text)
    assert "Corps [31m rouge ]8;;https://evil.example\\ lien" in text


def test_markup_looking_text_stays_text() -> None:
    rendered = body(
        "<p>Tapez [x](javascript:alert(1)) puis ![img](https://evil.example/p.png) et "
        "&lt;script&gt;alert(1)&lt;/script&gt; ou <code>&lt;b&gt;</code>.</p>"
        "<p>&lt;div onclick=x&gt;bloc&lt;/div&gt;</p>"
        "<p># pas un titre</p><p>1. pas une liste</p><p>- ni une puce</p><p>&gt; ni une citation</p>"
        "<p>[ref]: javascript:alert(2)</p>"
        "<p>Voir www.evil.example, https://evil.example et a@evil.example.</p>"
        "<p>*pas d'italique* __ni gras__ `ni code` &amp;lt; reste &amp;lt;</p>"
    )
    tokens = markdown_tokens(rendered.body_markdown)
    assert not [t for t in tokens if t.type in ("link_open", "image", "html_inline", "html_block")]
    assert not [t for t in tokens if t.type in ("heading_open", "bullet_list_open", "ordered_list_open")]
    assert not [t for t in tokens if t.type in ("blockquote_open", "em_open", "strong_open")]
    assert [t.content for t in tokens if t.type == "code_inline"] == ["<b>"]  # the only real code
    shown = rich_text(rendered.body_markdown)
    for literal in (
        "[x](javascript:alert(1))",
        "![img](https://evil.example/p.png)",
        "<script>alert(1)</script>",
        "<div onclick=x>bloc</div>",
        "# pas un titre",
        "1. pas une liste",
        "- ni une puce",
        "> ni une citation",
        "[ref]: javascript:alert(2)",
        "www.evil.example, https://evil.example et a@evil.example.",
        "*pas d'italique* __ni gras__ `ni code` &lt; reste &lt;",
    ):
        assert literal in shown
    assert rendered.links == []


def test_code_cannot_close_its_fence() -> None:
    rendered = body("<pre>avant\n```\n[lien](javascript:alert(1))\n~~~\n&lt;b&gt;gras</pre><p>Après.</p>")
    tokens = markdown_tokens(rendered.body_markdown)
    fences = [t for t in tokens if t.type == "fence"]
    assert len(fences) == 1
    assert fences[0].content == "avant\n```\n[lien](javascript:alert(1))\n~~~\n<b>gras\n"
    assert not [t for t in tokens if t.type in ("link_open", "html_inline", "html_block")]
    assert rendered.body_markdown.endswith("Après.")


def test_hostile_nesting_still_renders_as_text() -> None:
    rendered = body("<div>" * 3000 + "Texte profond [x](javascript:y)" + "</div>" * 3000)
    assert rendered.body_markdown == "Texte profond \\[x\\](javascript\\:y)"
    assert "Texte profond [x](javascript:y)" in rich_text(rendered.body_markdown)


# --- show -------------------------------------------------------------------------------------------------


def test_article_as_text_for_show() -> None:
    article = make_article(
        summary_html="<p>Un chapô distinct.</p>",
        content_html=(
            "<h2>Le détail</h2><p>Le budget 2019 s'élève à 12 millions d'euros, dont 3 millions consacrés à "
            'la <a href="https://gazette.example/voirie/">voirie</a> et aux écoles de la commune. Tarif : '
            "5*2_3.</p><ul><li>Écoles</li><li>Voirie</li></ul>"
            '<figure><img src="a.jpg" alt="Le maire"><figcaption>Photo : P. Durand</figcaption></figure>'
        ),
    )
    text = article_as_text(article, "fr", width=60)
    assert "\x1b" not in text
    assert "\\" not in text
    lines = text.split("\n")
    assert lines[:5] == [
        "BUDGET",
        "Valbourg vote un budget sans hausse d'impôts",
        "=" * len("Valbourg vote un budget sans hausse d'impôts"),
        typo("Publié le 20/02/2019 • Par Jeanne Martin • dans : Finances"),
        typo("Étiquettes : Budget, Fiscalité"),
    ]
    assert "Un chapô distinct." in lines
    assert "## Le détail" in lines
    assert all(len(line) <= 60 for line in lines if not line.startswith("[1] "))
    paragraph = " ".join(lines[lines.index("## Le détail") + 2 : lines.index("- Écoles")]).split()
    assert " ".join(paragraph).startswith("Le budget 2019 s'élève à 12 millions")
    assert "voirie [1]" in " ".join(paragraph)
    assert "Tarif : 5*2_3." in " ".join(paragraph)
    assert "[image: Le maire — Photo : P. Durand]" in lines
    assert lines[-4:] == ["", "Liens", "[1] https://gazette.example/voirie/", ""]
    english = article_as_text(article, "en", width=60)
    assert "\nLinks\n[1] https://gazette.example/voirie/\n" in english
    assert "Tags: Budget, Fiscalité" in english


def test_article_as_text_for_a_reserved_excerpt() -> None:
    text = " ".join(article_as_text(make_article(reserved=True), "fr").split())  # unwrapped
    assert "Le conseil municipal a adopté le budget primitif 2019 sans toucher aux taux." in text
    # no key named in `show`: it is not the TUI
    assert "[Réservé aux abonnés — extrait seulement : l’article complet est sur le site]" in text  # split()
    assert "Liens" not in text


def test_an_undated_article_shows_no_date() -> None:
    rendered = render_article(make_article(undated=True), "fr")
    assert "Publié" not in rendered.meta
    assert "Par Jeanne Martin" in rendered.meta
    assert "Publié le 20/02/2019" in render_article(make_article(), "fr").meta


def test_a_json_feed_external_url_is_a_numbered_link() -> None:
    article = make_article(external_url="https://deliberations.test/42", summary_html="<p>Un avis.</p>")
    rendered = render_article(article, "fr")
    assert rendered.links[-1] == "https://deliberations.test/42"
    assert rendered.body_markdown.startswith(typo("À propos de : \\[1\\]"))
    text = article_as_text(article, "en")
    assert "About: [1]" in text
    assert "[1] https://deliberations.test/42" in text
    hostile = render_article(make_article(external_url="javascript:alert(1)"), "fr")
    assert "javascript" not in " ".join(hostile.links)
    assert "propos" not in hostile.body_markdown


def test_a_very_long_body_is_capped_for_the_reader_but_not_for_show() -> None:
    from gazette_tui.core.render import RENDER_HTML_CHARS, RENDER_TABLE_CELLS

    cells = "".join(f"<td>c{j}</td>" for j in range(RENDER_TABLE_CELLS + 5))
    table = "<table>" + "".join(f"<tr><td>ligne {i}</td>{cells}</tr>" for i in range(1000)) + "</table>"
    article = make_article(content_html=table)
    rendered = render_article(article, "fr")
    assert rendered.truncated
    assert "ligne 199" in rendered.body_markdown
    assert "ligne 200" not in rendered.body_markdown
    assert f"c{RENDER_TABLE_CELLS + 4}" not in rendered.body_markdown
    assert not render_article(make_article(), "fr").truncated
    assert "ligne 999" in article_as_text(article, "fr")  # `gazette-tui show` prints everything
    prose = make_article(content_html="<p>" + "mot " * (RENDER_HTML_CHARS // 2) + "</p>")
    assert render_article(prose, "fr").truncated
    assert "<p>" not in render_article(prose, "fr").body_markdown


def test_attachments_are_listed_as_numbered_links() -> None:
    from gazette_tui.core.render import listed_enclosures
    from gazette_tui.models import Enclosure

    episode = make_article(
        url="",
        summary_html="<p>Les élus parlent du budget.</p>",
        enclosures=[
            Enclosure("https://cdn.test/episode-2.mp3", "audio/mpeg", 12_500_000, 2525),
            Enclosure("javascript:alert(1)", "text/html", 0),
            Enclosure("https://cdn.test/docs/Ordre%20du%20jour.pdf?v=2", "application/pdf", 830_000),
            Enclosure("https://cdn.test/long.ogg", "", 0, 3 * 3600 + 5),
        ],
    )
    rendered = render_article(episode, "fr")
    assert rendered.links == [
        "https://cdn.test/episode-2.mp3",
        "https://cdn.test/docs/Ordre%20du%20jour.pdf?v=2",
        "https://cdn.test/long.ogg",
    ]
    assert typo("**Pièces jointes (touche P : télécharger ou ouvrir)**") in rendered.body_markdown
    assert "episode\\-2\\.mp3 \\(audio/mpeg, 12,5\u00a0Mo, 42:05\\) \\[1\\]" in rendered.body_markdown
    assert "Ordre du jour\\.pdf \\(application/pdf, 830\u00a0ko\\) \\[2\\]" in rendered.body_markdown
    assert "long\\.ogg \\(3:00:05\\) \\[3\\]" in rendered.body_markdown
    # Numbered as P's dialog and `gazette-tui enclosures` number them: the javascript: one is not listed.
    assert [e.url for e in listed_enclosures(episode)] == rendered.links
    assert "\n3. long\\.ogg" in rendered.body_markdown
    assert rendered.notice == ""  # no link to open: no "excerpt, key o"
    text = article_as_text(episode, "en")
    assert "Attachments\n" in text  # no key to press in a terminal's output
    assert "episode-2.mp3 (audio/mpeg, 12.5 MB, 42:05) [1]" in text
    assert "Ordre du jour.pdf (application/pdf, 830 kB) [2]" in text
    assert "[1] https://cdn.test/episode-2.mp3" in text


def test_a_structured_description_is_the_body_not_a_flattened_lede() -> None:
    summary = (
        "<p>Les inscriptions au concours d’<strong>attaché territorial</strong> sont ouvertes.</p>"
        "<h3>Calendrier</h3><ul><li>Retrait : 1<sup>er</sup> mars</li><li>Épreuves : 12 mai</li></ul>"
    )
    rendered = render_article(make_article(summary_html=summary), "fr")
    assert rendered.lede == ""
    assert "### Calendrier" in rendered.body_markdown
    assert "- Retrait" in rendered.body_markdown
    assert rendered.notice.startswith("Extrait seulement")  # short, with a link: still a teaser


def test_a_long_whole_description_is_not_called_an_excerpt() -> None:
    whole = "<p>" + "Le conseil communautaire a voté le plan climat. " * 20 + "</p><p>Fin.</p>"
    assert render_article(make_article(summary_html=whole), "fr").notice == ""
    cut = "<p>" + "Le conseil communautaire a voté le plan climat. " * 20 + "[…]</p>"
    assert render_article(make_article(summary_html=cut), "fr").notice.startswith("Extrait seulement")
