"""The reader pane, laid out like the site's article page: kicker, title, meta line, tags, the user's dossiers
and notes, lede, body, links.

The body is Markdown drawn by Rich's Markdown in a Static: about 5 ms for a typical article against
~130 ms for Textual's Markdown widget, which mounts a widget per block (measured for the 50 ms budget).
Every other field is feed text and goes in as ``Content(text)``, never parsed as markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from gazette_tui.core.library.dossiers import Dossier, EditorialDossier
from gazette_tui.i18n import _
from gazette_tui.models import Article
from gazette_tui.ui.bindings import translate_bindings

if TYPE_CHECKING:
    from rich.markdown import Markdown


def parse_body(markdown: str, heading_style: str = "bold") -> Markdown:
    """Parse the body once (in a worker thread); drawing it later is only layout.

    Rich draws h2/h3 magenta and underlined, which reads as a link: sub-headings take ``heading_style``
    (bold in the theme's accent colour, from the caller) instead."""
    from rich.markdown import Heading, Markdown  # ~20 ms of imports, not needed before the first article

    class BodyHeading(Heading):
        def __init__(self, tag: str) -> None:
            super().__init__(tag)
            self.style_name = heading_style

    class BodyMarkdown(Markdown):
        elements: ClassVar = {**Markdown.elements, "heading_open": BodyHeading}

    return BodyMarkdown(markdown, hyperlinks=False, code_theme="ansi_dark")


class Reader(VerticalScroll, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "scroll_down", "Scroll down", id="reader.down", show=False, tooltip="Scroll down"),
        Binding("k,up", "scroll_up", "Scroll up", id="reader.up", show=False, tooltip="Scroll up"),
        Binding(
            "space",
            "page_down",
            "Page down",
            id="reader.page_down",
            show=False,
            tooltip="Next page of the article",
        ),
        Binding("b,shift+space", "page_up", "Page up", id="reader.page_up", show=False, tooltip="Page up"),
        Binding("g,home", "scroll_home", "Top", id="reader.top", show=False, tooltip="Top of the article"),
        Binding(
            "G,end", "scroll_end", "Bottom", id="reader.bottom", show=False, tooltip="End of the article"
        ),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        translate_bindings(self)
        self.article: Article | None = None
        self.rendered: Any = None
        """The shown ``RenderedArticle`` (its ``truncated`` says whether key + has more to show)."""
        self.more = 1
        """How far a very long article is shown: render_article's ``more``."""
        self.links: list[str] = []
        self.editorial: list[EditorialDossier] = []
        """La Gazette dossiers the open article belongs to (key a subscribes to one's feed)."""

    def compose(self) -> ComposeResult:
        yield Static(Content(_("Choose an article in the list (enter to open it).")), id="reader-empty")
        yield Static(id="reader-kicker")
        yield Static(id="reader-title")
        yield Static(id="reader-meta")
        yield Static(id="reader-filters")
        yield Static(id="reader-tags")
        yield Static(id="reader-dossiers")
        yield Static(id="reader-notice")
        yield Static(id="reader-lede")
        yield Static(id="reader-body")
        yield Static(id="reader-links")

    def on_mount(self) -> None:
        self._set_visible(False)

    def _set_visible(self, visible: bool) -> None:
        for child in self.query(Static):
            child.display = visible if child.id != "reader-empty" else not visible
        if self.parent is not None:
            self.parent.set_class(not visible, "-no-article")  # the list takes the room (app.tcss)

    def _field(self, name: str, text: str | Content) -> None:
        widget = self.query_one(f"#reader-{name}", Static)
        widget.update(text if isinstance(text, Content) else Content(text))
        widget.display = bool(text)

    def show(self, article: Article, rendered: Any, body: Markdown | None = None) -> None:
        """Display a rendered article (``gazette_tui.core.render.RenderedArticle``) from the top."""
        if self.article is None or self.article.id != article.id:
            self.more = 1  # another article starts from its first bounded view
        self.article = article
        self.rendered = rendered
        self.links = list(rendered.links)
        self._set_visible(True)
        self._field("kicker", rendered.kicker.upper())
        self._field("title", rendered.title)
        self._field("meta", self._meta(article, rendered.meta))
        self._field("filters", "\n".join(rendered.filters))  # why a filter hid or marked it
        self.editorial = []
        self._field("dossiers", "")
        self._field("tags", Content(" · ".join(f"#{tag}" for tag in rendered.tags)) if rendered.tags else "")
        self._field("notice", rendered.notice)
        self._field("lede", rendered.lede)
        body_widget = self.query_one("#reader-body", Static)
        if rendered.body_markdown:
            body_widget.update(body if body is not None else parse_body(rendered.body_markdown))
            body_widget.display = True
        else:
            body_widget.display = False
        if self.links:
            lines = [Content(_("Links (L, then the number, opens one)"))]
            lines += [Content.assemble(f"[{number}] ", url) for number, url in enumerate(self.links, 1)]
            self._field("links", Content("\n").join(lines))
        else:
            self._field("links", "")
        self.scroll_home(animate=False, immediate=True)

    @staticmethod
    def _meta(article: Article, meta: str) -> Content:
        """The meta line, plus our own marks: the full text was fetched; the feed was unsubscribed."""
        parts = [Content(meta)] if meta else []
        if article.fulltext_html:
            parts.append(Content.styled(_("full text"), "bold $success"))
        if article.feed_id is None:
            parts.append(Content.styled(_("feed removed"), "italic $warning"))
        return Content(" • ").join(parts)

    def show_dossiers(
        self, article_id: int, memberships: list[tuple[Dossier, str]], editorial: list[EditorialDossier]
    ) -> None:
        """The user's dossiers holding the article with its notes, and the site's dossiers it belongs to.
        Names and notes are the user's or the feed's text: plain Content."""
        if self.article is None or self.article.id != article_id:
            return
        self.editorial = editorial
        lines: list[Content] = []
        if memberships:
            names = ", ".join(_("“{name}”").format(name=dossier.name) for dossier, _note in memberships)
            lines.append(Content(_("In your dossiers: {names}").format(names=names)))
            for dossier, note in memberships:
                if note:
                    lines.append(
                        Content.assemble(
                            (_("Note ({dossier}): ").format(dossier=dossier.name), "bold"), Content(note)
                        )
                    )
        if editorial:
            names = ", ".join(item.title for item in editorial)
            lines.append(
                Content.assemble(
                    Content(_("Related to the dossiers: {names}").format(names=names)),
                    (" " + _("(a: follow the dossier's feed)"), "dim"),
                )
            )
        self._field("dossiers", Content("\n").join(lines) if lines else "")

    def note(self, article_id: int, text: str) -> None:
        """Our own line over the article (its full text on its way, or why it did not come), in place of
        its notice until it is shown again; nothing when another article is shown by then."""
        if self.article is not None and self.article.id == article_id:
            self._field("notice", text)

    def clear(self) -> None:
        self.article = None
        self.links = []
        self.editorial = []
        self._set_visible(False)

    def update_flags(self, *, read: bool | None = None, starred: bool | None = None) -> None:
        if self.article is not None:
            if read is not None:
                self.article.read = read
            if starred is not None:
                self.article.starred = starred
