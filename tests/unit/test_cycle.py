"""The one refresh cycle the CLI and the TUI share: its stages, its events and its report, against a real
HTTP server on 127.0.0.1 and a real SQLite file."""

from __future__ import annotations

import asyncio
import socket

import pytest
from pytest_httpserver import HTTPServer
from support.feeds import item_xml, rss
from werkzeug import Response

from gazette_tui.core.cycle import (
    AlertsCounted,
    CycleEvent,
    CycleReport,
    FeedDone,
    FeedsStored,
    FulltextsDone,
    run_cycle,
)
from gazette_tui.core.search import alerts
from gazette_tui.core.settings import Settings
from gazette_tui.core.storage.store import Store
from gazette_tui.core.sync.step import SyncDone


def cycle(store: Store, settings: Settings, events: list[CycleEvent], **kwargs: object) -> CycleReport:
    return asyncio.run(run_cycle(store, settings, on_event=events.append, **kwargs))  # type: ignore[arg-type]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def budget_feed(count: int) -> bytes:
    return rss([item_xml(i, title=f"Budget primitif de la commune n° {i}") for i in range(count)])


def test_stages_run_in_order_and_make_one_report(
    httpserver: HTTPServer, store: Store, settings: Settings
) -> None:
    httpserver.expect_request("/bon/").respond_with_data(budget_feed(3), content_type="application/rss+xml")
    httpserver.expect_request("/casse/").respond_with_response(Response("panne", status=500))
    store.add_feed(httpserver.url_for("/bon/"))
    store.add_feed(httpserver.url_for("/casse/"))
    alerts.save_alert(store, "Budgets", "budget")
    events: list[CycleEvent] = []
    report = cycle(store, settings, events)

    kinds = [type(event) for event in events]
    # The sync step runs after the feeds whether or not there are accounts (none here: an empty report).
    assert kinds == [FeedDone, FeedDone, SyncDone, FeedsStored, FulltextsDone, AlertsCounted]
    assert next(e for e in events if isinstance(e, SyncDone)).reports == []
    assert sorted(event.outcome.ok for event in events if isinstance(event, FeedDone)) == [False, True]
    assert [event.outcome.done for event in events if isinstance(event, FeedDone)] == [1, 2]
    assert (report.refresh.feeds, report.refresh.ok, report.refresh.failed, report.refresh.new) == (
        2,
        1,
        1,
        3,
    )
    assert report.fulltext is not None
    assert report.fulltext.fetched == 0
    assert report.alerts == {"Budgets": 3}
    stored = next(event for event in events if isinstance(event, FeedsStored))
    assert stored.report is report.refresh
    summary = report.as_json()
    assert summary["new"] == 3
    assert summary["alerts"] == {"Budgets": 3}
    assert summary["fulltext"] == report.fulltext.as_json()


def test_announce_says_a_match_once_count_says_it_until_seen(
    httpserver: HTTPServer, store: Store, settings: Settings
) -> None:
    httpserver.expect_request("/bon/").respond_with_data(budget_feed(2), content_type="application/rss+xml")
    store.add_feed(httpserver.url_for("/bon/"))
    alerts.save_alert(store, "Budgets", "budget")
    events: list[CycleEvent] = []
    assert cycle(store, settings, events, alerts="announce").alerts == {"Budgets": 2}
    assert cycle(store, settings, events, alerts="announce").alerts == {}  # announced: never twice
    assert cycle(store, settings, events).alerts == {"Budgets": 2}  # the CLI: until someone looks
    alerts.mark_seen(store, "Budgets")
    assert cycle(store, settings, events).alerts == {}


def test_offline_keeps_the_cache_and_skips_the_full_texts(store: Store, settings: Settings) -> None:
    store.add_feed(f"http://127.0.0.1:{closed_port()}/flux/")
    events: list[CycleEvent] = []
    report = cycle(store, settings, events)
    assert report.refresh.offline
    assert report.refresh.failed == 1
    assert report.fulltext is None
    assert report.alerts == {}
    assert [type(event) for event in events] == [FeedDone, SyncDone, FeedsStored, AlertsCounted]
    assert report.as_json()["fulltext"] is None


def test_only_the_feeds_asked_for(httpserver: HTTPServer, store: Store, settings: Settings) -> None:
    httpserver.expect_request("/un/").respond_with_data(rss(2), content_type="application/rss+xml")
    httpserver.expect_request("/deux/").respond_with_data(rss(4), content_type="application/rss+xml")
    first = store.add_feed(httpserver.url_for("/un/"))
    store.add_feed(httpserver.url_for("/deux/"))
    settings.refresh.fulltext = False
    events: list[CycleEvent] = []
    report = cycle(store, settings, events, feed_ids=[first.id])
    assert (report.refresh.feeds, report.refresh.new) == (1, 2)
    assert report.fulltext is None  # the pass is off in the settings
    assert FulltextsDone not in [type(event) for event in events]


def test_a_failing_full_text_pass_costs_only_the_full_texts(
    httpserver: HTTPServer, store: Store, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What breaks in the full-text pass (here: stood in for, it is the stage's own logic under test) is
    reported beside the feeds, which stay stored, and the alertes are still counted."""
    from gazette_tui.core import cycle as cycle_module
    from gazette_tui.errors import GazetteError, message

    httpserver.expect_request("/bon/").respond_with_data(budget_feed(2), content_type="application/rss+xml")
    store.add_feed(httpserver.url_for("/bon/"))
    alerts.save_alert(store, "Budgets", "budget")

    async def unusable(*_: object, **__: object) -> None:
        raise GazetteError("fetch.bad_proxy", problem=message("proxy.unreadable"))

    async def buggy(*_: object, **__: object) -> None:
        raise KeyError("bug")

    for stand_in, error, unexpected in ((unusable, "Proxy inutilisable", False), (buggy, "KeyError", True)):
        monkeypatch.setattr(cycle_module, "fetch_fulltexts", stand_in)
        events: list[CycleEvent] = []
        report = cycle(store, settings, events)
        assert report.refresh.ok == 1
        assert report.fulltext is None
        assert report.fulltext_error is not None
        assert report.fulltext_error.startswith(error)
        [done] = [event for event in events if isinstance(event, FulltextsDone)]
        assert done.report is None
        assert done.unexpected is unexpected
        assert report.as_json()["fulltext_error"] == report.fulltext_error
        assert AlertsCounted in [type(event) for event in events]
    assert store.counts()["all"] == 2
