"""The demo profile follows the demo site when its port changes (``Store.rebase_local_feeds``): a real demo
site refreshed into a real SQLite file, then moved to another port, as a run whose port was taken (or a cache
of 0.1.0, when the port changed at every run) would find it."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

from gazette_tui.core.cycle import run_cycle
from gazette_tui.core.library.dossiers import editorial_dossiers
from gazette_tui.core.settings import Settings
from gazette_tui.core.storage.store import Store
from gazette_tui.demo import DemoServer, feed_list
from gazette_tui.demo.server import prepare_profile
from gazette_tui.models import ParsedFeed


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


ELSEWHERE = f"http://localhost:{_closed_port()}"
"""Another site (another host name, even on this machine): never moved; nothing listens there."""
FOREIGN = f"{ELSEWHERE}/feed/"


def _settings() -> Settings:
    settings = Settings()
    settings.retention.days = 0
    settings.refresh.timeout = 10.0
    return settings


def _refresh(store: Store, settings: Settings) -> tuple[int, int, int]:
    report = asyncio.run(run_cycle(store, settings)).refresh
    return report.ok, report.failed, report.new


def _bodies(store: Store, article_id: int) -> str:
    article = store.article(article_id)
    return "\n".join((article.summary_html, article.content_html, article.fulltext_html, article.url))


def test_everything_stored_moves_with_the_demo_site(tmp_path: Path) -> None:
    from gazette_tui.core.feeds.parse import build_entry

    settings = _settings()
    with Store(tmp_path / "gazette.db") as store:
        with DemoServer() as first:
            old = first.url
            prepare_profile(store, old)
            assert _refresh(store, settings)[1] == 0
            linked = next(i for i in store.article_ids() if editorial_dossiers(store.article(i)))
            dossier = editorial_dossiers(store.article(linked))[0]
            dossier_feed = dossier.feed_url
            fulltext = f'<p>Lire <a href="{dossier.url}">le dossier</a>.</p>'  # a full text with the old port
            store.bodies.set_fulltext(linked, fulltext, "Lire le dossier")
            # What 0.1.0's `a` made after a restart: the same dossier again, at a port that no longer answers.
            stale = store.add_feed(dossier_feed.replace(old, "http://127.0.0.1:9"), "Doublon", "Dossiers")
            # A feed of another site whose article quotes a local address: none of the demo's business.
            foreign = store.add_feed(FOREIGN, "Ailleurs")
            entry = build_entry(
                guid="ailleurs-1",
                link=f"{ELSEWHERE}/1",
                title="Un article d'ailleurs",
                author="",
                published=1_700_000_000,
                updated=None,
                categories=[],
                summary=f'<p>Voir <a href="{old}/feed/">ce flux local</a>.</p>',
                content="",
            )
            store.record_success(foreign.id, ParsedFeed("rss", "Ailleurs", ELSEWHERE, [entry]))
            counted = {f.url: f.articles for f in store.feeds()}
        foreign_id = next(i for i in store.article_ids() if store.article(i).url == f"{ELSEWHERE}/1")
        foreign_before = _bodies(store, foreign_id)

        with DemoServer() as second:
            new = second.url
            assert new != old
            prepare_profile(store, new)
            feeds = store.feeds()
            local = [f for f in feeds if f.url != FOREIGN]
            assert len(local) == len(feed_list(new))  # the stale duplicate merged away
            assert all(f.url.startswith(new + "/") for f in local)
            assert store.feed(stale.url) is None
            moved = store.feed(dossier_feed.replace(old, new))
            assert moved is not None
            assert moved.articles == counted[dossier_feed]  # the feed that was reached kept its articles
            for article_id in store.article_ids():
                if article_id == foreign_id:
                    continue
                text = _bodies(store, article_id)
                assert old not in text, article_id
                assert "127.0.0.1:9/" not in text
            assert new in store.article(linked).fulltext_html
            assert editorial_dossiers(store.article(linked))[0].feed_url == dossier_feed.replace(old, new)
            assert _bodies(store, foreign_id) == foreign_before  # another site's text is left as it is
            # The search index still matches the articles (bodies changed under it).
            c = store.connection
            c.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")
            # The same port again: nothing to do, found in one lookup.
            assert store.rebase_local_feeds(new) == 0
            ok, failed, fresh = _refresh(store, settings)
            assert failed == 1  # the other site only: nothing listens there
            assert ok == len(local)
            assert fresh == 0  # nothing came back as new: same articles, same identities


def test_nothing_moves_when_the_port_did_not_change(tmp_path: Path) -> None:
    with Store(tmp_path / "gazette.db") as store, DemoServer() as demo:
        prepare_profile(store, demo.url)
        before = [(f.id, f.url) for f in store.feeds()]
        assert store.rebase_local_feeds(demo.url) == 0
        assert [(f.id, f.url) for f in store.feeds()] == before
