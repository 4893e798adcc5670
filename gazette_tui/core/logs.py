"""The log file: the stdlib :mod:`logging` into platformdirs' ``user_log_dir``, rotating, private, no secrets.

- **Where.** ``Paths.log_file``: ``~/.local/state/gazette-tui/log/gazette-tui.log`` on Linux (README, *Where
  your data lives*); the demo profile has its own.
- **Bounded.** :data:`MAX_BYTES` a file, then it rotates: ``gazette-tui.log.1`` … ``.3``, the oldest dropped.
- **Private.** The folder is 0700 and every log file 0600 whatever the umask; a symlink planted at the log's
  name is not followed (``O_NOFOLLOW``): logging is then off for the run.
- **No secrets.** :class:`RedactSecrets`, on the handler, rewrites every record before it is written:
  passwords, tokens and API keys in ``key=value`` / ``"key": "value"`` form, URL userinfo
  (``https://alice:secret@…``), ``Authorization``, ``Proxy-Authorization``, ``Cookie`` and ``Set-Cookie``
  values and ``Bearer`` tokens, in the message, its arguments and tracebacks.
- **Never in the way.** Nothing goes to the terminal (the TUI owns it); a log that cannot be opened or
  written costs only the log. gazette-tui's own loggers (``gazette_tui.*``) write from INFO (DEBUG with
  ``verbose``); other libraries only their warnings.

The CLI's entry point calls :func:`setup_logging` once, after it has its :class:`Paths`.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from contextlib import suppress
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import TYPE_CHECKING

from gazette_tui.core.files import PRIVATE_FILE, make_private_dir
from gazette_tui.errors import WriteError

if TYPE_CHECKING:
    from io import TextIOWrapper

    from gazette_tui.core.paths import Paths

LOGGER = "gazette_tui"
MAX_BYTES = 1024 * 1024
BACKUPS = 3
HANDLER_NAME = "gazette-tui-file"
FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"

log = logging.getLogger(__name__)

_MASK = "***"
# https://alice:secret@host/ → https://***@host/ (greedy: a raw "@" in the password is covered too).
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^\s/?#]*@")
# Whole header values, to the end of the line or the closing quote: "Basic dXNlcjpw…", "sid=…; Path=/".
_HEADER = re.compile(
    r"(?i)\b((?:proxy-)?authorization|(?:set-)?cookie)([\"']?[ \t]*[:=][ \t]*[\"']?)([^\"'\r\n]*)"
)
_BEARER = re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=\-]+")
# A key and what joins it to its value: key=value, key: value, "key": "value", 'key': 'value'.
_KEY = re.compile(r"(?P<key>[A-Za-z][\w.\-]*)[\"']?[ \t]*[:=][ \t]*")
# The value after a secret key: a quoted one whole (it may hold spaces), else up to a space or a separator.
_VALUE = re.compile(r"(?P<quote>[\"'])(?:\\.|(?!(?P=quote)).)*(?P=quote)|[^\s\"'&,;)}\]]+")
_SECRET_PARTS = frozenset(
    {"password", "passwd", "pass", "pwd", "passphrase", "secret", "token", "sid", "session", "csrf", "auth"}
)
_SECRET_INSIDE = (
    "password", "passwd", "motdepasse", "mot_de_passe", "secret", "token", "apikey", "api_key", "api-key",
    "sessid", "sessionid",  # PHPSESSID, JSESSIONID, sessionid: session cookies under their usual names
)  # fmt: skip


def _secret_key(key: str) -> bool:
    lowered = key.lower()
    parts = set(re.split(r"[_.\-]", lowered))
    return bool(parts & _SECRET_PARTS) or any(word in lowered for word in _SECRET_INSIDE)


def _mask_values(text: str) -> str:
    """Every value whose key names a secret, masked; the key stays (the log says a password was there)."""
    pieces: list[str] = []
    done = 0
    for key in _KEY.finditer(text):
        if key.start() < done or not _secret_key(key.group("key")):
            continue  # inside a value already masked, or an ordinary key: its value may hold a secret pair
        value = _VALUE.match(text, key.end())
        if value is None:
            continue
        quote = value.group("quote") or ""
        pieces += [text[done : key.end()], f"{quote}{_MASK}{quote}"]
        done = value.end()
    return "".join(pieces) + text[done:]


def redact(text: str) -> str:
    """``text`` with every secret it holds replaced by ``***`` (see the module docstring)."""
    text = _USERINFO.sub(rf"\1{_MASK}@", text)
    text = _HEADER.sub(rf"\1\2{_MASK}", text)
    text = _BEARER.sub(rf"\1 {_MASK}", text)
    return _mask_values(text)


class RedactSecrets(logging.Filter):
    """Rewrites a record before any handler writes it: the formatted message (its arguments merged in),
    the traceback and the stack, each through :func:`redact`. On the handler, so that records of every
    logger that reaches it are covered."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # arguments that do not fit the format: what was meant, as text
            message = f"{record.msg} {record.args}"
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_OPEN = os.O_WRONLY | os.O_CREAT | os.O_APPEND | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A :class:`RotatingFileHandler` whose files are 0600 (a new one after each rotation too) and never
    opened through a symlink. A write that fails (a full disk) is dropped, never printed on the terminal."""

    def _open(self) -> TextIOWrapper:
        fd = os.open(self.baseFilename, _OPEN, PRIVATE_FILE)
        if os.name == "posix":
            with suppress(OSError):  # a file an older version left 0644: ours to tighten
                os.fchmod(fd, PRIVATE_FILE)
        return open(fd, "a", encoding=self.encoding, errors=self.errors)  # the handler keeps it open

    def handleError(self, record: logging.LogRecord) -> None:
        """A log line lost rather than a traceback over the TUI."""

    def flush(self) -> None:
        with suppress(OSError, ValueError):  # a full disk, a file closed under us: the log only
            super().flush()


def stop_logging() -> None:
    """Close the log file of :func:`setup_logging`, if any (tests; a second setup does it too)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == HANDLER_NAME:
            root.removeHandler(handler)
            handler.close()


def setup_logging(paths: Paths, *, verbose: bool = False) -> Path | None:
    """Log to ``paths.log_file`` from now on (again: the previous file of ours is closed); returns the file,
    or None when it cannot be opened (then nothing is logged, and nothing else changes)."""
    stop_logging()
    root = logging.getLogger()
    ours = logging.getLogger(LOGGER)
    ours.setLevel(logging.DEBUG if verbose else logging.INFO)
    try:
        make_private_dir(paths.log_dir)
        handler = PrivateRotatingFileHandler(
            paths.log_file, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except (OSError, WriteError):
        return None
    handler.set_name(HANDLER_NAME)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactSecrets())
    # On the root: other libraries' warnings land here too (the root stays at WARNING for them), and
    # gazette_tui.* records reach it by propagation at their own level.
    root.addHandler(handler)
    log.info(
        "gazette-tui started: pid %d, Python %s, log level %s",
        os.getpid(),
        sys.version.split()[0],
        "DEBUG" if verbose else "INFO",
    )
    return paths.log_file
