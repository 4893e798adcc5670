"""Real file-system faults: a small tmpfs to fill (ENOSPC) or remount read-only (EROFS)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def small_tmpfs(directory: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` on ``directory`` (needs root, which CI has). Without the privilege, the drill
    cannot make a real ENOSPC or EROFS, and fails loudly rather than pretending."""
    directory.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(directory)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, f"these drills need root to mount a tmpfs: {result.stderr}"
    try:
        yield directory
    finally:
        subprocess.run(["umount", "-l", str(directory)], check=False)


def fill(directory: Path, leave: int) -> Path:
    """Fill the file system but ``leave`` bytes."""
    stat = os.statvfs(directory)
    free = stat.f_bavail * stat.f_frsize
    filler = directory / "filler.bin"
    with filler.open("wb") as f:
        f.write(b"\0" * max(free - leave, 0))
    return filler
