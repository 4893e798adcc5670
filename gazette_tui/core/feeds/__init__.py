"""Fetching, parsing, OPML and the refresh cycle."""
