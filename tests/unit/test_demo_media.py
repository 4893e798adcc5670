"""The demo site's attachments: the podcast episode and the PDF of one article, in its three feeds with
their sizes (and the episode's duration), served with byte ranges so that a cut download resumes."""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
from pathlib import Path

import httpx

from gazette_tui.core.feeds.downloads import Downloader, part_path
from gazette_tui.core.feeds.parse import parse_feed
from gazette_tui.demo import DemoServer
from gazette_tui.demo.media import DOTATIONS_PDF, EPISODE, media_bytes, one_page_pdf, silent_mp3


def test_the_article_carries_its_attachments_in_every_feed(demo: DemoServer) -> None:
    expected = [
        (f"{demo.url}/medias/{m.name}", m.content_type, len(media_bytes(m.name) or b""))
        for m in (EPISODE, DOTATIONS_PDF)
    ]
    for path, durations in (("/feed/", [750, 0]), ("/feed/json", [750, 0]), ("/feed/?format=atom", [0, 0])):
        response = httpx.get(demo.url + path)
        feed = parse_feed(response.content, demo.url + path, response.headers.get("content-type", ""))
        [entry] = [e for e in feed.entries if e.enclosures]
        assert [(e.url, e.type, e.length) for e in entry.enclosures] == expected, path
        assert [e.duration for e in entry.enclosures] == durations, path


def test_the_files_are_what_they_say() -> None:
    episode = silent_mp3(750)
    assert episode[:4] == b"\xff\xfb\x10\xc4"
    assert len(episode) % 104 == 0
    assert len(episode) // 104 * 1152 / 44_100 >= 750  # frames of 1,152 samples at 44.1 kHz
    pdf = one_page_pdf("Titre (essai)", ["ligne"])
    assert pdf.startswith(b"%PDF-1.4\n")
    assert pdf.endswith(b"%%EOF\n")
    start = int(re.search(rb"startxref\n(\d+)\n", pdf).group(1))  # type: ignore[union-attr]
    assert pdf[start:].startswith(b"xref\n0 6\n")
    for number, offset in enumerate(re.findall(rb"(\d{10}) 00000 n", pdf), 1):
        assert pdf[int(offset) :].startswith(b"%d 0 obj" % number)
    assert b"(Titre \\(essai\\)) Tj" in pdf


def test_ranges_and_a_resumed_download_against_the_site(demo: DemoServer, tmp_path: Path) -> None:
    url = f"{demo.url}/medias/{EPISODE.name}"
    whole = media_bytes(EPISODE.name) or b""
    first = httpx.get(url)
    assert first.status_code == 200
    assert first.content == whole
    assert "content-encoding" not in first.headers
    part = httpx.get(url, headers={"Range": "bytes=1000-", "If-Range": first.headers["etag"]})
    assert part.status_code == 206
    assert part.content == whole[1000:]
    assert part.headers["content-range"] == f"bytes 1000-{len(whole) - 1}/{len(whole)}"
    changed = httpx.get(url, headers={"Range": "bytes=1000-", "If-Range": '"another"'})
    assert changed.status_code == 200
    assert changed.content == whole
    assert httpx.get(url, headers={"Range": f"bytes={len(whole)}-"}).status_code == 416
    # A download cut at 1 MB (its part and what the site said of the file), then resumed.
    done = asyncio.run(Downloader(url, folder=tmp_path, max_bytes=10**8).run())
    done.path.unlink()
    cut = part_path(tmp_path, url)
    cut.write_bytes(whole[:1_000_000])
    state = cut.with_name(f".{cut.name}.json")
    said = {"url": url, "validator": first.headers["etag"], "total": len(whole), "name": EPISODE.name}
    state.write_text(json.dumps(said))
    resumed = asyncio.run(Downloader(url, folder=tmp_path, max_bytes=10**8).run())
    assert resumed.resumed_from == 1_000_000
    assert hashlib.sha256(resumed.path.read_bytes()).digest() == hashlib.sha256(whole).digest()
