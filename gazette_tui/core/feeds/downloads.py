"""Downloading an article's attachments (podcast episodes, PDFs) into the user's download folder.

- **Where.** ``downloads.folder``, else the system's download folder (platformdirs). The file name comes
  from the server's ``Content-Disposition``, else the address, made safe (:func:`safe_file_name`: no
  folder part, no control or bidi characters, no name Windows reserves), and never replaces a file:
  « épisode (2).mp3 » (:func:`~gazette_tui.core.files.move_into_place`).
- **Resumable.** The bytes go into ``NAME.HASH.part`` beside it (0600, created without following a
  symlink), with what the server said of the file in a hidden ``.NAME.HASH.part.json``. A failure, a
  closed laptop or a ``kill -9`` keep both; the next download of the same address asks for the rest
  (``Range``, with ``If-Range`` so that a file changed meanwhile comes whole). A server that ignores the
  range, or answers for another file, starts it again from the first byte. Only the finished file is moved
  into place, atomically. Two downloads of one address at once cannot mix their bytes (a lock on the part).
- **Bounded.** http(s) only, on every redirect too; ``downloads.max_bytes`` checked against the announced
  size and again while the bytes arrive; the feed settings' deadline for each answer and each read, and a
  server that sends almost nothing for a minute is left. The client is :func:`.fetch.make_http_client`'s:
  the user's proxy, nothing from the environment.

Failures are :class:`DownloadError`: one sentence, « Impossible de télécharger X : raison. »
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import mimetypes
import os
import re
import stat
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message as EmailMessage
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import httpx

from gazette_tui import i18n
from gazette_tui.core.feeds.fetch import CHUNK, _connect_code, make_http_client
from gazette_tui.core.files import PRIVATE_FILE, move_into_place, reason, write_atomic
from gazette_tui.core.settings import DownloadSettings
from gazette_tui.errors import GazetteError, Message, message
from gazette_tui.text import safe_url

MAX_REDIRECTS = 8
"""Podcast addresses often pass through a counter or two before the file."""
STALL_SECONDS = 60.0
STALL_BYTES = 16 * 1024
"""Less than this in :data:`STALL_SECONDS`: the server has stopped sending, whatever it keeps open."""
MAX_NAME_BYTES = 180
"""Of a file name, UTF-8: room for « (12) », the part's suffix, and every file system's 255."""
PART = ".part"
_WINDOWS_RESERVED = re.compile(r"^(?:con|prn|aux|nul|com\d|lpt\d)(?:\..*)?$", re.IGNORECASE)
_UNSAFE_CHARS = re.compile(r'[<>:"/\\|?*]')
_CONTENT_RANGE = re.compile(r"^\s*bytes\s+(\d{1,18})-(\d{1,18})/(\d{1,18}|\*)\s*$", re.IGNORECASE)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class DownloadError(GazetteError):
    """An attachment could not be downloaded. ``kept`` bytes wait in the part file for the next try."""

    def __init__(self, code: str, /, *, kept: int = 0, **params: object) -> None:
        super().__init__(code, **params)
        self.kept = kept


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a download is: ``done`` bytes of ``total`` (None: the server does not say)."""

    done: int
    total: int | None


@dataclass(frozen=True, slots=True)
class Downloaded:
    path: Path
    size: int
    resumed_from: int
    """Bytes a part file already held and the server did not send again (0: from the start)."""


# -- names -------------------------------------------------------------------------------------------


def safe_file_name(raw: str, content_type: str = "") -> str:
    """A name for a file in the download folder from what a server or a feed says: the last part of a
    path only (``../../.bashrc`` is « bashrc »), no control, format (bidi) or reserved character, no
    leading dot (never a hidden file), no trailing dot or space, not a name Windows reserves, at most
    :data:`MAX_NAME_BYTES`, its extension kept. An empty result is « download », with an extension from
    ``content_type`` when it names one."""
    text = unicodedata.normalize("NFC", raw.replace("\\", "/").rsplit("/", 1)[-1])
    text = "".join(
        "_" if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn") else ch for ch in text
    )
    text = _UNSAFE_CHARS.sub("_", text).strip().lstrip(".").rstrip(". ")
    text = re.sub(r"_{2,}", "_", text).strip("_ ") if set(text) <= {"_", " ", "."} else text
    if not text:
        text = "download"
    if "." not in text.strip("."):
        extension = mimetypes.guess_extension(content_type.split(";")[0].strip().lower()) or ""
        text += extension
    if _WINDOWS_RESERVED.match(text):
        text = f"_{text}"
    return _shorten(text)


