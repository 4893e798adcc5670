"""The command line: the TUI by default, and headless subcommands for scripts and cron.

Headless commands never import Textual (a test checks it). Every error a user can act on is one plain
sentence on stderr and an exit code: 0 ok, 1 failure (some feeds failed, not found, …), 2 usage or settings.
``--debug`` shows tracebacks for bug reports.
"""

from gazette_tui.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
