"""Errors a user can act on. Each carries a plain-language message shown as is by the CLI and the UI."""

from __future__ import annotations


class GazetteError(Exception):
    """Base class: ``str(error)`` is a sentence fit for a user, never a traceback."""


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

    def __init__(self, message: str, position: int = 0) -> None:
        super().__init__(message)
        self.position = position


class NotFoundError(GazetteError):
    """A feed, article or dossier named by the user does not exist."""


class WriteError(GazetteError):
    """A file (settings, export, backup) could not be written; the old one is untouched (core/files.py)."""
