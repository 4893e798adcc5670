"""The shape of an article in the bundled sources (``articles_a.py``, ``articles_b.py``): what a writer of
the demo paper fills in. :mod:`gazette_tui.demo.content` numbers, dates and slugs them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Source:
    """An article as written in the bundled sources (before ids, slugs and dates are assigned)."""

    key: str
    rubrique: str
    kicker: str
    title: str
    author: str
    tags: tuple[str, ...]
    lede: str
    body: str
    reserved: bool = False
    dossiers: tuple[str, ...] = ()
