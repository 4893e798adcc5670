"""Every file gazette-tui writes is atomic and private, and never written through a symlink we did not make
(``core/files.py``): the settings (first run, theme), the OPML export, the dossier exports (Markdown, HTML)
and backups.

Real files throughout: a real tmpfs filled to the last byte for the full-disk drills (root, as in CI; see
``test_faults.small_tmpfs``), real ``kill -9`` of a process writing in a loop, real symlinks.
"""

from __future__ import annotations

import errno
import hashlib
import os
import random
import re
import signal
import sqlite3
import stat
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from support.disk import fill, small_tmpfs
from support.feeds import item_xml, rss
from support.french import typo
from support.ui import make_app, settle

from gazette_tui.cli import main
from gazette_tui.core import files
from gazette_tui.core.feeds.parse import parse_feed
from gazette_tui.core.library import dossiers
from gazette_tui.core.paths import Paths
from gazette_tui.core.settings import DEFAULT_CONFIG, load_settings, save_setting, write_default_config
from gazette_tui.core.storage.store import ArticleFilter, Store
from gazette_tui.errors import WriteError

SEED = 20261126
NOW = 1795000000


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_one_plain_sentence(message: str, path: Path, cause: str = "le disque est plein") -> None:
    """« Impossible d'écrire PATH : le disque est plein ; rien n'a été modifié. »: one line, one sentence,
    naming the file and the cause, no errno, no traceback."""
    message = message.strip()
    assert "\n" not in message, message
    assert "Traceback" not in message, message
    assert "Errno" not in message, message
    assert message[0].isupper(), message
    assert message.endswith("."), message
    assert str(path) in message, message
    assert typo(cause) in message, message
    assert typo("rien n'a été modifié") in message, message
    assert len(re.findall(r"[.!?](?:\s|$)", message.replace(str(path), "PATH"))) == 1, message


def leftovers(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.endswith(".tmp") or ".part" in name)


def fill_dossier(store: Store, name: str = "Budget") -> int:
    feed = store.add_feed("https://exemple.test/feed/", rubrique="Finances")
    store.record_success(feed.id, parse_feed(rss([item_xml(i) for i in range(3)])), when=NOW)
    dossier = dossiers.create(store, name, "Suivi")
    for article_id in store.article_ids(ArticleFilter(feed_id=feed.id)):
        dossiers.add_article(store, dossier.id, article_id, note="À relire")
    return dossier.id


# -- the helper itself -------------------------------------------------------------------------------


def test_write_atomic_replaces_whole_and_private(tmp_path: Path) -> None:
    target = tmp_path / "fichier.txt"
    previous = os.umask(0)  # the mode is exactly 0600 whatever the umask
    try:
        files.write_atomic(target, "première version\n")
        assert target.read_text(encoding="utf-8") == "première version\n"
        assert mode(target) == 0o600
        target.chmod(0o644)
        files.write_atomic(target, b"\x00seconde")
        assert target.read_bytes() == b"\x00seconde"
        assert mode(target) == 0o600
    finally:
        os.umask(previous)
    assert leftovers(tmp_path) == []


def test_errors_are_one_sentence_and_leave_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "dossier"
    folder.mkdir()
    with pytest.raises(WriteError) as raised:
        files.write_atomic(folder, "x")  # a folder at the target
    assert_one_plain_sentence(str(raised.value), folder, typo("c'est un dossier"))
    missing = tmp_path / "absent" / "x.md"
    with pytest.raises(WriteError) as raised:
        files.write_atomic(missing, "x")
    assert_one_plain_sentence(str(raised.value), missing, typo(f"le dossier {missing.parent} n'existe pas"))
    assert leftovers(tmp_path) == []
    assert leftovers(folder) == []


