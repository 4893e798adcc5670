"""Where gazette-tui keeps its files, through platformdirs.

Nothing is read at import time: callers build a :class:`Paths` (the CLI and the app factory do), so tests and
benchmarks can point everything at a temporary home with the XDG variables or an explicit root.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import platformdirs

from gazette_tui.core.files import PRIVATE_DIR, PRIVATE_FILE, make_private_dir, sweep_temporaries, tighten

APP = "gazette-tui"


@dataclass(frozen=True)
class Paths:
    config_dir: Path
    data_dir: Path
    cache_dir: Path
    log_dir: Path

    @classmethod
    def default(cls, profile: str | None = None) -> Paths:
        """The user's directories; ``profile`` (e.g. ``"demo"``) gives a separate set under each of them."""
        paths = cls(
            config_dir=Path(platformdirs.user_config_dir(APP, appauthor=False)),
            data_dir=Path(platformdirs.user_data_dir(APP, appauthor=False)),
            cache_dir=Path(platformdirs.user_cache_dir(APP, appauthor=False)),
            log_dir=Path(platformdirs.user_log_dir(APP, appauthor=False)),
        )
        return paths.for_profile(profile) if profile else paths

    @classmethod
    def under(cls, root: Path) -> Paths:
        """Everything below one folder (tests, benchmarks)."""
        return cls(root / "config", root / "data", root / "cache", root / "log")

    def for_profile(self, profile: str) -> Paths:
        sub = f"profile-{profile}"
        return Paths(self.config_dir / sub, self.data_dir / sub, self.cache_dir / sub, self.log_dir / sub)

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def database(self) -> Path:
        return self.data_dir / "gazette.db"

    @property
    def log_file(self) -> Path:
        """The current log (``core/logs.py``); the rotated ones beside it end in ``.1``, ``.2``, ``.3``."""
        return self.log_dir / "gazette-tui.log"

    def ensure(self) -> None:
        """Create our folders, 0700, and tighten what an older version left readable by others: the folders
        to 0700; the database, its -wal/-shm and config.toml to 0600 (``core/files.py``; no-ops on Windows).
        Run before the database is opened: SQLite gives new -wal/-shm files the database's mode."""
        for folder in (self.config_dir, self.data_dir, self.cache_dir, self.log_dir):
            make_private_dir(folder)
            if folder.name.startswith("profile-"):  # gazette-tui/profile-demo: the app's folder is ours too
                tighten(folder.parent, PRIVATE_DIR)
        database = str(self.database)
        for path in (self.config_file, self.database, Path(database + "-wal"), Path(database + "-shm")):
            tighten(path, PRIVATE_FILE)
        for folder in (self.config_dir, self.data_dir):
            sweep_temporaries(folder)
