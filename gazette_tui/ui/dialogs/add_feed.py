"""Subscribe to a feed by its address or a website's: type it, enter finds the feeds
(:func:`~gazette_tui.core.feeds.discover.discover`, within its 2 s), the ones found are listed with their
preview (title, kind, items, newest item's date), enter on one subscribes to it.

Discovery runs in an async worker on the app's loop (the dialog stays live, esc closes it and cancels the
search), the subscription in a thread; both answer here, so a reason (no feed on that page, already
subscribed…) is said under the field, in the UI's language, and nothing typed is lost. What the site sent
(titles, labels, reasons) is shown as plain ``Content``. As ``gazette-tui feeds add`` does, an address with
a password in it, or any address when started with ``--offline``, is subscribed as given; so is one that
cannot be reached now, if the user picks the line that offers it. An address typed without ``http(s)://``
is read as ``https://``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, LoadingIndicator, OptionList, Static
from textual.widgets.option_list import Option

from gazette_tui.core.accounts import feed_credentials
from gazette_tui.core.accounts.feed_credentials import strip_userinfo
from gazette_tui.core.feeds.discover import Candidate, Discovery, DiscoveryError, discover
from gazette_tui.core.settings import RefreshSettings
from gazette_tui.core.storage.store import Store
from gazette_tui.errors import GazetteError
from gazette_tui.i18n import _, format_date, plural
from gazette_tui.models import FeedRow
from gazette_tui.text import clean_line, safe_url
from gazette_tui.ui.bindings import translate_bindings

KINDS = {"rss": "RSS", "atom": "Atom", "rdf": "RSS 1.0 (RDF)", "json": "JSON Feed"}
"""How a feed's kind is named (as ``gazette-tui feeds add`` lists them)."""


@dataclass(frozen=True, slots=True)
class Choice:
    """A line of the list: a feed found (``candidate``), or the address as typed (``candidate`` None)."""

    url: str
    title: str = ""
    candidate: Candidate | None = None


def describe(candidate: Candidate) -> Content:
    """A feed found, on three lines: its title, its address, then kind, items and the newest item's date."""
    preview = candidate.preview
    details = ""
    if preview is not None:
        items = plural(preview.items, "{count} item", "{count} items")
        if preview.newest is not None:
            latest = _("latest on {date}").format(date=format_date(preview.newest))
        else:
            latest = _("no dated item")
        details = f"{KINDS.get(preview.kind, preview.kind)} · {items} · {latest}"
    return Content.assemble((candidate.title, "bold"), "\n", candidate.url, "\n", (details, "dim"))