def test_targets_a_rename_would_wrongly_replace_are_refused(tmp_path: Path) -> None:
    """A link to a folder, a device or a pipe at the target: refused, the link and what it points to kept."""
    folder = tmp_path / "exports"
    folder.mkdir()
    pipe = tmp_path / "tube"
    os.mkfifo(pipe)
    for pointed, cause in [(folder, "c'est un dossier"), (Path("/dev/null"), "pas un fichier ordinaire")]:
        link = tmp_path / f"lien-{pointed.name}"
        link.symlink_to(pointed)
        with pytest.raises(WriteError) as raised:
            files.write_atomic(link, "x")
        assert_one_plain_sentence(str(raised.value), link, cause)
        assert link.is_symlink()
        assert link.resolve() == pointed.resolve()
    with pytest.raises(WriteError, match="pas un fichier ordinaire"):
        files.write_atomic(pipe, "x")
    assert stat.S_ISFIFO(pipe.lstat().st_mode)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert leftovers(tmp_path) == []


def test_a_link_to_the_redirected_standard_output_is_refused(tmp_path: Path) -> None:
    """``/dev/stdout`` with the output sent to a file: the chain of links (→ ``/proc/self/fd/1`` → the file)
    ends on a regular file, but a rename would replace the system's link. Refused; link and file kept."""
    redirected = tmp_path / "redirected.txt"
    with redirected.open("w") as out:
        fd_links = (Path(f"/proc/self/fd/{out.fileno()}"), Path("/dev/fd") / str(out.fileno()))
        for n, pointed in enumerate(fd_links):
            assert pointed.resolve() == redirected  # what the old check saw: a regular file
            link = tmp_path / f"stdout-{n}"
            link.symlink_to(pointed)
            with pytest.raises(WriteError) as raised:
                files.write_atomic(link, "x")
            assert_one_plain_sentence(str(raised.value), link, "pas un fichier ordinaire")
            assert link.is_symlink()
            assert os.readlink(link) == str(pointed)
    assert redirected.read_text() == ""
    assert leftovers(tmp_path) == []


def test_temporary_names_are_unpredictable_and_bounded() -> None:
    names = {files.temporary_name("config.toml") for _ in range(1000)}
    assert len(names) == 1000
    assert all(re.fullmatch(r"\.config\.toml\.[0-9a-f]{16}\.tmp", name) for name in names)
    long_name = "é" * 250 + ".md"
    assert len(files.temporary_name(long_name).encode()) <= 255 - 12


# -- symlinks ----------------------------------------------------------------------------------------

# Names a careless writer would use beside ``name`` (0.1.0 used the first two).
LIKELY = ["{}.part", ".{}.part", "{}.tmp", ".{}.tmp", "{}~", "{}.new", ".{}.swp"]


def writers(tmp_path: Path, store: Store) -> dict[str, Callable[[Path], None]]:
    """Each writer of the app, by name: writes its file at the path given."""
    dossier_id = fill_dossier(store)

    def opml(target: Path) -> None:
        from gazette_tui.core.feeds.opml import write_opml

        # What cmd_export does, without going through the user's real home.
        files.write_atomic(target, write_opml(store.feeds()))

    return {
        "config": lambda target: save_setting(target, "ui", "theme", LONGER_THEME),
        "default-config": write_default_config,
        "opml": opml,
        "dossier-md": lambda t: dossiers.write_export(dossiers.export_markdown(store, dossier_id), t),
        "dossier-html": lambda t: dossiers.write_export(dossiers.export_html(store, dossier_id), t),
        "backup": store.backup,
    }


WRITERS = ["config", "default-config", "opml", "dossier-md", "dossier-html", "backup"]
LONGER_THEME = "catppuccin-mocha"  # longer than the default "textual-dark": the file grows


def page_sized_config() -> str:
    """DEFAULT_CONFIG padded with the user's comments to exactly one 4 KiB page: saving a longer theme then
    needs one page more. A writer that truncates first (0.1.0) frees the old page, then cuts the new file."""
    filler = "# " + "mes notes " * 400
    text = ((DEFAULT_CONFIG + filler).encode()[: 4096 - 1] + b"\n").decode()  # cut in the ASCII filler
    assert len(text.encode()) == 4096
    assert tomllib.loads(text)["ui"]["theme"] == "textual-dark"
    return text


