"""Site profiles: how each site logs in, kept as plain data so a wrong guess is a one-line fix.

A profile names an account (``lagazette``, ``demo``) and says where its login form posts, which fields it
takes, how the site shows success and failure, where to reset a password or subscribe, and which hosts
belong to the site (its feeds, its article pages, the hosts its cookies may go to). HTTP Basic profiles are
for private feeds behind a password.

Built-in data lives in :data:`BUILTIN_PROFILES`. A user can correct it (or add a profile) without a release in
``profiles.toml`` beside ``config.toml``: a ``[NAME]`` table with the same keys overrides or adds a profile.
"""

from __future__ import annotations

import ipaddress
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from gazette_tui.core.files import read_reason
from gazette_tui.errors import ConfigError, Message, detail, message

Origin = tuple[str, str, int]
"""(scheme, host, port): what credentials and cookies are scoped to. Host AND port: cookies in httpx (and in
RFC 6265) ignore the port, so we compare it ourselves."""

AuthKind = Literal["form", "basic"]

EMAIL_INVALID = "Nous n'avons pas reconnu votre email, veuillez indiquer un email valide"
LOGIN_FAILED = "Identifiant et/ou mot de passe non valides"
RESET_SENT = "Un message avec vos codes d'accès vous a été envoyé par mail"

# La Gazette des communes: the login form's action and field names are those of the site's public login page
# (login, password → services.lagazettedescommunes.com/svc.php/user/index). They could not be checked from
# here; the reset and sign-up addresses and the page markers are best guesses. Correct them here, or in
# profiles.toml, when the site says otherwise.
BUILTIN_PROFILES: dict[str, dict[str, Any]] = {
    "lagazette": {
        "title": "La Gazette des communes",
        "auth": "form",
        "site_url": "https://www.lagazettedescommunes.com/",
        "hosts": [
            "www.lagazettedescommunes.com",
            "lagazettedescommunes.com",
            "services.lagazettedescommunes.com",
        ],
        "login_url": "https://services.lagazettedescommunes.com/svc.php/user/index",
        "username_field": "login",
        "password_field": "password",
        "extra_fields": {},
        "username_is_email": True,
        "session_cookie": "",
        "failure_credentials": LOGIN_FAILED,
        "failure_email": EMAIL_INVALID,
        "reset_url": "https://services.lagazettedescommunes.com/svc.php/user/reset",
        "reset_field": "login",
        "reset_sent": RESET_SENT,
        "signup_url": "https://www.lagazettedescommunes.com/abonnement/",
        "paywall_markers": ["réservé aux abonnés"],
        "rebase": False,
    },
    # The embedded demo site (gazette_tui.demo) on its fixed port (demo.discovery.DEMO_PORT), unless that
    # port was taken, hence "rebase": the address found or given at login replaces every URL's origin.
    "demo": {
        "title": "La Gazette de démonstration",
        "auth": "form",
        "site_url": "http://127.0.0.1:28080/",
        "hosts": [],
        "login_url": "http://127.0.0.1:28080/svc.php/user/index",
        "username_field": "login",
        "password_field": "password",
        "extra_fields": {"redirect": "/"},
        "username_is_email": True,
        "session_cookie": "gazette_demo_session",
        "failure_credentials": LOGIN_FAILED,
        "failure_email": EMAIL_INVALID,
        "reset_url": "http://127.0.0.1:28080/svc.php/user/reset",
        "reset_field": "login",
        "reset_sent": RESET_SENT,
        "signup_url": "http://127.0.0.1:28080/inscription/",
        "paywall_markers": ["Cet article est réservé aux abonnés"],
        "rebase": True,
    },
}

DEFAULT_ACCOUNT = "lagazette"


