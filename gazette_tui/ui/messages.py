"""Messages that cross the main screen: from one controller to the regions or to another feature. A message
that one widget or controller posts to itself is nested in its class instead (``ArticleList.Selected``,
``Loader.IdsLoaded``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message

from gazette_tui.core.library.dossiers import Dossier, EditorialDossier
from gazette_tui.models import Article


@dataclass
class ArticleLoaded(Message):
    """An article read from the cache and rendered, ready for the reader pane (the account session looks at
    it too: a reserved article may offer the login screen)."""

    article: Article
    rendered: Any
    """A ``gazette_tui.core.render.RenderedArticle``."""
    body: Any = None
    """The body, already parsed for display (a Rich renderable), so the UI thread only lays it out."""
    focus: bool = True
    """Move the focus to the reader (and, when narrow, show it)."""


@dataclass
class DossierInfo(Message):
    """For the reader: the user's dossiers holding an article (with notes), and the site's dossiers."""

    article_id: int
    memberships: list[tuple[Dossier, str]]
    editorial: list[EditorialDossier]


@dataclass
class RefreshRequested(Message):
    """Refresh these feeds (None: every feed), e.g. a dossier feed just followed."""

    feed_ids: list[int] | None


@dataclass
class SaveAlertRequested(Message):
    """Open the "save as alerte" dialog with this query (from the search bar)."""

    query: str
