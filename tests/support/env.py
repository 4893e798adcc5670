"""Environments for subprocesses that must not touch the real home."""

from __future__ import annotations

import os
from pathlib import Path


def xdg_env(home: Path) -> dict[str, str]:
    """Environment for a subprocess with its own temporary home."""
    env = dict(os.environ)
    env.update(
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_STATE_HOME=str(home / "state"),
        HOME=str(home),
    )
    return env
