"""``gazette-tui sync now`` on a terminal: a first sync draws a progress bar, page by page, on standard
error; with ``--json``, or into a pipe, nothing but the report."""

from __future__ import annotations

import os
import select
import subprocess
from pathlib import Path

from support.coldsweat import Coldsweat
from support.sync_profiles import new_profile


def _drained(fd: int) -> str:
    chunks = []
    while select.select([fd], [], [], 0.2)[0]:
        try:
            data = os.read(fd, 65536)
        except OSError:  # the other side closed
            break
        if not data:
            break
        chunks.append(data)
    return b"".join(chunks).decode("utf-8", errors="replace")


def test_a_first_sync_draws_its_progress_on_a_terminal(coldsweat: Coldsweat, tmp_path: Path) -> None:
    profile = new_profile(tmp_path, "laptop")
    profile.add_account(coldsweat.url)
    master, slave = os.openpty()
    try:
        done = subprocess.run(
            profile.command("sync", "now"),
            env=profile.env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=slave,
            text=True,
            timeout=120,
            check=False,
        )
        os.close(slave)
        drawn = _drained(master)
    finally:
        os.close(master)
    assert done.returncode == 0, drawn
    assert "Traceback" not in drawn
    frames = [frame.strip() for frame in drawn.split("\r") if "items synced" in frame]
    assert len(frames) >= 2, drawn  # 50 a page: the bar moves as the pages come
    assert frames[-1].startswith("[" + "#" * 30 + "]"), frames[-1]
    assert frames[-1].endswith("items synced"), frames[-1]
    assert frames[0].count("#") < 30  # it started short of the end
    # Into a pipe (cron, a script): no bar, and --json is the report alone.
    piped = profile.cli("sync", "now", "--json")
    assert piped.returncode == 0, piped.stderr
    assert "items synced" not in piped.stderr
