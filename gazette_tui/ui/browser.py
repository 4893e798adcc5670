"""Opening links: http(s) only, through :mod:`webbrowser` (an argument list, never a shell).

A console browser (lynx, w3m… what ``webbrowser`` picks on a machine without a display) needs the terminal,
so the app suspends itself around it; a graphical one is launched in the background.
"""

from __future__ import annotations

import webbrowser

from gazette_tui.core.files import user_umask
from gazette_tui.text import safe_url


def find_browser() -> webbrowser.BaseBrowser | None:
    try:
        return webbrowser.get()
    except webbrowser.Error:
        return None


def needs_terminal(browser: webbrowser.BaseBrowser) -> bool:
    """Whether the browser runs in our terminal (it then waits for the user to quit it)."""
    return isinstance(browser, webbrowser.GenericBrowser) and not isinstance(
        browser, webbrowser.BackgroundBrowser
    )


def launch(browser: webbrowser.BaseBrowser, url: str) -> bool:
    """Open ``url`` if it is http(s); False when it is not, or the browser failed to start."""
    checked = safe_url(url)
    if checked is None:
        return False
    try:
        with user_umask():  # not our 077: the browser's downloads are the user's
            return bool(browser.open(checked, new=2))
    except OSError:
        return False
