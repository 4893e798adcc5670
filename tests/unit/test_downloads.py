"""Downloading attachments (``core/feeds/downloads.py``) from a real server on 127.0.0.1: resumed with
Range/If-Range from the part a failure left, started again when the server ignores ranges or the file
changed, within the size cap, private, never over an existing file, under a safe name."""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.servers import FileServer, ServedFile

from gazette_tui.core.feeds import downloads
from gazette_tui.core.feeds.downloads import (
    Downloaded,
    Downloader,
    DownloadError,
    Progress,
    name_from_disposition,
    part_path,
    safe_file_name,
)

SOURCE = bytes((n * 7919 + n // 251) % 256 for n in range(400_000))
"""An episode: fixed bytes, no two 64 KiB chunks alike."""


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def files() -> Iterator[FileServer]:
    with FileServer() as server:
        yield server


def fetch(url: str, folder: Path, *, cap: int = 10**9, seen: list[Progress] | None = None) -> Downloaded:
    on_progress = seen.append if seen is not None else None
    return asyncio.run(
        Downloader(url, folder=folder, max_bytes=cap, timeout=5, on_progress=on_progress).run()
    )


def failure(url: str, folder: Path, *, cap: int = 10**9) -> DownloadError:
    with pytest.raises(DownloadError) as caught:
        fetch(url, folder, cap=cap)
    return caught.value


def leftovers(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


def test_a_broken_download_resumes_from_its_part_with_range_and_if_range(
    files: FileServer, tmp_path: Path
) -> None:
    files.files["/podcast/episode-12.mp3"] = ServedFile(SOURCE, "audio/mpeg", drop_after=150_000)
    url = files.url("/podcast/episode-12.mp3")
    error = failure(url, tmp_path)
    assert error.code == "download.failed"
    assert error.params["reason"].code == "download.incomplete"
    assert 0 < error.kept <= 150_000
    part = part_path(tmp_path, url)
    assert part.stat().st_size == error.kept
    assert stat.S_IMODE(part.stat().st_mode) == 0o600
    seen: list[Progress] = []
    done = fetch(url, tmp_path, seen=seen)
    _path, headers = files.requests[-1]
    assert headers["range"] == f"bytes={error.kept}-"
    assert headers["if-range"] == '"v1"'
    assert headers["accept-encoding"] == "identity"
    assert done.resumed_from == error.kept
    assert done.path == tmp_path / "episode-12.mp3"
    assert sha(done.path.read_bytes()) == sha(SOURCE)
    assert stat.S_IMODE(done.path.stat().st_mode) == 0o600
    assert leftovers(tmp_path) == ["episode-12.mp3"]  # no part, no state file
    assert seen[0].done == error.kept
    assert seen[-1] == Progress(len(SOURCE), len(SOURCE))
    assert all(a.done <= b.done for a, b in itertools.pairwise(seen))


def test_a_server_that_ignores_ranges_restarts_cleanly(files: FileServer, tmp_path: Path) -> None:
    files.files["/a.mp3"] = ServedFile(SOURCE, "audio/mpeg", ranges=False, drop_after=100_000)
    url = files.url("/a.mp3")
    assert failure(url, tmp_path).kept > 0
    done = fetch(url, tmp_path)
    assert files.requests[-1][1].get("range")  # asked for the rest, got the whole file
    assert done.resumed_from == 0
    assert sha(done.path.read_bytes()) == sha(SOURCE)


def test_a_file_changed_since_the_part_comes_whole(files: FileServer, tmp_path: Path) -> None:
    files.files["/b.pdf"] = ServedFile(SOURCE, "application/pdf", drop_after=100_000)
    url = files.url("/b.pdf")
    failure(url, tmp_path)
    changed = SOURCE[::-1]
    files.files["/b.pdf"] = ServedFile(changed, "application/pdf", etag='"v2"')
    done = fetch(url, tmp_path)
    assert files.requests[-1][1]["if-range"] == '"v1"'
    assert done.resumed_from == 0
    assert sha(done.path.read_bytes()) == sha(changed)


def test_a_part_that_already_holds_everything_is_finished(files: FileServer, tmp_path: Path) -> None:
    """Killed after the last byte, before the rename: the server says 416, the part is the file."""
    files.files["/c.mp3"] = ServedFile(SOURCE, "audio/mpeg", drop_after=100_000)
    url = files.url("/c.mp3")
    failure(url, tmp_path)
    part_path(tmp_path, url).write_bytes(SOURCE)
    done = fetch(url, tmp_path)
    assert files.requests[-1][1]["range"] == f"bytes={len(SOURCE)}-"
    assert sha(done.path.read_bytes()) == sha(SOURCE)


def test_the_size_cap_is_checked_on_the_announced_size_and_while_streaming(
    files: FileServer, tmp_path: Path
) -> None:
    files.files["/big.mp4"] = ServedFile(SOURCE, "video/mp4")
    error = failure(files.url("/big.mp4"), tmp_path, cap=100_000)
    assert error.params["reason"].code == "download.too_big"
    assert "98\u00a0Kio (réglage downloads.max_bytes)" in str(error)
    files.files["/unsized.mp4"] = ServedFile(SOURCE, "video/mp4", declare_length=False)
    error = failure(files.url("/unsized.mp4"), tmp_path, cap=100_000)
    assert error.params["reason"].code == "download.too_big"
    assert leftovers(tmp_path) == []  # a part over the cap could never finish: it goes
    assert fetch(files.url("/unsized.mp4"), tmp_path).size == len(SOURCE)  # no size said, under the cap


def test_names_never_replace_a_file(files: FileServer, tmp_path: Path) -> None:
    files.files["/ep.mp3"] = ServedFile(b"first")
    files.files["/other/ep.mp3"] = ServedFile(b"second")
    (tmp_path / "ep (2).mp3").write_bytes(b"the user's own")
    first = fetch(files.url("/ep.mp3"), tmp_path)
    second = fetch(files.url("/other/ep.mp3"), tmp_path)
    third = fetch(files.url("/ep.mp3"), tmp_path)
    assert [first.path.name, second.path.name, third.path.name] == ["ep.mp3", "ep (3).mp3", "ep (4).mp3"]
    assert (tmp_path / "ep (2).mp3").read_bytes() == b"the user's own"
    assert second.path.read_bytes() == b"second"


@pytest.mark.parametrize(
    ("disposition", "expected"),
    [
        ('attachment; filename="../../.bashrc"', "bashrc.mp3"),
        ("attachment; filename*=UTF-8''%C3%A9pisode%20%E2%80%AE3pm.exe", "épisode _3pm.exe"),
        ('attachment; filename="a\\\\b\\\\..\\\\c.pdf"', "c.pdf"),
        ('attachment; filename="CON.txt"', "_CON.txt"),
        ('attachment; filename="..."', "download.mp3"),
        ("attachment; filename*=UTF-8''x%07y%0A%1B[31m.mp3", "x_y__[31m.mp3"),
        ("inline", "served.mp3"),
    ],
)
def test_hostile_names_from_the_server_are_made_safe(
    files: FileServer, tmp_path: Path, disposition: str, expected: str
) -> None:
    files.files["/served.mp3"] = ServedFile(b"data", "audio/mpeg", disposition=disposition)
    done = fetch(files.url("/served.mp3"), tmp_path / "dl")
    assert done.path.parent == tmp_path / "dl"
    assert done.path.name == expected


def test_safe_file_name_rules() -> None:
    assert safe_file_name("") == "download"
    assert safe_file_name("", "application/pdf") == "download.pdf"
    assert safe_file_name("rapport", "application/pdf") == "rapport.pdf"
    assert safe_file_name("/etc/passwd") == "passwd"
    assert safe_file_name("a:b*c?.mp3") == "a_b_c_.mp3"
    assert safe_file_name(".hidden.mp3") == "hidden.mp3"
    assert safe_file_name("trailing. ") == "trailing"
    assert safe_file_name("lpt1") == "_lpt1"
    assert safe_file_name("e\u0301pisode.mp3") == "épisode.mp3"  # NFC
    long = safe_file_name("é" * 300 + ".mp3")
    assert long.endswith(".mp3")
    assert len(long.encode()) <= downloads.MAX_NAME_BYTES
    assert safe_file_name("x\x07y\u202e.mp3") == "x_y_.mp3"
    assert safe_file_name("épisode%20", "") == "épisode%20"  # only an address is percent-decoded
    assert downloads.human_size(2 * 1024**3, "en") == "2 GiB"
    assert downloads.human_size(1536 * 1024, "fr") == "1,5\u00a0Mio"
    assert name_from_disposition('attachment; filename="plain.pdf"') == "plain.pdf"
    assert name_from_disposition("") == ""


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "javascript:alert(1)", "ftp://files.test/a.mp3", "http://a b/c"]
)
def test_only_http_and_https(tmp_path: Path, url: str) -> None:
    error = failure(url, tmp_path)
    assert error.params["reason"].code == "download.not_web"
    assert leftovers(tmp_path) == []


def test_redirects_are_followed_on_the_web_only(files: FileServer, tmp_path: Path) -> None:
    files.files["/cdn/8f3a2c.bin"] = ServedFile(SOURCE[:1000], "audio/mpeg")
    files.files["/track/episode-3.mp3"] = ServedFile(b"", redirect="/cdn/8f3a2c.bin")
    done = fetch(files.url("/track/episode-3.mp3"), tmp_path)
    assert done.path.name == "episode-3.mp3"  # the feed's name, not the CDN's
    files.files["/evil.mp3"] = ServedFile(b"", redirect="file:///etc/passwd")
    assert failure(files.url("/evil.mp3"), tmp_path).params["reason"].code == "fetch.redirect_not_web"


def test_http_errors_and_an_unreachable_server_are_one_sentence(files: FileServer, tmp_path: Path) -> None:
    files.files["/gone.mp3"] = ServedFile(b"", status=404)
    assert str(failure(files.url("/gone.mp3"), tmp_path)).endswith(": HTTP 404.")
    error = failure("http://127.0.0.1:9/nothing.mp3", tmp_path)
    assert error.params["reason"].code == "fetch.connect_failed"
    assert leftovers(tmp_path) == []


def test_two_downloads_of_one_address_do_not_mix(files: FileServer, tmp_path: Path) -> None:
    files.files["/slow.mp3"] = ServedFile(SOURCE, "audio/mpeg", delay=0.02)
    url = files.url("/slow.mp3")

    async def both() -> list[Downloaded | BaseException]:
        first = asyncio.create_task(Downloader(url, folder=tmp_path, max_bytes=10**9).run())
        while not part_path(tmp_path, url).exists() or part_path(tmp_path, url).stat().st_size == 0:
            await asyncio.sleep(0.01)
        second = Downloader(url, folder=tmp_path, max_bytes=10**9).run()
        return list(await asyncio.gather(first, second, return_exceptions=True))

    first, second = asyncio.run(both())
    assert isinstance(first, Downloaded)
    assert sha(first.path.read_bytes()) == sha(SOURCE)
    assert isinstance(second, DownloadError)
    assert second.params["reason"].code == "download.busy"


def test_a_server_that_stops_sending_is_left(
    files: FileServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(downloads, "STALL_SECONDS", 0.3)
    files.files["/drip.mp3"] = ServedFile(SOURCE[:2000], "audio/mpeg", chunk=10, delay=0.05)
    error = failure(files.url("/drip.mp3"), tmp_path)
    assert error.params["reason"].code == "download.stalled"
    assert error.kept > 0  # what came waits for the next try
