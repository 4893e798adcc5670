"""Errors a user can act on, and every sentence the engine says to a user, as a code and its parameters.

An error is never a sentence: ``QueryError("query.unclosed_quote", position=12)``. The sentence is the
code's entry in :data:`MESSAGES`, an English template that is also the msgid of the catalogues
(``locale/<lang>/LC_MESSAGES/gazette.po``), so the UI and the CLI say it in their language:

- ``str(error)`` is the sentence in the current language (:func:`gazette_tui.i18n.set_language`, which the
  CLI and the TUI call before anything else), and ``error.text("en")`` in a given one;
- a parameter may be a :class:`Message` itself (a reason inside a sentence: « Impossible d'écrire X : le
  disque est plein ») and is said in the same language; ``{name:n}`` writes a count with the language's
  thousands separator (« 20 000 », "20,000");
- code that must tell errors apart reads ``error.code`` (and ``error.params``), never the sentence;
- a message kept for later (a feed's last error, in the database) is stored as :meth:`Message.dumps` and read
  back with :func:`stored_text`, in whatever language the reader then uses.

``tests/unit/test_error_codes.py`` checks that every code raised in the package is here, that every
template has both translations, and ``tests/ui/test_one_language.py`` says each of them in both languages.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, TypeAlias

from gazette_tui import i18n

Param: TypeAlias = "str | int | float | Message"


def N_(message: str) -> str:
    """Marks ``message`` as an msgid for the catalogue checks, without translating it here."""
    return message


def Np_(one: str, many: str) -> tuple[str, str]:
    """An msgid and its plural: the ``count`` parameter chooses the form."""
    return one, many


MESSAGES: dict[str, str | tuple[str, str]] = {
    # A text that is not ours (an OS or SQLite reason, a library's message): shown as it is.
    "detail": N_("{text}"),
    # -- the query language (core/search/query.py) ----------------------------------------------------
    "query.minus_detached": N_("The “-” sign must touch the word to leave out, e.g. -budget."),
    "query.star_alone": N_("“*” goes at the end of the beginning of a word, e.g. budg*."),
    "query.unclosed_quote": N_('Unclosed quote: add “"” at the end of the exact phrase.'),
    "query.unknown_filter": N_(
        "Unknown filter “{name}:” (filters: {known}); put the text in quotes to search for it as it is."
    ),
    "query.filter_needs_value": N_("“{name}:” needs a value right after it, e.g. {name}:{example}."),
    "query.unknown_unit": N_(
        "Unknown unit in “{value}”: use h (hours), d (days), w (weeks), m (months) or y (years), e.g. 7d."
    ),
    "query.duration_too_long": N_("Duration too long: “{value}” (100 years at most)."),
    "query.unreadable_date": N_(
        "Unreadable date “{value}”: write YYYY-MM-DD (2024-01-31), DD/MM/YYYY or a duration (7d, 2w, 3m)."
    ),
    "query.year_out_of_range": N_("Year out of range in “{value}” (1900 to 2999)."),
    "query.bad_month": N_("Invalid date “{value}”: the month goes from 1 to 12."),
    "query.bad_day": N_("Invalid date “{value}”: this day does not exist in that month."),
    "query.stray_close": N_("Closing parenthesis “)” without an opening one."),
    "query.unclosed_paren": N_("Parenthesis “(” is not closed."),
    "query.too_deep": N_("Too many nested parentheses ({max} levels at most)."),
    "query.keyword_needs_two": N_("“{keyword}” must join two terms."),
    "query.or_needs_two": N_("“{keyword}” must join two terms, e.g. “budget OR finances”."),
    "query.double_keyword": N_("“{first} {second}”: only one “{first}” between two terms."),
    "query.keyword_needs_term": N_("“{keyword}” must be followed by a term."),
    "query.not_needs_term": N_("“-” (or NOT) must be followed by the word to leave out, e.g. -budget."),
    "query.sort_scope": N_(
        "“sort:” applies to the whole query: it cannot be excluded, in an OR or in parentheses."
    ),
    "query.short_prefix": N_("Type at least {min} letters before “*”, e.g. budg*."),
    "query.too_many_terms": N_("Too many terms ({max:n} at most): simplify the query."),
    "query.empty_value": N_("“{field}:” needs a value that is not empty."),
    "query.no_words": N_("“{field}:{value}” holds no word to search for."),
    "query.unknown_state": N_(
        "“is:{value}” is unknown: use is:unread, is:read, is:starred or is:reserved (subscribers only)."
    ),
    "query.unknown_sort": N_("“sort:{value}” is unknown: use sort:date or sort:relevance."),
    "query.too_long": N_("Query too long ({length:n} characters; {max:n} at most)."),
    "query.nothing": N_("Nothing to search for: the query has neither a word nor a filter."),
    "search.no_feed": N_("No feed matches “{value}”."),
    "search.no_dossier": N_("No dossier is called “{value}”."),
    "search.too_slow": N_("The search takes too long: narrow the query (fewer “*”)."),
    # -- alertes (core/search/alerts.py, core/storage/alerts.py) -----------------------------------------
    "alert.no_name": N_("Give the alert a name."),
    "alert.name_too_long": N_("Alert name too long ({length:n} characters; {max:n} at most)."),
    "alert.name_taken": N_("An alert is already called “{name}”: choose another name."),
    "alert.empty_query": N_("The alert's search is empty: type words or filters."),
    "alert.not_found": N_("No alert is called “{name}”."),
    # -- filters, kill-files (core/search/filters.py, core/storage/filters.py) -------------------------------
    "filter.not_found": N_("No filter is called “{name}”."),
    "filter.no_name": N_("Give the filter a name."),
    "filter.name_too_long": N_("Filter name too long ({length:n} characters; {max:n} at most)."),
    "filter.name_taken": N_("A filter is already called “{name}”: choose another name."),
    "filter.empty_query": N_("The filter's search is empty: type words or filters."),
    "filter.bad_action": N_("Unknown action “{action}”: use {known}."),
    # -- dossiers (core/library/dossiers.py, core/storage/dossiers.py) --------------------------------------
    "dossier.name_controls": N_("A dossier's name cannot contain control characters."),
    "dossier.name_empty": N_("A dossier's name cannot be empty."),
    "dossier.name_slash": N_("A dossier's name cannot contain “/” or “\\”."),
    "dossier.name_too_long": N_("A dossier's name is limited to {max:n} characters."),
    "dossier.exists": N_("A dossier “{name}” already exists."),
    "dossier.exists_again": N_("A dossier “{name}” exists again: the deletion cannot be undone."),
    "dossier.not_found": N_("No dossier “{name}”."),
    "dossier.gone": N_("This dossier no longer exists."),
    "article.not_found": N_("No article no. {id} in the cache."),
    # -- « Ma Gazette » (core/library/ma_gazette.py) ---------------------------------------------------------
    "theme.bad": N_("Unknown theme “{theme}”: write rubrique:NAME, tag:NAME, alert:NAME or dossier:NAME."),
    "digest.bad_since": N_("Unknown start “{since}”: write 12h, 1d, 2w or a day such as 2026-11-20."),
    # -- feeds: fetching (core/feeds/fetch.py); short, they are shown in feed lists -------------------------
    "fetch.bad_certificates": N_("Unreadable certificates ({variable}={value}): {reason}."),
    "fetch.bad_proxy": N_("Unusable proxy (refresh.proxy): {problem}."),
    "fetch.encoding": N_("Unsupported encoding ({encoding})"),
    "fetch.too_big": N_("Feed too large (over {size:n} MB)"),
    "fetch.bad_compression": N_("Invalid compressed response"),
    "fetch.timeout": N_("Timed out"),
    "fetch.connect_timeout": N_("Timed out (connecting)"),
    "fetch.tls": N_("TLS error: invalid certificate"),
    "fetch.host_unknown": N_("Host not found"),
    "fetch.connect_failed": N_("Could not connect"),
    "fetch.proxy_refused": N_("The proxy refused the request (refresh.proxy)"),
    "fetch.bad_http": N_("Invalid HTTP response"),
    "fetch.bad_scheme": N_("Address not supported (http or https only)"),
    "fetch.bad_url": N_("Invalid address or redirect"),
    "fetch.network": N_("Network error ({kind})"),
    "fetch.redirect_loop": N_("Redirect loop"),
    "fetch.redirect_not_web": N_("Redirect to an address that is not a web page"),
    "fetch.redirect_invalid": N_("Redirect to an invalid address"),
    "fetch.too_many_redirects": N_("Too many redirects"),
    "fetch.gone": N_("HTTP 410: feed removed by the site (disabled)"),
    "fetch.wait": N_("HTTP {status}: the server asks us to wait"),
    "fetch.wait_unreadable": N_(
        "HTTP {status}: the server asks us to wait (unreadable Retry-After, ignored)"
    ),
    "fetch.http_status": N_("HTTP {status}"),
    "fetch.unexpected_status": N_("Unexpected HTTP response ({status})"),
    "fetch.credentials_unreadable": N_("The feed's password cannot be read (system keyring)"),
    # -- attachments: downloading (core/feeds/downloads.py); a reason after "Could not download X:" ----------
    "download.failed": N_("Could not download {name}: {reason}."),
    "download.not_web": N_("only http and https attachments can be downloaded"),
    "download.too_big": N_("it is larger than the limit of {limit} (setting downloads.max_bytes)"),
    "download.busy": N_("it is already being downloaded"),
    "download.stalled": N_("the server has sent almost nothing for {seconds} s"),
    "download.incomplete": N_("the server stopped sending before the end"),
    "download.folder": N_("the folder {path} cannot be used ({reason})"),
    # -- feeds: reading (core/feeds/parse*.py, jsonfeed.py, feedparser_road.py, refresh.py) ------------------
    "feed.too_big_decoded": N_("Feed too large once decoded"),
    "feed.empty": N_("Empty response"),
    "feed.xml_entities": N_("Feed refused: it declares XML entities"),
    "feed.html_page": N_("Not an RSS/Atom feed (HTML page)"),
    "feed.not_a_feed": N_("Not an RSS/Atom feed"),
    "feed.not_a_feed_json": N_("Not an RSS/Atom/JSON Feed feed"),
    "feed.bad_json": N_("Unreadable JSON Feed"),
    "feed.malformed": N_("Malformed XML: unreadable feed"),
    "feed.malformed_too_big": N_("Malformed XML, too large to be read"),
    "feed.parse_too_slow": N_("Parsing took too long (over {seconds} s): feed skipped this time"),
    "feed.parse_too_big": N_("Feed too big to be parsed"),
    "feed.parse_worker_lost": N_("Parsing interrupted (the parsing process stopped)"),
    "feed.too_deep": N_("Feed nested too deeply"),
    "feed.unreadable": N_("Unreadable feed ({kind})"),
    "feed.unexpected": N_("Unexpected error ({kind})"),
    # -- feeds: finding a site's feeds (core/feeds/discover.py) ---------------------------------------------
    "discover.credentials": N_("An address with a password in it is not searched for feeds."),
    "discover.bad_url": N_("Invalid address: {url} (http or https expected)."),
    "discover.page_failed": N_("Cannot read {url}: {reason}."),
    "discover.page_too_slow": N_("{url} did not answer within {seconds} s."),
    "discover.page_too_big": N_("{url} is too large to be read (over {size:n} MB)."),
    "discover.not_a_page": N_("{url} is neither a feed nor a web page: {reason}."),
    "discover.no_feed": N_(
        "No feed found at {url}: the page links to none, and none of the usual addresses ({paths}) is one."
    ),
    "discover.paths_too_slow": N_(
        "No feed found at {url} within {seconds} s: the page links to none, and the usual addresses did "
        "not all answer in time."
    ),
    "discover.links_failed": Np_(
        "{url} links to {count} feed, which cannot be read: {feed} ({reason}).",
        "{url} links to {count} feeds, none of which can be read; the first: {feed} ({reason}).",
    ),
    "discover.no_answer": N_("No answer within {seconds} s"),
    "fetch.local_refused": N_("Not followed: it leads to this machine or its local network"),
    # -- per-feed and per-rubrique settings (core/feeds/feed_settings.py) ----------------------------------
    "feedset.unknown_key": N_("Unknown setting “{key}” (settings: {known})."),
    "feedset.bad_value": N_("“{key}” cannot be “{value}”: {allowed}."),
    "feedset.no_rubrique": N_("No feed is in the rubrique “{name}”."),
    "feedset.allowed_bool": N_("on/off (also yes/no, true/false, oui/non), or default"),
    "feedset.allowed_minutes": N_("{low:n} to {high:n} minutes, or default"),
    "feedset.allowed_days": N_("{low:n} for no age limit, or 1 to {high:n} days, or default"),
    "feedset.allowed_agent": N_("one line of at most {max:n} printable ASCII characters, or default"),
    # -- OPML (core/feeds/opml.py) --------------------------------------------------------------------------
    "opml.unreadable_file": N_("{path}: cannot be read ({reason})."),
    "opml.too_big": N_("{path}: file too large for a subscription list."),
    "opml.not_opml": N_("{path} is not an OPML file: nothing was imported."),
    "opml.bad": N_("{path}: unreadable OPML ({reason})."),
    "opml.title": N_("gazette-tui subscriptions"),
    # -- settings (core/settings.py) ------------------------------------------------------------------------
    "settings.at_line": N_("{path}, line {line}"),
    "settings.at_column": N_("{path}, line {line}, column {column}"),
    "settings.at_unknown": N_("{path}, unknown position"),
    "settings.environment": N_("Environment variable {variable}"),
    "settings.unreadable_file": N_("{path}: unreadable file ({reason})."),
    "settings.bad_toml": N_("{where}: invalid TOML ({reason})."),
    "settings.unknown_section": N_("{where}: unknown section “{name}”."),
    "settings.unknown_key": N_("{where}: unknown key “{key}”."),
    "settings.wrong_type": N_("{where}: “{key}” must be of type {expected}, not {actual}."),
    "settings.wrong_type_text": N_("{where}: “{key}” must be of type {expected}, not “{value}”."),
    "settings.problem": N_("{where}: {problem}."),
    "settings.negative": N_("“{key}” cannot be negative (allowed values: {allowed})"),
    "settings.out_of_range": N_("“{key}” = {value} is out of range (allowed values: {allowed})"),
    "settings.bad_proxy": N_("“{key}” is not a usable proxy address: {problem}"),
    "settings.bad_choice": N_("“{key}” = “{value}” is not known (allowed values: {allowed})"),
    "settings.languages": N_("“fr”, “en”, or “” to follow the locale"),
    "proxy.unreadable": N_("unreadable address"),
    "proxy.scheme": N_("an address http://host:port or https://host:port is expected"),
    "proxy.path": N_("a proxy address has neither a path nor parameters (http://host:port)"),
    "range.concurrency": N_("1 to 256 feeds at once"),
    "range.per_host": N_("1 to 32 connections per site"),
    "range.timeout": N_("1 to 600 seconds"),
    "range.max_feed_bytes": N_("1048576 (1 MiB) to 25165824 (24 MiB) bytes"),
    "range.parse_timeout": N_("1 to 120 seconds"),
    "range.auto_minutes": N_("0 to stop, or 5 to 1440 minutes"),
    "range.sync_minutes": N_("0 to stop, or 1 to 1440 minutes"),
    "range.fulltext_pages": N_("0 for none, or 1 to 1000 pages"),
    "range.days": N_("0 for no age limit, or 1 to 36500 days"),
    "range.unread_days": N_("0 for never, or 1 to 36500 days"),
    "range.per_feed": N_("0 for no limit, or 1 to 1000000 articles"),
    "range.download_bytes": N_("1048576 (1 MiB) to 1099511627776 bytes (1 TiB)"),
    # -- site profiles (core/accounts/profiles.py) ----------------------------------------------------------
    "profile.builtin": N_("built-in profiles"),
    "profile.bad_site_url": N_("Invalid site address: {url} (http or https expected)."),
    "profile.unknown_key": N_("{source}: unknown key “{key}”."),
    "profile.bad_auth": N_('{source}: “{key}” must be "form" or "basic".'),
    "profile.bad_url": N_("{source}: “{key}” must be an http(s) address."),
    "profile.invalid": N_("{source}: invalid profile “{name}” ({reason})."),
    "profile.unreadable_file": N_("{path}: unreadable file ({reason})."),
    "profile.bad_toml": N_("{path}: invalid TOML ({reason})."),
    "profile.not_a_table": N_("{path}: “{name}” must be a table [{name}]."),
    # -- the database (core/storage/) -----------------------------------------------------------------------
    "store.already_subscribed": N_("Already subscribed to {url}."),
    "store.not_subscribed": N_("No subscription to {url}."),
    "store.closed": N_("The database {path} is already closed."),
    "store.cannot_open": N_("Cannot open {path}: {reason}."),
    "store.unable_to_open": N_("Cannot open {path}: check that the folder exists and can be reached."),
    "store.newer": N_(
        "{path} was made by a newer version of gazette-tui (schema {version}): update gazette-tui."
    ),
    "store.read_only": N_(
        "The database {path} is read-only (folder or disk not writable); nothing was changed."
    ),
    "store.damaged": N_(
        "The database {path} is damaged ({detail}). Run “gazette-tui repair”: it sets this file aside "
        "unchanged and rebuilds the database from everything still readable (subscriptions, dossiers, "
        "notes, read and starred marks first). Or restore a backup (gazette-tui backup) by copying it in "
        "place of this file."
    ),
    "store.locked": N_("The database {path} is locked by another program; try again."),
    "store.disk_full": N_("The disk is full: {path} could not be written; nothing was lost."),
    "store.other": N_("Database error on {path}: {detail}."),
    "store.damaged_text": N_(
        "A text in the database is unreadable (damaged data); “gazette-tui repair” rebuilds the database."
    ),
    "store.repair_running": N_("A repair of the database {path} is running; try again when it is finished."),
    "store.lock_unwritable": N_("Cannot lock {path}: the folder is not writable."),
    "store.in_use": N_(
        "The database {path} is open in another program (gazette-tui or a refresh): close it, then run "
        "the repair again."
    ),
    "store.backup_to": N_("Cannot back up to {path}"),
    "store.name_taken": N_("The name “{name}” is already taken."),
    "repair.nothing": N_("No database to repair: {path} does not exist."),
    "repair.failed": N_("The repair of {path} failed ({reason}); the database was not changed."),
    "repair.newer": N_(
        "{path} was made by a newer version of gazette-tui (schema {version}): update gazette-tui before "
        "repairing it."
    ),
    "repair.healthy": N_(
        "The database {path} is sound (the integrity check found no error): nothing to repair; "
        "“gazette-tui repair --force” rebuilds it anyway."
    ),
    "repair.cannot_write": N_(
        "The repair cannot write beside {path} ({reason}); the database was not changed."
    ),
    "repair.swap_failed": N_(
        "The repair of {path} could not replace the file ({reason}); it will be finished the next time the "
        "database is opened."
    ),
    "repair.journal_unreadable": N_(
        "The repair journal {journal} is unreadable: move it away, then run “gazette-tui repair” again."
    ),
    "repair.journal_mismatch": N_("The repair journal {journal} does not describe {path}: move it away."),
    "repair.rows_missing": N_("{table}: {actual:n} rows instead of {expected:n}"),
    "repair.rows_unread": N_("{table}: {read:n} rows read out of {count:n}"),
    "repair.integrity": N_("the new database fails the integrity check"),
    "repair.broken_links": N_("links between tables are still broken"),
    "repair.index": N_("search index: {indexed:n} articles out of {articles:n}"),
    "salvage.lost_article": N_("Unreadable article (lost in the repair)"),
    "salvage.lost_dossier": N_("Recovered dossier no. {id}"),
    "salvage.lost_dossier_note": N_("Its name and description were on an unreadable part of the database."),
    # -- files (core/files.py): why a write failed, and the sentences around it -----------------------------
    "file.cannot_write": N_("Cannot write {path}"),
    "file.write_failed": N_("{action}: {reason}; nothing was changed."),
    "file.cannot_make_folder": N_("Cannot create the folder {path}: {reason}."),
    "file.disk_full": N_("the disk is full"),
    "file.read_only": N_("the disk is read-only"),
    "file.denied": N_("access denied"),
    "file.is_folder": N_("it is a folder"),
    "file.not_folder": N_("part of the path is not a folder"),
    "file.name_too_long": N_("the name is too long"),
    "file.io": N_("disk input/output error"),
    "file.loop": N_("too many symbolic links"),
    "file.no_temporary": N_("no free temporary name beside it"),
    "file.quota": N_("the disk quota is reached"),
    "file.not_regular": N_("it is not a regular file"),
    "file.not_found": N_("the file does not exist"),
    "file.not_utf8": N_("it is not UTF-8 text"),
    "file.no_folder": N_("the folder {path} does not exist"),
    "file.folder_unreachable": N_("the folder {path} cannot be found or reached"),
    # -- accounts and login (core/accounts/accounts.py) -----------------------------------------------------
    "login.network_down": N_(
        "Cannot reach {url}: the network is down or the site does not answer. Try again later."
    ),
    "login.refused": N_(
        "Nothing answers at {url} (connection refused): the site is not running there, or the port is wrong."
    ),
    "login.timeout": N_("{url} did not answer within {seconds} s. Try again later."),
    "login.host_unknown": N_("Host not found: {host} (a wrong name, or no network)."),
    "login.bad_answer": N_("Unreadable answer from the site ({reason})."),
    "login.bad_certificate": N_("The site's certificate is not valid: connection refused."),
    "login.unknown_account": N_("Unknown account: “{account}” (known accounts: {known})."),
    "login.fixed_site": N_("The address of the site “{account}” cannot be changed."),
    "login.not_https": N_(
        "Connection refused: {site} is not reached over https, the password will not be sent in clear."
    ),
    "login.foreign_url": N_("Connection refused: the address does not belong to the site {site}."),
    "login.no_password": N_("Enter your password."),
    "login.email_invalid": N_("We did not recognise your email, please enter a valid email"),
    "login.credentials": N_("Invalid username and/or password"),
    "login.server_error_retry": N_("The site answered with an error (HTTP {status}); try again later."),
    "login.server_error": N_("The site answered with an error (HTTP {status})."),
    "login.unconfirmed": N_("The site did not confirm the login (unexpected answer, HTTP {status})."),
    "login.no_reset": N_("{site} has no forgotten-password form we know of."),
    "login.reset_unconfirmed": N_("The site did not confirm sending the message (HTTP {status})."),
    "login.reset_sent": N_("A message with your access codes has been sent to you by email"),
    "login.needed_command": N_("Login needed for {site}: gazette-tui login {account}."),
    "login.needed": N_("Login needed for {site}."),
    # -- the keyring (core/accounts/secrets.py): why it cannot hold a password ------------------------------
    "keyring.none": N_(
        "No usable system keyring (Secret Service, macOS Keychain, Windows Credential Manager)."
    ),
    "keyring.plaintext": N_(
        "The configured keyring ({backend}) writes passwords to a file: it is not used without your "
        "consent ({variable}=1)."
    ),
    "keyring.locked": N_("The system keyring is locked and was not unlocked."),
    "keyring.no_answer": N_("The system keyring does not answer ({kind})."),
    # -- credentials in feed URLs (core/accounts/feed_credentials.py) ---------------------------------------
    "credentials.not_https": N_(
        "{url} is not https: the password in the address would travel in clear (give the https address)"
    ),
    "credentials.no_keyring": N_(
        "the password of {url} can only be kept in the system keyring, which cannot be used here"
    ),
    "credentials.refused": N_("the system keyring refused the password of {url}"),
    "credentials.not_added": N_("Subscription not added: {reason}. The password is written nowhere."),
    "credentials.kept": N_("Subscription to {url} kept as it was: {reason}."),
    # -- full texts (core/accounts/fulltext.py) -------------------------------------------------------------
    "fulltext.unreadable_page": N_("Unreadable page: no full text found."),
    "fulltext.still_reserved": N_("Article still reserved after logging in (subscription not enough?)"),
    "fulltext.other_site": N_("The page leads to another site: full text not fetched."),
    "fulltext.not_found": N_("No full text found in the page."),
    "fulltext.connect_failed": N_("Cannot reach the site"),
    # -- article pages of any feed (core/feeds/pages.py) ----------------------------------------------------
    "page.not_html": N_("Not a web page ({kind}): no full text in it."),
    "page.not_web": N_("The article's link is not a web address (http or https)."),
    # -- sync with a feed server (core/sync/, docs/SYNC.md) ------------------------------------------------
    "sync.bad_url": N_("Not a server address: “{url}” (write it with http:// or https://)."),
    "sync.url_credentials": N_("Give the username and the password apart, not in the address ({url})."),
    "sync.not_https": N_(
        "Refused: {url} is not https, so the password would travel in clear (only a server on this "
        "machine may use plain http)."
    ),
    "sync.credentials": N_("The server {url} refused the username or the password."),
    "sync.not_fever": N_(
        "{url} does not answer as a Fever API ({reason}). Check the address: Miniflux gives it as "
        "…/fever/, FreshRSS as …/api/fever.php."
    ),
    "sync.redirected": N_(
        "{url} sends elsewhere ({target}): if that is your server, give that address instead."
    ),
    "sync.timeout": N_("The server {url} did not answer within {seconds} s. Try again later."),
    "sync.refused": N_("Nothing answers at {url} (connection refused): is the server running?"),
    "sync.host_unknown": N_("Server not found: {host} (a wrong name, or no network)."),
    "sync.tls": N_("The certificate of {host} is not valid: connection refused."),
    "sync.network": N_("Could not reach the server {url} ({kind})."),
    "sync.server_error": N_("The server {url} failed (HTTP {status}). Try again later."),
    "sync.too_big": N_("The server's answer is over {size:n} MB: not read."),
    "sync.bad_answer": N_("Unreadable answer from the server ({reason})."),
    "sync.rejected": N_("The server refused a change (HTTP {status})."),
    "sync.reason_not_json": N_("its answer is not JSON"),
    "sync.reason_no_version": N_("its answer has no “api_version”"),
    "sync.reason_missing": N_("“{field}” is missing"),
    "sync.reason_type": N_("“{field}” is not of the expected type"),
    "sync.account_exists": N_("A sync account “{name}” already has that name or that server and username."),
    "sync.unknown_kind": N_("Unknown sync protocol “{kind}” (known: {known})."),
    "sync.unknown_account": N_("No sync account “{name}” (accounts: {known})."),
    "sync.key_unreadable": N_("The key of the account “{name}” cannot be read: {reason}"),
    "sync.no_key": N_(
        "The keyring has no key for the account “{name}”: remove it and add it again (gazette-tui sync "
        "remove, then sync add)."
    ),
}
"""Every code, with its English template (the msgid). A tuple is a singular and a plural, chosen by the
``count`` parameter."""

_GROUPED = re.compile(r"\{(\w+):n\}")


@dataclass(frozen=True, slots=True)
class Message:
    """A sentence to say later, in whichever language: a code of :data:`MESSAGES` and its parameters."""

    code: str
    params: Mapping[str, Param] = field(default_factory=dict)

    def text(self, language: str | None = None) -> str:
        """The sentence in ``language`` (the current one when None)."""
        template = MESSAGES.get(self.code)
        if template is None:  # a code from a newer version, read back from the database
            return self.code
        count = self.params.get("count")
        if isinstance(template, tuple):
            number = count if isinstance(count, int) else 0
            text = i18n.translate_plural(template[0], template[1], number, language)
        else:
            text = i18n.translate(template, language)
        values: dict[str, Any] = {}
        for name, value in self.params.items():
            values[name] = value.text(language) if isinstance(value, Message) else value
        for name in _GROUPED.findall(text):
            if isinstance(values.get(name), int):
                values[name] = i18n.format_number(values[name], language)
        text = _GROUPED.sub(r"{\1}", text)
        if isinstance(template, tuple) and isinstance(count, int):
            values["count"] = i18n.format_number(count, language)
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError):  # a catalogue out of step: say something, never crash
            return template if isinstance(template, str) else template[0]

    def __str__(self) -> str:
        return self.text()

    def as_data(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "params": {k: v.as_data() if isinstance(v, Message) else v for k, v in self.params.items()},
        }

    def dumps(self) -> str:
        """The stored form: JSON, read back by :func:`stored_text` / :meth:`loads`."""
        return json.dumps(self.as_data(), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_data(cls, data: Any) -> Message | None:
        if not isinstance(data, dict) or not isinstance(data.get("code"), str):
            return None
        params: dict[str, Param] = {}
        raw = data.get("params")
        for name, value in raw.items() if isinstance(raw, dict) else []:
            if isinstance(value, dict):
                nested = cls.from_data(value)
                if nested is not None:
                    params[str(name)] = nested
            elif isinstance(value, str | int | float) and not isinstance(value, bool):
                params[str(name)] = value
        return cls(data["code"], params)

    @classmethod
    def loads(cls, stored: str) -> Message | None:
        """The message :meth:`dumps` wrote, or None for any other text (a sentence stored before codes)."""
        if not stored.startswith("{"):
            return None
        try:
            return cls.from_data(json.loads(stored))
        except ValueError:
            return None


def _param(value: object) -> Param:
    if isinstance(value, Message | str | float) or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if isinstance(value, GazetteError):
        return value.message
    if isinstance(value, PurePath):  # on one line: a control character in a path must not break a sentence
        return "".join(ch if ch.isprintable() else "?" for ch in str(value))
    return str(value)


def message(code: str, /, **params: object) -> Message:
    """A :class:`Message`; a parameter that is a path, an error or anything else is made fit to keep."""
    if code not in MESSAGES:
        raise KeyError(f"unknown message code {code!r}: add it to gazette_tui.errors.MESSAGES")
    return Message(code, {name: _param(value) for name, value in params.items()})


def detail(text: object) -> Message:
    """A reason that is not ours (an OS's, SQLite's, a library's), kept as it is."""
    return message("detail", text=str(text))


def stored_text(stored: str | None) -> str | None:
    """A stored message (:meth:`Message.dumps`) in the current language; older plain text as it is."""
    if stored is None:
        return None
    found = Message.loads(stored)
    return found.text() if found is not None else stored


def _rebuild(cls: type[GazetteError], found: Message, state: dict[str, Any]) -> GazetteError:
    error = cls.__new__(cls)
    Exception.__init__(error, found.code)
    error.__dict__.update(state)
    error.message = found
    return error


class GazetteError(Exception):
    """Base class: a code of :data:`MESSAGES` and its parameters; ``str(error)`` is the sentence in the
    current language, fit for a user, never a traceback."""

    def __init__(self, code: str, /, **params: object) -> None:
        self.message = message(code, **params)
        super().__init__(code)

    @property
    def code(self) -> str:
        return self.message.code

    @property
    def params(self) -> Mapping[str, Param]:
        return self.message.params

    def text(self, language: str | None = None) -> str:
        return self.message.text(language)

    def __str__(self) -> str:
        return self.message.text()

    def __reduce__(self) -> tuple[Any, ...]:
        state = {k: v for k, v in self.__dict__.items() if k != "message"}
        return _rebuild, (type(self), self.message, state)


class InputError(GazetteError):
    """A value the user typed is refused (a setting's value, a theme, a date): on the command line, a usage
    error (exit 2), as argparse's own."""


class ConfigError(GazetteError):
    """The settings file cannot be read; the message names the file and the line."""


class StoreError(GazetteError):
    """The database cannot be opened or written (corrupt, locked, read-only, disk full)."""


class FeedError(GazetteError):
    """A feed could not be fetched or parsed. The message is short: it is shown in feed lists."""


class OpmlError(GazetteError):
    """An OPML file could not be read; nothing was imported."""


class QueryError(GazetteError):
    """A search query is invalid. ``position`` is the 0-based offset of the problem in the query."""

    def __init__(self, code: str, /, position: int = 0, **params: object) -> None:
        super().__init__(code, **params)
        self.position = position


class NotFoundError(GazetteError):
    """A feed, article or dossier named by the user does not exist."""


class WriteError(GazetteError):
    """A file (settings, export, backup) could not be written; the old one is untouched (core/files.py)."""
