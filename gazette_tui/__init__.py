"""gazette-tui: a fast, offline-first terminal reader for La Gazette des communes and any feed."""

__version__ = "0.1.0"
APP_NAME = "gazette-tui"