def grow(store: Store) -> None:
    """More data behind every store-derived file (feeds, dossier articles, metadata): the next export or
    backup needs pages more than the one it replaces."""
    dossier = dossiers.get(store, "Budget")
    feed = store.add_feed("https://exemple.test/autre/", rubrique="Autre")
    store.record_success(feed.id, parse_feed(rss([item_xml(i) for i in range(40)])), when=NOW)
    for article_id in store.article_ids(ArticleFilter(feed_id=feed.id)):
        dossiers.add_article(store, dossier.id, article_id, note="Encore une note " * 20)
    store.add_feeds((f"https://exemple.test/flux/{i}/", f"Flux {i}", "Divers") for i in range(200))
    store.set_meta("remplissage", "x" * 65536)


@pytest.mark.parametrize("writer", WRITERS)
def test_symlinks_at_likely_temporary_names_are_not_followed(
    writer: str, tmp_path: Path, store: Store
) -> None:
    write = writers(tmp_path, store)[writer]
    out = tmp_path / "out"
    out.mkdir()
    target = out / "cible.dat"
    if writer != "default-config":
        target.write_bytes(b"ancienne version")
    victims = []
    for pattern in LIKELY:
        victim = tmp_path / f"victime-{len(victims)}"
        victim.write_bytes(b"ne pas toucher")
        (out / pattern.format(target.name)).symlink_to(victim)
        victims.append(victim)
    write(target)
    assert target.is_file()
    assert not target.is_symlink()
    assert target.read_bytes() != b"ancienne version"
    assert all(victim.read_bytes() == b"ne pas toucher" for victim in victims)
    assert mode(target) == 0o600


@pytest.mark.parametrize("writer", [w for w in WRITERS if w != "default-config"])
def test_a_symlink_at_the_target_is_replaced_not_followed(writer: str, tmp_path: Path, store: Store) -> None:
    """Decision: the link is replaced by the new file (a rename acts on the link); what it pointed to is
    never written, so a link planted at the target by someone else cannot redirect our write."""
    write = writers(tmp_path, store)[writer]
    victim = tmp_path / "victime"
    victim.write_bytes(b"ne pas toucher")
    victim.chmod(0o644)
    target = tmp_path / "cible.dat"
    target.symlink_to(victim)
    write(target)
    assert not target.is_symlink()
    assert target.is_file()
    assert mode(target) == 0o600
    assert victim.read_bytes() == b"ne pas toucher"
    assert mode(victim) == 0o644


def test_a_symlink_at_the_config_file_is_left_alone_on_first_run(tmp_path: Path) -> None:
    """write_default_config writes only when nothing is there: a (dotfiles) link, even dangling, is kept."""
    target = tmp_path / "config.toml"
    target.symlink_to(tmp_path / "dotfiles" / "config.toml")
    write_default_config(target)
    assert target.is_symlink()
    assert not (tmp_path / "dotfiles").exists()


