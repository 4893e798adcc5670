"""The CLI's language, chosen before anything is said, and argparse's own text in it.

The language is chosen as the TUI's is (:func:`gazette_tui.i18n.detect_language`): ``--lang``, then the
``ui.language`` setting, then the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``). It must be known before
the parser is built, for ``--help``; so ``--lang`` and ``--demo`` (whose profile has its own settings) are
read from the raw arguments here, and the settings file is read quietly (a broken file is reported later, by
the command, in the locale's language).

argparse says its own words ("usage:", "positional arguments", "show this help message and exit",
"error: argument ID: invalid int value") through ``gettext.gettext`` and ``ngettext``, which it imported as
module globals. :func:`argparse_in_our_language` points those two names at our catalogue for as long as a
block runs, and puts them back after; :class:`TranslatedParser` runs each of its methods that says something
in such a block. Our catalogue holds the French of every message argparse can show a user
(``locale/fr/LC_MESSAGES/gazette.po``, the "argparse" section).
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator, Sequence
from typing import Any, NoReturn

from gazette_tui import i18n


def _explicit(argv: Sequence[str]) -> str | None:
    """The value of ``--lang`` in ``argv``, if any (before a ``--``)."""
    for index, arg in enumerate(argv):
        if arg == "--":
            return None
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
    return None


def _setting(argv: Sequence[str]) -> str | None:
    """``ui.language`` of the profile (or ``GAZETTE_TUI_UI_LANGUAGE``); None if unset or unreadable."""
    from gazette_tui.core.paths import Paths
    from gazette_tui.core.settings import load_settings
    from gazette_tui.errors import GazetteError

    demo = "--demo" in argv[: argv.index("--")] if "--" in argv else "--demo" in argv
    try:
        return load_settings(Paths.default("demo" if demo else None).config_file).ui.language or None
    except (GazetteError, OSError):
        return None


def choose_language(argv: Sequence[str]) -> str:
    """Set and return the language of everything the CLI says for these arguments."""
    return i18n.set_language(i18n.detect_language(_explicit(argv), _setting(argv)))


def _gettext(message: str) -> str:
    return i18n._(message)


def _ngettext(singular: str, plural: str, count: int) -> str:
    return i18n.translate_plural(singular, plural, count)


@contextlib.contextmanager
def argparse_in_our_language() -> Iterator[None]:
    """argparse's words from our catalogue, in the current language, while the block runs."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _gettext, _ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class TranslatedParser(argparse.ArgumentParser):
    """An ArgumentParser that says argparse's own words in the current language wherever it says them: when
    it is built (its headings, ``-h``'s help), when it parses (its errors) and when it prints its help. Its
    subparsers are of the same class (argparse makes them with ``type(parser)``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with argparse_in_our_language():
            super().__init__(*args, **kwargs)

    def add_subparsers(self, **kwargs: Any) -> Any:
        with argparse_in_our_language():
            return super().add_subparsers(**kwargs)

    def parse_known_args(self, *args: Any, **kwargs: Any) -> Any:
        with argparse_in_our_language():
            return super().parse_known_args(*args, **kwargs)

    def format_usage(self) -> str:
        with argparse_in_our_language():
            return super().format_usage()

    def format_help(self) -> str:
        with argparse_in_our_language():
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        with argparse_in_our_language():
            super().error(message)


def whole_number(text: str) -> int:
    """An argparse ``type`` for ids, limits and ports: its error says, in the current language, what was
    expected ("argument ID: “abc” is not a whole number"), where argparse's own would say "invalid int
    value"."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            i18n._("“{value}” is not a whole number").format(value=text)
        ) from None
