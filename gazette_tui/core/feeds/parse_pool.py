"""Parse worker processes with a wall-clock deadline and a memory ceiling per feed.

A :class:`concurrent.futures.ProcessPoolExecutor` cannot cancel a running job: a worker stuck in a hostile
feed holds its slot until the document is done, and killing it breaks the whole pool. Here each worker is
one process on its own pipe. A feed that passes its deadline costs only its worker: it is killed, a new one
takes its place, the feed is marked "parsing took too long", and the refresh goes on.

Workers start from a fork server (or are spawned), never as a plain fork of the calling process: a fork
copies only the calling thread, and the TUI (or the CLI's thread pool) may hold a lock in another thread at
that instant, which would then stay locked forever in the child.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import sys
import threading
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from gazette_tui.core.storage.codec import pack
from gazette_tui.errors import FeedError, Message, message
from gazette_tui.models import ParsedFeed

# A parse worker may use this much memory beyond what it had when it started (the bound); past it
# allocations fail, the feed is "too big to analyse" and the worker is replaced.
WORKER_MEMORY_BYTES = 256 * 1024 * 1024
TOO_BIG = message("feed.parse_too_big")
WORKER_LOST = message("feed.parse_worker_lost")


def parse_job(
    body: bytes, url: str, content_type: str, known: frozenset[int] = frozenset()
) -> ParsedFeed | Message:
    """One document, in a worker (or inline for small ones). A FeedError comes back as its message (a code
    and parameters, said later in the reader's language). ``known``: see
    :func:`~gazette_tui.core.feeds.parse.parse_feed`."""
    from gazette_tui.core.feeds.parse import parse_feed

    try:
        return parse_feed(body, url, content_type, known)
    except FeedError as error:
        return error.message
    except RecursionError:
        return message("feed.too_deep")
    except MemoryError:
        return TOO_BIG
    except Exception as error:  # a parser bug must cost one feed, not the refresh
        return message("feed.unreadable", kind=type(error).__name__)


def prepare_for_store(feed: ParsedFeed) -> None:
    """Compress each entry's bodies and text here, on the worker's core, as the cache stores them: the
    cache's one writer is the refresh's critical path."""
    for entry in feed.entries:
        if not entry.known:  # nothing of a known item is stored
            entry.stored = (pack(entry.summary_html), pack(entry.content_html), pack(entry.text))


def _limit_memory() -> None:
    """Cap this process's address space at what it uses now plus :data:`WORKER_MEMORY_BYTES`."""
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[0])
        current = pages * os.sysconf("SC_PAGE_SIZE")
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = current + WORKER_MEMORY_BYTES
        if hard == resource.RLIM_INFINITY or limit < hard:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, OSError, ValueError):
        pass  # not Linux: the deadline and the input caps still bound the worker


def _worker(connection: Connection) -> None:
    """A worker's life: lower priority (the UI thread comes first), a memory ceiling, then jobs until the
    pipe closes. ``("parent",)`` answers with the worker's parent (the test that no worker is a plain
    fork of the app)."""
    with contextlib.suppress(OSError, AttributeError):
        os.nice(5)
    _limit_memory()
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        if job == ("parent",):
            connection.send(os.getppid())
            continue
        result = parse_job(*job)  # catches everything, MemoryError included
        try:
            if isinstance(result, ParsedFeed):
                prepare_for_store(result)
            connection.send(result)
        except MemoryError:  # pickling a huge ParsedFeed under the worker's memory ceiling
            connection.send(TOO_BIG)
        except (OSError, ValueError):
            return


def _start_servers(method: str) -> None:
    """Start multiprocessing's resource tracker (and the fork server) with the real stderr in place.

    The tracker hands ``sys.stderr.fileno()`` to the process it spawns. Inside the TUI, Textual's stdio
    capture answers -1, and ``fork_exec`` then refuses with "bad value(s) in fds_to_keep": every feed big
    enough for a worker failed with "Unexpected error (ValueError)". Once both are running, starting a
    worker no longer looks at stderr."""
    from multiprocessing import resource_tracker

    saved = sys.stderr
    try:
        if saved is not sys.__stderr__ and sys.__stderr__ is not None:
            sys.stderr = sys.__stderr__
        resource_tracker.ensure_running()
        if method == "forkserver":
            from multiprocessing import forkserver

            forkserver.ensure_running()
    finally:
        sys.stderr = saved


class _Worker:
    def __init__(self, context: Any) -> None:
        self.connection, child = context.Pipe(duplex=True)
        self.process: BaseProcess = context.Process(target=_worker, args=(child,), daemon=True)
        self.process.start()
        child.close()

    def ask(self, message: tuple[Any, ...], deadline: float) -> tuple[bool, Any]:
        """Send a job and wait for its answer (blocking: runs in a thread). (False, None) on timeout or a
        dead worker."""
        try:
            self.connection.send(message)
            if not self.connection.poll(deadline):
                return False, None
            return True, self.connection.recv()
        except (EOFError, OSError, BrokenPipeError):
            return False, WORKER_LOST

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
            self.process.join(timeout=2)
        with contextlib.suppress(Exception):
            self.connection.close()


class ParsePool:
    """``await pool.parse(body, url, content_type)``: at most ``workers`` documents at once, each within
    ``deadline`` seconds. Workers start on first use; :meth:`close` ends them."""

    def __init__(
        self, workers: int | None = None, *, deadline: float = 10.0, method: str = "forkserver"
    ) -> None:
        self.size = max(1, workers or min(os.cpu_count() or 1, 8))
        self.deadline = deadline
        if method not in multiprocessing.get_all_start_methods():
            method = "spawn"
        self.method = method
        self.context = multiprocessing.get_context(method)
        if method == "forkserver":
            self.context.set_forkserver_preload(["gazette_tui.core.feeds.parse"])
        self._servers_started = False
        self._idle: list[_Worker] = []
        self._started = 0
        self._lock = threading.Lock()
        self._slots: asyncio.Semaphore | None = None
        self._closed = False

    def _take(self) -> _Worker:
        with self._lock:
            if self._idle:
                return self._idle.pop()
            self._started += 1
            if not self._servers_started:
                _start_servers(self.method)
                self._servers_started = True
        return _Worker(self.context)

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            if self._closed:
                worker.kill()
            else:
                self._idle.append(worker)

    def _run(self, message: tuple[Any, ...], deadline: float) -> tuple[bool, Any]:
        worker = self._take()
        answered, result = worker.ask(message, deadline)
        if answered:
            self._give_back(worker)
        else:
            worker.kill()  # stuck or dead: the next job gets a new one
        return answered, result

    async def parse(
        self, body: bytes, url: str, content_type: str, known: frozenset[int] = frozenset()
    ) -> ParsedFeed | Message:
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.size)
        async with self._slots:
            job = (body, url, content_type, known)
            answered, result = await asyncio.to_thread(self._run, job, self.deadline)
        if not answered:
            if isinstance(result, Message):
                return result
            return message("feed.parse_too_slow", seconds=f"{self.deadline:g}")
        return result  # type: ignore[no-any-return]

    async def worker_parent(self) -> int:
        """The parent process id of a worker (tests: it must not be this process)."""
        answered, result = await asyncio.to_thread(self._run, ("parent",), 30.0)
        return int(result) if answered else -1

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for worker in idle:
            with contextlib.suppress(Exception):
                worker.connection.close()  # the worker sees EOF and returns
            worker.process.join(timeout=1)
            if worker.process.is_alive():
                worker.kill()