def test_a_link_planted_at_the_random_name_itself_is_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even if an attacker guessed the random name: O_EXCL|O_NOFOLLOW refuses it, another name is drawn."""
    victim = tmp_path / "victime"
    victim.write_bytes(b"ne pas toucher")
    target = tmp_path / "config.toml"
    guessed = tmp_path / ".config.toml.0000000000000000.tmp"
    guessed.symlink_to(victim)
    draws = iter(["0000000000000000", "1111111111111111"])
    monkeypatch.setattr(files.secrets, "token_hex", lambda n: next(draws))
    save_setting(target, "ui", "theme", "nord")
    assert victim.read_bytes() == b"ne pas toucher"
    assert guessed.is_symlink()
    assert 'theme = "nord"' in target.read_text(encoding="utf-8")
    monkeypatch.setattr(files.secrets, "token_hex", lambda n: "0000000000000000")
    with pytest.raises(WriteError, match="aucun nom temporaire libre"):
        save_setting(target, "ui", "theme", "gruvbox")
    assert 'theme = "nord"' in target.read_text(encoding="utf-8")


# -- full disk: one drill per writer ------------------------------------------------------------------


@contextmanager
def full_disk(folder: Path, size: str = "2m") -> Iterator[Callable[[], None]]:
    """A small tmpfs on ``folder``; the function given fills it to the last byte."""
    with small_tmpfs(folder, size):
        filler: list[Path] = []
        yield lambda: filler.append(fill(folder, leave=0))
        for path in filler:
            path.unlink(missing_ok=True)


@pytest.mark.parametrize("writer", [w for w in WRITERS if w != "default-config"])
def test_full_disk_keeps_the_old_file_byte_for_byte(writer: str, tmp_path: Path, store: Store) -> None:
    write = writers(tmp_path, store)[writer]
    disk = tmp_path / "disque"
    with full_disk(disk) as make_full:
        target = disk / "cible.dat"
        if writer == "config":
            target.write_text(page_sized_config(), encoding="utf-8")
        else:
            write(target)  # the earlier export or backup
            grow(store)
        before = sha256(target)
        make_full()
        with pytest.raises(WriteError) as raised:
            write(target)
        assert sha256(target) == before
        assert leftovers(disk) == []
        if writer == "backup":
            assert_one_plain_sentence(str(raised.value).replace("Sauvegarde impossible vers", "X"), target)
            assert str(raised.value).startswith(
                typo(f"Sauvegarde impossible vers {target} : le disque est plein")
            )
        else:
            assert_one_plain_sentence(str(raised.value), target)
        if writer == "config":
            assert load_settings(target).ui.theme == "textual-dark"
        # With the space back, the same write goes through.
        for path in disk.glob("filler.bin"):
            path.unlink()
        write(target)
        assert sha256(target) != before


def test_full_disk_on_first_run_writes_no_half_config(tmp_path: Path) -> None:
    disk = tmp_path / "config"
    with full_disk(disk) as make_full:
        make_full()
        target = disk / "config.toml"
        with pytest.raises(WriteError) as raised:
            write_default_config(target)
        assert_one_plain_sentence(str(raised.value), target)
        assert not target.exists()
        assert leftovers(disk) == []


def xdg_cli_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Paths:
    home = tmp_path / "xdg"
    for name, sub in [("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data")]:
        monkeypatch.setenv(name, str(home / sub))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("HOME", str(home))
    return Paths.default()


@pytest.mark.parametrize(
    "command",
    [
        ["export", "{target}"],
        ["dossiers", "export", "Budget", "--format", "md", "-o", "{target}"],
        ["dossiers", "export", "Budget", "--format", "html", "-o", "{target}"],
        ["backup", "{target}"],
    ],
    ids=["opml", "dossier-md", "dossier-html", "backup"],
)
def test_full_disk_through_the_cli(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = xdg_cli_home(tmp_path, monkeypatch)
    with Store(paths.database) as store:
        store.set_meta("seeded", "0")
        fill_dossier(store)
    disk = tmp_path / "disque"
    with full_disk(disk) as make_full:
        target = disk / "cible"
        args = [part.format(target=target) for part in command]
        assert main(args) == 0
        before = sha256(target)
        with Store(paths.database) as store:
            grow(store)
        make_full()
        capsys.readouterr()
        assert main(args) == 1
        err = capsys.readouterr().err
        assert sha256(target) == before
        assert leftovers(disk) == []
        assert typo("le disque est plein ; rien n'a été modifié.") in err, err
        assert err.count("\n") == 1, err
        assert "Traceback" not in err
        assert "Errno" not in err
        assert str(target) in err


async def test_full_disk_during_theme_save_in_the_tui(tmp_path: Path) -> None:
    disk = tmp_path / "config"
    paths = Paths(disk, tmp_path / "data", tmp_path / "cache", tmp_path / "log")
    with full_disk(disk) as make_full:
        paths.ensure()
        paths.config_file.write_text(page_sized_config(), encoding="utf-8")
        before = sha256(paths.config_file)
        with Store(paths.database) as store:
            app = make_app(store, paths)
            async with app.run_test(size=(120, 36)) as pilot:
                await settle(pilot)
                make_full()
                app.theme = LONGER_THEME
                await settle(pilot)
                messages = list(app.notices)
        assert sha256(paths.config_file) == before
        assert leftovers(disk) == []
        [message] = [m for m in messages if "config.toml" in m]
        assert_one_plain_sentence(message, paths.config_file)
        assert load_settings(paths.config_file).ui.theme == "textual-dark"


# -- kill -9 while writing ----------------------------------------------------------------------------

# With ``--at-fsync`` the loop stops for good right after fsyncing its first temporary file, before the
# rename: the kill then lands mid-write for certain instead of by chance (random kills hit that window only
# when the machine is slow enough).
STALL_AT_FSYNC = """
import os, time
if "--at-fsync" in sys.argv:
    sys.argv.remove("--at-fsync")
    _fsync = os.fsync

    def _stall(fd):
        _fsync(fd)
        print("écrit", flush=True)
        time.sleep(600)

    os.fsync = _stall
