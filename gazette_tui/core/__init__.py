"""The headless engine of gazette-tui.

Nothing under this package may import Textual: the CLI and cron jobs use it without a terminal UI, and
``tests/test_architecture.py`` checks that rule in a fresh interpreter.
"""
