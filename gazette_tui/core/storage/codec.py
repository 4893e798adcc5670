"""How long text is kept on disk: compressed with Zstandard, read back whole.

Bodies (summary, content and full text HTML) and the plain text the search index is built from are most
of a cache's size. Each value of at least :data:`PACK_MIN` characters is stored as a Zstandard frame (a
BLOB); shorter ones, and everything written before schema v5, stay TEXT. :func:`unpack` reads either, so
no migration has to rewrite old rows, and the SQL function ``unpack_text`` (registered on every connection
by :func:`.db.connect`) lets SQLite read them too: the search index's content view uses it.

Compression is lossless: :func:`unpack` of :func:`pack` is the text, character for character
(``tests/unit/test_codec.py``).
"""

from __future__ import annotations

import sqlite3
import threading

import zstandard

from gazette_tui.errors import StoreError

PACK_MIN = 128
"""Shorter text is kept as it is: a frame's header would eat most of what compression saves."""

LEVEL = 1
"""~3× smaller HTML and text at ~20 µs an article body; level 3 saved 1 % more for 10-20 % more time."""


_local = threading.local()


def _compressor() -> zstandard.ZstdCompressor:
    # Neither object may be shared between threads: one of each per thread.
    compressor: zstandard.ZstdCompressor | None = getattr(_local, "compressor", None)
    if compressor is None:
        compressor = _local.compressor = zstandard.ZstdCompressor(level=LEVEL)
    return compressor


def _decompressor() -> zstandard.ZstdDecompressor:
    decompressor: zstandard.ZstdDecompressor | None = getattr(_local, "decompressor", None)
    if decompressor is None:
        decompressor = _local.decompressor = zstandard.ZstdDecompressor()
    return decompressor


def pack(text: str) -> str | bytes:
    """``text`` as it is stored: a Zstandard frame, or the text itself when it is short."""
    if len(text) < PACK_MIN:
        return text
    return _compressor().compress(text.encode("utf-8"))


def unpack(value: object) -> str:
    """A stored value as text: a frame is decompressed, text (old rows, short values) is returned as it is,
    NULL is empty."""
    if isinstance(value, bytes):
        try:
            return _decompressor().decompress(value).decode("utf-8")
        except (zstandard.ZstdError, UnicodeDecodeError):
            raise StoreError("store.damaged_text") from None
    if value is None:
        return ""
    return str(value)


def _unpack_or_empty(value: object) -> str:
    # Inside SQL an exception would abort the whole statement (a search, a rebuild): a damaged value reads
    # as empty there, and opening the article says it is damaged.
    try:
        return unpack(value)
    except StoreError:
        return ""


def register(connection: sqlite3.Connection) -> None:
    """Make ``unpack_text(value)`` and ``pack_text(text)`` available to this connection's SQL."""
    connection.create_function("unpack_text", 1, _unpack_or_empty, deterministic=True)
    connection.create_function("pack_text", 1, lambda text: pack(unpack(text)), deterministic=True)
