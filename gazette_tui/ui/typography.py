"""No-break spaces that do not break when the TUI wraps a line.

French typography puts a no-break space before « : ; ! ? » » and after « « », and between the thousands of
a count (« 20 000 »), so that « intérêt public » never leaves its » alone at the start of a line. The
catalogues and :func:`gazette_tui.i18n.format_number` write U+00A0; but Rich's word splitter, which
Textual's ``Content`` wraps with too, takes any ``\\s`` for a place to break, and in Python U+00A0 is one.
:func:`keep_no_break_spaces` gives Rich the same splitter with the no-break spaces (U+00A0, U+2007, U+202F)
counted as part of the word, which is what they mean. Textual is pinned by the lock file;
``tests/ui/test_one_language.py`` checks a wrapped « … » on screen, so an upgrade that changes the splitter
fails a test rather than the typography.
"""

from __future__ import annotations

import re

NO_BREAK = "\u00a0\u2007\u202f"
_BREAKING = rf"[^\S{NO_BREAK}]"
_WORD = re.compile(rf"{_BREAKING}*(?:[^\s]|[{NO_BREAK}])+{_BREAKING}*")


def keep_no_break_spaces() -> None:
    """Make Rich (and so Textual) wrap lines at breaking spaces only. Idempotent."""
    import rich._wrap

    rich._wrap.re_word = _WORD  # noqa: SLF001 - Rich has no public hook for its word splitter
