"""Subscriber accounts: logging in to a site, keeping the session, and fetching its pages with it.

What is stored where (docs/ACCOUNTS.md, « Where things are kept »):
- the database (table ``accounts``) holds the account name, the login (an email) and whether a login is
  remembered; nothing else;
- the password, and the session cookies kept across runs, go only to the OS keyring (:mod:`.secrets`);
- with no usable keyring, a login lasts for this process only, in memory, and the user is told.

Transport rules, enforced here for every request that carries anything secret:
- credentials (the password, a session cookie, an ``Authorization`` header) travel only over https, except to
  this machine (the demo site, the tests), and only to an origin of the account's profile;
- origins compare scheme, host AND port: httpx's cookie jar (like RFC 6265) ignores the port, so our clients
  keep no cookies of their own (:class:`_RefuseCookies`) and :class:`SiteCookies` decides what goes where;
- redirects are followed by hand; a hop to another origin carries no cookie and no header of ours, and the
  login form's answer is never followed at all (a redirect there must not re-post the password);
- nothing secret is logged or put in an error message; errors are raised ``from None``.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import html
import json
import re
import socket
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.cookiejar import CookieJar, DefaultCookiePolicy
from http.cookies import CookieError, SimpleCookie
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from gazette_tui.core.accounts import secrets
from gazette_tui.core.accounts.profiles import SiteProfile, load_profiles, origin_of, secure_enough
from gazette_tui.core.accounts.secrets import KeyringUnavailable, Secret
from gazette_tui.core.feeds.fetch import Decoder, FetchFailure, make_http_client
from gazette_tui.core.storage.store import Store
from gazette_tui.errors import GazetteError, message

LoginProblem = Literal["email", "credentials", "network", "insecure", "site", "unknown", "needed"]

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_PAGE_BYTES = 4 * 1024 * 1024
MAX_REDIRECTS = 5
LOGIN_TIMEOUT = 20.0


class LoginError(GazetteError):
    """A login (or a reset) did not succeed. ``problem`` tells the UI which field or state to point at."""

    def __init__(self, code: str, /, problem: LoginProblem, **params: object) -> None:
        super().__init__(code, **params)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class LoginResult:
    account: str
    username: str
    remembered: bool
    """The password is in the OS keyring: the login survives a restart."""
    warning: str = ""
    """Set when the login worked but could not be remembered (no usable keyring): say it to the user."""


@dataclass(frozen=True, slots=True)
class AccountStatus:
    name: str
    title: str
    site_url: str
    auth: str
    username: str
    logged_in: bool
    """A session or a remembered password is there: full texts can be fetched."""
    remembered: bool
    """The password is in the keyring (as far as the database knows)."""
    signup_url: str


@dataclass(frozen=True, slots=True)
class Page:
    """An article page fetched with the account's session."""

    url: str
    status: int
    text: str
    on_site: bool
    """The final URL is still on the account's site (a hop elsewhere means no session was used there)."""


class _RefuseCookies(DefaultCookiePolicy):
    """httpx's client jar is host-scoped, not port-scoped: it must hold nothing; SiteCookies does the work."""

    def set_ok(self, cookie: Any, request: Any) -> bool:
        return False

    def return_ok(self, cookie: Any, request: Any) -> bool:
        return False


def make_client(timeout: float = LOGIN_TIMEOUT, per_host: int = 2, *, proxy: str = "") -> httpx.AsyncClient:
    """An httpx client fit for credentials: no cookie jar of its own, no automatic redirects, and nothing
    from the environment: a proxy named in ``HTTP_PROXY`` would see a plain-http login (the demo site, any
    loopback one) in clear. Town halls often have a proxy: the user names it in ``refresh.proxy``
    (``proxy``); https goes through it as an opaque tunnel, and this machine never does."""
    return make_http_client(
        timeout=timeout,
        max_connections=max(2, per_host * 2),
        proxy=proxy,
        cookies=CookieJar(policy=_RefuseCookies()),
    )


