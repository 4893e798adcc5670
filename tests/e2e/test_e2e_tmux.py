"""End to end in a real terminal: the installed ``gazette-tui --demo`` inside tmux, driven with send-keys and
read back with capture-pane, as a user would see it. tmux gets its own socket and a temporary home, and its
server is killed whatever happens."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from gazette_tui.demo.content import articles

pytestmark = pytest.mark.e2e

SESSION = "gazette"
START_TIMEOUT = 20.0
STEP_TIMEOUT = 8.0
KEY_PAUSE = 0.25
EXIT_MARK = "[gazette-tui exit status]"
EXIT_LINE = re.compile(re.escape(EXIT_MARK) + r" (\d+)")


class Terminal:
    """One tmux server on a private socket, one 120×36 session running a command."""

    def __init__(self, tmux: str, socket: str, env: dict[str, str], config: Path) -> None:
        self.tmux = tmux
        self.socket = socket
        self.env = env
        self.config = config

    def start(self, program: Path, *args: str) -> None:
        """Run ``program`` through /bin/sh, which prints its exit status when it ends."""
        words = " ".join(shlex.quote(word) for word in (str(program), *args))
        command = f'{words}; echo "{EXIT_MARK} $?"'
        self.run("-f", str(self.config), "new-session", "-d", "-x", "120", "-y", "36", "-s", SESSION, command)

    def run(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(
            [self.tmux, "-L", self.socket, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=10,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def keys(self, *keys: str) -> None:
        """Type keys at a person's pace: a key can move the focus, and the next one must go where it went
        (Textual moves the focus on its next loop turn, so keys sent in one burst can overtake it)."""
        for key in keys:
            self.run("send-keys", "-t", SESSION, key)
            time.sleep(KEY_PAUSE)

    def screen(self, history: bool = False) -> str:
        """What the pane shows; with ``history``, the lines scrolled off the top too."""
        return self.run("capture-pane", "-p", "-t", SESSION, *(["-S", "-"] if history else []))

    def wait_exit(self, timeout: float = STEP_TIMEOUT) -> tuple[int, str]:
        """Wait for the program's exit status, printed by the shell that started it; returns it and the
        screen. (tmux's own ``#{pane_dead_status}`` is unreliable: tmux 3.3 can mark a pane dead before it
        reaps the child, and sometimes misses the SIGCHLD altogether.)"""
        deadline = time.monotonic() + timeout
        while True:
            # tmux's "Pane is dead" line can scroll the status line off the screen: read the history too.
            text = self.screen(history=True)
            found = EXIT_LINE.search(text)
            if found is not None:
                return int(found.group(1)), text
            if time.monotonic() > deadline:
                raise AssertionError(f"the program did not exit within {timeout:.0f} s. Screen:\n{text}")
            time.sleep(0.1)

    def wait_for(self, what: str, check: Callable[[str], bool], timeout: float = STEP_TIMEOUT) -> str:
        """Poll the screen until ``check`` holds; fail with the last screen (and why) otherwise."""
        deadline = time.monotonic() + timeout
        while True:
            text = self.screen()
            if check(text):
                return text
            ended = EXIT_LINE.search(text) is not None
            if ended or time.monotonic() > deadline:
                why = "the program ended" if ended else f"{timeout:.0f} s passed"
                raise AssertionError(f"{why} before the screen showed {what}. Last screen:\n{text}")
            time.sleep(0.1)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    tmux = shutil.which("tmux")
    if tmux is None:
        pytest.fail(
            "tmux is not installed: the end-to-end test needs it (Debian/Ubuntu: apt-get install tmux)"
        )
    home = tmp_path / "home"
    # The socket lives in a short private folder (socket paths are limited to ~100 bytes), removed at the end.
    sockets = Path(tempfile.mkdtemp(prefix="gz-tmux-"))
    env = {key: value for key, value in os.environ.items() if not key.startswith(("TMUX", "LC_"))}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local/share"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_STATE_HOME=str(home / ".local/state"),
        LANG="fr_FR.UTF-8",
        TERM="xterm-256color",
        TZ="Europe/Paris",
        TMUX_TMPDIR=str(sockets),
    )
    # The pane stays after the program exits so its last screen and exit status can be read; no status
    # line, so the program has all 36 rows.
    config = tmp_path / "tmux.conf"
    config.write_text(
        "set -g remain-on-exit on\nset -g status off\nset -g default-shell /bin/sh\n"
        'set -g default-terminal "xterm-256color"\n',
        encoding="utf-8",
    )
    terminal = Terminal(tmux, f"gazette-e2e-{uuid.uuid4().hex[:12]}", env, config)
    try:
        yield terminal
    finally:
        terminal.run("kill-server", check=False)
        shutil.rmtree(sockets, ignore_errors=True)


def test_demo_in_a_real_terminal(terminal: Terminal) -> None:
    """Start the demo, move, open an article, go back, open and close the help, quit: cleanly, exit 0."""
    program = Path(sys.executable).parent / "gazette-tui"
    assert program.is_file(), f"the console script is not installed next to Python: {program}"
    newest, second = articles()[0], articles()[1]

    terminal.start(program, "--demo")

    # The embedded demo site is fetched at start-up: the newest article shows up in the list.
    terminal.wait_for(
        "the demo articles",
        lambda s: newest.title[:30] in s and "Toutes" in s and "Non lus" in s and "Démo" in s,
        timeout=START_TIMEOUT,
    )
    # Every demo feed was read: the main one is big enough for a parse worker, which the real terminal
    # (Textual capturing stdio) once made fail with « Erreur inattendue ».
    refreshed = terminal.wait_for(
        "the first refresh's summary", lambda s: "nouveaux articles" in s, timeout=START_TIMEOUT
    )
    assert "en erreur" not in refreshed, refreshed

    # Tree → list, one down, open: the reader shows the second article as the site does.
    terminal.keys("l", "j", "Enter")
    terminal.wait_for(
        "the reader",
        lambda s: "Publié le" in s and second.kicker.upper() in s and second.author in s,
    )

    # Back to the list, one more down, open: the reader follows the keyboard.
    third = articles()[2]
    terminal.keys("Escape", "j", "Enter")
    terminal.wait_for("the next article", lambda s: third.author in s and third.kicker.upper() in s)
    terminal.keys("Escape")

    terminal.keys("?")
    # The help: its title and the header of its table of keys (the rows change as keys are added).
    terminal.wait_for(
        "the help", lambda s: "gazette-tui — touches" in s and re.search(r"Touches +Action", s) is not None
    )
    terminal.keys("Escape")
    terminal.wait_for("the help closed", lambda s: "gazette-tui — touches" not in s and "Toutes" in s)

    terminal.keys("Q")  # quits from anywhere (q goes back one level, and quits from the feeds)
    status, screen = terminal.wait_exit()
    assert status == 0, f"exit status {status}. Last screen:\n{screen}"
    assert "Traceback" not in screen, screen
    assert "Erreur" not in screen, screen


def test_a_login_typed_in_one_burst_keeps_the_password_hidden(terminal: Terminal) -> None:
    """A password manager (or a paste) types the email, Tab and the password in one go: ONE send-keys call.
    0.1.0 put the password in the email field, in clear, and left the password field empty."""
    from gazette_tui.demo.account import DEMO_EMAIL, DEMO_PASSWORD

    program = Path(sys.executable).parent / "gazette-tui"
    terminal.start(program, "--demo")
    terminal.wait_for("the demo articles", lambda s: articles()[0].title[:30] in s, timeout=START_TIMEOUT)
    terminal.keys("C")
    terminal.wait_for(
        "the login screen", lambda s: "Connexion — La Gazette de démonstration" in s and "Mot de passe" in s
    )

    terminal.run("send-keys", "-t", SESSION, DEMO_EMAIL, "Tab", DEMO_PASSWORD)
    screen = terminal.wait_for(
        "the email and a masked password", lambda s: DEMO_EMAIL in s and "•" * len(DEMO_PASSWORD) in s
    )
    assert DEMO_PASSWORD not in screen, screen

    # Enter logs in with what was typed: the password was in its own field.
    terminal.keys("Enter")
    terminal.wait_for(
        "the logged-in account in the status bar",
        lambda s: "Connexion — La Gazette de démonstration" not in s and DEMO_EMAIL in s,
    )
    assert DEMO_PASSWORD not in terminal.screen(history=True)
    terminal.keys("Q")  # quits from anywhere (q goes back one level, and quits from the feeds)
    status, screen = terminal.wait_exit()
    assert status == 0, f"exit status {status}. Last screen:\n{screen}"
    assert DEMO_PASSWORD not in screen, screen
    assert "Traceback" not in screen, screen


def test_the_demo_keeps_working_after_a_restart_on_another_port(terminal: Terminal) -> None:
    """Run the demo, quit, hold the port it had, run it again: it serves on another port, and what the
    first run stored (feeds, article links) follows it: every feed is reached, nothing is ⚠, no « Hors
    ligne », no feed twice."""
    import socket

    from gazette_tui.core.storage.store import Store

    program = Path(sys.executable).parent / "gazette-tui"
    database = Path(terminal.env["XDG_DATA_HOME"]) / "gazette-tui" / "profile-demo" / "gazette.db"

    terminal.start(program, "--demo")
    terminal.wait_for("the first refresh", lambda s: "nouveaux articles" in s, timeout=START_TIMEOUT)
    terminal.keys("Q")
    status, screen = terminal.wait_exit()
    assert status == 0, screen
    with Store(database) as store:
        first_origin = store.meta("local_site.origin")
        first_feeds = len(store.feeds())
    assert first_origin is not None
    assert first_origin.startswith("http://127.0.0.1:")

    with socket.socket() as holder:  # another program now has the port the demo had
        holder.bind(("127.0.0.1", int(first_origin.rsplit(":", 1)[1])))
        holder.listen()
        terminal.run("kill-session", "-t", SESSION)
        terminal.start(program, "--demo")
        screen = terminal.wait_for(
            "the second run's refresh",
            lambda s: re.search(r"\d+ nouvel", s) is not None,
            timeout=START_TIMEOUT,
        )
        assert "⚠" not in screen, screen
        assert "Hors ligne" not in screen, screen
        assert "en erreur" not in screen, screen
        terminal.keys("Q")
        status, screen = terminal.wait_exit()
        assert status == 0, screen
    with Store(database) as store:
        moved_to = store.meta("local_site.origin")
        feeds = store.feeds()
        urls = [store.article(i).url for i in store.article_ids()]
    assert moved_to is not None
    assert moved_to != first_origin
    assert len(feeds) == first_feeds
    assert all(f.url.startswith(moved_to + "/") and f.last_error is None for f in feeds)
    assert urls
    assert all(url.startswith(moved_to + "/") for url in urls)


def test_an_english_session_in_a_real_terminal(terminal: Terminal) -> None:
    """The same walk with LANG=en_US.UTF-8: the chrome (tree, status, reader, help, search) is English and
    none of its French labels shows; the articles themselves stay in the paper's French."""
    program = Path(sys.executable).parent / "gazette-tui"
    terminal.env["LANG"] = "en_US.UTF-8"
    newest, second = articles()[0], articles()[1]
    terminal.start(program, "--demo")
    screen = terminal.wait_for(
        "the demo articles in English",
        lambda s: newest.title[:30] in s and "All" in s and "Unread" in s and "Demo" in s,
        timeout=START_TIMEOUT,
    )
    refreshed = terminal.wait_for(
        "the first refresh's summary", lambda s: "new article" in s, timeout=START_TIMEOUT
    )
    french_chrome = ("Toutes", "Non lus", "Mes dossiers", "nouveaux articles", "Hors ligne", "Publié le")
    for text in (screen, refreshed):
        assert not [label for label in french_chrome if label in text], text

    terminal.keys("l", "j", "Enter")
    reader = terminal.wait_for(
        "the reader in English", lambda s: "Published on" in s and second.author in s and " by " in s.lower()
    )
    assert "Publié le" not in reader, reader
    terminal.keys("Escape", "?")
    helped = terminal.wait_for(
        "the help in English",
        lambda s: "gazette-tui — keys" in s and re.search(r"Keys +Action", s) is not None,
    )
    assert "touches" not in helped, helped
    terminal.keys("Escape", "/")
    terminal.keys(*"budget")
    terminal.wait_for("search results in English", lambda s: re.search(r"\d+ results?", s) is not None)
    terminal.keys("Escape", "Q")
    status, last = terminal.wait_exit()
    assert status == 0, f"exit status {status}. Last screen:\n{last}"
    assert "Traceback" not in last, last