def _shorten(name: str) -> str:
    if len(name.encode()) <= MAX_NAME_BYTES:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > 16:
        stem, extension = name, ""
    room = MAX_NAME_BYTES - len(extension.encode()) - (1 if extension else 0)
    cut = stem.encode()[:room].decode("utf-8", "ignore").rstrip(". ")
    return f"{cut}.{extension}" if extension else cut


def name_from_disposition(header: str) -> str:
    """The file name a ``Content-Disposition`` gives (``filename*`` first, RFC 6266), or ""."""
    if not header:
        return ""
    parsed = EmailMessage()
    parsed["content-disposition"] = header
    try:
        name = parsed.get_filename() or ""
    except (ValueError, LookupError):
        return ""
    return name if isinstance(name, str) else ""


def name_from_url(url: str) -> str:
    """The last part of an address's path, decoded (« épisode 12.mp3 »), or ""."""
    return unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])


def download_folder(settings: DownloadSettings) -> Path:
    """``downloads.folder`` (``~`` expanded), else the system's download folder."""
    if settings.folder:
        return Path(settings.folder).expanduser()
    import platformdirs

    return Path(platformdirs.user_downloads_dir())


def part_path(folder: Path, url: str) -> Path:
    """The part file of ``url``: one per address, named so a person knows what it is."""
    digest = hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    stem = _shorten(safe_file_name(name_from_url(url)))
    return folder / f"{stem}.{digest}{PART}"


def _state_path(part: Path) -> Path:
    return part.with_name(f".{part.name}.json")


def human_size(size: int, lang: str | None = None) -> str:
    """A byte count for a sentence: « 2 Gio », « 1,5 Mio » in French, "2 GiB", "1.5 MiB" in English."""
    french = (lang or i18n.language()) != "en"
    units = ("Gio", "Mio", "Kio", "o") if french else ("GiB", "MiB", "KiB", "B")
    space = "\u00a0" if french else " "
    for unit, scale in zip(units, (1 << 30, 1 << 20, 1 << 10, 1), strict=True):
        if size >= scale or scale == 1:
            value = size / scale
            text = f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"
            return f"{text.replace('.', ',') if french else text}{space}{unit}"
    return str(size)  # pragma: no cover - the loop ends on scale 1


# -- the part file -----------------------------------------------------------------------------------


@dataclass(slots=True)
class _State:
    """What the server said of the file the part holds the beginning of."""

    url: str
    validator: str = ""
    """A strong ETag or a Last-Modified date: the ``If-Range`` that resumes only the same file."""
    total: int | None = None
    name: str = ""


