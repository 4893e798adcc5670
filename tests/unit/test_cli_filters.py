"""``gazette-tui filters`` and what filters do during ``refresh``, in-process, on a real database under a
temporary home, the feed served by a real loopback server whose items change between refreshes."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from support.feeds import item_xml, rss
from support.french import typo
from werkzeug import Request, Response

from gazette_tui.cli import main
from gazette_tui.core.cycle import CycleEvent, FeedsStored, run_cycle
from gazette_tui.core.search import filters
from gazette_tui.core.settings import Settings
from gazette_tui.core.storage.store import Store

SPONSORED = {1, 5, 7}
"""Items whose title is a « Publi-reportage »."""


class Site:
    """One loopback feed of ``count`` items, the newest first."""

    def __init__(self, server: HTTPServer) -> None:
        self.count = 4
        server.expect_request("/actualite/feed/").respond_with_handler(self.handler)
        self.url = server.url_for("/actualite/feed/")

    def handler(self, _request: Request) -> Response:
        items = [
            item_xml(i, title=f"Publi-reportage : un partenaire n° {i}" if i in SPONSORED else None)
            for i in reversed(range(self.count))
        ]
        return Response(rss(items, title="Actualité"), content_type="application/rss+xml")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def site(httpserver: HTTPServer, xdg_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Site:
    """The only subscription (the first run's seeds replaced), refreshed once: four articles, one of them
    sponsored."""
    served = Site(httpserver)
    listing = tmp_path / "abonnements.opml"
    listing.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>'
        f'<outline type="rss" text="Actualité" xmlUrl="{served.url}"/></body></opml>',
        encoding="utf-8",
    )
    assert run(capsys, "import", str(listing), "--replace")[0] == 0
    assert run(capsys, "refresh")[0] == 0
    return served


def listed(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    code, out, err = run(capsys, "filters", "list", "--json")
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


def unread(capsys: pytest.CaptureFixture[str]) -> int:
    code, out, _err = run(capsys, "feeds", "list", "--json")
    assert code == 0
    return int(json.loads(out)[0]["unread"])


def test_add_list_apply_and_remove(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "filters", "add", "Publicité", "publi-reportage", "--action", "hide")
    assert code == 0, err
    said = "Filtre « Publicité » enregistré : publi-reportage (masqués des listes, tous les flux).\n"
    assert out == typo(said)
    assert "gazette-tui filters apply 'Publicité'" in err
    assert listed(capsys) == [
        {
            "name": "Publicité",
            "query": "publi-reportage",
            "action": "hide",
            "feed": None,
            "marks": 0,
            "error": None,
        }
    ]
    assert unread(capsys) == 4  # what was cached is not new to it
    code, out, err = run(capsys, "filters", "apply", "publicité")
    assert code == 0, err
    assert out == typo("Filtre « Publicité » : 1 article trouvé, 1 nouvellement masqué.\n")
    assert unread(capsys) == 3
    code, out, _err = run(capsys, "filters", "apply", "Publicité", "--json")
    assert json.loads(out) == {"name": "Publicité", "matched": 1, "changed": 0}
    code, out, _err = run(capsys, "filters")
    assert out == typo("Publicité  —  publi-reportage  —  masqués des listes, tous les flux  —  1 article\n")
    code, out, err = run(capsys, "filters", "remove", "PUBLICITÉ")
    assert (code, out) == (0, typo("Filtre « Publicité » supprimé.\n"))
    assert typo("listés à nouveau") in err
    assert unread(capsys) == 4
    assert listed(capsys) == []
    code, _out, err = run(capsys, "filters")
    assert "gazette-tui filters add" in err


def test_a_filter_of_one_feed_and_english(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "--lang", "en", "filters", "add", "Budget", "budget", "--action", "read", "--feed", site.url
    )
    assert code == 0, err
    assert out == "Filter “Budget” saved: budget (marked as read, the feed “Actualité”).\n"
    code, out, _err = run(capsys, "--lang", "en", "filters", "apply", "Budget")
    # item_xml's topics: « budget » is in the titles of items 0 and 4 of five (and 1 is sponsored).
    assert out == "Filter “Budget”: 1 article matched, 1 newly marked as read.\n"
    assert listed(capsys)[0]["feed"] == site.url


def test_a_bad_query_is_refused_with_its_position(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "filters", "add", "Cassé", "budget (école", "--action", "hide")
    assert (code, out) == (2, "")
    assert err == typo("Parenthèse « ( » non fermée.\n") + "  budget (école\n         ^\n"
    code, _out, err = run(capsys, "search", "budget (école")
    assert code == 2
    assert err == typo("Parenthèse « ( » non fermée.\n") + "  budget (école\n         ^\n"  # the same
    code, _out, err = run(capsys, "filters", "add", "Ailleurs", "feed:inconnu budget", "--action", "star")
    assert code == 2
    assert err.startswith(typo("Aucun flux ne correspond à « inconnu »."))
    assert listed(capsys) == []


def test_unknown_names_actions_and_feeds(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "filters", "remove", "Inconnu")
    assert (code, err) == (1, typo("Aucun filtre ne s'appelle « Inconnu ».\n"))
    code, _out, err = run(capsys, "filters", "apply", "Inconnu")
    assert code == 1
    code, _out, err = run(
        capsys, "filters", "add", "Ailleurs", "budget", "--action", "hide", "--feed", "https://ailleurs.test/"
    )
    assert (code, err) == (1, "Aucun abonnement à https://ailleurs.test/.\n")
    with pytest.raises(SystemExit) as usage:  # argparse's own usage error, in the UI's language
        main(["filters", "add", "Masquer", "budget", "--action", "masquer"])
    assert usage.value.code == 2
    assert "choix invalide : 'masquer'" in capsys.readouterr().err.replace("\u00a0", " ")
    run(capsys, "filters", "add", "Écoles", "école", "--action", "read")
    code, _out, err = run(capsys, "filters", "add", "écoles", "budget", "--action", "hide")
    assert (code, err) == (1, typo("Un filtre s'appelle déjà « écoles » : choisissez un autre nom.\n"))


def test_refresh_applies_the_filters_to_the_new_articles(
    site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "filters", "add", "Publicité", "publi-reportage", "--action", "hide")
    site.count = 8  # four new items, two of them sponsored
    code, out, err = run(capsys, "refresh")
    assert code == 0, err
    assert typo("Filtre « Publicité » : 2 articles trouvés, 2 nouvellement masqués.") in out
    assert unread(capsys) == 8 - 2  # the sponsored item cached before the filter stays listed
    code, out, _err = run(capsys, "refresh", "--json")
    assert json.loads(out)["filters"] == {"applied": {}, "errors": {}}  # nothing new this time
    site.count = 9
    code, out, _err = run(capsys, "refresh", "--json")
    assert json.loads(out)["filters"] == {
        "applied": {"Publicité": {"action": "hide", "matched": 0, "changed": 0}},
        "errors": {},
    }


def test_the_lists_are_filtered_when_the_cycle_says_the_feeds_are_stored(
    httpserver: HTTPServer, store: Store, settings: Settings
) -> None:
    served = Site(httpserver)
    feed = store.add_feed(served.url)
    filters.add_filter(store, "Publicité", "publi-reportage", "hide")
    served.count = 8
    seen: list[int] = []

    def on_event(event: CycleEvent) -> None:
        if isinstance(event, FeedsStored):  # the TUI redraws the tree and the list here
            seen.append(store.counts()["all"])

    report = asyncio.run(run_cycle(store, settings, on_event=on_event))
    assert seen == [8 - len(SPONSORED)]
    assert report.filters is not None
    assert report.filters.applied["Publicité"].changed == len(SPONSORED)
    assert store.feed(served.url) is not None
    assert store.feeds()[0].id == feed.id
    assert store.feeds()[0].articles == 8 - len(SPONSORED)