def test_adding_a_feed_from_a_site_address_in_a_real_terminal(terminal: Terminal, httpserver: object) -> None:
    """In the demo: i, a website's address (the loopback town site), enter: its three feeds are listed with
    their previews; ↓ and enter subscribe to the second, which is fetched and shown in the tree."""
    from support.sites import MINUTES_TITLE, NEWS_TITLE, serve_mairie

    site = serve_mairie(httpserver)  # type: ignore[arg-type]
    program = Path(sys.executable).parent / "gazette-tui"
    terminal.start(program, "--demo")
    terminal.wait_for("the first refresh", lambda s: "nouveaux articles" in s, timeout=START_TIMEOUT)

    terminal.keys("i")
    terminal.wait_for("the add-feed dialog", lambda s: "Ajouter un flux" in s and "Adresse d’un flux" in s)
    terminal.run("send-keys", "-t", SESSION, "-l", site.url("/"))
    terminal.keys("Enter")
    found = terminal.wait_for(
        "the feeds found, with their previews",
        lambda s: "3 flux trouvés" in s.replace("\u00a0", " ") and MINUTES_TITLE in s,
    )
    assert NEWS_TITLE in found, found
    assert "RSS · 4 articles · dernier le 20/11/2026" in found.replace("\u00a0", " "), found

    terminal.keys("Down", "Enter")
    shown = terminal.wait_for(
        "the new feed in the tree, its articles in the list",
        lambda s: "Ajouter un flux" not in s and "Séance du 18 novembre 2026" in s,
    )
    assert "Délibérations du con" in shown, shown  # its line in the tree (cut to the pane's width)
    terminal.keys("Q")
    status, screen = terminal.wait_exit()
    assert status == 0, f"exit status {status}. Last screen:\n{screen}"
    assert "Traceback" not in screen, screen