class SiteCookies:
    """One site's session cookies. Sent only to the site's origins over a secure transport; taken only from
    answers of those origins. Paths and the Domain attribute are not used: the site is the scope."""

    def __init__(self, values: Mapping[str, str] | None = None) -> None:
        self.values: dict[str, str] = dict(values or {})

    def absorb(self, response: httpx.Response) -> None:
        for header in response.headers.get_list("set-cookie"):
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(header)
            except CookieError:
                continue
            for name, morsel in jar.items():
                if morsel["max-age"] in ("0", "-1") or morsel.coded_value in ("", '""'):
                    self.values.pop(name, None)
                else:
                    self.values[name] = morsel.coded_value

    def header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.values.items())

    def dumps(self) -> str:
        return json.dumps(self.values, separators=(",", ":"))

    @classmethod
    def loads(cls, text: str | None) -> SiteCookies:
        try:
            data = json.loads(text) if text else {}
        except ValueError:
            data = {}
        return cls({str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {})


@dataclass
class _Session:
    profile: SiteProfile
    username: str
    password: Secret | None
    remembered: bool
    cookies: SiteCookies = field(default_factory=SiteCookies)


def _network_error(error: Exception, url: str) -> LoginError:
    """The user's sentence for a failed exchange with ``url``: the address tried and what happened, never
    the exception's own text (it may quote a form). "Connection refused" is not "the network is down":
    nothing listens there (a demo site not started, a wrong port), and the sentence says so."""
    if isinstance(error, FetchFailure):
        return LoginError("login.bad_answer", "site", reason=error.message)
    if isinstance(error, httpx.ConnectError) and "certificate" in str(error).lower():
        return LoginError("login.bad_certificate", "network")
    tried = urlunsplit(urlsplit(url)._replace(query="", fragment=""))
    if isinstance(error, TimeoutError | httpx.TimeoutException):
        return LoginError("login.timeout", "network", url=tried, seconds=int(LOGIN_TIMEOUT))
    if isinstance(error, httpx.ConnectError) and _refused(error):
        return LoginError("login.refused", "network", url=tried)
    if isinstance(error, httpx.ConnectError) and _no_such_host(error):
        return LoginError("login.host_unknown", "network", host=urlsplit(url).hostname or tried)
    return LoginError("login.network_down", "network", url=tried)


def _causes(error: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _refused(error: BaseException) -> bool:
    """Nothing listens at the address: the connection was refused (ECONNREFUSED), not lost on the way."""
    causes = _causes(error)
    return any(isinstance(c, ConnectionRefusedError) or "refused" in str(c).lower() for c in causes)


def _no_such_host(error: BaseException) -> bool:
    """The host name did not resolve (a typo, or no DNS: no network)."""
    return any(isinstance(cause, socket.gaierror) for cause in _causes(error)) or any(
        marker in str(error) for marker in ("Name or service not known", "nodename", "getaddrinfo")
    )


async def _post_form(
    http: httpx.AsyncClient, url: str, form: dict[str, str], headers: dict[str, str]
) -> tuple[httpx.Response, str]:
    """POST a form (login, reset) within the login deadline; the page comes back unescaped, size-capped.
    Network failures become a LoginError that carries no part of the form."""
    try:
        async with asyncio.timeout(LOGIN_TIMEOUT):
            request = http.build_request("POST", url, data=form, headers=headers)
            response = await http.send(request, stream=True)
            try:
                text = html.unescape(await _read_text(response, 2 * 1024 * 1024))
            finally:
                await response.aclose()
    except (httpx.HTTPError, TimeoutError, FetchFailure) as error:
        raise _network_error(error, url) from None
    return response, text


async def _read_text(response: httpx.Response, limit: int = MAX_PAGE_BYTES) -> str:
    """The body as text, decoded within ``limit`` bytes (a compressed bomb stops at the cap)."""
    decoder = Decoder(response.headers.get("content-encoding", ""), limit)
    async for chunk in response.aiter_raw(64 * 1024):
        decoder.feed(chunk)
    return decoder.result().decode(response.encoding or "utf-8", "replace")


class Accounts:
    """The accounts of one user: profiles, the database rows, the keyring and live sessions.

    One instance per process is enough; the TUI keeps one for its lifetime so a session-only login (no
    keyring) stays usable for refreshes. Methods are thread-safe; the network ones are async.
    """

    def __init__(self, store: Store, config_dir: Path | None = None, *, proxy: str = "") -> None:
        self.store = store
        self.proxy = proxy
        """The ``refresh.proxy`` setting, for the clients this class makes itself (login, reset)."""
        self.profiles = load_profiles(config_dir)
        self._sessions: dict[str, _Session] = {}
        self._lock = threading.Lock()

    # -- profiles and state --------------------------------------------------------------------------

    def profile(self, account: str) -> SiteProfile:
        base = self.profiles.get(account)
        if base is None:
            known = ", ".join(sorted(self.profiles))
            raise LoginError("login.unknown_account", "unknown", account=account, known=known)
        moved = self.store.meta(f"account.{account}.site_url")
        return base.rebased(moved) if moved and base.rebase else base

    def set_site_url(self, account: str, site_url: str) -> None:
        """Where a movable site (the demo) is today; kept so a later refresh finds it."""
        profile = self.profiles.get(account)
        if profile is None or not profile.rebase:
            raise LoginError("login.fixed_site", "unknown", account=account)
        profile.rebased(site_url)  # validates
        self.store.set_meta(f"account.{account}.site_url", site_url)
        with self._lock:
            session = self._sessions.get(account)
            if session is not None:
                session.profile = self.profile(account)

    def _row(self, account: str) -> tuple[str, bool]:
        return self.store.accounts.get(account)

    def _save_row(self, account: str, username: str, remembered: bool) -> None:
        self.store.accounts.save(account, username, remembered)

    def status(self) -> list[AccountStatus]:
        """Every known account, logged in or not: for ``gazette-tui accounts`` and the login screen."""
        result = []
        for name in sorted(self.profiles, key=lambda n: (n != "lagazette", n)):
            profile = self.profile(name)
            username, remembered = self._row(name)
            with self._lock:
                live = self._sessions.get(name)
            result.append(
                AccountStatus(
                    name=name,
                    title=profile.title,
                    site_url=profile.site_url,
                    auth=profile.auth,
                    username=live.username if live else username,
                    logged_in=live is not None or remembered,
                    remembered=remembered,
                    signup_url=profile.signup_url,
                )
            )
        return result

    def logged_in_accounts(self) -> list[str]:
        return [s.name for s in self.status() if s.logged_in]

    def signup_url(self, account: str) -> str:
        return self.profile(account).signup_url

    def account_for_url(self, url: str) -> str | None:
        """The logged-in account whose site serves ``url`` (scheme, host and port), if any."""
        for name in self.logged_in_accounts():
            if self.profile(name).owns(url):
                return name
        return None

    # -- login, reset, logout ------------------------------------------------------------------------

    def _check_transport(self, profile: SiteProfile, url: str) -> None:
        if not secure_enough(url):
            raise LoginError("login.not_https", "insecure", site=profile.title)
        if not profile.owns(url):
            raise LoginError("login.foreign_url", "insecure", site=profile.title)

    async def login(
        self,
        account: str,
        username: str,
        password: str,
        *,
        remember: bool = True,
        site_url: str | None = None,
        client: httpx.AsyncClient | None = None,
    ) -> LoginResult:
        """Log in and keep the session. Raises :class:`LoginError`; a keyring that cannot hold the password
        is not an error but a :attr:`LoginResult.warning` (the login then lasts for this session)."""
        if site_url:
            await asyncio.to_thread(self.set_site_url, account, site_url)
        profile = await asyncio.to_thread(self.profile, account)
        username = username.strip()
        if not password:
            raise LoginError("login.no_password", "credentials")
        if profile.username_is_email and not EMAIL_PATTERN.match(username):
            raise LoginError("login.email_invalid", "email")
        secret = Secret(password)
        session = _Session(profile, username, secret, remembered=False)
        own = client is None
        http = client or make_client(proxy=self.proxy)
        try:
            if profile.auth == "basic":
                await self._check_basic(session, http)
            else:
                await self._post_login(session, http)
        finally:
            if own:
                await http.aclose()
        warning = ""
        if remember:
            try:
                await asyncio.to_thread(self._remember, account, session)
                session.remembered = True
            except KeyringUnavailable as error:
                warning = str(error)
        else:
            await asyncio.to_thread(self._forget_secrets, account, username, quiet=True)
        await asyncio.to_thread(self._save_row, account, username, session.remembered)
        with self._lock:
            self._sessions[account] = session
        return LoginResult(account, username, session.remembered, warning)

    def _remember(self, account: str, session: _Session) -> None:
        assert session.password is not None
        previous, _ = self._row(account)
        secrets.store_secret(account, session.username, session.password.reveal())
        if session.cookies.values:
            secrets.store_secret(account, session.username, session.cookies.dumps(), kind="session")
        if previous and previous != session.username:
            self._forget_secrets(account, previous, quiet=True)

    def _forget_secrets(self, account: str, username: str, *, quiet: bool) -> None:
        if not username:
            return
        try:
            secrets.delete_secret(account, username)
            secrets.delete_secret(account, username, kind="session")
        except KeyringUnavailable:
            if not quiet:
                raise

    async def _post_login(self, session: _Session, http: httpx.AsyncClient) -> None:
        profile = session.profile
        self._check_transport(profile, profile.login_url)
        assert session.password is not None
        form = dict(profile.extra_fields)
        form[profile.username_field] = session.username
        form[profile.password_field] = session.password.reveal()
        headers = {"Cookie": session.cookies.header()} if session.cookies.values else {}
        try:
            response, text = await _post_form(http, profile.login_url, form, headers)
        finally:
            form.clear()
        session.cookies.absorb(response)  # the login URL is one of the site's origins (checked above)
        status = response.status_code
        if profile.failure_email and profile.failure_email in text:
            raise LoginError("login.email_invalid", "email")
        if profile.failure_credentials and profile.failure_credentials in text:
            raise LoginError("login.credentials", "credentials")
        if profile.session_cookie:
            ok = profile.session_cookie in session.cookies.values
        else:
            ok = status < 400 and bool(session.cookies.values)
        if ok:
            return
        if status in (401, 403):
            raise LoginError("login.credentials", "credentials")
        if status >= 500:
            raise LoginError("login.server_error_retry", "site", status=str(status))
        raise LoginError("login.unconfirmed", "site", status=str(status))

    def _basic_header(self, session: _Session) -> dict[str, str]:
        assert session.password is not None
        token = base64.b64encode(f"{session.username}:{session.password.reveal()}".encode()).decode()
        return {"Authorization": f"Basic {token}"}

    async def _check_basic(self, session: _Session, http: httpx.AsyncClient) -> None:
        profile = session.profile
        self._check_transport(profile, profile.site_url)
        try:
            async with asyncio.timeout(LOGIN_TIMEOUT):
                request = http.build_request("GET", profile.site_url, headers=self._basic_header(session))
                response = await http.send(request, stream=True)
                await response.aclose()
        except (httpx.HTTPError, TimeoutError) as error:
            raise _network_error(error, profile.site_url) from None
        if response.status_code in (401, 403):
            raise LoginError("login.credentials", "credentials")
        if response.status_code >= 500:
            raise LoginError("login.server_error", "site", status=str(response.status_code))

    async def reset(self, account: str, email: str, *, client: httpx.AsyncClient | None = None) -> str:
        """Ask the site to mail the access codes; returns the confirmation, in the current language."""
        profile = await asyncio.to_thread(self.profile, account)
        email = email.strip()
        if not profile.reset_url:
            raise LoginError("login.no_reset", "site", site=profile.title)
        if not EMAIL_PATTERN.match(email):
            raise LoginError("login.email_invalid", "email")
        self._check_transport(profile, profile.reset_url)
        own = client is None
        http = client or make_client(proxy=self.proxy)
        try:
            response, text = await _post_form(http, profile.reset_url, {profile.reset_field: email}, {})
        finally:
            if own:
                await http.aclose()
        if profile.failure_email and profile.failure_email in text:
            raise LoginError("login.email_invalid", "email")
        if profile.reset_sent and profile.reset_sent in text:
            return str(message("login.reset_sent"))
        raise LoginError("login.reset_unconfirmed", "site", status=str(response.status_code))

    def logout(self, account: str) -> bool:
        """Forget the session, the keyring entries (password and cookies) and the logged-in mark. Returns
        whether there was anything to forget. Raises :class:`KeyringUnavailable` if the keyring holds a
        password that cannot be deleted now (locked): the user must know it is still there."""
        self.profile(account)
        username, remembered = self._row(account)
        with self._lock:
            live = self._sessions.pop(account, None)
        if live is not None:
            live.cookies.values.clear()
            live.password = None
        names = {n for n in (username, live.username if live else "") if n}
        if remembered or names:
            for name in names:
                self._forget_secrets(account, name, quiet=not remembered)
        if username:
            self._save_row(account, username, False)
        return live is not None or remembered

    # -- using a session ------------------------------------------------------------------------------

    def session_for(self, account: str) -> _Session | None:
        """The live session, loaded from the keyring for a remembered login. Blocking (the keyring may be
        D-Bus); call it in a thread from async code."""
        with self._lock:
            live = self._sessions.get(account)
        if live is not None:
            return live
        username, remembered = self._row(account)
        if not remembered or not username:
            return None
        password = secrets.load_secret(account, username)
        if password is None:
            return None
        cookies = SiteCookies.loads(secrets.load_secret(account, username, kind="session"))
        session = _Session(self.profile(account), username, Secret(password), True, cookies)
        with self._lock:
            return self._sessions.setdefault(account, session)

    async def relogin(self, account: str, client: httpx.AsyncClient) -> None:
        """Log in again with the password we hold (the site's session expired). Raises :class:`LoginError`
        (problem ``needed`` when no password is held)."""
        session = await asyncio.to_thread(self.session_for, account)
        if session is None or not session.password:
            raise LoginError(
                "login.needed_command", "needed", site=self.profile(account).title, account=account
            )
        session.cookies.values.clear()
        if session.profile.auth == "basic":
            await self._check_basic(session, client)
        else:
            await self._post_login(session, client)
        if session.remembered and session.cookies.values:
            with contextlib.suppress(KeyringUnavailable):  # the session still works for this run
                await asyncio.to_thread(
                    secrets.store_secret, account, session.username, session.cookies.dumps(), "session"
                )

    async def fetch_page(
        self, account: str, url: str, client: httpx.AsyncClient, *, timeout: float = 30.0
    ) -> Page:
        """GET ``url`` with the account's session. Cookies (or Basic credentials) go only to the site's
        origins over a secure transport; redirects are followed by hand and a hop elsewhere carries none."""
        session = await asyncio.to_thread(self.session_for, account)
        if session is None:
            raise LoginError("login.needed", "needed", site=self.profile(account).title)
        profile = session.profile
        current = url
        async with asyncio.timeout(timeout):
            for _ in range(MAX_REDIRECTS + 1):
                trusted = profile.owns(current) and secure_enough(current)
                headers: dict[str, str] = {}
                if trusted:
                    if profile.auth == "basic":
                        headers.update(self._basic_header(session))
                    elif session.cookies.values:
                        headers["Cookie"] = session.cookies.header()
                request = client.build_request("GET", current, headers=headers)
                response = await client.send(request, stream=True)
                try:
                    if trusted:
                        session.cookies.absorb(response)
                    location = response.headers.get("location")
                    if response.status_code in (301, 302, 303, 307, 308) and location:
                        target = urljoin(current, location)
                        if origin_of(target) is None:
                            raise FetchFailure("fetch.redirect_not_web")
                        current = target
                        continue
                    text = await _read_text(response)
                    return Page(current, response.status_code, text, on_site=trusted)
                finally:
                    await response.aclose()
        raise FetchFailure("fetch.too_many_redirects")
