"""First frame in a real terminal: gazette-tui on a large cache beside a bare Textual app, in tmux.

    python benchmarks/tmux_probe.py DATABASE OUT.json [--runs N]

Each run starts a program in a new tmux session (a private server: its own socket, no status line, 160×48)
and polls ``capture-pane`` every few milliseconds until the screen shows what the user waits for:

- **bare**: a Textual app that shows one ``Static`` (``bare_textual.py``), its text on screen. That is the
  floor: interpreter, Textual's imports, the driver, one frame written to a real terminal.
- **gazette-tui**: the installed command, ``--offline``, on a home whose database is a copy of ``DATABASE``,
  until a title of one of its newest articles (the top of the list « Toutes ») is on screen.

The two take turns, run after run, so a busy moment on the machine hits both alike. The clock runs from
just before ``tmux new-session`` to the capture that shows the marker, so tmux's own start and the polling
step (~5 ms) are in both figures; ``over_bare_s`` is the difference of the medians, what gazette-tui adds.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BARE_MARK = "bare-textual-ready"
COLUMNS, ROWS = 160, 48
TIMEOUT_S = 120.0
TITLE_PREFIX = 20  # the list may shorten a title: a prefix of it is what is sure to be drawn


def newest_titles(database: Path, count: int = 40) -> list[str]:
    """Prefixes of the titles at the top of the list of every article (newest first, as the list sorts)."""
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "SELECT title FROM articles ORDER BY published DESC, id DESC LIMIT ?", (count,)
        ).fetchall()
    finally:
        connection.close()
    return [" ".join(str(title).split())[:TITLE_PREFIX] for (title,) in rows if title and title.strip()]


class Tmux:
    """One tmux server on a private socket; one session at a time."""

    def __init__(self, env: dict[str, str], config: Path) -> None:
        self.tmux = shutil.which("tmux") or "tmux"
        self.socket = f"gazette-bench-{uuid.uuid4().hex[:10]}"
        self.env = env
        self.config = config

    def run(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(
            [self.tmux, "-L", self.socket, "-f", str(self.config), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=20,
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)} : {done.stderr.strip()}")
        return done.stdout

    def first_frame(self, command: list[str], markers: list[str]) -> float:
        """Seconds from starting ``command`` until the pane shows one of ``markers``."""
        session = f"s{uuid.uuid4().hex[:8]}"
        words = " ".join(_quote(word) for word in command)
        started = time.perf_counter()
        self.run("new-session", "-d", "-x", str(COLUMNS), "-y", str(ROWS), "-s", session, words)
        try:
            while True:
                screen = self.run("capture-pane", "-p", "-t", session, check=False)
                lines = [_letters(line) for line in screen.splitlines()]
                if any(_letters(marker) in line for marker in markers for line in lines):
                    return time.perf_counter() - started
                if time.perf_counter() - started > TIMEOUT_S:
                    raise TimeoutError(f"rien à l'écran après {TIMEOUT_S:.0f} s :\n{screen}")
                time.sleep(0.003)
        finally:
            self.run("kill-session", "-t", session, check=False)
            time.sleep(0.3)  # the killed program exits and frees its memory before the next run

    def close(self) -> None:
        self.run("kill-server", check=False)


def _letters(text: str) -> str:
    """ASCII letters and digits only: what a title and its drawing on screen surely share, whatever the
    list does to spaces (no-break ones before « : »), apostrophes or the terminal's locale to accents."""
    return re.sub(r"[^A-Za-z0-9]", "", text)


def _quote(word: str) -> str:
    import shlex

    return shlex.quote(word)


def copy_database(database: Path, target: Path) -> None:
    """A consistent copy through SQLite's online backup; the source is opened read-only."""
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()


def gazette_home(database: Path, root: Path) -> tuple[dict[str, str], Path]:
    """A home whose cache is a copy of ``database`` (the launch may write to it), and its environment."""
    home = root / "home"
    data = home / ".local/share/gazette-tui"
    data.mkdir(parents=True)
    target = data / "gazette.db"
    copy_database(database, target)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("TMUX", "LC_"))}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local/share"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_STATE_HOME=str(home / ".local/state"),
        LANG="fr_FR.UTF-8",
        TERM="xterm-256color",
        TMUX_TMPDIR=str(root),
    )
    env.pop("GAZETTE_TUI_DEBUG", None)
    # Textual takes COLUMNS/LINES over the terminal's own size: pytest exports them (80 columns), and at 80
    # the app shows the tree alone, with no list to wait for.
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    return env, target


def gazette_command() -> list[str]:
    script = Path(sys.executable).parent / "gazette-tui"
    return [str(script)] if script.exists() else [sys.executable, "-m", "gazette_tui"]


def probe(database: Path, runs: int) -> dict[str, Any]:
    root = Path(tempfile.mkdtemp(prefix="gz-tx-"))  # short: tmux socket paths are limited to ~100 bytes
    try:
        env, copy = gazette_home(database, root)
        markers = newest_titles(copy)
        if not markers:
            raise SystemExit(f"{database} : aucun article")
        config = root / "tmux.conf"
        config.write_text(
            'set -g status off\nset -g default-shell /bin/sh\nset -g default-terminal "xterm-256color"\n',
            encoding="utf-8",
        )
        tmux = Tmux(env, config)
        bare_command = [sys.executable, str(HERE / "bare_textual.py"), BARE_MARK]
        ours_command = [*gazette_command(), "--offline"]
        bare: list[float] = []
        ours: list[float] = []
        try:
            # One untimed launch of each first: the page cache then holds the interpreter, the libraries
            # and the database, as it does for a user who has launched the app before.
            tmux.first_frame(bare_command, [BARE_MARK])
            tmux.first_frame(ours_command, markers)
            for _ in range(runs):
                bare.append(tmux.first_frame(bare_command, [BARE_MARK]))
                ours.append(tmux.first_frame(ours_command, markers))
        finally:
            tmux.close()
        articles = sqlite3.connect(copy).execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return {
        "articles": articles,
        "terminal": f"tmux {COLUMNS}×{ROWS}",
        "runs": runs,
        "bare_s": statistics.median(bare),
        "gazette_s": statistics.median(ours),
        "over_bare_s": statistics.median(ours) - statistics.median(bare),
        "bare_runs": bare,
        "gazette_runs": ours,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Première image dans tmux, à côté d'une appli Textual nue.")
    parser.add_argument("database", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    if shutil.which("tmux") is None:
        print("tmux absent : apt-get install tmux", file=sys.stderr)
        return 1
    result = probe(args.database, args.runs)
    args.out.write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
