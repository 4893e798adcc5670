"""What the screens and their controllers may use of the app: :class:`Host`.

:class:`~gazette_tui.ui.app.GazetteApp` is the one host; a screen is handed it when it is made and never
imports the app (the app imports the screens, so the other way round would be a cycle).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from gazette_tui.core.paths import Paths
    from gazette_tui.core.settings import Settings
    from gazette_tui.core.storage.store import Store


class Host(Protocol):
    @property
    def store(self) -> Store:
        """The cache; blocking, so only thread workers call it."""

    @property
    def settings(self) -> Settings: ...

    @property
    def paths(self) -> Paths: ...

    @property
    def offline(self) -> bool:
        """Started with ``--offline``: nothing may touch the network."""

    @property
    def demo_url(self) -> str | None:
        """The demo site's address when started with ``--demo``."""

    def say(
        self, message: str, *, severity: SeverityLevel = "information", timeout: float | None = None
    ) -> None:
        """A notification (plain text, never markup: it may quote feed text)."""

    def open_link(self, url: str) -> None:
        """Open an http(s) link in the browser, or show it when no browser starts."""
