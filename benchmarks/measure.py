"""Run a command and measure it: wall time, CPU time and memory of the whole process tree.

Memory is counted three ways, because a tool that parses in a process pool has several processes:

- ``max_rss_kb``: the kernel's exact peak RSS of the *largest single* process of the tree (``wait4``'s
  ``ru_maxrss`` covers the child and every descendant it reaped). It also counts the forked parent's memory
  before ``exec``, so commands are started by a small :class:`Launcher` process, never by the (large)
  benchmark process itself;
- ``main_hwm_kb`` and ``children_hwm_kb``: each process's own peak (``VmHWM`` in ``/proc/PID/status``),
  sampled every ``interval`` seconds, for the main process and the largest of its descendants;
- ``tree_rss_kb`` / ``tree_pss_kb``: the largest *sum* over the tree seen in one sample. RSS counts pages
  shared after ``fork`` once per process; PSS splits them among sharers, so it is the fairer total.

Sampling can miss a peak shorter than the interval; ``max_rss_kb`` cannot.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import TracebackType


@dataclass(slots=True)
class Measurement:
    wall_s: float
    returncode: int
    user_s: float
    sys_s: float
    max_rss_kb: int
    main_hwm_kb: int
    children_hwm_kb: int
    tree_rss_kb: int
    tree_pss_kb: int
    processes: int
    loadavg: float
    """The 1-minute load average when the command started: a busy machine shows here."""
    stdout: str = field(repr=False, default="")
    stderr: str = field(repr=False, default="")

    def summary(self) -> dict[str, float | int]:
        data = asdict(self)
        del data["stdout"], data["stderr"]
        return data


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(p) for p in handle.read().split()]
        except OSError:
            continue
    return found


def _tree(root: int) -> list[int]:
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo += _children(pid)
    return pids


def _status_kb(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) in kB; zeros once the process is gone."""
    rss = hwm = 0
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1])
    except OSError:
        pass
    return rss, hwm


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeSampler(threading.Thread):
    def __init__(self, root: int, interval: float) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.interval = interval
        self.stop = threading.Event()
        self.hwm: dict[int, int] = {}
        self.tree_rss = 0
        self.tree_pss = 0

    def run(self) -> None:
        while not self.stop.is_set():
            self.sample()
            self.stop.wait(self.interval)

    def sample(self) -> None:
        total_rss = total_pss = 0
        for pid in _tree(self.root):
            rss, hwm = _status_kb(pid)
            if rss == 0 and hwm == 0:
                continue  # gone, or a zombie
            total_rss += rss
            total_pss += _pss_kb(pid)
            self.hwm[pid] = max(self.hwm.get(pid, 0), hwm)
        self.tree_rss = max(self.tree_rss, total_rss)
        self.tree_pss = max(self.tree_pss, total_pss)


def run(
    command: list[str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    interval: float = 0.02,
    timeout: float = 600,
) -> Measurement:
    """Run ``command`` to completion; its output is captured to files (never a pipe that could fill)."""
    loadavg = os.getloadavg()[0]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err
        )
        sampler = TreeSampler(process.pid, interval)
        sampler.start()
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                break
            # wait4 without WNOHANG would block the sampler's last look; poll finely instead.
            time.sleep(0.002)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        sampler.stop.set()
        sampler.join()
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
    children = [hwm for pid, hwm in sampler.hwm.items() if pid != process.pid]
    return Measurement(
        wall_s=wall,
        returncode=process.returncode,
        user_s=usage.ru_utime,
        sys_s=usage.ru_stime,
        max_rss_kb=usage.ru_maxrss,
        main_hwm_kb=sampler.hwm.get(process.pid, 0),
        children_hwm_kb=max(children, default=0),
        tree_rss_kb=sampler.tree_rss,
        tree_pss_kb=sampler.tree_pss,
        processes=len(sampler.hwm),
        loadavg=loadavg,
        stdout=stdout,
        stderr=stderr,
    )


class Launcher:
    """Runs :func:`run` in a small child process started before the benchmark grows (see the module doc).

    ``with Launcher() as launcher: launcher.run([...])``; one command at a time, over a JSON-lines pipe.
    """

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-S", str(Path(__file__).resolve())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def __enter__(self) -> Launcher:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def run(
        self,
        command: list[str],
        *,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
        interval: float = 0.02,
        timeout: float = 600,
    ) -> Measurement:
        assert self._process.stdin is not None
        assert self._process.stdout is not None
        request = {"command": command, "env": env, "cwd": str(cwd) if cwd else None, "interval": interval,
                   "timeout": timeout}  # fmt: skip
        self._process.stdin.write(json.dumps(request) + "\n")
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        if not line:
            raise RuntimeError("le lanceur de mesures s'est arrêté")
        return Measurement(**json.loads(line))

    def close(self) -> None:
        if self._process.stdin:
            self._process.stdin.close()
        self._process.wait(timeout=10)
        if self._process.stdout:
            self._process.stdout.close()


def _serve() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        cwd = request["cwd"]
        result = run(
            request["command"],
            env=request["env"],
            cwd=Path(cwd) if cwd else None,
            interval=request["interval"],
            timeout=request["timeout"],
        )
        sys.stdout.write(json.dumps(asdict(result)) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    _serve()