@dataclass(frozen=True)
class SiteProfile:
    """How one site logs in. Every URL is absolute."""

    name: str
    """The account name (``gazette-tui login NAME``)."""
    title: str
    auth: AuthKind
    site_url: str
    """The site's home: its origin belongs to the site, and Basic profiles check credentials against it."""
    hosts: tuple[str, ...] = ()
    """More host names of the site (same scheme and default port as ``site_url``)."""
    login_url: str = ""
    username_field: str = "login"
    password_field: str = "password"
    extra_fields: dict[str, str] = field(default_factory=dict)
    """Fixed fields posted with the login form."""
    username_is_email: bool = True
    """The site wants an email: a malformed one is refused before anything is sent."""
    session_cookie: str = ""
    """Cookie whose arrival means "logged in"; empty means any cookie with no failure message."""
    failure_credentials: str = LOGIN_FAILED
    failure_email: str = EMAIL_INVALID
    reset_url: str = ""
    reset_field: str = "login"
    reset_sent: str = RESET_SENT
    signup_url: str = ""
    paywall_markers: tuple[str, ...] = ()
    """Text found on an article page seen without a valid session (so: log in again)."""
    rebase: bool = False
    """The site's address may be given at login (the demo site, whose port changes)."""

    @property
    def origins(self) -> frozenset[Origin]:
        """Every (scheme, host, port) that belongs to the site: feeds, articles, cookies, credentials."""
        found: set[Origin] = set()
        for url in (self.site_url, self.login_url):
            origin = origin_of(url)
            if origin is not None:
                found.add(origin)
        base = origin_of(self.site_url)
        if base is not None:
            found.update((base[0], host.lower(), base[2]) for host in self.hosts)
        return frozenset(found)

    def owns(self, url: str) -> bool:
        """Whether ``url`` is on this site (same scheme, host and port as one of its origins)."""
        origin = origin_of(url)
        return origin is not None and origin in self.origins

    def rebased(self, base_url: str) -> SiteProfile:
        """The same profile at another address (the demo site on today's port)."""
        new = urlsplit(base_url)
        if new.scheme not in ("http", "https") or not new.hostname:
            raise ConfigError("profile.bad_site_url", url=repr(base_url))

        def move(url: str) -> str:
            if not url:
                return url
            old = urlsplit(url)
            return urlunsplit(old._replace(scheme=new.scheme, netloc=new.netloc))

        return replace(
            self,
            site_url=move(self.site_url),
            login_url=move(self.login_url),
            reset_url=move(self.reset_url),
            signup_url=move(self.signup_url),
            hosts=(),
        )


def origin_of(url: str) -> Origin | None:
    """(scheme, host, port) of an http(s) URL, with the default port filled in; None for anything else."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    return scheme, parts.hostname.lower(), port or (443 if scheme == "https" else 80)


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def secure_enough(url: str) -> bool:
    """Credentials travel only over https, except to this machine (the demo site and the tests)."""
    origin = origin_of(url)
    return origin is not None and (origin[0] == "https" or is_loopback(origin[1]))


def _build(name: str, data: dict[str, Any], source: str | Message) -> SiteProfile:
    known = {f.name for f in fields(SiteProfile)} - {"name"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError("profile.unknown_key", source=source, key=f"{name}.{unknown[0]}")
    values = dict(data)
    for key in ("hosts", "paywall_markers"):
        if key in values:
            values[key] = tuple(str(v) for v in values[key])
    if "extra_fields" in values:
        values["extra_fields"] = {str(k): str(v) for k, v in dict(values["extra_fields"]).items()}
    if values.get("auth", "form") not in ("form", "basic"):
        raise ConfigError("profile.bad_auth", source=source, key=f"{name}.auth")
    if not values.get("site_url") or origin_of(str(values["site_url"])) is None:
        raise ConfigError("profile.bad_url", source=source, key=f"{name}.site_url")
    if values.get("auth", "form") == "form" and origin_of(str(values.get("login_url", ""))) is None:
        raise ConfigError("profile.bad_url", source=source, key=f"{name}.login_url")
    try:
        return SiteProfile(name=name, **values)
    except TypeError as error:
        raise ConfigError("profile.invalid", source=source, name=name, reason=detail(error)) from None


def load_profiles(config_dir: Path | None = None) -> dict[str, SiteProfile]:
    """Built-in profiles, corrected or extended by ``profiles.toml`` in ``config_dir`` when it exists."""
    merged: dict[str, dict[str, Any]] = {name: dict(data) for name, data in BUILTIN_PROFILES.items()}
    source: str | Message = message("profile.builtin")
    if config_dir is not None:
        path = config_dir / "profiles.toml"
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            text = ""
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError("profile.unreadable_file", path=path, reason=read_reason(error, path)) from None
        if text:
            source = str(path)
            try:
                data = tomllib.loads(text)
            except tomllib.TOMLDecodeError as error:
                raise ConfigError("profile.bad_toml", path=path, reason=str(error).split(" (at")[0]) from None
            for name, table in data.items():
                if not isinstance(table, dict):
                    raise ConfigError("profile.not_a_table", path=path, name=name)
                merged.setdefault(name, {"title": name, "auth": "form"}).update(table)
    return {name: _build(name, data, source) for name, data in merged.items()}