"""

CONFIG_LOOP = (
    """
import sys
"""
    + STALL_AT_FSYNC
    + """
from pathlib import Path
import tomlkit  # what a save imports on first use, imported before the clock starts
from gazette_tui.core.settings import save_setting
path = Path(sys.argv[1])
print("prêt", flush=True)
i = 0
while True:
    save_setting(path, "ui", "theme", ("nord", "gruvbox")[i % 2])
    i += 1
"""
)

EXPORT_LOOP = (
    """
import sys
"""
    + STALL_AT_FSYNC
    + """
from pathlib import Path
from gazette_tui.core.library.dossiers import write_export
target, versions = Path(sys.argv[1]), [Path(p).read_text(encoding="utf-8") for p in sys.argv[2:]]
print("prêt", flush=True)
i = 0
while True:
    write_export(versions[i % 2], target)
    i += 1
"""
)


def kill_while_writing(
    script: str, args: list[str], rng: random.Random, longest: float = 0.15, *, at_fsync: bool = False
) -> float:
    """Start ``script`` (a loop of writes), SIGKILL it at a random point of its first ``longest`` seconds,
    or, with ``at_fsync``, once its temporary file is written and fsynced but not yet renamed; returns the
    delay used."""
    process = subprocess.Popen(
        [sys.executable, "-c", script, *args, *(["--at-fsync"] if at_fsync else [])],
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "prêt"
    delay = 0.0
    if at_fsync:
        assert process.stdout.readline().strip() == "écrit"
    else:
        delay = rng.uniform(0.002, longest)
        time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL
    return delay


def test_kill_9_during_config_save_leaves_a_whole_config(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    path = tmp_path / "config.toml"
    # ~1 MB of the user's own comments: each save takes a while, so kills land mid-write.
    padding = "".join(f"# note {i} : {'commentaire ' * 8}\n" for i in range(10_000))
    path.write_text(padding + DEFAULT_CONFIG, encoding="utf-8")
    # Kills are aimed over about three saves, as long as a save takes on this machine now (it edits the
    # file in place, keeping every comment: tens of milliseconds for this one, more on a loaded machine).
    probe = tmp_path / "probe" / "config.toml"
    probe.parent.mkdir()
    probe.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    save_setting(probe, "ui", "theme", "nord")  # imports done: the loop below has them too before "prêt"
    timings = []
    for theme in ("gruvbox", "nord", "gruvbox"):
        started = time.perf_counter()
        save_setting(probe, "ui", "theme", theme)
        timings.append(time.perf_counter() - started)
    longest = max(0.15, 3 * min(timings))
    seen = set()
    mid_write = 0  # kills that left a temporary file: they landed between its creation and the rename
    for round_ in range(33):
        kill_while_writing(CONFIG_LOOP, [str(path)], rng, longest, at_fsync=round_ % 11 == 10)
        text = path.read_text(encoding="utf-8")
        assert text.startswith(padding), len(text)
        assert text.endswith("\n"), len(text)
        seen.add(load_settings(path).ui.theme)  # parses: never half a file
        left = len(leftovers(tmp_path))
        assert left - mid_write in (0, 1)  # at most the one being written when killed
        mid_write = left
    assert {"nord", "gruvbox"} <= seen | {"textual-dark"}, seen
    assert len(seen) >= 2, seen
    assert mid_write >= 3, mid_write  # kills did land in the middle of a write (at least the aimed ones)
    files.sweep_temporaries(tmp_path, older_than=0)
    assert leftovers(tmp_path) == []


def test_kill_9_during_export_leaves_one_whole_version(tmp_path: Path) -> None:
    rng = random.Random(SEED + 1)
    versions = []
    for n in range(2):
        version = tmp_path / f"v{n}.md"
        version.write_text(f"# Version {n}\n\n" + f"Ligne de la version {n}.\n" * 200_000, encoding="utf-8")
        versions.append(version)
    target = tmp_path / "export" / "dossier.md"
    target.parent.mkdir()
    target.write_text("ancienne version\n", encoding="utf-8")
    wholes = {sha256(v) for v in versions} | {sha256(target)}
    seen = set()
    mid_write = 0
    for round_ in range(16):
        kill_while_writing(EXPORT_LOOP, [str(target), *map(str, versions)], rng, at_fsync=round_ % 8 == 7)
        digest = sha256(target)
        assert digest in wholes, target.stat().st_size
        seen.add(digest)
        left = len(leftovers(target.parent))
        assert left - mid_write in (0, 1)
        mid_write = left
    assert len(seen) >= 2  # the loop did replace the file between kills
    assert mid_write >= 2, mid_write


OPML_LOOP = """
import sys
from gazette_tui.cli import main
main(["export", sys.argv[1]])  # once whole, so that every kill lands on a replacement
print("prêt", flush=True)
while True:
    main(["export", sys.argv[1]])
