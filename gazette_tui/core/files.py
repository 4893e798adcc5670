"""Writing files so that a crash, a full disk or a planted symlink never costs the file that was there.

Every file gazette-tui writes (the settings, OPML and dossier exports, backups) goes through
:func:`write_atomic` or :func:`atomic_target`:

- **Atomic.** The new content goes into a temporary file in the target's folder, is flushed and fsynced, and
  is renamed over the target (``os.replace``); then the folder is fsynced, so the rename survives a power cut.
  A ``kill -9``, a full disk or any error before the rename leaves the old file byte for byte (the temporary
  file is removed, except after ``kill -9``: :func:`sweep_temporaries` clears those in our own folders).
- **Never through a symlink we did not make.** The temporary file is created with
  ``O_CREAT | O_EXCL | O_NOFOLLOW`` under a random name: a link planted at any name beside the target makes
  the creation fail (we retry under another name) instead of being followed. A symlink *at the target* is
  replaced by the new file (a rename acts on the link, not on what it points to): the file it pointed to is
  never written. A target that is, or links to, a folder, a device or a pipe (``/dev/stdout``) is refused.
- **Private.** New files are 0600, our folders 0700; :func:`tighten` removes the group and other bits an older
  version left on existing ones, and :func:`private_umask` makes the files SQLite creates (the database) 0600
  too. On Windows, where ``chmod`` only toggles the read-only flag, these are no-ops.

Errors become a :class:`WriteError` whose message is one plain French sentence naming the file and the cause.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from gazette_tui.errors import GazetteError, Message, WriteError, detail, message

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
PRIVATE_UMASK = 0o077
_POSIX = os.name == "posix"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
_CREATE |= getattr(os, "O_BINARY", 0)  # Windows: no newline translation
_ATTEMPTS = 16
# ".config.toml.0123456789abcdef.tmp", and what SQLite adds beside a backup in progress.
_TEMPORARY = re.compile(r"^\..+\.[0-9a-f]{16}\.tmp(?:-journal|-wal|-shm)?$")
_user_umask: int | None = None


def temporary_name(name: str) -> str:
    """A fresh, unpredictable name beside ``name`` (hidden, and under 255 bytes whatever ``name``)."""
    stem = name.encode("utf-8", "surrogateescape")[:200].decode("utf-8", "ignore")
    return f".{stem}.{secrets.token_hex(8)}.tmp"


# -- messages ---------------------------------------------------------------------------------------

_REASONS = {
    errno.ENOSPC: "file.disk_full",
    errno.EROFS: "file.read_only",
    errno.EACCES: "file.denied",
    errno.EPERM: "file.denied",
    errno.EISDIR: "file.is_folder",
    errno.ENOTDIR: "file.not_folder",
    errno.ENAMETOOLONG: "file.name_too_long",
    errno.EIO: "file.io",
    errno.ELOOP: "file.loop",
    errno.EEXIST: "file.no_temporary",
}
if hasattr(errno, "EDQUOT"):
    _REASONS[errno.EDQUOT] = "file.quota"


def _shown(text: Path | str) -> str:
    """On one line: a control character in a path must not break the sentence (or the terminal)."""
    return "".join(ch if ch.isprintable() else "?" for ch in str(text))


class NotRegularFile(OSError):
    """The target is a device, a pipe or a socket (``/dev/stdout``, a FIFO): there is nothing to replace."""


def reason(error: BaseException, path: Path) -> Message:
    """Why a write failed, in a few words (OSError by errno; SQLite errors by their text); an error of ours
    says its own message."""
    if isinstance(error, GazetteError):
        return error.message
    if isinstance(error, NotRegularFile):
        return message("file.not_regular")
    if isinstance(error, OSError):
        if error.errno == errno.ENOENT:
            return message("file.no_folder", path=path.parent)
        if error.errno in _REASONS:
            return message(_REASONS[error.errno])
        text = error.strerror or str(error)
    else:
        text = str(error)
        lowered = text.lower()
        if "disk is full" in lowered or "database or disk is full" in lowered:
            return message(_REASONS[errno.ENOSPC])
        if "readonly" in lowered or "read-only" in lowered:
            return message(_REASONS[errno.EROFS])
        if "unable to open" in lowered:
            return message("file.folder_unreachable", path=path.parent)
    return detail(_shown(text.rstrip(". ")))


def read_reason(error: BaseException, path: Path) -> Message:
    """Why a file could not be read, in a few words: as :func:`reason`, but a missing file is said so (the
    OS's own words, English whatever the language, are never shown for the common cases)."""
    if isinstance(error, OSError) and error.errno == errno.ENOENT:
        return message("file.not_found")
    if isinstance(error, UnicodeDecodeError):
        return message("file.not_utf8")
    return reason(error, path)


def write_failure(path: Path, error: BaseException, action: str = "file.cannot_write") -> WriteError:
    """The error to raise: "Cannot write PATH: REASON; nothing was changed." (``action`` is the code of what
    failed, whose ``{path}`` is the path)."""
    return WriteError("file.write_failed", action=message(action, path=path), reason=reason(error, path))


# -- atomic replacement -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Staged:
    """The temporary file of :func:`atomic_target`: ``fd`` open for writing, ``path`` for code that opens it
    by name (SQLite's backup)."""

    fd: int
    path: Path


@contextmanager
def _folder(folder: Path) -> Iterator[int | None]:
    """The folder held open, so that creating, renaming and removing all act on the same folder (POSIX).
    None where that is not possible (Windows; a folder we may write in but not list): we then work by path."""
    fd: int | None = None
    if _POSIX and os.open in os.supports_dir_fd:
        with suppress(PermissionError):
            fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        yield fd
    finally:
        if fd is not None:
            os.close(fd)


_SYSTEM_LINKS = ("/dev/", "/proc/")
"""Where a link leads to a stream, not a file: ``/dev/stdout`` → ``/proc/self/fd/1`` → whatever the shell
redirected, a regular file included (a rename would put our file in place of the system's link)."""
_HOPS = 40


def _leads_through_system_links(path: Path) -> bool:
    """Whether ``path`` is a symlink whose chain passes through ``/dev`` or ``/proc``; each hop is read,
    never resolved, since ``/proc/self/fd/N`` resolves to the file behind the descriptor."""
    hop = str(path)
    for _hop in range(_HOPS):
        try:
            target = os.readlink(hop)
        except OSError:
            return False  # not a link (any more): the chain ends
        hop = os.path.normpath(os.path.join(os.path.dirname(hop), target))
        if hop.startswith(_SYSTEM_LINKS) or hop in ("/dev", "/proc"):
            return True
    return True  # a loop: refused like a device


def _check_target(path: Path) -> None:
    """Refuse a target that a rename would wrongly replace: a folder, a device or a pipe, or a symlink to one
    (a link to the user's exports folder), or a link through ``/dev`` or ``/proc`` whatever it leads to
    (``/dev/stdout`` with the output redirected to a file). A regular file, a link to one, a dangling link or
    nothing at all are fine."""
    if _leads_through_system_links(path):
        raise NotRegularFile(errno.EINVAL, "not a regular file", str(path))
    try:
        info = os.stat(path)  # through a link: what the user meant by that name
    except OSError:
        return
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
    if not stat.S_ISREG(info.st_mode):
        raise NotRegularFile(errno.EINVAL, "not a regular file", str(path))


def _create(folder: Path, name: str, dir_fd: int | None, mode: int) -> tuple[int, str]:
    for _attempt in range(_ATTEMPTS):
        temp = temporary_name(name)
        try:
            return os.open(temp if dir_fd is not None else folder / temp, _CREATE, mode, dir_fd=dir_fd), temp
        except FileExistsError:
            continue  # anything at that name, a planted symlink included, is left alone
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(folder))


