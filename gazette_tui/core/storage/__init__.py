"""The SQLite cache and the user's data: the only package that imports ``sqlite3`` or writes SQL.

- :mod:`.store`: :class:`~.store.Store`, the entry point; it exposes one repository per aggregate and keeps
  the everyday methods the CLI and the TUI call.
- :mod:`.connections`: one writer serialised by a lock, a read connection per reading thread (WAL).
- :mod:`.db` (opening the file, write transactions, error sentences) and :mod:`.schema` (tables and
  migrations).
- Repositories: :mod:`.feeds`, :mod:`.articles`, :mod:`.bodies` (full texts), :mod:`.dossiers`,
  :mod:`.alerts`, :mod:`.accounts`, :mod:`.meta`; and :mod:`.search_sql`, the search engine's SQL.
- :mod:`.lock` (the advisory lock), :mod:`.repair` and :mod:`.salvage` (rebuilding a damaged file).
"""
