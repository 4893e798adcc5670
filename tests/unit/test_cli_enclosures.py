"""``gazette-tui enclosures ID [--download N] [--json]`` against a real loopback server: the list (type,
size, duration, address), a download into the download folder, and one killed with SIGKILL mid-way by a
real process, then resumed from its part to the same bytes."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.feeds import item_xml, rss
from support.french import typo
from support.servers import FileServer, ServedFile

from gazette_tui.cli import main
from gazette_tui.core.feeds.downloads import part_path
from gazette_tui.core.paths import Paths
from gazette_tui.core.storage.store import Store

EPISODE = bytes((n * 31 + n // 997) % 256 for n in range(2_000_000))
PDF = b"%PDF-1.4\n% ordre du jour\n" + b"0" * 5000


@pytest.fixture
def files() -> Iterator[FileServer]:
    with FileServer() as server:
        yield server


def podcast(files: FileServer) -> bytes:
    enclosures = (
        f'<enclosure url="{files.url("/media/episode-7.mp3")}" type="audio/mpeg" length="{len(EPISODE)}"/>'
        f'<enclosure url="{files.url("/media/ordre%20du%20jour.pdf")}" type="application/pdf"/>'
        "<itunes:duration>42:05</itunes:duration>"
    )
    document = rss([item_xml(0).replace("</item>", enclosures + "</item>"), item_xml(1)])
    return document.replace(b"<rss ", b'<rss xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" ', 1)


@pytest.fixture
def article_id(
    xdg_home: Path, files: FileServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> int:
    monkeypatch.setenv("GAZETTE_TUI_DOWNLOADS_FOLDER", str(xdg_home / "Téléchargements"))
    files.files["/feed.xml"] = ServedFile(podcast(files), "application/rss+xml")
    files.files["/media/episode-7.mp3"] = ServedFile(EPISODE, "audio/mpeg")
    files.files["/media/ordre%20du%20jour.pdf"] = ServedFile(PDF, "application/pdf")
    opml = xdg_home.parent / "podcast.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>'
        f'<outline type="rss" text="Podcast" xmlUrl="{files.url("/feed.xml")}"/></body></opml>'
    )
    assert main(["import", str(opml), "--replace"]) == 0  # only this feed: nothing else to reach
    assert main(["refresh"]) == 0
    capsys.readouterr()
    with Store(Paths.default().database) as store:
        return next(i for i in store.article_ids() if store.article(i).enclosures)


def test_the_list_says_type_size_duration_and_address(
    article_id: int, files: FileServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["enclosures", str(article_id)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        typo("  1  episode-7.mp3  (audio/mpeg, 2,0\u00a0Mo, 42:05)"),
        f"     {files.url('/media/episode-7.mp3')}",
        "  2  ordre du jour.pdf  (application/pdf)",
        f"     {files.url('/media/ordre%20du%20jour.pdf')}",
    ]
    assert main(["--lang", "en", "enclosures", str(article_id), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0] == {
        "number": 1,
        "url": files.url("/media/episode-7.mp3"),
        "type": "audio/mpeg",
        "size": len(EPISODE),
        "duration": 2525,
        "duration_text": "42:05",
    }
    assert rows[1]["size"] is None
    assert rows[1]["duration"] is None


def test_download_n_saves_into_the_download_folder(
    article_id: int, xdg_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["enclosures", str(article_id), "--download", "2"]) == 0
    saved = Path(capsys.readouterr().out.strip())
    assert saved == xdg_home / "Téléchargements" / "ordre du jour.pdf"
    assert saved.read_bytes() == PDF
    assert main(["enclosures", str(article_id), "--download", "2"]) == 0
    assert Path(capsys.readouterr().out.strip()).name == "ordre du jour (2).pdf"


def test_a_wrong_number_and_offline_are_said(article_id: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["enclosures", str(article_id), "--download", "3"]) == 2
    assert typo("cet article a 2 pièces jointes.") in capsys.readouterr().err
    assert main(["--offline", "enclosures", str(article_id), "--download", "1"]) == 1
    assert "hors ligne" in capsys.readouterr().err


def test_a_failed_download_says_why_and_that_the_rest_can_come(
    article_id: int, files: FileServer, capsys: pytest.CaptureFixture[str]
) -> None:
    files.files["/media/episode-7.mp3"] = ServedFile(EPISODE, "audio/mpeg", drop_after=300_000)
    assert main(["--lang", "en", "enclosures", str(article_id), "--download", "1"]) == 1
    said = capsys.readouterr().err
    assert "Could not download episode-7.mp3: the server stopped sending before the end." in said
    assert "What came is kept: the same command downloads the rest." in said
    assert "Traceback" not in said


def test_killed_mid_download_then_resumed_to_the_same_bytes(
    article_id: int, files: FileServer, xdg_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files.files["/media/episode-7.mp3"] = ServedFile(EPISODE, "audio/mpeg", delay=0.05)
    folder = xdg_home / "Téléchargements"
    part = part_path(folder, files.url("/media/episode-7.mp3"))
    process = subprocess.Popen(
        [sys.executable, "-m", "gazette_tui", "enclosures", str(article_id), "--download", "1"],
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not (part.exists() and part.stat().st_size >= 300_000):
            assert time.monotonic() < deadline, "the download never started"
            assert process.poll() is None, "the download ended before it was killed"
            time.sleep(0.05)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    kept = part.stat().st_size
    assert 300_000 <= kept < len(EPISODE)
    files.files["/media/episode-7.mp3"] = ServedFile(EPISODE, "audio/mpeg")
    assert main(["enclosures", str(article_id), "--download", "1"]) == 0
    saved = Path(capsys.readouterr().out.strip())
    assert files.requests[-1][1]["range"] == f"bytes={kept}-"
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == hashlib.sha256(EPISODE).hexdigest()
    assert sorted(os.listdir(folder)) == ["episode-7.mp3"]
