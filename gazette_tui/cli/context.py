"""What every command shares: the context (paths, settings, store, opened lazily), output and exit codes."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from gazette_tui.core.paths import Paths
from gazette_tui.core.settings import Settings, load_settings, write_default_config
from gazette_tui.core.storage.store import Store

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


def iso(timestamp: int | None) -> str | None:
    return datetime.fromtimestamp(timestamp, UTC).isoformat() if timestamp is not None else None


class Context:
    """Paths, settings and the store, opened lazily so ``--help`` costs nothing."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.paths = Paths.default("demo" if getattr(args, "demo", False) else None)
        self._settings: Settings | None = None
        self._store: Store | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            # The comments of a new file speak the language of this first run (--lang, else the locale).
            from gazette_tui.i18n import detect_language

            write_default_config(self.paths.config_file, detect_language(getattr(self.args, "lang", None)))
            self._settings = load_settings(self.paths.config_file)
        return self._settings

    def use_language(self) -> str:
        """Set the language of rendered text (dates, labels): --lang, then the setting, then the locale."""
        from gazette_tui.i18n import detect_language, set_language

        return set_language(detect_language(getattr(self.args, "lang", None), self.settings.ui.language))

    @property
    def store(self) -> Store:
        if self._store is None:
            self.settings  # noqa: B018 - a broken settings file is reported first, by any command
            self.paths.ensure()
            self._store = Store(self.paths.database)
            if self._store.meta("seeded") is None and not getattr(self.args, "demo", False):
                from gazette_tui.core.seeds import gazette_feeds

                added = self._store.add_feeds(gazette_feeds())
                self._store.set_meta("seeded", str(int(time.time())))
                if getattr(self.args, "run", None) is not None:  # a headless command; the TUI welcomes
                    self.first_run_note(added)
        return self._store

    def first_run_note(self, added: int) -> None:
        """Say once, on a new profile, what was subscribed on the user's behalf (stderr: JSON stays clean)."""
        from gazette_tui.i18n import plural

        self.use_language()
        note = plural(
            added,
            "First run: subscribed to {count} feed of La Gazette des communes (gazette-tui feeds list).",
            "First run: subscribed to {count} feeds of La Gazette des communes (gazette-tui feeds list).",
        )
        err(note)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def demo_runtime_file() -> Path:
    """Where a running ``demo-server`` says its address: one file for every profile, in the app's cache."""
    from gazette_tui.demo.discovery import RUNTIME_FILE

    return Paths.default().cache_dir / RUNTIME_FILE


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def err(text: str) -> None:
    sys.stderr.write(text + "\n")