"""


def test_kill_9_during_opml_export_leaves_a_whole_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gazette_tui.core.feeds.opml import read_opml

    rng = random.Random(SEED + 2)
    paths = xdg_cli_home(tmp_path, monkeypatch)
    feeds = [(f"https://exemple.test/flux/{i}/", f"Flux n° {i}", f"Rubrique {i % 7}") for i in range(5000)]
    with Store(paths.database) as store:
        store.set_meta("seeded", "0")
        store.add_feeds(feeds)
    target = tmp_path / "abonnements.opml"
    target.write_text("ancienne version\n", encoding="utf-8")
    for round_ in range(15):
        kill_while_writing(OPML_LOOP, [str(target)], rng)
        # Whole: every subscription is in it (each export has its own dateCreated, so no fixed digest).
        assert len(read_opml(target)) == len(feeds), target.stat().st_size
        assert len(leftovers(tmp_path)) <= round_ + 1


# -- permissions ---------------------------------------------------------------------------------------


def test_first_run_is_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = xdg_cli_home(tmp_path, monkeypatch)
    previous = os.umask(0o022)
    try:
        assert main(["feeds", "list"]) == 0
    finally:
        assert os.umask(previous) == 0o022  # the CLI gave the umask back
    for folder in (paths.config_dir, paths.data_dir, paths.cache_dir, paths.log_dir):
        assert mode(folder) == 0o700, folder
    assert mode(paths.config_file) == 0o600
    assert mode(paths.database) == 0o600


def test_wal_and_shm_are_private_while_the_database_is_open(tmp_path: Path) -> None:
    paths = Paths.under(tmp_path / "home")
    previous = os.umask(0o022)
    try:
        with files.private_umask():
            paths.ensure()
            with Store(paths.database) as store:
                store.set_meta("x", "1")
                for suffix in ("", "-wal", "-shm"):
                    assert mode(Path(f"{paths.database}{suffix}")) == 0o600, suffix
    finally:
        os.umask(previous)


def test_existing_files_are_tightened_on_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What 0.1.0 left (0755 folders, 0644 database, WAL, SHM and config.toml) is tightened by the next start,
    even while another process holds the database open."""
    paths = xdg_cli_home(tmp_path, monkeypatch)
    previous = os.umask(0o022)
    try:
        for folder in (paths.config_dir, paths.data_dir, paths.cache_dir, paths.log_dir):
            folder.mkdir(parents=True)
            folder.chmod(0o755)
        paths.config_file.write_text(DEFAULT_CONFIG, encoding="utf-8")
        with Store(paths.database) as old:
            old.set_meta("seeded", "0")
        other = sqlite3.connect(paths.database)  # a TUI of the old version, still running
        other.execute("PRAGMA journal_mode = WAL")
        other.execute("INSERT INTO meta VALUES ('open', '1')")
        database = str(paths.database)
        shown = [paths.config_file, paths.database, Path(database + "-wal"), Path(database + "-shm")]
        for path in shown:
            path.chmod(0o644)
        assert main(["feeds", "list"]) == 0
        for path in shown:
            assert mode(path) == 0o600, path
        for folder in (paths.config_dir, paths.data_dir, paths.cache_dir, paths.log_dir):
            assert mode(folder) == 0o700, folder
        other.close()
    finally:
        os.umask(previous)


