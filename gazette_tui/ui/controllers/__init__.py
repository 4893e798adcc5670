"""The main screen's features that span its regions (tree, list, reader, status bar): one controller each,
composed by :class:`~gazette_tui.ui.screens.main.MainScreen`, never inherited."""
