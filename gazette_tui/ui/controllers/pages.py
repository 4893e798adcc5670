"""Full text from the article's page, in the TUI: key F fetches it now for the article the keys act on, and
the refresh's pass over the feeds' article pages (``core/feeds/pages.py``) shows its progress.

- **F** works for any feed, whatever its ``fulltext`` setting and any earlier try: the page is fetched,
  extracted and stored as a refresh would (the same bounds and rules), the reader says « Texte intégral en
  cours… » over the article meanwhile, then shows the full text, or says why there is none. A reserved
  article of a site one is logged in to goes through the subscriber's session instead
  (``controllers/session.py``), which sees past the paywall.
- **The refresh** hands this module the cycle's ``PageDone`` and ``PagesDone`` events (:class:`PagesShown`):
  the status bar's progress counts the pages, an article open in the reader is redrawn once its text is
  in, and the refresh's report (« 12 nouveaux articles ») gets the pages' count when they are done.

F is the main screen's key (:data:`FULLTEXT_BINDINGS`, action ``app.page_fulltext``): the app mounts
:class:`PageFulltext` on the main screen the first time and hands it the key, so the screen's class stays
small.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work
from textual.binding import Binding

from gazette_tui.errors import GazetteError
from gazette_tui.i18n import _, plural
from gazette_tui.ui.controllers.base import Controller, Panes
from gazette_tui.ui.controllers.loading import Loader
from gazette_tui.ui.host import Host

if TYPE_CHECKING:
    from gazette_tui.core.cycle import PageDone, PagesDone
    from gazette_tui.core.feeds.pages import PagesReport
    from gazette_tui.ui.controllers.session import AccountSession

FULLTEXT_BINDINGS: list[Binding] = [
    Binding(
        "F",
        "app.page_fulltext",
        "Full text",
        id="page_fulltext",
        show=False,
        tooltip="Fetch the article's full text from its page now",
    ),
]
"""The key of this controller; the main screen declares it, the app hands its action here."""

Reopen = Callable[..., object]
"""``ArticleActions.open_article(article_id, focus=False)``: redraw an article in the reader."""


def pages_summary(report: PagesReport) -> str:
    """What a pass brought, for the status line (« 3 textes intégraux de leur page · 1 page non lue »), or ""
    when it brought nothing."""
    parts = []
    stored = report.fetched + report.copied
    if stored:
        parts.append(plural(stored, "{count} full text from its page", "{count} full texts from their pages"))
    if report.failed:
        parts.append(plural(report.failed, "{count} page not read", "{count} pages not read"))
    return " · ".join(parts)


class PagesShown:
    """What the refresh's pass over article pages changes on screen; the refresh controller hands it the
    cycle's page events (a plain object: it needs no message queue of its own)."""

    def __init__(self, panes: Panes, loader: Loader, reopen: Reopen) -> None:
        self.panes = panes
        self.loader = loader
        self.reopen = reopen
        self._before = ""
        """The status line when the pass began (the feeds' report), given back with the pages' count."""

    def step(self, event: PageDone | PagesDone) -> None:
        from gazette_tui.core.cycle import PageDone

        status = self.panes.status
        if isinstance(event, PageDone):
            outcome = event.outcome
            if outcome.done == 1:
                self._before = status.text
            text = _("Full texts {done}/{total}…").format(done=outcome.done, total=outcome.total)
            status.progress(outcome.done, outcome.total, text)
            shown = self.panes.reader.article
            if outcome.ok and shown is not None and shown.id in outcome.article_ids:
                self.reopen(shown.id, focus=False)
            return
        status.progress_done()
        report = event.report
        summary = pages_summary(report) if report is not None and not event.error else ""
        if summary:  # after the feeds' report (« 12 nouveaux articles »), there still if no page was counted
            before = self._before or status.text
            status.say(" · ".join(part for part in (before, summary) if part), until_seen=True)
            self.loader.reload_ids(self.panes.articles.current_id)
        self._before = ""


class PageFulltext(Controller):
    """Key F: the article's full text from its page, now."""

    def __init__(self, host: Host, panes: Panes, session: AccountSession, reopen: Reopen) -> None:
        super().__init__(host, panes)
        self.session = session
        self.reopen = reopen
        self.running: set[int] = set()
        """Articles whose page is being fetched (F again says so rather than fetch twice)."""

    def run(self) -> None:
        article_id = self.panes.current_id()
        if article_id is None:
            self.host.say(_("Select an article first."))
            return
        if self.host.offline:
            self.host.say(_("Started offline (--offline): no page can be fetched."), severity="warning")
            return
        if article_id in self.running:
            self.host.say(_("The full text of this article is on its way."))
            return
        self.running.add(article_id)
        self.panes.reader.note(article_id, _("Fetching the full text from the article's page…"))
        self._route(article_id)

    @work(thread=True, exit_on_error=False, group="page-fulltext-check")
    def _route(self, article_id: int) -> None:
        """In a thread: a reserved article of a site one is logged in to goes through the session."""
        try:
            article = self.host.store.article(article_id)
            subscriber = article.reserved and self.session.accounts.account_for_url(article.url) is not None
        except GazetteError:
            subscriber = False
        if subscriber:
            self.app.call_from_thread(self._by_session, article_id)
        else:
            self.app.call_from_thread(self._fetch, article_id)

    def _by_session(self, article_id: int) -> None:
        self.running.discard(article_id)
        self.session.fetch_fulltexts([article_id])

    @work(exit_on_error=False, group="page-fulltext")
    async def _fetch(self, article_id: int) -> None:
        from gazette_tui.core.feeds.pages import fetch_pages

        host = self.host
        try:
            report = await fetch_pages(host.store, host.settings, article_ids=[article_id])
        except GazetteError as error:  # an unusable refresh.proxy, a store that broke
            self._failed(article_id, str(error))
            return
        except Exception as error:  # never a traceback: the kind of bug, in one sentence
            self._failed(article_id, type(error).__name__)
            return
        finally:
            self.running.discard(article_id)
        if article_id in report.article_ids:
            self.host.say(_("Full text fetched from the article's page."))
            shown = self.panes.reader.article
            if shown is not None and shown.id == article_id:
                self.reopen(article_id, focus=False)
            return
        self._failed(article_id, report.errors[0][1] if report.errors else _("the article has no page"))

    def _failed(self, article_id: int, reason: str) -> None:
        text = _("The full text could not be fetched: {error}").format(error=reason)
        self.panes.reader.note(article_id, text)
        self.host.say(text, severity="warning")
