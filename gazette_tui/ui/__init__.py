"""The Textual face of gazette-tui. Only this package imports textual; ``build_app`` is the way in."""
