"""What the keys do to articles: open one, mark it read or starred, mark a whole list read (u undoes), jump
to the next unread, open it or one of its links in the browser, show more of a very long one.

Every read and write goes to SQLite in a thread worker; a write comes back as a :class:`StateChanged`
message that redraws the row, the reader's flags and (after the next frame) the counts."""

from __future__ import annotations

from dataclasses import dataclass, field

from textual import work
from textual.binding import Binding
from textual.message import Message
from textual.worker import get_current_worker

from gazette_tui.core.library import dossiers
from gazette_tui.core.storage.store import ReadChange
from gazette_tui.i18n import _, language, plural
from gazette_tui.ui.controllers.base import Controller, Panes, Undo
from gazette_tui.ui.controllers.loading import Loader
from gazette_tui.ui.dialogs.links import LinksDialog
from gazette_tui.ui.host import Host
from gazette_tui.ui.lists import TreeTarget, find_unread
from gazette_tui.ui.messages import ArticleLoaded, DossierInfo

ARTICLE_BINDINGS: list[Binding] = [
    Binding("n", "next_unread", "Next unread", id="next_unread", tooltip="Open the next unread article"),
    Binding(
        "p",
        "previous_unread",
        "Prev. unread",
        id="previous_unread",
        show=False,
        tooltip="Open the previous unread article",
    ),
    Binding(
        "o",
        "open_browser",
        "Browser",
        id="open_browser",
        show=False,
        tooltip="Open the article in the browser",
    ),
    Binding("L", "links", "Links", id="links", show=False, tooltip="Open link N of the article"),
    Binding(
        "plus",
        "show_more",
        "Show more",
        id="show_more",
        show=False,
        tooltip="Show more of a very long article",
    ),
    Binding("m", "toggle_read", "Read/unread", id="toggle_read", show=False, tooltip="Toggle read / unread"),
    Binding(
        "s",
        "toggle_star",
        "Star",
        id="star",
        show=False,
        tooltip="Add to or remove from the starred articles",
    ),
    Binding(
        "A",
        "mark_all_read",
        "All read",
        id="mark_all_read",
        show=False,
        tooltip="Mark this whole list as read",
    ),
    Binding("u", "undo", "Undo", id="undo", show=False, tooltip="Undo (all read, dossier change)"),
]
"""The keys of this controller; the main screen declares them and hands each action here."""


