"""Widgets of the main screen: the feed tree, the article list, the reader and the status line."""
