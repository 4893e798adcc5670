"""``feeds add`` with a site's address: which feed to subscribe to (:mod:`gazette_tui.core.feeds.discover`).

A feed's address is subscribed as before. A site's: one feed found is subscribed (and said); several are
listed, numbered, with their preview, and ``--pick N`` chooses (exit 2 with the list without it), or a
prompt does when standard input is a terminal. An address that cannot be read (offline, a site down) is
subscribed as given, as ``feeds add`` always did: the next refresh says whether it is a feed.
"""

from __future__ import annotations

import asyncio
import sys

from gazette_tui.cli.context import EXIT_FAILURE, EXIT_USAGE, Context, err, out
from gazette_tui.core.accounts.feed_credentials import strip_userinfo
from gazette_tui.core.feeds.discover import Candidate, Discovery, DiscoveryError, discover
from gazette_tui.i18n import _, format_date, plural

KINDS = {"rss": "RSS", "atom": "Atom", "rdf": "RSS 1.0 (RDF)", "json": "JSON Feed"}


def choose_feed(ctx: Context, url: str) -> tuple[str, str] | int:
    """The feed to subscribe to for ``url`` and its title, or the exit code when there is none to take."""
    if getattr(ctx.args, "offline", False) or strip_userinfo(url)[1] is not None:
        return url, ""  # offline: no network; a password: the address is private, taken as it is
    try:
        found = asyncio.run(discover(url, ctx.settings.refresh))
    except DiscoveryError as error:
        if not error.reached:
            err(str(error))
            err(_("Subscribing to the address as given: the next refresh will tell whether it is a feed."))
            return url, ""
        err(str(error))
        named = 1 if error.code == "discover.links_failed" else 0  # the sentence names the first one
        for candidate in error.failed[named:]:
            err(unusable(candidate))
        return EXIT_FAILURE
    for candidate in found.failed:
        err(unusable(candidate))
    if found.is_feed:
        return url, found.feeds[0].preview.title if found.feeds[0].preview else ""
    chosen = pick(ctx, found)
    if isinstance(chosen, int):
        return chosen
    out(_("Feed found at {site}: {title} ({url})").format(site=url, title=chosen.title, url=chosen.url))
    return chosen.url, chosen.preview.title if chosen.preview else ""


def pick(ctx: Context, found: Discovery) -> Candidate | int:
    """One feed: the only one, ``--pick N``, or the answer to a prompt on a terminal; else the list and
    exit 2."""
    feeds = found.feeds
    number: int | None = getattr(ctx.args, "pick", None)
    if number is None and len(feeds) == 1:
        return feeds[0]
    if number is not None and 1 <= number <= len(feeds):
        return feeds[number - 1]
    out(_("Feeds found at {site}:").format(site=found.url))
    for index, candidate in enumerate(feeds, 1):
        for line in describe(index, candidate):
            out(line)
    if number is not None:
        err(_("--pick {number}: choose a number from 1 to {count}.").format(number=number, count=len(feeds)))
        return EXIT_USAGE
    if not sys.stdin.isatty():
        err(
            _("Choose one with --pick N (e.g. gazette-tui feeds add {site} --pick 1).").format(site=found.url)
        )
        return EXIT_USAGE
    return prompt(feeds)


def prompt(feeds: tuple[Candidate, ...]) -> Candidate | int:
    question = _("Feed to subscribe to (1 to {count}; Enter to cancel): ").format(count=len(feeds))
    while True:
        sys.stdout.write(question)
        sys.stdout.flush()
        answer = sys.stdin.readline().strip()
        if not answer:
            err(_("Nothing subscribed."))
            return EXIT_FAILURE
        if answer.isascii() and answer.isdigit() and 1 <= int(answer) <= len(feeds):
            return feeds[int(answer) - 1]


def describe(index: int, candidate: Candidate) -> list[str]:
    """A candidate as the list shows it: number and title, its address, then kind, items and latest date."""
    lines = [f"{index:>3}. {candidate.title}", f"     {candidate.url}"]
    preview = candidate.preview
    if preview is not None:
        items = plural(preview.items, "{count} item", "{count} items")
        if preview.newest is not None:
            latest = _("latest on {date}").format(date=format_date(preview.newest))
        else:
            latest = _("no dated item")
        lines.append(f"     {KINDS.get(preview.kind, preview.kind)} · {items} · {latest}")
    return lines


def unusable(candidate: Candidate) -> str:
    reason = candidate.problem.text() if candidate.problem is not None else ""
    return _("  not usable: {url} ({reason})").format(url=candidate.url, reason=reason)