@contextmanager
def atomic_target(path: Path, *, mode: int = PRIVATE_FILE) -> Iterator[Staged]:
    """Stage a new ``path``: write to the yielded file; on a normal exit it is fsynced and renamed over
    ``path``, on an exception it is removed and ``path`` is left as it was. Raises OSError (callers turn it
    into :func:`write_failure`)."""
    folder = path.parent
    _check_target(path)
    with _folder(folder) as dir_fd:
        fd, temp = _create(folder, path.name, dir_fd, mode)
        closed = False
        try:
            if _POSIX:
                os.fchmod(fd, mode)  # exactly ``mode``, whatever the umask
            yield Staged(fd, folder / temp)
            os.fsync(fd)
            closed = True
            os.close(fd)
            if dir_fd is not None:
                os.replace(temp, path.name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
            else:
                os.replace(folder / temp, path)
        except BaseException:
            if not closed:
                os.close(fd)
            with suppress(OSError):
                if dir_fd is not None:
                    os.unlink(temp, dir_fd=dir_fd)
                else:
                    os.unlink(folder / temp)
            raise
        if dir_fd is not None:
            # The rename is done: a folder that cannot be fsynced (some network file systems) changes nothing.
            with suppress(OSError):
                os.fsync(dir_fd)


def write_atomic(path: Path, data: bytes | str, *, mode: int = PRIVATE_FILE) -> None:
    """Replace ``path`` with ``data`` (str is written as UTF-8) atomically; see the module docstring.
    Raises :class:`WriteError` with a plain sentence; the old file is then untouched."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        with atomic_target(path, mode=mode) as staged:
            view = memoryview(payload)
            while view:
                view = view[os.write(staged.fd, view) :]
    except OSError as error:
        raise write_failure(path, error) from None


def numbered_name(name: str, number: int) -> str:
    """``name`` for the ``number``-th file that wants it: « épisode.mp3 », « épisode (2).mp3 »… (the
    extension stays last, so the file still opens with the right program)."""
    if number <= 1:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem:
        return f"{name} ({number})"
    return f"{stem} ({number}).{extension}"


def move_into_place(source: Path, folder: Path, name: str, *, attempts: int = 1000) -> Path:
    """Move the finished file ``source`` into ``folder`` under ``name``, or « name (2) », « name (3) »… when
    it is taken: a file already there is never replaced. The free name is claimed first (``O_EXCL``, never
    through a symlink), then ``source`` is renamed over that empty claim, atomically; on the same file
    system as ``source`` (a download's ``.part`` sits in its folder). Returns the path; raises OSError."""
    for number in range(1, attempts + 1):
        target = folder / numbered_name(name, number)
        try:
            fd = os.open(target, _CREATE, PRIVATE_FILE)
        except FileExistsError:
            continue
        os.close(fd)
        try:
            os.replace(source, target)
        except BaseException:
            with suppress(OSError):
                os.unlink(target)
            raise
        with _folder(folder) as dir_fd:
            if dir_fd is not None:
                with suppress(OSError):
                    os.fsync(dir_fd)
        return target
    raise FileExistsError(errno.EEXIST, "no free name", str(folder / name))


# -- private folders and files ----------------------------------------------------------------------


def tighten(path: Path, mode: int) -> None:
    """Drop the permission bits of an existing file or folder of ours that ``mode`` does not have (0644 →
    0600, 0755 → 0700). Never through a symlink, never on another user's file; any failure (a read-only
    disk, a file that is not there) leaves it as it is."""
    if not _POSIX:
        return
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return  # absent, a symlink (ELOOP), or unreadable
    try:
        info = os.fstat(fd)
        current = stat.S_IMODE(info.st_mode)
        kind_ok = stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)
        if kind_ok and info.st_uid == os.getuid() and current & ~mode:
            os.fchmod(fd, current & mode)
    except OSError:
        pass
    finally:
        os.close(fd)


def make_private_dir(folder: Path) -> None:
    """Create ``folder`` (and its parents) if needed; ``folder`` itself ends up 0700. Raises WriteError."""
    try:
        folder.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    except OSError as error:
        raise WriteError("file.cannot_make_folder", path=folder, reason=reason(error, folder)) from None
    tighten(folder, PRIVATE_DIR)


def sweep_temporaries(folder: Path, older_than: float = 3600.0) -> None:
    """Remove our temporary files left in ``folder`` by a ``kill -9`` (never a fresh one: another process
    may be writing it)."""
    try:
        names = [name for name in os.listdir(folder) if _TEMPORARY.match(name)]
    except OSError:
        return
    limit = time.time() - older_than
    for name in names:
        candidate = folder / name
        with suppress(OSError):
            info = candidate.lstat()
            if stat.S_ISREG(info.st_mode) and info.st_mtime < limit:
                candidate.unlink()


def remove_temporaries_of(path: Path) -> None:
    """Remove the temporary files a ``kill -9`` left while :func:`write_atomic` staged ``path``, whatever
    their age: only for a caller that holds a lock under which nobody else can be writing ``path``."""
    stem = temporary_name(path.name)[: -len(".0123456789abcdef.tmp")]
    pattern = re.compile(re.escape(stem) + r"\.[0-9a-f]{16}\.tmp$")
    try:
        names = [name for name in os.listdir(path.parent) if pattern.match(name)]
    except OSError:
        return
    for name in names:
        candidate = path.parent / name
        with suppress(OSError):
            if stat.S_ISREG(candidate.lstat().st_mode):
                candidate.unlink()


@contextmanager
def private_umask() -> Iterator[None]:
    """Run the CLI or the TUI with umask 077: whatever the process creates without an explicit mode (the
    database SQLite makes on a first run, the folders of a repair) is private. SQLite gives its -wal and -shm
    files the database's own mode. Programs we launch get the user's umask back (:func:`user_umask`)."""
    global _user_umask
    previous = os.umask(PRIVATE_UMASK)
    outer, _user_umask = _user_umask, previous
    try:
        yield
    finally:
        _user_umask = outer
        os.umask(previous)


@contextmanager
def user_umask() -> Iterator[None]:
    """The user's own umask while a program is launched (a browser must not make its downloads 0600)."""
    if _user_umask is None:
        yield
        return
    previous = os.umask(_user_umask)
    try:
        yield
    finally:
        os.umask(previous)
