"""Dossiers on the main screen: create, rename, describe, delete (confirmed, u undoes); add the article to
dossiers through a picker, take it out (u undoes), write its note; the dossier's order; export to Markdown
or HTML; and follow the feed of a La Gazette dossier an article belongs to.

Every read and write goes to SQLite in a thread worker; results come back as messages or through
``call_from_thread``. Names and notes are user text, shown as plain ``Content``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.binding import Binding, BindingType
from textual.message import Message

from gazette_tui.core.library import dossiers
from gazette_tui.core.library.dossiers import DeletedDossier, Dossier, EditorialDossier
from gazette_tui.errors import GazetteError
from gazette_tui.i18n import _, language
from gazette_tui.models import FeedRow
from gazette_tui.ui.bindings import plural
from gazette_tui.ui.screens.alert_actions import AlertActions

if TYPE_CHECKING:
    from gazette_tui.ui.dialogs.dossier_picker import PickerChoice
    from gazette_tui.ui.dialogs.export import ExportChoice

Memberships = list[tuple[Dossier, str]]

DOSSIER_BINDINGS: list[Binding] = [
    Binding(
        "d",
        "dossier_add",
        "Dossier",
        id="dossier_add",
        show=False,
        tooltip="Add the article to a dossier…",
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


class DossierActions(AlertActions):
    BINDINGS: ClassVar[list[BindingType]] = list(DOSSIER_BINDINGS)

    @dataclass
    class DossierInfo(Message):
        """For the reader: the user's dossiers holding an article (with notes), and the site's dossiers."""

        article_id: int
        memberships: Memberships
        editorial: list[EditorialDossier]

    def __init__(self) -> None:
        super().__init__()
        self._undo_call: Callable[[], object] | None = None
        """Undoes the last dossier deletion or removal (key u); mark-all-read has its own list."""

    def on_dossier_actions_dossier_info(self, message: DossierInfo) -> None:
        self.reader.show_dossiers(message.article_id, message.memberships, message.editorial)

    @work(thread=True, exit_on_error=False, group="dossier-info")
    def refresh_reader_dossiers(self, article_id: int) -> None:
        store = self.gazette.store
        article = store.article(article_id)
        self.post_message(
            self.DossierInfo(
                article_id, dossiers.dossiers_of(store, article_id), dossiers.editorial_dossiers(article)
            )
        )

    def _dossier_changed(
        self, message: str, article_id: int | None, undo: Callable[[], object] | None
    ) -> None:
        """After a write: say so, offer the undo, redraw the tree, the list if it is a dossier, the reader."""
        self.gazette.say(message)
        if undo is not None:
            self._undo, self._undo_call = [], undo
        self.reload_collections()
        if self.target is not None and self.target.kind in ("dossier", "dossiers"):
            self.reload_ids(self.articles.current_id)
        if (
            article_id is not None
            and self.reader.article is not None
            and self.reader.article.id == article_id
        ):
            self.refresh_reader_dossiers(article_id)

    def selected_dossier(self) -> Dossier | None:
        """The dossier the dossier keys act on: the tree's line in the tree, else the list being shown."""
        candidates = [self.feed_tree.current, self.target]
        if self.pane != "tree":
            candidates.reverse()
        for target in candidates:
            if target is not None and target.kind == "dossier":
                fresh = self.feed_tree.target(target.key) or target
                return fresh.dossier
        self.gazette.say(_("Select a dossier in the tree first."))
        return None

    def _article_or_say(self) -> int | None:
        article_id = self.current_id()
        if article_id is None:
            self.gazette.say(_("Choose an article first."))
        return article_id

    # -- dossiers and articles -------------------------------------------------------------------

    def action_dossier_add(self) -> None:
        article_id = self._article_or_say()
        if article_id is not None:
            self._load_for_picker(article_id, "add")

    def action_dossier_remove(self) -> None:
        article_id = self._article_or_say()
        if article_id is not None:
            self._load_for_picker(article_id, "remove")

    def action_dossier_note(self) -> None:
        article_id = self._article_or_say()
        if article_id is not None:
            self._load_for_picker(article_id, "note")

    @work(thread=True, exit_on_error=False, group="dossier")
    def _load_for_picker(self, article_id: int, purpose: str) -> None:
        store = self.gazette.store
        everything = dossiers.list_dossiers(store) if purpose == "add" else []
        memberships = dossiers.dossiers_of(store, article_id)
        self.app.call_from_thread(self._pick, article_id, purpose, everything, memberships)

    def _pick(
        self, article_id: int, purpose: str, everything: list[Dossier], memberships: Memberships
    ) -> None:
        from gazette_tui.ui.dialogs.dossier_picker import DossierPicker

        members = {dossier.id for dossier, _note in memberships}
        notes = {dossier.id: note for dossier, note in memberships}
        if purpose == "add":
            title = _("Add the article to a dossier")
            picker = DossierPicker(title, everything, members)
            self.app.push_screen(picker, partial(self._picked, article_id, members, notes))
            return
        if not memberships:
            hint = _("This article is in no dossier (d adds it to one).")
            self.gazette.say(hint)
            return
        viewed = self.target.dossier if self.target is not None and self.target.kind == "dossier" else None
        if viewed is not None and viewed.id in members:
            chosen = [d for d, _note in memberships if d.id == viewed.id]
        elif len(memberships) == 1:
            chosen = [memberships[0][0]]
        else:
            title = _("Which dossier?")
            picker = DossierPicker(title, [d for d, _note in memberships], members, allow_new=False)
            self.app.push_screen(picker, partial(self._picked_for, article_id, purpose, notes))
            return
        self._act_on(article_id, purpose, chosen[0], notes)

    def _picked(
        self, article_id: int, members: set[int], notes: dict[int, str], choice: PickerChoice | None
    ) -> None:
        from gazette_tui.ui.dialogs.dossier_edit import DossierEditDialog

        if choice is None:
            return
        if choice.dossier is None:
            dialog = DossierEditDialog(self.gazette.store, name=choice.typed)
            self.app.push_screen(dialog, partial(self._created_for, article_id))
        elif choice.dossier.id in members:
            self._remove(choice.dossier, article_id, notes.get(choice.dossier.id, ""))
        else:
            self._add(choice.dossier, article_id)

    def _picked_for(
        self, article_id: int, purpose: str, notes: dict[int, str], choice: PickerChoice | None
    ) -> None:
        if choice is not None and choice.dossier is not None:
            self._act_on(article_id, purpose, choice.dossier, notes)

    def _act_on(self, article_id: int, purpose: str, dossier: Dossier, notes: dict[int, str]) -> None:
        from gazette_tui.ui.dialogs.prompt import PromptDialog

        if purpose == "remove":
            self._remove(dossier, article_id, notes.get(dossier.id, ""))
            return
        title = _("Your note on this article, in the dossier “{name}”").format(name=dossier.name)
        dialog = PromptDialog(title, notes.get(dossier.id, ""), max_length=dossiers.MAX_NOTE)
        self.app.push_screen(dialog, partial(self._noted, dossier, article_id))

    def _created_for(self, article_id: int, dossier: Dossier | None) -> None:
        if dossier is not None:
            self._add(dossier, article_id, created=True)

    @work(thread=True, exit_on_error=False, group="write")
    def _add(
        self, dossier: Dossier, article_id: int, note: str = "", created: bool = False, again: bool = False
    ) -> None:
        dossiers.add_article(self.gazette.store, dossier.id, article_id, note)
        if created:
            message = _("Dossier “{name}” created, with the article in it.")
        elif again:
            message = _("Put back in the dossier “{name}”.")
        else:
            message = _("Added to the dossier “{name}”.")
        self.app.call_from_thread(self._dossier_changed, message.format(name=dossier.name), article_id, None)

    @work(thread=True, exit_on_error=False, group="write")
    def _remove(self, dossier: Dossier, article_id: int, note: str) -> None:
        dossiers.remove_article(self.gazette.store, dossier.id, article_id)
        message = _("Removed from the dossier “{name}” — u to undo.").format(name=dossier.name)
        # Undo puts it back with its note (a new "added" date: it was just added again).
        undo = partial(self._add, dossier, article_id, note, again=True)
        self.app.call_from_thread(self._dossier_changed, message, article_id, undo)

    def _noted(self, dossier: Dossier, article_id: int, note: str | None) -> None:
        if note is not None:
            self._save_note(dossier, article_id, note)

    @work(thread=True, exit_on_error=False, group="write")
    def _save_note(self, dossier: Dossier, article_id: int, note: str) -> None:
        dossiers.set_note(self.gazette.store, dossier.id, article_id, note)
        message = _("Note saved.") if note.strip() else _("Note removed.")
        self.app.call_from_thread(self._dossier_changed, message, article_id, None)

    # -- dossiers themselves ---------------------------------------------------------------------

    def action_dossier_new(self) -> None:
        from gazette_tui.ui.dialogs.dossier_edit import DossierEditDialog

        self.app.push_screen(DossierEditDialog(self.gazette.store), self._created)

    def _created(self, dossier: Dossier | None) -> None:
        if dossier is not None:
            message = _("Dossier “{name}” created: d adds the article under the cursor to it.")
            self._dossier_changed(message.format(name=dossier.name), None, None)

    def action_dossier_edit(self) -> None:
        from gazette_tui.ui.dialogs.dossier_edit import DossierEditDialog

        dossier = self.selected_dossier()
        if dossier is not None:
            self.app.push_screen(DossierEditDialog(self.gazette.store, dossier), self._edited)

    def _edited(self, dossier: Dossier | None) -> None:
        if dossier is not None:
            self._dossier_changed(_("Dossier “{name}” saved.").format(name=dossier.name), None, None)

    def action_dossier_delete(self) -> None:
        from gazette_tui.ui.dialogs.confirm import ConfirmDialog

        dossier = self.selected_dossier()
        if dossier is None:
            return
        question = plural(
            dossier.count,
            "Delete this dossier ({count} article)? Articles stay in the cache; u undoes the deletion.",
            "Delete this dossier ({count} articles)? Articles stay in the cache; u undoes the deletion.",
        )
        message = f"« {dossier.name} »\n\n{question}"
        self.app.push_screen(ConfirmDialog(message, _("Delete")), partial(self._confirmed_delete, dossier))

    def _confirmed_delete(self, dossier: Dossier, yes: bool | None) -> None:
        if yes:
            self._delete(dossier)

    @work(thread=True, exit_on_error=False, group="write")
    def _delete(self, dossier: Dossier) -> None:
        deleted = dossiers.delete(self.gazette.store, dossier.id)
        self.app.call_from_thread(self._deleted, deleted)

    def _deleted(self, deleted: DeletedDossier) -> None:
        key = f"dossier:{deleted.dossier.id}"
        if self.target is not None and self.target.key == key:
            self.show_target(self.feed_tree.target("all"))
        message = _("Dossier “{name}” deleted — u to undo.").format(name=deleted.dossier.name)
        self._dossier_changed(message, None, partial(self._restore, deleted))

    @work(thread=True, exit_on_error=False, group="write")
    def _restore(self, deleted: DeletedDossier) -> None:
        dossier = dossiers.restore(self.gazette.store, deleted)
        message = _("Dossier “{name}” restored.").format(name=dossier.name)
        self.app.call_from_thread(self._dossier_changed, message, None, None)

    def action_dossier_order(self) -> None:
        tree = self.feed_tree
        tree.dossier_order = "published" if tree.dossier_order == "added" else "added"
        tree.redraw()
        if self.target is not None and self.target.kind == "dossier":
            self.show_target(tree.target(self.target.key), keep_id=self.articles.current_id)
        if tree.dossier_order == "added":
            self.gazette.say(_("Dossiers: newest added first."))
        else:
            self.gazette.say(_("Dossiers: newest published first."))

    def action_dossier_export(self) -> None:
        from gazette_tui.ui.dialogs.export import ExportDialog

        dossier = self.selected_dossier()
        if dossier is None:
            return
        if dossier.count == 0:
            self._say_empty(dossier)
            return
        dialog = ExportDialog(dossier.name, dossier.count)
        self.app.push_screen(dialog, partial(self._export_chosen, dossier))

    def _say_empty(self, dossier: Dossier) -> None:
        message = _("The dossier “{name}” is empty: there is nothing to export.")
        self.gazette.say(message.format(name=dossier.name), severity="warning")

    def _export_chosen(self, dossier: Dossier, choice: ExportChoice | None) -> None:
        from gazette_tui.ui.dialogs.confirm import ConfirmDialog

        if choice is None:
            return
        if choice.path.is_file():  # an earlier export, or any file of the user's: ask before replacing it
            question = _("{path} already exists. Replace it?").format(path=choice.path)
            dialog = ConfirmDialog(question, _("Replace"))
            self.app.push_screen(dialog, partial(self._replace_confirmed, dossier, choice))
        else:
            self._export(dossier, choice)

    def _replace_confirmed(self, dossier: Dossier, choice: ExportChoice, yes: bool | None) -> None:
        if yes:
            self._export(dossier, choice)

    @work(thread=True, exit_on_error=False, group="export")
    def _export(self, dossier: Dossier, choice: ExportChoice) -> None:
        store = self.gazette.store
        try:
            if dossiers.get(store, dossier.id).count == 0:
                self.app.call_from_thread(self._say_empty, dossier)
                return
            if choice.format == "html":
                text = dossiers.export_html(store, dossier.id)
            else:
                text = dossiers.export_markdown(store, dossier.id, language())
            dossiers.write_export(text, choice.path)
        except GazetteError as error:
            self.app.call_from_thread(self.gazette.say, str(error), severity="error")
            return
        message = _("Dossier exported to {path}").format(path=choice.path)
        self.app.call_from_thread(self.gazette.say, message)

    # -- La Gazette's own dossiers -----------------------------------------------------------------

    def action_follow_dossier(self) -> None:
        from gazette_tui.ui.dialogs.choice import ChoiceDialog

        editorial = self.reader.editorial if self.reader.article is not None else []
        if not editorial:
            self.gazette.say(_("The article shown belongs to no La Gazette dossier."))
        elif len(editorial) == 1:
            self._follow(editorial[0])
        else:
            dialog = ChoiceDialog(_("Follow which dossier?"), [item.title for item in editorial])
            self.app.push_screen(dialog, partial(self._follow_chosen, editorial))

    def _follow_chosen(self, editorial: list[EditorialDossier], index: int | None) -> None:
        if index is not None:
            self._follow(editorial[index])

    @work(thread=True, exit_on_error=False, group="write")
    def _follow(self, item: EditorialDossier) -> None:
        try:
            feed = self.gazette.store.add_feed(item.feed_url, item.title, rubrique="Dossiers")
        except GazetteError as error:
            self.app.call_from_thread(self.gazette.say, str(error), severity="warning")
            return
        self.app.call_from_thread(self._followed, feed)

    def _followed(self, feed: FeedRow) -> None:
        self.gazette.say(_("Subscribed to the dossier “{name}” (rubrique Dossiers).").format(name=feed.title))
        self.reload_feeds()
        if not self.gazette.offline:
            self.gazette.start_refresh([feed.id])
