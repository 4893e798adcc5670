"""What the main screen does to articles: open one, mark read, star, mark a whole list read and undo, jump
to the next unread, open it or one of its links in the browser. Split from ``main.py`` (layout and loading);
every write goes to SQLite in a thread worker and comes back as a :class:`StateChanged` message. Dossiers
and alertes are in the base classes (``dossier_actions.py``, ``alert_actions.py``)."""

from __future__ import annotations

from dataclasses import replace

from textual import on, work
from textual.worker import get_current_worker

from gazette_tui.core.library import dossiers
from gazette_tui.i18n import _, language
from gazette_tui.ui.bindings import plural
from gazette_tui.ui.messages import ArticleLoaded, StateChanged
from gazette_tui.ui.screens.dossier_actions import DossierActions
from gazette_tui.ui.widgets.article_list import ArticleList
from gazette_tui.ui.widgets.feed_tree import TreeTarget

SCAN = 256
"""Rows read per query when n/p look for the next unread article."""


class ArticleActions(DossierActions):
    """Base of :class:`~gazette_tui.ui.screens.main.MainScreen`, which provides the layout (``go``) and the
    loading of the tree and lists (``reload_feeds``, ``show_target``, ``reload_ids``)."""

    @on(ArticleList.Selected)
    def _article_selected(self, event: ArticleList.Selected) -> None:
        self.open_article(event.article_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="article")
    def open_article(self, article_id: int, focus: bool = True, more: int = 1) -> None:
        # Imported here: bs4/lxml and Rich's Markdown cost ~90 ms, not needed for the first frame (and
        # warm_up has usually imported them by the time an article is opened).
        from gazette_tui.core.render import render_article
        from gazette_tui.ui.widgets.reader import parse_body

        store = self.gazette.store
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
            self.post_message(StateChanged([article_id], read=True))
        # Then, for the reader's dossier lines: the user's dossiers and notes, the site's own dossiers.
        memberships = dossiers.dossiers_of(store, article_id)
        self.post_message(self.DossierInfo(article_id, memberships, dossiers.editorial_dossiers(article)))

    def on_article_loaded(self, message: ArticleLoaded) -> None:
        self.reader.show(message.article, message.rendered, message.body)
        if message.focus:
            self.go("reader")

    def on_state_changed(self, message: StateChanged) -> None:
        if len(message.ids) == 1:
            self.articles.update_row(message.ids[0], read=message.read, starred=message.starred)
        else:
            self.articles.update_rows(message.ids, read=message.read, starred=message.starred)
        if self.reader.article is not None and self.reader.article.id in message.ids:
            self.reader.update_flags(read=message.read, starred=message.starred)
        # After the next frame: the reader is drawn first, then the counts (a 100k-row GROUP BY) refresh.
        self.call_after_refresh(self.reload_feeds)

    # -- article actions -------------------------------------------------------------------------

    def current_id(self) -> int | None:
        """The article the keys act on: the one in the reader when it has the focus, else the cursor's."""
        if self.pane == "reader" and self.reader.article is not None:
            return self.reader.article.id
        return self.articles.current_id

    def action_next_unread(self) -> None:
        self._find_unread(self.articles.cursor + 1 if self.articles.ids else 0, 1)

    def action_previous_unread(self) -> None:
        self._find_unread(self.articles.cursor - 1, -1)

    @work(thread=True, exclusive=True, exit_on_error=False, group="find")
    def _find_unread(self, start: int, step: int) -> None:
        ids = list(self.articles.ids)
        position = start
        while 0 <= position < len(ids):
            chunk = (
                ids[position : position + SCAN]
                if step > 0
                else ids[max(position - SCAN + 1, 0) : position + 1]
            )
            rows = self.gazette.store.article_rows(chunk)
            for row in rows if step > 0 else reversed(rows):
                if not row.read:
                    self.app.call_from_thread(self._open_found, row.id)
                    return
            position += SCAN * step
            if get_current_worker().is_cancelled:
                return
        self.app.call_from_thread(self.gazette.say, _("No more unread articles in this list."))

    def _open_found(self, article_id: int) -> None:
        self.articles.move_to_id(article_id)
        self.open_article(article_id)

    def action_toggle_read(self) -> None:
        article_id = self.current_id()
        row = self.articles.row(article_id) if article_id is not None else None
        if article_id is not None:
            read = not (
                row.read if row is not None else bool(self.reader.article and self.reader.article.read)
            )
            self._set_read([article_id], read)

    @work(thread=True, exit_on_error=False, group="write")
    def _set_read(self, ids: list[int], read: bool) -> None:
        changed = self.gazette.store.set_read(ids, read)
        self.post_message(StateChanged(changed or ids, read=read))

    def action_toggle_star(self) -> None:
        article_id = self.current_id()
        if article_id is None:
            return
        row = self.articles.row(article_id)
        starred = (
            row.starred if row is not None else bool(self.reader.article and self.reader.article.starred)
        )
        self._set_starred(article_id, not starred)

    @work(thread=True, exit_on_error=False, group="write")
    def _set_starred(self, article_id: int, starred: bool) -> None:
        self.gazette.store.set_starred(article_id, starred)
        self.post_message(StateChanged([article_id], starred=starred))

    def action_mark_all_read(self) -> None:
        if self.target is None:
            return
        if self.target.by_filter:
            self._mark_all_read(self.target)
        else:  # an alerte's results: exactly the articles listed, never a wider filter
            self._mark_listed_read(list(self.articles.ids))

    @work(thread=True, exit_on_error=False, group="write")
    def _mark_listed_read(self, ids: list[int]) -> None:
        changed = self.gazette.store.set_read(ids, True)
        self.app.call_from_thread(self._marked_all, changed)

    @work(thread=True, exit_on_error=False, group="write")
    def _mark_all_read(self, target: TreeTarget) -> None:
        store = self.gazette.store
        # The list's unread ids, then set_read: it returns exactly what changed, which is what u restores.
        changed = store.set_read(store.article_ids(replace(target.filter, unread=True)), True)
        self.app.call_from_thread(self._marked_all, changed)

    def _marked_all(self, changed: list[int]) -> None:
        self._undo, self._undo_call = changed, None
        self.on_state_changed(StateChanged(changed, read=True))
        count = len(changed)
        self.gazette.say(
            plural(
                count,
                "{count} article marked as read — u to undo.",
                "{count} articles marked as read — u to undo.",
            )
        )

    def action_undo(self) -> None:
        if self._undo_call is not None:
            undo, self._undo_call = self._undo_call, None
            undo()
            return
        if not self._undo:
            self.gazette.say(_("Nothing to undo."))
            return
        ids, self._undo = self._undo, []
        self._set_read(ids, False)
        self.gazette.say(
            plural(len(ids), "{count} article marked unread again.", "{count} articles marked unread again.")
        )

    def action_open_browser(self) -> None:
        article_id = self.current_id()
        article = self.reader.article
        row = self.articles.row(article_id) if article_id is not None else None
        url = article.url if article is not None and article.id == article_id else (row.url if row else "")
        if article_id is not None:
            self.gazette.open_link(url)

    def action_show_more(self) -> None:
        """A very long article is shown in bounded steps, each four times the last (the UI lays out one
        step at a time and answers keys throughout)."""
        rendered = self.reader.rendered
        if self.reader.article is None or rendered is None or not rendered.truncated:
            self.gazette.say(_("The whole article is shown."))
            return
        self.reader.more *= 4
        self.open_article(self.reader.article.id, focus=True, more=self.reader.more)

    def action_links(self) -> None:
        from gazette_tui.ui.dialogs.links import LinksDialog

        if not self.reader.links:
            self.gazette.say(_("This article has no links."))
            return
        self.app.push_screen(LinksDialog(self.reader.links), self._open_link)

    def _open_link(self, url: str | None) -> None:
        if url:
            self.gazette.open_link(url)
