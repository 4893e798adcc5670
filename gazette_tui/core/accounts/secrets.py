"""The OS keyring, through :mod:`keyring`, service ``gazette-tui``: the only place a password (or a session
cookie kept across runs) is ever written.

Some keyrings are not fit for that, and we say so instead of using them: none at all (a headless Linux box
without a Secret Service gives keyring's ``fail`` backend, which raises ``NoKeyringError``), the ``null``
backend, a locked keyring that refuses to open, and plaintext files (``keyrings.alt``'s file backends). A
plaintext backend is accepted only if the user opts in with ``GAZETTE_TUI_ALLOW_PLAINTEXT_KEYRING=1``: the
password is then in a file, which is their explicit choice.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from gazette_tui.errors import GazetteError, Message, message

if TYPE_CHECKING:
    import keyring.backend


def _keyring() -> ModuleType:
    """keyring, imported on first use: loading its backends costs ~20 ms that a refresh with no account
    logged in (and the CLI's other commands) never needs."""
    import keyring
    import keyring.errors

    return keyring


SERVICE = "gazette-tui"
PLAINTEXT_OPT_IN = "GAZETTE_TUI_ALLOW_PLAINTEXT_KEYRING"


class KeyringUnavailable(GazetteError):
    """No usable OS keyring: logins last for this session only. The message says why, in plain words (what
    follows from it, "for this session only", is the face's to say once)."""


class Secret:
    """A password that never shows itself: not in ``repr``, not in tracebacks that print locals."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self._value)


@dataclass(frozen=True, slots=True)
class BackendStatus:
    usable: bool
    name: str
    """The backend's class, e.g. ``keyring.backends.SecretService.Keyring``."""
    reason: Message | None = None
    """Why it cannot be used, a sentence for the user; None when usable."""


def _backends(ring: keyring.backend.KeyringBackend) -> list[keyring.backend.KeyringBackend]:
    inner = getattr(ring, "backends", None)  # the chainer: usable if one of its backends is
    return list(inner) if isinstance(inner, list | tuple) else [ring]


def _class_name(ring: object) -> str:
    return f"{type(ring).__module__}.{type(ring).__qualname__}"


def backend_status() -> BackendStatus:
    """Whether the current keyring backend may hold a password, and if not, why (without touching it)."""
    ring = _keyring().get_keyring()
    name = _class_name(ring)
    backends = _backends(ring)
    if not backends:
        return BackendStatus(False, name, message("keyring.none"))
    writer = backends[0]  # the chainer writes to its first (highest-priority) backend
    module = type(writer).__module__
    if module.startswith(("keyring.backends.fail", "keyring.backends.null")):
        return BackendStatus(False, name, message("keyring.none"))
    if module.startswith("keyrings.alt") and os.environ.get(PLAINTEXT_OPT_IN) != "1":
        found = message("keyring.plaintext", backend=_class_name(writer), variable=PLAINTEXT_OPT_IN)
        return BackendStatus(False, name, found)
    return BackendStatus(True, name)


def _unavailable(error: Exception) -> KeyringUnavailable:
    keyring = _keyring()
    if isinstance(error, keyring.errors.KeyringLocked):
        return KeyringUnavailable("keyring.locked")
    if isinstance(error, keyring.errors.NoKeyringError):
        return KeyringUnavailable("keyring.none")
    # Never str(error): a backend's message is not ours to show, and it must not echo anything secret.
    return KeyringUnavailable("keyring.no_answer", kind=type(error).__name__)


def _check() -> None:
    status = backend_status()
    if not status.usable:
        reason = status.reason or message("keyring.none")
        raise KeyringUnavailable(reason.code, **reason.params)


def _entry(account: str, username: str, kind: str = "password") -> str:
    """Keyring "username" of an entry: one per account and login, plus one for the session cookies."""
    suffix = "" if kind == "password" else f"#{kind}"
    return f"{account}:{username}{suffix}"


def store_secret(account: str, username: str, value: str, kind: str = "password") -> None:
    """Write to the keyring; raise :class:`KeyringUnavailable` (and write nothing anywhere) if it cannot."""
    _check()
    try:
        _keyring().set_password(SERVICE, _entry(account, username, kind), value)
    except Exception as error:  # backends raise more than KeyringError (D-Bus, OS errors)
        raise _unavailable(error) from None


def load_secret(account: str, username: str, kind: str = "password") -> str | None:
    """Read from the keyring; None when absent; :class:`KeyringUnavailable` when it cannot be used."""
    _check()
    try:
        value: str | None = _keyring().get_password(SERVICE, _entry(account, username, kind))
        return value
    except Exception as error:
        raise _unavailable(error) from None


def delete_secret(account: str, username: str, kind: str = "password") -> bool:
    """Remove an entry; True if one was there. Absent entries are not an error."""
    _check()
    keyring = _keyring()
    try:
        keyring.delete_password(SERVICE, _entry(account, username, kind))
    except keyring.errors.PasswordDeleteError:
        return False
    except Exception as error:
        raise _unavailable(error) from None
    return True