class ArticleActions(Controller):
    @dataclass
    class StateChanged(Message):
        """Read or starred flags changed for these articles: rows, counts and the tree need a redraw."""

        ids: list[int] = field(default_factory=list)
        read: bool | None = None
        starred: bool | None = None

    def __init__(self, host: Host, panes: Panes, loader: Loader, undo: Undo) -> None:
        super().__init__(host, panes)
        self.loader = loader
        self.undo = undo

    # -- opening ---------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="article")
    def open_article(self, article_id: int, focus: bool = True, more: int = 1) -> None:
        """Read, render and show an article (marked read); ``more`` shows more of a very long one."""
        # Imported here: bs4/lxml and Rich's Markdown cost ~90 ms, not needed for the first frame (and the
        # screen's warm-up has usually imported them by the time an article is opened).
        from gazette_tui.core.render import render_article
        from gazette_tui.ui.widgets.reader import parse_body

        store = self.host.store
        article = store.article(article_id)
        was_read = article.read
        article.read = True
        rendered = render_article(article, language(), more=more)
        theme = self.app.current_theme
        heading = f"bold not underline {theme.accent or theme.primary}"
        body = parse_body(rendered.body_markdown, heading) if rendered.body_markdown else None
        if get_current_worker().is_cancelled:
            return
        # Shown first, written after: the commit (~20 ms on a big cache) is not in the way of the reader.
        self.post_message(ArticleLoaded(article, rendered, body, focus))
        if not was_read:
            store.set_read([article_id], True)
            self.post_message(self.StateChanged([article_id], read=True))
        # Then, for the reader's dossier lines: the user's dossiers and notes, the site's own dossiers.
        memberships = dossiers.dossiers_of(store, article_id)
        self.post_message(DossierInfo(article_id, memberships, dossiers.editorial_dossiers(article)))

    def on_article_loaded(self, message: ArticleLoaded) -> None:
        self.panes.reader.show(message.article, message.rendered, message.body)
        self.panes.status.seen()  # an article opened: the last refresh's report has been seen
        if message.focus:
            self.panes.go("reader")

    def on_article_actions_state_changed(self, message: StateChanged) -> None:
        self._redraw(message.ids, read=message.read, starred=message.starred)

    def _redraw(self, ids: list[int], *, read: bool | None = None, starred: bool | None = None) -> None:
        articles, reader = self.panes.articles, self.panes.reader
        if len(ids) == 1:
            articles.update_row(ids[0], read=read, starred=starred)
        else:
            articles.update_rows(ids, read=read, starred=starred)
        if reader.article is not None and reader.article.id in ids:
            reader.update_flags(read=read, starred=starred)
        # After the next frame: the reader is drawn first, then the counts (a 100k-row GROUP BY) refresh.
        self.screen.call_after_refresh(self.loader.reload_feeds)

    # -- next and previous unread ----------------------------------------------------------------

    def next_unread(self) -> None:
        articles = self.panes.articles
        self._find_unread(articles.cursor + 1 if articles.count else 0, 1)

    def previous_unread(self) -> None:
        self._find_unread(self.panes.articles.cursor - 1, -1)

    @work(thread=True, exclusive=True, exit_on_error=False, group="find")
    def _find_unread(self, start: int, step: int) -> None:
        worker = get_current_worker()
        found = find_unread(
            self.host.store, self.panes.articles.snapshot(), start, step, lambda: worker.is_cancelled
        )
        if worker.is_cancelled:
            return
        if found is None:
            self.app.call_from_thread(self.host.say, _("No more unread articles in this list."))
        else:
            self.app.call_from_thread(self._open_found, found)

    def _open_found(self, article_id: int) -> None:
        self.panes.articles.move_to_id(article_id)
        self.open_article(article_id)

    # -- read and starred ------------------------------------------------------------------------

    def toggle_read(self) -> None:
        article_id = self.panes.current_id()
        if article_id is None:
            return
        row = self.panes.articles.row(article_id)
        shown = self.panes.reader.article
        read = row.read if row is not None else bool(shown and shown.read)
        self._set_read([article_id], not read)

    @work(thread=True, exit_on_error=False, group="write")
    def _set_read(self, ids: list[int], read: bool) -> None:
        changed = self.host.store.set_read(ids, read)
        self.post_message(self.StateChanged(changed.ids or ids, read=read))

    def toggle_star(self) -> None:
        article_id = self.panes.current_id()
        if article_id is None:
            return
        row = self.panes.articles.row(article_id)
        shown = self.panes.reader.article
        starred = row.starred if row is not None else bool(shown and shown.starred)
        self._set_starred(article_id, not starred)

    @work(thread=True, exit_on_error=False, group="write")
    def _set_starred(self, article_id: int, starred: bool) -> None:
        self.host.store.set_starred(article_id, starred)
        self.post_message(self.StateChanged([article_id], starred=starred))

    # -- the whole list --------------------------------------------------------------------------

    def mark_all_read(self) -> None:
        target = self.loader.target
        if target is None:
            return
        if target.by_filter:
            self._mark_all_read(target)
        else:  # an alerte's results: exactly the articles listed, never a wider filter
            self._mark_listed_read(self.panes.articles.ids)

    @work(thread=True, exit_on_error=False, group="write")
    def _mark_listed_read(self, ids: list[int]) -> None:
        changed = self.host.store.set_read(ids, True)
        self.app.call_from_thread(self._marked_all, changed)

    @work(thread=True, exit_on_error=False, group="write")
    def _mark_all_read(self, target: TreeTarget) -> None:
        # One UPDATE over the list's filter: what it returns is exactly what changed, which is what u
        # restores, and each article once however many feeds carry it, which is what the message counts.
        changed = self.host.store.mark_all_read(self.loader.filter_of(target))
        self.app.call_from_thread(self._marked_all, changed)

    def _marked_all(self, changed: ReadChange) -> None:
        ids = changed.ids
        self.undo.offer("read", (lambda: self._mark_unread_again(ids)) if ids else None)
        self._redraw(ids, read=True)
        self.loader.hidden_changed()
        self.host.say(
            plural(
                changed.articles,
                "{count} article marked as read — u to undo.",
                "{count} articles marked as read — u to undo.",
            )
        )

    @work(thread=True, exit_on_error=False, group="write")
    def _mark_unread_again(self, ids: list[int]) -> None:
        changed = self.host.store.set_read(ids, False)
        self.app.call_from_thread(self._unread_again, changed)

    def _unread_again(self, changed: ReadChange) -> None:
        self._redraw(changed.ids, read=False)
        self.loader.hidden_changed()
        self.host.say(
            plural(
                changed.articles,
                "{count} article marked unread again.",
                "{count} articles marked unread again.",
            )
        )

    # -- the browser, links, long articles -------------------------------------------------------

    def open_browser(self) -> None:
        article_id = self.panes.current_id()
        if article_id is None:
            return
        article = self.panes.reader.article
        row = self.panes.articles.row(article_id)
        url = article.url if article is not None and article.id == article_id else (row.url if row else "")
        self.host.open_link(url)

    def show_more(self) -> None:
        """A very long article is shown in bounded steps, each four times the last (the UI lays out one
        step at a time and answers keys throughout)."""
        reader = self.panes.reader
        rendered = reader.rendered
        if reader.article is None or rendered is None or not rendered.truncated:
            self.host.say(_("The whole article is shown."))
            return
        reader.more *= 4
        self.open_article(reader.article.id, focus=True, more=reader.more)

    @work(exit_on_error=False, group="dialog")
    async def links(self) -> None:
        """Choose one of the article's numbered links and open it."""
        links = self.panes.reader.links
        if not links:
            self.host.say(_("This article has no links."))
            return
        url = await self.app.push_screen_wait(LinksDialog(links))
        if url:
            self.host.open_link(url)
