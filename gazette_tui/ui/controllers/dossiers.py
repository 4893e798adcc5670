"""The user's dossiers: create, rename and describe, delete (confirmed, u undoes); put the article in
dossiers through a picker, take it out (u undoes), write its note; switch the dossiers' order; export one
(``export.py``); follow the feed of a La Gazette dossier the article belongs to.

Each dialog flow is one ``@work`` coroutine that awaits its dialogs in turn (``push_screen_wait``); reads
run in a thread, writes in thread workers whose results come back through ``call_from_thread``. Names and
notes are user text, shown as plain ``Content``."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial

from textual import work
from textual.binding import Binding

from gazette_tui.core.library import dossiers
from gazette_tui.core.library.dossiers import DeletedDossier, Dossier, EditorialDossier
from gazette_tui.errors import GazetteError
from gazette_tui.i18n import _, plural
from gazette_tui.models import FeedRow
from gazette_tui.ui.controllers.base import Controller, Panes, Undo
from gazette_tui.ui.controllers.loading import Loader
from gazette_tui.ui.dialogs.choice import ChoiceDialog
from gazette_tui.ui.dialogs.confirm import ConfirmDialog
from gazette_tui.ui.dialogs.dossier_edit import DossierEditDialog
from gazette_tui.ui.dialogs.dossier_picker import DossierPicker
from gazette_tui.ui.dialogs.prompt import PromptDialog
from gazette_tui.ui.host import Host
from gazette_tui.ui.messages import DossierInfo, RefreshRequested

Memberships = list[tuple[Dossier, str]]

DOSSIER_BINDINGS: list[Binding] = [
    Binding(
        "d", "dossier_add", "Dossier", id="dossier_add", show=False, tooltip="Add the article to a dossier…"
    ),
    Binding(
        "D",
        "dossier_remove",
        "Out of dossier",
        id="dossier_remove",
        show=False,
        tooltip="Remove the article from the dossier (u undoes)",
    ),
    Binding(
        "N",
        "dossier_note",
        "Note",
        id="dossier_note",
        show=False,
        tooltip="Note on the article in its dossier…",
    ),
    Binding("c", "dossier_new", "New dossier", id="dossier_new", show=False, tooltip="Create a dossier…"),
    Binding(
        "E",
        "dossier_edit",
        "Edit dossier",
        id="dossier_edit",
        show=False,
        tooltip="Rename or describe the dossier…",
    ),
    Binding(
        "X",
        "dossier_delete",
        "Delete dossier",
        id="dossier_delete",
        show=False,
        tooltip="Delete the dossier (u undoes)…",
    ),
    Binding(
        "x",
        "dossier_export",
        "Export dossier",
        id="dossier_export",
        show=False,
        tooltip="Export the dossier (Markdown, HTML)…",
    ),
    Binding(
        "O",
        "dossier_order",
        "Dossier order",
        id="dossier_order",
        show=False,
        tooltip="Dossiers: by date added or published",
    ),
    Binding(
        "a",
        "follow_dossier",
        "Follow dossier",
        id="follow_dossier",
        show=False,
        tooltip="Follow the article's La Gazette dossier",
    ),
]
"""The keys of this controller; the main screen declares them and hands each action here."""


class DossierActions(Controller):
    def __init__(self, host: Host, panes: Panes, loader: Loader, undo: Undo) -> None:
        super().__init__(host, panes)
        self.loader = loader
        self.undo = undo

    # -- what the keys act on --------------------------------------------------------------------

    def selected_dossier(self) -> Dossier | None:
        """The dossier the dossier keys act on: the tree's line in the tree, else the list being shown."""
        candidates = [self.panes.feed_tree.current, self.loader.target]
        if self.panes.pane != "tree":
            candidates.reverse()
        for target in candidates:
            if target is not None and target.kind == "dossier":
                fresh = self.panes.feed_tree.target(target.key) or target
                return fresh.dossier
        self.host.say(_("Select a dossier in the tree first."))
        return None

    def _article_or_say(self) -> int | None:
        article_id = self.panes.current_id()
        if article_id is None:
            self.host.say(_("Choose an article first."))
        return article_id

    def changed(
        self, message: str, article_id: int | None = None, undo: Callable[[], object] | None = None
    ) -> None:
        """After a write: say so, offer the undo, redraw the tree, the list if it is a dossier, the reader."""
        self.host.say(message)
        if undo is not None:
            self.undo.offer("dossier", undo)
        self.loader.reload_collections()
        target = self.loader.target
        if target is not None and target.kind in ("dossier", "dossiers"):
            self.loader.reload_ids(self.panes.articles.current_id)
        shown = self.panes.reader.article
        if article_id is not None and shown is not None and shown.id == article_id:
            self.refresh_reader(article_id)

    @work(thread=True, exit_on_error=False, group="dossier-info")
    def refresh_reader(self, article_id: int) -> None:
        store = self.host.store
        article = store.article(article_id)
        memberships = dossiers.dossiers_of(store, article_id)
        self.post_message(DossierInfo(article_id, memberships, dossiers.editorial_dossiers(article)))

    # -- the article in dossiers -----------------------------------------------------------------

    @work(exit_on_error=False, group="dialog")
    async def add_article(self) -> None:
        """Pick a dossier for the article (✓: already in it, choosing it takes the article out; the last
        line creates a dossier named after what was typed)."""
        article_id = self._article_or_say()
        if article_id is None:
            return
        store = self.host.store
        everything = await asyncio.to_thread(dossiers.list_dossiers, store)
        memberships = await asyncio.to_thread(dossiers.dossiers_of, store, article_id)
        members = {dossier.id: note for dossier, note in memberships}
        title = _("Add the article to a dossier")
        choice = await self.app.push_screen_wait(DossierPicker(title, everything, set(members)))
        if choice is None:
            return
        if choice.dossier is None:
            created = await self.app.push_screen_wait(DossierEditDialog(store, name=choice.typed))
            if created is not None:
                self._add(created, article_id, created=True)
        elif choice.dossier.id in members:
            self._remove(choice.dossier, article_id, members[choice.dossier.id])
        else:
            self._add(choice.dossier, article_id)

    @work(exit_on_error=False, group="dialog")
    async def remove_article(self) -> None:
        """Take the article out of its dossier (the one shown, its only one, or the one picked)."""
        found = await self._membership()
        if found is not None:
            article_id, dossier, note = found
            self._remove(dossier, article_id, note)

    @work(exit_on_error=False, group="dialog")
    async def edit_note(self) -> None:
        """Write the article's note in its dossier (the one shown, its only one, or the one picked)."""
        found = await self._membership()
        if found is None:
            return
        article_id, dossier, note = found
        title = _("Your note on this article, in the dossier “{name}”").format(name=dossier.name)
        typed = await self.app.push_screen_wait(PromptDialog(title, note, max_length=dossiers.MAX_NOTE))
        if typed is not None:
            self._save_note(dossier, article_id, typed)

    async def _membership(self) -> tuple[int, Dossier, str] | None:
        """The article and one dossier holding it, with its note, for D and N."""
        article_id = self._article_or_say()
        if article_id is None:
            return None
        memberships = await asyncio.to_thread(dossiers.dossiers_of, self.host.store, article_id)
        if not memberships:
            self.host.say(_("This article is in no dossier (d adds it to one)."))
            return None
        notes = {dossier.id: note for dossier, note in memberships}
        target = self.loader.target
        viewed = target.dossier if target is not None and target.kind == "dossier" else None
        if viewed is not None and viewed.id in notes:
            chosen: Dossier | None = next(d for d, _note in memberships if d.id == viewed.id)
        elif len(memberships) == 1:
            chosen = memberships[0][0]
        else:
            held = [d for d, _note in memberships]
            picker = DossierPicker(_("Which dossier?"), held, set(notes), allow_new=False)
            choice = await self.app.push_screen_wait(picker)
            chosen = choice.dossier if choice is not None else None
        return (article_id, chosen, notes.get(chosen.id, "")) if chosen is not None else None

    @work(thread=True, exit_on_error=False, group="write")
    def _add(
        self, dossier: Dossier, article_id: int, note: str = "", created: bool = False, again: bool = False
    ) -> None:
        dossiers.add_article(self.host.store, dossier.id, article_id, note)
        if created:
            message = _("Dossier “{name}” created, with the article in it.")
        elif again:
            message = _("Put back in the dossier “{name}”.")
        else:
            message = _("Added to the dossier “{name}”.")
        self.app.call_from_thread(self.changed, message.format(name=dossier.name), article_id)

    @work(thread=True, exit_on_error=False, group="write")
    def _remove(self, dossier: Dossier, article_id: int, note: str) -> None:
        dossiers.remove_article(self.host.store, dossier.id, article_id)
        message = _("Removed from the dossier “{name}” — u to undo.").format(name=dossier.name)
        # Undo puts it back with its note (a new "added" date: it was just added again).
        undo = partial(self._add, dossier, article_id, note, again=True)
        self.app.call_from_thread(self.changed, message, article_id, undo)

    @work(thread=True, exit_on_error=False, group="write")
    def _save_note(self, dossier: Dossier, article_id: int, note: str) -> None:
        dossiers.set_note(self.host.store, dossier.id, article_id, note)
        message = _("Note saved.") if note.strip() else _("Note removed.")
        self.app.call_from_thread(self.changed, message, article_id)

    # -- dossiers themselves ---------------------------------------------------------------------

    @work(exit_on_error=False, group="dialog")
    async def create(self) -> None:
        dossier = await self.app.push_screen_wait(DossierEditDialog(self.host.store))
        if dossier is not None:
            message = _("Dossier “{name}” created: d adds the article under the cursor to it.")
            self.changed(message.format(name=dossier.name))

    @work(exit_on_error=False, group="dialog")
    async def edit(self) -> None:
        dossier = self.selected_dossier()
        if dossier is None:
            return
        saved = await self.app.push_screen_wait(DossierEditDialog(self.host.store, dossier))
        if saved is not None:
            self.changed(_("Dossier “{name}” saved.").format(name=saved.name))

    @work(exit_on_error=False, group="dialog")
    async def delete(self) -> None:
        dossier = self.selected_dossier()
        if dossier is None:
            return
        question = plural(
            dossier.count,
            "Delete this dossier ({count} article)? Articles stay in the cache; u undoes the deletion.",
            "Delete this dossier ({count} articles)? Articles stay in the cache; u undoes the deletion.",
        )
        quoted = _("“{name}”").format(name=dossier.name)
        if await self.app.push_screen_wait(ConfirmDialog(f"{quoted}\n\n{question}", _("Delete"))):
            self._delete(dossier)

    @work(thread=True, exit_on_error=False, group="write")
    def _delete(self, dossier: Dossier) -> None:
        deleted = dossiers.delete(self.host.store, dossier.id)
        self.app.call_from_thread(self._deleted, deleted)

    def _deleted(self, deleted: DeletedDossier) -> None:
        target = self.loader.target
        if target is not None and target.key == f"dossier:{deleted.dossier.id}":
            self.loader.show_target(self.panes.feed_tree.target("all"))
        message = _("Dossier “{name}” deleted — u to undo.").format(name=deleted.dossier.name)
        self.changed(message, None, partial(self._restore, deleted))

    @work(thread=True, exit_on_error=False, group="write")
    def _restore(self, deleted: DeletedDossier) -> None:
        dossier = dossiers.restore(self.host.store, deleted)
        self.app.call_from_thread(self.changed, _("Dossier “{name}” restored.").format(name=dossier.name))

    def switch_order(self) -> None:
        tree = self.panes.feed_tree
        tree.dossier_order = "published" if tree.dossier_order == "added" else "added"
        tree.redraw()
        target = self.loader.target
        if target is not None and target.kind == "dossier":
            self.loader.show_target(tree.target(target.key), keep_id=self.panes.articles.current_id)
        if tree.dossier_order == "added":
            self.host.say(_("Dossiers: newest added first."))
        else:
            self.host.say(_("Dossiers: newest published first."))

    # -- La Gazette's own dossiers ---------------------------------------------------------------

    @work(exit_on_error=False, group="dialog")
    async def follow(self) -> None:
        """Subscribe to the feed of a La Gazette dossier the article shown belongs to (asked which, when it
        belongs to several), then fetch it."""
        reader = self.panes.reader
        editorial = reader.editorial if reader.article is not None else []
        if not editorial:
            self.host.say(_("The article shown belongs to no La Gazette dossier."))
            return
        if len(editorial) > 1:
            dialog = ChoiceDialog(_("Follow which dossier?"), [item.title for item in editorial])
            index = await self.app.push_screen_wait(dialog)
            if index is None:
                return
            editorial = [editorial[index]]
        self._follow(editorial[0])

    @work(thread=True, exit_on_error=False, group="write")
    def _follow(self, item: EditorialDossier) -> None:
        known = self.host.store.feed(item.feed_url)
        if known is not None:  # followed already: never a second subscription to the same feed
            message = _("You already follow the dossier “{name}”.").format(name=known.title)
            self.app.call_from_thread(self.host.say, message)
            return
        try:
            # Only the site's own name is kept: the slug's words (no accents) give way to the feed's title.
            title = item.title if item.named_by_site else ""
            feed = self.host.store.add_feed(item.feed_url, title, rubrique="Dossiers")
        except GazetteError as error:
            self.app.call_from_thread(self.host.say, str(error), severity="warning")
            return
        self.app.call_from_thread(self._followed, feed, item.title)

    def _followed(self, feed: FeedRow, name: str) -> None:
        self.host.say(_("Subscribed to the dossier “{name}” (rubrique Dossiers).").format(name=name))
        self.loader.reload_feeds()
        if not self.host.offline:
            self.post_message(RefreshRequested([feed.id]))
