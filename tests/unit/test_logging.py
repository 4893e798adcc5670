"""The log file: in the logs folder, private (0600 in 0700), bounded by rotation, and never a secret in it."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from gazette_tui.core import logs
from gazette_tui.core.logs import redact, setup_logging, stop_logging
from gazette_tui.core.paths import Paths

log = logging.getLogger("gazette_tui.tests")


@pytest.fixture
def paths(tmp_path: Path) -> Iterator[Paths]:
    yield Paths.under(tmp_path / "home")
    stop_logging()
    logging.getLogger(logs.LOGGER).setLevel(logging.NOTSET)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def written(paths: Paths) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return paths.log_file.read_text(encoding="utf-8")


def test_the_log_is_private_whatever_the_umask(paths: Paths) -> None:
    previous = os.umask(0o022)
    try:
        assert setup_logging(paths) == paths.log_file == paths.log_dir / "gazette-tui.log"
    finally:
        os.umask(previous)
    log.info("bonjour")
    assert "gazette-tui started" in written(paths)
    assert "bonjour" in written(paths)
    assert mode(paths.log_dir) == 0o700
    assert mode(paths.log_file) == 0o600


def test_an_old_readable_log_is_tightened(paths: Paths) -> None:
    paths.log_dir.mkdir(parents=True, mode=0o755)
    paths.log_file.write_text("ancienne ligne\n", encoding="utf-8")
    paths.log_file.chmod(0o644)
    setup_logging(paths)
    assert mode(paths.log_file) == 0o600
    assert mode(paths.log_dir) == 0o700
    assert written(paths).startswith("ancienne ligne\n")  # appended to, not replaced


SECRETS = {
    "password=hunter2": "hunter2",
    "login of alice with password: 'correct horse battery'": "correct horse battery",
    '{"username": "alice", "password": "p@ss w0rd"}': "p@ss w0rd",
    "GET https://alice:s3cr3t-pass@flux.example.org/feed.xml": "s3cr3t-pass",
    "proxy http://bob:pr0xy@proxy.mairie.fr:3128 chosen": "pr0xy",
    "Authorization: Basic YWxpY2U6aHVudGVyMg==": "YWxpY2U6aHVudGVyMg==",
    "headers {'Authorization': 'Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig'}": "eyJhbGciOiJIUzI1NiJ9",
    "Proxy-Authorization: Basic Ym9iOnByMHh5": "Ym9iOnByMHh5",
    "Cookie: sid=abc123def; theme=dark": "abc123def",
    "Set-Cookie: session=9f8e7d6c5b; Path=/; HttpOnly": "9f8e7d6c5b",
    "sent with Bearer tok_live_4242424242": "tok_live_4242424242",
    "next page https://api.example.org/items?access_token=zz9plural&page=2": "zz9plural",
    "api_key=AKIA1234SECRET apiKey: k-5678 client_secret=cs-91": "AKIA1234SECRET",
    "keyring entry session token=tk-00112233": "tk-00112233",
    "cookie jar PHPSESSID=php0sess1id and JSESSIONID=j5e55": "php0sess1id",
    "JSESSIONID=j5e55ion": "j5e55ion",
    "sessionid=dj4ngo5e55 kept": "dj4ngo5e55",
    "header X-Api-Key: xk-424242": "xk-424242",
    "form pass=motdepasse2027": "motdepasse2027",
}


def test_no_secret_reaches_the_file(paths: Paths) -> None:
    setup_logging(paths, verbose=True)
    for text in SECRETS:
        log.info("message: %s", text)  # through the arguments
        log.debug(text.replace("%", "%%"))  # in the message itself
    try:
        raise RuntimeError("login failed for https://alice:exc-s3cret@site.example/ with password=exc-pw")
    except RuntimeError:
        log.exception("refresh failed")
    log.warning("stack", stack_info=True, extra={"unused": "password=in-extra"})
    text = written(paths)
    for secret in [*SECRETS.values(), "k-5678", "cs-91", "exc-s3cret", "exc-pw"]:
        assert secret not in text, secret
    # What is not secret stays, so the log still says what happened.
    assert "flux.example.org/feed.xml" in text
    assert "proxy.mairie.fr:3128" in text
    assert "https://***@flux.example.org" in text
    assert "Authorization: ***" in text
    assert "theme=dark" not in text  # a Cookie header goes whole
    assert "page=2" in text
    assert '"username": "alice"' in text
    assert "Traceback" in text
    assert "RuntimeError: login failed" in text
    assert "refresh failed" in text


@pytest.mark.parametrize(
    "kept",
    [
        "author=Dupont",
        "feed:12#basic",
        "https://www.lagazettedescommunes.com/rubriques/actu/feed/",
        "refresh.timeout = 30",
        "12 feeds, 3 failed: Délai dépassé",
        "sort_key=date",
    ],
)
def test_ordinary_text_is_left_alone(kept: str) -> None:
    assert redact(kept) == kept


def test_the_log_rotates_and_stays_bounded(paths: Paths, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logs, "MAX_BYTES", 4096)
    setup_logging(paths)
    line = "x" * 200
    for i in range(500):
        log.info("%d %s", i, line)
    written(paths)
    files = sorted(paths.log_dir.iterdir())
    assert [f.name for f in files] == [
        "gazette-tui.log",
        "gazette-tui.log.1",
        "gazette-tui.log.2",
        "gazette-tui.log.3",
    ]
    assert all(f.stat().st_size <= 4096 for f in files)
    assert all(mode(f) == 0o600 for f in files)  # the files made at rotation too
    assert "499 " in files[0].read_text(encoding="utf-8")


def test_levels_debug_only_when_verbose_and_other_libraries_warnings_only(paths: Paths) -> None:
    other = logging.getLogger("httpx")
    setup_logging(paths)
    log.debug("détail caché")
    log.info("ligne visible")
    other.info("HTTP Request: GET https://example.org/ 200")
    other.warning("un avertissement d'une bibliothèque")
    text = written(paths)
    assert "ligne visible" in text
    assert "un avertissement d'une bibliothèque" in text
    assert "détail caché" not in text
    assert "HTTP Request" not in text
    setup_logging(paths, verbose=True)
    log.debug("détail montré")
    assert "détail montré" in written(paths)


def test_setting_up_twice_keeps_one_file_handler(paths: Paths) -> None:
    setup_logging(paths)
    setup_logging(paths)
    ours = [h for h in logging.getLogger().handlers if h.get_name() == logs.HANDLER_NAME]
    assert len(ours) == 1
    log.info("une seule fois")
    assert written(paths).count("une seule fois") == 1


def test_a_symlink_at_the_log_is_not_followed(paths: Paths, tmp_path: Path) -> None:
    victim = tmp_path / "victime"
    victim.write_text("ne pas toucher", encoding="utf-8")
    paths.log_dir.mkdir(parents=True)
    paths.log_file.symlink_to(victim)
    assert setup_logging(paths) is None  # no log for this run, and nothing else changes
    log.warning("où va cette ligne ?")
    assert victim.read_text(encoding="utf-8") == "ne pas toucher"


def test_a_log_that_cannot_be_written_costs_only_the_log(
    paths: Paths, capsys: pytest.CaptureFixture[str]
) -> None:
    setup_logging(paths)
    [handler] = [h for h in logging.getLogger().handlers if h.get_name() == logs.HANDLER_NAME]
    assert isinstance(handler, logging.StreamHandler)
    handler.stream.close()  # what a vanished disk looks like to the handler
    log.warning("perdue")
    assert capsys.readouterr().err == ""  # no "--- Logging error ---" over the TUI