def test_tightening_never_follows_a_symlink(tmp_path: Path) -> None:
    victim = tmp_path / "dotfiles-config.toml"
    victim.write_text(DEFAULT_CONFIG, encoding="utf-8")
    victim.chmod(0o644)
    paths = Paths.under(tmp_path / "home")
    paths.config_dir.mkdir(parents=True)
    paths.config_file.symlink_to(victim)
    paths.ensure()
    assert mode(victim) == 0o644
    assert paths.config_file.is_symlink()


def test_demo_profile_folders_are_private(tmp_path: Path) -> None:
    base = Paths.under(tmp_path / "home")
    for folder in (base.config_dir, base.data_dir, base.cache_dir, base.log_dir):
        folder.mkdir(parents=True)
        folder.chmod(0o755)
    demo = base.for_profile("demo")
    demo.ensure()
    for folder in (demo.config_dir, demo.data_dir, base.config_dir, base.data_dir):
        assert mode(folder) == 0o700, folder


def test_programs_we_launch_get_the_users_umask(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        with files.private_umask():
            assert os.umask(0o077) == 0o077
            with files.user_umask():
                probe = tmp_path / "navigateur"
                probe.write_text("x")
                assert mode(probe) == 0o644
            assert os.umask(0o077) == 0o077
    finally:
        os.umask(previous)


def test_stale_temporaries_are_swept_fresh_ones_kept(tmp_path: Path) -> None:
    stale = tmp_path / ".config.toml.0123456789abcdef.tmp"
    fresh = tmp_path / ".config.toml.fedcba9876543210.tmp"
    journal = tmp_path / ".sauvegarde.db.00112233445566aa.tmp-journal"
    other = tmp_path / ".mine.tmp"
    for path in (stale, fresh, journal, other):
        path.write_text("x")
    old = time.time() - 7200
    for path in (stale, journal, other):
        os.utime(path, (old, old))
    files.sweep_temporaries(tmp_path)
    assert not stale.exists()
    assert not journal.exists()
    assert fresh.exists()
    assert other.exists()


def test_read_only_disk_is_one_sentence(tmp_path: Path) -> None:
    disk = tmp_path / "ro"
    with small_tmpfs(disk, "1m"):
        target = disk / "export.md"
        target.write_text("ancien")
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        with pytest.raises(WriteError) as raised:
            files.write_atomic(target, "nouveau")
        assert_one_plain_sentence(str(raised.value), target, "le disque est en lecture seule")
        assert target.read_text() == "ancien"


def test_reason_covers_sqlite_full() -> None:
    error = sqlite3.OperationalError("database or disk is full")
    assert str(files.reason(error, Path("/x/y.db"))) == "le disque est plein"
    assert (
        str(files.reason(OSError(errno.EDQUOT, "Disk quota exceeded"), Path("/x")))
        == "le quota disque est atteint"
    )