def _read_state(part: Path, url: str) -> _State | None:
    try:
        found = json.loads(_state_path(part).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(found, dict) or found.get("url") != url:
        return None
    total = found.get("total")
    return _State(
        url=url,
        validator=str(found.get("validator") or ""),
        total=total if isinstance(total, int) and not isinstance(total, bool) and total >= 0 else None,
        name=str(found.get("name") or ""),
    )


def _write_state(part: Path, state: _State) -> None:
    data = {"url": state.url, "validator": state.validator, "total": state.total, "name": state.name}
    write_atomic(_state_path(part), json.dumps(data, ensure_ascii=False))


def _open_part(part: Path, name: str) -> int:
    """The part file, created 0600 or opened as it is, never through a symlink, locked for this download."""
    try:
        fd = os.open(part, os.O_RDWR | os.O_CREAT | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0), PRIVATE_FILE)
    except OSError as error:
        raise DownloadError("download.failed", name=name, reason=reason(error, part)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise DownloadError("download.failed", name=name, reason=message("file.not_regular"))
        if os.name == "posix":
            import fcntl

            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                raise DownloadError("download.failed", name=name, reason=message("download.busy")) from None
    except BaseException:
        os.close(fd)
        raise
    return fd


def _discard(part: Path) -> None:
    for path in (part, _state_path(part)):
        with contextlib.suppress(OSError):
            path.unlink()


def _strong_validator(response: httpx.Response) -> str:
    etag = str(response.headers.get("etag", "")).strip()
    if etag and not etag.startswith("W/"):
        return etag
    return str(response.headers.get("last-modified", "")).strip()


def _declared_length(response: httpx.Response) -> int | None:
    value = response.headers.get("content-length", "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


# -- the download ------------------------------------------------------------------------------------


class _Restart(Exception):
    """The server answered for other bytes than those asked: ask again for the whole file."""


class Downloader:
    """One attachment, from its address to its file. ``on_progress`` is called as the bytes arrive (at
    most every 64 KiB); ``client`` is for tests and for callers that hold one."""

    def __init__(
        self,
        url: str,
        *,
        folder: Path,
        max_bytes: int,
        timeout: float = 30.0,
        proxy: str = "",
        on_progress: Callable[[Progress], None] | None = None,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.url = url
        self.folder = folder
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.proxy = proxy
        self.on_progress = on_progress
        self.client = client
        self.name = safe_file_name(name_from_url(url))

    def _fail(self, code: str, /, *, kept: int = 0, **params: object) -> DownloadError:
        return DownloadError("download.failed", kept=kept, name=self.name, reason=message(code, **params))

    def _reason(self, why: Message, kept: int = 0) -> DownloadError:
        return DownloadError("download.failed", kept=kept, name=self.name, reason=why)

    async def run(self) -> Downloaded:
        checked = safe_url(self.url)
        if checked is None or urlsplit(checked).scheme.lower() not in ("http", "https"):
            raise self._fail("download.not_web")
        self.url = checked
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise self._fail("download.folder", path=self.folder, reason=reason(error, self.folder)) from None
        part = part_path(self.folder, self.url)
        fd = _open_part(part, self.name)
        try:
            return await self._run(part, fd)
        except BaseException:
            if _size(fd) == 0:  # nothing to resume from: leave no empty part behind
                _discard(part)
            raise
        finally:
            os.close(fd)

    async def _run(self, part: Path, fd: int) -> Downloaded:
        state = _read_state(part, self.url)
        offset = os.fstat(fd).st_size if state is not None else 0
        if state is not None and state.total is not None and offset > state.total:
            offset = 0  # more than the whole file: not this file's beginning
        client = self.client or make_http_client(timeout=self.timeout, max_connections=2, proxy=self.proxy)
        try:
            try:
                return await self._attempt(part, fd, state, offset, client)
            except _Restart:
                return await self._attempt(part, fd, None, 0, client)
        except httpx.TimeoutException:
            raise self._fail("fetch.timeout", kept=_size(fd)) from None
        except httpx.ConnectError as error:
            raise self._fail(_connect_code(error), kept=_size(fd)) from None
        except (httpx.RemoteProtocolError, httpx.ReadError) as error:
            said = str(error).lower()
            if isinstance(error, httpx.RemoteProtocolError) and not (
                "closed" in said or "incomplete" in said
            ):
                raise self._fail("fetch.bad_http", kept=_size(fd)) from None
            raise self._fail("download.incomplete", kept=_size(fd)) from None
        except httpx.ProxyError:
            raise self._fail("fetch.proxy_refused", kept=_size(fd)) from None
        except (httpx.UnsupportedProtocol, httpx.InvalidURL):
            raise self._fail("fetch.bad_url", kept=_size(fd)) from None
        except httpx.HTTPError as error:
            raise self._fail("fetch.network", kind=type(error).__name__, kept=_size(fd)) from None
        except OSError as error:  # the disk: full, gone, read-only
            raise self._reason(reason(error, part), kept=_size(fd)) from None
        finally:
            if self.client is None:
                await client.aclose()

    async def _attempt(
        self, part: Path, fd: int, state: _State | None, offset: int, client: httpx.AsyncClient
    ) -> Downloaded:
        headers = {"Accept-Encoding": "identity"}
        if offset > 0 and state is not None:
            headers["Range"] = f"bytes={offset}-"
            if state.validator:
                headers["If-Range"] = state.validator
        current = self.url
        for _hop in range(MAX_REDIRECTS + 1):
            request = client.build_request("GET", current, headers=headers)
            async with asyncio.timeout(self.timeout):
                response = await client.send(request, stream=True)
            try:
                if response.status_code in (301, 302, 303, 307, 308) and "location" in response.headers:
                    target = safe_url(urljoin(current, response.headers["location"]))
                    if target is None or urlsplit(target).scheme.lower() not in ("http", "https"):
                        raise self._fail("fetch.redirect_not_web", kept=offset)
                    current = target
                    continue
                return await self._receive(part, fd, state, offset, response)
            finally:
                await response.aclose()
        raise self._fail("fetch.too_many_redirects", kept=offset)

    async def _receive(
        self, part: Path, fd: int, state: _State | None, offset: int, response: httpx.Response
    ) -> Downloaded:
        status = response.status_code
        encoded = response.headers.get("content-encoding", "identity").strip().lower() not in ("", "identity")
        if status == 416 and state is not None and state.total == offset and offset > 0:
            return self._finish(part, fd, state, offset, offset)  # the part already held it all
        if status in (206, 416) and (offset == 0 or encoded):
            raise _Restart
        if status >= 400:
            raise self._fail("fetch.http_status", status=str(status), kept=offset)
        if status not in (200, 206):
            raise self._fail("fetch.unexpected_status", status=str(status), kept=offset)
        if status == 206:
            match = _CONTENT_RANGE.match(response.headers.get("content-range", ""))
            total = None if match is None or match.group(3) == "*" else int(match.group(3))
            if match is None or int(match.group(1)) != offset:
                raise _Restart
            if state is not None and state.total is not None and total != state.total:
                raise _Restart  # another file under the same address
            start = offset
        else:  # the whole file: the server ignored the range, or the file changed (If-Range)
            start = 0
            length = _declared_length(response)
            total = None if encoded else length
        resumed = start
        disposition = name_from_disposition(response.headers.get("content-disposition", ""))
        name = state.name if state is not None and start else ""
        if not name:  # the server's name, else the feed's (not a CDN's hashed one after redirects)
            raw = disposition or name_from_url(self.url) or name_from_url(str(response.url))
            name = safe_file_name(raw, response.headers.get("content-type", ""))
        self.name = name
        if total is not None and total > self.max_bytes:
            _discard(part)
            raise self._fail("download.too_big", limit=human_size(self.max_bytes))
        if start == 0:
            os.ftruncate(fd, 0)
        validator = "" if encoded else _strong_validator(response)
        new_state = _State(self.url, validator, total, name)
        _write_state(part, new_state)
        done = start
        self._report(done, total)
        window_start, window_bytes = time.monotonic(), 0
        chunks = response.aiter_bytes(CHUNK) if encoded else response.aiter_raw(CHUNK)
        async for chunk in chunks:  # each read within the client's timeout
            if done + len(chunk) > self.max_bytes:
                _discard(part)
                raise self._fail("download.too_big", limit=human_size(self.max_bytes))
            view = memoryview(chunk)
            while view:
                written = os.pwrite(fd, view, done) if hasattr(os, "pwrite") else _write_at(fd, view, done)
                done += written
                view = view[written:]
            window_bytes += len(chunk)
            now = time.monotonic()
            if now - window_start >= STALL_SECONDS:
                if window_bytes < STALL_BYTES:
                    raise self._fail("download.stalled", seconds=int(STALL_SECONDS), kept=done)
                window_start, window_bytes = now, 0
            self._report(done, total)
        if total is not None and done != total:
            raise self._fail("download.incomplete", kept=done)
        return self._finish(part, fd, new_state, done, resumed)

    def _finish(self, part: Path, fd: int, state: _State, size: int, resumed: int) -> Downloaded:
        os.fsync(fd)
        path = move_into_place(part, self.folder, state.name or self.name)
        with contextlib.suppress(OSError):
            _state_path(part).unlink()
        self._report(size, size)
        return Downloaded(path, size, resumed)

    def _report(self, done: int, total: int | None) -> None:
        if self.on_progress is not None:
            self.on_progress(Progress(done, total))


def _write_at(fd: int, data: memoryview, position: int) -> int:
    os.lseek(fd, position, os.SEEK_SET)
    return os.write(fd, data)


def _size(fd: int) -> int:
    try:
        return os.fstat(fd).st_size
    except OSError:
        return 0


async def download(
    url: str,
    settings: DownloadSettings,
    *,
    timeout: float = 30.0,
    proxy: str = "",
    on_progress: Callable[[Progress], None] | None = None,
    client: httpx.AsyncClient | None = None,
) -> Downloaded:
    """Download ``url`` into the folder of ``settings`` within its cap; see the module's docstring."""
    return await Downloader(
        url,
        folder=download_folder(settings),
        max_bytes=settings.max_bytes,
        timeout=timeout,
        proxy=proxy,
        on_progress=on_progress,
        client=client,
    ).run()
