"""What ``refresh`` says of the article pages it fetched for the feeds whose ``fulltext`` is on
(``core/feeds/pages.py``): how many, which failed and why, how many wait for the next refresh."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gazette_tui.cli.context import err, out
from gazette_tui.i18n import _, plural

if TYPE_CHECKING:
    from gazette_tui.core.feeds.pages import PagesReport

SHOWN_ERRORS = 10
"""Failed pages listed one per line; past that, only their number (a cron mail stays short)."""


def say_pages(report: PagesReport | None, error: str | None) -> None:
    """The pages' part of the refresh's summary (nothing at all when no feed wants its pages)."""
    if error:
        err(_("Article pages not fetched: {error}").format(error=error))
    if report is None:
        return
    stored = report.fetched + report.copied
    if stored:
        out(
            plural(
                stored,
                "{count} full text from the article's page.",
                "{count} full texts from the articles' pages.",
            )
        )
    for url, reason in report.errors[:SHOWN_ERRORS]:
        err(_("  page not read: {url} — {error}").format(url=url, error=reason))
    if len(report.errors) > SHOWN_ERRORS:
        more = len(report.errors) - SHOWN_ERRORS
        err(plural(more, "  … and {count} other page not read.", "  … and {count} other pages not read."))
    if report.skipped:
        out(
            plural(
                report.skipped,
                "{count} article page left for the next refresh (refresh.fulltext_pages).",
                "{count} article pages left for the next refresh (refresh.fulltext_pages).",
            )
        )