class AddFeedDialog(ModalScreen[FeedRow | None]):
    # Compact fields and a list that scrolls: it fits 80×24 with a few feeds and their reasons.
    DEFAULT_CSS = """
    AddFeedDialog { align: center middle; }
    AddFeedDialog > VerticalScroll {
        width: 90; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1; scrollbar-size-vertical: 1;
    }
    AddFeedDialog #add-feed-title { text-style: bold; padding-bottom: 1; }
    AddFeedDialog Label { color: $text-muted; }
    AddFeedDialog Input { width: 100%; margin-bottom: 1; background: $boost; }
    AddFeedDialog #add-feed-progress { height: auto; }
    AddFeedDialog LoadingIndicator { width: 6; height: 1; min-height: 1; display: none; }
    AddFeedDialog.-busy LoadingIndicator { display: block; }
    AddFeedDialog #add-feed-status { width: 1fr; height: auto; }
    AddFeedDialog #add-feed-status.-error { color: $error; text-style: bold; }
    AddFeedDialog OptionList { height: auto; max-height: 11; display: none; }
    AddFeedDialog.-found OptionList { display: block; }
    AddFeedDialog #add-feed-failed { color: $text-muted; height: auto; }
    AddFeedDialog #add-feed-hint { color: $text-muted; margin-top: 1; }
    """

    AUTO_FOCUS = "#add-feed-url"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="add_feed.cancel", tooltip="Close without subscribing"),
    ]

    @dataclass
    class Subscribed(Message):
        """The subscription's answer, from its thread."""

        feed: FeedRow | None
        error: str = ""

    def __init__(
        self,
        store: Store,
        settings: RefreshSettings,
        *,
        rubriques: list[str] | None = None,
        rubrique: str = "",
        offline: bool = False,
    ) -> None:
        """``rubriques``: the existing ones, suggested as the rubrique is typed; ``rubrique`` pre-fills it
        (the one selected in the tree)."""
        super().__init__()
        translate_bindings(self)
        self.store = store
        self.settings = settings
        self.rubriques = rubriques or []
        self.rubrique = rubrique
        self.offline = offline
        self.searched = ""
        """The address the list shows the feeds of ("" before a search, or once the address changed)."""
        self.choices: list[Choice] = []
        self.busy = False

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Content(_("Add a feed")), id="add-feed-title")
            yield Label(Content(_("Address of a feed or of a website")))
            yield Input(placeholder="https://www.mairie-exemple.fr", id="add-feed-url", compact=True)
            yield Label(Content(_("Rubrique (optional)")))
            suggester = SuggestFromList(self.rubriques, case_sensitive=False) if self.rubriques else None
            yield Input(
                self.rubrique,
                placeholder=_("(no rubrique)"),
                suggester=suggester,
                id="add-feed-rubrique",
                compact=True,
            )
            with Horizontal(id="add-feed-progress"):
                yield LoadingIndicator()
                yield Static(id="add-feed-status")
            yield OptionList(id="add-feed-choices")
            yield Static(id="add-feed-failed")
            yield Static(id="add-feed-hint")

    def on_mount(self) -> None:
        self.show_choices([], [])

    # -- what the dialog says --------------------------------------------------------------------

    def say(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#add-feed-status", Static)
        status.update(Content(text))
        status.set_class(error, "-error")

    def hint(self) -> None:
        if self.choices:
            text = _("↑/↓: choose · enter: subscribe · esc: cancel")
        else:
            text = _("enter: find the feeds · esc: cancel")
        self.query_one("#add-feed-hint", Static).update(Content(text))

    def set_busy(self, busy: bool, text: str = "") -> None:
        self.busy = busy
        self.set_class(busy, "-busy")
        if text:
            self.say(text)

    def show_choices(self, choices: list[Choice], failed: list[str]) -> None:
        """The lines to choose from (none: the list goes), and the feeds found that cannot be read."""
        self.choices = choices
        options = self.query_one(OptionList)
        options.clear_options()
        for choice in choices:
            if choice.candidate is not None:
                options.add_option(Option(describe(choice.candidate)))
            else:
                offer = _("Subscribe to {url} as given (the next refresh will tell whether it is a feed)")
                options.add_option(Option(Content(offer.format(url=choice.url))))
        self.set_class(bool(choices), "-found")
        reasons = self.query_one("#add-feed-failed", Static)
        reasons.update(Content("\n".join(failed)))
        reasons.display = bool(failed)
        if choices:
            options.highlighted = 0
            self.set_focus(options)
        self.hint()

    @property
    def address(self) -> str:
        typed = self.query_one("#add-feed-url", Input).value.strip()
        if typed and "://" not in typed:
            typed = "https://" + typed
        return typed

    @property
    def chosen_rubrique(self) -> str:
        return clean_line(self.query_one("#add-feed-rubrique", Input).value).strip()

    # -- the keys --------------------------------------------------------------------------------

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Changed, "#add-feed-url")
    def _address_changed(self) -> None:
        if self.choices and self.address != self.searched:
            self.searched = ""
            self.show_choices([], [])
            self.say("")

    @on(Input.Submitted)
    def _submitted(self) -> None:
        if self.busy:
            return
        options = self.query_one(OptionList)
        if self.choices and self.address == self.searched and options.highlighted is not None:
            self.subscribe(self.choices[options.highlighted], self.chosen_rubrique)
            return
        address = self.address
        if not address:
            self.say(_("Type the address of a feed or of a website."), error=True)
            return
        if safe_url(address) is None:
            self.say(_("Invalid address: {url} (http or https expected).").format(url=address), error=True)
            return
        if self.offline or strip_userinfo(address)[1] is not None:
            # No network (--offline), or a password the search must not send anywhere: as given.
            self.subscribe(Choice(address), self.chosen_rubrique)
            return
        self.find(address)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if not self.busy and event.option_index < len(self.choices):
            self.subscribe(self.choices[event.option_index], self.chosen_rubrique)

    # -- the network and the cache ---------------------------------------------------------------

    @work(exclusive=True, exit_on_error=False, group="add-feed")
    async def find(self, address: str) -> None:
        self.show_choices([], [])
        self.set_busy(True, _("Looking for feeds at {url}…").format(url=address))
        try:
            found: Discovery | DiscoveryError = await discover(address, self.settings)
        except DiscoveryError as error:
            found = error
        except GazetteError as error:  # no HTTP client (an unusable refresh.proxy)
            self.set_busy(False)
            self.say(str(error), error=True)
            return
        except Exception as error:  # a bug must not show a traceback (nor anything the request held)
            self.set_busy(False)
            self.say(_("Something went wrong: {error}").format(error=type(error).__name__), error=True)
            return
        self.set_busy(False)
        self.searched = address
        if isinstance(found, DiscoveryError):
            self.say(str(found), error=True)
            named = 1 if found.code == "discover.links_failed" else 0  # the sentence names the first
            offer = [] if found.reached else [Choice(address)]
            self.show_choices(offer, [unusable(candidate) for candidate in found.failed[named:]])
            if not offer:
                self.set_focus(self.query_one("#add-feed-url", Input))
            return
        self.say(
            plural(
                len(found.feeds),
                "{count} feed found: enter subscribes to it.",
                "{count} feeds found: choose one.",
            )
        )
        choices = [Choice(c.url, c.preview.title if c.preview is not None else "", c) for c in found.feeds]
        self.show_choices(choices, [unusable(candidate) for candidate in found.failed])

    @work(thread=True, exclusive=True, exit_on_error=False, group="add-feed")
    def subscribe(self, choice: Choice, rubrique: str) -> None:
        self.app.call_from_thread(self.set_busy, True, _("Subscribing…"))
        try:
            feed, _secret = feed_credentials.add_feed(self.store, choice.url, choice.title, rubrique)
        except GazetteError as error:
            self.post_message(self.Subscribed(None, str(error)))
        else:
            self.post_message(self.Subscribed(feed))

    def on_add_feed_dialog_subscribed(self, message: Subscribed) -> None:
        self.set_busy(False)
        if message.feed is not None:
            self.dismiss(message.feed)
            return
        self.say(message.error, error=True)


def unusable(candidate: Candidate) -> str:
    reason = candidate.problem.text() if candidate.problem is not None else ""
    return _("Not usable: {url} ({reason})").format(url=candidate.url, reason=reason)
